package fastlex

import (
	"math/rand/v2"
	"testing"
	"unicode"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// TestWordsOf: which patterns get a word check, whether it is exact, and
// that it answers as regexp2 does on texts chosen to trip it.
func TestWordsOf(t *testing.T) {
	const none, filter, exact = 0, 1, 2
	for _, tc := range []struct {
		pattern string
		kind    int
		texts   []string // each tried at every position
	}{
		{`(?i)(SELECT|SET|S)\b`, exact, []string{"select 1", "SeT x", "s", "ſet", "settle", "sets_", "set\u0301", "xset"}},
		{`(?i)(COMMIT|COMMITTED|KEY)\b`, exact, []string{"committed", "COMMIT;", "\u212aey", "kEY9", "key-"}},
		{`(?i)(END-EXEC|END|TEMP| TEMP)\b`, exact, []string{"end-exec", "END-EXECx", "end-", "end -", " temp", "  temp", "x temp"}},
		{`(?i)(END|END-EXEC)\b`, exact, []string{"end-exec", "END-EXECx"}}, // the list's order, not the longest
		{`(if|in|int)\b`, exact, []string{"if", "in", "int", "intx", "IF", "i", "int_"}},
		{`\b(if|in)\b`, exact, []string{"if", "xif", "_in", " in", "é in", "éin"}},
		{`(?:foo|bar)\b`, exact, []string{"foo", "bar", "foobar", "fo"}},
		{`(?<!\.)(self|cls)\b`, filter, []string{"self", ".self", "x.cls", "cls"}},
		{`(true|false)\b(\s*)`, filter, []string{"true ", "false", "trueish"}},
		{`(a(b)|c)\b`, filter, []string{"ab", "c", "abc"}},
		{`(?i)(a|)\b`, none, nil},
		{`(foo|[a-z]+)\b`, none, nil},
		{`(foo)`, none, nil},
		{`(?<1-1>if|in)\b`, filter, []string{"if", "in"}},        // a balancing group: regexp2 does not match
		{`(?i)(x\w)\b`, exact, []string{"xa", "xé", "x_", "x "}}, // \w: an odd test
		{`(\+\+|--)\b`, exact, []string{"++a", "++ ", "--1"}},
	} {
		pattern := `\G(?:` + tc.pattern + `)`
		tree, err := syntax.Parse(pattern, syntax.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		w := wordsOf(ruleSequence(tree))
		kind := none
		if w != nil {
			kind = filter
			if w.exact {
				kind = exact
			}
		}
		if kind != tc.kind {
			t.Errorf("%s: word check of kind %d, want %d", tc.pattern, kind, tc.kind)
			continue
		}
		re := regexp2.MustCompile(pattern)
		for _, text := range tc.texts {
			for pos := range len([]rune(text)) {
				if msg := sameAsRegexp2(re, w, []rune(text), pos); msg != "" {
					t.Errorf("%s at %q[%d]: %s", tc.pattern, text, pos, msg)
				}
			}
		}
	}
}

// sameAsRegexp2 compares w's answer at text[pos] with re's, and returns
// what differs.
func sameAsRegexp2(re *regexp2.Regexp, w *wordList, text []rune, pos int) string {
	m, err := re.FindRunesMatchStartingAt(text, pos)
	if err != nil {
		return err.Error()
	}
	matched := m != nil && m.RuneIndex == pos
	n, ok := w.match(text, pos)
	switch {
	case matched && !ok:
		return "regexp2 matches, the word check refuses"
	case !w.exact:
		return ""
	case ok && !matched:
		return "the word check matches, regexp2 does not"
	case ok && n != m.RuneLength:
		return "the word check matches a different length"
	case ok:
		for _, g := range m.Groups() {
			if g.String() != string(text[pos:pos+n]) {
				return "a group is not the word: " + g.String()
			}
		}
	}
	return ""
}

// TestEveryWordCheck: every rule of every lexer chroma registers that gets
// a word check answers as its expression does, on its own words written
// in every case (the Kelvin sign and long s among them), cut short, run
// on into more word characters, and after a word character.
func TestEveryWordCheck(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ends := []string{"", " ", "x", "_", "7", "\u0301", "-", "é", "\u212a", "(", "\n"}
	starts := []string{"", " ", "a", "_", ".", "é"}
	rules, exact := 0, 0
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		rl, ok := l.(*chroma.RegexLexer)
		if !ok {
			continue
		}
		rs, err := compile(rl)
		if err != nil {
			continue
		}
		for rule, info := range rs.each {
			w := info.words
			if w == nil {
				continue
			}
			rules++
			if w.exact {
				exact++
			}
			var spellings []spelling
			for _, ss := range w.words {
				spellings = append(spellings, ss...)
			}
			spellings = append(spellings, w.odd...)
			rng.Shuffle(len(spellings), func(i, j int) { spellings[i], spellings[j] = spellings[j], spellings[i] })
			for _, s := range spellings[:min(len(spellings), 25)] {
				word := writeSpelling(rng, s)
				if word == nil {
					continue
				}
				for range 4 {
					start, end := starts[rng.IntN(len(starts))], ends[rng.IntN(len(ends))]
					text := append(append([]rune(start), word...), []rune(end)...)
					pos := len([]rune(start))
					if msg := sameAsRegexp2(rule.Regexp, w, text, pos); msg != "" {
						t.Errorf("%s rule %q at %q[%d]: %s", rl.Config().Name, rule.Pattern, string(text), pos, msg)
					}
					short := text[:pos+len(word)-1]
					if msg := sameAsRegexp2(rule.Regexp, w, short, pos); msg != "" {
						t.Errorf("%s rule %q at %q[%d]: %s", rl.Config().Name, rule.Pattern, string(short), pos, msg)
					}
				}
			}
		}
	}
	// At chroma v2.27.0: 877 of 10,491 rules, 757 of them exact.
	if rules < 500 || exact < 400 {
		t.Errorf("%d rules have a word check, %d of them exact: the analysis lost them", rules, exact)
	}
}

// writeSpelling returns a text s matches, each character picked at random
// among those its test lets through: the ASCII ones and their case
// equivalents. It returns nil if a test lets no such character through.
func writeSpelling(rng *rand.Rand, s spelling) []rune {
	var out []rune
	for _, test := range s.tests {
		var can []rune
		for ch := range rune(128) {
			if !matches(test, ch) {
				continue
			}
			can = append(can, ch)
			for f := unicode.SimpleFold(ch); f != ch; f = unicode.SimpleFold(f) {
				if matches(test, f) {
					can = append(can, f)
				}
			}
		}
		if len(can) == 0 {
			return nil
		}
		out = append(out, can[rng.IntN(len(can))])
	}
	return out
}
