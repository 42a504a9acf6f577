package render

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
)

// TestTOC checks the table of contents made of a body's headings: which
// headings it lists, how it nests them, and the text of their entries.
func TestTOC(t *testing.T) {
	tests := []struct {
		name   string
		levels TOCLevels // zero: the default, 2 to 4
		body   string
		want   string // "" for none
	}{
		{"no headings", TOCLevels{}, "Text.\n", ""},
		{"one heading is no table", TOCLevels{}, "## Only\n\nText.\n", ""},
		{"one heading in the levels", TOCLevels{}, "# Title\n\n## Only\n\n##### Deep\n", ""},
		{"flat", TOCLevels{}, "## One\n\nx\n\n## Two\n", "<ol>\n<li><a href=\"#one\">One</a></li>\n<li><a href=\"#two\">Two</a></li>\n</ol>\n"},
		{"nested, h1 and h5 left out", TOCLevels{}, "# Title\n\n## A\n\n### A.1\n\n#### A.1.a\n\n##### Deep\n\n### A.2\n\n## B\n",
			"<ol>\n<li><a href=\"#a\">A</a>\n<ol>\n<li><a href=\"#a-1\">A.1</a>\n<ol>\n<li><a href=\"#a-1-a\">A.1.a</a></li>\n</ol>\n</li>\n<li><a href=\"#a-2\">A.2</a></li>\n</ol>\n</li>\n<li><a href=\"#b\">B</a></li>\n</ol>\n"},
		{"skipped level keeps the nesting", TOCLevels{}, "## A\n\n#### Deep\n\n#### Deeper\n\n### Mid\n",
			"<ol>\n<li><a href=\"#a\">A</a>\n<ol>\n<li>\n<ol>\n<li><a href=\"#deep\">Deep</a></li>\n<li><a href=\"#deeper\">Deeper</a></li>\n</ol>\n</li>\n<li><a href=\"#mid\">Mid</a></li>\n</ol>\n</li>\n</ol>\n"},
		{"first heading deeper than the start", TOCLevels{}, "### Sub\n\n## Top\n",
			"<ol>\n<li>\n<ol>\n<li><a href=\"#sub\">Sub</a></li>\n</ol>\n</li>\n<li><a href=\"#top\">Top</a></li>\n</ol>\n"},
		{"repeated texts get the IDs of the headings", TOCLevels{}, "## Setup\n\n### Notes\n\n## Use\n\n### Notes\n\n### Notes\n",
			"<ol>\n<li><a href=\"#setup\">Setup</a>\n<ol>\n<li><a href=\"#notes\">Notes</a></li>\n</ol>\n</li>\n<li><a href=\"#use\">Use</a>\n<ol>\n<li><a href=\"#notes-1\">Notes</a></li>\n<li><a href=\"#notes-2\">Notes</a></li>\n</ol>\n</li>\n</ol>\n"},
		{"inline code kept, links, emphasis and footnotes dropped", TOCLevels{}, "## The `<main>` element\n\n## See [the *docs*](https://example.org)[^1] _now_\n\n[^1]: A note.\n",
			"<ol>\n<li><a href=\"#the-main-element\">The <code>&lt;main&gt;</code> element</a></li>\n<li><a href=\"#see-the-docs-https-example-org-1-now\">See the docs now</a></li>\n</ol>\n"},
		{"entities, smart punctuation, escapes and raw HTML", TOCLevels{}, "## Tom & Jerry's \"show\" -- a < b\n\n## A <span class=\"x\">marked</span> \\*word\\*\n",
			"<ol>\n<li><a href=\"#tom-jerrys-show-a-b\">Tom &amp; Jerry&rsquo;s &ldquo;show&rdquo; &ndash; a &lt; b</a></li>\n<li><a href=\"#a-span-class-x-marked-span-word\">A marked *word*</a></li>\n</ol>\n"},
		{"an image stands for its text; none leaves the heading out", TOCLevels{}, "## ![](icon.png)\n\n## ![Logo](logo.png) Brand\n\n## Next\n",
			"<ol>\n<li><a href=\"#logo-logo-png-brand\">Logo Brand</a></li>\n<li><a href=\"#next\">Next</a></li>\n</ol>\n"},
		{"a heading over lines and an autolink", TOCLevels{}, "Two\nlines\n---\n\n## Go to <https://example.org>\n",
			"<ol>\n<li><a href=\"#lines\">Two lines</a></li>\n<li><a href=\"#go-to-https-example-org\">Go to https://example.org</a></li>\n</ol>\n"},
		{"quoted headings and headings in lists are not the page's", TOCLevels{}, "> ## Quoted\n\n- ## Listed\n\n## A\n\n## B\n",
			"<ol>\n<li><a href=\"#a\">A</a></li>\n<li><a href=\"#b\">B</a></li>\n</ol>\n"},
		{"headings in listings are code", TOCLevels{}, "```md\n## Not a heading\n```\n\n## A\n",
			""},
		{"levels 1 to 2", TOCLevels{1, 2}, "# One\n\n## Two\n\n### Three\n",
			"<ol>\n<li><a href=\"#one\">One</a>\n<ol>\n<li><a href=\"#two\">Two</a></li>\n</ol>\n</li>\n</ol>\n"},
		{"levels 3 to 3", TOCLevels{3, 3}, "## Two\n\n### Three\n\n### Four\n",
			"<ol>\n<li><a href=\"#three\">Three</a></li>\n<li><a href=\"#four\">Four</a></li>\n</ol>\n"},
		{"kramdown's {: .no_toc} leaves a heading out", TOCLevels{}, "## Contents\n{: .no_toc}\n\n## A\n{:.no_toc .x}\n\n## B\n\n{: .no_toc}\n\n## C\n\n### D\n{: .other}\n",
			"<ol>\n<li><a href=\"#b\">B</a></li>\n<li><a href=\"#c\">C</a>\n<ol>\n<li><a href=\"#d\">D</a></li>\n</ol>\n</li>\n</ol>\n"},
		{"a heading named like the theme's toc-title", TOCLevels{}, "## TOC title\n\n## B\n",
			"<ol>\n<li><a href=\"#toc-title-1\">TOC title</a></li>\n<li><a href=\"#b\">B</a></li>\n</ol>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := NewMarkdown(&Listings{LineNumbers: true}, content.RawHTMLPass)
			if tt.levels != (TOCLevels{}) {
				md.tocLevels = tt.levels
			}
			out, err := md.Render(&content.Page{Body: []byte(tt.body)})
			if err != nil {
				t.Fatal(err)
			}
			if string(out.TOC) != tt.want {
				t.Errorf("table of contents:\n%s\nwant:\n%s", out.TOC, tt.want)
			}
			checkTOCTargets(t, out.TOC, out.Content)
		})
	}
}

var tocHref = regexp.MustCompile(`href="#([^"]*)"`)

// checkTOCTargets checks that every entry of a table of contents links
// to an element of the content, once each.
func checkTOCTargets(t *testing.T, toc, content []byte) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range tocHref.FindAllSubmatch(toc, -1) {
		id := string(m[1])
		if seen[id] {
			t.Errorf("#%s is listed twice", id)
		}
		seen[id] = true
		if n := bytes.Count(content, []byte(` id="`+id+`"`)); n != 1 {
			t.Errorf("#%s: %d elements of the content have that ID, want 1", id, n)
		}
	}
}

// TestTOCMarkerInSummary checks that a summary (the part before
// <!--more-->) leaves kramdown's marker out.
func TestTOCMarkerInSummary(t *testing.T) {
	md := NewMarkdown(&Listings{}, content.RawHTMLPass)
	out, err := md.Render(&content.Page{Body: []byte("* TOC\n{:toc}\n\nIntro.\n\n## A\n\n## B\n"), SummarySource: []byte("* TOC\n{:toc}\n\nIntro.")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out.Summary), "<p>Intro.</p>\n"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

// TestTOCMarker checks kramdown's marker, a list of one item followed by
// {:toc}: it becomes the table in the body, and the page has no other.
func TestTOCMarker(t *testing.T) {
	tests := []struct {
		name, body string
		want       string // in the content, "" for no table
	}{
		{"bulleted", "* TOC\n{:toc}\n\n## A\n\n### B\n",
			"<ul id=\"markdown-toc\">\n<li><a href=\"#a\">A</a>\n<ul>\n<li><a href=\"#b\">B</a></li>\n</ul>\n</li>\n</ul>\n<h2 id=\"a\">"},
		{"numbered, any item text, {: toc}", "Intro.\n\n1. this list is replaced\n{: toc}\n\n## A\n\n## B\n",
			"<p>Intro.</p>\n<ol id=\"markdown-toc\">\n<li><a href=\"#a\">A</a></li>\n<li><a href=\"#b\">B</a></li>\n</ol>\n"},
		{"one heading is enough for a marker", "- TOC\n{:toc}\n\n## Only\n",
			"<ul id=\"markdown-toc\">\n<li><a href=\"#only\">Only</a></li>\n</ul>\n"},
		{"the second marker has no ID", "* TOC\n{:toc}\n\n## A\n\n* TOC\n{:toc}\n",
			"<h2 id=\"a\">A<a class=\"anchor\" href=\"#a\" aria-label=\"Link to this section\"></a></h2>\n<ul>\n<li><a href=\"#a\">A</a></li>\n</ul>\n"},
		{"Jekyll's idiom: a title kept out with {: .no_toc}", "## Table of contents\n{: .no_toc}\n\n1. TOC\n{:toc}\n\n## A\n",
			"<h2 id=\"table-of-contents\">Table of contents<a class=\"anchor\" href=\"#table-of-contents\" aria-label=\"Link to this section\"></a></h2>\n<ol id=\"markdown-toc\">\n<li><a href=\"#a\">A</a></li>\n</ol>\n<h2 id=\"a\">"},
		{"two items are a list", "* TOC\n* More\n{:toc}\n\n## A\n\n## B\n", ""},
		{"other attributes are a list", "* TOC\n{:.toc}\n\n## A\n\n## B\n", ""},
		{"in a listing it is code", "```\n* TOC\n{:toc}\n```\n\n## A\n\n## B\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := NewMarkdown(&Listings{}, content.RawHTMLPass)
			out, err := md.Render(&content.Page{Body: []byte(tt.body)})
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if bytes.Contains(out.Content, []byte("markdown-toc")) {
					t.Errorf("a table in the content:\n%s", out.Content)
				}
				return
			}
			if !bytes.Contains(out.Content, []byte(tt.want)) {
				t.Errorf("content:\n%s\nwant it to hold:\n%s", out.Content, tt.want)
			}
			if strings.Contains(string(out.Content), "{:") {
				t.Errorf("the marker is left in the content:\n%s", out.Content)
			}
			if out.TOC != nil {
				t.Errorf("a table of contents beside the marker's: %s", out.TOC)
			}
		})
	}
}

// tocSite is a site whose posts have headings enough for a table of
// contents, and say toc: true, false, or nothing; config is added to
// site.toml.
func tocSite(config string) fstest.MapFS {
	long := "## Install\n\nText.\n\n### From `source`\n\nText.\n\n## Use\n\nText.\n"
	return fstest.MapFS{
		"site.toml":                 {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n" + config)},
		"content/posts/on.md":       {Data: []byte("---\ntitle: On\ndate: 2024-01-01\ntoc: true\n---\nIntro.\n\n" + long)},
		"content/posts/off.md":      {Data: []byte("---\ntitle: Off\ndate: 2024-01-02\ntoc: false\n---\nIntro.\n\n" + long)},
		"content/posts/quiet.md":    {Data: []byte("---\ntitle: Quiet\ndate: 2024-01-03\n---\nIntro.\n\n" + long)},
		"content/posts/short.md":    {Data: []byte("---\ntitle: Short\ndate: 2024-01-04\ntoc: true\n---\nIntro.\n\n## Only\n\nText.\n")},
		"content/posts/papermod.md": {Data: []byte("---\ntitle: PaperMod\ndate: 2024-01-05\nShowToc: false\n---\nIntro.\n\n" + long)},
		"content/posts/pelican.md":  {Data: []byte("Title: Pelican\nDate: 2024-01-06\n\n[TOC]\n\n" + long)},
		"content/posts/kramdown.md": {Data: []byte("---\ntitle: Kramdown\ndate: 2024-01-07\n---\n* TOC\n{:toc}\n\n" + long)},
		"content/about.md":          {Data: []byte("---\ntitle: About\ntoc: true\n---\n" + long)},
	}
}

// TestTOCOnPages checks which pages show the theme's table of contents:
// those whose front matter says toc: true, or all but those saying toc:
// false (or ShowToc: false) when site.toml says [markdown] toc = true;
// never one with a single heading or with a table in its body.
func TestTOCOnPages(t *testing.T) {
	pages := []string{"2024/01/on/index.html", "2024/01/off/index.html", "2024/01/quiet/index.html", "2024/01/short/index.html",
		"2024/01/papermod/index.html", "2024/01/pelican/index.html", "2024/01/kramdown/index.html", "about/index.html"}
	tests := []struct {
		name, config string
		want         []string // the pages with the theme's table
		entries      string   // the entries' IDs in a table, in order
	}{
		{"front matter", "", []string{"2024/01/on/index.html", "about/index.html"}, "install from-source use"},
		{"site-wide", "[markdown]\ntoc = true\n", []string{"2024/01/on/index.html", "2024/01/quiet/index.html", "about/index.html"}, "install from-source use"},
		{"site-wide, levels 3 to 6", "[markdown]\ntoc = true\ntoc_start_level = 3\ntoc_end_level = 6\n", nil, ""},
		{"site-wide, levels 2 to 2", "[markdown]\ntoc = true\ntoc_end_level = 2\n", []string{"2024/01/on/index.html", "2024/01/quiet/index.html", "about/index.html"}, "install use"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := build(t, tocSite(tt.config), nil)
			for _, name := range pages {
				page := out.Files()[name]
				if page == nil {
					t.Fatalf("%s not built", name)
				}
				nav := between(page, `<nav class="toc" aria-labelledby="toc-title">`, "</nav>")
				if got, want := nav != nil, slices.Contains(tt.want, name); got != want {
					t.Errorf("%s: table of contents shown: %v, want %v", name, got, want)
					continue
				}
				if nav == nil {
					continue
				}
				if !bytes.Contains(nav, []byte(`<h2 id="toc-title">Contents</h2>`)) {
					t.Errorf("%s: the table has no title:\n%s", name, nav)
				}
				var ids []string
				for _, m := range tocHref.FindAllSubmatch(nav, -1) {
					ids = append(ids, string(m[1]))
				}
				if got := strings.Join(ids, " "); got != tt.entries {
					t.Errorf("%s: entries %q, want %q", name, got, tt.entries)
				}
				checkTOCTargets(t, nav, page)
			}
			if pel := out.Files()["2024/01/pelican/index.html"]; !bytes.Contains(pel, []byte(`<div class="toc">`)) {
				t.Errorf("the Pelican post lost its [TOC]:\n%s", pel)
			}
			if kd := out.Files()["2024/01/kramdown/index.html"]; !bytes.Contains(kd, []byte(`<ul id="markdown-toc">`)) {
				t.Errorf("the kramdown post lost its {:toc}:\n%s", kd)
			}
		})
	}
}

// between returns what data holds from start to the next end, or nil.
func between(data []byte, start, end string) []byte {
	i := bytes.Index(data, []byte(start))
	if i < 0 {
		return nil
	}
	j := bytes.Index(data[i:], []byte(end))
	if j < 0 {
		return nil
	}
	return data[i : i+j+len(end)]
}

// TestTOCPageGolden compares the main element of a post page with toc:
// true, and of one with a single heading, with their golden files (the
// rest of the page names the stylesheet by its hash, which any change of
// style.css changes).
func TestTOCPageGolden(t *testing.T) {
	out, _ := build(t, tocSite(""), nil)
	for _, name := range []string{"on", "short"} {
		main := between(out.Files()["2024/01/"+name+"/index.html"], "<main", "</main>")
		if main == nil {
			t.Fatalf("%s: no main element", name)
		}
		golden(t, "testdata/toc/"+name+".html", append(main, '\n'))
	}
}

// TestTOCCached checks that the table of contents is kept with the body
// in the cache on disk: a rebuild without changes remakes nothing and
// shows the same table; a changed heading changes it.
func TestTOCCached(t *testing.T) {
	dir := t.TempDir()
	fsys := tocSite("[markdown]\ntoc = true\n")
	first, _ := build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))
	second, stats := build(t, fsys, first, WithBodyCache(NewBodyCache(dir))) // read from the packs
	if stats.Reused != stats.Files {
		t.Errorf("a rebuild without changes remade %v", remade(first, second))
	}
	fresh, _ := build(t, fsys, nil)
	sameFiles(t, second, fresh)

	// The body cache alone (no previous output) gives the tables too.
	cached, _ := build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))
	sameFiles(t, cached, fresh)

	fsys["content/posts/quiet.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Quiet\ndate: 2024-01-03\n---\n## Install\n\n## Run\n")}
	third, _ := build(t, fsys, second, WithBodyCache(NewBodyCache(dir)))
	if got := string(between(third.Files()["2024/01/quiet/index.html"], `<nav class="toc"`, "</nav>")); !strings.Contains(got, `<a href="#run">Run</a>`) {
		t.Errorf("the table did not follow the headings:\n%s", got)
	}
	if !slices.Contains(remade(second, third), "2024/01/quiet/index.html") {
		t.Error("the post whose headings changed was not remade")
	}
}

// TestBodyEncoding checks that a cache entry gives back what was stored.
func TestBodyEncoding(t *testing.T) {
	for _, r := range []Rendered{
		{Content: []byte("<p>x</p>")},
		{Content: []byte("<p>x</p>"), Summary: []byte("<p>s</p>")},
		{Content: []byte("<h2>a</h2>"), TOC: []byte("<ol>\n<li><a href=\"#a\">a</a></li>\n</ol>\n")},
		{Content: []byte("c"), Summary: []byte("s"), TOC: []byte("t")},
		{},
	} {
		got, ok := decodeBody(encodeBody(r))
		if !ok || !bytes.Equal(got.Content, r.Content) || !bytes.Equal(got.Summary, r.Summary) || !bytes.Equal(got.TOC, r.TOC) || (got.Summary == nil) != (r.Summary == nil) {
			t.Errorf("%q: decoded as %q (%v)", r, got, ok)
		}
		if got, want := appendBody([]byte("before"), r), append([]byte("before"), encodeBody(r)...); !bytes.Equal(got, want) {
			t.Errorf("%q: appended after other bytes as %q, want %q", r, got, want)
		}
	}
	data := encodeBody(Rendered{Content: []byte("c"), Summary: []byte("s"), TOC: []byte("t")})
	for _, bad := range [][]byte{data[:len(data)-1], append(append([]byte{}, data...), 'x'), data[:39]} {
		if _, ok := decodeBody(bad); ok {
			t.Errorf("a damaged entry of %d bytes was read", len(bad))
		}
	}
}
