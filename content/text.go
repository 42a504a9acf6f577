package content

import (
	"bytes"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"
)

// NotText reports whether r is a character no page, feed or sitemap
// holds (see forbiddenRune): the renderer replaces any that reach an
// output by other ways than a page's file (a theme, a data file).
func NotText(r rune) bool { return forbiddenRune(r) }

// forbiddenRune reports whether r may not appear in a page's text: a
// control character (C0, DEL, C1) other than tab, line feed and carriage
// return, or a Unicode noncharacter (U+FDD0–U+FDEF, and U+xFFFE and
// U+xFFFF in every plane). XML 1.0 refuses the C0 controls and U+FFFE
// and U+FFFF, HTML calls all of them parse errors, and none is text a
// writer means; so none reaches a page, a feed or the sitemap.
func forbiddenRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case unicode.IsControl(r):
		return true
	case r >= 0xFDD0 && r <= 0xFDEF:
		return true
	}
	return r&0xFFFE == 0xFFFE && r <= unicode.MaxRune
}

// checkText checks a Markdown file's bytes, front matter and body, so
// that lines are the file's. Bytes that are not valid UTF-8 are an error
// at the line and column of the first. A forbidden character
// (forbiddenRune) is a warning at the first one's line and column, saying
// how many there are: the renderer shows each as U+FFFD (blogs moving in
// do hold them, such as a hex dump in a listing, and the page is
// otherwise as its old engine published it). A form feed (U+000C), which
// older text has for page breaks and CommonMark reads as white space but
// XML refuses, is read as a space without a warning. checkText returns
// the text to parse: src, or a copy with form feeds made spaces.
func checkText(path string, src []byte) (text []byte, err, warn *Error) {
	text = bytes.TrimPrefix(src, bom)
	line, col := 1, 1
	formFeeds, forbidden := false, 0
	var first struct {
		r         rune
		line, col int
	}
	for i := 0; i < len(text); {
		if c := text[i]; c >= 0x20 && c < 0x7F || c == '\t' || c == '\r' {
			i, col = i+1, col+1 // printable ASCII: most of any file
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return nil, errorf(path, line, "invalid UTF-8: byte 0x%02x at column %d; save the file as UTF-8", text[i], col), nil
		case r == '\f':
			formFeeds = true
		case forbiddenRune(r):
			if forbidden++; forbidden == 1 {
				first.r, first.line, first.col = r, line, col
			}
		case r == '\n':
			line, col = line+1, 0
		}
		i += size
		col++
	}
	if forbidden > 0 {
		more := ""
		if forbidden > 1 {
			more = fmt.Sprintf(" (and %d more)", forbidden-1)
		}
		warn = errorf(path, first.line, "%s at column %d%s, shown as U+FFFD; remove it", describeRune(first.r), first.col, more)
	}
	if formFeeds {
		return bytes.ReplaceAll(src, []byte{'\f'}, []byte{' '}), nil, warn
	}
	return src, nil, warn
}

// describeRune names a forbidden character for messages.
func describeRune(r rune) string {
	if unicode.IsControl(r) {
		return fmt.Sprintf("control character U+%04X", r)
	}
	return fmt.Sprintf("noncharacter U+%04X", r)
}

// badValueRune finds a forbidden character (forbiddenRune) in a decoded
// front matter value, keys of tables included: YAML's "\0" and TOML's
// "\u0000" escapes write them without the file holding one.
func badValueRune(v any) (rune, bool) {
	check := func(s string) (rune, bool) {
		for _, r := range s {
			if forbiddenRune(r) {
				return r, true
			}
		}
		return 0, false
	}
	switch v := v.(type) {
	case string:
		return check(v)
	case []any:
		for _, e := range v {
			if r, bad := badValueRune(e); bad {
				return r, true
			}
		}
	case map[string]any:
		for k, e := range v {
			if r, bad := check(k); bad {
				return r, true
			}
			if r, bad := badValueRune(e); bad {
				return r, true
			}
		}
	}
	return 0, false
}

// checkYear refuses a date outside the years 1 to 9999, in its own zone
// or in UTC: every output writes a year with four digits (URLs, RFC 3339
// and RFC 1123 dates in feeds and the sitemap), and Go's time encoding
// refuses other years.
func checkYear(t time.Time) error {
	for _, y := range []int{t.Year(), t.UTC().Year()} {
		if y < 1 || y > 9999 {
			return fmt.Errorf("%s: want a year from 1 to 9999, in the date's zone and in UTC", t.Format("2006-01-02 15:04:05 -07:00"))
		}
	}
	return nil
}
