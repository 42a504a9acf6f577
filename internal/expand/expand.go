// Package expand is the meeting point of the other engines' body syntaxes
// (Hugo shortcodes, Liquid, the Go blog's templates, Python-Markdown
// habits of Pelican blogs) and the renderer. Each syntax lives in its own
// package and turns a page's body into Markdown before goldmark sees it.
//
// Output that is HTML, and must not be read as Markdown or escaped with
// the writer's raw HTML (a highlighted listing, a figure, an embed), is
// left in the Markdown as a placeholder: Doc.Placeholder returns a token
// made of characters no text contains, and Restore puts the HTML back in
// the rendered page. A placeholder alone in a paragraph replaces the
// paragraph, so block HTML is not wrapped in <p>.
//
// Text that is Markdown (a URL from ref, a Liquid variable, the inner
// text of a {{% %}} shortcode) goes into the Markdown as it is.
//
// Engines' link syntaxes (Pelican's {filename}, Zola's @/) are rewritten
// by one pass, LinkSyntax: at the start of a Markdown link or image
// destination, a link reference definition or an HTML attribute that
// holds a URL, outside code, the resolved URL escaped for where it
// stands. MovedPaths lists where a path of the old content root is once
// the blog has moved into a posts section. IndexOf indexes a site's
// published files (static/ files, files under content/, bundle resources)
// and pages by their path in the site directory, with their URL paths.
package expand

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/siteblog/site/content"
)

// Env is what an expander may ask of the site while it expands one page.
// Implementations are safe for concurrent use by the pages of one build.
type Env interface {
	// Page is the page being expanded.
	Page() *content.Page
	// Site is the whole site, for site.* variables and [params].
	Site() *content.Site
	// Ref finds another page as Hugo's ref, Jekyll's link and post_url
	// and Pelican's {filename} do: by content path ("posts/a.md",
	// "/posts/a.md", "content/posts/a.md"), by file or bundle name ("a",
	// "a.md", "2024-01-02-a"), or relative to the page's directory. It
	// returns the page's URL path (with the base URL's path) and whether
	// a page was found.
	Ref(ref string) (url string, ok bool)
	// ReadFile reads a file of the site directory (slash-separated, relative
	// to the site root: "_includes/note.html", "content/posts/x/main.go").
	ReadFile(name string) ([]byte, error)
	// Listing renders code as a highlighted listing, the same HTML a
	// fenced code block with that info string gives ("go",
	// "ruby {linenos=true, hl_lines=[2]}").
	Listing(code, info string) string
	// Markdown renders a fragment of Markdown to HTML (inline when inline
	// is true: no enclosing <p>), for markdownify and Liquid's markdownify.
	Markdown(src string, inline bool) string
	// Shortcode runs the site's user shortcode template name (from
	// themes/NAME/shortcodes/ or layouts/shortcodes/), as Hugo and as
	// Liquid tags of that name do. ok is false when there is none.
	Shortcode(name string, call Call) (html string, ok bool, err error)
	// Translate returns the message id of the site's i18n/LANG.toml files
	// (or the theme's) in the site's language, as Hugo's i18n function
	// does: count, when not nil, chooses the plural form and stands for
	// {{ .Count }}; other template actions in it are left as they are.
	// ok is false when no file has the message or it does not fit count.
	Translate(id string, count any) (text string, ok bool)
}

// Call is one use of a shortcode or tag.
type Call struct {
	// Name is the shortcode's name.
	Name string
	// Positional are the arguments given without names, in order.
	Positional []string
	// Named are the arguments given as name=value.
	Named map[string]string
	// Inner is the text between the opening and closing tags; HasInner
	// tells an empty pair from a self-closing use.
	Inner    string
	HasInner bool
	// Line is the line of the file the call starts on.
	Line int
}

// Warning is a problem that does not stop the build: a construct left out
// or shown as code, a reference to nothing. Line is a line of the file.
type Warning struct {
	Line int
	Msg  string
}

func (w Warning) String() string { return fmt.Sprintf("%d: %s", w.Line, w.Msg) }

// Doc is a page body on its way through the expanders.
type Doc struct {
	// Src is the Markdown, with placeholders.
	Src []byte
	// HTML holds the placeholders' HTML, by number.
	HTML []string
	// Warnings are in the order they were found.
	Warnings []Warning
}

// Warn records a warning at a line of the file.
func (d *Doc) Warn(line int, format string, args ...any) {
	d.Warnings = append(d.Warnings, Warning{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// The placeholder delimiters are Unicode private-use characters, which
// goldmark passes through as text, untouched by smart punctuation.
const (
	open  = '\uE000'
	close = '\uE001'
)

// Placeholder records html and returns the token that stands for it in the
// Markdown.
func (d *Doc) Placeholder(html string) string {
	d.HTML = append(d.HTML, html)
	return string(open) + strconv.Itoa(len(d.HTML)-1) + string(close)
}

var (
	openUTF8  = []byte(string(open))
	closeUTF8 = []byte(string(close))
)

// Restore replaces the placeholders in rendered HTML with their HTML. A
// paragraph holding only a placeholder becomes that HTML alone.
func Restore(rendered []byte, html []string) []byte {
	if len(html) == 0 || !bytes.Contains(rendered, openUTF8) {
		return rendered
	}
	var out bytes.Buffer
	out.Grow(len(rendered))
	for len(rendered) > 0 {
		i := bytes.Index(rendered, openUTF8)
		if i < 0 {
			out.Write(rendered)
			break
		}
		j := bytes.Index(rendered[i:], closeUTF8)
		if j < 0 {
			out.Write(rendered)
			break
		}
		n, err := strconv.Atoi(string(rendered[i+len(openUTF8) : i+j]))
		if err != nil || n < 0 || n >= len(html) {
			out.Write(rendered[:i+j+len(closeUTF8)])
			rendered = rendered[i+j+len(closeUTF8):]
			continue
		}
		before, after := rendered[:i], rendered[i+j+len(closeUTF8):]
		if bytes.HasSuffix(before, []byte("<p>")) && bytes.HasPrefix(after, []byte("</p>")) {
			before, after = before[:len(before)-3], after[4:]
		}
		out.Write(before)
		out.WriteString(html[n])
		rendered = after
	}
	return out.Bytes()
}

// HasPlaceholder reports whether s holds a placeholder.
func HasPlaceholder(s []byte) bool {
	r, _ := utf8.DecodeRune(openUTF8)
	return bytes.ContainsRune(s, r)
}

// Construct is how a warning quotes a construct as written: its runs of
// white space as one space, and cut to 80 bytes at a character boundary,
// with "..." at the cut.
func Construct(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= 80 {
		return s
	}
	cut := 77
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// LiteralMarkdown is Markdown that shows s as written: ASCII punctuation
// backslash-escaped (a line break stays one), quotes as entities so that
// smart punctuation leaves them. An escaped shortcode is shown with it.
func LiteralMarkdown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			b.WriteString("&quot;")
		case c == '\'':
			b.WriteString("&#39;")
		case c < 0x80 && strings.IndexByte("!#$%&()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
