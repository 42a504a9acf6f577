package fastlex

import (
	"slices"

	"github.com/dlclark/regexp2/v2/syntax"
)

// The pair check. The first-character check lets a keyword rule through
// at every word that starts with a letter some keyword starts with: Go's
// list of 15 keywords is tried at every identifier starting with b, c,
// d, e, f, g, i, r or s. So a rule whose matches can only begin with a
// known set of two characters also gets, per pair of ASCII characters,
// whether a match can begin with them (pairFilter), worked out from
// regexp2's parse tree of the rule (pairsOf). A rule is then tried only
// where the text's first two characters are such a pair. Where either
// character is not ASCII, or the text has only one character left, the
// rule is tried.

// maxPrefixes bounds the prefixes pairsOf follows through a tree; a rule
// with more has no pair check.
const maxPrefixes = 4096

// pairFilter holds, for every pair of ASCII characters, whether a match
// can begin with them: bit a<<7|b, so the row of first character a is
// bits[2a] (seconds below 64) and bits[2a+1].
type pairFilter struct {
	bits [128 * 128 / 64]uint64
}

// allows reports whether a match can begin at text[pos], as far as the
// pair check can tell.
func (f *pairFilter) allows(text []rune, pos int) bool {
	if pos+1 >= len(text) {
		return true
	}
	a, b := text[pos], text[pos+1]
	if a >= 128 || b >= 128 || a < 0 || b < 0 {
		return true
	}
	i := a<<7 | b
	return f.bits[i>>6]&(1<<(i&63)) != 0
}

// charTest is one character of a prefix: a node of the tree that matches
// one character (One, Notone or Set, or one turn of their loops).
type charTest = *syntax.RegexNode

func matches(n charTest, ch rune) bool {
	switch n.T {
	case syntax.NtOne, syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		return ch == n.Ch
	case syntax.NtNotone, syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
		return ch != n.Ch
	default: // the Set family
		return n.Set.CharIn(ch)
	}
}

// pairsOf returns the pair check of a rule's pattern (its parse tree), or
// nil when the rule has none: it may match the empty string or a single
// character then anything, the tree holds what the analysis does not
// follow (back references, conditionals), or the check would only be one
// of the first character (every first character lets any second through).
func pairsOf(tree *syntax.RegexTree) *pairFilter {
	seqs, ok := prefixes(tree.Root, 2)
	if !ok {
		return nil
	}
	f := &pairFilter{}
	masks := map[charTest]asciiMask{}
	maskOf := func(n charTest) asciiMask {
		m, ok := masks[n]
		if !ok {
			for ch := range rune(128) {
				if matches(n, ch) {
					m[ch>>6] |= 1 << (ch & 63)
				}
			}
			masks[n] = m
		}
		return m
	}
	for _, s := range seqs {
		if len(s) < 2 {
			return nil // a match of fewer than two characters: any second follows
		}
		firsts, seconds := maskOf(s[0]), maskOf(s[1])
		for a := range rune(128) {
			if firsts[a>>6]&(1<<(a&63)) != 0 {
				f.bits[2*a] |= seconds[0]
				f.bits[2*a+1] |= seconds[1]
			}
		}
	}
	for a := range rune(128) {
		if row := f.bits[2*a : 2*a+2]; (row[0] != 0 || row[1] != 0) && (row[0] != ^uint64(0) || row[1] != ^uint64(0)) {
			return f // a first character that lets only some seconds through
		}
	}
	return nil
}

// asciiMask is a set of ASCII characters, a bit each.
type asciiMask [2]uint64

// prefixes returns the ways a match of n can begin: each is the tests of
// its first k characters, or of fewer when the match of n can end there
// (what follows n then continues it). ok is false when n holds what the
// analysis does not follow, or the ways are too many.
func prefixes(n *syntax.RegexNode, k int) (seqs [][]charTest, ok bool) {
	if k == 0 || zeroWidth(n) {
		return [][]charTest{nil}, true // zero-width assertions take no character
	}
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		// regexp2 (v2.13.3) expands case-insensitive characters into sets
		// when it parses; a node still marked IgnoreCase, which it leaves
		// on none but back references, would be folded when matching.
		if n.T != syntax.NtSet && n.Options&syntax.IgnoreCase != 0 {
			return nil, false
		}
		return [][]charTest{{n}}, true
	case syntax.NtMulti:
		if n.Options&syntax.IgnoreCase != 0 {
			return nil, false
		}
		var s []charTest
		for _, ch := range n.Str[:min(k, len(n.Str))] {
			s = append(s, &syntax.RegexNode{T: syntax.NtOne, Ch: ch})
		}
		return [][]charTest{s}, true
	case syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic, syntax.NtNotoneloop, syntax.NtNotonelazy,
		syntax.NtNotoneloopatomic, syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		// An atomic loop takes as many as it can and never gives any
		// back: its matches are among the plain loop's.
		if n.Set == nil && n.Options&syntax.IgnoreCase != 0 {
			return nil, false
		}
		// n.M to n.N of the same character: prefixes of each length
		// from n.M up, the ones shorter than k ending there.
		for count := min(n.M, k); count <= min(n.N, k); count++ {
			s := make([]charTest, count)
			for i := range s {
				s[i] = n
			}
			seqs = append(seqs, s)
		}
		return seqs, true
	case syntax.NtNothing:
		return nil, true // matches nothing
	case syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic:
		if len(n.Children) != 1 {
			return nil, false
		}
		return prefixes(n.Children[0], k)
	case syntax.NtAlternate:
		for _, c := range n.Children {
			cs, ok := prefixes(c, k)
			if !ok || len(seqs)+len(cs) > maxPrefixes {
				return nil, false
			}
			seqs = append(seqs, cs...)
		}
		return seqs, true
	case syntax.NtConcatenate:
		seqs = [][]charTest{nil}
		for _, c := range n.Children {
			if seqs, ok = followedBy(seqs, c, k); !ok {
				return nil, false
			}
		}
		return seqs, true
	case syntax.NtLoop, syntax.NtLazyloop:
		if len(n.Children) != 1 {
			return nil, false
		}
		// A turn of the loop that can take no character would let the
		// prefixes stay short however many turns: not followed.
		turn, ok := prefixes(n.Children[0], k)
		if !ok {
			return nil, false
		}
		for _, s := range turn {
			if len(s) == 0 {
				return nil, false
			}
		}
		cur := [][]charTest{nil}
		if n.M == 0 {
			seqs = append(seqs, nil)
		}
		// Every turn takes a character, so after k turns every prefix is
		// whole; turns beyond n.M that are not taken end the match.
		for turns := 1; turns <= min(n.N, k); turns++ {
			if cur, ok = followedBy(cur, n.Children[0], k); !ok {
				return nil, false
			}
			for _, s := range cur {
				if turns >= n.M || len(s) == k {
					seqs = append(seqs, s)
				}
			}
			if len(seqs) > maxPrefixes {
				return nil, false
			}
		}
		return dedupe(seqs), true
	}
	return nil, false
}

// followedBy extends each prefix shorter than k with the ways c begins.
func followedBy(seqs [][]charTest, c *syntax.RegexNode, k int) ([][]charTest, bool) {
	var out [][]charTest
	for _, s := range seqs {
		if len(s) == k {
			out = append(out, s)
			continue
		}
		cs, ok := prefixes(c, k-len(s))
		if !ok {
			return nil, false
		}
		for _, t := range cs {
			out = append(out, append(append([]charTest(nil), s...), t...))
		}
		if len(out) > maxPrefixes {
			return nil, false
		}
	}
	return out, true
}

// dedupe drops prefixes listed twice (the same tests, in order).
func dedupe(seqs [][]charTest) [][]charTest {
	var out [][]charTest
outer:
	for _, s := range seqs {
		for _, t := range out {
			if slices.Equal(s, t) {
				continue outer
			}
		}
		out = append(out, s)
	}
	return out
}
