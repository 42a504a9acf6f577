package enginetest

import (
	"path/filepath"
	"reflect"
	"testing"
)

// The rules that compare-blog uses for real Zola and Go blogs agree with
// the fixtures' hand-written EXPECTED.json on what they predict.
func TestExpectFromRules(t *testing.T) {
	for _, engine := range []string{"zola", "goblog"} {
		t.Run(engine, func(t *testing.T) {
			fx, err := LoadFixture(filepath.Join("testdata", engine))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ExpectFromRules(engine, fx.Dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(fx.Expected) {
				t.Fatalf("rules found %d posts, EXPECTED.json has %d", len(got), len(fx.Expected))
			}
			for i, w := range fx.Expected {
				g := got[i]
				short := Post{Source: w.Source, URL: w.URL, Day: w.Day, Title: w.Title, Authors: nonNil(w.Authors), Partial: true}
				if !reflect.DeepEqual(&short, g) {
					t.Errorf("rules: %+v\nwant     %+v", *g, short)
				}
			}
		})
	}
}

func TestZolaSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Hello World":    "hello-world",
		"Keep.Case":      "keep-case",
		"  a--b  ":       "a-b",
		"Rust 1.80.0":    "rust-1-80-0",
		"already-a-slug": "already-a-slug",
	} {
		if got := zolaSlug(in); got != want {
			t.Errorf("zolaSlug(%q) = %q, want %q", in, got, want)
		}
	}
}
