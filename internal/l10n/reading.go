package l10n

import (
	"unicode"
	"unicode/utf8"
)

// Reading rates, for reading time. Words are what a run of text between
// spaces is in most languages; Chinese and Japanese are written without
// spaces, so there each character counts instead.
//
// 220 words a minute is within the range Brysbaert (2019, "How many words
// do we read per minute? A review and meta-analysis of reading rate",
// Journal of Memory and Language 109) finds for silent reading of
// English non-fiction (an average of 238), and what this engine has
// always used; Hugo uses 213. 500 characters a minute for Chinese and
// Japanese is the rate Hugo's reading time takes for CJK languages (501
// "words", where each CJK character is one: hugolib's page content
// output, (wordCount + 500) / 501).
const (
	WordsPerMinute = 220
	CharsPerMinute = 500
)

// Count is a text's length for reading: its words, and apart from them
// its Han, Hiragana and Katakana characters (Korean is written with
// spaces between words, so Hangul counts in words).
type Count struct {
	Words, Chars int
}

// CountText counts the words and CJK characters of text (Markdown or
// plain text). A word is a run of characters other than ASCII white
// space, CJK characters and CJK punctuation: "日本語のtext。" is 4
// characters and a word.
func CountText(text []byte) Count {
	var c Count
	inWord := false
	for i := 0; i < len(text); {
		if b := text[i]; b < utf8.RuneSelf { // most text: no decoding, no switch
			space := asciiSpace[b]
			if !space && !inWord {
				c.Words++
			}
			inWord = !space
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		i += size
		switch {
		case r == ' ' || r == '\n' || r == '\t' || r == '\r':
			inWord = false
		case r >= 0x2E80 && isCJK(r):
			c.Chars++
			inWord = false
		case r >= 0x3000 && (unicode.IsPunct(r) || unicode.IsSpace(r)):
			inWord = false // CJK punctuation (。、「」・！) ends words and is not read
		default:
			if !inWord {
				c.Words++
			}
			inWord = true
		}
	}
	return c
}

// asciiSpace tells the ASCII characters that end a word.
var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\n': true, '\t': true, '\r': true}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || r == 'ー' || r == '々'
}

// Minutes is the reading time of the count, rounded to the nearest
// minute and at least 1.
func (c Count) Minutes() int {
	// words/220 + chars/500, rounded: in units of 1/110000 minute.
	m := (c.Words*CharsPerMinute + c.Chars*WordsPerMinute + WordsPerMinute*CharsPerMinute/2) / (WordsPerMinute * CharsPerMinute)
	return max(1, m)
}
