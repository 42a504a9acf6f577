package badge

import "testing"

// TestSplice checks that a page cut at its slot is put back together
// with another badge, in a new slice (With) or after other bytes
// (AppendWith), and that a page without a complete slot does not cut.
func TestSplice(t *testing.T) {
	tests := []struct {
		name, page string
		ok         bool
		want       string // with the badge "B"
	}{
		{"a slot", "<p>a</p>" + Start + "old" + End + "</body>", true, "<p>a</p>" + Start + "B" + End + "</body>"},
		{"an empty slot", Start + End, true, Start + "B" + End},
		{"no slot", "<p>a</p>", false, ""},
		{"no end", "<p>a</p>" + Start + "old", false, ""},
	}
	for _, tt := range tests {
		p, ok := Cut([]byte(tt.page))
		if ok != tt.ok {
			t.Errorf("%s: cut %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if got := string(p.With([]byte("B"))); got != tt.want {
			t.Errorf("%s: With gives %q, want %q", tt.name, got, tt.want)
		}
		if got := string(p.AppendWith([]byte("x"), []byte("B"))); got != "x"+tt.want {
			t.Errorf("%s: AppendWith gives %q, want %q", tt.name, got, "x"+tt.want)
		}
		if n := p.Len(1); n != len(tt.want) {
			t.Errorf("%s: Len(1) = %d, want %d", tt.name, n, len(tt.want))
		}
		if got, ok := Replace([]byte(tt.page), []byte("B")); !ok || string(got) != tt.want {
			t.Errorf("%s: Replace gives %q, %v", tt.name, got, ok)
		}
	}
}
