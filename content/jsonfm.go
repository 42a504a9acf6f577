package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// jsonStart reports whether src, after a byte order mark and blank space,
// opens a JSON object as Hugo's JSON front matter does: "{" followed by a
// quoted key or "}". A file starting "{{< shortcode >}}" or "{% tag %}"
// is not front matter (Hugo would fail on it).
func jsonStart(src []byte) (start int, ok bool) {
	rest := bytes.TrimLeft(src, " \t\r\n")
	if len(rest) == 0 || rest[0] != '{' {
		return 0, false
	}
	after := bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(after) == 0 || (after[0] != '"' && after[0] != '}') {
		return 0, false
	}
	return len(src) - len(rest), true
}

// parseJSONFrontMatter reads the JSON object that starts src at start and
// returns its keys and the body after it, with the object's lines emptied
// so positions in the body stay positions in the file. The object ends at
// its closing brace; one line break after it is part of the front matter,
// as in Hugo.
func parseJSONFrontMatter(path string, src []byte, start int) (fields []field, body []byte, err error) {
	lineAt := func(off int) int { return 1 + bytes.Count(src[:min(off, len(src))], []byte("\n")) }
	dec := json.NewDecoder(bytes.NewReader(src[start:]))
	dec.UseNumber()
	fail := func(err error) error {
		off := start + int(dec.InputOffset())
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = start + int(se.Offset)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return errorf(path, lineAt(start), "front matter: the JSON object that starts here is not closed")
		}
		return errorf(path, lineAt(off), "front matter: JSON: %v", err)
	}
	if _, err := dec.Token(); err != nil { // the opening brace
		return nil, nil, fail(err)
	}
	at := map[string]int{} // key as written → index in fields
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fail(err)
		}
		name, _ := tok.(string)
		line := lineAt(start + int(dec.InputOffset()))
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, nil, fail(err)
		}
		// encoding/json, which Hugo reads it with, keeps a repeated key's last value.
		fields = keepLast(fields, at, name, field{key: strings.ToLower(name), value: jsonValue(v), line: line})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, nil, fail(err)
	}
	end := start + int(dec.InputOffset())
	if bytes.HasPrefix(src[end:], []byte("\r\n")) {
		end += 2
	} else if bytes.HasPrefix(src[end:], []byte("\n")) {
		end++
	}
	if fields == nil {
		fields = []field{} // "{}" is front matter still
	}
	blank := bytes.Repeat([]byte("\n"), bytes.Count(src[:end], []byte("\n")))
	return fields, append(blank, src[end:]...), nil
}

// jsonValue converts a decoded JSON value to the kinds the other forms
// give: whole numbers are int64, others float64.
func jsonValue(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		if f, err := v.Float64(); err == nil {
			return f
		}
		return v.String()
	case []any:
		for i := range v {
			v[i] = jsonValue(v[i])
		}
		return v
	case map[string]any:
		for k := range v {
			v[k] = jsonValue(v[k])
		}
		return v
	}
	return v
}
