// Package layered holds versions of a map that are never changed once
// made, each made from the last at a cost in proportion to the entries
// that differ: the file sets of a site rebuilt after a save, which
// requests read while the next build is made.
package layered

import "iter"

// A Map is one version of a map from names to values that is
// never changed once made, so that requests may read it while the next
// version is made: a base map shared between versions, and the entries
// set or deleted since it was made. A new version that differs in a few
// entries (a rebuild after a save) copies those and the entries changed
// since the base, not the whole map; when these grow past
// maxLayer, the next version is flattened into a new base, which
// spreads the cost of copying the map over many versions.
type Map[V any] struct {
	base map[string]V
	over map[string]layer[V] // set, or deleted (!ok), since base
	n    int                 // entries
}

// layer is an entry of a version over its base.
type layer[V any] struct {
	v  V
	ok bool
}

// maxLayer is how many entries may differ from the base before a new
// version is flattened: small beside a large site's files, large beside
// what a save changes.
const maxLayer = 1024

// Of is the version holding the entries of m, which must not be
// changed after.
func Of[V any](m map[string]V) *Map[V] {
	return &Map[V]{base: m, n: len(m)}
}

// Get returns the value of name.
func (l *Map[V]) Get(name string) (V, bool) {
	if l == nil {
		var zero V
		return zero, false
	}
	if e, ok := l.over[name]; ok {
		return e.v, e.ok
	}
	v, ok := l.base[name]
	return v, ok
}

// Has reports whether name has a value.
func (l *Map[V]) Has(name string) bool {
	_, ok := l.Get(name)
	return ok
}

// Len is the number of entries.
func (l *Map[V]) Len() int {
	if l == nil {
		return 0
	}
	return l.n
}

// All yields every entry, in no order.
func (l *Map[V]) All() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		if l == nil {
			return
		}
		for name, e := range l.over {
			if e.ok && !yield(name, e.v) {
				return
			}
		}
		for name, v := range l.base {
			if _, changed := l.over[name]; !changed && !yield(name, v) {
				return
			}
		}
	}
}

// With returns the version of l with the entries of set set and those
// of del deleted; l is not changed. It costs in proportion to set, del
// and the entries l differs from its base in, but for the version that
// is flattened, once in maxLayer changes or so.
func (l *Map[V]) With(set map[string]V, del []string) *Map[V] {
	if l == nil {
		l = &Map[V]{}
	}
	n := &Map[V]{base: l.base, over: make(map[string]layer[V], len(l.over)+len(set)+len(del)), n: l.n}
	for name, e := range l.over {
		n.over[name] = e
	}
	for _, name := range del {
		if n.Has(name) {
			n.n--
		}
		n.over[name] = layer[V]{}
	}
	for name, v := range set {
		if !n.Has(name) {
			n.n++
		}
		n.over[name] = layer[V]{v: v, ok: true}
	}
	if len(n.over) > min(maxLayer, len(n.base)/2+16) {
		flat := make(map[string]V, n.n)
		for name, v := range n.All() {
			flat[name] = v
		}
		return Of(flat)
	}
	return n
}
