package main

import (
	"path/filepath"
	"testing"

	"github.com/siteblog/site/internal/testenv"
)

// badPost is a post of the tiny site with these front matter lines after
// title (line 2) and date (line 3); the first is line 4.
func badPost(lines ...string) string {
	fm := "---\ntitle: Bad\ndate: 2024-07-01T10:00:00Z\n"
	for _, l := range lines {
		fm += l + "\n"
	}
	return fm + "---\nBody.\n"
}

// Each bad input fails `site build` with one message naming its file and,
// where there is one, its line, and leaves the previous output as it was.
func TestBuildNamesTheSource(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string // the whole error line
	}{
		{"alias at the index", map[string]string{"content/posts/bad.md": badPost(`aliases: ["/index.html"]`)},
			`content/posts/bad.md:4: alias /index.html is the site's index; change aliases`},
		{"alias at the tag index", map[string]string{"content/posts/bad.md": badPost(`aliases: ["/tags/"]`)},
			`content/posts/bad.md:4: alias /tags/ is reserved for the site's own pages (/tags/); change aliases`},
		{"alias under /tls/", map[string]string{"content/posts/bad.md": badPost(`aliases: ["/tls/"]`)},
			`content/posts/bad.md:4: alias /tls/ is reserved for the site's own pages (/tls/); change aliases`},
		{"alias under /assets/", map[string]string{"content/posts/bad.md": badPost(`aliases: ["/assets/x/"]`)},
			`content/posts/bad.md:4: alias /assets/x/ is reserved for the site's own pages (/assets/); change aliases`},
		{"alias of escaped dots", map[string]string{"content/posts/bad.md": badPost(`aliases: ["/%2e%2e/x/"]`)},
			`content/posts/bad.md:4: front matter: aliases: "/../x/": goes above the site's root`},
		{"alias holding <script>", map[string]string{"content/posts/bad.md": badPost(`aliases: ["/<script>/"]`)},
			`content/posts/bad.md:4: front matter: aliases: "/<script>/": want a URL path without ?, #, \, <, >, ", |, * or control characters`},
		{"alias taken by a post", map[string]string{"content/posts/bad.md": badPost(`aliases: ["/2024/05/first-post/"]`)},
			`content/posts/bad.md:4: alias /2024/05/first-post/ is also used by content/posts/one.md:2`},
		{"alias inside the feed", map[string]string{"content/posts/bad.md": badPost(`aliases: ["/feed.xml/"]`)},
			`content/posts/bad.md:4: alias /feed.xml/ writes feed.xml/index.html inside feed.xml, which the site's feed feed.xml writes as a file; change or remove it`},
		{"static file at a post's URL", map[string]string{"static/2024/05/first-post/index.html": "<p>x</p>"},
			`static/2024/05/first-post/index.html: file 2024/05/first-post/index.html is also published by content/posts/one.md:2; remove or rename one of them`},
		{"static file at the index", map[string]string{"static/index.html": "<p>x</p>"},
			`static/index.html: copied as index.html, which the site's index page / writes too; change or remove it`},
		{"static file where a post needs a directory", map[string]string{"static/2024": "x"},
			`content/posts/one.md:2: URL /2024/05/first-post/ writes 2024/05/first-post/index.html inside 2024, which static/2024 publishes as a file; a file cannot be a directory too`},
		{"invalid UTF-8", map[string]string{"content/posts/bad.md": badPost() + "Caf\xe9\n"},
			`content/posts/bad.md:6: invalid UTF-8: byte 0xe9 at column 4; save the file as UTF-8`},
		{"NUL in the body", map[string]string{"content/posts/bad.md": badPost() + "a\x00b\n"},
			`content/posts/bad.md:6: control character U+0000 at column 2; remove it`},
		{"NUL from a YAML escape", map[string]string{"content/posts/bad.md": "---\ntitle: \"Bad\\0\"\ndate: 2024-07-01\n---\n"},
			`content/posts/bad.md:2: front matter: title: holds control character U+0000; remove it`},
		{"U+FFFF from a TOML escape", map[string]string{"content/posts/bad.md": "+++\ntitle = \"Bad\\uFFFF\"\ndate = 2024-07-01\n+++\n"},
			`content/posts/bad.md:2: front matter: title: holds noncharacter U+FFFF; remove it`},
		{"NUL in site.toml", map[string]string{"site.toml": "title = \"Tiny\\u0000\"\nbase_url = \"https://example.org/\"\n"},
			`site.toml:1: title: holds control character U+0000; remove it`},
		{"year 0", map[string]string{"content/posts/bad.md": "---\ntitle: Bad\ndate: 0000-01-01\n---\n"},
			`content/posts/bad.md:3: front matter: date: 0000-01-01 00:00:00 +00:00: want a year from 1 to 9999, in the date's zone and in UTC`},
		{"9999-12-31 west of UTC", map[string]string{"content/posts/bad.md": "---\ntitle: Bad\ndate: 9999-12-31T22:00:00-08:00\n---\n"},
			`content/posts/bad.md:3: front matter: date: 10000-01-01 06:00:00 +00:00: want a year from 1 to 9999, in the date's zone and in UTC`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			site, out := filepath.Join(root, "site"), filepath.Join(root, "out")
			testenv.WriteFiles(t, site, tinySite)
			buildOK(t, "-s", site, "-o", out)
			before := treeHash(t, out)

			testenv.WriteFiles(t, site, c.files)
			code, stdout, stderr := runSite(t, "build", "-s", site, "-o", out)
			if code != 1 {
				t.Errorf("exit %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if want := "site build: " + c.want + "\n"; stderr != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
			}
			if after := treeHash(t, out); after != before {
				t.Errorf("a failed build changed the previous output")
			}
			checkNoLeftovers(t, root, "site", "out")
		})
	}
}
