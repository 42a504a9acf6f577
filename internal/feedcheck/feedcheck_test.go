package feedcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/testenv"
)

const validAtom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Blog</title>
  <id>https://example.com/</id>
  <updated>2024-03-01T10:00:00Z</updated>
  <link rel="self" href="https://example.com/atom.xml"/>
  <link rel="alternate" href="https://example.com/"/>
  <author><name>Ann Author</name></author>
  <entry>
    <title>Hello, world</title>
    <id>https://example.com/posts/hello/</id>
    <link rel="alternate" href="https://example.com/posts/hello/"/>
    <published>2024-03-01T10:00:00Z</published>
    <updated>2024-03-01T10:00:00Z</updated>
    <content type="html">&lt;p&gt;Hi &amp;amp; welcome&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Second</title>
    <id>https://example.com/posts/second/</id>
    <link href="https://example.com/posts/second/"/>
    <updated>2024-03-02T10:00:00+01:00</updated>
    <summary>Short.</summary>
  </entry>
</feed>
`

const validRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Example Blog</title>
    <link>https://example.com/</link>
    <description>Posts</description>
    <atom:link href="https://example.com/rss.xml" rel="self" type="application/rss+xml"/>
    <item>
      <title>Hello, world</title>
      <link>https://example.com/posts/hello/</link>
      <guid isPermaLink="true">https://example.com/posts/hello/</guid>
      <pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate>
      <description>&lt;p&gt;Hi&lt;/p&gt;</description>
    </item>
  </channel>
</rss>
`

const validJSON = `{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Example Blog",
  "home_page_url": "https://example.com/",
  "feed_url": "https://example.com/feed.json",
  "items": [
    {
      "id": "https://example.com/posts/hello/",
      "url": "https://example.com/posts/hello/",
      "title": "Hello, world",
      "content_html": "<p>Hi</p>",
      "date_published": "2024-03-01T10:00:00Z"
    }
  ]
}
`

// Malformed: the entry's title element is never closed.
const brokenAtom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Broken</title>
  <id>https://example.com/</id>
  <updated>2024-03-01T10:00:00Z</updated>
  <entry>
    <title>Oops
    <id>https://example.com/posts/oops/</id>
    <link href="https://example.com/posts/oops/"/>
    <updated>2024-03-01T10:00:00Z</updated>
  </entry>
</feed>
`

// Well-formed, but the entry has no date and a relative link.
const undatedRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Example Blog</title><link>https://example.com/</link><description>d</description>
  <item><title>No date</title><link>/posts/nodate/</link></item>
</channel></rss>
`

const emptyRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Example Blog</title><link>https://example.com/</link><description>d</description>
</channel></rss>
`

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateAcceptsValidFeeds(t *testing.T) {
	python := testenv.Python(t)
	dir := t.TempDir()
	files := []string{
		write(t, dir, "atom.xml", validAtom),
		write(t, dir, "index.xml", validRSS),
		write(t, dir, "feed.json", validJSON),
	}
	if err := Validate(python, files); err != nil {
		t.Fatalf("Validate rejected valid feeds: %v", err)
	}
	res, err := Check(python, files)
	if err != nil {
		t.Fatal(err)
	}
	want := []Result{
		{Path: files[0], Version: "atom10", Entries: 2, Title: "Example Blog"},
		{Path: files[1], Version: "rss20", Entries: 1, Title: "Example Blog"},
		{Path: files[2], Version: "json11", Entries: 1, Title: "Example Blog"},
	}
	for i := range want {
		if res[i] != want[i] {
			t.Errorf("Check result %d = %+v, want %+v", i, res[i], want[i])
		}
	}
}

func TestValidateRejectsBrokenFeeds(t *testing.T) {
	python := testenv.Python(t)
	dir := t.TempDir()
	good := write(t, dir, "atom.xml", validAtom)
	broken := write(t, dir, "broken.xml", brokenAtom)
	undated := write(t, dir, "undated.xml", undatedRSS)
	empty := write(t, dir, "empty.xml", emptyRSS)

	err := Validate(python, []string{good, broken})
	if err == nil {
		t.Fatal("Validate accepted malformed XML")
	}
	msg := err.Error()
	if !strings.Contains(msg, broken) {
		t.Errorf("error does not name the broken feed %s: %v", broken, err)
	}
	if strings.Contains(msg, good) {
		t.Errorf("error names the valid feed %s: %v", good, err)
	}
	if !strings.Contains(msg, "feedparser:") {
		t.Errorf("error lacks feedparser's message: %v", err)
	}

	err = Validate(python, []string{undated, empty})
	if err == nil {
		t.Fatal("Validate accepted an undated entry and an empty feed")
	}
	msg = err.Error()
	for _, want := range []string{
		undated, "no parseable published or updated date", "is not an absolute http(s) URL",
		empty, "feed has no entries",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}

	if err := Validate(python, []string{filepath.Join(dir, "missing.xml")}); err == nil || !strings.Contains(err.Error(), "missing.xml") {
		t.Errorf("Validate of a missing file: err = %v", err)
	}
}

// JSON Feed is checked in Go, so these run without python.
func TestCheckJSONFeed(t *testing.T) {
	for _, tc := range []struct {
		desc    string
		doc     string
		wantErr []string // empty: valid
	}{
		{desc: "valid", doc: validJSON},
		{desc: "malformed", doc: `{"version": `, wantErr: []string{"JSON:"}},
		{desc: "old version", doc: strings.Replace(validJSON, "version/1.1", "version/1", 1), wantErr: []string{"version"}},
		{desc: "no title", doc: strings.Replace(validJSON, `"title": "Example Blog",`, "", 1), wantErr: []string{"feed has no title"}},
		{desc: "no items", doc: `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[]}`, wantErr: []string{"no entries"}},
		{desc: "bad item", doc: `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[
			{"id": 7, "url": "/relative", "date_published": "2024-03-01 10:00"}]}`,
			wantErr: []string{"no id", "not an absolute", "neither content_html nor content_text", "not RFC 3339"}},
		{desc: "missing date", doc: `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[
			{"id": "a", "url": "https://example.com/a", "content_text": "x"}]}`,
			wantErr: []string{"no date_published"}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			var res Result
			errs := checkJSON([]byte(tc.doc), &res)
			if len(tc.wantErr) == 0 {
				if len(errs) > 0 {
					t.Fatalf("valid feed rejected: %v", errs)
				}
				if res.Version != "json11" || res.Entries != 1 || res.Title != "Example Blog" {
					t.Fatalf("result = %+v", res)
				}
				return
			}
			all := strings.Join(errs, "; ")
			for _, w := range tc.wantErr {
				if !strings.Contains(all, w) {
					t.Errorf("errors %q lack %q", all, w)
				}
			}
		})
	}

	// Through Validate, with no python needed for JSON-only input.
	dir := t.TempDir()
	bad := write(t, dir, "feed.json", `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[]}`)
	if err := Validate("", []string{bad}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("Validate(bad JSON feed) = %v, want an error naming %s", err, bad)
	}
	good := write(t, dir, "feed2.json", validJSON)
	if err := Validate("", []string{good}); err != nil {
		t.Fatalf("Validate(good JSON feed) = %v", err)
	}
}

func TestIsJSON(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"a.json":     "not even json",
		"feed":       "\ufeff  \n{\"version\": 1}",
		"atom.xml":   validAtom,
		"index.html": "<html>",
	} {
		p := write(t, dir, name, content)
		want := name == "a.json" || name == "feed"
		if got := isJSON(p); got != want {
			t.Errorf("isJSON(%s) = %v, want %v", name, got, want)
		}
	}
}

// feedparser 6.0.10 (Debian 12) cannot read JSON Feed; if a newer one can,
// the Go check could be dropped. This documents the installed behaviour.
func TestFeedparserJSONSupport(t *testing.T) {
	python := testenv.Python(t)
	dir := t.TempDir()
	p := write(t, dir, "feed.json", validJSON)
	rs, err := runPython(python, []string{p})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("feedparser on a JSON Feed: version=%q entries=%d errors=%v", rs[0].Version, rs[0].Entries, rs[0].Errors)
}
