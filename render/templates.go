package render

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"strings"
	"text/template/parse"
	"time"

	"github.com/siteblog/site/themes"
)

// templateKinds are the page templates a theme provides, each executed as
// "base" after parsing base.html, the _*.html partials and <kind>.html.
var templateKinds = []string{"post", "page", "list", "tag", "tags", "archive", "404", "tls", "search"}

// TemplateDir is the theme directory holding templates.
const TemplateDir = "templates"

// templates holds one parsed template set per page kind.
type templates map[string]*template.Template

// funcs are the template functions that do not depend on the site's
// language; templateFuncs adds those that do (T, date, datetime, …).
// What every template function returns depends on its arguments and the
// site's language alone: cached keeps a partial's fragments of a post
// by them (fragments.go).
var funcs = template.FuncMap{
	// isodate formats a time in RFC 3339, for datetime attributes.
	"isodate": func(t time.Time) string { return t.Format(time.RFC3339) },
	// day formats a time in UTC as "2006-01-02".
	"day": func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	// inc adds one, for counting from 1.
	"inc": func(i int) int { return i + 1 },
}

// parseTemplates parses a theme's templates, with the functions fm and
// cached (frags), and returns them with the key of each kind's sources
// (base.html, the partials and its own file), so a change to post.html
// remakes posts only.
func parseTemplates(theme fs.FS, fm template.FuncMap, frags *fragments) (templates, map[string]Key, error) {
	fm = maps.Clone(fm)
	fm["cached"] = frags.execute
	sources := map[string][]byte{}
	read := func(name string) (string, error) {
		if data, ok := sources[name]; ok {
			return string(data), nil
		}
		data, err := fs.ReadFile(theme, path.Join(TemplateDir, name))
		if err != nil {
			return "", fmt.Errorf("theme: %w", err)
		}
		sources[name] = data
		return string(data), nil
	}
	shared := []string{"base.html"}
	entries, err := fs.ReadDir(theme, TemplateDir)
	if err != nil {
		return nil, nil, fmt.Errorf("theme: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "_") && strings.HasSuffix(e.Name(), ".html") {
			shared = append(shared, e.Name())
		}
	}
	// A partial that cached executes cannot use cached itself: each call
	// is an execution of its own, which no depth limit would stop.
	inner := maps.Clone(fm)
	inner["cached"] = func(name string, _ any) (template.HTML, error) {
		return "", fmt.Errorf("cached %q: a partial shown with cached cannot use cached", name)
	}
	frags.set = template.New("").Funcs(inner)
	h := sha256.New()
	for _, name := range shared {
		text, err := read(name)
		if err != nil {
			return nil, nil, err
		}
		if _, err := frags.set.New(name).Parse(text); err != nil {
			return nil, nil, templateError(themes.Path(theme, path.Join(TemplateDir, name)), err)
		}
		fmt.Fprintf(h, "%s %d\n%s", name, len(text), text)
	}
	frags.sources = sum(h)
	ts := templates{}
	keys := map[string]Key{}
	for _, kind := range templateKinds {
		t := template.New(kind).Funcs(fm)
		h := sha256.New()
		for _, name := range append(shared, kind+".html") {
			text, err := read(name)
			if err != nil {
				return nil, nil, err
			}
			if _, err := t.New(name).Parse(text); err != nil {
				return nil, nil, templateError(themes.Path(theme, path.Join(TemplateDir, name)), err)
			}
			fmt.Fprintf(h, "%s %d\n%s", name, len(text), text)
		}
		if t.Lookup("base") == nil {
			return nil, nil, fmt.Errorf("theme: %s/base.html must define a template named \"base\"", TemplateDir)
		}
		ts[kind] = t
		keys[kind] = sum(h)
	}
	return ts, keys, nil
}

// showBody reports, per kind, whether its templates may show a post's
// rendered body (see showsBody).
func (ts templates) showBody(frags *fragments) map[string]bool {
	lookupIn := func(t *template.Template) func(string) *parse.Tree {
		return func(name string) *parse.Tree {
			if d := t.Lookup(name); d != nil {
				return d.Tree
			}
			return nil
		}
	}
	shows := map[string]bool{}
	for kind, t := range ts {
		shows[kind] = showsBody(lookupIn(t), lookupIn(frags.set), "base")
	}
	return shows
}

// execute renders a page with the template of its kind.
func (ts templates) execute(data *PageData) ([]byte, error) {
	return ts.executeIn(nil, data)
}

// executeIn is execute in buf, given empty, whose bytes it returns when
// buf is not nil: they are the page only until buf is used again.
func (ts templates) executeIn(buf *bytes.Buffer, data *PageData) ([]byte, error) {
	write := func(buf *bytes.Buffer) error { return ts[data.Kind].ExecuteTemplate(buf, "base", data) }
	var html []byte
	var err error
	if buf == nil {
		html, err = buffered(write)
	} else if err = write(buf); err == nil {
		html = buf.Bytes()
	}
	if err != nil {
		return nil, fmt.Errorf("theme: %s template: %w", data.Kind, err)
	}
	return html, nil
}

// templateLine finds the line in a template parse error:
// "template: post.html:3: unexpected …".
var templateLine = regexp.MustCompile(`^template: [^:]+:(\d+):(?:\d+:)? ?(.*)$`)

// templateError puts a parse error in the form "file:line: message".
func templateError(file string, err error) error {
	if m := templateLine.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("%s:%s: %s", file, m[1], m[2])
	}
	return fmt.Errorf("%s: %w", file, err)
}
