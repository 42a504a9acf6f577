package hugo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/expand"
)

// TestPairTagsMatchesScan: pairTags pairs tags as a scan from each opening
// tag does (the nearest closing tag of its name with as many nested
// openings as closings of that name between), on random sequences of
// tags.
func TestPairTagsMatchesScan(t *testing.T) {
	kinds := []tag{
		{name: "a"}, {name: "a", closing: true}, {name: "b"}, {name: "b", closing: true},
		{name: "a", selfClose: true}, {name: "a", comment: true}, {name: "a", closing: true, err: "bad"},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		tags := make([]tag, r.IntN(12))
		for i := range tags {
			tags[i] = kinds[r.IntN(len(kinds))]
		}
		partner := pairTags(tags)
		for i := range tags {
			want := -1
			if !tags[i].closing && !tags[i].selfClose && !tags[i].comment && tags[i].err == "" {
				want = scanClose(tags, i)
			}
			if partner[i] != want {
				t.Fatalf("%v: tag %d pairs with %d, want %d", tags, i, partner[i], want)
			}
		}
	}
}

// scanClose finds the tag closing tags[open] by scanning forward.
func scanClose(tags []tag, open int) int {
	depth := 0
	for i := open + 1; i < len(tags); i++ {
		t := &tags[i]
		if t.err != "" || t.comment || t.name != tags[open].name || t.selfClose {
			continue
		}
		if !t.closing {
			depth++
			continue
		}
		if depth == 0 {
			return i
		}
		depth--
	}
	return -1
}

// TestShortcodeNesting: shortcodes nested deeper than MaxNesting are a
// warning at the line of the first too deep, and not paired.
func TestShortcodeNesting(t *testing.T) {
	tests := []struct {
		depth    int
		wantLine int // 0: no warning of nesting
	}{
		{MaxNesting, 0},
		{MaxNesting + 1, MaxNesting + 1},
		{1000, MaxNesting + 1},
	}
	for _, tt := range tests {
		src := strings.Repeat("{{% x %}}\n", tt.depth) + "a\n" + strings.Repeat("{{% /x %}}\n", tt.depth)
		env := newTestEnv(t)
		doc := &expand.Doc{Src: []byte(src)}
		env.doc = doc
		Expand(doc, env)
		var got []string
		for _, w := range doc.Warnings {
			if strings.Contains(w.Msg, "nested more than") {
				got = append(got, w.String())
			}
		}
		want := []string{}
		if tt.wantLine > 0 {
			want = append(want, fmt.Sprintf("%d: shortcodes nested more than %d deep; the deeper ones are not paired with their closing tags", tt.wantLine, MaxNesting))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("depth %d: nesting warnings %q, want %q", tt.depth, got, want)
		}
	}
}

// BenchmarkUnclosedShortcodes expands a body of opening tags that nothing
// closes, which took time cubic in their number.
func BenchmarkUnclosedShortcodes(b *testing.B) {
	src := []byte(strings.Repeat("{{< x >}}\n", 20000))
	env := newTestEnv(b)
	for b.Loop() {
		doc := &expand.Doc{Src: append([]byte(nil), src...)}
		env.doc = doc
		Expand(doc, env)
	}
}

// BenchmarkCommentTags expands many {{</* */>}} on one line and among
// many fenced code blocks: each asked whether it is in a code span or a
// fence, which cost a pass over its line and over every fence.
func BenchmarkCommentTags(b *testing.B) {
	src := []byte(strings.Repeat("{{</* x */>}} `a` ", 20000) + "\n" + strings.Repeat("```\nb\n```\n{{</* x */>}}\n", 20000))
	env := newTestEnv(b)
	for b.Loop() {
		doc := &expand.Doc{Src: append([]byte(nil), src...)}
		env.doc = doc
		Expand(doc, env)
	}
}

// TestShortcodeOutputLimit: inline shortcodes that loop write at most
// expand.OutputLimit for the whole page; past it each is left out with a
// warning.
func TestShortcodeOutputLimit(t *testing.T) {
	loop := "{{< x.inline >}}{{ range seq 100 }}{{ range seq 200 }}" + strings.Repeat("x", 1000) + "{{ end }}{{ end }}{{< /x.inline >}}\n"
	src := loop + strings.Repeat("{{< x.inline />}}\n", 10)
	env := newTestEnv(t)
	doc := &expand.Doc{Src: []byte(src)}
	env.doc = doc
	Expand(doc, env)
	if len(doc.Src) > expand.OutputLimit(len(src)) {
		t.Errorf("expanded to %d bytes, over the limit %d", len(doc.Src), expand.OutputLimit(len(src)))
	}
	if len(doc.Warnings) == 0 || !strings.Contains(doc.Warnings[0].String(), "1: shortcode {{< x.inline >}}: ") || !strings.Contains(doc.Warnings[0].Msg, "output limit reached") {
		t.Errorf("warnings %v…, want the first at line 1 of the output limit", doc.Warnings[:min(2, len(doc.Warnings))])
	}
}
