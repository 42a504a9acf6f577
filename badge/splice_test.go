package badge

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSplice checks that a page cut at its slot is put back together
// with another badge, in a new slice (With) or after other bytes
// (AppendWith), that a page without a complete slot does not cut, and
// that a page with several slots is cut at its last, on pages short and
// long (lastIndex searches a long page's tail, then its head).
func TestSplice(t *testing.T) {
	long := strings.Repeat("<li>x</li>", tailLen/10+1)
	// Pages of more than tailLen bytes whose tail starts in the middle of
	// the Start (a slot holding a long badge), or of the End, of their
	// last slot, after another slot.
	first := Start + End + "<p>"
	longBadge := strings.Repeat("b", tailLen-len(Start)/2)
	after := long[:tailLen-len(End)/2]
	tests := []struct {
		name, page string
		ok         bool
		want       string // with the badge "B"
	}{
		{"a slot", "<p>a</p>" + Start + "old" + End + "</body>", true, "<p>a</p>" + Start + "B" + End + "</body>"},
		{"an empty slot", Start + End, true, Start + "B" + End},
		{"no slot", "<p>a</p>", false, ""},
		{"no end", "<p>a</p>" + Start + "old", false, ""},
		{"two slots", Start + "a" + End + "<p>x</p>" + Start + "b" + End, true, Start + "a" + End + "<p>x</p>" + Start + "B" + End},
		{"a slot, then one not closed", Start + "a" + End + "<p>" + Start + "</p>", true, Start + "B" + End + "<p>" + Start + "</p>"},
		{"an end alone before the slot", End + "<p>x</p>" + Start + "b" + End, true, End + "<p>x</p>" + Start + "B" + End},
		{"a long page, slot at its end", long + Start + "old" + End + "</body>", true, long + Start + "B" + End + "</body>"},
		{"a long page, slot at its start", Start + "old" + End + long, true, Start + "B" + End + long},
		{"a long page, slots in its text and at its end", Start + End + long + Start + "old" + End, true, Start + End + long + Start + "B" + End},
		{"a long page, its last slot's start across the tail's", first + Start + longBadge + End, true, first + Start + "B" + End},
		{"a long page, its last slot's end across the tail's", first + Start + "old" + End + after, true, first + Start + "B" + End + after},
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

// TestLastIndex checks lastIndex against bytes.LastIndex on pages short
// and long, with the separator before, across and in the tail.
func TestLastIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		page := make([]byte, r.IntN(3*tailLen))
		for i := range page {
			page[i] = "ab<!-"[r.IntN(5)]
		}
		for range r.IntN(4) {
			if len(page) >= len(Start) {
				at := r.IntN(len(page) - len(Start) + 1)
				if r.IntN(2) == 0 {
					at = max(0, min(len(page)-len(Start), len(page)-tailLen-r.IntN(len(Start))))
				}
				copy(page[at:], Start)
			}
		}
		if got, want := lastIndex(page, Start), bytes.LastIndex(page, []byte(Start)); got != want {
			t.Fatalf("lastIndex of %d bytes = %d, want %d", len(page), got, want)
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
