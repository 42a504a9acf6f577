package fastlex

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
)

// TestGroupsNotKept checks what the runner's one slice and one map of
// groups (runner.groups, runner.named) rely on: no emitter or mutator of
// chroma's lexers keeps the slice of groups it is given, or the lexer
// state's map of them by name, past its call. Each such rule runs on
// groups that are then written over, in both, before what it emitted is
// read; that, the stack and the mutator context must be what the rule
// makes of groups nobody writes over.
func TestGroupsNotKept(t *testing.T) {
	tried := 0
	for _, rl := range regexLexers(t) {
		rs := fastRules(t, rl)
		for state, list := range rs.compiled {
			for _, rule := range list {
				if _, plain := rule.Type.(chroma.TokenType); plain && rule.Mutator == nil || rule.Regexp == nil {
					continue
				}
				tried++
				n := len(slotsOf(rule.Regexp).numbers)
				if kept, overwritten := afterGroups(rl, rs.compiled, state, rule, n, false), afterGroups(rl, rs.compiled, state, rule, n, true); kept != overwritten {
					t.Errorf("%s, state %s, rule %q: reads its groups after its call\n  groups kept: %s\n  written over: %s", rl.Config().Name, state, rule.Pattern, kept, overwritten)
				}
			}
		}
	}
	t.Logf("%d rules with an emitter or mutator", tried)
	if tried < 1000 {
		t.Errorf("tried %d rules with an emitter or mutator, expected thousands", tried)
	}

	// The check itself: an emitter that reads its groups only when its
	// tokens are read is caught.
	lazy := &chroma.CompiledRule{Rule: chroma.Rule{Pattern: `(a)(b)`, Type: chroma.EmitterFunc(func(groups []string, _ *chroma.LexerState) chroma.Iterator {
		done := false
		return func() chroma.Token {
			if done {
				return chroma.EOF
			}
			done = true
			return chroma.Token{Type: chroma.Text, Value: groups[1]}
		}
	})}}
	if afterGroups(nil, nil, "root", lazy, 3, false) == afterGroups(nil, nil, "root", lazy, 3, true) {
		t.Error("an emitter that reads its groups late is not caught")
	}
	lazyNamed := &chroma.CompiledRule{Rule: chroma.Rule{Pattern: `(?<x>a)(b)`, Type: chroma.EmitterFunc(func(_ []string, state *chroma.LexerState) chroma.Iterator {
		done := false
		return func() chroma.Token {
			if done {
				return chroma.EOF
			}
			done = true
			return chroma.Token{Type: chroma.Text, Value: state.NamedGroups["x"]}
		}
	})}}
	lazyNamed.Regexp = regexp2.MustCompile(lazyNamed.Pattern, regexp2.RE2)
	if afterGroups(nil, nil, "root", lazyNamed, 3, false) == afterGroups(nil, nil, "root", lazyNamed, 3, true) {
		t.Error("an emitter that reads its named groups late is not caught")
	}
}

// afterGroups runs rule's mutator and emitter in state on n groups,
// written over right after when overwrite is set, and describes what
// they made: the tokens emitted, the stack and the mutator context, or
// the error or panic that stopped them.
func afterGroups(rl *chroma.RegexLexer, compiled chroma.CompiledRules, state string, rule *chroma.CompiledRule, n int, overwrite bool) (out string) {
	defer func() {
		if p := recover(); p != nil {
			out = fmt.Sprint("panic: ", p)
		}
	}()
	groups := make([]string, n)
	for i := range groups {
		groups[i] = fmt.Sprintf("g%d x = 1 <a> \"s\" ", i)
	}
	named := map[string]string{}
	if rule.Regexp != nil {
		for i, name := range slotsOf(rule.Regexp).names {
			if i < len(groups) {
				named[name] = groups[i]
			}
		}
	}
	// Raku's mutators put rules in the state's: a copy, so the lexer's
	// own stay as they are for the tests after.
	rules := chroma.CompiledRules{}
	for name, list := range compiled {
		rules[name] = slices.Clone(list)
	}
	st := &chroma.LexerState{Lexer: rl, Registry: lexers.GlobalLexerRegistry, Text: []rune(strings.Join(groups, "")), Rules: rules,
		Stack: []string{"root", state, state}, State: state, Groups: groups, NamedGroups: named, MutatorContext: map[any]any{}}
	var it chroma.Iterator
	var err error
	if rule.Mutator != nil {
		err = rule.Mutator.Mutate(st)
	}
	if _, plain := rule.Type.(chroma.TokenType); !plain && rule.Type != nil && err == nil {
		it = rule.Type.Emit(st.Groups, st)
	}
	if overwrite {
		for i := range groups {
			groups[i] = "written over"
		}
		for name := range named {
			named[name] = "written over"
		}
	}
	var tokens []chroma.Token
	for it != nil && len(tokens) < 10000 {
		tok := it()
		if tok == chroma.EOF {
			break
		}
		tokens = append(tokens, tok)
	}
	out = fmt.Sprintf("tokens %v, stack %v, context %v, error %v", tokens, st.Stack, st.MutatorContext, err)
	// A mutator may keep what it made in the context (Raku's compiled
	// expressions): the same, made twice, at two addresses.
	return pointerRE.ReplaceAllString(out, "0x…")
}

var pointerRE = regexp.MustCompile(`0x[0-9a-f]{6,}`)
