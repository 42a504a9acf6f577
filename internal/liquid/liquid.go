package liquid

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/render"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
)

// maxRepairs bounds how many broken constructs of one page are left out
// one by one before the page falls back to having all its Liquid left out.
const maxRepairs = 50

// Expand runs the page's body through Liquid when it should (see Wants),
// leaving HTML output (listings, shortcodes) as placeholders and recording
// every problem as a warning at a line of the file.
func Expand(doc *expand.Doc, env expand.Env) {
	page := env.Page()
	var cfg *content.Config
	if s := env.Site(); s != nil {
		cfg = s.Config
	}
	if Wants(doc.Src, page, cfg) {
		newExpander(doc, env).run()
	}
	if kramdownOn(page, cfg) {
		markdownInHTML(doc, env)
	}
}

// kramdownOn reports whether a page is read as Jekyll reads it, its
// elements with markdown="1" holding Markdown: when site.toml says
// liquid = true (as site import writes for a Jekyll site), unless the
// page's front matter says liquid: false, and raw HTML passes.
func kramdownOn(page *content.Page, cfg *content.Config) bool {
	if cfg != nil && cfg.RawHTML != "" && cfg.RawHTML != "pass" {
		return false
	}
	if page != nil {
		if on, set := content.ParseBool(page.Params["liquid"]); set {
			return on
		}
	}
	return cfg != nil && cfg.Liquid != nil && *cfg.Liquid
}

func newExpander(doc *expand.Doc, env expand.Env) *expander {
	x := &expander{doc: doc, env: env, page: env.Page(), includes: map[string]includeFile{}, data: map[string]any{}, outputLimit: expand.OutputLimit(len(doc.Src))}
	x.engine = x.newEngine()
	return x
}

// Wants reports whether a page's body runs through Liquid: front matter
// liquid: true or false decides for the page; else site.toml liquid = true
// runs every page and liquid = false none; else (the default) a page runs
// when its body holds a Liquid tag or a site./page. variable, unless it is
// a Go blog template page (template: true). Zola's body shortcodes,
// {% name(…) %} and {% end %}, are not Liquid tags.
func Wants(body []byte, page *content.Page, cfg *content.Config) bool {
	if page != nil {
		if on, set := content.ParseBool(page.Params["liquid"]); set {
			return on && hasLiquid(body, false)
		}
	}
	if cfg != nil && cfg.Liquid != nil {
		return *cfg.Liquid && hasLiquid(body, false)
	}
	if page != nil {
		if on, _ := content.ParseBool(page.Params["template"]); on {
			return false
		}
	}
	return hasLiquid(body, true)
}

var (
	// tagStart is the start of a Liquid tag: {% name or {%- name.
	tagStart = regexp.MustCompile(`\{%-?\s*[A-Za-z_]\w*`)
	// siteOrPage is the start of a site.* or page.* variable.
	siteOrPage = regexp.MustCompile(`\{\{-?\s*(?:site|page)\.`)
)

// hasLiquid reports whether body holds Liquid. When strict is false any
// {{ or {% counts (the page asked for Liquid); when true only a tag
// {% name … %} not part of a Hugo {{% %}} shortcode, or a {{ site.… }} or
// {{ page.… }} variable.
func hasLiquid(body []byte, strict bool) bool {
	if !strict {
		return bytes.Contains(body, []byte("{{")) || bytes.Contains(body, []byte("{%"))
	}
	if siteOrPage.Match(body) {
		return true
	}
	for _, m := range tagStart.FindAllIndex(body, -1) {
		if m[0] > 0 && body[m[0]-1] == '{' {
			continue // {{% shortcode %}}
		}
		end := bytes.Index(body[m[1]:], []byte("%}"))
		if end < 0 {
			return false
		}
		if close := m[1] + end + 2; close < len(body) && body[close] == '}' {
			continue // {{% shortcode %}}
		}
		if zolaShortcode(body, m) {
			continue
		}
		return true
	}
	return false
}

// zolaShortcode reports whether the tag start m of body is a Zola
// shortcode's, {% name(…) %} or {% end %}: no Liquid tag's name is
// followed by "(", and Liquid has no tag named end.
func zolaShortcode(body []byte, m []int) bool {
	name := bytes.TrimLeft(body[m[0]+2:m[1]], "- \t\r\n")
	rest := bytes.TrimLeft(body[m[1]:], " \t\r\n")
	return (len(rest) > 0 && rest[0] == '(') || (string(name) == "end" && bytes.HasPrefix(rest, []byte("%}")))
}

// expander expands one page.
type expander struct {
	// outputLimit bounds what one render may write (expand.OutputLimit);
	// full is set when a render reached it.
	outputLimit int
	full        bool
	doc         *expand.Doc
	env         expand.Env
	page        *content.Page
	engine      *liquid.Engine
	// warnings of the current attempt; kept only if it succeeds.
	warnings []expand.Warning
	// includes are include files read, by path.
	includes map[string]includeFile
	// stack is the chain of includes being rendered.
	stack []includeFrame
	// data are site.data's files read, by path without extension.
	data map[string]any
	// dataErrs are data files that could not be read.
	dataErrs []string
	// counters are the increment and decrement tags' counters of the
	// current attempt.
	counters map[string]int
}

// includeFile is an include file ready to parse, with the warnings about
// it that each use repeats.
type includeFile struct {
	src      string
	warnings []expand.Warning
}

// includeFrame is an include being rendered: its file, and the line of
// the page's body that includes it.
type includeFrame struct {
	file string
	line int
}

func (x *expander) path() string {
	if x.page == nil {
		return "page"
	}
	return x.page.Path
}

// warn records a warning at line of the template being rendered: a line of
// the page, or, inside an include, the line of the page's include tag with
// the include file's line in the message.
func (x *expander) warn(line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if n := len(x.stack); n > 0 {
		msg = fmt.Sprintf("in %s:%d: %s", x.stack[n-1].file, line, msg)
		line = x.stack[0].line
	}
	x.warnings = append(x.warnings, expand.Warning{Line: line, Msg: msg})
}

// lineOf is the line of the tag or block being rendered in its template.
func lineOf(ctx render.Context) int {
	return ctx.Errorf("").LineNumber()
}

// run renders the body, leaving out the construct an error points at and
// trying again, until it renders.
func (x *expander) run() {
	src, repairs := closeRawAndComment(rewriteUnknownTags(string(x.doc.Src)))
	why := "too many errors"
	for range maxRepairs {
		nHTML := len(x.doc.HTML)
		x.warnings, x.stack, x.counters = nil, nil, map[string]int{}
		out, err := x.render(src)
		if err == nil {
			x.doc.Src = []byte(out)
			for _, e := range x.dataErrs {
				x.warnings = append(x.warnings, expand.Warning{Line: firstLiquidLine(src), Msg: "Liquid: site.data: " + e})
			}
			x.commit(append(repairs, x.warnings...))
			return
		}
		x.doc.HTML = x.doc.HTML[:nHTML]
		if x.full { // no construct to blame: the page as a whole writes too much
			why = (&outputLimitError{x.outputLimit}).Error()
			break
		}
		line, msg := x.errorAt(err)
		var removed []string
		src, removed = removeTokensAt(src, line)
		if len(removed) == 0 {
			why = msg
			break
		}
		repairs = append(repairs, expand.Warning{Line: line, Msg: fmt.Sprintf("Liquid: %s; %s left out", msg, strings.Join(removed, " "))})
	}
	// The errors could not be isolated: show the text with every Liquid
	// construct left out, never as prose.
	x.doc.Src = []byte(stripLiquid(src))
	x.commit(append(repairs, expand.Warning{Line: firstLiquidLine(src), Msg: "Liquid: " + why + "; every Liquid tag and variable of the page left out"}))
}

// commit adds warnings to the document, in line order.
func (x *expander) commit(ws []expand.Warning) {
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].Line < ws[j].Line })
	x.doc.Warnings = append(x.doc.Warnings, ws...)
}

// render renders the page's body once.
func (x *expander) render(src string) (string, error) {
	return x.renderTemplate(src, x.path(), x.bindings())
}

// errorMessage matches the text of the engine's errors:
// "Liquid error (line 3): message in content/posts/x.md".
var errorMessage = regexp.MustCompile(`(?s)^Liquid error(?: \(line \d+\))?: (.*)$`)

// errorAt returns the line of the page an error of the engine points at
// and its message.
func (x *expander) errorAt(err error) (int, string) {
	line := 0
	if se, ok := err.(liquid.SourceError); ok {
		line = se.LineNumber()
	}
	msg := err.Error()
	if m := errorMessage.FindStringSubmatch(msg); m != nil {
		msg = strings.TrimSuffix(m[1], " in "+x.path())
	}
	return line, msg
}
