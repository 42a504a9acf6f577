package content

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// InitSite creates a new site in dir: site.toml, a first post and an
// empty static/ directory. It refuses a directory that already holds a site.
func InitSite(dir, title string, now time.Time) error {
	if _, err := os.Stat(filepath.Join(dir, ConfigFile)); err == nil {
		return fmt.Errorf("%s: already a site (it has %s)", dir, ConfigFile)
	}
	if title == "" {
		title = "My Blog"
	}
	config := fmt.Sprintf(`# Site configuration; every key is described by "go doc github.com/siteblog/site/content".
title = %s
base_url = "https://example.org/"
description = "Notes and code."
language = "en"
timezone = "UTC"
paginate = 10

[author]
name = "Your Name"
`, strconv.Quote(title))
	if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(PostsDir)), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, StaticDir), 0o755); err != nil {
		return err
	}
	if err := writeNew(filepath.Join(dir, ConfigFile), []byte(config)); err != nil {
		return err
	}
	// The output and the build cache are made from the sources; keep them out of version control.
	if err := writeNew(filepath.Join(dir, ".gitignore"), []byte("/public/\n/.site-cache/\n")); err != nil {
		return err
	}
	_, err := NewPost(dir, "Hello, world", false, now,
		"This is your first post. Edit it in `content/posts/`, then run `site serve` to preview\nor `site build` to publish the site into `public/`.\n\n```go\nfmt.Println(\"hello, world\")\n```\n")
	return err
}

// NewPost writes content/posts/<slug>.md in the site directory dir with
// front matter for title, dated now, and returns its path. It never
// overwrites a file.
func NewPost(dir, title string, draft bool, now time.Time, body string) (string, error) {
	slug := Slugify(title)
	if slug == "" {
		return "", fmt.Errorf("title %q has no letters or digits to make a file name of", title)
	}
	p := filepath.Join(dir, filepath.FromSlash(PostsDir), slug+".md")
	fm := fmt.Sprintf("---\ntitle: %s\ndate: %s\ntags: []\ndraft: %t\n---\n\n%s",
		strconv.Quote(title), now.Format(time.RFC3339), draft, body)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	return p, writeNew(p, []byte(fm))
}

// writeNew creates file p with data, failing if it exists.
func writeNew(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; not overwriting it", p)
		}
		return err
	}
	_, err = f.WriteString(strings.TrimLeft(string(data), "\n"))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
