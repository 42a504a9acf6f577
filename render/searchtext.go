package render

import (
	"bytes"
	"hash/maphash"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/arabic"
	"github.com/blevesearch/snowballstem/danish"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/finnish"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/hungarian"
	"github.com/blevesearch/snowballstem/irish"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/norwegian"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/romanian"
	"github.com/blevesearch/snowballstem/russian"
	"github.com/blevesearch/snowballstem/spanish"
	"github.com/blevesearch/snowballstem/swedish"
	"github.com/blevesearch/snowballstem/tamil"
	"github.com/blevesearch/snowballstem/turkish"
	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

// maxWordLen is the longest word indexed, in characters: longer runs are
// hashes, base64 and the like, which nobody searches for.
const maxWordLen = 40

// stemmers are the Snowball stemmers (the Snowball project's own Go
// output, as github.com/blevesearch/snowballstem keeps it) by the primary
// subtag of the site's language. Other languages are indexed by their
// words as written (lower-cased), and Chinese and Japanese text by
// character pairs, in any language (see searchWords).
var stemmers = map[string]func(*snowballstem.Env) bool{
	"ar": arabic.Stem, "da": danish.Stem, "de": german.Stem, "en": english.Stem,
	"es": spanish.Stem, "fi": finnish.Stem, "fr": french.Stem, "ga": irish.Stem,
	"hu": hungarian.Stem, "it": italian.Stem, "nl": dutch.Stem,
	"no": norwegian.Stem, "nb": norwegian.Stem, "nn": norwegian.Stem,
	"pt": portuguese.Stem, "ro": romanian.Stem, "ru": russian.Stem,
	"sv": swedish.Stem, "ta": tamil.Stem, "tr": turkish.Stem,
}

// A stemmer maps a word, as searchWords gives it, to the term it is
// indexed under. It is safe for concurrent use and remembers its answers,
// in shards by the word's hash: every word of every post is looked up, and
// a sync.Map's lookups cost several times a plain map's.
type stemmer struct {
	stem   func(*snowballstem.Env) bool // nil: words are their own stems
	shards [stemShards]stemShard
}

const stemShards = 32

type stemShard struct {
	mu    sync.RWMutex
	stems map[string]string // word → stem
}

var stemSeed = maphash.MakeSeed()

// newStemmer returns the stemmer of a language tag ("en", "fr-CA").
func newStemmer(lang string) *stemmer {
	primary, _, _ := strings.Cut(strings.ToLower(lang), "-")
	primary, _, _ = strings.Cut(primary, "_")
	return &stemmer{stem: stemmers[primary]}
}

// of returns the stem of word. Compounds ("max_age"), numbers and
// Chinese and Japanese character pairs are their own stems.
func (s *stemmer) of(word string) string {
	if s.stem == nil || strings.Contains(word, "_") {
		return word
	}
	shard := &s.shards[maphash.String(stemSeed, word)%stemShards]
	shard.mu.RLock()
	st, ok := shard.stems[word]
	shard.mu.RUnlock()
	if ok {
		return st
	}
	word = strings.Clone(word) // kept: not a piece of a post's whole text
	st = word
	r, _ := utf8.DecodeRuneInString(word)
	if unicode.IsLetter(r) && !isCJK(r) {
		env := snowballstem.NewEnv(word) // an Env is one word's state: not shared
		s.stem(env)
		if st = env.Current(); st == "" {
			st = word
		}
	}
	shard.mu.Lock()
	if shard.stems == nil {
		shard.stems = map[string]string{}
	}
	shard.stems[word] = st
	shard.mu.Unlock()
	return st
}

// isCJK reports whether r is written without spaces between words: Han,
// Hiragana and Katakana.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// isWordRune reports whether r belongs to a word: a letter, digit or
// combining mark. An underscore joins words into a compound.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// searchWords calls emit with each word of text, in order, as the index
// and the search script see words: text in Unicode NFC, lower-cased, is
// cut at every character that is not a letter, digit, combining mark or
// underscore. Each piece's parts between underscores are words, and a
// piece of two or more parts ("max_age") is also a word itself, so an
// identifier is found whole and by its parts. A run of Chinese or Japanese
// characters gives each pair of neighbours (東京都 gives 東京 and 京都),
// or the one character of a run of one. Words longer than maxWordLen
// characters are left out. themes/default/assets/search.js cuts a query
// the same way.
func searchWords(text string, emit func(word string)) {
	text = toLower(norm.NFC.String(text))
	for start := 0; start < len(text); {
		// A piece: a run of word characters and underscores. Most text is
		// ASCII, told apart by asciiWord without decoding.
		end := start
		for end < len(text) {
			if c := text[end]; c < utf8.RuneSelf {
				if !asciiWord[c] {
					break
				}
				end++
				continue
			}
			r, n := utf8.DecodeRuneInString(text[end:])
			if !isWordRune(r) {
				break
			}
			end += n
		}
		if end == start {
			_, n := utf8.DecodeRuneInString(text[start:])
			start += n
			continue
		}
		searchPiece(text[start:end], emit)
		start = end
	}
}

// toLower is strings.ToLower, quicker where most of s is ASCII but not
// all: strings.ToLower maps every character of such a string through
// unicode.ToLower.
func toLower(s string) string {
	var b strings.Builder
	from := 0 // s[from:i] is as it stays, not yet written
	write := func(i int, lower rune) {
		if b.Cap() == 0 {
			b.Grow(len(s) + 2)
		}
		b.WriteString(s[from:i])
		b.WriteRune(lower)
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				write(i, rune(c+'a'-'A'))
				from = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		// An invalid byte is written as U+FFFD, as strings.ToLower does.
		if lower := unicode.ToLower(r); lower != r || r == utf8.RuneError && size == 1 {
			write(i, lower)
			from = i + size
		}
		i += size
	}
	if b.Cap() == 0 {
		return s
	}
	b.WriteString(s[from:])
	return b.String()
}

// asciiWord tells the ASCII characters of a piece: lower-case letters,
// digits and the underscore.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	return t
}()

// searchPiece emits the words of one piece of searchWords.
func searchPiece(piece string, emit func(word string)) {
	simple := len(piece) <= maxWordLen
	for i := 0; i < len(piece) && simple; i++ {
		simple = piece[i] != '_' && piece[i] < utf8.RuneSelf
	}
	if simple { // one ASCII word, the common case
		emit(piece)
		return
	}
	parts := strings.FieldsFunc(piece, func(r rune) bool { return r == '_' })
	cjk := false
	for _, part := range parts {
		cjk = splitCJK(part, emit) || cjk
	}
	if len(parts) > 1 && !cjk {
		if w := strings.Join(parts, "_"); utf8.RuneCountInString(w) <= maxWordLen {
			emit(w)
		}
	}
}

// splitCJK emits the words of part, a run of word characters: runs of
// Chinese and Japanese characters by pairs, the rest whole. It reports
// whether part held any Chinese or Japanese character.
func splitCJK(part string, emit func(string)) bool {
	word := func(w string) {
		if w != "" && utf8.RuneCountInString(w) <= maxWordLen {
			emit(w)
		}
	}
	start, inCJK, sawCJK := 0, false, false
	flush := func(end int) {
		if !inCJK {
			word(part[start:end])
			return
		}
		run := []rune(part[start:end])
		if len(run) == 1 {
			emit(string(run))
		}
		for i := 0; i+1 < len(run); i++ {
			emit(string(run[i : i+2]))
		}
	}
	for i, r := range part {
		c := isCJK(r)
		if c != inCJK && i > start {
			flush(i)
			start = i
		}
		inCJK = c
		sawCJK = sawCJK || c
	}
	flush(len(part))
	return sawCJK
}

// shardOf names the index shard that holds a word: its first two
// characters when both are ASCII letters or digits, else its first
// character alone, written as "u" and its code point in hex when it is
// not an ASCII letter or digit ("é…" is in shard ue9).
func shardOf(word string) string {
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	switch {
	case word == "":
		return ""
	case alnum(word[0]) && len(word) > 1 && alnum(word[1]):
		return word[:2]
	case alnum(word[0]):
		return word[:1]
	}
	r, _ := utf8.DecodeRuneInString(word)
	return "u" + strconv.FormatInt(int64(r), 16)
}

// rawTextElements hold text that is not the page's text, or that the
// HTML tokenizer must read by its own rules: a body that has one is read
// by plainText.
var rawTextElements = []string{"!", "script", "style", "textarea", "title", "xmp", "plaintext", "noscript", "iframe", "noembed", "noframes"}

// rawText reports whether the tag starting at tag (after its "<") opens a
// comment, a declaration or one of rawTextElements.
func rawText(tag []byte) bool {
	if len(tag) == 0 {
		return false
	}
	for _, el := range rawTextByFirst[lowerASCII(tag[0])] { // most tags' first letter is no element's
		if len(tag) >= len(el) && bytes.EqualFold(tag[:len(el)], []byte(el)) {
			return true
		}
	}
	return false
}

// rawTextByFirst holds rawTextElements by their first character.
var rawTextByFirst = func() (by [256][]string) {
	for _, el := range rawTextElements {
		by[el[0]] = append(by[el[0]], el)
	}
	return by
}()

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// bodyText returns the text of a rendered body as plainText does, with
// runs of white space folded and a space for each tag but inline ones,
// but about five times as fast on the bodies Markdown makes: it skips
// each tag to its ">" outside quotes, and unescapes the character
// references of the text between. A "<" that opens no tag is text, as
// the HTML tokenizer reads it. A body holding a comment, a declaration, a
// script or another element whose text the tokenizer reads by other
// rules goes to plainText.
func bodyText(h []byte) string {
	all := h
	var b strings.Builder
	b.Grow(len(h) / 3)
	space := true // at the start, or after a space written
	text := func(s []byte) {
		if bytes.IndexByte(s, '&') >= 0 {
			s = []byte(html.UnescapeString(string(s)))
		}
		for len(s) > 0 {
			i, n := spaceIn(s)
			if i < 0 {
				b.Write(s)
				space = false
				return
			}
			if i > 0 {
				b.Write(s[:i])
				space = false
			}
			if !space {
				b.WriteByte(' ')
				space = true
			}
			s = s[i+n:]
		}
	}
	for len(h) > 0 {
		lt := bytes.IndexByte(h, '<')
		if lt < 0 {
			text(h)
			break
		}
		switch tag := tagKind(h[lt+1:]); {
		case tag == '<':
			text(h[:lt+1])
			h = h[lt+1:]
			continue
		case tag != 'a' || rawText(h[lt+1:]):
			return plainText(template.HTML(all))
		}
		text(h[:lt])
		if !space && !inlineTag(h[lt+1:]) {
			b.WriteByte(' ')
			space = true
		}
		h = h[tagEnd(h, lt+1):]
	}
	return strings.TrimSuffix(b.String(), " ")
}

// spaceIn returns where the first white space in s is, as strings.Fields
// (and so plainText) tells it (unicode.IsSpace: a no-break space too),
// and its length in bytes; -1 if there is none.
func spaceIn(s []byte) (at, n int) {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c == ' ' || '\t' <= c && c <= '\r' {
				return i, 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if unicode.IsSpace(r) {
			return i, size
		}
		i += size
	}
	return -1, 0
}

// tagKind tells how the HTML tokenizer reads what follows a "<" (after):
// 'a' a start or end tag (a letter, or "/" and a letter), '<' text (the
// "<" is a character of the text), or '!' something else: a comment, a
// declaration or a bogus comment.
func tagKind(after []byte) byte {
	letter := func(i int) bool {
		return i < len(after) && ('a' <= lowerASCII(after[i]) && lowerASCII(after[i]) <= 'z')
	}
	switch {
	case letter(0), len(after) > 0 && after[0] == '/' && letter(1):
		return 'a'
	case len(after) > 0 && (after[0] == '!' || after[0] == '?' || after[0] == '/'):
		return '!'
	}
	return '<'
}

// inlineTag reports whether the tag that starts at tag (after its "<",
// and its "/" for an end tag) is one of inlineElements, which plainText
// writes no space for.
func inlineTag(tag []byte) bool {
	tag = bytes.TrimPrefix(tag, []byte("/"))
	// The name runs to white space, "/" or ">", as the tokenizer reads
	// it: <a:b> and <em-x> are no a and em.
	n, lower := 0, true
	for ; n < len(tag); n++ {
		c := tag[n]
		if htmlSpace(c) || c == '/' || c == '>' {
			break
		}
		if c >= 'A' && c <= 'Z' {
			lower = false
		}
	}
	if lower {
		return inlineElements[string(tag[:n])] // no allocation
	}
	return inlineElements[strings.ToLower(string(tag[:n]))]
}

// htmlSpace reports whether c is white space to the HTML tokenizer
// inside a tag.
func htmlSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'
}

// tagEnd returns the index after the ">" that ends the tag at h[i]
// (after its "<": a letter, or "/" and a letter), or len(h) if none
// does, reading its name and attributes as the HTML tokenizer does
// (golang.org/x/net/html's readTag): a quote opens an attribute value
// only after an attribute's name and "=".
func tagEnd(h []byte, i int) int {
	n := len(h)
	skipSpace := func() {
		for i < n && htmlSpace(h[i]) {
			i++
		}
	}
	if i < n && h[i] == '/' {
		i++ // an end tag's
	}
	// The name: its first letter, then up to white space (taken), "/" or ">".
	for i++; i < n; i++ {
		if c := h[i]; htmlSpace(c) {
			i++
			break
		} else if c == '/' || c == '>' {
			break
		}
	}
	skipSpace()
	for i < n {
		if h[i] == '>' {
			return i + 1
		}
		// An attribute's name, up to white space, "/", ">" or "=" (an
		// "=" it starts with is part of it).
		for start := i; i < n; i++ {
			if c := h[i]; htmlSpace(c) || c == '/' || c == '>' || (c == '=' && i > start) {
				break
			}
		}
		// Its value, if "=" follows.
		skipSpace()
		if i < n && h[i] == '/' {
			i++
		} else if i < n && h[i] == '=' {
			i++
			skipSpace()
			switch {
			case i >= n || h[i] == '>':
			case h[i] == '"' || h[i] == '\'':
				quote := h[i]
				for i++; i < n && h[i] != quote; i++ {
				}
				i++
			default:
				for ; i < n && !htmlSpace(h[i]) && h[i] != '>'; i++ {
				}
			}
		}
		skipSpace()
	}
	return n
}
