// Package fastlex runs chroma's regular-expression lexers about seven
// times as fast as chroma does (7.6 times on BenchmarkTokenise's Go
// listing, six to ten times over the listings of a thousand corpus
// posts in nine languages), producing exactly the same
// tokens, except where chroma would never end (maxEmpty), and where one
// of a lexer's patterns runs over chroma's timeout on a loaded machine,
// where fastlex is patient (matchTimeout).
//
// chroma tries a state's rules in order at each position, running every
// rule's regular expression until one matches. Its expressions are anchored
// (\G), and for anchored expressions regexp2 skips its first-character
// check, so each failing rule costs a full match attempt. fastlex keeps
// chroma's rules, mutators, emitters, emitter validation and error
// handling, and adds that check back: for every state it knows, per ASCII
// character, which rules can start with it (regexp2's own first-character
// analysis of the rule), and tries only those. Rules that may match the
// empty string, or whose first characters regexp2 cannot bound, are always
// tried. A rule whose matches can only begin with known pairs of
// characters (a list of keywords) is also checked against the first two
// characters (pairs.go), where both are ASCII. A rule that is a list of
// words followed by \b (chroma's SQL lexer lists 450 keywords) is tried
// only where the word at the position is on the list, a map lookup; where
// the rule is nothing but the list, that lookup is its match, and
// regexp2 does not run at all (words.go). Nor does it for a simple rule
// (\s+, [a-zA-Z_]\w*, //[^\n]*: character tests and loops that never
// give back, simple.go), about three in five of chroma's rules, which
// fastlex matches step by step, nor for most others (alternations, loops
// that give back, lazy loops, optional and capturing groups, lookaheads:
// backtrack.go), which fastlex matches by backtracking over regexp2's
// parse tree in the order regexp2 tries: of chroma's rules, only those
// with back references, conditionals, balancing groups or lookbehinds,
// and attempts that take too many steps, are left to regexp2. A rule
// that begins with ^ is not tried where no line starts.
//
// Lexers that are not *chroma.RegexLexer (delegating and Go-coded lexers)
// run as chroma runs them. Sub-lexers reached through Using emitters run
// through fastlex too; UsingSelf runs through chroma, because the lexer
// state it calls into is chroma's own type.
//
// # What fastlex copies from chroma, and how it is checked
//
// fastlex is a copy of chroma's RegexLexer.Tokenise, LexerState.Iterator,
// matchRules and maybeCompile (regexp.go), with the first-character check
// added in matchRules. It reaches into one chroma internal: the field
// names of the serialisable emitters and mutators that hold others
// (readsNamedGroups, through reflection). TestChromaInternals fails when
// chroma's code of those functions or those fields change.
//
// Where chroma calls FindRunesMatchStartingAt, which allocates a Match
// and its Groups on every match, fastlex calls FindRunesMatches and reads
// the groups from the engine's storage through the MatchView, in the
// order Match.Groups lists them (capture slots, which GetGroupNumbers
// gives as group numbers). TestGroupsAsMatchGroups holds that order to
// regexp2's, sparse, named and balancing groups included. A group's
// text is a piece of the text being lexed, not a string made from its
// runes, but where the text is not valid UTF-8 (there string() writes
// U+FFFD for each byte read as a rune of its own, as chroma does).
//
// That call needs regexp2 v2.13.3, where chroma v2.27.0 asks for v2.2.1,
// so chroma's own lexers run on the newer regexp2 too. It fixes matches
// the older one got wrong: in v2.2.1 a class such as [^\W\d] matched a
// digit, so chroma's GraphQL, Ballerina and Go template lexers took
// "50" for a name where they now take it for a number, as the lexers'
// rules say. chroma's expected test outputs, written with v2.2.1, differ
// there.
//
// TestEveryRegexLexer lexes, with chroma and with fastlex, inputs in every
// regular-expression lexer chroma registers (288 at chroma v2.27.0):
// chroma's own test inputs where it has some (160 lexers), and for all of
// them inputs generated from the lexer's rules (generate_test.go), which
// walk its states and write an example of each rule's expression. It
// requires the same tokens or the same error, and fails if the inputs
// reach less than 90% of all lexers' states, 85% of their rules, or 40%
// of any one lexer's rules (at v2.27.0: 91% of states, 87% of rules).
// FuzzSameTokens compares the two on fuzzed text in any lexer,
// FuzzBacktrack backtracking with regexp2 on fuzzed patterns and texts,
// and TestTrickyInputs holds the cases where the first-character check
// could go wrong, TestPairsOf those of the pair check, TestWordsOf those
// of the word check, TestSimpleOf those of simple rules and TestBacktrackOf
// those of backtracking. TestEveryWordCheck holds every chroma rule that
// has a word check to its expression on the rule's own words, written in
// every case, cut short and run on; TestEverySimpleRule every simple
// rule, and TestEveryBacktrackRule every rule matched by backtracking,
// groups included, on examples of it, cut short, changed and run on; and
// TestAtLineStart every rule begun with ^, after text that ends no line.
//
// # The upstream change that would make fastlex unnecessary
//
// regexp2's findAnchoredLeftToRight (findfirstchar.go, dlclark/regexp2/v2
// v2.13.3), the search a pattern anchored with \G (syntax.AnchorStart)
// gets, returns true at once when the scan starts where the anchor
// allows, checking a literal prefix (Code.BmPrefix) if the pattern has
// one but never the pattern's first-character set (Code.FcPrefix), which
// only unanchored patterns' searches consult. So the interpreter runs
// every anchored rule at every position chroma tries it, whatever the
// character there. If findAnchoredLeftToRight checked FcPrefix against
// the character at the anchored start too (false when it is not in the
// set), and chroma matched through FindRunesMatches, chroma would run
// at less than half fastlex's speed: fastlex with the first-character and
// pair checks alone took 1.8 times as long as it does now over the
// corpus's listings. The rest needs regexp2 to match an alternation of
// words by lookup rather than one word after another, and to match
// patterns without its per-attempt set-up, which costs more than most
// of a lexer's matches. With the first change
// this package could be deleted in favour of lexers.Get (keeping Get's
// index of file name patterns, or not), at that cost.
//
// Get finds the lexer chroma's lexers.Get finds, from an index of the
// lexers' file name patterns built once, and keeps the answers for the
// first 4,096 names: a name that is no lexer's name or alias costs a few
// microseconds, where lexers.Get matches it against every pattern (5 ms).
package fastlex

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

var (
	wrapped    sync.Map // chroma.Lexer → *Lexer
	registry   *chroma.LexerRegistry
	registryMu sync.Once
)

func wrap(l chroma.Lexer) chroma.Lexer {
	if v, ok := wrapped.Load(l); ok {
		return v.(*Lexer)
	}
	v, _ := wrapped.LoadOrStore(l, &Lexer{lexer: l})
	return v.(*Lexer)
}

// subLexers is the registry Using emitters look sub-lexers up in: chroma's
// global registry with every lexer wrapped.
func subLexers() *chroma.LexerRegistry {
	registryMu.Do(func() {
		registry = chroma.NewLexerRegistry()
		for _, l := range lexers.GlobalLexerRegistry.Lexers {
			registry.Register(wrap(l))
		}
	})
	return registry
}

// Lexer is a chroma.Lexer that tokenises through fastlex.
type Lexer struct {
	lexer chroma.Lexer
	once  sync.Once
	rules *rules // nil for lexers fastlex does not run
	err   error
}

var _ chroma.Lexer = (*Lexer)(nil)

// Config is the wrapped lexer's.
func (l *Lexer) Config() *chroma.Config { return l.lexer.Config() }

// SetRegistry does nothing: the wrapped lexer keeps its own registry.
func (l *Lexer) SetRegistry(*chroma.LexerRegistry) chroma.Lexer { return l }

// SetAnalyser does nothing: the wrapped lexer keeps its own analyser.
func (l *Lexer) SetAnalyser(func(string) float32) chroma.Lexer { return l }

// AnalyseText is the wrapped lexer's.
func (l *Lexer) AnalyseText(text string) float32 { return l.lexer.AnalyseText(text) }

// Tokenise is chroma's RegexLexer.Tokenise, with the same options.
func (l *Lexer) Tokenise(options *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	rl, ok := l.lexer.(*chroma.RegexLexer)
	if !ok {
		return l.lexer.Tokenise(options, text)
	}
	l.once.Do(func() { l.rules, l.err = compile(rl) })
	if l.err != nil {
		return nil, l.err
	}
	if options == nil {
		options = &chroma.TokeniseOptions{State: "root", EnsureLF: true}
	}
	if options.EnsureLF {
		text = ensureLF(text)
	}
	newlineAdded := false
	if !options.Nested && rl.Config().EnsureNL && !strings.HasSuffix(text, "\n") {
		text += "\n"
		newlineAdded = true
	}
	runes := []rune(text)
	r := &runner{
		rules: l.rules,
		state: &chroma.LexerState{
			Lexer:          rl,
			Registry:       subLexers(),
			Text:           runes,
			Stack:          []string{options.State},
			Rules:          l.rules.compiled,
			MutatorContext: map[any]any{},
		},
		initial: options.State,
		end:     len(runes),
		emptyAt: -1,
		source:  newSource(text, len(runes)),
	}
	if newlineAdded {
		r.end--
	}
	return r.next, nil
}

// rules are a lexer's compiled rules with, for each state, the rules each
// character can start.
type rules struct {
	compiled chroma.CompiledRules
	states   map[string]*stateRules
	named    bool // whether some rule's emitter or mutator may read LexerState.NamedGroups
	// written is the state each rule is written in, before include and
	// combined copy it into others.
	written map[*chroma.CompiledRule]string
	patient sync.Map                           // *chroma.CompiledRule → its expression with patientTimeout
	each    map[*chroma.CompiledRule]*ruleInfo // for try
	// patientTimeout is the one when the rules were compiled.
	patientTimeout time.Duration
}

// Match timeouts. chroma gives each match attempt 250 ms and takes
// one that runs over for no match, so on a loaded machine (a goroutine
// waiting 250 ms for a core) the same listing can come out highlighted
// differently. fastlex tries such a match again with 2 s, which only a
// pattern that backtracks without end runs over (chroma's Caddyfile
// lexer on a heredoc that is not closed: (.*|\n)*), and takes that for no
// match, as chroma does: so a listing is lexed the same way whatever the
// load, but for a machine so loaded that a match waits 2 s for a core.
const (
	chromaTimeout         = 250 * time.Millisecond
	defaultPatientTimeout = 2 * time.Second
)

// The timeouts lexers compiled from now on get (SetTimeouts).
var matchTimeout, patientTimeout atomic.Int64

func init() {
	matchTimeout.Store(int64(chromaTimeout))
	patientTimeout.Store(int64(defaultPatientTimeout))
}

// SetTimeouts sets the timeouts of the lexers compiled from now on, for
// tests of what a timeout does; it returns a function that restores them.
func SetTimeouts(match, patient time.Duration) (restore func()) {
	m := matchTimeout.Swap(int64(match))
	p := patientTimeout.Swap(int64(patient))
	return func() { matchTimeout.Store(m); patientTimeout.Store(p) }
}

// patiently returns rule's expression with patientTimeout, compiled on
// first use.
func (rs *rules) patiently(rule *chroma.CompiledRule) *regexp2.Regexp {
	if re, ok := rs.patient.Load(rule); ok {
		return re.(*regexp2.Regexp)
	}
	re, err := regexp2.Compile(rule.Regexp.String()) // as compile did, with no options
	if err != nil {
		return rule.Regexp // it compiled once: this cannot be
	}
	re.MatchTimeout = rs.patientTimeout
	actual, _ := rs.patient.LoadOrStore(rule, re)
	return actual.(*regexp2.Regexp)
}

// ruleInfo is what try needs of a rule besides its expression.
type ruleInfo struct {
	slots  *groupSlots
	words  *wordList      // its word check, if it has one
	simple *simplePattern // if it is simple (simple.go)
	// backtrack matches it where it is neither simple nor an exact word
	// list, if it can (backtrack.go).
	backtrack *backtrackPattern
	// lineStart: the rule matches only at the start of a line (it begins
	// with ^ in multiline mode), which most positions are not.
	lineStart bool
}

type stateRules struct {
	rules []*chroma.CompiledRule
	first []*syntax.Prefix // per rule; nil when any character may start it
	pairs []*pairFilter    // per rule; nil when it has no pair check
	ascii [128][]int       // per ASCII character, the indexes of the rules it may start
}

// compile compiles rl's rules as chroma does (same flags, \G anchor,
// match timeout and lexer mutators such as include and combined), and
// records each rule's possible first characters.
func compile(rl *chroma.RegexLexer) (*rules, error) {
	raw, err := rl.Rules()
	if err != nil {
		return nil, err
	}
	cfg := rl.Config()
	flags := ""
	if !cfg.NotMultiline {
		flags += "m"
	}
	if cfg.CaseInsensitive {
		flags += "i"
	}
	if cfg.DotAll {
		flags += "s"
	}
	first := map[*chroma.CompiledRule]*syntax.Prefix{}
	pairs := map[*chroma.CompiledRule]*pairFilter{}
	each := map[*chroma.CompiledRule]*ruleInfo{}
	written := map[*chroma.CompiledRule]string{}
	compiled := chroma.CompiledRules{}
	for state, rs := range raw {
		compiled[state] = nil
		for i, r := range rs {
			pattern := "(?:" + r.Pattern + ")"
			if flags != "" {
				pattern = "(?" + flags + ")" + pattern
			}
			pattern = `\G` + pattern
			re, err := regexp2.Compile(pattern)
			if err != nil {
				return nil, fmt.Errorf("%s: compiling rule %s.%d: %w", cfg.Name, state, i, err)
			}
			re.MatchTimeout = time.Duration(matchTimeout.Load())
			cr := &chroma.CompiledRule{Rule: r, Regexp: re}
			if tree, err := syntax.Parse(pattern, syntax.ParseOptions{}); err == nil {
				pairs[cr] = pairsOf(tree) // before firstChars, whose syntax.Write reads the tree
				each[cr] = infoOf(cr, tree)
				first[cr] = firstChars(tree)
			}
			written[cr] = state
			compiled[state] = append(compiled[state], cr)
		}
	}
	if err := mutateLexer(compiled); err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Name, err)
	}
	if err := validateEmitters(cfg.Name, compiled); err != nil {
		return nil, err
	}
	out := &rules{compiled: compiled, states: map[string]*stateRules{}, written: written, patientTimeout: time.Duration(patientTimeout.Load()),
		each: each}
	for name, rs := range compiled {
		sr := &stateRules{rules: rs, first: make([]*syntax.Prefix, len(rs)), pairs: make([]*pairFilter, len(rs))}
		for i, r := range rs {
			out.named = out.named || readsNamedGroups(r.Type) || readsNamedGroups(r.Mutator)
			p := first[r]
			sr.first[i] = p
			sr.pairs[i] = pairs[r]
			if each[r] == nil { // a rule a lexer mutator made
				each[r] = infoOf(r, nil)
			}
			for ch := range rune(128) {
				if p == nil || p.PrefixSet.CharIn(ch) || (p.CaseInsensitive && p.PrefixSet.CharIn(unicode.ToLower(ch))) {
					sr.ascii[ch] = append(sr.ascii[ch], i)
				}
			}
		}
		out.states[name] = sr
	}
	return out, nil
}

// mutateLexer applies the rules' lexer mutators exactly as chroma does,
// restarting after each since it may add or remove rules.
func mutateLexer(compiled chroma.CompiledRules) error {
restart:
	seen := map[chroma.LexerMutator]bool{}
	for state := range compiled {
		for i := range len(compiled[state]) {
			m, ok := compiled[state][i].Mutator.(chroma.LexerMutator)
			if !ok {
				continue
			}
			if seen[m] {
				return fmt.Errorf("saw mutator %T twice", m)
			}
			seen[m] = true
			if err := m.MutateLexer(compiled, state, i); err != nil {
				return err
			}
			goto restart
		}
	}
	return nil
}

// validateEmitters is chroma's emitter validation: a ByGroups rule needs
// one emitter per group of its expression.
func validateEmitters(lexer string, compiled chroma.CompiledRules) error {
	for state, rs := range compiled {
		for _, r := range rs {
			if v, ok := r.Type.(chroma.ValidatingEmitter); ok {
				if err := v.ValidateEmitter(r); err != nil {
					return fmt.Errorf("%s: %s: %s: %w", lexer, state, r.Pattern, err)
				}
			}
		}
	}
	return nil
}

// readsNamedGroups reports whether an emitter or mutator may read
// LexerState.NamedGroups, which costs a map per token to fill. chroma's
// serialisable ones (all that its XML lexers use) do not, but for what
// they hold; ByGroupNames and Go-coded functions may.
func readsNamedGroups(v any) bool {
	held := func(field string) bool {
		r := reflect.ValueOf(v)
		for r.Kind() == reflect.Pointer {
			r = r.Elem()
		}
		f := r.FieldByName(field)
		if r.Kind() != reflect.Struct || !f.IsValid() || f.Kind() != reflect.Slice {
			return true
		}
		for i := range f.Len() {
			if readsNamedGroups(f.Index(i).Interface()) {
				return true
			}
		}
		return false
	}
	switch v := v.(type) {
	case nil, chroma.TokenType:
		return false
	case chroma.SerialisableEmitter:
		switch v.EmitterKind() {
		case "token", "using", "usingself":
			return false
		case "bygroups", "usingbygroup":
			return held("Emitters")
		}
	case chroma.SerialisableMutator:
		switch v.MutatorKind() {
		case "push", "pop", "include", "combined":
			return false
		case "mutators":
			return held("Mutators")
		}
	}
	return true
}

// firstChars is regexp2's set of characters a match of a pattern (its
// parse tree) can start with, or nil if it has none (the pattern may
// match the empty string).
func firstChars(tree *syntax.RegexTree) *syntax.Prefix {
	code, err := syntax.Write(tree)
	if err != nil {
		return nil
	}
	return code.FcPrefix
}

// traceMatch, when set (by tests), is told each rule the runner matches,
// or nil when none matches, and the state it was in.
var traceMatch func(lexer *chroma.RegexLexer, state string, rule *chroma.CompiledRule)

// runner is chroma's LexerState.Iterator with the first-character check.
type runner struct {
	rules     *rules
	state     *chroma.LexerState
	iterators []chroma.Iterator
	initial   string // the state an error at a newline returns to
	end       int    // where lexing stops: before a newline chroma added
	emptyAt   int    // the position of the last empty matches
	empties   int    // how many empty matches in a row there
	// stateName's rules, the last state looked up: most tokens are
	// lexed in the state of the one before.
	stateName  string
	stateRules *stateRules
	// groups holds the groups of each match in turn (groupSlice), and
	// named the same groups by name (namedMap), for a lexer whose rules
	// may read them. What a rule emits for one match is drained before
	// the next match, and chroma's emitters and mutators read the groups
	// when called, keeping their strings, not the slice or the map:
	// TestGroupsNotKept holds them to that.
	groups []string
	named  map[string]string
	source
}

// source is the text a runner lexes, as a string, so that a token's
// value is a piece of it rather than a string made from runes.
type source struct {
	text    string
	ascii   bool    // each rune a byte
	offsets []int32 // otherwise, where each rune starts, and the end; nil if text is not valid UTF-8
}

func newSource(text string, runes int) source {
	if !utf8.ValidString(text) || len(text) > math.MaxInt32 {
		return source{}
	}
	s := source{text: text, ascii: len(text) == runes}
	if s.ascii {
		return s
	}
	s.offsets = make([]int32, 0, runes+1)
	for i := range text {
		s.offsets = append(s.offsets, int32(i))
	}
	s.offsets = append(s.offsets, int32(len(text)))
	return s
}

// piece returns the text of runes a to b, as string(runes[a:b]) would.
// A text that is not valid UTF-8 has pieces made from its runes: there
// string() writes U+FFFD for each byte the runes took for one.
func (r *runner) piece(a, b int) string {
	switch {
	case r.source.ascii:
		return r.source.text[a:b]
	case r.source.offsets != nil:
		return r.source.text[r.source.offsets[a]:r.source.offsets[b]]
	}
	return string(r.state.Text[a:b])
}

// maxEmpty bounds the empty matches in a row at one position. A rule that
// matches the empty string and leaves the state as it was (JSONata's last,
// [a-zA-Z0-9_]*, at a character no rule takes) makes chroma emit empty
// tokens for ever; fastlex, after maxEmpty of them, takes the character as
// an error, as when no rule matches. It differs from chroma only where
// chroma never ends: the tokens before are the same.
const maxEmpty = 1000

// stalled counts an empty match at the current position and reports
// whether there have been more than maxEmpty in a row.
func (r *runner) stalled() bool {
	if r.state.Pos != r.emptyAt {
		r.emptyAt, r.empties = r.state.Pos, 0
	}
	r.empties++
	return r.empties > maxEmpty
}

func (r *runner) next() chroma.Token {
	l := r.state
	for l.Pos < r.end && len(l.Stack) > 0 {
		if t, ok := r.drain(); ok {
			return t
		}
		l.State = l.Stack[len(l.Stack)-1]
		if l.State != r.stateName || r.stateRules == nil {
			sr, ok := r.rules.states[l.State]
			if !ok {
				panic("unknown state " + l.State)
			}
			r.stateName, r.stateRules = l.State, sr
		}
		sr := r.stateRules
		index, rule, groups, named := r.match(sr)
		if groups != nil && groups[0] == "" && r.stalled() {
			groups = nil // where chroma would loop for ever: see maxEmpty
		}
		if traceMatch != nil {
			traceMatch(l.Lexer, l.State, rule)
		}
		if groups == nil {
			// As chroma (after Pygments): an unmatched newline resets the
			// stack, so one unclosed string does not spoil the rest.
			if l.Text[l.Pos] == '\n' && l.State != r.initial {
				l.Stack = []string{r.initial}
				continue
			}
			l.Pos++
			return chroma.Token{Type: chroma.Error, Value: r.piece(l.Pos-1, l.Pos)}
		}
		l.Rule = index
		l.Groups = groups
		l.NamedGroups = named
		l.Pos += utf8.RuneCountInString(groups[0])
		if rule.Mutator != nil {
			if err := rule.Mutator.Mutate(l); err != nil {
				panic(err) // as chroma
			}
		}
		if tt, ok := rule.Type.(chroma.TokenType); ok {
			// TokenType.Emit is Literator(Token{Type: tt, Value:
			// groups[0]}): the token itself, with no iterator to
			// allocate. drain would skip it as Ignore or EOF. (A
			// mutator may have changed the groups.)
			if t := (chroma.Token{Type: tt, Value: l.Groups[0]}); tt != chroma.Ignore && t != chroma.EOF {
				return t
			}
			continue
		}
		if rule.Type != nil {
			r.iterators = append(r.iterators, rule.Type.Emit(l.Groups, l))
		}
	}
	if t, ok := r.drain(); ok {
		return t
	}
	if l.Pos != len(l.Text) && len(l.Stack) == 0 {
		value := r.piece(l.Pos, len(l.Text))
		l.Pos = len(l.Text)
		return chroma.Token{Type: chroma.Error, Value: value}
	}
	return chroma.EOF
}

// drain returns the next token the pending emitters have, if any.
func (r *runner) drain() (chroma.Token, bool) {
	for len(r.iterators) > 0 {
		n := len(r.iterators) - 1
		t := r.iterators[n]()
		if t.Type == chroma.Ignore {
			continue
		}
		if t == chroma.EOF {
			r.iterators = r.iterators[:n]
			continue
		}
		return t, true
	}
	return chroma.Token{}, false
}

// match is chroma's matchRules, trying only the rules that can start with
// the current character.
func (r *runner) match(sr *stateRules) (int, *chroma.CompiledRule, []string, map[string]string) {
	ch := r.state.Text[r.state.Pos]
	if ch < 128 {
		for _, i := range sr.ascii[ch] {
			if f := sr.pairs[i]; f != nil && !f.allows(r.state.Text, r.state.Pos) {
				continue
			}
			if groups, named := r.try(sr.rules[i]); groups != nil {
				return i, sr.rules[i], groups, named
			}
		}
		return 0, nil, nil, nil
	}
	for i, rule := range sr.rules {
		if p := sr.first[i]; p != nil {
			c := ch
			if p.CaseInsensitive {
				c = unicode.ToLower(c)
			}
			if !p.PrefixSet.CharIn(c) {
				continue
			}
		}
		if groups, named := r.try(rule); groups != nil {
			return i, rule, groups, named
		}
	}
	return 0, nil, nil, nil
}

func (r *runner) try(rule *chroma.CompiledRule) ([]string, map[string]string) {
	info := r.rules.each[rule] // the patient expression's are the same
	if info == nil {
		// A rule a mutator made while lexing (Raku's): not compiled
		// here, so worked out each time.
		info = infoOf(rule, nil)
	}
	if info.lineStart && r.state.Pos > 0 && r.state.Text[r.state.Pos-1] != '\n' {
		return nil, nil
	}
	var spans [2 * maxSimpleGroups]int
	if info.simple != nil {
		if _, ok := info.simple.match(r.state.Text, r.state.Pos, &spans); !ok {
			return nil, nil
		}
		return r.groupsOf(&spans, info.slots)
	}
	if info.words != nil {
		n, ok := info.words.match(r.state.Text, r.state.Pos)
		if !ok {
			return nil, nil
		}
		if info.words.exact {
			for _, g := range info.slots.numbers {
				spans[2*g], spans[2*g+1] = r.state.Pos, r.state.Pos+n
			}
			return r.groupsOf(&spans, info.slots)
		}
	}
	if info.backtrack != nil {
		if _, ok, aborted := info.backtrack.match(r.state.Text, r.state.Pos, &spans); !aborted {
			if !ok {
				return nil, nil
			}
			return r.groupsOf(&spans, info.slots)
		}
	}
	groups, named, err := r.find(rule.Regexp, info.slots)
	if err != nil { // a timeout: see patientTimeout
		groups, named, _ = r.find(r.rules.patiently(rule), info.slots)
	}
	return groups, named
}

// infoOf returns what try needs of rule, from its parse tree when there
// is one (nil: only its groups). Where the word check or the simple
// pattern gives the match, the expression's groups must be the ones it
// knows: for an exact word check, the whole match and the group around
// the list if the rule has one.
func infoOf(rule *chroma.CompiledRule, tree *syntax.RegexTree) *ruleInfo {
	info := &ruleInfo{slots: slotsOf(rule.Regexp)}
	nodes := ruleSequence(tree)
	if nodes == nil {
		return info
	}
	info.words, info.simple, info.lineStart = wordsOf(nodes), simpleOf(nodes), atLineStart(nodes)
	if info.simple == nil && (info.words == nil || !info.words.exact) {
		info.backtrack = backtrackOf(tree)
	}
	for _, g := range info.slots.numbers {
		if g >= maxSimpleGroups || (info.simple != nil && !info.simple.has[g]) {
			info.simple = nil // cannot be: simpleOf has seen every group
		}
		if g >= maxSimpleGroups || (info.backtrack != nil && !info.backtrack.has[g]) {
			info.backtrack = nil // cannot be: backtrackOf has seen every group
		}
		if g >= maxSimpleGroups || len(info.slots.numbers) > 2 {
			info.words = nil // cannot be: wordsOf opens one group at most
		}
	}
	return info
}

// ruleSequence returns the nodes of a rule's parse tree in turn (\G
// first), as wordsOf, simpleOf and atLineStart read it, or nil when they
// cannot: a right-to-left or ECMAScript pattern, or no tree.
func ruleSequence(tree *syntax.RegexTree) []*syntax.RegexNode {
	if tree == nil || tree.Options&(syntax.RightToLeft|syntax.ECMAScript) != 0 || tree.Root.T != syntax.NtCapture || len(tree.Root.Children) != 1 {
		return nil
	}
	return sequence(tree.Root.Children[0])
}

// groupsOf returns the groups of a match that try found without regexp2,
// group g from spans[2g] to spans[2g+1].
func (r *runner) groupsOf(spans *[2 * maxSimpleGroups]int, slots *groupSlots) ([]string, map[string]string) {
	groups := r.groupSlice(len(slots.numbers))
	var named map[string]string
	if r.rules.named {
		named = r.namedMap()
	}
	for i, g := range slots.numbers {
		if spans[2*g] >= 0 { // else the group took no part: ""
			groups[i] = r.piece(spans[2*g], spans[2*g+1])
		}
		if named != nil {
			named[slots.names[i]] = groups[i]
		}
	}
	return groups, named
}

// find matches re at the current position and returns its groups as
// regexp2's Match.Groups lists them (by capture slot, a group that took
// no part as ""), and by name when a rule may read them. It reads the
// groups from the engine's storage (FindRunesMatches), without the Match
// and Group values FindRunesMatchStartingAt allocates on every match.
func (r *runner) find(re *regexp2.Regexp, slots *groupSlots) (groups []string, named map[string]string, err error) {
	text, pos := r.state.Text, r.state.Pos
	err = re.FindRunesMatches(text, pos, func(m regexp2.MatchView) bool {
		if at, _, _ := m.GroupRange(0); at != pos {
			return false
		}
		groups = r.groupSlice(len(slots.numbers))
		if r.rules.named {
			named = r.namedMap()
		}
		for i, n := range slots.numbers {
			if at, length, ok := m.GroupRange(n); ok {
				groups[i] = r.piece(at, at+length)
			}
			if named != nil {
				named[slots.names[i]] = groups[i]
			}
		}
		return false
	})
	return groups, named, err
}

// groupSlice returns n empty strings in the runner's slice of groups,
// which the next match's groups take over.
func (r *runner) groupSlice(n int) []string {
	if cap(r.groups) < n {
		r.groups = make([]string, n)
	}
	r.groups = r.groups[:n]
	clear(r.groups)
	return r.groups
}

// namedMap returns the runner's map of named groups, emptied: one map
// for every match, as groupSlice gives one slice, where a map per match
// was about 6% of what a cold build of the site allocated.
func (r *runner) namedMap() map[string]string {
	if r.named == nil {
		r.named = map[string]string{}
	}
	clear(r.named)
	return r.named
}

// groupSlots are an expression's group numbers and names in the order of
// its capture slots, the order of regexp2's Match.Groups.
type groupSlots struct {
	numbers []int
	names   []string
}

// slotsOf returns re's group slots.
func slotsOf(re *regexp2.Regexp) *groupSlots {
	g := &groupSlots{numbers: re.GetGroupNumbers()}
	for _, n := range g.numbers {
		g.names = append(g.names, re.GroupNameFromNumber(n))
	}
	return g
}

// ensureLF is chroma's: \r\n and lone \r become \n.
func ensureLF(text string) string {
	if !strings.Contains(text, "\r") {
		return text
	}
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
}
