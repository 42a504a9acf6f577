package pymd

import (
	"bytes"
	"sort"

	"github.com/siteblog/site/internal/expand"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// signs are the texts without which no habit of this package applies.
var signs = [][]byte{
	[]byte(":::"), []byte("#!"), []byte("[TOC]"),
	[]byte("{filename}"), []byte("{static}"), []byte("{attach}"),
	[]byte("|filename|"), []byte("|static|"), []byte("|attach|"),
	[]byte("{tag}"), []byte("{category}"), []byte("{index}"), []byte("{author}"),
}

// Applies reports, cheaply, whether a body may hold a Python-Markdown
// habit: a CodeHilite header, a [TOC] marker or a Pelican link.
func Applies(src []byte) bool {
	for _, s := range signs {
		if bytes.Contains(src, s) {
			return true
		}
	}
	return false
}

// Expand rewrites the Python-Markdown habits of a page's body: CodeHilite
// headers of indented listings, Pelican's {filename}-style links and the
// [TOC] marker.
func Expand(doc *expand.Doc, env expand.Env) {
	if !Applies(doc.Src) {
		return
	}
	e := &expander{doc: doc, env: env, lines: newLines(doc.Src)}
	root := parse(doc.Src)
	var edits []edit
	edits = append(edits, e.codeBlocks(root)...)
	edits = append(edits, e.links(codeRanges(root))...)
	if len(edits) > 0 {
		doc.Src = apply(doc.Src, edits)
	}
	if bytes.Contains(doc.Src, []byte(tocMarker)) {
		e.toc()
	}
}

type expander struct {
	doc   *expand.Doc
	env   expand.Env
	lines lines
}

// markdown parses like the renderer: the same block extensions and the
// same heading IDs (see render/markdown.go).
var markdown = goldmark.New(
	goldmark.WithExtensions(
		extension.NewTable(),
		extension.Strikethrough,
		extension.Linkify,
		extension.TaskList,
		extension.Footnote,
		extension.DefinitionList,
		extension.Typographer,
	),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
)

func parse(src []byte) ast.Node {
	return markdown.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(newHeadingIDs()))))
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// apply makes non-overlapping edits.
func apply(src []byte, edits []edit) []byte {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		if e.start < last {
			continue
		}
		out.Write(src[last:e.start])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(src[last:])
	return out.Bytes()
}

// lines indexes the starts of a source's lines.
type lines []int

func newLines(src []byte) lines {
	l := lines{0}
	for i, c := range src {
		if c == '\n' {
			l = append(l, i+1)
		}
	}
	return l
}

// line is the 1-based line of an offset.
func (l lines) line(off int) int { return sort.Search(len(l), func(i int) bool { return l[i] > off }) }

// start is the offset of a 1-based line.
func (l lines) start(line int) int { return l[line-1] }

// codeRanges lists the byte ranges of code (listings and code spans), in
// which nothing is rewritten.
func codeRanges(root ast.Node) [][2]int {
	var out [][2]int
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindCodeBlock, ast.KindFencedCodeBlock:
			segs := n.Lines()
			if segs.Len() > 0 {
				out = append(out, [2]int{segs.At(0).Start, segs.At(segs.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		case ast.KindCodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					out = append(out, [2]int{t.Segment.Start, t.Segment.Stop})
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// inRanges reports whether off lies in one of the sorted ranges.
func inRanges(ranges [][2]int, off int) bool {
	i := sort.Search(len(ranges), func(i int) bool { return ranges[i][1] > off })
	return i < len(ranges) && ranges[i][0] <= off
}
