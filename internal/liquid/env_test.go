package liquid

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
)

// fakeEnv is the renderer as the tests see it: a site loaded from memory,
// listings and Markdown shown as marked text, shortcodes from
// shortcodes/NAME files run as text/template with the Call as data.
type fakeEnv struct {
	fsys fs.FS
	site *content.Site
	page *content.Page
}

// newFakeEnv loads the site in files and expands the page at pagePath.
func newFakeEnv(t *testing.T, files map[string]string, pagePath string) *fakeEnv {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatalf("site.toml: %v", err)
	}
	site, err := content.Load(fsys, cfg, content.Options{Now: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	env := &fakeEnv{fsys: fsys, site: site}
	for _, p := range site.All() {
		if p.Path == pagePath {
			env.page = p
		}
	}
	if env.page == nil {
		t.Fatalf("no page %s in the site", pagePath)
	}
	return env
}

func (e *fakeEnv) Page() *content.Page { return e.page }
func (e *fakeEnv) Site() *content.Site { return e.site }
func (e *fakeEnv) ReadFile(name string) ([]byte, error) {
	return fs.ReadFile(e.fsys, name)
}

// Ref finds a page by content path, by file name with or without
// extension, or relative to the page's directory.
func (e *fakeEnv) Ref(ref string) (string, bool) {
	ref = strings.TrimPrefix(strings.TrimPrefix(ref, "/"), "content/")
	for _, p := range e.site.All() {
		rel := strings.TrimPrefix(p.Path, "content/")
		base := path.Base(p.Path)
		switch ref {
		case rel, base, strings.TrimSuffix(base, path.Ext(base)), path.Join(path.Dir(strings.TrimPrefix(e.page.Path, "content/")), ref):
			return e.site.Config.BasePath() + strings.TrimPrefix(p.URL, "/"), true
		}
	}
	return "", false
}

func (e *fakeEnv) Listing(code, info string) string {
	return fmt.Sprintf("<listing info=%q>%s</listing>", info, html.EscapeString(code))
}

func (e *fakeEnv) Markdown(src string, inline bool) string {
	if inline {
		return "<md inline>" + src + "</md>"
	}
	return "<md>" + src + "</md>"
}

func (e *fakeEnv) Shortcode(name string, call expand.Call) (string, bool, error) {
	src, err := fs.ReadFile(e.fsys, "shortcodes/"+name)
	if err != nil {
		return "", false, nil
	}
	if strings.TrimSpace(string(src)) == "ERROR" {
		return "", true, errors.New("the template failed")
	}
	tpl, err := template.New(name).Parse(string(src))
	if err != nil {
		return "", true, err
	}
	var b bytes.Buffer
	if err := tpl.Execute(&b, call); err != nil {
		return "", true, err
	}
	return b.String(), true, nil
}

var placeholder = regexp.MustCompile("\uE000(\\d+)\uE001")

// show is the expanded Markdown with each placeholder shown as ⟦its HTML⟧.
func show(doc *expand.Doc) string {
	return placeholder.ReplaceAllStringFunc(string(doc.Src), func(m string) string {
		var n int
		fmt.Sscanf(strings.Trim(m, "\uE000\uE001"), "%d", &n)
		return "⟦" + doc.HTML[n] + "⟧"
	})
}

// warnings are a document's warnings, one "line: message" a line.
func warnings(doc *expand.Doc) string {
	var b strings.Builder
	for _, w := range doc.Warnings {
		b.WriteString(w.String() + "\n")
	}
	return b.String()
}

// Translate knows no messages: Jekyll has no i18n function.
func (e *fakeEnv) Translate(id string, count any) (string, bool) { return "", false }
