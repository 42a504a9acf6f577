package expand

import (
	"bytes"
	"html"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/siteblog/site/content"
	"github.com/yuin/goldmark/ast"
)

// Edit replaces Src[Start:End] with Text.
type Edit struct {
	Start, End int
	Text       string
}

// Apply makes edits to src, given in any order. Of two edits that
// overlap, the one starting first is made and the other dropped.
func Apply(src []byte, edits []Edit) []byte {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	var out bytes.Buffer
	out.Grow(len(src))
	last := 0
	for _, e := range edits {
		if e.Start < last {
			continue
		}
		out.Write(src[last:e.Start])
		out.WriteString(e.Text)
		last = e.End
	}
	out.Write(src[last:])
	return out.Bytes()
}

// CodeRanges lists the byte ranges of code (listings and code spans) of a
// body parsed by goldmark, sorted, for the rewrites that leave code alone.
func CodeRanges(root ast.Node) [][2]int {
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

// InRanges reports whether off lies in one of the sorted ranges.
func InRanges(ranges [][2]int, off int) bool {
	i := sort.Search(len(ranges), func(i int) bool { return ranges[i][1] > off })
	return i < len(ranges) && ranges[i][0] <= off
}

// urlStart is where an engine's link syntax is rewritten: at the start of
// a Markdown link or image destination (angle-bracketed or not, after
// spaces and at most one line break, as CommonMark allows), of a link
// reference definition, or of an HTML attribute that holds a URL.
const urlStart = `(\]\([ \t]*(?:\r?\n[ \t]*)?<?|\]:[ \t]*(?:\r?\n[ \t]*)?<?|\b(?:href|src|poster|data|cite|formaction|action|content)[ \t]*=[ \t]*["'])`

// LinkSyntax finds the URLs of a page body that start with one engine's
// link marker (Pelican's {filename}, Zola's @/), where the engines
// rewrite them: see urlStart. One pass serves every such syntax.
type LinkSyntax struct {
	re *regexp.Regexp
}

// NewLinkSyntax returns the syntax of URLs that start with marker, a
// regular expression ("[{|][a-z]+[|}]", "@/").
func NewLinkSyntax(marker string) *LinkSyntax {
	return &LinkSyntax{re: regexp.MustCompile(urlStart + "(" + marker + ")")}
}

// A Link is a URL found by a LinkSyntax.
type Link struct {
	// Marker is the marker as written ("{filename}", "|static|", "@/").
	Marker string
	// Value is the rest of the URL, as written: up to the closing quote
	// of an attribute, the ">" of an angle-bracketed destination, else
	// the first space or unbalanced ")".
	Value string
	// Line is the line of the file the marker is on.
	Line int
	// Attr tells a URL in an HTML attribute, whose value holds HTML's
	// character references (&amp;), from a Markdown destination.
	Attr bool
}

// Construct is the link as written, for messages.
func (l Link) Construct() string { return l.Marker + l.Value }

// Edits finds the links outside code (sorted ranges, CodeRanges) and
// replaces each with the URL resolve returns for it, escaped for where
// it stands; a link for which resolve returns false stays as written.
func (s *LinkSyntax) Edits(src []byte, code [][2]int, resolve func(Link) (string, bool)) []Edit {
	var edits []Edit
	var lines []int // starts of lines, made when first needed
	for _, m := range s.re.FindAllSubmatchIndex(src, -1) {
		markStart, markEnd := m[4], m[5]
		if InRanges(code, markStart) {
			continue
		}
		context := string(src[m[2]:m[3]])
		end := valueEnd(src, markEnd, context)
		if lines == nil {
			lines = lineStarts(src)
		}
		attr := strings.HasSuffix(context, `"`) || strings.HasSuffix(context, `'`)
		l := Link{
			Marker: string(src[markStart:markEnd]),
			Value:  string(src[markEnd:end]),
			Line:   sort.Search(len(lines), func(i int) bool { return lines[i] > markStart }),
			Attr:   attr,
		}
		resolved, ok := resolve(l)
		if !ok {
			continue
		}
		switch {
		case attr:
			resolved = html.EscapeString(resolved)
		case !strings.HasSuffix(context, "<"):
			resolved = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(resolved)
		}
		edits = append(edits, Edit{Start: markStart, End: end, Text: resolved})
	}
	return edits
}

// lineStarts indexes the starts of a source's lines.
func lineStarts(src []byte) []int {
	l := []int{0}
	for i, c := range src {
		if c == '\n' {
			l = append(l, i+1)
		}
	}
	return l
}

// valueEnd finds the end of a URL starting at i: the closing quote of an
// attribute, the ">" of an angle-bracketed destination, else the first
// space or unbalanced ")".
func valueEnd(src []byte, i int, context string) int {
	switch {
	case strings.HasSuffix(context, `"`), strings.HasSuffix(context, `'`):
		q := context[len(context)-1]
		for j := i; j < len(src); j++ {
			if src[j] == q || src[j] == '\n' {
				return j
			}
		}
		return len(src)
	case strings.HasSuffix(context, "<"):
		for j := i; j < len(src); j++ {
			if src[j] == '>' || src[j] == '\n' {
				return j
			}
		}
		return len(src)
	}
	depth := 0
	for j := i; j < len(src); j++ {
		switch src[j] {
		case ' ', '\t', '\n', '\r':
			return j
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return j
			}
			depth--
		case '\\':
			j++
		}
	}
	return len(src)
}

// MovedPaths lists the site paths a path from another engine's content
// root may mean: in content/, then in each posts section (default
// ["posts"]), with and without the path's first directory (the old blog
// directory: "/blog/x/a.png" finds content/posts/x/a.png), so a blog
// moved from content/ or content/blog/ into content/posts/ keeps its
// links.
func MovedPaths(name string, sections []string) []string {
	clean := strings.TrimPrefix(path.Clean("/"+name), "/")
	out := []string{path.Join(content.ContentDir, clean)}
	if len(sections) == 0 {
		sections = []string{"posts"}
	}
	_, rest, cut := strings.Cut(clean, "/")
	add := func(c string) {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, s := range sections {
		add(path.Join(content.ContentDir, s, clean))
		if cut {
			add(path.Join(content.ContentDir, s, rest))
		}
	}
	return out
}
