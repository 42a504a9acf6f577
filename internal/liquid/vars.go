package liquid

import (
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/siteblog/site/content"
)

// bindings are the variables of a page: site, page and jekyll.
func (x *expander) bindings() map[string]any {
	shared := siteVars(x.env.Site())
	site := make(map[string]any, len(shared)+1)
	for k, v := range shared {
		site[k] = v
	}
	site["data"] = x.siteData()
	return map[string]any{
		"site":   site,
		"page":   x.pageVars(),
		"jekyll": map[string]any{"environment": "production", "version": "4.3.1"},
	}
}

// siteCache keeps the site variables of the last site seen: they are the
// same for every page of a build.
var siteCache struct {
	sync.Mutex
	site *content.Site
	vars map[string]any
}

// siteVars returns site.*: site.toml's [params] at the top level, as
// Jekyll's _config.yml keys are, then title, description, url, baseurl,
// author, time, posts, pages, tags and categories.
func siteVars(s *content.Site) map[string]any {
	if s == nil || s.Config == nil {
		return map[string]any{}
	}
	siteCache.Lock()
	defer siteCache.Unlock()
	if siteCache.site == s {
		return siteCache.vars
	}
	cfg := s.Config
	v := make(map[string]any, len(cfg.Params)+12)
	for k, p := range cfg.Params {
		v[k] = p
	}
	siteURL, baseURL := splitBaseURL(cfg.BaseURL)
	v["title"] = cfg.Title
	v["description"] = cfg.Description
	v["url"] = siteURL
	v["baseurl"] = baseURL
	v["lang"] = cfg.Language
	v["timezone"] = cfg.Timezone
	v["author"] = map[string]any{"name": cfg.Author.Name, "email": cfg.Author.Email}
	v["time"] = time.Now()
	posts := make([]any, len(s.Posts))
	byPage := make(map[*content.Page]any, len(s.Posts))
	categories := map[string][]any{}
	var catOrder []string
	for i, p := range s.Posts {
		pv := docVars(p)
		posts[i] = pv
		byPage[p] = pv
		for _, c := range listParam(p.Params, "categories", "category") {
			if _, seen := categories[c]; !seen {
				catOrder = append(catOrder, c)
			}
			categories[c] = append(categories[c], pv)
		}
	}
	v["posts"] = posts
	pages := make([]any, len(s.Pages))
	for i, p := range s.Pages {
		pages[i] = docVars(p)
	}
	v["pages"] = pages
	tags := make(map[string]any, len(s.Tags))
	for _, t := range s.Tags {
		list := make([]any, 0, len(t.Posts))
		for _, p := range t.Posts {
			if pv, ok := byPage[p]; ok {
				list = append(list, pv)
			}
		}
		tags[t.Name] = list
	}
	v["tags"] = tags
	cats := make(map[string]any, len(categories))
	for _, c := range catOrder {
		cats[c] = categories[c]
	}
	v["categories"] = cats
	siteCache.site, siteCache.vars = s, v
	return v
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
// id and excerpt.
func docVars(p *content.Page) map[string]any {
	v := make(map[string]any, len(p.Params)+10)
	for k, val := range p.Params {
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
	v["categories"] = stringsAny(listParam(p.Params, "categories", "category"))
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

// pageVars are page.*: the page's variables, its front matter's
// mappings in the order written.
func (x *expander) pageVars() map[string]any {
	if x.page == nil {
		return map[string]any{}
	}
	v := docVars(x.page)
	if src, err := x.env.ReadFile(x.page.Path); err == nil {
		for k, m := range orderedMaps(src) {
			if _, isMap := v[k].(map[string]any); isMap {
				v[k] = m
			}
		}
	}
	return v
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
// list of strings: a list, or a string of comma-separated names (or of
// space-separated names, as Jekyll reads tags).
func listParam(params map[string]any, keys ...string) []string {
	for _, k := range keys {
		switch v := params[k].(type) {
		case []any:
			out := make([]string, 0, len(v))
			for _, e := range v {
				if s, ok := e.(string); ok && s != "" {
					out = append(out, s)
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

func stringsAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
