package fastlex

import (
	"errors"
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

// TestPatientMatch checks what a match that runs over chroma's timeout
// does: it is tried again with patience, so the tokens are those of a
// match with all the time it needs (chroma would take it for no match);
// a match that runs over that too makes the lexer give up, and Tokens
// says at which line.
func TestPatientMatch(t *testing.T) {
	// regexp2 checks its clock every 100 ms: a timeout of 1 ns runs out
	// at the first check. A lexer is compiled, with the timeouts of the
	// time, when it first lexes.
	restore := SetTimeouts(time.Nanosecond, time.Minute)
	slow := wrap(backtracking("slow")).(*Lexer)
	text := "b\n" + strings.Repeat("a", 23) + "y\nc\n"
	got, err := Tokens(slow, text)
	restore()
	if err != nil {
		t.Fatal(err)
	}
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
	_, err = Tokens(wrap(backtracking("stuck")), "b\nc\n"+strings.Repeat("a", 60)+"z\n")
	restore()
	var gaveUp *GaveUpError
	if !errors.As(err, &gaveUp) || gaveUp.Lexer != "stuck" || gaveUp.Line != 3 || gaveUp.After != 300*time.Millisecond {
		t.Errorf("Tokens: %v, want the stuck lexer giving up at line 3 after 300ms", err)
	}
	if err != nil && !strings.Contains(err.Error(), "gave up at line 3 of the listing") {
		t.Errorf("the error does not say where: %v", err)
	}

	// A panic that is not a lexer giving up is not Tokens' to catch.
	defer func() {
		if p := recover(); p != "mutator" {
			t.Errorf("recovered %v, want the mutator's panic", p)
		}
	}()
	panicky := chroma.MustNewLexer(&chroma.Config{Name: "panicky"}, func() chroma.Rules {
		return chroma.Rules{"root": {{Pattern: `\w+`, Type: chroma.Name, Mutator: chroma.MutatorFunc(func(*chroma.LexerState) error { panic("mutator") })}}}
	})
	Tokens(wrap(panicky), "x\n")
	t.Error("Tokens returned after a panic")
}

// TestMain gives the lexers of this package's tests as much patience as
// chroma has time: where a pattern runs over it, chroma's tokens depend
// on the load and fastlex gives up (compareLexed), after 0.5 s, not 2.25.
func TestMain(m *testing.M) {
	SetTimeouts(chromaTimeout, chromaTimeout)
	os.Exit(m.Run())
}
