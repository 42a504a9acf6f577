package render

import (
	"html/template"
	"testing"
	"text/template/parse"

	"github.com/siteblog/site/content"
)

// TestTagUse checks what the analysis of templates finds they may show
// of the site's tags, for templates that show them in the ways a
// template can, and some that do not.
func TestTagUse(t *testing.T) {
	fm := template.FuncMap{"T": func(string, ...any) string { return "" }, "date": func(any) string { return "" },
		"cached": func(string, any) template.HTML { return "" }}
	tests := []struct {
		name, main string
		want       tagUse
	}{
		{"nothing", `{{.Title}}{{range .Posts}}{{.Title}}{{range .Tags}}{{.Name}}{{end}}{{end}}`, tagUse{}},
		{"the page's own tag", `{{with .Tag}}{{.Name}} {{T "n" .Count}}{{end}}`, tagUse{}},
		{"the site's tags", `{{range .Site.Tags}}{{.Name}}{{end}}`, tagUse{siteTags: true}},
		{"the site's tags from the root", `{{range .Posts}}{{len $.Site.Tags}}{{end}}`, tagUse{siteTags: true}},
		{"the site, then its tags", `{{with .Site}}{{range .Tags}}{{.Count}}{{end}}{{end}}`, tagUse{siteTags: true}},
		{"a post's tags' counts", `{{range .Post.Tags}}{{.Count}}{{end}}`, tagUse{postTagCount: true}},
		{"in a variable", `{{$t := .Post.Tags}}{{range $i, $x := $t}}{{$x.Count}}{{end}}`, tagUse{postTagCount: true}},
		{"through a template", `{{range .Posts}}{{template "tags" .Tags}}{{end}}`, tagUse{postTagCount: true}},
		{"through a cached partial", `{{range .Posts}}{{cached "tags" .Tags}}{{end}}`, tagUse{postTagCount: true}},
		{"a cached partial that shows names", `{{range .Posts}}{{cached "names" .Tags}}{{end}}`, tagUse{}},
		{"through index", `{{(index .Post.Tags 0).Count}}`, tagUse{postTagCount: true}},
		{"through or", `{{with or .Post.Tags .Post.Tags}}{{range .}}{{.Count}}{{end}}{{end}}`, tagUse{postTagCount: true}},
		{"the site printed", `{{.Site}}`, tagUse{true, true}},
		{"a post given to a function", `{{T "x" .Post}}`, tagUse{true, true}},
		{"the structured data", `{{.StructuredData}}`, tagUse{}},
		{"dates and counts", `{{date .Post.Date}}{{len .Posts}}{{if eq (len .Posts) 1}}one{{end}}`, tagUse{}},
		// A post's front matter parameters are plain data, which hold no
		// tag, whatever their keys are called.
		{"a post's parameters", `{{.Post.Params.x.Count}}{{range .Post.Params.tags}}{{.Count}}{{end}}{{T "x" .Post.Params}}{{.Post.Params}}`, tagUse{}},
		{"the site's parameters", `{{.Site.Params.x.Count}}`, tagUse{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := template.Must(template.New("x").Funcs(fm).Parse(`{{define "base"}}<main>{{template "main" .}}</main>{{end}}` +
				`{{define "tags"}}{{range .}}{{.Count}}{{end}}{{end}}{{define "names"}}{{range .}}{{.Name}}{{end}}{{end}}{{define "main"}}` + tt.main + `{{end}}`))
			lookup := func(name string) *parse.Tree {
				if d := set.Lookup(name); d != nil {
					return d.Tree
				}
				return nil
			}
			got := tagUseOf(lookup, lookup, fm)
			if got != tt.want {
				t.Errorf("%+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestTagUseDefaultTheme checks what the default theme's templates show
// of the site's tags: the list of tags on the page of tags only, and no
// post's tags' counts, so a post that takes a tag on remakes that tag's
// pages and the page of tags, not every page that shows a tagged post.
func TestTagUseDefaultTheme(t *testing.T) {
	fsys := frontMatterSite()
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r.postTagCounts {
		t.Error("the default theme may show the counts of a post's tags")
	}
	for kind, use := range r.tagUse {
		if kind == "tls" { // made on demand, never keyed
			continue
		}
		if want := kind == "tags"; use.siteTags != want {
			t.Errorf("%s: shows the site's tags: %v, want %v", kind, use.siteTags, want)
		}
	}
}
