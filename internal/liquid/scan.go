package liquid

import (
	"strings"

	"github.com/osteele/liquid/parser"

	"github.com/siteblog/site/internal/expand"
)

// token is a token of a template with its offset in the source. live is
// false inside raw and comment blocks, whose text is not Liquid.
type token struct {
	parser.Token
	off  int
	live bool
	raw  bool // inside a raw block
}

// scan splits src into tokens as the engine does, with their offsets.
func scan(src string) []token {
	var (
		out       []token
		off       int
		inRaw     bool
		inComment bool
	)
	for _, t := range parser.Scan(src, parser.SourceLoc{LineNo: 1}, nil) {
		if t.Type == parser.TrimLeftTokenType || t.Type == parser.TrimRightTokenType {
			continue
		}
		live := !inRaw && !inComment
		if t.Type == parser.TagTokenType {
			switch {
			case inRaw:
				if t.Name == "endraw" {
					inRaw, live = false, true
				}
			case inComment:
				if t.Name == "endcomment" {
					inComment, live = false, true
				}
			case t.Name == "raw":
				inRaw = true
			case t.Name == "comment":
				inComment = true
			}
		}
		out = append(out, token{Token: t, off: off, live: live, raw: inRaw && !live})
		off += len(t.Source)
	}
	return out
}

// knownTags are the tags the engine defines, standard and Jekyll's, with
// their clauses; a block's end tag is "end" and its name.
var knownTags = map[string]bool{
	// Liquid's, from the engine.
	"assign": true, "break": true, "continue": true, "cycle": true,
	"capture": true, "case": true, "when": true, "else": true,
	"comment": true, "for": true, "if": true, "elsif": true, "raw": true,
	"tablerow": true, "unless": true, "include": true,
	// Jekyll's and the engine's own, defined here.
	"highlight": true, "link": true, "post_url": true,
	"include_relative": true, "include_cached": true, shortcodeTag: true, shortcodeBlock: true,
	"increment": true, "decrement": true,
}

// knownBlocks are the known tags that take an end tag.
var knownBlocks = map[string]bool{
	"capture": true, "case": true, "comment": true, "for": true, "if": true,
	"raw": true, "tablerow": true, "unless": true, "highlight": true,
	shortcodeBlock: true,
}

// The tags an unknown tag is rewritten to: {% photo a.jpg %} becomes
// {% _shortcode photo a.jpg %}, {% note %}…{% endnote %} becomes
// {% _shortcode_block note %}…{% end_shortcode_block %}.
const (
	hugoShortcode  = "{{<"
	shortcodeTag   = "_shortcode"
	shortcodeBlock = "_shortcode_block"
)

func isKnown(name string) bool {
	if knownTags[name] {
		return true
	}
	rest, ok := strings.CutPrefix(name, "end")
	return ok && knownBlocks[rest]
}

// rewriteUnknownTags turns each tag the engine does not know into a use of
// the shortcode tag, or of the shortcode block when an end tag of its name
// follows, and puts Hugo shortcodes ({{< >}}, {{% %}}) in raw blocks, for
// the Hugo expander that comes after. Lines stay where they were.
func rewriteUnknownTags(src string) string {
	if !strings.Contains(src, "{%") && !strings.Contains(src, "{{<") && !strings.Contains(src, "{{%") {
		return src
	}
	toks := scan(src)
	kind := map[int]string{} // token index → the name to put before it, or a replacement
	open := map[string][]int{}
	for i, t := range toks {
		if t.live && t.Type == parser.ObjTokenType && len(t.Source) > 2 && (t.Source[2] == '<' || t.Source[2] == '%') {
			kind[i] = hugoShortcode
			continue
		}
		if !t.live || t.Type != parser.TagTokenType || isKnown(t.Name) {
			continue
		}
		if rest, ok := strings.CutPrefix(t.Name, "end"); ok && len(open[rest]) > 0 {
			j := open[rest][len(open[rest])-1]
			open[rest] = open[rest][:len(open[rest])-1]
			kind[j] = shortcodeBlock
			kind[i] = "end" + shortcodeBlock
			continue
		}
		open[t.Name] = append(open[t.Name], i)
		kind[i] = shortcodeTag
	}
	if len(kind) == 0 {
		return src
	}
	var b strings.Builder
	last := 0
	for i, t := range toks {
		k, ok := kind[i]
		if !ok {
			continue
		}
		if k == hugoShortcode {
			b.WriteString(src[last:t.off])
			b.WriteString("{% raw %}" + t.Source + "{% endraw %}")
			last = t.off + len(t.Source)
			continue
		}
		at := t.off + strings.Index(t.Source, t.Name)
		b.WriteString(src[last:at])
		if strings.HasPrefix(k, "end") {
			b.WriteString(k)
			last = at + len(t.Name)
		} else {
			b.WriteString(k + " ")
			last = at
		}
	}
	b.WriteString(src[last:])
	return b.String()
}

// original turns a tag rewritten by rewriteUnknownTags back into what the
// writer wrote, for messages.
func original(tok string) string {
	tok = strings.Replace(tok, shortcodeBlock+" ", "", 1)
	tok = strings.Replace(tok, "end"+shortcodeBlock, "end…", 1)
	return strings.Replace(tok, shortcodeTag+" ", "", 1)
}

// removeTokensAt removes the live Liquid tags and variables that start on
// line, keeping their line breaks, and returns them.
func removeTokensAt(src string, line int) (string, []string) {
	var (
		b       strings.Builder
		removed []string
		last    int
	)
	for _, t := range scan(src) {
		if !t.live || t.Type == parser.TextTokenType || t.SourceLoc.LineNo != line {
			continue
		}
		b.WriteString(src[last:t.off])
		b.WriteString(strings.Repeat("\n", strings.Count(t.Source, "\n")))
		last = t.off + len(t.Source)
		removed = append(removed, original(t.Source))
	}
	if removed == nil {
		return src, nil
	}
	b.WriteString(src[last:])
	return b.String(), removed
}

// stripLiquid leaves out every Liquid tag and variable of src, and the
// text of comment blocks, keeping the text of raw blocks and every line
// break.
func stripLiquid(src string) string {
	var b strings.Builder
	for _, t := range scan(src) {
		if t.raw || t.live && t.Type == parser.TextTokenType {
			b.WriteString(t.Source)
		} else {
			b.WriteString(strings.Repeat("\n", strings.Count(t.Source, "\n")))
		}
	}
	return b.String()
}

// firstLiquidLine is the line of src's first Liquid construct.
func firstLiquidLine(src string) int {
	for _, t := range scan(src) {
		if t.live && t.Type != parser.TextTokenType {
			return t.SourceLoc.LineNo
		}
	}
	return 1
}

// closeRawAndComment handles raw and comment blocks that are never closed
// (Jekyll refuses the page): a raw block keeps the rest of the page as
// text; a comment's opening tag is left out, so the rest is not lost.
func closeRawAndComment(src string) (string, []expand.Warning) {
	var ws []expand.Warning
	for {
		var w *expand.Warning
		src, w = closeOne(src)
		if w == nil {
			return src, ws
		}
		ws = append(ws, *w)
		if strings.Contains(w.Msg, "{% raw %}") {
			return src, ws
		}
	}
}

func closeOne(src string) (string, *expand.Warning) {
	if !strings.Contains(src, "{%") {
		return src, nil
	}
	var open *token
	toks := scan(src)
	for i := range toks {
		t := &toks[i]
		if !t.live || t.Type != parser.TagTokenType {
			continue
		}
		switch t.Name {
		case "raw", "comment":
			open = t
		case "endraw", "endcomment":
			open = nil
		}
	}
	if open == nil {
		return src, nil
	}
	if open.Name == "raw" {
		return src, &expand.Warning{Line: open.SourceLoc.LineNo, Msg: "Liquid: {% raw %} without {% endraw %}: the rest of the page is shown as it is"}
	}
	src = src[:open.off] + strings.Repeat("\n", strings.Count(open.Source, "\n")) + src[open.off+len(open.Source):]
	return src, &expand.Warning{Line: open.SourceLoc.LineNo, Msg: "Liquid: {% comment %} without {% endcomment %}; the tag left out, the text after it kept"}
}
