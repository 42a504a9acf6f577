package hugo

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/testenv"
)

// TestFigureMatchesHugo renders figures with Debian's hugo and with
// Expand, and compares the HTML. Without hugo it is skipped, unless
// CI=true, where hugo is required (see BuildWithHugo).
func TestFigureMatchesHugo(t *testing.T) {
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
	built := BuildWithHugo(t, "", cases)
	for i, c := range cases {
		want := built[i]
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

// BuildWithHugo builds with Debian's hugo (testenv.Hugo: the test is
// skipped without it, and fails under CI=true) a site of one post that
// holds each of bodies in turn, and returns the HTML hugo makes of each.
// extraConfig is added to hugo.toml. It is exported for the tests of
// package hugo_test.
func BuildWithHugo(t *testing.T, extraConfig string, bodies []string) []string {
	t.Helper()
	bin := testenv.Hugo(t)
	dir := t.TempDir()
	var post strings.Builder
	post.WriteString("---\ntitle: P\n---\n")
	for i, b := range bodies {
		fmt.Fprintf(&post, "\n<!--case%d-->\n\n%s\n", i, b)
	}
	fmt.Fprintf(&post, "\n<!--case%d-->\n", len(bodies))
	testenv.WriteFiles(t, dir, map[string]string{
		"hugo.toml":                    "baseURL = \"https://example.org/\"\ntitle = \"T\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"home\", \"section\", \"404\", \"robotsTXT\"]\n[markup.goldmark.renderer]\nunsafe = true\n" + extraConfig,
		"layouts/_default/single.html": "{{ .Content }}",
		"content/p.md":                 post.String(),
	})
	if out, err := exec.Command(bin, "--quiet", "-s", dir).CombinedOutput(); err != nil {
		t.Fatalf("hugo: %v\n%s", err, out)
	}
	html, err := os.ReadFile(filepath.Join(dir, "public/p/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(bodies))
	for i := range bodies {
		_, after, _ := strings.Cut(string(html), fmt.Sprintf("<!--case%d-->", i))
		out[i], _, _ = strings.Cut(after, fmt.Sprintf("<!--case%d-->", i+1))
	}
	return out
}
