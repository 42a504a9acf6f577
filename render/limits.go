package render

import (
	"bytes"
	"fmt"
	"math"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Limits on hostile Markdown. goldmark's cost grows faster than the size
// of a page for some constructs, and a page that needs more than these
// limits is refused before goldmark sees it (render/doc.go, "Limits").
const (
	// MaxBodySize is the size of the largest body rendered, after other
	// engines' syntax is expanded: goldmark holds a whole body's syntax
	// tree, tens of bytes for each byte of Markdown, and a 50 MB post
	// took 4.6 GB.
	MaxBodySize = 16 << 20

	// MaxNesting is how deeply lists and block quotes may nest. goldmark
	// checks every open container on every line, and measures each one's
	// indentation again: a 2,000-deep list took 8 s.
	MaxNesting = 100

	// linkScanFactor and linkScanSlack bound, per line, the bytes that
	// goldmark reads looking for the ends of link destinations ("](" up to
	// white space or the closing parenthesis, "](<" up to ">"): at most
	// linkScanFactor times the line's length plus linkScanSlack. Every
	// unclosed "](" reads the rest of its line, so "[a](" repeated 40,000
	// times took 7 s.
	linkScanFactor = 16
	linkScanSlack  = 4096

	// labelFactor and labelSlack bound, per paragraph, the number of "]"
	// (each may close a link's text, whose text goldmark then copies,
	// walking back from the paragraph's last line to the line it is on)
	// times the number of lines: at most labelFactor times the
	// paragraph's length plus labelSlack. A paragraph of 80,000 lines
	// that each held a link took 30 s. The paragraphs are goldmark's own
	// (checkParagraphs): a list's items are paragraphs of their own. They
	// are found only when a run of lines that are not blank, outside
	// fenced code blocks, holds more than labelSlack "]" times lines,
	// which any paragraph past the limit in it does, whatever its length.
	labelFactor = 256
	labelSlack  = 1 << 20

	// MaxFootnotes is how many footnote references and definitions ("[^")
	// a page may hold: goldmark looks each reference up among all the
	// definitions, and sorts them by inserting each in turn; 40,000 took
	// 21 s.
	MaxFootnotes = 2000

	// MaxContainers is how many list items and block quotes (their
	// markers at the starts of lines) a page may open, and MaxListings
	// how many fenced code blocks it may hold: each costs hundreds of
	// bytes of memory (a syntax tree node, HTML, highlighted tokens), and
	// 10 MB of 100-deep quotes took 6.8 GB, 10 MB of one-line listings
	// 5 GB.
	MaxContainers = 1_000_000
	MaxListings   = 20_000

	// MaxInlineMarks is how many of the characters that start inline
	// syntax ([ < * _ ` & \ and !) a page's text outside code listings
	// may hold: each that opens no link, emphasis or tag still becomes a
	// node of its own in goldmark's tree, some 300 bytes, and 15 MB of
	// "[" took 4.6 GB and 17 s. A page of prose holds a few per hundred
	// bytes; a 100,000-item link list about 300,000.
	MaxInlineMarks = 1_000_000
)

// inlineMarks are the characters MaxInlineMarks counts.
var inlineMarks = [256]bool{'[': true, '<': true, '*': true, '_': true, '`': true, '&': true, '\\': true, '!': true}

// A LimitError is Markdown refused by a limit, at a line of the page's
// file.
type LimitError struct {
	Line int
	Msg  string
}

func (e *LimitError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// checkLimits checks Markdown against the limits above, in time linear in
// its length. Line numbers are src's, which are those of the page's file.
func checkLimits(src []byte) error {
	if len(src) > MaxBodySize {
		return &LimitError{1, fmt.Sprintf("the body is %d bytes, more than the %d (16 MiB) a page may have", len(src), MaxBodySize)}
	}
	fence := []byte(nil) // the opening fence of the fenced code block we are in
	fenceIndent := 0     // the spaces before it
	// A fence where an HTML block may be open may be the HTML's text: its
	// lines are checked as Markdown.
	fenceChecked := false
	var html htmlBlocks
	// The run of lines that are not blank that line n is in, which holds
	// whole paragraphs: its lines and "]". When one holds more than
	// labelSlack "]" times lines, goldmark's paragraphs are checked once
	// the pass ends.
	var para struct{ lines, labels int }
	checkParas := false
	endParagraph := func() {
		if para.labels*para.lines > labelSlack {
			checkParas = true
		}
		para.lines, para.labels = 0, 0
	}
	footnotes, containers, listings, marks := 0, 0, 0, 0
	for n, start := 1, 0; start < len(src); n++ {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		line := src[start:end]
		start = end + 1
		if fence != nil {
			if closesFence(line, fence) {
				fence = nil
				continue
			}
			// A fence indented by k spaces may be in a list item, which
			// a line that is not blank and indented by less than k
			// ends, and the fence with it.
			t := bytes.TrimLeft(line, " ")
			if len(line)-len(t) < fenceIndent && len(bytes.TrimSpace(t)) != 0 {
				fence = nil
			} else if !fenceChecked {
				continue
			}
		}
		if f := openingFence(line); fence == nil && f != nil {
			fence, fenceIndent = f, len(line)-len(bytes.TrimLeft(line, " "))
			fenceChecked = html.open()
			if listings++; listings > MaxListings {
				return &LimitError{n, fmt.Sprintf("more than %d code listings", MaxListings)}
			}
			endParagraph()
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			html.untilBlank = false
			endParagraph()
			continue
		}
		html.line(line)
		para.lines++
		para.labels += bytes.Count(line, []byte("]"))
		if footnotes += bytes.Count(line, []byte("[^")); footnotes > MaxFootnotes {
			return &LimitError{n, fmt.Sprintf("more than %d footnote references and definitions", MaxFootnotes)}
		}
		for _, c := range line {
			if inlineMarks[c] {
				marks++
			}
		}
		if marks > MaxInlineMarks {
			return &LimitError{n, fmt.Sprintf("more than %d of the characters that start inline syntax ([ < * _ ` & \\ !) outside code listings", MaxInlineMarks)}
		}
		depth, markers := containerBound(line)
		if depth > MaxNesting {
			return &LimitError{n, fmt.Sprintf("lists and block quotes nested more than %d deep", MaxNesting)}
		}
		if containers += markers; containers > MaxContainers {
			return &LimitError{n, fmt.Sprintf("more than %d list items and block quotes", MaxContainers)}
		}
		// Each destination reads at most the line, so only a line with
		// more than linkScanFactor of them may pass the bound.
		if dests := bytes.Count(line, []byte("](")); dests*len(line) > linkScanFactor*len(line)+linkScanSlack {
			if cost := linkScanCost(line); cost > linkScanFactor*len(line)+linkScanSlack {
				return &LimitError{n, fmt.Sprintf("too many unclosed link destinations on one line (%d bytes of scanning for a %d-byte line; close each \"](\" with \")\")", cost, len(line))}
			}
		}
	}
	endParagraph()
	if checkParas {
		return checkParagraphs(src)
	}
	return nil
}

// checkParagraphs checks, against labelFactor and labelSlack, each
// paragraph as goldmark finds it before it takes link reference
// definitions out (copying the lines after each definition: its cost too
// is the definitions times the lines), and each block of text that
// goldmark then parses for links (a paragraph, a list item's text, a
// heading, a table cell…). It runs goldmark's block parsers and paragraph
// transformers, whose time is linear in src once the other limits and
// this one hold, and none of its inline parsers. The first block past the
// limit in src is reported.
func checkParagraphs(src []byte) error {
	pc := parser.NewContext()
	over := &labelCount{start: -1}
	pc.Set(labelCountKey, over)
	doc := blockParser().Parse(text.NewReader(src), parser.WithContext(pc))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Type() == ast.TypeBlock && !n.IsRaw() {
			_ = over.add(n.Lines(), src, false)
		}
		return ast.WalkContinue, nil
	})
	if over.start < 0 {
		return nil
	}
	line := 1 + bytes.Count(src[:over.start], []byte("\n"))
	return &LimitError{line, over.msg}
}

// A labelCount is the first block of text in the source (start, the
// offset of its first line, -1 for none) whose lines times "]" (or, for
// a paragraph before goldmark takes its link reference definitions out,
// times the lines that start with "[", which each definition does, and
// no more than its "]") are past the limit, and the error for it.
type labelCount struct {
	start int
	msg   string
}

// add checks the block of text of lines: its "]", or when defs is set
// its lines that start with "[", and reports whether it is past the
// limit.
func (c *labelCount) add(lines *text.Segments, src []byte, defs bool) bool {
	size, labels, starts := 0, 0, 0
	for i := range lines.Len() {
		seg := lines.At(i)
		size += seg.Len()
		v := seg.Value(src)
		labels += bytes.Count(v, []byte("]"))
		if defs && bytes.HasPrefix(bytes.TrimLeft(v, " \t"), []byte("[")) {
			starts++
		}
	}
	starts = min(starts, labels) // each definition has its own "]" too
	n, limit := lines.Len(), labelFactor*size+labelSlack
	if (!defs && labels*n <= limit) || (defs && starts*n <= limit) {
		return false
	}
	if c.start < 0 || lines.At(0).Start < c.start { // then labels*n > limit too
		c.start, c.msg = lines.At(0).Start, fmt.Sprintf("paragraph of %d lines holds %d \"]\": split it with blank lines", n, labels)
	}
	return true
}

var labelCountKey = parser.NewContextKey()

// paragraphCounter is a paragraph transformer that runs before every
// other one, and checks the paragraph as goldmark found it. It takes a
// paragraph past the limit out of the document, which no other
// transformer then sees: 80,000 link reference definitions took them
// 15 s.
type paragraphCounter struct{}

func (paragraphCounter) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	if c, ok := pc.Get(labelCountKey).(*labelCount); ok && c.add(node.Lines(), reader.Source(), true) {
		node.Parent().RemoveChild(node.Parent(), node)
	}
}

// blockParser is goldmark's parser with a page's Markdown's block
// parsers and paragraph transformers, after paragraphCounter, and no
// inline parsers.
var blockParser = sync.OnceValue(func() parser.Parser {
	p := blocksOnly{parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
		parser.WithParagraphTransformers(util.Prioritized(paragraphCounter{}, math.MinInt)),
	)}
	return goldmark.New(goldmark.WithParser(p), goldmark.WithExtensions(markdownExtensions(true)...)).Parser() // blocks only: autolinks are inline
})

// blocksOnly is a goldmark parser that takes from the options extensions
// give it only their block parsers, paragraph transformers and settings.
type blocksOnly struct{ parser.Parser }

func (p blocksOnly) AddOptions(opts ...parser.Option) {
	c := parser.NewConfig()
	for _, o := range opts {
		o.SetParserOption(c)
	}
	keep := []parser.Option{
		parser.WithBlockParsers(c.BlockParsers...),
		parser.WithParagraphTransformers(c.ParagraphTransformers...),
	}
	for name, v := range c.Options {
		keep = append(keep, parser.WithOption(name, v))
	}
	p.Parser.AddOptions(keep...)
}

// containerBound bounds how many lists and block quotes are open at a line
// that opens one, which is as deep as they nest: each one either has its
// marker (">", "-", "+", "*", "1.", "1)") at the line's start, or is a
// list item that the line continues by indentation, at least two columns
// more than the item it is in. A line that opens no container (no marker
// at its start) is no deeper than the line that opened the deepest, and
// gets 0. markers is the number of markers.
func containerBound(line []byte) (depth, markers int) {
	cols, col := 0, 0
	i := 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			cols++
			col++
			i++
		case c == '\t':
			cols += 4 - col%4
			col += 4 - col%4
			i++
		case c == '>':
			markers++
			col++
			i++
			if i < len(line) && line[i] == ' ' { // the space a marker may have
				col++
				i++
			}
		default:
			w := listMarker(line[i:])
			if w == 0 {
				if markers == 0 || thematicBreak(line) {
					return 0, 0
				}
				return markers + (cols+1)/2, markers
			}
			markers++
			col += w
			i += w
			if i < len(line) && line[i] == ' ' { // the space a marker needs
				col++
				i++
			}
		}
	}
	if markers == 0 || thematicBreak(line) {
		return 0, 0
	}
	return markers + (cols+1)/2, markers
}

// listMarker returns the width of the list item marker s starts with
// ("-", "+", "*", or up to nine digits and "." or ")") when white space or
// the end of the line follows it, else 0.
func listMarker(s []byte) int {
	w := 0
	switch {
	case len(s) > 0 && (s[0] == '-' || s[0] == '+' || s[0] == '*'):
		w = 1
	default:
		for w < len(s) && w < 9 && s[w] >= '0' && s[w] <= '9' {
			w++
		}
		if w == 0 || w >= len(s) || (s[w] != '.' && s[w] != ')') {
			return 0
		}
		w++
	}
	if w < len(s) && s[w] != ' ' && s[w] != '\t' && s[w] != '\r' {
		return 0
	}
	return w
}

// thematicBreak reports whether line is "- - -", "***" and the like.
func thematicBreak(line []byte) bool {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || (t[0] != '-' && t[0] != '*' && t[0] != '_') {
		return false
	}
	n := 0
	for _, c := range t {
		switch {
		case c == t[0]:
			n++
		case c != ' ' && c != '\t':
			return false
		}
	}
	return n >= 3
}

// htmlBlocks are the HTML blocks that may be open at a line: one that a
// blank line ends, after a line with "<", and each that ends at a line
// with its end (htmlEnds) after a line with its start (htmlStarts).
type htmlBlocks struct {
	untilBlank bool
	until      [len(htmlStarts)]bool
}

var (
	htmlStarts = [...]string{"<script", "<pre", "<style", "<textarea", "<!--", "<?", "<![cdata[", "<!"}
	htmlEnds   = [...]string{"</script>", "</pre>", "</style>", "</textarea>", "-->", "?>", "]]>", ">"}
)

func (h *htmlBlocks) open() bool {
	return h.untilBlank || h.until != [len(htmlStarts)]bool{}
}

// line notes a line that is not blank.
func (h *htmlBlocks) line(line []byte) {
	lt := bytes.IndexByte(line, '<') >= 0
	if !lt && h.until == [len(htmlStarts)]bool{} {
		return
	}
	h.untilBlank = h.untilBlank || lt
	lower := bytes.ToLower(line)
	for i, start := range htmlStarts {
		if h.until[i] && bytes.Contains(lower, []byte(htmlEnds[i])) {
			h.until[i] = false
		}
		if j := bytes.Index(lower, []byte(start)); j >= 0 && !bytes.Contains(lower[j+len(start):], []byte(htmlEnds[i])) {
			h.until[i] = true
		}
	}
}

// openingFence returns the fence (``` or ~~~, and longer) that line opens
// a fenced code block with, or nil. Only fences at a line's start, not
// inside a list or quote, are followed: lines of other fences are checked
// as Markdown, which can only overestimate.
func openingFence(line []byte) []byte {
	t := bytes.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return nil
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 || (t[0] == '`' && bytes.IndexByte(t[n:], '`') >= 0) {
		return nil
	}
	return t[:n]
}

func closesFence(line, fence []byte) bool {
	t := bytes.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || !bytes.HasPrefix(t, fence) {
		return false
	}
	t = bytes.TrimLeft(t, string(fence[:1]))
	return len(bytes.TrimSpace(t)) == 0
}

// linkScanCost is how many bytes goldmark reads on line looking for the
// ends of its link destinations: after each "](" up to white space or the
// first ")" that closes no "(" of the destination, or after each "](<" up
// to ">", or the line's end. It takes time linear in the line's length:
// the stops are found in one pass from the end.
func linkScanCost(line []byte) int {
	if bytes.Index(line, []byte("](")) < 0 {
		return 0
	}
	// balance[k] is the balance of parentheses before line[k]; a
	// destination starting at s ends at white space or at the first ")"
	// at k where balance[k+1] < balance[s].
	balance := make([]int32, len(line)+1)
	for k := 0; k < len(line); k++ {
		switch c := line[k]; {
		case c == '\\' && k+1 < len(line) && line[k+1] != ' ':
			balance[k+1] = balance[k]
			balance[k+2] = balance[k]
			k++
		case c == '(':
			balance[k+1] = balance[k] + 1
		case c == ')':
			balance[k+1] = balance[k] - 1
		default:
			balance[k+1] = balance[k]
		}
	}
	// From the end: the next white space, the next ">", and for each s
	// the next k > s with balance[k] < balance[s] (a stack of candidates
	// with increasing balance).
	nextSpace, nextGT := len(line), len(line)
	var stack []int // indexes into balance, balance strictly increasing from bottom
	cost := 0
	for s := len(line); s >= 0; s-- {
		for len(stack) > 0 && balance[stack[len(stack)-1]] >= balance[s] {
			stack = stack[:len(stack)-1]
		}
		if s < len(line) {
			switch line[s] {
			case ' ', '\t', '\r':
				nextSpace = s
			case '>':
				nextGT = s
			}
		}
		if s >= 2 && line[s-2] == ']' && line[s-1] == '(' {
			stop := nextSpace
			if s < len(line) && line[s] == '<' {
				stop = nextGT
			} else if len(stack) > 0 {
				stop = min(stop, stack[len(stack)-1]-1) // the ")" before the drop
			}
			cost += stop - s
		}
		stack = append(stack, s)
	}
	return cost
}
