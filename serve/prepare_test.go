package serve

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fsnotify/fsnotify"

	"github.com/siteblog/site/content"
)

// After a full build, the preview prepares what a save keeps of it in
// the background (render.Pipeline.PrepareRebuild): it serves the site
// meanwhile, and a save that comes before the preparation is done waits
// for it and builds in place what a full build makes. Each kind of save
// comes first after a full build that added a post, its preparation held
// until the save is sent. Run with -race.
func TestPreviewSaveWhilePreparing(t *testing.T) {
	dir := t.TempDir()
	post := writeCorpus(t, dir, 60)
	p, err := StartPreview(PreviewOptions{Dir: dir, Content: content.Options{Now: testNow}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	if err := p.hub.current().err; err != "" {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p.Handler())
	defer srv.Close()
	path := filepath.Join(dir, post)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	line := func(key string) string {
		return string(regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + `.*$`).Find(orig))
	}
	saves := []struct {
		name string
		edit func(data []byte) []byte
	}{
		{"body", func(data []byte) []byte { return append(data, "\nEdited while preparing.\n"...) }},
		{"title", func(data []byte) []byte {
			return []byte(strings.Replace(string(data), line("title: "), frontMatterEdits["title"].edit(line("title: "), 1), 1))
		}},
		{"tag", func(data []byte) []byte {
			return []byte(strings.Replace(string(data), line("tags: "), frontMatterEdits["tag"].edit(line("tags: "), 0), 1))
		}},
	}
	for i, s := range saves {
		p.waitPrepared()
		entered, release := make(chan struct{}), make(chan struct{})
		hold := func() {
			close(entered)
			<-release
		}
		p.beforePrepare.Store(&hold)
		added := fmt.Sprintf("content/posts/added-%d.md", i)
		if err := os.WriteFile(filepath.Join(dir, added), []byte("---\ntitle: Added "+s.name+"\ndate: 2019-06-01\ntags: [go]\n---\n\nAdded.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if res := p.rebuild(Batch{Changes: []Change{{Path: added, Op: fsnotify.Create}}}); res.Err != nil {
			t.Fatal(res.Err)
		}
		<-entered
		p.beforePrepare.Store(nil)
		for _, u := range []string{"/", "/archive/", "/search/index/manifest.json"} {
			resp, err := http.Get(srv.URL + u)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s save: GET %s while preparing: %s", s.name, u, resp.Status)
			}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, s.edit(data), 0o644); err != nil {
			t.Fatal(err)
		}
		built := make(chan BuildResult, 1)
		go func() { built <- p.rebuild(Batch{Changes: []Change{{Path: post, Op: fsnotify.Write}}}) }()
		close(release)
		res := <-built
		if res.Err != nil {
			t.Fatalf("%s save: %v", s.name, res.Err)
		}
		if made := res.Stats.Files - res.Stats.Reused; made > res.Stats.Files/4 {
			t.Errorf("%s save: made %d of %d files again, not in place", s.name, made, res.Stats.Files)
		}
		want, err := fullBuild(dir)
		if err != nil {
			t.Fatal(err)
		}
		if diffs := siteDiff(p.files.Site(), want); len(diffs) > 0 {
			t.Errorf("%s save: the preview does not serve the full build:\n%s", s.name, strings.Join(diffs[:min(len(diffs), 10)], "\n"))
		}
	}
}
