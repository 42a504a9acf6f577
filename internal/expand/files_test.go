package expand

import (
	"testing"

	"github.com/siteblog/site/content"
)

// TestIndexOf checks the URLs the index gives files: static and content
// files at their output path, a bundle's resources where the renderer
// publishes them, beside a page whose URL ends in "/" or below one that
// does not (content.ResourceDir).
func TestIndexOf(t *testing.T) {
	cfg := &content.Config{BaseURL: "https://example.org/blog/"}
	site := &content.Site{
		Config: cfg,
		Files:  []content.File{{Src: "static/a.png", Dst: "a.png"}, {Src: "content/img/b.png", Dst: "img/b.png"}},
		Posts: []*content.Page{
			{Path: "content/posts/slash/index.md", URL: "/2024/05/slash/", Resources: []string{"content/posts/slash/c.png"}},
			{Path: "content/posts/ugly/index.md", URL: "/posts/ugly", Resources: []string{"content/posts/ugly/d.png"}},
		},
	}
	idx := IndexOf(site)
	for src, want := range map[string]string{
		"static/a.png":              "/blog/a.png",
		"content/img/b.png":         "/blog/img/b.png",
		"content/posts/slash/c.png": "/blog/2024/05/slash/c.png",
		"content/posts/ugly/d.png":  "/blog/posts/ugly/d.png",
	} {
		if got := idx.Files[src]; got != want {
			t.Errorf("%s: %q, want %q", src, got, want)
		}
	}
	if idx.Pages["content/posts/ugly/index.md"] == nil {
		t.Error("a page is not indexed by its path")
	}
}
