package content

import (
	"strings"
	"testing"
)

// TestTOCConfig checks [markdown]'s table of contents keys: defaults,
// values kept, and errors at their lines.
func TestTOCConfig(t *testing.T) {
	tests := []struct {
		name, src  string
		toc        bool
		start, end int
		err        string
	}{
		{"defaults", "", false, 2, 4, ""},
		{"on", "[markdown]\ntoc = true\n", true, 2, 4, ""},
		{"levels", "[markdown]\ntoc_start_level = 1\ntoc_end_level = 3\n", false, 1, 3, ""},
		{"a start below the default end", "[markdown]\ntoc_start_level = 3\n", false, 3, 4, ""},
		{"a start past the default end", "[markdown]\ntoc_start_level = 5\n", false, 5, 5, ""},
		{"start past end", "[markdown]\ntoc_start_level = 4\ntoc_end_level = 3\n", false, 0, 0,
			"site.toml:4: [markdown] toc_start_level = 4 is deeper than toc_end_level = 3"},
		{"level 7", "[markdown]\ntoc_end_level = 7\n", false, 0, 0, "site.toml:4: [markdown] toc_end_level = 7: want a heading level from 1 to 6"},
		{"negative", "[markdown]\ntoc_start_level = -1\n", false, 0, 0, "site.toml:4: [markdown] toc_start_level = -1: want a heading level from 1 to 6"},
		{"unknown key", "[markdown]\ntoc_depth = 3\n", false, 0, 0, `site.toml:4: unknown key "markdown.toc_depth"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := parseMarkdownConfig(t, tt.src, tt.err)
			if c == nil {
				return
			}
			if m := c.Markdown; m.TOC != tt.toc || m.TOCStartLevel != tt.start || m.TOCEndLevel != tt.end {
				t.Errorf("toc %v, levels %d to %d; want %v, %d to %d", m.TOC, m.TOCStartLevel, m.TOCEndLevel, tt.toc, tt.start, tt.end)
			}
		})
	}
}

// TestAutolinkConfig checks [markdown] autolink: on unless set false.
func TestAutolinkConfig(t *testing.T) {
	tests := []struct {
		name, src string
		want      bool
		err       string
	}{
		{"default", "", true, ""},
		{"on", "[markdown]\nautolink = true\n", true, ""},
		{"off", "[markdown]\nautolink = false\n", false, ""},
		{"not a boolean", "[markdown]\nautolink = \"no\"\n", false, "site.toml:4:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := parseMarkdownConfig(t, tt.src, tt.err)
			if c == nil {
				return
			}
			if got := c.Markdown.Autolinks(); got != tt.want {
				t.Errorf("Autolinks() = %v, want %v", got, tt.want)
			}
		})
	}
}

// parseMarkdownConfig parses a site.toml of a title, a base URL and src,
// and checks its error against wantErr (which the error must contain);
// it returns the config, nil when an error was wanted.
func parseMarkdownConfig(t *testing.T, src, wantErr string) *Config {
	t.Helper()
	c, err := ParseConfig([]byte("title = \"T\"\nbase_url = \"https://e.org/\"\n"+src), "")
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("err = %v\nwant it to contain %q", err, wantErr)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTOCFrontMatter checks the toc key and PaperMod's ShowToc.
func TestTOCFrontMatter(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name, front string
		want        *bool
		err         string
	}{
		{"none", "", nil, ""},
		{"toc true", "toc: true\n", &yes, ""},
		{"toc false", "toc: false\n", &no, ""},
		{"toc yes", "toc: yes\n", &yes, ""},
		{"ShowToc", "ShowToc: true\n", &yes, ""},
		{"bad value", "toc: maybe\n", nil, `content/posts/x.md:4: front matter: toc: want true or false, found "maybe"`},
		{"twice", "toc: true\nshowtoc: false\n", nil, "content/posts/x.md:5: front matter: showtoc: given twice (also on line 4)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, site(map[string]string{"content/posts/x.md": "---\ntitle: X\ndate: 2024-01-01\n" + tt.front + "---\nx\n"}), Options{})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("err = %v\nwant it to contain %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := s.Posts[0].TOC
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Errorf("TOC = %v, want %v", fmtBool(got), fmtBool(tt.want))
			}
		})
	}
}

func fmtBool(b *bool) string {
	if b == nil {
		return "nil"
	}
	if *b {
		return "true"
	}
	return "false"
}
