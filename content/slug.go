package content

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Slugify turns a title into a URL path segment: letters and digits of any
// script are kept (lower-cased, in Unicode normal form C), every other run
// of characters becomes one hyphen, and hyphens at the ends are dropped.
// "Café notes: naïve résumé" becomes "café-notes-naïve-résumé".
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFC.String(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’': // "don't" reads better as "dont" than "don-t"
		default:
			hyphen = true
		}
	}
	// Lowercasing can make a letter that composes with the marks after it
	// ("T\u0308" → "t\u0308" → "ẗ"), so the slug is composed again.
	return norm.NFC.String(b.String())
}

// TagSlug is a tag's URL segment: Slugify after the symbols that tell
// tags apart are spelled as words, so C, C++, C# and .NET get c,
// c-plus-plus, c-sharp and dotnet rather than one slug. A "+" or "#"
// counts when it follows a letter, a digit or another of them; a "."
// when it starts a word. Tags whose slugs are still equal are one tag.
func TagSlug(name string) string {
	var b strings.Builder
	var prev rune // the last rune read, 0 at the start
	word := false // prev is a letter or digit, or a + or # that counts
	for i, r := range name {
		switch {
		case (r == '+' || r == '#') && word:
			if r == '+' {
				b.WriteString(" plus ")
			} else {
				b.WriteString(" sharp ")
			}
		case r == '.' && (prev == 0 || unicode.IsSpace(prev)) && i+1 < len(name) && isLetter(name[i+1:]):
			b.WriteString("dot")
			word = false
		default:
			b.WriteRune(r)
			word = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		prev = r
	}
	return Slugify(b.String())
}

// isLetter reports whether s starts with a letter.
func isLetter(s string) bool {
	for _, r := range s {
		return unicode.IsLetter(r)
	}
	return false
}
