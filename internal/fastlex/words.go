package fastlex

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2/syntax"
)

// The word check. A keyword rule is a list of words followed by \b:
// chroma's SQL lexer holds 450 keywords, case-insensitively, and regexp2
// tries them one after another at every name in the text, so a name costs
// microseconds where the names' characters take nanoseconds. When each
// word of the list is made of word characters only, and \b follows the
// list, a match of the list is the whole run of word characters at the
// position: nothing else ends at a word boundary. So the rule can only
// match where that run, each character case-folded, is one of the list's
// words (wordsOf, wordList.match), a map lookup.
//
// Where the rule is nothing but the list (\G, an optional \b, the list,
// perhaps in a group, and \b), that lookup, with each character of the
// run tested against the word's own character tests, is the match, and
// the expression is not run at all. Otherwise (a lookbehind first, more
// after the \b) a rule whose run is no word of the list is not tried.

const (
	maxWordList  = 1 << 14 // words wordsOf expands a list into, at most
	maxWordRunes = 64      // characters in a word, at most
	maxOdd       = 8       // words not made of word characters only, at most
)

// wordList is the word check of one rule.
type wordList struct {
	// words holds the spellings made of word characters only, by key
	// (foldKey of each character, in UTF-8), in the list's order.
	words  map[string][]spelling
	maxLen int        // characters in the longest of words
	odd    []spelling // the others (END-EXEC), in the list's order
	// exact: the rule matches the list and nothing else, so match's answer
	// is the rule's match, and each group the rule has is the word.
	exact          bool
	boundaryBefore bool // a \b is among the zero-width assertions before the list
}

// match reports whether the rule can match at text[pos], and, for an
// exact list, how many characters it matches.
//
// A spelling of word characters only matches with \b after it where it
// is the whole run of word characters at pos: that is the only one of
// them to look at. Any other is tried in full, with \b after it. Of the
// spellings that match, the list takes the first in its order, as
// regexp2 tries alternatives.
func (w *wordList) match(text []rune, pos int) (n int, ok bool) {
	if w.boundaryBefore && !isBoundary(text, pos) {
		return 0, false
	}
	first := -1 // the first matching spelling's place in the list
	var key [utf8.UTFMax * (maxWordRunes + 1)]byte
	k, end := 0, pos
	for end < len(text) && end-pos <= w.maxLen && syntax.IsWordChar(text[end]) {
		k += utf8.EncodeRune(key[k:], foldKey(text[end]))
		end++
	}
	if end > pos && end-pos <= w.maxLen {
		for _, s := range w.words[string(key[:k])] {
			if s.at(text, pos) {
				first, n = s.index, end-pos
				break
			}
		}
	}
	for _, s := range w.odd {
		if first >= 0 && s.index > first {
			break
		}
		if s.at(text, pos) && isBoundary(text, pos+len(s.tests)) {
			first, n = s.index, len(s.tests)
			break
		}
	}
	return n, first >= 0
}

// isBoundary is regexp2's \b at text[pos].
func isBoundary(text []rune, pos int) bool {
	return (pos > 0 && syntax.IsWordChar(text[pos-1])) != (pos < len(text) && syntax.IsWordChar(text[pos]))
}

// foldKey is the smallest of the characters ch is case-equivalent to
// under Unicode simple folding, as regexp2 expands (?i): so 'k', 'K' and
// the Kelvin sign have one key.
func foldKey(ch rune) rune {
	if ch < utf8.RuneSelf {
		if 'a' <= ch && ch <= 'z' {
			return ch - 'a' + 'A'
		}
		return ch
	}
	least := ch
	for f := unicode.SimpleFold(ch); f != ch; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// wordsOf returns the word check of a rule (its ruleSequence), or
// nil when the rule is not a list of words followed by \b: the tree
// begins with zero-width assertions only (\G among them), then a list of
// words, each a fixed string, with \b right after. Most words must be of
// word characters only: a list may hold maxOdd others.
func wordsOf(nodes []*syntax.RegexNode) *wordList {
	exact, boundaryBefore := true, false
	i := 0
	for ; i < len(nodes) && zeroWidth(nodes[i]); i++ {
		switch nodes[i].T {
		case syntax.NtStart:
		case syntax.NtBoundary:
			boundaryBefore = true
		default:
			exact = false
		}
	}
	if i+1 >= len(nodes) || nodes[i+1].T != syntax.NtBoundary {
		return nil
	}
	list := nodes[i]
	if list.T == syntax.NtCapture && list.N == -1 && len(list.Children) == 1 {
		list = list.Children[0] // the groups are the word, as the match is; not so a balancing group's
	}
	spellings, plain, ok := wordSpellings(list)
	if !ok || len(spellings) == 0 {
		return nil
	}
	w := &wordList{words: map[string][]spelling{}, exact: exact && plain && i+2 == len(nodes), boundaryBefore: boundaryBefore}
	for i, s := range spellings {
		if len(s.tests) == 0 {
			return nil // the list may match the empty string
		}
		s.index = i
		if !s.word {
			if w.odd = append(w.odd, s); len(w.odd) > maxOdd {
				return nil
			}
			continue
		}
		w.words[string(s.key)] = append(w.words[string(s.key)], s)
		w.maxLen = max(w.maxLen, len(s.tests))
	}
	return w
}

// sequence returns the nodes a match of n passes through in turn, with
// concatenations and non-capturing groups opened.
func sequence(n *syntax.RegexNode) []*syntax.RegexNode {
	switch {
	case n.T == syntax.NtConcatenate:
		var out []*syntax.RegexNode
		for _, c := range n.Children {
			out = append(out, sequence(c)...)
		}
		return out
	case n.T == syntax.NtGroup && len(n.Children) == 1:
		return sequence(n.Children[0])
	}
	return []*syntax.RegexNode{n}
}

// zeroWidth reports whether n is an anchor, a boundary, a lookaround or
// empty: a node that takes no character.
func zeroWidth(n *syntax.RegexNode) bool {
	switch n.T {
	case syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary, syntax.NtECMABoundary,
		syntax.NtNonECMABoundary, syntax.NtBeginning, syntax.NtStart, syntax.NtEndZ, syntax.NtEnd,
		syntax.NtEmpty, syntax.NtPosLook, syntax.NtNegLook, syntax.NtUpdateBumpalong:
		return true
	}
	return false
}

// spelling is one way a word of a list is written: a test per character,
// and the key of every text those tests let through.
type spelling struct {
	key   []byte
	tests []charTest
	word  bool // whether every character the tests let through is a word character
	index int  // its place in the list, in the order regexp2 tries them
}

// at reports whether s matches text at pos.
func (s *spelling) at(text []rune, pos int) bool {
	if pos+len(s.tests) > len(text) {
		return false
	}
	for i, t := range s.tests {
		if !matches(t, text[pos+i]) {
			return false
		}
	}
	return true
}

// wordSpellings returns every way of writing a match of n, when n matches
// only fixed strings of word characters. plain is false when n holds a
// capturing group.
func wordSpellings(n *syntax.RegexNode) (spellings []spelling, plain, ok bool) {
	switch n.T {
	case syntax.NtOne:
		// A node still marked IgnoreCase would be folded when matching
		// (pairs.go).
		if n.Options&syntax.IgnoreCase != 0 {
			return nil, false, false
		}
		return []spelling{{key: utf8.AppendRune(nil, foldKey(n.Ch)), tests: []charTest{n}, word: syntax.IsWordChar(n.Ch)}}, true, true
	case syntax.NtMulti:
		if n.Options&syntax.IgnoreCase != 0 {
			return nil, false, false
		}
		s := spelling{word: true}
		for _, ch := range n.Str {
			s.word = s.word && syntax.IsWordChar(ch)
			s.key = utf8.AppendRune(s.key, foldKey(ch))
			s.tests = append(s.tests, &syntax.RegexNode{T: syntax.NtOne, Ch: ch})
		}
		return []spelling{s}, true, true
	case syntax.NtSet:
		keys, ok := setKeys(n.Set)
		if !ok {
			return []spelling{{tests: []charTest{n}}}, true, true // odd
		}
		for _, k := range keys {
			spellings = append(spellings, spelling{key: utf8.AppendRune(nil, k), tests: []charTest{n}, word: true})
		}
		return spellings, true, true
	case syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic, syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		// A character written n times over ("MM" in COMMIT, which
		// regexp2 parses as [Mm]{2}).
		if n.M != n.N || n.M < 1 || n.M > maxWordRunes {
			return nil, false, false
		}
		one := *n
		if n.IsSetloopFamily() {
			one.T = syntax.NtSet
		} else {
			one.T = syntax.NtOne
		}
		turn, plain, ok := wordSpellings(&one)
		if !ok {
			return nil, false, false
		}
		spellings = []spelling{{word: true}}
		for range n.M {
			if spellings, ok = joined(spellings, turn); !ok {
				return nil, false, false
			}
		}
		return spellings, plain, true
	case syntax.NtEmpty:
		return []spelling{{word: true}}, true, true
	case syntax.NtGroup, syntax.NtCapture:
		if len(n.Children) != 1 {
			return nil, false, false
		}
		spellings, plain, ok = wordSpellings(n.Children[0])
		return spellings, plain && n.T == syntax.NtGroup, ok
	case syntax.NtAlternate:
		plain = true
		for _, c := range n.Children {
			cs, p, ok := wordSpellings(c)
			if !ok || len(spellings)+len(cs) > maxWordList {
				return nil, false, false
			}
			spellings, plain = append(spellings, cs...), plain && p
		}
		return spellings, plain, true
	case syntax.NtConcatenate:
		spellings, plain = []spelling{{word: true}}, true
		for _, c := range n.Children {
			cs, p, ok := wordSpellings(c)
			if !ok {
				return nil, false, false
			}
			if spellings, ok = joined(spellings, cs); !ok {
				return nil, false, false
			}
			plain = plain && p
		}
		return spellings, plain, true
	}
	return nil, false, false
}

// joined returns each of spellings followed by each of next, or false
// when they are too many or too long.
func joined(spellings, next []spelling) ([]spelling, bool) {
	if len(spellings)*len(next) > maxWordList {
		return nil, false
	}
	out := make([]spelling, 0, len(spellings)*len(next))
	for _, s := range spellings {
		for _, t := range next {
			if len(s.tests)+len(t.tests) > maxWordRunes {
				return nil, false
			}
			out = append(out, spelling{
				key:   append(append([]byte(nil), s.key...), t.key...),
				tests: append(append([]charTest(nil), s.tests...), t.tests...),
				word:  s.word && t.word,
			})
		}
	}
	return out, true
}

// setKeyCache holds setKeys' answers by the set's description.
var setKeyCache sync.Map // string → []rune, nil when the set has no keys

// setKeys returns the keys of the characters in set, when it can tell
// them: the set must be some ASCII word characters, or their case
// equivalents with them (as regexp2 expands [fn] or (?i)k), and no more.
func setKeys(set *syntax.CharSet) ([]rune, bool) {
	desc := set.String()
	if v, ok := setKeyCache.Load(desc); ok {
		keys := v.([]rune)
		return keys, keys != nil
	}
	keys := setKeysOf(set, desc)
	setKeyCache.Store(desc, keys)
	return keys, keys != nil
}

func setKeysOf(set *syntax.CharSet, desc string) []rune {
	var ascii, folded []rune
	for ch := range rune(utf8.RuneSelf) {
		if !set.CharIn(ch) {
			continue
		}
		if !syntax.IsWordChar(ch) {
			return nil
		}
		ascii = append(ascii, ch)
		folded = append(folded, ch)
		for f := unicode.SimpleFold(ch); f != ch; f = unicode.SimpleFold(f) {
			if !syntax.IsWordChar(f) {
				return nil
			}
			folded = append(folded, f)
		}
	}
	if len(ascii) == 0 || (desc != classOf(ascii) && desc != classOf(folded)) {
		return nil
	}
	var keys []rune
	for _, ch := range ascii {
		if k := foldKey(ch); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// classOf returns the description regexp2 gives the set of chars, or ""
// if it cannot parse one.
func classOf(chars []rune) string {
	var b strings.Builder
	b.WriteString("[")
	for _, ch := range chars {
		if ch > 0xFFFF {
			return ""
		}
		fmt.Fprintf(&b, `\u%04X`, ch)
	}
	b.WriteString("]")
	tree, err := syntax.Parse(b.String(), syntax.ParseOptions{})
	if err != nil || len(tree.Root.Children) != 1 {
		return ""
	}
	switch n := tree.Root.Children[0]; n.T {
	case syntax.NtSet:
		return n.Set.String()
	case syntax.NtOne:
		return "" // a set of one character: the rule's node would be One too
	}
	return ""
}
