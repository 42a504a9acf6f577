package render

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestOutputFilesOfURLs checks where pages, bundle resources and aliases
// are written when URLs do not end in "/".
func TestOutputFilesOfURLs(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":                    {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\npermalink = \"/blog/:filename\"\nsections = [\"blog\"]\n")},
		"content/blog/name.md":         {Data: []byte("---\ntitle: Name\ndate: 2024-01-01\naliases: [/old/name, old.html]\n---\nText.\n")},
		"content/blog/bundle/index.md": {Data: []byte("---\ntitle: Bundle\ndate: 2024-02-01\n---\n![i](bundle/i.png)\n")},
		"content/blog/bundle/i.png":    {Data: []byte("png")},
		"content/blog/same.md":         {Data: []byte("---\ntitle: Same\ndate: 2024-03-01\n---\nOne.\n")},
		"content/jekyll.md":            {Data: []byte("---\ntitle: Jekyll page\npermalink: /2024/01/02/jekyll.html\n---\nJ.\n")},
		"content/about.md":             {Data: []byte("---\ntitle: About\n---\nAbout.\n")},
	}
	out, _ := build(t, fsys, nil)
	for name, want := range map[string]string{
		"blog/name.html":         "Text.",
		"blog/bundle.html":       "Bundle",
		"blog/bundle/i.png":      "png",
		"2024/01/02/jekyll.html": "J.",
		"about/index.html":       "About.",
		"old/name/index.html":    "/blog/name",
		"old.html":               "/blog/name",
	} {
		data, ok := out.Files()[name]
		if !ok {
			t.Errorf("%s not written", name)
			continue
		}
		if !strings.Contains(string(data), want) {
			t.Errorf("%s does not hold %q", name, want)
		}
	}
	if _, ok := out.Files()["blog/name"]; ok {
		t.Error("blog/name written without .html")
	}
	if sm := string(out.Files()["sitemap.xml"]); !strings.Contains(sm, "<loc>https://example.org/blog/name</loc>") ||
		!strings.Contains(sm, "<loc>https://example.org/2024/01/02/jekyll.html</loc>") {
		t.Errorf("sitemap lacks the URLs as published:\n%s", sm)
	}
}

// TestSiteWarningsReachStats checks that the loader's warnings (here a
// post moved because another has its title) are reported by the build.
func TestSiteWarningsReachStats(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":               {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n")},
		"content/posts/first.md":  {Data: []byte("---\ntitle: Weekly notes\ndate: 2024-01-01\n---\nOne.\n")},
		"content/posts/second.md": {Data: []byte("---\ntitle: Weekly notes\ndate: 2024-01-08\n---\nTwo.\n")},
	}
	out, stats := build(t, fsys, nil)
	if _, ok := out.Files()["2024/01/second/index.html"]; !ok {
		t.Error("the later post is not at the URL its file name gives")
	}
	want := "content/posts/second.md:2: URL /2024/01/weekly-notes/, from the title, is also used by content/posts/first.md"
	if len(stats.Warnings) != 1 || !strings.HasPrefix(stats.Warnings[0].String(), want) {
		t.Errorf("warnings = %q, want one starting %q", stats.Warnings, want)
	}
}
