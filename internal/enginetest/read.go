package enginetest

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Post is what a reader sees of one post: the fields the differential
// tests compare. EXPECTED.json files hold a list of them.
type Post struct {
	// Source is the post's file, relative to the original site's root
	// ("content/posts/x.md", "_posts/2024-01-02-x.md"). Only the original
	// engine's side knows it; site's posts take it from the post they
	// are matched with.
	Source string `json:"source,omitempty"`
	// URL is the path the page is published at: its output file with a
	// trailing "index.html" removed ("/2024/05/x/", "/2024/05/x.html").
	URL string `json:"url"`
	// Day is the date shown, YYYY-MM-DD, in the offset the page shows it in.
	Day string `json:"day"`
	// Title is the page's title as text.
	Title string `json:"title"`
	// Authors are the names credited, in order; a post credited only to
	// the site's author has none (engines differ on whether to show it).
	Authors []string `json:"authors"`
	// Tags are the names of the post's tags and categories (site makes
	// both tags), sorted, each once.
	Tags []string `json:"tags"`
	// Code counts the code listings: <pre> elements, leaving out one
	// that holds only the line numbers beside another.
	Code int `json:"code"`
	// Listings counts the highlighted listings: those of Code whose tokens
	// are marked by a class or a colour.
	Listings int `json:"listings"`
	// Elements counts the raw-HTML-only elements of the body (Elements
	// lists them), leaving out the <figure> and <figcaption> that wrap a
	// code listing.
	Elements map[string]int `json:"elements,omitempty"`
	// Syntax counts "{{" and "{%" in the body's prose (outside <pre>
	// and <code>): template syntax an engine printed instead of running.
	Syntax int `json:"syntax,omitempty"`
	// Images are the base names of the body's <img> sources, sorted.
	Images []string `json:"images,omitempty"`
	// Links are the targets of the body's links to other pages of the
	// site, sorted: a post's Source, or the URL path of anything else.
	Links []string `json:"links,omitempty"`
	// Aliases are the paths that redirect to the post, sorted.
	Aliases []string `json:"aliases,omitempty"`
	// Partial marks an expectation derived from front matter alone
	// (ExpectFromRules): only URL, Day, Title and Authors are compared.
	Partial bool `json:"partial,omitempty"`

	links  []string // local link targets as URL paths, before mapping to sources
	imgs   []string // local image sources as URL paths
	clash  []string // tags of the post that share one URL
	broken []string // local images that resolve to no file of the output (links: see Links)
}

// Elements are the elements counted in Post.Elements: what Markdown does
// not make, so that each comes from raw HTML, a shortcode or a template.
// (<sup> is made by footnotes, alike in every engine.)
var Elements = []string{"aside", "audio", "details", "figcaption", "figure", "iframe", "kbd", "mark", "sub", "summary", "sup", "video"}

// Output is a built site as the differential tests see it.
type Output struct {
	Dir   string
	Posts []*Post
	// Aliases maps a redirecting page's URL to its target's URL.
	Aliases map[string]string
}

// Side says which pages of an output are posts.
type Side int

const (
	// Engine: the probe templates of another engine's build, which mark a
	// post by an h-entry article with a data-source attribute (only posts
	// of one of Sections when that is set).
	Engine Side = iota
	// Site: site's default theme, whose post pages have <body
	// class="kind-post"> and an <article class="post h-entry">.
	Site
)

// ReadOptions say how to read an output.
type ReadOptions struct {
	Side Side
	// BaseURLs are the absolute URLs the site is published at; links
	// starting with one are local.
	BaseURLs []string
	// SiteAuthor is dropped from a post's authors when it is the only one.
	SiteAuthor string
	// Sections, for Engine, keep only articles whose data-section is one
	// of them (Hugo marks every regular page; posts are in sections).
	Sections []string
	// SourcePrefix is prepended to data-source values (Hugo and Pelican
	// give them relative to the content directory).
	SourcePrefix string
}

// ReadOutput reads every HTML file of a built site.
func ReadOutput(dir string, o ReadOptions) (*Output, error) {
	out := &Output{Dir: dir, Aliases: map[string]string{}}
	var bodies []*html.Node
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".html") {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		u := fileURL(filepath.ToSlash(rel))
		if target, ok := refreshTarget(doc); ok {
			if t := localPath(u, target, o.BaseURLs); t != "" {
				out.Aliases[u] = t
			}
			return nil
		}
		post, body := readPost(doc, u, o)
		if post != nil {
			out.Posts = append(out.Posts, post)
			bodies = append(bodies, body)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, p := range out.Posts {
		readBody(p, bodies[i], o.BaseURLs)
		for _, t := range p.imgs {
			if !out.exists(t) {
				p.broken = append(p.broken, "image "+t)
			}
		}
	}
	return out, nil
}

// fileURL is the URL of an output file: "a/index.html" is "/a/".
func fileURL(rel string) string {
	u := "/" + rel
	if strings.HasSuffix(u, "/index.html") {
		u = strings.TrimSuffix(u, "index.html")
	}
	return u
}

// canon is the key under which a URL path finds its page whatever the
// form it is written in: "/a/", "/a/index.html", "/a.html" and "/a" agree.
func canon(u string) string {
	u = strings.TrimSuffix(u, "index.html")
	u = strings.TrimSuffix(u, ".html")
	u = strings.TrimSuffix(u, "/")
	if u == "" {
		return "/"
	}
	return u
}

// exists reports whether a local URL path is served by the output, as a
// static host serves it: the file, DIR/index.html, or NAME.html for /NAME.
func (o *Output) exists(u string) bool {
	p := filepath.Join(o.Dir, filepath.FromSlash(strings.TrimPrefix(u, "/")))
	for _, c := range []string{p, filepath.Join(p, "index.html"), p + ".html"} {
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
			return true
		}
	}
	return false
}

var refreshURL = regexp.MustCompile(`(?i)^\s*\d+\s*;\s*url\s*=\s*['"]?([^'"]+)`)

// refreshTarget returns the target of a <meta http-equiv="refresh">.
func refreshTarget(doc *html.Node) (string, bool) {
	var target string
	walk(doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Meta && strings.EqualFold(attr(n, "http-equiv"), "refresh") {
			if m := refreshURL.FindStringSubmatch(attr(n, "content")); m != nil {
				target = m[1]
			}
		}
		return target == ""
	})
	return target, target != ""
}

// readPost finds the post of a page, or returns nil.
func readPost(doc *html.Node, u string, o ReadOptions) (*Post, *html.Node) {
	if o.Side == Site {
		body := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Body })
		if body == nil || !hasClass(body, "kind-post") {
			return nil, nil
		}
	}
	art := find(doc, func(n *html.Node) bool {
		if n.DataAtom != atom.Article || !hasClass(n, "h-entry") {
			return false
		}
		if o.Side == Site {
			return hasClass(n, "post")
		}
		_, ok := attrOK(n, "data-source")
		return ok
	})
	if art == nil {
		return nil, nil
	}
	if o.Side == Engine && len(o.Sections) > 0 {
		if s, ok := attrOK(art, "data-section"); ok && !contains(o.Sections, s) {
			return nil, nil
		}
	}
	p := &Post{URL: u}
	if o.Side == Engine {
		p.Source = path.Clean(o.SourcePrefix + attr(art, "data-source"))
	}
	content := find(art, func(n *html.Node) bool { return hasClass(n, "e-content") })
	var authors []string
	p.Tags = []string{}
	tagURLs := map[string][]string{}
	walk(art, func(n *html.Node) bool {
		if n == content {
			return false
		}
		switch {
		case hasClass(n, "p-name") && p.Title == "":
			p.Title = collapse(text(n))
		case hasClass(n, "dt-published") && p.Day == "":
			p.Day = day(attr(n, "datetime"))
		case hasClass(n, "p-author"):
			authors = append(authors, text(n))
			return false
		case n.DataAtom == atom.A && contains(strings.Fields(attr(n, "rel")), "tag"):
			name := collapse(text(n))
			p.Tags = append(p.Tags, name)
			if href := attr(n, "href"); href != "" {
				tagURLs[href] = append(tagURLs[href], name)
			}
			return false
		}
		return true
	})
	p.Authors = normAuthors(authors, o.SiteAuthor)
	sort.Strings(p.Tags)
	p.Tags = slices.Compact(p.Tags)
	for href, names := range tagURLs {
		if len(names) > 1 {
			sort.Strings(names)
			p.clash = append(p.clash, fmt.Sprintf("%s share %s", strings.Join(names, ", "), href))
		}
	}
	sort.Strings(p.clash)
	return p, content
}

// day is the YYYY-MM-DD of an RFC 3339 (or ISO 8601) datetime attribute.
func day(dt string) string {
	dt = strings.TrimSpace(dt)
	if len(dt) >= 10 {
		return dt[:10]
	}
	return dt
}

// normAuthors splits names written as one comma-separated string, trims
// them, and drops the site's author when it is the only one.
func normAuthors(in []string, siteAuthor string) []string {
	out := []string{}
	for _, a := range in {
		for _, n := range strings.Split(a, ",") {
			if n = collapse(n); n != "" {
				out = append(out, n)
			}
		}
	}
	if len(out) == 1 && siteAuthor != "" && out[0] == siteAuthor {
		out = []string{}
	}
	return out
}

// tokenClass matches the short class names that chroma, Rouge and
// Pygments give tokens (k, nf, s2, …); lineClasses are theirs for lines.
var (
	tokenClass = regexp.MustCompile(`^[a-z]{1,3}[0-9]?$`)
	// lineClasses mark lines, not tokens; "w" is Pygments' and Rouge's
	// white space, which no style colours.
	lineClasses = map[string]bool{"ln": true, "lnt": true, "cl": true, "hl": true, "ll": true, "gl": true, "lineno": true, "line": true, "w": true}
)

// highlighted reports whether a <pre> holds highlighted tokens.
func highlighted(pre *html.Node) bool {
	return find(pre, func(n *html.Node) bool {
		if n.DataAtom != atom.Span {
			return false
		}
		if strings.Contains(attr(n, "style"), "color") {
			return true
		}
		for _, c := range strings.Fields(attr(n, "class")) {
			if tokenClass.MatchString(c) && !lineClasses[c] {
				return true
			}
		}
		return false
	}) != nil
}

// readBody fills the fields that come from a post's body.
func readBody(p *Post, content *html.Node, bases []string) {
	p.Elements = map[string]int{}
	if content == nil {
		return
	}
	listing := func(pre *html.Node) {
		if strings.Trim(text(pre), "0123456789 \t\r\n") == "" && text(pre) != "" {
			return // a gutter of line numbers
		}
		p.Code++
		if highlighted(pre) {
			p.Listings++
		}
	}
	walk(content, func(n *html.Node) bool {
		if n.Type == html.TextNode {
			p.Syntax += strings.Count(n.Data, "{{") + strings.Count(n.Data, "{%")
		}
		if n.Type != html.ElementNode {
			return true
		}
		switch {
		case n.DataAtom == atom.Pre:
			listing(n)
			return false // a listing's tables and nested <pre> are its own
		case n.DataAtom == atom.Figure && find(n, func(c *html.Node) bool { return c.DataAtom == atom.Pre }) != nil:
			// The wrapper of a code listing (site's, Jekyll's highlight tag).
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.DataAtom != atom.Figcaption {
					walk(c, func(m *html.Node) bool {
						if m.DataAtom == atom.Pre {
							listing(m)
							return false
						}
						return true
					})
				}
			}
			return false
		case n.DataAtom == atom.Code:
			return false
		case n.DataAtom == atom.Img:
			src := attr(n, "src")
			p.Images = append(p.Images, path.Base(strings.SplitN(src, "?", 2)[0]))
			if t := localPath(p.URL, src, bases); t != "" {
				p.imgs = append(p.imgs, t)
			}
		case n.DataAtom == atom.A:
			href := attr(n, "href")
			if href != "" && !strings.HasPrefix(href, "#") {
				if t := localPath(p.URL, href, bases); t != "" {
					p.links = append(p.links, t)
				}
			}
		}
		if contains(Elements, n.Data) {
			p.Elements[n.Data]++
		}
		return true
	})
	sort.Strings(p.Images)
	if len(p.Elements) == 0 {
		p.Elements = nil
	}
}

// localPath resolves a link or image of the page at u to a URL path of
// the site, or "" for another site's URL (or a mailto: and the like).
func localPath(u, ref string, bases []string) string {
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return ""
	}
	if r.Scheme != "" || r.Host != "" {
		for _, b := range bases {
			bu, err := url.Parse(b)
			if err != nil || bu.Host == "" {
				continue
			}
			if strings.EqualFold(r.Host, bu.Host) && (r.Scheme == "" || r.Scheme == "http" || r.Scheme == "https") {
				p := r.Path
				if bp := strings.TrimSuffix(bu.Path, "/"); bp != "" {
					p = strings.TrimPrefix(p, bp)
				}
				if p == "" {
					p = "/"
				}
				return p
			}
		}
		return ""
	}
	if r.Path == "" {
		return ""
	}
	base, _ := url.Parse(u)
	res := base.ResolveReference(&url.URL{Path: r.Path})
	return res.Path
}

func walk(n *html.Node, f func(*html.Node) bool) {
	if !f(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func find(n *html.Node, f func(*html.Node) bool) *html.Node {
	var found *html.Node
	walk(n, func(m *html.Node) bool {
		if found != nil {
			return false
		}
		if m != n && m.Type == html.ElementNode && f(m) || m == n && n.Type == html.ElementNode && f(n) {
			found = m
			return false
		}
		return true
	})
	return found
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func hasClass(n *html.Node, class string) bool {
	return contains(strings.Fields(attr(n, "class")), class)
}

func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(m *html.Node) bool {
		if m.Type == html.TextNode {
			b.WriteString(m.Data)
		}
		return true
	})
	return b.String()
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
