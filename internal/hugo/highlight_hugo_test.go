package hugo_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/hugo"
	"github.com/siteblog/site/render"
)

// listingEnv renders listings as the site does; nothing else is asked.
type listingEnv struct{ expand.Env }

func (listingEnv) Page() *content.Page { return &content.Page{Path: "content/posts/p.md"} }
func (listingEnv) Site() *content.Site {
	return &content.Site{Config: &content.Config{BaseURL: "https://example.org/"}}
}
func (listingEnv) Shortcode(string, expand.Call) (string, bool, error) {
	return "", false, nil
}
func (listingEnv) Listing(code, info string) string {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	(&render.Listings{LineNumbers: false}).Write(w, code, render.ParseInfo([]byte(info)), 1)
	w.Flush()
	return buf.String()
}

var (
	hugoLine = regexp.MustCompile(`<span class="line( hl)?"><span class="ln">(\d+)</span>`)
	ourLine  = regexp.MustCompile(`<span class="line( hl)?" id="code-1-L\d+">(?:<a class="ln"[^>]*data-n="(\d+)")?`)
)

// TestHighlightMatchesHugo checks that the highlight shortcode numbers and
// highlights the lines Debian's hugo does. Without hugo on PATH it is
// skipped, unless CI=true, where hugo is required.
func TestHighlightMatchesHugo(t *testing.T) {
	bin, err := exec.LookPath("hugo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("hugo is required under CI=true")
		}
		t.Skip("hugo not installed")
	}
	code := "package main\n\nfunc a() {}\nfunc b() {}\nfunc c() {}\nfunc d() {}\n"
	cases := []string{
		`linenos=inline`,
		`linenos=table,hl_lines=2 4-5,linenostart=10`,
		`linenos=inline,hl_lines=1 6`,
		`linenos=true, linenostart=57, hl_lines=3`,
	}
	dir := t.TempDir()
	var post strings.Builder
	post.WriteString("---\ntitle: P\n---\n")
	for i, c := range cases {
		fmt.Fprintf(&post, "\n<!--case%d-->\n\n{{< highlight go %q >}}\n%s{{< /highlight >}}\n", i, strings.NewReplacer("table", "inline", "true", "inline").Replace(c), code)
	}
	fmt.Fprintf(&post, "\n<!--case%d-->\n", len(cases))
	files := map[string]string{
		"hugo.toml":                    "baseURL = \"https://example.org/\"\ntitle = \"T\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"home\", \"section\", \"404\", \"robotsTXT\"]\n[markup.goldmark.renderer]\nunsafe = true\n[markup.highlight]\nnoClasses = false\n",
		"layouts/_default/single.html": "{{ .Content }}",
		"content/p.md":                 post.String(),
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command(bin, "--quiet", "-s", dir).CombinedOutput(); err != nil {
		t.Fatalf("hugo: %v\n%s", err, out)
	}
	html, err := os.ReadFile(filepath.Join(dir, "public/p/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		_, after, _ := strings.Cut(string(html), fmt.Sprintf("<!--case%d-->", i))
		theirs, _, _ := strings.Cut(after, fmt.Sprintf("<!--case%d-->", i+1))
		var want []string
		for _, m := range hugoLine.FindAllStringSubmatch(theirs, -1) {
			want = append(want, m[2]+m[1])
		}
		doc := &expand.Doc{Src: []byte(fmt.Sprintf("{{< highlight go %q >}}\n%s{{< /highlight >}}\n", c, code))}
		hugo.Expand(doc, listingEnv{})
		ours := string(expand.Restore(doc.Src, doc.HTML))
		var got []string
		for _, m := range ourLine.FindAllStringSubmatch(ours, -1) {
			got = append(got, m[2]+m[1])
		}
		if strings.Join(got, ",") != strings.Join(want, ",") || len(want) == 0 {
			t.Errorf("%s: lines %q, hugo %q", c, got, want)
		}
	}
}
