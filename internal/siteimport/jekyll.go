package siteimport

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/siteblog/site/content"
)

// jekyllReasons say why Jekyll keys are not mapped; every other key that
// is not mapped to a site.toml key becomes a param (site.KEY in Liquid).
var jekyllReasons = map[string]string{
	"theme":               "themes are not converted; the default theme is used (override its files under themes/NAME/)",
	"remote_theme":        "themes are not converted; the default theme is used (override its files under themes/NAME/)",
	"plugins":             "plugins do not run; a plugin's Liquid tag can be written as a template in themes/NAME/shortcodes/",
	"gems":                "plugins do not run; a plugin's Liquid tag can be written as a template in themes/NAME/shortcodes/",
	"whitelist":           "plugins do not run",
	"markdown":            "Markdown is rendered by goldmark with GFM",
	"kramdown":            "Markdown is rendered by goldmark with GFM",
	"commonmark":          "Markdown is rendered by goldmark with GFM",
	"redcarpet":           "Markdown is rendered by goldmark with GFM",
	"highlighter":         "listings are highlighted by chroma ([highlight] in site.toml)",
	"sass":                "Sass is not compiled",
	"collections":         "collections other than posts are not imported",
	"collections_dir":     "collections other than posts are not imported",
	"defaults":            "front matter defaults are not applied; write the keys into the files",
	"include":             "files starting with . are not imported",
	"keep_files":          "no equivalent: the output directory is replaced on every build",
	"paginate_path":       "index pages are at /page/N/",
	"source":              "build option with no equivalent",
	"destination":         "the output directory is site build -o",
	"safe":                "build option with no equivalent",
	"incremental":         "builds are always incremental",
	"profile":             "build option with no equivalent",
	"future":              "site build --future",
	"unpublished":         "site build --drafts",
	"show_drafts":         "site build --drafts",
	"limit_posts":         "build option with no equivalent",
	"encoding":            "files are read as UTF-8",
	"strict_front_matter": "front matter errors always fail the build",
	"liquid":              "Liquid options with no equivalent",
	"port":                "site serve --addr",
	"host":                "site serve --addr",
	"livereload":          "site serve always reloads",
	"excerpt_separator":   "a summary ends at <!--more--> or the first paragraph",
	"feed":                "feeds are always /feed.xml (Atom), /rss.xml and /feed.json",
	"jekyll-archives":     "archives are /archive/ and /tags/NAME/",
	"jekyll_compose":      "site new writes new posts",
	"webrick":             "site serve sends its own headers",
	"category_archive":    "archives are /archive/ and /tags/NAME/",
	"tag_archive":         "archives are /archive/ and /tags/NAME/",
}

// jekyllMapped are the keys mapped to site.toml keys.
var jekyllMapped = map[string]bool{"title": true, "url": true, "baseurl": true, "description": true, "timezone": true, "paginate": true, "author": true, "lang": true, "permalink": true, "exclude": true}

// jekyllSkip are source names that are not the site: build outputs, caches
// and the files of Ruby's tooling.
var jekyllSkip = []string{"_site", "Gemfile", "Gemfile.lock", "node_modules", "vendor", "_config.yml", "_config.yaml"}

func readJekyll(dir string, p *Plan) error {
	c, err := loadConf(dir, p.ConfigFile, false)
	if err != nil {
		return err
	}
	cfg := &p.Config
	if cfg.Title, err = c.str("title"); err != nil {
		return err
	}
	if name, ok := c.m["name"].(string); ok && cfg.Title == "" {
		cfg.Title = name // older sites name themselves with name; it stays site.name too
	}
	if cfg.Description, err = c.str("description"); err != nil {
		return err
	}
	if cfg.Language, err = c.str("lang"); err != nil {
		return err
	}
	url, err := c.str("url")
	if err != nil {
		return err
	}
	baseurl, err := c.str("baseurl")
	if err != nil {
		return err
	}
	cfg.BaseURL = joinURL(url, baseurl)
	if url == "" && baseurl != "" {
		p.note(c.file, c.line("baseurl"), "baseurl: not mapped without url (base_url wants the whole URL)")
	}
	tz, err := c.str("timezone")
	if err != nil {
		return err
	}
	setTimezone(p, c.file, c.line("timezone"), "timezone", tz, true)
	if tz == "" {
		// Jekyll converts every date into a zone: without timezone, the
		// zone of the machine that builds, UTC on GitHub Pages.
		cfg.Timezone = "UTC"
		p.note(c.file, 0, "timezone: not set, so Jekyll converted dates into the zone of the machine that built the site (UTC on GitHub Pages); site.toml says UTC")
	}
	if cfg.Paginate, err = c.num("paginate"); err != nil {
		return err
	}
	if cfg.Author, err = author(c, "author"); err != nil {
		return err
	}
	key, permalink, err := jekyllPostsPermalink(c)
	if err != nil {
		return err
	}
	pl, err := jekyllPermalink(permalink)
	if err != nil {
		p.note(c.file, c.line(key), "%s: %q not mapped: %v; posts are at the default /:year/:month/:slug/", key, permalink, err)
	} else {
		cfg.Permalink = pl
	}
	cfg.Liquid = ptr(true)
	if !jekyllAutolinks(c) {
		cfg.noAutolink()
	}
	skip := map[string]bool{}
	for _, s := range jekyllSkip {
		skip[s] = true
	}
	if v, ok := c.get("exclude"); ok {
		list, _ := v.([]any)
		for _, e := range list {
			if s, ok := e.(string); ok {
				skip[strings.Trim(s, "/")] = true
			}
		}
	}
	for k, v := range c.m {
		if jekyllMapped[k] {
			continue
		}
		if _, ok := jekyllReasons[k]; ok {
			continue
		}
		c.get(k)
		setParam(p, k, v)
	}
	c.unused(p, jekyllReasons)
	return jekyllFiles(dir, p, skip)
}

// jekyllPostsPermalink finds the permalink of posts: the posts
// collection's, else the front matter defaults' for posts, else the
// site's, else Jekyll's default "date". It returns the key it came from.
func jekyllPostsPermalink(c *conf) (string, string, error) {
	if s, err := c.str("collections.posts.permalink"); err != nil || s != "" {
		c.get("collections.posts")
		return "collections.posts.permalink", s, err
	}
	if v, ok := c.m["defaults"].([]any); ok {
		for _, d := range v {
			m, _ := d.(map[string]any)
			scope, _ := m["scope"].(map[string]any)
			values, _ := m["values"].(map[string]any)
			typ, _ := scope["type"].(string)
			path, _ := scope["path"].(string)
			if pl, ok := values["permalink"].(string); ok && (typ == "posts" || strings.Trim(path, "/") == "_posts") {
				return "defaults", pl, nil
			}
		}
	}
	s, err := c.str("permalink")
	if s == "" {
		s = "date"
	}
	return "permalink", s, err
}

// jekyllStyles are Jekyll's named permalink styles.
var jekyllStyles = map[string]string{
	"date":     "/:categories/:year/:month/:day/:title:output_ext",
	"pretty":   "/:categories/:year/:month/:day/:title/",
	"ordinal":  "/:categories/:year/:y_day/:title:output_ext",
	"weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
	"none":     "/:categories/:title:output_ext",
}

// jekyllExpand turns a permalink style into its pattern.
func jekyllExpand(pl string) string {
	if s, ok := jekyllStyles[pl]; ok {
		return s
	}
	return pl
}

var jekyllToken = regexp.MustCompile(`:[a-z_]+`)

// jekyllPermalink maps a Jekyll permalink (a style or a pattern) to ours,
// which reads Jekyll's :title, :categories and :output_ext as Jekyll does;
// :slug is :title (both are the slug, else the file name), :name is
// :filename.
func jekyllPermalink(pl string) (string, error) {
	pl = jekyllExpand(pl)
	var bad []string
	out := jekyllToken.ReplaceAllStringFunc(pl, func(tok string) string {
		switch tok {
		case ":year", ":month", ":day", ":title", ":categories", ":output_ext":
			return tok
		case ":slug":
			return ":title"
		case ":name":
			return ":filename"
		}
		bad = append(bad, tok)
		return tok
	})
	if len(bad) > 0 {
		return "", fmt.Errorf("%s has no equivalent (tokens here: :year :month :day :title :categories :output_ext)", strings.Join(bad, ", "))
	}
	if !strings.HasPrefix(out, "/") {
		out = "/" + out
	}
	if !strings.Contains(out, ":title") && !strings.Contains(out, ":filename") {
		return "", fmt.Errorf("no :title or :slug: posts would share a URL")
	}
	return out, nil
}

// jekyllFiles plans the copies of a Jekyll site: _posts to content/posts,
// _drafts to content/posts as drafts, Markdown pages with front matter to
// content/, _includes as it is, other files without front matter to
// static/.
func jekyllFiles(dir string, p *Plan, skip map[string]bool) error {
	notedDirs := map[string]bool{}
	return walk(dir, ".", skip, func(rel string) error {
		top, _, _ := strings.Cut(rel, "/")
		if i := strings.Index("/"+rel, "/_posts/"); i >= 0 {
			inner := ("/" + rel)[i+len("/_posts/"):]
			if !content.IsMarkdown(rel) {
				p.note(rel, 0, "not imported: only Markdown posts are read")
				return nil
			}
			if cat := strings.Trim(("/" + rel)[:i], "/"); cat != "" && !notedDirs[cat] {
				notedDirs[cat] = true
				p.note(cat+"/_posts", 0, "the category %q Jekyll gave the posts in this directory is not kept: categories come from front matter only (in :categories and as tags)", cat)
			}
			p.copy(rel, "content/posts/"+inner)
			return noteJekyllDraftKey(dir, rel, p)
		}
		switch {
		case top == "_drafts":
			if !content.IsMarkdown(rel) {
				p.note(rel, 0, "not imported: only Markdown drafts are read")
				return nil
			}
			to := "content/posts/" + strings.TrimPrefix(rel, "_drafts/")
			p.Files = append(p.Files, Copy{From: rel, To: to, Draft: true})
			p.note(rel, 0, "a draft: copied to %s with draft: true (and, lacking a date, the file's time, as Jekyll dates drafts)", to)
			return nil
		case top == "_includes":
			p.copy(rel, rel)
			return nil
		case strings.HasPrefix(top, "_") && rel == top:
			p.note(rel, 0, "not imported: %s", jekyllUnderscoreFile(rel))
			return nil
		case strings.HasPrefix(top, "_"):
			if !notedDirs[top] {
				notedDirs[top] = true
				p.note(top, 0, "not imported: %s", jekyllDirReason(top))
			}
			return nil
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		fm := hasYAMLFrontMatter(data)
		name := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
		switch {
		case content.IsMarkdown(rel) && !fm:
			p.note(rel, 0, "not imported: Markdown without front matter (Jekyll published it as a file)")
		case fm && rel == top && (name == "index" || name == "404"):
			p.note(rel, 0, "not imported: the home page and the 404 page are the theme's")
		case fm && content.IsMarkdown(rel):
			p.copy(rel, "content/"+rel)
		case fm:
			p.note(rel, 0, "not imported: a file with front matter is a Liquid template or Sass, which are not converted")
		default:
			p.copy(rel, "static/"+rel)
		}
		return nil
	})
}

// noteJekyllDraftKey notes a post whose front matter says draft: true:
// Jekyll reads no such key (only published: false, or the _drafts
// directory, keeps a post out) and publishes it, where site leaves it out.
func noteJekyllDraftKey(dir, rel string, p *Plan) error {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	line, ok := content.FrontMatterKeys(data)["draft"]
	if !ok {
		return nil
	}
	lines := strings.Split(strings.TrimPrefix(string(data), "\ufeff"), "\n")
	_, v, _ := strings.Cut(lines[line-1], ":")
	if v, _, _ = strings.Cut(v, " #"); strings.ToLower(strings.Trim(strings.TrimSpace(v), `"'`)) != "true" {
		return nil
	}
	p.note(rel, line, "draft: true: Jekyll reads no draft key and published this post; site leaves it out as a draft (delete the line to keep it published)")
	return nil
}

// jekyllUnderscoreFile says why a file at the top whose name starts with
// "_" is not imported.
func jekyllUnderscoreFile(name string) string {
	if strings.HasPrefix(name, "_config") && (path.Ext(name) == ".yml" || path.Ext(name) == ".yaml" || path.Ext(name) == ".toml") {
		return "another Jekyll configuration (jekyll build --config); only _config.yml is read"
	}
	return "Jekyll does not publish a file whose name starts with _"
}

func jekyllDirReason(dir string) string {
	switch dir {
	case "_layouts":
		return "layouts are not converted; the default theme is used"
	case "_sass":
		return "Sass is not compiled"
	case "_data":
		return "site.data is not available"
	case "_plugins":
		return "plugins do not run"
	}
	return "a collection other than posts"
}

func hasYAMLFrontMatter(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	return bytes.HasPrefix(data, []byte("---\n")) || bytes.HasPrefix(data, []byte("---\r\n"))
}

// markDraft adds draft: true to a YAML front matter, and date as the
// file's time when it has none.
func markDraft(data []byte, mod time.Time) []byte {
	if !hasYAMLFrontMatter(data) {
		return data
	}
	keys := content.FrontMatterKeys(data)
	add := ""
	if _, ok := keys["draft"]; !ok {
		add += "draft: true\n"
	}
	if _, ok := keys["date"]; !ok {
		add += "date: " + mod.Format(time.RFC3339) + "\n"
	}
	i := bytes.IndexByte(data, '\n') + 1
	return append(append(append([]byte{}, data[:i]...), add...), data[i:]...)
}

// jekyllAutolinks reports whether the site's Markdown converter links
// bare URLs: kramdown, Jekyll's default even with its GFM input, does
// not; jekyll-commonmark-ghpages does, and jekyll-commonmark when its
// extensions list autolink.
func jekyllAutolinks(c *conf) bool {
	converter, _ := c.get("markdown")
	name, _ := converter.(string)
	switch strings.ToLower(name) {
	case "commonmarkghpages":
		return true
	case "commonmark":
		exts, _ := c.get("commonmark.extensions")
		list, _ := exts.([]any)
		for _, e := range list {
			if e == "autolink" {
				return true
			}
		}
	}
	return false
}
