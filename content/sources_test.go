package content

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// post is a post's file with these front matter lines after title (line 2)
// and date (line 3): the first of them is line 4.
func postWith(lines ...string) string {
	fm := "---\ntitle: A\ndate: 2024-01-10\n"
	for _, l := range lines {
		fm += l + "\n"
	}
	return fm + "---\nBody.\n"
}

// Every problem with a page's URL, an alias or a copied file names the
// file and, where there is one, the line of the key that asked for it.
func TestURLProblemsNameTheirSource(t *testing.T) {
	tests := []struct {
		name  string
		extra string // site.toml
		files map[string]string
		want  string
	}{
		{"alias at the index file", "", map[string]string{"content/posts/a.md": postWith(`aliases: ["/index.html"]`)},
			`content/posts/a.md:4: alias /index.html is the site's index; change aliases`},
		{"alias at the tag index", "", map[string]string{"content/posts/a.md": postWith(`aliases: ["/tags/"]`)},
			`content/posts/a.md:4: alias /tags/ is reserved for the site's own pages (/tags/); change aliases`},
		{"alias under /tls/", "", map[string]string{"content/posts/a.md": postWith(`aliases: [/tls/x/]`)},
			`content/posts/a.md:4: alias /tls/x/ is reserved for the site's own pages (/tls/)`},
		{"alias under /assets/", "", map[string]string{"content/posts/a.md": postWith(`aliases: [/assets/style.css.html]`)},
			`content/posts/a.md:4: alias /assets/style.css.html is reserved for the site's own pages (/assets/)`},
		{"alias at a list page", "", map[string]string{"content/posts/a.md": postWith(`aliases: [/page/2/]`)},
			`content/posts/a.md:4: alias /page/2/ is reserved for the site's own pages (/page/)`},
		{"alias at the 404 page", "", map[string]string{"content/posts/a.md": postWith(`aliases: [/404.html]`)},
			`content/posts/a.md:4: alias /404.html is the site's 404.html`},
		{"relative alias at the archive", "", map[string]string{"content/posts/a.md": postWith(`aliases: [archive]`)},
			`content/posts/a.md:4: alias /archive/ is reserved for the site's own pages (/archive/)`},
		{"alias answered by the server", "", map[string]string{"content/posts/a.md": postWith(`aliases: [/healthz.html]`)},
			"content/posts/a.md:4: alias /healthz.html is answered at /healthz, which `site serve` answers itself; change aliases"},
		{"page answered by the server", "", map[string]string{"content/tls.md": "---\ntitle: T\npermalink: /tls.json\n---\n"},
			"content/tls.md:3: URL /tls.json is answered at /tls.json, which `site serve` answers itself; change permalink"},
		{"alias with <script>", "", map[string]string{"content/posts/a.md": postWith(`aliases: ["/<script>/"]`)},
			`content/posts/a.md:4: front matter: aliases: "/<script>/": want a URL path without ?, #, \, <, >`},
		{"alias with an escaped <", "", map[string]string{"content/posts/a.md": postWith(`aliases: ["/a%3Cb/"]`)},
			`content/posts/a.md:4: front matter: aliases: "/a%3Cb/": want a URL path without`},
		{"alias with escaped dots", "", map[string]string{"content/posts/a.md": postWith(`aliases: ["/%2e%2e/x/"]`)},
			`content/posts/a.md:4: front matter: aliases: "/../x/": goes above the site's root`},
		{"alias with a bad escape", "", map[string]string{"content/posts/a.md": postWith(`aliases: ["/100%/"]`)},
			`content/posts/a.md:4: front matter: aliases: "/100%/": a % must start an escape such as %20`},
		{"alias with a pipe", "", map[string]string{"content/posts/a.md": postWith(`aliases: ["/a|b/"]`)},
			`content/posts/a.md:4: front matter: aliases: "/a|b/": want a URL path without`},
		{"url with <script>", "", map[string]string{"content/about.md": "---\ntitle: T\nurl: \"/<script>/\"\n---\n"},
			`content/about.md:3: front matter: url: "/<script>/": want a URL path without`},
		{"url with escaped dots", "", map[string]string{"content/about.md": "---\ntitle: T\nurl: \"/%2E%2E/%2e%2e/x/\"\n---\n"},
			`content/about.md:3: front matter: url: "/%2E%2E/%2e%2e/x/": goes above the site's root`},
		{"redirect_from taken, on its own line", "", map[string]string{
			"content/posts/a.md": postWith("aliases: [/fine/]", "redirect_from: [/2024/01/b/]"),
			"content/posts/b.md": "---\ntitle: B\ndate: 2024-01-11\n---\n"},
			`content/posts/a.md:5: alias /2024/01/b/ is also used by content/posts/b.md:2`},
		{"alias taken by an alias", "", map[string]string{
			"content/posts/a.md": postWith("aliases: [/old/]"),
			"content/posts/b.md": "---\ntitle: B\ndate: 2024-01-11\n\naliases: [/old/]\n---\n"},
			`content/posts/b.md:5: alias /old/ is also used by content/posts/a.md:4 (alias)`},
		{"static file at a post's URL", "", map[string]string{
			"content/posts/a.md":          postWith(),
			"static/2024/01/a/index.html": "<p>static</p>"},
			`static/2024/01/a/index.html: file 2024/01/a/index.html is also published by content/posts/a.md:2`},
		{"static file at an alias", "", map[string]string{
			"content/posts/a.md":      postWith("aliases: [/old.html]"),
			"static/old.html":         "<p>static</p>",
			"static/unrelated/x.html": "<p>fine</p>"},
			`static/old.html: file old.html is also published by content/posts/a.md:4 (alias)`},
		{"content file and static file", "", map[string]string{
			"content/posts/a.md": postWith(),
			"content/x.txt":      "one",
			"static/x.txt":       "two"},
			`static/x.txt: file x.txt is also published by content/x.txt`},
		{"static file where a post needs a directory", "", map[string]string{
			"content/posts/a.md": postWith(),
			"static/2024":        "a file"},
			`content/posts/a.md:2: URL /2024/01/a/ writes 2024/01/a/index.html inside 2024, which static/2024 publishes as a file`},
		{"alias where a page is a file", "permalink = \"/:year/:slug.html\"\n", map[string]string{
			"content/posts/a.md": postWith("aliases: [/2024/a.html/x/]")},
			`content/posts/a.md:4: alias /2024/a.html/x/ writes 2024/a.html/x/index.html inside 2024/a.html, which content/posts/a.md:2 publishes as a file`},
		{"redirect page under /tags/", "", map[string]string{"content/r.md": "---\nurl: /tags/old/\nredirect: /about/\n---\n"},
			`content/r.md:2: URL /tags/old/ is reserved for the site's own pages (/tags/); change url`},
		{"bundle resource at another post's URL", "", map[string]string{
			"content/posts/a/index.md":      postWith(),
			"content/posts/a/b/index.html":  "<p>resource</p>",
			"content/posts/b.md":            "---\ntitle: B\ndate: 2024-01-11\nurl: /2024/01/a/b/\n---\n",
			"content/posts/a/unrelated.png": "png"},
			`content/posts/a/b/index.html: file 2024/01/a/b/index.html is also published by content/posts/b.md:4`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, siteWith(tt.extra, tt.files), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// URL paths written in front matter are URLs: escapes are decoded, so the
// file published is the one a server answers the URL from.
func TestURLPathsDecoded(t *testing.T) {
	tests := []struct {
		name, file, src string
		url             string
		aliases         []string
	}{
		{"url", "content/about.md", "---\ntitle: T\nurl: /caf%C3%A9/\n---\n", "/café/", nil},
		{"alias", "content/posts/a.md", postWith("aliases: [/old%20post/, /x%2Fy.html]"), "/2024/01/a/", []string{"/old post/", "/x/y.html"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, siteWith("", map[string]string{tt.file: tt.src}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			pg := s.All()[0]
			if pg.URL != tt.url || strings.Join(pg.Aliases, " ") != strings.Join(tt.aliases, " ") {
				t.Errorf("URL %q, aliases %q; want %q, %q", pg.URL, pg.Aliases, tt.url, tt.aliases)
			}
		})
	}
}

// A Markdown file is UTF-8 text without control characters (but tab, line
// feed and carriage return) or noncharacters, in its bytes and in the
// values its front matter decodes to.
func TestTextRules(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // the error; "" for none
		warn  string // a warning the load gives; "" for none
	}{
		{name: "invalid UTF-8 in the body", files: map[string]string{"content/posts/a.md": postWith() + "fine\nab\xffc\n"},
			want: `content/posts/a.md:7: invalid UTF-8: byte 0xff at column 3; save the file as UTF-8`},
		{name: "Latin-1 in front matter", files: map[string]string{"content/posts/a.md": "---\ntitle: Caf\xe9\ndate: 2024-01-10\n---\n"},
			want: `content/posts/a.md:2: invalid UTF-8: byte 0xe9 at column 11`},
		{name: "invalid UTF-8 in a section's _index.md", files: map[string]string{"content/posts/_index.md": "---\ntitle: \xc3\n---\n"},
			want: `content/posts/_index.md:2: invalid UTF-8`},
		{name: "NUL in a section's _index.md", files: map[string]string{"content/posts/_index.md": "---\ntitle: S\n---\na\x00\n"},
			want: `content/posts/_index.md:4: control character U+0000 at column 2, shown as U+FFFD; remove it`},
		{name: "NUL in the body", files: map[string]string{"content/posts/a.md": postWith() + "a\x00b\n"},
			warn: `content/posts/a.md:6: control character U+0000 at column 2, shown as U+FFFD; remove it`},
		{name: "NUL after a byte order mark", files: map[string]string{"content/posts/a.md": "\ufeff" + postWith() + "\x00\n"},
			warn: `content/posts/a.md:6: control character U+0000 at column 1`},
		{name: "several", files: map[string]string{"content/posts/a.md": postWith() + "\x01\n\x02\x03\n"},
			warn: `content/posts/a.md:6: control character U+0001 at column 1 (and 2 more), shown as U+FFFD; remove it`},
		{name: "escape character in a front matter value", files: map[string]string{"content/posts/a.md": "---\ntitle: a\x1b[31mred\ndate: 2024-01-10\n---\n"},
			want: `content/posts/a.md:2: front matter: title: holds control character U+001B; remove it`},
		{name: "DEL", files: map[string]string{"content/posts/a.md": postWith() + "\x7f\n"},
			warn: `content/posts/a.md:6: control character U+007F`},
		{name: "C1 control in a listing", files: map[string]string{"content/posts/a.md": postWith() + "```\nQuit\u009b\n```\n"},
			warn: `content/posts/a.md:7: control character U+009B at column 5`},
		{name: "U+FFFE", files: map[string]string{"content/posts/a.md": postWith() + "x \ufffe\n"},
			warn: `content/posts/a.md:6: noncharacter U+FFFE at column 3`},
		{name: "noncharacter of another plane", files: map[string]string{"content/posts/a.md": postWith() + "\U0001FFFF\n"},
			warn: `content/posts/a.md:6: noncharacter U+1FFFF`},
		{name: "vertical tab", files: map[string]string{"content/posts/a.md": postWith() + "one\vtwo\n"},
			warn: `content/posts/a.md:6: control character U+000B at column 4`},
		{name: "YAML escape writes a NUL", files: map[string]string{"content/posts/a.md": "---\ntitle: \"A\\0B\"\ndate: 2024-01-10\n---\n"},
			want: `content/posts/a.md:2: front matter: title: holds control character U+0000; remove it`},
		{name: "TOML escape writes U+FFFF in a list", files: map[string]string{"content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2024-01-10\ntags = [\"ok\", \"\\uFFFF\"]\n+++\n"},
			want: `content/posts/a.md:4: front matter: tags: holds noncharacter U+FFFF`},
		{name: "escape in a nested key", files: map[string]string{"content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2024-01-10\n[extra]\n\"a\\u0007\" = 1\n+++\n"},
			want: `content/posts/a.md:4: front matter: extra: holds control character U+0007`},
		{name: "form feeds are white space", files: map[string]string{"content/posts/a.md": postWith() + "one\f\ntwo\fthree\n"}},
		{name: "tabs, CR LF and other scripts are text", files: map[string]string{"content/posts/a.md": "---\r\ntitle: \"Tab\\there\"\r\ndate: 2024-01-10\r\n---\r\n\tcode\r\nÆ 日本 \u2028 \ufdcf \ufff0\r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, siteWith("", tt.files), Options{})
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("err = %v, want none", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
			if s == nil {
				return
			}
			var warned []string
			for _, w := range s.Warnings {
				if strings.Contains(w.Error(), "control character") || strings.Contains(w.Error(), "noncharacter") {
					warned = append(warned, w.Error())
				}
			}
			switch {
			case tt.warn == "" && len(warned) > 0:
				t.Errorf("warnings %q, want none", warned)
			case tt.warn != "" && (len(warned) != 1 || !strings.Contains(warned[0], tt.warn)):
				t.Errorf("warnings %q, want one containing %q", warned, tt.warn)
			}
		})
	}
}

func TestConfigText(t *testing.T) {
	for _, tt := range []struct{ toml, want string }{
		{"title = \"T\\u0000\"\nbase_url = \"https://example.org/\"\n", `site.toml:1: title: holds control character U+0000`},
		{"title = \"T\"\nbase_url = \"https://example.org/\"\n[params]\nx = [\"\\uFFFE\"]\n", `site.toml:3: params: holds noncharacter U+FFFE`},
	} {
		_, err := ParseConfig([]byte(tt.toml), "")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v\nwant it to contain %q", tt.toml, err, tt.want)
		}
	}
}

// Dates outside the years 1 to 9999, in their zone or in UTC, are errors
// at the line that gave them.
func TestDateYears(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		files map[string]string
		want  string // "" for none
	}{
		{"year 0", "", map[string]string{"content/posts/a.md": "---\ntitle: A\ndate: 0000-06-01\n---\n"},
			`content/posts/a.md:3: front matter: date: 0000-06-01 00:00:00 +00:53: want a year from 1 to 9999`},
		{"last hour of 9999, west of UTC", "-", map[string]string{"content/posts/a.md": "---\ntitle: A\ndate: 9999-12-31T23:00:00-05:00\n---\n"},
			`content/posts/a.md:3: front matter: date: 9999-12-31 23:00:00 -05:00: want a year from 1 to 9999, in the date's zone and in UTC`},
		{"last hour of 9999 in UTC, in the site's zone", "", map[string]string{"content/posts/a.md": "---\ntitle: A\ndate: 9999-12-31T23:30:00Z\n---\n"},
			`content/posts/a.md:3: front matter: date: 10000-01-01 00:30:00 +01:00: want a year from 1 to 9999`},
		{"TOML date of year 0", "", map[string]string{"content/posts/a.md": "+++\ntitle = \"A\"\ndate = 0000-01-01T00:00:00Z\n+++\n"},
			`content/posts/a.md:3: front matter: date:`},
		{"seconds since 1970, far ahead", "", map[string]string{"content/posts/a.md": "---\ntitle: A\ndate: 99999999999999\n---\n"},
			`content/posts/a.md:3: front matter: date: 3170843-11-07`},
		{"file name of year 0", "", map[string]string{"content/posts/0000-01-01-a.md": "---\ntitle: A\n---\n"},
			`content/posts/0000-01-01-a.md:1: the file name's date: 0000-01-01`},
		{"updated of year 0", "", map[string]string{"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\nlastmod: 0000-01-01\n---\n"},
			`content/posts/a.md:4: front matter: updated: 0000-01-01`},
		{"publishDate standing for date", "", map[string]string{"content/posts/a.md": "---\ntitle: A\npublishDate: 0000-01-01\n---\n"},
			`content/posts/a.md:3: front matter: publishdate: 0000-01-01`},
		{"a page's date too", "", map[string]string{"content/about.md": "---\ntitle: A\ndate: 0000-01-01\n---\n"},
			`content/about.md:3: front matter: date:`},
		{"a section's date", "", map[string]string{"content/posts/_index.md": "---\ntitle: Posts\ndate: 0000-01-01\n---\n"},
			`content/posts/_index.md:3: front matter: date: 0000-01-01`},
		{"last hour of 9999 east of UTC", "", map[string]string{"content/about.md": "---\ntitle: A\ndate: 9999-12-31T23:00:00+05:00\n---\n"}, ""},
		{"year 1", "", map[string]string{"content/about.md": "---\ntitle: A\ndate: 0001-01-02\n---\n"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := siteWith(tt.extra, tt.files)
			if tt.extra == "-" { // no timezone: dates keep theirs
				fsys = site(tt.files)
				fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n")}
			}
			_, err := load(t, fsys, Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("err = %v, want none", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// A form feed, white space to CommonMark but refused by XML, reaches the
// page as a space, and the file it came from is left as it was.
func TestFormFeedIsSpace(t *testing.T) {
	fsys := siteWith("", map[string]string{"content/posts/a.md": postWith() + "one\ftwo\f\n"})
	original := string(fsys["content/posts/a.md"].Data)
	s, err := load(t, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if body := string(s.Posts[0].Body); strings.ContainsRune(body, '\f') || !strings.Contains(body, "one two ") {
		t.Errorf("body %q: want each form feed made a space", body)
	}
	if string(fsys["content/posts/a.md"].Data) != original {
		t.Error("loading changed the file's bytes")
	}
}
