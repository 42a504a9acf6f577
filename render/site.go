package render

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/l10n"
	"github.com/siteblog/site/internal/par"
	"github.com/siteblog/site/themes"
)

// AssetDir is the theme directory whose files are published, fingerprinted,
// under /assets/.
const AssetDir = "assets"

// Renderer turns a loaded site into its files. It holds what every page
// shares: the Markdown converter, the theme's templates and assets.
type Renderer struct {
	cfg      *content.Config
	siteFS   fs.FS
	theme    fs.FS
	md       *Markdown
	tmpl     templates
	frags    *fragments        // the partials cached executes, and the fragments kept (fragments.go)
	tmplKeys map[string]Key    // of each page kind's template sources
	tmplBody map[string]bool   // whether each page kind's templates show post bodies
	tagUse   map[string]tagUse // what each page kind's templates may show of the site's tags
	// postTagCounts is whether a template may show the counts of a
	// post's tags.
	postTagCounts bool
	listings      []byte        // the listings' stylesheet
	l10n          *l10n.Catalog // the theme's words and dates in the site's language
	l10nWarn      []Warning     // what loading them found wrong
	base          *url.URL
	opts          options

	// prepared keeps what preparePosts computes from a page's source, by
	// path, with the digest of the version it was computed from, so a
	// renderer used for build after build (a preview) does it once per
	// version of each file; one for a single build keeps nothing there.
	// It, checked, feedCache, icons and frags' fragments of posts hold
	// what the last good build used (of a post's fragments, the one of
	// its key), no more (forgetStale), and what a build that failed
	// since made (see the package doc).
	prepared  sync.Map // page path → *preparedPost
	checked   sync.Map // page path → *checkedPage
	feedCache sync.Map // feedEntryID → *feedEntry
	icons     sync.Map // Key → PNG bytes, of icons drawn (icons.go)
	expanding expandShared
	yearSplit *yearSplit // the archive's templates split by year (archive.go)
	// searchTerms are the terms of each post of the last build's search
	// index, encoded (searchTerms.encode), by the key of its title, tags
	// and body (searchIndex).
	searchMu    sync.Mutex
	searchTerms map[Key][]byte
	// last is the last good build, which rebuildBodies brings up to date
	// when only bodies changed (never a renderer's for one build:
	// canRebuildBodies).
	last *builder
}

type preparedPost struct {
	digest  [32]byte // of the source it was prepared from
	key     Key
	minutes int
	params  string     // paramsText of the page's front matter parameters
	x       *expansion // the other engines' syntax expanded, nil for none
	// lead is the number of empty lines the body (its expansion) starts
	// with, standing for the front matter: the scans' lines follow them.
	lead int
}

// setPrepared gives pd what was prepared of its page: the key of its
// body, its reading time, its parameters, its lead.
func (pd *PostData) setPrepared(pp *preparedPost) {
	pd.key, pd.ReadingMinutes, pd.params, pd.lead = pp.key, pp.minutes, pp.params, pp.lead
}

type options struct {
	engineVersion string
	bodies        *BodyCache
	progress      func(done, total int)
	// oneBuild is PipelineOptions.OneBuild: the renderer keeps nothing
	// for a next build, and lets go of each page's Markdown once its body
	// is in the body cache, which keeps none of what it reads back in
	// memory.
	oneBuild bool
}

// WithProgress calls f as files are made, with how many of how many are
// done, for a progress display. The total counts the files planned so
// far: it may grow while a build into an output with no previous build
// makes the posts' pages along with the search index, before the
// index's files and the files copied are planned. f must be safe for
// concurrent use and quick. Default: none.
func WithProgress(f func(done, total int)) Option { return func(o *options) { o.progress = f } }

// An Option configures a Renderer.
type Option func(*options)

// WithEngineVersion names the engine that renders, so that nothing cached
// by another version of it is reused. Default: none, for tests.
func WithEngineVersion(v string) Option { return func(o *options) { o.engineVersion = v } }

// WithBodyCache keeps rendered post bodies in c, to reuse in later builds.
// Default: a cache in memory for this renderer's builds.
func WithBodyCache(c *BodyCache) Option { return func(o *options) { o.bodies = c } }

// New prepares a renderer for the site directory siteFS configured by cfg.
func New(siteFS fs.FS, cfg *content.Config, opts ...Option) (*Renderer, error) {
	theme, err := themes.Open(siteFS, cfg.Theme)
	if err != nil {
		return nil, err
	}
	cat, catWarnings, err := loadCatalog(siteFS, cfg)
	if err != nil {
		return nil, err
	}
	fm := templateFuncs(cat)
	frags := &fragments{}
	tmpl, tmplKeys, err := parseTemplates(theme, fm, frags)
	if err != nil {
		return nil, err
	}
	fm = maps.Clone(fm)
	fm["cached"] = frags.execute
	years := splitYears(tmpl["archive"], fm) // before any executes
	uses := map[string]tagUse{}
	postTagCounts := false
	lookupIn := func(t *template.Template) func(string) *parse.Tree {
		return func(name string) *parse.Tree {
			if d := t.Lookup(name); d != nil {
				return d.Tree
			}
			return nil
		}
	}
	for kind, t := range tmpl {
		uses[kind] = tagUseOf(lookupIn(t), lookupIn(frags.set), fm)
		// The "tls" page is made on demand, never keyed.
		postTagCounts = postTagCounts || (uses[kind].postTagCount && kind != "tls")
	}
	frags.plan(fm, postTagCounts, cat.Digest())
	css, err := Stylesheet(cfg.Highlight.Light, cfg.Highlight.Dark)
	if err != nil {
		return nil, fmt.Errorf("%s: [highlight]: %w", content.ConfigFile, err)
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	// The names of listings, tables, heading anchors and tasks, in the
	// site's language.
	listings := &Listings{LineNumbers: cfg.LineNumbers(), Label: cat.MustT("code_listing"), TableLabel: cat.MustT("table"),
		AnchorLabel: cat.MustT("heading_anchor"), TaskLabel: cat.MustT("task")}
	r := &Renderer{
		cfg:       cfg,
		siteFS:    siteFS,
		theme:     theme,
		md:        newMarkdown(listings, cfg.RawHTML, cfg.Markdown.Autolinks()),
		tmpl:      tmpl,
		frags:     frags,
		tmplKeys:  tmplKeys,
		tmplBody:  tmpl.showBody(frags),
		listings:  css,
		base:      base,
		l10n:      cat,
		l10nWarn:  catWarnings,
		yearSplit: years,
		tagUse:    uses,

		postTagCounts: postTagCounts,
	}
	r.md.tocLevels = r.tocLevels()
	for _, o := range opts {
		o(&r.opts)
	}
	if r.opts.bodies == nil {
		r.opts.bodies = NewBodyCache("")
	}
	if r.opts.oneBuild {
		r.opts.bodies.forOneBuild()
	}
	return r, nil
}

// tocLevels are the heading levels of tables of contents site.toml
// sets, else the defaults.
func (r *Renderer) tocLevels() TOCLevels {
	lv := TOCLevels{r.cfg.Markdown.TOCStartLevel, r.cfg.Markdown.TOCEndLevel}
	if lv.Start < 1 || lv.End < lv.Start {
		return defaultTOCLevels
	}
	return lv
}

// Stats counts what a build published.
type Stats struct {
	Posts, Tags int
	// Pages counts HTML files, Files all files.
	Pages, Files int
	// Reused counts the files kept from the previous build, whose inputs
	// had not changed.
	Reused int
	// Warnings are problems that do not stop the build, sorted by file and
	// line: a link, image or other resource of a page that resolves to no
	// file of the site, one from another origin (which the issuer badge
	// cannot vouch for), script or style the site's
	// Content-Security-Policy blocks.
	Warnings []Warning
	// Drafts and Future count the drafts and future posts left out, as
	// content.Site does.
	Drafts, Future int
	// TLSPage renders the page of kind "tls" with the theme and the site
	// data of this build, for a production server to show the certificate
	// of each connection at badge.PagePath. `site build` writes no such
	// page: only a server knows a reader's connection.
	TLSPage func(*badge.PageData) ([]byte, error) `json:"-"`
	// Redirects are the redirect pages the build wrote (aliases, redirect
	// pages, a list's page/1/), by file name ("old/index.html"), each with
	// the URL it leads to: site-relative, under the base URL's path, for a
	// page of the site ("/2024/01/post/"), absolute elsewhere. A server
	// answers a request for one with 301 and that Location (package
	// serve); the pages stay for static hosts.
	Redirects map[string]string `json:"-"`
}

// url returns the URL path of a site path such as "/tags/go/": the base
// URL's path joined to it, percent-encoded ("/café/" is "/caf%C3%A9/").
func (r *Renderer) url(p string) string {
	return (&url.URL{Path: strings.TrimSuffix(r.base.Path, "/") + p}).EscapedPath()
}

// abs returns the absolute URL of a site path.
func (r *Renderer) abs(p string) string {
	return r.base.Scheme + "://" + r.base.Host + r.url(p)
}

// fileOf returns the output file of a site path: "/a/" is "a/index.html",
// "/a.html" is "a.html" and "/a" is "a.html" (see content.FileOf).
func fileOf(p string) string { return content.FileOf(p) }

// Build renders every page, feed and asset of site into out.
// It reports every page that fails, not only the first. A Pipeline
// (pipeline.go) loads the site and calls it, with the report.
func (r *Renderer) Build(site *content.Site, out Output) (Stats, error) {
	rep, err := r.build(site, out)
	if err != nil {
		return Stats{}, err
	}
	return rep.Stats, nil
}

// afterPlanning, when not nil, is called once a build has planned its
// files, before it makes them: for BenchmarkPlanHeld, which counts what
// the build holds then.
var afterPlanning func()

// build is Build with the report of what it wrote.
func (r *Renderer) build(site *content.Site, out Output) (*Report, error) {
	r.last = nil // until this build succeeds
	r.frags.start()
	defer r.frags.stop()
	b := &builder{Renderer: r, site: site, out: out, stats: Stats{Posts: len(site.Posts), Tags: len(site.Tags), Drafts: site.Drafts, Future: site.Future},
		report: &Report{Config: r.cfg, Site: site}}
	if !r.opts.oneBuild { // for the builds in place after it (incremental.go)
		b.dependents, b.metaDependents = map[*PostData][]int{}, map[*PostData][]int{}
	}
	b.handOff = &byteBudget{max: handOffMax}
	b.makesAll = !hasPrevious(out)
	defer b.dropHandOff()
	b.stats.Warnings = b.siteWarnings()
	b.stats.Warnings = append(b.stats.Warnings, r.l10nWarn...)
	ok := false
	defer func() {
		r.opts.bodies.Flush() // what was rendered is good even if the build fails
		if ok {
			r.opts.bodies.Retain()
		} else {
			r.opts.bodies.Abandon() // the next good build's Retain drops what this one put
		}
	}()
	b.planAssets()
	if _, err := r.shortcodeTemplates(); err != nil { // an unreadable directory, not a template that fails: that is a page's warning
		b.fail(err)
	}
	b.preparePosts()
	if len(b.errs) > 0 {
		return nil, b.err()
	}
	b.buildSiteData()
	b.stats.TLSPage = b.tlsPageMaker()
	b.planPages()
	b.planFeeds()
	b.planMeta()
	b.planSearch()
	b.planFiles()
	if afterPlanning != nil {
		afterPlanning()
	}
	b.emit()
	if len(b.errs) > 0 {
		return nil, b.err()
	}
	b.preCheck = slices.Clone(b.stats.Warnings[len(site.Warnings):])
	b.byPath = make(map[string]*content.Page, len(site.Posts)+len(site.Pages))
	for _, pg := range site.All() {
		b.byPath[pg.Path] = pg
	}
	if err := b.finish(); err != nil {
		return nil, err
	}
	if r.opts.oneBuild {
		// Kept for no next build: of the build, what its report's tls page
		// holds is then the templates and the site's data alone.
		r.frags.kept.Clear()
	} else {
		r.forgetStale(b)
	}
	ok = true
	return b.report, nil
}

// siteWarnings are the warnings of loading the site.
func (b *builder) siteWarnings() []Warning {
	ws := make([]Warning, 0, len(b.site.Warnings))
	for _, w := range b.site.Warnings {
		ws = append(ws, Warning{Path: w.Path, Line: w.Line, Msg: w.Err.Error()})
	}
	return ws
}

// finish ends a build that made its files: it checks the pages' links
// and completes the report; the builder is kept for the next build
// (rebuildBodies). A page whose scan could be neither read from the
// cache nor made again fails the build.
func (b *builder) finish() error {
	b.checkPages()
	if len(b.errs) > 0 {
		return b.err()
	}
	b.stats.Redirects = b.redirects
	b.stats.Warnings = sortWarnings(b.stats.Warnings)
	b.report.Stats = b.stats
	b.report.Assets = b.assetFiles
	b.Renderer.last = b
	return nil
}

// forgetStale drops from the renderer's memory what the build b, which
// succeeded, no longer uses: the preparations and checks of pages gone,
// the feed entries and icons of other versions, the fragments of cached
// of posts gone or changed (and build drops from the
// body cache's memory the bodies it did not show: BodyCache.Retain). A preview's memory then follows the
// site, not the number of saves.
func (r *Renderer) forgetStale(b *builder) {
	paths := make(map[string]bool, len(b.site.Posts)+len(b.site.Pages))
	for _, pg := range b.site.All() {
		paths[pg.Path] = true
	}
	for _, m := range []*sync.Map{&r.prepared, &r.checked} {
		m.Range(func(k, _ any) bool {
			if !paths[k.(string)] {
				m.Delete(k)
			}
			return true
		})
	}
	r.feedCache.Range(func(k, v any) bool {
		if !b.feedUsed[v.(*feedEntry)] {
			r.feedCache.Delete(k)
		}
		return true
	})
	r.icons.Range(func(k, _ any) bool {
		if !b.iconsUsed[k.(Key)] {
			r.icons.Delete(k)
		}
		return true
	})
	r.frags.forget(func(path string) *PostData { return b.posts[b.byPath[path]] })
}

// builder is the state of one build.
type builder struct {
	*Renderer
	site *content.Site
	out  Output

	mu    sync.Mutex
	errs  []string
	stats Stats

	handOff *byteBudget // of the bodies and texts held for their files (PostData.made, text)
	// makesAll is whether the output holds no previous build, whose
	// files the build might keep: it then makes every file, and when it
	// makes the search index (enabled, and not in the body cache), the
	// posts' pages and search documents as the index makes their bodies
	// (makeWithBodies). earlyErrs counts the errors of those files.
	makesAll  bool
	earlyErrs int
	done      atomic.Int64 // files made or kept, for the progress display
	// readByExpanders are the files of the site the expanders read
	// (pageEnv.ReadFile), once the load had walked the site: a file
	// made after the walk and read is one the build used
	// (Pipeline.Transient).
	readByExpanders map[string]bool
	// holding are the posts given a body or text to hold since the last
	// dropHandOff, which gives back what they still hold: a build after
	// a save looks at these, not at every post of the site.
	holding []*PostData

	plan       []*planned
	byName     map[string]*planned // the plan by file name
	report     *Report
	assetFiles map[string]string // theme asset name → output file (Report.Assets)
	assets     map[string]string // theme asset name → URL
	data       *SiteData
	siteKey    Key // of everything every page depends on
	tagsKey    Key // of the site's tags, for the pages that may show them
	posts      map[*content.Page]*PostData
	tagData    map[*content.Tag]*TagData

	feedEntries map[*content.Page]*feedEntry
	feedUsed    map[*feedEntry]bool // the feed entries of this build (forgetStale)

	// For rebuildBodies (incremental.go): the pages by source path, the
	// planned files that show each post (by index in plan; nil for a
	// renderer that builds once), the search index's state, and the
	// warnings found before checkPages apart from the site's own.
	byPath     map[string]*content.Page
	dependents map[*PostData][]int
	// metaDependents are the planned files that show the metadata of
	// each post only (its title, reading time...: PostData.meta), not
	// its body: those of a list whose template shows no bodies.
	metaDependents map[*PostData][]int
	search         *searchState
	preCheck       []Warning
	// checkPages' last findings: the key of the files' names, the pages
	// by path (and the place of each) and what was found on each (at
	// lines of its body: checkedPage), and on the share card images;
	// recheck, when not nil, the pages to check again (the others'
	// findings stand).
	filesKey   Key
	checkAll   []*content.Page
	checkAt    map[*content.Page]int
	checkFound [][]Warning
	images     *imageChecks
	recheck    map[*content.Page]bool
	// recheckImages makes the next check look again at the share card
	// images of the pages of recheck.
	recheckImages bool
	// namesChanged are the names of files added and removed since the
	// last check, whose pages that looked them up it checks again;
	// lookups are the pages (by path) that looked up each name
	// (lookedUp), nil until needed.
	namesChanged []string
	lookups      map[string]map[string]bool
	iconsUsed    map[Key]bool // the icons of this build (forgetStale)
	places       planPlaces
	free         []int // places of the plan whose files were taken out (planned.gone)
	// sitemapKept is the sitemap's parts (sitemap.go), kept once a
	// build changed some posts' front matter, or prepareRebuild made
	// them; nil before.
	sitemapKept *sitemapState
	// yearDigests are the keys of each year's posts, for the keys of
	// the pages that show the years (yearDigest).
	yearsMu     sync.Mutex
	yearDigests map[yearID]yearKeys
	// yearGen counts, for each year, the builds in place that made the
	// keys of one of its posts anew (keysReset): the years' sections
	// and digests kept for a list of posts that is still the same slice,
	// at the same count, are kept without comparing each post's key.
	yearGen map[int]uint64
	// prepared is whether the kept state is made (prepareRebuild).
	prepared  bool
	redirects map[string]string // redirect page's file → where it leads (Stats.Redirects)

	refsOnce sync.Once
	refs     *pageRefs                    // the pages, for expanders' links
	expanded map[*content.Page]*expansion // the pages whose body an expander changed
}

func (b *builder) fail(err error) {
	b.mu.Lock()
	b.errs = append(b.errs, err.Error())
	b.mu.Unlock()
}

func (b *builder) err() error {
	sort.Strings(b.errs)
	// A page's Markdown may fail both its scan and its render, and the
	// output's failure (a full disk) is every file's error: each once.
	return buildError(slices.Compact(b.errs))
}

// buildError is every error of a failed build, one a line.
type buildError []string

func (e buildError) Error() string { return strings.Join(e, "\n") }

// planAssets publishes the theme's assets under fingerprinted names; the
// stylesheet gets the listings' rules appended.
func (b *builder) planAssets() {
	b.assets, b.assetFiles = map[string]string{}, map[string]string{}
	err := content.WalkDir(b.theme, AssetDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(b.theme, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, AssetDir+"/")
		if name == "style.css" {
			data = append(append(append([]byte{}, data...), "\n/* Code listings */\n"...), b.listings...)
		}
		sum := sha256.Sum256(data)
		ext := path.Ext(name)
		fingerprinted := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		b.assets[name] = b.url("/" + AssetDir + "/" + fingerprinted)
		b.assetFiles[name] = AssetDir + "/" + fingerprinted
		b.addData(AssetDir+"/"+fingerprinted, data)
		return nil
	})
	if err != nil {
		b.fail(fmt.Errorf("theme: %w", err))
	}
	if _, ok := b.assets["style.css"]; !ok {
		b.fail(fmt.Errorf("theme: %s/style.css is missing", AssetDir))
	}
}

// preparePosts prepares every post and page for rendering: its data,
// and the key of its body. The body itself is rendered, or read from the
// cache, only when a file that shows it is made, so a rebuild that reuses
// a page never touches its body.
func (b *builder) preparePosts() {
	all := b.site.All()
	b.posts = make(map[*content.Page]*PostData, len(all))
	data := make([]PostData, len(all)) // one object, not one a post: see buildSiteData
	for i, pg := range all {
		b.posts[pg] = b.fillPostData(&data[i], pg)
	}
	keys := make([]Key, 3*len(all)) // the bodies', their scans', their feed forms'
	expanded := make([]*expansion, len(all))
	par.Do(len(all), func(i int) {
		pg := all[i]
		pp := b.prepare(pg)
		pd := b.posts[pg]
		pd.setPrepared(pp)
		keys[i], keys[len(all)+i], keys[2*len(all)+i] = pp.key, scanKey(pp.key), feedKey(pp.key)
		expanded[i] = pp.x
	})
	b.expanded = map[*content.Page]*expansion{}
	for i, x := range expanded {
		if x != nil {
			b.expanded[all[i]] = x
			for _, w := range x.warningList() {
				b.stats.Warnings = append(b.stats.Warnings, Warning{Path: all[i].Path, Line: w.Line, Msg: w.Msg})
			}
		}
	}
	b.opts.bodies.Live(keys)
}

// prepare computes what the build needs of a page's source before any
// rendering, once per version of the file; a page whose body an
// expander changed is prepared anew each build, as what it shows may come
// from other pages and files.
func (b *builder) prepare(pg *content.Page) *preparedPost {
	r := b.Renderer
	if v, ok := r.prepared.Load(pg.Path); ok && pg.Digest != ([32]byte{}) {
		if pp := v.(*preparedPost); pp.digest == pg.Digest {
			return pp
		}
	}
	x := b.expand(pg)
	body, _ := x.sources(pg)
	pp := &preparedPost{digest: pg.Digest, key: r.expandedBodyKey(pg, x), minutes: l10n.CountText(pg.Body).Minutes(), params: paramsText(pg.Params), x: x, lead: leadingEmptyLines(body)}
	switch {
	case b.opts.oneBuild: // there is no next build to keep it for
	case x == nil: // an expansion depends on other pages and files: made again every build
		r.prepared.Store(pg.Path, pp)
	default:
		r.prepared.Delete(pg.Path)
	}
	return pp
}

// body returns a page's rendered body, from the cache or made afresh;
// for a post in feeds, its feed form (feedBody) is made from the same
// parse and put in the cache.
func (b *builder) body(pg *content.Page, key Key) Rendered {
	out, ok := b.opts.bodies.Get(key)
	if !ok {
		src := b.source(pg)
		if src == nil {
			return Rendered{}
		}
		var err error
		var sc *pageScan
		if _, inFeeds := b.feedEntries[pg]; inFeeds {
			var feed Rendered
			if out, feed, sc, err = b.md.renderBoth(src, b.expanded[pg]); err == nil {
				b.opts.bodies.Put(feedKey(key), feed)
			}
		} else {
			out, sc, err = b.md.render(src, b.expanded[pg])
		}
		if err != nil {
			b.failMarkdown(pg, err)
			return Rendered{}
		}
		b.opts.bodies.Put(key, out)
		b.opts.bodies.Put(scanKey(key), Rendered{Content: sc.encode()})
	}
	pageURL, _ := url.Parse(b.url(pg.URL))
	out.Summary = resolveURLs(out.Summary, pageURL)
	return out
}

// source is the page to render or scan pg's body from: pg, or, when its
// Markdown was let go (PipelineOptions.OneBuild) and the cache has not
// given back what was made of it (a pack that could not be written or
// read, a feed form never made), a copy of pg with its Markdown read
// again from its file. A file changed since it was loaded fails the
// build, naming it, and source returns nil: the build's keys and lists
// were made of the version loaded.
func (b *builder) source(pg *content.Page) *content.Page {
	if pd := b.posts[pg]; pd == nil || !pd.sourceGone {
		return pg
	}
	again, errs, _, _ := content.NewLoader(b.siteFS, content.Options{}).Reread(b.cfg, pg.Path)
	if len(errs) > 0 || again == nil || again.Digest != pg.Digest {
		b.fail(fmt.Errorf("%s: changed while the site was built, and what the build made of it could not be read back from the body cache: build again", pg.Path))
		return nil
	}
	cp := *pg
	cp.Body, cp.SummarySource = again.Body, again.SummarySource
	return &cp
}

// feedBody returns a post's body and summary as feeds carry them
// (Markdown.renderFeed), from the cache, where they are kept beside the
// page's own under feedKey: put there by body, which makes both forms
// when it renders a post in feeds, or made afresh when the page's form
// came from the cache.
func (b *builder) feedBody(pg *content.Page, key Key) Rendered {
	fk := feedKey(key)
	if out, ok := b.opts.bodies.Get(fk); ok {
		return out
	}
	b.posts[pg].head() // renders both forms, unless the page's was cached
	if out, ok := b.opts.bodies.Get(fk); ok {
		return out
	}
	src := b.source(pg)
	if src == nil {
		return Rendered{}
	}
	out, err := b.md.renderFeed(src, b.expanded[pg])
	if err != nil {
		b.failMarkdown(pg, err)
		return Rendered{}
	}
	b.opts.bodies.Put(fk, out)
	return out
}

// feedKey is the cache key of a body's feed form, whose body key is k.
func feedKey(k Key) Key {
	return sha256.Sum256(append(k[:], "feed"...))
}

// textKey is the cache key of a body's plain text (PostData.text), whose
// body key is k.
func textKey(k Key) Key {
	return sha256.Sum256(append(k[:], "text"...))
}

// failMarkdown fails the build with an error of rendering a page's
// Markdown: a limit's at the file and line.
func (b *builder) failMarkdown(pg *content.Page, err error) {
	if le := (*LimitError)(nil); errors.As(err, &le) {
		b.fail(fmt.Errorf("%s:%d: %s", pg.Path, le.Line, le.Msg))
		return
	}
	b.fail(fmt.Errorf("%s: rendering Markdown: %w", pg.Path, err))
}

// postData returns the data of page pg (fillPostData).
func (b *builder) postData(pg *content.Page) *PostData {
	return b.fillPostData(new(PostData), pg)
}

// fillPostData makes pd the data of page pg, in place of what it held
// (an element of a build's array of them, not yet used), and returns it.
func (b *builder) fillPostData(pd *PostData, pg *content.Page) *PostData {
	site := Author{Name: b.cfg.Author.Name, Email: b.cfg.Author.Email}
	var authors []Author
	for _, name := range pg.Authors {
		a := Author{Name: name}
		if name == site.Name {
			a.Email = site.Email
		}
		authors = append(authors, a)
	}
	author := site
	if len(authors) > 0 {
		author = authors[0]
	} else if site.Name != "" {
		authors = []Author{site}
	}
	*pd = PostData{
		Title:     pg.Title,
		URL:       b.url(pg.URL),
		Permalink: b.abs(pg.URL),
		Date:      b.cfg.InZone(pg.Date),
		Updated:   b.cfg.InZone(pg.Updated),
		Draft:     pg.Draft,
		Author:    author,
		Authors:   authors,
		Params:    pg.Params,
		Image:     b.postImage(pg),
		showTOC:   b.cfg.Markdown.TOC,
		tagCounts: b.postTagCounts,
		path:      pg.Path,
	}
	if pg.TOC != nil {
		pd.showTOC = *pg.TOC
	}
	b.readyPost(pg, pd)
	return pd
}

// readyPost readies what pd, the data of page pg, computes in this
// build when asked (PostData.made, head, body, text, meta and digest):
// its rendered body, metadata key, digest and text. The body is rendered
// (or read from the cache) once; its summary and table of contents are
// kept, for the lists and feeds that show them. Its content is kept only
// until the post's page is made (bodyShown), and its text until the
// search document takes it, within handOffMax bytes for the whole build
// (handOff): past that, the cache gives them again, so a site's rendered
// bodies are not all held at once.
func (b *builder) readyPost(pg *content.Page, pd *PostData) {
	b.mu.Lock()
	pd.releaseHeld() // what an earlier build held for files it did not make
	pd.kept, pd.heldIn = Rendered{}, b.handOff
	b.mu.Unlock()
	pd.b, pd.pg, pd.bodyOnce = b, pg, sync.Once{}
	resetKeys(pd)
}

// made renders the post's body, or reads it from the cache, on its first
// call, which alone gets the content: the caller that made it uses it
// whether or not the budget holds it for the page.
func (pd *PostData) made() (content []byte) {
	pd.bodyOnce.Do(func() {
		b, pg := pd.b, pd.pg
		r := b.body(pg, pd.key)
		if b.opts.oneBuild {
			// The cache holds its body, in the forms the build shows;
			// should it fail to give one back, source reads the file.
			pg.Body, pg.SummarySource, pd.sourceGone = nil, nil, true
		}
		pd.kept = Rendered{Summary: r.Summary, TOC: r.TOC}
		content = r.Content
		if b.handOff.take(len(r.Content)) {
			b.mu.Lock()
			pd.first = r.Content
			b.holding = append(b.holding, pd)
			b.mu.Unlock()
		}
	})
	return content
}

// head is the rendered body's summary and table of contents, the body
// made or read from the cache on first use and they kept.
func (pd *PostData) head() Rendered {
	pd.made()
	return pd.kept
}

// body is the rendered body whole: its content is the one held (first)
// while it is, else read from the cache at each use.
func (pd *PostData) body() Rendered {
	b := pd.b
	r := pd.head()
	b.mu.Lock()
	content := pd.first // read, not taken: the post's page gives it back when made (bodyShown)
	b.mu.Unlock()
	if content == nil {
		if c, ok := b.opts.bodies.Get(pd.key); ok {
			content = c.Content
		} else {
			content = b.body(pd.pg, pd.key).Content // not kept by the cache: made again
		}
	}
	r.Content = content
	return r
}

// text is the body's plain text, made for the search index, which holds
// it (hold) for the post's search document (in memory, else on disk);
// the document's call takes it.
func (pd *PostData) text(hold bool) string {
	b := pd.b
	b.mu.Lock()
	kept := pd.firstText
	pd.firstText = nil
	b.mu.Unlock()
	if kept != nil {
		pd.heldIn.give(len(*kept))
		return *kept
	}
	if r, ok := b.opts.bodies.Get(textKey(pd.key)); ok {
		return string(r.Content)
	}
	content := pd.made()
	if content == nil {
		content = pd.body().Content
	}
	text := scrubString(bodyText(content))
	switch {
	case !hold:
	case b.handOff.take(len(text)):
		b.mu.Lock()
		pd.firstText = &text
		b.holding = append(b.holding, pd)
		b.mu.Unlock()
	default:
		b.opts.bodies.PutOnDisk(textKey(pd.key), Rendered{Content: []byte(text)})
	}
	return text
}

// dropHandOff gives back, at the end of a build, the bodies and texts
// held for files it did not make (pages kept from the last build, posts
// whose terms came from the cache), so that they are neither kept in
// memory nor counted against the next build on the same data.
func (b *builder) dropHandOff() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, pd := range b.holding {
		pd.releaseHeld()
	}
	b.holding = nil
}

// showBody holds pd's body while its page is made, read back from the
// cache once if it was not held, since the page asks for it more than
// once (its image, its template); the bytes count against the build's
// budget even past it, until bodyShown gives them back.
func (b *builder) showBody(pd *PostData) {
	content := pd.body().Content
	b.mu.Lock()
	defer b.mu.Unlock()
	if pd.first == nil {
		pd.first = content
		pd.heldIn.force(len(content))
		b.holding = append(b.holding, pd)
	}
}

// bodyShown gives back the body held for pd's page, which has been made:
// whatever shows the body later reads it from the cache.
func (b *builder) bodyShown(pd *PostData) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if pd.first != nil {
		pd.heldIn.give(len(pd.first))
		pd.first = nil
	}
}

// releaseHeld drops the body and text pd holds for its files and gives
// their bytes back to the build that held them. The caller holds the
// builder's lock.
func (pd *PostData) releaseHeld() {
	if pd.first != nil {
		pd.heldIn.give(len(pd.first))
	}
	if pd.firstText != nil {
		pd.heldIn.give(len(*pd.firstText))
	}
	pd.first, pd.firstText = nil, nil
}

// handOffMax is the most bytes of bodies and texts a build holds between
// the step that makes them and the file that shows them (PostData.made, text):
// enough for every post of a site of about ten thousand, so that such a
// build reads back from the cache none of what it has just made. A
// variable, for tests.
var handOffMax int64 = 192 << 20

// byteBudget counts bytes held against a limit, from any goroutine.
type byteBudget struct {
	held atomic.Int64
	max  int64
}

// take reserves n bytes, or reports false when they do not fit (or
// there is no budget: a builder made by a test).
func (bb *byteBudget) take(n int) bool {
	if bb == nil {
		return false
	}
	if bb.held.Add(int64(n)) > bb.max {
		bb.held.Add(-int64(n))
		return false
	}
	return true
}

// force counts n bytes as held, over the limit if need be.
func (bb *byteBudget) force(n int) {
	if bb != nil {
		bb.held.Add(int64(n))
	}
}

// give returns n bytes that take or force counted.
func (bb *byteBudget) give(n int) {
	if bb != nil {
		bb.held.Add(-int64(n))
	}
}

// keysReset notes that a build in place made pd's keys anew (resetKeys,
// readyPost), before any file's key: what is kept of pd's year
// (yearSame) is checked post by post again. The caller holds no lock:
// the builds in place run one at a time, and key nothing yet.
func (b *builder) keysReset(pd *PostData) {
	if b.yearGen == nil {
		b.yearGen = map[int]uint64{}
	}
	b.yearGen[pd.Date.Year()]++
}

// resetKeys makes pd's metadata key and digest anew, when next asked.
func resetKeys(pd *PostData) {
	pd.metaOnce, pd.digestOnce = sync.Once{}, sync.Once{}
}

func (b *builder) buildSiteData() {
	c := b.cfg
	b.data = &SiteData{
		Title:       c.Title,
		Description: c.Description,
		BaseURL:     c.BaseURL,
		Language:    c.Language,
		OGLocale:    ogLocale(c.Language),
		Image:       b.siteImage(),
		Author:      Author{Name: c.Author.Name, Email: c.Author.Email},
		Stylesheet:  b.assets["style.css"],
		Assets:      b.assets,
		AtomURL:     b.url("/feed.xml"),
		RSSURL:      b.url("/rss.xml"),
		JSONFeedURL: b.url("/feed.json"),
		HomeURL:     b.url("/"),
		ArchiveURL:  b.url("/archive/"),
		TagsURL:     b.url("/tags/"),
		Badge:       staticBadge(b.t("tls_note")),
		Params:      c.Params,
	}
	b.data.Icon, b.data.TouchIcon = b.planIcons()
	if c.SearchEnabled() {
		b.data.SearchURL = b.abs(searchPath)
		b.data.SearchPath = b.url(searchPath)
		b.data.SearchIndex = b.url("/" + searchIndexDir + "manifest.json")
	}
	if len(b.site.Sections) > 0 {
		b.data.Sections = map[string]*SectionData{}
		for dir, pg := range b.site.Sections {
			b.data.Sections[dir] = &SectionData{Title: pg.Title, Summary: pg.Summary, Params: pg.Params}
		}
	}
	for _, pg := range b.site.Pages {
		b.data.Pages = append(b.data.Pages, &Link{Title: pg.Title, URL: b.url(pg.URL)})
	}
	sort.SliceStable(b.data.Pages, func(i, j int) bool { return b.data.Pages[i].Title < b.data.Pages[j].Title })
	b.tagData = map[*content.Tag]*TagData{}
	for _, t := range b.site.Tags {
		td := &TagData{Name: t.Name, URL: b.url(tagPath(t)), FeedURL: b.url(tagPath(t) + "feed.xml"), Count: len(t.Posts)}
		b.tagData[t] = td
		b.data.Tags = append(b.data.Tags, td)
	}
	sort.SliceStable(b.data.Tags, func(i, j int) bool {
		return strings.ToLower(b.data.Tags[i].Name) < strings.ToLower(b.data.Tags[j].Name)
	})
	// The posts' tags and links to their neighbours are parts of two
	// arrays, not objects of their own: a large site's posts hold them
	// through the whole build, and the collector traces every object.
	posts := b.site.Posts
	n := 0
	for _, pg := range posts {
		n += len(pg.Tags)
	}
	tags := make([]*TagData, 0, n)
	links := make([]Link, 2*len(posts))
	for i, pg := range posts {
		pd := b.posts[pg]
		if len(pg.Tags) > 0 {
			start := len(tags)
			for _, t := range pg.Tags {
				tags = append(tags, b.tagData[t])
			}
			pd.Tags = tags[start:len(tags):len(tags)]
		}
		if i+1 < len(posts) {
			links[2*i] = Link{Title: posts[i+1].Title, URL: b.posts[posts[i+1]].URL}
			pd.Prev = &links[2*i]
		}
		if i > 0 {
			links[2*i+1] = Link{Title: posts[i-1].Title, URL: b.posts[posts[i-1]].URL}
			pd.Next = &links[2*i+1]
		}
	}
	b.setSiteKey()
}

// tlsPageMaker returns Stats.TLSPage, which renders the "tls" page for
// one connection's certificate: from the templates and the site's data
// alone, so that a server that holds it (the production server, for as
// long as it runs) holds nothing else of the build.
func (b *builder) tlsPageMaker() func(*badge.PageData) ([]byte, error) {
	page := *b.page("tls", b.l10n.MustT("tls_title"), "", badge.PagePath) // a broken message shows as its ID
	// The server answers it at the root of the host, under no base path.
	page.URL, page.Permalink = badge.PagePath, b.base.Scheme+"://"+b.base.Host+badge.PagePath
	tmpl := b.tmpl
	return func(d *badge.PageData) ([]byte, error) {
		data := page
		data.TLS = d
		return tmpl.execute(&data)
	}
}

func tagPath(t *content.Tag) string { return "/tags/" + t.Slug + "/" }

// page returns the data of one page of the site.
func (b *builder) page(kind, title, description, sitePath string) *PageData {
	return b.pageAt(kind, title, description, sitePath, b.url(sitePath), b.abs(sitePath))
}

// pageAt is page with its URL (urlPath) and absolute URL (permalink)
// made already.
func (b *builder) pageAt(kind, title, description, sitePath, urlPath, permalink string) *PageData {
	return &PageData{
		Site:        b.data,
		Kind:        kind,
		Title:       title,
		Description: description,
		URL:         urlPath,
		Permalink:   permalink,
		Image:       b.data.Image,
		FeedURL:     b.data.AtomURL,
		path:        sitePath,
	}
}

// planPages plans every HTML page.
func (b *builder) planPages() {
	var jobs []*PageData
	for _, pg := range b.site.Posts {
		jobs = append(jobs, b.postPage("post", pg))
	}
	for _, pg := range b.site.Pages {
		jobs = append(jobs, b.postPage("page", pg))
	}
	// The places in jobs of the lists' pages and of the archive, made
	// places in the plan below.
	b.places.lists = make(map[*content.Tag][]int, len(b.site.Tags)+1)
	b.places.redirects = make(map[*content.Tag]int, len(b.site.Tags)+1)
	for _, t := range append([]*content.Tag{nil}, b.site.Tags...) {
		kind, first, title, posts := "list", "/", "", b.site.Posts
		if t != nil {
			kind, first, title, posts = "tag", tagPath(t), t.Name, t.Posts
		}
		pages := b.listPages(kind, t, first, title, posts)
		b.places.redirects[t] = len(b.plan) - 1 // the list's page/1/, planned by listPages
		for n := range pages {
			b.places.lists[t] = append(b.places.lists[t], len(jobs)+n)
		}
		jobs = append(jobs, pages...)
	}
	tagsPage := b.page("tags", b.t("tags"), b.t("tags_description", b.cfg.Title), "/tags/")
	b.places.tags = len(jobs)
	jobs = append(jobs, tagsPage)
	archive := b.page("archive", b.t("archive"), b.t("archive_description", b.cfg.Title), "/archive/")
	archive.Years = b.years()
	b.places.archive = len(jobs)
	jobs = append(jobs, archive)
	notFound := b.page("404", b.t("page_not_found"), "", "/404.html")
	jobs = append(jobs, notFound)

	base := len(b.plan) // listPages planned the lists' page/1/ redirects
	for _, data := range jobs {
		b.addPage(data)
	}
	b.places.archive += base
	b.places.tags += base
	for tag, at := range b.places.lists {
		for n := range at {
			at[n] += base
			b.plan[at[n]].list = &listRef{tag: tag, n: n + 1}
		}
	}
	for _, pg := range b.site.All() {
		b.posts[pg].aliasAt = len(b.plan)
		for i, a := range pg.Aliases {
			b.addRedirect(fileOf(a), b.url(pg.URL), b.abs(pg.URL), aliasOrigin(pg, i))
		}
	}
	for _, pg := range b.site.Redirects {
		to, canonical := b.redirectURL(pg.Redirect)
		b.addRedirect(fileOf(pg.URL), to, canonical, origin{path: pg.Path, line: pg.Lines["redirect"], what: "redirect"})
		for i, a := range pg.Aliases {
			b.addRedirect(fileOf(a), to, canonical, aliasOrigin(pg, i)) // straight to the target
		}
	}
}

// planPlaces are where some files are in a build's plan, for a build
// that changes some posts' front matter (incremental.go).
type planPlaces struct {
	lists     map[*content.Tag][]int // the pages of the index (nil) and of each tag's list
	redirects map[*content.Tag]int   // their page/1/ redirects
	feeds     map[*content.Tag]int   // the site's three feeds (nil), each tag's feed
	archive   int
	tags      int // the page of the site's tags
	sitemap   int
	docs      int // the search document of the oldest post
}

// aliasOrigin is the origin of a page's alias pg.Aliases[i].
func aliasOrigin(pg *content.Page, i int) origin {
	return origin{path: pg.Path, line: pg.AliasLine(i), what: "alias " + pg.Aliases[i]}
}

func (b *builder) postPage(kind string, pg *content.Page) *PageData {
	pd := b.posts[pg]
	data := b.pageAt(kind, pg.Title, "", pg.URL, pd.URL, pd.Permalink) // the description is the summary, read when the page is made
	data.from = origin{path: pg.Path, what: "page"}
	for _, key := range []string{"url", "path", "permalink", "slug", "title"} {
		if l := pg.Lines[key]; l > 0 {
			data.from.line = l // the line of the key that set the URL
			break
		}
	}
	data.Post = pd
	return data
}

// listPages paginates posts: the first page at first, the others at
// first+"page/N/"; first+"page/1/" redirects to first.
func (b *builder) listPages(kind string, tag *content.Tag, first, title string, posts []*content.Page) []*PageData {
	total := max(1, (len(posts)+b.cfg.Paginate-1)/b.cfg.Paginate)
	var pages []*PageData
	for n := 1; n <= total; n++ {
		pages = append(pages, b.listPage(kind, tag, first, title, posts, n))
	}
	b.addRedirect(fileOf(first+"page/1/"), b.url(first), b.abs(first), origin{})
	return pages
}

// listPage is page n of the list of posts listPages paginates.
func (b *builder) listPage(kind string, tag *content.Tag, first, title string, posts []*content.Page, n int) *PageData {
	per := b.cfg.Paginate
	total := max(1, (len(posts)+per-1)/per)
	pageURL := func(n int) string {
		if n == 1 {
			return first
		}
		return first + "page/" + strconv.Itoa(n) + "/"
	}
	var td *TagData
	if tag != nil {
		td = b.tagData[tag]
	}
	pageTitle := title
	if n > 1 {
		pageTitle = strings.TrimSpace(b.t("page_title", title, n))
	}
	description := b.cfg.Description
	if tag != nil {
		description = b.t("tag_description", tag.Name, b.cfg.Title)
	}
	data := b.page(kind, pageTitle, description, pageURL(n))
	data.Tag = td
	if td != nil {
		data.FeedURL = td.FeedURL
	}
	pager := &Pager{Number: n, Total: total}
	for _, shown := range pagerNumbers(n, total) {
		if shown == 0 {
			pager.Pages = append(pager.Pages, PagerLink{Gap: true})
		} else {
			pager.Pages = append(pager.Pages, PagerLink{Number: shown, URL: b.url(pageURL(shown)), Current: shown == n})
		}
	}
	if n > 1 {
		pager.Prev = b.url(pageURL(n - 1))
	}
	if n < total {
		pager.Next = b.url(pageURL(n + 1))
	}
	data.Pager = pager
	for _, pg := range posts[(n-1)*per : min(n*per, len(posts))] {
		data.Posts = append(data.Posts, b.posts[pg])
	}
	if data.Description == "" {
		prefix := b.t("list_description", b.cfg.Title)
		if b.data.Author.Name != "" {
			prefix = b.t("list_description_by", b.data.Author.Name, b.cfg.Title)
		}
		data.Description = listDescription(prefix, data.Posts)
	}
	return data
}

// pagerNumbers are the page numbers a pager on page n of total shows: 1,
// total, n and its neighbours, with 0 for a gap of two or more pages.
func pagerNumbers(n, total int) []int {
	if total <= 1 {
		return nil
	}
	var shown []int
	last := 0
	for _, k := range []int{1, n - 1, n, n + 1, total} {
		if k < 1 || k > total || k <= last {
			continue
		}
		switch {
		case k == last+2:
			shown = append(shown, last+1)
		case k > last+2:
			shown = append(shown, 0)
		}
		shown = append(shown, k)
		last = k
	}
	return shown
}

func (b *builder) years() []*YearData {
	var years []*YearData
	for _, pg := range b.site.Posts {
		pd := b.posts[pg]
		y := pd.Date.Year()
		if len(years) == 0 || years[len(years)-1].Year != y {
			years = append(years, &YearData{Year: y})
		}
		last := years[len(years)-1]
		last.Posts = append(last.Posts, pd)
	}
	return years
}

// redirect is a page that sends readers of an old URL to another, to:
// a site-relative URL for a page of the site, so that a preview stays on
// its own host, or an absolute URL elsewhere. Its canonical link is the
// absolute URL.
func (b *builder) redirect(to, canonical string) []byte {
	target := template.HTMLEscapeString(to)
	// The message is text around the link: escape it, then put the link
	// where its %s was.
	const linkMark = "\ue000"
	moved := strings.Replace(template.HTMLEscapeString(b.t("moved_to", linkMark)), linkMark,
		`<a href="`+target+`">`+target+`</a>`, 1)
	return []byte(`<!doctype html>
<html lang="` + template.HTMLEscapeString(b.cfg.Language) + `">
<head>
<meta charset="utf-8">
<title>` + template.HTMLEscapeString(b.t("redirecting")) + `</title>
<link rel="canonical" href="` + template.HTMLEscapeString(canonical) + `">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=` + target + `">
</head>
<body>
<p>` + moved + `</p>
</body>
</html>
`)
}

// redirectURL is where a redirect leads, to, and its absolute URL,
// canonical: an absolute URL as it is for both ("//host/x" takes the
// site's scheme); for a site path, with any query and fragment, its URL
// under the base URL's path and that URL made absolute.
func (b *builder) redirectURL(to string) (target, canonical string) {
	u, err := url.Parse(to)
	switch {
	case err != nil: // a path with a stray "%"
		return b.url(to), b.abs(to)
	case u.Host != "" && u.Scheme == "":
		u.Scheme = b.base.Scheme
		return u.String(), u.String()
	case u.Host != "":
		return to, to
	}
	rest := ""
	if u.RawQuery != "" || u.ForceQuery {
		rest += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		rest += "#" + u.EscapedFragment()
	}
	return b.url(u.Path) + rest, b.abs(u.Path) + rest
}

// planFiles publishes static files, content files and page bundle resources.
func (b *builder) planFiles() {
	type copyJob struct{ src, dst string }
	var jobs []copyJob
	for _, f := range b.site.Files {
		jobs = append(jobs, copyJob{f.Src, f.Dst})
	}
	for _, pg := range append(b.site.All(), b.site.Redirects...) {
		dir := path.Dir(pg.Path)
		for _, res := range pg.Resources {
			jobs = append(jobs, copyJob{res, strings.TrimPrefix(content.ResourceDir(pg.URL), "/") + strings.TrimPrefix(res, dir+"/")})
		}
	}
	for _, j := range jobs {
		b.addFile(j.dst, j.src)
	}
}
