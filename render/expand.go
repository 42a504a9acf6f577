package render

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/goblog"
	"github.com/siteblog/site/internal/hugo"
	"github.com/siteblog/site/internal/liquid"
	"github.com/siteblog/site/internal/pymd"
	"github.com/siteblog/site/internal/zola"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// expanders turn the other engines' syntax in a page's body into Markdown
// before goldmark sees it, in this order: the Go blog's template: true,
// Liquid, Hugo shortcodes, Python-Markdown habits, Zola's @/ links and
// shortcodes. Each decides itself
// whether a page is its own, and leaves other pages as they are.
var expanders = []func(*expand.Doc, expand.Env){
	goblog.Expand,
	liquid.Expand,
	hugo.Expand,
	pymd.Expand,
	zola.Expand,
}

// expansion is a page's body and summary source after the expanders, when
// any of them changed something.
type expansion struct {
	src      []byte
	html     []string          // the placeholders' HTML
	listings []deferredListing // asked for with Env.Listing, by marker number
	warnings []expand.Warning
	// summary is the expansion of the page's SummarySource, nil when the
	// page has none or the expanders left it as it was.
	summary *expansion
	// numbers are the listing numbers the body's listings got, by marker.
	numbers []int
}

type deferredListing struct{ code, info string }

// Listings asked for by expanders are numbered with the Markdown ones, in
// the order they stand in the page; until then each is a marker in the
// placeholders' HTML, made of private-use characters like placeholders.
const (
	markOpen  = '\uE002'
	markClose = '\uE003'
)

var markRE = regexp.MustCompile("\uE002([0-9]+)\uE003")
var placeholderRE = regexp.MustCompile("\uE000([0-9]+)\uE001")

// expandShared is what the expanders share across a renderer's builds.
type expandShared struct {
	once       sync.Once
	shortcodes *hugo.Templates
	err        error
}

// shortcodeTemplates parses the site's user shortcodes once: the theme's
// shortcodes/ first, then Hugo's layouts/shortcodes/ (and _shortcodes/,
// its name since Hugo 0.146), then those of a Hugo theme moved in whole.
func (r *Renderer) shortcodeTemplates() (*hugo.Templates, error) {
	r.expanding.once.Do(func() {
		var dirs []string
		if r.cfg.Theme != "" {
			dirs = append(dirs, "themes/"+r.cfg.Theme+"/shortcodes")
		}
		dirs = append(dirs, "layouts/shortcodes", "layouts/_shortcodes")
		if r.cfg.Theme != "" {
			dirs = append(dirs, "themes/"+r.cfg.Theme+"/layouts/shortcodes", "themes/"+r.cfg.Theme+"/layouts/_shortcodes")
		}
		r.expanding.shortcodes, r.expanding.err = hugo.ParseTemplates(r.siteFS, dirs...)
	})
	return r.expanding.shortcodes, r.expanding.err
}

// expand runs the expanders over a page's body and summary source. It
// returns nil when none of them changed anything, which is what a page
// without other engines' syntax costs: each expander's look at the body.
func (b *builder) expand(pg *content.Page) *expansion {
	x := b.expandSource(pg, pg.Body)
	var s *expansion
	if pg.SummarySource != nil {
		s = b.expandSource(pg, pg.SummarySource)
	}
	if x == nil && s == nil {
		return nil
	}
	if x == nil {
		x = &expansion{src: pg.Body}
	}
	if s != nil {
		line, given := pg.Lines["summary"]
		if !given {
			line, given = pg.Lines["description"]
		}
		if given {
			// A front matter summary: its warnings stand on its key's line.
			for _, w := range s.warnings {
				x.warnings = append(x.warnings, expand.Warning{Line: line, Msg: "summary: " + w.Msg})
			}
		}
		s.warnings = nil // else the part before <!--more--> warned as the body
	}
	x.summary = s
	return x
}

func (b *builder) expandSource(pg *content.Page, src []byte) *expansion {
	x := &expansion{}
	doc := &expand.Doc{Src: src}
	env := &pageEnv{b: b, pg: pg, doc: doc, x: x}
	for _, e := range expanders {
		e(doc, env)
	}
	if len(doc.HTML) == 0 && len(doc.Warnings) == 0 && len(x.listings) == 0 && bytes.Equal(doc.Src, src) {
		return nil
	}
	x.src, x.html, x.warnings = doc.Src, doc.HTML, doc.Warnings
	return x
}

// placeholders are the HTML of the body's placeholders, nil for none.
func (x *expansion) placeholders() []string {
	if x == nil {
		return nil
	}
	return x.html
}

// placesTOC reports whether the body places its table of contents
// itself: Python-Markdown's [TOC].
func (x *expansion) placesTOC() bool {
	if x == nil {
		return false
	}
	for _, h := range x.html {
		if strings.HasPrefix(h, pymd.TOCOpen) {
			return true
		}
	}
	return false
}

// sources are the Markdown of the body and of the summary to render.
func (x *expansion) sources(pg *content.Page) (body, summary []byte) {
	if x == nil {
		return pg.Body, pg.SummarySource
	}
	summary = pg.SummarySource
	if x.summary != nil {
		summary = x.summary.src
	}
	return x.src, summary
}

// writeKey adds what the expansion renders from to a body key.
func (x *expansion) writeKey(writeField func([]byte)) {
	for x != nil {
		writeField([]byte(strconv.Itoa(len(x.html))))
		for _, h := range x.html {
			writeField([]byte(h))
		}
		writeField([]byte(strconv.Itoa(len(x.listings))))
		for _, l := range x.listings {
			writeField([]byte(l.code))
			writeField([]byte(l.info))
		}
		if x = x.summary; x != nil {
			writeField(x.src)
		}
	}
}

// number numbers the listings of a parsed body, the Markdown ones and the
// expanders' ones, in the order they stand in src, so that every listing
// of the page has its own anchors.
func (x *expansion) number(doc ast.Node, src []byte) {
	if x == nil || len(x.listings) == 0 {
		return
	}
	type item struct {
		at     int
		node   ast.Node // a Markdown listing, or nil for marker
		marker int
	}
	var items []item
	last := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindFencedCodeBlock, ast.KindCodeBlock:
			at := last
			if n.Lines().Len() > 0 {
				at = n.Lines().At(0).Start
			} else if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
				at = f.Info.Segment.Start
			}
			items = append(items, item{at: at, node: n})
			last = at
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeInline {
			if t, ok := n.(*ast.Text); ok {
				last = t.Segment.Start
			}
		} else if n.Lines().Len() > 0 {
			last = n.Lines().At(0).Start
		}
		return ast.WalkContinue, nil
	})
	for _, m := range placeholderRE.FindAllSubmatchIndex(src, -1) {
		n, _ := strconv.Atoi(string(src[m[2]:m[3]]))
		if n < len(x.html) {
			for _, k := range markRE.FindAllStringSubmatch(x.html[n], -1) {
				k, _ := strconv.Atoi(k[1])
				items = append(items, item{at: m[0], marker: k})
			}
		}
	}
	for _, m := range markRE.FindAllSubmatchIndex(src, -1) {
		k, _ := strconv.Atoi(string(src[m[2]:m[3]]))
		items = append(items, item{at: m[0], marker: k})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].at < items[j].at })
	x.numbers = make([]int, len(x.listings))
	for i, it := range items {
		if it.node != nil {
			it.node.SetAttribute(listingAttr, i+1)
		} else if it.marker < len(x.numbers) && x.numbers[it.marker] == 0 {
			x.numbers[it.marker] = i + 1
		}
	}
}

// finish puts the placeholders' HTML and the listings into rendered HTML;
// listings get their numbers unless summary, where they have none (nor in
// feeds, which pass summary true).
func (x *expansion) finish(listings *Listings, rendered []byte, summary bool) []byte {
	if x == nil {
		return rendered
	}
	out := restore(rendered, x.html)
	if len(x.listings) == 0 || !bytes.ContainsRune(out, markOpen) {
		return out
	}
	return markRE.ReplaceAllFunc(out, func(m []byte) []byte {
		k, _ := strconv.Atoi(string(m[len(string(markOpen)) : len(m)-len(string(markClose))]))
		if k >= len(x.listings) {
			return nil
		}
		number := 0
		if !summary && k < len(x.numbers) {
			number = x.numbers[k]
		}
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		l := x.listings[k]
		listings.Write(w, l.code, ParseInfo([]byte(l.info)), number)
		_ = w.Flush()
		return buf.Bytes()
	})
}

// restore puts the placeholders' HTML into rendered HTML, and the HTML of
// the placeholders that HTML holds: a fragment of Markdown rendered for an
// expander keeps its placeholders, so that raw_html applies to the
// writer's HTML in it, not to the expanders'.
func restore(rendered []byte, html []string) []byte {
	for i := 0; i <= len(html) && expand.HasPlaceholder(rendered); i++ {
		rendered = expand.Restore(rendered, html)
	}
	return rendered
}

// pageEnv is the expand.Env of one page's expansion.
type pageEnv struct {
	b   *builder
	pg  *content.Page
	doc *expand.Doc
	x   *expansion
}

func (e *pageEnv) Page() *content.Page { return e.pg }
func (e *pageEnv) Site() *content.Site { return e.b.site }
func (e *pageEnv) Ref(ref string) (string, bool) {
	pg := e.b.refIndex().find(e.pg, ref)
	if pg == nil {
		return "", false
	}
	return e.b.url(pg.URL), true
}

func (e *pageEnv) ReadFile(name string) ([]byte, error) {
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	if !fs.ValidPath(name) || name == "." {
		return nil, fmt.Errorf("read %s: not a file of the site", name)
	}
	data, err := fs.ReadFile(e.b.siteFS, name)
	if err == nil {
		e.b.mu.Lock()
		if e.b.readByExpanders == nil {
			e.b.readByExpanders = map[string]bool{}
		}
		e.b.readByExpanders[name] = true
		e.b.mu.Unlock()
	}
	return data, err
}

func (e *pageEnv) Translate(id string, count any) (string, bool) {
	return e.b.l10n.Translate(id, count)
}

func (e *pageEnv) Listing(code, info string) string {
	e.x.listings = append(e.x.listings, deferredListing{code, info})
	return string(markOpen) + strconv.Itoa(len(e.x.listings)-1) + string(markClose)
}

// Markdown renders a fragment as summaries are rendered: without heading
// IDs or listing anchors, which could collide with the page's. Its
// placeholders stay, to be put back with the page's.
func (e *pageEnv) Markdown(src string, inline bool) string {
	var buf bytes.Buffer
	md := e.b.md.page.summaryMD
	doc := md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(parser.NewContext(parser.WithIDs(expand.NewHeadingIDs()))))
	defer releaseListings(doc)
	if err := md.Renderer().Render(bufferWriter{&buf}, []byte(src), doc); err != nil {
		return ""
	}
	out := buf.Bytes()
	if inline {
		trimmed := bytes.TrimSuffix(out, []byte("\n"))
		if bytes.HasPrefix(trimmed, []byte("<p>")) && bytes.HasSuffix(trimmed, []byte("</p>")) && bytes.Count(trimmed, []byte("<p>")) == 1 {
			out = trimmed[3 : len(trimmed)-4]
		}
	}
	return string(out)
}

func (e *pageEnv) Shortcode(name string, call expand.Call) (string, bool, error) {
	ts, err := e.b.shortcodeTemplates()
	if err != nil {
		return "", false, err
	}
	return ts.Run(name, call, e)
}

// ShortcodeTemplates gives Hugo's expander the templates themselves, for
// .Parent and .Ordinal. (Build fails when they cannot be read.)
func (e *pageEnv) ShortcodeTemplates() *hugo.Templates {
	ts, _ := e.b.shortcodeTemplates()
	return ts
}

// pageRefs finds pages by the names other engines' links use.
type pageRefs struct {
	paths map[string]*content.Page // content paths, lower-cased, without "content/"
	names map[string]*content.Page // file and bundle names; nil when ambiguous
}

// refIndex indexes the build's pages once, when a page first asks.
func (b *builder) refIndex() *pageRefs {
	b.refsOnce.Do(func() {
		b.refs = &pageRefs{paths: map[string]*content.Page{}, names: map[string]*content.Page{}}
		for _, pg := range b.site.All() {
			b.refs.add(pg)
		}
	})
	return b.refs
}

func (r *pageRefs) add(pg *content.Page) {
	p := strings.ToLower(strings.TrimPrefix(pg.Path, content.ContentDir+"/"))
	ext := path.Ext(p)
	noExt := strings.TrimSuffix(p, ext)
	r.paths[p] = pg
	r.paths[noExt] = pg
	base := path.Base(noExt)
	if base == "index" || base == "_index" {
		dir := path.Dir(p)
		r.paths[dir] = pg
		base = path.Base(dir)
	} else {
		r.name(path.Base(p), pg)
	}
	r.name(base, pg)
	if d := content.DatePrefix(base); d != "" {
		r.name(base[len(d):], pg)
	}
}

func (r *pageRefs) name(n string, pg *content.Page) {
	if old, seen := r.names[n]; seen && old != pg {
		r.names[n] = nil
		return
	}
	r.names[n] = pg
}

// find resolves ref from page from: a content path ("posts/a.md",
// "/posts/a.md", "content/posts/a.md", a bundle's "posts/a"), a path
// relative to from's directory ("../b.md", "b.md"), or a file or bundle
// name ("a", "a.md", "2024-01-02-a") that only one page has.
func (r *pageRefs) find(from *content.Page, ref string) *content.Page {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if ref == "" {
		return nil
	}
	clean := func(p string) string {
		p = strings.TrimPrefix(path.Clean("/"+p), "/")
		return strings.TrimPrefix(p, content.ContentDir+"/")
	}
	if !strings.HasPrefix(ref, "/") && from != nil {
		dir := path.Dir(strings.TrimPrefix(strings.ToLower(from.Path), content.ContentDir+"/"))
		if pg := r.paths[clean(path.Join(dir, ref))]; pg != nil {
			return pg
		}
	}
	if pg := r.paths[clean(ref)]; pg != nil {
		return pg
	}
	if !strings.Contains(strings.Trim(ref, "/"), "/") {
		return r.names[strings.Trim(ref, "/")]
	}
	return nil
}

// warningList is the expansion's warnings, none for nil.
func (x *expansion) warningList() []expand.Warning {
	if x == nil {
		return nil
	}
	return x.warnings
}
