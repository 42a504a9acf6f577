package render

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

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

// TestShortcodeI18nAgainstHugo runs a shortcode that uses Hugo's i18n
// function on a French site whose own messages are in i18n/fr.toml alone,
// here and with Hugo, and compares what it prints.
func TestShortcodeI18nAgainstHugo(t *testing.T) {
	hugo := testenv.Hugo(t)
	shared := map[string]string{
		"i18n/fr.toml": "lireLaSuite = \"Lire la suite\"\nsalut = \"Salut {{ .Name }}\"\n" +
			"remise = \"20% de remise\"\nlu = \"{{ .Count }} % lu\"\n" +
			"[minutes]\none = \"{{ .Count }} minute\"\nother = \"{{ .Count }} minutes\"\n",
		"layouts/shortcodes/i18n.html": `<p class="i18n">{{ i18n "lireLaSuite" }} · {{ T "minutes" 0 }} · {{ T "minutes" (dict "Count" 3) }} · {{ i18n "salut" (dict "Name" "Ann") }} · [{{ i18n "absent" | default "repli" }}] · {{ i18n "remise" }} · {{ T "lu" 50 }}</p>`,
		"content/posts/a.md":           "---\ntitle: A\ndate: 2024-01-02\n---\n\n{{< i18n >}}\n",
	}
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, shared)
	testenv.WriteFiles(t, dir, map[string]string{
		"hugo.toml":                    "baseURL = \"https://example.org/\"\ntitle = \"T\"\ndefaultContentLanguage = \"fr\"\n",
		"layouts/_default/single.html": "{{ .Content }}",
		"layouts/_default/list.html":   "",
	})
	if out, err := exec.Command(hugo, "--quiet", "--source", dir).CombinedOutput(); err != nil {
		t.Fatalf("hugo: %v\n%s", err, out)
	}
	hugoPage, err := os.ReadFile(filepath.Join(dir, "public", "posts", "a", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"site.toml": {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\n")}}
	for name, data := range shared {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	out, stats := build(t, fsys, nil)
	page := out.Files()["2024/01/a/index.html"]
	para := regexp.MustCompile(`<p class="i18n">.*</p>`)
	want, got := para.Find(hugoPage), para.Find(page)
	if want == nil || !bytes.Equal(got, want) {
		t.Errorf("shortcode printed\n%s\nHugo printed\n%s", got, want)
	}
	if want := `i18n "absent": no message of this ID in i18n/fr.toml`; !strings.Contains(fmt.Sprint(stats.Warnings), want) {
		t.Errorf("warnings %q, want one containing %q", stats.Warnings, want)
	}
}
