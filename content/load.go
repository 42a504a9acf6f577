package content

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/siteblog/site/internal/par"
)

// Options select what Load publishes.
type Options struct {
	// Drafts includes posts and pages marked draft.
	Drafts bool
	// Future includes posts dated after Now.
	Future bool
	// Now is the moment that tells future posts; zero means time.Now().
	Now time.Time
}

// Site is everything a build publishes, in publishing order.
type Site struct {
	Config *Config
	// Posts are the published posts, newest first (ties by URL).
	Posts []*Page
	// Pages are the standalone pages, by URL.
	Pages []*Page
	// Tags are the tags of published posts, by slug.
	Tags []*Tag
	// Redirects are the pages whose front matter gives redirect (the Go
	// blog's) or redirect_to (Jekyll's), by URL: each is published at its
	// URL as a page redirecting to its Redirect, and is neither a post nor
	// a standalone page (in no list, feed or sitemap).
	Redirects []*Page
	// Files are copied verbatim: static/ files, and files under content/
	// that belong to no page bundle.
	Files []File
	// Drafts counts the drafts left out; Future the posts left out for
	// being dated after the build (a future draft counts as a draft).
	Drafts, Future int
	// NextFuture is the earliest date of those future posts: until then,
	// the same files load as the same site.
	NextFuture time.Time
	// Sections holds the _index.md files (Hugo's and Zola's section
	// metadata) by directory under content/, slash-separated: "posts" for
	// content/posts/_index.md, "" for content/_index.md. They are read for
	// their front matter (Title, Summary, Params, …) and published as
	// nothing; templates reach them as .Site.Sections.
	Sections map[string]*Page
	// Warnings are problems that do not stop the build, such as a post
	// moved to another URL because another post has its title; each
	// names the file and line.
	Warnings Errors

	// moved counts the posts moved off the URL their title gives, since
	// another page has it (checkURLs).
	moved int
}

// All returns the posts, then the standalone pages.
func (s *Site) All() []*Page {
	return append(append(make([]*Page, 0, len(s.Posts)+len(s.Pages)), s.Posts...), s.Pages...)
}

// A File is copied from the site directory to the output unchanged.
type File struct {
	Src string // path in the site directory
	Dst string // path in the output, slash-separated, no leading slash
}

// Directories of a site.
const (
	ContentDir = "content"
	PostsDir   = "content/posts"
	StaticDir  = "static"
)

// reservedPrefixes are URL paths the engine itself publishes.
var reservedPrefixes = []string{"/tags/", "/page/", "/archive/", "/assets/", "/tls/"}

// Load reads every page of the site in fsys (a site directory) and returns
// what to publish. It reports every problem it finds, as Errors, rather than
// stopping at the first.
func Load(fsys fs.FS, cfg *Config, opts Options) (*Site, error) {
	return NewLoader(fsys, opts).Load(cfg)
}

// A Loader loads a site again and again, as a preview server does, reading
// again only the Markdown files it was told have changed (and new ones).
// It is not safe for concurrent use.
type Loader struct {
	fsys fs.FS
	opts Options
	cfg  *Config
	read map[string]readResult // by path, read with cfg
	// index is the last site Update changed, indexed.
	index *siteIndex
	// found are the paths the last Load found under content/ and
	// static/ (Found); nil before one.
	found map[string]bool
}

type readResult struct {
	page  *Page
	errs  Errors
	warns Errors
}

// NewLoader returns a Loader of the site in fsys.
func NewLoader(fsys fs.FS, opts Options) *Loader {
	return &Loader{fsys: fsys, opts: opts, read: map[string]readResult{}}
}

// Forget makes the next Load read these files (paths of fsys) again.
func (l *Loader) Forget(paths ...string) {
	for _, p := range paths {
		delete(l.read, p)
	}
}

// Found reports whether the last Load, good or failed, found p (a path
// of fsys) under content/ or static/: a file, a directory or a link,
// the two directories themselves included, whether the site uses it or
// not. It reports false before a Load.
func (l *Loader) Found(p string) bool { return l.found[p] }

// Loaded reports whether the Loader has loaded the site, well or not.
func (l *Loader) Loaded() bool { return l.found != nil }

// Reread reads the Markdown file p (a path of fsys) again, as Load
// would with cfg, and keeps what it read for the next Load. It returns
// the page (nil if the file has errors), its errors and its warnings,
// and the warnings of the version read before (as Load put them in
// Site.Warnings). A Load afterwards does not read p again unless told
// (Forget).
func (l *Loader) Reread(cfg *Config, p string) (pg *Page, errs, warns, was Errors) {
	if cfg != l.cfg {
		l.cfg, l.read = cfg, map[string]readResult{}
	}
	was = l.read[p].warns
	pg, errs, warns = readPage(l.fsys, p, cfg)
	l.read[p] = readResult{pg, errs, warns}
	return pg, errs, warns, was
}

// Load lists the site's files and returns what to publish, as the
// function Load does. A configuration other than the last one's reads
// every file again, since dates and URLs depend on it.
func (l *Loader) Load(cfg *Config) (*Site, error) {
	if cfg != l.cfg {
		l.cfg, l.read = cfg, map[string]readResult{}
	}
	fsys, opts := l.fsys, l.opts
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	var errs Errors
	var sources []string         // Markdown files
	var sectionFiles []string    // _index.md files
	bundles := map[string]bool{} // directories holding an index.md
	var others []string          // other files under content/
	var unrendered Errors        // posts in markup this engine does not read
	l.found = map[string]bool{}
	err := WalkDir(fsys, ContentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil && p == ContentDir && errors.Is(err, fs.ErrNotExist) {
			return fs.SkipDir
		}
		l.found[p] = true
		if err != nil {
			errs = append(errs, fileError(p, err))
			return nil
		}
		if e := entryError(p, d); e != nil {
			errs = append(errs, e)
			return nil
		}
		name := d.Name()
		if p != ContentDir && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // editor and system files
		}
		switch {
		case d.IsDir():
		case IsMarkdown(name) && baseName(name) == "_index":
			sectionFiles = append(sectionFiles, p)
		case IsMarkdown(name):
			sources = append(sources, p)
			if baseName(name) == "index" {
				bundles[path.Dir(p)] = true
			}
		case otherMarkup[strings.ToLower(path.Ext(name))] != "" && isPostPath(p, cfg):
			unrendered = append(unrendered, errorf(p, 0, "%s is not rendered here: left out (write it in Markdown to publish it)", otherMarkup[strings.ToLower(path.Ext(name))]))
		default:
			others = append(others, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	results := make([]readResult, len(sources))
	var unread []int
	for i, p := range sources {
		if r, ok := l.read[p]; ok {
			results[i] = r
		} else {
			unread = append(unread, i)
		}
	}
	par.Do(len(unread), func(i int) {
		p := sources[unread[i]]
		pg, errs, warns := readPage(fsys, p, cfg)
		results[unread[i]] = readResult{pg, errs, warns}
	})
	site := &Site{Config: cfg, Warnings: unrendered}
	pages := make([]*Page, len(sources))
	l.read = make(map[string]readResult, len(sources)) // deleted files are forgotten
	for i, r := range results {
		l.read[sources[i]] = r
		errs = append(errs, r.errs...)
		site.Warnings = append(site.Warnings, r.warns...)
		if r.page != nil {
			cp := *r.page // this load's own copy: tags and resources are set below
			cp.Tags, cp.Resources = nil, nil
			pages[i] = &cp
		}
	}

	for _, pg := range pages {
		if pg == nil {
			continue
		}
		if pg.Draft && !opts.Drafts {
			site.Drafts++
			continue
		}
		if pg.Kind == Post && pg.Date.After(opts.Now) && !opts.Future {
			site.Future++
			if site.NextFuture.IsZero() || pg.Date.Before(site.NextFuture) {
				site.NextFuture = pg.Date
			}
			continue
		}
		switch {
		case pg.Redirect != "":
			site.Redirects = append(site.Redirects, pg)
		case pg.Kind == Post:
			site.Posts = append(site.Posts, pg)
		default:
			site.Pages = append(site.Pages, pg)
		}
	}
	sort.Slice(site.Posts, func(i, j int) bool {
		a, b := site.Posts[i], site.Posts[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.URL < b.URL
	})
	sort.Slice(site.Pages, func(i, j int) bool { return site.Pages[i].URL < site.Pages[j].URL })
	sort.Slice(site.Redirects, func(i, j int) bool { return site.Redirects[i].URL < site.Redirects[j].URL })

	// Bundle resources go beside their page; other content files keep their path.
	owner := map[string]*Page{}
	for _, pg := range append(site.All(), site.Redirects...) {
		if baseName(path.Base(pg.Path)) == "index" {
			owner[path.Dir(pg.Path)] = pg
		}
	}
	for _, f := range others {
		if dir, ok := bundleOf(f, bundles); ok {
			if pg := owner[dir]; pg != nil {
				pg.Resources = append(pg.Resources, f)
			}
			continue // a resource of a draft stays unpublished with it
		}
		site.Files = append(site.Files, File{Src: f, Dst: strings.TrimPrefix(f, ContentDir+"/")})
	}
	static, staticErrs := listFiles(fsys, StaticDir, l.found)
	errs = append(errs, staticErrs...)
	for _, f := range static {
		site.Files = append(site.Files, File{Src: f, Dst: strings.TrimPrefix(f, StaticDir+"/")})
	}

	secs, secErrs := l.readSections(sectionFiles, cfg)
	site.Sections = secs
	errs = append(errs, secErrs...)

	urlErrs, urlWarnings := checkURLs(site)
	errs = append(errs, urlErrs...)
	site.Warnings = append(site.Warnings, urlWarnings...)
	site.moved = len(urlWarnings)
	site.Warnings.sort()
	site.Tags = collectTags(site.Posts)
	if len(errs) > 0 {
		errs.sort()
		return nil, errs
	}
	return site, nil
}

// readPage reads and checks one Markdown file. A page it leaves out
// without failing the build is named by a warning.
func readPage(fsys fs.FS, p string, cfg *Config) (*Page, Errors, Errors) {
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, Errors{fileError(p, err)}, nil
	}
	src, terr, twarn := checkText(p, src)
	if terr != nil {
		return nil, Errors{terr}, nil
	}
	pg, errs, warns := parsePage(fsys, p, src, cfg)
	if twarn != nil {
		warns = append(warns, twarn)
	}
	return pg, errs, warns
}

// parsePage makes the page of a Markdown file's checked text.
func parsePage(fsys fs.FS, p string, src []byte, cfg *Config) (*Page, Errors, Errors) {
	fields, body, err := splitFrontMatter(p, src)
	if err != nil {
		return nil, Errors{err.(*Error)}, nil
	}
	pg := &Page{Path: p, Kind: Standalone, Digest: sha256.Sum256(src)}
	var post bool
	if pg.Section, post = sectionOf(p, cfg); post {
		pg.Kind = Post
	}
	var errs Errors
	pg.Meta, errs = decodeMeta(p, fields, cfg.Location, cfg.Taxonomies)
	pg.Form = formOf(src)
	addFolderCategory(pg, cfg.Taxonomies)
	if fields == nil {
		// Jekyll renders no file without front matter, and a README beside
		// the posts is no page: left out, and said so.
		return nil, nil, Errors{errorf(p, 1, "no front matter: left out (start the file with --- YAML ---, +++ TOML +++ or Title: lines to publish it)")}
	}
	if pg.Title == "" && pg.Redirect == "" {
		pg.Title = TitleOfFile(p)
	}
	pg.SummarySource, pg.Body = splitMore(body)
	if pg.Summary != "" {
		pg.SummarySource = []byte(pg.Summary)
	}

	name := baseName(path.Base(p))
	if name == "index" {
		name = path.Base(path.Dir(p))
	}
	if pg.Kind == Post && pg.Date.IsZero() {
		if d, ok := dateFromPath(pg.Params, cfg.Location); ok {
			pg.Date = d
		} else if d, ok := dateFromName(name, cfg.Location); ok {
			pg.Date = d
		} else if _, given := pg.Lines["date"]; given {
			// a date given but unreadable is reported already
		} else if !pg.Updated.IsZero() {
			pg.Date = pg.Updated // Hugo's last resort: lastmod
		} else if d, ok := fileDate(fsys, p, cfg); ok {
			pg.Date = d
		} else if pg.Redirect == "" {
			errs = append(errs, errorf(p, 1, "front matter: date is required for posts (or a file name starting with one, or a path or url holding one, or site.toml default_date = \"file\")"))
		} else if urlNeedsDate(pg, cfg) && len(errs) == 0 {
			// A redirect stub (the Go blog's) has no date to place it by.
			return nil, nil, Errors{errorf(p, pg.Lines["redirect"], "redirect to %s left out: its URL needs a date (the permalink has :year, :month or :day); give date or url", pg.Redirect)}
		}
	}
	if pg.Date.IsZero() && !pg.Updated.IsZero() {
		pg.Date = pg.Updated
	}
	pg.Date, pg.Updated = cfg.InZone(pg.Date), cfg.InZone(pg.Updated)
	errs = append(errs, checkYears(pg)...)
	var warns Errors
	for _, f := range fields {
		for _, l := range f.dropped {
			warns = append(warns, errorf(p, l, "front matter: %s is given again on line %d, whose value is used", f.key, f.line))
		}
	}
	if pg.Title != "" || pg.Redirect != "" {
		urlErrs, urlWarns := setURL(pg, pg.Section, cfg)
		errs, warns = append(errs, urlErrs...), append(warns, urlWarns...)
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	return pg, nil, warns
}

// checkYears refuses a page's date and updated date outside the years 1
// to 9999 (checkYear), naming the line of the key that gave each: date
// (or publishdate, published, updated when it stands for the date), a
// path or url holding a date, else the file name's date, line 1.
func checkYears(pg *Page) Errors {
	var errs Errors
	bad := func(err error, keys ...string) {
		for _, k := range keys {
			if l := pg.Lines[k]; l > 0 {
				errs = append(errs, errorf(pg.Path, l, "front matter: %s: %v", k, err))
				return
			}
		}
		errs = append(errs, errorf(pg.Path, 1, "the file name's date: %v", err))
	}
	if !pg.Date.IsZero() {
		if err := checkYear(pg.Date); err != nil {
			bad(err, "date", "publishdate", "published", "url", "path", "permalink", "updated")
		}
	}
	if !pg.Updated.IsZero() && !pg.Updated.Equal(pg.Date) {
		if err := checkYear(pg.Updated); err != nil {
			bad(err, "updated")
		}
	}
	return errs
}

// fileDate is a post's date when site.toml says default_date = "file":
// its file's modification time, as Pelican's DEFAULT_DATE = 'fs' reads it.
func fileDate(fsys fs.FS, p string, cfg *Config) (time.Time, bool) {
	if cfg.DefaultDate != "file" {
		return time.Time{}, false
	}
	info, err := fs.Stat(fsys, p)
	if err != nil || info.ModTime().IsZero() {
		return time.Time{}, false
	}
	// Pelican reads the time on the building machine's clock and places
	// it in its TIMEZONE, as a date written without a zone is placed.
	m := info.ModTime().Local()
	return time.Date(m.Year(), m.Month(), m.Day(), m.Hour(), m.Minute(), m.Second(), 0, cfg.Location), true
}

// titleFromName is the title Jekyll gives a page without one: its file
// name's words, each capitalised ("go1.22-release-notes" is "Go1.22
// Release Notes").
func titleFromName(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == ' ' })
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + strings.ToLower(w[size:])
	}
	return strings.Join(words, " ")
}

// otherMarkup names the markup formats of other engines' posts that
// are not rendered here; such a file in a section of posts is left out
// with a warning rather than published as its source.
var otherMarkup = map[string]string{
	".rst": "reStructuredText", ".adoc": "AsciiDoc", ".asciidoc": "AsciiDoc",
	".org": "Org mode", ".textile": "Textile", ".pandoc": "Pandoc Markdown", ".pdc": "Pandoc Markdown",
}

// MarkdownExts are the file name extensions of Markdown, as Hugo, Jekyll,
// Zola and Pelican know them.
var MarkdownExts = []string{".md", ".markdown", ".mdown", ".mkd", ".mkdn"}

// IsMarkdown reports whether a file name is a Markdown file's: its
// extension, in any case, is one of MarkdownExts.
func IsMarkdown(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	for _, e := range MarkdownExts {
		if ext == e {
			return true
		}
	}
	return false
}

// baseName is a file name without its extension: "index" for "index.markdown".
func baseName(name string) string { return strings.TrimSuffix(name, path.Ext(name)) }

// readSections reads the _index.md files: front matter only, with no
// key required. They are read every time; there are few.
func (l *Loader) readSections(files []string, cfg *Config) (map[string]*Page, Errors) {
	secs := map[string]*Page{}
	var errs Errors
	for _, p := range files {
		src, err := fs.ReadFile(l.fsys, p)
		if err != nil {
			errs = append(errs, fileError(p, err))
			continue
		}
		// A section's front matter is all it is read for: a character
		// that would only be shown as U+FFFD in a page is an error here.
		src, terr, twarn := checkText(p, src)
		if terr == nil {
			terr = twarn
		}
		if terr != nil {
			errs = append(errs, terr)
			continue
		}
		fields, body, err := splitFrontMatter(p, src)
		if err != nil {
			errs = append(errs, err.(*Error))
			continue
		}
		pg := &Page{Path: p, Kind: Standalone, Digest: sha256.Sum256(src)}
		var metaErrs Errors
		pg.Meta, metaErrs = decodeMeta(p, fields, cfg.Location, cfg.Taxonomies)
		pg.Form = formOf(src)
		errs = append(errs, metaErrs...)
		pg.Date, pg.Updated = cfg.InZone(pg.Date), cfg.InZone(pg.Updated)
		errs = append(errs, checkYears(pg)...)
		pg.SummarySource, pg.Body = splitMore(body)
		if pg.Summary != "" {
			pg.SummarySource = []byte(pg.Summary)
		}
		dir := strings.TrimPrefix(strings.TrimPrefix(path.Dir(p), ContentDir), "/")
		secs[dir] = pg
	}
	return secs, errs
}

// bundleOf returns the innermost page bundle directory holding file f.
func bundleOf(f string, bundles map[string]bool) (string, bool) {
	for dir := path.Dir(f); dir != "." && dir != ContentDir; dir = path.Dir(dir) {
		if bundles[dir] {
			return dir, true
		}
	}
	return "", false
}

// sectionOf returns the section of a Markdown file, the first directory
// under content/ of its path when site.toml names it in sections, and
// whether the file is a post: one in a section, or of the root section
// (RootSection) when sections lists it.
func sectionOf(p string, cfg *Config) (section string, post bool) {
	rel, ok := strings.CutPrefix(p, ContentDir+"/")
	if !ok {
		return "", false
	}
	dir, rest, nested := strings.Cut(rel, "/")
	switch {
	case nested && slices.Contains(cfg.Sections, dir):
		return dir, true
	case !slices.Contains(cfg.Sections, RootSection):
		return "", false
	case !nested: // content/NAME.md
		return "", true
	default: // a bundle of the root section, content/NAME/index.md
		return "", !strings.Contains(rest, "/") && baseName(rest) == "index"
	}
}

// isPostPath reports whether a file at p is in a section of posts.
func isPostPath(p string, cfg *Config) bool {
	_, post := sectionOf(p, cfg)
	return post
}

// RootSection, in site.toml sections, makes the Markdown files directly
// under content/ (and the bundles directly below it) posts, as the pages
// of Zola's root section are; their :section is empty.
const RootSection = "/"

// reservedFiles are output files the engine itself publishes.
var reservedFiles = map[string]bool{"index.html": true, "404.html": true}

// serverFiles are output files that `site serve` would never serve: it
// answers their URLs itself (see package serve), by file.
var serverFiles = map[string]string{"healthz.html": "/healthz", "tls.html": "/tls", "tls.json.html": "/tls.json"}

// checkURLs reports pages, aliases and files that would be written to the
// same place (or where another writes a directory), and pages and
// aliases that take a URL the engine publishes itself, each at the file
// and line that asked for it. A post whose URL comes from its title's
// slug alone yields its URL to a page whose URL was given (url, path,
// permalink, slug) or to an older post, and moves to the URL its file
// name gives, else to its slug with -2, -3, …, with a warning.
func checkURLs(site *Site) (errs, warnings Errors) {
	taken := map[string]source{} // output file → what took it
	claim := func(url string, by source) {
		file := FileOf(url)
		if prev, ok := taken[file]; ok {
			errs = append(errs, errorf(by.path, by.line, "%s is also used by %s", by.subject(), prev))
			return
		}
		taken[file] = by
	}
	all := append(site.All(), site.Redirects...)
	// Pages whose URL was given come first, by file: the later file is
	// reported. Then posts named by their title, oldest first.
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.urlFromTitle != b.urlFromTitle {
			return !a.urlFromTitle
		}
		if a.urlFromTitle && !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		return a.Path < b.Path
	})
	for _, pg := range all {
		key := urlKey(pg)
		if pg.urlFromTitle {
			if prev, ok := taken[FileOf(pg.URL)]; ok {
				old := pg.URL
				pg.URL = moveTitleSlug(pg, site.Config.Permalink, func(u string) bool { _, ok := taken[FileOf(u)]; return !ok })
				pg.Aliases, pg.aliasLines, _ = resolveAliases(pg, site.Config.RelativeAliases)
				warnings = append(warnings, errorf(pg.Path, pg.Lines["title"], "URL %s, from the title, is also used by %s; this post is published at %s instead (set slug to choose)", old, prev.path, pg.URL))
			}
		}
		fix := "set another slug"
		if key != "title" && key != "slug" {
			fix = "change " + key
		}
		by := source{path: pg.Path, line: pg.Lines[key], url: pg.URL}
		if err := reservedURL(pg.URL, by, fix); err != nil {
			errs = append(errs, err)
			continue
		}
		claim(pg.URL, by)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Path < all[j].Path })
	for _, pg := range all {
		for i, a := range pg.Aliases {
			by := source{path: pg.Path, line: pg.AliasLine(i), kind: aliasSource, url: a}
			if err := reservedURL(a, by, "change aliases"); err != nil {
				errs = append(errs, err)
				continue
			}
			claim(a, by)
		}
	}
	// Files copied as they are come last: a page or an alias is reported
	// at its front matter line, a file at its path.
	files := slices.Clone(site.Files)
	for _, pg := range all {
		dir := path.Dir(pg.Path)
		for _, res := range pg.Resources {
			files = append(files, File{Src: res, Dst: strings.TrimPrefix(ResourceDir(pg.URL), "/") + strings.TrimPrefix(res, dir+"/")})
		}
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].Src < files[j].Src })
	for _, f := range files {
		if prev, ok := taken[f.Dst]; ok {
			errs = append(errs, errorf(f.Src, 0, "file %s is also published by %s; remove or rename one of them", f.Dst, prev))
			continue
		}
		taken[f.Dst] = source{path: f.Src, kind: fileSource, url: f.Dst}
	}
	// A file where another needs a directory: static/2024 and the post
	// at /2024/01/x/, an alias /feed.xml/ and … .
	// Each such file is reported once, at the first (by name) that needs
	// it to be a directory.
	names := slices.Sorted(maps.Keys(taken))
	reported := map[string]bool{}
	for _, name := range names {
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			if prev, ok := taken[dir]; ok && !reported[dir] {
				reported[dir] = true
				by := taken[name]
				errs = append(errs, errorf(by.path, by.line, "%s writes %s inside %s, which %s publishes as a file; a file cannot be a directory too", by.subject(), name, dir, prev))
				break
			}
		}
	}
	return errs, warnings
}

// A source is what asks for an output file, for messages: a page (its
// file and the line of the key that set its URL), an alias (the line of
// its aliases key) or a file copied as it is (no line).
type source struct {
	path string
	line int
	kind int    // pageSource, aliasSource, fileSource
	url  string // the URL it asks for; a file's output path
}

const (
	pageSource = iota
	aliasSource
	fileSource
)

// String names the source: "content/posts/a.md:4", "content/posts/a.md:5
// (alias)", "static/feed.xml".
func (s source) String() string {
	name := s.path
	if s.line > 0 {
		name = fmt.Sprintf("%s:%d", s.path, s.line)
	}
	if s.kind == aliasSource {
		name += " (alias)"
	}
	return name
}

// subject starts a message about what the source publishes: "URL
// /x/", "alias /old/", "file x.txt".
func (s source) subject() string {
	switch s.kind {
	case aliasSource:
		return "alias " + s.url
	case fileSource:
		return "file " + s.url
	}
	return "URL " + s.url
}

// reservedURL refuses a page's or an alias's URL that the engine publishes
// itself: under reservedPrefixes, one of reservedFiles, or one of
// serverFiles.
func reservedURL(u string, by source, fix string) *Error {
	for _, r := range reservedPrefixes {
		if strings.HasPrefix(u, r) {
			return errorf(by.path, by.line, "%s is reserved for the site's own pages (%s); %s", by.subject(), r, fix)
		}
	}
	if f := FileOf(u); reservedFiles[f] {
		name := "index"
		if f != "index.html" {
			name = f
		}
		return errorf(by.path, by.line, "%s is the site's %s; %s", by.subject(), name, fix)
	}
	if p, ok := serverFiles[FileOf(u)]; ok {
		return errorf(by.path, by.line, "%s is answered at %s, which `site serve` answers itself; %s", by.subject(), p, fix)
	}
	return nil
}

// collectTags groups posts (newest first) by tag slug (TagSlug). A tag is
// named as its oldest post wrote it, so a later spelling does not rename
// it; a post whose tags share a slug is listed once.
func collectTags(posts []*Page) []*Tag {
	bySlug := map[string]*Tag{}
	for i := len(posts) - 1; i >= 0; i-- {
		pg := posts[i]
		pg.Tags = nil
		for _, name := range pg.Meta.Tags {
			slug := TagSlug(name)
			if slug == "" {
				continue
			}
			t := bySlug[slug]
			if t == nil {
				t = &Tag{Name: name, Slug: slug}
				bySlug[slug] = t
			}
			if n := len(t.Posts); n > 0 && t.Posts[n-1] == pg {
				continue // two spellings of one tag: the post is listed once
			}
			t.Posts = append(t.Posts, pg)
			pg.Tags = append(pg.Tags, t)
		}
	}
	tags := make([]*Tag, 0, len(bySlug))
	for _, t := range bySlug {
		// Posts were added oldest first.
		for i, j := 0, len(t.Posts)-1; i < j; i, j = i+1, j-1 {
			t.Posts[i], t.Posts[j] = t.Posts[j], t.Posts[i]
		}
		tags = append(tags, t)
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Slug < tags[j].Slug })
	return tags
}

// listFiles lists the regular files under dir, which may be missing,
// and notes in found every path it finds there, dir included.
func listFiles(fsys fs.FS, dir string, found map[string]bool) ([]string, Errors) {
	var files []string
	var errs Errors
	err := WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil && p == dir && errors.Is(err, fs.ErrNotExist) {
			return fs.SkipDir
		}
		found[p] = true
		if err != nil {
			errs = append(errs, fileError(p, err))
			return nil
		}
		if e := entryError(p, d); e != nil {
			errs = append(errs, e)
			return nil
		}
		if !d.IsDir() && !strings.HasSuffix(d.Name(), "~") && d.Name() != ".DS_Store" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, &Error{Path: dir, Err: err})
	}
	return files, errs
}

// unwrapPathError drops the path from a *fs.PathError, which Error adds itself.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return errors.New(pe.Op + ": " + pe.Err.Error())
	}
	return err
}
