package content

import (
	"reflect"
	"testing"
)

// TestMarkdownFiles checks that every Markdown extension makes a page,
// never a copied file, and that _index.md files are section metadata.
func TestMarkdownFiles(t *testing.T) {
	fsys := site(map[string]string{
		"content/posts/2024-01-05-jekyll.markdown": "---\ntitle: Jekyll\n---\nx\n",
		"content/posts/b.mdown":                    "---\ntitle: Mdown\ndate: 2024-01-04\n---\nx\n",
		"content/posts/c.mkd":                      "---\ntitle: Mkd\ndate: 2024-01-03\n---\nx\n",
		"content/posts/d.MKDN":                     "---\ntitle: Mkdn\ndate: 2024-01-02\n---\nx\n",
		"content/posts/bundle/index.markdown":      "---\ntitle: Bundle\ndate: 2024-01-01\n---\nx\n",
		"content/posts/bundle/pic.png":             "png",
		"content/notes.markdown":                   "---\ntitle: Notes\n---\nx\n",
		"content/posts/_index.md":                  "+++\ntitle = \"Blog\"\nsort_by = \"date\"\n[extra]\nbanner = \"b.png\"\n+++\nThe blog's intro.\n",
		"content/_index.md":                        "---\n---\n",
		"content/docs/_index.markdown":             "Title: Docs\n\nx\n",
		"content/file.txt":                         "kept",
	})
	s, err := load(t, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var posts, pages []string
	for _, p := range s.Posts {
		posts = append(posts, p.Path+" "+p.URL)
	}
	for _, p := range s.Pages {
		pages = append(pages, p.Path+" "+p.URL)
	}
	wantPosts := []string{
		"content/posts/2024-01-05-jekyll.markdown /2024/01/jekyll/",
		"content/posts/b.mdown /2024/01/mdown/",
		"content/posts/c.mkd /2024/01/mkd/",
		"content/posts/d.MKDN /2024/01/mkdn/",
		"content/posts/bundle/index.markdown /2024/01/bundle/",
	}
	if !reflect.DeepEqual(posts, wantPosts) {
		t.Errorf("posts = %q\nwant %q", posts, wantPosts)
	}
	if want := []string{"content/notes.markdown /notes/"}; !reflect.DeepEqual(pages, want) {
		t.Errorf("pages = %q, want %q", pages, want)
	}
	if want := []File{{"content/file.txt", "file.txt"}}; !reflect.DeepEqual(s.Files, want) {
		t.Errorf("files = %v, want %v (no Markdown source)", s.Files, want)
	}
	if got := s.Posts[4].Resources; !reflect.DeepEqual(got, []string{"content/posts/bundle/pic.png"}) {
		t.Errorf("index.markdown bundle resources = %q", got)
	}
	var dirs []string
	for dir := range s.Sections {
		dirs = append(dirs, dir)
	}
	if len(s.Sections) != 3 || s.Sections[""] == nil || s.Sections["posts"] == nil || s.Sections["docs"] == nil {
		t.Fatalf("sections = %q, want \"\", posts, docs", dirs)
	}
	blog := s.Sections["posts"]
	if blog.Title != "Blog" || blog.Params["sort_by"] != "date" || string(blog.Body) == "" {
		t.Errorf("posts section = %+v", blog.Meta)
	}
	if extra, _ := blog.Params["extra"].(map[string]any); extra["banner"] != "b.png" {
		t.Errorf("posts section params = %v", blog.Params)
	}
	if s.Sections["docs"].Title != "Docs" {
		t.Errorf("docs section title = %q", s.Sections["docs"].Title)
	}
}

func TestIsMarkdown(t *testing.T) {
	for name, want := range map[string]bool{
		"a.md": true, "a.markdown": true, "a.mdown": true, "a.mkd": true, "a.mkdn": true, "A.MD": true,
		"a.txt": false, "a.html": false, "md": false, "a.md.bak": false, "a.mdx": false,
	} {
		if got := IsMarkdown(name); got != want {
			t.Errorf("IsMarkdown(%q) = %v, want %v", name, got, want)
		}
	}
}
