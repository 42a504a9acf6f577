package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/pelletier/go-toml/v2"
)

// ConfigFile is the name of the site configuration file.
const ConfigFile = "site.toml"

// Config is the site configuration read from site.toml.
// Every key is optional except title and base_url; unknown keys are errors.
type Config struct {
	// Title is the site's name, shown in every page's header and feeds.
	Title string `toml:"title"`
	// BaseURL is the absolute URL the site is published at, ending in "/".
	// Feeds, the sitemap and canonical links use it; a path in it
	// ("https://example.org/blog/") prefixes every URL of the site.
	BaseURL string `toml:"base_url"`
	// Description is the site's meta description and feed subtitle.
	Description string `toml:"description"`
	// Language is the site's language, a BCP 47 tag ("fr", "pt-BR"): the
	// pages' lang attribute, and the language of the theme's words and
	// dates (package internal/l10n). Default "en".
	Language string `toml:"language"`
	// Translations replace messages of the theme in the site's language,
	// by message ID, as Zola's [translations]: read_more = "Continue",
	// or a table of plural forms ([translations.min_read] one = …,
	// other = …). Themes' i18n/LANG.toml files and the site's own
	// i18n/LANG.toml do the same per language (package themes).
	Translations map[string]any `toml:"translations"`
	// Image is the site's picture for share cards (og:image), shown for
	// every page that has none of its own: a site path ("/card.png", or
	// "card.png", relative to the site root) or an absolute URL.
	// ImageAlt describes it. Default: none.
	Image    string `toml:"image"`
	ImageAlt string `toml:"image_alt"`
	// Timezone, an IANA zone name ("Europe/Berlin"), converts every date
	// into that zone, as Jekyll's timezone does: the day shown and the
	// post's /YYYY/MM/ come from the date in this zone; dates written
	// without a zone are in it. Default: none; a date with an offset
	// (2016-12-01T09:00:00+10:00) keeps it, as Hugo and Zola do, and a date
	// without one is in UTC.
	Timezone string `toml:"timezone"`
	// DefaultTimezone, an IANA zone name, is the zone of dates written
	// without one, and converts nothing: a date with an offset keeps it.
	// This is what Hugo's timeZone and Pelican's TIMEZONE mean. Ignored
	// when Timezone is set. Default: UTC.
	DefaultTimezone string `toml:"default_timezone"`
	// Theme is a directory under themes/ whose files override the embedded
	// default theme file by file. Default: the embedded theme alone.
	Theme string `toml:"theme"`
	// Paginate is the number of posts on each index and tag page. Default 10.
	Paginate int `toml:"paginate"`
	// Permalink is the URL path pattern of posts. Default
	// "/:year/:month/:slug/". Tokens: :year, :month, :day (the date in the
	// site's timezone); :slug (front matter slug, else the title's slug);
	// :filename (the file or bundle directory name without extension and
	// without a leading YYYY-MM-DD- date, lower-cased, as Hugo's
	// :filename); :title (Jekyll's: the front matter slug, else that file
	// name, case kept); :slugorfilename (Hugo's: the slug, else the file
	// name); :section (the post's section directory); :categories
	// (Jekyll's: the categories, lower-cased, joined by "/"; nothing when
	// there are none); :output_ext (".html"); :hugo_title and :hugo_slug
	// (Hugo's :title and :slug: the title kept as Hugo keeps it, dots
	// included); :hugo_filename and :hugo_slugorfilename (Hugo's
	// :filename and :slugorfilename: a file name's date kept);
	// :hugo_sections (the directories from content/ to the post,
	// lower-cased: Hugo's default is "/:hugo_sections/:hugo_slugorfilename/");
	// :zola_slug and :zola_sections (Zola's slug, ASCII, of the front
	// matter slug or the file name, and the directories from content/ to
	// the post: Zola's default is "/:zola_sections/:zola_slug/"). It must
	// hold one of :slug, :filename, :title, :slugorfilename, a :hugo_
	// token other than :hugo_sections, or :zola_slug. content's package doc describes each token in
	// full.
	// A pattern ending in "/" publishes URL/index.html; one ending
	// otherwise publishes URL.html ("/blog/:filename" writes
	// blog/NAME.html, served at /blog/NAME), or the URL itself when it
	// ends in ".html" ("/:year/:month/:day/:title.html", Jekyll's date
	// style).
	Permalink string `toml:"permalink"`
	// UnsafeHTML is the older key of RawHTML: true means "pass". Since
	// "pass" is the default, false (or no key) means "pass" too unless
	// raw_html says otherwise; true with raw_html "escape" or "omit" is
	// an error.
	UnsafeHTML bool `toml:"unsafe_html"`
	// RawHTML says what becomes of raw HTML in Markdown: "pass" (the
	// default, as Jekyll, Zola and the Go blog do) writes it as it is,
	// "escape" shows it as text, "omit" leaves it out, as Hugo does, with
	// a <!-- raw HTML omitted --> comment in its place. After loading it is
	// always one of the three.
	RawHTML string `toml:"raw_html"`
	// CSP adds sources to directives of the Content-Security-Policy that
	// `site serve` sends, e.g. frame-src = ["https://www.youtube-nocookie.com"].
	// Default: none; the policy is default-src 'self'. A listed fetch
	// directive (NAME-src) gets 'self' first, so the site's own files
	// still load; see ContentSecurityPolicy.
	CSP map[string][]string `toml:"csp"`
	// Sections are the directories under content/ whose Markdown files are
	// posts, each one name without "/"; a post's :section is the name of
	// its section. "/" names the root section: the files directly under
	// content/ and the bundles directly below it, as Zola's root section
	// holds them. Default ["posts"]; a Hugo or Zola blog keeping its
	// posts in content/blog/ sets ["blog"].
	Sections []string `toml:"sections"`
	// RelativeAliases says what an alias without a leading "/" is relative
	// to: "root" (the default, as Zola and Jekyll) or "section", as Hugo
	// resolves it: the directory of the page's URL, which for Hugo's
	// default URLs (/SECTION/SLUG/) is the section ("old" on
	// /blog/new/ is /blog/old/; on /2024/05/new/ it is /2024/05/old/).
	RelativeAliases string `toml:"relative_aliases"`
	// Liquid runs every post through Liquid before Markdown, as Jekyll
	// does. Default: only posts that hold a Liquid tag or a site./page.
	// variable; a post's front matter liquid: false opts it out.
	Liquid *bool `toml:"liquid"`
	// DefaultDate is where a post with no date in front matter, file name,
	// path or url takes one: "" (the default) makes that an error; "file"
	// takes the file's modification time, read on the building machine's
	// clock and placed in the site's zone, as Pelican's DEFAULT_DATE = 'fs'.
	DefaultDate string `toml:"default_date"`
	// Taxonomies are the front matter keys whose values are tags (a list,
	// or a comma-separated string; in Zola's [taxonomies] table too).
	// Default ["tags", "categories", "category"]; a Hugo site lists its
	// taxonomies' plural names, since Hugo reads category as a plain key.
	Taxonomies []string `toml:"taxonomies"`
	// Params are free keys for templates (.Site.Params) and Liquid (site.*).
	Params map[string]any `toml:"params"`
	// Author is credited in feeds and page footers unless a post names its own.
	Author Author `toml:"author"`
	// Feed configures the Atom, RSS and JSON feeds.
	Feed FeedConfig `toml:"feed"`
	// Highlight configures code listings.
	Highlight HighlightConfig `toml:"highlight"`
	// Search configures the search page and its index.
	Search SearchConfig `toml:"search"`
	// Markdown configures what is made of pages' Markdown.
	Markdown MarkdownConfig `toml:"markdown"`

	// LanguageLine is the line of language in site.toml, 0 when not
	// set; ImageLine that of image; TranslationLines the line of each
	// key of [translations].
	LanguageLine     int            `toml:"-" json:"-"`
	ImageLine        int            `toml:"-" json:"-"`
	TranslationLines map[string]int `toml:"-" json:"-"`

	// Location is Timezone loaded, else DefaultTimezone, else UTC: the
	// zone of dates written without one. InZone converts dates.
	Location *time.Location `toml:"-"`
}

// Author is a person credited for the site or a post.
type Author struct {
	Name  string `toml:"name"`
	Email string `toml:"email"`
}

// FeedConfig configures the feeds.
type FeedConfig struct {
	// Limit is the number of newest posts in each feed. Default 20.
	Limit int `toml:"limit"`
	// FullText puts each post's whole content in the feeds; false puts
	// only its summary. Default true.
	FullText *bool `toml:"full_text"`
	// Full is the older spelling of FullText, still read: given alone, it
	// sets FullText; given with it, the two must agree.
	Full *bool `toml:"full"`
}

// HighlightConfig configures code listings.
type HighlightConfig struct {
	// Light is the chroma style for light mode. Default "github".
	Light string `toml:"light"`
	// Dark is the chroma style used when the reader prefers a dark
	// color scheme. Default "github-dark".
	Dark string `toml:"dark"`
	// LineNumbers shows line numbers beside listings. Default true.
	LineNumbers *bool `toml:"line_numbers"`
}

// SearchConfig configures the search page (/search/) and the index it
// reads (/search/index/), which package render writes.
type SearchConfig struct {
	// Enabled writes the search page and index and links the page from
	// the default theme's navigation. Default true.
	Enabled *bool `toml:"enabled"`
}

// SearchEnabled reports whether the build writes the search page and index.
func (c *Config) SearchEnabled() bool { return c.Search.Enabled == nil || *c.Search.Enabled }

// MarkdownConfig configures what is made of pages' Markdown.
type MarkdownConfig struct {
	// TOC shows a table of contents on every post and page with
	// headings enough for one; a page's front matter toc: false turns it
	// off there, toc: true on where this is false. Default false.
	TOC bool `toml:"toc"`
	// TOCStartLevel and TOCEndLevel are the heading levels the table of
	// contents lists, as Hugo's markup.tableOfContents startLevel and
	// endLevel: 1 to 6, start not above end. Defaults 2 and 4 (the
	// title is the page's one h1).
	TOCStartLevel int `toml:"toc_start_level"`
	TOCEndLevel   int `toml:"toc_end_level"`
	// Autolink makes a link of a bare URL in text (https://example.org,
	// www.example.org), as GitHub and Hugo do. Default true; false leaves
	// it text, as Jekyll's kramdown, Pelican's Python-Markdown and Zola
	// do. A URL in angle brackets is a link either way.
	Autolink *bool `toml:"autolink"`
}

// Autolinks reports whether bare URLs in text become links.
func (m MarkdownConfig) Autolinks() bool { return m.Autolink == nil || *m.Autolink }

// InZone returns t in the site's Timezone when site.toml sets one, and t
// as it was written (in its own offset) when not. The zero time stays zero.
func (c *Config) InZone(t time.Time) time.Time {
	if c.Timezone == "" || t.IsZero() || c.Location == nil {
		return t
	}
	return t.In(c.Location)
}

// FullFeed reports whether feeds carry whole posts.
func (c *Config) FullFeed() bool { return c.Feed.FullText == nil || *c.Feed.FullText }

// LineNumbers reports whether listings show line numbers.
func (c *Config) LineNumbers() bool {
	return c.Highlight.LineNumbers == nil || *c.Highlight.LineNumbers
}

// BasePath is the path of BaseURL, "/" for a site at the root of its host.
func (c *Config) BasePath() string {
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// LoadConfig reads site.toml from fsys, applies defaults and checks it.
// baseURL, when not empty, replaces the file's base_url.
func LoadConfig(fsys fs.FS, baseURL string) (*Config, error) {
	data, err := fs.ReadFile(fsys, ConfigFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s not found: is this a site directory? (site init creates one)", ConfigFile)
		}
		return nil, fileError(ConfigFile, err)
	}
	return ParseConfig(data, baseURL)
}

// ParseConfig parses the contents of site.toml; see LoadConfig.
func ParseConfig(data []byte, baseURL string) (*Config, error) {
	var c Config
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, tomlErrors(ConfigFile, 0, err)
	}
	if baseURL != "" {
		c.BaseURL = baseURL
	}
	var errs Errors
	line := func(key string) int { return keyLine(data, key) }
	var raw map[string]any // TOML's "\u0000" writes what the file does not hold
	if err := toml.Unmarshal(data, &raw); err == nil {
		for _, k := range slices.Sorted(maps.Keys(raw)) {
			if r, bad := badValueRune(raw[k]); bad {
				errs = append(errs, errorf(ConfigFile, line(k), "%s: holds %s; remove it", k, describeRune(r)))
			}
		}
	}
	if c.Title == "" {
		errs = append(errs, errorf(ConfigFile, 0, "title is required"))
	}
	if c.BaseURL == "" {
		errs = append(errs, errorf(ConfigFile, 0, "base_url is required (feeds and the sitemap need absolute URLs); set it or pass --base-url"))
	} else if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		errs = append(errs, errorf(ConfigFile, line("base_url"), "base_url %q: want an absolute http or https URL like https://example.org/", c.BaseURL))
	} else if !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
	if c.Language == "" {
		c.Language = "en"
	}
	c.LanguageLine = line("language")
	if c.Image != "" {
		c.ImageLine = line("image")
	}
	for id := range c.Translations {
		if c.TranslationLines == nil {
			c.TranslationLines = map[string]int{}
		}
		c.TranslationLines[id] = tableKeyLine(data, "translations", id)
	}
	c.Location = time.UTC
	for _, z := range []struct{ key, name string }{{"default_timezone", c.DefaultTimezone}, {"timezone", c.Timezone}} {
		if z.name == "" {
			continue
		}
		loc, err := time.LoadLocation(z.name)
		if err != nil {
			errs = append(errs, errorf(ConfigFile, line(z.key), "%s %q: not a known IANA time zone", z.key, z.name))
		} else {
			c.Location = loc
		}
	}
	if c.Theme != "" && (strings.ContainsAny(c.Theme, `/\`) || c.Theme == "." || c.Theme == "..") {
		errs = append(errs, errorf(ConfigFile, line("theme"), "theme %q: want the name of a directory under themes/", c.Theme))
	}
	switch {
	case c.Paginate == 0:
		c.Paginate = 10
	case c.Paginate < 0:
		errs = append(errs, errorf(ConfigFile, line("paginate"), "paginate must be positive, not %d", c.Paginate))
	}
	if c.DefaultDate != "" && c.DefaultDate != "file" {
		errs = append(errs, errorf(ConfigFile, line("default_date"), "default_date %q: want \"file\" or nothing", c.DefaultDate))
	}
	for i, k := range c.Taxonomies {
		c.Taxonomies[i] = strings.ToLower(strings.TrimSpace(k)) // front matter keys are matched lower-cased
	}
	if c.Permalink == "" {
		c.Permalink = "/:year/:month/:slug/"
	} else if err := checkPermalink(c.Permalink); err != nil {
		errs = append(errs, errorf(ConfigFile, line("permalink"), "permalink %q: %v", c.Permalink, err))
	}
	if c.Sections == nil {
		c.Sections = []string{"posts"}
	}
	for i, sec := range c.Sections {
		switch {
		case sec == RootSection:
		case sec == "" || sec == "." || sec == ".." || strings.ContainsAny(sec, `/\`) || strings.IndexFunc(sec, unicode.IsControl) >= 0:
			errs = append(errs, errorf(ConfigFile, line("sections"), "sections: %q: want the name of a directory under content/, without /", sec))
		case slices.Contains(c.Sections[:i], sec):
			errs = append(errs, errorf(ConfigFile, line("sections"), "sections: %q is listed twice", sec))
		}
	}
	switch c.RelativeAliases {
	case "":
		c.RelativeAliases = "root"
	case "root", "section":
	default:
		errs = append(errs, errorf(ConfigFile, line("relative_aliases"), "relative_aliases %q: want \"root\" (aliases without a leading / are relative to the site root) or \"section\" (to the page's directory, as Hugo)", c.RelativeAliases))
	}
	switch {
	case c.Feed.Limit == 0:
		c.Feed.Limit = 20
	case c.Feed.Limit < 0:
		errs = append(errs, errorf(ConfigFile, line("limit"), "feed limit must be positive, not %d", c.Feed.Limit))
	}
	switch f := &c.Feed; {
	case f.Full == nil:
	case f.FullText == nil:
		f.FullText = f.Full
	case *f.FullText != *f.Full:
		errs = append(errs, errorf(ConfigFile, line("full_text"), "[feed] full_text = %t contradicts full = %t (line %d, the older spelling of full_text): keep one", *f.FullText, *f.Full, line("full")))
	}
	switch c.RawHTML {
	case "":
		c.RawHTML = RawHTMLPass
	case RawHTMLPass, RawHTMLEscape, RawHTMLOmit:
		if c.UnsafeHTML && c.RawHTML != RawHTMLPass {
			errs = append(errs, errorf(ConfigFile, line("raw_html"), "raw_html = %q contradicts unsafe_html = true (the older key, meaning \"pass\"): keep one", c.RawHTML))
		}
	default:
		errs = append(errs, errorf(ConfigFile, line("raw_html"), "raw_html %q: want \"pass\", \"escape\" or \"omit\"", c.RawHTML))
	}
	for _, name := range sortedKeys(c.CSP) {
		if err := checkCSP(name, c.CSP[name]); err != nil {
			errs = append(errs, errorf(ConfigFile, line(name), "[csp] %s: %v", name, err))
		}
	}
	if c.Markdown.TOCStartLevel == 0 {
		c.Markdown.TOCStartLevel = 2
	}
	if c.Markdown.TOCEndLevel == 0 {
		c.Markdown.TOCEndLevel = max(4, c.Markdown.TOCStartLevel)
	}
	for _, lv := range []struct {
		key   string
		level int
	}{{"toc_start_level", c.Markdown.TOCStartLevel}, {"toc_end_level", c.Markdown.TOCEndLevel}} {
		if lv.level < 1 || lv.level > 6 {
			errs = append(errs, errorf(ConfigFile, line(lv.key), "[markdown] %s = %d: want a heading level from 1 to 6", lv.key, lv.level))
		}
	}
	if c.Markdown.TOCStartLevel > c.Markdown.TOCEndLevel {
		errs = append(errs, errorf(ConfigFile, line("toc_start_level"), "[markdown] toc_start_level = %d is deeper than toc_end_level = %d: want start <= end", c.Markdown.TOCStartLevel, c.Markdown.TOCEndLevel))
	}
	if c.Highlight.Light == "" {
		c.Highlight.Light = "github"
	}
	if c.Highlight.Dark == "" {
		c.Highlight.Dark = "github-dark"
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &c, nil
}

// tomlErrors turns a go-toml error into Errors at lines of path, where
// offset is the line of path on which the TOML document starts, less one.
func tomlErrors(path string, offset int, err error) Errors {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var errs Errors
		for _, e := range strict.Errors {
			row, _ := e.Position()
			errs = append(errs, errorf(path, row+offset, "unknown key %q", strings.Join(e.Key(), ".")))
		}
		return errs
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return Errors{errorf(path, row+offset, "%s", strings.TrimPrefix(de.Error(), "toml: "))}
	}
	return Errors{&Error{Path: path, Err: err}}
}

// tableKeyLine returns the 1-based line of key in the TOML table named
// table: "key =" (or "\"key\" =") under [table], a header
// [table.key], or "table.key =" before any header; 0 when none.
func tableKeyLine(doc []byte, table, key string) int {
	current := ""
	for i, l := range strings.Split(string(doc), "\n") {
		l = strings.TrimSpace(l)
		if h, ok := strings.CutPrefix(l, "["); ok && !strings.HasPrefix(h, "[") {
			h, _, _ = strings.Cut(h, "]")
			current = strings.ReplaceAll(strings.TrimSpace(h), " ", "")
			if current == table+"."+key || current == table+`."`+key+`"` {
				return i + 1
			}
			continue
		}
		prefix := ""
		if current == "" {
			prefix = table + "."
		} else if current != table {
			continue
		}
		for _, k := range []string{prefix + key, prefix + `"` + key + `"`} {
			if rest, ok := strings.CutPrefix(l, k); ok && strings.HasPrefix(strings.TrimSpace(rest), "=") {
				return i + 1
			}
		}
	}
	return 0
}

// keyLine returns the 1-based line of the first "key =" assignment, or
// "[key]" table header, in a TOML document, or 0. It serves messages
// about values that parsed but are wrong.
func keyLine(doc []byte, key string) int {
	for i, l := range strings.Split(string(doc), "\n") {
		l = strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, key); ok {
			if rest = strings.TrimSpace(rest); strings.HasPrefix(rest, "=") {
				return i + 1
			}
		}
		if rest, ok := strings.CutPrefix(strings.TrimLeft(l, "[ \t"), key); ok && strings.HasPrefix(l, "[") {
			if rest = strings.TrimSpace(rest); strings.HasPrefix(rest, "]") || strings.HasPrefix(rest, ".") {
				return i + 1
			}
		}
	}
	return 0
}
