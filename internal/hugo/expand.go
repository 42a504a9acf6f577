package hugo

import (
	"bytes"
	"html"
	"html/template"
	"sort"
	"strings"

	"github.com/siteblog/site/internal/expand"
)

// TemplateEnv is an expand.Env that hands out the site's user shortcode
// templates, so that nested shortcodes see their .Parent and .Ordinal.
// An Env without it has its user shortcodes run through Env.Shortcode.
type TemplateEnv interface {
	expand.Env
	ShortcodeTemplates() *Templates
}

// Expand replaces the Hugo shortcodes of doc's Markdown with their output:
// HTML as placeholders, the output of {{% %}} shortcodes, ref, relref and
// param as Markdown text. A page without "{{<" or "{{%" is left as it is,
// at the cost of a search for them.
func Expand(doc *expand.Doc, env expand.Env) {
	if !hasShortcode(doc.Src) {
		return
	}
	tags := scanTags(doc.Src)
	if len(tags) == 0 {
		return
	}
	x := &expander{doc: doc, env: env, src: doc.Src, fences: fencedRanges(doc.Src)}
	if te, ok := env.(TemplateEnv); ok {
		x.templates = te.ShortcodeTemplates()
	}
	first := len(doc.Warnings)
	tree := buildTree(x.src, tags, func(t *tag, format string, args ...any) {
		x.warn(t.start, format, args...)
	})
	var out bytes.Buffer
	out.Grow(len(x.src))
	x.nodes(&out, tree, nil)
	doc.Src = out.Bytes()
	mine := doc.Warnings[first:]
	sort.SliceStable(mine, func(i, j int) bool { return mine[i].Line < mine[j].Line })
}

// expander is the state of one body's expansion.
type expander struct {
	doc       *expand.Doc
	env       expand.Env
	src       []byte
	fences    [][2]int // fenced code blocks, as offsets
	templates *Templates
	page      *Page // made on first use
	runLine   int   // the line of the shortcode running, for warnf
	inlines   map[string]*template.Template

	lineAt, lineOff int // the last line computed, for line(): offsets only grow
	spans           spanCount
	// budget is what the page's shortcode templates may still write, all
	// told (expand.OutputLimit); 0 until the first runs.
	budget int
}

// line returns the line of the file at offset off of the body.
func (x *expander) line(off int) int {
	if off < x.lineOff {
		x.lineAt, x.lineOff = 0, 0
	}
	x.lineAt += bytes.Count(x.src[x.lineOff:off], []byte("\n"))
	x.lineOff = off
	return x.lineAt + 1
}

func (x *expander) warn(off int, format string, args ...any) {
	x.doc.Warn(x.line(off), format, args...)
}

// inFence reports whether offset off lies in a fenced code block, where
// output goes in as text: a placeholder there would be cut up by the
// listing's highlighting.
func (x *expander) inFence(off int) bool {
	// The fences are in order and apart: the one that may hold off is the
	// first that ends after it.
	i := sort.Search(len(x.fences), func(i int) bool { return x.fences[i][1] > off })
	return i < len(x.fences) && off >= x.fences[i][0]
}

// nodes writes the expansion of ns to out; parent is the enclosing
// shortcode, nil at the top.
func (x *expander) nodes(out *bytes.Buffer, ns []*node, parent *Shortcode) {
	ordinal := 0
	for _, n := range ns {
		if n.tag == nil {
			out.Write(x.src[n.text[0]:n.text[1]])
			continue
		}
		t := n.tag
		switch {
		case t.err != "":
			x.html(out, "<code>"+html.EscapeString(string(x.src[t.start:t.end]))+"</code>")
			continue
		case t.comment:
			switch {
			case x.inFence(t.start):
				out.WriteString(t.literal)
			case x.inCodeSpan(t.start):
				x.html(out, html.EscapeString(t.literal))
			default:
				out.WriteString(expand.LiteralMarkdown(t.literal))
			}
			continue
		}
		sc := x.shortcode(n, parent, ordinal)
		ordinal++
		var inner bytes.Buffer
		if n.paired {
			x.nodes(&inner, n.children, sc)
			sc.setInner(inner.String())
		}
		res, err := x.run(sc)
		construct := x.construct(n)
		switch {
		case err == errUnknown && n.paired:
			// The writer's text inside stays, as Markdown.
			x.warn(t.start, "unknown shortcode %s: no built-in and no template in layouts/shortcodes/ or the theme's shortcodes/; its tags are left out, its inner text kept", construct)
			x.write(out, n, result{text: inner.String(), markdown: true})
			continue
		case err == errUnknown:
			x.warn(t.start, "unknown shortcode %s: no built-in and no template in layouts/shortcodes/ or the theme's shortcodes/; left out", construct)
			continue
		case err != nil:
			x.warn(t.start, "shortcode %s: %v; left out", construct, err)
			continue
		}
		x.write(out, n, res)
	}
}

// construct is the opening tag of n as written, shortened, for warnings.
func (x *expander) construct(n *node) string {
	return expand.Construct(string(x.src[n.tag.start:n.tag.end]))
}

// write puts a shortcode's output in the Markdown.
func (x *expander) write(out *bytes.Buffer, n *node, res result) {
	at := n.tag.start
	before := out.Len()
	switch {
	case res.markdown:
		out.WriteString(res.text)
	case x.inFence(at):
		out.WriteString(x.restore(res.text))
	case res.text == "":
	case !strings.ContainsAny(res.text, "<&") && (bytes.HasSuffix(out.Bytes(), []byte("](")) || bytes.HasSuffix(out.Bytes(), []byte(`="`))):
		// A URL in a link destination or an attribute: placeholders
		// would be percent-encoded there.
		out.WriteString(res.text)
	default:
		x.html(out, x.restore(res.text))
	}
	x.keepLines(out, n, bytes.Count(out.Bytes()[before:], []byte("\n")))
}

// html writes a placeholder for h.
func (x *expander) html(out *bytes.Buffer, h string) {
	out.WriteString(x.doc.Placeholder(h))
}

// restore puts back the placeholders of nested shortcodes in s.
func (x *expander) restore(s string) string {
	if !expand.HasPlaceholder([]byte(s)) {
		return s
	}
	return string(expand.Restore([]byte(s), x.doc.HTML))
}

// keepLines adds the line breaks a shortcode spanning lines took away
// when it stands alone on its lines, so that what follows keeps the line
// numbers of the file.
func (x *expander) keepLines(out *bytes.Buffer, n *node, written int) {
	lines := bytes.Count(x.src[n.tag.start:n.end], []byte("\n")) - written
	if lines <= 0 {
		return
	}
	startsLine := n.tag.start == 0 || x.src[n.tag.start-1] == '\n'
	endsLine := n.end == len(x.src) || x.src[n.end] == '\n'
	if !startsLine || !endsLine || x.inFence(n.tag.start) {
		return
	}
	out.WriteString(strings.Repeat("\n", lines))
}

// fencedRanges returns the offsets of the fenced code blocks of src.
func fencedRanges(src []byte) [][2]int {
	var out [][2]int
	open := -1
	var fence []byte
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off + 1
		}
		line := bytes.TrimLeft(src[off:end], " \t>")
		if open < 0 {
			if f := fenceOf(line); f != nil {
				open, fence = off, f
			}
		} else if f := fenceOf(line); f != nil && f[0] == fence[0] && len(f) >= len(fence) && len(bytes.TrimSpace(line[len(f):])) == 0 {
			out = append(out, [2]int{open, end})
			open = -1
		}
		off = end
	}
	if open >= 0 {
		out = append(out, [2]int{open, len(src)})
	}
	return out
}

// fenceOf returns the run of ` or ~ (three or more) that line starts with.
func fenceOf(line []byte) []byte {
	if len(line) < 3 || (line[0] != '`' && line[0] != '~') {
		return nil
	}
	n := 0
	for n < len(line) && line[n] == line[0] {
		n++
	}
	if n < 3 {
		return nil
	}
	return line[:n]
}

// inCodeSpan reports whether offset off follows an odd number of backtick
// runs on its line: a code span, where Markdown escapes would show.
// Tags are asked about in order, so the count goes on from the last
// offset asked about when off is further along the same line: many tags
// on one long line cost one pass over it.
func (x *expander) inCodeSpan(off int) bool {
	c := &x.spans
	if !c.valid || c.off > off || bytes.IndexByte(x.src[c.off:off], '\n') >= 0 {
		start := bytes.LastIndexByte(x.src[:off], '\n') + 1
		*c = spanCount{valid: true, lineStart: start, off: start}
	}
	start := c.lineStart
	for i := c.off; i < off; i++ {
		if x.src[i] == '`' {
			if i == start || x.src[i-1] != '`' {
				c.runs++
			}
		}
	}
	c.off = off
	return c.runs%2 == 1
}

// spanCount is where inCodeSpan stopped counting backtick runs.
type spanCount struct {
	valid                bool
	lineStart, off, runs int
}
