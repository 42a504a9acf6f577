package render

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
)

// TestPublishReport publishes a site into a directory after each change,
// as `site build` does, and checks the report against the directory: the
// files added and removed exactly, and every file whose bytes changed
// among those changed (a directory does not read back the files it
// replaces, so a file made again because its key changed is changed
// whatever its bytes).
func TestPublishReport(t *testing.T) {
	fsys := testSite()
	root := t.TempDir()
	out := filepath.Join(root, "public")
	opts := PublishOptions{Manifest: filepath.Join(root, "manifest.json")}
	steps := []struct {
		name   string
		change func()
	}{
		{"first", func() {}},
		{"nothing", func() {}},
		{"a post's text", func() {
			fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\ndate: 2024-02-01\ntags: [y]\n---\nBeta, edited.\n")}
		}},
		{"a post removed", func() { delete(fsys, "content/posts/c.md") }},
		{"a post added", func() {
			fsys["content/posts/e.md"] = &fstest.MapFile{Data: []byte("---\ntitle: E\ndate: 2024-05-01\ntags: [z]\n---\nEpsilon.\n")}
		}},
		{"a static file removed", func() { delete(fsys, "static/robots.x") }},
	}
	prev := map[string]string{}
	for _, step := range steps {
		step.change()
		rep, err := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}}).Publish(out, opts, nil)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		files := readDir(t, out)
		var added, changed, removed []string
		for name, data := range files {
			if old, ok := prev[name]; !ok {
				added = append(added, name)
			} else if old != data {
				changed = append(changed, name)
			}
		}
		for name := range prev {
			if _, ok := files[name]; !ok {
				removed = append(removed, name)
			}
		}
		slices.Sort(added)
		slices.Sort(removed)
		for _, l := range []struct {
			what      string
			got, want []string
		}{{"added", rep.Added, added}, {"removed", rep.Removed, removed}} {
			if !slices.Equal(l.got, l.want) {
				t.Errorf("%s: %s:\n  %s\nwant:\n  %s", step.name, l.what, strings.Join(l.got, "\n  "), strings.Join(l.want, "\n  "))
			}
		}
		for _, name := range changed {
			if !slices.Contains(rep.Changed, name) {
				t.Errorf("%s: %s changed, and the report does not say so", step.name, name)
			}
		}
		for _, name := range rep.Changed {
			if _, ok := prev[name]; !ok {
				t.Errorf("%s: %s reported changed, but it was not published before", step.name, name)
			}
		}
		if step.name == "nothing" && len(rep.Changed) != 0 {
			t.Errorf("%s: changed %v", step.name, rep.Changed)
		}
		prev = files
	}
}

// readDir returns the files under dir by slash-separated name.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
