package liquid

import (
	"regexp"
	"strings"

	"github.com/siteblog/site/internal/expand"
)

// kramdown, Jekyll's Markdown, reads Markdown inside an HTML element that
// says markdown="1" (or "block" or "span"); goldmark shows it as it is.
var (
	// mdOpen is an HTML start tag at the start of a line holding a
	// markdown attribute: the indentation, the tag name, the attributes
	// before and after the markdown attribute, and its value.
	mdOpen = regexp.MustCompile(`^( {0,3})<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s>]+)*?)\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))((?:\s+[^\s>]+)*)\s*>`)
)

// kramdownSpan are the elements whose markdown="1" content kramdown reads
// as a span (text of one paragraph), not as blocks.
var kramdownSpan = map[string]bool{
	"a": true, "abbr": true, "b": true, "button": true, "caption": true, "cite": true, "del": true,
	"dt": true, "em": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"i": true, "ins": true, "label": true, "legend": true, "p": true, "q": true, "small": true,
	"span": true, "strong": true, "sub": true, "sup": true, "th": true,
}

// markdownInHTML renders the Markdown inside each HTML element whose start
// tag begins a line and says markdown="1", "block" or "span", as kramdown
// does, leaving the element (without the attribute) as a placeholder
// alone in its paragraph on the line of its end tag (or of its start
// tag, when text follows the end tag's line), the element's other lines
// blank, so later lines keep their numbers. markdown="0" only loses the attribute. An element
// whose end tag is missing, or followed by text on its line, is left as
// it is, with a warning.
func markdownInHTML(doc *expand.Doc, env expand.Env) {
	src := string(doc.Src)
	if !strings.Contains(src, "markdown") {
		return
	}
	lines := strings.SplitAfter(src, "\n")
	for i := 0; i < len(lines); i++ {
		m := mdOpen.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		tag, attrs, mode := strings.ToLower(m[2]), m[3]+m[7], m[4]+m[5]+m[6]
		start := "<" + m[2] + attrs + ">"
		if mode == "0" {
			lines[i] = m[1] + start + lines[i][len(m[0]):]
			continue
		}
		if mode != "1" && mode != "block" && mode != "span" {
			continue
		}
		j, inner, rest, ok := endTag(lines, i, len(m[0]), tag)
		if !ok {
			doc.Warn(i+1, "<%s markdown=%q>: no </%s> followed by nothing but HTML on its line; its Markdown is shown as it is", m[2], mode, m[2])
			continue
		}
		span := mode == "span" || (mode == "1" && kramdownSpan[tag])
		body := strings.TrimSpace(env.Markdown(strings.Trim(inner, "\n"), span))
		ph := doc.Placeholder(start + "\n" + body + "\n</" + m[2] + ">" + rest)
		if span {
			ph = doc.Placeholder(start + body + "</" + m[2] + ">" + rest)
		}
		// The placeholder must stand alone in its paragraph: on the end
		// tag's line, after the blank ones, unless text follows that line
		// and a blank line precedes the start tag.
		at := j
		blank := func(k int) bool { return k < 0 || k >= len(lines) || strings.TrimSpace(lines[k]) == "" }
		if i < j && !blank(j+1) && blank(i-1) {
			at = i
		}
		for k := i; k <= j; k++ {
			lines[k] = "\n"
		}
		lines[at] = m[1] + ph + "\n"
		i = j
	}
	doc.Src = []byte(strings.Join(lines, ""))
}

// endTag finds the end tag of the element tag whose start tag ends at
// column from of line i, counting nested elements of the same name. It
// returns the line of the end tag, the text between the tags and what
// follows the end tag on its line; ok is false when there is none, or
// text other than HTML tags follows it on its line.
func endTag(lines []string, i, from int, tag string) (j int, inner, rest string, ok bool) {
	re := regexp.MustCompile(`(?i)<(/?)` + regexp.QuoteMeta(tag) + `(?:\s[^>]*)?>`)
	var b strings.Builder
	depth := 1
	for j = i; j < len(lines); j++ {
		line, off := lines[j], 0
		if j == i {
			off = from
		}
		for _, loc := range re.FindAllStringSubmatchIndex(line[off:], -1) {
			if loc[3] > loc[2] { // an end tag
				depth--
			} else if !strings.HasSuffix(line[off+loc[0]:off+loc[1]], "/>") {
				depth++
			}
			if depth == 0 {
				b.WriteString(line[off : off+loc[0]])
				rest = strings.TrimSpace(line[off+loc[1]:])
				return j, b.String(), rest, rest == "" || strings.HasPrefix(rest, "<")
			}
		}
		b.WriteString(line[off:])
	}
	return 0, "", "", false
}
