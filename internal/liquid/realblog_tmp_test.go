package liquid

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/expand"
)

func TestRealJekyllNews(t *testing.T) {
	root := "/tmp/jnews/docs"
	files := map[string]string{"site.toml": "title = \"Jekyll\"\nbase_url = \"https://jekyllrb.com/\"\npermalink = \"/news/:year/:month/:day/:slug/\"\n[params]\nrepository = \"jekyll/jekyll\"\n"}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		data, _ := os.ReadFile(p)
		switch {
		case strings.HasPrefix(rel, "_posts/"):
			data = []byte(strings.Replace(string(data), "2023-01-29 18:30:22 2023 -0800", "2023-01-29 18:30:22 -0800", 1))
			base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(rel), ".markdown"), ".md")
			files["content/posts/"+base+".md"] = string(data)
		case strings.HasPrefix(rel, "_docs/") && strings.HasSuffix(rel, ".md") && strings.HasPrefix(string(data), "---") && !strings.HasPrefix(string(data), "---\n---") && strings.Contains(string(data), "\ntitle:"):
			files["content/docs/"+strings.TrimPrefix(rel, "_docs/")] = string(data)
		case strings.HasPrefix(rel, "_includes/"), strings.HasPrefix(rel, "_data/"):
			files[rel] = string(data)
		}
		return nil
	})
	var first string
	for k := range files {
		if strings.HasPrefix(k, "content/posts/") {
			first = k
			break
		}
	}
	env := newFakeEnv(t, files, first)
	start := time.Now()
	n, ran, warned := 0, 0, 0
	for _, p := range env.site.All() {
		n++
		e := *env
		e.page = p
		doc := &expand.Doc{Src: append([]byte{}, p.Body...)}
		Expand(doc, &e)
		if string(doc.Src) != string(p.Body) {
			ran++
		}
		if len(doc.Warnings) > 0 {
			warned++
			for _, w := range doc.Warnings {
				t.Logf("%s:%s", p.Path, w)
			}
		}
		if strings.Contains(show(doc), "(#)") || strings.Contains(show(doc), "{%") {
			t.Logf("suspicious %s", p.Path)
		}
		if os.Getenv("SHOW") != "" && strings.Contains(p.Path, os.Getenv("SHOW")) {
			t.Logf("%s", show(doc))
		}
	}
	t.Logf("%d posts, %d changed by Liquid, %d with warnings, %v", n, ran, warned, time.Since(start))
}
