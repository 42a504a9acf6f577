package render

import (
	"reflect"
	"testing"
	"testing/fstest"
	"text/template/parse"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/themes"
)

func keyTestPost(title string) *PostData {
	tag := &TagData{Name: "go", URL: "/tags/go/", FeedURL: "/tags/go/feed.xml", Count: 3}
	p := &PostData{
		Title: title, URL: "/" + title + "/", Permalink: "https://example.org/" + title + "/",
		Date:    time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		Updated: time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC),
		Author:  Author{Name: "Ann", Email: "ann@example.org"},
		Authors: []Author{{Name: "Ann", Email: "ann@example.org"}},
		Params:  map[string]any{"subtitle": "s", "extra": map[string]any{"n": int64(1)}},
		Tags:    []*TagData{tag}, ReadingMinutes: 2,
		Image: &Image{URL: "https://example.org/" + title + "/a.png", Alt: "a"},
		Prev:  &Link{Title: "older", URL: "/older/"}, Next: &Link{Title: "newer", URL: "/newer/"},
		key: Key{1}, tagCounts: true,
	}
	return p
}

func keyTestPage(kind string) *PageData {
	return &PageData{
		Kind: kind, Title: "T", Description: "D", URL: "/u/", Permalink: "https://example.org/u/", FeedURL: "/feed.xml",
		Image: &Image{URL: "https://example.org/card.png", Alt: "A card"},
		Post:  keyTestPost("post"),
		Posts: []*PostData{keyTestPost("listed")},
		Pager: &Pager{Number: 2, Total: 3, Prev: "/", Next: "/page/3/", Pages: []PagerLink{{Number: 1, URL: "/", Current: true}, {Gap: true}}},
		Tag:   &TagData{Name: "go", URL: "/tags/go/", FeedURL: "/tags/go/feed.xml", Count: 3},
		Years: []*YearData{{Year: 2024, Posts: []*PostData{keyTestPost("archived")}}},
	}
}

// TestKeysCoverData changes every field templates can reach from a page's
// data, one at a time, and checks that the page's key changes: a field the
// hand-written key encoding misses fails here.
func TestKeysCoverData(t *testing.T) {
	b := &builder{Renderer: &Renderer{
		tmplKeys: map[string]Key{"list": {7}, "archive": {8}},
		tmplBody: map[string]bool{"list": true, "archive": false},
	}}
	for _, kind := range []string{"list", "archive"} {
		d := keyTestPage(kind)
		base := b.pageKey("u/index.html", d)
		changed := 0
		var visit func(v reflect.Value, path string)
		// A post's keys are made once: a build makes those of a post it
		// changed anew (resetKeys), and notes it (keysReset), for the
		// digests kept of its year.
		changedPosts := func() {
			resetKeys(d.Post)
			for _, p := range d.Posts {
				resetKeys(p)
			}
			for _, y := range d.Years {
				for _, p := range y.Posts {
					resetKeys(p)
					b.keysReset(p)
				}
			}
		}
		check := func(path string, change, restore func()) {
			change()
			changedPosts()
			if b.pageKey("u/index.html", d) == base {
				t.Errorf("%s page: changing %s leaves the key unchanged", kind, path)
			}
			restore()
			changedPosts()
			if b.pageKey("u/index.html", d) != base {
				t.Fatalf("%s page: restoring %s does not restore the key", kind, path)
			}
			changed++
		}
		visit = func(v reflect.Value, path string) {
			switch v.Kind() {
			case reflect.Pointer:
				if v.IsNil() {
					t.Fatalf("%s is nil in the test data: fill it in", path)
				}
				visit(v.Elem(), path)
			case reflect.Slice:
				if v.Len() == 0 {
					t.Fatalf("%s is empty in the test data: fill it in", path)
				}
				visit(v.Index(0), path+"[0]")
			case reflect.Struct:
				if tm, ok := v.Addr().Interface().(*time.Time); ok {
					old := *tm
					check(path, func() { *tm = old.Add(time.Nanosecond) }, func() { *tm = old })
					check(path+" zone", func() { *tm = old.In(time.FixedZone("X", 0)) }, func() { *tm = old })
					return
				}
				for i := range v.NumField() {
					f := v.Type().Field(i)
					if !f.IsExported() || f.Name == "Site" || f.Name == "TLS" { // Site is in the site key; TLS is only on the "tls" page, rendered on demand and never built
						continue
					}
					visit(v.Field(i), path+"."+f.Name)
				}
			case reflect.Map:
				if v.Len() == 0 {
					t.Fatalf("%s is empty in the test data: fill it in", path)
				}
				k := reflect.ValueOf("key-test")
				check(path, func() { v.SetMapIndex(k, reflect.ValueOf(true)) }, func() { v.SetMapIndex(k, reflect.Value{}) })
				for _, key := range v.MapKeys() {
					old := v.MapIndex(key)
					check(path+"["+key.String()+"]", func() { v.SetMapIndex(key, reflect.ValueOf("changed")) }, func() { v.SetMapIndex(key, old) })
				}
			case reflect.String:
				old := v.String()
				check(path, func() { v.SetString(old + "x") }, func() { v.SetString(old) })
			case reflect.Int:
				old := v.Int()
				check(path, func() { v.SetInt(old + 1) }, func() { v.SetInt(old) })
			case reflect.Bool:
				old := v.Bool()
				check(path, func() { v.SetBool(!old) }, func() { v.SetBool(old) })
			default:
				t.Errorf("%s: the key test does not know %s values; teach it and the key encoding", path, v.Kind())
			}
		}
		visit(reflect.ValueOf(d), "PageData")
		if changed < 40 {
			t.Errorf("%s page: only %d fields changed", kind, changed)
		}

		// The rendered body: it counts for the page's own post always, and
		// for listed posts where the kind's templates show it.
		d.Post.key = Key{2}
		changedPosts()
		if b.pageKey("u/index.html", d) == base {
			t.Errorf("%s page: its post's body is not in its key", kind)
		}
		d.Post.key = Key{1}
		d.Posts[0].key, d.Years[0].Posts[0].key = Key{2}, Key{2}
		changedPosts()
		if got := b.pageKey("u/index.html", d) != base; got != b.tmplBody[kind] {
			t.Errorf("%s page: a listed post's body changes its key: %v, want %v", kind, got, b.tmplBody[kind])
		}
	}
}

func TestShowsBody(t *testing.T) {
	parseSet := func(texts ...string) func(string) *parse.Tree {
		trees := map[string]*parse.Tree{}
		for i, text := range texts {
			ts, err := parse.Parse("t"+string(rune('0'+i)), text, "{{", "}}", map[string]any{"date": func() {}, "index": func() {}, "cached": func() {}})
			if err != nil {
				t.Fatal(err)
			}
			for name, tree := range ts {
				trees[name] = tree
			}
		}
		return func(name string) *parse.Tree { return trees[name] }
	}
	for _, tc := range []struct {
		texts []string
		want  bool
	}{
		{[]string{`{{define "base"}}{{range .Posts}}{{.Title}} {{date .Date}}{{end}}{{end}}`}, false},
		{[]string{`{{define "base"}}{{range .Posts}}{{.Summary}}{{end}}{{end}}`}, true},
		{[]string{`{{define "base"}}{{with .Post}}{{.Content}}{{end}}{{end}}`}, true},
		{[]string{`{{define "base"}}{{range $p := .Posts}}{{$p.Summary}}{{end}}{{end}}`}, true},
		{[]string{`{{define "base"}}{{(index .Posts 0).Content}}{{end}}`}, true},
		{[]string{`{{define "base"}}{{template "card" .}}{{end}}`, `{{define "card"}}{{if .Posts}}{{else}}{{.Summary}}{{end}}{{end}}`}, true},
		{[]string{`{{define "base"}}{{template "card" .}}{{end}}`, `{{define "card"}}{{.Title}}{{end}}{{define "unused"}}{{.Summary}}{{end}}`}, false},
		{[]string{`{{define "base"}}{{template "base" .}}{{end}}`}, false}, // recursion ends
		{[]string{`{{define "base"}}{{range .Posts}}{{cached "card" .}}{{end}}{{end}}`, `{{define "card"}}{{.Summary}}{{end}}`}, true},
		{[]string{`{{define "base"}}{{range .Posts}}{{cached "card" .}}{{end}}{{end}}`, `{{define "card"}}{{.Title}}{{end}}`}, false},
		{[]string{`{{define "base"}}{{$n := "card"}}{{range .Posts}}{{cached $n .}}{{end}}{{end}}`, `{{define "card"}}{{.Title}}{{end}}`}, true},
	} {
		set := parseSet(tc.texts...)
		if got := showsBody(set, set, "base"); got != tc.want {
			t.Errorf("showsBody(%q) = %v, want %v", tc.texts, got, tc.want)
		}
	}

	// cached executes the partial of the shared files, not a kind's own
	// definition of the same name.
	kind := parseSet(`{{define "base"}}{{range .Posts}}{{cached "card" .}}{{end}}{{end}}`, `{{define "card"}}{{.Title}}{{end}}`)
	shared := parseSet(`{{define "card"}}{{.Summary}}{{end}}`)
	if !showsBody(kind, shared, "base") {
		t.Error("showsBody follows a kind's own card, not the shared one that cached shows")
	}

	theme, err := themes.Open(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	cat, _, err := loadCatalog(fstest.MapFS{}, &content.Config{Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	frags := &fragments{}
	ts, _, err := parseTemplates(theme, templateFuncs(cat), frags)
	if err != nil {
		t.Fatal(err)
	}
	shows := ts.showBody(frags)
	for kind, want := range map[string]bool{"post": true, "page": true, "list": true, "tag": true, "archive": false, "tags": false, "404": false} {
		if shows[kind] != want {
			t.Errorf("default theme: %s shows bodies = %v, want %v", kind, shows[kind], want)
		}
	}
}
