package fastlex

import (
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// TestBacktrackOf: which patterns fastlex matches by backtracking, and
// that it finds the match and groups regexp2 finds, at every position of
// texts chosen to trip it: alternatives that match a prefix of a longer
// one, loops that must give back, lazy loops, groups that take no part or
// are matched again by a loop, lookaheads and atomic groups, capturing
// or not.
func TestBacktrackOf(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		follows bool
		texts   []string
	}{
		{`[ab]+?b`, true, []string{"aab", "ab", "bb", "a"}},
		{`[ab]*b`, true, []string{"abab", "aaa", "b"}},
		{`(a)|b`, true, []string{"a", "b", "c"}},
		{`(?:ab)+`, true, []string{"ababa", "a", "abab"}},
		{`(a(b))`, true, []string{"ab", "a"}},
		{`(a|ab)(c|bcd)(d*)`, true, []string{"abcd", "abcdd", "acd", "ab"}},
		{`(r#)?[a-zA-Z_]\w*`, true, []string{"r#x", "r#", "rx", "r#1"}},
		{`((?:(?!//)[^"\n{#])*?)(:)( )`, true, []string{"key: v", "a//b: c", "k:x", "a{b: c", "x : y", ":  "}},
		{`^(\s*(?:/[*].*?[*]/\s*)?)(#)`, true, []string{"  #if", "/* x */ #define", "/* x #", "  /* a */ /* b */ #", "x#"}},
		{`(?:[$_\p{L}\p{N}]|\\u[a-fA-F0-9]{4})(?:(?:[$\p{L}\p{N}]|\\u[a-fA-F0-9]{4}))*`, true, []string{`ab\u00e9c`, `\u12`, "日本", "_x1"}},
		{`(a*)*b`, false, nil},        // a loop whose body may match nothing
		{`(a)?(?(1)b|c)`, false, nil}, // a conditional
		{`(a)\1`, false, nil},         // a back reference
		{`(?<=a)b`, false, nil},       // a lookbehind
		{`(?=(a))a`, true, []string{"a", "b"}},
		{`(?!(a))\w`, true, []string{"a", "b"}},
		{`(?>(a)|ab)(c?)`, true, []string{"abc", "ac", "a"}},
		{`(?>a+)b`, true, []string{"aab", "aa", "b"}},
		{`(?>a|ab)c`, true, []string{"abc", "ac"}},
		{`(a|b)*c`, true, []string{"abac", "ab", "c"}},
		{`(a|b){2,3}?c`, true, []string{"abc", "ababc", "ac", "abbbc"}},
		{`(?:(a)|b)+`, true, []string{"ab", "ba", "bb"}},
		{`x(?=y)|x`, true, []string{"xy", "xz"}},
		{`x(?!y)\w`, true, []string{"xy", "xz", "x"}},
		{`\bfoo\b|\Bbar`, true, []string{"foo", "foobar", "xbar", "bar"}},
		{`a$|b^`, true, []string{"a\nb", "a", "ba"}},
		{`(?i)(?:abc|ab)d`, true, []string{"ABCD", "abd", "abcx"}}, // (?i) characters are sets
		{`(?i)[a-c]+|x`, true, []string{"AbC", "X", "k"}},
		{`"(\\\\|\\"|[^"])*"`, true, []string{`"a\"b"`, `"\\"`, `"abc`, `""`}},
	} {
		checkPattern(t, tc.pattern, tc.follows, tc.texts, func(tree *syntax.RegexTree) matcher {
			if p := backtrackOf(tree); p != nil {
				return p.matcher()
			}
			return nil
		})
	}
}

// TestEveryBacktrackRule: every rule of every lexer chroma registers that
// fastlex matches by backtracking matches as its expression does, on
// examples of the rule (generate_test.go), cut short, with a character
// changed or added, and after other text.
func TestEveryBacktrackRule(t *testing.T) {
	followed, all := matchEveryRule(t, 5, func(info *ruleInfo) matcher {
		if info.backtrack == nil {
			return nil
		}
		return info.backtrack.matcher()
	})
	// At chroma v2.27.0, 3,188 of 11,618 rules.
	if followed < all/5 {
		t.Errorf("%d of %d rules are matched by backtracking: the analysis lost them", followed, all)
	}
	t.Logf("%d of %d rules are matched by backtracking", followed, all)
}

// FuzzBacktrack compares backtracking with regexp2 on fuzzed patterns
// (those backtrackOf takes) and texts, at every position of the text.
func FuzzBacktrack(f *testing.F) {
	for _, seed := range [][2]string{
		{`(a|ab)(c|bcd)(d*)`, "abcd"},
		{`((?:(?!//)[^"\n{#])*?)(:)( )`, "a//b: c"},
		{`^(\s*(?:/[*].*?[*]/\s*)?)(#)`, "  /* a */ #"},
		{`(?:(a)|b)+c?`, "abbac"},
		{`(?=(a))\w(?!b)`, "ab"},
		{`(?>a|ab)(c?)`, "abc"},
		{`(a|b){2,3}?c|[^\n]*`, "ababc"},
		{`(?i)[a-c]+\b|x$`, "AbC x"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		if len(pattern) > 64 || len(text) > 64 {
			return
		}
		full := `\G(?m)(?:` + pattern + `)`
		tree, err := syntax.Parse(full, syntax.ParseOptions{})
		if err != nil {
			return
		}
		p := backtrackOf(tree)
		if p == nil {
			return
		}
		re, err := regexp2.Compile(full)
		if err != nil {
			return
		}
		re.MatchTimeout = time.Second
		runes := []rune(text)
		for pos := range len(runes) + 1 {
			if msg := sameMatch(re, p.matcher(), runes, pos); msg != "" && !strings.Contains(msg, "timeout") {
				t.Errorf("%q at %q[%d]: %s", pattern, text, pos, msg)
			}
		}
	})
}
