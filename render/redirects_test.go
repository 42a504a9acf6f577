package render

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestRedirectPages checks that a page whose front matter gives redirect
// (the Go blog's stubs) or redirect_to (Jekyll) is written at its own URL
// as a page redirecting to its target, and appears in no list, feed or
// sitemap.
func TestRedirectPages(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":                        {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/sub/\"\npermalink = \"/blog/:filename\"\nsections = [\"blog\"]\n")},
		"content/blog/heroku.md":           {Data: []byte("---\ntitle: Go on Heroku\ndate: 2011-04-21\n---\nText.\n")},
		"content/blog/go-heroku.md":        {Data: []byte("---\nredirect: /blog/heroku\naliases: [/older/heroku]\n---\n")},
		"content/blog/about.md":            {Data: []byte("---\nredirect: https://pkg.go.dev/about\n---\n")},
		"content/blog/rel.md":              {Data: []byte("---\nredirect: heroku#comments\n---\n")},
		"content/blog/2024-01-02-moved.md": {Data: []byte("---\ntitle: Moved away\nredirect_to: https://elsewhere.example/a?b=1&c=2\ntags: [moved]\n---\nGone.\n")},
	}
	out, stats := build(t, fsys, nil)
	for file, want := range map[string]string{
		"blog/go-heroku.html":     "https://example.org/sub/blog/heroku",
		"older/heroku/index.html": "https://example.org/sub/blog/heroku",
		"blog/about.html":         "https://pkg.go.dev/about",
		"blog/rel.html":           "https://example.org/sub/blog/heroku#comments",
		"blog/moved.html":         "https://elsewhere.example/a?b=1&amp;c=2",
	} {
		data, ok := out.Files[file]
		if !ok {
			t.Errorf("%s not written", file)
			continue
		}
		page := string(data)
		for _, w := range []string{`<meta http-equiv="refresh" content="0; url=` + want + `">`, `<link rel="canonical" href="` + want + `">`} {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %s:\n%s", file, w, page)
			}
		}
	}
	if stats.Posts != 1 {
		t.Errorf("%d posts, want 1: a redirect is not a post", stats.Posts)
	}
	for _, file := range []string{"index.html", "feed.xml", "rss.xml", "feed.json", "sitemap.xml", "archive/index.html"} {
		data := string(out.Files[file])
		if !strings.Contains(data, "blog/heroku") {
			t.Errorf("%s lacks the post", file)
		}
		for _, stub := range []string{"go-heroku", "blog/about", "blog/rel", "moved", "Moved away"} {
			if strings.Contains(data, stub) {
				t.Errorf("%s lists the redirect %s", file, stub)
			}
		}
	}
	if _, ok := out.Files["tags/moved/index.html"]; ok {
		t.Error("a redirect's tag is published")
	}
}
