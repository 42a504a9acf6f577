package zola_test

import (
	"testing"

	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/expand/expandtest"
	"github.com/siteblog/site/internal/zola"
)

// TestGolden runs testdata/*.txt: Zola posts written for this project,
// expanded.
func TestGolden(t *testing.T) { expandtest.RunGolden(t, "*.txt", zola.Expand) }

func TestApplies(t *testing.T) {
	for src, want := range map[string]bool{
		"plain text":                  false,
		"mail me@/x, or npm @/scope":  false,
		"[a](@/blog/a.md)":            true,
		"[a]( @/blog/a.md)":           true,
		"[a](<@/blog/a.md>)":          true,
		"[a]: @/a.md":                 true,
		"[a]:\t@/a.md":                true,
		`<a href="@/a.md">`:           true,
		`<a href='@/a.md'>`:           true,
		`<a href= @/a.md>`:            true,
		"see @/ later, then [a](@/b)": true,
		"@/ at the start":             false,
	} {
		if got := zola.Applies([]byte(src)); got != want {
			t.Errorf("Applies(%q) = %v, want %v", src, got, want)
		}
	}
}

// TestUntouched checks that a body without an internal link comes out as
// it went in, with no warning, even when it holds "@/" elsewhere.
func TestUntouched(t *testing.T) {
	files := map[string]string{
		"content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2024-03-10\n+++\n\nImport `@/components/x.vue` as `import X from \"@/x\"`.\n\n    const y = require('@/y')\n",
	}
	env := expandtest.LoadSite(t, files, "content/posts/a.md")
	doc := &expand.Doc{Src: append([]byte(nil), env.Pg.Body...)}
	zola.Expand(doc, env)
	if string(doc.Src) != string(env.Pg.Body) || len(doc.Warnings) > 0 {
		t.Errorf("changed:\n%s\nwarnings: %v", doc.Src, doc.Warnings)
	}
}
