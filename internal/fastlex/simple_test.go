package fastlex

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// TestSimpleOf: which patterns fastlex matches without regexp2, and that
// it finds the match and groups regexp2 finds, at every position of texts
// chosen to trip it.
func TestSimpleOf(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		simple  bool
		texts   []string
	}{
		{`\s+`, true, []string{" \t\nx", "x", "\u00a0\u2028 "}},
		{`[a-z_][\w$]*`, true, []string{"abc$d e", "_1", "1a", "aé中", "a\u0301b"}},
		{`(?i)[a-z_][\w$]*`, true, []string{"ABC", "ſx", "\u212a1"}},
		{`//[^\n]*`, true, []string{"// x\ny", "//", "/ /"}},
		{`--.*\n?`, true, []string{"-- a\nb", "--", "-"}},
		{`[0-9]+\.[0-9]*`, true, []string{"1.5x", "12.", ".5", "1x"}},
		{`0[xX][0-9a-fA-F]+`, true, []string{"0x1F", "0X", "0xg"}},
		{`([a-zA-Z_]\w*)(\s*)(\()`, true, []string{"f (x)", "f(", "f x", "_ ("}},
		{`(\b\w+)(\s*)(\+?=)`, true, []string{"a += 1", "a=", "a ==", "é=", "1 +"}},
		{`^(\s*)(#)`, true, []string{"  #x", "\n#", "a #"}},
		{`\bif\B`, true, []string{"ifx", "if ", "xif"}},
		{`x$`, true, []string{"x\n", "xy", "x"}},
		{`[ab]+?b`, false, nil},             // lazy, and it must give back
		{`a*a`, true, []string{"aaa", "b"}}, // regexp2 reads it as a+
		{`[ab]*b`, false, nil},              // the loop must give back
		{`(a)|b`, false, nil},
		{`(?:ab)+`, false, nil},
		{`(a(b))`, false, nil},
		{`(?<1-1>a)`, false, nil}, // a balancing group takes a capture from another
		{`(a)(?<2-1>b)`, false, nil},
		{`(?i)ak`, true, []string{"AK", "a\u212a", "ax"}}, // (?i) characters are sets
		{``, true, []string{"x", ""}},
	} {
		checkPattern(t, tc.pattern, tc.simple, tc.texts, func(tree *syntax.RegexTree) matcher {
			if p := simpleOf(ruleSequence(tree)); p != nil {
				return p.matcher()
			}
			return nil
		})
	}
}

// checkPattern parses a rule's pattern as fastlex compiles it, checks that
// of (simpleOf, backtrackOf) gives a matcher for it or not as want says,
// and compares the matcher's match with regexp2's at every position of
// texts.
func checkPattern(t *testing.T, pattern string, want bool, texts []string, of func(*syntax.RegexTree) matcher) {
	t.Helper()
	full := `\G(?m)(?:` + pattern + `)`
	tree, err := syntax.Parse(full, syntax.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := of(tree)
	if (m != nil) != want {
		t.Errorf("%s: matched by fastlex %v, want %v\n%s", pattern, m != nil, want, tree.Dump())
		return
	}
	re := regexp2.MustCompile(full)
	for _, text := range texts {
		for pos := range len([]rune(text)) + 1 {
			if msg := sameMatch(re, m, []rune(text), pos); msg != "" {
				t.Errorf("%s at %q[%d]: %s", pattern, text, pos, msg)
			}
		}
	}
}

// matcher is fastlex's match of a rule at text[pos] without regexp2: the
// end, the groups' spans (-1 for a group that took no part), whether it
// matched, and whether it gave up (then regexp2 matches).
type matcher func(text []rune, pos int, spans *[2 * maxSimpleGroups]int) (end int, ok, aborted bool)

func (p *simplePattern) matcher() matcher {
	return func(text []rune, pos int, spans *[2 * maxSimpleGroups]int) (int, bool, bool) {
		end, ok := p.match(text, pos, spans)
		return end, ok, false
	}
}

func (p *backtrackPattern) matcher() matcher { return p.match }

// sameMatch compares m's match at text[pos] with re's, groups included,
// and returns what differs; nothing where m gave up.
func sameMatch(re *regexp2.Regexp, m matcher, text []rune, pos int) string {
	want, err := re.FindRunesMatchStartingAt(text, pos)
	if err != nil {
		return err.Error()
	}
	matched := want != nil && want.RuneIndex == pos
	var spans [2 * maxSimpleGroups]int
	end, ok, aborted := m(text, pos, &spans)
	switch {
	case aborted:
		return ""
	case matched != ok:
		return fmt.Sprintf("regexp2 matches: %v; fastlex matches: %v", matched, ok)
	case !ok:
		return ""
	case end != pos+want.RuneLength:
		return fmt.Sprintf("fastlex matches %d characters, regexp2 %d", end-pos, want.RuneLength)
	}
	for _, n := range re.GetGroupNumbers() {
		g := want.GroupByNumber(n)
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

// TestEverySimpleRule: every rule of every lexer chroma registers that
// fastlex matches without regexp2 matches as its expression does, on
// examples of the rule (generate_test.go), cut short, with a character
// changed or added, and after other text.
func TestEverySimpleRule(t *testing.T) {
	simple, all := matchEveryRule(t, 3, func(info *ruleInfo) matcher {
		if info.simple == nil {
			return nil
		}
		return info.simple.matcher()
	})
	// At chroma v2.27.0, 7,340 of 11,618 rules.
	if simple < all/5 {
		t.Errorf("%d of %d rules are simple: the analysis lost them", simple, all)
	}
	t.Logf("%d of %d rules are simple", simple, all)
}

// matchEveryRule compares, for every rule of every lexer chroma registers
// that fastlex matches itself (by the matcher pick returns), fastlex's
// matches with regexp2's on examples of the rule (generate_test.go), cut
// short, with a character changed or added, and after other text. It
// returns how many rules it compared, of all.
func matchEveryRule(t *testing.T, seed uint64, pick func(*ruleInfo) matcher) (matched, all int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed+1))
	for _, rl := range regexLexers(t) {
		rs := fastRules(t, rl)
		trees := map[*chroma.CompiledRule]*syntax.RegexTree{}
		for rule, info := range rs.each {
			all++
			m := pick(info)
			if m == nil {
				continue
			}
			matched++
			for range 12 {
				ex := example(rule, trees, rng)
				if ex == nil {
					continue
				}
				for _, text := range mutants(rng, ex) {
					for _, pos := range []int{0, min(1, len(text)), rng.IntN(len(text) + 1)} {
						if msg := sameMatch(rule.Regexp, m, text, pos); msg != "" {
							t.Errorf("%s rule %q at %q[%d]: %s", rl.Config().Name, rule.Pattern, string(text), pos, msg)
						}
					}
				}
			}
		}
	}
	return matched, all
}

// mutants returns text as it is, cut short, with one character changed,
// with one added at the end, and after a newline, a letter or a space.
func mutants(rng *rand.Rand, text []rune) [][]rune {
	other := func() rune { return candidates[rng.IntN(len(candidates))] }
	out := [][]rune{text, append(append([]rune(nil), text...), other())}
	if len(text) > 0 {
		out = append(out, text[:rng.IntN(len(text))])
		changed := append([]rune(nil), text...)
		changed[rng.IntN(len(changed))] = other()
		out = append(out, changed)
	}
	for _, before := range []string{"\n", "a", " "} {
		out = append(out, append([]rune(before), text...))
	}
	return out
}

// TestAtLineStart: a rule that atLineStart says matches only at the
// start of a line matches nowhere else, in the table's patterns and in
// every chroma rule it says so of.
func TestAtLineStart(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		at      bool
	}{
		{`(?m)^(\s*)(#)`, true},
		{`(?m)^`, true},
		{`(?m)(?:^)x`, true},
		{`^x`, false}, // not multiline: the start of the text, \A
		{`x^`, false},
		{`(?m)\s*^#`, false},
		{`(?m)(^a|b)`, false},
	} {
		tree, err := syntax.Parse(`\G(?:`+tc.pattern+`)`, syntax.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := atLineStart(ruleSequence(tree)); got != tc.at {
			t.Errorf("%s: atLineStart %v, want %v", tc.pattern, got, tc.at)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	checked := 0 // rules with an example that matches after a newline
	for _, rl := range regexLexers(t) {
		rs := fastRules(t, rl)
		trees := map[*chroma.CompiledRule]*syntax.RegexTree{}
		for rule, info := range rs.each {
			if !info.lineStart {
				continue
			}
			matched := false
			for range 8 {
				ex := example(rule, trees, rng)
				if ex == nil {
					continue
				}
				if m, _ := rule.Regexp.FindRunesMatchStartingAt(append([]rune("x\n"), ex...), 2); m == nil || m.RuneIndex != 2 {
					continue // the example writer does not follow every pattern (a ^ inside)
				}
				matched = true
				for _, before := range []string{"x", " ", "\r", "\u2028"} {
					text := append([]rune(before), ex...)
					if m, _ := rule.Regexp.FindRunesMatchStartingAt(text, 1); m != nil && m.RuneIndex == 1 {
						t.Errorf("%s rule %q matches %q after %q, not at a line's start", rl.Config().Name, rule.Pattern, string(ex), before)
					}
				}
			}
			if matched {
				checked++
			}
		}
	}
	if checked < 100 {
		t.Errorf("%d rules that match only at a line's start checked: the analysis lost them", checked)
	}
	t.Logf("%d rules that match only at a line's start checked", checked)
}
