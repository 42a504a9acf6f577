package content

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Meta is what a page's front matter says about it.
type Meta struct {
	Title   string
	Date    time.Time // zero when the front matter has no date
	Updated time.Time // zero when absent
	Draft   bool
	Tags    []string
	Summary string // Markdown
	Slug    string
	// Authors are every author credited, in front matter order: author,
	// authors and by (the Go blog), each a list or a comma-separated
	// string. Author is the first of them, "" for none.
	Authors []string
	Author  string
	// Image is the page's picture for share cards (og:image) as written:
	// a URL, a site path, or a path relative to the page's bundle or the
	// site; ImageAlt describes it. From image (a string, or a table with
	// path, url or src, and alt, as jekyll-seo-tag reads it), else the
	// first of Hugo's images, else PaperMod's cover (its image and alt);
	// Lines["image"] is the line of the key that gave it.
	Image    string
	ImageAlt string
	Aliases  []string
	// aliasLines are the lines of the key (aliases, redirect_from) that
	// gave each of Aliases as written.
	aliasLines []int
	// Redirect is the target of a page that publishes a redirect instead
	// of its content (redirect, as the Go blog writes it; Jekyll's
	// redirect_to): as written in front matter, then, once the page's URL
	// is set, a site path starting with "/" or an absolute http(s) URL.
	// "" for a page with content.
	Redirect string
	// TOC is front matter toc (or PaperMod's ShowToc): true shows the
	// page's table of contents, false hides it where site.toml's
	// [markdown] toc shows it; nil when not given.
	TOC *bool
	// Form is the front matter's form, which tells the engine that wrote
	// the page where engines differ: a Pelican-style page keeps the case
	// of its slug and makes a slug from its title as Pelican does.
	Form Form
	// Lines maps a canonical key to the line it stands on, for messages.
	Lines map[string]int
	// Params holds every front matter key, lower-cased, with its value as
	// read (string, bool, int64, float64, time.Time, []any, map[string]any),
	// for templates (.Params), Liquid (page.*) and the other engines'
	// keys (template, liquid, url, path, …).
	Params map[string]any
}

// Form is a front matter form.
type Form int

const (
	// NoFrontMatter is a file without front matter.
	NoFrontMatter Form = iota
	// YAMLForm is YAML between "---" lines (Hugo, Jekyll).
	YAMLForm
	// TOMLForm is TOML between "+++" lines (Hugo, Zola).
	TOMLForm
	// PelicanForm is Pelican's "Key: value" lines.
	PelicanForm
	// JSONForm is a JSON object (Hugo).
	JSONForm
)

func (f Form) String() string {
	switch f {
	case YAMLForm:
		return "YAML"
	case TOMLForm:
		return "TOML"
	case PelicanForm:
		return "Pelican"
	case JSONForm:
		return "JSON"
	}
	return "none"
}

// keyAliases maps the names other engines use to this engine's keys, so
// existing blogs move in unchanged. Keys not listed are ignored.
var keyAliases = map[string]string{
	"title":       "title",
	"date":        "date",
	"updated":     "updated",
	"lastmod":     "updated",
	"modified":    "updated",
	"draft":       "draft",
	"published":   "published",
	"publishdate": "publishdate", // Hugo: the date when date is not given
	"pubdate":     "publishdate",
	"status":      "status",
	"tags":        "tags",
	"categories":  "tags",
	"category":    "tags",
	"taxonomies":  "tags", // Zola: [taxonomies] tags = […], categories = […]
	"summary":     "summary",
	"description": "description",
	"slug":        "slug",
	"author":      "authors",
	"authors":     "authors",
	"by":          "authors",
	"aliases":     "aliases",
	"image":       "image",
	"images":      "images", // Hugo: a list, the first is the share card's
	"cover":       "cover",  // Hugo's PaperMod: image and alt
	"toc":         "toc",
	"showtoc":     "toc", // Hugo's PaperMod theme

	// Keys that set a page's URL, and Jekyll's name for aliases.
	"redirect_from": "aliases",
	"url":           "url",       // Hugo, Pelican
	"path":          "path",      // Zola
	"permalink":     "permalink", // Jekyll

	// Keys that make a page a redirect.
	"redirect":    "redirect", // the Go blog (golang.org/x/website)
	"redirect_to": "redirect", // Jekyll's jekyll-redirect-from
}

// DefaultTaxonomies are the front matter keys whose values are tags when
// site.toml names none.
var DefaultTaxonomies = []string{"tags", "categories", "category"}

// knownKeys holds each key of keyAliases, as itself.
var knownKeys = func() map[string]string {
	m := make(map[string]string, len(keyAliases))
	for k := range keyAliases {
		m[k] = k
	}
	return m
}()

// internedKey is key, or the one string a known key (keyAliases) is
// kept as: a site's posts give the same few keys, and each post's Params
// would otherwise keep strings of its own for them.
func internedKey(key string) string {
	if k, ok := knownKeys[key]; ok {
		return k
	}
	return key
}

// decodeMeta interprets front matter fields; dates without a zone are in
// loc, and the keys taxonomies names (nil: DefaultTaxonomies) hold tags.
func decodeMeta(path string, fields []field, loc *time.Location, taxonomies []string) (Meta, Errors) {
	if taxonomies == nil {
		taxonomies = DefaultTaxonomies
	}
	m := Meta{Lines: map[string]int{}, Params: make(map[string]any, len(fields))}
	var errs Errors
	var description string
	var published time.Time
	type image struct {
		src, alt string
		line     int
	}
	images := map[string]image{} // of images and cover
	bad := func(f field, format string, args ...any) {
		errs = append(errs, errorf(path, f.line, "front matter: %s: %s", f.key, fmt.Sprintf(format, args...)))
	}
	for _, f := range fields {
		if r, bad := badValueRune(f.value); bad {
			errs = append(errs, errorf(path, f.line, "front matter: %s: holds %s; remove it", f.key, describeRune(r)))
			continue
		}
		if _, seen := m.Params[f.key]; !seen {
			m.Params[internedKey(f.key)] = f.value
		}
		key, known := keyAliases[f.key]
		if !known || f.value == nil || (key == "tags" && f.key != "taxonomies" && !slices.Contains(taxonomies, f.key)) {
			continue
		}
		if _, seen := m.Lines[key]; seen && key != "tags" && key != "authors" && key != "aliases" {
			bad(f, "given twice (also on line %d)", m.Lines[key])
			continue
		}
		m.Lines[key] = f.line
		switch key {
		case "title", "summary", "description", "slug":
			s, ok := scalarString(f.value)
			if !ok {
				bad(f, "want text, found %s", describe(f.value))
				continue
			}
			s = strings.TrimSpace(s)
			switch key {
			case "title":
				m.Title = s
			case "summary":
				m.Summary = s
			case "description":
				description = s
			case "slug":
				m.Slug = s
			}
		case "authors":
			names, ok := authorList(f.value)
			if !ok {
				bad(f, "want a name, a list of names or a comma-separated string, found %s", describe(f.value))
				continue
			}
			m.Authors = appendTags(m.Authors, names)
		case "date", "updated", "publishdate":
			t, err := parseDate(f.value, loc)
			if err != nil {
				bad(f, "%v", err)
				continue
			}
			switch key {
			case "date":
				m.Date = t
			case "updated":
				m.Updated = t
			default:
				published = t
			}
		case "published":
			if t, err := parseDate(f.value, loc); err == nil { // Hugo's published may be a date
				published = t
				continue
			}
			fallthrough
		case "draft":
			b, ok := ParseBool(f.value)
			if !ok {
				bad(f, "want true or false, found %s", describe(f.value))
				continue
			}
			m.Draft = b == (key == "draft")
		case "toc":
			b, ok := ParseBool(f.value)
			if !ok {
				bad(f, "want true or false, found %s", describe(f.value))
				continue
			}
			m.TOC = &b
		case "status": // Pelican: draft, published, hidden
			s, _ := scalarString(f.value)
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "draft", "hidden":
				m.Draft = true
			case "published":
			default:
				bad(f, "want draft, hidden or published, found %s", describe(f.value))
			}
		case "tags":
			if tax, isTable := f.value.(map[string]any); isTable {
				for _, name := range taxonomies {
					if v, ok := tax[name]; ok {
						tags, ok := stringList(v)
						if !ok {
							bad(f, "%s: want a list, found %s", name, describe(v))
							continue
						}
						m.Tags = appendTags(m.Tags, tags)
					}
				}
				continue
			}
			tags, ok := stringList(f.value)
			if !ok {
				bad(f, "want a list or a comma-separated string, found %s", describe(f.value))
				continue
			}
			m.Tags = appendTags(m.Tags, tags)
		case "aliases":
			list, ok := stringList(f.value)
			if !ok {
				bad(f, "want a list of URL paths, found %s", describe(f.value))
				continue
			}
			for _, a := range list {
				a = strings.TrimSpace(a)
				if a == "" || strings.Contains(a, "://") || strings.HasPrefix(a, "//") {
					bad(f, "%q: want a URL path on this site, without scheme and host", a)
					continue
				}
				d, err := decodeURLPath(a)
				if err != nil {
					bad(f, "%v", err)
					continue
				}
				m.Aliases = append(m.Aliases, d)
				m.aliasLines = append(m.aliasLines, f.line)
			}
		case "image":
			src, alt, ok := imageValue(f.value)
			if !ok {
				bad(f, "want a URL or path, or a table with path and alt, found %s", describe(f.value))
				continue
			}
			m.Image, m.ImageAlt = src, alt
		case "images", "cover":
			// Other engines' keys, whose shape themes vary: read when
			// they hold an image, else left to templates.
			v := f.value
			if list, ok := v.([]any); ok && key == "images" && len(list) > 0 {
				v = list[0]
			}
			if t, ok := v.(map[string]any); ok && key == "cover" {
				v = map[string]any{"path": t["image"], "alt": t["alt"]}
			}
			if src, alt, ok := imageValue(v); ok && src != "" {
				images[key] = image{src, alt, f.line}
			}
		case "redirect":
			target, err := redirectTarget(f.value)
			if err != nil {
				bad(f, "%v", err)
				continue
			}
			m.Redirect = target
		}
	}
	if m.Summary == "" {
		m.Summary = description
	}
	for _, k := range []string{"images", "cover"} {
		if im, ok := images[k]; ok && m.Image == "" {
			m.Image, m.ImageAlt, m.Lines["image"] = im.src, im.alt, im.line
		}
	}
	if m.Date.IsZero() {
		m.Date = published // Hugo: date, else publishDate, pubdate or published
	}
	if len(m.Authors) > 0 {
		m.Author = m.Authors[0]
	}
	return m, errs
}

// authorList reads an author value: a name, a comma-separated string of
// names, or a list of names (each whole, commas and all) or of tables
// with a name key (Hugo themes').
func authorList(v any) ([]string, bool) {
	list, isList := v.([]any)
	if !isList {
		if m, isTable := v.(map[string]any); isTable {
			list = []any{m}
		} else {
			return stringList(v)
		}
	}
	var names []string
	for _, e := range list {
		if m, isTable := e.(map[string]any); isTable {
			e = nil
			for k, val := range m {
				if strings.EqualFold(k, "name") {
					e = val
				}
			}
		}
		s, ok := scalarString(e)
		if !ok {
			return nil, false
		}
		if s = strings.TrimSpace(s); s != "" {
			names = append(names, s) // a list's names are whole: "Russ Cox, for the Go team"
		}
	}
	return names, true
}

// imageValue reads an image key's value: a URL or path, or a table
// whose path, url, src or image key holds it (the first of them given,
// in that order), with alt.
func imageValue(v any) (src, alt string, ok bool) {
	if t, isTable := v.(map[string]any); isTable {
		keys := map[string]string{} // lower-cased
		for k, val := range t {
			s, _ := val.(string)
			keys[strings.ToLower(k)] = s
		}
		for _, k := range []string{"path", "url", "src", "image"} { // the first given
			if src = strings.TrimSpace(keys[k]); src != "" {
				break
			}
		}
		return src, strings.TrimSpace(keys["alt"]), true
	}
	s, ok := v.(string)
	return strings.TrimSpace(s), "", ok
}

// appendTags adds tags not yet in list, keeping the first spelling.
func appendTags(list, tags []string) []string {
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		dup := false
		for _, have := range list {
			if strings.EqualFold(have, t) {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, t)
		}
	}
	return list
}

func scalarString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// stringList accepts a list of scalars or one comma-separated string.
func stringList(v any) ([]string, bool) {
	switch v := v.(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := scalarString(e)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case string:
		var out []string
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out, true
	}
	return nil, false
}

// ParseBool reads a front matter flag as the loader does: a boolean, or
// the strings true, yes, on and false, no, off (any case, spaces
// trimmed). ok is false for any other value.
func ParseBool(v any) (value, ok bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "yes", "on":
			return true, true
		case "false", "no", "off":
			return false, true
		}
	}
	return false, false
}

func describe(v any) string {
	switch v := v.(type) {
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	case string:
		return strconv.Quote(v)
	}
	return fmt.Sprint(v)
}
