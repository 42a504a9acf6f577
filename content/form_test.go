package content

import (
	"maps"
	"testing"
)

func TestFormOf(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want Form
	}{
		{"---\ntitle: T\n---\n", YAMLForm},
		{"--- \r\ntitle: T\r\n---\r\n", YAMLForm},
		{"\xef\xbb\xbf+++\ntitle = \"T\"\n+++\n", TOMLForm},
		{"+++", TOMLForm},
		{"Title: T\nDate: 2024-03-10\n", PelicanForm},
		{"slug: x\ntitle: T\n", PelicanForm},
		{"Title : T\n", NoFrontMatter},    // no key line for Python-Markdown
		{"    Title: T\n", NoFrontMatter}, // an indented code block
		{"   Title: T\n", PelicanForm},
		{"Note: prose, not a header\n", NoFrontMatter},
		{"# A heading\n", NoFrontMatter},
		{"{\n  \"title\": \"T\"\n}\n", JSONForm},
		{"\xef\xbb\xbf\n {\"title\": \"T\"}", JSONForm},
		{"{}\nBody.\n", JSONForm},
		{"{{< figure src=\"a.png\" >}}\n", NoFrontMatter}, // a shortcode, not JSON
		{"{% include note.html %}\n", NoFrontMatter},
		{"{: .lead}\nText.\n", NoFrontMatter},
		{"", NoFrontMatter},
	} {
		if got := formOf([]byte(tt.src)); got != tt.want {
			t.Errorf("formOf(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

// TestPageForm checks that pages and sections record their front
// matter's form.
func TestPageForm(t *testing.T) {
	s, err := load(t, siteWith("", map[string]string{
		"content/posts/y.md":      "---\ntitle: Y\ndate: 2024-03-10\n---\n",
		"content/posts/t.md":      "+++\ntitle = \"T\"\ndate = 2024-03-10\n+++\n",
		"content/posts/p.md":      "Title: P\nDate: 2024-03-10\n\nBody.\n",
		"content/posts/j.md":      "{\"title\": \"J\", \"date\": \"2024-03-10\"}\nBody.\n",
		"content/posts/_index.md": "Title: Posts\n",
	}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Form{"content/posts/y.md": YAMLForm, "content/posts/t.md": TOMLForm, "content/posts/p.md": PelicanForm, "content/posts/j.md": JSONForm}
	for _, pg := range s.All() {
		if pg.Form != want[pg.Path] {
			t.Errorf("%s: Form = %v, want %v", pg.Path, pg.Form, want[pg.Path])
		}
	}
	if sec := s.Sections["posts"]; sec == nil || sec.Form != PelicanForm {
		t.Errorf("section posts: %+v, want Pelican's form", sec)
	}
}

func TestFrontMatterKeys(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want map[string]int
	}{
		{"---\nTitle: T\ndate: 2024-01-01\n---\nBody.\n", map[string]int{"title": 2, "date": 3}},
		{"\n+++\ntitle = 'T'\n[extra]\nx = 1\n+++\n", map[string]int{"title": 3, "extra": 4}},
		{"{\n  \"title\": \"T\",\n  \"Date\": \"2024-01-01\"\n}\n", map[string]int{"title": 2, "date": 3}},
		{"Title: T\nDate: 2024-01-01\n\nBody.\n", map[string]int{"title": 1, "date": 2}},
		{"# Prose\n", nil},
		{"---\ntitle: [unclosed\n---\n", nil},
	} {
		if got := FrontMatterKeys([]byte(tt.src)); !maps.Equal(got, tt.want) {
			t.Errorf("FrontMatterKeys(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}
