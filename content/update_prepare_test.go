package content

import (
	"testing"
	"testing/fstest"
	"time"
)

// PrepareUpdate makes the index of the site's files that Update uses,
// so that the first Update does not make it; Update keeps it up to date.
func TestPrepareUpdate(t *testing.T) {
	fsys := site(map[string]string{
		"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n",
		"content/posts/b.md": "---\ntitle: B\ndate: 2024-02-01\naliases: [/old-b/]\n---\n",
	})
	cfg, err := LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	l := NewLoader(fsys, Options{Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
	s, err := l.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l.PrepareUpdate(s)
	ix := l.index
	if ix == nil || ix.site != s {
		t.Fatal("PrepareUpdate made no index of the site")
	}
	for _, name := range []string{FileOf(s.Posts[0].URL), "old-b/index.html", FileOf(s.Posts[1].URL)} {
		if !ix.taken[name] {
			t.Errorf("the index does not hold %s", name)
		}
	}
	fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B retitled\ndate: 2024-02-01\naliases: [/old-b/]\n---\n")}
	old := FileOf(s.Posts[0].URL)
	ch, ok := l.Update(s, "content/posts/b.md")
	if !ok {
		t.Fatal("Update did not take the new title")
	}
	if l.index != ix {
		t.Error("Update made the index again")
	}
	if now := FileOf(ch.Page.URL); !ix.taken[now] || ix.taken[old] {
		t.Errorf("after Update, the index holds %s: %v, and %s: %v; want the new file only", now, ix.taken[now], old, ix.taken[old])
	}
}
