package fastlex

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/alecthomas/chroma/v2"
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
		pattern := `\G(?m)(?:` + tc.pattern + `)`
		tree, err := syntax.Parse(pattern, syntax.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p := backtrackOf(tree)
		if (p != nil) != tc.follows {
			t.Errorf("%s: followed %v, want %v\n%s", tc.pattern, p != nil, tc.follows, tree.Dump())
			continue
		}
		re := regexp2.MustCompile(pattern)
		for _, text := range tc.texts {
			for pos := range len([]rune(text)) + 1 {
				if msg := sameBacktrack(re, p, []rune(text), pos); msg != "" {
					t.Errorf("%s at %q[%d]: %s", tc.pattern, text, pos, msg)
				}
			}
		}
	}
}

// sameBacktrack compares p's match at text[pos] with re's, groups
// included, and returns what differs.
func sameBacktrack(re *regexp2.Regexp, p *backtrackPattern, text []rune, pos int) string {
	m, err := re.FindRunesMatchStartingAt(text, pos)
	if err != nil {
		return err.Error()
	}
	matched := m != nil && m.RuneIndex == pos
	var spans [2 * maxSimpleGroups]int
	end, ok, aborted := p.match(text, pos, &spans)
	switch {
	case aborted:
		return ""
	case matched != ok:
		return fmt.Sprintf("regexp2 matches: %v; backtracking matches: %v", matched, ok)
	case !ok:
		return ""
	case end != pos+m.RuneLength:
		return fmt.Sprintf("backtracking matches %d characters, regexp2 %d", end-pos, m.RuneLength)
	}
	for _, n := range re.GetGroupNumbers() {
		g := m.GroupByNumber(n)
		got := ""
		if spans[2*n] >= 0 {
			got = string(text[spans[2*n]:spans[2*n+1]])
		}
		if got != g.String() {
			return fmt.Sprintf("group %d is %q, regexp2's %q", n, got, g.String())
		}
	}
	return ""
}

// TestEveryBacktrackRule: every rule of every lexer chroma registers that
// fastlex matches by backtracking matches as its expression does, on
// examples of the rule (generate_test.go), cut short, with a character
// changed or added, and after other text.
func TestEveryBacktrackRule(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	followed, all, aborted := 0, 0, 0
	for _, rl := range regexLexers(t) {
		rs := fastRules(t, rl)
		trees := map[*chroma.CompiledRule]*syntax.RegexTree{}
		for rule, info := range rs.each {
			all++
			if info.backtrack == nil {
				continue
			}
			followed++
			for range 12 {
				ex := example(rule, trees, rng)
				if ex == nil {
					continue
				}
				for _, text := range mutants(rng, ex) {
					for _, pos := range []int{0, min(1, len(text)), rng.IntN(len(text) + 1)} {
						var spans [2 * maxSimpleGroups]int
						if _, _, a := info.backtrack.match(text, pos, &spans); a {
							aborted++
						}
						if msg := sameBacktrack(rule.Regexp, info.backtrack, text, pos); msg != "" {
							t.Errorf("%s rule %q at %q[%d]: %s", rl.Config().Name, rule.Pattern, string(text), pos, msg)
						}
					}
				}
			}
		}
	}
	if followed < all/5 {
		t.Errorf("%d of %d rules are followed by backtracking: the analysis lost them", followed, all)
	}
	t.Logf("%d of %d rules are matched by backtracking; %d attempts took too many steps", followed, all, aborted)
}
