package render

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/testenv"
)

// TestRawHTMLAgainstHugo renders testdata/hugo/rawhtml.md (block and
// inline HTML, comments, <details> with Markdown inside, <figure>,
// <iframe>) here and with Hugo, whose Markdown is goldmark too: "omit"
// gives what Hugo gives by default, "pass" what it gives with
// markup.goldmark.renderer.unsafe, byte for byte.
func TestRawHTMLAgainstHugo(t *testing.T) {
	hugo := testenv.Hugo(t)
	src, err := os.ReadFile("testdata/hugo/rawhtml.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ mode, config string }{
		{content.RawHTMLOmit, ""},
		{content.RawHTMLPass, "[markup.goldmark.renderer]\nunsafe = true\n"},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			dir := t.TempDir()
			testenv.WriteFiles(t, dir, map[string]string{
				"hugo.toml":                    "baseURL = \"https://example.org/\"\ntitle = \"T\"\n" + tt.config,
				"layouts/_default/single.html": "{{ .Content }}",
				"layouts/_default/list.html":   "",
				"content/posts/rawhtml.md":     "---\ntitle: Raw\n---\n" + string(src),
			})
			cmd := exec.Command(hugo, "--quiet", "--source", dir)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("hugo: %v\n%s", err, out)
			}
			want, err := os.ReadFile(filepath.Join(dir, "public", "posts", "rawhtml", "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := NewMarkdown(&Listings{}, tt.mode).Render(&content.Page{Body: src})
			if err != nil {
				t.Fatal(err)
			}
			if string(got.Content) != string(want) {
				t.Errorf("raw_html %q:\n%s\nHugo:\n%s", tt.mode, got.Content, want)
			}
		})
	}
}
