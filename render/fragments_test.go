package render

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/themes"
)

// TestCachedPartial checks the template function cached: it shows what
// {{template}} shows, executes a partial once per value until the cache
// is forgotten, and refuses values that are not pointers and names that
// are no partial.
func TestCachedPartial(t *testing.T) {
	type card struct{ Title string }
	runs := 0
	fm := template.FuncMap{"count": func() string { runs++; return "" }}
	frags := &fragments{}
	theme := fstest.MapFS{
		"templates/base.html":      {Data: []byte(`{{define "base"}}{{template "main" .}}{{end}}`)},
		"templates/_partials.html": {Data: []byte(`{{define "card"}}{{count}}<a title="{{.Title}}">{{.Title}}</a>{{end}}`)},
	}
	for _, kind := range templateKinds {
		main := `{{define "main"}}{{range .}}{{cached "card" .}}|{{template "card" .}}{{end}}{{end}}`
		theme["templates/"+kind+".html"] = &fstest.MapFile{Data: []byte(main)}
	}
	ts, _, err := parseTemplates(theme, fm, frags)
	if err != nil {
		t.Fatal(err)
	}
	a, b := &card{`<"Tom" & Jerry>`}, &card{"Two"}
	frags.start()
	var buf bytes.Buffer
	if err := ts["list"].ExecuteTemplate(&buf, "base", []*card{a, b, a}); err != nil {
		t.Fatal(err)
	}
	tom := `<a title="&lt;&#34;Tom&#34; &amp; Jerry&gt;">&lt;&#34;Tom&#34; &amp; Jerry&gt;</a>`
	two := `<a title="Two">Two</a>`
	if want := tom + "|" + tom + two + "|" + two + tom + "|" + tom; buf.String() != want {
		t.Errorf("cached and template show\n%s\nwant\n%s", buf.String(), want)
	}
	if runs != 3+2 { // {{template}} three times, cached once for a and once for b
		t.Errorf("the partial ran %d times, want 5", runs)
	}
	frags.stop()
	// Outside a build, cached keeps nothing: each call makes the card.
	for i := range 2 {
		if _, err := frags.execute("card", a); err != nil || runs != 6+i {
			t.Errorf("after the build: err %v, %d runs, want it made each time", err, runs)
		}
	}
	kept := 0
	frags.made.Range(func(any, any) bool { kept++; return true })
	if kept != 0 {
		t.Errorf("cached kept %d cards outside a build", kept)
	}

	// A partial shown with cached that uses cached fails, where it would
	// recurse until the stack overflowed.
	loop := fstest.MapFS{
		"templates/base.html":      {Data: []byte(`{{define "base"}}{{template "main" .}}{{end}}`)},
		"templates/_partials.html": {Data: []byte(`{{define "loop"}}{{.Title}}{{cached "loop" .}}{{end}}`)},
	}
	for _, kind := range templateKinds {
		loop["templates/"+kind+".html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{cached "loop" .}}{{end}}`)}
	}
	loopFrags := &fragments{}
	lts, _, err := parseTemplates(loop, fm, loopFrags)
	if err != nil {
		t.Fatal(err)
	}
	if err := lts["list"].ExecuteTemplate(&bytes.Buffer{}, "base", a); err == nil || !strings.Contains(err.Error(), "cannot use cached") {
		t.Errorf("a partial using cached within cached: %v, want an error", err)
	}

	for _, tc := range []struct {
		name string
		data any
		want string
	}{
		{"card", card{"value"}, "must be a pointer"},
		{"card", (*card)(nil), "must be a pointer"},
		{"main", a, "no such partial"},
		{"nothing", a, "no such partial"},
	} {
		if _, err := frags.execute(tc.name, tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("cached %q %T: error %v, want %q", tc.name, tc.data, err, tc.want)
		}
	}
}

// TestCachedKeyedPartials checks which partials cached keeps from build
// to build by their post's key (fragments.plan): those whose templates
// show of the post only what its key covers, followed by their fields;
// and which of them are keyed by the post's body too.
func TestCachedKeyedPartials(t *testing.T) {
	cat, _, err := loadCatalog(fstest.MapFS{}, &content.Config{Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	fm := templateFuncs(cat)
	tests := []struct {
		name    string
		partial string // defines "p"
		counts  bool   // whether posts' keys cover their tags' counts
		keyed   bool
		body    bool
	}{
		{"a title and a link", `{{define "p"}}<a href="{{.URL}}">{{.Title}}</a>{{end}}`, false, true, false},
		{"the summary", `{{define "p"}}{{.Summary}}{{end}}`, false, true, true},
		{"the content, in a template it invokes", `{{define "p"}}{{template "q" .}}{{end}}{{define "q"}}{{.Content}}{{end}}`, false, true, true},
		{"dates, words and methods", `{{define "p"}}{{date .Date}} {{.Date.Format "2006"}} {{T "min_read" .ReadingMinutes}}{{if not .Updated.IsZero}}u{{end}}{{end}}`, false, true, false},
		{"tags' names", `{{define "p"}}{{range .Tags}}{{.Name}}{{end}}{{end}}`, false, true, false},
		{"tags' counts, which posts' keys cover", `{{define "p"}}{{range .Tags}}{{.Count}}{{end}}{{end}}`, true, true, false},
		{"tags' counts, which posts' keys do not cover", `{{define "p"}}{{range .Tags}}{{.Count}}{{end}}{{end}}`, false, false, false},
		{"front matter parameters", `{{define "p"}}{{.Params.subtitle}}{{with index .Params "cover-image"}}{{.}}{{end}}{{range .Params.list}}{{.}}{{end}}{{.Params.tags}}{{.Params.when.Year}}{{range $k, $v := .Params.table}}{{$k}}={{$v}}{{end}}{{T "x" .Params}}{{end}}`, false, true, false},
		{"the post printed whole", `{{define "p"}}{{.}}{{end}}`, false, false, false},
		{"its tags printed whole", `{{define "p"}}{{printf "%v" .Tags}}{{end}}`, false, false, false},
		{"the post passed to a function", `{{define "p"}}{{T "read_more_of" .}}{{end}}`, false, false, false},
		{"a variable assigned a post's tags", `{{define "p"}}{{$t := ""}}{{$t = .Tags}}{{end}}`, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			theme, err := themes.Open(fstest.MapFS{"themes/mine/templates/_test.html": {Data: []byte(tt.partial)}}, "mine")
			if err != nil {
				t.Fatal(err)
			}
			frags := &fragments{}
			if _, _, err := parseTemplates(theme, fm, frags); err != nil {
				t.Fatal(err)
			}
			frags.plan(fm, tt.counts, cat.Digest())
			if got, want := frags.uses["p"], (partialUse{tt.keyed, tt.body}); got != want {
				t.Errorf("p: %+v, want %+v", got, want)
			}
			// The default theme's card shows the summary, and its tags'
			// names only.
			if got, want := frags.uses["post-summary"], (partialUse{true, true}); got != want {
				t.Errorf("post-summary: %+v, want %+v", got, want)
			}
		})
	}
}

// TestCachedFragmentsKept counts the partials cached executes in the
// builds of a pipeline after each kind of save: a post's card is made
// again only when what it shows changed (the post's key), so a save that
// remakes every page of a tag's list makes one card, not every card of
// those pages; each build makes what a fresh build makes; and after a
// full build, one card a post is kept, none of posts gone.
func TestCachedFragmentsKept(t *testing.T) {
	post := func(fm, body string) []byte { return []byte("---\n" + fm + "\n---\n" + body + "\n") }
	steps := []struct {
		name, file string
		data       []byte // nil: the file is removed
		runs       int64  // the cards made
	}{
		{"a tag added", "content/posts/d.md", post("title: D\ndate: 2024-03-01\ntags: [y, x]", "Delta date."), 1},
		{"a tag removed", "content/posts/d.md", post("title: D\ndate: 2024-03-01\ntags: [y]", "Delta date."), 1},
		{"a tag new to the site", "content/posts/d.md", post("title: D\ndate: 2024-03-01\ntags: [y, fresh]", "Delta date."), 1},
		{"a body", "content/posts/d.md", post("title: D\ndate: 2024-03-01\ntags: [y, fresh]", "Delta date, edited."), 1},
		{"a summary", "content/posts/d.md", post("title: D\ndate: 2024-03-01\ntags: [y, fresh]\nsummary: Of D.", "Delta date, edited."), 1},
		// Its neighbours' links to it (Prev, Next) are in their keys.
		{"a title", "content/posts/d.md", post("title: D edited\ndate: 2024-03-01\ntags: [y, fresh]\nsummary: Of D.", "Delta date, edited."), 3},
		// A full build that remakes no list.
		{"a static file", "static/notes.txt", []byte("Notes.\n"), 0},
		// A full build that remakes every page of the index: the new
		// post's card and its older neighbour's.
		{"a post added", "content/posts/h.md", post("title: H\ndate: 2024-07-01\ntags: [y]", "Eta huckleberry."), 2},
		{"a post removed", "content/posts/h.md", nil, 1},
		{"a page's front matter", "content/about.md", post("title: About us", "About [E](/2024/04/e/)."), 0},
	}
	fsys := frontMatterSite()
	opts := PipelineOptions{Content: content.Options{Now: now}}
	p := builtPipeline(t, fsys, opts)
	frags := p.renderer.frags
	if runs := frags.postRuns.Load(); runs != 7 {
		t.Errorf("the first build made %d cards, want 7: one a post", runs)
	}
	// The parts of every page that show the site alone (base.html's
	// base:site-links, base:site-feeds and base:site-footer) are made once in a build,
	// however many pages ask for them at once.
	if runs := frags.runs.Load() - frags.postRuns.Load(); runs != 3 {
		t.Errorf("the first build made the site's parts %d times, want 3: once each", runs)
	}
	for _, s := range steps {
		if s.data == nil {
			delete(fsys, s.file)
		} else {
			fsys[s.file] = &fstest.MapFile{Data: s.data}
		}
		p.Changed(s.file)
		runs := frags.postRuns.Load()
		out, _, err := p.BuildMem()
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if p.renderer.frags != frags {
			t.Fatalf("%s: a new Renderer", s.name)
		}
		if got := frags.postRuns.Load() - runs; got != s.runs {
			t.Errorf("%s: %d cards made, want %d", s.name, got, s.runs)
		}
		fresh, _, err := NewPipeline(fsys, opts).BuildMem()
		if err != nil {
			t.Fatal(err)
		}
		sameFilesAt(t, s.name, out, fresh)
	}
	// The last build was a full one: a card for each post, made for
	// its key.
	kept := 0
	frags.kept.Range(func(k, v any) bool {
		kept++
		id := k.(keptID)
		pd := p.renderer.last.posts[p.renderer.last.byPath[id.path]]
		if pd == nil {
			t.Errorf("a card of %s, which is no post", id.path)
		} else if v.(*keptFragment).post != pd.digest() {
			t.Errorf("the card of %s is another version's", id.path)
		}
		return true
	})
	if kept != len(p.renderer.last.site.Posts) {
		t.Errorf("%d cards kept, want %d", kept, len(p.renderer.last.site.Posts))
	}
	// Outside a build (the production server's /tls/ page), the partial
	// is executed every time.
	pd := p.renderer.last.posts[p.renderer.last.site.Posts[0]]
	for i := range 2 {
		runs := frags.runs.Load()
		if _, err := frags.execute("post-summary", pd); err != nil || frags.runs.Load() != runs+1 {
			t.Errorf("call %d outside a build: error %v, %d runs, want 1", i, err, frags.runs.Load()-runs)
		}
	}
}

// TestThemePartialsBesideBaseParts: a theme that overrides the default
// file by file, with partials of its own named as a theme may name
// them (site-footer, site-links), builds as it did before base.html made
// its parts of the site through cached: base.html's own are named
// base:….
func TestThemePartialsBesideBaseParts(t *testing.T) {
	fsys := withTheme(frontMatterSite(), map[string]string{
		"_mine.html": `{{define "site-footer"}}<p class="mine">{{.Site.Title}}: {{.Title}}</p>{{end}}{{define "site-links"}}{{.Kind}}{{end}}`,
		"post.html":  `{{define "main"}}{{template "site-footer" .}}{{template "site-links" .}}{{end}}`,
	})
	out, err := BuildInMemory(fsys, content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	page, ok := out.File("2024/02/c/index.html")
	if !ok {
		t.Fatal("no page of post c")
	}
	for _, want := range []string{`<p class="mine">T: C</p>post`, `<footer class="site-footer">`, `<link rel="stylesheet" href="/assets/style.`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("post c's page lacks %q", want)
		}
	}
}
