package siteimport

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// A pyAssign is one top-level assignment of a Python settings file.
type pyAssign struct {
	Name  string
	Line  int
	Value any   // string, int64, float64, bool, nil, []any, map[string]any
	Err   error // the value is not a plain one
}

// parsePy reads the plain assignments of a Python settings file such as
// pelicanconf.py: NAME = value, where value is a string, a number, True,
// False, None, or a list, tuple or dict of those, the name of an earlier
// plain assignment, or strings (or lists) joined with "+". Imports and
// comments are skipped; an assignment of anything else (a call, another
// expression) is returned with Err set; another statement at the top
// level (a def or if block, whose indented body is skipped) is returned
// as an assignment with an empty name and Err set.
func parsePy(src string) []pyAssign {
	toks := pyTokens(src)
	var out []pyAssign
	env := map[string]any{}
	for i := 0; i < len(toks); {
		// One logical line: the tokens up to a newline outside brackets.
		j := i
		for j < len(toks) && toks[j].kind != tNewline {
			j++
		}
		line := toks[i:j]
		i = j + 1
		if len(line) == 0 {
			continue
		}
		first := line[0]
		if first.col > 0 {
			continue // the body of a block, whose first line was reported
		}
		if first.kind == tName && (first.text == "import" || first.text == "from") {
			continue
		}
		if len(line) >= 2 && first.kind == tName && line[1].kind == tOp && line[1].text == "=" {
			a := pyAssign{Name: first.text, Line: first.line}
			p := &pyParser{toks: line[2:], env: env}
			v, err := p.sum()
			if err == nil && p.i < len(p.toks) {
				err = fmt.Errorf("not a plain value")
			}
			if err != nil {
				a.Err = err
				delete(env, a.Name)
			} else {
				a.Value = v
				env[a.Name] = v
			}
			out = append(out, a)
			continue
		}
		err := fmt.Errorf("not a plain assignment")
		if last := line[len(line)-1]; first.kind == tName && last.kind == tOp && last.text == ":" {
			article := "a"
			if strings.ContainsRune("aeiou", rune(first.text[0])) {
				article = "an"
			}
			err = fmt.Errorf("%s %s block", article, first.text)
		}
		out = append(out, pyAssign{Line: first.line, Err: err})
	}
	return out
}

type tokKind int

const (
	tName tokKind = iota
	tString
	tNumber
	tOp
	tNewline
	tBad
)

type pyTok struct {
	kind tokKind
	text string // a string's value, unquoted
	line int
	col  int // bytes from the start of the line
}

// pyTokens splits Python source into tokens; newlines inside brackets and
// after a backslash are not tokens.
func pyTokens(src string) []pyTok {
	var toks []pyTok
	line, depth, lineStart := 1, 0, 0
	add := func(t pyTok, at int) {
		t.col = at - lineStart
		toks = append(toks, t)
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			if depth == 0 {
				add(pyTok{kind: tNewline, line: line}, i)
			}
			line++
			i++
			lineStart = i
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			line++
			i += 2
			lineStart = i
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '\'' || c == '"' || ((c == 'r' || c == 'u' || c == 'R' || c == 'U' || c == 'f' || c == 'b') && i+1 < len(src) && (src[i+1] == '\'' || src[i+1] == '"')):
			start, at := line, i
			prefix := byte(0)
			if c != '\'' && c != '"' {
				prefix = c | 0x20
				i++
			}
			s, n, lines, ok := pyString(src[i:], prefix == 'r')
			line += lines
			i += n
			if !ok || prefix == 'f' || prefix == 'b' {
				add(pyTok{kind: tBad, line: start}, at)
				continue
			}
			add(pyTok{kind: tString, text: s, line: start}, at)
		case c >= '0' && c <= '9' || (c == '-' || c == '.') && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < len(src) && isNumberByte(src[j], src[j-1]) {
				j++
			}
			add(pyTok{kind: tNumber, text: src[i:j], line: line}, i)
			i = j
		case c == '_' || unicode.IsLetter(rune(c)):
			j := i
			for j < len(src) && (src[j] == '_' || unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j]))) {
				j++
			}
			add(pyTok{kind: tName, text: src[i:j], line: line}, i)
			i = j
		default:
			switch c {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				if depth > 0 {
					depth--
				}
			}
			add(pyTok{kind: tOp, text: string(c), line: line}, i)
			i++
		}
	}
	return append(toks, pyTok{kind: tNewline, line: line})
}

// pyString reads a string literal at the start of s: its value, its
// length, the newlines in it, and whether it is well formed.
func pyString(s string, raw bool) (string, int, int, bool) {
	q := s[:1]
	if strings.HasPrefix(s, q+q+q) {
		q = q + q + q
	}
	var b strings.Builder
	lines := 0
	for i := len(q); i < len(s); {
		if strings.HasPrefix(s[i:], q) {
			return b.String(), i + len(q), lines, true
		}
		c := s[i]
		if c == '\n' {
			if len(q) == 1 {
				return "", i, lines, false
			}
			lines++
		}
		if c == '\\' && i+1 < len(s) {
			if raw {
				b.WriteString(s[i : i+2])
				i += 2
				continue
			}
			e := s[i+1]
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '\\', '\'', '"':
				b.WriteByte(e)
			case '\n':
				lines++
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
			i += 2
			continue
		}
		b.WriteByte(c)
		i++
	}
	return "", len(s), lines, false
}

type pyParser struct {
	toks []pyTok
	i    int
	env  map[string]any // the plain values assigned before
}

// sum reads a value, or strings or lists joined by "+".
func (p *pyParser) sum() (any, error) {
	v, err := p.value()
	for err == nil && p.op("+") {
		var w any
		if w, err = p.value(); err != nil {
			break
		}
		switch a := v.(type) {
		case string:
			b, ok := w.(string)
			if !ok {
				return nil, fmt.Errorf("not a plain value")
			}
			v = a + b
		case []any:
			b, ok := w.([]any)
			if !ok {
				return nil, fmt.Errorf("not a plain value")
			}
			v = append(append([]any{}, a...), b...)
		default:
			return nil, fmt.Errorf("not a plain value")
		}
	}
	return v, err
}

func (p *pyParser) peek() (pyTok, bool) {
	if p.i >= len(p.toks) {
		return pyTok{}, false
	}
	return p.toks[p.i], true
}

func (p *pyParser) op(s string) bool {
	if t, ok := p.peek(); ok && t.kind == tOp && t.text == s {
		p.i++
		return true
	}
	return false
}

func (p *pyParser) value() (any, error) {
	t, ok := p.peek()
	if !ok {
		return nil, fmt.Errorf("no value")
	}
	p.i++
	switch t.kind {
	case tString:
		s := t.text
		// Adjacent literals are one string.
		for {
			n, ok := p.peek()
			if !ok || n.kind != tString {
				break
			}
			s += n.text
			p.i++
		}
		return s, nil
	case tNumber:
		text := strings.ReplaceAll(t.text, "_", "")
		if n, err := strconv.ParseInt(text, 0, 64); err == nil {
			return n, nil
		}
		if f, err := strconv.ParseFloat(text, 64); err == nil {
			return f, nil
		}
		return nil, fmt.Errorf("%s: not a number", t.text)
	case tName:
		switch t.text {
		case "True":
			return true, nil
		case "False":
			return false, nil
		case "None":
			return nil, nil
		}
		if v, ok := p.env[t.text]; ok {
			if n, ok := p.peek(); !ok || n.kind != tOp || (n.text != "(" && n.text != "." && n.text != "[") {
				return v, nil
			}
		}
		return nil, fmt.Errorf("%s: not a plain value", t.text)
	case tOp:
		switch t.text {
		case "[", "(":
			end := "]"
			if t.text == "(" {
				end = ")"
			}
			list := []any{}
			for !p.op(end) {
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				list = append(list, v)
				if !p.op(",") {
					if !p.op(end) {
						return nil, fmt.Errorf("not a plain value")
					}
					break
				}
			}
			return list, nil
		case "{":
			m := map[string]any{}
			for !p.op("}") {
				k, err := p.value()
				if err != nil {
					return nil, err
				}
				ks, ok := k.(string)
				if !ok {
					return nil, fmt.Errorf("a dict key that is not a string")
				}
				if !p.op(":") {
					return nil, fmt.Errorf("not a plain value")
				}
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				m[ks] = v
				if !p.op(",") {
					if !p.op("}") {
						return nil, fmt.Errorf("not a plain value")
					}
					break
				}
			}
			return m, nil
		}
	}
	return nil, fmt.Errorf("not a plain value")
}

// isNumberByte reports whether c, after prev, continues a number literal:
// digits, letters (hex digits, exponents, suffixes), "." and "_", and a
// sign after an exponent.
func isNumberByte(c, prev byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '.', c == '_':
		return true
	case c == '+' || c == '-':
		return prev == 'e' || prev == 'E'
	}
	return false
}
