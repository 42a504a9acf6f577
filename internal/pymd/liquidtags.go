package pymd

import (
	"regexp"
	"strings"

	"github.com/siteblog/site/internal/expand"
)

// liquidTag is a tag of Pelican's liquid_tags plugin as the plugin finds
// it: {% … %}, over lines, anywhere in the text (LIQUID_TAG).
var liquidTag = regexp.MustCompile(`(?s)\{%(.*?)%\}`)

// liquidTagsPlugin are the tags the liquid_tags plugin (of
// pelican-plugins) defines, besides literal.
var liquidTagsPlugin = map[string]bool{
	"audio": true, "b64img": true, "blockdiag": true, "diag": true,
	"flickr": true, "generic": true, "giphy": true, "gram": true,
	"graphviz": true, "img": true, "include_code": true, "notebook": true,
	"soundcloud": true, "speakerdeck": true, "spotify": true, "video": true,
	"vimeo": true, "youtube": true,
}

// liquidTags runs the tags of Pelican's liquid_tags plugin in a page with
// Pelican's front matter: {% literal TAG ARGS %} is the text {% TAG ARGS %}
// (in code too, as the plugin runs before Markdown); outside code, a tag
// whose name has a site shortcode runs it (Positional: the arguments,
// quoted strings kept whole); a tag of the plugin without one is a
// warning and stays as written; any other {% … %} is text, as the plugin
// leaves it.
func (e *expander) liquidTags(code [][2]int) []edit {
	var edits []edit
	for _, m := range liquidTag.FindAllSubmatchIndex(e.doc.Src, -1) {
		markup := strings.TrimSpace(string(e.doc.Src[m[2]:m[3]]))
		name, args := markup, ""
		if i := strings.IndexAny(markup, " \t\r\n"); i >= 0 {
			name, args = markup[:i], markup[i+1:]
		}
		args = strings.TrimSpace(args)
		if name == "literal" {
			edits = append(edits, edit{Start: m[0], End: m[1], Text: "{% " + args + " %}"})
			continue
		}
		if expand.InRanges(code, m[0]) {
			continue
		}
		line := e.lines.line(m[0])
		construct := expand.Construct(string(e.doc.Src[m[0]:m[1]]))
		call := expand.Call{Name: name, Positional: splitQuoted(args), Line: line}
		html, ok, err := e.env.Shortcode(name, call)
		switch {
		case err != nil:
			e.doc.Warn(line, "%s: shortcode %s: %v; left as written", construct, name, err)
		case ok:
			edits = append(edits, edit{Start: m[0], End: m[1], Text: e.doc.Placeholder(html)})
		case liquidTagsPlugin[name]:
			e.doc.Warn(line, "%s: a tag of Pelican's liquid_tags plugin, which does not run here: write it as a shortcode in themes/NAME/shortcodes/%s.html; left as written", construct, name)
		}
	}
	return edits
}

// splitQuoted splits arguments at spaces, keeping a quoted string (its
// quotes taken off) whole.
func splitQuoted(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if q := s[0]; q == '"' || q == '\'' {
			if end := strings.IndexByte(s[1:], q); end >= 0 {
				out = append(out, s[1:1+end])
				s = s[end+2:]
				continue
			}
		}
		end := strings.IndexAny(s, " \t\r\n")
		if end < 0 {
			end = len(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}
