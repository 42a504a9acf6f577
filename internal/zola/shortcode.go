package zola

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/hugo"
)

// HasShortcode reports, cheaply, whether a body may hold a Zola shortcode:
// "{{" or "{%", spaces between allowed, then a name and "(", or Zola's
// escape "{{/*" or "{%/*".
func HasShortcode(src []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '{')
		if j < 0 || i+j+1 >= len(src) {
			return false
		}
		k := i + j + 1
		if c := src[k]; c == '{' || c == '%' {
			k++
			if k+1 < len(src) && src[k] == '/' && src[k+1] == '*' {
				return true
			}
			k = skipSpace(src, k)
			if n := identLen(src[k:]); n > 0 && skipSpace(src, k+n) < len(src) && src[skipSpace(src, k+n)] == '(' {
				return true
			}
		}
		i += j + 1
	}
}

func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\n') {
		i++
	}
	return i
}

// identLen is the length of the name src starts with: a letter or "_",
// then letters, digits and "_".
func identLen(src []byte) int {
	n := 0
	for n < len(src) {
		c := src[n]
		if c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || (n > 0 && '0' <= c && c <= '9') {
			n++
			continue
		}
		break
	}
	return n
}

// call is one shortcode call as written: an inline {{ name(…) }}, the
// opening {% name(…) %} of a body shortcode, a closing {% end %}, or
// their escaped forms.
type call struct {
	start, end int // the call's bytes in the source
	name       string
	args       map[string]string
	body       bool // {% %}
	closing    bool // {% end %}
	escaped    bool // {{/* */}}, {%/* */%}
	err        string
}

// parser reads one call at a time from src.
type parser struct {
	src []byte
	i   int
}

// parseCall reads the call at src[start:], which starts with "{{" or
// "{%". ok is false when it is no call at all: no name and "(" follow
// (nor "end" for a body's end). A call that starts as one but is
// malformed has err set and ends at the end of its line.
func parseCall(src []byte, start int) (c call, ok bool) {
	p := &parser{src: src, i: start + 2}
	c.start = start
	c.body = src[start+1] == '%'
	if p.i+1 < len(src) && src[p.i] == '/' && src[p.i+1] == '*' {
		c.escaped = true
		p.i += 2
	}
	p.space()
	n := identLen(src[p.i:])
	if n == 0 {
		return c, false
	}
	c.name = string(src[p.i : p.i+n])
	p.i += n
	p.space()
	closer := "}}"
	if c.body {
		closer = "%}"
	}
	if c.escaped {
		closer = "*/" + closer
	}
	if c.body && c.name == "end" && p.peek() != '(' {
		if !bytes.HasPrefix(src[p.i:], []byte(closer)) {
			return c, false
		}
		c.closing, c.end = true, p.i+len(closer)
		return c, true
	}
	if p.peek() != '(' {
		return c, false
	}
	p.i++
	c.args = map[string]string{}
	if err := p.args(c.args); err != "" {
		c.err, c.end = err, malformedEnd(src, start, closer)
		return c, true
	}
	p.space()
	if !bytes.HasPrefix(src[p.i:], []byte(closer)) {
		c.err, c.end = "no "+closer+" after the arguments", malformedEnd(src, start, closer)
		return c, true
	}
	c.end = p.i + len(closer)
	return c, true
}

// malformedEnd is where a malformed call that starts at i ends: after
// the first closer on its line, else at the line's end.
func malformedEnd(src []byte, i int, closer string) int {
	end := len(src)
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		end = i + j
	}
	if j := bytes.Index(src[i:end], []byte(closer)); j >= 0 {
		return i + j + len(closer)
	}
	return end
}

func (p *parser) space() { p.i = skipSpace(p.src, p.i) }

func (p *parser) peek() byte {
	if p.i < len(p.src) {
		return p.src[p.i]
	}
	return 0
}

// args reads name=value, … up to and past ")" into named; it returns
// what is wrong, "" when nothing is.
func (p *parser) args(named map[string]string) string {
	p.space()
	if p.peek() == ')' {
		p.i++
		return ""
	}
	for {
		p.space()
		n := identLen(p.src[p.i:])
		if n == 0 {
			return "want an argument name"
		}
		name := string(p.src[p.i : p.i+n])
		p.i += n
		p.space()
		if p.peek() != '=' {
			return "want = after " + name
		}
		p.i++
		p.space()
		v, err := p.value(true)
		if err != "" {
			return name + ": " + err
		}
		named[name] = v
		p.space()
		switch p.peek() {
		case ',':
			p.i++
		case ')':
			p.i++
			return ""
		default:
			return "want , or ) after " + name
		}
	}
}

var numberRE = regexp.MustCompile(`^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?`)

// value reads a string, boolean, number or (when array is true) an array
// of those, as the text a template gets: a string without its quotes, an
// array's elements joined by commas.
func (p *parser) value(array bool) (string, string) {
	switch c := p.peek(); {
	case c == '"' || c == '\'' || c == '`':
		j := bytes.IndexByte(p.src[p.i+1:], c)
		if j < 0 {
			return "", "unclosed string"
		}
		v := string(p.src[p.i+1 : p.i+1+j])
		p.i += j + 2
		return v, ""
	case c == '[' && array:
		p.i++
		var items []string
		for {
			p.space()
			if p.peek() == ']' {
				p.i++
				return strings.Join(items, ","), ""
			}
			v, err := p.value(false)
			if err != "" {
				return "", err
			}
			items = append(items, v)
			p.space()
			switch p.peek() {
			case ',':
				p.i++
			case ']':
			default:
				return "", "want , or ] in the array"
			}
		}
	}
	for _, b := range []string{"true", "false"} {
		if bytes.HasPrefix(p.src[p.i:], []byte(b)) && identLen(p.src[p.i:]) == len(b) {
			p.i += len(b)
			return b, ""
		}
	}
	if m := numberRE.Find(p.src[p.i:]); m != nil {
		p.i += len(m)
		return string(m), ""
	}
	return "", "want a string, number, boolean or array"
}

// shortcodes expands the shortcodes of a body.
type shortcodes struct {
	doc  *expand.Doc
	env  expand.Env
	src  []byte
	code [][2]int
}

// lineOf is the line of the file at offset off.
func (s *shortcodes) lineOf(off int) int { return bytes.Count(s.src[:off], []byte("\n")) + 1 }

// construct is a call's opening as written, shortened, for warnings.
func (s *shortcodes) construct(c call) string {
	return expand.Construct(string(s.src[c.start:c.end]))
}

// expand writes the expansion of s.src[from:to] to out; it returns where
// it stopped: to, or the start of a {% end %} when inBody.
func (s *shortcodes) expand(out *bytes.Buffer, from, to int, inBody bool) (int, bool) {
	i := from
	for i < to {
		j := indexOpen(s.src[i:to])
		if j < 0 {
			break
		}
		at := i + j
		c, ok := parseCall(s.src[:to], at)
		if !ok {
			out.Write(s.src[i : at+1])
			i = at + 1
			continue
		}
		out.Write(s.src[i:at])
		inCode := expand.InRanges(s.code, at)
		switch {
		case c.escaped:
			i = s.escaped(out, c, to, inCode)
		case inCode:
			// Zola expands shortcodes in code too; here code is the writer's
			// text: left as written.
			out.Write(s.src[c.start:c.end])
			i = c.end
		case c.err != "":
			s.doc.Warn(s.lineOf(at), "Zola shortcode %s: %s; left as written", s.construct(c), c.err)
			out.Write(s.src[c.start:c.end])
			i = c.end
		case c.closing && inBody:
			return at, true
		case c.closing:
			s.doc.Warn(s.lineOf(at), "Zola shortcode %s with no shortcode to end; left out", s.construct(c))
			i = c.end
		case c.body:
			i = s.body(out, c, to)
		default:
			s.run(out, c, "", false, c.end)
			i = c.end
		}
	}
	out.Write(s.src[i:to])
	return to, false
}

// indexOpen is the offset of the first "{{" or "{%" of b, or -1.
func indexOpen(b []byte) int {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '{')
		if j < 0 || i+j+1 >= len(b) {
			return -1
		}
		if c := b[i+j+1]; c == '{' || c == '%' {
			return i + j
		}
		i += j + 1
	}
}

// escaped writes an escaped call as Zola prints it, without /* */; an
// escaped body shortcode's body, up to its escaped end, is written as it
// is, Markdown that Zola does not look into. In prose the calls are
// escaped so that they show as written.
func (s *shortcodes) escaped(out *bytes.Buffer, c call, to int, inCode bool) int {
	show := func(b []byte) {
		if t := unescape(string(b)); inCode {
			out.WriteString(t)
		} else {
			out.WriteString(expand.LiteralMarkdown(t))
		}
	}
	if c.err != "" {
		// Not Zola's escape: Zola prints it as it is.
		if !inCode {
			s.doc.Warn(s.lineOf(c.start), "Zola shortcode %s: %s; left as written", s.construct(c), c.err)
		}
		out.Write(s.src[c.start:c.end])
		return c.end
	}
	show(s.src[c.start:c.end])
	if !c.body || c.closing {
		return c.end
	}
	for k := c.end; k < to; {
		j := bytes.Index(s.src[k:to], []byte("{%/*"))
		if j < 0 {
			break
		}
		if e, ok := parseCall(s.src[:to], k+j); ok && e.closing && e.escaped {
			out.Write(s.src[c.end : k+j])
			show(s.src[e.start:e.end])
			return e.end
		}
		k += j + 1
	}
	return c.end
}

// unescape drops Zola's escape: {{/* → {{, */}} → }}, and so for {% %}.
func unescape(s string) string {
	s = strings.Replace(strings.Replace(s, "{{/*", "{{", 1), "*/}}", "}}", 1)
	return strings.Replace(strings.Replace(s, "{%/*", "{%", 1), "*/%}", "%}", 1)
}

// body expands a body shortcode from its opening c: its body (with the
// shortcodes in it expanded first, as Zola does) up to its {% end %}.
func (s *shortcodes) body(out *bytes.Buffer, c call, to int) int {
	var inner bytes.Buffer
	stop, closed := s.expand(&inner, c.end, to, true)
	if !closed {
		s.doc.Warn(s.lineOf(c.start), "Zola shortcode %s has no {%% end %%}; left as written", s.construct(c))
		out.Write(s.src[c.start:c.end])
		out.Write(inner.Bytes())
		return to
	}
	end, _ := parseCall(s.src[:to], stop)
	s.run(out, c, strings.TrimSpace(inner.String()), true, end.end)
	return end.end
}

// run writes the output of call c (with body when hasBody) that ends at
// end: a user template's, else a built-in's; what fails is a warning.
func (s *shortcodes) run(out *bytes.Buffer, c call, body string, hasBody bool, end int) {
	ec := expand.Call{Name: c.name, Named: c.args, Inner: body, HasInner: hasBody, Line: s.lineOf(c.start)}
	if len(ec.Named) == 0 {
		ec.Named = nil
	}
	before := out.Len()
	h, ok, err := s.env.Shortcode(c.name, ec)
	markdown := false
	if !ok && err == nil {
		h, markdown, ok, err = builtin(ec)
	}
	switch {
	case err != nil:
		s.doc.Warn(ec.Line, "Zola shortcode %s: %v; left out", s.construct(c), err)
	case !ok && hasBody:
		s.doc.Warn(ec.Line, "unknown Zola shortcode %s: no built-in and no template in the theme's shortcodes/ or layouts/shortcodes/; its tags are left out, its body kept", s.construct(c))
		out.WriteString(body)
	case !ok:
		s.doc.Warn(ec.Line, "unknown Zola shortcode %s: no built-in and no template in the theme's shortcodes/ or layouts/shortcodes/; left out", s.construct(c))
	case markdown:
		out.WriteString(h)
	case !strings.ContainsAny(h, "<&") && (bytes.HasSuffix(out.Bytes(), []byte("](")) || bytes.HasSuffix(out.Bytes(), []byte(`="`))):
		// A URL in a link destination or an attribute: a placeholder
		// would be percent-encoded there.
		out.WriteString(h)
	case h != "":
		// The placeholders of the calls in the body go back in first.
		if expand.HasPlaceholder([]byte(h)) {
			h = string(expand.Restore([]byte(h), s.doc.HTML))
		}
		out.WriteString(s.doc.Placeholder(h))
	}
	s.keepLines(out, c.start, end, bytes.Count(out.Bytes()[before:], []byte("\n")))
}

// keepLines adds the line breaks a call spanning lines took away when it
// stands alone on its lines, so that what follows keeps its line numbers.
func (s *shortcodes) keepLines(out *bytes.Buffer, start, end, written int) {
	lines := bytes.Count(s.src[start:end], []byte("\n")) - written
	if lines <= 0 {
		return
	}
	startsLine := start == 0 || s.src[start-1] == '\n'
	endsLine := end == len(s.src) || s.src[end] == '\n'
	if startsLine && endsLine {
		out.WriteString(strings.Repeat("\n", lines))
	}
}

// gistURL is the url argument of Zola's gist: https://gist.github.com/USER/ID.
var gistURL = regexp.MustCompile(`^(?:https?:)?//gist\.github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.js)?/?$`)

// builtin runs Zola's built-in shortcodes (up to Zola 0.17) as Hugo's of
// the same purpose run here: youtube, vimeo, streamable, gist.
func builtin(c expand.Call) (out string, markdown, ok bool, err error) {
	switch c.Name {
	case "youtube", "vimeo", "streamable":
		return hugo.Embed(c)
	case "gist":
		m := gistURL.FindStringSubmatch(c.Named["url"])
		if m == nil {
			return "", false, true, fmt.Errorf("want url=\"https://gist.github.com/USER/ID\", got %q", c.Named["url"])
		}
		pos := []string{m[1], m[2]}
		if f := c.Named["file"]; f != "" {
			pos = append(pos, f)
		}
		return hugo.Embed(expand.Call{Name: "gist", Positional: pos, Line: c.Line})
	}
	return "", false, false, nil
}

// expandShortcodes runs the shortcodes of doc.Src outside code.
func expandShortcodes(doc *expand.Doc, env expand.Env, code [][2]int) {
	s := &shortcodes{doc: doc, env: env, src: doc.Src, code: code}
	var out bytes.Buffer
	out.Grow(len(s.src))
	first := len(doc.Warnings)
	s.expand(&out, 0, len(s.src), false)
	if len(doc.Warnings) == first && len(doc.HTML) == 0 && bytes.Equal(out.Bytes(), s.src) {
		return
	}
	doc.Src = out.Bytes()
}
