package fastlex

import (
	"github.com/dlclark/regexp2/v2/syntax"
)

// Simple rules. Most of a lexer's matches are of rules such as \s+,
// [a-zA-Z_]\w* or //[^\n]*: a fixed sequence of character tests, loops
// that never give a character back, and anchors. regexp2 spends far
// longer setting up each attempt than matching one of these, so fastlex
// matches them itself, step by step (simpleOf, simplePattern.match), with
// the tests of regexp2's own parse tree.
//
// A loop never gives back when regexp2 has made it atomic (it does where
// what follows cannot match what the loop takes), or when it is the last
// step: then its longest run is the first match regexp2 tries, and ends
// the match. Capturing groups around steps are kept, one level deep.

// maxSimpleGroups bounds the group numbers of a simple rule.
const maxSimpleGroups = 8

// simpleStep is one step of a simple rule: a node of the parse tree (a
// character test, a loop of one, or an anchor), or the start (open) or
// end of a capturing group.
type simpleStep struct {
	n     *syntax.RegexNode // nil for a group's start or end
	group int
	open  bool
}

// simplePattern is a rule regexp2 need not run.
type simplePattern struct {
	steps []simpleStep
	has   [maxSimpleGroups]bool // the group numbers it has, 0 among them
}

// simpleOf returns the simple pattern of a rule (its ruleSequence), or
// nil if it is not one.
func simpleOf(nodes []*syntax.RegexNode) *simplePattern {
	if len(nodes) == 0 || nodes[0].T != syntax.NtStart {
		return nil
	}
	p := &simplePattern{}
	p.has[0] = true
	var add func(nodes []*syntax.RegexNode, last, inGroup bool) bool
	add = func(nodes []*syntax.RegexNode, last, inGroup bool) bool {
		for i, n := range nodes {
			isLast := last && i == len(nodes)-1
			switch n.T {
			case syntax.NtEmpty:
				continue
			case syntax.NtCapture:
				// n.N names the group a balancing group (?<a-b>…) takes
				// a capture from: -1 for a plain group.
				g := n.M
				if inGroup || n.N != -1 || len(n.Children) != 1 || g < 1 || g >= maxSimpleGroups || p.has[g] {
					return false
				}
				p.has[g] = true
				p.steps = append(p.steps, simpleStep{group: g, open: true})
				if !add(sequence(n.Children[0]), isLast, true) {
					return false
				}
				p.steps = append(p.steps, simpleStep{group: g})
				continue
			case syntax.NtOne, syntax.NtNotone, syntax.NtMulti, syntax.NtOneloopatomic, syntax.NtNotoneloopatomic:
				// A node still marked IgnoreCase would be folded when
				// matching (pairs.go).
				if n.Options&syntax.IgnoreCase != 0 {
					return false
				}
			case syntax.NtOneloop, syntax.NtNotoneloop:
				if n.Options&syntax.IgnoreCase != 0 || !isLast {
					return false
				}
			case syntax.NtSetloop:
				if !isLast {
					return false
				}
			case syntax.NtSet, syntax.NtSetloopatomic, syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary:
			default:
				return false
			}
			p.steps = append(p.steps, simpleStep{n: n})
		}
		return true
	}
	if !add(nodes[1:], true, false) {
		return nil
	}
	return p
}

// match matches p at text[pos]: it returns where the match ends, and
// sets spans[2g] and spans[2g+1] to where group g starts and ends.
func (p *simplePattern) match(text []rune, pos int, spans *[2 * maxSimpleGroups]int) (end int, ok bool) {
	at := pos
	for _, s := range p.steps {
		n := s.n
		if n == nil {
			if s.open {
				spans[2*s.group] = at
			} else {
				spans[2*s.group+1] = at
			}
			continue
		}
		switch n.T {
		case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
			if at >= len(text) || !matches(n, text[at]) {
				return 0, false
			}
			at++
		case syntax.NtMulti:
			if len(text)-at < len(n.Str) {
				return 0, false
			}
			for _, ch := range n.Str {
				if text[at] != ch {
					return 0, false
				}
				at++
			}
		case syntax.NtBol:
			if at > 0 && text[at-1] != '\n' {
				return 0, false
			}
		case syntax.NtEol:
			if at < len(text) && text[at] != '\n' {
				return 0, false
			}
		case syntax.NtBoundary, syntax.NtNonboundary:
			if isBoundary(text, at) != (n.T == syntax.NtBoundary) {
				return 0, false
			}
		default: // a loop
			count := 0
			for count < n.N && at < len(text) && matches(n, text[at]) {
				count++
				at++
			}
			if count < n.M {
				return 0, false
			}
		}
	}
	spans[0], spans[1] = pos, at
	return at, true
}

// atLineStart reports whether a rule (its ruleSequence) begins with \G and ^ in
// multiline mode, which regexp2 takes for the start of the text or a
// position after "\n".
func atLineStart(nodes []*syntax.RegexNode) bool {
	return len(nodes) >= 2 && nodes[0].T == syntax.NtStart && nodes[1].T == syntax.NtBol
}
