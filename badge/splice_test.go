package badge

import (
	"strings"
	"testing"
)

// TestSplice checks that a page cut at its slot is put back together
// with another badge, in a new slice (With) or after other bytes
// (AppendWith), and that a page without a complete slot does not cut.
// On a page longer than tailLen the slot in its tail is the one cut, and
// a slot before the tail, or across its start, is still found.
func TestSplice(t *testing.T) {
	long := strings.Repeat("<li>x</li>", tailLen/10+1)
	tests := []struct {
		name, page string
		ok         bool
		want       string // with the badge "B"
	}{
		{"a slot", "<p>a</p>" + Start + "old" + End + "</body>", true, "<p>a</p>" + Start + "B" + End + "</body>"},
		{"an empty slot", Start + End, true, Start + "B" + End},
		{"no slot", "<p>a</p>", false, ""},
		{"no end", "<p>a</p>" + Start + "old", false, ""},
		{"a long page, slot at its end", long + Start + "old" + End + "</body>", true, long + Start + "B" + End + "</body>"},
		{"a long page, slot at its start", Start + "old" + End + long, true, Start + "B" + End + long},
		{"a slot in a long page's text and at its end", Start + End + long + Start + "old" + End, true, Start + End + long + Start + "B" + End},
		{"a slot across the tail's start", long[:10] + Start + "old" + End + long[:tailLen-len(Start)/2-len("old"+End)], true,
			long[:10] + Start + "B" + End + long[:tailLen-len(Start)/2-len("old"+End)]},
		{"a long page, no end", long + Start + "old", false, ""},
		{"a long page, no slot", long, false, ""},
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

// BenchmarkCut cuts a 10,000-post archive's size of page at the slot
// the default theme puts at its end.
func BenchmarkCut(b *testing.B) {
	page := []byte(strings.Repeat(`<li><a href="/2024/01/a-post/">A post</a></li>`, 30000) + Start + End + "</body></html>")
	for b.Loop() {
		if _, ok := Cut(page); !ok {
			b.Fatal("no slot")
		}
	}
}
