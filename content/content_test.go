package content

import (
	"errors"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unsafe"
)

var berlin = mustLocation("Europe/Berlin")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func TestFrontMatterForms(t *testing.T) {
	want := Meta{
		Title:   "Hello, world",
		Date:    time.Date(2025, 3, 14, 9, 30, 0, 0, berlin),
		Tags:    []string{"Go", "Static Sites"},
		Summary: "A short summary.",
		Slug:    "hello",
		Draft:   true,
		Author:  "Ada",
		Aliases: []string{"/old/hello.html"},
	}
	tests := []struct {
		name, src string
		bodyLine  int      // line of "Body text." in the file
		authors   []string // nil: Ada
	}{
		{"yaml", `---
Title: "Hello, world"
DATE: 2025-03-14 09:30
tags: [Go, Static Sites]
summary: A short summary.
slug: hello
draft: true
author: Ada
aliases: ["/old/hello.html"]
---

Body text.
`, 12, nil},
		{"toml", `+++
Title = "Hello, world"
Date = 2025-03-14T09:30:00
tags = ["Go", "Static Sites"]
description = "A short summary."
slug = "hello"
draft = true
author = "Ada"
aliases = ["/old/hello.html"]
+++
Body text.
`, 11, nil},
		{"pelican", `Title: Hello, world
Date: 2025-03-14 09:30
Tags: Go, Static Sites
Summary: A short
  summary.
Slug: hello
Status: draft
Author: Ada
Aliases: /old/hello.html

Body text.
`, 11, nil},
		{"yaml comma tags and categories", `---
title: Hello, world
date: "2025-03-14T09:30:00+01:00"
tags: Go, Static Sites
categories: [static sites]
description: A short summary.
slug: hello
published: false
authors: [Ada, Bob]
layout: post
redirect_from:
  - /old/hello.html
---
Body text.
`, 14, []string{"Ada", "Bob"}},
		{"go blog by", `---
title: Hello, world
date: 2025-03-14T08:30:00Z
tags:
- Go
- Static Sites
summary: A short summary.
slug: hello
draft: true
by:
- Ada
- Bob Lee, for the team
aliases: ["/old/hello.html"]
---
Body text.
`, 15, []string{"Ada", "Bob Lee, for the team"}},
		{"pelican authors", `title: Hello, world
date: 2025-03-14 09:30
tags: Go, Static Sites
summary: A short summary.
slug: hello
STATUS: draft
Authors: Ada, Bob Lee, Chen
Aliases: /old/hello.html

Body text.
`, 10, []string{"Ada", "Bob Lee", "Chen"}},
		{"author and authors together", `+++
title = "Hello, world"
date = 2025-03-14T09:30:00+01:00
tags = ["Go", "Static Sites"]
summary = "A short summary."
slug = "hello"
draft = true
author = "Ada, Bob"
authors = [{name = "Bob"}, {name = "Chen"}]
aliases = ["/old/hello.html"]
+++
Body text.
`, 12, []string{"Ada", "Bob", "Chen"}},
		{"json", `{
  "title": "Hello, world",
  "Date": "2025-03-14T09:30:00",
  "tags": ["Go", "Static Sites"],
  "summary": "A short summary.",
  "slug": "hello",
  "draft": true,
  "author": "Ada",
  "aliases": ["/old/hello.html"],
  "weight": 3,
  "params": {"ratio": 1.5, "nested": {"n": 2}}
}
Body text.
`, 13, nil},
		{"json, body after the brace", "{\"title\": \"Hello, world\", \"date\": \"2025-03-14 09:30\", \"tags\": [\"Go\", \"Static Sites\"], \"summary\": \"A short summary.\", \"slug\": \"hello\", \"draft\": true, \"author\": \"Ada\", \"aliases\": [\"/old/hello.html\"]}Body text.\n", 1, nil},
		{"json after blank space, one line", "\n  { \"title\": \"Hello, world\", \"date\": \"2025-03-14 09:30\", \"tags\": [\"Go\", \"Static Sites\"], \"summary\": \"A short summary.\", \"slug\": \"hello\", \"draft\": true, \"author\": \"Ada\", \"aliases\": [\"/old/hello.html\"]}\r\n\nBody text.\n", 4, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields, body, err := splitFrontMatter("p.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			got, errs := decodeMeta("p.md", fields, berlin, nil)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			got.Lines, got.Params, got.aliasLines = nil, nil, nil // checked by their own tests
			want := want
			want.Authors = tt.authors
			if want.Authors == nil {
				want.Authors = []string{"Ada"}
			}
			if !got.Date.Equal(want.Date) {
				t.Errorf("date = %v, want %v", got.Date, want.Date)
			}
			got.Date = want.Date
			if !reflect.DeepEqual(got, want) {
				t.Errorf("meta = %+v\nwant   %+v", got, want)
			}
			lines := strings.Split(string(body), "\n")
			if len(lines) < tt.bodyLine || lines[tt.bodyLine-1] != "Body text." {
				t.Errorf("body line %d is not the text; body = %q", tt.bodyLine, body)
			}
		})
	}
}

func TestNoFrontMatter(t *testing.T) {
	for _, src := range []string{"Note: this starts with a colon.\n", "# Heading\n", ""} {
		fields, body, err := splitFrontMatter("p.md", []byte(src))
		if err != nil || fields != nil || string(body) != src {
			t.Errorf("%q: got fields %v, body %q, err %v; want it all body", src, fields, body, err)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2025-03-14T09:30:00+01:00", time.Date(2025, 3, 14, 8, 30, 0, 0, time.UTC)},
		{"2025-03-14T09:30:00Z", time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)},
		{"2024-11-02", time.Date(2024, 11, 2, 0, 0, 0, 0, berlin)},
		{"2025-01-20 18:45", time.Date(2025, 1, 20, 18, 45, 0, 0, berlin)},
		{"2025-01-20 18:45:10", time.Date(2025, 1, 20, 18, 45, 10, 0, berlin)},
		{"2025-01-20T18:45:10", time.Date(2025, 1, 20, 18, 45, 10, 0, berlin)},
		{"2019-01-20 10:00:00 +0100", time.Date(2019, 1, 20, 9, 0, 0, 0, time.UTC)},
		{" 2024-07-01 ", time.Date(2024, 7, 1, 0, 0, 0, 0, berlin)},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, berlin)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"yesterday", "2025-13-01", "14/03/2025", "2025-03-14T25:00:00Z", ""} {
		if _, err := ParseDate(bad, berlin); err == nil {
			t.Errorf("ParseDate(%q) succeeded; want an error", bad)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hello, World!", "hello-world"},
		{"Writing code listings", "writing-code-listings"},
		{"Café notes: Übersicht — naïve résumé", "café-notes-übersicht-naïve-résumé"},
		{"Cafe\u0301 decomposed", "café-decomposed"}, // NFC
		{"Привет, мир", "привет-мир"},
		{"日本語のブログ", "日本語のブログ"},
		{"Don't panic", "dont-panic"},
		{"  --Go 1.22 & HTTP/2--  ", "go-1-22-http-2"},
		{"C++ vs. C#", "c-vs-c"},
		{"!!!", ""},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTags(t *testing.T) {
	tests := []struct {
		value any
		want  []string
	}{
		{[]any{"go", "Web"}, []string{"go", "Web"}},
		{"go, web ,  ,rust", []string{"go", "web", "rust"}},
		{[]any{"Go", "go", " GO "}, []string{"Go"}},
		{[]any{int64(2024)}, []string{"2024"}},
	}
	for _, tt := range tests {
		m, errs := decodeMeta("p.md", []field{{key: "tags", value: tt.value, line: 2}}, time.UTC, nil)
		if len(errs) > 0 || !reflect.DeepEqual(m.Tags, tt.want) {
			t.Errorf("tags %#v = %#v (%v), want %#v", tt.value, m.Tags, errs, tt.want)
		}
	}
}

// site builds a MapFS site from name → file contents.
func site(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{"site.toml": {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\ntimezone = \"Europe/Berlin\"\n")}}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func load(t *testing.T, fsys fstest.MapFS, opts Options) (*Site, error) {
	t.Helper()
	cfg, err := LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return Load(fsys, cfg, opts)
}

func TestSummaries(t *testing.T) {
	tests := []struct {
		name, src   string
		wantSummary string // "" means nil: first paragraph
		bodyHasMore bool
	}{
		{"front matter", "---\ntitle: A\ndate: 2024-01-01\nsummary: From front matter.\n---\nFirst.\n\n<!--more-->\nRest.\n", "From front matter.", false},
		{"more separator", "---\ntitle: A\ndate: 2024-01-01\n---\nIntro *one*.\n\nIntro two.\n<!--more-->\nRest.\n", "Intro *one*.\n\nIntro two.", false},
		{"first paragraph", "---\ntitle: A\ndate: 2024-01-01\n---\nFirst.\n\nSecond.\n", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, site(map[string]string{"content/posts/a.md": tt.src}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			pg := s.Posts[0]
			if got := string(pg.SummarySource); got != tt.wantSummary {
				t.Errorf("summary = %q, want %q", got, tt.wantSummary)
			}
			if strings.Contains(string(pg.Body), "<!--more-->") {
				t.Errorf("body still holds <!--more-->: %q", pg.Body)
			}
		})
	}
}

func TestLoadSite(t *testing.T) {
	fsys := site(map[string]string{
		"content/posts/new.md":                     "---\ntitle: Newest\ndate: 2025-06-01\ntags: [Go, web]\n---\nx\n",
		"content/posts/old.md":                     "+++\ntitle = \"Oldest\"\ndate = 2024-01-01\ntags = [\"go\"]\n+++\nx\n",
		"content/posts/2024-12-31-late.md":         "Title: Edge\nDate: 2024-12-31T23:30:00Z\n\nx\n",
		"content/posts/draft.md":                   "---\ntitle: Draft\ndate: 2025-01-01\ndraft: true\n---\nx\n",
		"content/posts/future.md":                  "---\ntitle: Future\ndate: 2099-01-01\n---\nx\n",
		"content/posts/jekyll/2023-05-06-named.md": "---\ntitle: From the name\n---\nx\n",
		"content/posts/bundle/index.md":            "---\ntitle: Bundled Post\ndate: 2025-02-03\n---\n![d](d.svg)\n",
		"content/posts/bundle/d.svg":               "<svg/>",
		"content/posts/bundle/img/e.png":           "png",
		"content/about.md":                         "---\ntitle: About me\n---\nHi\n",
		"content/docs/setup.md":                    "---\ntitle: Setup\nslug: install\n---\nHi\n",
		"content/stray.txt":                        "stray",
		"content/posts/.hidden.md":                 "not a post",
		"static/robots-extra.txt":                  "x",
		"static/.well-known/security.txt":          "x",
	})
	s, err := load(t, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, p := range s.Posts {
		urls = append(urls, p.URL)
	}
	wantURLs := []string{"/2025/06/newest/", "/2025/02/bundled-post/", "/2025/01/edge/", "/2024/01/oldest/", "/2023/05/from-the-name/"}
	if !reflect.DeepEqual(urls, wantURLs) {
		t.Errorf("post URLs = %q\nwant %q", urls, wantURLs)
	}
	if s.Drafts != 1 || s.Future != 1 {
		t.Errorf("left out %d drafts and %d future posts, want 1 and 1", s.Drafts, s.Future)
	}
	var pages []string
	for _, p := range s.Pages {
		pages = append(pages, p.URL)
	}
	if want := []string{"/about/", "/docs/install/"}; !reflect.DeepEqual(pages, want) {
		t.Errorf("page URLs = %q, want %q", pages, want)
	}
	if got := s.Posts[1].Resources; !reflect.DeepEqual(got, []string{"content/posts/bundle/d.svg", "content/posts/bundle/img/e.png"}) {
		t.Errorf("bundle resources = %q", got)
	}
	wantFiles := []File{{"content/stray.txt", "stray.txt"}, {"static/.well-known/security.txt", ".well-known/security.txt"}, {"static/robots-extra.txt", "robots-extra.txt"}}
	if !reflect.DeepEqual(s.Files, wantFiles) {
		t.Errorf("files = %v, want %v", s.Files, wantFiles)
	}
	var tags []string
	for _, tag := range s.Tags {
		var ps []string
		for _, p := range tag.Posts {
			ps = append(ps, p.Title)
		}
		tags = append(tags, tag.Name+"="+strings.Join(ps, ","))
	}
	if want := []string{"go=Newest,Oldest", "web=Newest"}; !reflect.DeepEqual(tags, want) {
		t.Errorf("tags = %q, want %q (named as the oldest post wrote it)", tags, want)
	}

	all, err := load(t, fsys, Options{Drafts: true, Future: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Posts) != 7 || all.Drafts != 0 || all.Future != 0 {
		t.Errorf("with drafts and future: %d posts, %d drafts and %d future left out; want 7, 0, 0", len(all.Posts), all.Drafts, all.Future)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // each must appear in the error
	}{
		{"malformed yaml", map[string]string{"content/posts/x.md": "---\ntitle: A\ndate: 2024-01-01\nsummary: a: b\n---\n"},
			[]string{"content/posts/x.md:4: front matter: mapping value is not allowed"}},
		{"yaml parser error", map[string]string{"content/posts/x.md": "---\ntitle: Bad\n- stray list item\n---\n"},
			[]string{"content/posts/x.md:3: front matter:"}},
		{"yaml error after lone CRs", map[string]string{"content/posts/x.md": "---\ntitle: A\r\rdate: 2024-01-01\n0\n---\n"},
			[]string{"content/posts/x.md:3: front matter:"}},
		{"yaml key after lone CRs", map[string]string{"content/posts/x.md": "---\ntitle: A\r\r\rdate: someday\n---\n"},
			[]string{`content/posts/x.md:2: front matter: date: cannot read "someday" as a date`}},
		{"yaml unclosed list", map[string]string{"content/posts/x.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [a, b\n---\n"},
			[]string{"content/posts/x.md:4: front matter:"}},
		{"delimiter glued to text", map[string]string{"content/posts/x.md": "---\ntitle: A\ndate: 2024-01-01\n---chemix: a: b\n---\n"},
			[]string{"content/posts/x.md:4: front matter: ", `; the line "---chemix: a: b" starts with --- and goes on: put --- alone on its line to end the front matter there, as Hugo reads it`}},
		{"delimiter glued to long text", map[string]string{"content/posts/x.md": "---\ntitle: A\n---chemix-instid-appraisal: a: b\n---\n"},
			[]string{`content/posts/x.md:3: front matter: `, `the line "---chemix-instid-app…" starts with ---`}},
		{"malformed toml", map[string]string{"content/posts/x.md": "+++\ntitle = \"A\"\ndate = \n+++\n"},
			[]string{"content/posts/x.md:3: front matter:"}},
		{"malformed json", map[string]string{"content/posts/x.md": "{\n  \"title\": \"A\",\n  \"date\": 2024-01-01\n}\n"},
			[]string{"content/posts/x.md:3: front matter: JSON: invalid character '-' after object key:value pair"}},
		{"json missing comma", map[string]string{"content/posts/x.md": "{\n  \"title\": \"A\"\n  \"date\": \"2024-01-01\"\n}\n"},
			[]string{"content/posts/x.md:3: front matter: JSON: invalid character '\"' after object key:value pair"}},
		{"json unclosed", map[string]string{"content/posts/x.md": "\n{\n  \"title\": \"A\",\n  \"date\": \"2024-01-01\"\n"},
			[]string{"content/posts/x.md:2: front matter: the JSON object that starts here is not closed"}},
		{"json bad date", map[string]string{"content/posts/x.md": "{\n  \"title\": \"A\",\n  \"date\": \"someday\"\n}\n"},
			[]string{`content/posts/x.md:3: front matter: date: cannot read "someday" as a date`}},
		{"unclosed", map[string]string{"content/posts/x.md": "---\ntitle: A\n"},
			[]string{"content/posts/x.md:1: front matter: no closing --- line"}},
		{"bad date", map[string]string{"content/posts/x.md": "---\ntitle: A\n\ndate: last tuesday\n---\n"},
			[]string{`content/posts/x.md:4: front matter: date: cannot read "last tuesday" as a date`}},
		{"missing date", map[string]string{"content/posts/x.md": "---\ntitle: A\n---\n"},
			[]string{"content/posts/x.md:1: front matter: date is required for posts"}},
		{"bad draft", map[string]string{"content/posts/x.md": "+++\ntitle = \"A\"\ndate = 2024-01-01\ndraft = \"maybe\"\n+++\n"},
			[]string{"content/posts/x.md:4: front matter: draft: want true or false"}},
		{"duplicate slug", map[string]string{
			"content/posts/a.md": "---\ntitle: A\nslug: same\ndate: 2024-01-01\n---\n",
			"content/posts/b.md": "---\ndate: 2024-01-05\nslug: same\ntitle: B\n---\n"},
			[]string{"content/posts/b.md:3: URL /2024/01/same/ is also used by content/posts/a.md"}},
		{"reserved slug", map[string]string{"content/tags.md": "---\ntitle: Tags\n---\n"},
			[]string{"content/tags.md:2: URL /tags/ is reserved"}},
		{"alias taken", map[string]string{
			"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n",
			"content/posts/b.md": "---\ntitle: B\ndate: 2024-01-01\naliases: [/2024/01/a/]\n---\n"},
			[]string{"content/posts/b.md:4: alias /2024/01/a/ is also used by content/posts/a.md"}},
		{"every error reported", map[string]string{
			"content/posts/a.md": "---\ntitle: A\ndraft: maybe\n---\n",
			"content/posts/b.md": "---\ntitle: B\ndate: soon\n---\n"},
			[]string{"content/posts/a.md:3: front matter: draft:", "content/posts/b.md:3: front matter: date:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, site(tt.files), Options{})
			if err == nil {
				t.Fatal("Load succeeded; want an error")
			}
			var list Errors
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not Errors: %v", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

// failingFS fails to open one file, as a file without read permission would.
type failingFS struct {
	fstest.MapFS
	fail string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.fail {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.Open(name)
}

func (f failingFS) ReadFile(name string) ([]byte, error) {
	return fs.ReadFile(struct{ fs.FS }{f}, name)
}

func TestUnreadableFile(t *testing.T) {
	fsys := site(map[string]string{
		"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n",
		"content/posts/b.md": "---\ntitle: B\ndate: 2024-01-01\n---\n",
	})
	cfg, err := LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(failingFS{fsys, "content/posts/b.md"}, cfg, Options{})
	if want := "content/posts/b.md: open: permission denied"; err == nil || err.Error() != want {
		t.Fatalf("err = %v; want %q", err, want)
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key", "title = \"T\"\nbase_url = \"https://e.org/\"\n\ncolour = \"red\"\n", `site.toml:4: unknown key "colour"`},
		{"unknown nested key", "title = \"T\"\nbase_url = \"https://e.org/\"\n[feed]\nlimit = 3\nsummary_only = true\n", `site.toml:5: unknown key "feed.summary_only"`},
		{"syntax", "title = \"T\nbase_url = 1\n", "site.toml:1:"},
		{"bad type", "title = \"T\"\nbase_url = \"https://e.org/\"\npaginate = \"ten\"\n", "site.toml:3:"},
		{"bad timezone", "title = \"T\"\nbase_url = \"https://e.org/\"\ntimezone = \"Mars/Olympus\"\n", `site.toml:3: timezone "Mars/Olympus"`},
		{"bad base url", "title = \"T\"\nbase_url = \"example.org\"\n", `site.toml:2: base_url "example.org"`},
		{"bad permalink", "title = \"T\"\nbase_url = \"https://e.org/\"\npermalink = \"/:year/:name/\"\n", "site.toml:3: permalink \"/:year/:name/\": unknown token :name"},
		{"missing title", "base_url = \"https://e.org/\"\n", "site.toml: title is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.src), "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want it to contain %q", err, tt.want)
			}
		})
	}
	c, err := ParseConfig([]byte("title = \"T\"\nbase_url = \"https://e.org/blog\"\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != "https://e.org/blog/" || c.Paginate != 10 || c.Permalink != "/:year/:month/:slug/" ||
		c.Feed.Limit != 20 || !c.FullFeed() || !c.LineNumbers() || c.Language != "en" || c.Location != time.UTC ||
		c.BasePath() != "/blog/" {
		t.Errorf("defaults not applied: %+v", c)
	}
}

func TestLoader(t *testing.T) {
	fsys := site(map[string]string{
		"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n",
		"content/posts/b.md": "---\ntitle: B\ndate: 2024-02-01\n---\n",
	})
	cfg, err := LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	l := NewLoader(fsys, Options{Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
	titles := func() string {
		t.Helper()
		s, err := l.Load(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var ts []string
		for _, p := range s.Posts {
			ts = append(ts, p.Title)
		}
		return strings.Join(ts, ",")
	}
	if got := titles(); got != "B,A" {
		t.Fatalf("first load: %s", got)
	}
	fsys["content/posts/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A2\ndate: 2024-01-01\n---\n")}
	if got := titles(); got != "B,A" {
		t.Errorf("a file not forgotten was read again: %s", got)
	}
	l.Forget("content/posts/a.md")
	if got := titles(); got != "B,A2" {
		t.Errorf("after Forget: %s, want B,A2", got)
	}
	fsys["content/posts/c.md"] = &fstest.MapFile{Data: []byte("---\ntitle: C\ndate: 2024-03-01\n---\n")}
	delete(fsys, "content/posts/b.md")
	if got := titles(); got != "C,A2" {
		t.Errorf("after adding c and deleting b: %s, want C,A2", got)
	}
	cfg2, _ := ParseConfig([]byte("title = \"T\"\nbase_url = \"https://example.org/\"\npermalink = \"/:slug/\"\n"), "")
	s, err := l.Load(cfg2)
	if err != nil || s.Posts[0].URL != "/c/" {
		t.Errorf("a new configuration must re-read every file: %v %v", s.Posts[0].URL, err)
	}
}

// TestParamValues checks the types front matter values arrive with in
// Params, for templates and Liquid: YAML numbers are numbers, as in TOML.
// metaOf is the metadata of a file p.md of source src, which must have
// no error, with dates in UTC and the default taxonomies.
func metaOf(t *testing.T, src string) Meta {
	t.Helper()
	fields, _, err := splitFrontMatter("p.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, errs := decodeMeta("p.md", fields, time.UTC, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return m
}

func TestParamValues(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		want      map[string]any
	}{
		{"yaml", "---\ntitle: T\nweight: 3\nratio: 1.5\nshow: true\nname: x\nlist: [1, a]\n---\n",
			map[string]any{"weight": int64(3), "ratio": 1.5, "show": true, "name": "x", "list": []any{int64(1), "a"}}},
		{"toml", "+++\ntitle = \"T\"\nweight = 3\nratio = 1.5\nshow = true\nname = \"x\"\nlist = [1, \"a\"]\n+++\n",
			map[string]any{"weight": int64(3), "ratio": 1.5, "show": true, "name": "x", "list": []any{int64(1), "a"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := metaOf(t, tt.src)
			for k, want := range tt.want {
				if got := m.Params[k]; !reflect.DeepEqual(got, want) {
					t.Errorf("Params[%q] = %#v, want %#v", k, got, want)
				}
			}
		})
	}
}

// TestParamsKeysShared: the known keys of every post's Params are the
// one string internedKey keeps, in each front matter form, and other
// keys are kept as written.
func TestParamsKeysShared(t *testing.T) {
	keysOf := func(src string) map[string]*byte {
		at := map[string]*byte{}
		for k := range metaOf(t, src).Params {
			at[k] = unsafe.StringData(k)
		}
		return at
	}
	for _, src := range []string{
		"---\ntitle: A\ndate: 2024-01-01\ntags: [x]\nTitleColor: red\n---\n",
		"+++\ntitle = \"A\"\ndate = 2024-01-01\ntags = [\"x\"]\nTitleColor = \"red\"\n+++\n",
		"Title: A\nDate: 2024-01-01\nTags: x\nTitleColor: red\n\nBody.\n",
		"{\"title\": \"A\", \"date\": \"2024-01-01\", \"tags\": [\"x\"], \"TitleColor\": \"red\"}\n\nBody.\n",
	} {
		a, b := keysOf(src), keysOf(src)
		for _, k := range []string{"title", "date", "tags"} {
			if a[k] == nil || a[k] != b[k] || a[k] != unsafe.StringData(internedKey(k)) {
				t.Errorf("%.20q: Params key %q is not the one string kept for it", src, k)
			}
		}
		if a["titlecolor"] == nil || a["titlecolor"] == b["titlecolor"] {
			t.Errorf("%.20q: the unknown key titlecolor is missing or interned", src)
		}
	}
}

// TestZolaTaxonomies checks that Zola's [taxonomies] table gives tags.
func TestZolaTaxonomies(t *testing.T) {
	m := metaOf(t, "+++\ntitle = \"T\"\n[taxonomies]\ntags = [\"C\", \"C++\"]\ncategories = [\"lang\"]\n+++\n")
	if want := []string{"C", "C++", "lang"}; !reflect.DeepEqual(m.Tags, want) {
		t.Errorf("tags = %q, want %q", m.Tags, want)
	}
}

// TestFrontMatterAfterBlankLines checks that blank lines before --- or
// +++ are allowed, as Hugo and Zola allow them, and lines still count.
func TestFrontMatterAfterBlankLines(t *testing.T) {
	for _, src := range []string{"\n\n+++\ntitle = \"T\"\n+++\nBody\n", "\n\n---\ntitle: T\n---\nBody\n"} {
		fields, body, err := splitFrontMatter("p.md", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if len(fields) != 1 || fields[0].key != "title" || fields[0].line != 4 {
			t.Errorf("%q: fields %+v, want title on line 4", src, fields)
		}
		if lines := strings.Split(string(body), "\n"); len(lines) < 6 || lines[5] != "Body" {
			t.Errorf("%q: body %q, want Body on line 6", src, body)
		}
	}
	_, _, err := splitFrontMatter("p.md", []byte("\n+++\ntitle = \n+++\n"))
	if err == nil || !strings.Contains(err.Error(), "p.md:3:") {
		t.Errorf("error %v, want one at p.md:3", err)
	}
}

// TestPelicanHeaderEnd checks that Pelican-style front matter ends, as
// Python-Markdown's meta-data does, at a blank line or at the first line
// that is not a key line, which starts the body.
func TestPelicanHeaderEnd(t *testing.T) {
	for _, tt := range []struct {
		src      string
		keys     int
		bodyLine int // the line of "body", 1-based
	}{
		{"Title: A\nDate: 2024-01-01\n\nbody\n", 2, 4},
		{"Title: A\nDate: 2024-01-01\nbody\n", 2, 3},
		{"Title: A\nSummary: one\n    two\nbody text\n", 2, 4},
	} {
		fields, body, err := splitFrontMatter("p.md", []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		if len(fields) != tt.keys {
			t.Errorf("%q: %d keys, want %d", tt.src, len(fields), tt.keys)
		}
		lines := strings.Split(string(body), "\n")
		if tt.bodyLine > len(lines) || !strings.HasPrefix(lines[tt.bodyLine-1], "body") {
			t.Errorf("%q: body %q, want body on line %d", tt.src, body, tt.bodyLine)
		}
	}
}

// TestTaxonomies checks that site.toml taxonomies choose the front matter
// keys that hold tags: Hugo reads a singular category as a plain key.
func TestTaxonomies(t *testing.T) {
	fields := []field{
		{key: "tags", value: []any{"go"}, line: 2},
		{key: "categories", value: []any{"code"}, line: 3},
		{key: "category", value: "notes", line: 4},
	}
	for _, tt := range []struct {
		taxonomies []string
		want       []string
	}{
		{nil, []string{"go", "code", "notes"}},
		{[]string{"tags", "categories"}, []string{"go", "code"}},
		{[]string{"tags"}, []string{"go"}},
	} {
		m, errs := decodeMeta("p.md", fields, time.UTC, tt.taxonomies)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if !reflect.DeepEqual(m.Tags, tt.want) {
			t.Errorf("taxonomies %q: tags %q, want %q", tt.taxonomies, m.Tags, tt.want)
		}
		if m.Params["category"] != "notes" {
			t.Errorf("taxonomies %q: Params[category] = %v, want it kept", tt.taxonomies, m.Params["category"])
		}
	}
}

// TestUntitledAndBare checks that a page without a title is titled from
// its file name, as Jekyll titles it, and that a Markdown file without
// front matter is left out with a warning, as Jekyll renders no such file.
func TestUntitledAndBare(t *testing.T) {
	s, err := load(t, site(map[string]string{
		"content/posts/2024-01-02-go1.22-release_notes.md": "---\ndate: 2024-01-01\n---\nBody.\n",
		"content/posts/README.md":                          "Just text.\n",
	}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Posts) != 1 || s.Posts[0].Title != "Go1.22 Release Notes" {
		t.Fatalf("posts %v, want one titled %q", s.Posts, "Go1.22 Release Notes")
	}
	want := "content/posts/README.md:1: no front matter: left out"
	if len(s.Warnings) != 1 || !strings.HasPrefix(s.Warnings[0].Error(), want) {
		t.Errorf("warnings %v, want one starting %q", s.Warnings, want)
	}
}

// TestDefaultDateFile checks that default_date = "file" dates a post that
// says nothing of its date by its file's modification time, as Pelican's
// DEFAULT_DATE = 'fs' does, and that without it the post is an error.
func TestDefaultDateFile(t *testing.T) {
	mtime := time.Date(2015, 3, 4, 5, 6, 7, 0, time.UTC)
	fsys := site(nil)
	fsys["content/posts/undated.md"] = &fstest.MapFile{Data: []byte("Title: Undated\n\nBody.\n"), ModTime: mtime}
	if _, err := load(t, fsys, Options{}); err == nil || !strings.Contains(err.Error(), "content/posts/undated.md:1: front matter: date is required") {
		t.Fatalf("without default_date: err = %v, want date is required", err)
	}
	fsys["site.toml"].Data = append(fsys["site.toml"].Data, "default_date = \"file\"\n"...)
	s, err := load(t, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The time on the building machine's clock, placed in the site's zone.
	l := mtime.Local()
	want := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, s.Config.Location)
	if len(s.Posts) != 1 || !s.Posts[0].Date.Equal(want) || s.Posts[0].URL != "/2015/03/undated/" {
		t.Errorf("posts %v, want one dated %v at /2015/03/undated/", s.Posts, want)
	}
	fsys["site.toml"].Data = []byte("title = \"T\"\nbase_url = \"https://example.org/\"\ndefault_date = \"fs\"\n")
	if _, err := LoadConfig(fsys, ""); err == nil || !strings.Contains(err.Error(), `site.toml:3: default_date "fs"`) {
		t.Errorf("default_date = \"fs\": err = %v, want one at site.toml:3", err)
	}
}

// TestOtherMarkup checks that a post written in a markup this engine does
// not render is left out with a warning, never published as its source,
// while such a file elsewhere is a file like any other.
func TestOtherMarkup(t *testing.T) {
	s, err := load(t, site(map[string]string{
		"content/posts/a.md":       "---\ntitle: A\ndate: 2024-01-01\n---\n",
		"content/posts/b.rst":      "B\n=\n",
		"content/posts/c/index.md": "---\ntitle: C\ndate: 2024-01-02\n---\n",
		"content/notes/d.org":      "* D\n",
	}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range s.Files {
		if f.Src == "content/posts/b.rst" {
			t.Error("the reStructuredText post is published as a file")
		}
	}
	if len(s.Files) != 1 || s.Files[0].Src != "content/notes/d.org" {
		t.Errorf("files %v, want content/notes/d.org alone", s.Files)
	}
	want := "content/posts/b.rst: reStructuredText is not rendered here: left out"
	if len(s.Warnings) != 1 || !strings.HasPrefix(s.Warnings[0].Error(), want) {
		t.Errorf("warnings %v, want one starting %q", s.Warnings, want)
	}
}

// TestRepeatedYAMLKey checks that a YAML key written twice takes its last
// value, as Hugo and Jekyll read it, with a warning for each earlier line,
// and that two spellings of one key are still an error.
func TestRepeatedYAMLKey(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		title     string
		draft     bool
		warnings  []string
		wantError string
	}{
		{"repeated flag", "---\ntitle: A\ndate: 2024-01-01\ndisableHLJS: false # note\ndraft: true\ndisableHLJS: false\ndraft: false\n---\n",
			"A", false, []string{
				"content/posts/x.md:4: front matter: disablehljs is given again on line 6, whose value is used",
				"content/posts/x.md:5: front matter: draft is given again on line 7, whose value is used",
			}, ""},
		{"three times", "---\ntitle: A\ndate: 2024-01-01\ntitle: B\ntitle: C\n---\n",
			"C", false, []string{
				"content/posts/x.md:2: front matter: title is given again on line 5, whose value is used",
				"content/posts/x.md:4: front matter: title is given again on line 5, whose value is used",
			}, ""},
		{"json repeated key", "{\n\"title\": \"A\",\n\"date\": \"2024-01-01\",\n\"title\": \"B\"\n}\n",
			"B", false, []string{
				"content/posts/x.md:2: front matter: title is given again on line 4, whose value is used",
			}, ""},
		{"two spellings", "---\ntitle: A\ndate: 2024-01-01\nTitle: B\n---\n",
			"", false, nil, "content/posts/x.md:4: front matter: title: given twice (also on line 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, site(map[string]string{"content/posts/x.md": tt.src}), Options{})
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("err = %v; want one containing %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Posts) != 1 || s.Posts[0].Title != tt.title || s.Posts[0].Draft != tt.draft {
				t.Fatalf("posts %v; want one titled %q, draft %v", s.Posts, tt.title, tt.draft)
			}
			var got []string
			for _, w := range s.Warnings {
				got = append(got, w.Error())
			}
			if !slices.Equal(got, tt.warnings) {
				t.Errorf("warnings\n%q\nwant\n%q", got, tt.warnings)
			}
		})
	}
}

// TestSplitMore checks that taking out <!--more--> keeps a line alone
// blank and does not indent text that follows it on its line (a list
// item's separator followed by a no-break space stays out of a code block).
func TestSplitMore(t *testing.T) {
	tests := []struct{ name, body, summary, rest string }{
		{"alone", "Intro.\n<!--more-->\nRest.\n", "Intro.", "Intro.\n           \nRest.\n"},
		{"trailing spaces", "Intro.\n<!--more-->  \r\nRest.\n", "Intro.", "Intro.\n             \r\nRest.\n"},
		{"no-break space after", "* a\n\n<!--more-->\u00a0\n\n* b\n", "* a", "* a\n\n\u00a0\n\n* b\n"},
		{"text after", "Intro.\n\n<!--more-->Rest.\n", "Intro.", "Intro.\n\nRest.\n"},
		{"at the end", "Intro.\n<!--more-->", "Intro.", "Intro.\n           "},
		{"none", "Just text.\n", "", "Just text.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			summary, rest := splitMore([]byte(tt.body))
			if string(summary) != tt.summary || string(rest) != tt.rest {
				t.Errorf("splitMore(%q) = %q, %q; want %q, %q", tt.body, summary, rest, tt.summary, tt.rest)
			}
		})
	}
}

// TestImageValueOrder checks that a table naming its image under two
// keys gives the same one every time: path, then url, src, image.
func TestImageValueOrder(t *testing.T) {
	for range 50 {
		src, alt, ok := imageValue(map[string]any{"image": "i.png", "src": "s.png", "URL": "u.png", "path": "p.png", "alt": "A"})
		if src != "p.png" || alt != "A" || !ok {
			t.Fatalf("imageValue = %q %q %v, want p.png A true", src, alt, ok)
		}
		if src, _, _ := imageValue(map[string]any{"image": "i.png", "src": "s.png", "url": "u.png"}); src != "u.png" {
			t.Fatalf("imageValue = %q, want u.png", src)
		}
	}
}

// TestImageKeys checks the share card image front matter gives, in each
// engine's shape, and the line it comes from.
func TestImageKeys(t *testing.T) {
	for _, tt := range []struct {
		name, src  string
		image, alt string
		line       int
		err        string
	}{
		{"string", "---\ntitle: T\nimage: card.png\n---\n", "card.png", "", 3, ""},
		{"jekyll table", "---\ntitle: T\nimage:\n  path: /img/a.png\n  alt: A cat\n---\n", "/img/a.png", "A cat", 3, ""},
		{"hugo images", "+++\ntitle = \"T\"\nimages = [\"a.jpg\", \"b.jpg\"]\n+++\n", "a.jpg", "", 3, ""},
		{"papermod cover", "---\ntitle: T\ncover:\n  image: c.webp\n  alt: Sea\n---\n", "c.webp", "Sea", 3, ""},
		{"image wins", "---\ntitle: T\ncover:\n  image: c.webp\nimages: [b.jpg]\nimage: a.png\n---\n", "a.png", "", 6, ""},
		{"images before cover", "---\ntitle: T\ncover:\n  image: c.webp\nimages: [b.jpg]\n---\n", "b.jpg", "", 5, ""},
		{"cover without image", "---\ntitle: T\ncover:\n  hidden: true\n---\n", "", "", 0, ""},
		{"no image", "---\ntitle: T\n---\n", "", "", 0, ""},
		{"wrong type", "---\ntitle: T\nimage: [a, b]\n---\n", "", "", 0, "p.md:3: front matter: image: want a URL or path"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fields, _, err := splitFrontMatter("p.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			m, errs := decodeMeta("p.md", fields, time.UTC, nil)
			if tt.err != "" {
				if errs == nil || !strings.Contains(errs.Error(), tt.err) {
					t.Fatalf("error %v, want %q", errs, tt.err)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if m.Image != tt.image || m.ImageAlt != tt.alt || m.Lines["image"] != tt.line {
				t.Errorf("image %q alt %q line %d, want %q %q %d", m.Image, m.ImageAlt, m.Lines["image"], tt.image, tt.alt, tt.line)
			}
		})
	}
}

// Found names every path the last load walked under content/ and
// static/, used by the site or not, and nothing else.
func TestLoaderFound(t *testing.T) {
	fsys := site(map[string]string{
		"content/posts/a.md":            "---\ntitle: A\ndate: 2024-01-01\n---\n",
		"content/posts/.a.md.swp":       "swap",
		"content/drafts/x/index.md":     "---\ntitle: X\ndraft: true\n---\n",
		"content/drafts/x/hello.go":     "package main\n",
		"static/images/logo.svg":        "<svg/>",
		"layouts/shortcodes/x.html":     "x",
		"content/posts/notes.rst":       "Notes\n=====\n",
		"content/posts/bundle/index.md": "---\ntitle: B\ndate: 2024-02-01\n---\n",
	})
	cfg, err := LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	l := NewLoader(fsys, Options{Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
	if l.Loaded() || l.Found("content/posts/a.md") {
		t.Fatal("Loaded or Found before a load")
	}
	if _, err := l.Load(cfg); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"content", true},
		{"content/posts", true},
		{"content/posts/a.md", true},
		{"content/posts/.a.md.swp", true}, // walked, though the site leaves it out
		{"content/drafts/x/hello.go", true},
		{"content/posts/notes.rst", true},
		{"content/posts/bundle", true},
		{"static", true},
		{"static/images/logo.svg", true},
		{"content/posts/4913", false},
		{"layouts/shortcodes/x.html", false}, // not under content/ or static/
		{"site.toml", false},
	} {
		if got := l.Found(tc.path); got != tc.want {
			t.Errorf("Found(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
	if !l.Loaded() {
		t.Error("Loaded after a load = false")
	}
	delete(fsys, "static/images/logo.svg")
	if _, err := l.Load(cfg); err != nil {
		t.Fatal(err)
	}
	if l.Found("static/images/logo.svg") {
		t.Error("Found(static/images/logo.svg) after a load that did not find it")
	}
}
