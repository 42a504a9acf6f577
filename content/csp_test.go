package content

import (
	"strings"
	"testing"
)

const minimalConfig = "title = \"T\"\nbase_url = \"https://e.org/\"\n"

func TestRawHTMLConfig(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // the mode, or a part of the error
		err       bool
	}{
		{"default", "", RawHTMLPass, false},
		{"unsafe_html false", "unsafe_html = false\n", RawHTMLPass, false},
		{"unsafe_html true", "unsafe_html = true\n", RawHTMLPass, false},
		{"pass", "raw_html = \"pass\"\n", RawHTMLPass, false},
		{"escape", "raw_html = \"escape\"\n", RawHTMLEscape, false},
		{"omit", "raw_html = \"omit\"\n", RawHTMLOmit, false},
		{"escape with unsafe_html false", "unsafe_html = false\nraw_html = \"escape\"\n", RawHTMLEscape, false},
		{"pass with unsafe_html true", "unsafe_html = true\nraw_html = \"pass\"\n", RawHTMLPass, false},
		{"contradiction", "unsafe_html = true\nraw_html = \"omit\"\n", `site.toml:4: raw_html = "omit" contradicts unsafe_html = true`, true},
		{"unknown mode", "raw_html = \"strip\"\n", `site.toml:3: raw_html "strip": want "pass", "escape" or "omit"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(minimalConfig+tt.src), "")
			if tt.err {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("err = %v; want it to contain %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.RawHTML != tt.want {
				t.Errorf("RawHTML = %q, want %q", c.RawHTML, tt.want)
			}
		})
	}
}

func TestCSPConfig(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // the policy, or a part of the error
		err       bool
	}{
		{"none", "", "default-src 'self'", false},
		{"frame host", "[csp]\nframe-src = [\"https://www.youtube-nocookie.com\"]\n",
			"default-src 'self'; frame-src 'self' https://www.youtube-nocookie.com", false},
		{"sorted, self kept once", "[csp]\nimg-src = [\"'self'\", \"https:\", \"data:\"]\nframe-src = [\"https://*.vimeo.com\", \"player.example:8443/embed/\"]\n",
			"default-src 'self'; frame-src 'self' https://*.vimeo.com player.example:8443/embed/; img-src 'self' https: data:", false},
		{"default-src adds", "[csp]\ndefault-src = [\"https://cdn.example\"]\n", "default-src 'self' https://cdn.example", false},
		{"keywords and hashes", "[csp]\nstyle-src = [\"'unsafe-inline'\"]\nscript-src = [\"'sha256-abc='\"]\n",
			"default-src 'self'; script-src 'self' 'sha256-abc='; style-src 'self' 'unsafe-inline'", false},
		{"none kept alone", "[csp]\nobject-src = [\"'none'\"]\n", "default-src 'self'; object-src 'none'", false},
		{"form-action", "[csp]\nform-action = [\"https://forms.example\"]\n", "default-src 'self'; form-action https://forms.example", false},
		{"unknown directive", "[csp]\nvideo-src = [\"https://v.example\"]\n", "site.toml:5: [csp] video-src: not a directive", true},
		{"unquoted keyword", "[csp]\nstyle-src = [\"unsafe-inline\"]\n", `site.toml:5: [csp] style-src: unsafe-inline is a keyword: write it in single quotes`, true},
		{"unknown keyword", "[csp]\nscript-src = [\"'unsafe'\"]\n", `[csp] script-src: 'unsafe' is not a keyword`, true},
		{"two sources in one", "[csp]\nframe-src = [\"https://a.example https://b.example\"]\n", `[csp] frame-src: "https://a.example https://b.example" is not a source`, true},
		{"semicolon", "[csp]\nframe-src = [\"https://a.example; script-src *\"]\n", `is not a source`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(minimalConfig+"\n"+tt.src), "")
			if tt.err {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("err = %v; want it to contain %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.ContentSecurityPolicy(); got != tt.want {
				t.Errorf("policy = %q\nwant     %q", got, tt.want)
			}
		})
	}
}
