package hugo

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/l10n"
	"github.com/yuin/goldmark"
)

var update = flag.Bool("update", false, "rewrite the expected sections of testdata/*.txt with the current output")

// testEnv is an expand.Env over a small fixed site.
type testEnv struct {
	page      *content.Page
	site      *content.Site
	templates *Templates
	doc       *expand.Doc
	messages  *l10n.Catalog // testdata/i18n
}

func newTestEnv(t testing.TB) *testEnv {
	cfg := &content.Config{Title: "Test site", BaseURL: "https://example.org/blog/", Language: "en",
		Params: map[string]any{"color": "blue", "Social": map[string]any{"Mastodon": "@me"}}}
	pg := &content.Page{Path: "content/posts/a/index.md", URL: "/2024/01/a/", Resources: []string{"content/posts/a/cat.png"}, Meta: content.Meta{
		Title: "Post A", Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		Params: map[string]any{"title": "Post A", "mood": "happy", "color": "green"}}}
	ts, err := ParseTemplates(os.DirFS("testdata"), "shortcodes", "missing")
	if err != nil {
		t.Fatal(err)
	}
	messages, _, err := l10n.Load("en", content.ConfigFile, 0, l10n.Overrides{}, l10n.Source{FS: os.DirFS("testdata"), Dir: l10n.Dir, Name: l10n.Dir, Site: true})
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{page: pg, site: &content.Site{Config: cfg, Posts: []*content.Page{pg}}, templates: ts, messages: messages}
}

func (e *testEnv) Page() *content.Page { return e.page }
func (e *testEnv) Site() *content.Site { return e.site }
func (e *testEnv) Ref(ref string) (string, bool) {
	switch strings.TrimPrefix(ref, "/") {
	case "posts/b.md", "b.md", "b":
		return "/blog/2024/01/b/", true
	}
	return "", false
}
func (e *testEnv) ReadFile(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", name))
}
func (e *testEnv) Listing(code, info string) string {
	return fmt.Sprintf("<listing info=%q>%s</listing>", info, code)
}
func (e *testEnv) Markdown(src string, inline bool) string {
	var b bytes.Buffer
	if err := goldmark.Convert([]byte(src), &b); err != nil {
		return err.Error()
	}
	out := b.String() // placeholders stay, as the renderer's Env keeps them
	if inline {
		out = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(out, "\n"), "<p>"), "</p>")
	}
	return out
}
func (e *testEnv) Translate(id string, count any) (string, bool) {
	return e.messages.Translate(id, count)
}
func (e *testEnv) Shortcode(name string, call expand.Call) (string, bool, error) {
	return e.templates.Run(name, call, e)
}
func (e *testEnv) ShortcodeTemplates() *Templates { return e.templates }

var sectionRE = regexp.MustCompile(`(?m)^-- (\w+) --\n`)

// sections splits a case file into its "-- name --" sections.
func sections(data string) map[string]string {
	out := map[string]string{}
	idx := sectionRE.FindAllStringSubmatchIndex(data, -1)
	for i, m := range idx {
		end := len(data)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		out[data[m[2]:m[3]]] = data[m[1]:end]
	}
	return out
}

var tokenRE = regexp.MustCompile("\uE000([0-9]+)\uE001")

// TestGolden expands the input section of each testdata/*.txt and compares
// the Markdown (placeholders shown as [[N]]), the placeholders' HTML and
// the warnings with the file's other sections; -update rewrites them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := sections(string(data))
			env := newTestEnv(t)
			doc := &expand.Doc{Src: []byte(want["input"])}
			env.doc = doc
			Expand(doc, env)
			var html strings.Builder
			for i, h := range doc.HTML {
				fmt.Fprintf(&html, "[[%d]]\n%s\n", i, h)
			}
			var warnings strings.Builder
			for _, w := range doc.Warnings {
				fmt.Fprintf(&warnings, "%s\n", w)
			}
			got := map[string]string{
				"markdown": tokenRE.ReplaceAllString(string(doc.Src), "[[$1]]"),
				"html":     html.String(),
				"warnings": warnings.String(),
			}
			if *update {
				out := "-- input --\n" + want["input"]
				for _, k := range []string{"markdown", "html", "warnings"} {
					out += "-- " + k + " --\n" + got[k]
				}
				if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, k := range []string{"markdown", "html", "warnings"} {
				if got[k] != want[k] {
					t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s--- want\n%s", k, got[k], want[k])
				}
			}
		})
	}
}
