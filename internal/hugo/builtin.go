package hugo

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"github.com/siteblog/site/internal/expand"
)

// result is what a shortcode gives: HTML, which goes in as a placeholder,
// or Markdown text, which goes in as it is.
type result struct {
	text     string
	markdown bool
}

// errUnknown is the error of a shortcode with no built-in and no template.
var errUnknown = errors.New("unknown shortcode")

// builtins are Hugo's embedded shortcodes that this package knows.
var builtins map[string]func(x *expander, sc *Shortcode) (result, error)

func init() {
	builtins = map[string]func(x *expander, sc *Shortcode) (result, error){
		"figure":    figure,
		"highlight": highlight,
		"details":   details,
		"ref":       func(x *expander, sc *Shortcode) (result, error) { return ref(x, sc, true) },
		"relref":    func(x *expander, sc *Shortcode) (result, error) { return ref(x, sc, false) },
		"param":     param,
		"youtube":   youtube,
		"vimeo":     vimeo,
		"gist":      gist,
		"x":         tweet,
		"tweet":     tweet,
		"twitter":   tweet,
		"instagram": instagram,
		// The "simple" (no JavaScript) variants are links too.
		"vimeo_simple":     vimeoLink,
		"youtube_simple":   youtubeLink,
		"x_simple":         tweet,
		"twitter_simple":   tweet,
		"instagram_simple": instagram,
		// comment leaves its inner text out.
		"comment": func(*expander, *Shortcode) (result, error) { return result{markdown: true}, nil },
	}
}

// shortcode is the dot of n's template.
func (x *expander) shortcode(n *node, parent *Shortcode, ordinal int) *Shortcode {
	t := n.tag
	call := expand.Call{Name: t.name, Positional: t.positional, Named: t.named, Line: x.line(t.start)}
	if len(call.Named) == 0 {
		call.Named = nil
	}
	if x.page == nil {
		x.page = newPage(x.env)
		x.page.warn = func(msg string) { x.doc.Warn(x.runLine, "%s", msg) }
	}
	sc := newShortcode(call, x.env, x.page, parent, ordinal)
	sc.markdown, sc.bare, sc.quoted = t.markdown, true, t.quoted
	if x.budget == 0 {
		x.budget = expand.OutputLimit(len(x.src))
	}
	sc.outputLimit = max(x.budget, 1)
	return sc
}

// run gives the output of sc: a user template of that name first, as in
// Hugo a site's layouts/shortcodes/ hide the built-ins, then a built-in.
func (x *expander) run(sc *Shortcode) (result, error) {
	markdown := sc.markdown
	x.runLine = sc.call.Line
	res, err := x.runShortcode(sc, markdown)
	used := len(res.text)
	if sc.out != nil { // a template's writes count, kept or not
		used = max(used, sc.out.Len())
		if sc.out.Full() {
			used = x.budget
		}
	}
	x.budget = max(1, x.budget-used)
	return res, err
}

// runShortcode runs sc by its template, or else as a built-in.
func (x *expander) runShortcode(sc *Shortcode, markdown bool) (result, error) {
	if strings.HasSuffix(sc.Name, ".inline") {
		out, err := x.inline(sc)
		return result{text: out, markdown: markdown}, err
	}
	if x.templates != nil {
		if x.templates.Has(sc.Name) {
			out, err := x.templates.execute(sc.Name, sc, x.env)
			return result{text: out, markdown: markdown}, err
		}
	} else if out, ok, err := x.env.Shortcode(sc.Name, sc.call); ok {
		return result{text: out, markdown: markdown}, err
	}
	if b, ok := builtins[sc.Name]; ok {
		return b(x, sc)
	}
	return result{}, errUnknown
}

func (sc *Shortcode) str(key any) string { return toString(sc.Get(key)) }

// figure is Hugo's figure: an image with an optional link and caption,
// in the HTML of Hugo's embedded template.
func figure(x *expander, sc *Shortcode) (result, error) {
	g := func(k string) string { return html.EscapeString(sc.str(k)) }
	link := sc.str("link")
	var b strings.Builder
	b.WriteString("<figure")
	if v := g("class"); v != "" {
		b.WriteString(` class="` + v + `"`)
	}
	b.WriteString(">")
	if link != "" {
		b.WriteString(`<a href="` + html.EscapeString(link) + `"`)
		if v := g("target"); v != "" {
			b.WriteString(` target="` + v + `"`)
		}
		if v := g("rel"); v != "" {
			b.WriteString(` rel="` + v + `"`)
		}
		b.WriteString(">")
	}
	b.WriteString(`<img src="` + g("src") + `"`)
	caption, attr := sc.str("caption"), sc.str("attr")
	if alt := sc.str("alt"); alt != "" || caption != "" {
		if alt == "" {
			alt = plainify(x.env.Markdown(caption, true))
		}
		b.WriteString("\n         alt=\"" + html.EscapeString(html.UnescapeString(alt)) + `"`)
	}
	if v := g("width"); v != "" {
		b.WriteString(` width="` + v + `"`)
	}
	if v := g("height"); v != "" {
		b.WriteString(` height="` + v + `"`)
	}
	if v := g("loading"); v != "" {
		b.WriteString(` loading="` + v + `"`)
	}
	b.WriteString("/>")
	if link != "" {
		b.WriteString("</a>")
	}
	title := sc.str("title")
	if title != "" || caption != "" || attr != "" {
		b.WriteString("<figcaption>\n            ")
		if title != "" {
			b.WriteString("<h4>" + html.EscapeString(title) + "</h4>")
		}
		if caption != "" || attr != "" {
			b.WriteString("<p>")
			if caption != "" {
				b.WriteString(x.env.Markdown(caption, true))
			}
			attrlink := sc.str("attrlink")
			if attrlink != "" {
				b.WriteString("\n                    <a href=\"" + html.EscapeString(attrlink) + `">`)
			}
			if attr != "" {
				b.WriteString(x.env.Markdown(attr, true))
			}
			if attrlink != "" {
				b.WriteString("</a>")
			}
			b.WriteString("</p>")
		}
		b.WriteString("\n        </figcaption>")
	}
	b.WriteString("\n</figure>")
	return result{text: b.String()}, nil
}

// highlight is Hugo's highlight: {{< highlight go "linenos=table,hl_lines=8 15-17,linenostart=199" >}},
// rendered as a listing of this engine.
func highlight(x *expander, sc *Shortcode) (result, error) {
	lang := sc.str(0)
	if lang == "" {
		lang = sc.str("lang")
	}
	opts := sc.str(1)
	if opts == "" {
		opts = sc.str("options")
	}
	info, err := highlightInfo(lang, opts)
	if err != nil {
		return result{}, err
	}
	code := strings.Trim(string(sc.InnerDeindent), "\n")
	if code != "" {
		code += "\n"
	}
	return result{text: x.env.Listing(code, info)}, nil
}

var lineRangeRE = regexp.MustCompile(`^\d+(-\d+)?$`)

// highlightInfo turns Hugo's highlight options into a fenced code block's
// info string: "go {linenos=true, hl_lines=[8,\"15-17\"], linenostart=199}".
func highlightInfo(lang, opts string) (string, error) {
	if strings.ContainsAny(lang, "{}\"") {
		return "", fmt.Errorf("language %q", lang)
	}
	var attrs []string
	opts = strings.TrimSpace(strings.Trim(strings.TrimSpace(opts), "{}"))
	for _, kv := range strings.Split(opts, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.Trim(strings.TrimSpace(v), `"`)
		switch k {
		case "":
		case "linenos":
			on := "true"
			if v == "false" {
				on = "false"
			}
			attrs = append(attrs, "linenos="+on)
		case "hl_lines":
			var items []string
			for _, r := range strings.Fields(strings.NewReplacer("[", " ", "]", " ", ",", " ", `"`, " ").Replace(v)) {
				if !lineRangeRE.MatchString(r) {
					return "", fmt.Errorf("hl_lines %q", v)
				}
				if strings.Contains(r, "-") {
					r = strconv.Quote(r)
				}
				items = append(items, r)
			}
			attrs = append(attrs, "hl_lines=["+strings.Join(items, ",")+"]")
		case "linenostart":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return "", fmt.Errorf("linenostart %q", v)
			}
			attrs = append(attrs, "linenostart="+strconv.Itoa(n))
		case "title":
			attrs = append(attrs, "title="+strconv.Quote(v))
		}
	}
	info := lang
	if len(attrs) > 0 {
		info += " {" + strings.Join(attrs, ", ") + "}"
	}
	return info, nil
}

// details is Hugo's details: a <details> element whose summary and inner
// text are Markdown.
func details(x *expander, sc *Shortcode) (result, error) {
	var b strings.Builder
	b.WriteString("<details")
	for _, k := range []string{"class", "name"} {
		if v := sc.str(k); v != "" {
			b.WriteString(" " + k + `="` + html.EscapeString(v) + `"`)
		}
	}
	if v := sc.str("open"); v == "true" || v == "1" {
		b.WriteString(" open")
	}
	if v := sc.str("title"); v != "" {
		b.WriteString(` title="` + html.EscapeString(v) + `"`)
	}
	summary := sc.str("summary")
	if summary == "" {
		summary = "Details"
	}
	b.WriteString(">\n\t<summary>" + x.env.Markdown(summary, true) + "</summary>\n\t")
	b.WriteString(x.env.Markdown(string(sc.Inner), false))
	b.WriteString("</details>")
	return result{text: b.String()}, nil
}

// ref and relref give the URL of another page as Markdown text: absolute
// for ref, a path for relref.
func ref(x *expander, sc *Shortcode, absolute bool) (result, error) {
	target := sc.str(0)
	if target == "" {
		target = sc.str("path")
	}
	if target == "" {
		return result{}, errors.New("no page given")
	}
	u, ok := refURL(x.env, target, absolute)
	if !ok {
		return result{}, fmt.Errorf("no page %q in the site", target)
	}
	return result{text: u, markdown: true}, nil
}

// param gives a front matter value of the page, else a [params] value of
// site.toml, as Markdown text.
func param(x *expander, sc *Shortcode) (result, error) {
	key := sc.str(0)
	if key == "" {
		return result{}, errors.New("no key given")
	}
	v := sc.Page.Param(key)
	if v == nil {
		return result{}, fmt.Errorf("no front matter key or [params] key %q", key)
	}
	return result{text: toString(v), markdown: true}, nil
}

// idRE is what video, gist and post ids are made of.
var idRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

func videoID(sc *Shortcode) (string, error) {
	id := sc.str("id")
	if id == "" {
		id = sc.str(0)
	}
	if !idRE.MatchString(id) {
		return "", fmt.Errorf("want a video id, got %q", id)
	}
	return id, nil
}

// youtube embeds a YouTube video from youtube-nocookie.com, in the HTML
// of Hugo's template without its style attributes, which the site's CSP
// forbids: the theme styles div.video.
func youtube(x *expander, sc *Shortcode) (result, error) {
	id, err := videoID(sc)
	if err != nil {
		return result{}, err
	}
	var query []string
	truthy := func(k string) bool { v := sc.str(k); return v == "true" || v == "1" }
	if truthy("autoplay") {
		query = append(query, "autoplay=1")
	}
	if v := sc.str("playlist"); idRE.MatchString(v) {
		query = append(query, "list="+v) // Zola's youtube
	}
	for _, k := range []string{"start", "end"} {
		if v := sc.str(k); v != "" {
			if _, err := strconv.Atoi(v); err == nil {
				query = append(query, k+"="+v)
			}
		}
	}
	src := "https://www.youtube-nocookie.com/embed/" + id
	if len(query) > 0 {
		src += "?" + strings.Join(query, "&")
	}
	title := sc.str("title")
	if title == "" {
		title = "YouTube Video"
	}
	return result{text: videoHTML(sc.str("class"), src, sc.str("loading"), title, "")}, nil
}

// vimeo embeds a Vimeo video, as youtube does.
func vimeo(x *expander, sc *Shortcode) (result, error) {
	id, err := videoID(sc)
	if err != nil {
		return result{}, err
	}
	title := sc.str("title")
	if title == "" {
		title = "vimeo video"
	}
	return result{text: videoHTML(sc.str("class"), "https://player.vimeo.com/video/"+id, sc.str("loading"), title, " webkitallowfullscreen mozallowfullscreen")}, nil
}

// streamable embeds a Streamable video, as youtube does: Zola had it
// built in, Hugo has not (it is only in embeds).
func streamable(x *expander, sc *Shortcode) (result, error) {
	id, err := videoID(sc)
	if err != nil {
		return result{}, err
	}
	title := sc.str("title")
	if title == "" {
		title = "Streamable video"
	}
	return result{text: videoHTML(sc.str("class"), "https://streamable.com/e/"+id, sc.str("loading"), title, "")}, nil
}

// embeds are the built-ins Embed runs: those that need neither the page
// nor the site.
var embeds = map[string]func(x *expander, sc *Shortcode) (result, error){
	"youtube":    youtube,
	"vimeo":      vimeo,
	"streamable": streamable,
	"gist":       gist,
	"x":          tweet,
	"tweet":      tweet,
	"instagram":  instagram,
}

// Embed runs the built-in that embeds or links to another site's content
// (youtube, vimeo, streamable, gist, x, tweet, instagram) for another
// engine's shortcode of the same purpose, with call's arguments (named,
// as strings, or positional). The output is HTML, or Markdown text when
// markdown is true (the links gist, x and instagram give). ok is false
// when there is no such built-in; err is a fault of the call, such as a
// malformed id.
func Embed(call expand.Call) (out string, markdown, ok bool, err error) {
	b, ok := embeds[call.Name]
	if !ok {
		return "", false, false, nil
	}
	sc := &Shortcode{Name: call.Name, call: call}
	if len(call.Named) > 0 {
		sc.Params, sc.IsNamedParams = call.Named, true
	} else {
		sc.Params = call.Positional
	}
	res, err := b(nil, sc)
	return res.text, res.markdown, true, err
}

func videoHTML(class, src, loading, title, extra string) string {
	if class == "" {
		class = "video"
	}
	var b strings.Builder
	b.WriteString(`<div class="` + html.EscapeString(class) + "\">\n  <iframe src=\"" + html.EscapeString(src) + `"`)
	if loading != "" {
		b.WriteString(` loading="` + html.EscapeString(loading) + `"`)
	}
	b.WriteString(` title="` + html.EscapeString(title) + `"` + extra + " allowfullscreen></iframe>\n</div>")
	return b.String()
}

// gist links to a GitHub gist: {{< gist user id [file] >}}.
func gist(x *expander, sc *Shortcode) (result, error) {
	user, id, file := sc.str(0), sc.str(1), sc.str(2)
	if !idRE.MatchString(user) || !idRE.MatchString(id) || (file != "" && !idRE.MatchString(file)) {
		return result{}, fmt.Errorf("want a user and a gist id")
	}
	text := "gist.github.com/" + user + "/" + id
	href := "https://" + text
	if file != "" {
		text += " (" + file + ")"
		href += "#file-" + strings.ToLower(strings.ReplaceAll(file, ".", "-"))
	}
	return result{text: "[" + text + "](" + href + ")", markdown: true}, nil
}

// tweet links to a post on X: {{< x user="u" id="1" >}}, {{< tweet user="u"
// id="1" >}} or the older {{< tweet 1 >}}.
func tweet(x *expander, sc *Shortcode) (result, error) {
	user, id := sc.str("user"), sc.str("id")
	if id == "" {
		id = sc.str(0)
	}
	if user == "" {
		user = "i"
	}
	if !idRE.MatchString(user) || !idRE.MatchString(id) {
		return result{}, fmt.Errorf("want a user and a post id")
	}
	text := "x.com/" + user + "/status/" + id
	return result{text: "[" + text + "](https://" + text + ")", markdown: true}, nil
}

// instagram links to an Instagram post: {{< instagram ID >}}.
func instagram(x *expander, sc *Shortcode) (result, error) {
	id := sc.str("id")
	if id == "" {
		id = sc.str(0)
	}
	if !idRE.MatchString(id) {
		return result{}, fmt.Errorf("want a post id")
	}
	text := "instagram.com/p/" + id + "/"
	return result{text: "[" + text + "](https://www." + text + ")", markdown: true}, nil
}

// vimeoLink and youtubeLink link to a video, for the _simple variants.
func vimeoLink(x *expander, sc *Shortcode) (result, error) {
	id, err := videoID(sc)
	if err != nil {
		return result{}, err
	}
	text := "vimeo.com/" + id
	return result{text: "[" + text + "](https://" + text + ")", markdown: true}, nil
}

func youtubeLink(x *expander, sc *Shortcode) (result, error) {
	id, err := videoID(sc)
	if err != nil {
		return result{}, err
	}
	text := "www.youtube.com/watch?v=" + id
	return result{text: "[youtube.com/watch?v=" + id + "](https://" + text + ")", markdown: true}, nil
}

// inline runs an inline shortcode: {{< name.inline >}}template{{< /name.inline >}}
// defines the template and runs it; a later {{< name.inline />}} runs it
// again. Hugo runs these when the site sets enableInlineShortcodes.
func (x *expander) inline(sc *Shortcode) (string, error) {
	t := x.inlines[sc.Name]
	if sc.call.HasInner {
		var err error
		t, err = template.New(sc.Name).Funcs(templateFuncs(x.env, sc.Page)).Parse(sc.call.Inner)
		if err != nil {
			return "", err
		}
		if x.inlines == nil {
			x.inlines = map[string]*template.Template{}
		}
		x.inlines[sc.Name] = t
	}
	if t == nil {
		return "", fmt.Errorf("inline shortcode %s is not defined earlier in the page", sc.Name)
	}
	b := sc.output()
	if err := t.Execute(b, sc); err != nil {
		return "", err
	}
	return b.String(), nil
}
