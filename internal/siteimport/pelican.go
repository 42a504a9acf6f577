package siteimport

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/siteblog/site/content"
)

// pelicanSettings are Pelican's own settings that have no equivalent;
// every other UPPERCASE setting is a theme's variable and becomes a param.
var pelicanSettings = strings.Fields(`THEME THEME_STATIC_DIR THEME_STATIC_PATHS THEME_TEMPLATES_OVERRIDES
	PLUGINS PLUGIN_PATHS MARKDOWN TYPOGRIFY TYPOGRIFY_IGNORE_TAGS TYPOGRIFY_DASHES JINJA_ENVIRONMENT
	JINJA_FILTERS JINJA_GLOBALS JINJA_TESTS DIRECT_TEMPLATES TEMPLATE_PAGES TEMPLATE_EXTENSIONS
	CACHE_CONTENT CACHE_PATH CONTENT_CACHING_LAYER CHECK_MODIFIED_METHOD LOAD_CONTENT_CACHE GZIP_CACHE
	OUTPUT_PATH OUTPUT_SOURCES OUTPUT_SOURCES_EXTENSION OUTPUT_RETENTION DELETE_OUTPUT_DIRECTORY
	RELATIVE_URLS DEFAULT_DATE DEFAULT_DATE_FORMAT DATE_FORMATS LOCALE DEFAULT_CATEGORY
	USE_FOLDER_AS_CATEGORY DEFAULT_ORPHANS PAGINATION_PATTERNS SUMMARY_MAX_LENGTH SUMMARY_MAX_PARAGRAPHS
	SUMMARY_END_SUFFIX IGNORE_FILES READERS FILENAME_METADATA PATH_METADATA ARTICLE_ORDER_BY
	PAGE_ORDER_BY NEWEST_FIRST_ARCHIVES REVERSE_CATEGORY_ORDER STATIC_EXCLUDES STATIC_EXCLUDE_SOURCES
	STATIC_CREATE_LINKS STATIC_CHECK_IF_MODIFIED WITH_FUTURE_DATES PYGMENTS_RST_OPTIONS
	DOCUTILS_SETTINGS LOG_FILTER DEFAULT_METADATA ARTICLE_TRANSLATION_ID PAGE_TRANSLATION_ID
	INTRASITE_LINK_REGEX FORMATTED_FIELDS PORT BIND SLUG_REGEX_SUBSTITUTIONS
	AUTHOR_REGEX_SUBSTITUTIONS CATEGORY_REGEX_SUBSTITUTIONS TAG_REGEX_SUBSTITUTIONS
	SLUGIFY_USE_UNICODE SLUGIFY_PRESERVE_CASE LINKS SOCIAL`)

var pelicanReasons = map[string]string{
	"THEME":                  "themes are not converted; the default theme is used (override its files under themes/NAME/)",
	"PLUGINS":                "plugins do not run; a plugin's tag can be written as a template in themes/NAME/shortcodes/",
	"PLUGIN_PATHS":           "plugins do not run",
	"MARKDOWN":               "Markdown is rendered by goldmark with GFM and chroma",
	"RELATIVE_URLS":          "links are kept as written",
	"WITH_FUTURE_DATES":      "site build --future",
	"LINKS":                  "menus and link lists are the theme's",
	"SOCIAL":                 "menus and link lists are the theme's",
	"USE_FOLDER_AS_CATEGORY": "folder categories always apply: a post in a folder of content/posts/ that names no category is tagged with the folder's name",
}

// pelicanReason says why a Pelican setting is not mapped, or "" for a
// theme's variable.
func pelicanReason(name string) string {
	if r, ok := pelicanReasons[name]; ok {
		return r
	}
	switch {
	case strings.Contains(name, "FEED"):
		return "feeds are always /feed.xml (Atom), /rss.xml and /feed.json"
	case pelicanPathSetting(name):
		return "the output paths of tags, archives and pages are fixed (/tags/NAME/, /archive/, /NAME/)"
	case strings.HasPrefix(name, "DISPLAY_") || strings.HasPrefix(name, "MENU"):
		return "menus are the theme's"
	case strings.HasPrefix(name, "ARTICLE_LANG") || strings.HasPrefix(name, "PAGE_LANG") || strings.HasPrefix(name, "DRAFT_") || strings.HasPrefix(name, "TRANSLATION"):
		return "no equivalent (one language per site; drafts are left out)"
	}
	for _, s := range pelicanSettings {
		if s == name {
			return "a Pelican setting with no equivalent"
		}
	}
	return ""
}

var pelicanToken = regexp.MustCompile(`\{[^}]*\}`)

// pelicanPermalink maps ARTICLE_URL to ours: {slug} is :slug
// (:slugorfilename when SLUGIFY_SOURCE is "basename"), {date:%Y}, {date:%m} and {date:%d}
// are :year, :month and :day, {category} is :pelican_category.
func pelicanPermalink(url, slugSource string) (string, error) {
	var bad []string
	out := pelicanToken.ReplaceAllStringFunc(url, func(tok string) string {
		switch strings.ReplaceAll(tok, " ", "") {
		case "{slug}":
			if slugSource == "basename" {
				return ":slugorfilename" // a Slug: given, else the file name
			}
			return ":slug"
		case "{date:%Y}":
			return ":year"
		case "{date:%m}":
			return ":month"
		case "{date:%d}":
			return ":day"
		case "{category}":
			return ":pelican_category"
		}
		bad = append(bad, tok)
		return tok
	})
	if len(bad) > 0 {
		return "", fmt.Errorf("%s has no equivalent (here: {slug}, {date:%%Y}, {date:%%m}, {date:%%d}, {category})", strings.Join(bad, ", "))
	}
	if !strings.Contains(out, ":slug") && !strings.Contains(out, ":filename") {
		return "", fmt.Errorf("no {slug}: posts would share a URL")
	}
	return "/" + strings.TrimPrefix(out, "/"), nil
}

type pelicanConf struct {
	file  string
	vals  map[string]pyAssign
	order []string
	used  map[string]bool
}

func loadPelican(dir, file string) (*pelicanConf, error) {
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	c := &pelicanConf{file: file, vals: map[string]pyAssign{}, used: map[string]bool{}}
	for _, a := range parsePy(string(data)) {
		if a.Name == "" {
			c.vals[fmt.Sprintf(" %06d", a.Line)] = a
		} else if _, ok := c.vals[a.Name]; !ok {
			c.order = append(c.order, a.Name)
		}
		if a.Name != "" {
			c.vals[a.Name] = a // the last assignment wins, as in Python
		}
	}
	return c, nil
}

func (c *pelicanConf) line(name string) int { return c.vals[name].Line }

func (c *pelicanConf) get(name string) (any, bool) {
	a, ok := c.vals[name]
	c.used[name] = true
	if !ok || a.Err != nil {
		return nil, false
	}
	return a.Value, true
}

func (c *pelicanConf) str(name, def string) (string, error) {
	v, ok := c.get(name)
	if !ok {
		if a, found := c.vals[name]; found && a.Err != nil {
			return "", fmt.Errorf("%s:%d: %s: %v", c.file, a.Line, name, a.Err)
		}
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s:%d: %s: want a string, not %v", c.file, c.line(name), name, v)
	}
	return s, nil
}

func (c *pelicanConf) list(name string, def []string) ([]string, error) {
	v, ok := c.get(name)
	if !ok {
		return def, nil
	}
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s:%d: %s: want a list of paths, not %v", c.file, c.line(name), name, v)
	}
	var out []string
	for _, e := range items {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("%s:%d: %s: want a list of paths, not %v", c.file, c.line(name), name, v)
		}
		out = append(out, strings.Trim(s, "/"))
	}
	return out, nil
}

// pelicanLiquidTags reports whether PLUGINS names the liquid_tags plugin
// (or one of its modules: "liquid_tags.img", "pelican.plugins.liquid_tags"),
// and its line. PLUGINS stays unread, so its note is still written.
func pelicanLiquidTags(c *pelicanConf) (int, bool) {
	a, ok := c.vals["PLUGINS"]
	if !ok || a.Err != nil {
		return 0, false
	}
	items, _ := a.Value.([]any)
	for _, e := range items {
		if s, ok := e.(string); ok && slices.Contains(strings.Split(s, "."), "liquid_tags") {
			return a.Line, true
		}
	}
	return 0, false
}

func readPelican(dir string, p *Plan) error {
	c, err := loadPelican(dir, p.ConfigFile)
	if err != nil {
		return err
	}
	cfg := &p.Config
	cfg.Liquid = ptr(false) // {{ site.url }} in a post is text there, not Liquid
	cfg.noAutolink()        // Python-Markdown links no bare URL
	if line, ok := pelicanLiquidTags(c); ok {
		p.note(c.file, line, "PLUGINS: liquid_tags: a {%% tag %%} runs the shortcode of its name (themes/NAME/shortcodes/); a tag of the plugin without one is a warning and stays as written; {%% literal … %%} works")
	}
	cfg.Taxonomies = []string{"tags", "category"}
	if cfg.Title, err = c.str("SITENAME", ""); err != nil {
		return err
	}
	if cfg.Description, err = c.str("SITESUBTITLE", ""); err != nil {
		return err
	}
	site, err := c.str("SITEURL", "")
	if err != nil {
		return err
	}
	if site == "" && exists(dir, "publishconf.py") {
		pub, err := loadPelican(dir, "publishconf.py")
		if err != nil {
			return err
		}
		if site, err = pub.str("SITEURL", ""); err != nil {
			return err
		}
	}
	cfg.BaseURL = joinURL(site, "")
	if cfg.Language, err = c.str("DEFAULT_LANG", ""); err != nil {
		return err
	}
	name, err := c.str("AUTHOR", "")
	if err != nil {
		return err
	}
	if name != "" {
		cfg.Author = &Author{Name: name}
	}
	tz, err := c.str("TIMEZONE", "")
	if err != nil {
		return err
	}
	setTimezone(p, c.file, c.line("TIMEZONE"), "TIMEZONE", tz, false)
	if v, ok := c.get("DEFAULT_DATE"); ok {
		if v == "fs" {
			cfg.DefaultDate = "file" // the file's modification time
		} else {
			p.note(c.file, c.line("DEFAULT_DATE"), "DEFAULT_DATE: %v not mapped: a post without a date is an error naming it", v)
		}
	}
	if v, ok := c.get("DEFAULT_PAGINATION"); ok {
		switch n := v.(type) {
		case int64:
			cfg.Paginate = int(n)
		case bool:
			if !n {
				p.note(c.file, c.line("DEFAULT_PAGINATION"), "DEFAULT_PAGINATION: False not mapped: index pages always paginate (paginate, default 10)")
			}
		default:
			return fmt.Errorf("%s:%d: DEFAULT_PAGINATION: want a number or False, not %v", c.file, c.line("DEFAULT_PAGINATION"), v)
		}
	}
	slugSource, err := c.str("SLUGIFY_SOURCE", "title")
	if err != nil {
		return err
	}
	url, err := c.str("ARTICLE_URL", "{slug}.html")
	if err != nil {
		return err
	}
	c.used["ARTICLE_SAVE_AS"] = true
	if pl, err := pelicanPermalink(url, slugSource); err != nil {
		p.note(c.file, c.line("ARTICLE_URL"), "ARTICLE_URL: %q not mapped: %v; posts are at the default /:year/:month/:slug/", url, err)
	} else {
		cfg.Permalink = pl
	}
	if err := pelicanFiles(dir, p, c); err != nil {
		return err
	}
	for _, name := range c.order {
		a := c.vals[name]
		if c.used[name] || strings.ToUpper(name) != name {
			continue
		}
		if reason := pelicanReason(name); reason != "" {
			p.note(c.file, a.Line, "%s: not mapped: %s", name, reason)
			continue
		}
		if a.Err != nil {
			p.note(c.file, a.Line, "%s: not mapped: %v", name, a.Err)
			continue
		}
		if !plainParam(a.Value) {
			p.note(c.file, a.Line, "%s: not mapped: only strings, numbers, True/False and lists of strings become params", name)
			continue
		}
		setParam(p, strings.ToLower(name), a.Value)
	}
	var others []string
	for k := range c.vals {
		if strings.HasPrefix(k, " ") {
			others = append(others, k)
		}
	}
	sort.Strings(others)
	for _, k := range others {
		p.note(c.file, c.vals[k].Line, "not read: %v; only plain assignments (NAME = value) are read", c.vals[k].Err)
	}
	return nil
}

func plainParam(v any) bool {
	switch x := v.(type) {
	case string, int64, float64, bool:
		return true
	case []any:
		for _, e := range x {
			if _, ok := e.(string); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// pelicanLink is a {static} or {attach} link (or the old |static| form)
// in a Markdown source: in a quoted attribute up to the quote, in an
// angle-bracketed destination up to the ">", else up to a space, quote,
// ")" or ">".
var pelicanLink = regexp.MustCompile(`"[{|](?:static|attach)[}|]([^"\n]+)"|'[{|](?:static|attach)[}|]([^'\n]+)'|<[{|](?:static|attach)[}|]([^>\n]+)>|[{|](?:static|attach)[}|]([^\s)"'>]+)`)

// pelicanStaticLinks lists the files under the content root that the
// Markdown file rel (relative to it) links with {static} or {attach}, as
// Pelican's get_static_links finds them: a path starting with "/" from
// the content root, another relative to the file's directory; query and
// fragment dropped, %20 read as a space.
func pelicanStaticLinks(src []byte, rel string) []string {
	var out []string
	for _, m := range pelicanLink.FindAllSubmatch(src, -1) {
		v := string(bytes.Join(m[1:], nil)) // the one group that matched
		if i := strings.IndexAny(v, "?#"); i >= 0 {
			v = v[:i]
		}
		v = strings.ReplaceAll(v, "%20", " ")
		if v == "" {
			continue
		}
		if strings.HasPrefix(v, "/") {
			v = path.Clean(v)[1:]
		} else {
			v = path.Join(path.Dir(rel), v)
		}
		if v != "." && !strings.HasPrefix(v, "../") {
			out = append(out, v)
		}
	}
	return out
}

// pelicanFiles plans the copies of a Pelican site: articles into
// content/posts/, pages into content/, static paths and the other files
// posts and pages link with {static} or {attach} to the same path under
// content/ (so {static} links resolve), or where EXTRA_PATH_METADATA's
// path puts them.
func pelicanFiles(dir string, p *Plan, c *pelicanConf) error {
	root, err := c.str("PATH", "content")
	if err != nil {
		return err
	}
	if filepath.IsAbs(root) {
		return fmt.Errorf("%s:%d: PATH: %s is absolute; import reads a content directory inside the site", c.file, c.line("PATH"), root)
	}
	root = path.Clean(filepath.ToSlash(root))
	articles, err := c.list("ARTICLE_PATHS", []string{""})
	if err != nil {
		return err
	}
	pages, err := c.list("PAGE_PATHS", []string{"pages"})
	if err != nil {
		return err
	}
	static, err := c.list("STATIC_PATHS", []string{"images"})
	if err != nil {
		return err
	}
	excludes, err := c.list("ARTICLE_EXCLUDES", nil)
	if err != nil {
		return err
	}
	extra := map[string]string{}
	if v, ok := c.get("EXTRA_PATH_METADATA"); ok {
		m, _ := v.(map[string]any)
		for k, meta := range m {
			if mm, ok := meta.(map[string]any); ok {
				if to, ok := mm["path"].(string); ok {
					extra[strings.Trim(k, "/")] = strings.Trim(to, "/")
				}
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(root))); errors.Is(err, fs.ErrNotExist) {
		p.note(c.file, c.line("PATH"), "PATH: %s does not exist; no content imported", root)
		return nil
	}
	under := func(rel string, dirs []string) (string, bool) {
		for _, d := range dirs {
			if d == "" || d == "." {
				return rel, true
			}
			if rel == d {
				return path.Base(rel), true
			}
			if strings.HasPrefix(rel, d+"/") {
				return strings.TrimPrefix(rel, d+"/"), true
			}
		}
		return "", false
	}
	pagesSeen := false
	// Files outside STATIC_PATHS that a post or page links with {static}
	// or {attach}: Pelican publishes them too (static_links).
	linked := map[string]bool{}
	var unlisted []string
	readLinks := func(full, rel string) error {
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(full)))
		if err != nil {
			return fmt.Errorf("reading %s: %w", full, err)
		}
		for _, l := range pelicanStaticLinks(src, rel) {
			linked[l] = true
		}
		return nil
	}
	prefix := root + "/"
	if root == "." {
		prefix = ""
	}
	skip := map[string]bool{"output": true, "__pycache__": true}
	err = walk(dir, root, skip, func(full string) error {
		rel := strings.TrimPrefix(full, prefix)
		if to, ok := extra[rel]; ok {
			p.copy(full, "static/"+to)
			return nil
		}
		if _, ok := under(rel, static); ok {
			p.copy(full, "content/"+rel)
			return nil
		}
		if r, ok := under(rel, pages); ok {
			if content.IsMarkdown(rel) {
				p.copy(full, "content/"+r)
				pagesSeen = true
				return readLinks(full, rel)
			} else {
				p.note(full, 0, "not imported: only Markdown pages are read")
			}
			return nil
		}
		if _, ex := under(rel, excludes); ex && len(excludes) > 0 {
			return nil
		}
		r, ok := under(rel, articles)
		switch {
		case !ok:
			p.note(full, 0, "not imported: neither an article, a page nor a static file")
		case content.IsMarkdown(rel):
			// Its directories come along: the one it is in is its
			// category when it names none, as in Pelican (content's
			// folder category).
			p.copy(full, "content/posts/"+r)
			return readLinks(full, rel)
		case strings.HasSuffix(rel, ".rst"):
			p.note(full, 0, "not imported: reStructuredText is not read; only Markdown")
		default:
			unlisted = append(unlisted, full)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, full := range unlisted {
		if rel := strings.TrimPrefix(full, prefix); linked[rel] {
			p.copy(full, "content/"+rel)
		} else {
			p.note(full, 0, "not imported: not in STATIC_PATHS nor linked with {static} or {attach}, so Pelican did not publish it")
		}
	}
	if pagesSeen {
		pageURL, err := c.str("PAGE_URL", "pages/{slug}.html")
		if err != nil {
			return err
		}
		c.used["PAGE_SAVE_AS"] = true
		if pageURL != "{slug}/" {
			p.note(c.file, c.line("PAGE_URL"), "PAGE_URL: %q not mapped: a page is at /NAME/, NAME its file name", pageURL)
		}
	}
	return nil
}

// pelicanPathSetting reports whether name is one of Pelican's settings of
// output URLs and input paths (TAG_URL, PAGE_SAVE_AS, STATIC_EXCLUDES …),
// not a theme's variable such as GITHUB_URL.
func pelicanPathSetting(name string) bool {
	for _, prefix := range []string{"ARTICLE_", "PAGE_", "DRAFT_", "AUTHOR_", "AUTHORS_", "CATEGORY_", "CATEGORIES_", "TAG_", "TAGS_", "ARCHIVES_", "YEAR_ARCHIVE_", "MONTH_ARCHIVE_", "DAY_ARCHIVE_", "INDEX_", "STATIC_", "THEME_"} {
		if strings.HasPrefix(name, prefix) {
			for _, suffix := range []string{"_URL", "_SAVE_AS", "_PATHS", "_EXCLUDES"} {
				if strings.HasSuffix(name, suffix) {
					return true
				}
			}
		}
	}
	return false
}
