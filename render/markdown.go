package render

import (
	"bytes"
	stdhtml "html"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/alecthomas/chroma/v2"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Markdown converts a page's Markdown to HTML: CommonMark with GitHub's
// extensions (tables, strikethrough, task lists, autolinks), footnotes,
// definition lists, smart punctuation, heading IDs with anchor links and
// highlighted code listings. It is safe for concurrent use.
type Markdown struct {
	page, feed markdownForm
	rawHTML    string
	// tocLevels are the heading levels of tables of contents.
	tocLevels TOCLevels
}

// markdownForm is one form of the HTML of pages: as the site's pages show
// it, or as feeds carry it.
type markdownForm struct {
	md        goldmark.Markdown
	summaryMD goldmark.Markdown
	listings  *Listings
}

// NewMarkdown returns a converter. rawHTML says what becomes of raw HTML
// (content.RawHTMLPass, RawHTMLEscape or RawHTMLOmit; "" is pass).
func NewMarkdown(listings *Listings, rawHTML string) *Markdown {
	return newMarkdown(listings, rawHTML, true)
}

// newMarkdown is NewMarkdown with site.toml's [markdown] autolink.
func newMarkdown(listings *Listings, rawHTML string, autolink bool) *Markdown {
	if rawHTML == "" {
		rawHTML = content.RawHTMLPass
	}
	feedListings := &Listings{Feed: true}
	if listings != nil { // the names that feeds show too
		feedListings.TaskLabel = listings.TaskLabel
	}
	return &Markdown{
		page: markdownForm{
			md:        newGoldmark(listings, rawHTML, autolink, false, false),
			summaryMD: newGoldmark(listings, rawHTML, autolink, true, false),
			listings:  listings,
		},
		feed: markdownForm{
			md:        newGoldmark(feedListings, rawHTML, autolink, false, true),
			summaryMD: newGoldmark(feedListings, rawHTML, autolink, true, true),
			listings:  feedListings,
		},
		rawHTML:   rawHTML,
		tocLevels: defaultTOCLevels,
	}
}

func newGoldmark(listings *Listings, rawHTML string, autolink, summary, feed bool) goldmark.Markdown {
	var rendererOpts []renderer.Option
	if rawHTML == content.RawHTMLPass {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	return goldmark.New(
		goldmark.WithExtensions(append(markdownExtensions(autolink),
			&pageExtension{listings: listings, summary: summary, feed: feed, escapeHTML: rawHTML == content.RawHTMLEscape})...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
}

// markdownExtensions are the goldmark extensions of a page's Markdown but
// the site's own; autolink adds Linkify.
func markdownExtensions(autolink bool) []goldmark.Extender {
	exts := []goldmark.Extender{
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)), // no style attributes: the strict CSP forbids them
		extension.Strikethrough,
		extension.TaskList,
		extension.Footnote,
		extension.DefinitionList,
		extension.Typographer,
	}
	if autolink {
		exts = append(exts, extension.Linkify)
	}
	return exts
}

// Rendered is a page converted to HTML. Its bytes are never written
// once made: the cache and the pages that show it share them
// (PostData.Content).
type Rendered struct {
	Content []byte
	// Summary is the summary's HTML, rendered from the page's summary
	// source, or else its first paragraph.
	Summary []byte
	// TOC is the table of contents of the body's headings (toc.go): a
	// nested <ol> of links, nil when the body has too few headings or
	// places its table itself.
	TOC []byte
}

// Render converts a page's body and summary.
func (m *Markdown) Render(pg *content.Page) (Rendered, error) {
	out, _, err := m.render(pg, nil)
	return out, err
}

// parse parses Markdown.
func (m *Markdown) parse(src []byte) ast.Node {
	return m.page.md.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(expand.NewHeadingIDs()))))
}

// scan returns what a page's body, or its expansion x, links to and
// embeds, for the checks of a build, without rendering it. A body over
// the limits of limits.go is not parsed, and gives the error render gives.
func (m *Markdown) scan(pg *content.Page, x *expansion) (*pageScan, error) {
	body, _ := x.sources(pg)
	if err := checkLimits(body); err != nil {
		return &pageScan{}, err
	}
	return scanDoc(m.parse(body), body, m.rawHTML == content.RawHTMLPass, x.placeholders()), nil
}

// render converts a page's body and summary, or their expansion x by the
// other engines' syntaxes (expand.go) when x is not nil, and scans the
// body as scan does.
func (m *Markdown) render(pg *content.Page, x *expansion) (Rendered, *pageScan, error) {
	out, sc, err := m.renderForms(pg, x, &m.page)
	return out[0], sc, err
}

// renderBoth is render that also converts the body and summary as feeds
// carry them (renderFeed), from the same parse and the same tokens.
func (m *Markdown) renderBoth(pg *content.Page, x *expansion) (page, feed Rendered, sc *pageScan, err error) {
	out, sc, err := m.renderForms(pg, x, &m.page, &m.feed)
	if err != nil {
		return Rendered{}, Rendered{}, nil, err
	}
	return out[0], out[1], sc, nil
}

// renderFeed converts a page's body and summary, or their expansion x,
// as feeds carry them: listings in their feed form (Listings.Feed) and
// headings without their anchor links.
func (m *Markdown) renderFeed(pg *content.Page, x *expansion) (Rendered, error) {
	out, _, err := m.renderForms(pg, x, &m.feed)
	return out[0], err
}

// renderForms converts a page's body and summary in each of forms (the
// page's, the feeds'): parsed once, each listing lexed once (its tokens
// kept on its node, listingTokens). The body is scanned, and its
// listings numbered, when the page's form is among them.
func (m *Markdown) renderForms(pg *content.Page, x *expansion, forms ...*markdownForm) ([]Rendered, *pageScan, error) {
	out := make([]Rendered, len(forms))
	body, summarySource := x.sources(pg)
	for _, src := range [][]byte{body, summarySource} {
		if err := checkLimits(src); err != nil {
			return out, nil, err
		}
	}
	doc := m.parse(body)
	defer releaseListings(doc)
	var sc *pageScan
	if forms[0] == &m.page {
		sc = scanDoc(doc, body, m.rawHTML == content.RawHTMLPass, x.placeholders())
		x.number(doc, body)
	}
	// toc changes the document (kramdown's markers and {: .no_toc}
	// lines), so every form is rendered from it as changed.
	if t := toc(doc, body, m.tocLevels, x.placeholders(), x.placesTOC()); forms[0] == &m.page {
		out[0].TOC = t
	}
	for i, f := range forms {
		var err error
		out[i].Content, err = buffered(func(buf *bytes.Buffer) error { return f.md.Renderer().Render(bufferWriter{buf}, body, doc) })
		if err != nil {
			return out, nil, err
		}
		out[i].Content = x.finish(f.listings, out[i].Content, f.listings.Feed) // listings in feeds have no anchors
	}
	if summarySource != nil {
		sdoc := m.page.summaryMD.Parser().Parse(text.NewReader(summarySource), parser.WithContext(parser.NewContext(parser.WithIDs(expand.NewHeadingIDs()))))
		defer releaseListings(sdoc)
		dropTOCMarkers(sdoc, summarySource) // a summary lists no headings
		for i, f := range forms {
			var sb bytes.Buffer
			if err := f.summaryMD.Renderer().Render(bufferWriter{&sb}, summarySource, sdoc); err != nil {
				return out, nil, err
			}
			out[i].Summary = sb.Bytes()
			if x != nil && x.summary != nil {
				out[i].Summary = x.summary.finish(f.listings, out[i].Summary, true)
			}
		}
		return out, sc, nil
	}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() == ast.KindParagraph && !onlyPlaceholders(n, body) {
			for i, f := range forms {
				var sb bytes.Buffer
				if err := f.summaryMD.Renderer().Render(bufferWriter{&sb}, body, n); err != nil {
					return out, nil, err
				}
				out[i].Summary = x.finish(f.listings, sb.Bytes(), true)
			}
			break
		}
	}
	return out, sc, nil
}

// onlyPlaceholders reports whether a paragraph holds nothing but other
// engines' HTML (a [TOC], a figure, an embed), which is no summary.
func onlyPlaceholders(n ast.Node, src []byte) bool {
	var text []byte
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		text = append(text, seg.Value(src)...)
	}
	return len(bytes.TrimSpace(placeholderRE.ReplaceAll(text, nil))) == 0
}

// pageExtension adds this engine's rendering of headings and code.
type pageExtension struct {
	listings *Listings
	// summary renders without element IDs, as several summaries share a page.
	summary bool
	// feed renders headings without their anchor links, for feeds.
	feed bool
	// escapeHTML shows raw HTML as text. Otherwise it is passed through
	// (goldmark's WithUnsafe) or left out, goldmark's default.
	escapeHTML bool
}

func (e *pageExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(&listingNumberer{summary: e.summary}, 100)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&pageRenderer{listings: e.listings, summary: e.summary, feed: e.feed, escapeHTML: e.escapeHTML}, 100)))
}

// listingNumberer numbers the code listings of a document, so that each
// listing and line gets an anchor: #code-2-L12 is line 12 of the second.
type listingNumberer struct{ summary bool }

var listingAttr = []byte("data-listing")

func (t *listingNumberer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	n := 0
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch node.Kind() {
		case ast.KindFencedCodeBlock, ast.KindCodeBlock:
			n++
			if !t.summary {
				node.SetAttribute(listingAttr, n)
			}
			return ast.WalkSkipChildren, nil
		case ast.KindHeading:
			if t.summary {
				node.RemoveAttributes()
			}
		}
		return ast.WalkContinue, nil
	})
}

// pageRenderer renders headings with anchor links and code as listings.
type pageRenderer struct {
	listings   *Listings
	summary    bool
	feed       bool
	escapeHTML bool
}

func (r *pageRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, r.renderHeading)
	reg.Register(ast.KindFencedCodeBlock, r.renderCode)
	reg.Register(ast.KindCodeBlock, r.renderCode)
	reg.Register(east.KindTable, r.renderTable)
	reg.Register(east.KindTaskCheckBox, r.renderTaskCheckBox)
	reg.Register(kindTOCMarker, r.renderTOCMarker)
	if r.escapeHTML {
		reg.Register(ast.KindHTMLBlock, r.renderHTMLBlock)
		reg.Register(ast.KindRawHTML, r.renderRawHTML)
	}
}

// renderHTMLBlock shows a block of raw HTML as text; comments are dropped.
func (r *pageRenderer) renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var raw bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		raw.Write(seg.Value(source))
	}
	if n.HasClosure() {
		raw.Write(n.ClosureLine.Value(source))
	}
	if n.HTMLBlockType == ast.HTMLBlockType2 { // <!-- comment -->
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString("<p>")
	_, _ = w.Write(util.EscapeHTML(bytes.TrimRight(raw.Bytes(), "\n")))
	_, _ = w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

// renderRawHTML shows inline raw HTML as text; comments are dropped.
func (r *pageRenderer) renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		v := seg.Value(source)
		if bytes.HasPrefix(v, []byte("<!--")) {
			continue
		}
		_, _ = w.Write(util.EscapeHTML(v))
	}
	return ast.WalkSkipChildren, nil
}

func (r *pageRenderer) renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	level := strconv.Itoa(n.Level)
	if entering {
		_, _ = w.WriteString("<h" + level)
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, html.HeadingAttributeFilter)
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok && !r.feed {
		if id, ok := id.([]byte); ok {
			_, _ = w.WriteString(`<a class="anchor" href="#`)
			_, _ = w.Write(util.EscapeHTML(id))
			_, _ = w.WriteString(`" aria-label="` + stdhtml.EscapeString(r.listings.anchorLabel()) + `"></a>`)
		}
	}
	_, _ = w.WriteString("</h" + level + ">\n")
	return ast.WalkContinue, nil
}

// renderTOCMarker writes the table of contents a kramdown marker asked
// for; feeds carry none, as they carry no heading anchors.
func (r *pageRenderer) renderTOCMarker(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering && !r.feed {
		_, _ = w.Write(node.(*tocMarker).html)
	}
	return ast.WalkSkipChildren, nil
}

func (r *pageRenderer) renderCode(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	var code bytes.Buffer
	lines := node.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(source))
	}
	var info []byte
	if fenced, ok := node.(*ast.FencedCodeBlock); ok && fenced.Info != nil {
		info = fenced.Info.Segment.Value(source)
	}
	number := 0
	if v, ok := node.AttributeString(string(listingAttr)); ok {
		number, _ = v.(int)
	}
	in := ParseInfo(info)
	// The tokens are kept on the node, so that the document's other form
	// (the page's and the feeds') reuses them.
	t, ok := node.AttributeString(string(listingTokens))
	tokens, _ := t.(*lexed)
	if !ok || tokens == nil {
		tokens = &lexed{array: tokenArrays.Get().(*[]chroma.Token)}
		listingArrays.Add(1)
		tokens.lines, tokens.known, *tokens.array = tokenLines(code.String(), in.Language, *tokens.array)
		node.SetAttribute(listingTokens, tokens)
	}
	r.listings.writeLines(w, tokens.lines, tokens.known, in, number)
	return ast.WalkSkipChildren, nil
}

// listingTokens is the attribute of a listing's node that keeps its
// tokens once lexed.
var listingTokens = []byte("data-listing-tokens")

// lexed is a listing's lines of tokens, and whether its language is
// known. The lines are pieces of array, taken from tokenArrays and given
// back once the document is rendered (releaseListings: in each form and
// its summary, or as a shortcode's Markdown).
type lexed struct {
	lines [][]chroma.Token
	known bool
	array *[]chroma.Token
}

// tokenArrays are arrays of tokens for the next listings lexed: a
// listing's array lives as long as its document's rendering, and making
// one for each listing was about 6% of what a cold build allocated.
var tokenArrays = sync.Pool{New: func() any { return new([]chroma.Token) }}

// listingArrays counts the token arrays taken from tokenArrays less those
// given back, for tests.
var listingArrays atomic.Int64

// releaseListings gives back to tokenArrays the arrays of doc's listings,
// emptied (so that they keep no listing's text alive), once the
// document's forms are rendered: nothing reads their tokens after.
func releaseListings(doc ast.Node) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil // listings are blocks
		}
		t, _ := n.AttributeString(string(listingTokens))
		if l, _ := t.(*lexed); l != nil && l.array != nil {
			clear(*l.array)
			*l.array = (*l.array)[:0]
			tokenArrays.Put(l.array)
			listingArrays.Add(-1)
			l.lines, l.array = nil, nil
		}
		return ast.WalkContinue, nil
	})
}

// renderTable writes a table inside a named group that scrolls sideways
// when the table is wider than the page: the group, not the table, takes
// the focus, so a reader without a mouse can scroll it too. Feeds carry
// the table alone: the group serves the site's stylesheet.
func (r *pageRenderer) renderTable(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		if !r.feed {
			_, _ = w.WriteString(`<div class="table-wrap" tabindex="0" role="group" aria-label="` + stdhtml.EscapeString(r.listings.tableLabel()) + `">` + "\n")
		}
		_, _ = w.WriteString("<table")
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, extension.TableAttributeFilter)
		}
		_, _ = w.WriteString(">\n")
	} else {
		_, _ = w.WriteString("</table>\n")
		if !r.feed {
			_, _ = w.WriteString("</div>\n")
		}
	}
	return ast.WalkContinue, nil
}

// renderTaskCheckBox writes a task list item's checkbox, disabled as
// goldmark's, named by the item's text (aria-label), which follows it
// outside any label: "Task" when the item has none.
func (r *pageRenderer) renderTaskCheckBox(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<input type="checkbox"`)
	if node.(*east.TaskCheckBox).IsChecked {
		_, _ = w.WriteString(` checked`)
	}
	_, _ = w.WriteString(` disabled`)
	var label strings.Builder
	for s := node.NextSibling(); s != nil; s = s.NextSibling() {
		inlineText(&label, s, source, false)
	}
	name := strings.Join(strings.Fields(label.String()), " ")
	if name == "" {
		name = r.listings.taskLabel() // an item with no text
	}
	_, _ = w.WriteString(` aria-label="` + stdhtml.EscapeString(name) + `"> `)
	return ast.WalkContinue, nil
}

// inlineText appends the text an inline node shows to b: its text, code
// spans' and links' text, without markup, entities and backslash escapes
// resolved; raw HTML is left out.
func inlineText(b *strings.Builder, n ast.Node, source []byte, code bool) {
	switch n := n.(type) {
	case *ast.Text:
		v := n.Segment.Value(source)
		if code {
			b.Write(v)
		} else {
			b.WriteString(stdhtml.UnescapeString(string(util.UnescapePunctuations(v))))
		}
		if n.SoftLineBreak() || n.HardLineBreak() {
			b.WriteByte(' ')
		}
		return
	case *ast.String:
		// goldmark writes a string as HTML (typographer's &ldquo;…).
		b.WriteString(stdhtml.UnescapeString(string(n.Value)))
		return
	case *ast.RawHTML:
		return
	case *ast.AutoLink:
		b.Write(n.Label(source))
		return
	case *ast.CodeSpan:
		code = true
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		inlineText(b, c, source, code)
	}
}

// bufferWriter is a bytes.Buffer as goldmark's util.BufWriter: given
// one, goldmark writes to it directly rather than through a bufio.Writer
// of its own, allocated for each rendering and copied from.
type bufferWriter struct{ *bytes.Buffer }

var _ util.BufWriter = bufferWriter{}

func (w bufferWriter) Buffered() int { return 0 } // nothing is held back: Flush has nothing to do
func (w bufferWriter) Flush() error  { return nil }
