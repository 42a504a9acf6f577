package liquid

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/siteblog/site/content"
	yaml "gopkg.in/yaml.v2"
)

// bindings are the variables of a page: site, page and jekyll.
func (x *expander) bindings() map[string]any {
	shared := siteVars(x.env.Site(), x.env.ReadFile)
	site := make(map[string]any, len(shared)+1)
	for k, v := range shared {
		site[k] = v
	}
	site["data"] = x.siteData()
	return map[string]any{
		"site":   site,
		"page":   x.pageVars(),
		"jekyll": yaml.MapSlice{{Key: "environment", Value: "production"}, {Key: "version", Value: "4.3.1"}},
	}
}

// siteCache keeps the site variables of the last site seen: they are the
// same for every page of a build. The preview changes a site in place
// when a post is saved (content.Loader.Update), giving it a new
// Site.Posts slice: the variables are made again then.
var siteCache struct {
	sync.Mutex
	site  *content.Site
	posts []*content.Page
	vars  map[string]any
}

// sameSlice tells whether a and b are one slice: the same elements in
// the same memory.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// siteVars returns site.*: site.toml's [params] at the top level, as
// Jekyll's _config.yml keys are, then title, description, url, baseurl,
// author, time, posts, pages, tags and categories. read reads a file of
// the site, for the order of the posts' front matter mappings.
func siteVars(s *content.Site, read func(string) ([]byte, error)) map[string]any {
	if s == nil || s.Config == nil {
		return map[string]any{}
	}
	siteCache.Lock()
	defer siteCache.Unlock()
	if siteCache.site == s && sameSlice(siteCache.posts, s.Posts) {
		return siteCache.vars
	}
	cfg := s.Config
	v := make(map[string]any, len(cfg.Params)+12)
	for k, p := range cfg.Params {
		// site.toml's order is not kept: its hashes iterate in key order.
		v[k] = sortedValue(p)
	}
	siteURL, baseURL := splitBaseURL(cfg.BaseURL)
	v["title"] = cfg.Title
	v["description"] = cfg.Description
	v["url"] = siteURL
	v["baseurl"] = baseURL
	v["lang"] = cfg.Language
	v["timezone"] = cfg.Timezone
	v["author"] = yaml.MapSlice{{Key: "name", Value: cfg.Author.Name}, {Key: "email", Value: cfg.Author.Email}}
	v["time"] = time.Now()
	// Jekyll reads the posts oldest first; site.posts and each list of
	// site.tags and site.categories are newest first, and the hashes
	// have their keys in the order the posts, oldest first, add them.
	oldest := jekyllOrder(s.Posts)
	posts := make([]any, len(oldest))
	tags, categories := postHash{}, postHash{}
	for i, p := range oldest {
		pv := docVars(p, read)
		posts[len(oldest)-1-i] = pv
		for _, t := range pv["tags"].([]any) {
			tags.add(t.(string), pv)
		}
		for _, c := range pv["categories"].([]any) {
			categories.add(c.(string), pv)
		}
	}
	v["posts"] = posts
	pages := make([]any, len(s.Pages))
	for i, p := range s.Pages {
		pages[i] = docVars(p, read)
	}
	v["pages"] = pages
	v["tags"] = tags.newestFirst()
	v["categories"] = categories.newestFirst()
	siteCache.site, siteCache.posts, siteCache.vars = s, s.Posts, v
	return v
}

// jekyllOrder returns the posts in the order Jekyll sorts them: by date,
// then by file path, oldest first. (content.Site.Posts orders posts of
// one date by URL.)
func jekyllOrder(posts []*content.Page) []*content.Page {
	out := slices.Clone(posts)
	slices.SortStableFunc(out, func(a, b *content.Page) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
	return out
}

// postHash is Jekyll's site.tags or site.categories as it is built: a
// hash from name to posts, the names in the order first added.
type postHash struct {
	names []string
	posts map[string][]any
}

func (h *postHash) add(name string, post any) {
	if h.posts == nil {
		h.posts = map[string][]any{}
	}
	if _, seen := h.posts[name]; !seen {
		h.names = append(h.names, name)
	}
	h.posts[name] = append(h.posts[name], post)
}

// newestFirst is the hash as Liquid sees it, each list of posts (added
// oldest first) reversed.
func (h *postHash) newestFirst() yaml.MapSlice {
	out := make(yaml.MapSlice, len(h.names))
	for i, name := range h.names {
		list := h.posts[name]
		slices.Reverse(list)
		out[i] = yaml.MapItem{Key: name, Value: list}
	}
	return out
}

// splitBaseURL splits base_url as Jekyll's url and baseurl:
// "https://example.org/blog/" → "https://example.org", "/blog".
func splitBaseURL(base string) (siteURL, basePath string) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return strings.TrimSuffix(base, "/"), ""
	}
	return u.Scheme + "://" + u.Host, strings.TrimSuffix(u.Path, "/")
}

// basePath is the site's base path with a trailing slash: "/" or "/blog/".
func (x *expander) basePath() string {
	if s := x.env.Site(); s != nil && s.Config != nil {
		_, p := splitBaseURL(s.Config.BaseURL)
		return p + "/"
	}
	return "/"
}

// docVars are the variables of a page as site.posts and page show it:
// its front matter, then title, date, url, tags, categories, slug, path,
// id and excerpt. Its front matter's mappings are ordered maps in the
// order written (read from the page's file with read), in sorted order
// when the file cannot be read so.
func docVars(p *content.Page, read func(string) ([]byte, error)) map[string]any {
	v := make(map[string]any, len(p.Params)+10)
	var written map[string]any
	parsed := false
	for k, val := range p.Params {
		if containsMap(val) {
			if !parsed && read != nil {
				parsed = true
				if src, err := read(p.Path); err == nil {
					written = orderedFrontMatter(src)
				}
			}
			if o, ok := written[k]; ok {
				val = o
			} else {
				val = sortedValue(val)
			}
		}
		v[k] = val
	}
	v["title"] = p.Title
	if !p.Date.IsZero() {
		v["date"] = p.Date
	}
	if !p.Updated.IsZero() {
		v["last_modified_at"] = p.Updated
	}
	v["url"] = p.URL
	v["id"] = strings.TrimSuffix(p.URL, "/")
	v["tags"] = stringsAny(listParam(p.Params, "tags"))
	v["categories"] = stringsAny(categoryNames(p.Params))
	v["slug"] = fileSlug(p.Path)
	if p.Slug != "" {
		v["slug"] = p.Slug
	}
	v["path"] = p.Path
	v["name"] = path.Base(p.Path)
	v["draft"] = p.Draft
	if p.Author != "" {
		v["author"] = p.Author
	}
	v["excerpt"] = excerpt(p)
	return v
}

// pageVars are page.*: the page's variables.
func (x *expander) pageVars() map[string]any {
	if x.page == nil {
		return map[string]any{}
	}
	return docVars(x.page, x.env.ReadFile)
}

// excerpt is a page's summary Markdown, or its first paragraph.
func excerpt(p *content.Page) string {
	if p.SummarySource != nil {
		return string(p.SummarySource)
	}
	body := strings.TrimLeft(string(p.Body), " \t\r\n")
	if i := strings.Index(body, "\n\n"); i >= 0 {
		body = body[:i]
	}
	return strings.TrimSpace(body)
}

// listParam reads the first of keys that a page's front matter has as a
// list of names: a list (numbers and booleans in it written as names),
// or a string of comma-separated names (or of space-separated names, as
// Jekyll reads tags).
func listParam(params map[string]any, keys ...string) []string {
	for _, k := range keys {
		switch v := params[k].(type) {
		case []any:
			out := make([]string, 0, len(v))
			for _, e := range v {
				switch e := e.(type) {
				case string:
					if e != "" {
						out = append(out, e)
					}
				case int, int64, uint64, float64, bool:
					out = append(out, fmt.Sprint(e))
				}
			}
			return out
		case string:
			sep := ","
			if !strings.Contains(v, ",") {
				return strings.Fields(v)
			}
			var out []string
			for _, s := range strings.Split(v, sep) {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
			return out
		}
	}
	return nil
}

// categoryNames are a page's categories as Jekyll reads them: those of
// categories, then category's (a string there is one name), each once.
func categoryNames(params map[string]any) []string {
	names := listParam(params, "categories")
	if c, ok := params["category"].(string); ok {
		if c = strings.TrimSpace(c); c != "" {
			names = append(names, c)
		}
	} else {
		names = append(names, listParam(params, "category")...)
	}
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func stringsAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
