package liquid

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/render"

	"github.com/siteblog/site/internal/expand"
	yaml "gopkg.in/yaml.v2"
)

// maxIncludeDepth bounds includes within includes (an include of itself).
const maxIncludeDepth = 10

// newEngine returns an engine with Jekyll's tags and filters, bound to the
// page being expanded.
func (x *expander) newEngine() *liquid.Engine {
	e := liquid.NewEngine()
	e.RegisterBlock("highlight", x.highlight)
	e.RegisterTag("link", x.link)
	e.RegisterTag("post_url", x.postURL)
	e.RegisterTag("include", func(ctx render.Context) (string, error) { return x.include(ctx, "include") })
	e.RegisterTag("include_relative", func(ctx render.Context) (string, error) { return x.include(ctx, "include_relative") })
	// jekyll-include-cache (on GitHub Pages' list) renders an include once
	// per set of parameters; the output is the include's.
	e.RegisterTag("include_cached", func(ctx render.Context) (string, error) { return x.include(ctx, "include_cached") })
	e.RegisterTag(shortcodeTag, x.shortcode)
	e.RegisterBlock(shortcodeBlock, x.shortcode)
	e.RegisterTag("increment", func(ctx render.Context) (string, error) {
		name := strings.TrimSpace(ctx.TagArgs())
		n := x.counters[name]
		x.counters[name]++
		return strconv.Itoa(n), nil
	})
	e.RegisterTag("decrement", func(ctx render.Context) (string, error) {
		name := strings.TrimSpace(ctx.TagArgs())
		x.counters[name]--
		return strconv.Itoa(x.counters[name]), nil
	})
	x.addFilters(e)
	return e
}

// expandArg renders the {{ }} variables in a tag's arguments.
func (x *expander) expandArg(ctx render.Context, args string) (string, error) {
	if !strings.Contains(args, "{{") {
		return args, nil
	}
	out, err := x.engine.ParseAndRenderString(args, ctx.Bindings())
	if err != nil {
		return "", fmt.Errorf("in %q: %s", args, err.Error())
	}
	return out, nil
}

// highlightSyntax is Jekyll's: a language, then options name, name=value
// or name="1 2 3".
var (
	highlightSyntax  = regexp.MustCompile(`^([a-zA-Z0-9.+#_-]+)((\s+\w+(=(\w+|"([0-9]+\s)*[0-9]+"))?)*)$`)
	highlightOptions = regexp.MustCompile(`(?:\w="[^"]*"|\w=\w|\w)+`)
)

// leadingTrailingNewlines are stripped from a highlight block's code, as
// Jekyll does (other white space stays).
var leadingTrailingNewlines = regexp.MustCompile(`\A[\n\r]+|[\n\r]+\z`)

// highlight renders {% highlight lang opts %}code{% endhighlight %} as a
// listing.
func (x *expander) highlight(ctx render.Context) (string, error) {
	code, err := ctx.InnerString()
	if err != nil {
		return "", err
	}
	lines := strings.Count(code, "\n")
	code = leadingTrailingNewlines.ReplaceAllString(code, "")
	markup := strings.TrimSpace(ctx.TagArgs())
	info, ok := highlightInfo(markup)
	if !ok {
		x.warn(lineOf(ctx), "Liquid: {%% highlight %s %%}: want {%% highlight LANG [linenos] [hl_lines=\"2 3\"] %%}; options ignored", markup)
	}
	// A listing is a block of its own, as kramdown makes it: a blank line
	// before and after it ends a paragraph or list it follows. The lines
	// after it stay on their lines of the file.
	return "\n" + x.doc.Placeholder(x.env.Listing(code, info)) + strings.Repeat("\n", max(lines-1, 1)), nil
}

// highlightInfo turns a highlight tag's markup into a fenced code block's
// info string: "ruby linenos hl_lines=\"2 3\"" → "ruby {linenos=true, hl_lines=[2,3]}".
func highlightInfo(markup string) (string, bool) {
	m := highlightSyntax.FindStringSubmatch(markup)
	if m == nil {
		lang, _, _ := strings.Cut(markup, " ")
		return strings.ToLower(lang), false
	}
	lang := strings.ToLower(m[1])
	var attrs []string
	for _, opt := range highlightOptions.FindAllString(m[2], -1) {
		key, value, _ := strings.Cut(opt, "=")
		switch key {
		case "linenos":
			// linenos, linenos=table and linenos=inline all number lines.
			attrs = append(attrs, "linenos="+strconv.FormatBool(value != "false"))
		case "hl_lines", "mark_lines":
			nums := strings.Fields(strings.Trim(value, `"`))
			attrs = append(attrs, "hl_lines=["+strings.Join(nums, ",")+"]")
		case "linenostart":
			if _, err := strconv.Atoi(value); err == nil {
				attrs = append(attrs, "linenostart="+value)
			}
		}
	}
	if len(attrs) == 0 {
		return lang, true
	}
	return lang + " {" + strings.Join(attrs, ", ") + "}", true
}

// notFoundURL is what link and post_url give for a page not in the site.
const notFoundURL = "#"

// link renders {% link path %}: the URL of the page (or static file) at
// that path of the Jekyll site.
func (x *expander) link(ctx render.Context) (string, error) {
	markup := strings.TrimSpace(ctx.TagArgs())
	arg, err := x.expandArg(ctx, markup)
	if err != nil {
		return "", err
	}
	p := strings.TrimSpace(arg)
	if u, ok := x.findLink(p); ok {
		return u, nil
	}
	if p != markup {
		markup += fmt.Sprintf(" (%q)", p)
	}
	x.warn(lineOf(ctx), "Liquid: {%% link %s %%}: no such page or file in the site; linked to %q", markup, notFoundURL)
	return notFoundURL, nil
}

// findLink finds what a Jekyll path names: a page, by its path as the
// site knows it; by its path with a Jekyll collection directory read as
// a section ("_posts/a.md" as "posts/a.md") or left out; by its file
// name with or without extension (not index.md); else a file of static/
// or content/.
func (x *expander) findLink(p string) (string, bool) {
	if p == "" {
		return "", false
	}
	rel := strings.TrimPrefix(p, "/")
	tries := []string{p}
	if dir, rest, ok := strings.Cut(rel, "/"); ok && strings.HasPrefix(dir, "_") {
		tries = append(tries, strings.TrimPrefix(dir, "_")+"/"+rest, rest)
	}
	if base := path.Base(rel); !strings.HasPrefix(base, "index.") && !strings.HasPrefix(base, "_index.") {
		tries = append(tries, base, strings.TrimSuffix(base, path.Ext(base)))
	}
	for _, t := range tries {
		if u, ok := x.env.Ref(t); ok {
			return u, true
		}
	}
	for _, dir := range []string{"static/", "content/"} {
		if _, err := x.env.ReadFile(dir + rel); err == nil {
			return x.basePath() + rel, true
		}
	}
	return "", false
}

// postName is a post_url argument: an optional directory, a date, a slug.
var postName = regexp.MustCompile(`^(.+/)*(\d+)-(\d+)-(\d+)-(.*)$`)

// postURL renders {% post_url 2010-07-21-name %} (or dir/2010-07-21-name):
// the URL of the post of that file name.
func (x *expander) postURL(ctx render.Context) (string, error) {
	name := strings.TrimSpace(ctx.TagArgs())
	m := postName.FindStringSubmatch(strings.TrimPrefix(name, "/"))
	if m == nil {
		x.warn(lineOf(ctx), "Liquid: {%% post_url %s %%}: not a post name like 2010-07-21-name; linked to %q", name, notFoundURL)
		return notFoundURL, nil
	}
	rel := strings.TrimPrefix(name, "/")
	for _, t := range []string{rel, "posts/" + rel, path.Base(rel)} {
		if u, ok := x.env.Ref(t); ok {
			return u, nil
		}
	}
	// As Jekyll does at last: the post of that day and slug.
	if s := x.env.Site(); s != nil {
		y, _ := strconv.Atoi(m[2])
		mo, _ := strconv.Atoi(m[3])
		d, _ := strconv.Atoi(m[4])
		for _, p := range s.Posts {
			if p.Date.Year() == y && int(p.Date.Month()) == mo && p.Date.Day() == d && (p.Slug == m[5] || fileSlug(p.Path) == m[5]) {
				return x.basePath() + strings.TrimPrefix(p.URL, "/"), nil
			}
		}
	}
	x.warn(lineOf(ctx), "Liquid: {%% post_url %s %%}: no such post in the site; linked to %q", name, notFoundURL)
	return notFoundURL, nil
}

// fileSlug is a post file's name without extension and date.
func fileSlug(p string) string {
	base := path.Base(p)
	if base == "index.md" {
		base = path.Base(path.Dir(p))
	}
	base = strings.TrimSuffix(base, path.Ext(base))
	if m := postName.FindStringSubmatch(base); m != nil {
		return m[5]
	}
	return base
}

// Jekyll's include syntax.
var (
	includeParam         = regexp.MustCompile(`([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))`)
	includeVariable      = regexp.MustCompile(`(?s)^([^{]*(?:\{\{\s*[\w\-.]+\s*(?:\|.*)?\}\}[^\s{}]*)+)(.*)$`)
	includeParamsSyntax  = regexp.MustCompile(`^\s*(?:([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))(?:\s+|$)\s*)*$`)
	includeFileChars     = regexp.MustCompile(`^[\w/.\-()+~#@]+$`)
	includeBadSequences  = regexp.MustCompile(`[./]{2,}`)
	includeVariableCheck = regexp.MustCompile(`\{\{\s*[\w\-.]+\s*(?:\|.*)?\}\}`)
)

// include renders {% include file param="value" %} from _includes/, or
// {% include_relative file %} from the page's directory, with the
// parameters as include.*; tag is the tag's name (include_cached is
// include).
func (x *expander) include(ctx render.Context, tag string) (string, error) {
	relative := tag == "include_relative"
	line := lineOf(ctx)
	markup := strings.TrimSpace(ctx.TagArgs())
	var file, params string
	if m := includeVariable.FindStringSubmatch(markup); m != nil && includeVariableCheck.MatchString(m[1]) {
		file, params = strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
	} else {
		file, params, _ = strings.Cut(markup, " ")
		params = strings.TrimSpace(params)
	}
	if params != "" && !includeParamsSyntax.MatchString(params) {
		x.warn(line, "Liquid: {%% %s %s %%}: parameters must be name=\"value\" or name=variable; left out", tag, markup)
		return "", nil
	}
	file, err := x.expandArg(ctx, file)
	if err != nil {
		return "", err
	}
	if includeBadSequences.MatchString(file) || !includeFileChars.MatchString(file) {
		x.warn(line, "Liquid: {%% %s %s %%}: file name %q has characters or sequences Jekyll refuses; left out", tag, markup, file)
		return "", nil
	}
	var full string
	switch {
	case !relative:
		full = "_includes/" + file
	case len(x.stack) > 0:
		full = path.Join(path.Dir(x.stack[len(x.stack)-1].file), file)
	default:
		full = path.Join(path.Dir(x.path()), file)
	}
	if len(x.stack) >= maxIncludeDepth {
		return "", fmt.Errorf("%s %s: includes nested more than %d deep", tag, file, maxIncludeDepth)
	}
	// include.NAME: a hash of the parameters in the order written, a
	// name given twice keeping its first place, as a Ruby hash does.
	var incParams yaml.MapSlice
	if params != "" {
		incParams = yaml.MapSlice{}
		for _, m := range includeParam.FindAllStringSubmatchIndex(params, -1) {
			key := params[m[2]:m[3]]
			var v any
			switch {
			case m[4] >= 0:
				v = strings.ReplaceAll(params[m[4]:m[5]], `\"`, `"`)
			case m[6] >= 0:
				v = strings.ReplaceAll(params[m[6]:m[7]], `\'`, `'`)
			default:
				var err error
				if v, err = ctx.EvaluateString(params[m[8]:m[9]]); err != nil {
					return "", err
				}
			}
			if i := slices.IndexFunc(incParams, func(item yaml.MapItem) bool { return item.Key == key }); i >= 0 {
				incParams[i].Value = v
			} else {
				incParams = append(incParams, yaml.MapItem{Key: key, Value: v})
			}
		}
	}
	inc, ok := x.includes[full]
	if !ok {
		data, err := x.env.ReadFile(full)
		if err != nil {
			return x.includeShortcode(line, tag, markup, full, incParams)
		}
		inc.src, inc.warnings = closeRawAndComment(rewriteUnknownTags(string(data)))
		x.includes[full] = inc
	}
	src := inc.src
	bindings := make(map[string]any, len(ctx.Bindings())+1)
	for k, v := range ctx.Bindings() {
		bindings[k] = v
	}
	if incParams != nil {
		bindings["include"] = incParams
	}
	x.stack = append(x.stack, includeFrame{file: full, line: line})
	defer func() { x.stack = x.stack[:len(x.stack)-1] }()
	for _, w := range inc.warnings {
		x.warn(w.Line, "%s", w.Msg)
	}
	// As for the page: a construct of the include that fails is left out
	// with a warning, and the include renders again.
	for range maxRepairs {
		nHTML, nWarn := len(x.doc.HTML), len(x.warnings)
		out, err := x.renderTemplate(src, full, bindings)
		if err == nil {
			return out, nil
		}
		x.doc.HTML, x.warnings = x.doc.HTML[:nHTML], x.warnings[:nWarn]
		se, ok := err.(liquid.SourceError)
		if !ok || se.Path() != full {
			return "", err
		}
		var removed []string
		src, removed = removeTokensAt(src, se.LineNumber())
		if len(removed) == 0 {
			return "", fmt.Errorf("%s:%d: %s", full, se.LineNumber(), x.bareMessage(se, full))
		}
		x.warn(se.LineNumber(), "Liquid: %s; %s left out", x.bareMessage(se, full), strings.Join(removed, " "))
	}
	return "", fmt.Errorf("%s: too many errors", full)
}

// renderTemplate parses and renders src, a file of the site, turning a
// panic of the engine into an error.
func (x *expander) renderTemplate(src, file string, bindings map[string]any) (out string, err error) {
	buf := expand.LimitedBuffer{Limit: x.outputLimit}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
		if err != nil && buf.Full() {
			x.full = true
			out, err = "", &outputLimitError{buf.Limit}
		}
	}()
	tpl, perr := x.engine.ParseTemplateLocation([]byte(src), file, 1)
	if perr != nil {
		return "", perr
	}
	if rerr := tpl.FRender(&buf, bindings); rerr != nil {
		return "", rerr
	}
	return buf.String(), nil
}

// An outputLimitError is a render that wrote more than the page may.
type outputLimitError struct{ limit int }

func (e *outputLimitError) Error() string {
	return fmt.Sprintf("the template writes more than %d bytes", e.limit)
}

// includeShortcode stands in for an include file the site does not have
// (a Jekyll theme's, such as figure or video): the user shortcode of the
// file's name, given the parameters as named arguments.
func (x *expander) includeShortcode(line int, tag, markup, full string, params yaml.MapSlice) (string, error) {
	base := path.Base(full)
	name := strings.TrimSuffix(base, path.Ext(base))
	call := expand.Call{Name: name, Line: line}
	for _, p := range params {
		call.Named = addNamed(call.Named, p.Key.(string), toString(p.Value))
	}
	html, ok, err := x.env.Shortcode(name, call)
	switch {
	case err != nil:
		x.warn(line, "Liquid: {%% %s %s %%}: no %s; shortcode %s: %v; left out", tag, markup, full, name, err)
		return "", nil
	case !ok:
		x.warn(line, "Liquid: {%% %s %s %%}: cannot read %s, and there is no shortcode %q; left out", tag, markup, full, name)
		return "", nil
	}
	return x.doc.Placeholder(html), nil
}

// bareMessage is an engine error's message without its location.
func (x *expander) bareMessage(err error, file string) string {
	msg := err.Error()
	if m := errorMessage.FindStringSubmatch(msg); m != nil {
		msg = strings.TrimSuffix(m[1], " in "+file)
	}
	return msg
}

// shortcode renders a tag the engine does not know with the site's user
// shortcode of that name; without one, the tag is left out with a warning.
func (x *expander) shortcode(ctx render.Context) (string, error) {
	line := lineOf(ctx)
	isBlock := ctx.TagName() == shortcodeBlock
	args, err := x.expandArg(ctx, ctx.TagArgs())
	if err != nil {
		return "", err
	}
	name, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	rest = strings.TrimSpace(rest)
	construct := "{% " + strings.TrimSpace(name+" "+rest) + " %}"
	call := expand.Call{Name: name, Line: line}
	call.Positional, call.Named = parseArgs(rest)
	pad := ""
	if isBlock {
		inner, err := ctx.InnerString()
		if err != nil {
			return "", err
		}
		call.Inner, call.HasInner = inner, true
		construct += "…{% end" + name + " %}"
		if strings.HasPrefix(strings.TrimLeft(inner, " \t"), "\n") {
			// A block on lines of its own: keep the lines that follow
			// where they were.
			pad = strings.Repeat("\n", strings.Count(inner, "\n"))
		}
	}
	if strings.HasPrefix(name, "end") && !isBlock {
		x.warn(line, "Liquid: %s closes no open tag; left out", construct)
		return "", nil
	}
	html, ok, err := x.env.Shortcode(name, call)
	switch {
	case err != nil:
		x.warn(line, "Liquid: %s: shortcode %s: %v; left out", construct, name, err)
		return pad, nil
	case !ok:
		if name == "literal" && !isBlock {
			// Pelican's liquid_tags: {% literal img a.png %} shows the
			// tag {% img a.png %} as it is written.
			return "{% " + rest + " %}", nil
		}
		if plugin, found := pluginTags[name]; found {
			return plugin(x, call), nil
		}
		x.warn(line, "Liquid: unknown tag %s (no built-in, no Jekyll tag, no shortcode %q); left out", construct, name)
		return pad, nil
	}
	return x.doc.Placeholder(html) + pad, nil
}

// pluginTags are tags of common Jekyll and Octopress plugins, used when
// the site has no shortcode of their name.
var pluginTags = map[string]func(*expander, expand.Call) string{
	"gist":      (*expander).gist,
	"codeblock": (*expander).codeblock,
}

// gist is jekyll-gist's {% gist [user/]id [file] %}, as a link.
func (x *expander) gist(call expand.Call) string {
	if len(call.Positional) == 0 {
		x.warn(call.Line, "Liquid: {%% gist %%} without a gist; left out")
		return ""
	}
	u := "https://gist.github.com/" + strings.Trim(call.Positional[0], "/")
	if len(call.Positional) > 1 {
		u += "#file-" + gistAnchor.ReplaceAllString(strings.ToLower(call.Positional[1]), "-")
	}
	return "<" + u + ">"
}

var gistAnchor = regexp.MustCompile(`[^a-z0-9]+`)

// codeblock is Octopress's {% codeblock [title] [lang:LANG] [url [link
// text]] %}…{% endcodeblock %}, as a listing with its title; without
// lang:, the title's file extension names the language.
func (x *expander) codeblock(call expand.Call) string {
	var lang string
	var title []string
	for _, w := range call.Positional {
		switch {
		case strings.HasPrefix(w, "lang:"):
			lang = strings.TrimPrefix(w, "lang:")
		case strings.Contains(w, "://"):
			// A link to the code's source: not shown.
		default:
			title = append(title, w)
		}
	}
	for k, v := range call.Named {
		if k == "lang" {
			lang = v
		}
	}
	t := strings.Join(title, " ")
	if lang == "" && path.Ext(t) != "" {
		lang = strings.TrimPrefix(path.Ext(t), ".")
	}
	info := strings.ToLower(lang)
	if t != "" {
		info += " {title=" + strconv.Quote(t) + "}"
	}
	code := leadingTrailingNewlines.ReplaceAllString(call.Inner, "")
	lines := strings.Count(call.Inner, "\n")
	return "\n" + x.doc.Placeholder(x.env.Listing(code, info)) + strings.Repeat("\n", max(lines-1, 1))
}

// parseArgs splits a tag's arguments: words and quoted strings are
// positional; name=value, name="value", name:"value" and name: value are
// named.
func parseArgs(s string) (positional []string, named map[string]string) {
	words := splitArgs(s)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w.quoted {
			positional = append(positional, w.text)
			continue
		}
		if k, v, ok := strings.Cut(w.text, "="); ok && argName.MatchString(k) {
			if v == "" && w.joined && i+1 < len(words) {
				i++
				v = words[i].text
			}
			named = addNamed(named, k, v)
			continue
		}
		if k, ok := strings.CutSuffix(w.text, ":"); ok && argName.MatchString(k) && i+1 < len(words) {
			i++
			named = addNamed(named, k, words[i].text)
			continue
		}
		positional = append(positional, w.text)
	}
	return positional, named
}

var argName = regexp.MustCompile(`^[A-Za-z_][\w-]*$`)

func addNamed(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

// arg is a word of a tag's arguments; joined means a quoted string
// follows it with no space (name="value").
type arg struct {
	text   string
	quoted bool
	joined bool
}

// splitArgs splits s at spaces outside quotes; a quoted string directly
// after name= or name: is that name's value.
func splitArgs(s string) []arg {
	var out []arg
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		if i >= len(s) {
			break
		}
		if s[i] == '"' || s[i] == '\'' {
			text, n := unquote(s[i:])
			out = append(out, arg{text: text, quoted: true})
			i += n
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' && s[j] != '"' && s[j] != '\'' {
			j++
		}
		word := s[i:j]
		if j < len(s) && (s[j] == '"' || s[j] == '\'') && (strings.HasSuffix(word, "=") || strings.HasSuffix(word, ":")) {
			text, n := unquote(s[j:])
			if strings.HasSuffix(word, ":") {
				word = strings.TrimSuffix(word, ":") + "="
			}
			out = append(out, arg{text: word + text})
			i = j + n
			continue
		}
		out = append(out, arg{text: word})
		i = j
	}
	return out
}

// unquote reads a string quoted with s[0] at the start of s, with
// backslash escapes, and returns it and the bytes it took.
func unquote(s string) (string, int) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case s[i] == q:
			return b.String(), i + 1
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), len(s)
}
