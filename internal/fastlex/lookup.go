package fastlex

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// Finding a lexer by name: chroma's lexers.Get looks a name up among the
// lexers' names and aliases, and failing that matches "filename.NAME" and
// NAME against every file name pattern of every lexer (644 patterns, each
// also with 13 backup suffixes such as ".bak"), some 18,000 calls of
// filepath.Match: 5 ms for each listing in a language chroma does not
// know by name. Get gives the same answer from an index of the patterns
// built once: a name is matched only against the patterns whose literal
// head and tail it starts and ends with, in chroma's order and with its
// priorities, and the answers for the first cacheSize names are kept.

// cacheSize bounds the names whose lexer Get keeps, so that a page of
// distinct made-up languages cannot grow the cache without end. Names past
// it are looked up in the index each time, which costs microseconds.
const cacheSize = 4096

var (
	cache      sync.Map // name → lookupResult
	cacheCount atomic.Int64

	// globTests counts the calls of filepath.Match made by lookups, for
	// tests.
	globTests atomic.Int64

	index     *globIndex
	indexOnce sync.Once
)

type lookupResult struct{ lexer chroma.Lexer }

// Get returns the lexer chroma's lexers.Get returns for name, running
// through fastlex, or nil if chroma has none. Unlike lexers.Get, a name
// that is no lexer's name or alias costs microseconds, not milliseconds.
func Get(name string) chroma.Lexer {
	if v, ok := cache.Load(name); ok {
		return v.(lookupResult).lexer
	}
	l := lookup(name)
	if l != nil {
		l = wrap(l)
	}
	if cacheCount.Load() < cacheSize {
		if _, loaded := cache.LoadOrStore(name, lookupResult{l}); !loaded {
			cacheCount.Add(1)
		}
	}
	return l
}

// lookup is lexers.Get(name), without its scan of every pattern.
func lookup(name string) chroma.Lexer {
	indexOnce.Do(func() { index = newGlobIndex(lexers.GlobalLexerRegistry) })
	if index.names[name] || index.names[strings.ToLower(name)] {
		return lexers.Get(name) // found in chroma's maps at once
	}
	var candidates chroma.PrioritisedLexers
	if l := index.match("filename." + name); l != nil {
		candidates = append(candidates, l)
	}
	if l := index.match(name); l != nil {
		candidates = append(candidates, l)
	}
	if len(candidates) == 0 {
		return nil
	}
	sort.Sort(candidates)
	return candidates[0]
}

// ignoredSuffixes are chroma's (registry.go): a file name with one of them
// matches a pattern as the name without it would.
var ignoredSuffixes = [...]string{
	"~", ".bak", ".old", ".orig",
	".dpkg-dist", ".dpkg-old", ".ucf-dist", ".ucf-new", ".ucf-old",
	".rpmnew", ".rpmorig", ".rpmsave",
	".in",
}

// globIndex holds the file name patterns of a registry's lexers.
type globIndex struct {
	names   map[string]bool // the lexers' names and aliases, as given and lower-cased
	lexers  []chroma.Lexer
	primary patterns // Config.Filenames
	alias   patterns // Config.AliasFilenames, tried when no primary pattern matches
}

// patterns are the file name patterns of one kind, each tried as it is and
// with each ignored suffix.
type patterns struct {
	globs   []glob
	byTail  map[string][]variant // variants by their literal tail
	anyTail []variant            // variants ending in a wildcard
	maxTail int                  // the length of the longest tail
}

type glob struct {
	lexer int // index in globIndex.lexers
}

// variant is a glob, or a glob with an ignored suffix, with the literal
// text any name it matches must start and end with.
type variant struct {
	glob                int
	pattern, head, tail string
}

func newGlobIndex(reg *chroma.LexerRegistry) *globIndex {
	x := &globIndex{names: map[string]bool{}, lexers: reg.Lexers}
	x.primary.byTail = map[string][]variant{}
	x.alias.byTail = map[string][]variant{}
	for i, l := range reg.Lexers {
		c := l.Config()
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			x.names[n] = true
			x.names[strings.ToLower(n)] = true
		}
		for _, g := range c.Filenames {
			x.primary.add(i, g)
		}
		for _, g := range c.AliasFilenames {
			x.alias.add(i, g)
		}
	}
	return x
}

func (p *patterns) add(lexer int, pattern string) {
	g := len(p.globs)
	p.globs = append(p.globs, glob{lexer})
	p.addVariant(g, pattern)
	for _, suf := range ignoredSuffixes {
		p.addVariant(g, pattern+suf)
	}
}

func (p *patterns) addVariant(g int, pattern string) {
	const meta = `*?[]\`
	v := variant{glob: g, pattern: pattern}
	if i := strings.IndexAny(pattern, meta); i >= 0 {
		v.head = pattern[:i]
		v.tail = pattern[strings.LastIndexAny(pattern, meta)+1:]
	} else {
		v.head, v.tail = pattern, pattern
	}
	if v.tail == "" {
		p.anyTail = append(p.anyTail, v)
		return
	}
	p.byTail[v.tail] = append(p.byTail[v.tail], v)
	p.maxTail = max(p.maxTail, len(v.tail))
}

// match is chroma's LexerRegistry.Match. chroma tries every pattern, as
// it is and with each ignored suffix, and takes a lexer once for each of
// its patterns that matches either way; match tries only the variants
// that may match, in the same order.
func (x *globIndex) match(filename string) chroma.Lexer {
	filename = filepath.Base(filename)
	for _, p := range []*patterns{&x.primary, &x.alias} {
		var matched chroma.PrioritisedLexers
		last := -1 // the last glob that matched
		for _, v := range p.candidates(filename) {
			if v.glob == last {
				continue
			}
			globTests.Add(1)
			if ok, _ := filepath.Match(v.pattern, filename); ok {
				matched = append(matched, x.lexers[p.globs[v.glob].lexer])
				last = v.glob
			}
		}
		if len(matched) > 0 {
			sort.Sort(matched)
			return matched[0]
		}
	}
	return nil
}

// candidates returns, ordered by glob, the variants that may match name:
// those whose literal head and tail name has. It looks at no more of name
// than the longest tail, so a long name costs no more than a short one.
func (p *patterns) candidates(name string) []variant {
	var out []variant
	pick := func(vs []variant) {
		for _, v := range vs {
			if strings.HasPrefix(name, v.head) && strings.HasSuffix(name, v.tail) {
				out = append(out, v)
			}
		}
	}
	pick(p.anyTail)
	for i := max(0, len(name)-p.maxTail); i < len(name); i++ {
		if vs, ok := p.byTail[name[i:]]; ok {
			pick(vs)
		}
	}
	slices.SortFunc(out, func(a, b variant) int { return a.glob - b.glob })
	return out
}

// WritesRules reports whether l's mutators write the rules of the state
// they lex in (chroma's Raku, whose replaceRule puts a rule made from
// the text in place of another). Those rules are the lexer's own, shared
// by every text it lexes, so two texts lexed at the same time would each
// be lexed with the other's rules: the caller lexes one such text at a
// time. It does not cover such a lexer reached from another as a
// sub-lexer (a ```raku fence in a Markdown listing), nor a rule a text
// leaves replaced for the next (chroma's lexer keeps it too).
// TestGroupsNotKept runs every rule's mutator and fails when the lexers
// it sees writing rules are not these.
func WritesRules(l chroma.Lexer) bool { return l != nil && rulesWriters[l.Config().Name] }

// rulesWriters names the lexers WritesRules reports.
var rulesWriters = map[string]bool{"Raku": true}
