package fastlex

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
)

// backtracking is a lexer whose first rule backtracks exponentially on
// a run of a's: (a+)+x tries every way to split the run before it fails,
// and then a+y matches.
func backtracking(name string) chroma.Lexer {
	return chroma.MustNewLexer(&chroma.Config{Name: name}, func() chroma.Rules {
		return chroma.Rules{"root": {
			{Pattern: `(?:(a+)+x|a+y)`, Type: chroma.Keyword},
			{Pattern: `\s+`, Type: chroma.Text},
			{Pattern: `\w+`, Type: chroma.Name},
		}}
	})
}

// tokens lexes text with l.
func tokens(t *testing.T, l chroma.Lexer, text string) []chroma.Token {
	t.Helper()
	it, err := l.Tokenise(nil, text)
	if err != nil {
		t.Fatal(err)
	}
	return it.Tokens()
}

// TestPatientMatch checks what a match that runs over chroma's timeout
// does: it is tried again with patience, so the tokens are those of a
// match with all the time it needs (chroma would take it for no match,
// or not, with the load); a match that runs over that too is no match,
// as in chroma.
func TestPatientMatch(t *testing.T) {
	// regexp2 checks its clock every 100 ms: a timeout of 1 ns runs out
	// at the first check. A lexer is compiled, with the timeouts of the
	// time, when it first lexes.
	restore := SetTimeouts(time.Nanosecond, time.Minute)
	slow := wrap(backtracking("slow")).(*Lexer)
	got := tokens(t, slow, "b\n"+strings.Repeat("a", 23)+"y\nc\n")
	restore()
	want := []chroma.Token{{Type: chroma.Name, Value: "b"}, {Type: chroma.Text, Value: "\n"},
		{Type: chroma.Keyword, Value: strings.Repeat("a", 23) + "y"}, {Type: chroma.Text, Value: "\n"},
		{Type: chroma.Name, Value: "c"}, {Type: chroma.Text, Value: "\n"}}
	if !slices.Equal(got, want) {
		t.Errorf("tokens\n%v\nwant\n%v", got, want)
	}
	retried := 0
	slow.rules.patient.Range(func(any, any) bool { retried++; return true })
	if retried != 1 {
		t.Errorf("%d rules were tried again, want the first one", retried)
	}

	restore = SetTimeouts(time.Nanosecond, 300*time.Millisecond)
	stuck := strings.Repeat("a", 60) + "z"
	got = tokens(t, wrap(backtracking("stuck")), "b\n"+stuck+"\n")
	restore()
	want = []chroma.Token{{Type: chroma.Name, Value: "b"}, {Type: chroma.Text, Value: "\n"},
		{Type: chroma.Name, Value: stuck}, {Type: chroma.Text, Value: "\n"}}
	if !slices.Equal(got, want) {
		t.Errorf("where the pattern runs over its patience too: tokens\n%v\nwant\n%v (no match, as chroma)", got, want)
	}
}

// TestMain gives the lexers of this package's tests as much patience as
// chroma has time, so that where a pattern runs over it (the generated
// inputs reach chroma's Caddyfile heredoc rule), both take it for no
// match after about the same time: 0.5 s, not 2.25.
func TestMain(m *testing.M) {
	SetTimeouts(chromaTimeout, chromaTimeout)
	os.Exit(m.Run())
}
