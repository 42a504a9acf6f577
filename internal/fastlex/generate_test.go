package fastlex

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// Inputs for lexers that chroma has no test input for, made from the
// lexers' own rules: generate walks a lexer's states as chroma would lex
// the text it writes, and whenever the lexer reaches the end of that text
// appends an example of one of the current state's rules, the one tried
// least so far. An example is a string the rule's expression matches,
// written from regexp2's parse tree of it (example). Whether the text
// really reaches a state is measured, not assumed: the equivalence test
// counts the states and rules fastlex goes through (traceMatch).

// maxInput bounds a generated input, in runes.
const maxInput = 4096

// generate writes an input for the lexer, steps lexing steps long at most.
func generate(rl *chroma.RegexLexer, rs *rules, seed uint64, steps int) string {
	rng := rand.New(rand.NewPCG(seed, uint64(len(rl.Config().Name))))
	trees := map[*chroma.CompiledRule]*syntax.RegexTree{}
	tried := map[*chroma.CompiledRule]int{}
	l := &chroma.LexerState{
		Lexer:          rl,
		Registry:       subLexers(),
		Rules:          rs.compiled,
		Stack:          []string{"root"},
		MutatorContext: map[any]any{},
	}
	var all []*chroma.CompiledRule
	for _, sr := range rs.states {
		all = append(all, sr.rules...)
	}
	slices.SortFunc(all, func(a, b *chroma.CompiledRule) int { return strings.Compare(a.Pattern, b.Pattern) })
	var text []rune
	for range steps {
		if len(l.Stack) == 0 || len(l.Stack) > 32 {
			l.Stack = []string{"root"}
		}
		l.State = l.Stack[len(l.Stack)-1]
		sr := rs.states[l.State]
		if sr == nil || len(sr.rules) == 0 {
			l.Stack = l.Stack[:len(l.Stack)-1]
			continue
		}
		if l.Pos == len(text) {
			if len(text) >= maxInput {
				break
			}
			r := leastTried(sr.rules, tried, rng)
			tried[r]++
			ex := example(r, trees, rng)
			for try := 0; len(ex) == 0 && try < 8; try++ {
				// A rule that matches the empty string (a default, a
				// lookahead) needs text after it: any rule's example.
				ex = example(all[rng.IntN(len(all))], trees, rng)
			}
			if len(ex) == 0 {
				continue
			}
			text = append(text, ex...)
			l.Text = text
		}
		index, rule, groups := matchAll(l.Text, l.Pos, sr.rules)
		if groups == nil {
			if l.Text[l.Pos] == '\n' {
				l.Stack = []string{"root"}
			}
			l.Pos++
			continue
		}
		l.Rule, l.Groups = index, groups
		l.NamedGroups = map[string]string{}
		l.Pos += utf8.RuneCountInString(groups[0])
		if rule.Mutator != nil {
			func() {
				defer func() { _ = recover() }() // a mutator that needs more than a walk gives
				_ = rule.Mutator.Mutate(l)
			}()
		}
	}
	return string(text)
}

// example returns an example of the rule's expression, nil if it found
// none.
func example(r *chroma.CompiledRule, trees map[*chroma.CompiledRule]*syntax.RegexTree, rng *rand.Rand) []rune {
	tree, ok := trees[r]
	if !ok {
		tree, _ = syntax.Parse(r.Regexp.String(), syntax.ParseOptions{})
		trees[r] = tree
	}
	if tree == nil {
		return nil
	}
	g := &exampleWriter{rng: rng, caps: map[int][]rune{}}
	if !g.write(tree.Root) {
		return nil
	}
	return g.out
}

// leastTried picks, at random, one of the rules tried least often.
func leastTried(rules []*chroma.CompiledRule, tried map[*chroma.CompiledRule]int, rng *rand.Rand) *chroma.CompiledRule {
	least, n := math.MaxInt, 0
	var pick *chroma.CompiledRule
	for _, r := range rules {
		switch c := tried[r]; {
		case c < least:
			least, n, pick = c, 1, r
		case c == least:
			n++
			if rng.IntN(n) == 0 {
				pick = r
			}
		}
	}
	return pick
}

// matchAll is chroma's matchRules: the first rule that matches at pos.
func matchAll(text []rune, pos int, rules []*chroma.CompiledRule) (int, *chroma.CompiledRule, []string) {
	for i, r := range rules {
		m, err := r.Regexp.FindRunesMatchStartingAt(text, pos)
		if m != nil && err == nil && m.RuneIndex == pos {
			var groups []string
			for _, g := range m.Groups() {
				groups = append(groups, g.String())
			}
			return i, r, groups
		}
	}
	return 0, nil, nil
}

// exampleWriter writes a string a regular expression matches, choosing
// at random among alternatives, repetition counts and a set's characters.
type exampleWriter struct {
	rng  *rand.Rand
	out  []rune
	caps map[int][]rune // what each capture group wrote, for backreferences
}

// candidates are the characters examples are made of, where a set or a
// "not this character" allows: ASCII first, then some beyond.
var candidates = func() []rune {
	out := []rune{'\n', '\t'}
	for c := rune(' '); c <= '~'; c++ {
		out = append(out, c)
	}
	return append(out, 'é', 'ß', 'λ', 'Ж', 'ק', '中', 'あ', '😀', '\u00a0', '\u2028', '\u0301', '٣')
}()

// write writes an example of n, reporting false if it found none.
func (g *exampleWriter) write(n *syntax.RegexNode) bool {
	if len(g.out) > 400 {
		return true // long enough: what follows is left unmatched
	}
	switch n.T {
	case syntax.NtOne:
		g.out = append(g.out, g.cased(n, n.Ch))
	case syntax.NtNotone:
		return g.any(func(c rune) bool { return c != n.Ch }, 1)
	case syntax.NtSet:
		return g.any(n.Set.CharIn, 1)
	case syntax.NtMulti:
		for _, c := range n.Str {
			g.out = append(g.out, g.cased(n, c))
		}
	case syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		for range g.count(n) {
			g.out = append(g.out, g.cased(n, n.Ch))
		}
	case syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
		return g.any(func(c rune) bool { return c != n.Ch }, g.count(n))
	case syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		return g.any(n.Set.CharIn, g.count(n))
	case syntax.NtRef:
		g.out = append(g.out, g.caps[n.M]...)
	case syntax.NtEol:
		g.out = append(g.out, '\n')
	case syntax.NtNothing:
		return false
	case syntax.NtAlternate:
		if len(n.Children) == 0 {
			return false
		}
		return g.write(n.Children[g.rng.IntN(len(n.Children))])
	case syntax.NtConcatenate:
		for _, c := range n.Children {
			if !g.write(c) {
				return false
			}
		}
	case syntax.NtLoop, syntax.NtLazyloop:
		for range g.count(n) {
			if !g.write(n.Children[0]) {
				return false
			}
		}
	case syntax.NtCapture:
		start := len(g.out)
		if !g.write(n.Children[0]) {
			return false
		}
		g.caps[n.M] = append([]rune(nil), g.out[start:]...)
	case syntax.NtGroup, syntax.NtAtomic:
		return g.write(n.Children[0])
	case syntax.NtPosLook:
		// A lookahead's text follows the match; a lookbehind's went before.
		if n.Options&syntax.RightToLeft == 0 {
			return g.write(n.Children[0])
		}
	case syntax.NtBackRefCond:
		if len(n.Children) > 0 {
			return g.write(n.Children[g.rng.IntN(len(n.Children))])
		}
	case syntax.NtExprCond:
		if len(n.Children) > 1 {
			return g.write(n.Children[1+g.rng.IntN(len(n.Children)-1)])
		}
	}
	// Anchors, boundaries, negative lookarounds, empty: nothing to write.
	return true
}

// cased writes c as it is, or, where n ignores case, now and then in
// upper case.
func (g *exampleWriter) cased(n *syntax.RegexNode, c rune) rune {
	if n.Options&syntax.IgnoreCase != 0 && g.rng.IntN(2) == 0 {
		return unicode.ToUpper(c)
	}
	return c
}

// count is how many times a loop repeats: its minimum and up to 3 more.
func (g *exampleWriter) count(n *syntax.RegexNode) int {
	c := n.M + g.rng.IntN(4)
	if n.N >= 0 && c > n.N {
		c = n.N
	}
	return max(c, 0)
}

// any writes count characters in, at random among candidates, or, when
// no candidate is in, among the first of the rest of Unicode. It fails if
// it needs one and finds none.
func (g *exampleWriter) any(in func(rune) bool, count int) bool {
	if count == 0 {
		return true
	}
	var chars []rune
	for _, c := range candidates {
		if in(c) {
			chars = append(chars, c)
		}
	}
	for c := rune(0x80); len(chars) == 0 && c < 0x30000; c++ {
		if in(c) {
			chars = append(chars, c)
		}
	}
	if len(chars) == 0 {
		return false
	}
	for range count {
		g.out = append(g.out, chars[g.rng.IntN(len(chars))])
	}
	return true
}
