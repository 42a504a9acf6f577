package content

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
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
	Author  string
	Aliases []string
	// Lines maps a canonical key to the line it stands on, for messages.
	Lines map[string]int
	// Params holds every front matter key, lower-cased, with its value as
	// read (string, bool, int64, float64, time.Time, []any, map[string]any),
	// for templates (.Params), Liquid (page.*) and the other engines'
	// keys (template, liquid, url, path, …).
	Params map[string]any
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
	"status":      "status",
	"tags":        "tags",
	"categories":  "tags",
	"category":    "tags",
	"summary":     "summary",
	"description": "description",
	"slug":        "slug",
	"author":      "author",
	"authors":     "author",
	"aliases":     "aliases",

	// Keys that set a page's URL, and Jekyll's name for aliases.
	"redirect_from": "aliases",
	"url":           "url",       // Hugo, Pelican
	"path":          "path",      // Zola
	"permalink":     "permalink", // Jekyll
}

// decodeMeta interprets front matter fields; dates without a zone are in loc.
func decodeMeta(path string, fields []field, loc *time.Location) (Meta, Errors) {
	m := Meta{Lines: map[string]int{}, Params: make(map[string]any, len(fields))}
	var errs Errors
	var description string
	bad := func(f field, format string, args ...any) {
		errs = append(errs, errorf(path, f.line, "front matter: %s: %s", f.key, fmt.Sprintf(format, args...)))
	}
	for _, f := range fields {
		if _, seen := m.Params[f.key]; !seen {
			m.Params[f.key] = f.value
		}
		key, known := keyAliases[f.key]
		if !known || f.value == nil {
			continue
		}
		if _, seen := m.Lines[key]; seen && key != "tags" && key != "aliases" {
			bad(f, "given twice (also on line %d)", m.Lines[key])
			continue
		}
		m.Lines[key] = f.line
		switch key {
		case "title", "summary", "description", "slug", "author":
			s, ok := scalarString(f.value)
			if key == "author" && !ok {
				if list, isList := f.value.([]any); isList && len(list) > 0 {
					s, ok = scalarString(list[0])
				}
			}
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
			case "author":
				m.Author = s
			}
		case "date", "updated":
			t, err := parseDate(f.value, loc)
			if err != nil {
				bad(f, "%v", err)
				continue
			}
			if key == "date" {
				m.Date = t
			} else {
				m.Updated = t
			}
		case "draft", "published":
			b, ok := parseBool(f.value)
			if !ok {
				bad(f, "want true or false, found %s", describe(f.value))
				continue
			}
			m.Draft = b == (key == "draft")
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
				if a == "" || strings.Contains(a, "://") || strings.HasPrefix(a, "//") || checkURLChars(a) != nil {
					bad(f, "%q: want a URL path on this site, without scheme, host, ?, # or \\", a)
					continue
				}
				m.Aliases = append(m.Aliases, a)
			}
		}
	}
	if m.Summary == "" {
		m.Summary = description
	}
	return m, errs
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

func parseBool(v any) (bool, bool) {
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

// dateLayouts are the accepted date forms, tried in order. Forms without a
// zone are read in the site's time zone.
var dateLayouts = []struct {
	layout string
	zone   bool
}{
	{time.RFC3339Nano, true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04:05 -0700", true},
	{"2006-01-02 15:04 -0700", true},
	{"2006-01-02T15:04:05", false},
	{"2006-01-02 15:04:05", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02 15:04", false},
	{"2006-01-02", false},
}

// ParseDate reads a date in one of the accepted forms: RFC 3339,
// "2006-01-02", "2006-01-02 15:04" (and with seconds, or a numeric zone);
// a date without a zone is in loc.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		var t time.Time
		var err error
		if l.zone {
			t, err = time.Parse(l.layout, s)
		} else {
			t, err = time.ParseInLocation(l.layout, s, loc)
		}
		if err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a date: want RFC 3339 (2006-01-02T15:04:05+01:00), 2006-01-02 or 2006-01-02 15:04", s)
}

func parseDate(v any, loc *time.Location) (time.Time, error) {
	switch v := v.(type) {
	case string:
		return ParseDate(v, loc)
	case time.Time: // TOML offset date-time
		return v, nil
	case toml.LocalDate:
		return time.Date(v.Year, time.Month(v.Month), v.Day, 0, 0, 0, 0, loc), nil
	case toml.LocalDateTime:
		return time.Date(v.Year, time.Month(v.Month), v.Day, v.Hour, v.Minute, v.Second, v.Nanosecond, loc), nil
	}
	return time.Time{}, fmt.Errorf("want a date, found %s", describe(v))
}
