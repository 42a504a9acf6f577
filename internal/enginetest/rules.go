package enginetest

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/goccy/go-yaml"
	"github.com/pelletier/go-toml/v2"
)

// ExpectFromRules derives, for an engine Debian does not ship (zola,
// goblog), each post's URL, day, title and authors from its front matter
// and file name by the engine's documented rules. The posts are Partial:
// their bodies are not predicted.
//
// Zola: every content/**/*.md but _index.md; the URL is path (exact, with
// a trailing slash) or the section's path and the slug (slug, else the
// file or bundle directory name without a YYYY-MM-DD[_-] prefix, slugified
// as Zola's default "on" strategy does); the date is date, else the file
// name's prefix, else the YYYY/MM/DD segments of path (Zola itself has
// no date then; blogs such as Rust's show the one in "[SECTION/]YYYY/MM/DD/
// slug", and so does site); authors are authors; drafts are left out.
//
// Go blog: every _content/blog/*.md; the URL is /blog/NAME.html; the date
// is date as written; authors are by.
func ExpectFromRules(engine, dir string) ([]*Post, error) {
	switch engine {
	case "zola":
		return zolaPosts(dir)
	case "goblog":
		return goblogPosts(dir)
	}
	return nil, fmt.Errorf("%s: no rules; build it with the engine", engine)
}

// frontMatter splits a file into its front matter, parsed, and reports
// which delimiter it had.
func frontMatter(data []byte) (map[string]any, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	m := map[string]any{}
	for _, d := range []struct {
		delim string
		parse func([]byte, any) error
	}{{"+++", toml.Unmarshal}, {"---", func(b []byte, v any) error { return yaml.Unmarshal(b, v) }}} {
		if !bytes.HasPrefix(data, []byte(d.delim)) {
			continue
		}
		rest := data[len(d.delim):]
		end := bytes.Index(rest, []byte("\n"+d.delim))
		if end < 0 {
			return nil, fmt.Errorf("front matter not closed by %s", d.delim)
		}
		if err := d.parse(rest[:end], &m); err != nil {
			return nil, err
		}
		return m, nil
	}
	return nil, fmt.Errorf("no front matter")
}

var (
	datePrefix = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[_-]`)
	pathDate   = regexp.MustCompile(`(?:^|/)(\d{4})/(\d{2})/(\d{2})(?:/|$)`)
)

// dayOf reads a front matter date as the day it shows, in its own offset.
func dayOf(v any) string {
	switch v := v.(type) {
	case time.Time:
		return v.Format("2006-01-02")
	case toml.LocalDate:
		return v.String()
	case toml.LocalDateTime:
		return v.LocalDate.String()
	case string:
		s := strings.TrimSpace(v)
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-1-2", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.Format("2006-01-02")
			}
		}
		if len(s) >= 10 {
			return s[:10]
		}
		return s
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func stringList(v any) []string {
	out := []string{}
	switch v := v.(type) {
	case string:
		out = append(out, v)
	case []any:
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
	}
	return out
}

// zolaSlug is Zola's default slugify ("on"): lower-case, every run of
// other characters than letters and digits one hyphen, none at the ends.
func zolaSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

func zolaPosts(dir string) ([]*Post, error) {
	root := filepath.Join(dir, "content")
	var posts []*Post
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".md" || d.Name() == "_index.md" {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fm, err := frontMatter(data)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		if dr, _ := fm["draft"].(bool); dr {
			return nil
		}
		name := strings.TrimSuffix(d.Name(), ".md")
		section := path.Dir(strings.TrimPrefix(rel, "content/"))
		if name == "index" {
			name = path.Base(section)
			section = path.Dir(section)
		}
		day := dayOf(fm["date"])
		if m := datePrefix.FindStringSubmatch(name); m != nil {
			if day == "" {
				day = m[1]
			}
			name = name[len(m[0]):]
		}
		var u string
		if pth, ok := fm["path"].(string); ok && strings.Trim(pth, "/") != "" {
			u = "/" + strings.Trim(pth, "/") + "/"
			if m := pathDate.FindStringSubmatch(pth); m != nil && day == "" {
				day = m[1] + "-" + m[2] + "-" + m[3]
			}
		} else {
			slug := zolaSlug(name)
			if s, ok := fm["slug"].(string); ok {
				slug = zolaSlug(s)
			}
			u = "/" + slug + "/"
			if section != "." {
				u = "/" + section + u
			}
		}
		title, _ := fm["title"].(string)
		if title == "" {
			return nil // not a post: a redirect or a listing with a template of its own
		}
		posts = append(posts, &Post{Source: rel, URL: u, Day: day, Title: collapse(title), Authors: normAuthors(stringList(fm["authors"]), ""), Partial: true})
		return nil
	})
	sort.Slice(posts, func(i, j int) bool { return posts[i].Source < posts[j].Source })
	return posts, err
}

func goblogPosts(dir string) ([]*Post, error) {
	files, err := filepath.Glob(filepath.Join(dir, "_content", "blog", "*.md"))
	if err != nil {
		return nil, err
	}
	var posts []*Post
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		rel := "_content/blog/" + filepath.Base(p)
		if !bytes.HasPrefix(data, []byte("---\n")) {
			continue // not a post (a README)
		}
		fm, err := frontMatter(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		if _, redirect := fm["redirect"]; redirect || fm["date"] == nil {
			continue // not a post: a redirect, or a listing (index.md, all.md)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".md")
		title, _ := fm["title"].(string)
		posts = append(posts, &Post{Source: rel, URL: "/blog/" + name + ".html", Day: dayOf(fm["date"]), Title: collapse(title), Authors: normAuthors(stringList(fm["by"]), ""), Partial: true})
	}
	sort.Slice(posts, func(i, j int) bool { return posts[i].Source < posts[j].Source })
	return posts, nil
}
