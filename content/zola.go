package content

// deunicode.go is written by gen_deunicode.go from a checkout of the
// deunicode crate: go run gen_deunicode.go DEUNICODE_DIR

import (
	"regexp"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// deunicodeTable is deunicodeData split: deunicode's ASCII text of each
// code point from deunicodeFirst, "\x01" for one it does not know.
var deunicodeTable = sync.OnceValue(func() []string {
	t := strings.Split(deunicodeData, "\x00")
	return t[:len(t)-1]
})

// transliterate returns the ASCII text Zola's slugs give a non-ASCII rune
// (deunicode's), and whether it is known: from deunicode's table up to
// U+2FFF; above it, the rune's compatibility decomposition without its
// marks when that is ASCII (fullwidth Ａ is A, ﬀ is ff). For other runes
// above U+2FFF (Chinese, Japanese, Korean, emoji, …), for which deunicode
// knows a reading this table leaves out, ok is false.
func transliterate(r rune) (ascii string, ok bool) {
	if r >= deunicodeFirst && r <= deunicodeLast {
		s := deunicodeTable()[r-deunicodeFirst]
		if s == "\x01" { // unknown to deunicode: the slug crate writes "-"
			return "-", true
		}
		return s, true
	}
	var b strings.Builder
	for _, d := range norm.NFKD.String(string(r)) {
		switch {
		case unicode.Is(unicode.Mn, d):
		case d < 0x80:
			b.WriteRune(d)
		default:
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// ZolaSlug is Zola's slug of s (slugify.paths = "on", its default),
// which the Rust slug crate makes: each character that is not ASCII is
// replaced by its transliteration (deunicode's: é is e, Æ is AE, ß is ss,
// Ж is Zh, α is a, — is --); then ASCII letters and digits are kept,
// lower-cased, and every run of other characters becomes one hyphen, with
// none at either end. "Café Crème" is "cafe-creme", "My_Post" is
// "my-post". Characters above U+2FFF that deunicode reads (Chinese,
// Japanese, Korean, emoji, …) are not transliterated here: a letter or
// digit of them is kept, lower-cased, as it is, and exact is false (Zola
// would write 日本 as ri-ben); one whose lower case the table has is
// written as that (Ᶎ as ᶎ, z), also not exact.
func ZolaSlug(s string) (slug string, exact bool) {
	var b strings.Builder
	dash := true // no hyphen at the start
	exact = true
	add := func(c byte) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteByte(c)
			dash = false
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c - 'A' + 'a')
			dash = false
		case !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	for _, r := range s {
		if r < 0x80 {
			add(byte(r))
			continue
		}
		ascii, ok := transliterate(r)
		if !ok {
			exact = false
			// A character outside the table may lower-case to one in it
			// (Ᶎ to ᶎ): it is written as that one is, so that the slug
			// of a slug is itself.
			lower := unicode.ToLower(r)
			if ascii, ok = transliterate(lower); !ok {
				if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
					b.WriteRune(lower)
					dash = false
				} else {
					add('-')
				}
				continue
			}
		}
		for i := 0; i < len(ascii); i++ {
			add(ascii[i])
		}
	}
	return strings.TrimSuffix(b.String(), "-"), exact
}

// zolaDatedName is the date Zola reads at the start of a file name (or a
// bundle's directory name) and leaves out of its slug: an RFC 3339 date,
// with a time and offset or without, then an optional space and "_" or
// "-" before the rest.
var zolaDatedName = regexp.MustCompile(`^(\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]))?)(?:\s?[_-](.+))?$`)

// zolaName is the part of a file name (without extension; a bundle's
// directory name) Zola makes its slug of: without a leading date.
func zolaName(name string) string {
	if m := zolaDatedName.FindStringSubmatch(name); m != nil && m[2] != "" {
		return m[2]
	}
	return name
}
