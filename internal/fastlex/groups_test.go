package fastlex

import (
	"fmt"
	"maps"
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
// makes of groups nobody writes over. The lexers whose mutators write the
// state's rules, seen on the way (a mutator that stops on these groups
// before it writes is not seen), must be those WritesRules names.
func TestGroupsNotKept(t *testing.T) {
	tried := 0
	writers := map[string]bool{} // lexers with a mutator that wrote the state's rules
	for _, rl := range regexLexers(t) {
		rs := fastRules(t, rl)
		for state, list := range rs.compiled {
			for _, rule := range list {
				if _, plain := rule.Type.(chroma.TokenType); plain && rule.Mutator == nil || rule.Regexp == nil {
					continue
				}
				tried++
				n := len(slotsOf(rule.Regexp).numbers)
				kept, wrote := afterGroups(rl, rs.compiled, state, rule, n, false)
				if wrote {
					writers[rl.Config().Name] = true
				}
				if overwritten, _ := afterGroups(rl, rs.compiled, state, rule, n, true); kept != overwritten {
					t.Errorf("%s, state %s, rule %q: reads its groups after its call\n  groups kept: %s\n  written over: %s", rl.Config().Name, state, rule.Pattern, kept, overwritten)
				}
			}
		}
	}
	t.Logf("%d rules with an emitter or mutator", tried)
	if !maps.Equal(writers, rulesWriters) {
		t.Errorf("the lexers whose mutators write the rules of the state they lex in are %v; WritesRules says %v: render lexes those one listing at a time", slices.Sorted(maps.Keys(writers)), slices.Sorted(maps.Keys(rulesWriters)))
	}
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
	kept, _ := afterGroups(nil, nil, "root", lazy, 3, false)
	if overwritten, _ := afterGroups(nil, nil, "root", lazy, 3, true); kept == overwritten {
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
	kept, _ = afterGroups(nil, nil, "root", lazyNamed, 3, false)
	if overwritten, _ := afterGroups(nil, nil, "root", lazyNamed, 3, true); kept == overwritten {
		t.Error("an emitter that reads its named groups late is not caught")
	}
	writer := &chroma.CompiledRule{Rule: chroma.Rule{Pattern: `a`, Type: chroma.Text, Mutator: chroma.MutatorFunc(func(state *chroma.LexerState) error {
		state.Rules["root"][0] = &chroma.CompiledRule{Rule: chroma.Rule{Pattern: `b`}}
		return nil
	})}}
	if _, wrote := afterGroups(nil, chroma.CompiledRules{"root": {writer}}, "root", writer, 1, false); !wrote {
		t.Error("a mutator that writes the state's rules is not caught")
	}
}

// afterGroups runs rule's mutator and emitter in state on n groups,
// written over right after when overwrite is set, and describes what
// they made: the tokens emitted, the stack and the mutator context, or
// the error or panic that stopped them; wrote is whether the rule's
// mutator wrote the state's rules (a copy of compiled).
func afterGroups(rl *chroma.RegexLexer, compiled chroma.CompiledRules, state string, rule *chroma.CompiledRule, n int, overwrite bool) (out string, wrote bool) {
	// Raku's mutators put rules in the state's: a copy, so the lexer's
	// own stay as they are for the tests after.
	rules := chroma.CompiledRules{}
	for name, list := range compiled {
		rules[name] = slices.Clone(list)
	}
	defer func() {
		if p := recover(); p != nil {
			out = fmt.Sprint("panic: ", p)
		}
		for name, list := range rules {
			wrote = wrote || !slices.Equal(list, compiled[name])
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
	return pointerRE.ReplaceAllString(out, "0x…"), wrote
}

var pointerRE = regexp.MustCompile(`0x[0-9a-f]{6,}`)
