package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"html"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/l10n"
	"github.com/siteblog/site/internal/par"
	"github.com/siteblog/site/render"
	"github.com/siteblog/site/themes"
)

// The live preview
//
// A Preview is what `site serve` runs for a writer: it builds the site in
// memory, serves it over plain HTTP, watches the site directory and builds
// again after every change, and tells the open pages over server-sent
// events (reload.go) to reload, to swap their stylesheet, or to show a
// build error.
//
// The pages served are render's output, as `site build` writes it, with
// two differences: the badge slot says the connection is a local preview
// over plain HTTP (PreviewBadge), and one script tag,
//
//	<script src="/_site/reload.js" data-key="KEY" defer></script>
//
// stands before </body>. KEY identifies the page's bytes, so the script
// can tell the server which version of the page it shows; no inline
// script is needed and `Content-Security-Policy: default-src 'self'` holds.
//
// A rebuild after a change is incremental at every step: the content
// Loader reads again only the files that changed, and render reuses every
// output file whose inputs did not change (render.MemOutput with Prev); the
// preview then prepares only the pages whose bytes changed, and Files keeps
// the served entries (ETag, gzip) of the others.

// URL paths of the preview's own files. A site file at the same path is
// hidden by them.
const (
	previewDir       = "/_site/"
	reloadScriptPath = previewDir + "reload.js"
	previewCSSPath   = previewDir + "preview.css"
	eventsPath       = previewDir + "events"
)

// previewBadge fills the badge slot of previewed pages: the connection to
// a preview is plain HTTP, and no certificate is involved.
var previewBadge = badge.PreviewBadge()

// PreviewOptions configure a Preview.
type PreviewOptions struct {
	// Dir is the site directory.
	Dir string
	// Content selects drafts and future posts. A zero Now is the moment of
	// each build.
	Content content.Options
	// Site is how the site directory is read (content.DirFS): with
	// Site.FollowSymlinks, links may lead outside it, and the watcher
	// follows a linked input tree there.
	Site content.DirOptions
	// EngineVersion names the engine in render's keys
	// (render.WithEngineVersion).
	EngineVersion string
	// BodyCacheDir keeps rendered post bodies on disk, shared with
	// `site build` (render.NewBodyCache), so a restart does not render
	// every post again. "" keeps them in memory only. Either way one cache
	// serves every renderer, so bodies survive template edits.
	BodyCacheDir string
	// Quiet is how long the site must be still after a change before the
	// rebuild. Default DefaultQuiet.
	Quiet time.Duration
	// Stdout receives one line per build; Stderr build errors and
	// warnings. Default: discard.
	Stdout, Stderr io.Writer
}

// BuildResult describes one build of a Preview.
type BuildResult struct {
	// Batch is what changed; empty for the first build.
	Batch Batch
	// Err is the build's failure; the previous build is still served.
	Err error
	// Stats are render's.
	Stats render.Stats
	// Changed lists the served files that are new or changed, Removed
	// those that are gone.
	Changed, Removed []string
	// Took is the time from the start of the build to the pages' being
	// told.
	Took time.Duration
}

// A Preview builds, serves and watches one site. Its rebuilds run one at a
// time, in the goroutine of Serve.
type Preview struct {
	opts    PreviewOptions
	fsys    fs.FS
	watcher *Watcher
	bodies  *render.BodyCache
	loader  *content.Loader

	cfg           *content.Config
	renderer      *render.Renderer
	dirtyConfig   bool // site.toml must be read again
	dirtyRenderer bool // the theme or layouts/ changed: a new Renderer is needed
	warned        map[string]bool
	csp           atomic.Pointer[[]string] // the site's Content-Security-Policy, from its last site.toml

	files *Files
	hub   *sseHub

	onBuild atomic.Pointer[func(BuildResult)] // for tests
	closed  sync.Once
}

// StartPreview starts watching the site directory and builds the site
// once. A site that does not build is still previewed: its pages show the
// errors until they are fixed. Only a directory that is not a site, or
// cannot be watched, is an error.
func StartPreview(opts PreviewOptions) (*Preview, error) {
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	if _, err := os.Stat(filepath.Join(opts.Dir, content.ConfigFile)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s is not a site directory: it has no %s (make one with site init)", opts.Dir, content.ConfigFile)
		}
		return nil, err
	}
	w, err := watch(opts.Dir, opts.Quiet, opts.Site.FollowSymlinks)
	if err != nil {
		return nil, err
	}
	fsys := content.DirFS(opts.Dir, opts.Site)
	p := &Preview{
		opts:          opts,
		fsys:          fsys,
		watcher:       w,
		bodies:        render.NewBodyCache(opts.BodyCacheDir),
		loader:        content.NewLoader(fsys, opts.Content),
		dirtyConfig:   true,
		dirtyRenderer: true,
		warned:        map[string]bool{},
		files:         &Files{},
		hub:           newSSEHub(),
	}
	p.rebuild(Batch{})
	return p, nil
}

// Serve serves the preview on ln and rebuilds after every change until ctx
// is done; it then closes the event streams, lets requests in flight
// finish, stops watching and returns nil. It returns early with the error
// of a listener that fails.
func (p *Preview) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           p.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          discardLog,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		for {
			select {
			case <-ctx.Done():
				return
			case b, ok := <-p.watcher.Batches():
				if !ok {
					return
				}
				p.rebuild(b)
			}
		}
	}()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	p.hub.close()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if serr := srv.Shutdown(shutdown); serr != nil && err == nil {
		err = serr
	}
	p.Close()
	<-loopDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Close stops watching. Serve calls it.
func (p *Preview) Close() error {
	var err error
	p.closed.Do(func() { err = p.watcher.Close() })
	return err
}

// Handler serves the last good build, the live-reload script and the event
// stream.
func (p *Preview) Handler() http.Handler { return http.HandlerFunc(p.serveHTTP) }

// rebuild applies a batch of changes and builds the site again; the pages
// open in browsers are told what became of them.
func (p *Preview) rebuild(b Batch) BuildResult {
	start := time.Now()
	res := BuildResult{Batch: b}
	if b.Err != nil {
		fmt.Fprintf(p.opts.Stderr, "warning: watching %s: %v\n", p.opts.Dir, b.Err)
	}
	if b.Rescan {
		// Events were lost: trust nothing read before.
		p.loader = content.NewLoader(p.fsys, p.opts.Content)
		p.dirtyConfig = true
	}
	for _, c := range b.Changes {
		switch top, _, _ := strings.Cut(c.Path, "/"); {
		case c.Path == content.ConfigFile:
			p.dirtyConfig = true // and with a new configuration, the loader reads every file again
		case top == themes.Dir || top == layoutsDir || top == l10n.Dir:
			// A Renderer parses the theme, and the user shortcodes of
			// themes/THEME/ and layouts/, and reads the messages of
			// i18n/, once.
			p.dirtyRenderer = true
		case top == content.ContentDir:
			p.loader.Forget(c.Path)
		}
		// static/ files are read by every build (render keys them by
		// content), and so are _includes/ and _data/: the pages whose
		// body an expander changed are expanded again by every build,
		// and a body whose expansion changed is rendered again. They
		// need nothing here.
	}
	prev := p.hub.current()
	site, out, stats, err := p.build(prev)
	if err != nil {
		res.Err = err
		res.Took = time.Since(start)
		p.hub.publish(prev.failed(err.Error()))
		p.report(res, true)
		return res
	}
	res.Stats = stats
	s := newSnapshot(prev, out, site, p.cfg.BasePath())
	res.Changed, res.Removed = s.diff(prev)
	p.files.SetSiteRedirects(s.served, out.Redirects)
	p.hub.publish(s)
	res.Took = time.Since(start)
	p.report(res, prev.err != "")
	return res
}

// build loads and renders the site, reusing what it can of prev.
func (p *Preview) build(prev *snapshot) (*content.Site, *render.MemOutput, render.Stats, error) {
	if p.dirtyConfig {
		cfg, err := content.LoadConfig(p.fsys, "")
		if err != nil {
			return nil, nil, render.Stats{}, err
		}
		p.cfg, p.dirtyConfig, p.dirtyRenderer = cfg, false, true
		p.csp.Store(&[]string{cfg.ContentSecurityPolicy()})
	}
	site, err := p.loader.Load(p.cfg)
	if err != nil {
		return nil, nil, render.Stats{}, err
	}
	if p.dirtyRenderer {
		r, err := render.New(p.fsys, p.cfg, render.WithBodyCache(p.bodies), render.WithEngineVersion(p.opts.EngineVersion))
		if err != nil {
			return nil, nil, render.Stats{}, err
		}
		p.renderer, p.dirtyRenderer = r, false
	}
	out := render.NewMemOutput(prev.out)
	stats, err := p.renderer.Build(site, out)
	out.Prev = nil // keep one build in memory, not a chain of them
	out.Redirects = stats.Redirects
	if err != nil {
		return nil, nil, render.Stats{}, err
	}
	return site, out, stats, nil
}

// report prints one line for a build, or its errors.
func (p *Preview) report(res BuildResult, wasBroken bool) {
	if fn := p.onBuild.Load(); fn != nil {
		defer (*fn)(res)
	}
	now := time.Now().Format("15:04:05")
	what := describe(res.Batch)
	if res.Err != nil {
		if what == "" {
			fmt.Fprintf(p.opts.Stderr, "%s build failed; the pages show the errors until they are fixed:\n%v\n", now, res.Err)
		} else {
			fmt.Fprintf(p.opts.Stderr, "%s %s: build failed; still serving the last good build:\n%v\n", now, what, res.Err)
		}
		return
	}
	for _, w := range res.Stats.Warnings {
		if s := w.String(); !p.warned[s] {
			p.warned[s] = true
			fmt.Fprintf(p.opts.Stderr, "warning: %s\n", s)
		}
	}
	st := res.Stats
	if what == "" {
		fmt.Fprintf(p.opts.Stdout, "built %d posts, %d tags, %d pages in %s\n", st.Posts, st.Tags, st.Pages, round(res.Took))
		return
	}
	fixed := ""
	if wasBroken {
		fixed = "; errors fixed"
	}
	fmt.Fprintf(p.opts.Stdout, "%s %s → %d of %d files made again, %d changed, %d removed, in %s%s\n",
		now, what, st.Files-st.Reused, st.Files, len(res.Changed), len(res.Removed), round(res.Took), fixed)
}

func round(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(100 * time.Microsecond)
}

// describe says what a batch changed: "edited content/posts/a.md",
// "created content/posts/b.md, removed content/posts/a.md", with at most
// three paths named.
func describe(b Batch) string {
	if b.Rescan {
		return "events were lost, so everything is read again"
	}
	var parts []string
	for i, c := range b.Changes {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(b.Changes)-3))
			break
		}
		verb := "edited"
		switch {
		case c.Op.Has(fsnotify.Create) && (c.Op.Has(fsnotify.Remove) || c.Op.Has(fsnotify.Rename)):
			verb = "replaced"
		case c.Op.Has(fsnotify.Create):
			verb = "created"
		case c.Op.Has(fsnotify.Remove):
			verb = "removed"
		case c.Op.Has(fsnotify.Rename):
			verb = "renamed"
		case c.Op == fsnotify.Chmod:
			verb = "touched"
		}
		parts = append(parts, verb+" "+c.Path)
	}
	return strings.Join(parts, ", ")
}

// A snapshot is one state of the preview: the last good build as render
// made it and as it is served, and the error of the latest build if it
// failed. Snapshots are never changed once published.
type snapshot struct {
	// out is render's output; nil until a build succeeds.
	out *render.MemOutput
	// served are the files as served: pages with the preview's badge and
	// script. A file whose bytes did not change keeps its slice, so Files
	// keeps its entry.
	served map[string][]byte
	// keys identify the bytes of each page (data-key of its script).
	keys map[string]string
	// base is the site's base path, "/" or "/blog/".
	base string
	// pages indexes the site's pages by source and by file, made when a
	// page that is gone needs to know where it went.
	pages *pageIndex
	// err is the latest build's error, "" when it succeeded.
	err string
}

// pageIndex relates the pages of a build to their sources.
type pageIndex struct {
	site *content.Site
	base string
	once sync.Once
	// sourceOf maps a page's file to its source; urlOf a source to its
	// page's URL path; bySource a source to its page.
	sourceOf, urlOf map[string]string
	bySource        map[string]*content.Page
}

func (x *pageIndex) get() *pageIndex {
	if x == nil {
		return &pageIndex{}
	}
	x.once.Do(func() {
		x.sourceOf, x.urlOf, x.bySource = map[string]string{}, map[string]string{}, map[string]*content.Page{}
		for _, pg := range slices.Concat(x.site.Posts, x.site.Pages) {
			x.sourceOf[fileOf(pg.URL)] = pg.Path
			x.urlOf[pg.Path] = (&url.URL{Path: strings.TrimSuffix(x.base, "/") + pg.URL}).EscapedPath()
			x.bySource[pg.Path] = pg
		}
	})
	return x
}

// noKey is the key of a page that is not a page of the site (the error
// page shown before any build has succeeded): it matches no page.
const noKey = "none"

// newSnapshot prepares a build for serving, reusing what prev had of it.
func newSnapshot(prev *snapshot, out *render.MemOutput, site *content.Site, base string) *snapshot {
	s := &snapshot{
		out:    out,
		served: make(map[string][]byte, len(out.Files)),
		keys:   map[string]string{},
		base:   base,
		pages:  &pageIndex{site: site, base: base},
	}
	var fresh []string // pages to prepare
	for name, data := range out.Files {
		if old, ok := prev.rawFile(name); ok && (sameSlice(old, data) || bytes.Equal(old, data)) {
			s.served[name] = prev.served[name]
			if k, ok := prev.keys[name]; ok {
				s.keys[name] = k
			}
			continue
		}
		if isPage(name) {
			fresh = append(fresh, name)
			continue
		}
		s.served[name] = data
	}
	prepared := make([][]byte, len(fresh))
	keys := make([]string, len(fresh))
	par.Do(len(fresh), func(i int) {
		data := out.Files[fresh[i]]
		keys[i] = pageKey(data)
		prepared[i] = injectPreview(data, keys[i])
	})
	for i, name := range fresh {
		s.served[name], s.keys[name] = prepared[i], keys[i]
	}
	return s
}

// failed is the snapshot after a failed build: the same site, the error.
func (s *snapshot) failed(msg string) *snapshot {
	f := *s
	f.err = msg
	return &f
}

// rawFile returns a file of the build as render made it.
func (s *snapshot) rawFile(name string) ([]byte, bool) {
	if s == nil || s.out == nil {
		return nil, false
	}
	data, ok := s.out.Files[name]
	return data, ok
}

// diff lists the served files that are new or changed since prev, and
// those that are gone.
func (s *snapshot) diff(prev *snapshot) (changed, removed []string) {
	for name, data := range s.served {
		if old, ok := prev.served[name]; !ok || !sameSlice(old, data) {
			changed = append(changed, name)
		}
	}
	for name := range prev.served {
		if _, ok := s.served[name]; !ok {
			removed = append(removed, name)
		}
	}
	slices.Sort(changed)
	slices.Sort(removed)
	return changed, removed
}

// lookup returns the file a URL path (as location.pathname has it) is
// served from, "" when it is not found (the 404 page is served), and the
// key of the page served.
func (s *snapshot) lookup(urlPath string) (name, key string) {
	if s.out == nil {
		return "", noKey
	}
	p, err := url.PathUnescape(urlPath)
	if err != nil {
		p = urlPath
	}
	if p+"/" == s.base {
		p = s.base
	}
	rel, ok := strings.CutPrefix(p, s.base)
	if ok {
		var candidates []string
		if rel == "" || strings.HasSuffix(rel, "/") {
			candidates = []string{rel + "index.html"}
		} else {
			candidates = []string{rel, rel + ".html", rel + "/index.html"}
		}
		for _, c := range candidates {
			if _, ok := s.served[c]; ok {
				return c, s.keys[c]
			}
		}
	}
	return "", s.keys["404.html"]
}

// movedTo returns where the page of old's file name went: the new URL of
// the same source, else of the source it was renamed to, else the index.
// A page file renamed (moved, or saved under a new name and the old one
// deleted) is one source gone and one come between the two builds, with
// the same title or the same text.
func (s *snapshot) movedTo(old *snapshot, name string) string {
	was, now := old.pages.get(), s.pages.get()
	src, ok := was.sourceOf[name]
	if !ok {
		return s.base
	}
	if u, ok := now.urlOf[src]; ok {
		return u
	}
	var gone, come []string
	for p := range was.urlOf {
		if _, ok := now.urlOf[p]; !ok {
			gone = append(gone, p)
		}
	}
	for p := range now.urlOf {
		if _, ok := was.urlOf[p]; !ok {
			come = append(come, p)
		}
	}
	if len(gone) == 1 && gone[0] == src && len(come) == 1 {
		a, b := was.bySource[src], now.bySource[come[0]]
		if a.Title == b.Title || bytes.Equal(a.Body, b.Body) {
			return now.urlOf[come[0]]
		}
	}
	return s.base
}

// A cssSwap is a stylesheet that changed: its URL before and after.
type cssSwap struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// fingerprinted splits an asset name as render makes it,
// "style.0123456789.css", into its stem and extension.
var fingerprinted = regexp.MustCompile(`^(.*)\.[0-9a-f]{10}(\.[^./]*)$`)

// cssSwaps pairs the stylesheets of old that s has under a new
// fingerprint.
func (s *snapshot) cssSwaps(old *snapshot) []cssSwap {
	stems := func(snap *snapshot, other *snapshot) map[string]string {
		m := map[string]string{}
		for name := range snap.out.Files {
			if !strings.HasPrefix(name, render.AssetDir+"/") || !strings.HasSuffix(name, ".css") {
				continue
			}
			if _, both := other.out.Files[name]; both {
				continue
			}
			if sm := fingerprinted.FindStringSubmatch(name); sm != nil {
				m[sm[1]+sm[2]] = name
			}
		}
		return m
	}
	before, after := stems(old, s), stems(s, old)
	var swaps []cssSwap
	for stem, from := range before {
		if to, ok := after[stem]; ok {
			swaps = append(swaps, cssSwap{From: s.urlPath(from), To: s.urlPath(to)})
		}
	}
	slices.SortFunc(swaps, func(a, b cssSwap) int { return strings.Compare(a.From, b.From) })
	return swaps
}

// urlPath is the URL path of an output file.
func (s *snapshot) urlPath(name string) string {
	return (&url.URL{Path: s.base + name}).EscapedPath()
}

// cssOnly reports whether page name of old became the page of s by the
// stylesheet swaps alone.
func cssOnly(old, s *snapshot, name string, swaps []cssSwap) bool {
	a, okA := old.rawFile(name)
	b, okB := s.rawFile(name)
	if !okA || !okB || len(swaps) == 0 {
		return false
	}
	for _, sw := range swaps {
		a = bytes.ReplaceAll(a, []byte(sw.From), []byte(sw.To))
	}
	return bytes.Equal(a, b)
}

func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func isPage(name string) bool { return strings.HasSuffix(name, ".html") }

// fileOf returns the output file of a site path: "/a/" is "a/index.html",
// "/a" is "a.html" (see content.FileOf).
func fileOf(p string) string { return content.FileOf(p) }

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// pageKey identifies a page's bytes. It only has to tell the versions of
// one page apart, and is computed for every changed page of every build,
// so it is a fast checksum rather than a cryptographic hash.
func pageKey(data []byte) string {
	return fmt.Sprintf("%08x%x", crc32.Checksum(data, castagnoli), len(data))
}

// reloadTag is the script tag put in every page.
func reloadTag(key string) string {
	return `<script src="` + reloadScriptPath + `" data-key="` + key + `" defer></script>` + "\n"
}

var bodyEnd = []byte("</body>")

// injectPreview returns a page as the preview serves it: with
// previewBadge in its badge slot and the reload script before </body>
// (at the end of a page without one).
func injectPreview(page []byte, key string) []byte {
	tag := reloadTag(key)
	if slot, ok := badge.Cut(page); ok {
		page = slot.With(previewBadge)
	}
	out := append(make([]byte, 0, len(page)+len(tag)), page...)
	at := bytes.LastIndex(out, bodyEnd)
	if at < 0 {
		return append(out, tag...)
	}
	return slices.Insert(out, at, []byte(tag)...)
}

var discardLog = log.New(io.Discard, "", 0)

// previewHeaders are set on every response of the preview: the same
// strict policy as production, with the sources of the site's [csp], so a
// preview shows what the policy blocks.
func (p *Preview) previewHeaders(h http.Header) {
	csp := []string{CSP}
	if site := p.csp.Load(); site != nil {
		csp = *site
	}
	h["Content-Security-Policy"] = csp
	h["X-Content-Type-Options"] = []string{"nosniff"}
	h["Referrer-Policy"] = []string{ReferrerPolicy}
}

func (p *Preview) serveHTTP(w http.ResponseWriter, r *http.Request) {
	p.previewHeaders(w.Header())
	switch r.URL.Path {
	case eventsPath:
		p.hub.ServeHTTP(w, r)
		return
	case reloadScriptPath:
		serveOwn(w, r, reloadScript)
		return
	case previewCSSPath:
		serveOwn(w, r, previewCSS)
		return
	}
	s := p.hub.current()
	if s.out == nil {
		p.serveBroken(w, r, s)
		return
	}
	// The site lives under its base URL's path, as it will when
	// published; the root leads there.
	serveUnder(s.base, previewDir+"missing", p.files, &previewWriter{ResponseWriter: w}, r)
}

// previewWriter adapts Files' responses to a preview: nothing but the
// fingerprinted assets may be cached without asking again, since a
// writer changes files under the same names.
type previewWriter struct {
	http.ResponseWriter
}

var noCache = []string{"no-cache"}

func (w *previewWriter) WriteHeader(code int) {
	h := w.Header()
	if cc := h["Cache-Control"]; len(cc) == 1 && cc[0] != cacheAssets {
		h["Cache-Control"] = noCache
	}
	w.ResponseWriter.WriteHeader(code)
}

// serveBroken answers every request while no build has succeeded: a page
// listing the errors, which reloads when the site builds.
func (p *Preview) serveBroken(w http.ResponseWriter, r *http.Request, s *snapshot) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method == http.MethodHead {
		return
	}
	fmt.Fprintf(w, `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The site does not build · site serve</title>
<link rel="stylesheet" href="%s">
</head>
<body class="site-preview-broken">
<main>
<h1>The site does not build yet</h1>
<p>Fix these problems; this page reloads by itself when the site builds.</p>
<pre class="site-preview-errors">%s</pre>
</main>
%s</body>
</html>
`, previewCSSPath, html.EscapeString(s.err), reloadTag(noKey))
}

// serveOwn answers one of the preview's own files (reload.js,
// preview.css) as Files answers the site's, to be asked for again each
// time.
func serveOwn(w http.ResponseWriter, r *http.Request, b *body) {
	if allowGetHead(w, r) {
		serveBody(w, r, b, "no-cache", http.StatusOK)
	}
}
