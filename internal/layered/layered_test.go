package layered

import (
	"fmt"
	"maps"
	"testing"
)

// Every version holds what a plain map changed the same way holds, and
// the versions before it are left as they were, across flattenings.
func TestMapVersions(t *testing.T) {
	base := map[string]int{}
	for i := range 3000 {
		base[fmt.Sprint(i)] = i
	}
	tests := []struct {
		name string
		set  map[string]int
		del  []string
	}{
		{"nothing", nil, nil},
		{"one changed", map[string]int{"7": -7}, nil},
		{"one added, one removed", map[string]int{"new": 1}, []string{"8"}},
		{"removed, then added again", map[string]int{"8": 88}, nil},
		{"removed twice, and an unknown name", nil, []string{"9", "9", "nowhere"}},
		{"removed and set at once: set wins", map[string]int{"10": 10}, []string{"10"}},
		{"many, past flattening", func() map[string]int {
			m := map[string]int{}
			for i := range 2*maxLayer + 5 {
				m[fmt.Sprint("x", i)] = i
			}
			return m
		}(), []string{"0", "1"}},
		{"after flattening", map[string]int{"x0": -1}, []string{"x1"}},
	}
	want := maps.Clone(base)
	v := Of(base)
	type version struct {
		m    *Map[int]
		want map[string]int
	}
	var versions []version
	for _, tc := range tests {
		for _, name := range tc.del {
			delete(want, name)
		}
		maps.Copy(want, tc.set)
		v = v.With(tc.set, tc.del)
		versions = append(versions, version{v, maps.Clone(want)})
		checkMap(t, tc.name, v, want)
	}
	for i, ver := range versions {
		checkMap(t, fmt.Sprintf("version %d (%s), later", i, tests[i].name), ver.m, ver.want)
	}
	if len(base) != 3000 || base["7"] != 7 {
		t.Error("the base map was changed")
	}
}

func checkMap(t *testing.T, what string, m *Map[int], want map[string]int) {
	t.Helper()
	if m.Len() != len(want) {
		t.Errorf("%s: Len() = %d, want %d", what, m.Len(), len(want))
	}
	got := map[string]int{}
	for k, v := range m.All() {
		if _, dup := got[k]; dup {
			t.Errorf("%s: All yields %q twice", what, k)
		}
		got[k] = v
	}
	if !maps.Equal(got, want) {
		t.Errorf("%s: All() yields %d entries, not those of the map changed the same way (%d)", what, len(got), len(want))
	}
	for _, k := range []string{"7", "8", "9", "10", "new", "x0", "x1", "nowhere"} {
		v, ok := m.Get(k)
		if w, wok := want[k]; v != w || ok != wok || m.Has(k) != wok {
			t.Errorf("%s: Get(%q) = %d, %v; want %d, %v", what, k, v, ok, w, wok)
		}
	}
}

// A nil Map is empty.
func TestNilMap(t *testing.T) {
	var m *Map[int]
	if _, ok := m.Get("a"); ok || m.Len() != 0 || m.Has("a") {
		t.Error("a nil Map has entries")
	}
	for range m.All() {
		t.Error("a nil Map yields entries")
	}
	if n := m.With(map[string]int{"a": 1}, nil); n.Len() != 1 {
		t.Errorf("nil.With(a) has %d entries", n.Len())
	}
}
