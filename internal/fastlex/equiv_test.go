package fastlex

import (
	"flag"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/siteblog/site/internal/testenv"
)

var coverageReport = flag.Bool("coverage", false, "log each lexer's share of states reached and rules matched")

// regexLexers returns the regular-expression lexers chroma registers,
// sorted by name.
func regexLexers(t testing.TB) []*chroma.RegexLexer {
	t.Helper()
	var out []*chroma.RegexLexer
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		if rl, ok := l.(*chroma.RegexLexer); ok {
			out = append(out, rl)
		}
	}
	slices.SortFunc(out, func(a, b *chroma.RegexLexer) int { return strings.Compare(a.Config().Name, b.Config().Name) })
	if len(out) < 250 {
		t.Fatalf("chroma registers %d regex lexers, expected hundreds", len(out))
	}
	return out
}

// fastRules returns the lexer's rules as fastlex compiled them.
func fastRules(t testing.TB, rl *chroma.RegexLexer) *rules {
	t.Helper()
	fast := wrap(rl).(*Lexer)
	if _, err := fast.Tokenise(nil, ""); err != nil {
		t.Fatalf("%s: %v", rl.Config().Name, err)
	}
	return fast.rules
}

// lexed is what a lexer made of an input: its tokens, or the error or
// panic that stopped it.
type lexed struct {
	tokens []chroma.Token
	err    string
}

// lex lexes text, stopping at a run of empty tokens longer than fastlex
// allows (maxEmpty): chroma emits them for ever where a rule matches the
// empty string and leaves the state as it was.
func lex(l chroma.Lexer, options *chroma.TokeniseOptions, text string) (out lexed) {
	defer func() {
		if p := recover(); p != nil {
			out.err = fmt.Sprint("panic: ", p)
		}
	}()
	it, err := l.Tokenise(options, text)
	if err != nil {
		return lexed{err: err.Error()}
	}
	empty := 0
	for t := it(); t != chroma.EOF; t = it() {
		out.tokens = append(out.tokens, t)
		if empty = empty + 1; t.Value != "" {
			empty = 0
		}
		if empty > 2*maxEmpty {
			out.err = "runaway"
			break
		}
	}
	return out
}

// difference describes how fastlex's lexing of text differs from
// chroma's, "" if it does not. chroma gives up on a rule whose expression
// runs over 250 ms (regexp2's MatchTimeout), which a busy machine can
// cause on any input, so a difference counts only if it shows three times.
func difference(l chroma.Lexer, options *chroma.TokeniseOptions, text string) string {
	fast := wrap(l)
	var diff string
	for range 3 {
		want, got := lex(l, options, text), lex(fast, options, text)
		diff = compareLexed(want, got)
		if diff == "" {
			return ""
		}
	}
	return diff
}

// compareLexed compares chroma's lexing (want) with fastlex's (got). Where
// chroma runs away, fastlex must end, having made the same tokens as chroma
// up to there, leaving aside empty ones.
func compareLexed(want, got lexed) string {
	if want.err == "runaway" && got.err == "" {
		w, g := nonEmpty(want.tokens), nonEmpty(got.tokens)
		for i := range w {
			if i >= len(g) || w[i] != g[i] {
				return fmt.Sprintf("where chroma runs away: its non-empty token %d, %v, is not fastlex's", i, w[i])
			}
		}
		return ""
	}
	if want.err != got.err {
		return fmt.Sprintf("chroma's error %q, fastlex's %q", want.err, got.err)
	}
	for i := range min(len(want.tokens), len(got.tokens)) {
		if want.tokens[i] != got.tokens[i] {
			return fmt.Sprintf("token %d: chroma %v, fastlex %v", i, want.tokens[i], got.tokens[i])
		}
	}
	if len(want.tokens) != len(got.tokens) {
		return fmt.Sprintf("chroma %d tokens, fastlex %d", len(want.tokens), len(got.tokens))
	}
	return ""
}

func nonEmpty(tokens []chroma.Token) []chroma.Token {
	var out []chroma.Token
	for _, t := range tokens {
		if t.Value != "" {
			out = append(out, t)
		}
	}
	return out
}

// variants are the texts an input is lexed as: as it is, with CRLF line
// ends, without its final newline, and (up to 16 KiB) cut into pieces at
// line ends, which leaves strings and comments unclosed and exercises
// error recovery.
func variants(text string) []string {
	out := []string{text, strings.ReplaceAll(text, "\n", "\r\n"), strings.TrimSuffix(text, "\n")}
	if len(text) > 16<<10 {
		return out
	}
	lines := strings.SplitAfter(text, "\n")
	step := max(1, len(lines)/6)
	for i := step; i < len(lines); i += step {
		out = append(out, strings.Join(lines[:i], ""), strings.Join(lines[i:], ""))
	}
	return out
}

// coverage counts, per lexer, the states fastlex entered and the rules it
// matched.
type coverage struct {
	entered map[*chroma.RegexLexer]map[string]bool
	matched map[*chroma.RegexLexer]map[*chroma.CompiledRule]bool
}

func newCoverage() *coverage {
	return &coverage{entered: map[*chroma.RegexLexer]map[string]bool{}, matched: map[*chroma.RegexLexer]map[*chroma.CompiledRule]bool{}}
}

func (c *coverage) trace(l *chroma.RegexLexer, state string, rule *chroma.CompiledRule) {
	if c.entered[l] == nil {
		c.entered[l] = map[string]bool{}
		c.matched[l] = map[*chroma.CompiledRule]bool{}
	}
	c.entered[l][state] = true
	if rule != nil {
		c.matched[l][rule] = true
	}
}

// share returns the lexer's states reached and rules matched, and how
// many it has. A state counts as reached when fastlex entered it or
// matched one of the rules written in it (states that are only included
// in others are never entered); rules are counted once however many
// states include them.
func (c *coverage) share(rl *chroma.RegexLexer, rs *rules) (states, allStates, matched, allRules int) {
	reached := map[string]bool{}
	for s := range c.entered[rl] {
		reached[s] = true
	}
	distinct := map[*chroma.CompiledRule]bool{}
	for _, r := range rs.compiled {
		for _, rule := range r {
			distinct[rule] = true
		}
	}
	for rule := range distinct {
		if c.matched[rl][rule] {
			matched++
			reached[rs.written[rule]] = true
		}
	}
	raw, _ := rl.Rules()
	for s := range raw {
		if reached[s] {
			states++
		}
	}
	return states, len(raw), matched, len(distinct)
}

// TestEveryRegexLexer lexes inputs in every regular-expression lexer
// chroma registers with chroma and with fastlex, and requires the same
// tokens (or the same error). The inputs are chroma's own test inputs for
// the lexer, where it has some, and three generated from the lexer's
// rules (generate), each lexed as its variants and nested. It measures
// the share of each lexer's states and rules the inputs reach, and fails
// if it falls below the floors below; -coverage logs it per lexer.
func TestEveryRegexLexer(t *testing.T) {
	const (
		minStates  = 0.90 // of all lexers' states, reached
		minRules   = 0.85 // of all lexers' rules, matched
		minPerLexr = 0.40 // of each lexer's rules, matched
	)
	testdata := map[*chroma.RegexLexer][]string{}
	for name, text := range chromaTestdata(t) {
		lexerName, _, _ := strings.Cut(name, " ")
		if rl, ok := lexers.Get(lexerName).(*chroma.RegexLexer); ok {
			testdata[rl] = append(testdata[rl], text)
		}
	}
	cov := newCoverage()
	traceMatch = cov.trace
	defer func() { traceMatch = nil }()

	all := regexLexers(t)
	var states, allStates, matched, allRules, withTestdata int
	var report, low []string
	for _, rl := range all {
		name := rl.Config().Name
		rs := fastRules(t, rl)
		inputs := testdata[rl]
		if len(inputs) > 0 {
			withTestdata++
		}
		steps := 200 + 4*len(rs.written) // more for lexers with more rules
		for seed := range uint64(3) {
			inputs = append(inputs, generate(rl, rs, seed, min(steps, 1500)))
		}
		for i, text := range inputs {
			vs := variants(text)
			if i >= len(testdata[rl]) {
				vs = vs[:2] // generated: as it is and with CRLF line ends
			}
			for j, v := range vs {
				if d := difference(rl, nil, v); d != "" {
					t.Errorf("%s: input %d, variant %d: %s\n%q", name, i, j, d, v)
				}
			}
			nested := &chroma.TokeniseOptions{State: "root", Nested: true}
			if d := difference(rl, nested, text); d != "" {
				t.Errorf("%s: input %d nested: %s", name, i, d)
			}
		}
		s, as, m, ar := cov.share(rl, rs)
		states, allStates, matched, allRules = states+s, allStates+as, matched+m, allRules+ar
		line := fmt.Sprintf("%-28s states %3d/%-3d rules %4d/%-4d (%3.0f%%) chroma inputs %d", name, s, as, m, ar, 100*float64(m)/float64(max(ar, 1)), len(testdata[rl]))
		report = append(report, line)
		if float64(m) < minPerLexr*float64(ar) {
			low = append(low, line)
		}
	}
	if *coverageReport {
		t.Log("coverage per lexer:\n" + strings.Join(report, "\n"))
	}
	t.Logf("%d regex lexers (%d with chroma test inputs): states reached %d/%d (%.1f%%), rules matched %d/%d (%.1f%%)",
		len(all), withTestdata, states, allStates, 100*float64(states)/float64(allStates), matched, allRules, 100*float64(matched)/float64(allRules))
	if float64(states) < minStates*float64(allStates) || float64(matched) < minRules*float64(allRules) {
		t.Errorf("coverage under the floors (states %.0f%%, rules %.0f%%)", 100*minStates, 100*minRules)
	}
	if len(low) > 0 {
		sort.Strings(low)
		t.Errorf("lexers with under %.0f%% of their rules matched:\n%s", 100*minPerLexr, strings.Join(low, "\n"))
	}
}

// FuzzSameTokens lexes text with chroma and with fastlex in the lexer
// named, or, for a name that is no regular-expression lexer's, in the
// lexer the name's hash picks, and requires the same tokens. Its seeds
// are a short generated input in each of the languages sites use most
// (TestEveryRegexLexer covers the rest; seeding all 288 lexers would
// spend a short fuzzing run compiling them).
func FuzzSameTokens(f *testing.F) {
	all := regexLexers(f)
	for _, name := range []string{"go", "python", "rust", "c", "c++", "javascript", "typescript", "sql", "bash",
		"dockerfile", "yaml", "json", "html", "css", "toml", "xml", "makefile", "java", "ruby", "php"} {
		rl, ok := lexers.Get(name).(*chroma.RegexLexer)
		if !ok {
			continue // a delegating lexer (php): its parts are regex lexers of their own
		}
		f.Add(name, generate(rl, fastRules(f, rl), 7, 60))
	}
	f.Fuzz(func(t *testing.T, name, text string) {
		if len(text) > 8<<10 {
			return
		}
		defer testenv.WatchFuzzInput(name, text)()
		rl, ok := lexers.Get(name).(*chroma.RegexLexer)
		if !ok {
			h := fnv.New32a()
			h.Write([]byte(name))
			rl = all[int(h.Sum32()%uint32(len(all)))]
		}
		if d := difference(rl, nil, text); d != "" {
			t.Fatalf("%s: %s", rl.Config().Name, d)
		}
		if d := difference(rl, &chroma.TokeniseOptions{State: "root", Nested: true}, text); d != "" {
			t.Fatalf("%s nested: %s", rl.Config().Name, d)
		}
	})
}

// TestTrickyInputs compares fastlex with chroma where the first-character
// check could go wrong, and where it was seen to. Cases found to differ
// belong here.
func TestTrickyInputs(t *testing.T) {
	for _, tc := range []struct{ lexer, text, why string }{
		{"sql", "SeLeCt * FrOm t WHERE x = 'a';\n", "case-insensitive rules: upper case first characters"},
		{"python", "λ = 'é'\nπ = 3\n", "first characters beyond ASCII"},
		{"go", "x := \"中\" // ☃\n", "non-ASCII in strings and comments"},
		{"c", "int x;\r\nint y;\rint z;\n", "CRLF and lone CR line ends"},
		{"bash", "echo hi", "no final newline"},
		{"go", "s := \"abc\nx := 1\n", "an unclosed string: the newline resets the state stack"},
		{"html", "<script>var x = 1;</script><style>p{color:red}</style>\n", "Using sub-lexers"},
		{"php", "<?php echo 1; ?>\n<b>x</b>\n", "a delegating lexer"},
		{"dockerfile", "FROM debian\nRUN apt-get install -y x \\\n  && rm -rf /var/lib\n", "ByGroups and Using(bash)"},
		{"makefile", "all: x\n\tgcc -o $@ $<\n", "ByGroups"},
		{"toml", "[a.b]\nc = 1979-05-27T07:32:00Z\nd = \"\"\"x\"\"\"\n", "multi-line strings"},
		{"xml", "<?xml version=\"1.0\"?>\n<a b=\"c\"><![CDATA[x]]></a>\n", "processing instructions, CDATA"},
		{"go", "", "empty input"},
		{"go", "x := \"\xff\xfe\"\n", "invalid UTF-8"},
		{"c", "int\x00x;\n", "NUL"},
		{"jsonata", "$x | y\n", "a rule matching the empty string without changing state: chroma emits empty tokens for ever, fastlex ends"},
	} {
		l := lexers.Get(tc.lexer)
		if l == nil {
			t.Fatalf("chroma has no lexer %q", tc.lexer)
		}
		for _, options := range []*chroma.TokeniseOptions{nil, {State: "root", Nested: true}} {
			if d := difference(l, options, tc.text); d != "" {
				t.Errorf("%s %q (%s): %s", tc.lexer, tc.text, tc.why, d)
			}
		}
	}
}
