package fastlex

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// chromaTestdata returns chroma's own lexer test inputs, by lexer name:
// one file per lexer, written to exercise its rules.
func chromaTestdata(t *testing.T) map[string]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/alecthomas/chroma/v2").Output()
	if err != nil {
		t.Fatalf("locating chroma's module: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "lexers", "testdata")
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

func tokens(t *testing.T, l chroma.Lexer, options *chroma.TokeniseOptions, text string) []chroma.Token {
	t.Helper()
	it, err := l.Tokenise(options, text)
	if err != nil {
		t.Fatalf("%s: %v", l.Config().Name, err)
	}
	return it.Tokens()
}

func sameTokens(t *testing.T, what string, want, got []chroma.Token) {
	t.Helper()
	for i := range min(len(want), len(got)) {
		if want[i] != got[i] {
			t.Fatalf("%s: token %d: chroma %v, fastlex %v", what, i, want[i], got[i])
		}
	}
	if len(want) != len(got) {
		t.Fatalf("%s: chroma %d tokens, fastlex %d", what, len(want), len(got))
	}
}

// TestSameTokensAsChroma runs every lexer chroma has a test input for over
// that input, over its halves cut at line ends (which leaves strings and
// comments unclosed, exercising error recovery; inputs up to 16 KiB), and
// with CRLF line ends.
func TestSameTokensAsChroma(t *testing.T) {
	inputs := chromaTestdata(t)
	covered := 0
	for input, text := range inputs {
		name, _, _ := strings.Cut(input, " ")
		chromaLexer := lexers.Get(name)
		if chromaLexer == nil {
			continue
		}
		covered++
		fast := Get(name)
		texts := []string{text, strings.ReplaceAll(text, "\n", "\r\n"), strings.TrimSuffix(text, "\n")}
		lines := strings.SplitAfter(text, "\n")
		step := max(1, len(lines)/6)
		for i := step; i < len(lines) && len(text) < 16<<10; i += step {
			texts = append(texts, strings.Join(lines[:i], ""), strings.Join(lines[i:], ""))
		}
		for _, s := range texts {
			sameTokens(t, input, tokens(t, chromaLexer, nil, s), tokens(t, fast, nil, s))
		}
		nested := &chroma.TokeniseOptions{State: "root", Nested: true}
		sameTokens(t, input+" nested", tokens(t, chromaLexer, nested, text), tokens(t, fast, nested, text))
	}
	if covered < 100 {
		t.Fatalf("only %d lexers compared", covered)
	}
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
