package render

import (
	"unicode/utf8"

	"github.com/siteblog/site/content"
)

// scrub replaces with U+FFFD every character of a made file (a page, a
// feed, the sitemap, a redirect) that content.NotText refuses: control
// characters other than tab, line feed and carriage return, and
// noncharacters, which XML forbids and HTML calls parse errors; and each
// byte that is not UTF-8. Pages and
// site.toml cannot hold them (content refuses them at file and line);
// this catches what a theme or a data file brings. Files copied as they
// are, and theme assets, are not scrubbed. data is changed in place when
// the replacement is no longer; a new slice is returned otherwise.
func scrub(data []byte) []byte {
	i := firstNotText(data)
	if i < 0 {
		return data
	}
	out := make([]byte, 0, len(data)+8)
	out = append(out, data[:i]...)
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 || content.NotText(r) {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return out
}

// scrubString is scrub for a string, such as a JSON feed's fields:
// encoding/json writes control characters as \u escapes, which scrub
// cannot see in its output.
func scrubString(s string) string {
	if firstNotText(s) < 0 {
		return s
	}
	return string(scrub([]byte(s)))
}

// firstNotText is the index of the first character of data that
// content.NotText refuses, or of the first byte that is not UTF-8, or -1.
// ASCII other than controls is skipped without decoding.
func firstNotText[T string | []byte](data T) int {
	for i := 0; i < len(data); {
		// Eight at a time while all are printable ASCII; else the eight
		// (or what is left) one by one.
		if i+8 <= len(data) {
			w := uint64(data[i]) | uint64(data[i+1])<<8 | uint64(data[i+2])<<16 | uint64(data[i+3])<<24 |
				uint64(data[i+4])<<32 | uint64(data[i+5])<<40 | uint64(data[i+6])<<48 | uint64(data[i+7])<<56
			if w&highBits == 0 && !hasByteBelow(w, 0x20) && !hasByteBelow(w^(0x7F*lowBits), 1) {
				i += 8
				continue
			}
		}
		for end := min(i+8, len(data)); i < end; {
			c := data[i]
			if c >= 0x20 && c < 0x7F || c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			if c < 0x80 {
				return i // a C0 control or DEL
			}
			r, size := utf8.DecodeRune([]byte(data[i:min(i+utf8.UTFMax, len(data))]))
			if r == utf8.RuneError && size == 1 || content.NotText(r) {
				return i
			}
			i += size
		}
	}
	return -1
}

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// hasByteBelow reports whether a byte of w, all of whose bytes are
// ASCII, is less than n (at most 128).
func hasByteBelow(w, n uint64) bool { return (w-n*lowBits)&^w&highBits != 0 }
