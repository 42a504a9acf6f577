package siteimport

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/siteblog/site/content"
)

var hugoReasons = map[string]string{
	"theme":                  "themes are not converted; the default theme is used (override its files under themes/NAME/)",
	"menu":                   "menus are the theme's",
	"menus":                  "menus are the theme's",
	"outputs":                "outputs are fixed: pages, Atom, RSS and JSON feeds, sitemap",
	"outputformats":          "outputs are fixed: pages, Atom, RSS and JSON feeds, sitemap",
	"mediatypes":             "outputs are fixed: pages, Atom, RSS and JSON feeds, sitemap",
	"module":                 "Hugo modules are not read",
	"languages":              "one language per site",
	"services":               "third-party services are not embedded",
	"googleanalytics":        "third-party services are not embedded",
	"disqusshortname":        "third-party services are not embedded",
	"enablerobotstxt":        "robots.txt is always written",
	"builddrafts":            "site build --drafts",
	"buildfuture":            "site build --future",
	"buildexpired":           "no equivalent: expiryDate is not read",
	"summarylength":          "a summary ends at <!--more--> or the first paragraph",
	"markup":                 "Markdown is rendered by goldmark with GFM and chroma",
	"copyright":              "the footer is the theme's",
	"related":                "related content is not computed",
	"sitemap":                "the sitemap is always written",
	"security":               "no equivalent",
	"caches":                 "the build cache is .site-cache/",
	"imaging":                "images are copied as they are",
	"minify":                 "pages are not minified",
	"enableemoji":            "emoji shortcodes are not expanded",
	"enablegitinfo":          "no equivalent",
	"pluralizelisttitles":    "list titles are the theme's",
	"canonifyurls":           "links are kept as written",
	"relativeurls":           "links are kept as written",
	"ignorefiles":            "every file under content/ and static/ is read",
	"publishdir":             "the output directory is site build -o",
	"defaultcontentlanguage": "one language per site; languageCode sets language",
}

var hugoToken = regexp.MustCompile(`:[a-z_]+`)

// hugoPermalink maps a Hugo permalink pattern to ours: Hugo's :title,
// :slug, :filename and :slugorfilename are :hugo_title, :hugo_slug,
// :hugo_filename and :hugo_slugorfilename (Hugo keeps a date that starts
// a file name), :contentbasename and :slugorcontentbasename the last two,
// :sections is :section; the rest keep their names. A pattern ends in "/", or in ".html" with ugly.
func hugoPermalink(pl string, ugly bool) (string, error) {
	var bad []string
	out := hugoToken.ReplaceAllStringFunc(pl, func(tok string) string {
		switch tok {
		case ":year", ":month", ":day", ":section":
			return tok
		case ":title":
			return ":hugo_title"
		case ":slug":
			return ":hugo_slug"
		case ":filename", ":contentbasename":
			return ":hugo_filename"
		case ":slugorfilename", ":slugorcontentbasename":
			return ":hugo_slugorfilename"
		case ":sections":
			return ":section"
		}
		bad = append(bad, tok)
		return tok
	})
	if len(bad) > 0 {
		return "", fmt.Errorf("%s has no equivalent (tokens here: :year :month :day :title :slug :filename :slugorfilename :section)", strings.Join(bad, ", "))
	}
	if !strings.Contains(out, ":hugo_") && !strings.Contains(out, ":filename") && !strings.Contains(out, ":slugorfilename") {
		return "", fmt.Errorf("no :title, :slug or :filename: posts would share a URL")
	}
	if !strings.HasPrefix(out, "/") {
		out = "/" + out
	}
	out = strings.TrimSuffix(out, "/")
	if ugly {
		out += ".html"
	} else {
		out += "/"
	}
	return out, nil
}

// hugoConfig reads a Hugo configuration: the file, and for
// config/_default/ the files beside it whose names are top-level keys
// (params.toml, permalinks.toml, menus.toml, markup.toml …).
func hugoConfig(dir, file string) (*conf, []*conf, error) {
	c, err := loadConf(dir, file, true)
	if err != nil {
		return nil, nil, err
	}
	if !strings.HasPrefix(file, "config/_default/") {
		return c, nil, nil
	}
	entries, err := os.ReadDir(filepath.Join(dir, "config", "_default"))
	if err != nil {
		return nil, nil, err
	}
	var extra []*conf
	for _, e := range entries {
		name := e.Name()
		rel := "config/_default/" + name
		ext := path.Ext(name)
		key := strings.ToLower(strings.TrimSuffix(name, ext))
		if rel == file || e.IsDir() || (ext != ".toml" && ext != ".yaml" && ext != ".yml") || key == "hugo" || key == "config" {
			continue
		}
		sub, err := loadConf(dir, rel, true)
		if err != nil {
			return nil, nil, err
		}
		if _, ok := c.m[key]; !ok {
			c.m[key] = sub.m
			if c.files == nil {
				c.files = map[string]string{}
			}
			c.files[key] = rel
			for k, l := range sub.lines {
				c.lines[key+"."+k] = l
			}
		}
		extra = append(extra, sub)
	}
	return c, extra, nil
}

func readHugo(dir string, p *Plan) error {
	c, _, err := hugoConfig(dir, p.ConfigFile)
	if err != nil {
		return err
	}
	cfg := &p.Config
	cfg.Liquid = ptr(false) // {{ site.url }} in a post is text there, not Liquid
	if cfg.Title, err = c.str("title"); err != nil {
		return err
	}
	base, err := c.str("baseurl")
	if err != nil {
		return err
	}
	cfg.BaseURL = joinURL(base, "")
	if cfg.Language, err = c.str("languagecode"); err != nil {
		return err
	}
	tz, err := c.str("timezone")
	if err != nil {
		return err
	}
	setTimezone(p, c.file, c.line("timezone"), "timezone", tz, false)
	if cfg.Paginate, err = c.num("pagination.pagersize"); err != nil {
		return err
	}
	if cfg.Paginate == 0 {
		if cfg.Paginate, err = c.num("paginate"); err != nil {
			return err
		}
	}
	if cfg.Author, err = author(c, "author"); err != nil {
		return err
	}
	if cfg.Author == nil {
		if cfg.Author, err = author(c, "params.author"); err != nil {
			return err
		}
	}
	if v, ok := c.get("params"); ok {
		m, _ := v.(map[string]any)
		for k, v := range m {
			setParam(p, k, v)
		}
		if d, ok := m["description"].(string); ok {
			cfg.Description = d
		}
	}
	unsafe, _, err := c.boolean("markup.goldmark.renderer.unsafe")
	if err != nil {
		return err
	}
	cfg.RawHTML = "omit"
	if unsafe {
		cfg.RawHTML = "pass"
	}
	cfg.RelativeAliases = "section"
	style, err := c.str("markup.highlight.style")
	if err != nil {
		return err
	}
	lineNos, set, err := c.boolean("markup.highlight.linenos")
	if err != nil {
		return err
	}
	if style != "" || set {
		cfg.Highlight = &Highlight{Light: style}
		if set {
			cfg.Highlight.LineNumbers = &lineNos
		}
	}
	if cfg.Markdown, err = hugoTOC(c); err != nil {
		return err
	}
	if linkify, set, err := c.boolean("markup.goldmark.extensions.linkify"); err != nil {
		return err
	} else if set && !linkify {
		cfg.noAutolink()
	}
	hugoTaxonomies(c, p)
	ugly, _, err := c.boolean("uglyurls")
	if err != nil {
		return err
	}
	sections, err := hugoSections(dir, c)
	if err != nil {
		return err
	}
	if sections, err = postSections(dir, p, sections); err != nil {
		return err
	}
	if len(sections) != 1 || sections[0] != "posts" {
		cfg.Sections = sections
	}
	hugoPermalinks(c, p, sections, ugly)
	c.unused(p, hugoReasons)
	return hugoFiles(dir, p, c)
}

// hugoTaxonomies sets which of tags and categories are taxonomies (both,
// by Hugo's default), so that a plain key such as a singular category is
// not read as tags, and notes the other taxonomies.
func hugoTaxonomies(c *conf, p *Plan) {
	p.Config.Taxonomies = []string{"tags", "categories"}
	v, ok := c.get("taxonomies")
	if !ok {
		return
	}
	p.Config.Taxonomies = nil
	m, _ := v.(map[string]any)
	keys := slices.Sorted(maps.Keys(m))
	for _, k := range keys {
		if name, _ := m[k].(string); name != "tags" && name != "categories" {
			p.note(c.fileOf("taxonomies"), c.line("taxonomies."+k), "taxonomies.%s: not mapped: only tags and categories (both tags here) are read", k)
		} else {
			p.Config.Taxonomies = append(p.Config.Taxonomies, name)
		}
	}
}

// hugoSections are the candidate sections of posts: params.mainSections,
// else the sections [permalinks] names, else the content directory with
// the most dated Markdown files.
func hugoSections(dir string, c *conf) ([]string, error) {
	var out []string
	params, _ := c.m["params"].(map[string]any)
	if v, ok := params["mainsections"]; ok {
		list, _ := v.([]any)
		for _, s := range list {
			if s, ok := s.(string); ok && exists(dir, "content/"+s) {
				out = append(out, s)
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	for _, table := range []string{"permalinks.page", "permalinks"} {
		v, _ := c.get(table)
		m, _ := v.(map[string]any)
		for k, v := range m {
			if _, ok := v.(string); ok && exists(dir, "content/"+k) {
				out = append(out, k)
			}
		}
		if len(out) > 0 {
			sort.Strings(out)
			return out, nil
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "content"))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	best, most := "posts", 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n := 0
		err := walk(dir, "content/"+e.Name(), nil, func(rel string) error {
			if content.IsMarkdown(rel) && !strings.HasPrefix(path.Base(rel), "_index.") {
				ok, err := dated(dir, rel)
				if ok {
					n++
				}
				return err
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if n > most {
			best, most = e.Name(), n
		}
	}
	return []string{best}, nil
}

// hugoPermalinks sets the permalink from [permalinks] (or
// [permalinks.page]).
func hugoPermalinks(c *conf, p *Plan, sections []string, ugly bool) {
	table := "permalinks.page"
	v, ok := c.get(table)
	if !ok {
		table = "permalinks"
		v, ok = c.get(table)
	}
	m, _ := v.(map[string]any)
	var pattern, from string
	for _, s := range sections {
		pl, ok := m[s].(string)
		if !ok {
			continue
		}
		general := strings.Replace(pl, "/"+s+"/", "/:section/", 1)
		if pattern == "" {
			pattern, from = general, s
		} else if general != pattern {
			p.note(c.fileOf(table), c.line(table+"."+s), "%s.%s: not mapped: one permalink serves every section; %s's is used", table, s, from)
		}
	}
	for k := range m {
		if _, ok := m[k].(string); ok && !slices.Contains(sections, k) {
			p.note(c.fileOf(table), c.line(table+"."+k), "%s.%s: not mapped: %s is not a section of posts", table, k, k)
		}
	}
	if pattern == "" {
		// Hugo's default: the file's directories under content/, then
		// the slug or the file name.
		p.Config.Permalink = "/:hugo_sections/:hugo_slugorfilename/"
		if ugly {
			p.Config.Permalink = "/:hugo_sections/:hugo_slugorfilename.html"
		}
		return
	}
	pl, err := hugoPermalink(pattern, ugly)
	if err != nil {
		p.note(c.fileOf(table), c.line(table+"."+from), "%s.%s: %q not mapped: %v; posts are at the default /:year/:month/:slug/", table, from, pattern, err)
		return
	}
	p.Config.Permalink = pl
}

// hugoFiles plans the copies of a Hugo site: content/ and static/ as they
// are, and shortcodes (the site's and its theme's) into
// layouts/shortcodes/.
func hugoFiles(dir string, p *Plan, c *conf) error {
	skip := map[string]bool{}
	err := walk(dir, "content", skip, func(rel string) error {
		ext := strings.ToLower(path.Ext(rel))
		switch {
		case content.IsMarkdown(rel):
			p.copy(rel, rel)
		case ext == ".org" || ext == ".adoc" || ext == ".asciidoc" || ext == ".rst" || ext == ".pandoc" || ext == ".pdc":
			p.note(rel, 0, "not imported: only Markdown content is read")
		default:
			p.copy(rel, rel)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := p.copyTree(dir, "static"); err != nil {
		return err
	}
	theme, _ := c.m["theme"].(string)
	roots := []string{"layouts/shortcodes", "layouts/_shortcodes"}
	if theme != "" {
		roots = append(roots, "themes/"+theme+"/layouts/shortcodes", "themes/"+theme+"/layouts/_shortcodes")
	}
	own := map[string]bool{}
	for _, root := range roots {
		err := walk(dir, root, nil, func(rel string) error {
			name := strings.TrimPrefix(rel, root+"/")
			if own[name] {
				return nil // the site's shortcode overrides the theme's
			}
			own[name] = true
			p.copy(rel, "layouts/shortcodes/"+name)
			return nil
		})
		if err != nil {
			return err
		}
	}
	p.noteSkipped(dir, []skippedDir{
		{"layouts", "templates are not converted (shortcodes are copied to layouts/shortcodes/)"},
		{"assets", "Hugo Pipes are not run"},
		{"data", "site data is not available to templates"},
		{"i18n", "one language per site; translations are not read"},
		{"archetypes", "site new writes its own front matter"},
		{"themes", "themes are not converted; their shortcodes are copied to layouts/shortcodes/"},
	})
	return nil
}

// hugoTOC reads the table of contents' settings: markup.tableOfContents
// startLevel and endLevel (Hugo's defaults 2 and 3 fill the one not
// given), and PaperMod's params.ShowToc, which shows it on every page.
// nil when the site sets none of them.
func hugoTOC(c *conf) (*Markdown, error) {
	start, err := c.num("markup.tableofcontents.startlevel")
	if err != nil {
		return nil, err
	}
	end, err := c.num("markup.tableofcontents.endlevel")
	if err != nil {
		return nil, err
	}
	show, set, err := c.boolean("params.showtoc")
	if err != nil {
		return nil, err
	}
	if start == 0 && end == 0 && !set {
		return nil, nil
	}
	if start == 0 {
		start = 2
	}
	if end == 0 {
		end = max(3, start)
	}
	return &Markdown{TOC: show, TOCStartLevel: start, TOCEndLevel: end}, nil
}
