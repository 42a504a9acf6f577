package pymd

import (
	"bytes"
	"regexp"
)

// spacelessHeading is an ATX heading as Python-Markdown reads it and
// CommonMark does not: no space after the hashes ("#2. Define#"); the
// closing hashes need no space before them either.
var spacelessHeading = regexp.MustCompile(`^(#{1,6})([^#\s][^\n]*?)[ \t]*#*[ \t]*$`)

// headings rewrites, outside fenced and indented code, the headings that
// Python-Markdown reads without a space after their hashes into
// CommonMark's form ("# 2. Define"), line for line. Python-Markdown also
// lets an indented listing follow such a heading at once, which the
// rewritten heading allows too.
func headings(src []byte) []byte {
	if !bytes.Contains(src, []byte("#")) {
		return src
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	var fence []byte
	changed := false
	for i, l := range lines {
		body := bytes.TrimRight(l, "\r\n")
		trimmed := bytes.TrimLeft(body, " ")
		if f := fenceOf(trimmed); f != nil && len(body)-len(trimmed) < 4 {
			switch {
			case fence == nil:
				fence = f
			case bytes.HasPrefix(f, fence) && len(bytes.TrimSpace(trimmed[len(f):])) == 0:
				fence = nil
			}
			continue
		}
		if fence != nil || len(body) == 0 || body[0] != '#' {
			continue // in a fenced listing, or not a heading at the margin
		}
		m := spacelessHeading.FindSubmatchIndex(body)
		if m == nil {
			continue
		}
		heading := append(append(append([]byte{}, body[m[2]:m[3]]...), ' '), bytes.TrimSpace(body[m[4]:m[5]])...)
		lines[i] = append(heading, l[len(body):]...)
		changed = true
	}
	if !changed {
		return src
	}
	return bytes.Join(lines, nil)
}

// fenceOf returns the fence a line opens or closes (``` or ~~~, three or
// more), or nil.
func fenceOf(line []byte) []byte {
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(line) && line[n] == c {
			n++
		}
		if n >= 3 {
			return line[:n]
		}
	}
	return nil
}
