package render

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/par"
)

// A Warning is a problem that does not stop the build, at a line of a
// source file: a link or image that resolves to nothing, a resource from
// another origin, script or style the Content-Security-Policy blocks.
type Warning struct {
	Path string // slash-separated, relative to the site directory
	Line int    // 1-based; 0 when it concerns the whole file
	Msg  string
}

func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.Path, w.Line, w.Msg)
	}
	return fmt.Sprintf("%s: %s", w.Path, w.Msg)
}

// compareWarnings orders warnings by file, line and message.
func compareWarnings(a, b Warning) int {
	if c := strings.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	if a.Line != b.Line {
		return cmp.Compare(a.Line, b.Line)
	}
	return strings.Compare(a.Msg, b.Msg)
}

// sortWarnings sorts warnings by file, line and message, and drops
// repeats. Warnings found in order (checkPages finds them so) cost one
// pass.
func sortWarnings(ws []Warning) []Warning {
	if !slices.IsSortedFunc(ws, compareWarnings) {
		slices.SortFunc(ws, compareWarnings)
	}
	out := ws[:0]
	for i, w := range ws {
		if i == 0 || w != ws[i-1] {
			out = append(out, w)
		}
	}
	return out
}

// serverPaths are answered by `site serve` besides the site's files
// (package serve): links to them resolve.
var serverPaths = map[string]bool{badge.PagePath: true, badge.JSONPath: true, badge.FeedPath: true,
	"/tls": true, "/healthz": true}

// scanKey is the key under which the body cache keeps the scan of the
// body whose key is k.
func scanKey(k Key) Key {
	return sha256.Sum256(append(k[:], "scan"...))
}

// scanOf returns the scan of a page's body: from the cache, where
// rendering the body put it, or made afresh (from the page's file again
// when its Markdown was let go: builder.source). It reports false, having
// failed the build, when it could make none.
func (b *builder) scanOf(pg *content.Page, key Key) (*pageScan, bool) {
	sk := scanKey(key)
	if r, ok := b.opts.bodies.Get(sk); ok {
		if sc, ok := decodeScan(r.Content); ok {
			return sc, true
		}
	}
	src := b.source(pg)
	if src == nil {
		return nil, false
	}
	sc, err := b.md.scan(src, b.expanded[pg])
	if err != nil {
		b.failMarkdown(pg, err)
		return nil, false
	}
	b.opts.bodies.Put(sk, Rendered{Content: sc.encode()})
	return sc, true
}

// checkPages checks what every page links to and embeds, once the site's
// files are planned: a local URL must name one of them, a resource from
// another origin is one the issuer badge does not cover, and what the
// site's Content-Security-Policy blocks is pointed out.
//
// A renderer used for build after build (a preview) keeps each page's
// warnings, and checks again only the pages whose body or URL changed,
// unless the set of the site's files changed too.
//
// A rebuild of changed bodies (rebuildBodies) that kept the site's files
// sets recheck to the pages changed: the others keep what the last check
// found.
func (b *builder) checkPages() {
	if b.recheck == nil || b.checkFound == nil {
		h := sha256.New()
		for _, p := range b.plan {
			h.Write([]byte(p.name))
			h.Write([]byte{0})
		}
		b.filesKey = sum(h)
		b.checkAll = b.site.All()
		slices.SortFunc(b.checkAll, func(a, b *content.Page) int { return strings.Compare(a.Path, b.Path) })
		b.checkAt = make(map[*content.Page]int, len(b.checkAll))
		for i, pg := range b.checkAll {
			b.checkAt[pg] = i
		}
		b.checkFound = make([][]Warning, len(b.checkAll))
		b.recheck, b.lookups, b.images = nil, nil, nil
	}
	// The pages whose share card image to check again, and whether the
	// site's: all when all the pages are checked.
	var images []*content.Page
	siteImage := b.recheck == nil
	if b.recheck != nil {
		seen := map[*content.Page]bool{}
		add := func(pg *content.Page) {
			if !seen[pg] {
				seen[pg] = true
				images = append(images, pg)
			}
		}
		if b.recheckImages {
			for pg := range b.recheck {
				add(pg)
			}
		}
		if b.images != nil {
			for _, name := range b.namesChanged {
				for pg := range b.images.looked[name] {
					add(pg)
				}
			}
		}
		siteImage = len(b.namesChanged) > 0
	}
	if b.recheck != nil && len(b.namesChanged) > 0 {
		// Files came and went: the pages that looked one of them up
		// are checked again, under a key of the new set of names.
		h := sha256.New()
		h.Write(b.filesKey[:])
		for _, name := range b.namesChanged {
			h.Write([]byte(name))
			h.Write([]byte{0})
			for p := range b.lookedUp()[name] {
				if pg := b.byPath[p]; pg != nil {
					b.recheck[pg] = true
				}
			}
		}
		b.filesKey = sum(h)
	}
	b.namesChanged = nil
	filesKey := b.filesKey
	checker := sync.OnceValue(func() *checker {
		c := &checker{
			files:    b.byName, // read only while the pages are checked
			policy:   parsePolicy(b.cfg.ContentSecurityPolicy(), b.base),
			base:     b.base,
			basePath: b.base.EscapedPath(),
		}
		if !strings.HasSuffix(c.basePath, "/") {
			c.basePath += "/"
		}
		if p, err := url.PathUnescape(c.basePath); err == nil {
			c.basePath = p
		}
		return c
	})
	// found[i] is what was found on all[i], at lines of its body (see
	// checkedPage): appendAtFileLines makes them the file's.
	all, found := b.checkAll, b.checkFound
	var at []int // the pages to check; the others' found[i] is the last check's
	if b.recheck == nil {
		at = make([]int, len(all))
		for i := range at {
			at[i] = i
		}
	} else {
		for pg := range b.recheck {
			if i, ok := b.checkAt[pg]; ok {
				at = append(at, i)
			}
		}
	}
	was := make([]*checkedPage, len(at)) // the pages' last checks, where they were checked again
	now := make([]*checkedPage, len(at))
	par.Do(len(at), func(j int) {
		i := at[j]
		pg := all[i]
		key := b.posts[pg].key
		if v, ok := b.checked.Load(pg.Path); ok {
			if cp := v.(*checkedPage); cp.body == key && cp.url == pg.URL && cp.files == filesKey {
				found[i] = cp.warnings
				return
			} else {
				was[j] = cp
			}
		}
		pageURL, err := url.Parse(b.abs(pg.URL))
		if err != nil {
			return // the page's own URL is checked where it is made
		}
		sc, ok := b.scanOf(pg, key)
		if !ok {
			return // the build fails: nothing is kept of the page's check
		}
		c := *checker()
		c.looked = []string{}
		found[i] = sortWarnings(c.check(pg.Path, pageURL, sc)) // at lines of the body
		now[j] = &checkedPage{body: key, url: pg.URL, files: filesKey, warnings: found[i], looked: slices.Compact(slices.Sorted(slices.Values(c.looked)))}
		b.checked.Store(pg.Path, now[j])
	})
	if b.lookups != nil {
		for j, cp := range now {
			if cp == nil {
				continue
			}
			p := all[at[j]].Path
			if was[j] != nil {
				for _, name := range was[j].looked {
					delete(b.lookups[name], p)
				}
			}
			for _, name := range cp.looked {
				set(b.lookups, name)[p] = true
			}
		}
	}
	for i, ws := range found {
		if len(ws) > 0 {
			b.stats.Warnings = b.appendAtFileLines(b.stats.Warnings, all[i], ws)
		}
	}
	// Images are named in front matter and site.toml, and looked for
	// among the files: with both the same (the images and the lines
	// naming them, the names looked up), what was found stands.
	if b.recheck == nil {
		images = all
	}
	if len(images) > 0 || siteImage {
		b.checkImages(images, siteImage, checker)
	}
	b.recheckImages = false
	b.stats.Warnings = append(b.stats.Warnings, b.images.warnings()...)
	b.recheck = nil
}

// checkedPage is what checkPages found on a page, and what from: the
// key of its body, its URL and the key of the names of the site's files,
// and the names of files it looked up. Its warnings are at lines of the
// body, as the scan they come from has them: a save that moves the body
// down or up the file (more or fewer lines of front matter) may keep the
// body's key, and so what was found.
type checkedPage struct {
	body     Key
	url      string
	files    Key
	warnings []Warning
	looked   []string
}

// appendAtFileLines appends to dst the warnings ws that checkPages found
// on pg, at lines of pg's body, with their lines made the file's: the
// body's lines follow its lead (PostData.lead), the empty lines that
// stand for the front matter as it is now.
func (b *builder) appendAtFileLines(dst []Warning, pg *content.Page, ws []Warning) []Warning {
	offset := b.posts[pg].lead
	for _, w := range ws {
		if w.Line > 0 {
			w.Line += offset
		}
		dst = append(dst, w)
	}
	return dst
}

// lookedUp returns, for each file name, the pages (by path) whose last
// check looked it up: made from the checks of the last full build's
// pages, and kept up to date as pages are checked again.
func (b *builder) lookedUp() map[string]map[string]bool {
	if b.lookups == nil {
		b.lookups = map[string]map[string]bool{}
		for _, pg := range b.checkAll {
			if v, ok := b.checked.Load(pg.Path); ok {
				for _, name := range v.(*checkedPage).looked {
					set(b.lookups, name)[pg.Path] = true
				}
			}
		}
	}
	return b.lookups
}

// A checker checks the scans of one build's pages.
type checker struct {
	files    map[string]*planned // the output files, "a/index.html" (builder.byName)
	policy   *policy
	base     *url.URL
	basePath string // decoded, ending in "/"
	// looked, when not nil, gathers the names of the files looked up.
	looked []string
}

func (c *checker) check(file string, pageURL *url.URL, sc *pageScan) []Warning {
	var ws []Warning
	warn := func(line int, format string, args ...any) {
		ws = append(ws, Warning{Path: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	// A page's style attributes, often hundreds in one table, are one
	// warning: the first, with how many there are.
	styleAttrs, firstStyle := 0, 0
	for _, it := range sc.items {
		switch it.kind {
		case itemInlineScript:
			if d, blocked := c.inlineBlocked("script-src-elem"); blocked {
				warn(it.line, "inline <script> is blocked by the Content-Security-Policy (%s): load the script from a file with <script src>", d)
			}
		case itemStyleElement:
			if d, blocked := c.inlineBlocked("style-src-elem"); blocked {
				warn(it.line, "<style> element is blocked by the Content-Security-Policy (%s): put the rules in a stylesheet, or allow inline style with [csp] style-src = [\"'unsafe-inline'\"]", d)
			}
		case itemStyleAttr:
			if d, blocked := c.inlineBlocked("style-src-attr"); blocked {
				styleAttrs++
				if styleAttrs == 1 {
					firstStyle = len(ws)
					warn(it.line, "style attribute on <%s> is blocked by the Content-Security-Policy (%s): use a class, or allow inline style with [csp] style-src = [\"'unsafe-inline'\"]", it.elem, d)
				}
			}
		case itemHandler:
			if d, blocked := c.inlineBlocked("script-src-attr"); blocked {
				warn(it.line, "event handler %s on <%s> is blocked by the Content-Security-Policy (%s)", it.attr, it.elem, d)
			}
		case itemJSURL:
			if d, blocked := c.inlineBlocked("script-src-elem"); blocked {
				warn(it.line, "javascript: URL in %s is blocked by the Content-Security-Policy (%s)", describe(it), d)
			}
		case itemURL:
			c.checkURL(it, pageURL, warn)
		}
	}
	if styleAttrs > 1 {
		ws[firstStyle].Msg += fmt.Sprintf(" (and %d more style attributes in this file)", styleAttrs-1)
	}
	return ws
}

// inlineBlocked reports whether the policy blocks inline code governed by
// directive d, and the directive (with its sources) that does.
func (c *checker) inlineBlocked(d string) (string, bool) {
	if c.policy.allowsInline(d) {
		return "", false
	}
	return c.governing(d), true
}

// governing names the directive that governs d, with its sources, for
// messages: "default-src 'self'".
func (c *checker) governing(d string) string {
	list, from, _ := c.policy.sources(d)
	return strings.Join(append([]string{from}, list...), " ")
}

// describe names the element and attribute of an item for a message.
func describe(it scanItem) string {
	switch {
	case it.md && it.elem == "img":
		return "image"
	case it.md:
		return "link"
	}
	return "<" + it.elem + " " + it.attr + ">"
}

func (c *checker) checkURL(it scanItem, pageURL *url.URL, warn func(int, string, ...any)) {
	what := describe(it)
	if it.url == "data:" {
		if !c.policy.allowsURL(it.dir, &url.URL{Scheme: "data"}) {
			warn(it.line, "%s: a data: URL is blocked by the Content-Security-Policy (%s): add \"data:\" to [csp] %s in %s", what, c.governing(it.dir), it.dir, content.ConfigFile)
		}
		return
	}
	ref, err := url.Parse(it.url)
	if err != nil {
		// Browsers send a "%" that starts no escape as it is: "100%.png".
		var err2 error
		if ref, err2 = url.Parse(strings.ReplaceAll(it.url, "%", "%25")); err2 != nil {
			warn(it.line, "%s %s is not a valid URL: %v", what, it.url, unwrapURLError(err))
			return
		}
	}
	abs := pageURL.ResolveReference(ref)
	if !sameOrigin(c.base, abs) {
		if it.dir == "" {
			return // a link elsewhere: not this site's to check
		}
		if !c.policy.allowsURL(it.dir, abs) {
			origin := abs.Scheme + "://" + abs.Host
			warn(it.line, "%s loads %s from another origin, which the Content-Security-Policy blocks (%s): add %q to [csp] %s in %s",
				what, it.url, c.governing(it.dir), origin, it.dir, content.ConfigFile)
			return
		}
		warn(it.line, "%s embeds %s from another origin; the issuer badge does not cover it", what, it.url)
		return
	}
	p := abs.Path
	if p == "" {
		p = "/"
	}
	if p+"/" == c.basePath {
		p += "/"
	}
	if !strings.HasPrefix(p, c.basePath) {
		if it.dir == "" {
			return // a link to another part of the host: not this site's to check
		}
		warn(it.line, "%s %s not found (looked for %s, outside the base URL's path %s)", what, it.url, p, c.basePath)
		return
	}
	if !c.exists("/" + strings.TrimPrefix(p, c.basePath)) {
		warn(it.line, "%s %s not found (looked for %s)", what, it.url, p)
	}
}

// exists reports whether a site path (without the base URL's path) names
// a file of the site: "/a/" is a/index.html; "/a" is the file a, or a
// directory with index.html (servers redirect to "/a/"), or a.html (as
// static hosts and `site serve` answer).
func (c *checker) exists(p string) bool {
	if serverPaths[p] {
		return true
	}
	if strings.HasSuffix(p, "/") {
		return c.has(fileOf(p))
	}
	name := strings.TrimPrefix(p, "/")
	return c.has(name) || c.has(name+"/index.html") || c.has(name+".html")
}

// has reports whether the site has the file name, and notes the name.
func (c *checker) has(name string) bool {
	if c.looked != nil {
		c.looked = append(c.looked, name)
	}
	return c.files[name] != nil
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
