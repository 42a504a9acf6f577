package pymd_test

import (
	"testing"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/expand/expandtest"
	"github.com/siteblog/site/internal/pymd"
	"github.com/siteblog/site/render"
)

// TestTOCMatchesRenderer checks that every entry of a table of contents
// links to the heading of its name in the page the renderer makes, for
// headings whose IDs are hard: repeated, empty, clashing with listing
// anchors, holding links, code and other scripts.
func TestTOCMatchesRenderer(t *testing.T) {
	tests := []struct{ name, body string }{
		{"repeated", "[TOC]\n\n## A\n\n## A\n\n### A\n"},
		{"listing anchors", "[TOC]\n\n## Code 1\n\n    :::go\n    x := 1\n\n## Code 1 L2\n"},
		{"empty and punctuation", "[TOC]\n\n## ???\n\n## !!!\n"},
		{"inline markup", "[TOC]\n\n## See [the `docs`](https://example.org) *now*\n"},
		{"scripts", "[TOC]\n\n# Привет, мир\n\n## 日本語の見出し\n\n## Ünïcödé\n"},
		{"setext and quotes", "[TOC]\n\nTitle\n=====\n\n> ## Quoted heading\n\nSub\n---\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := expandtest.LoadSite(t, map[string]string{"content/posts/p.md": "Title: P\nDate: 2024-01-01\n\n" + tt.body}, "content/posts/p.md")
			doc := &expand.Doc{Src: append([]byte(nil), env.Pg.Body...)}
			pymd.Expand(doc, env)
			md := render.NewMarkdown(&render.Listings{LineNumbers: true}, "pass")
			r, err := md.Render(&content.Page{Path: "content/posts/p.md", Body: doc.Src})
			if err != nil {
				t.Fatal(err)
			}
			page := parseHTML(t, expand.Restore(r.Content, doc.HTML))
			toc := find(page, "div", "toc")
			if toc == nil {
				t.Fatalf("no table of contents in\n%s", r.Content)
			}
			entries := findAll(toc, "a", "")
			headings := 0
			for _, tag := range []string{"h1", "h2", "h3", "h4", "h5", "h6"} {
				headings += len(findAll(page, tag, ""))
			}
			if len(entries) != headings {
				t.Errorf("%d entries for %d headings", len(entries), headings)
			}
			for _, a := range entries {
				id := attr(a, "href")[1:]
				h := byID(page, id)
				if h == nil || textOf(h) != textOf(a) {
					t.Errorf("entry %q links to #%s, which is not that heading", textOf(a), id)
				}
			}
		})
	}
}
