// Package scaffold writes the files `site init` and `site new` create: a
// new site's site.toml, .gitignore, first post and static/ directory, and
// new posts and pages with front matter. It never overwrites a file.
//
// # site init
//
// InitSite writes into the site directory:
//
//	site.toml                   title, base_url, description, language,
//	                            paginate and author.name, then a commented
//	                            timezone line; every key before any table
//	.gitignore                  /public/, what publishing keeps beside it
//	                            (/.public.prev/, /.public.new-*, /.public.lock)
//	                            and /.site-cache/
//	content/posts/hello-world.md  a first post
//	static/                     empty
//
// site.toml holds no table header, so a key appended at its end stays a
// top-level key; its first lines point at the documentation of every key
// (DocURL), which works wherever the site lives.
//
// # site new
//
// New takes a title or a path. A title ("My first post") makes
// content/posts/<slug>.md. An argument that ends in a Markdown extension
// (.md, .markdown, .mdown, .mkd, .mkdn) or holds a "/" is a path under
// content/ ("posts/x.md", "about.md", "posts/trip/index.md"; a leading
// "content/" is allowed, ".md" is added when there is no extension); the
// title is made from the file name, or the directory name for index.md,
// as the build titles a page without one: "2024-05-01-my-first-post.md"
// gives "My First Post". A file in a posts
// section (the site's sections, default posts) gets title, date, tags and
// draft; any other file is a standalone page and gets title (and draft
// with --draft).
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/siteblog/site/content"
)

// DocURL documents every key of site.toml.
const DocURL = "https://pkg.go.dev/github.com/siteblog/site/content#Config"

// Config is the site.toml that InitSite writes, with %s for the quoted title.
const configTemplate = `# The configuration of this site. Every key, and its default, is described
# at ` + DocURL + `
title = %s
base_url = "https://example.org/"
description = "Notes and code."
language = "en"
paginate = 10
author.name = "Your Name"
# author.email = "you@example.org"
# timezone = "Europe/Berlin"   # converts every date; without it a date keeps its own offset

# Top-level keys go above this line. Tables ([feed], [highlight], [params])
# go below it: every key after a [table] line belongs to that table.
`

// gitignore is a new site's .gitignore: the output, what publishing keeps
// beside it (the spare tree, staging trees, the lock file; render/doc.go)
// and the cache.
const gitignore = "/public/\n/.public.prev/\n/.public.new-*\n/.public.lock\n/.site-cache/\n"

// InitSite creates a new site in dir: site.toml, .gitignore, a first post
// and an empty static/ directory. It refuses a directory that already
// holds a site.
func InitSite(dir, title string, now time.Time) error {
	if _, err := os.Stat(filepath.Join(dir, content.ConfigFile)); err == nil {
		return fmt.Errorf("%s: already a site (it has %s)", dir, content.ConfigFile)
	}
	if title == "" {
		title = "My Blog"
	}
	if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(content.PostsDir)), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, content.StaticDir), 0o755); err != nil {
		return err
	}
	if err := writeNew(filepath.Join(dir, content.ConfigFile), fmt.Sprintf(configTemplate, strconv.Quote(title))); err != nil {
		return err
	}
	// The output and the build cache are made from the sources; keep them out of version control.
	if err := writeNew(filepath.Join(dir, ".gitignore"), gitignore); err != nil {
		return err
	}
	_, err := New(dir, "Hello, world", Options{Now: now, Body: "This is your first post. Edit it in `content/posts/`, then run `site serve` to preview\nor `site build` to publish the site into `public/`.\n\n```go\nfmt.Println(\"hello, world\")\n```\n"})
	return err
}

// Options are the choices of New.
type Options struct {
	// Draft marks the new file as a draft.
	Draft bool
	// Now is the date a post gets.
	Now time.Time
	// Sections are the directories under content/ whose files are posts.
	// Default ["posts"].
	Sections []string
	// Body follows the front matter.
	Body string
}

// IsPath reports whether New reads arg as a path rather than a title.
func IsPath(arg string) bool {
	return strings.Contains(arg, "/") || content.IsMarkdown(arg)
}

// New writes a post or page in the site directory dir from arg, a title or
// a path under content/ (see the package documentation), and returns the
// file's path. It never overwrites a file.
func New(dir, arg string, opts Options) (string, error) {
	sections := opts.Sections
	if len(sections) == 0 {
		sections = []string{"posts"}
	}
	var rel, title string
	if IsPath(arg) {
		var err error
		if rel, err = contentPath(arg); err != nil {
			return "", err
		}
		if title = TitleOf(rel); title == "" {
			return "", fmt.Errorf("%q: no letters or digits in the file name to make a title of", arg)
		}
	} else {
		slug := content.Slugify(arg)
		if slug == "" {
			return "", fmt.Errorf("title %q has no letters or digits to make a file name of", arg)
		}
		rel, title = path.Join(sections[0], slug+".md"), arg
	}
	post := false
	for _, s := range sections {
		if rel == s || strings.HasPrefix(rel, s+"/") {
			post = true
		}
	}
	var fm strings.Builder
	fmt.Fprintf(&fm, "---\ntitle: %s\n", strconv.Quote(title))
	if post {
		fmt.Fprintf(&fm, "date: %s\ntags: []\ndraft: %t\n", opts.Now.Format(time.RFC3339), opts.Draft)
	} else if opts.Draft {
		fm.WriteString("draft: true\n")
	}
	fm.WriteString("---\n\n")
	fm.WriteString(opts.Body)
	p := filepath.Join(dir, content.ContentDir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	return p, writeNew(p, fm.String())
}

// contentPath cleans a path given to New into a slash-separated path
// under content/, adding ".md" when it has no Markdown extension.
func contentPath(arg string) (string, error) {
	p := filepath.ToSlash(arg)
	if path.IsAbs(p) || filepath.IsAbs(arg) {
		return "", fmt.Errorf("%s: want a path under content/, like posts/my-post.md", arg)
	}
	p = path.Clean(p)
	p = strings.TrimPrefix(p, content.ContentDir+"/")
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("%s: want a path under content/, like posts/my-post.md", arg)
	}
	if !content.IsMarkdown(p) {
		if path.Ext(p) != "" {
			return "", fmt.Errorf("%s: want a Markdown file (%s)", arg, strings.Join(content.MarkdownExts, ", "))
		}
		p += ".md"
	}
	return p, nil
}

// TitleOf makes a title of a content path's file name (or its directory's
// name for index.md and _index.md), as the build titles a page without
// one (content.TitleOfFile); "" when the name has no letter or digit.
func TitleOf(rel string) string {
	title := content.TitleOfFile(rel)
	if strings.IndexFunc(title, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return ""
	}
	return title
}

// writeNew creates file p with data, failing if it exists.
func writeNew(p, data string) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; not overwriting it", p)
		}
		return err
	}
	_, err = f.WriteString(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", p, err)
	}
	return nil
}
