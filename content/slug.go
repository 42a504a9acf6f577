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
	return b.String()
}
