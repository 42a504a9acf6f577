package render

import (
	"testing"

	"github.com/siteblog/site/content"
)

// TestCachedCardsAfterSaves shows, through cached, cards of posts that
// show every field of a post (with its body, or without, which keys them
// by their metadata alone), and the site's tags through a partial given
// a tag, in a site under a base path; after each of a sequence of saves
// of this post and others (tags taken on and off, a draft, dates across
// years and into the future, two posts swapping slugs, parameters, a
// table of contents, a rename, a removal, a static file, site.toml), the
// preview shows what a fresh build shows.
func TestCachedCardsAfterSaves(t *testing.T) {
	withBody := `{{define "card"}}<article><a href="{{.URL}}">{{.Title}}</a> {{.Permalink}} {{date .Date}} {{isodate .Date}} {{mediumdate .Updated}} {{T "min_read" .ReadingMinutes}} {{if .Draft}}D{{end}}
{{.Author.Name}} {{range .Authors}}{{.Name}}/{{.Email}} {{end}}{{with .Image}}{{.URL}} {{.Alt}}{{end}}
{{range .Tags}}<a href="{{.URL}}">{{.Name}} {{.Count}} {{.FeedURL}}</a>{{end}}
{{with .Prev}}prev {{.Title}} {{.URL}}{{end}} {{with .Next}}next {{.Title}} {{.URL}}{{end}}
{{.Summary}} {{.TOC}} {{range $k, $v := .Params}}{{$k}}={{$v}};{{end}} {{with .Params.nested}}{{.a.b}}{{end}}
</article>{{end}}`
	metaOnly := `{{define "card"}}<article><a href="{{.URL}}">{{.Title}}</a> {{date .Date}} {{T "min_read" .ReadingMinutes}} {{if .Draft}}D{{end}}
{{range .Tags}}<a href="{{.URL}}">{{.Name}} {{.Count}}</a>{{end}}
{{with .Prev}}prev {{.Title}} {{.URL}}{{end}} {{with .Next}}next {{.Title}} {{.URL}}{{end}} {{range $k, $v := .Params}}{{$k}}={{$v}};{{end}}</article>{{end}}`
	const site = "theme = \"mine\"\ntitle = \"T\"\nbase_url = \"https://example.org/blog/\"\npaginate = 2\n[feed]\nlimit = 3\n"
	for _, tc := range []struct {
		name, card string
		body       bool
	}{{"with the body", withBody, true}, {"metadata only", metaOnly, false}} {
		t.Run(tc.name, func(t *testing.T) {
			opts := PipelineOptions{Content: content.Options{Now: now, Drafts: true}}
			fsys := withTheme(frontMatterSite(), map[string]string{
				"_cards.html": tc.card + `{{define "chip"}}<b>{{.Name}} {{.Count}}</b>{{end}}`,
				"list.html":   `{{define "main"}}{{range .Posts}}{{cached "card" .}}{{end}}{{template "pager" .Pager}}{{end}}`,
				"tag.html":    `{{define "main"}}{{range .Posts}}{{cached "card" .}}{{end}}{{range .Site.Tags}}{{cached "chip" .}}{{end}}{{end}}`,
			})
			fsys["site.toml"].Data = []byte(site)
			p := builtPipeline(t, fsys, opts)
			if got, want := p.renderer.frags.uses["card"], (partialUse{true, tc.body}); got != want {
				t.Fatalf("card: %+v, want %+v", got, want)
			}
			editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
				postEdit("d.md", "title: D\ndate: 2024-03-01\ntags: [y, x]", "Delta date."),
				postEdit("a.md", "title: A\ndate: 2023-11-01\ntags: [x, y]", "Alpha apple."),
				postEdit("f.md", "title: F\ndate: 2024-05-01\ndraft: true\ntags: [x]", "Phi fig."),
				postEdit("f.md", "title: F\ndate: 2024-05-01\ntags: [x]", "Phi fig."),
				postEdit("c.md", "title: C\ndate: 2022-02-01\ntags: [x]", "Gamma cherry."),
				postEdit("c.md", "title: C\ndate: 2099-02-01\ntags: [x]", "Gamma cherry."),
				postEdit("c.md", "title: C\ndate: 2024-02-01\ntags: [x]\nslug: e", "Gamma cherry."),
				postEdit("e.md", "title: E\ndate: 2024-02-01\ntags: [x, y]\nslug: c", "Epsilon elderberry.\n\n<!--more-->\n\nMore."),
				postEdit("c.md", "title: C\ndate: 2024-02-01\ntags: [x]\nslug: c", "Gamma cherry."),
				postEdit("e.md", "title: E\ndate: 2024-04-01\ntags: [x, y]\nnested: {a: {b: 1}}", "Epsilon elderberry.\n\n<!--more-->\n\nMore."),
				postEdit("e.md", "title: E\ndate: 2024-04-01\ntags: [x, y]\nnested: {a: {b: 2}}", "Epsilon elderberry.\n\n<!--more-->\n\nMore."),
				postEdit("e.md", "title: E\ndate: 2024-04-01\ntags: [x, y]\ntoc: true", "Epsilon.\n\n## One\n\n## Two\n\n<!--more-->\n\nMore."),
				postEdit("e.md", "title: E\ndate: 2024-04-01\ntags: [x, y]\ntoc: true", "Epsilon.\n\n## One\n\n## Three\n\n<!--more-->\n\nMore words and more words."),
				postEdit("g2.md", "title: G\ndate: 2024-06-01\ntags: [x]", "Gamma grape."),
				{"content/posts/g.md", ""},
				postEdit("b.md", "title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]\nauthors: [Ann, Bob]\nimage: /pic.png", "Beta banana, see [C](/2024/02/c/)."),
				{"static/pic.png", "\x89PNG\r\n\x1a\n"},
				postEdit("b.md", "title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]\nupdated: 2024-01-05", "Beta banana, see [C](/2024/02/c/)."),
				{"site.toml", "theme = \"mine\"\ntitle = \"T\"\nbase_url = \"https://example.org/b2/\"\npaginate = 2\n[feed]\nlimit = 3\n"},
				postEdit("a.md", "title: A2\ndate: 2023-11-01\ntags: [x, y]", "Alpha apple."),
			})
		})
	}
}
