package zola_test

import (
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/expand/expandtest"
	"github.com/siteblog/site/internal/hugo"
	"github.com/siteblog/site/internal/zola"
)

// TestGolden runs testdata/*.txt: Zola posts written for this project,
// expanded, with the user shortcodes of shortcodeFiles.
func TestGolden(t *testing.T) {
	ts, err := hugo.ParseTemplates(shortcodeFiles, "shortcodes")
	if err != nil {
		t.Fatal(err)
	}
	expandtest.RunGolden(t, "*.txt", func(doc *expand.Doc, env expand.Env) {
		zola.Expand(doc, templateEnv{env, ts})
	})
}

// shortcodeFiles are user shortcodes as a writer ports Zola's to this
// project's templates.
var shortcodeFiles = fstest.MapFS{
	"shortcodes/note.html":    {Data: []byte(`<div class="note {{ .Get "kind" }}">{{ .Inner | markdownify }}</div>`)},
	"shortcodes/quote.html":   {Data: []byte(`<blockquote>{{ .Inner | markdownify }}<p>— {{ .Get "author" }}</p></blockquote>`)},
	"shortcodes/gallery.html": {Data: []byte(`<div class="gallery">{{ range split (.Get "images") "," }}<img src="{{ . }}">{{ end }}</div>`)},
	"shortcodes/args.html":    {Data: []byte(`<span>{{ range $k, $v := .Params }}{{ $k }}=[{{ $v }}] {{ end }}line {{ .Position }}</span>`)},
	"shortcodes/url.html":     {Data: []byte(`{{ .Get "to" }}`)},
	"shortcodes/broken.html":  {Data: []byte(`{{ template "nowhere" . }}`)},
}

// templateEnv runs user shortcodes from ts.
type templateEnv struct {
	expand.Env
	ts *hugo.Templates
}

func (e templateEnv) Shortcode(name string, call expand.Call) (string, bool, error) {
	return e.ts.Run(name, call, e)
}

func TestApplies(t *testing.T) {
	for src, want := range map[string]bool{
		"plain text":                  false,
		"mail me@/x, or npm @/scope":  false,
		"[a](@/blog/a.md)":            true,
		"[a]( @/blog/a.md)":           true,
		"[a](<@/blog/a.md>)":          true,
		"[a]: @/a.md":                 true,
		"[a]:\t@/a.md":                true,
		`<a href="@/a.md">`:           true,
		`<a href='@/a.md'>`:           true,
		`<a href= @/a.md>`:            true,
		"see @/ later, then [a](@/b)": true,
		"@/ at the start":             false,
	} {
		if got := zola.Applies([]byte(src)); got != want {
			t.Errorf("Applies(%q) = %v, want %v", src, got, want)
		}
	}
}

// TestUntouched checks that a body without an internal link comes out as
// it went in, with no warning, even when it holds "@/" elsewhere.
func TestUntouched(t *testing.T) {
	files := map[string]string{
		"content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2024-03-10\n+++\n\nImport `@/components/x.vue` as `import X from \"@/x\"`.\n\n    const y = require('@/y')\n",
	}
	env := expandtest.LoadSite(t, files, "content/posts/a.md")
	doc := &expand.Doc{Src: append([]byte(nil), env.Pg.Body...)}
	zola.Expand(doc, env)
	if string(doc.Src) != string(env.Pg.Body) || len(doc.Warnings) > 0 {
		t.Errorf("changed:\n%s\nwarnings: %v", doc.Src, doc.Warnings)
	}
}

func TestHasShortcode(t *testing.T) {
	for src, want := range map[string]bool{
		"plain text":                     false,
		"a {brace} and {{ page.title }}": false,
		"{% if x %}{% endif %}":          false,
		"{{< youtube x >}} {{% note %}}": false,
		"{ {x()}":                        false,
		"ends with {{":                   false,
		`{{ youtube(id="x") }}`:          true,
		"{{youtube()}}":                  true,
		"{%\n  note (kind='a') %}":       true,
		"{{/* youtube() */}}":            true,
		"{%/* note() */%}x{%/* end */%}": true,
		"{{ 1(x) }} {{ _a1 (":            true,
	} {
		if got := zola.HasShortcode([]byte(src)); got != want {
			t.Errorf("HasShortcode(%q) = %v, want %v", src, got, want)
		}
	}
}
