package fastlex

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
)

// chromaTestdata returns chroma's own lexer test inputs, by lexer name:
// one file per lexer, written to exercise its rules.
func chromaTestdata(t *testing.T) map[string]string {
	t.Helper()
	dir := filepath.Join(moduleDir(t, "github.com/alecthomas/chroma/v2"), "lexers", "testdata")
	files, err := filepath.Glob(filepath.Join(dir, "*.actual"))
	if err != nil || len(files) < 100 {
		t.Fatalf("chroma's lexer test inputs in %s: %d files, %v", dir, len(files), err)
	}
	// A directory holds several inputs of the lexer it is named after.
	more, _ := filepath.Glob(filepath.Join(dir, "*", "*.actual"))
	inputs := map[string]string{}
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".actual")
		if d := filepath.Base(filepath.Dir(f)); d != "testdata" {
			name = d + " " + name
		}
		inputs[name] = string(b)
	}
	return inputs
}

func TestGet(t *testing.T) {
	for _, name := range []string{"go", "Go", "py", "dockerfile", "php", "erb", "svelte"} {
		if got, want := Get(name), lexers.Get(name); got == nil || got.Config() != want.Config() {
			t.Errorf("Get(%q) = %v, want a wrapped %v", name, got, want)
		}
	}
	if Get("no-such-language") != nil {
		t.Error("Get of an unknown language is not nil")
	}
	if Get("go") != Get("golang") {
		t.Error("one lexer wrapped twice")
	}
}

func BenchmarkTokenise(b *testing.B) {
	text := strings.Repeat(`package main

import "fmt"

// main says hello, 42 times.
func main() {
	for i := 0; i < 42; i++ {
		fmt.Printf("hello, %d\n", i)
	}
}
`, 20)
	for _, bc := range []struct {
		name  string
		lexer chroma.Lexer
	}{{"chroma", lexers.Get("go")}, {"fastlex", Get("go")}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				it, err := bc.lexer.Tokenise(nil, text)
				if err != nil {
					b.Fatal(err)
				}
				for tok := it(); tok != chroma.EOF; tok = it() {
				}
			}
		})
	}
}

func TestReadsNamedGroups(t *testing.T) {
	byNames := chroma.ByGroupNames(map[string]chroma.Emitter{"x": chroma.Keyword})
	for _, tc := range []struct {
		name string
		v    any
		want bool
	}{
		{"no emitter", nil, false},
		{"token", chroma.Keyword, false},
		{"by groups of tokens", chroma.ByGroups(chroma.Keyword, nil, chroma.Text), false},
		{"using", chroma.Using("go"), false},
		{"using self", chroma.UsingSelf("root"), false},
		{"by group names", byNames, true},
		{"by groups holding by group names", chroma.ByGroups(chroma.Keyword, byNames), true},
		{"using by group", chroma.UsingByGroup(1, 2, chroma.Keyword, chroma.Text), false},
		{"push", chroma.Push("x"), false},
		{"pop", chroma.Pop(1), false},
		{"mutators", chroma.Mutators(chroma.Push("x"), chroma.Pop(1)), false},
		{"a Go mutator", chroma.MutatorFunc(func(*chroma.LexerState) error { return nil }), true},
		{"mutators holding a Go mutator", chroma.Mutators(chroma.Push("x"), chroma.MutatorFunc(func(*chroma.LexerState) error { return nil })), true},
	} {
		if got := readsNamedGroups(tc.v); got != tc.want {
			t.Errorf("%s: readsNamedGroups = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestEmitterValidation: a ByGroups rule with more or fewer emitters than
// its expression has groups is refused, by fastlex's compile as by chroma,
// with chroma's message.
func TestEmitterValidation(t *testing.T) {
	bad := chroma.MustNewLexer(&chroma.Config{Name: "bad"}, func() chroma.Rules {
		return chroma.Rules{"root": {{Pattern: `(a)(b)`, Type: chroma.ByGroups(chroma.Keyword)}}}
	})
	_, chromaErr := bad.Tokenise(nil, "ab")
	_, fastErr := wrap(bad).Tokenise(nil, "ab")
	if chromaErr == nil || fastErr == nil || chromaErr.Error() != fastErr.Error() {
		t.Errorf("Tokenise with a bad ByGroups: chroma's error %v, fastlex's %v", chromaErr, fastErr)
	}

	re := regexp2.MustCompile(`\G(?:(a)(b))`)
	for _, tc := range []struct {
		emitters []chroma.Emitter
		err      string
	}{
		{[]chroma.Emitter{chroma.Keyword, chroma.Text}, ""},
		{[]chroma.Emitter{chroma.Keyword}, "bad: root: (a)(b): number of groups 2 does not match number of emitters 1"},
		{[]chroma.Emitter{chroma.Keyword, chroma.Text, chroma.Text}, "bad: root: (a)(b): number of groups 2 does not match number of emitters 3"},
	} {
		rules := chroma.CompiledRules{"root": {{Rule: chroma.Rule{Pattern: `(a)(b)`, Type: chroma.ByGroups(tc.emitters...)}, Regexp: re}}}
		err := validateEmitters("bad", rules)
		if got := fmt.Sprint(err); (err == nil) != (tc.err == "") || (err != nil && got != tc.err) {
			t.Errorf("%d emitters: validateEmitters = %v, want %q", len(tc.emitters), err, tc.err)
		}
	}
}

// TestNoRunaway: where chroma would emit empty tokens for ever (JSONata's
// last rule matches the empty string at "|", which no rule takes), fastlex
// takes the character as an error and goes on.
func TestNoRunaway(t *testing.T) {
	it, err := Get("jsonata").Tokenise(nil, "$x | y\n")
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	n := 0
	for tok := it(); tok != chroma.EOF; tok = it() {
		if n++; n > 10*maxEmpty {
			t.Fatalf("over %d tokens from 7 characters", 10*maxEmpty)
		}
		text.WriteString(tok.Value)
		if tok.Value == "|" && tok.Type != chroma.Error {
			t.Errorf("| is %v, want an error", tok.Type)
		}
	}
	if text.String() != "$x | y\n" {
		t.Errorf("tokens spell %q", text.String())
	}
}

// TestGroupsAsMatchGroups: find gives a match's groups in the order, and
// with the names, regexp2's Match.Groups gives them, which is what chroma
// hands emitters and mutators: numbered, explicitly numbered (sparse),
// named, balancing and optional groups that took no part, at the start
// of the text and further in.
func TestGroupsAsMatchGroups(t *testing.T) {
	for _, tc := range []struct {
		pattern, text string
		at            int
	}{
		{`(a)(b)`, "ab", 0},
		{`(a)(x)?(b)`, "ab", 0},
		{`(?<word>\w+)(\s*)(?<num>\d+)?`, "abc  12", 0},
		{`(?<5>a)(b)(?<2>c)`, "abc", 0},
		{`(?<n>a)|(?<n>b)`, "b", 0},
		{`((a)|b)+`, "aab", 0},
		{`(?:x)`, "x", 0},
		{`(é)(ß+)`, "éßß", 0},
		{`(?<o>\()+(?<c-o>\))+`, "(()) x", 0},
		{`(?<o>\()(?<-o>\))(?<o>x)?`, "()", 0},
		{`(b)(c)`, "abc", 1},
		{`(?<1>x)(y)`, "..xy", 2},
	} {
		re := regexp2.MustCompile(`\G(?:` + tc.pattern + `)`)
		text := []rune(tc.text)
		want, err := re.FindRunesMatchStartingAt(text, tc.at)
		if err != nil || want == nil || want.RuneIndex != tc.at {
			t.Fatalf("%s on %q at %d: no match (%v)", tc.pattern, tc.text, tc.at, err)
		}
		r := &runner{rules: &rules{named: true}, state: &chroma.LexerState{Text: text, Pos: tc.at}}
		groups, named, err := r.find(re, slotsOf(re))
		if err != nil {
			t.Fatal(err)
		}
		all := want.Groups()
		if len(groups) != len(all) {
			t.Fatalf("%s: %d groups, regexp2 has %d", tc.pattern, len(groups), len(all))
		}
		for i, g := range all {
			if groups[i] != g.String() || named[g.Name] != g.String() {
				t.Errorf("%s: group %d (%s) is %q, by name %q; regexp2 has %q", tc.pattern, i, g.Name, groups[i], named[g.Name], g.String())
			}
		}
	}
}
