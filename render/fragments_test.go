package render

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
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
	frags.start(Key{})
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
