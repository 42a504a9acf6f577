package zola

import (
	"bytes"
	"html"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// marker starts a Zola internal link.
const marker = "@/"

// internalLinks are the URLs that start with Zola's marker.
var internalLinks = expand.NewLinkSyntax(marker)

// Applies reports, cheaply, whether a body may hold a Zola internal link:
// "@/" after "(", "<", ":", "=" or a quote, spaces and tabs between.
func Applies(src []byte) bool {
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte(marker))
		if j < 0 {
			return false
		}
		k := i + j - 1
		for k >= 0 && (src[k] == ' ' || src[k] == '\t') {
			k--
		}
		if k >= 0 && strings.IndexByte("(<:=\"'", src[k]) >= 0 {
			return true
		}
		i += j + len(marker)
	}
}

// markdown finds code as the renderer does: the same block extensions.
var markdown = goldmark.New(goldmark.WithExtensions(
	extension.Table,
	extension.Strikethrough,
	extension.TaskList,
	extension.Footnote,
	extension.DefinitionList,
))

// Expand replaces Zola's internal links (@/path.md) with the URLs of the
// pages they name.
// Then it runs Zola's shortcodes, {{ name(…) }} and {% name(…) %}…{% end %}.
func Expand(doc *expand.Doc, env expand.Env) {
	if Applies(doc.Src) {
		code := codeRanges(doc.Src)
		edits := internalLinks.Edits(doc.Src, code, func(l expand.Link) (string, bool) {
			u, ok := resolve(env, l)
			if !ok {
				doc.Warn(l.Line, "%s: %s; left as written", l.Construct(), u)
			}
			return u, ok
		})
		if len(edits) > 0 {
			doc.Src = expand.Apply(doc.Src, edits)
		}
	}
	if HasShortcode(doc.Src) {
		expandShortcodes(doc, env, codeRanges(doc.Src))
	}
}

// codeRanges are the listings and code spans of src.
func codeRanges(src []byte) [][2]int {
	return expand.CodeRanges(markdown.Parser().Parse(text.NewReader(src)))
}

// resolve returns the URL of the page an internal link names, or, with
// false, why there is none.
func resolve(env expand.Env, l expand.Link) (string, bool) {
	value := l.Value
	if l.Attr {
		value = html.UnescapeString(value)
	}
	p, anchor, hasAnchor := strings.Cut(value, "#")
	if dec, err := url.PathUnescape(p); err == nil {
		p = dec
	}
	if p == "" {
		return "no file named after @/", false
	}
	var sections []string
	site := env.Site()
	if site != nil && site.Config != nil {
		sections = site.Config.Sections
	}
	cands := expand.MovedPaths(p, sections)
	var target string
	if base := path.Base(p); strings.TrimSuffix(base, path.Ext(base)) == "_index" {
		u, why := sectionURL(site, cands)
		if u == "" {
			return why, false
		}
		target = u
	} else {
		for _, c := range cands {
			if u, ok := env.Ref(c); ok {
				target = u
				break
			}
		}
		if target == "" {
			return "no page " + strings.Join(cands, " or ") + " in the site", false
		}
	}
	if hasAnchor {
		target += "#" + anchor
	}
	return target, true
}

// sectionURL is the URL of the page that lists a section's posts: the
// home page, for the first candidate that is a section's _index.md.
func sectionURL(site *content.Site, cands []string) (string, string) {
	if site == nil {
		return "", "no site"
	}
	base := "/"
	var sections []string
	if site.Config != nil {
		base, sections = site.Config.BasePath(), site.Config.Sections
	}
	for _, c := range cands {
		dir := strings.TrimPrefix(strings.TrimPrefix(path.Dir(c), content.ContentDir), "/")
		if _, ok := site.Sections[dir]; !ok {
			continue
		}
		if dir == "" || slices.Contains(sections, dir) {
			return base, ""
		}
		return "", "the section " + c + " holds no posts: no page lists it here"
	}
	return "", "no section " + strings.Join(cands, " or ") + " in the site"
}
