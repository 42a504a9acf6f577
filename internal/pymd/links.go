package pymd

import (
	"html"
	"net/url"
	"path"
	"strings"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
)

// pelicanLinks are Pelican's intrasite link markers, found where Pelican
// replaces them: at the start of a URL (see expand.LinkSyntax).
var pelicanLinks = expand.NewLinkSyntax(`[{|][a-z]+[|}]`)

// links rewrites {filename}, {static}, {attach} (and the old |filename|
// forms), {tag}, {category} and {index} into the URLs the site publishes.
func (e *expander) links(code [][2]int) []edit {
	return pelicanLinks.Edits(e.doc.Src, code, func(l expand.Link) (string, bool) {
		name := l.Marker[1 : len(l.Marker)-1]
		return e.resolve(l.Line, l.Construct(), name, l.Value)
	})
}

// resolve is the URL a marker and its value stand for; false (with a
// warning) leaves the text as written, as Pelican does.
func (e *expander) resolve(line int, construct, name, value string) (string, bool) {
	u, err := url.Parse(value)
	if err != nil {
		u = &url.URL{Path: value}
	}
	var target string
	switch name {
	case "filename", "static", "attach":
		var ok bool
		target, ok = e.find(name, u.Path)
		if !ok {
			target, ok = e.find(name, html.UnescapeString(value))
		}
		if !ok {
			e.doc.Warn(line, "%s: no %s %s in the site", construct, map[bool]string{true: "page", false: "file"}[name == "filename"], strings.Join(e.candidates(u.Path), " or "))
			return "", false
		}
	case "tag", "category":
		site := e.env.Site()
		if site == nil {
			return "", false
		}
		slug := ""
		for _, t := range site.Tags {
			if strings.EqualFold(t.Name, u.Path) || t.Slug == content.Slugify(u.Path) {
				slug = t.Slug
				break
			}
		}
		if slug == "" {
			e.doc.Warn(line, "%s: no tag %q in the site", construct, u.Path)
			return "", false
		}
		target = e.base() + "/tags/" + slug + "/"
	case "index":
		target = e.base() + "/"
	default:
		e.doc.Warn(line, "%s: Pelican's {%s} links are not supported; left as written", construct, name)
		return "", false
	}
	out := &url.URL{Path: target, RawQuery: u.RawQuery, Fragment: u.Fragment}
	if u.Fragment == "" && strings.HasSuffix(value, "#") {
		return out.String() + "#", true
	}
	return out.String(), true
}

// base is the base URL's path without its final "/".
func (e *expander) base() string {
	if s := e.env.Site(); s != nil && s.Config != nil {
		return strings.TrimSuffix(s.Config.BasePath(), "/")
	}
	return ""
}

// candidates are the site paths a Pelican path may mean: relative to the
// page's directory (as Pelican reads it), then from the content root,
// then from each posts section (with and without its first segment), so
// a blog moved into content/posts/ keeps its links.
func (e *expander) candidates(p string) []string {
	pg := e.env.Page()
	var sections []string
	if s := e.env.Site(); s != nil && s.Config != nil {
		sections = s.Config.Sections
	}
	if p == "" {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	if !strings.HasPrefix(p, "/") && pg != nil {
		add(path.Join(path.Dir(pg.Path), p))
	}
	for _, c := range expand.MovedPaths(p, sections) {
		add(c)
	}
	return out
}

// find resolves a path: a page for {filename} (or a file, as Pelican
// allows with a warning), a published file for {static} and {attach}.
func (e *expander) find(name, p string) (string, bool) {
	if p == "" {
		return "", false
	}
	if unq, err := url.PathUnescape(p); err == nil && unq != p {
		if u, ok := e.find(name, unq); ok {
			return u, true
		}
	}
	cands := e.candidates(p)
	if name == "filename" {
		if idx := expand.IndexOf(e.env.Site()); idx != nil {
			for _, c := range cands {
				if pg, ok := idx.Pages[c]; ok {
					return e.base() + pg.URL, true
				}
			}
		}
		for _, c := range cands {
			if u, ok := e.env.Ref(c); ok {
				return u, true
			}
		}
	}
	if idx := expand.IndexOf(e.env.Site()); idx != nil {
		for _, c := range cands {
			if u, ok := idx.Files[c]; ok {
				return u, true
			}
		}
	}
	return "", false
}
