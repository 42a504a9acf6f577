package fastlex

import (
	"github.com/dlclark/regexp2/v2/syntax"
)

// Backtracking rules. A rule that is neither simple nor a word list, but
// made of the same character tests with alternations, loops of any part
// (greedy or lazy), optional parts, capturing groups and lookaheads,
// fastlex matches itself too, trying what regexp2 tries in the order it
// tries it: each alternative in turn, a greedy loop from its longest run
// down, a lazy one from its shortest up. A group's value is that of the
// match found, and a group that took no part in it is empty, as in
// regexp2. Such rules are about one in four of chroma's (YAML's keys,
// C's preprocessor lines, most lists of operators); regexp2's set-up for
// each attempt costs more than most of their matches.
//
// What fastlex does not follow (back references, conditionals, groups
// that balance, lookbehinds, a loop whose body may match nothing, case
// folded by a node rather than a set) leaves the rule to regexp2. So
// does a match that takes more than backtrackBudget steps, which regexp2
// then makes with its own timeout.

// backtrackBudget bounds the steps of one attempt; past it, regexp2 makes
// the match.
const backtrackBudget = 4096

// backtrackPattern is a rule fastlex matches by backtracking: its parse
// tree's root's content.
type backtrackPattern struct {
	root *syntax.RegexNode
	has  [maxSimpleGroups]bool // the group numbers it has, 0 among them
}

// backtrackOf returns the backtracking pattern of a rule (its parse
// tree), or nil when it holds what the matcher does not follow.
func backtrackOf(tree *syntax.RegexTree) *backtrackPattern {
	if ruleSequence(tree) == nil { // right to left, ECMAScript, no tree
		return nil
	}
	p := &backtrackPattern{root: tree.Root.Children[0]}
	p.has[0] = true
	if !p.follows(p.root) {
		return nil
	}
	return p
}

// follows reports whether the matcher follows n.
func (p *backtrackPattern) follows(n *syntax.RegexNode) bool {
	if n.Options&syntax.RightToLeft != 0 {
		return false
	}
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtMulti,
		syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtOnelazy, syntax.NtNotonelazy,
		syntax.NtOneloopatomic, syntax.NtNotoneloopatomic:
		// A node still marked IgnoreCase would be folded when matching.
		return n.Options&syntax.IgnoreCase == 0
	case syntax.NtSet, syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic,
		syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtBeginning, syntax.NtStart, syntax.NtEndZ, syntax.NtEnd,
		syntax.NtEmpty, syntax.NtNothing, syntax.NtUpdateBumpalong:
		return true
	case syntax.NtConcatenate, syntax.NtAlternate:
		for _, c := range n.Children {
			if !p.follows(c) {
				return false
			}
		}
		return true
	case syntax.NtGroup:
		return len(n.Children) == 1 && p.follows(n.Children[0])
	case syntax.NtCapture:
		// n.N names the group a balancing group takes a capture from:
		// -1 for a plain group.
		g := n.M
		if n.N != -1 || len(n.Children) != 1 || g < 1 || g >= maxSimpleGroups {
			return false
		}
		p.has[g] = true
		return p.follows(n.Children[0])
	case syntax.NtLoop, syntax.NtLazyloop:
		return len(n.Children) == 1 && n.M >= 0 && n.N >= n.M && minLength(n.Children[0]) > 0 && p.follows(n.Children[0])
	case syntax.NtPosLook, syntax.NtNegLook, syntax.NtAtomic:
		return len(n.Children) == 1 && p.follows(n.Children[0])
	}
	return false
}

// minLength is the fewest characters n matches.
func minLength(n *syntax.RegexNode) int {
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		return 1
	case syntax.NtMulti:
		return len(n.Str)
	case syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtSetloop, syntax.NtOnelazy, syntax.NtNotonelazy,
		syntax.NtSetlazy, syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic:
		return n.M
	case syntax.NtConcatenate:
		sum := 0
		for _, c := range n.Children {
			sum += minLength(c)
		}
		return sum
	case syntax.NtAlternate:
		least := -1
		for _, c := range n.Children {
			if l := minLength(c); least < 0 || l < least {
				least = l
			}
		}
		return max(least, 0)
	case syntax.NtGroup, syntax.NtCapture, syntax.NtAtomic:
		if len(n.Children) == 1 {
			return minLength(n.Children[0])
		}
	case syntax.NtLoop, syntax.NtLazyloop:
		if len(n.Children) == 1 {
			return n.M * minLength(n.Children[0])
		}
	}
	return 0
}

// A continuation is what remains to match once a node has matched: the
// rest of a sequence, another turn of a loop, the end of a capture, the
// end of a lookahead or atomic group, or the end of the match.
type contKind uint8

const (
	contDone contKind = iota
	contSeq
	contLoop
	contClose
	contLook
)

type cont struct {
	kind  contKind
	nodes []*syntax.RegexNode // contSeq: the sequence, from i
	i     int
	loop  *syntax.RegexNode // contLoop: the loop, count turns done
	count int
	group int // contClose: the group, opened at at
	at    int
	up    *cont
}

// backtracker is one attempt's state.
type backtracker struct {
	text    []rune
	start   int
	spans   [2 * maxSimpleGroups]int
	end     int // where the match, or a lookahead's, ended
	budget  int
	aborted bool
}

// match matches p at text[pos]: it returns where the match ends, and sets
// spans as simplePattern.match does, a group that took no part to -1.
// aborted is true when the attempt took too many steps to tell.
func (p *backtrackPattern) match(text []rune, pos int, spans *[2 * maxSimpleGroups]int) (end int, ok, aborted bool) {
	m := backtracker{text: text, start: pos, budget: backtrackBudget}
	for i := range m.spans {
		m.spans[i] = -1
	}
	done := cont{kind: contDone}
	if !m.node(p.root, pos, &done) {
		return 0, false, m.aborted
	}
	*spans = m.spans
	spans[0], spans[1] = pos, m.end
	return m.end, true, false
}

// node matches n at pos, then k.
func (m *backtracker) node(n *syntax.RegexNode, pos int, k *cont) bool {
	if m.budget--; m.budget < 0 {
		m.aborted = true
		return false
	}
	text := m.text
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		return pos < len(text) && matches(n, text[pos]) && m.run(k, pos+1)
	case syntax.NtMulti:
		if len(text)-pos < len(n.Str) {
			return false
		}
		for i, ch := range n.Str {
			if text[pos+i] != ch {
				return false
			}
		}
		return m.run(k, pos+len(n.Str))
	case syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtSetloop: // greedy: longest first
		count := 0
		for count < n.N && pos+count < len(text) && matches(n, text[pos+count]) {
			count++
		}
		for ; count >= n.M; count-- {
			if m.run(k, pos+count) {
				return true
			}
			if m.aborted {
				return false
			}
		}
		return false
	case syntax.NtOnelazy, syntax.NtNotonelazy, syntax.NtSetlazy: // lazy: shortest first
		for count := 0; count <= n.N; count++ {
			if count >= n.M && m.run(k, pos+count) {
				return true
			}
			if m.aborted || pos+count >= len(text) || !matches(n, text[pos+count]) {
				return false
			}
		}
		return false
	case syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic:
		count := 0
		for count < n.N && pos+count < len(text) && matches(n, text[pos+count]) {
			count++
		}
		return count >= n.M && m.run(k, pos+count)
	case syntax.NtBol:
		return (pos == 0 || text[pos-1] == '\n') && m.run(k, pos)
	case syntax.NtEol:
		return (pos == len(text) || text[pos] == '\n') && m.run(k, pos)
	case syntax.NtBoundary, syntax.NtNonboundary:
		return isBoundary(text, pos) == (n.T == syntax.NtBoundary) && m.run(k, pos)
	case syntax.NtBeginning:
		return pos == 0 && m.run(k, pos)
	case syntax.NtStart:
		return pos == m.start && m.run(k, pos)
	case syntax.NtEnd:
		return pos == len(text) && m.run(k, pos)
	case syntax.NtEndZ:
		return (pos == len(text) || pos == len(text)-1 && text[pos] == '\n') && m.run(k, pos)
	case syntax.NtEmpty, syntax.NtUpdateBumpalong:
		return m.run(k, pos)
	case syntax.NtNothing:
		return false
	case syntax.NtConcatenate:
		return m.run(&cont{kind: contSeq, nodes: n.Children, up: k}, pos)
	case syntax.NtGroup:
		return m.node(n.Children[0], pos, k)
	case syntax.NtCapture:
		return m.node(n.Children[0], pos, &cont{kind: contClose, group: n.M, at: pos, up: k})
	case syntax.NtAlternate:
		for _, c := range n.Children {
			if m.node(c, pos, k) {
				return true
			}
			if m.aborted {
				return false
			}
		}
		return false
	case syntax.NtLoop, syntax.NtLazyloop:
		return m.run(&cont{kind: contLoop, loop: n, up: k}, pos)
	case syntax.NtPosLook, syntax.NtNegLook, syntax.NtAtomic:
		// The first match of the content, never given back: a lookahead
		// goes on where it started, keeping its groups if it is positive,
		// an atomic group where its match ends.
		spans := m.spans
		found := m.node(n.Children[0], pos, &cont{kind: contLook})
		if m.aborted || found != (n.T != syntax.NtNegLook) {
			m.spans = spans
			return false
		}
		next := m.end
		if n.T != syntax.NtAtomic {
			next = pos
		}
		if n.T == syntax.NtNegLook {
			m.spans = spans
		}
		if m.run(k, next) {
			return true
		}
		m.spans = spans
		return false
	}
	m.aborted = true // backtrackOf let through what node does not follow
	return false
}

// run continues with k at pos.
func (m *backtracker) run(k *cont, pos int) bool {
	switch k.kind {
	case contDone, contLook:
		m.end = pos
		return true
	case contSeq:
		if k.i == len(k.nodes) {
			return m.run(k.up, pos)
		}
		return m.node(k.nodes[k.i], pos, &cont{kind: contSeq, nodes: k.nodes, i: k.i + 1, up: k.up})
	case contClose:
		g := k.group
		start, end := m.spans[2*g], m.spans[2*g+1]
		m.spans[2*g], m.spans[2*g+1] = k.at, pos
		if m.run(k.up, pos) {
			return true
		}
		m.spans[2*g], m.spans[2*g+1] = start, end
		return false
	default: // contLoop: k.count turns of k.loop done
		n := k.loop
		greedy := n.T == syntax.NtLoop
		if !greedy && k.count >= n.M && m.run(k.up, pos) { // lazy: leave first
			return true
		}
		if !m.aborted && k.count < n.N && m.node(n.Children[0], pos, &cont{kind: contLoop, loop: n, count: k.count + 1, up: k.up}) {
			return true
		}
		return greedy && !m.aborted && k.count >= n.M && m.run(k.up, pos)
	}
}
