package themes

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestDefaultThemeIsComplete(t *testing.T) {
	for _, name := range []string{"templates/base.html", "templates/_partials.html", "templates/post.html", "templates/page.html",
		"templates/list.html", "templates/tag.html", "templates/tags.html", "templates/archive.html", "templates/404.html",
		"assets/style.css", "assets/favicon.svg"} {
		if _, err := fs.Stat(Default, name); err != nil {
			t.Errorf("default theme lacks %s: %v", name, err)
		}
	}
}

func TestOverride(t *testing.T) {
	site := fstest.MapFS{
		"themes/mine/templates/post.html": {Data: []byte("{{define \"main\"}}mine{{end}}")},
		"themes/mine/assets/extra.css":    {Data: []byte("x")},
		"themes/file":                     {Data: []byte("not a dir")},
	}
	theme, err := Open(site, "mine")
	if err != nil {
		t.Fatal(err)
	}
	post, err := fs.ReadFile(theme, "templates/post.html")
	if err != nil || string(post) != "{{define \"main\"}}mine{{end}}" {
		t.Errorf("override not used: %q, %v", post, err)
	}
	base, err := fs.ReadFile(theme, "templates/base.html")
	want, _ := fs.ReadFile(Default, "templates/base.html")
	if err != nil || string(base) != string(want) {
		t.Errorf("base.html should come from the default theme: %v", err)
	}
	entries, err := fs.ReadDir(theme, "assets")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, ","); got != "extra.css,favicon.svg,search.js,style.css" {
		t.Errorf("assets = %s, want both layers merged", got)
	}
	if got := Path(theme, "templates/post.html"); got != "themes/mine/templates/post.html" {
		t.Errorf("Path of an override = %q", got)
	}
	if got := Path(theme, "templates/base.html"); got != "templates/base.html (default theme)" {
		t.Errorf("Path of a default file = %q", got)
	}
	for _, name := range []string{"missing", "file"} {
		if _, err := Open(site, name); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("Open(%q): err = %v, want an error naming it", name, err)
		}
	}
}
