package goblog

import (
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/siteblog/site/internal/expand"
)

// funcs are the template functions of golang.org/x/website's internal/web
// that a blog post can use, and the Go blog's image and video.
func (r *runner) funcs() map[string]any {
	return map[string]any{
		"add":      func(a, b int) int { return a + b },
		"sub":      func(a, b int) int { return a - b },
		"mul":      func(a, b int) int { return a * b },
		"div":      div,
		"code":     r.code,
		"play":     r.play,
		"raw":      raw,
		"markdown": r.markdown,
		"file":     r.file,
		"data":     r.dataFile,
		"yaml":     yamlFn,
		"first":    first,
		"image":    r.image,
		"video":    r.video,
	}
}

func div(a, b int) (int, error) {
	if b == 0 {
		return 0, errors.New("division by zero")
	}
	return a / b, nil
}

// raw passes text into the Markdown unescaped.
func raw(s any) (htmltemplate.HTML, error) {
	t, err := toString(s)
	return htmltemplate.HTML(t), err
}

func toString(x any) (string, error) {
	switch x := x.(type) {
	case string:
		return x, nil
	case htmltemplate.HTML:
		return string(x), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("cannot use %T as a string", x)
}

// readFile reads a file a call names, relative to the page's directory
// (or, starting with "/", to content/ and the posts sections).
func (r *runner) readFile(name string) ([]byte, string, error) {
	cands := candidates(r.page.Path, name, r.sections())
	var firstErr error
	for _, c := range cands {
		data, err := r.env.ReadFile(c)
		if err == nil {
			return data, c, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, cands[0], fmt.Errorf("reading %s: %w", cands[0], firstErr)
}

func (r *runner) sections() []string {
	if s := r.env.Site(); s != nil && s.Config != nil {
		return s.Config.Sections
	}
	return nil
}

// code shows lines of a file as a listing: {{code "file" [start [end]]}}.
func (r *runner) code(file string, args ...any) (htmltemplate.HTML, error) {
	return r.listing("code", file, args, "HL")
}

// play shows lines of a program as a listing, where go.dev shows a
// playground: {{play "file" [start [end]]}}. Its "// HL" comments stay
// unless an "HLxxx" argument names them.
func (r *runner) play(file string, args ...any) (htmltemplate.HTML, error) {
	return r.listing("play", file, args, "")
}

func (r *runner) listing(verb, file string, args []any, defaultHL string) (htmltemplate.HTML, error) {
	data, _, err := r.readFile(file)
	if err != nil {
		return "", err
	}
	ex, err := locate(verb, file, string(data), args)
	if err != nil {
		return "", err
	}
	if ex.hl == "" {
		ex.hl = defaultHL
	}
	text, marked := highlight(ex.text, ex.hl)
	return r.block(r.env.Listing(text, listingInfo(file, marked, ex.number))), nil
}

// block records HTML that stands as a block of its own.
func (r *runner) block(html string) htmltemplate.HTML {
	token := r.doc.Placeholder(html)
	r.blocks[token] = html
	return htmltemplate.HTML(token)
}

// markdown renders Markdown to HTML; a single paragraph loses its <p>.
func (r *runner) markdown(s any) (htmltemplate.HTML, error) {
	text, err := toString(s)
	if err != nil {
		return "", err
	}
	h := strings.TrimSpace(r.env.Markdown(text, false))
	if strings.HasPrefix(h, "<p>") && strings.HasSuffix(h, "</p>") && strings.Count(h, "<p>") == 1 {
		h = strings.TrimSpace(h[len("<p>") : len(h)-len("</p>")])
	}
	return htmltemplate.HTML(r.doc.Placeholder(h)), nil
}

// file returns a file's text.
func (r *runner) file(name string) (string, error) {
	data, _, err := r.readFile(name)
	return string(data), err
}

// dataFile decodes a YAML file.
func (r *runner) dataFile(name string) (any, error) {
	data, _, err := r.readFile(name)
	if err != nil {
		return nil, err
	}
	return yamlFn(string(data))
}

func yamlFn(s string) (any, error) {
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return nil, err
	}
	return v, nil
}

// first returns the first n elements of a list, or the list.
func first(n int, list any) (any, error) {
	v := reflect.ValueOf(list)
	if !v.IsValid() {
		return list, nil
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array, reflect.String:
	default:
		return nil, fmt.Errorf("first: cannot slice %T", list)
	}
	if v.Len() < n {
		return list, nil
	}
	return v.Slice(0, n).Interface(), nil
}

// image shows a picture as the Go blog's image template does:
// {{image "file" [width [height [alt]]]}}.
func (r *runner) image(src string, args ...any) (htmltemplate.HTML, error) {
	if len(args) > 3 {
		return "", fmt.Errorf("image: too many arguments (%d)", len(args)+1)
	}
	width, height, alt := optArg(args, 0), optArg(args, 1), optArg(args, 2)
	u := r.fileURL(r.callLine("image", src), "image", src)
	var b strings.Builder
	b.WriteString(`<div class="image"><img src="`)
	b.WriteString(htmltemplate.HTMLEscapeString(u))
	b.WriteString(`"`)
	if width != "" {
		b.WriteString(` width="` + htmltemplate.HTMLEscapeString(width) + `"`)
	}
	if height != "" {
		b.WriteString(` height="` + htmltemplate.HTMLEscapeString(height) + `"`)
	}
	b.WriteString(` alt="` + htmltemplate.HTMLEscapeString(alt) + `"></div>`)
	return r.block(b.String()), nil
}

// video embeds a player as the Go blog's video template does, without
// its style attribute (the site's CSP forbids them):
// {{video "url" [width [height]]}}.
func (r *runner) video(src string, args ...any) (htmltemplate.HTML, error) {
	if len(args) > 2 {
		return "", fmt.Errorf("video: too many arguments (%d)", len(args)+1)
	}
	width, height := optArg(args, 0), optArg(args, 1)
	if width == "" {
		width = "560"
	}
	if height == "" {
		height = "315"
	}
	line := r.callLine("video", src)
	u := src
	if pu, err := url.Parse(src); err == nil && pu.Host != "" {
		r.checkFrame(line, pu)
	} else {
		u = r.fileURL(line, "video", src)
	}
	return r.block(fmt.Sprintf(`<div class="iframe"><iframe src="%s" width="%s" height="%s" frameborder="0" allowfullscreen></iframe></div>`,
		htmltemplate.HTMLEscapeString(u), htmltemplate.HTMLEscapeString(width), htmltemplate.HTMLEscapeString(height))), nil
}

// checkFrame warns when the site's Content-Security-Policy, as site.toml
// [csp] extends it, does not let the page frame u's origin.
func (r *runner) checkFrame(line int, u *url.URL) {
	site := r.env.Site()
	if site == nil || site.Config == nil {
		return
	}
	origin := u.Scheme + "://" + u.Host
	if u.Scheme == "" {
		origin = "https://" + u.Host
	}
	for _, dir := range []string{"frame-src", "child-src", "default-src"} {
		for _, s := range site.Config.CSP[dir] {
			s = strings.TrimSuffix(strings.Trim(s, "'"), "/")
			if s == "*" || s == "https:" && strings.HasPrefix(origin, "https:") || strings.EqualFold(s, origin) || strings.EqualFold(s, u.Host) ||
				strings.HasPrefix(s, "*.") && strings.HasSuffix(strings.ToLower(u.Host), strings.ToLower(s[1:])) ||
				strings.HasPrefix(strings.ToLower(s), strings.ToLower(origin)+"/") {
				return
			}
		}
	}
	r.warn(line, "video %s: the site's Content-Security-Policy blocks frames from %s; add it to frame-src in site.toml [csp]", u, origin)
}

// fileURL is the URL of a file a call names: an absolute URL stays; a
// site file gets its published URL. A file the site does not publish is
// a warning, and the name stays as written.
func (r *runner) fileURL(line int, verb, name string) string {
	if u, err := url.Parse(name); err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(name, "//") || name == "" {
		return name
	}
	site := r.env.Site()
	idx := expand.IndexOf(site)
	if idx == nil {
		return name
	}
	cands := candidates(r.page.Path, name, r.sections())
	for _, c := range cands {
		if u, ok := idx.Files[c]; ok {
			return u
		}
	}
	r.warn(line, "%s %q: no file %s in the site", verb, name, cands[0])
	return name
}

// optArg is the i-th optional argument as text, "" when absent.
func optArg(args []any, i int) string {
	if i >= len(args) || args[i] == nil {
		return ""
	}
	switch v := args[i].(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	}
	return fmt.Sprint(args[i])
}

// callLine finds the line of the next call of fn with first argument
// arg, counting the calls already made: functions do not know where they
// were called from.
func (r *runner) callLine(fn, arg string) int {
	key := fn + "\x00" + arg
	n := r.seen[key]
	r.seen[key] = n + 1
	fallback := 0
	for _, a := range scanActions(r.src) {
		text := string(r.src[a.start:a.end])
		if !strings.Contains(text, fn) || !strings.Contains(text, arg) {
			continue
		}
		if fallback == 0 {
			fallback = lineOf(r.src, a.start)
		}
		if n == 0 {
			return lineOf(r.src, a.start)
		}
		n--
	}
	if fallback == 0 {
		fallback = 1
	}
	return fallback
}
