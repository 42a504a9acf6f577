package fastlex

import (
	"testing"

	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// TestPairsOf: the pair check of a pattern never turns away a text the
// pattern matches at its start, and turns away the texts listed. A
// pattern whose matches can be shorter than two characters has none, and
// neither has one whose check would only be a first-character check.
func TestPairsOf(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		check   bool     // whether the pattern has a pair check
		matches []string // texts it matches at their start
		refused []string // texts the check turns away
	}{
		{`(func|for|if)\b`, true, []string{"func x", "for(", "if "}, []string{"fx", "go", "i(", "xfunc"}},
		{`(?i)(SELECT|SET|S)\b`, false, []string{"select 1", "SeT x", "s "}, nil},
		{`(?i)(SELECT|SET| TEMP|END-EXEC)\b`, true, []string{"SELECT", "set ", " temp", "end-exec", "ſelect"}, []string{"sa", "xs", "tx", "ex"}},
		{`(?i)(KELVIN)`, true, []string{"kelvin", "\u212aelvin"}, []string{"kx", "lk"}},
		{`//[^\n]*`, true, []string{"// a", "//"}, []string{"/*", "/ /"}},
		{`\s+`, false, []string{" ", "\t\n"}, nil},
		{`[a-z]{3}`, true, []string{"abc"}, []string{"a1c", "1bc"}},
		{`a*b`, false, []string{"b", "ab", "aab"}, nil},
		{`a+b`, true, []string{"ab", "aab"}, []string{"ba", "ac"}},
		{`(?:ab|c){3}`, true, []string{"abcab", "ccc", "cabc"}, []string{"aa", "cb", "ba"}},
		{`(?:ab)+c`, true, []string{"abc", "ababc"}, []string{"ac", "bc"}},
		{`(?:a|b|)c`, false, []string{"c", "ac", "bc"}, nil},
		{`(?=ab)a.`, true, []string{"ab"}, []string{"bb", "cb"}},
		{`(?!x)ab`, true, []string{"ab"}, []string{"ba"}},
		{`\bfoo`, true, []string{"foo"}, []string{"fx", "ofo"}},
		{`(?>ab|a)c`, true, []string{"abc"}, []string{"bc", "cc"}},
		{`(a)\1`, false, []string{"aa"}, nil},
		{`x{0}ab`, true, []string{"ab"}, []string{"xa", "bb"}},
		{`[^"]+"`, false, []string{`a"`, `ab"`}, nil},  // any second after any first: the first-character check's
		{`(?s)..`, false, []string{"ab", "\n\n"}, nil}, // the same
		{`é.|ab`, true, []string{"éa", "ab"}, []string{"ac"}},
	} {
		pattern := `\G(?:` + tc.pattern + `)`
		tree, err := syntax.Parse(pattern, syntax.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		f := pairsOf(tree)
		if (f != nil) != tc.check {
			t.Errorf("%s: pair check %v, want %v", tc.pattern, f != nil, tc.check)
		}
		re := regexp2.MustCompile(pattern)
		for _, text := range tc.matches {
			m, err := re.FindRunesMatchStartingAt([]rune(text), 0)
			if err != nil || m == nil {
				t.Errorf("%s does not match %q: the case is wrong", tc.pattern, text)
				continue
			}
			if f != nil && !f.allows([]rune(text), 0) {
				t.Errorf("%s: the pair check turns away %q, which it matches", tc.pattern, text)
			}
		}
		for _, text := range tc.refused {
			if f == nil || f.allows([]rune(text), 0) {
				t.Errorf("%s: the pair check lets %q through", tc.pattern, text)
			}
		}
	}
}
