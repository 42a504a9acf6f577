package hugo

import (
	"bytes"
	"strings"
)

// A tag is one {{< … >}} or {{% … %}} of a body.
type tag struct {
	start, end int  // byte offsets of the tag in the body
	markdown   bool // {{% %}} rather than {{< >}}
	closing    bool // {{< /name >}}
	selfClose  bool // {{< name />}}
	comment    bool // {{</* … */>}}: literal is what it prints
	literal    string
	name       string
	positional []string
	named      map[string]string
	order      []string     // named keys in the order written
	quoted     map[any]bool // the arguments written in quotes, by index or name
	err        string       // why the tag could not be read; end is then past its opening
}

// openers are the two shortcode delimiters.
var (
	openHTML     = []byte("{{<")
	openMarkdown = []byte("{{%")
)

// hasShortcode reports quickly whether src may hold a shortcode.
func hasShortcode(src []byte) bool {
	return bytes.Contains(src, openHTML) || bytes.Contains(src, openMarkdown)
}

// scanTags finds every tag of src, in order.
func scanTags(src []byte) []tag {
	var tags []tag
	for i := 0; i < len(src); {
		j := indexOpen(src[i:])
		if j < 0 {
			break
		}
		t := readTag(src, i+j)
		tags = append(tags, t)
		i = t.end
	}
	return tags
}

// indexOpen returns the offset of the first "{{<" or "{{%" in s, or -1.
func indexOpen(s []byte) int {
	for off := 0; ; {
		k := bytes.Index(s[off:], []byte("{{"))
		if k < 0 {
			return -1
		}
		k += off
		if k+2 < len(s) && (s[k+2] == '<' || s[k+2] == '%') {
			return k
		}
		off = k + 1
	}
}

// readTag reads the tag starting at src[at:], which is "{{<" or "{{%".
func readTag(src []byte, at int) tag {
	t := tag{start: at, markdown: src[at+2] == '%'}
	closeDelim := ">}}"
	if t.markdown {
		closeDelim = "%}}"
	}
	i := at + 3
	i = skipSpace(src, i)
	if strings.HasPrefix(string(src[i:min(len(src), i+2)]), "/*") {
		end := bytes.Index(src[i:], []byte("*/"))
		if end >= 0 {
			k := skipSpace(src, i+end+2)
			if bytes.HasPrefix(src[k:], []byte(closeDelim)) {
				t.comment = true
				t.literal = string(src[at:at+3]) + string(src[i+2:i+end]) + closeDelim
				t.end = k + len(closeDelim)
				return t
			}
		}
		t.err = "unclosed shortcode comment"
		t.end = at + 3
		return t
	}
	if i < len(src) && src[i] == '/' {
		t.closing = true
		i = skipSpace(src, i+1)
	}
	n := i
	for n < len(src) && isNameByte(src[n]) && !(src[n] == '/' && n+1 < len(src) && (src[n+1] == '>' || src[n+1] == '%')) {
		n++
	}
	t.name = string(src[i:n])
	i = n
	if t.name == "" {
		t.err = "shortcode without a name"
		t.end = at + 3
		return t
	}
	t.named = map[string]string{}
	for {
		i = skipSpace(src, i)
		if i >= len(src) {
			t.err = "unclosed shortcode " + t.name
			t.end = lineEnd(src, at)
			return t
		}
		if bytes.HasPrefix(src[i:], []byte(closeDelim)) {
			t.end = i + len(closeDelim)
			return t
		}
		if src[i] == '/' && bytes.HasPrefix(src[i+1:], []byte(closeDelim)) {
			t.selfClose = true
			t.end = i + 1 + len(closeDelim)
			return t
		}
		if t.closing {
			t.err = "unexpected text in closing shortcode " + t.name
			t.end = lineEnd(src, at)
			return t
		}
		if bytes.HasPrefix(src[i:], []byte("{{")) {
			t.err = "unclosed shortcode " + t.name
			t.end = lineEnd(src, at)
			return t
		}
		// An argument: name=value or a value.
		key := ""
		k := i
		for k < len(src) && isNameByte(src[k]) && src[k] != '/' {
			k++
		}
		if k > i && k < len(src) && src[k] == '=' {
			key = string(src[i:k])
			i = k + 1
		}
		isQuoted := i < len(src) && (src[i] == '"' || src[i] == '`')
		v, next, ok := readValue(src, i, closeDelim)
		if !ok {
			t.err = "unterminated string in shortcode " + t.name
			t.end = lineEnd(src, at)
			return t
		}
		i = next
		if key == "" {
			if isQuoted {
				t.setQuoted(len(t.positional))
			}
			t.positional = append(t.positional, v)
		} else {
			if _, seen := t.named[key]; !seen {
				t.order = append(t.order, key)
			}
			t.named[key] = v
			if isQuoted {
				t.setQuoted(key)
			}
		}
	}
}

// readValue reads a quoted ("…" with backslash escapes, or `…` raw) or bare
// value at src[i:].
func readValue(src []byte, i int, closeDelim string) (string, int, bool) {
	if i >= len(src) {
		return "", i, false
	}
	switch src[i] {
	case '"':
		var b strings.Builder
		for k := i + 1; k < len(src); k++ {
			switch c := src[k]; c {
			case '\\':
				if k+1 < len(src) && (src[k+1] == '"' || src[k+1] == '\\') {
					b.WriteByte(src[k+1])
					k++
					continue
				}
				b.WriteByte(c)
			case '"':
				return b.String(), k + 1, true
			default:
				b.WriteByte(c)
			}
		}
		return "", i, false
	case '`':
		end := bytes.IndexByte(src[i+1:], '`')
		if end < 0 {
			return "", i, false
		}
		return string(src[i+1 : i+1+end]), i + 2 + end, true
	}
	k := i
	for k < len(src) && !isSpace(src[k]) && !bytes.HasPrefix(src[k:], []byte(closeDelim)) &&
		!(src[k] == '/' && bytes.HasPrefix(src[k+1:], []byte(closeDelim))) {
		k++
	}
	return string(src[i:k]), k, true
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c == '/' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(src []byte, i int) int {
	for i < len(src) && isSpace(src[i]) {
		i++
	}
	return i
}

// A node is a shortcode use with its children, or a run of text.
type node struct {
	tag      *tag    // nil for text
	text     [2]int  // the text's offsets, when tag is nil
	children []*node // between the opening and closing tags
	paired   bool
	end      int // offset just past the closing tag, or the tag
}

// buildTree nests the tags of src: an opening tag with a matching closing
// tag further on holds what lies between. Stray closing tags and tags that
// could not be read become warnings through warn. Shortcodes nested more
// than MaxNesting deep are not paired: the deeper ones' tags stand alone,
// with a warning at the first.
func buildTree(src []byte, tags []tag, warn func(t *tag, format string, args ...any)) []*node {
	partner := pairTags(tags)
	warnedDepth := false
	var build func(from, to int, textFrom, textTo int, depth int) []*node
	build = func(from, to int, textFrom, textTo int, depth int) []*node {
		var out []*node
		pos := textFrom
		text := func(end int) {
			if end > pos {
				out = append(out, &node{text: [2]int{pos, end}})
			}
		}
		for i := from; i < to; i++ {
			t := &tags[i]
			switch {
			case t.err != "":
				warn(t, "%s", t.err)
				text(t.start)
				out = append(out, &node{tag: t, end: t.end})
				pos = t.end
				continue
			case t.closing:
				warn(t, "closing shortcode {{< /%s >}} without an opening one; left out", t.name)
				text(t.start)
				pos = t.end
				continue
			}
			text(t.start)
			n := &node{tag: t, end: t.end}
			if c := partner[i]; c >= 0 && c < to {
				if depth >= MaxNesting {
					if !warnedDepth {
						warn(t, "shortcodes nested more than %d deep; the deeper ones are not paired with their closing tags", MaxNesting)
						warnedDepth = true
					}
				} else {
					n.paired = true
					n.children = build(i+1, c, t.end, tags[c].start, depth+1)
					n.end = tags[c].end
					i = c
				}
			}
			out = append(out, n)
			pos = n.end
		}
		text(textTo)
		return out
	}
	return build(0, len(tags), 0, len(src), 0)
}

// MaxNesting is how deeply paired shortcodes may nest.
const MaxNesting = 100

// pairTags returns, for each opening tag, the index of the closing tag of
// the same name that pairs with it, or -1: as in bracket matching, a
// closing tag pairs with the nearest opening tag of its name not yet
// paired. Tags that could not be read, comments and self-closing tags
// pair with nothing. It takes time linear in the number of tags.
func pairTags(tags []tag) []int {
	partner := make([]int, len(tags))
	open := map[string][]int{} // by name, the opening tags not yet paired
	for i := range tags {
		partner[i] = -1
		t := &tags[i]
		if t.err != "" || t.comment {
			continue
		}
		switch {
		case t.closing:
			if s := open[t.name]; len(s) > 0 {
				partner[s[len(s)-1]] = i
				open[t.name] = s[:len(s)-1]
			}
		case !t.selfClose:
			open[t.name] = append(open[t.name], i)
		}
	}
	return partner
}

// lineEnd is the offset of the end of the line holding src[at], where a
// tag that cannot be read is taken to end.
func lineEnd(src []byte, at int) int {
	if i := bytes.IndexByte(src[at:], '\n'); i >= 0 {
		return at + i
	}
	return len(src)
}

func (t *tag) setQuoted(key any) {
	if t.quoted == nil {
		t.quoted = map[any]bool{}
	}
	t.quoted[key] = true
}
