package render

import (
	"bufio"
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// TOCLevels are the heading levels a table of contents lists, from
// Start to End (1 to 6).
type TOCLevels struct{ Start, End int }

// defaultTOCLevels are site.toml's defaults: h2 to h4.
var defaultTOCLevels = TOCLevels{2, 4}

// minTOCEntries is how many headings a page needs for a table of
// contents: one entry is no table.
const minTOCEntries = 2

// tocHeading is a heading listed in a table of contents: its level, its
// ID and its text as HTML (plain text; inline code kept as <code>).
type tocHeading struct {
	level int
	id    string
	text  string
}

// tocNode is an entry of the nested table: a heading, or none where a
// level is skipped (an h4 straight under an h2 sits in an entry of its
// own at the h3 level, as Hugo nests it).
type tocNode struct {
	h        *tocHeading
	children []*tocNode
}

// kindTOCMarker is a kramdown table of contents marker in a page's body:
// a list of one item followed by {:toc}.
var kindTOCMarker = ast.NewNodeKind("TOCMarker")

// tocMarker stands where a page's body asks for its table of contents;
// it renders as html.
type tocMarker struct {
	ast.BaseBlock
	html []byte
}

func (n *tocMarker) Kind() ast.NodeKind { return kindTOCMarker }

func (n *tocMarker) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// toc collects the headings of a parsed page's body, the document's own
// (not those quoted or in lists), in levels, and returns its table of
// contents: the nested <ol> of links to them, nil with fewer than
// minTOCEntries. placeholders are the HTML of the other engines'
// placeholders (an inline shortcode in a heading): one holding no
// element stays in an entry's text; others are dropped.
//
// A kramdown marker in the body ("* TOC" then "{:toc}", a list of one
// item, bulleted or numbered) is replaced by the table there, as kramdown
// writes it: <ul id="markdown-toc"> (or <ol>) with the same entries; the
// page then has its table in its body and toc returns nil, as it does
// when the body holds Python-Markdown's [TOC] (placed says so).
func toc(doc ast.Node, src []byte, levels TOCLevels, placeholders []string, placed bool) []byte {
	var heads []*tocHeading
	var markers []*ast.List
	var buf bytes.Buffer
	w := bufio.NewWriterSize(&buf, 256) // shared by the headings' texts
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			if noTOC(n, src) {
				doc.RemoveChild(doc, n.NextSibling())
				continue
			}
			if n.Level < levels.Start || n.Level > levels.End {
				continue
			}
			id, ok := n.AttributeString("id")
			b, _ := id.([]byte)
			if !ok || len(b) == 0 {
				continue
			}
			buf.Reset()
			w.Reset(&buf)
			text := headingText(w, &buf, n, src, placeholders)
			if text == "" {
				continue // an entry without text would be a link without a name
			}
			heads = append(heads, &tocHeading{level: n.Level, id: string(b), text: text})
		case *ast.List:
			if isTOCMarker(n, src) {
				markers = append(markers, n)
			}
		}
	}
	tree := nestTOC(heads, levels.Start)
	for i, l := range markers {
		attr := ""
		if i == 0 {
			attr = ` id="markdown-toc"` // kramdown's; an ID once a page
		}
		tag := "ul"
		if l.IsOrdered() {
			tag = "ol"
		}
		var b bytes.Buffer
		writeTOC(&b, tree, tag, attr)
		l.Parent().ReplaceChild(l.Parent(), l, &tocMarker{html: b.Bytes()})
	}
	if len(heads) < minTOCEntries || len(markers) > 0 || placed {
		return nil
	}
	var b bytes.Buffer
	writeTOC(&b, tree, "ol", "")
	return b.Bytes()
}

// noTOCIAL is a kramdown attribute list with the class no_toc.
var noTOCIAL = regexp.MustCompile(`^\{:\s*(?:[^}]*\s)?\.no_toc(?:\s[^}]*)?\}$`)

// noTOC reports whether a heading is followed, on the next line, by a
// paragraph that is only kramdown's {: .no_toc}, which keeps it out of
// the table of contents (the paragraph is then removed: kramdown shows
// nothing of it).
func noTOC(h *ast.Heading, src []byte) bool {
	p, ok := h.NextSibling().(*ast.Paragraph)
	if !ok || p.Lines().Len() != 1 || h.Lines().Len() != 1 {
		return false
	}
	line := p.Lines().At(0)
	between := src[h.Lines().At(0).Stop:line.Start]
	return bytes.Count(between, []byte("\n")) == 1 && noTOCIAL.Match(bytes.TrimSpace(line.Value(src)))
}

// isTOCMarker reports whether a list is kramdown's table of contents
// marker: one item whose text ends in a line {:toc} (or {: toc}).
func isTOCMarker(l *ast.List, src []byte) bool {
	item := l.FirstChild()
	if item == nil || item.NextSibling() != nil {
		return false
	}
	block := item.FirstChild()
	if block == nil || block.NextSibling() != nil || (block.Kind() != ast.KindParagraph && block.Kind() != ast.KindTextBlock) {
		return false
	}
	lines := block.Lines()
	if lines.Len() < 2 {
		return false
	}
	last := lines.At(lines.Len() - 1)
	ial, ok := strings.CutPrefix(strings.TrimSpace(string(last.Value(src))), "{:")
	return ok && strings.TrimSpace(strings.TrimSuffix(ial, "}")) == "toc" && strings.HasSuffix(ial, "}")
}

// dropTOCMarkers removes kramdown's markers from a document that has no
// table of contents: a summary.
func dropTOCMarkers(doc ast.Node, src []byte) {
	for n := doc.FirstChild(); n != nil; {
		next := n.NextSibling()
		if l, ok := n.(*ast.List); ok && isTOCMarker(l, src) {
			doc.RemoveChild(doc, n)
		}
		n = next
	}
}

// nestTOC nests headings by level under a root at level start-1.
func nestTOC(heads []*tocHeading, start int) []*tocNode {
	root := &tocNode{}
	path := []*tocNode{root} // path[i] is the open entry at level start-1+i
	for _, h := range heads {
		depth := h.level - start + 1
		if len(path) > depth {
			path = path[:depth]
		}
		for len(path) < depth {
			gap := &tocNode{}
			parent := path[len(path)-1]
			parent.children = append(parent.children, gap)
			path = append(path, gap)
		}
		n := &tocNode{h: h}
		parent := path[len(path)-1]
		parent.children = append(parent.children, n)
		path = append(path, n)
	}
	return root.children
}

// writeTOC writes the entries as a list of tag (ul or ol), attr on the
// outermost one, nested lists inside their entries.
func writeTOC(b *bytes.Buffer, entries []*tocNode, tag, attr string) {
	b.WriteString("<" + tag + attr + ">\n")
	for _, e := range entries {
		b.WriteString("<li>")
		if e.h != nil {
			b.WriteString(`<a href="#`)
			b.Write(util.EscapeHTML([]byte(e.h.id)))
			b.WriteString(`">`)
			b.WriteString(e.h.text)
			b.WriteString("</a>")
		}
		if len(e.children) > 0 {
			b.WriteString("\n")
			writeTOC(b, e.children, tag, "")
		}
		b.WriteString("</li>\n")
	}
	b.WriteString("</" + tag + ">\n")
}

// headingText is a heading's text as HTML for a table of contents: its
// text as the heading shows it (entities, smart punctuation), inline
// code as <code>, without links, emphasis, raw HTML, images' sources or
// footnote references. An image stands for its alternative text.
// It writes the text through w into buf, both empty.
func headingText(w *bufio.Writer, buf *bytes.Buffer, h *ast.Heading, src []byte, placeholders []string) string {
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				if c.IsRaw() {
					_, _ = w.Write(c.Value(src))
				} else {
					html.DefaultWriter.Write(w, c.Value(src))
				}
				if c.SoftLineBreak() || c.HardLineBreak() {
					_ = w.WriteByte(' ')
				}
			case *ast.String:
				if c.IsCode() || c.IsRaw() {
					_, _ = w.Write(c.Value)
				} else {
					html.DefaultWriter.Write(w, c.Value)
				}
			case *ast.CodeSpan:
				_, _ = w.WriteString("<code>")
				for t := c.FirstChild(); t != nil; t = t.NextSibling() {
					var v []byte
					switch t := t.(type) {
					case *ast.Text:
						v = t.Value(src)
					case *ast.String:
						v = t.Value
					}
					_, _ = w.Write(util.EscapeHTML(bytes.ReplaceAll(v, []byte("\n"), []byte(" "))))
				}
				_, _ = w.WriteString("</code>")
			case *ast.AutoLink:
				_, _ = w.Write(util.EscapeHTML(c.Label(src)))
			case *ast.RawHTML, *east.FootnoteLink:
			default:
				walk(c)
			}
		}
	}
	walk(h)
	_ = w.Flush()
	text := buf.Bytes()
	if bytes.IndexRune(text, '\uE000') < 0 {
		return strings.Join(strings.Fields(string(text)), " ")
	}
	text = placeholderRE.ReplaceAllFunc(text, func(m []byte) []byte {
		k, err := strconv.Atoi(string(m[len("\uE000") : len(m)-len("\uE001")]))
		if err != nil || k >= len(placeholders) || strings.ContainsRune(placeholders[k], '<') {
			return nil
		}
		return []byte(strings.TrimSpace(placeholders[k]))
	})
	return strings.Join(strings.Fields(string(text)), " ")
}
