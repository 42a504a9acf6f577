package hugo

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/expand"
)

// TestFigureMatchesHugo renders figures with Debian's hugo and with
// Expand, and compares the HTML. Without hugo on PATH it is skipped,
// unless CI=true, where hugo is required.
func TestFigureMatchesHugo(t *testing.T) {
	bin, err := exec.LookPath("hugo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("hugo is required under CI=true")
		}
		t.Skip("hugo not installed")
	}
	cases := []string{
		`{{< figure src="/img/a.png" >}}`,
		`{{< figure src="a.png" alt="An A" >}}`,
		`{{< figure src="a.png" caption="Cap *x*" >}}`,
		`{{< figure src="a.png" title="The T" >}}`,
		`{{< figure src="a.png" title="T" caption="C" attr="Me" attrlink="https://me.example" >}}`,
		`{{< figure src="a.png" attr="Only attr" >}}`,
		`{{< figure src="a.png" link="/big.png" >}}`,
		`{{< figure src="a.png" link="/big.png" target="_blank" rel="noopener" class="wide" width="100" height="50" >}}`,
		`{{< figure src="a.png" alt="x & y" class="c" >}}`,
	}
	dir := t.TempDir()
	var post strings.Builder
	post.WriteString("---\ntitle: P\n---\n")
	for i, c := range cases {
		fmt.Fprintf(&post, "\n<!--case%d-->\n\n%s\n", i, c)
	}
	fmt.Fprintf(&post, "\n<!--case%d-->\n", len(cases))
	files := map[string]string{
		"hugo.toml":                    "baseURL = \"https://example.org/\"\ntitle = \"T\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"home\", \"section\", \"404\", \"robotsTXT\"]\n[markup.goldmark.renderer]\nunsafe = true\n",
		"layouts/_default/single.html": "{{ .Content }}",
		"content/p.md":                 post.String(),
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "--quiet", "-s", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hugo: %v\n%s", err, out)
	}
	html, err := os.ReadFile(filepath.Join(dir, "public/p/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		_, after, _ := strings.Cut(string(html), fmt.Sprintf("<!--case%d-->", i))
		want, _, _ := strings.Cut(after, fmt.Sprintf("<!--case%d-->", i+1))
		env := newTestEnv(t)
		doc := &expand.Doc{Src: []byte(c)}
		env.doc = doc
		Expand(doc, env)
		got := string(expand.Restore(doc.Src, doc.HTML))
		if strings.TrimSpace(got) != strings.TrimSpace(want) {
			t.Errorf("%s:\n--- got\n%s\n--- hugo\n%s", c, got, strings.TrimSpace(want))
		}
	}
}
