package expand

import (
	"fmt"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/text"
)

func TestValueEnd(t *testing.T) {
	tests := []struct{ src, context, want string }{
		{"a.md) more", "](", "a.md"},
		{"a_(b).md) more", "](", "a_(b).md"},
		{"a.md \"title\")", "](", "a.md"},
		{"a b.md>)", "](<", "a b.md"},
		{"x/y.png\" alt", `src="`, "x/y.png"},
		{"x/y.png' alt", `src='`, "x/y.png"},
		{"a.md", "]: ", "a.md"},
	}
	for _, tt := range tests {
		if got := tt.src[:valueEnd([]byte(tt.src), 0, tt.context)]; got != tt.want {
			t.Errorf("valueEnd(%q, %q) = %q, want %q", tt.src, tt.context, got, tt.want)
		}
	}
}

// TestLinkSyntaxEdits runs one syntax over bodies: where a marker is
// rewritten, how the URL is escaped there, and what is left alone.
func TestLinkSyntaxEdits(t *testing.T) {
	syntax := NewLinkSyntax(`@/|\{filename\}`)
	resolve := func(l Link) (string, bool) {
		if strings.Contains(l.Value, "missing") {
			return "", false
		}
		return fmt.Sprintf("/u/%s(%s)%d", strings.ReplaceAll(l.Value, ".md", ""), l.Marker, l.Line), true
	}
	tests := []struct{ src, want string }{
		{"[a](@/x.md)", "[a](/u/x%28@/%291)"},
		{"[a]({filename}x.md) [b](@/y.md)", "[a](/u/x%28{filename}%291) [b](/u/y%28@/%291)"},
		{"![a]( @/x.md \"t\")", "![a]( /u/x%28@/%291 \"t\")"},
		{"[a](<@/x y.md>)", "[a](</u/x y(@/)1>)"},
		{"\n[r]: @/x.md", "\n[r]: /u/x%28@/%292"},
		{"[a](\n{filename}/x.md)", "[a](\n/u//x%28{filename}%292)"},
		{"[a](  \r\n  <@/x.md>)", "[a](  \r\n  </u/x(@/)2>)"},
		{"[r]:\n  @/x.md", "[r]:\n  /u/x%28@/%292"},
		{"[a](\n\n@/x.md)", "[a](\n\n@/x.md)"},
		{`<a href="@/x.md?a&amp;b">`, `<a href="/u/x?a&amp;amp;b(@/)1">`},
		{`<img src='@/x.md'>`, `<img src='/u/x(@/)1'>`},
		{"[a](@/missing.md)", "[a](@/missing.md)"},
		{"`[a](@/x.md)`", "`[a](@/x.md)`"},
		{"    [a](@/x.md)\n", "    [a](@/x.md)\n"},
		{"a @/x.md and (@/x.md)", "a @/x.md and (@/x.md)"},
		{"<a title=\"@/x.md\">", "<a title=\"@/x.md\">"},
	}
	for _, tt := range tests {
		src := []byte(tt.src)
		code := CodeRanges(goldmark.New().Parser().Parse(text.NewReader(src)))
		if got := string(Apply(src, syntax.Edits(src, code, resolve))); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestApply(t *testing.T) {
	src := []byte("0123456789")
	edits := []Edit{{Start: 6, End: 8, Text: "x"}, {Start: 1, End: 3, Text: "ab"}, {Start: 2, End: 4, Text: "dropped"}, {Start: 9, End: 9, Text: "+"}}
	if got, want := string(Apply(src, edits)), "0ab345x8+9"; got != want {
		t.Errorf("Apply = %q, want %q", got, want)
	}
}

func TestMovedPaths(t *testing.T) {
	tests := []struct {
		name     string
		sections []string
		want     string
	}{
		{"blog/a.md", nil, "content/blog/a.md content/posts/blog/a.md content/posts/a.md"},
		{"/a.md", []string{"blog"}, "content/a.md content/blog/a.md"},
		{"blog/a.md", []string{"blog", "notes"}, "content/blog/a.md content/blog/blog/a.md content/notes/blog/a.md content/notes/a.md"},
		{"x/../images/p.png", nil, "content/images/p.png content/posts/images/p.png content/posts/p.png"},
	}
	for _, tt := range tests {
		if got := strings.Join(MovedPaths(tt.name, tt.sections), " "); got != tt.want {
			t.Errorf("MovedPaths(%q, %q) = %s, want %s", tt.name, tt.sections, got, tt.want)
		}
	}
}
