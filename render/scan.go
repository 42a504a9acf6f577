package render

import (
	"bytes"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	xhtml "golang.org/x/net/html"
)

// A pageScan is what a page's rendered body points at and holds that the
// build checks once it knows every file of the site (links.go): the URLs
// of its links and embedded resources, and the script and style written in
// it, each with the line of the body it is on. Only what the body emits
// counts: raw HTML only when it is passed through, never code.
//
// A scan depends on the body's source and the raw HTML mode alone, so it
// is cached with the rendered body, under scanKey of the body's key. That
// key leaves out the empty lines that start the body, which stand for
// the front matter (content.Page.Body), so that a save that changes the
// front matter's number of lines may keep the body and its scan: a
// scan's lines are counted from the first line after them, and the line
// of the file is that plus leadingEmptyLines of the body, added when a
// warning is made (checkPages).
type pageScan struct {
	items []scanItem
}

// A scanItem is one URL (kind itemURL) or one use of inline script or style.
type scanItem struct {
	kind itemKind
	line int // of the body, 1 for the first line after leadingEmptyLines
	// elem and attr are the element and attribute: "img" "src", "a"
	// "href", "div" "style", "button" "onclick". Markdown's images are
	// "img" "src" and its links "a" "href".
	elem, attr string
	// dir is the CSP directive that governs a URL the element loads
	// ("img-src", "frame-src", …), or "" for a link a reader follows.
	dir string
	// url is the URL as written, for itemURL; a data: URL is kept as "data:".
	url string
	// md is true for URLs written in Markdown syntax.
	md bool
}

type itemKind byte

const (
	itemURL          itemKind = 'u' // a URL an element links to or loads
	itemInlineScript itemKind = 'S' // a <script> element without src
	itemStyleElement itemKind = 's' // a <style> element
	itemStyleAttr    itemKind = 'a' // a style attribute
	itemHandler      itemKind = 'h' // an on* event handler attribute
	itemJSURL        itemKind = 'j' // a javascript: URL
)

// scanDoc walks a parsed body. rawHTML says whether raw HTML is passed
// through, and so whether its elements count. placeholders is the HTML of
// the placeholders an expander left in the source (internal/expand's
// Doc.HTML, nil when none), which is scanned at the line of its
// placeholder whatever raw_html says: it is the engine's own output.
func scanDoc(doc ast.Node, source []byte, rawHTML bool, placeholders []string) *pageScan {
	sc := &pageScan{}
	lines := lineIndex{src: source}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.CodeSpan:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if len(placeholders) > 0 {
				for _, i := range placeholderIndexes(n.Segment.Value(source)) {
					if i < len(placeholders) {
						sc.addHTML([]byte(placeholders[i]), lines.at(n.Segment.Start))
					}
				}
			}
		case *ast.Image:
			sc.markdownURL(lines.at(nodePos(n)), "img", "src", "img-src", n.Destination, rawHTML)
		case *ast.Link:
			sc.markdownURL(lines.at(nodePos(n)), "a", "href", "", n.Destination, rawHTML)
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				sc.markdownURL(lines.at(nodePos(n)), "a", "href", "", n.URL(source), rawHTML)
			}
		case *ast.HTMLBlock:
			if rawHTML {
				var segs []text.Segment
				for i := 0; i < n.Lines().Len(); i++ {
					segs = append(segs, n.Lines().At(i))
				}
				if n.HasClosure() {
					segs = append(segs, n.ClosureLine)
				}
				sc.html(source, segs, &lines)
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			if rawHTML {
				var segs []text.Segment
				for i := 0; i < n.Segments.Len(); i++ {
					segs = append(segs, n.Segments.At(i))
				}
				sc.html(source, segs, &lines)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return sc
}

// nodePos is the offset of a node in the source: its own, or its first
// text's, or its block's.
func nodePos(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if p := n.Pos(); p >= 0 {
			return p
		}
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return 0
}

// markdownURL records the destination of a Markdown link or image as
// goldmark writes it into the href or src attribute.
func (sc *pageScan) markdownURL(line int, elem, attr, dir string, dest []byte, rawHTML bool) {
	escaped := util.URLEscape(dest, true)
	if !rawHTML && html.IsDangerousURL(escaped) {
		return // written as an empty attribute
	}
	sc.addURL(line, elem, attr, dir, string(escaped), true)
}

// addURL records a URL, or a javascript: URL as inline script. Fragments
// alone, mailto: and the like point at nothing the build could check.
func (sc *pageScan) addURL(line int, elem, attr, dir, raw string, md bool) {
	u := cleanURL(raw)
	if u == "" || u[0] == '#' {
		return
	}
	scheme := urlScheme(u)
	switch scheme {
	case "", "http", "https":
	case "javascript":
		sc.items = append(sc.items, scanItem{kind: itemJSURL, line: line, elem: elem, attr: attr, md: md})
		return
	case "data":
		if dir == "" {
			return
		}
		u = "data:" // its bytes are what it loads: no need to keep them
	default:
		return // mailto:, tel:, …
	}
	sc.items = append(sc.items, scanItem{kind: itemURL, line: line, elem: elem, attr: attr, dir: dir, url: u, md: md})
}

// cleanURL trims a URL as browsers do: surrounding white space goes, and
// tabs and newlines inside are dropped.
func cleanURL(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	return s
}

// urlScheme returns the lower-cased scheme of a URL, "" for a relative one.
func urlScheme(u string) string {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c == ':':
			if i == 0 {
				return ""
			}
			return strings.ToLower(u[:i])
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return ""
		}
	}
	return ""
}

// html records what a piece of raw HTML loads, links to and runs. segs
// are its byte ranges in the source, in order.
func (sc *pageScan) html(source []byte, segs []text.Segment, lines *lineIndex) {
	var buf []byte
	if len(segs) == 1 {
		buf = source[segs[0].Start:segs[0].Stop]
	} else {
		for _, s := range segs {
			buf = append(buf, source[s.Start:s.Stop]...)
		}
	}
	sc.tokens(buf, func(off int) int {
		for _, s := range segs { // off is an offset of buf: find it in the source
			if n := s.Stop - s.Start; off < n {
				return lines.at(s.Start + off)
			} else {
				off -= n
			}
		}
		return lines.at(segs[len(segs)-1].Stop)
	})
}

// addHTML records what an HTML fragment that a page emits loads, links to
// and runs, at a line of the page's file and the lines after it for the
// fragment's own lines. It is for HTML that reaches the page other than
// as raw HTML in the Markdown: what an expander of another engine's
// syntax puts in a placeholder (a shortcode's figure or embed).
func (sc *pageScan) addHTML(fragment []byte, line int) {
	sc.tokens(fragment, func(off int) int { return line + bytes.Count(fragment[:off], []byte("\n")) })
}

// The delimiters of a placeholder, \uE000N\uE001, as internal/expand
// writes them (Doc.Placeholder).
var (
	placeholderOpen  = []byte("\uE000")
	placeholderClose = []byte("\uE001")
)

// placeholderIndexes returns the numbers of the placeholders in text.
func placeholderIndexes(text []byte) []int {
	var found []int
	for {
		i := bytes.Index(text, placeholderOpen)
		if i < 0 {
			return found
		}
		text = text[i+len(placeholderOpen):]
		j := bytes.Index(text, placeholderClose)
		if j < 0 {
			return found
		}
		if n, err := strconv.Atoi(string(text[:j])); err == nil && n >= 0 {
			found = append(found, n)
		}
		text = text[j+len(placeholderClose):]
	}
}

// tokens records the start tags of buf; lineOf gives the line of an
// offset of buf.
func (sc *pageScan) tokens(buf []byte, lineOf func(off int) int) {
	if !bytes.ContainsAny(buf, "<") {
		return
	}
	z := xhtml.NewTokenizer(bytes.NewReader(buf))
	off := 0
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return
		}
		start := off
		off += len(z.Raw())
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		sc.element(z.Token(), lineOf(start))
	}
}

// element records one start tag of raw HTML.
func (sc *pageScan) element(tok xhtml.Token, line int) {
	name := tok.Data
	attrs := map[string]string{}
	for _, a := range tok.Attr {
		if a.Namespace != "" {
			continue
		}
		if _, dup := attrs[a.Key]; !dup { // the first of two wins, as in browsers
			attrs[a.Key] = a.Val
		}
	}
	for _, a := range tok.Attr {
		switch {
		case a.Key == "style":
			sc.items = append(sc.items, scanItem{kind: itemStyleAttr, line: line, elem: name, attr: a.Key})
		case strings.HasPrefix(a.Key, "on") && len(a.Key) > 2:
			sc.items = append(sc.items, scanItem{kind: itemHandler, line: line, elem: name, attr: a.Key})
		}
	}
	url := func(attr, dir string) {
		if v, ok := attrs[attr]; ok {
			sc.addURL(line, name, attr, dir, v, false)
		}
	}
	srcset := func(dir string) {
		if v, ok := attrs["srcset"]; ok {
			for _, u := range srcsetURLs(v) {
				sc.addURL(line, name, "srcset", dir, u, false)
			}
		}
	}
	switch name {
	case "a", "area":
		url("href", "")
	case "img":
		url("src", "img-src")
		srcset("img-src")
	case "source": // in <picture> by srcset, in <video> and <audio> by src
		url("src", "media-src")
		srcset("img-src")
	case "video":
		url("src", "media-src")
		url("poster", "img-src")
	case "audio", "track":
		url("src", "media-src")
	case "iframe", "frame":
		url("src", "frame-src")
	case "embed":
		url("src", "object-src")
	case "object":
		url("data", "object-src")
	case "input":
		if strings.EqualFold(attrs["type"], "image") {
			url("src", "img-src")
		}
	case "script":
		if !isJavaScript(attrs["type"]) {
			return // a data block (JSON-LD, a template): neither run nor loaded
		}
		if src, ok := attrs["src"]; ok && strings.TrimSpace(src) != "" {
			url("src", "script-src")
		} else {
			sc.items = append(sc.items, scanItem{kind: itemInlineScript, line: line, elem: name})
		}
	case "style":
		sc.items = append(sc.items, scanItem{kind: itemStyleElement, line: line, elem: name})
	case "link":
		rels := strings.Fields(strings.ToLower(attrs["rel"]))
		switch {
		case containsString(rels, "stylesheet"):
			url("href", "style-src")
		case containsString(rels, "icon") || containsString(rels, "apple-touch-icon"):
			url("href", "img-src")
		case containsString(rels, "preload") || containsString(rels, "prefetch") || containsString(rels, "modulepreload"):
			url("href", "default-src")
		default:
			url("href", "")
		}
	}
}

// isJavaScript reports whether a script element's type attribute makes it
// run: absent, empty, "module" or a JavaScript MIME type.
func isJavaScript(typ string) bool {
	typ = strings.ToLower(strings.TrimSpace(typ))
	if i := strings.IndexByte(typ, ';'); i >= 0 {
		typ = strings.TrimSpace(typ[:i])
	}
	return typ == "" || typ == "module" || strings.Contains(typ, "javascript") || strings.Contains(typ, "ecmascript") ||
		typ == "text/jscript" || typ == "text/livescript"
}

// srcsetURLs returns the URLs of a srcset attribute: "a.png 1x, b.png 2x".
func srcsetURLs(v string) []string {
	var urls []string
	for _, cand := range strings.Split(v, ",") {
		if f := strings.Fields(cand); len(f) > 0 {
			urls = append(urls, f[0])
		}
	}
	return urls
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// leadingEmptyLines is the number of empty lines that start a body:
// those that stand for its front matter, and any the body starts with.
// A body's key leaves them out (expandedBodyKey), and a scan counts its
// lines from the line after them: the line of the file of a scan's line
// n is n plus leadingEmptyLines.
func leadingEmptyLines(body []byte) int {
	return len(body) - len(bytes.TrimLeft(body, "\n"))
}

// lineIndex finds the line of an offset of a body, as a scan counts them
// (line 1 is the first after leadingEmptyLines), counting the newlines
// once, when first asked.
type lineIndex struct {
	src      []byte
	newlines []int // the offsets of the newlines after the leading ones
	counted  bool
}

func (l *lineIndex) at(off int) int {
	if !l.counted {
		l.counted = true
		for i := leadingEmptyLines(l.src); i < len(l.src); i++ {
			if l.src[i] == '\n' {
				l.newlines = append(l.newlines, i)
			}
		}
	}
	return sort.SearchInts(l.newlines, off) + 1
}

// scanFormat starts an encoded scan; its number changes with what the
// fields mean (2: lines of the body, not of the file), so that a cache
// written by an older engine is scanned again, not misread.
const scanFormat = "scan 2\n"

// encode writes a scan for the body cache: one item a line, its fields
// separated by tabs (cleanURL has removed tabs and newlines from URLs;
// element and attribute names hold none).
func (sc *pageScan) encode() []byte {
	var b bytes.Buffer
	b.WriteString(scanFormat)
	for _, it := range sc.items {
		md := "0"
		if it.md {
			md = "1"
		}
		b.WriteByte(byte(it.kind))
		for _, f := range []string{strconv.Itoa(it.line), it.elem, it.attr, it.dir, md, it.url} {
			b.WriteByte('\t')
			b.WriteString(fieldCleaner.Replace(f))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

var fieldCleaner = strings.NewReplacer("\t", " ", "\n", " ")

// decodeScan reads what encode wrote.
func decodeScan(data []byte) (*pageScan, bool) {
	rest, ok := bytes.CutPrefix(data, []byte(scanFormat))
	if !ok {
		return nil, false
	}
	sc := &pageScan{}
	for len(rest) > 0 {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		f := strings.Split(string(line), "\t")
		if len(f) != 7 || len(f[0]) != 1 {
			return nil, false
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, false
		}
		sc.items = append(sc.items, scanItem{kind: itemKind(f[0][0]), line: n, elem: f[2], attr: f[3], dir: f[4], md: f[5] == "1", url: f[6]})
	}
	return sc, true
}
