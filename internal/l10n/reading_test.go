package l10n

import (
	"math/rand/v2"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCountText(t *testing.T) {
	for _, tc := range []struct {
		name         string
		text         string
		words, chars int
		minutes      int
	}{
		{"empty", "", 0, 0, 1},
		{"English", "The quick brown fox jumps over the lazy dog.", 9, 0, 1},
		{"Markdown", "## A heading\n\n- one `code`\n\t[a link](x.md)\r\n", 8, 0, 1},
		{"French", "L’été dernier, nous sommes allés à la mer.", 8, 0, 1},
		{"Korean, spaced", "한국어는 단어 사이에 띄어쓰기를 합니다.", 5, 0, 1},
		{"Japanese", "日本語の文章は単語の間にスペースを入れません。", 0, 22, 1},
		{"Japanese with Latin", "site は静的サイトのブログエンジンです。Go で書かれています。", 2, 24, 1},
		{"Chinese", "中文写作时词与词之间没有空格。", 0, 14, 1},
		{"Chinese with a number", "我在2024年写了这篇文章。", 1, 9, 1},
		{"prolonged sound mark", "ブログ・データ", 0, 6, 1},
	} {
		got := CountText([]byte(tc.text))
		if got.Words != tc.words || got.Chars != tc.chars || got.Minutes() != tc.minutes {
			t.Errorf("%s: %+v, %d min; want %d words, %d characters, %d min", tc.name, got, got.Minutes(), tc.words, tc.chars, tc.minutes)
		}
	}
}

func TestMinutes(t *testing.T) {
	for _, tc := range []struct {
		c    Count
		want int
	}{
		{Count{}, 1},
		{Count{Words: 329}, 1},
		{Count{Words: 330}, 2}, // 1.5 minutes rounds up, as before: (words+110)/220
		{Count{Words: 2200}, 10},
		{Count{Chars: 749}, 1},
		{Count{Chars: 750}, 2},
		{Count{Chars: 5000}, 10},
		{Count{Chars: 2500, Words: 1100}, 10}, // 5 + 5
	} {
		if got := tc.c.Minutes(); got != tc.want {
			t.Errorf("%+v: %d minutes, want %d", tc.c, got, tc.want)
		}
	}
	// The same text in Japanese and in English reads in about the same
	// time: 3,000 characters of Japanese, and the ~1,300 words of an
	// English translation of it, are both about 6 minutes.
	ja := Count{Chars: 3000}.Minutes()
	en := Count{Words: 1300}.Minutes()
	if ja != 6 || en != 6 {
		t.Errorf("3,000 Japanese characters: %d min; 1,300 English words: %d min", ja, en)
	}
}

func TestReadingTimeOfLongText(t *testing.T) {
	// A Japanese post of 2,500 characters (and 200 full stops): 5 minutes, not the 1 minute
	// counting words between spaces gives.
	var ja []byte
	for range 100 {
		ja = append(ja, "日本語で書かれた長い記事の一文です。ここまで二十五字。"...)
	}
	c := CountText(ja)
	if c.Chars != 2500 || c.Words != 0 || c.Minutes() != 5 {
		t.Errorf("%+v, %d min; want 2,500 characters, no word, 5 min", c, c.Minutes())
	}
}

// countTextDecoding is CountText decoding every character, as it did
// before ASCII was told apart by a table.
func countTextDecoding(text []byte) Count {
	var c Count
	inWord := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		switch {
		case r == ' ' || r == '\n' || r == '\t' || r == '\r':
			inWord = false
		case r >= 0x2E80 && isCJK(r):
			c.Chars++
			inWord = false
		case r >= 0x3000 && (unicode.IsPunct(r) || unicode.IsSpace(r)):
			inWord = false
		default:
			if !inWord {
				c.Words++
			}
			inWord = true
		}
	}
	return c
}

// TestCountTextRandom holds CountText equal to decoding every character
// on random texts of ASCII, white space, CJK, its punctuation and
// invalid UTF-8.
func TestCountTextRandom(t *testing.T) {
	pieces := []string{"a", "word", " ", "  ", "\n", "\t", "\r", "\v", "\f", "\x00", "\x7f", "日本", "語", "の", "ー", "。", "、", "「", "\u3000", "é", "한국어", "\xff", "\xe6\x97", "!", "-"}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 50000 {
		var b []byte
		for range rng.IntN(16) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		if got, want := CountText(b), countTextDecoding(b); got != want {
			t.Fatalf("CountText(%q) = %+v, decoding every character gives %+v", b, got, want)
		}
	}
}
