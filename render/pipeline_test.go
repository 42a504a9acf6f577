package render

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/siteblog/site/content"
)

// TestPipelineReport checks that each build's report names exactly the
// files added, changed (made again with other bytes) and removed since
// the last good build, as a comparison of the two builds' files does.
func TestPipelineReport(t *testing.T) {
	fsys := testSite()
	// A share card image that is not there: its warning stands in builds
	// that check only the pages changed.
	fsys["content/posts/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A\ndate: 2024-01-01\ntags: [x]\nimage: nothere.jpg\n---\nAlpha.\n")}
	p := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}})
	first, rep, err := p.BuildMem()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != len(first.Files()) || len(rep.Changed)+len(rep.Removed) != 0 {
		t.Errorf("first build: %d added, %d changed, %d removed; want all %d added", len(rep.Added), len(rep.Changed), len(rep.Removed), len(first.Files()))
	}
	if rep.Assets["style.css"] == "" || first.Files()[rep.Assets["style.css"]] == nil {
		t.Errorf("Assets[style.css] = %q, not a file of the build", rep.Assets["style.css"])
	}
	if pg := rep.Page("2024/02/b/index.html"); pg == nil || pg.Path != "content/posts/b.md" {
		t.Errorf("Page(2024/02/b/index.html) = %v, want content/posts/b.md", pg)
	}
	steps := []struct {
		name   string
		change func()
	}{
		{"nothing", func() {}},
		{"a post's text", func() {
			fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\ndate: 2024-02-01\ntags: [y]\n---\nBeta, edited.\n")}
			p.Changed("content/posts/b.md")
		}},
		{"a post's text, long enough to change its reading time", func() {
			long := strings.Repeat("Beta, edited at length. ", 400)
			fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\ndate: 2024-02-01\ntags: [y]\n---\n" + long + "\n")}
			p.Changed("content/posts/b.md")
		}},
		{"the newest post's text, new words", func() {
			fsys["content/posts/d.md"] = &fstest.MapFile{Data: []byte("---\ntitle: D\ndate: 2024-04-01\n---\nDelta with zebra quokka words and [a link](/nowhere/).\n")}
			p.Changed("content/posts/d.md")
		}},
		{"words gone again, and a page's text", func() {
			fsys["content/posts/d.md"] = &fstest.MapFile{Data: []byte("---\ntitle: D\ndate: 2024-04-01\n---\nDelta.\n")}
			fsys["content/about.md"] = &fstest.MapFile{Data: []byte("---\ntitle: About\n---\nAbout us.\n")}
			p.Changed("content/posts/d.md", "content/about.md")
		}},
		{"a new post", func() {
			fsys["content/posts/e.md"] = &fstest.MapFile{Data: []byte("---\ntitle: E\ndate: 2024-05-01\ntags: [z]\n---\nEpsilon.\n")}
			p.Changed("content/posts/e.md")
		}},
		{"a post removed", func() {
			delete(fsys, "content/posts/e.md")
			p.Changed("content/posts/e.md")
		}},
		{"a broken post, then its text fixed", func() {
			fsys["content/posts/c.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [\n---\n")}
			p.Changed("content/posts/c.md")
			if _, _, err := p.BuildMem(); err == nil {
				t.Fatal("a broken post builds")
			}
			fsys["content/posts/c.md"] = &fstest.MapFile{Data: []byte("---\ntitle: C\ndate: 2024-03-01\ntags: [x]\n---\nGamma, fixed.\n")}
			p.Changed("content/posts/c.md")
		}},
		{"the site's title", func() {
			fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"New\"\nbase_url = \"https://example.org/\"\npaginate = 2\n")}
			p.Changed("site.toml")
		}},
	}
	prev := first
	for _, step := range steps {
		step.change()
		fast := p.bodyBuilds
		out, rep, err := p.BuildMem()
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if bodiesOnly := strings.Contains(step.name, "text"); bodiesOnly != (p.bodyBuilds > fast) {
			t.Errorf("%s: built only what the bodies show: %v, want %v", step.name, !bodiesOnly, bodiesOnly)
		}
		checkReport(t, step.name, rep, prev, out)
		if step.name == "a post's text" && len(rep.Changed) == 0 {
			t.Errorf("%s: nothing changed", step.name)
		}
		fresh, freshRep, err := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}}).BuildMem()
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, out, fresh)
		if got, want := fmt.Sprint(rep.Warnings), fmt.Sprint(freshRep.Warnings); got != want {
			t.Errorf("%s: warnings\n  %s\nwant\n  %s", step.name, got, want)
		}
		if !strings.Contains(fmt.Sprint(rep.Warnings), "image nothere.jpg not found") {
			t.Errorf("%s: no warning of the missing image: %v", step.name, rep.Warnings)
		}
		if step.name == "the newest post's text, new words" && !strings.Contains(fmt.Sprint(rep.Warnings), "/nowhere/") {
			t.Errorf("%s: no warning of the link to /nowhere/: %v", step.name, rep.Warnings)
		}
		prev = out
	}
}

// TestPipelineMemoryFollowsTheSite saves one post again and again, as a
// writer does in a preview: what the renderer and its body cache keep in
// memory must not grow with the number of saves.
func TestPipelineMemoryFollowsTheSite(t *testing.T) {
	fsys := testSite()
	bodies := NewBodyCache("")
	p := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}, Render: []Option{WithBodyCache(bodies)}})
	save := func(i int) {
		fsys["content/posts/d.md"] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: D\ndate: 2024-04-01\ntags: [x]\n---\nDelta, version %d.\n", i))}
		p.Changed("content/posts/d.md")
		if _, _, err := p.BuildMem(); err != nil {
			t.Fatal(err)
		}
	}
	names := []string{"prepared", "checked", "feed entries", "icons", "bodies in memory", "live bodies", "search terms"}
	sizes := func() []int {
		count := func(m *sync.Map) (n int) {
			m.Range(func(_, _ any) bool { n++; return true })
			return n
		}
		r := p.renderer
		bodies.mu.Lock()
		defer bodies.mu.Unlock()
		return []int{count(&r.prepared), count(&r.checked), count(&r.feedCache), count(&r.icons), len(bodies.mem), len(bodies.live), len(r.searchTerms)}
	}
	save(0)
	before := sizes()
	for i := 1; i <= 50; i++ {
		save(i)
	}
	after := sizes()
	for i, name := range names {
		if after[i] > before[i] {
			t.Errorf("after 50 saves of one post, %s: %d entries, after the first %d", name, after[i], before[i])
		}
	}
}

// A preview started on a site whose body cache holds the search index
// (a `site build` before) updates the index it never made.
func TestPipelineBodiesAfterCachedIndex(t *testing.T) {
	dir := t.TempDir()
	fsys := testSite()
	if _, _, err := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}, Render: []Option{WithBodyCache(NewBodyCache(dir))}}).BuildMem(); err != nil {
		t.Fatal(err)
	}
	p := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}, Render: []Option{WithBodyCache(NewBodyCache(dir))}})
	if _, _, err := p.BuildMem(); err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"Beta with a zebra.", "Beta again."} {
		fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\ndate: 2024-02-01\ntags: [y]\n---\n" + text + "\n")}
		p.Changed("content/posts/b.md")
		out, _, err := p.BuildMem()
		if err != nil {
			t.Fatal(err)
		}
		if p.bodyBuilds != i+1 {
			t.Fatalf("edit %d: a full build", i)
		}
		fresh, err := BuildInMemory(fsys, content.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, out, fresh)
	}
}

// A site with a scheduled post takes the fast path for a save until that
// post comes due; then a save loads the site again, publishing it.
func TestPipelineBodiesWithFuturePost(t *testing.T) {
	fsys := testSite()
	fsys["content/posts/later.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Later\ndate: 2030-06-01\n---\nNot yet.\n")}
	p := builtPipeline(t, fsys, PipelineOptions{Content: content.Options{Now: now}})
	if got := p.renderer.last.site.Future; got != 1 {
		t.Fatalf("Future = %d, want 1", got)
	}
	edit := func(text string) *MemOutput {
		t.Helper()
		fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\ndate: 2024-02-01\ntags: [y]\n---\n" + text + "\n")}
		p.Changed("content/posts/b.md")
		out, _, err := p.BuildMem()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := edit("Beta, edited.")
	if p.bodyBuilds != 1 {
		t.Errorf("a save before the scheduled post is due: %d fast builds, want 1", p.bodyBuilds)
	}
	fresh, err := BuildInMemory(fsys, content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, out, fresh)

	p.opts.Content.Now = time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC) // the moment it is due
	edit("Beta, edited again.")
	if p.bodyBuilds != 1 {
		t.Errorf("a save once the scheduled post is due took the fast path")
	}
}

// Then composes the reports of two builds in a row into the report of
// both: what the first added and the second changed is added, what the
// first added and the second removed was never there, and so on.
func TestReportThen(t *testing.T) {
	type lists struct{ added, changed, removed []string }
	for _, tc := range []struct {
		name          string
		first, second lists
		want          lists
	}{
		{"apart", lists{[]string{"a"}, []string{"c"}, []string{"r"}}, lists{[]string{"b"}, []string{"d"}, []string{"s"}},
			lists{[]string{"a", "b"}, []string{"c", "d"}, []string{"r", "s"}}},
		{"added, then changed", lists{added: []string{"a"}}, lists{changed: []string{"a"}}, lists{added: []string{"a"}}},
		{"added, then removed", lists{added: []string{"a"}}, lists{removed: []string{"a"}}, lists{}},
		{"changed, then changed", lists{changed: []string{"a"}}, lists{changed: []string{"a"}}, lists{changed: []string{"a"}}},
		{"changed, then removed", lists{changed: []string{"a"}}, lists{removed: []string{"a"}}, lists{removed: []string{"a"}}},
		{"removed, then added", lists{removed: []string{"a"}}, lists{added: []string{"a"}}, lists{changed: []string{"a"}}},
	} {
		first := &Report{Added: tc.first.added, Changed: tc.first.changed, Removed: tc.first.removed}
		second := &Report{Added: tc.second.added, Changed: tc.second.changed, Removed: tc.second.removed, Stats: Stats{Files: 7}}
		got := first.Then(second)
		if fmt.Sprint(got.Added, got.Changed, got.Removed) != fmt.Sprint(tc.want.added, tc.want.changed, tc.want.removed) || got.Files != 7 {
			t.Errorf("%s: added %v, changed %v, removed %v, %d files; want %v, %v, %v, 7", tc.name, got.Added, got.Changed, got.Removed, got.Files, tc.want.added, tc.want.changed, tc.want.removed)
		}
	}
}

// Transient tells the paths that came and went since the site was last
// loaded, which change nothing, from those whose going the next build
// must take in: what the load found (files it copied or not,
// directories), a path in a directory gone since, and everything before
// a load or after Rescan.
func TestPipelineTransient(t *testing.T) {
	fsys := testSite()
	fsys["content/posts/trip/index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Trip\ndate: 2024-05-01\n---\n![map](map.svg)\n")}
	fsys["content/posts/trip/map.svg"] = &fstest.MapFile{Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}
	fsys["content/files/notes.txt"] = &fstest.MapFile{Data: []byte("notes")}
	fsys["content/moved/index.md"] = &fstest.MapFile{Data: []byte("---\nredirect: /2024/05/trip/\n---\n")}
	fsys["content/moved/map.svg"] = &fstest.MapFile{Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}
	fsys["content/snippets/index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Snippets\ndraft: true\n---\n")}
	fsys["content/snippets/hello.go"] = &fstest.MapFile{Data: []byte("package main\n")} // a draft's: {{code}} may show it
	fsys["content/posts/notes.rst"] = &fstest.MapFile{Data: []byte("Left out\n========\n")}
	fsys["static/images/logo.svg"] = &fstest.MapFile{Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}
	p := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}})
	if p.Transient("content/posts/4913") {
		t.Error("Transient before any load: there is nothing to tell it by")
	}
	if _, _, err := p.BuildMem(); err != nil {
		t.Fatal(err)
	}
	// Gone since the build, as a save or a move would leave them.
	for name := range fsys {
		if name == "static/robots.x" || strings.HasPrefix(name, "content/posts/trip/") || strings.HasPrefix(name, "content/snippets/") ||
			name == "content/files/notes.txt" || name == "content/moved/map.svg" || name == "content/posts/a.md" || name == "content/posts/notes.rst" {
			delete(fsys, name)
		}
	}
	fsys["content/posts/sedXk2Ab"] = &fstest.MapFile{Data: []byte("there now")}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"content/posts/4913", true},          // vim's test of the directory
		{"content/posts/b.md.tmp.4242", true}, // a temporary file renamed over the post
		{"content/posts/new.md", true},        // Markdown too
		{"static/images/.tmp-upload", true},
		{"content/posts/sedXk2Ab", false},     // there now
		{"static/robots.x", false},            // a static file the build copied
		{"content/posts/trip/4913", false},    // in a directory gone since
		{"content/posts/gone/4913", false},    // in a directory never found
		{"content/posts/trip", false},         // a bundle's directory
		{"content/posts/trip/map.svg", false}, // a bundle's resource
		{"content/files/notes.txt", false},    // a file of content/ the build copied
		{"content/moved/map.svg", false},      // a redirect's resource
		{"content/snippets/hello.go", false},  // a draft's file: found, if not copied
		{"content/posts/notes.rst", false},    // left out with a warning
		{"content/posts/a.md", false},         // a post
		{"layouts/shortcodes/4913", false},    // outside content/ and static/
		{"site.toml~", false},
	} {
		if got := p.Transient(tc.name); got != tc.want {
			t.Errorf("Transient(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}

	// A load that fails found what it walked: a file that came with it,
	// then went, is a change (it may be what made the load fail).
	fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [unclosed\n---\nBeta.\n")}
	fsys["content/files/new.txt"] = &fstest.MapFile{Data: []byte("new")}
	p.Changed("content/posts/b.md", "content/files/new.txt")
	if _, _, err := p.BuildMem(); err == nil {
		t.Fatal("a build with broken front matter did not fail")
	}
	delete(fsys, "content/files/new.txt")
	if p.Transient("content/files/new.txt") {
		t.Error("Transient(content/files/new.txt): a file the failed load found, gone since")
	}
	if !p.Transient("content/posts/4913") {
		t.Error("Transient(content/posts/4913) after a failed load: found by neither load")
	}
	if !p.Transient("static/robots.x") {
		t.Error("Transient(static/robots.x): gone before the last load, which did not find it (the build that takes its going in is full, for the change told before)")
	}
	p.Rescan()
	if p.Transient("content/posts/4913") {
		t.Error("Transient after Rescan: nothing is known of the files until the next load")
	}
}

// hookFS is a MapFS safe for the loader's parallel reads, which runs
// onRead (once, under its lock) when a file is first read whole.
type hookFS struct {
	mu     sync.Mutex
	m      fstest.MapFS
	onRead map[string]func(fstest.MapFS)
}

func (h *hookFS) Open(name string) (fs.File, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f, err := h.m.Open(name)
	if err != nil {
		return nil, err
	}
	// MapFS files read from the map lazily for directories: read now.
	if d, ok := f.(fs.ReadDirFile); ok {
		return d, nil
	}
	return f, nil
}
func (h *hookFS) ReadDir(name string) ([]fs.DirEntry, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.m.ReadDir(name)
}
func (h *hookFS) Stat(name string) (fs.FileInfo, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.m.Stat(name)
}
func (h *hookFS) ReadFile(name string) ([]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if f := h.onRead[name]; f != nil {
		delete(h.onRead, name)
		f(h.m)
	}
	return h.m.ReadFile(name)
}

// A file that comes after the load's walk, while the build runs, and is
// read by an expander ({{code}}), is one the build used: its going is a
// change, though the load did not find it.
func TestPipelineTransientReadByExpander(t *testing.T) {
	m := testSite()
	m["content/posts/prog.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Prog\ndate: 2024-04-01\ntemplate: true\n---\n\nThe program:\n\n{{code \"/files/x.go\"}}\n")}
	m["content/files/notes.txt"] = &fstest.MapFile{Data: []byte("notes")} // the directory stays
	h := &hookFS{m: m, onRead: map[string]func(fstest.MapFS){
		// The page is read after the walk: the file comes then.
		"content/posts/prog.md": func(m fstest.MapFS) {
			m["content/files/x.go"] = &fstest.MapFile{Data: []byte("package main // SNIPPET-FROM-X\n")}
		},
	}}
	p := NewPipeline(h, PipelineOptions{Content: content.Options{Now: now}})
	out, _, err := p.BuildMem()
	if err != nil {
		t.Fatal(err)
	}
	if page, _ := out.File("2024/04/prog/index.html"); !bytes.Contains(page, []byte("SNIPPET-FROM-X")) {
		t.Fatal("the build does not show the file that came after the walk")
	}
	h.mu.Lock()
	delete(m, "content/files/x.go")
	h.mu.Unlock()
	if p.loader.Found("content/files/x.go") {
		t.Fatal("the load found content/files/x.go: the test shows nothing")
	}
	if p.Transient("content/files/x.go") {
		t.Error("Transient(content/files/x.go) = true, but the last build shows it")
	}
}
