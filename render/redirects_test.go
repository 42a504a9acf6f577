package render

import (
	"reflect"
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
	for file, want := range map[string][2]string{ // where it leads, its canonical URL
		"blog/go-heroku.html":     {"/sub/blog/heroku", "https://example.org/sub/blog/heroku"},
		"older/heroku/index.html": {"/sub/blog/heroku", "https://example.org/sub/blog/heroku"},
		"blog/about.html":         {"https://pkg.go.dev/about", "https://pkg.go.dev/about"},
		"blog/rel.html":           {"/sub/blog/heroku#comments", "https://example.org/sub/blog/heroku#comments"},
		"blog/moved.html":         {"https://elsewhere.example/a?b=1&amp;c=2", "https://elsewhere.example/a?b=1&amp;c=2"},
	} {
		data, ok := out.Files()[file]
		if !ok {
			t.Errorf("%s not written", file)
			continue
		}
		page := string(data)
		for _, w := range []string{`<meta http-equiv="refresh" content="0; url=` + want[0] + `">`, `<a href="` + want[0] + `">`, `<link rel="canonical" href="` + want[1] + `">`} {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %s:\n%s", file, w, page)
			}
		}
		if to := strings.ReplaceAll(want[0], "&amp;", "&"); stats.Redirects[file] != to {
			t.Errorf("Stats.Redirects[%s] = %q, want %q", file, stats.Redirects[file], to)
		}
	}
	if stats.Posts != 1 {
		t.Errorf("%d posts, want 1: a redirect is not a post", stats.Posts)
	}
	for _, file := range []string{"index.html", "feed.xml", "rss.xml", "feed.json", "sitemap.xml", "archive/index.html"} {
		data := string(out.Files()[file])
		if !strings.Contains(data, "blog/heroku") {
			t.Errorf("%s lacks the post", file)
		}
		for _, stub := range []string{"go-heroku", "blog/about", "blog/rel", "moved", "Moved away"} {
			if strings.Contains(data, stub) {
				t.Errorf("%s lists the redirect %s", file, stub)
			}
		}
	}
	if _, ok := out.Files()["tags/moved/index.html"]; ok {
		t.Error("a redirect's tag is published")
	}
}

// TestAliasPages checks the page written for each alias: a meta refresh
// and link to the page's site-relative URL (under the base URL's path),
// so that a preview on another host stays there, and an absolute
// canonical link; Stats.Redirects lists every alias with its target, and
// the sitemap lists none.
func TestAliasPages(t *testing.T) {
	for _, tt := range []struct {
		name, baseURL, target string
	}{
		{"at the root", "https://example.org/", "/2024/01/post/"},
		{"under a path", "https://example.org/sub/", "/sub/2024/01/post/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"site.toml":             {Data: []byte("title = \"T\"\nbase_url = \"" + tt.baseURL + "\"\npaginate = 1\n")},
				"content/posts/post.md": {Data: []byte("---\ntitle: Post\ndate: 2024-01-02\naliases: [/old/, /older.html, /2019/x, rel/]\n---\nText.\n")},
				"content/posts/next.md": {Data: []byte("---\ntitle: Next\ndate: 2024-01-03\n---\nText.\n")},
				"content/about.md":      {Data: []byte("---\ntitle: About\naliases: [/me/]\n---\nMe.\n")},
			}
			out, stats := build(t, fsys, nil)
			base := strings.TrimSuffix(strings.TrimPrefix(tt.baseURL, "https://example.org"), "/")
			want := map[string]string{
				"old/index.html":    tt.target,
				"older.html":        tt.target,
				"2019/x/index.html": tt.target,
				"rel/index.html":    tt.target,
				"me/index.html":     base + "/about/",
				"page/1/index.html": base + "/",
			}
			for file, to := range want {
				page := string(out.Files()[file])
				abs := "https://example.org" + to
				for _, w := range []string{
					`<meta http-equiv="refresh" content="0; url=` + to + `">`,
					`<a href="` + to + `">` + to + `</a>`,
					`<link rel="canonical" href="` + abs + `">`,
					`<meta name="robots" content="noindex">`,
				} {
					if !strings.Contains(page, w) {
						t.Errorf("%s lacks %s:\n%s", file, w, page)
					}
				}
			}
			got := map[string]string{}
			for file, to := range stats.Redirects {
				if !strings.HasPrefix(file, "page/") || file == "page/1/index.html" {
					got[file] = to
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Stats.Redirects = %v, want %v", got, want)
			}
			sitemap := string(out.Files()["sitemap.xml"])
			if !strings.Contains(sitemap, "<loc>https://example.org"+tt.target+"</loc>") {
				t.Errorf("the sitemap lacks the post:\n%s", sitemap)
			}
			for file := range stats.Redirects {
				u := "https://example.org" + base + "/" + strings.TrimSuffix(strings.TrimSuffix(file, "index.html"), ".html")
				if strings.Contains(sitemap, "<loc>"+u) {
					t.Errorf("the sitemap lists the redirect %s:\n%s", file, sitemap)
				}
			}
		})
	}
}
