package pymd

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// header is CodeHilite's first line of a listing (Python-Markdown's
// codehilite.py): "#!" or two or more colons, an optional path (a real
// shebang line, kept), the language, and optional hl_lines="1 3".
var header = regexp.MustCompile(`^(?:::+|(#!))((?:/\w+)*[/ ])?([\w#.+-]*)\s*(?:hl_lines=(?:"(.*?)"|'(.*?)'))?`)

// codeBlocks rewrites each indented listing whose first line is a
// CodeHilite header into a fenced listing of that language: the header
// line becomes the opening fence, the blank line after the listing (or a
// new line) the closing one, so the listing's lines keep their numbers.
func (e *expander) codeBlocks(root ast.Node) []edit {
	src := e.doc.Src
	var edits []edit
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Kind() != ast.KindCodeBlock {
			return ast.WalkContinue, nil
		}
		segs := n.Lines()
		if segs.Len() == 0 {
			return ast.WalkSkipChildren, nil
		}
		// In a list item, CommonMark's content column (3 after "1. ")
		// may leave spaces that Python-Markdown's four-column lists do
		// not: they go, if every line has them.
		extra := 0
		if inList(n) {
			extra = 3
			for i := 0; i < segs.Len(); i++ {
				s := segs.At(i)
				v := strings.Repeat(" ", s.Padding) + string(src[s.Start:s.Stop])
				if strings.TrimSpace(v) != "" {
					extra = min(extra, len(v)-len(strings.TrimLeft(v, " ")))
				}
			}
		}
		value := func(i int) string {
			s := segs.At(i)
			v := strings.Repeat(" ", s.Padding) + strings.TrimSuffix(string(src[s.Start:s.Stop]), "\n")
			if len(v) >= extra && strings.TrimSpace(v[:extra]) == "" {
				v = v[extra:]
			}
			return v
		}
		m := header.FindStringSubmatch(value(0))
		if m == nil {
			return ast.WalkSkipChildren, nil
		}
		lang, shebang, path := strings.ToLower(m[3]), m[1] != "", m[2] != ""
		hl := m[4] + m[5]
		var code []string
		for i := 0; i < segs.Len(); i++ {
			code = append(code, value(i))
		}
		fence := strings.Repeat("`", max(3, longestTicks(code)+1))
		open := fence + info(lang, shebang, hl)

		first := segs.At(0)
		firstLine := e.lines.line(first.Start)
		if path { // a real shebang line stays in the listing: the fence goes before it
			ls := e.lines.start(firstLine)
			pre := e.prefix(firstLine, first.Start, first.Padding)
			edits = append(edits, edit{Start: ls, End: e.lineEnd(firstLine), Text: pre + open + "\n" + pre + value(0)})
		} else {
			edits = append(edits, e.replaceLine(firstLine, e.prefix(firstLine, first.Start, first.Padding)+open))
		}
		for i := 1; i < segs.Len(); i++ {
			s := segs.At(i)
			l := e.lines.line(s.Start)
			if strings.TrimSpace(value(i)) == "" {
				edits = append(edits, e.replaceLine(l, blankPrefix(e.lineText(l))))
				continue
			}
			edits = append(edits, e.replaceLine(l, e.prefix(l, s.Start, s.Padding)+value(i)))
		}
		last := segs.At(segs.Len() - 1)
		lastLine := e.lines.line(last.Start)
		closing := e.prefix(lastLine, last.Start, last.Padding) + fence
		if lastLine < len(e.lines) && strings.TrimSpace(e.lineText(lastLine+1)) == "" {
			if e.lines.start(lastLine+1) == len(src) { // the source ends with a newline
				closing += "\n"
			}
			edits = append(edits, e.replaceLine(lastLine+1, closing))
		} else {
			end := e.lineEnd(lastLine)
			if end < len(src) {
				edits = append(edits, edit{Start: end + 1, End: end + 1, Text: closing + "\n"})
			} else {
				edits = append(edits, edit{Start: end, End: end, Text: "\n" + closing})
			}
		}
		return ast.WalkSkipChildren, nil
	})
	return edits
}

// inList reports whether a node is inside a list item.
func inList(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Kind() == ast.KindListItem {
			return true
		}
	}
	return false
}

// info is the fenced listing's info string for a CodeHilite header: "#!"
// shows line numbers (colons leave the site's setting), hl_lines="1 3"
// highlights lines.
func info(lang string, shebang bool, hl string) string {
	var attrs []string
	if nums := strings.Fields(hl); len(nums) > 0 {
		var ok []string
		for _, n := range nums {
			if _, err := strconv.Atoi(n); err == nil {
				ok = append(ok, n)
			}
		}
		if len(ok) > 0 {
			attrs = append(attrs, "hl_lines=["+strings.Join(ok, ",")+"]")
		}
	}
	if shebang {
		attrs = append(attrs, "linenos=true")
	}
	if len(attrs) == 0 {
		return lang
	}
	if lang == "" {
		lang = "text"
	}
	return lang + " {" + strings.Join(attrs, ", ") + "}"
}

// longestTicks is the longest run of backticks that starts a line.
func longestTicks(lines []string) int {
	n := 0
	for _, l := range lines {
		t := strings.TrimLeft(l, " ")
		k := len(t) - len(strings.TrimLeft(t, "`"))
		n = max(n, k)
	}
	return n
}

// lineText is a 1-based line without its newline.
func (e *expander) lineText(line int) string {
	start := e.lines.start(line)
	return string(e.doc.Src[start:e.lineEnd(line)])
}

// lineEnd is the offset of a line's newline, or the end of the source.
func (e *expander) lineEnd(line int) int {
	if line < len(e.lines) {
		return e.lines.start(line+1) - 1
	}
	return len(e.doc.Src)
}

// replaceLine replaces a line's text, its newline kept.
func (e *expander) replaceLine(line int, text string) edit {
	return edit{Start: e.lines.start(line), End: e.lineEnd(line), Text: text}
}

// prefix is what stands before a listing line's code once its four
// columns of indentation are gone: a list item's indentation, a block
// quote's ">".
func (e *expander) prefix(line, codeStart, padding int) string {
	before := string(e.doc.Src[e.lines.start(line):codeStart])
	return upToColumn(before, columns(before)-4-padding)
}

// blankPrefix keeps a blank line's block quote markers.
func blankPrefix(line string) string {
	line = strings.TrimRight(line, " \t")
	if i := strings.LastIndexByte(line, '>'); i >= 0 {
		return line[:i+1]
	}
	return ""
}

// columns is the width of text with tab stops every four columns.
func columns(s string) int {
	col := 0
	for _, r := range s {
		if r == '\t' {
			col += 4 - col%4
		} else {
			col++
		}
	}
	return col
}

// upToColumn is s cut at column target, a tab that crosses it becoming
// spaces.
func upToColumn(s string, target int) string {
	var b strings.Builder
	col := 0
	for _, r := range s {
		if col >= target {
			break
		}
		if r == '\t' {
			next := col + 4 - col%4
			if next > target {
				break
			}
			b.WriteRune(r)
			col = next
			continue
		}
		b.WriteRune(r)
		col++
	}
	if col < target {
		b.WriteString(strings.Repeat(" ", target-col))
	}
	return b.String()
}
