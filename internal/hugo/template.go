package hugo

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
)

// Templates are a site's user shortcodes, parsed once and run by many
// pages at once.
type Templates struct {
	byName map[string]*userTemplate
}

type userTemplate struct {
	file string
	tmpl *template.Template // never executed itself: each use runs a clone
	err  error              // the parse error, reported where the shortcode is used
}

// ParseTemplates reads the shortcode templates under dirs of fsys: the
// file dir/NAME.html (or dir/SUB/NAME.html) is the shortcode NAME (or
// SUB/NAME). A name in an earlier dir hides the same name in a later one.
// A directory that does not exist holds none; a template that does not
// parse is an error where a page uses it.
func ParseTemplates(fsys fs.FS, dirs ...string) (*Templates, error) {
	ts := &Templates{byName: map[string]*userTemplate{}}
	for _, dir := range dirs {
		err := content.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == dir {
					return fs.SkipDir
				}
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".html") {
				return nil
			}
			name := strings.TrimSuffix(strings.TrimPrefix(p, dir+"/"), ".html")
			if _, seen := ts.byName[name]; seen {
				return nil
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			t, perr := template.New(name).Funcs(templateFuncs(nil, nil)).Parse(string(data))
			ts.byName[name] = &userTemplate{file: p, tmpl: t, err: perr}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("shortcode templates: %w", err)
		}
	}
	return ts, nil
}

// Has reports whether there is a template for the shortcode name.
func (ts *Templates) Has(name string) bool {
	if ts == nil {
		return false
	}
	_, ok := ts.byName[name]
	return ok
}

// Run runs the template name for call on the page of env, as a top-level
// shortcode: what Env.Shortcode does for Liquid tags of the same name. ok
// is false when there is no such template.
func (ts *Templates) Run(name string, call expand.Call, env expand.Env) (html string, ok bool, err error) {
	if !ts.Has(name) {
		return "", false, nil
	}
	sc := newShortcode(call, env, newPage(env), nil, 0)
	if call.HasInner {
		sc.setInner(call.Inner)
	}
	html, err = ts.execute(name, sc, env)
	return html, true, err
}

// execute runs the template name with sc as its dot.
func (ts *Templates) execute(name string, sc *Shortcode, env expand.Env) (string, error) {
	u := ts.byName[name]
	if u.err != nil {
		return "", fmt.Errorf("%s: %v", u.file, u.err)
	}
	t, err := u.tmpl.Clone()
	if err != nil {
		return "", fmt.Errorf("%s: %v", u.file, err)
	}
	t.Funcs(templateFuncs(env, sc.Page))
	b := sc.output()
	if err := t.Execute(b, sc); err != nil {
		return "", fmt.Errorf("%s: %v", u.file, err)
	}
	return b.String(), nil
}

// Shortcode is the dot of a shortcode template, as in Hugo.
type Shortcode struct {
	// Name is the shortcode's name.
	Name string
	// Inner is the text between the opening and closing tags, as written
	// (nested shortcodes already expanded). InnerDeindent is Inner with
	// the indentation common to its lines removed.
	Inner, InnerDeindent template.HTML
	// Params are the arguments: a []string when positional, a
	// map[string]string when named.
	Params any
	// IsNamedParams is true when the arguments are named.
	IsNamedParams bool
	// Ordinal counts the shortcodes before this one with the same parent,
	// from 0.
	Ordinal int
	// Parent is the enclosing shortcode, nil at the top of the page.
	Parent *Shortcode
	// Page is the page the shortcode is on; Site is the site.
	Page *Page
	Site *Site
	// Position is "FILE:LINE" of the shortcode, for messages.
	Position string

	call     expand.Call
	markdown bool         // written {{% %}}
	bare     bool         // written in a body, where arguments without quotes are typed
	quoted   map[any]bool // the arguments written in quotes
	store    *Scratch
	// outputLimit bounds what its template may write: what is left of
	// the page's budget (expand.OutputLimit), or when 0 a page's whole.
	outputLimit int
	out         *expand.LimitedBuffer // what its template wrote
}

// output returns a buffer for sc's template to write into.
func (sc *Shortcode) output() *expand.LimitedBuffer {
	limit := sc.outputLimit
	if limit == 0 {
		limit = expand.OutputLimit(0)
	}
	sc.out = &expand.LimitedBuffer{Limit: limit}
	return sc.out
}

// Get returns a positional argument by its index (0, 1, …) or a named one
// by its name; "" when there is none. As in Hugo, a value written without
// quotes that reads as true, false, an integer or a float is one.
func (s *Shortcode) Get(key any) any {
	switch k := key.(type) {
	case int:
		if k >= 0 && k < len(s.call.Positional) {
			return s.typed(k, s.call.Positional[k])
		}
		return ""
	case int64:
		return s.Get(int(k))
	case string:
		if v, ok := s.call.Named[k]; ok {
			return s.typed(k, v)
		}
		if n, err := strconv.Atoi(k); err == nil {
			return s.Get(n)
		}
	}
	return ""
}

var (
	intRE   = regexp.MustCompile(`^[-+]?\d+$`)
	floatRE = regexp.MustCompile(`^[-+]?\d*\.\d+$`)
)

// typed is an argument's value: a bool or number when written bare.
func (s *Shortcode) typed(key any, v string) any {
	if !s.bare || s.quoted[key] {
		return v
	}
	switch {
	case v == "true":
		return true
	case v == "false":
		return false
	case intRE.MatchString(v):
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	case floatRE.MatchString(v):
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	}
	return v
}

// Store is the shortcode's own scratchpad; Scratch is the same one.
func (s *Shortcode) Store() *Scratch {
	if s.store == nil {
		s.store = &Scratch{values: map[string]any{}}
	}
	return s.store
}

// Scratch is Store, by its older name.
func (s *Shortcode) Scratch() *Scratch { return s.Store() }

func newShortcode(call expand.Call, env expand.Env, pg *Page, parent *Shortcode, ordinal int) *Shortcode {
	sc := &Shortcode{Name: call.Name, Ordinal: ordinal, Parent: parent, Page: pg, Site: pg.Site, call: call}
	if len(call.Named) > 0 {
		sc.Params, sc.IsNamedParams = call.Named, true
	} else {
		sc.Params = call.Positional
	}
	if p := env.Page(); p != nil {
		sc.Position = p.Path + ":" + strconv.Itoa(call.Line)
	}
	return sc
}

func (s *Shortcode) setInner(inner string) {
	s.call.Inner, s.call.HasInner = inner, true
	s.Inner = template.HTML(inner)
	s.InnerDeindent = template.HTML(deindent(inner))
}

// deindent removes the indentation common to the non-blank lines of s.
func deindent(s string) string {
	lines := strings.Split(s, "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	if indent <= 0 {
		return s
	}
	for i, l := range lines {
		if len(l) >= indent {
			lines[i] = l[indent:]
		} else {
			lines[i] = strings.TrimLeft(l, " \t")
		}
	}
	return strings.Join(lines, "\n")
}

// Page is a page as shortcode templates see it (.Page).
type Page struct {
	Title string
	// Params are the front matter's keys, lower-cased.
	Params map[string]any
	Date   time.Time
	// Lastmod is the updated date, or Date.
	Lastmod time.Time
	Draft   bool
	// Permalink is the page's absolute URL, RelPermalink its path.
	Permalink, RelPermalink string
	// File is the page's source file, relative to the site directory.
	File string
	Site *Site

	env     expand.Env
	scratch *Scratch
	warn    func(msg string) // for warnf; nil outside a page's expansion

	resourcesOnce sync.Once
	resources     Resources
}

// Scratch is the page's scratchpad, shared by its shortcodes in page
// order: .Page.Scratch.Set "k" 1, .Page.Scratch.Get "k". Its methods that
// change it return "", so that they print nothing.
type Scratch struct {
	mu     sync.Mutex
	values map[string]any
}

// Scratch is the page's scratchpad; Store is the same one.
func (p *Page) Scratch() *Scratch {
	if p.scratch == nil {
		p.scratch = &Scratch{values: map[string]any{}}
	}
	return p.scratch
}

// Store is Scratch, by its newer name.
func (p *Page) Store() *Scratch { return p.Scratch() }

// Get returns the value under key, nil if none.
func (s *Scratch) Get(key string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values[key]
}

// Set puts value under key.
func (s *Scratch) Set(key string, value any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values[key] = value
	return ""
}

// Delete removes key.
func (s *Scratch) Delete(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.values, key)
	return ""
}

// Add adds value to what key holds: numbers are summed, strings joined,
// and a list gets value appended.
func (s *Scratch) Add(key string, value any) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.values[key]
	if !ok {
		s.values[key] = value
		return "", nil
	}
	if list, isList := old.([]any); isList {
		s.values[key] = append(list, value)
		return "", nil
	}
	sum, err := arith('+')(old, value)
	if err != nil {
		return "", err
	}
	s.values[key] = sum
	return "", nil
}

// SetInMap puts value under mapKey in the map under key.
func (s *Scratch) SetInMap(key, mapKey string, value any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.values[key].(map[string]any)
	if !ok {
		m = map[string]any{}
		s.values[key] = m
	}
	m[mapKey] = value
	return ""
}

// Values returns everything in the scratchpad.
func (s *Scratch) Values() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values
}

// Site is the site as shortcode templates see it (.Site).
type Site struct {
	Title   string
	BaseURL string
	// LanguageCode is site.toml's language.
	LanguageCode string
	// Params are site.toml's [params], by their keys as written and
	// lower-cased.
	Params map[string]any
}

func newSite(env expand.Env) *Site {
	s := &Site{Params: map[string]any{}}
	site := env.Site()
	if site == nil || site.Config == nil {
		return s
	}
	c := site.Config
	s.Title, s.BaseURL, s.LanguageCode = c.Title, c.BaseURL, c.Language
	for k, v := range c.Params {
		s.Params[strings.ToLower(k)] = v
	}
	for k, v := range c.Params {
		s.Params[k] = v
	}
	return s
}

func newPage(env expand.Env) *Page {
	p := &Page{Params: map[string]any{}, Site: newSite(env), env: env}
	pg := env.Page()
	if pg == nil {
		return p
	}
	p.Title, p.Date, p.Lastmod, p.Draft, p.File = pg.Title, pg.Date, pg.Updated, pg.Draft, pg.Path
	if p.Lastmod.IsZero() {
		p.Lastmod = p.Date
	}
	if pg.Params != nil {
		p.Params = pg.Params
	}
	p.RelPermalink = relURL(env, pg.URL)
	p.Permalink = absURL(env, pg.URL)
	return p
}

// Param returns the page's front matter value for key, else the site's
// [params] value; a dotted key ("a.b") looks into tables.
func (p *Page) Param(key string) any {
	if v, ok := lookup(p.Params, strings.ToLower(key)); ok {
		return v
	}
	if v, ok := lookup(p.Site.Params, key); ok {
		return v
	}
	v, _ := lookup(p.Site.Params, strings.ToLower(key))
	return v
}

// lookup finds a dotted key in nested maps.
func lookup(m map[string]any, key string) (any, bool) {
	var cur any = m
	for _, part := range strings.Split(key, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[part]; !ok {
			// Keys of [params] tables are kept as written.
			found := false
			for k, v := range mm {
				if strings.EqualFold(k, part) {
					cur, found = v, true
					break
				}
			}
			if !found {
				return nil, false
			}
		}
	}
	return cur, true
}

// RenderString renders Markdown with the page's settings: inline (no
// enclosing <p>) unless an options map says "display" "block". Used as
// {{ .Inner | .Page.RenderString }} or
// {{ .Inner | .Page.RenderString (dict "display" "block") }}.
func (p *Page) RenderString(args ...any) (template.HTML, error) {
	var opts map[string]any
	var src any
	switch len(args) {
	case 1:
		src = args[0]
	case 2:
		opts, _ = args[0].(map[string]any)
		src = args[1]
	default:
		return "", fmt.Errorf("RenderString: want [options] text, got %d arguments", len(args))
	}
	block := opts != nil && fmt.Sprint(opts["display"]) == "block"
	return template.HTML(p.env.Markdown(toString(src), !block)), nil
}

// relURL is the URL path of a site path, with the base URL's path.
func relURL(env expand.Env, p string) string {
	base := "/"
	if s := env.Site(); s != nil && s.Config != nil {
		base = s.Config.BasePath()
	}
	return (&url.URL{Path: strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(p, "/")}).EscapedPath()
}

// absURL is the absolute URL of a site path.
func absURL(env expand.Env, p string) string {
	s := env.Site()
	if s == nil || s.Config == nil {
		return relURL(env, p)
	}
	u, err := url.Parse(s.Config.BaseURL)
	if err != nil {
		return relURL(env, p)
	}
	return u.Scheme + "://" + u.Host + relURL(env, p)
}

// pageOf is the content page of env, or an empty one.
func pageOf(env expand.Env) *content.Page {
	if p := env.Page(); p != nil {
		return p
	}
	return &content.Page{}
}

// hugoRelURL is Hugo's relURL: a path without a leading slash is put
// under the base URL's path, one with a leading slash is kept.
func hugoRelURL(env expand.Env, s string) string {
	if isAbsURL(s) || strings.HasPrefix(s, "/") {
		return s
	}
	return relURL(env, s)
}

// hugoAbsURL is Hugo's absURL: relative to the base URL, or to its host
// for a path with a leading slash.
func hugoAbsURL(env expand.Env, s string) string {
	if isAbsURL(s) {
		return s
	}
	site := env.Site()
	if site == nil || site.Config == nil {
		return s
	}
	u, err := url.Parse(site.Config.BaseURL)
	if err != nil {
		return s
	}
	if strings.HasPrefix(s, "/") {
		return u.Scheme + "://" + u.Host + s
	}
	return absURL(env, s)
}

func isAbsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs()
}

// refURL resolves a ref for the ref and relref shortcodes and functions:
// the page's URL path (relref) or absolute URL (ref), keeping a #fragment.
func refURL(env expand.Env, ref string, absolute bool) (string, bool) {
	target, frag, _ := strings.Cut(ref, "#")
	var u string
	if target == "" {
		u = pageOf(env).URL
		u = relURL(env, u)
	} else {
		var ok bool
		if u, ok = env.Ref(target); !ok {
			return "", false
		}
	}
	if absolute {
		if site := env.Site(); site != nil && site.Config != nil {
			if b, err := url.Parse(site.Config.BaseURL); err == nil {
				u = b.Scheme + "://" + b.Host + u
			}
		}
	}
	if frag != "" {
		u += "#" + frag
	}
	return u, true
}
