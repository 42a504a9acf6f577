package siteimport

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/siteblog/site/content"
)

var zolaReasons = map[string]string{
	"theme":                       "themes are not converted; the default theme is used (override its files under themes/NAME/)",
	"compile_sass":                "Sass is not compiled",
	"build_search_index":          "no search index is built",
	"generate_feed":               "feeds are always /feed.xml (Atom), /rss.xml and /feed.json",
	"generate_feeds":              "feeds are always /feed.xml (Atom), /rss.xml and /feed.json",
	"feed_filename":               "feeds are always /feed.xml (Atom), /rss.xml and /feed.json",
	"feed_filenames":              "feeds are always /feed.xml (Atom), /rss.xml and /feed.json",
	"feed_limit":                  "[feed] limit is the number of posts in each feed",
	"languages":                   "one language per site",
	"translations":                "one language per site",
	"markdown":                    "Markdown is rendered by goldmark with GFM, smart punctuation and chroma",
	"slugify":                     "slugs from titles are normalized, slugs from file names kept",
	"link_checker":                "site build warns about local links that resolve to nothing",
	"search":                      "no search index is built",
	"minify_html":                 "pages are not minified",
	"output_dir":                  "the output directory is site build -o",
	"ignored_content":             "every file under content/ is read",
	"ignored_static":              "every file under static/ is read",
	"hard_link_static":            "static files are copied",
	"generate_sitemap":            "the sitemap is always written",
	"generate_robots_txt":         "robots.txt is always written",
	"preserve_dotfiles_in_output": "files starting with . are not published",
}

func readZola(dir string, p *Plan) error {
	c, err := loadConf(dir, p.ConfigFile, false)
	if err != nil {
		return err
	}
	cfg := &p.Config
	cfg.Liquid = ptr(false) // {{ site.url }} in a post is text there, not Liquid
	cfg.noAutolink()        // pulldown-cmark links no bare URL
	if cfg.Title, err = c.str("title"); err != nil {
		return err
	}
	base, err := c.str("base_url")
	if err != nil {
		return err
	}
	cfg.BaseURL = joinURL(base, "")
	if cfg.Description, err = c.str("description"); err != nil {
		return err
	}
	if cfg.Language, err = c.str("default_language"); err != nil {
		return err
	}
	if cfg.Author, err = author(c, "author"); err != nil {
		return err
	}
	if v, ok := c.get("extra"); ok {
		m, _ := v.(map[string]any)
		for k, v := range m {
			setParam(p, k, v)
		}
		if cfg.Author == nil {
			if a, ok := m["author"].(string); ok && a != "" {
				cfg.Author = &Author{Name: a}
			}
		}
	}
	if v, ok := c.get("taxonomies"); ok {
		list, _ := v.([]any)
		for _, t := range list {
			m, _ := t.(map[string]any)
			if name, _ := m["name"].(string); name != "tags" && name != "categories" {
				p.note(c.file, c.line("taxonomies"), "taxonomies: %q not mapped: only tags and categories (both tags here) are read", name)
			} else {
				cfg.Taxonomies = append(cfg.Taxonomies, name)
			}
		}
	}
	c.unused(p, zolaReasons)
	if exists(dir, "content") {
		if err := zolaSections(dir, p); err != nil {
			return err
		}
	}
	return zolaFiles(dir, p)
}

// hasSectionIndex reports whether content/NAME is a Zola section: it has
// an _index.md.
func hasSectionIndex(dir, name string) bool {
	matches, _ := filepath.Glob(filepath.Join(dir, "content", name, "_index.*"))
	return len(matches) > 0
}

// zolaSections finds the sections holding pages, their pagination, and the
// permalink: Zola publishes a page at its section's path and its slug (the
// file name, without a date).
func zolaSections(dir string, p *Plan) error {
	counts := map[string]int{}
	var root []string // the root section's pages: content/NAME.md and bundles content/NAME/index.md
	err := walk(dir, "content", nil, func(rel string) error {
		if !content.IsMarkdown(rel) || strings.HasPrefix(path.Base(rel), "_index.") {
			return nil
		}
		inner := strings.TrimPrefix(rel, "content/")
		top, rest, nested := strings.Cut(inner, "/")
		switch {
		case !nested:
			root = append(root, rel)
		case !strings.Contains(rest, "/") && strings.HasPrefix(rest, "index.") && !hasSectionIndex(dir, top):
			root = append(root, rel) // a bundle of the root section
		default:
			counts[top]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	var sections []string
	for s := range counts {
		sections = append(sections, s)
	}
	sort.Strings(sections)
	sections, err = postSections(dir, p, sections)
	if err != nil {
		return err
	}
	rootPosts, err := holdsPosts(dir, p, "content", "", root) // undated, they are pages, as usual
	if err != nil {
		return err
	}
	if rootPosts {
		sections = append([]string{content.RootSection}, sections...)
	}
	if len(sections) == 0 {
		return nil
	}
	if len(sections) != 1 || sections[0] != "posts" {
		p.Config.Sections = sections
	}
	p.Config.Permalink = "/:zola_sections/:zola_slug/" // Zola's section path and slug
	for _, s := range sections {
		rel := "content/" + s + "/_index.md"
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			continue
		}
		fm, line, ok := tomlFrontMatter(data)
		if !ok {
			continue
		}
		var sec struct {
			PaginateBy int `toml:"paginate_by"`
		}
		if err := toml.Unmarshal(fm, &sec); err != nil {
			return tomlError(rel, err)
		}
		if sec.PaginateBy > 0 && p.Config.Paginate == 0 {
			p.Config.Paginate = sec.PaginateBy
		} else if sec.PaginateBy > 0 && sec.PaginateBy != p.Config.Paginate {
			p.note(rel, line+tomlLines(fm)["paginate_by"], "paginate_by: not mapped: one paginate serves every section")
		}
	}
	return nil
}

// tomlFrontMatter cuts the TOML front matter out of a file, and returns
// the line it starts after.
func tomlFrontMatter(data []byte) ([]byte, int, bool) {
	s := strings.TrimPrefix(string(data), "\ufeff")
	if !strings.HasPrefix(s, "+++\n") && !strings.HasPrefix(s, "+++\r\n") {
		return nil, 0, false
	}
	_, rest, _ := strings.Cut(s, "\n")
	end := strings.Index(rest, "\n+++")
	if end < 0 {
		return nil, 0, false
	}
	return []byte(rest[:end+1]), 1, true
}

// zolaFiles plans the copies of a Zola site: content/ and static/ as they
// are.
func zolaFiles(dir string, p *Plan) error {
	if err := p.copyTree(dir, "content"); err != nil {
		return err
	}
	if err := p.copyTree(dir, "static"); err != nil {
		return err
	}
	p.noteSkipped(dir, []skippedDir{
		{"templates/shortcodes", "Tera shortcodes are not converted; write them as Go templates in themes/NAME/shortcodes/"},
		{"templates", "Tera templates are not converted; the default theme is used"},
		{"sass", "Sass is not compiled"},
		{"themes", "themes are not converted; the default theme is used"},
	})
	return nil
}
