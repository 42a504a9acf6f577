package serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/internal/testenv"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/render"
	"github.com/siteblog/site/themes"
)

// testNow is the moment of every test build, so that the preview and the
// full builds it is compared with agree on what is in the future.
var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// testSite is a small site with what a rebuild must handle: posts with
// tags, enough of them to paginate, a standalone page, a page bundle with
// an image, a static file, and a theme overriding the default theme's post
// template and stylesheet.
func testSite(t *testing.T) map[string]string {
	t.Helper()
	read := func(name string) string {
		data, err := fs.ReadFile(themes.Default, name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	files := map[string]string{
		"site.toml": `title = "Preview Test"
base_url = "https://blog.example.org/"
theme = "mine"
paginate = 2
`,
		"content/about.md":                   "---\ntitle: About\n---\n\nAbout this blog.\n",
		"content/posts/bundle/index.md":      "---\ntitle: A bundle\ndate: 2024-03-01\ntags: [pictures]\n---\n\n![a dot](dot.svg)\n",
		"content/posts/bundle/dot.svg":       `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><circle cx="2" cy="2" r="2"/></svg>`,
		"static/images/logo.svg":             `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>`,
		"themes/mine/templates/post.html":    read("templates/post.html"),
		"themes/mine/assets/style.css":       read("assets/style.css"),
		"themes/mine/templates/.post.html.x": "ignored",
	}
	for i := 1; i <= 5; i++ {
		files[fmt.Sprintf("content/posts/post-%d.md", i)] = fmt.Sprintf(
			"---\ntitle: Post number %d\ndate: 2024-0%d-10\ntags: [go, %s]\n---\n\nThe body of post %d.\n\n```go\nfmt.Println(%d)\n```\n",
			i, i, []string{"web", "tls", "web", "feeds", "tls"}[i-1], i, i)
	}
	return files
}

// previewEnv is a preview of a site in a temporary directory, served on
// a loopback port.
type previewEnv struct {
	t      *testing.T
	dir    string
	p      *Preview
	url    string // "http://127.0.0.1:PORT"
	builds chan BuildResult
	log    *previewLog
	stop   func() // shuts the preview down and waits for it
	// nbuilds counts the builds after the first.
	nbuilds atomic.Int32
}

// previewLog collects a preview's output.
type previewLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *previewLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *previewLog) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startPreview writes files to a new directory and previews it.
func startPreview(t *testing.T, files map[string]string) *previewEnv {
	t.Helper()
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, files)
	return previewSiteDir(t, dir)
}

func previewSiteDir(t *testing.T, dir string) *previewEnv {
	t.Helper()
	return previewAt(t, dir, "127.0.0.1:0")
}

// previewAt previews the site in dir on addr.
func previewAt(t *testing.T, dir, addr string) *previewEnv {
	t.Helper()
	return previewQuiet(t, dir, addr, testQuiet)
}

// previewQuiet previews the site in dir on addr, rebuilding once the site
// has been quiet for quiet.
func previewQuiet(t *testing.T, dir, addr string, quiet time.Duration) *previewEnv {
	t.Helper()
	log := &previewLog{}
	p, err := StartPreview(PreviewOptions{
		Dir:     dir,
		Content: content.Options{Now: testNow},
		Quiet:   quiet,
		Stdout:  log,
		Stderr:  log,
	})
	if err != nil {
		t.Fatal(err)
	}
	e := &previewEnv{t: t, dir: dir, p: p, builds: make(chan BuildResult, 100), log: log}
	record := func(r BuildResult) {
		e.nbuilds.Add(1)
		select {
		case e.builds <- r:
		default:
		}
	}
	p.onBuild.Store(&record)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.Close()
		t.Fatal(err)
	}
	e.url = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Serve(ctx, ln) }()
	e.stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	t.Cleanup(func() {
		e.stop()
		if t.Failed() {
			t.Logf("preview output:\n%s", log.String())
		}
	})
	return e
}

// write writes files of the site.
func (e *previewEnv) write(files map[string]string) {
	e.t.Helper()
	testenv.WriteFiles(e.t, e.dir, files)
}

// edit replaces old by new in a file of the site, which must contain it.
func (e *previewEnv) edit(name, old, new string) {
	e.t.Helper()
	p := filepath.Join(e.dir, filepath.FromSlash(name))
	data, err := os.ReadFile(p)
	if err != nil {
		e.t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		e.t.Fatalf("%s does not contain %q", name, old)
	}
	if err := os.WriteFile(p, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// saveByRename replaces a file the way many editors save: a new file
// beside it, renamed over it.
func (e *previewEnv) saveByRename(name, data string) {
	e.t.Helper()
	p := filepath.Join(e.dir, filepath.FromSlash(name))
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".swp")
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		e.t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		e.t.Fatal(err)
	}
}

func (e *previewEnv) remove(name string) {
	e.t.Helper()
	if err := os.Remove(filepath.Join(e.dir, filepath.FromSlash(name))); err != nil {
		e.t.Fatal(err)
	}
}

func (e *previewEnv) rename(from, to string) {
	e.t.Helper()
	if err := os.Rename(filepath.Join(e.dir, filepath.FromSlash(from)), filepath.Join(e.dir, filepath.FromSlash(to))); err != nil {
		e.t.Fatal(err)
	}
}

// fullBuild renders the site directory as it is now from scratch: a new
// loader, a new renderer, and an output without a previous build.
func fullBuild(dir string) (map[string][]byte, error) {
	out, err := render.BuildInMemory(os.DirFS(dir), content.Options{Now: testNow})
	if err != nil {
		return nil, err
	}
	return out.Files(), nil
}

var (
	reloadTagRE = regexp.MustCompile(`<script src="/_site/reload\.js" data-key="[0-9a-f]+" defer></script>\n`)
	buildSlot   = strings.TrimSuffix(strings.TrimPrefix(string(badge.StaticSlot), badge.Start), badge.End)
)

// unserve undoes what the preview adds to a page: its script tag, of which
// there must be exactly one, and its badge.
func unserve(name string, data []byte) ([]byte, error) {
	if !strings.HasSuffix(name, ".html") {
		return data, nil
	}
	if n := len(reloadTagRE.FindAll(data, -1)); n != 1 {
		return nil, fmt.Errorf("%s: %d reload script tags, want 1", name, n)
	}
	if !bytes.Contains(data, []byte("</script>\n</body>")) {
		return nil, fmt.Errorf("%s: the reload script is not right before </body>", name)
	}
	data = reloadTagRE.ReplaceAll(data, nil)
	if bytes.Contains(data, []byte(badge.Start)) {
		if !bytes.Contains(data, previewBadge) {
			return nil, fmt.Errorf("%s: the badge is not the preview's", name)
		}
		data, _ = badge.Replace(data, []byte(buildSlot))
	}
	return data, nil
}

// siteDiff compares a served site with a full build, file by file.
func siteDiff(served, want map[string][]byte) []string {
	var diffs []string
	for _, name := range slices.Sorted(mapsKeys(want)) {
		got, ok := served[name]
		if !ok {
			diffs = append(diffs, name+": not served")
			continue
		}
		plain, err := unserve(name, got)
		if err != nil {
			diffs = append(diffs, err.Error())
			continue
		}
		if !bytes.Equal(plain, want[name]) {
			diffs = append(diffs, name+": differs from the full build"+firstDifference(plain, want[name]))
		}
	}
	for _, name := range slices.Sorted(mapsKeys(served)) {
		if _, ok := want[name]; !ok {
			diffs = append(diffs, name+": served, but not in the full build")
		}
	}
	return diffs
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	clip := func(s []byte) string { return string(s[max(0, i-40):min(len(s), i+60)]) }
	return fmt.Sprintf(" at byte %d:\n  served: %q\n  build:  %q", i, clip(a), clip(b))
}

// served returns the files the preview serves, none before a build
// succeeded.
func (e *previewEnv) served() map[string][]byte {
	if e.p.hub.current().out == nil {
		return nil
	}
	return e.p.files.Site()
}

// waitServed waits until the preview serves what a full build of the site
// directory makes, checking after each build, and returns the last build.
func (e *previewEnv) waitServed(what string) BuildResult {
	e.t.Helper()
	want, err := fullBuild(e.dir)
	if err != nil {
		e.t.Fatalf("%s: full build: %v", what, err)
	}
	var last BuildResult
	deadline := time.After(10 * time.Second)
	for {
		last = e.drain(last)
		diffs := siteDiff(e.served(), want)
		if len(diffs) == 0 && e.p.hub.current().err == "" {
			return last
		}
		select {
		case last = <-e.builds:
		case <-deadline:
			if len(diffs) > 10 {
				diffs = append(diffs[:10], fmt.Sprintf("… and %d more", len(diffs)-10))
			}
			e.t.Fatalf("%s: after 10s the preview does not serve the full build:\n%s\nbuild error: %s",
				what, strings.Join(diffs, "\n"), e.p.hub.current().err)
		}
	}
}

// drain takes the builds reported so far, and returns the last of them,
// or last if there is none.
func (e *previewEnv) drain(last BuildResult) BuildResult {
	for {
		select {
		case last = <-e.builds:
		default:
			return last
		}
	}
}

// nextBuild waits for the next build the preview reports.
func (e *previewEnv) nextBuild(what string) BuildResult {
	e.t.Helper()
	select {
	case r := <-e.builds:
		return r
	case <-time.After(10 * time.Second):
		e.t.Fatalf("%s: no build after 10s", what)
		return BuildResult{}
	}
}

// waitError waits until a build fails with a message containing want,
// checking after each build.
func (e *previewEnv) waitError(want string) string {
	e.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		e.drain(BuildResult{})
		msg := e.p.hub.current().err
		if strings.Contains(msg, want) {
			return msg
		}
		select {
		case <-e.builds:
		case <-deadline:
			e.t.Fatalf("no build error containing %q after 10s; error: %q", want, msg)
		}
	}
}

// get fetches a URL path of the preview.
func (e *previewEnv) get(path string) (*http.Response, string) {
	e.t.Helper()
	resp, err := http.Get(e.url + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(body)
}

// After every kind of change, the preview serves exactly what a full build
// of the changed files makes.
func TestPreviewRebuildEqualsFullBuild(t *testing.T) {
	e := startPreview(t, testSite(t))
	e.waitServed("first build")
	total := len(e.p.files.Site())

	steps := []struct {
		name   string
		change func()
		check  func(BuildResult)
	}{
		{"edit a post's body", func() {
			e.edit("content/posts/post-3.md", "The body of post 3.", "The body of post 3, edited.")
		}, func(r BuildResult) {
			if made := r.Stats.Files - r.Stats.Reused; made == 0 || made > total/2 {
				t.Errorf("an edit of one body made %d of %d files again", made, total)
			}
		}},
		{"save a post by renaming over it", func() {
			e.saveByRename("content/posts/post-2.md", "---\ntitle: Post number 2\ndate: 2024-02-10\ntags: [go, tls]\n---\n\nSaved by rename.\n")
		}, nil},
		{"edit a post's title, tags and date", func() {
			e.write(map[string]string{"content/posts/post-4.md": "---\ntitle: Post four, retitled\ndate: 2023-12-24\ntags: [new-tag]\n---\n\nThe body of post 4.\n"})
		}, nil},
		{"add a post", func() {
			e.write(map[string]string{"content/posts/post-6.md": "---\ntitle: Post number 6\ndate: 2024-07-01\ntags: [go]\n---\n\nNew.\n"})
		}, nil},
		{"delete a post", func() { e.remove("content/posts/post-1.md") }, nil},
		{"rename a post file", func() { e.rename("content/posts/post-5.md", "content/posts/2024-05-10-five.md") }, nil},
		{"add a bundle directory", func() {
			e.write(map[string]string{
				"content/posts/trip/index.md": "---\ntitle: A trip\ndate: 2024-04-20\n---\n\n![map](map.svg)\n",
				"content/posts/trip/map.svg":  `<svg xmlns="http://www.w3.org/2000/svg"/>`,
			})
		}, nil},
		{"edit a bundle's image", func() {
			e.write(map[string]string{"content/posts/bundle/dot.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>`})
		}, nil},
		{"edit the template override", func() {
			e.edit("themes/mine/templates/post.html", `<article class="post h-entry">`, `<article class="post h-entry edited">`)
		}, nil},
		{"add a template override", func() {
			data, _ := fs.ReadFile(themes.Default, "templates/page.html")
			e.write(map[string]string{"themes/mine/templates/page.html": strings.Replace(string(data), "{{", "<!-- mine -->{{", 1)})
		}, nil},
		{"edit site.toml", func() {
			e.edit("site.toml", `title = "Preview Test"`, `title = "Preview Test, renamed"`)
		}, nil},
		{"edit the theme's stylesheet", func() {
			e.edit("themes/mine/assets/style.css", "/*", "/* edited */\n/*")
		}, nil},
		{"add a static file", func() {
			e.write(map[string]string{"static/files/notes.txt": "notes"})
		}, nil},
		{"edit a static file", func() {
			e.write(map[string]string{"static/images/logo.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>`})
		}, nil},
		{"remove the theme override's stylesheet", func() { e.remove("themes/mine/assets/style.css") }, nil},
		{"change the paginate setting", func() { e.edit("site.toml", "paginate = 2", "paginate = 3") }, nil},
	}
	for _, s := range steps {
		s.change()
		r := e.waitServed(s.name)
		if s.check != nil {
			s.check(r)
		}
	}
	if out := e.log.String(); !strings.Contains(out, "edited content/posts/post-3.md → ") {
		t.Errorf("no rebuild line for the edit of post-3.md in the output:\n%s", out)
	}
}

// Editors' saves that leave temporary files in the events of their
// directory build in place all the same, and a file that comes and goes
// alone builds nothing; a file of the site that goes is taken in.
func TestPreviewEditorTemporaryFiles(t *testing.T) {
	e := startPreview(t, testSite(t))
	e.waitServed("first build")
	post := func(n int, body string) string {
		return fmt.Sprintf("---\ntitle: Post number %d\ndate: 2024-0%d-10\ntags: [go, %s]\n---\n\n%s\n", n, n, []string{"web", "tls", "web", "feeds", "tls"}[n-1], body)
	}
	path := func(name string) string { return filepath.Join(e.dir, filepath.FromSlash(name)) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []struct {
		name    string
		inPlace bool   // a save of a post's body: built in place, its page shown first
		line    string // what the build's line says changed; "" where the save's events may come in two batches
		save    func()
	}{
		{"vim, backupcopy=no", true, "replaced content/posts/post-3.md", func() {
			// The directory tested with a file 4913, the post renamed to
			// its backup, written anew, the backup removed.
			must(os.WriteFile(path("content/posts/4913"), nil, 0o644))
			must(os.Remove(path("content/posts/4913")))
			must(os.Rename(path("content/posts/post-3.md"), path("content/posts/post-3.md~")))
			must(os.WriteFile(path("content/posts/post-3.md"), []byte(post(3, "Saved by vim.")), 0o644))
			must(os.Remove(path("content/posts/post-3.md~")))
		}},
		{"sed -i", true, "replaced content/posts/post-3.md", func() {
			must(os.WriteFile(path("content/posts/sedAb12Cd"), []byte(post(3, "Saved by sed.")), 0o644))
			must(os.Rename(path("content/posts/sedAb12Cd"), path("content/posts/post-3.md")))
		}},
		{"a bundle's directory moved out of the site, with a post's body saved", false, "", func() {
			// One event of the directory, none of its files: the last load
			// found it, so it is a change, not a transient path.
			must(os.Rename(path("content/posts/bundle"), filepath.Join(t.TempDir(), "bundle")))
			must(os.WriteFile(path("content/posts/post-3.md"), []byte(post(3, "Saved once more.")), 0o644))
		}},
		{"a temporary file of a static file's editor", false, "replaced static/images/logo.svg", func() {
			must(os.WriteFile(path("static/images/logo.svg.tmp-1"), []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="7" height="7"/>`), 0o644))
			must(os.Rename(path("static/images/logo.svg.tmp-1"), path("static/images/logo.svg")))
		}},
	} {
		s.save()
		r := e.waitServed(s.name)
		for _, c := range r.Batch.Changes {
			if c.Path != "content/posts/post-3.md" && c.Path != "static/images/logo.svg" && c.Path != "content/posts/bundle" {
				t.Errorf("%s: the build's batch holds %s, which came and went", s.name, c.Path)
			}
		}
		if s.inPlace && r.Shown == 0 {
			t.Errorf("%s: a save of a post's body was not built in place (its page shown first)", s.name)
		}
		if got := describe(r.Batch); s.line != "" && got != s.line {
			t.Errorf("%s: the build's line says %q, want %q", s.name, got, s.line)
		}
	}

	// A batch of a file that came and went alone is no build: the next
	// build is that of the next batch, a file of the site that goes.
	before := e.nbuilds.Load()
	e.p.watcher.batches <- Batch{Changes: []Change{{Path: "content/posts/4913", Op: fsnotify.Create | fsnotify.Remove}}}
	e.remove("static/images/logo.svg")
	if r := e.nextBuild("a static file removed"); len(r.Batch.Changes) != 1 || r.Batch.Changes[0].Path != "static/images/logo.svg" {
		t.Errorf("the build after a batch of a file that came and went saw %v, want static/images/logo.svg alone", r.Batch.Changes)
	}
	e.waitServed("a static file removed")
	if n := e.nbuilds.Load() - before; n != 1 {
		t.Errorf("%d builds for a batch of a file that came and went and one of a file removed, want 1:\n%s", n, e.log.String())
	}
}

// A build that fails keeps the last good build served, says why with file
// and line, and recovers when the problem is fixed.
func TestPreviewBuildErrors(t *testing.T) {
	e := startPreview(t, testSite(t))
	e.waitServed("first build")

	cases := []struct {
		name        string
		break_, fix func()
		want        string
	}{
		{"front matter",
			func() { e.edit("content/posts/post-2.md", "tags: [go, tls]", "tags: [go, tls") },
			func() { e.edit("content/posts/post-2.md", "tags: [go, tls", "tags: [go, tls]") },
			"content/posts/post-2.md:4"},
		{"template",
			func() {
				e.edit("themes/mine/templates/post.html", `{{template "post-meta" .}}`, `{{template "post-meta" .`)
			},
			func() {
				e.edit("themes/mine/templates/post.html", `{{template "post-meta" .`, `{{template "post-meta" .}}`)
			},
			"themes/mine/templates/post.html:"},
		{"site.toml",
			func() { e.edit("site.toml", "paginate = 2", "paginate = 2\nno_such_key = 1") },
			func() { e.edit("site.toml", "paginate = 2\nno_such_key = 1", "paginate = 2") },
			"site.toml:5"},
	}
	for _, c := range cases {
		before := e.p.files.Site()
		c.break_()
		msg := e.waitError(c.want)
		if !reflectSameSite(before, e.p.files.Site()) {
			t.Errorf("%s: the served site changed after a failed build", c.name)
		}
		if !strings.Contains(e.log.String(), msg) {
			t.Errorf("%s: the error %q is not in the terminal output", c.name, msg)
		}
		// A content edit while the template or configuration is broken
		// must not hide the problem.
		e.drain(BuildResult{})
		e.edit("content/posts/post-1.md", "The body of post 1.", "The body of post 1!")
		if r := e.nextBuild(c.name + ", content edited"); r.Err == nil || !strings.Contains(r.Err.Error(), c.want) {
			t.Errorf("%s: the build after a content edit: error %v, want one containing %q", c.name, r.Err, c.want)
		}
		e.waitError(c.want)
		e.edit("content/posts/post-1.md", "The body of post 1!", "The body of post 1.")
		c.fix()
		e.waitServed(c.name + " fixed")
	}
}

// reflectSameSite reports whether two served sites are the same files.
func reflectSameSite(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			return false
		}
	}
	return true
}

// A site that does not build at the start is previewed with its errors,
// and served as soon as it builds.
func TestPreviewBrokenAtStart(t *testing.T) {
	files := testSite(t)
	files["content/posts/post-3.md"] = "---\ntitle: Broken\ndate: not a date\n---\n"
	e := startPreview(t, files)
	resp, body := e.get("/2024/03/post-number-3/")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", resp.StatusCode)
	}
	for _, want := range []string{"content/posts/post-3.md:3", `<script src="/_site/reload.js" data-key="none" defer></script>`, previewCSSPath} {
		if !strings.Contains(body, want) {
			t.Errorf("the error page lacks %q:\n%s", want, body)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); csp != CSP {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	e.write(map[string]string{"content/posts/post-3.md": "---\ntitle: Post number 3\ndate: 2024-03-10\n---\n\nFixed.\n"})
	e.waitServed("fixed")
	if resp, _ := e.get("/2024/03/post-number-3/"); resp.StatusCode != 200 {
		t.Errorf("after the fix: status %d", resp.StatusCode)
	}
}

func TestPreviewHTTP(t *testing.T) {
	e := startPreview(t, testSite(t))
	e.waitServed("first build")

	resp, body := e.get("/2024/02/post-number-2/")
	if resp.StatusCode != 200 || !strings.Contains(body, "The body of post 2.") {
		t.Fatalf("post: %d\n%s", resp.StatusCode, body)
	}
	for h, want := range map[string]string{
		"Content-Security-Policy": CSP,
		"Content-Type":            "text/html; charset=utf-8",
		"Cache-Control":           "no-cache",
		"X-Content-Type-Options":  "nosniff",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if !strings.Contains(body, `data-state="not-encrypted"`) || strings.Contains(body, "tls-note") {
		t.Error("the badge does not say plain HTTP")
	}

	resp, body = e.get("/no/such/page/")
	notFound := e.p.files.Site()["404.html"]
	if resp.StatusCode != 404 || body != string(notFound) {
		t.Errorf("unknown path: status %d, want 404 with the theme's 404 page", resp.StatusCode)
	}
	if !strings.Contains(body, "/_site/reload.js") {
		t.Error("the 404 page lacks the reload script")
	}

	resp, body = e.get(reloadScriptPath)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" || !strings.Contains(body, "EventSource") {
		t.Errorf("%s: %d %q", reloadScriptPath, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	req, _ := http.NewRequest("GET", e.url+reloadScriptPath, nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET of the script: %v %v", resp.StatusCode, err)
	}
	resp, body = e.get(previewCSSPath)
	if resp.StatusCode != 200 || !strings.Contains(body, ".site-preview-error") {
		t.Errorf("%s: %d", previewCSSPath, resp.StatusCode)
	}

	// Static files are revalidated: a writer changes them under one name.
	resp, _ = e.get("/images/logo.svg")
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("static file: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	// Fingerprinted assets are immutable.
	for name := range e.p.files.Site() {
		if strings.HasPrefix(name, "assets/style.") {
			resp, _ = e.get("/" + name)
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("%s: Cache-Control %q", name, cc)
			}
		}
	}
}

func TestInjectPreview(t *testing.T) {
	page := []byte("<html><body><p>x</p>" + string(badge.StaticSlot) + "\n</body>\n</html>\n")
	got := string(injectPreview(page, "k1"))
	want := "<html><body><p>x</p>" + badge.Start + string(previewBadge) + badge.End + "\n" + reloadTag("k1") + "</body>\n</html>\n"
	if got != want {
		t.Errorf("injectPreview:\n got %q\nwant %q", got, want)
	}
	// A template without </body> or a badge still gets the script.
	if got := string(injectPreview([]byte("<p>bare</p>"), "k2")); got != "<p>bare</p>"+reloadTag("k2") {
		t.Errorf("bare page: %q", got)
	}
	if pageKey([]byte("a")) == pageKey([]byte("b")) || pageKey([]byte("a")) != pageKey([]byte("a")) {
		t.Error("pageKey does not tell pages apart")
	}
}

func TestDescribe(t *testing.T) {
	for _, c := range []struct {
		b    Batch
		want string
	}{
		{Batch{Changes: []Change{{"content/posts/a.md", 2, true}}}, "edited content/posts/a.md"},
		{Batch{Changes: []Change{{"content/posts/a.md", 1 | 2, false}, {"content/posts/b.md", 4, true}}}, "created content/posts/a.md, removed content/posts/b.md"},
		{Batch{Changes: []Change{{"a", 8, true}, {"b", 1 | 8, true}, {"c", 16, true}, {"d", 2, true}, {"e", 2, true}}}, "renamed a, replaced b, touched c, and 2 more"},
		// sed -i: its temporary file renamed over the post, a Create alone.
		{Batch{Changes: []Change{{"content/posts/a.md", 1, true}}}, "replaced content/posts/a.md"},
		{Batch{Rescan: true}, "events were lost, so everything is read again"},
	} {
		if got := describe(c.b); got != c.want {
			t.Errorf("describe(%v) = %q, want %q", c.b.Changes, got, c.want)
		}
	}
}

// Files keeps the entry of every file a rebuild's report does not name
// (SetSiteChanges), so a rebuild's cost follows what changed; SetSite
// indexes every file afresh.
func TestFilesSetSiteChangesKeepsUnchangedEntries(t *testing.T) {
	f := NewFiles(map[string][]byte{"a.txt": []byte("same bytes"), "b.txt": []byte("old"), "c.txt": []byte("gone")})
	before := f.site.Load()
	f.SetSiteChanges(map[string][]byte{"a.txt": []byte("same bytes"), "b.txt": []byte("new")}, nil, []string{"b.txt"}, []string{"c.txt"})
	after := f.site.Load()
	if after.file("a.txt") != before.file("a.txt") {
		t.Error("the entry of a file the report does not name was made again")
	}
	if after.file("b.txt") == before.file("b.txt") || string(after.file("b.txt").data) != "new" {
		t.Error("the entry of a changed file was kept")
	}
	if after.file("c.txt") != nil {
		t.Error("a removed file is still served")
	}
	f.SetSite(map[string][]byte{"a.txt": []byte("same bytes")})
	if f.site.Load().file("a.txt") == after.file("a.txt") {
		t.Error("SetSite kept an entry")
	}

	// The routes of a changed page follow it, under each of its URLs.
	f.SetSite(map[string][]byte{"a.txt": []byte("a"), "index.html": []byte("home"), "d/index.html": []byte("old d")})
	f.SetSiteChanges(map[string][]byte{"a.txt": []byte("a"), "index.html": []byte("new home"), "d/index.html": []byte("new d")}, nil,
		[]string{"d/index.html", "index.html"}, nil)
	set := f.site.Load()
	for urlPath, want := range map[string]string{"/": "new home", "/index.html": "new home", "/d/": "new d", "/d/index.html": "new d", "/a.txt": "a"} {
		if fl, _ := set.find(urlPath); fl == nil || string(fl.data) != want {
			t.Errorf("%s after an edit: %v, want %q", urlPath, fl, want)
		}
	}
	if _, to := set.find("/d"); to != "/d/" {
		t.Errorf("/d redirects to %q, want /d/", to)
	}
}

// A rescan (events were lost) reads everything again, even files the
// loader was not told about.
func TestPreviewRescan(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, testSite(t))
	p, err := StartPreview(PreviewOptions{Dir: dir, Content: content.Options{Now: testNow}, Quiet: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	testenv.WriteFiles(t, dir, map[string]string{"content/posts/post-1.md": "---\ntitle: Post number 1\ndate: 2024-01-10\n---\n\nChanged behind the loader's back.\n"})
	want, err := fullBuild(dir)
	if err != nil {
		t.Fatal(err)
	}
	p.rebuild(Batch{}) // no change reported: the loader keeps what it read
	if diffs := siteDiff(p.files.Site(), want); len(diffs) == 0 {
		t.Fatal("a rebuild with no changes read the file again; the test shows nothing")
	}
	p.rebuild(Batch{Rescan: true})
	if diffs := siteDiff(p.files.Site(), want); len(diffs) > 0 {
		t.Errorf("after a rescan:\n%s", strings.Join(diffs, "\n"))
	}
}

// The changes of one burst, to many files, are one rebuild.
func TestPreviewBurstIsOneRebuild(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, testSite(t))
	e := previewQuiet(t, dir, "127.0.0.1:0", 250*time.Millisecond)
	e.waitServed("first build")
	before := e.nbuilds.Load()
	for i := 10; i < 30; i++ {
		e.write(map[string]string{fmt.Sprintf("content/posts/burst-%d.md", i): fmt.Sprintf("---\ntitle: Burst %d\ndate: 2023-01-%02d\n---\n\nx\n", i, i)})
	}
	e.edit("themes/mine/assets/style.css", "/*", "/* burst */\n/*")
	e.edit("site.toml", "paginate = 2", "paginate = 4")
	r := e.waitServed("burst")
	// A change after the burst is built next: had the burst been split,
	// its second part would be a build before this one.
	e.write(map[string]string{"content/posts/after.md": "---\ntitle: After\ndate: 2023-02-01\n---\n\nx\n"})
	if after := e.nextBuild("a change after the burst"); len(after.Batch.Changes) != 1 || after.Batch.Changes[0].Path != "content/posts/after.md" {
		t.Errorf("the build after the burst's saw %v, want content/posts/after.md alone", after.Batch.Changes)
	}
	if n := e.nbuilds.Load() - before; n != 2 {
		t.Fatalf("%d rebuilds for one burst and one change, want 2:\n%s", n, e.log.String())
	}
	if n := len(r.Batch.Changes); n != 22 {
		t.Errorf("the rebuild saw %d changes, want 22", n)
	}
}

// expanderSite is testSite with pages that other engines' syntax makes
// read files outside content/: a Hugo shortcode of layouts/shortcodes/
// (and one of no file yet), a Jekyll include of _includes/, Jekyll data of
// _data/; and a Go blog post showing a file of content/ with {{code}}.
func expanderSite(t *testing.T) map[string]string {
	files := testSite(t)
	files["content/posts/hugo.md"] = "---\ntitle: Hugo\ndate: 2024-06-01\n---\n\nBefore {{< x >}} after.\n\n{{< note/box >}}boxed{{< /note/box >}}\n"
	files["layouts/shortcodes/x.html"] = `<span class="x">shortcode, first version</span>`
	files["content/posts/jekyll.md"] = "---\ntitle: Jekyll\ndate: 2024-06-02\n---\n\n{% include note.html %}\n\nWritten by {{ site.data.people.author }}.\n"
	files["_includes/note.html"] = "> An include, first version.\n"
	files["_data/people.yml"] = "author: Ann\n"
	files["content/posts/goblog.md"] = "---\ntitle: Go blog\ndate: 2024-06-03\ntemplate: true\n---\n\nThe code:\n\n{{code \"goblog/main.go\"}}\n"
	files["content/posts/goblog/main.go"] = "package main\n\nfunc main() { println(\"first version\") }\n"
	return files
}

// Edits of the files the expanders read outside content/ reach the pages
// that use them.
func TestPreviewFollowsExpanderFiles(t *testing.T) {
	e := startPreview(t, expanderSite(t))
	e.waitServed("first build")
	const hugoPage, jekyllPage = "/2024/06/hugo/", "/2024/06/jekyll/"
	for page, want := range map[string]string{hugoPage: "shortcode, first version", jekyllPage: "An include, first version.", "/2024/06/go-blog/": "first version"} {
		if _, body := e.get(page); !strings.Contains(body, want) {
			t.Fatalf("first build: %s lacks %q", page, want)
		}
	}
	if _, body := e.get(hugoPage); strings.Contains(body, `class="box"`) {
		t.Fatal("first build: the page shows a shortcode whose template does not exist yet")
	}
	steps := []struct {
		name       string
		change     func()
		path, page string // the file changed, the page that shows it
		want       string
	}{
		{"edit a shortcode template", func() {
			e.edit("layouts/shortcodes/x.html", "first version", "second version")
		}, "layouts/shortcodes/x.html", hugoPage, `<span class="x">shortcode, second version</span>`},
		{"save a shortcode template by renaming over it", func() {
			e.saveByRename("layouts/shortcodes/x.html", `<b class="x">shortcode, third version</b>`)
		}, "layouts/shortcodes/x.html", hugoPage, `<b class="x">shortcode, third version</b>`},
		{"edit an include", func() {
			e.edit("_includes/note.html", "first version", "second version")
		}, "_includes/note.html", jekyllPage, "An include, second version."},
		{"edit a data file", func() {
			e.edit("_data/people.yml", "Ann", "Bea")
		}, "_data/people.yml", jekyllPage, "Written by Bea."},
		{"edit a file a Go blog post shows", func() {
			e.edit("content/posts/goblog/main.go", "first version", "second version")
		}, "content/posts/goblog/main.go", "/2024/06/go-blog/", "second version"},
		{"add a shortcode in a new directory", func() {
			e.write(map[string]string{"layouts/_shortcodes/note/box.html": `<aside class="box">{{ .Inner }}</aside>`})
		}, "layouts/_shortcodes/note/box.html", hugoPage, `<aside class="box">boxed</aside>`},
	}
	for _, s := range steps {
		s.change()
		r := e.waitServed(s.name)
		if !hasChange(r.Batch, s.path, 0) {
			t.Errorf("%s: the last rebuild saw %v, not %s", s.name, r.Batch.Paths(), s.path)
		}
		if _, body := e.get(s.page); !strings.Contains(body, s.want) {
			t.Errorf("%s: %s lacks %q", s.name, s.page, s.want)
		}
	}
}

// layouts/shortcodes/ and _includes/ created after the preview started are
// followed: a page calling a shortcode or an include that did not exist
// shows it once the file is written.
func TestPreviewExpanderDirsCreatedLater(t *testing.T) {
	files := expanderSite(t)
	delete(files, "layouts/shortcodes/x.html")
	delete(files, "_includes/note.html")
	e := startPreview(t, files)
	e.waitServed("first build")
	if _, body := e.get("/2024/06/hugo/"); strings.Contains(body, "shortcode, first version") {
		t.Fatal("the shortcode's output is shown before its template exists")
	}
	e.write(map[string]string{"layouts/shortcodes/x.html": `<span class="x">shortcode, created later</span>`})
	e.waitServed("create layouts/shortcodes/")
	if _, body := e.get("/2024/06/hugo/"); !strings.Contains(body, `<span class="x">shortcode, created later</span>`) {
		t.Errorf("the page does not show the shortcode created later:\n%s", body)
	}
	e.edit("layouts/shortcodes/x.html", "created later", "edited")
	e.waitServed("edit the new template")
	if _, body := e.get("/2024/06/hugo/"); !strings.Contains(body, `<span class="x">shortcode, edited</span>`) {
		t.Errorf("the page does not show the edit of the new template:\n%s", body)
	}
	e.write(map[string]string{"_includes/note.html": "> An include, created later.\n"})
	e.waitServed("create _includes/")
	if _, body := e.get("/2024/06/jekyll/"); !strings.Contains(body, "An include, created later.") {
		t.Errorf("the page does not show the include created later:\n%s", body)
	}
}
