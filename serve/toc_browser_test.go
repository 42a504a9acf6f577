package serve

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/render"
	"github.com/siteblog/site/tlsinfo"
)

// tocPost is a post with a table of contents: nested levels, repeated
// headings, inline code, a link and a word too long for a phone's line.
// (A skipped level, which render's tests cover, would be axe-core's
// heading-order violation in the body itself.)
const tocPost = `---
title: Setting up a blog, from the first command to the last
date: 2024-05-03
toc: true
---

A post long enough to want a table of contents.

## Getting started

Text of the first section, long enough to wrap on a phone.

### Install the ` + "`site`" + ` command

Text.

#### From a release

Text.

#### From source

Text.

## Writing [posts](https://example.org/docs)

Text.

## Notes

Text.

### Notes

Text.

## Supercalifragilisticexpialidocious-configuration-reference-for-everyone

Text.

## The end

The last paragraph of the post.
`

// TestTOCBrowser shows a post's table of contents to headless Chromium
// (testdata/toc.js, with playwright-core and axe-core), served by a
// production server with its strict Content-Security-Policy, at 320, 375
// and 1280 px (800 px high, so the whole table stands above the sticky
// badge bar: axe-core's target-size counts a link the bar half covers
// as too small, wherever it is) in light and dark colours: axe-core finds no violation; the
// table is a navigation landmark named by its title; it and the page
// scroll nothing sideways; every entry links to a heading of the page,
// is at least 24 px high, and following the last one brings its heading
// into view; Tab reaches the entries. With SITE_SCREENSHOTS set to a
// directory, the script saves the top of the page at each width and
// colour scheme there.
func TestTOCBrowser(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":            {Data: []byte("title = \"TOC Test\"\nbase_url = \"https://blog.test/\"\n")},
		"content/posts/toc.md": {Data: []byte(tocPost)},
	}
	site, err := render.BuildInMemory(fsys, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const path = "/2024/05/setting-up-a-blog-from-the-first-command-to-the-last/"
	if _, ok := site.Files()[strings.TrimPrefix(path, "/")+"index.html"]; !ok {
		t.Fatalf("no post at %s", path)
	}
	hist, err := tlsinfo.OpenHistory(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	log, _ := testLogger(t)
	srv, err := New(Config{Files: site.Files(), TLSPage: site.TLSPage, SiteTitle: "TOC Test", History: hist, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)
	input, err := json.Marshal(map[string]any{"url": "http://" + r.httpAddr + path, "entries": 9})
	if err != nil {
		t.Fatal(err)
	}

	run := runBrowserScript(t, "toc.js", 2*time.Minute, input)
	// Three widths, two colour schemes.
	if run.checked != 6 {
		t.Errorf("the script checked %d views, want 6", run.checked)
	}
}
