// Package expandtest runs body expanders in tests: a site loaded from
// memory by the content package behind a fake expand.Env, and golden
// files (testdata/*.txt archives of the site's files with want and
// warnings sections; -update rewrites those sections).
package expandtest

import (
	"bytes"
	"flag"
	"fmt"
	"html"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/l10n"
	"github.com/yuin/goldmark"
)

var update = flag.Bool("update", false, "rewrite the want and warnings sections of testdata/*.txt")

// Env is a site loaded from memory by the content package, with
// listings and Markdown rendered plainly so goldens show their input.
type Env struct {
	fsys fstest.MapFS
	site *content.Site
	// Pg is the page being expanded.
	Pg *content.Page

	messages *l10n.Catalog // of the site's i18n/, nil without one
}

func (e *Env) Page() *content.Page                  { return e.Pg }
func (e *Env) Site() *content.Site                  { return e.site }
func (e *Env) ReadFile(name string) ([]byte, error) { return fs.ReadFile(e.fsys, name) }

// Ref finds a page by its content path alone ("posts/a.md",
// "/posts/a.md", "content/posts/a.md") and returns its URL with the base
// URL's path.
func (e *Env) Ref(ref string) (string, bool) {
	ref = strings.TrimPrefix(strings.TrimPrefix(ref, "/"), "content/")
	for _, pg := range e.site.All() {
		if pg.Path == "content/"+ref {
			return strings.TrimSuffix(e.site.Config.BasePath(), "/") + pg.URL, true
		}
	}
	return "", false
}

// Translate gives the messages of the site's i18n/ files, read as a
// build reads them.
func (e *Env) Translate(id string, count any) (string, bool) { return e.messages.Translate(id, count) }

// Listing shows the info string and the code, escaped.
func (e *Env) Listing(code, info string) string {
	return `<pre data-info="` + html.EscapeString(info) + `">` + html.EscapeString(code) + "</pre>"
}

func (e *Env) Markdown(src string, inline bool) string {
	var b bytes.Buffer
	if err := goldmark.Convert([]byte(src), &b); err != nil {
		return err.Error()
	}
	s := b.String()
	if inline {
		s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "<p>"), "</p>")
	}
	return s
}

// Shortcode runs the file shortcodes/NAME of the site as a text/template
// with the Call as data; without that file there is no shortcode.
func (e *Env) Shortcode(name string, call expand.Call) (string, bool, error) {
	src, err := fs.ReadFile(e.fsys, "shortcodes/"+name)
	if err != nil {
		return "", false, nil
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

const defaultConfig = "title = \"Test\"\nbase_url = \"https://example.org/\"\n"

// LoadSite loads files (path → text) as a site and returns the env of the
// page at pagePath.
func LoadSite(t *testing.T, files map[string]string, pagePath string) *Env {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	if _, ok := fsys[content.ConfigFile]; !ok {
		fsys[content.ConfigFile] = &fstest.MapFile{Data: []byte(defaultConfig)}
	}
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	site, err := content.Load(fsys, cfg, content.Options{Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var messages *l10n.Catalog
	if _, err := fs.Stat(fsys, l10n.Dir); err == nil {
		messages, _, err = l10n.Load(cfg.Language, content.ConfigFile, 0, l10n.Overrides{}, l10n.Source{FS: fsys, Dir: l10n.Dir, Name: l10n.Dir, Site: true})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, pg := range site.All() {
		if pg.Path == pagePath {
			return &Env{fsys: fsys, site: site, Pg: pg, messages: messages}
		}
	}
	t.Fatalf("no page %s in the site", pagePath)
	return nil
}

// archive is a txtar-like file: a comment, then "-- name --" sections.
type archive struct {
	comment string
	names   []string
	files   map[string]string
}

func parseArchive(data string) archive {
	a := archive{files: map[string]string{}}
	name := ""
	var b strings.Builder
	flush := func() {
		if name == "" {
			a.comment = b.String()
		} else {
			a.names = append(a.names, name)
			a.files[name] = b.String()
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(data, "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(strings.TrimRight(line, "\n"), " --") {
			flush()
			name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimRight(line, "\n"), "-- "), " --")
			continue
		}
		b.WriteString(line)
	}
	flush()
	return a
}

func (a archive) format() string {
	var b strings.Builder
	b.WriteString(a.comment)
	for _, n := range a.names {
		fmt.Fprintf(&b, "-- %s --\n%s", n, a.files[n])
		if s := a.files[n]; s != "" && !strings.HasSuffix(s, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func (a *archive) set(name, text string) {
	if _, ok := a.files[name]; !ok {
		a.names = append(a.names, name)
	}
	a.files[name] = text
}

var token = regexp.MustCompile("\uE000(\\d+)\uE001")

// Inline replaces placeholders with their HTML, for reading.
func Inline(doc *expand.Doc) string {
	return token.ReplaceAllStringFunc(string(doc.Src), func(s string) string {
		n, _ := strconv.Atoi(token.FindStringSubmatch(s)[1])
		return doc.HTML[n]
	})
}

// Warnings lists a document's warnings, one a line.
func Warnings(doc *expand.Doc) string {
	var b strings.Builder
	for _, w := range doc.Warnings {
		b.WriteString(w.String() + "\n")
	}
	return b.String()
}

// RunGolden expands the first content/*.md page of each testdata archive
// and compares the Markdown (placeholders shown as their HTML) and the
// warnings with its want and warnings sections. An archive's
// shortcodes/NAME files are the site's shortcodes (see Env.Shortcode).
func RunGolden(t *testing.T, glob string, expandFn func(*expand.Doc, expand.Env)) {
	files, err := fs.Glob(os.DirFS("testdata"), glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files %s: %v", glob, err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(file, ".txt"), func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + file)
			if err != nil {
				t.Fatal(err)
			}
			a := parseArchive(string(data))
			site := map[string]string{}
			page := ""
			for _, n := range a.names {
				if strings.HasPrefix(n, "content/") || n == content.ConfigFile || strings.HasPrefix(n, "static/") || strings.HasPrefix(n, "shortcodes/") {
					site[n] = a.files[n]
					if page == "" && strings.HasPrefix(n, "content/") && strings.HasSuffix(n, ".md") {
						page = n
					}
				}
			}
			env := LoadSite(t, site, page)
			doc := &expand.Doc{Src: append([]byte(nil), env.Pg.Body...)}
			expandFn(doc, env)
			got, gotWarn := Inline(doc), Warnings(doc)
			if *update {
				a.set("want", got)
				a.set("warnings", gotWarn)
				if err := os.WriteFile("testdata/"+file, []byte(a.format()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := a.files["want"]; got != want {
				t.Errorf("%s: Markdown:\n%s\nwant:\n%s", page, got, want)
			}
			if want := a.files["warnings"]; gotWarn != want {
				t.Errorf("%s: warnings:\n%s\nwant:\n%s", page, gotWarn, want)
			}
		})
	}
}
