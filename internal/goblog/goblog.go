package goblog

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"regexp"
	"sort"
	"strconv"
	"strings"
	texttemplate "text/template"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
)

// Applies reports whether a page's body is a Go template: its front
// matter says template: true.
func Applies(pg *content.Page) bool {
	if pg == nil {
		return false
	}
	switch v := pg.Params["template"].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(strings.TrimSpace(v), "true")
	}
	return false
}

// Expand runs the body of a page with template: true as a Go template,
// as the Go blog does. Other pages are left as they are.
func Expand(doc *expand.Doc, env expand.Env) {
	pg := env.Page()
	if !Applies(pg) || !bytes.Contains(doc.Src, []byte("{{")) {
		return
	}
	r := &runner{doc: doc, env: env, page: pg, src: doc.Src}
	out := r.run()
	doc.Src = separateBlocks(out, r.blocks, doc)
}

// runner executes one page's body.
type runner struct {
	doc  *expand.Doc
	env  expand.Env
	page *content.Page
	src  []byte
	// text is set once html/template has refused the body's HTML contexts.
	text bool
	// Per attempt: warnings of the functions, block placeholders, and how
	// many calls of each construct have run (to find their lines).
	warnings []expand.Warning
	blocks   map[string]string
	seen     map[string]int
}

// run executes the template; each action that fails is left out with a
// warning and the rest executes again. When the template cannot run at
// all, its actions are left out (a raw string literal kept as written).
func (r *runner) run() []byte {
	base := len(r.doc.HTML)
	var repairs []expand.Warning
	repair := func(line int, format string, args ...any) {
		repairs = append(repairs, expand.Warning{Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	defer func() {
		all := append(repairs, r.warnings...)
		sort.SliceStable(all, func(i, j int) bool { return all[i].Line < all[j].Line })
		r.doc.Warnings = append(r.doc.Warnings, all...)
	}()
	for attempt := 0; ; attempt++ {
		r.doc.HTML = r.doc.HTML[:base]
		r.warnings, r.blocks, r.seen = nil, map[string]string{}, map[string]int{}
		out, err := r.execute()
		if err == nil {
			return out
		}
		r.doc.HTML, r.warnings, r.blocks = r.doc.HTML[:base], nil, nil
		var escErr *htmltemplate.Error
		if !r.text && errors.As(err, &escErr) && escErr.ErrorCode != htmltemplate.OK {
			line := escErr.Line
			if line == 0 {
				line = firstLine(r.src)
			}
			desc, _, _ := strings.Cut(escErr.Description, ": {")
			repair(line, "Go template: HTML escaping impossible (%s); run without it", desc)
			r.text = true
			continue
		}
		acts := scanActions(r.src)
		if errors.Is(err, expand.ErrOutputLimit) {
			repair(firstLine(r.src), "Go template not run: %v; its {{…}} actions are left out", err)
			return stripActions(r.src, acts)
		}
		i, line, msg := failure(err, r.src, acts)
		if i < 0 || attempt > len(acts)+1 {
			repair(line, "Go template not run: %s; its {{…}} actions are left out", msg)
			return stripActions(r.src, acts)
		}
		repair(line, "Go template: %s left out: %s", snippet(r.src[acts[i].start:acts[i].end]), msg)
		r.src = removeAction(r.src, withBody(r.src, acts, i))
	}
}

// execute parses and runs the body once.
func (r *runner) execute() ([]byte, error) {
	buf := expand.LimitedBuffer{Limit: expand.OutputLimit(len(r.src))}
	data := r.dot()
	if r.text {
		t, err := texttemplate.New("body").Funcs(r.funcs()).Parse(string(r.src))
		if err != nil {
			return nil, err
		}
		err = t.Execute(&buf, data)
		return buf.Bytes(), err
	}
	t, err := htmltemplate.New("body").Funcs(r.funcs()).Parse(string(r.src))
	if err != nil {
		return nil, err
	}
	err = t.Execute(&buf, data)
	return buf.Bytes(), err
}

// dot is the template's dot: the front matter keys, as go.dev's Page,
// with URL, File and the date as a time.
func (r *runner) dot() map[string]any {
	pg := r.page
	d := make(map[string]any, len(pg.Params)+4)
	for k, v := range pg.Params {
		d[k] = v
	}
	d["URL"] = pg.URL
	d["File"] = pg.Path
	if _, ok := d["title"]; !ok {
		d["title"] = pg.Title
	}
	if !pg.Date.IsZero() {
		d["date"] = pg.Date
	}
	return d
}

// warn records a warning of this attempt.
func (r *runner) warn(line int, format string, args ...any) {
	r.warnings = append(r.warnings, expand.Warning{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// action is one {{…}} of a body: src[start:end].
type action struct{ start, end int }

// scanActions finds the actions of a template as text/template's lexer
// does: strings, raw strings, characters and comments may hold "}}". An
// action left open runs to the end.
func scanActions(src []byte) []action {
	var out []action
	for i := 0; i < len(src); {
		j := bytes.Index(src[i:], []byte("{{"))
		if j < 0 {
			break
		}
		start := i + j
		k := start + 2
		if k+1 < len(src) && src[k] == '-' && isSpace(src[k+1]) {
			k += 2
		}
		end := len(src)
		if bytes.HasPrefix(src[k:], []byte("/*")) {
			if e := bytes.Index(src[k+2:], []byte("*/")); e >= 0 {
				k += 2 + e + 2
			} else {
				k = len(src)
			}
		}
	scan:
		for k < len(src) {
			switch c := src[k]; c {
			case '"', '\'':
				k++
				for k < len(src) && src[k] != c && src[k] != '\n' {
					if src[k] == '\\' {
						k++
					}
					k++
				}
				k++
			case '`':
				if e := bytes.IndexByte(src[k+1:], '`'); e >= 0 {
					k += 1 + e + 1
				} else {
					k = len(src)
				}
			case '}':
				if k+1 < len(src) && src[k+1] == '}' {
					end = k + 2
					break scan
				}
				k++
			default:
				k++
			}
		}
		out = append(out, action{start, end})
		i = end
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// errLocation reads "template: body:LINE[:COL]: message".
var errLocation = regexp.MustCompile(`^template: body:(\d+)(?::(\d+))?: (?s:(.*))$`)

// execPrefix is what text/template puts before the message of a failed
// action: `executing "body" at <…>: `.
var execPrefix = regexp.MustCompile(`^executing "[^"]*" at <.*?>: (?:error calling \w+: )?`)

// undefinedFunc is the parse error of an unknown function.
var undefinedFunc = regexp.MustCompile(`function "([^"]+)" not defined`)

// failure finds the action an error of the template comes from: its
// index in acts (-1 when none can be blamed), the line, and the message.
func failure(err error, src []byte, acts []action) (int, int, string) {
	m := errLocation.FindStringSubmatch(err.Error())
	if m == nil {
		return -1, 1, err.Error()
	}
	line, _ := strconv.Atoi(m[1])
	msg := execPrefix.ReplaceAllString(m[3], "")
	lineStart := offsetOfLine(src, line)
	if m[2] != "" { // executing: the column is within the failed action
		col, _ := strconv.Atoi(m[2])
		at := lineStart + col
		for i, a := range acts {
			if a.start <= at && at < a.end {
				return i, line, msg
			}
		}
		return -1, line, msg
	}
	// parsing: an action on that line, the one naming an unknown function first
	lineEnd := len(src)
	if e := bytes.IndexByte(src[lineStart:], '\n'); e >= 0 {
		lineEnd = lineStart + e
	}
	var onLine []int
	for i, a := range acts {
		if a.start <= lineEnd && a.end > lineStart {
			onLine = append(onLine, i)
		}
	}
	if f := undefinedFunc.FindStringSubmatch(msg); f != nil {
		name := regexp.MustCompile(`(^|[^\w.$])` + regexp.QuoteMeta(f[1]) + `\b`)
		for _, i := range onLine {
			if name.Match(src[acts[i].start:acts[i].end]) {
				return i, line, msg
			}
		}
	}
	if len(onLine) > 0 {
		return onLine[0], line, msg
	}
	return -1, line, msg
}

// offsetOfLine is the offset of the first byte of a 1-based line.
func offsetOfLine(src []byte, line int) int {
	off := 0
	for n := 1; n < line; n++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	return off
}

// firstLine is the line of the first text of a body.
func firstLine(src []byte) int {
	return lineOf(src, len(src)-len(bytes.TrimLeft(src, " \t\r\n")))
}

// lineOf is the 1-based line of an offset.
func lineOf(src []byte, off int) int { return 1 + bytes.Count(src[:off], []byte("\n")) }

// keyword is the first word of an action.
var keyword = regexp.MustCompile(`^\{\{-?\s*(\w+)`)

// withBody extends an action that opens a block (range, if, with, block,
// define) to its {{end}}, so that what is left out is the whole construct.
func withBody(src []byte, acts []action, i int) action {
	open := func(a action) string {
		if m := keyword.FindSubmatch(src[a.start:a.end]); m != nil {
			return string(m[1])
		}
		return ""
	}
	switch open(acts[i]) {
	case "range", "if", "with", "block", "define":
	default:
		return acts[i]
	}
	depth := 0
	for _, a := range acts[i+1:] {
		switch open(a) {
		case "range", "if", "with", "block", "define":
			depth++
		case "end":
			if depth == 0 {
				return action{acts[i].start, a.end}
			}
			depth--
		}
	}
	return acts[i]
}

// removeAction replaces an action with its newlines, so that the lines
// after it keep their numbers.
func removeAction(src []byte, a action) []byte {
	nl := bytes.Count(src[a.start:a.end], []byte("\n"))
	out := make([]byte, 0, len(src))
	out = append(out, src[:a.start]...)
	out = append(out, bytes.Repeat([]byte("\n"), nl)...)
	return append(out, src[a.end:]...)
}

// rawLiteral matches {{raw "…"}} or {{raw `…`}}.
var rawLiteral = regexp.MustCompile("^\\{\\{-?\\s*raw\\s+(\"(?:[^\"\\\\\\n]|\\\\.)*\"|`[^`]*`)\\s*-?\\}\\}$")

// stripActions leaves out every action of a template that cannot run;
// {{raw}} of a literal keeps the literal's text, which is the body's own
// Markdown.
func stripActions(src []byte, acts []action) []byte {
	var out bytes.Buffer
	last := 0
	for _, a := range acts {
		out.Write(src[last:a.start])
		text := src[a.start:a.end]
		if m := rawLiteral.FindSubmatch(text); m != nil {
			if s, err := strconv.Unquote(string(m[1])); err == nil {
				out.WriteString(s)
				last = a.end
				continue
			}
		}
		out.Write(bytes.Repeat([]byte("\n"), bytes.Count(text, []byte("\n"))))
		last = a.end
	}
	out.Write(src[last:])
	return out.Bytes()
}

// snippet shows an action in a message: on one line, at most 80 bytes.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 80 {
		cut := 77
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func utf8Start(c byte) bool { return c&0xC0 != 0x80 }

// separateBlocks makes each run of lines holding only block placeholders
// (listings, images, videos) one paragraph of its own, as go.dev's HTML
// output is a block of its own: consecutive lines become one placeholder
// (the lines after it left empty), and a blank line is added where text
// touches it.
func separateBlocks(src []byte, blocks map[string]string, doc *expand.Doc) []byte {
	if len(blocks) == 0 {
		return src
	}
	lines := strings.Split(string(src), "\n")
	isBlock := func(i int) bool {
		s := strings.TrimSpace(lines[i])
		_, ok := blocks[s]
		return ok
	}
	var out []string
	for i := 0; i < len(lines); i++ {
		if !isBlock(i) {
			out = append(out, lines[i])
			continue
		}
		j := i + 1
		for j < len(lines) && isBlock(j) {
			j++
		}
		if len(out) > 0 && strings.TrimSpace(out[len(out)-1]) != "" {
			out = append(out, "")
		}
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]
		token := strings.TrimSpace(lines[i])
		if j > i+1 {
			var html strings.Builder
			for k := i; k < j; k++ {
				html.WriteString(blocks[strings.TrimSpace(lines[k])])
			}
			token = doc.Placeholder(html.String())
		}
		out = append(out, indent+token)
		for k := i + 1; k < j; k++ {
			out = append(out, "")
		}
		if j < len(lines) && strings.TrimSpace(lines[j]) != "" && j == i+1 {
			out = append(out, "")
		}
		i = j - 1
	}
	return []byte(strings.Join(out, "\n"))
}
