package pymd

import (
	"bytes"
	"sort"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// signs are the texts, besides a CodeHilite header (codeHeaderSign),
// without which no habit of this package applies.
var signs = [][]byte{
	[]byte("[TOC]"),
	[]byte("{filename}"), []byte("{static}"), []byte("{attach}"),
	[]byte("|filename|"), []byte("|static|"), []byte("|attach|"),
	[]byte("{tag}"), []byte("{category}"), []byte("{index}"), []byte("{author}"),
}

// indentedSign reports whether sign starts a line after indentation of
// an indented listing (four spaces or a tab, or more), as a CodeHilite
// header does. A shebang at the start of a fenced listing's line is none.
func indentedSign(src, sign []byte) bool {
	for i := 0; ; {
		j := bytes.Index(src[i:], sign)
		if j < 0 {
			return false
		}
		at := i + j
		start := bytes.LastIndexByte(src[:at], '\n') + 1
		indent := src[start:at]
		if len(bytes.Trim(indent, " \t")) == 0 && (bytes.HasPrefix(indent, []byte("    ")) || bytes.HasPrefix(indent, []byte("\t"))) {
			return true
		}
		i = at + len(sign)
	}
}

// Applies reports, cheaply, whether a body may hold a Python-Markdown
// habit: a CodeHilite header, a [TOC] marker or a Pelican link.
func Applies(src []byte) bool {
	if indentedSign(src, []byte(":::")) || indentedSign(src, []byte("#!")) {
		return true
	}
	for _, s := range signs {
		if bytes.Contains(src, s) {
			return true
		}
	}
	return false
}

// Expand rewrites the Python-Markdown habits of a page's body: CodeHilite
// headers of indented listings, Pelican's {filename}-style links, the
// [TOC] marker and, in a page whose front matter is Pelican's, headings
// without a space after their hashes and the tags of the liquid_tags
// plugin.
func Expand(doc *expand.Doc, env expand.Env) {
	pg := env.Page()
	pelican := pg != nil && pg.Form == content.PelicanForm
	if pelican {
		doc.Src = headings(doc.Src) // Python-Markdown's "#Heading"
	}
	tags := pelican && bytes.Contains(doc.Src, []byte("{%"))
	if !tags && !Applies(doc.Src) {
		return
	}
	e := &expander{doc: doc, env: env, lines: newLines(doc.Src)}
	root := parse(doc.Src)
	code := expand.CodeRanges(root)
	var edits []edit
	edits = append(edits, e.codeBlocks(root)...)
	edits = append(edits, e.links(code)...)
	if tags {
		edits = append(edits, e.liquidTags(code)...)
	}
	if len(edits) > 0 {
		doc.Src = expand.Apply(doc.Src, edits)
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
// same heading IDs (expand.HeadingIDs, as render/markdown.go).
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
	return markdown.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(expand.NewHeadingIDs()))))
}

// edit replaces src[Start:End] with Text.
type edit = expand.Edit

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
