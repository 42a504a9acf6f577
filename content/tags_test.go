package content

import (
	"reflect"
	"strings"
	"testing"
)

func TestTagSlug(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"C", "c"},
		{"C++", "c-plus-plus"},
		{"c++", "c-plus-plus"},
		{"C#", "c-sharp"},
		{"F#", "f-sharp"},
		{".NET", "dotnet"},
		{"ASP.NET", "asp-net"},
		{"Notepad++", "notepad-plus-plus"},
		{"C# 12", "c-sharp-12"},
		{"#hashtag", "hashtag"},
		{"+1", "1"},
		{"Go", "go"},
		{"Static Sites", "static-sites"},
		{"Café", "café"},
		{"node.js", "node-js"},
		{"!!!", ""},
	} {
		if got := TagSlug(tt.in); got != tt.want {
			t.Errorf("TagSlug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTagCollisions checks that tags that only looked alike stay apart,
// that spellings of one tag merge, and that no post is listed twice.
func TestTagCollisions(t *testing.T) {
	fsys := site(map[string]string{
		"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [C, C++, C#]\n---\nx\n",
		"content/posts/b.md": "---\ntitle: B\ndate: 2024-01-02\ntags: [c, Go, go, GO]\n---\nx\n",
		"content/posts/c.md": "---\ntitle: C\ndate: 2024-01-03\ntags: [go lang, go-lang, Go Lang]\ncategories: [C++]\n---\nx\n",
		"content/posts/d.md": "Title: D\nDate: 2024-01-04\nTags: .NET, C#, c#\n\nx\n",
	})
	s, err := load(t, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tag := range s.Tags {
		var ps []string
		for _, p := range tag.Posts {
			ps = append(ps, p.Title)
		}
		got = append(got, tag.Slug+"("+tag.Name+")="+strings.Join(ps, ","))
	}
	want := []string{
		"c(C)=B,A",
		"c-plus-plus(C++)=C,A",
		"c-sharp(C#)=D,A",
		"dotnet(.NET)=D",
		"go(Go)=B",
		"go-lang(go lang)=C",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tags =\n%q\nwant\n%q", got, want)
	}
	for _, p := range s.Posts {
		seen := map[*Tag]bool{}
		for _, tag := range p.Tags {
			if seen[tag] {
				t.Errorf("%s lists tag %s twice", p.Title, tag.Slug)
			}
			seen[tag] = true
		}
	}
}

// TestFolderCategory: a post in Pelican's form that names no category is
// tagged with the directory it is in below its section, as Pelican
// categorizes it, when the site's taxonomies read category.
func TestFolderCategory(t *testing.T) {
	tests := []struct {
		name, taxonomies, file, src string
		want                        []string
	}{
		{"folder", "", "content/posts/articles/a.md", "Title: A\nDate: 2024-01-01\nTags: go\n\nx\n", []string{"go", "articles"}},
		{"the folder it is in", "", "content/posts/2014/Dev Notes/a.md", "Title: A\nDate: 2024-01-01\n\nx\n", []string{"Dev Notes"}},
		{"category given", "", "content/posts/2014/a.md", "Title: A\nDate: 2024-01-01\nCategory: pwn\n\nx\n", []string{"pwn"}},
		{"directly in the section", "", "content/posts/a.md", "Title: A\nDate: 2024-01-01\n\nx\n", nil},
		{"YAML front matter", "", "content/posts/articles/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n", nil},
		{"category not a taxonomy", "taxonomies = ['tags']\n", "content/posts/articles/a.md", "Title: A\nDate: 2024-01-01\n\nx\n", nil},
		{"pelican import", "taxonomies = ['tags', 'category']\n", "content/posts/articles/a.md", "Title: A\nDate: 2024-01-01\n\nx\n", []string{"articles"}},
		{"standalone page", "", "content/pages/a.md", "Title: A\n\nx\n", nil},
	}
	for _, tt := range tests {
		fsys := site(map[string]string{tt.file: tt.src})
		fsys["site.toml"].Data = append(fsys["site.toml"].Data, tt.taxonomies...)
		s, err := load(t, fsys, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []string
		for _, pg := range s.All() {
			if pg.Path == tt.file {
				got = pg.Meta.Tags
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: tags %q, want %q", tt.name, got, tt.want)
		}
	}
}
