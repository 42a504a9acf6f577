package content

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	yamlast "github.com/goccy/go-yaml/ast"
	yamlparser "github.com/goccy/go-yaml/parser"
	"github.com/pelletier/go-toml/v2"
)

// A field is one front matter key as written in the file.
type field struct {
	key   string // lower case
	value any    // string, bool, int64, float64, time.Time, toml.Local*, []any or nil
	line  int    // of the file, 1-based
	// dropped holds the lines of earlier YAML keys spelled the same, whose
	// values this one replaces (Hugo and Jekyll keep the last).
	dropped []int
}

// splitFrontMatter separates the front matter at the top of src from the
// Markdown body. The body keeps its line numbers: the front matter is
// replaced by as many empty lines, so anything that reports a position in
// the body reports the line of the file.
func splitFrontMatter(path string, src []byte) (fields []field, body []byte, err error) {
	src = unindentDelimiter(bytes.TrimPrefix(src, bom))
	if fields, body, ok, err := afterBlankLines(path, src); ok {
		return fields, body, err
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	first := string(bytes.TrimRight(lines[0], " \t\r\n"))
	switch formOf(src) {
	case YAMLForm, TOMLForm:
		end := -1
		for i := 1; i < len(lines); i++ {
			l := string(bytes.TrimRight(lines[i], " \t\r\n"))
			if l == first || (first == "---" && l == "...") {
				end = i
				break
			}
		}
		if end < 0 {
			return nil, nil, errorf(path, 1, "front matter: no closing %s line", first)
		}
		doc := bytes.Join(lines[1:end], nil)
		if first == "---" {
			fields, err = parseYAML(path, doc)
		} else {
			fields, err = parseTOML(path, doc)
		}
		if err != nil {
			err = glued(err.(*Error), lines[1:end], first)
		}
		return fields, blankLines(src, lines[:end+1]), err
	case PelicanForm:
		fields, end := parsePelican(lines)
		return fields, blankLines(src, lines[:end]), nil
	case JSONForm:
		start, _ := jsonStart(src)
		return parseJSONFrontMatter(path, src, start)
	}
	return nil, src, nil
}

// glued adds to a front matter error the line, if any, that starts with
// the closing delimiter but has text after it ("---text"): Hugo ends the
// front matter there and reads the text as the body; here the front
// matter ends only at a line holding the delimiter alone.
func glued(err *Error, inner [][]byte, delim string) *Error {
	for _, l := range inner {
		t := bytes.TrimRight(l, " \t\r\n")
		if bytes.HasPrefix(t, []byte(delim)) && len(t) > len(delim) {
			return &Error{Path: err.Path, Line: err.Line, Err: fmt.Errorf("%w; the line %q starts with %s and goes on: put %s alone on its line to end the front matter there, as Hugo reads it", err.Err, cut(string(t), 20), delim, delim)}
		}
	}
	return err
}

// afterBlankLines reads YAML or TOML front matter that follows blank
// lines, as Hugo and Zola allow; ok is false when src does not start with
// a blank line followed by a --- or +++ line.
func afterBlankLines(path string, src []byte) (fields []field, body []byte, ok bool, err error) {
	skip, n := 0, 0
	for n < len(src) {
		end := bytes.IndexByte(src[n:], '\n')
		if end < 0 || len(bytes.TrimSpace(src[n:n+end])) > 0 {
			break
		}
		n += end + 1
		skip++
	}
	rest := src[n:]
	if skip == 0 || !(bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("+++"))) {
		return nil, nil, false, nil
	}
	fields, body, err = splitFrontMatter(path, rest)
	for i := range fields {
		fields[i].line += skip
	}
	var e *Error
	if errors.As(err, &e) && e.Line > 0 {
		e.Line += skip
	}
	return fields, append(bytes.Repeat([]byte("\n"), skip), body...), true, err
}

// bom is the UTF-8 byte order mark, which may start a file.
var bom = []byte("\xef\xbb\xbf")

// formOf tells the form of the front matter that starts src by its first
// line: "---", "+++" (after blank lines too), a JSON object's "{" (after
// blank space too), or a "Key: value" line with a key of pelicanKeys.
func formOf(src []byte) Form {
	src = unindentDelimiter(bytes.TrimPrefix(src, bom))
	if _, ok := jsonStart(src); ok {
		return JSONForm
	}
	first, _, _ := bytes.Cut(src, []byte("\n"))
	if len(bytes.TrimSpace(first)) == 0 {
		first, _, _ = bytes.Cut(bytes.TrimLeft(src, " \t\r\n"), []byte("\n"))
		if line := string(bytes.TrimRight(first, " \t\r")); line != "---" && line != "+++" {
			return NoFrontMatter
		}
	}
	switch line := string(bytes.TrimRight(first, " \t\r")); {
	case line == "---":
		return YAMLForm
	case line == "+++":
		return TOMLForm
	case pelicanKey(line) != "":
		return PelicanForm
	}
	return NoFrontMatter
}

// unindentDelimiter returns src without the spaces and tabs before its
// opening --- or +++ line (" +++"), which Zola allows. The line is
// emptied with the front matter, so positions in the body stay the same.
func unindentDelimiter(src []byte) []byte {
	rest := bytes.TrimLeft(src, " \t\r\n")
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	if d := string(bytes.TrimRight(line, " \t\r")); d != "---" && d != "+++" {
		return src
	}
	start := len(src) - len(rest)                           // the delimiter's first byte
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1 // its line's
	if lineStart == start {
		return src
	}
	return append(append(make([]byte, 0, len(src)), src[:lineStart]...), src[start:]...)
}

// blankLines returns src with its first len(head) lines emptied.
func blankLines(src []byte, head [][]byte) []byte {
	n := 0
	for _, l := range head {
		n += len(l)
	}
	return append(bytes.Repeat([]byte("\n"), len(head)), src[n:]...)
}

func parseYAML(path string, doc []byte) ([]field, error) {
	line := yamlLines(doc)
	f, err := yamlparser.ParseBytes(doc, 0, yamlparser.AllowDuplicateMapKey())
	if err != nil {
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.GetToken() != nil {
			return nil, errorf(path, line(se.GetToken().Position.Line), "front matter: %s", se.GetMessage())
		}
		return nil, errorf(path, 1, "front matter: %v", err)
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return []field{}, nil // empty front matter, which is front matter still
	}
	body := f.Docs[0].Body
	m, ok := body.(*yamlast.MappingNode)
	if !ok {
		if mv, single := body.(*yamlast.MappingValueNode); single { // a one-key document
			m = &yamlast.MappingNode{Values: []*yamlast.MappingValueNode{mv}}
		} else {
			return nil, errorf(path, line(body.GetToken().Position.Line), "front matter: want key: value lines, found %s", body.Type())
		}
	}
	var fields []field
	at := map[string]int{} // key as written → index in fields
	for _, kv := range m.Values {
		name := yamlScalar(kv.Key)
		f := field{
			key:   strings.ToLower(name),
			value: yamlValue(kv.Value),
			line:  line(kv.Key.GetToken().Position.Line),
		}
		// Hugo's and Jekyll's YAML readers keep a repeated key's last value.
		fields = keepLast(fields, at, name, f)
	}
	return fields, nil
}

// keepLast adds f, the key name as written, to fields; a key given
// before (at maps it to its index) is replaced, its line kept in dropped.
func keepLast(fields []field, at map[string]int, name string, f field) []field {
	if i, seen := at[name]; seen {
		f.dropped = append(fields[i].dropped, fields[i].line)
		fields[i] = f
		return fields
	}
	at[name] = len(fields)
	return append(fields, f)
}

// yamlLines returns a function that turns a line of a YAML document as
// the YAML parser counts lines (from 1, a lone "\r" ending one too) into
// the line of the file: lines end at "\n" only, and the document starts
// on the file's second line, after "---". A line past the document's end
// is its last line's.
func yamlLines(doc []byte) func(int) int {
	starts := []int{0} // the "\n" line (from 0) of each YAML line
	n := 0
	for i, c := range doc {
		switch {
		case c == '\n':
			n++
			starts = append(starts, n)
		case c == '\r' && (i+1 == len(doc) || doc[i+1] != '\n'):
			starts = append(starts, n)
		}
	}
	return func(yamlLine int) int {
		i := min(max(yamlLine-1, 0), len(starts)-1)
		return starts[i] + 2
	}
}

// yamlValue converts a node to a plain value. Scalars stay strings (except
// booleans, numbers and null), so a date is read in the site's time zone,
// not UTC.
func yamlValue(n yamlast.Node) any {
	switch n := n.(type) {
	case *yamlast.NullNode:
		return nil
	case *yamlast.BoolNode:
		return n.Value
	case *yamlast.IntegerNode:
		switch v := n.Value.(type) {
		case int64:
			return v
		case uint64:
			if v <= math.MaxInt64 {
				return int64(v)
			}
		}
	case *yamlast.FloatNode:
		return n.Value
	case *yamlast.SequenceNode:
		list := make([]any, len(n.Values))
		for i, v := range n.Values {
			list[i] = yamlValue(v)
		}
		return list
	case *yamlast.MappingNode:
		m := map[string]any{}
		for _, kv := range n.Values {
			m[yamlScalar(kv.Key)] = yamlValue(kv.Value)
		}
		return m
	case *yamlast.MappingValueNode:
		return map[string]any{yamlScalar(n.Key): yamlValue(n.Value)}
	case *yamlast.TagNode:
		return yamlValue(n.Value)
	case *yamlast.AnchorNode:
		return yamlValue(n.Value)
	}
	return yamlScalar(n)
}

// yamlScalar is the text of a scalar node, without quotes.
func yamlScalar(n yamlast.Node) string {
	switch n := n.(type) {
	case *yamlast.StringNode:
		return n.Value
	case *yamlast.LiteralNode:
		return n.Value.Value
	case *yamlast.TagNode:
		return yamlScalar(n.Value)
	}
	if t := n.GetToken(); t != nil {
		return t.Value
	}
	return n.String()
}

func parseTOML(path string, doc []byte) ([]field, error) {
	var m map[string]any
	if err := toml.Unmarshal(doc, &m); err != nil {
		errs := tomlErrors(path, 1, err)
		for _, e := range errs {
			e.Err = fmt.Errorf("front matter: %w", e.Err)
		}
		return nil, errs[0]
	}
	keys := slices.Sorted(maps.Keys(m))
	fields := make([]field, 0, len(m))
	for _, k := range keys {
		fields = append(fields, field{key: strings.ToLower(k), value: m[k], line: keyLine(doc, k) + 1})
	}
	return fields, nil
}

// pelicanKey returns the lower-case key of a "Key: value" header line that
// starts Pelican-style front matter, or "" when line is not one. Only known
// keys start front matter, so a post that begins "Note: …" stays prose.
// The line is one parsePelican reads as a key line ("Title : x", with a
// space before the colon, is not, as in Python-Markdown).
func pelicanKey(line string) string {
	m := pelicanKeyLine.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	k := strings.ToLower(m[1])
	if _, known := pelicanKeys[k]; !known {
		return ""
	}
	return k
}

var pelicanKeys = map[string]bool{
	"title": true, "date": true, "updated": true, "modified": true,
	"tags": true, "category": true, "summary": true, "description": true,
	"slug": true, "author": true, "authors": true, "draft": true,
	"status": true, "aliases": true,
}

// Python-Markdown's meta-data lines: a key line, or an indented
// continuation (Python-Markdown wants four spaces; any indent is taken).
var (
	pelicanKeyLine  = regexp.MustCompile(`^ {0,3}([A-Za-z0-9_-]+):\s*(.*)$`)
	pelicanMoreLine = regexp.MustCompile(`^[ \t]+(.*)$`)
)

// parsePelican reads "Key: value" lines as Python-Markdown's meta-data
// extension does: an indented line continues the previous value, and the
// header ends at a blank line, which it includes, or at the first other
// line, which starts the body. end is the number of header lines.
func parsePelican(lines [][]byte) (fields []field, end int) {
	for i, raw := range lines {
		l := strings.TrimRight(string(raw), " \t\r\n")
		if l == "" {
			return fields, i + 1
		}
		if m := pelicanKeyLine.FindStringSubmatch(l); m != nil {
			fields = append(fields, field{key: strings.ToLower(m[1]), value: strings.TrimSpace(m[2]), line: i + 1})
			continue
		}
		if m := pelicanMoreLine.FindStringSubmatch(l); m != nil && len(fields) > 0 {
			last := &fields[len(fields)-1]
			last.value = strings.TrimSpace(last.value.(string) + " " + m[1])
			continue
		}
		return fields, i
	}
	return fields, len(lines)
}

// cut is s up to n characters, with "…" when it is longer.
func cut(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// FrontMatterKeys returns the top-level keys of the front matter that
// starts src, lower-cased, with their lines, or nil when src has none or
// it cannot be read.
func FrontMatterKeys(src []byte) map[string]int {
	if formOf(src) == NoFrontMatter {
		return nil
	}
	fields, _, err := splitFrontMatter("", src)
	if err != nil {
		return nil
	}
	keys := make(map[string]int, len(fields))
	for _, f := range fields {
		keys[f.key] = f.line
	}
	return keys
}
