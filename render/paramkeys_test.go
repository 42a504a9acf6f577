package render

import (
	"fmt"
	"testing"
	"time"

	"github.com/siteblog/site/content"
)

// Front matter parameters that print the same with %v but differ in
// type (an integer made a float) or in a time's offset, shown by a card
// that cached keeps and by the post's page: each save shows what a fresh
// build shows.
func TestCachedParamsTypes(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := withTheme(frontMatterSite(), map[string]string{
		"_cards.html": `{{define "card"}}<p><a href="{{.URL}}">{{.Title}}</a> {{with .Params.rating}}{{printf "%.1f" .}}{{end}} {{with .Params.when}}{{.}}{{end}}</p>{{end}}`,
		"list.html":   `{{define "main"}}{{range .Posts}}{{cached "card" .}}{{end}}{{end}}`,
		"post.html":   `{{define "main"}}{{with .Post}}<h1>{{.Title}}</h1>{{with .Params.rating}}{{printf "%T" .}}{{end}} {{with .Params.when}}{{isodate .}}{{end}}{{.Content}}{{end}}{{end}}`,
	})
	editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [x]\nrating: 4", "Gamma grape.")},
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [x]\nrating: 4.0", "Gamma grape.")},
		{"content/posts/f.md", "+++\ntitle = \"F\"\ndate = 2024-05-01\nwhen = 2024-01-01T10:00:00+01:00\n+++\nPhi fig.\n"},
		{"content/posts/f.md", "+++\ntitle = \"F\"\ndate = 2024-05-01\nwhen = 2024-01-01T10:00:00+02:00\n+++\nPhi fig.\n"},
	})
}

// site.toml's [params] and a section's front matter parameters that
// print the same with %v but differ in type or a time's offset.
func TestSiteParamsTypes(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := withTheme(frontMatterSite(), map[string]string{
		"list.html": `{{define "main"}}{{printf "%T" .Site.Params.rating}} {{with .Site.Sections}}{{with index . "posts"}}{{printf "%T" .Params.rating}} {{.Params.when}}{{end}}{{end}}{{end}}`,
	})
	toml := string(fsys["site.toml"].Data)
	editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
		{"site.toml", toml + "[params]\nrating = 4\n"},
		{"site.toml", toml + "[params]\nrating = 4.0\n"},
		{"content/posts/_index.md", "+++\ntitle = \"Posts\"\nrating = 4\nwhen = 2024-01-01T10:00:00+01:00\n+++\n"},
		{"content/posts/_index.md", "+++\ntitle = \"Posts\"\nrating = 4.0\nwhen = 2024-01-01T10:00:00+01:00\n+++\n"},
		{"content/posts/_index.md", "+++\ntitle = \"Posts\"\nrating = 4.0\nwhen = 2024-01-01T10:00:00+02:00\n+++\n"},
	})
}

// TestParamsText checks that front matter values a template tells apart
// are keyed apart, and that a table is keyed by its contents, not the
// order it was filled in.
func TestParamsText(t *testing.T) {
	plus1, plus2 := time.FixedZone("", 3600), time.FixedZone("", 7200)
	at := func(loc *time.Location) time.Time { return time.Date(2024, 1, 1, 10, 0, 0, 0, loc) }
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	differ := []struct {
		name string
		a, b any
	}{
		{"an integer and a float", int64(1), float64(1)},
		{"a number and a string", int64(1), "1"},
		{"a boolean and a string", true, "true"},
		{"offsets of unnamed zones", at(plus1), at(plus2)},
		{"an instant in two zones", at(time.UTC), at(time.UTC).In(plus1)},
		{"a named zone and an unnamed one of its offset", at(berlin), at(berlin).In(plus1)},
		{"nanoseconds", at(time.UTC), at(time.UTC).Add(time.Nanosecond)},
		{"a list and a string", []any{"a"}, "a"},
		{"lists of an integer and a float", []any{int64(2)}, []any{float64(2)}},
		{"lists split differently", []any{"a,b"}, []any{"a", "b"}},
		{"nested tables", map[string]any{"a": map[string]any{"b": int64(1)}}, map[string]any{"a": map[string]any{"b": float64(1)}}},
		{"a key with a colon", map[string]any{"a:b": "c"}, map[string]any{"a": "b:c"}},
		{"nil and a string", nil, "<nil>"},
	}
	for _, tt := range differ {
		a, b := paramsText(map[string]any{"x": tt.a}), paramsText(map[string]any{"x": tt.b})
		if a == b {
			t.Errorf("%s: both keyed %s", tt.name, a)
		}
	}
	one := map[string]any{}
	two := map[string]any{}
	for i := range 20 {
		one[fmt.Sprint("k", i)] = int64(i)
		two[fmt.Sprint("k", 19-i)] = int64(19 - i)
	}
	if paramsText(one) != paramsText(two) {
		t.Errorf("one table keyed two ways:\n%s\n%s", paramsText(one), paramsText(two))
	}
}
