package render

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/tlsinfo"
)

var now = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func testSite() fstest.MapFS {
	return fstest.MapFS{
		"site.toml":          {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\npaginate = 2\n")},
		"content/posts/a.md": {Data: []byte("---\ntitle: A\ndate: 2024-01-01\ntags: [x]\n---\nAlpha.\n\n```go\nx := 1\n```\n")},
		"content/posts/b.md": {Data: []byte("---\ntitle: B\ndate: 2024-02-01\ntags: [y]\n---\nBeta.\n")},
		"content/posts/c.md": {Data: []byte("---\ntitle: C\ndate: 2024-03-01\ntags: [x]\n---\nGamma.\n")},
		"content/posts/d.md": {Data: []byte("---\ntitle: D\ndate: 2024-04-01\n---\nDelta.\n")},
		"content/about.md":   {Data: []byte("---\ntitle: About\n---\nAbout.\n")},
		"static/robots.x":    {Data: []byte("static")},
	}
}

// build renders fsys into a MemOutput reusing prev (which may be nil).
func build(t *testing.T, fsys fstest.MapFS, prev *MemOutput, opts ...Option) (*MemOutput, Stats) {
	t.Helper()
	r, site := newRenderer(t, fsys, opts...)
	out := NewMemOutput(prev)
	stats, err := r.Build(site, out)
	if err != nil {
		t.Fatal(err)
	}
	return out, stats
}

// remade lists the files of out that were made rather than reused.
func remade(prev, out *MemOutput) []string {
	var names []string
	for name, data := range out.Files() {
		old, ok := prev.Files()[name]
		if !ok || len(old) == 0 || len(data) == 0 || &old[0] != &data[0] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func sameFiles(t *testing.T, got, want *MemOutput) {
	t.Helper()
	if len(got.Files()) != len(want.Files()) {
		t.Errorf("%d files, want %d", len(got.Files()), len(want.Files()))
	}
	for name, data := range want.Files() {
		if !bytes.Equal(got.Files()[name], data) {
			t.Errorf("%s differs from a fresh build", name)
		}
	}
}

// TestRebuildRemakesWhatChanged changes one input at a time and checks that
// a rebuild remakes exactly the files that depend on it, and that the
// result equals a fresh build.
func TestRebuildRemakesWhatChanged(t *testing.T) {
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		opts   []Option
		want   []string // files remade; "*" for every file
	}{
		{"nothing", func(fstest.MapFS) {}, nil, nil},
		{"a post's body", func(f fstest.MapFS) {
			f["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\ndate: 2024-02-01\ntags: [y]\n---\nBeta, edited.\n")}
		}, nil, []string{"2024/02/b/index.html", "feed.json", "feed.xml", "page/2/index.html", "rss.xml",
			"search/index/doc/1.json", "search/index/ed.json", "search/index/manifest.json", // b's document, the shard of "edited", new, so the manifest
			"tags/y/feed.xml", "tags/y/index.html"}}, // not the archive, which shows no bodies
		{"a post's title", func(f fstest.MapFS) {
			f["content/posts/d.md"] = &fstest.MapFile{Data: []byte("---\ndate: 2024-04-01\ntitle: D\n---\nDelta.\n")} // the same keys and values
			f["content/posts/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A renamed\nslug: a\ndate: 2024-01-01\ntags: [x]\n---\nAlpha.\n\n```go\nx := 1\n```\n")}
		}, nil, []string{"2024/01/a/index.html", "2024/02/b/index.html", "archive/index.html", "feed.json", "feed.xml", "page/2/index.html", "rss.xml",
			"search/index/doc/0.json", "search/index/manifest.json", "search/index/re.json", // a's document (not b's), the shard of "renamed", new
			"tags/x/feed.xml", "tags/x/index.html", "tags/y/feed.xml", "tags/y/index.html"}}, // b links to a by title, so every list of b is remade too
		{"a static file", func(f fstest.MapFS) { f["static/robots.x"] = &fstest.MapFile{Data: []byte("new")} }, nil, []string{"robots.x"}},
		{"the engine version", func(fstest.MapFS) {}, []Option{WithEngineVersion("next")}, []string{"*"}},
		{"a message of the site's i18n/", func(f fstest.MapFS) {
			f["i18n/en.toml"] = &fstest.MapFile{Data: []byte("read_more = \"Continue\"\n")}
		}, nil, []string{"*"}},
		{"the site title", func(f fstest.MapFS) {
			f["site.toml"] = &fstest.MapFile{Data: []byte("title = \"New\"\nbase_url = \"https://example.org/\"\npaginate = 2\n")}
		}, nil, []string{"*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testSite()
			fsys["themes/mine/templates/.keep"] = &fstest.MapFile{}
			bodies := NewBodyCache("")
			first, _ := build(t, fsys, nil, WithBodyCache(bodies))
			tt.change(fsys)
			second, stats := build(t, fsys, first, append([]Option{WithBodyCache(bodies)}, tt.opts...)...)
			fresh, _ := build(t, fsys, nil, tt.opts...)
			sameFiles(t, second, fresh)
			got := remade(first, second)
			want := tt.want
			if len(want) == 1 && want[0] == "*" {
				// Every page and feed; files made from their bytes alone
				// (assets, redirects, sitemap, static files) may be kept.
				made := func(name string) bool {
					return strings.HasSuffix(name, ".html") && !strings.Contains(name, "page/1/") ||
						strings.HasPrefix(name, "feed.") || strings.HasSuffix(name, "/feed.xml") || name == "rss.xml"
				}
				want = nil
				for name := range second.Files() {
					if made(name) {
						want = append(want, name)
					}
				}
				sort.Strings(want)
				var gotMade []string
				for _, name := range got {
					if made(name) {
						gotMade = append(gotMade, name)
					}
				}
				got = gotMade
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("remade:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if stats.Reused+len(remade(first, second)) != stats.Files {
				t.Errorf("stats: %d reused + %d remade != %d files", stats.Reused, len(remade(first, second)), stats.Files)
			}
		})
	}
}

func TestTemplateChangeRemakesItsKind(t *testing.T) {
	fsys := testSite()
	fsys["site.toml"].Data = append(fsys["site.toml"].Data, "theme = \"mine\"\n"...)
	fsys["themes/mine/templates/post.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}<article>{{.Post.Content}}</article>{{end}}`)}
	first, _ := build(t, fsys, nil)
	fsys["themes/mine/templates/post.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}<article class="x">{{.Post.Content}}</article>{{end}}`)}
	second, _ := build(t, fsys, first)
	want := "2024/01/a/index.html 2024/02/b/index.html 2024/03/c/index.html 2024/04/d/index.html"
	if got := strings.Join(remade(first, second), " "); got != want {
		t.Errorf("a post.html change remade %s, want the posts only: %s", got, want)
	}
}

func packs(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*"+packExt))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}

func TestBodyCacheOnDisk(t *testing.T) {
	dir := t.TempDir()
	fsys := testSite()
	first, _ := build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))
	if got := packs(t, dir); len(got) != 1 {
		t.Fatalf("a build made packs %q, want one", got)
	}
	if others, _ := filepath.Glob(filepath.Join(dir, "*")); len(others) != 1 {
		t.Fatalf("the cache directory holds %q, want the pack alone", others)
	}
	p, err := openPack(packs(t, dir)[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(p.entries) != 19 {
		t.Fatalf("%d cache entries, want 19 (4 posts and a page, a body and a scan each, the posts' feed forms and search terms, and the search index)", len(p.entries))
	}
	p.file.Close()

	// A body from the cache is the one rendered.
	r := &Renderer{cfg: mustConfig(t, fsys)}
	a := &content.Page{Body: []byte("Alpha.\n\n```go\nx := 1\n```\n")}
	got, ok := NewBodyCache(dir).Get(r.bodyKey(a))
	if !ok || !strings.Contains(string(got.Content), `<span class="nx">x</span>`) {
		t.Errorf("cached body of a.md: %v %q", ok, got.Content)
	}

	// A build with everything cached writes no pack.
	build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))
	if got := packs(t, dir); len(got) != 1 {
		t.Fatalf("a build from the cache left packs %q, want the one", got)
	}

	// Corrupt every entry: each must be noticed, rendered afresh and
	// written to a new pack, which Get then prefers.
	data, err := os.ReadFile(packs(t, dir)[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range p.entries {
		data[at.off+at.n-2] ^= 0xff
	}
	if err := os.WriteFile(packs(t, dir)[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	second, _ := build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))
	sameFiles(t, second, first)
	if got := packs(t, dir); len(got) != 2 {
		t.Fatalf("packs after rewriting corrupt entries: %q, want two", got)
	}
	if got, ok := NewBodyCache(dir).Get(r.bodyKey(a)); !ok || !strings.Contains(string(got.Content), "Alpha.") {
		t.Errorf("after the rewrite, cached body of a.md: %v %q", ok, got.Content)
	}

	// A pack cut short (a crash while renaming cannot make one, but a
	// full disk or a copy can) is ignored, not read.
	last := packs(t, dir)[1]
	data, _ = os.ReadFile(last)
	os.WriteFile(last, data[:len(data)-10], 0o644)
	third, _ := build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))
	sameFiles(t, third, first)
}

// TestBodyCachePending checks that bodies put in a cache with a
// directory are read back from the pack being written, before Flush,
// without being kept in memory, and that a cache whose directory cannot
// be written keeps them in memory.
func TestBodyCachePending(t *testing.T) {
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		dir     string
		inMem   bool // the bodies are kept in memory
		flushed int  // bodies in the directory's packs after Flush
	}{
		{"directory", filepath.Join(t.TempDir(), "bodies"), false, 300},
		{"in memory", "", true, 0},
		{"unwritable directory", filepath.Join(blocked, "bodies"), true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewBodyCache(tc.dir)
			body := func(i int) Rendered {
				// Larger than the pack writer's buffer together, so some
				// are on disk and some still buffered when read.
				return Rendered{Content: bytes.Repeat([]byte(fmt.Sprintf("<p>%d</p>", i)), 1000), Summary: []byte(fmt.Sprint(i))}
			}
			key := func(i int) Key { return Key{byte(i), byte(i >> 8)} }
			for i := range 300 {
				c.Put(key(i), body(i))
				if i%7 == 0 { // reads between writes
					if got, ok := c.Get(key(i / 2)); !ok || !bytes.Equal(got.Content, body(i/2).Content) {
						t.Fatalf("Get(%d) after %d puts: %v, %.20q", i/2, i+1, ok, got.Content)
					}
				}
			}
			if got := len(c.mem) == 300; got != tc.inMem {
				t.Errorf("%d of 300 bodies kept in memory, want all: %v", len(c.mem), tc.inMem)
			}
			for i := range 300 {
				got, ok := c.Get(key(i))
				if want := body(i); !ok || !bytes.Equal(got.Content, want.Content) || !bytes.Equal(got.Summary, want.Summary) {
					t.Fatalf("Get(%d): %v, %.20q %q", i, ok, got.Content, got.Summary)
				}
			}
			c.Flush()
			if len(c.pending) != 0 {
				t.Errorf("%d bodies still pending after Flush", len(c.pending))
			}
			n := 0
			if tc.dir != "" && !tc.inMem {
				for _, k := range packBodies(t, tc.dir) {
					n += k
				}
			}
			if n != tc.flushed {
				t.Errorf("%d bodies in packs after Flush, want %d", n, tc.flushed)
			}
			if got, ok := c.Get(key(299)); !ok || !bytes.Equal(got.Content, body(299).Content) {
				t.Errorf("Get after Flush: %v", ok)
			}
		})
	}
}

// packBodies counts the bodies of each pack of dir, oldest first.
func packBodies(t *testing.T, dir string) []int {
	t.Helper()
	var n []int
	for _, name := range packs(t, dir) {
		p, err := openPack(name)
		if err != nil {
			t.Fatal(err)
		}
		n = append(n, len(p.entries))
		p.file.Close()
	}
	return n
}

// TestHandOff builds a site holding every body and text between the step
// that makes it and its file, holding some, and holding none: the output
// is the same, and only what the build does not hold goes through the
// cache (a post's text is on disk only then). A page reads its body back
// from the cache once when it was not held, though both its image and
// its template ask for it, and never when it was.
func TestHandOff(t *testing.T) {
	fsys := testSite()
	var want map[string][]byte
	for _, tc := range []struct {
		max     int64
		entries int
		reads   int // of each page's body; -1 for either
	}{
		{max: handOffMax, entries: 19, reads: 0},
		{max: 40, entries: -1, reads: -1}, // what fits depends on which post comes first
		{max: 0, entries: 23, reads: 1},   // 19 and the 4 posts' texts
	} {
		t.Run(fmt.Sprint(tc.max), func(t *testing.T) {
			defer func(max int64) { handOffMax = max }(handOffMax)
			handOffMax = tc.max
			dir := t.TempDir()
			r, site, out, reads := buildCountingReads(t, fsys, dir)
			files := out.Files()
			if want == nil {
				want = files
			} else if !maps.EqualFunc(files, want, bytes.Equal) {
				t.Errorf("the output differs from a build that holds everything")
			}
			for _, pg := range site.All() {
				switch n := reads[r.last.posts[pg].key]; {
				case tc.reads >= 0 && n != tc.reads:
					t.Errorf("%s: its body was read back from the cache %d times, want %d", pg.Path, n, tc.reads)
				case n > 1:
					t.Errorf("%s: its body was read back from the cache %d times, want at most once", pg.Path, n)
				}
			}
			p, err := openPack(packs(t, dir)[0])
			if err != nil {
				t.Fatal(err)
			}
			defer p.file.Close()
			if tc.entries >= 0 && len(p.entries) != tc.entries {
				t.Errorf("%d cache entries, want %d", len(p.entries), tc.entries)
			} else if tc.entries < 0 && (len(p.entries) < 19 || len(p.entries) > 23) {
				t.Errorf("%d cache entries, want 19 to 23", len(p.entries))
			}
		})
	}
}

// TestPagesMadeWithBodies builds a site whose search index takes one post
// at a time, holding the bodies and texts of about two posts: into an
// empty output, which makes each post's page and search document as the
// index makes its body, no body or text is read back from the cache; into
// an output that holds another build (whose files it might keep, so it
// makes them after planning, in emit), some are. The files are the same
// (the reference build's output was empty too), and the progress display
// counts every file once, never past the files planned so far.
func TestPagesMadeWithBodies(t *testing.T) {
	defer func(n int) { searchRun = n }(searchRun)
	searchRun = 1
	fsys := oneBuildSite()
	ref, site, want, _ := buildCountingReads(t, fsys, t.TempDir())
	largest := 0
	for _, pg := range site.Posts {
		pd := ref.last.posts[pg]
		largest = max(largest, len(pd.body().Content)+len(pd.text(false)))
	}
	defer func(max int64) { handOffMax = max }(handOffMax)
	handOffMax = int64(2 * largest)

	other := maps.Clone(fsys)
	other["site.toml"] = &fstest.MapFile{Data: []byte("title = \"Other\"\nbase_url = \"https://example.org/\"\n")}
	prev, _ := build(t, other, nil)
	for _, tc := range []struct {
		name     string
		prev     *MemOutput
		readBack bool
	}{
		{"into an empty output", nil, false},
		{"into one that holds another build", prev, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cache := NewBodyCache(t.TempDir())
			reads := countReads(cache)
			var mu sync.Mutex
			var calls, last, lastTotal int
			progress := func(done, total int) {
				mu.Lock()
				defer mu.Unlock()
				calls++
				last, lastTotal = max(last, done), max(lastTotal, total)
				if done > total {
					t.Errorf("progress: %d of %d files", done, total)
				}
			}
			r, site := newRenderer(t, fsys, WithBodyCache(cache), WithProgress(progress))
			out := NewMemOutput(tc.prev)
			stats, err := r.Build(site, out)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.EqualFunc(out.Files(), want.Files(), bytes.Equal) {
				t.Errorf("the files differ from a build that holds every body")
			}
			readBack := 0
			for _, pg := range site.Posts {
				key := r.last.posts[pg].key
				readBack += reads[key] + reads[textKey(key)]
			}
			if got := readBack > 0; got != tc.readBack {
				want := map[bool]string{false: "none", true: "some"}[tc.readBack]
				t.Errorf("%d bodies and texts of posts read back from the cache, want %s", readBack, want)
			}
			if calls != stats.Files || last != stats.Files || lastTotal != stats.Files {
				t.Errorf("progress called %d times, up to %d of %d files, want %d times, up to %[4]d of %[4]d", calls, last, lastTotal, stats.Files)
			}
		})
	}
}

// TestPagesMadeWithBodiesFail: a theme whose post and list pages both
// fail, built into an empty output (which makes the posts' pages along
// with the search index): the build fails naming every page that fails,
// the lists' too, as one that makes them all after planning does.
func TestPagesMadeWithBodiesFail(t *testing.T) {
	fsys := testSite()
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"mine\"\n")}
	fsys["themes/mine/templates/post.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{.Post.Nope}}{{end}}`)}
	fsys["themes/mine/templates/list.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{.Nope}}{{end}}`)}
	r, site := newRenderer(t, fsys)
	_, err := r.Build(site, NewMemOutput(nil))
	if err == nil {
		t.Fatal("the build succeeded")
	}
	for _, want := range []string{"/2024/01/a/: theme: post template", "/2024/04/d/: theme: post template", "/: theme: list template"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\nwant it to name %q", err, want)
		}
	}
}

// buildCountingReads builds fsys with a body cache in dir, counting the
// entries it reads back from there by key.
func buildCountingReads(t *testing.T, fsys fstest.MapFS, dir string) (*Renderer, *content.Site, *MemOutput, map[Key]int) {
	t.Helper()
	cache := NewBodyCache(dir)
	reads := countReads(cache)
	r, site := newRenderer(t, fsys, WithBodyCache(cache))
	out := NewMemOutput(nil)
	if _, err := r.Build(site, out); err != nil {
		t.Fatal(err)
	}
	return r, site, out, reads
}

// countReads counts, by key, the entries cache reads back from its
// directory, in the map it returns (to read once the build is done).
func countReads(cache *BodyCache) map[Key]int {
	var mu sync.Mutex
	reads := map[Key]int{}
	cache.readBack = func(k Key) {
		mu.Lock()
		reads[k]++
		mu.Unlock()
	}
	return reads
}

// TestBodyNotShownNotRead: a post's page whose template does not show
// the body, for a post whose image is in its front matter, reads nothing
// of its body back from the cache.
func TestBodyNotShownNotRead(t *testing.T) {
	defer func(max int64) { handOffMax = max }(handOffMax)
	handOffMax = 0
	fsys := testSite()
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"mine\"\n[search]\nenabled = false\n")}
	fsys["themes/mine/templates/post.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}<article>{{.Post.Title}}</article>{{end}}`)}
	for _, name := range []string{"a", "b", "c", "d"} {
		p := "content/posts/" + name + ".md"
		fsys[p] = &fstest.MapFile{Data: []byte(strings.Replace(string(fsys[p].Data), "---\n", "---\nimage: /i.png\n", 1))}
	}
	r, site, out, reads := buildCountingReads(t, fsys, t.TempDir())
	if !strings.Contains(string(out.Files()["2024/04/d/index.html"]), "<article>D</article>") {
		t.Fatalf("the post's page is not the theme's: %s", out.Files()["2024/04/d/index.html"])
	}
	for _, pg := range site.Posts {
		if n := reads[r.last.posts[pg].key]; n != 0 {
			t.Errorf("%s: its body was read back from the cache %d times, which its page does not show", pg.Path, n)
		}
	}
}

// TestHandOffReturned builds a site in a preview's pipeline, then saves
// of a body, a title and a tag and a new post (a full build that keeps
// the other posts' pages), then builds it twice from one body cache (the
// second takes every post's terms from the cache): after each build,
// nothing is held for a file any more and the build's count is back to
// nothing, whether the file took what was held or was not made.
func TestHandOffReturned(t *testing.T) {
	checkLast := func(name string, r *Renderer) {
		t.Helper()
		b := r.last
		if b == nil || b.handOff == nil {
			t.Fatalf("%s: no build, or no budget", name)
		}
		if held := b.handOff.held.Load(); held != 0 {
			t.Errorf("%s: %d bytes still counted as held", name, held)
		}
		for _, pd := range b.posts {
			if pd.first != nil || pd.firstText != nil {
				t.Errorf("%s: %s still holds its body or text", name, pd.path)
			}
		}
	}
	fsys := testSite()
	p := NewPipeline(fsys, PipelineOptions{})
	for _, edit := range []struct{ name, file, data string }{
		{"first build", "", ""},
		{"a body saved", "content/posts/b.md", "---\ntitle: B\ndate: 2024-02-01\ntags: [y]\n---\nBeta again.\n"},
		{"a title saved", "content/posts/b.md", "---\ntitle: Bee\ndate: 2024-02-01\ntags: [y]\n---\nBeta again.\n"},
		{"a tag saved", "content/posts/c.md", "---\ntitle: C\ndate: 2024-03-01\ntags: [x, y]\n---\nGamma.\n"},
		{"a post added", "content/posts/e.md", "---\ntitle: E\ndate: 2024-05-01\n---\nEpsilon, with a longer body than the others.\n"},
	} {
		if edit.file != "" {
			fsys[edit.file] = &fstest.MapFile{Data: []byte(edit.data)}
			p.Changed(edit.file)
		}
		if _, _, err := p.BuildMem(); err != nil {
			t.Fatal(err)
		}
		checkLast(edit.name, p.renderer)
	}

	// Builds from one body cache, by a renderer each, then a full build
	// of one renderer that keeps the pages of the last.
	dir := t.TempDir()
	var r *Renderer
	var prev *MemOutput
	for _, name := range []string{"cold build", "warm build", "a post added, the other pages kept"} {
		if name == "a post added, the other pages kept" {
			fsys["content/posts/f.md"] = &fstest.MapFile{Data: []byte("---\ntitle: F\ndate: 2024-06-01\n---\nPhi.\n")}
		}
		cfg := mustConfig(t, fsys)
		site, err := content.Load(fsys, cfg, content.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if prev == nil || r == nil || name != "a post added, the other pages kept" {
			if r, err = New(fsys, cfg, WithBodyCache(NewBodyCache(dir))); err != nil {
				t.Fatal(err)
			}
		}
		out := NewMemOutput(prev)
		if _, err := r.Build(site, out); err != nil {
			t.Fatal(err)
		}
		prev = out
		checkLast(name, r)
	}
}

// newRenderer loads the site fsys and makes its renderer.
func newRenderer(t *testing.T, fsys fstest.MapFS, opts ...Option) (*Renderer, *content.Site) {
	t.Helper()
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	site, err := content.Load(fsys, cfg, content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(fsys, cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r, site
}

// TestBodyCacheMerges edits posts build after build: every build adds a
// pack, and past maxPacks the newer ones are merged, keeping the bodies of
// the current posts; the oldest pack joins the merge once most of its
// bodies are gone.
func TestBodyCacheMerges(t *testing.T) {
	dir := t.TempDir()
	fsys := testSite()
	edit := func(name, text string) {
		fsys["content/"+name] = &fstest.MapFile{Data: []byte("---\ntitle: " + name + "\ndate: 2024-02-01\n---\n" + text + "\n")}
	}
	build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))

	// A preview: one cache for every build, whose live bodies are its
	// last build's.
	preview := NewBodyCache(dir)
	var prev *MemOutput
	for i := range maxPacks {
		edit("posts/b.md", fmt.Sprintf("Version %d.", i))
		prev, _ = build(t, fsys, prev, WithBodyCache(preview))
	}
	// The first build: the 5 pages' bodies and scans, the 4 posts' feed
	// forms and search terms, the search index; then per edit a body, its
	// scan, its feed form, its search terms and the search index, of which
	// the merge keeps the last edit's. (A post's text goes from its search
	// terms to its search document in memory, not through the cache.)
	if got := fmt.Sprint(packBodies(t, dir)); got != fmt.Sprint([]int{19, 5}) {
		t.Fatalf("after %d edits in one preview, packs of %s bodies, want the first build's and one merged", maxPacks, got)
	}

	// `site build` after each edit of every post: a cache per build, whose
	// live bodies are the current ones. Above, the merge left the oldest
	// pack alone (its bodies but one were live); now none of them is, so
	// the merge takes it too, and only the current bodies remain.
	for i := range 2 * maxPacks {
		for _, name := range []string{"posts/a.md", "posts/b.md", "posts/c.md", "posts/d.md", "about.md"} {
			edit(name, fmt.Sprintf("Edit %d of %s.", i, name))
		}
		build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))
		if n := len(packs(t, dir)); n > maxPacks {
			t.Fatalf("%d packs after a build", n)
		}
		if got := packBodies(t, dir); len(got) == 1 {
			if got[0] != 19 {
				t.Errorf("the merge of every pack holds %d entries, want the bodies and scans of the 5 current pages, the posts' feed forms and search terms, and the search index", got[0])
			}
			out, _ := build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))
			fresh, _ := build(t, fsys, nil)
			sameFiles(t, out, fresh)
			return
		}
	}
	t.Fatalf("the oldest pack was never merged: packs of %v bodies", packBodies(t, dir))
}

func mustConfig(t *testing.T, fsys fstest.MapFS) *content.Config {
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestBodyKey(t *testing.T) {
	cfg := mustConfig(t, testSite())
	escape, omit, noAutolink := *cfg, *cfg, *cfg
	escape.RawHTML, omit.RawHTML = content.RawHTMLEscape, content.RawHTMLOmit
	noAutolink.Markdown.Autolink = new(false)
	base := &Renderer{cfg: cfg}
	pg := &content.Page{Body: []byte("x")}
	k := base.bodyKey(pg)
	for name, other := range map[string]Key{
		"body":            base.bodyKey(&content.Page{Body: []byte("y")}),
		"summary":         base.bodyKey(&content.Page{Body: []byte("x"), SummarySource: []byte("")}),
		"raw_html escape": (&Renderer{cfg: &escape}).bodyKey(pg),
		"raw_html omit":   (&Renderer{cfg: &omit}).bodyKey(pg),
		"autolink":        (&Renderer{cfg: &noAutolink}).bodyKey(pg),
		"engine":          (&Renderer{cfg: cfg, opts: options{engineVersion: "2"}}).bodyKey(pg),
		"field framing":   base.bodyKey(&content.Page{Body: []byte(""), SummarySource: []byte("x")}),
	} {
		if other == k {
			t.Errorf("a change of %s keeps the body key", name)
		}
	}
	if base.bodyKey(&content.Page{Body: []byte("x")}) != k {
		t.Error("the same input gives another key")
	}
}

func TestPublishInPlace(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	manifest := filepath.Join(dir, "cache", "published.json")
	fsys := testSite()
	publish := func(fsys fstest.MapFS, fail bool) error {
		return Publish(out, PublishOptions{Manifest: manifest}, func(o Output) error {
			cfg := mustConfig(t, fsys)
			site, err := content.Load(fsys, cfg, content.Options{Now: now})
			if err != nil {
				return err
			}
			r, err := New(fsys, cfg)
			if err != nil {
				return err
			}
			_, err = r.Build(site, o)
			if fail {
				return os.ErrInvalid
			}
			return err
		})
	}
	if err := publish(fsys, false); err != nil {
		t.Fatal(err)
	}
	inode := func(name string) uint64 {
		info, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			return 0
		}
		return statIno(info)
	}
	aPage, bPage := inode("2024/01/a/index.html"), inode("2024/02/b/index.html")

	fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\ndate: 2024-02-01\ntags: [y]\n---\nBeta, edited.\n")}
	delete(fsys, "content/posts/d.md")
	before := snapshot(t, out)
	if err := publish(fsys, true); err == nil {
		t.Fatal("a failing build published")
	}
	if after := snapshot(t, out); after != before {
		t.Fatal("a failed build changed the published site")
	}
	if err := publish(fsys, false); err != nil {
		t.Fatal(err)
	}
	if inode("2024/01/a/index.html") != aPage {
		t.Error("an unchanged page was rewritten")
	}
	if inode("2024/02/b/index.html") == bPage {
		t.Error("a changed page was not replaced")
	}
	if _, err := os.Stat(filepath.Join(out, "2024/04/d")); !os.IsNotExist(err) {
		t.Errorf("the deleted post's directory remains: %v", err)
	}
	fresh := filepath.Join(dir, "fresh")
	if err := Publish(fresh, PublishOptions{}, func(o Output) error {
		cfg := mustConfig(t, fsys)
		site, _ := content.Load(fsys, cfg, content.Options{Now: now})
		r, _ := New(fsys, cfg)
		_, err := r.Build(site, o)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if snapshot(t, out) != snapshot(t, fresh) {
		t.Error("the site updated in place differs from a fresh build")
	}
}

// snapshot describes a tree: every file's path and content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if info.IsDir() {
			b.WriteString(rel + "/\n")
			return nil
		}
		data, err := os.ReadFile(p)
		b.WriteString(rel + " " + string(data) + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestLanguage builds a site in French: the theme's words, its dates and
// the pages' own titles are French, and a site's i18n/fr.toml changes
// one of them.
func TestLanguage(t *testing.T) {
	fsys := testSite()
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\npaginate = 2\nlanguage = \"fr\"\n")}
	fsys["i18n/fr.toml"] = &fstest.MapFile{Data: []byte("read_more = \"Lire l’article\"\n")}
	out, stats := build(t, fsys, nil)
	if len(stats.Warnings) > 0 {
		t.Errorf("warnings: %v", stats.Warnings)
	}
	tls, err := stats.TLSPage(&badge.PageData{State: badge.NotEncrypted, JSONURL: badge.JSONPath, FeedURL: badge.FeedPath,
		History: []tlsinfo.Record{{SHA256: "01:23:45:67:89:AB:CD:EF:01", State: "issued", TrustState: "unverified", Issuer: "Pebble CA", KeyType: "RSA 2048",
			NotAfter: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), FirstServed: time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)}}})
	if err != nil {
		t.Fatal(err)
	}
	out.Files()["tls"] = tls
	for file, wants := range map[string][]string{
		"tls": {"<title>Le certificat de cette connexion · T</title>", "Cette page est arrivée en HTTP simple.",
			"Les mêmes données, pour les programmes\u00a0: <a href=\"/tls.json\">/tls.json</a>.", "<td>se dit Pebble CA</td><td><em>non vérifié</em></td>",
			`<th scope="col">Servi pour la première fois</th>`},
		"index.html":           {`<html lang="fr">`, "Lire l’article", "1 avril 2024", "1 min de lecture", "Plus anciens", "Aller au contenu", "Qui se porte garant de ce site\u202f?"},
		"page/2/index.html":    {"<title>(page 2) · T</title>", "Plus récents"},
		"archive/index.html":   {"<title>Archives · T</title>", "1 avr.", "4 articles"},
		"tags/index.html":      {"<title>Étiquettes · T</title>", `content="Toutes les étiquettes de T"`, "2 étiquettes, par nom"},
		"tags/x/index.html":    {"Articles avec l’étiquette <span class=\"tag-name\">x</span>", `content="Articles avec l’étiquette x sur T"`},
		"404.html":             {"<title>Page introuvable · T</title>"},
		"2024/04/d/index.html": {`<time class="dt-published" datetime="2024-04-01T00:00:00Z">1 avril 2024</time>`},
	} {
		page := string(out.Files()[file])
		for _, want := range wants {
			if !strings.Contains(page, want) {
				t.Errorf("%s does not hold %q", file, want)
			}
		}
	}
}

// TestLanguageBodyLabels checks that the names the engine gives in a
// post's body for screen readers, a heading's anchor link and a task
// without text, are in the site's language, and that a body cached in
// another language is not reused.
func TestLanguageBodyLabels(t *testing.T) {
	fsys := testSite()
	fsys["content/posts/d.md"] = &fstest.MapFile{Data: []byte("---\ntitle: D\ndate: 2024-04-01\n---\nDelta.\n\n## Section\n\n- [ ] \n")}
	cache := NewBodyCache("")
	for _, tc := range []struct{ lang, anchor, task string }{
		{"en", "Link to this section", "Task"},
		{"fr", "Lien vers cette section", "Tâche"},
		{"ja", "このセクションへのリンク", "タスク"},
	} {
		fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"" + tc.lang + "\"\n")}
		out, _ := build(t, fsys, nil, WithBodyCache(cache))
		page := string(out.Files()["2024/04/d/index.html"])
		for _, want := range []string{`<a class="anchor" href="#section" aria-label="` + tc.anchor + `"></a>`, `disabled aria-label="` + tc.task + `">`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the post does not hold %s", tc.lang, want)
			}
		}
		if want := `disabled aria-label=\"` + tc.task + `\"`; !strings.Contains(string(out.Files()["feed.json"]), want) {
			t.Errorf("%s: the JSON feed does not hold %s", tc.lang, want)
		}
	}
}

// TestLanguageBrokenMessage checks that a message of a page's title that
// does not fit its arguments fails the build at its line.
func TestLanguageBrokenMessage(t *testing.T) {
	fsys := testSite()
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\npaginate = 2\n\n[translations]\npage_title = \"Page %d %d %d\"\n")}
	r, site := newRenderer(t, fsys)
	_, err := r.Build(site, NewMemOutput(nil))
	if want := `T "page_title" [ 2]: site.toml:6: the message does not fit its arguments`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestReadingTimeJapanese checks that a Japanese post's reading time
// counts its characters: 2,500 of them are 5 minutes, where words
// between spaces would make one.
func TestReadingTimeJapanese(t *testing.T) {
	fsys := testSite()
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"ja\"\n")}
	fsys["content/posts/d.md"] = &fstest.MapFile{Data: []byte("---\ntitle: D\ndate: 2024-04-01\n---\n" + strings.Repeat("日本語で書かれた長い記事の一文です。ここまで二十五字。\n", 100))}
	out, _ := build(t, fsys, nil)
	page := string(out.Files()["2024/04/d/index.html"])
	for _, want := range []string{`<span class="reading-time">5 分で読めます</span>`, `>2024年4月1日</time>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the post does not hold %s", want)
		}
	}
}

// A build that fails (Abandon) does not add its bodies to the next
// build's: the next good build's Retain keeps that build's bodies only,
// however many builds failed before it.
func TestBodyCacheAbandon(t *testing.T) {
	key := func(s string) Key { return Key{s[0]} }
	// Each build puts its bodies, notes them Live, then Retains if it
	// succeeded, else Abandons.
	type build struct {
		bodies string // one letter a body
		ok     bool
	}
	for _, tc := range []struct {
		name   string
		builds []build
		kept   string // the bodies in memory after the builds
	}{
		{"good builds", []build{{"ab", true}, {"ac", true}}, "ac"},
		{"one failed", []build{{"ab", true}, {"ad", false}, {"ac", true}}, "ac"},
		{"failed in a row", []build{{"ab", true}, {"ad", false}, {"ae", false}, {"af", false}, {"ac", true}}, "ac"},
		{"failed first", []build{{"ad", false}, {"ac", true}}, "ac"},
		{"failed last", []build{{"ab", true}, {"ad", false}}, "abd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewBodyCache("")
			for _, b := range tc.builds {
				var keys []Key
				for _, s := range strings.Split(b.bodies, "") {
					c.Put(key(s), Rendered{Content: []byte(s)})
					keys = append(keys, key(s))
				}
				c.Live(keys)
				if b.ok {
					c.Retain()
				} else {
					c.Abandon()
				}
			}
			var kept []string
			for k := range c.mem {
				kept = append(kept, string(k[:1]))
			}
			sort.Strings(kept)
			if got := strings.Join(kept, ""); got != tc.kept {
				t.Errorf("kept %q, want %q", got, tc.kept)
			}
		})
	}
}
