package render

import (
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/l10n"
	"github.com/siteblog/site/themes"
)

// A Pipeline loads, renders and publishes one site directory, build after
// build: `site build` runs it once into a directory (Publish), the
// production server once into memory (BuildMem), the preview after every
// change (Changed, then BuildMem). It owns what builds share: the content
// Loader (which reads again only the files it is told changed), the
// configuration, the Renderer (the theme's templates, the body cache and
// the per-post state kept between builds) and, in memory, the last good
// build, which the next one reuses file by file. Every build returns a
// Report of the output files it added, changed and removed; that report
// is the only account of what changed. A Pipeline is not safe for
// concurrent use: one build at a time.
type Pipeline struct {
	fsys fs.FS
	opts PipelineOptions

	loader        *content.Loader
	cfg           *content.Config
	renderer      *Renderer
	dirtyConfig   bool // site.toml must be read again
	dirtyRenderer bool // the theme, layouts/ or i18n/ changed: a new Renderer
	// pending are the Markdown files under content/ changed since the
	// last good build; other is whether anything else changed, which
	// only a full build takes in.
	pending map[string]bool
	other   bool
	// bodyBuilds counts the builds in place of changed bodies only, and
	// frontBuilds those of a post's front matter, good or failed, for
	// tests.
	bodyBuilds, frontBuilds int

	last *MemOutput // the last good build in memory, nil before one
}

// PipelineOptions configure a Pipeline.
type PipelineOptions struct {
	// BaseURL replaces site.toml's base_url when not "".
	BaseURL string
	// Content selects drafts and future posts.
	Content content.Options
	// Render configures the Renderer: the engine's version, the body
	// cache, a progress display.
	Render []Option
	// OneBuild says the pipeline builds once, as `site build` and the
	// production server (which serves that build from memory) do: it
	// keeps nothing for a next build (neither the pages read nor each
	// post's search terms, nor the bodies the body cache reads back from
	// its directory), and lets go of each page's Markdown once the page's
	// body is in the body cache (rendered and put there, or found there),
	// which gives it back from then on. A large site then builds in less
	// memory: the Markdown of 100,000 posts is about 450 MB, their search
	// terms about 300 MB. What the cache fails to give back is made again
	// from the page's file, which must not have changed since it was
	// loaded (else the build fails, naming it). A next build reads every
	// page again and is a whole build, never one in place. Default: false,
	// for build after build.
	OneBuild bool
}

// NewPipeline returns the pipeline of the site directory fsys
// (content.DirFS). Nothing is read before the first build.
func NewPipeline(fsys fs.FS, opts PipelineOptions) *Pipeline {
	return &Pipeline{
		fsys:          fsys,
		opts:          opts,
		loader:        content.NewLoader(fsys, opts.Content),
		dirtyConfig:   true,
		dirtyRenderer: true,
	}
}

// Layouts is the directory of the site's own shortcodes (Hugo's
// layouts/shortcodes/), which the Renderer reads once.
const Layouts = "layouts"

// Changed tells the pipeline that these files of the site directory
// (slash-separated paths: "content/posts/a.md", "site.toml") changed, so
// that the next build reads them again: site.toml is the configuration,
// which every page depends on; the theme (themes/), the site's
// shortcodes (layouts/) and words (i18n/) make a new Renderer; a file
// under content/ is read again by the Loader. Other files (static/,
// _includes/, _data/) need nothing: every build reads and keys them.
func (p *Pipeline) Changed(paths ...string) {
	for _, name := range paths {
		switch top, _, _ := strings.Cut(name, "/"); {
		case name == content.ConfigFile:
			p.dirtyConfig = true // and with a new configuration, the loader reads every file again
		case top == themes.Dir || top == Layouts || top == l10n.Dir:
			p.dirtyRenderer = true
		case top == content.ContentDir && content.IsMarkdown(name):
			if p.pending == nil {
				p.pending = map[string]bool{}
			}
			p.pending[name] = true
			continue
		}
		p.other = true
	}
}

// Transient reports whether name, a path of the site directory
// (slash-separated, as for Changed) under content/ or static/, came and
// went since the site was last loaded: it is not there now, the last
// load, good or failed, did not find it (content.Loader.Found) as file,
// directory or link, the last build's expanders did not read it
// ({{code}}, readFile, include), and the directory it was in is there
// (a watcher may name a file by the name its directory had before a
// rename). Editors leave such files in the events of a save: vim writes
// and removes 4913 to test the directory, sed -i renames its temporary
// file over the post. They change nothing, so a batch of changes may
// leave them out before Changed, and a save of one post stays a build
// in place. It reports false before the site is loaded, after a build
// that failed to render (what its expanders read is not known), and
// when a state cannot be read.
func (p *Pipeline) Transient(name string) bool {
	top, _, _ := strings.Cut(name, "/")
	dir := path.Dir(name)
	if top != content.ContentDir && top != content.StaticDir || dir == "." || !p.loader.Loaded() || p.loader.Found(name) {
		return false
	}
	if r := p.renderer; r == nil || r.last == nil || r.last.readByExpanders[name] {
		return false
	}
	if info, err := fs.Stat(p.fsys, dir); err != nil || !info.IsDir() {
		return false
	}
	_, err := fs.Lstat(p.fsys, name)
	return errors.Is(err, fs.ErrNotExist)
}

// Found reports whether the last load of the site, good or failed, found
// name (a slash-separated path of the site directory) under content/ or
// static/ (content.Loader.Found).
func (p *Pipeline) Found(name string) bool { return p.loader.Found(name) }

// Rescan makes the next build read everything again, as after changes
// that were not all told (a watcher that lost events).
func (p *Pipeline) Rescan() {
	p.loader = content.NewLoader(p.fsys, p.opts.Content)
	p.dirtyConfig, p.other = true, true
}

// Config returns the site's configuration as the next build reads it.
func (p *Pipeline) Config() (*content.Config, error) {
	if p.dirtyConfig {
		cfg, err := content.LoadConfig(p.fsys, p.opts.BaseURL)
		if err != nil {
			return nil, err
		}
		p.cfg, p.dirtyConfig, p.dirtyRenderer = cfg, false, true
	}
	return p.cfg, nil
}

// Build loads the site (what changed since the last build), renders it
// into out and reports what it wrote. An out that is a Reuser keeps the
// files whose inputs did not change, and the report is relative to the
// build it holds; any other out gets every file, all reported added.
func (p *Pipeline) Build(out Output) (*Report, error) {
	cfg, err := p.Config()
	if err != nil {
		return nil, err
	}
	for name := range p.pending {
		p.loader.Forget(name)
	}
	site, err := p.loader.Load(cfg)
	if err != nil {
		return nil, err
	}
	if p.opts.OneBuild {
		// The pages read are this build's alone, which lets go of their
		// Markdown as it renders it.
		p.loader = content.NewLoader(p.fsys, p.opts.Content)
	}
	if p.dirtyRenderer || p.renderer == nil {
		opts := p.opts.Render
		if p.opts.OneBuild {
			opts = append(slices.Clip(opts), func(o *options) { o.oneBuild = true })
		}
		r, err := New(p.fsys, cfg, opts...)
		if err != nil {
			return nil, err
		}
		p.renderer, p.dirtyRenderer = r, false
	}
	rep, err := p.renderer.build(site, out)
	if err != nil {
		return nil, err
	}
	p.pending, p.other = nil, false
	return rep, nil
}

// buildBodies is BuildMem for changes of Markdown files whose front
// matter is the same (Renderer.rebuildBodies): it reports false, having
// built nothing, when the changes are others. It builds in two steps,
// the pages first (see BuildMemShown).
func (p *Pipeline) buildBodies(shown func(*MemOutput, *Report)) (*MemOutput, *Report, bool, error) {
	if len(p.pending) == 0 {
		return nil, nil, false, nil
	}
	early, ok := p.inPlaceOutput()
	if !ok {
		return nil, nil, false, nil
	}
	r := p.renderer
	var changes []bodyChange
	var was, warned content.Errors
	for name := range p.pending {
		old := r.lastPage(name)
		if old == nil {
			return nil, nil, false, nil // new, or not a page of the site
		}
		pg, errs, warns, before := p.loader.Reread(p.cfg, name)
		if len(errs) > 0 || pg == nil || !onlyBodyChanged(old, pg) {
			return nil, nil, false, nil
		}
		changes = append(changes, bodyChange{old: old, now: pg})
		was, warned = append(was, before...), append(warned, warns...)
	}
	var earlyRep *Report
	out, rep, err := r.rebuildBodies(changes, was, warned, early, p.showing(shown, &earlyRep))
	if err == errExpanded {
		return nil, nil, false, nil
	}
	p.bodyBuilds++
	out, rep, err = p.settle(shown, early, earlyRep, out, rep, err)
	return out, rep, true, err
}

// inPlaceOutput returns the output the first step of a build in place
// is made into, over the last build, and whether the last build can be
// brought up to date in place: only content changed since it, it is the
// Renderer's last, and no future post has come due since.
func (p *Pipeline) inPlaceOutput() (*MemOutput, bool) {
	r := p.renderer
	early := NewMemOutput(p.last)
	if p.dirtyConfig || p.dirtyRenderer || p.other || r == nil || !r.canRebuildBodies(early) {
		return nil, false
	}
	if r.last.site.Future > 0 && !p.opts.Content.Future && !p.now().Before(r.last.site.NextFuture) {
		return nil, false // a future post has come due: the loader decides
	}
	return early, true
}

// showing is the function a build in place calls after its first step:
// it notes the first step's report in *early, gives the output the
// report's TLSPage and Redirects (as BuildMemShown does its result), and
// shows it with shown if not nil.
func (p *Pipeline) showing(shown func(*MemOutput, *Report), early **Report) func(*MemOutput, *Report) {
	return func(out *MemOutput, rep *Report) {
		*early = rep
		out.TLSPage, out.Redirects = rep.TLSPage, rep.Redirects
		if shown != nil {
			shown(out, rep)
		}
	}
}

// settle ends a build in place of two steps, the first into early
// (earlyRep its report, nil if the first step did not finish), the
// second into out (rep its report, relative to early, and err its
// error): a build that failed after early was shown leaves early the
// last good build. A good one leaves no change pending and, without
// shown, returns the two steps' reports as one, relative to the last
// build, which the Renderer then keeps as its last build's (where a
// next save notes a post it moves).
func (p *Pipeline) settle(shown func(*MemOutput, *Report), early *MemOutput, earlyRep *Report, out *MemOutput, rep *Report, err error) (*MemOutput, *Report, error) {
	early.Prev = nil // the last build: keep one in memory, not a chain
	if err != nil {
		if earlyRep != nil && shown != nil {
			p.last = early // the files shown are those the next build is compared with
		}
		return nil, nil, err
	}
	p.pending = nil
	if shown == nil {
		rep = earlyRep.Then(rep)
		p.renderer.last.report = rep // which a next save's moved post is noted in
	}
	return out, rep, nil
}

// buildFrontMatter is BuildMem for a change of one post's front matter
// that keeps the site's shape (content.Loader.Update, then
// Renderer.rebuildFrontMatter): it reports false, having built nothing,
// when the change is another. It builds in two steps, the post's page
// first, then the rest (see BuildMemShown); shown, when not nil, is
// called between them, and the report is then the second step's.
func (p *Pipeline) buildFrontMatter(shown func(*MemOutput, *Report)) (*MemOutput, *Report, bool, error) {
	if len(p.pending) != 1 {
		return nil, nil, false, nil
	}
	early, ok := p.inPlaceOutput()
	if !ok {
		return nil, nil, false, nil
	}
	r := p.renderer
	var name string
	for name = range p.pending {
	}
	r.prepareRebuild()
	ch, ok := p.loader.Update(r.last.site, name)
	if !ok {
		return nil, nil, false, nil
	}
	r.last.report.noteMoved(ch)
	var earlyRep *Report
	out, rep, err := r.rebuildFrontMatter(ch, early, p.showing(shown, &earlyRep))
	switch {
	case earlyRep == nil && (err == errExpanded || err == errReplan):
		return nil, nil, false, nil // the Renderer has no last build: a full one follows
	case err == errReplan:
		// The post's page is made, and may be shown; the rest cannot be
		// planned in place (a list's new page on a file of the site): a
		// full build, compared with the first step's output.
		out = NewMemOutput(early)
		rep, err = p.Build(out)
	default:
		p.frontBuilds++
	}
	out, rep, err = p.settle(shown, early, earlyRep, out, rep, err)
	return out, rep, true, err
}

// PrepareRebuild makes now, from the last good build, what the next
// build in place (a save that changes a post's body or front matter:
// see the package doc) keeps of it and would otherwise make first: the
// search index's state, the archive's year sections, the sitemap's
// parts, the pages that looked up each file name, and the Loader's
// index of the site's files (content.Loader.PrepareUpdate). The first
// save after a full build then costs what later ones do. It does little
// when that is made already (after a build in place), nothing when there
// is no last good build. A pipeline that builds again after changes (the
// preview) calls it after a build, off the request path; like every
// method, not at the same time as another.
func (p *Pipeline) PrepareRebuild() {
	r := p.renderer
	if r == nil || r.last == nil || p.opts.OneBuild { // no build in place follows a one build
		return
	}
	r.prepareRebuild()
	p.loader.PrepareUpdate(r.last.site)
}

// BuildMem builds into memory, reusing the files of the last good build
// that BuildMem made, and returns the new build with its report. A failed
// build changes nothing: the last good build stays the one reused.
func (p *Pipeline) BuildMem() (*MemOutput, *Report, error) {
	return p.BuildMemShown(nil)
}

// BuildMemShown is BuildMem for a server that shows a save's page before
// the build is done. A build in place (of pages' bodies, or of a post's
// front matter: see the package doc) makes the saved pages' own files
// first (and of a post's front matter, its aliases and its neighbours'
// pages), and calls shown with that output and its report (relative to
// the last build; its Stats are the files' counts, without the
// warnings, which the checks after the second step find) before it
// makes the files that show the pages, which on a large site may be
// many more: the lists and feeds, the search index; of a post's front
// matter, every page of a tag's list after a post took the tag, the
// archive, the sitemap. The report BuildMemShown
// returns then lists the files added, changed and removed relative to
// shown's output (its Stats are the whole build's), and if the rest
// fails, shown's output is the last good build, the one the next build
// is compared with. Where the rest cannot be built in place (a list's
// new page on a file of the site), it is a full build compared with
// shown's output. Other builds do not call shown. BuildMem makes the
// same two steps and reports them as one (Report.Then), and a failure
// keeps the build before them as the last good one.
func (p *Pipeline) BuildMemShown(shown func(*MemOutput, *Report)) (*MemOutput, *Report, error) {
	out, rep, done, err := p.buildBodies(shown)
	if !done {
		out, rep, done, err = p.buildFrontMatter(shown)
	}
	if !done {
		out = NewMemOutput(p.last)
		rep, err = p.Build(out)
	}
	if err != nil {
		return nil, nil, err
	}
	out.Prev = nil // keep one build in memory, not a chain of them
	out.TLSPage, out.Redirects = rep.TLSPage, rep.Redirects
	p.last = out
	return out, rep, nil
}

// Publish builds into the directory dir, all or nothing (see the
// function Publish), and returns the build's report. wrap, if not nil,
// wraps the Output the build writes to (to fill every page's badge
// slot, say); an Output it returns that is not a Reuser makes every file
// afresh.
func (p *Pipeline) Publish(dir string, opts PublishOptions, wrap func(Output) Output) (*Report, error) {
	var rep *Report
	err := Publish(dir, opts, func(o Output) error {
		if wrap != nil {
			o = wrap(o)
		}
		var err error
		rep, err = p.Build(o)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// BuildInMemory loads the site directory fsys and builds it into a new
// MemOutput, the whole pipeline in one call: for tests that compare with
// a fresh build.
func BuildInMemory(fsys fs.FS, opts content.Options, ropts ...Option) (*MemOutput, error) {
	out, _, err := NewPipeline(fsys, PipelineOptions{Content: opts, Render: ropts}).BuildMem()
	return out, err
}

// A Report is what one build did: its Stats, and the output files it
// added, changed and removed relative to the build its Output held (a
// Reuser's previous build; none for any other Output, when every file is
// added). In memory (BuildMem), a file made again with the same bytes is
// not changed; in a directory (Publish), which does not read back the
// files it replaces, a file made again because its key changed is
// changed, whatever its bytes. Servers act on the report alone: the
// preview reloads the pages it names, and the file set it serves is
// updated by it.
type Report struct {
	Stats
	// Config and Site are what the build rendered.
	Config *content.Config
	Site   *content.Site
	// Added, Changed and Removed list output files by name
	// ("2024/05/hello/index.html"), sorted.
	Added, Changed, Removed []string
	// Assets maps each theme asset ("style.css") to the output file of
	// its fingerprinted name ("assets/style.0123456789.css").
	Assets map[string]string

	pagesOnce sync.Once
	pages     map[string]*content.Page // by output file

	// moved holds, by the output file it had in this build, a post that
	// a build in place since moved to another file: that build changed
	// Site in place, so pages, made after it, would not find the post by
	// this build's name, whether it built or failed (noteMoved).
	mu    sync.Mutex
	moved map[string]*content.Page
}

// noteMoved notes the post ch changed in place, when its output file is
// no longer the one it had in this build.
func (r *Report) noteMoved(ch *content.PostChange) {
	was := fileOf(ch.Old.URL)
	if was == fileOf(ch.Page.URL) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.moved == nil {
		r.moved = map[string]*content.Page{}
	}
	r.moved[was] = ch.Page
}

// Page returns the post or standalone page whose output file is name,
// or nil.
func (r *Report) Page(name string) *content.Page {
	r.mu.Lock()
	pg := r.moved[name]
	r.mu.Unlock()
	if pg != nil {
		return pg
	}
	r.pagesOnce.Do(func() {
		r.pages = map[string]*content.Page{}
		if r.Site == nil {
			return
		}
		for _, pg := range r.Site.All() {
			r.pages[fileOf(pg.URL)] = pg
		}
	})
	return r.pages[name]
}

// Then returns the report of two builds in a row, r of the first and
// next of the second (relative to the first's output): the files added,
// changed and removed relative to the output before the first, and the
// rest as next has it.
func (r *Report) Then(next *Report) *Report {
	const added, changed, removed = 1, 2, 3
	was := map[string]int{}
	for status, names := range [][]string{added: r.Added, changed: r.Changed, removed: r.Removed} {
		for _, name := range names {
			was[name] = status
		}
	}
	for _, name := range next.Added {
		if was[name] == removed {
			was[name] = changed
		} else {
			was[name] = added
		}
	}
	for _, name := range next.Changed {
		if was[name] != added {
			was[name] = changed
		}
	}
	for _, name := range next.Removed {
		if was[name] == added {
			delete(was, name) // neither in the build before nor now
		} else {
			was[name] = removed
		}
	}
	rep := &Report{Stats: next.Stats, Config: next.Config, Site: next.Site, Assets: next.Assets}
	for _, name := range slices.Sorted(maps.Keys(was)) {
		switch was[name] {
		case added:
			rep.Added = append(rep.Added, name)
		case changed:
			rep.Changed = append(rep.Changed, name)
		case removed:
			rep.Removed = append(rep.Removed, name)
		}
	}
	return rep
}

// Written lists the files added and changed, sorted.
func (r *Report) Written() []string {
	return slices.Sorted(slices.Values(slices.Concat(r.Added, r.Changed)))
}

// now is the moment the loader tells future posts by.
func (p *Pipeline) now() time.Time {
	if !p.opts.Content.Now.IsZero() {
		return p.opts.Content.Now
	}
	return time.Now()
}
