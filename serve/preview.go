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
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/layered"
	"github.com/siteblog/site/internal/par"
	"github.com/siteblog/site/render"
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
// A rebuild after a change is incremental at every step: the pipeline
// (render.Pipeline) reads again only the files that changed and reuses
// every output file whose inputs did not change; its report lists the
// files it added, changed and removed, and the preview prepares only
// those pages again, and Files keeps the served entries (ETag, gzip) of
// the others.

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
	// Shown is, for a save built in place (of pages' bodies or a post's
	// front matter), the time from the start of the build to the saved
	// pages' being served and the browser pages open on them told,
	// before the files that list them were made
	// (render.Pipeline.BuildMemShown); zero for other builds.
	Shown time.Duration
}

// A Preview builds, serves and watches one site. Its rebuilds run one at a
// time, in the goroutine of Serve.
type Preview struct {
	opts     PreviewOptions
	watcher  *Watcher
	pipeline *render.Pipeline
	warned   map[string]bool
	csp      atomic.Pointer[[]string] // the site's Content-Security-Policy, from its last site.toml

	files *Files
	hub   *sseHub

	// prepared is closed when the pipeline has made what the next save
	// keeps of the last build (render.Pipeline.PrepareRebuild), which
	// runs in the background after each build; the next build waits
	// for it.
	prepared atomic.Pointer[chan struct{}]

	onBuild       atomic.Pointer[func(BuildResult)] // for tests
	beforePrepare atomic.Pointer[func()]            // for tests: runs in the background before the pipeline prepares
	afterShown    atomic.Pointer[func()]            // for tests: runs when a save's pages are shown, before the rest is made
	closed        sync.Once
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
		opts:    opts,
		watcher: w,
		// One body cache for every Renderer the pipeline makes, so bodies
		// survive template edits.
		pipeline: render.NewPipeline(fsys, render.PipelineOptions{Content: opts.Content, Render: []render.Option{
			render.WithBodyCache(render.NewBodyCache(opts.BodyCacheDir)), render.WithEngineVersion(opts.EngineVersion)}}),
		warned: map[string]bool{},
		files:  &Files{},
		hub:    newSSEHub(),
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
				p.waitPrepared() // the pipeline tells transient paths by its last load and build
				if b = p.forBuild(b); b.Rescan || len(b.Changes) > 0 {
					p.rebuild(b)
				}
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
	p.waitPrepared() // of a build the loop began while Close waited
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Close stops watching, and waits for the work the last build left in
// the background. Serve calls it.
func (p *Preview) Close() error {
	var err error
	p.closed.Do(func() { err = p.watcher.Close() })
	p.waitPrepared()
	return err
}

// prepare has the pipeline make, in the background, what the next save
// keeps of the build that just succeeded (render.Pipeline.PrepareRebuild:
// nothing after a build in place, which keeps it): the first save after
// the preview starts, or after a full build, is then as fast as the
// next. The pages are served meanwhile; the next build waits for it.
func (p *Preview) prepare() {
	done := make(chan struct{})
	p.prepared.Store(&done)
	go func() {
		defer close(done)
		if fn := p.beforePrepare.Load(); fn != nil {
			(*fn)()
		}
		p.pipeline.PrepareRebuild()
	}()
}

// waitPrepared returns once the pipeline's work in the background is
// done: the pipeline is used by one build at a time.
func (p *Preview) waitPrepared() {
	if done := p.prepared.Load(); done != nil {
		<-*done
	}
}

// Handler serves the last good build, the live-reload script and the event
// stream.
func (p *Preview) Handler() http.Handler { return http.HandlerFunc(p.serveHTTP) }

// forBuild returns b as the pipeline takes it: without the paths that
// came and went since the site was last loaded (render.Pipeline.Transient),
// an editor's temporary files, which would otherwise make a save of one
// post a full build, and a batch of nothing else one at all; and with each
// change noting whether the last load found its path (Change.Found), for
// the build's line.
func (p *Preview) forBuild(b Batch) Batch {
	b.Changes = slices.DeleteFunc(slices.Clone(b.Changes), func(c Change) bool { return p.pipeline.Transient(c.Path) })
	for i, c := range b.Changes {
		b.Changes[i].Found = p.pipeline.Found(c.Path)
	}
	return b
}

// rebuild applies a batch of changes and builds the site again; the pages
// open in browsers are told what became of them.
func (p *Preview) rebuild(b Batch) BuildResult {
	start := time.Now()
	res := BuildResult{Batch: b}
	p.waitPrepared()
	if b.Err != nil {
		fmt.Fprintf(p.opts.Stderr, "warning: watching %s: %v\n", p.opts.Dir, b.Err)
	}
	if b.Rescan {
		// Events were lost: trust nothing read before.
		p.pipeline.Rescan()
	}
	for _, c := range b.Changes {
		p.pipeline.Changed(c.Path)
	}
	prev := p.hub.current()
	wasBroken := prev.err != ""
	var shown *render.Report // of the saved pages, shown first
	out, rep, err := p.pipeline.BuildMemShown(func(out *render.MemOutput, rep *render.Report) {
		s := prev.next(out, rep)
		p.files.setChanges(s.served, out.Redirects, rep.Written(), rep.Removed)
		p.hub.publish(s)
		prev, shown = s, rep
		res.Shown = time.Since(start)
		if fn := p.afterShown.Load(); fn != nil {
			(*fn)()
		}
	})
	if cfg, cerr := p.pipeline.Config(); cerr == nil { // the error page too is served under the site's policy
		p.csp.Store(&[]string{cfg.ContentSecurityPolicy()})
	}
	if err != nil {
		res.Err = err
		if shown != nil { // served since
			res.Changed, res.Removed = shown.Written(), shown.Removed
		}
		res.Took = time.Since(start)
		p.hub.publish(prev.failed(err.Error()))
		p.report(res, true)
		return res
	}
	res.Stats = rep.Stats
	s := prev.next(out, rep)
	p.files.setChanges(s.served, out.Redirects, rep.Written(), rep.Removed)
	p.hub.publish(s)
	if shown != nil {
		rep = shown.Then(rep)
	}
	res.Changed, res.Removed = rep.Written(), rep.Removed
	res.Took = time.Since(start)
	p.report(res, wasBroken)
	p.prepare()
	return res
}

// report prints one line for a build, or its errors.
func (p *Preview) report(res BuildResult, wasBroken bool) {
	if fn := p.onBuild.Load(); fn != nil {
		defer (*fn)(res)
	}
	now := time.Now().Format("15:04:05")
	what := describe(res.Batch)
	if res.Err != nil {
		switch {
		case what == "":
			fmt.Fprintf(p.opts.Stderr, "%s build failed; the pages show the errors until they are fixed:\n%v\n", now, res.Err)
		case res.Shown > 0:
			fmt.Fprintf(p.opts.Stderr, "%s %s: build failed after its pages were made; serving those, and the rest of the last good build:\n%v\n", now, what, res.Err)
		default:
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
	shown := ""
	if res.Shown > 0 {
		shown = fmt.Sprintf(" (the page shown in %s)", round(res.Shown))
		if len(res.Batch.Changes) > 1 {
			shown = fmt.Sprintf(" (the pages shown in %s)", round(res.Shown))
		}
	}
	fmt.Fprintf(p.opts.Stdout, "%s %s → %d of %d files made again, %d changed, %d removed, in %s%s%s\n",
		now, what, st.Files-st.Reused, st.Files, len(res.Changed), len(res.Removed), round(res.Took), shown, fixed)
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
		case c.Op.Has(fsnotify.Create) && (c.Op.Has(fsnotify.Remove) || c.Op.Has(fsnotify.Rename) || c.Found):
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
	// report is the build's (render.Report): its pages' sources, its
	// assets.
	report *render.Report
	// served are the files as served: pages with the preview's badge and
	// script. Each snapshot's share those of the last but the files its
	// build wrote and removed (layered).
	served *layered.Map[[]byte]
	// keys identify the bytes of each page (data-key of its script).
	keys *layered.Map[string]
	// base is the site's base path, "/" or "/blog/".
	base string
	// err is the latest build's error, "" when it succeeded.
	err string
}

// noKey is the key of a page that is not a page of the site (the error
// page shown before any build has succeeded): it matches no page.
const noKey = "none"

// next is the snapshot of the build out, whose report rep says what it
// added, changed and removed since the build of s: the files s serves,
// with those prepared again (the pages with the preview's badge and
// script, and their keys).
func (s *snapshot) next(out *render.MemOutput, rep *render.Report) *snapshot {
	written := rep.Written()
	served := make(map[string][]byte, len(written))
	keys := make(map[string]string, len(written))
	var pages, others []string
	for _, name := range written {
		if isPage(name) {
			pages = append(pages, name)
		} else {
			served[name], _ = out.File(name)
			others = append(others, name)
		}
	}
	prepared := make([][]byte, len(pages))
	pageKeys := make([]string, len(pages))
	par.Do(len(pages), func(i int) {
		data, _ := out.File(pages[i])
		pageKeys[i] = pageKey(data)
		prepared[i] = injectPreview(data, pageKeys[i])
	})
	for i, name := range pages {
		served[name], keys[name] = prepared[i], pageKeys[i]
	}
	return &snapshot{
		out:    out,
		report: rep,
		served: s.served.With(served, rep.Removed),
		keys:   s.keys.With(keys, slices.Concat(rep.Removed, others)),
		base:   rep.Config.BasePath(),
	}
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
	return s.out.File(name)
}

// page returns the source of the page served from file name, or nil.
func (s *snapshot) page(name string) *content.Page {
	if s.report == nil {
		return nil
	}
	return s.report.Page(name)
}

// pageURL is the URL path of a page, as location.pathname has it.
func (s *snapshot) pageURL(pg *content.Page) string {
	return (&url.URL{Path: strings.TrimSuffix(s.base, "/") + pg.URL}).EscapedPath()
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
			if s.served.Has(c) {
				key, _ = s.keys.Get(c)
				return c, key
			}
		}
	}
	key, _ = s.keys.Get("404.html")
	return "", key
}

// movedTo returns where the page of old's file name went: the new URL of
// the same source, else of the source it was renamed to, else the index.
// A page file renamed (moved, or saved under a new name and the old one
// deleted) is one source gone and one come between the two builds, with
// the same title or the same text, which a full build finds.
func (s *snapshot) movedTo(old *snapshot, name string) string {
	was := old.page(name) // a post moved in place: old's report still finds it by name
	if was == nil || s.report == nil || old.report == nil {
		return s.base
	}
	if s.report.Site == old.report.Site {
		// Built in place (render.Pipeline.BuildMemShown): the post was
		// changed where it is, so was is the page now, at its new URL;
		// no build in place takes a page out. Looking among the site's
		// pages would cost, for every open tab of the post, time that
		// grows with the site.
		return s.pageURL(was)
	}
	now := map[string]*content.Page{}
	for _, pg := range s.report.Site.All() {
		now[pg.Path] = pg
	}
	if pg, ok := now[was.Path]; ok {
		return s.pageURL(pg)
	}
	before := map[string]bool{}
	var gone []string
	for _, pg := range old.report.Site.All() {
		before[pg.Path] = true
		if now[pg.Path] == nil {
			gone = append(gone, pg.Path)
		}
	}
	var come []*content.Page
	for p, pg := range now {
		if !before[p] {
			come = append(come, pg)
		}
	}
	if len(gone) == 1 && gone[0] == was.Path && len(come) == 1 {
		if b := come[0]; was.Title == b.Title || bytes.Equal(was.Body, b.Body) {
			return s.pageURL(b)
		}
	}
	return s.base
}

// A cssSwap is a stylesheet that changed: its URL before and after.
type cssSwap struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// cssSwaps pairs the stylesheets of old that s has under a new
// fingerprint: render's report names each theme asset's file.
func (s *snapshot) cssSwaps(old *snapshot) []cssSwap {
	if s.report == nil || old.report == nil {
		return nil
	}
	var swaps []cssSwap
	for asset, from := range old.report.Assets {
		if to, ok := s.report.Assets[asset]; ok && to != from && strings.HasSuffix(asset, ".css") {
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

func isPage(name string) bool { return strings.HasSuffix(name, ".html") }

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
// The page is copied once, into a slice with room for the script: a
// site's archive is a megabyte at 10,000 posts.
func injectPreview(page []byte, key string) []byte {
	tag := reloadTag(key)
	var out []byte
	if slot, ok := badge.Cut(page); ok {
		out = slot.AppendWith(make([]byte, 0, slot.Len(len(previewBadge))+len(tag)), previewBadge)
	} else {
		out = append(make([]byte, 0, len(page)+len(tag)), page...)
	}
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
