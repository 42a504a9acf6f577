package render

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/siteblog/site/internal/fastlex"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Listings renders code listings with chroma, marking tokens with CSS
// classes (never inline styles) so one stylesheet serves light and dark.
type Listings struct {
	// LineNumbers shows line numbers unless a listing says linenos=false.
	LineNumbers bool
	// Label names a listing for screen readers, before its title or
	// language; TableLabel names a table's scroll box; AnchorLabel a
	// heading's anchor link; TaskLabel a task list item's checkbox when
	// the item has no text. Defaults "Code listing", "Table", "Link to
	// this section" and "Task": a site's are in its language (messages
	// code_listing, table, heading_anchor and task).
	Label, TableLabel, AnchorLabel, TaskLabel string
	// Feed writes listings as feeds carry them (writeFeedListing), not
	// as the site's pages show them.
	Feed bool
}

func (l *Listings) label() string {
	if l == nil || l.Label == "" {
		return "Code listing"
	}
	return l.Label
}

func (l *Listings) tableLabel() string {
	if l == nil || l.TableLabel == "" {
		return "Table"
	}
	return l.TableLabel
}

func (l *Listings) anchorLabel() string {
	if l == nil || l.AnchorLabel == "" {
		return "Link to this section"
	}
	return l.AnchorLabel
}

func (l *Listings) taskLabel() string {
	if l == nil || l.TaskLabel == "" {
		return "Task"
	}
	return l.TaskLabel
}

// Info is what a fenced code block's info string asks for:
// ```go {hl_lines=[2,"4-6"], linenostart=10, linenos=false, title="main.go"}
type Info struct {
	// Language is the first word, "" for none.
	Language string
	// Highlight lists the lines to highlight, counted from 1 at the
	// listing's first line whatever linenostart says.
	Highlight [][2]int
	// LineNoStart is the number shown beside the first line. Default 1.
	LineNoStart int
	// LineNumbers overrides the site's line number setting when not nil.
	LineNumbers *bool
	// Title is a caption such as a file name.
	Title string
}

// ParseInfo reads a fenced code block's info string.
func ParseInfo(info []byte) Info {
	in := Info{LineNoStart: 1}
	info = bytes.TrimSpace(info)
	if i := bytes.IndexByte(info, '{'); i >= 0 {
		attrs, ok := parser.ParseAttributes(text.NewReader(info[i:]))
		if ok {
			in.applyAttributes(attrs)
		}
		info = info[:i]
	}
	// Control characters separate words as white space does, so none
	// reaches the listing's attributes.
	if f := bytes.FieldsFunc(info, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); len(f) > 0 {
		in.Language = strings.ToLower(string(f[0]))
	}
	return in
}

func (in *Info) applyAttributes(attrs parser.Attributes) {
	for _, a := range attrs {
		switch string(a.Name) {
		case "hl_lines":
			values, ok := a.Value.([]any)
			if !ok {
				values = []any{a.Value}
			}
			for _, v := range values {
				if r, ok := lineRange(v); ok {
					in.Highlight = append(in.Highlight, r)
				}
			}
		case "linenostart":
			if n, ok := attrInt(a.Value); ok && n >= 0 {
				in.LineNoStart = n
			}
		case "linenos":
			var on bool
			switch v := a.Value.(type) {
			case bool:
				on = v
			case []byte:
				on = string(v) != "false"
			}
			in.LineNumbers = &on
		case "title":
			if v, ok := a.Value.([]byte); ok {
				in.Title = strings.Map(func(r rune) rune {
					if unicode.IsControl(r) {
						return -1
					}
					return r
				}, string(v))
			}
		}
	}
}

// lineRange reads 4 or "4-6".
func lineRange(v any) ([2]int, bool) {
	if n, ok := attrInt(v); ok {
		return [2]int{n, n}, true
	}
	s, ok := v.([]byte)
	if !ok {
		return [2]int{}, false
	}
	lo, hi, found := strings.Cut(string(s), "-")
	if !found {
		hi = lo
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	b, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil || a > b {
		return [2]int{}, false
	}
	return [2]int{a, b}, true
}

func attrInt(v any) (int, bool) {
	switch v := v.(type) {
	case int64:
		return int(v), true
	case float64:
		return int(v), v == float64(int(v))
	case []byte:
		n, err := strconv.Atoi(string(v))
		return n, err == nil
	}
	return 0, false
}

func (in *Info) highlighted(line int) bool {
	for _, r := range in.Highlight {
		if line >= r[0] && line <= r[1] {
			return true
		}
	}
	return false
}

// lexerAliases name, for languages that other engines' highlighters
// (Rouge for Jekyll, Pygments for Pelican) know and chroma does not, the
// chroma lexer of the closest language. The listing keeps its own name.
var lexerAliases = map[string]string{
	"liquid":        "django", // the same {{ }} and {% %} tags
	"irb":           "ruby",
	"pycon":         "python",
	"terminal":      "console",
	"shell_session": "console",
	"psql":          "postgresql",
	"gohtml":        "go-html-template",
	"f#":            "fsharp",
	"mustache":      "handlebars",
	"cpp-objdump":   "cpp", // Pygments' disassembly lexers, used for plain source
	"c-objdump":     "c",
	"d-objdump":     "d",
}

// Write renders one listing. number, from 1, names the listing's anchors
// (code-<number>-L<line>); 0 renders it without anchors. In the feed form
// (Listings.Feed) number is not used.
func (l *Listings) Write(w util.BufWriter, code string, info Info, number int) {
	lines, known, _ := tokenLines(code, info.Language, nil)
	l.writeLines(w, lines, known, info, number)
}

// writeLines is Write for a listing lexed already (tokenLines).
func (l *Listings) writeLines(w util.BufWriter, lines [][]chroma.Token, known bool, info Info, number int) {
	if l.Feed {
		writeFeedListing(w, lines, info)
		return
	}
	numbers := l.LineNumbers
	if info.LineNumbers != nil {
		numbers = *info.LineNumbers
	}
	id := ""
	if number > 0 {
		id = "code-" + strconv.Itoa(number)
	}

	w.WriteString(`<figure class="listing"`)
	if id != "" {
		w.WriteString(` id="` + id + `"`)
	}
	w.WriteString(">\n")
	if info.Title != "" || known {
		caption := info.Title
		if caption == "" {
			caption = info.Language
		}
		w.WriteString(`<figcaption class="listing-lang">` + html.EscapeString(caption) + "</figcaption>\n")
	}
	// The listing scrolls sideways inside itself: it takes the focus, so
	// a reader without a mouse can scroll it, and is a named group (not a
	// region: a page of many listings would have as many landmarks).
	label := l.label()
	if info.Title != "" {
		label += ", " + info.Title
	} else if info.Language != "" {
		label += ", " + info.Language
	}
	w.WriteString(`<pre class="chroma" tabindex="0" role="group" aria-label="` + html.EscapeString(label) + `"`)
	if numbers && len(lines) > 0 {
		// The gutter is as wide as the widest line number.
		w.WriteString(` data-digits="` + strconv.Itoa(len(strconv.Itoa(info.LineNoStart+len(lines)-1))) + `"`)
	}
	w.WriteString(`><code`)
	if info.Language != "" {
		lang := html.EscapeString(info.Language)
		w.WriteString(` class="language-` + lang + `" data-lang="` + lang + `"`)
	}
	w.WriteString(">")
	// A listing has many lines: each is written in pieces, with no
	// strings made for it.
	var digits [20]byte
	for i, tokens := range lines {
		n := strconv.AppendInt(digits[:0], int64(info.LineNoStart+i), 10)
		w.WriteString(`<span class="line`)
		if info.highlighted(i + 1) {
			w.WriteString(" hl")
		}
		w.WriteString(`"`)
		anchor := func() { // code-1-L5
			w.WriteString(id)
			w.WriteString("-L")
			w.Write(n)
		}
		if id != "" {
			w.WriteString(` id="`)
			anchor()
			w.WriteString(`"`)
		}
		w.WriteString(">")
		if numbers {
			w.WriteString(`<a class="ln"`)
			if id != "" {
				w.WriteString(` href="#`)
				anchor()
				w.WriteString(`"`)
			}
			w.WriteString(` data-n="`)
			w.Write(n)
			w.WriteString(`" aria-hidden="true" tabindex="-1"></a>`)
		}
		w.WriteString(`<span class="cl">`)
		writeTokens(w, tokens)
		w.WriteString("</span></span>")
	}
	w.WriteString("</code></pre>\n</figure>\n")
}

// rulesWriting is held while a listing is lexed by a lexer whose
// mutators write its rules (fastlex.WritesRules).
var rulesWriting sync.Mutex

// tokenLines splits a listing into lines of chroma tokens, lexed as
// language; known is false when chroma has no lexer for it, and the
// lines are then plain text. The tokens of a known language are put in
// flat, an array to use again (nil for none), returned as array: flat,
// or a larger one if it was too small, holding them.
func tokenLines(code, language string, flat []chroma.Token) (lines [][]chroma.Token, known bool, array []chroma.Token) {
	var lexer chroma.Lexer
	if language != "" {
		name := language
		if alias, ok := lexerAliases[strings.ToLower(name)]; ok {
			name = alias
		}
		lexer = fastlex.Get(name)
	}
	if lexer != nil {
		if fastlex.WritesRules(lexer) {
			// Its rules change as it lexes: one listing at a time, its
			// tokens all read (splitLines) before the next.
			rulesWriting.Lock()
			defer rulesWriting.Unlock()
		}
		if it, err := chroma.Coalesce(lexer).Tokenise(nil, code); err == nil {
			lines, flat = splitLines(it, len(code), flat)
			return lines, true, flat
		}
	}
	for _, line := range strings.SplitAfter(code, "\n") { // unknown language: plain, escaped text
		if line != "" {
			lines = append(lines, []chroma.Token{{Type: chroma.Text, Value: line}})
		}
	}
	return lines, false, flat
}

// splitLines is chroma.SplitTokensIntoLines(it.Tokens()) for the tokens
// of a listing of n bytes: a token is cut after each newline, and a line
// ends after it. The lines share one array, where chroma's grow a slice
// per token and per line: flat's, emptied, when it is large enough for
// the listing, else one sized from it. That array is returned with the
// lines, holding their tokens.
func splitLines(it chroma.Iterator, n int, flat []chroma.Token) ([][]chroma.Token, []chroma.Token) {
	// A token is three to four bytes of a listing.
	if want := min(n/3, 2048) + 1; cap(flat) < want {
		flat = make([]chroma.Token, 0, want)
	}
	flat = flat[:0]
	var ends []int // where each line ends in flat
	for t := it(); t != chroma.EOF; t = it() {
		for {
			i := strings.IndexByte(t.Value, '\n')
			if i < 0 {
				flat = append(flat, t)
				break
			}
			head := t
			head.Value = t.Value[:i+1]
			flat = append(flat, head)
			ends = append(ends, len(flat))
			if t.Value = t.Value[i+1:]; t.Value == "" {
				break
			}
		}
	}
	last := 0 // where the lines that end in a newline end
	if len(ends) > 0 {
		last = ends[len(ends)-1]
	}
	if last < len(flat) {
		ends = append(ends, len(flat)) // a last line without one
	}
	lines := make([][]chroma.Token, 0, len(ends))
	start := 0
	for _, end := range ends {
		lines = append(lines, flat[start:end:end])
		start = end
	}
	if k := len(lines) - 1; k >= 0 && len(lines[k]) == 1 && lines[k][0].Value == "" {
		lines = lines[:k] // chroma's: an empty last line is not a line
	}
	return lines, flat
}

// writeTokens writes tokens as escaped text, each in a span of its class.
func writeTokens(w util.BufWriter, tokens []chroma.Token) {
	for _, t := range tokens {
		if t.Value == "" {
			continue
		}
		class := tokenClass(t.Type)
		if class != "" {
			w.WriteString(`<span class="`)
			w.WriteString(class)
			w.WriteString(`">`)
		}
		writeEscaped(w, t.Value)
		if class != "" {
			w.WriteString("</span>")
		}
	}
}

// writeEscaped writes s escaped as html.EscapeString escapes it, without
// making the escaped string.
func writeEscaped(w util.BufWriter, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var escaped string
		switch s[i] {
		case '&':
			escaped = "&amp;"
		case '\'':
			escaped = "&#39;"
		case '<':
			escaped = "&lt;"
		case '>':
			escaped = "&gt;"
		case '"':
			escaped = "&#34;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(escaped)
		last = i + 1
	}
	w.WriteString(s[last:])
}

// writeFeedListing writes a listing as feeds carry it: the same token
// spans in a plain <pre><code class="language-x">, with none of what
// serves only the site's own stylesheet and script (line numbers, line
// wrappers and anchors, the figure and its language caption, tabindex).
// Highlighted lines are marked with <mark>, which a feed reader shows
// without a stylesheet; a title given in the info string stays, as the
// caption of a plain <figure>.
func writeFeedListing(w util.BufWriter, lines [][]chroma.Token, info Info) {
	if info.Title != "" {
		w.WriteString("<figure><figcaption>" + html.EscapeString(info.Title) + "</figcaption>")
	}
	w.WriteString("<pre><code")
	if info.Language != "" {
		w.WriteString(` class="language-` + html.EscapeString(info.Language) + `"`)
	}
	w.WriteString(">")
	for i, tokens := range lines {
		if !info.highlighted(i + 1) {
			writeTokens(w, tokens)
			continue
		}
		// The line's end stays outside the mark, so the mark ends with
		// the line's text.
		var end string
		if last := len(tokens) - 1; last >= 0 {
			if v := tokens[last].Value; strings.HasSuffix(v, "\n") {
				tokens = append(tokens[:last:last], chroma.Token{Type: tokens[last].Type, Value: strings.TrimSuffix(v, "\n")})
				end = "\n"
			}
		}
		if lineText(tokens) == "" { // an empty line has nothing to mark
			w.WriteString(end)
			continue
		}
		w.WriteString("<mark>")
		writeTokens(w, tokens)
		w.WriteString("</mark>" + end)
	}
	w.WriteString("</code></pre>")
	if info.Title != "" {
		w.WriteString("</figure>")
	}
	w.WriteString("\n")
}

// lineText is the text of a line's tokens.
func lineText(tokens []chroma.Token) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString(t.Value)
	}
	return b.String()
}

// tokenClass is the CSS class chroma's stylesheets use for a token type:
// the type's own, else its nearest ancestor's. White space gets none: no
// style colours it, and a span for each run of it would bloat every page.
func tokenClass(t chroma.TokenType) string {
	if t == chroma.TextWhitespace {
		return ""
	}
	for ; t != 0; t = t.Parent() {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
	}
	return ""
}

// Stylesheet returns CSS for listings: the light style's rules inside a
// prefers-color-scheme: light media query (which also holds when the reader
// states no preference), the dark style's inside a dark one. Each style
// sees none of the other's rules, so a class that one style leaves unset
// never shows the other style's colour on the wrong background.
func Stylesheet(light, dark string) ([]byte, error) {
	var buf bytes.Buffer
	f := chromahtml.New(chromahtml.WithClasses(true))
	for _, scheme := range []struct{ media, style string }{{"light", light}, {"dark", dark}} {
		style, ok := styles.Registry[strings.ToLower(scheme.style)]
		if !ok {
			return nil, fmt.Errorf("highlight style %q is unknown; chroma's styles include github, github-dark, monokai, dracula, nord, solarized-light", scheme.style)
		}
		buf.WriteString("@media (prefers-color-scheme: " + scheme.media + ") {\n")
		if err := f.WriteCSS(&buf, style); err != nil {
			return nil, err
		}
		// The theme paints a listing's scroll shadows' covers in it.
		if bg := style.Get(chroma.Background).Background; bg.IsSet() {
			buf.WriteString("/* ListingBackground */ .chroma { --listing-bg: " + bg.String() + "; }\n")
		}
		buf.WriteString("}\n")
	}
	return buf.Bytes(), nil
}
