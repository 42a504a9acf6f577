package pymd

import (
	"regexp"
	"strings"

	"github.com/siteblog/site/internal/expand"
	"github.com/yuin/goldmark/ast"
)

// tocMarker alone in a paragraph places the table of contents.
const tocMarker = "[TOC]"

// toc replaces each paragraph that is only [TOC] with the table of
// contents of the page's headings, nested by level as Python-Markdown's
// toc extension nests them, linking to the IDs the renderer gives the
// headings.
func (e *expander) toc() {
	src := e.doc.Src
	root := parse(src)
	var heads []tocEntry
	var markers []edit
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			b, _ := id.([]byte)
			heads = append(heads, tocEntry{level: n.Level, id: string(b), name: e.headingText(n, src)})
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph:
			if n.Lines().Len() == 1 {
				s := n.Lines().At(0)
				v := string(src[s.Start:s.Stop])
				if strings.TrimSpace(v) == tocMarker {
					i := strings.Index(v, tocMarker)
					markers = append(markers, edit{Start: s.Start + i, End: s.Start + i + len(tocMarker)})
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if len(markers) == 0 {
		return
	}
	html := tocHTML(nest(heads))
	for i := range markers {
		markers[i].Text = e.doc.Placeholder(html)
	}
	e.doc.Src = expand.Apply(src, markers)
}

// tocEntry is a heading in the table of contents.
type tocEntry struct {
	level    int
	id, name string
	children []*tocEntry
}

var (
	tags        = regexp.MustCompile(`<[^>]*>`)
	placeholder = regexp.MustCompile("\uE000\\d+\uE001")
)

// headingText is a heading's text as HTML without elements: its Markdown
// rendered inline (smart punctuation, entities) with the tags removed.
func (e *expander) headingText(h *ast.Heading, src []byte) string {
	var md strings.Builder
	for i := 0; i < h.Lines().Len(); i++ {
		s := h.Lines().At(i)
		if i > 0 {
			md.WriteByte(' ')
		}
		md.WriteString(strings.TrimSpace(string(src[s.Start:s.Stop])))
	}
	text := md.String()
	if e.env != nil {
		text = e.env.Markdown(text, true)
	}
	text = placeholder.ReplaceAllString(tags.ReplaceAllString(text, ""), "")
	return strings.TrimSpace(text)
}

// nest builds the tree of headings as Python-Markdown's nest_toc_tokens
// does: a deeper heading is a child of the one before it; a shallower one
// goes back up to the nearest level not deeper than itself.
func nest(list []tocEntry) []*tocEntry {
	var ordered []*tocEntry
	if len(list) == 0 {
		return nil
	}
	last := &list[0]
	levels := []int{last.level}
	ordered = append(ordered, last)
	var parents []*tocEntry
	for i := 1; i < len(list); i++ {
		t := &list[i]
		if t.level < levels[len(levels)-1] {
			levels = levels[:len(levels)-1]
			pop := 0
			for j := len(parents) - 1; j >= 0 && t.level <= parents[j].level; j-- {
				pop++
			}
			if pop > 0 {
				levels = levels[:len(levels)-pop]
				parents = parents[:len(parents)-pop]
			}
			levels = append(levels, t.level)
		}
		if t.level == levels[len(levels)-1] {
			if len(parents) > 0 {
				p := parents[len(parents)-1]
				p.children = append(p.children, t)
			} else {
				ordered = append(ordered, t)
			}
		} else {
			last.children = append(last.children, t)
			parents = append(parents, last)
			levels = append(levels, t.level)
		}
		last = t
	}
	return ordered
}

// TOCOpen starts the HTML of a table of contents [TOC] placed, so the
// renderer knows the page holds one.
const TOCOpen = "<div class=\"toc\">\n"

// tocHTML writes the table of contents as Python-Markdown does.
func tocHTML(entries []*tocEntry) string {
	var b strings.Builder
	b.WriteString(TOCOpen)
	writeList(&b, entries)
	b.WriteString("</div>\n")
	return b.String()
}

func writeList(b *strings.Builder, entries []*tocEntry) {
	if len(entries) == 0 {
		b.WriteString("<ul></ul>\n")
		return
	}
	b.WriteString("<ul>\n")
	for _, t := range entries {
		b.WriteString(`<li><a href="#` + htmlAttr(t.id) + `">` + t.name + "</a>")
		if len(t.children) > 0 {
			writeList(b, t.children)
		}
		b.WriteString("</li>\n")
	}
	b.WriteString("</ul>\n")
}

func htmlAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;").Replace(s)
}
