package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestBuildBasePath builds the example site at the root of its host and
// under /blog/, and walks every URL the build writes: the href, src (and
// the like) of every HTML file, every URL of the feeds and the sitemap.
// Each URL of the site must be under the base URL's path and name a file
// of the output; a fragment must name an id of its page.
func TestBuildBasePath(t *testing.T) {
	authored := authoredLinks(t)
	for _, tc := range []struct{ baseURL, basePath string }{
		{"https://example.org/", "/"},
		{"https://example.org/blog/", "/blog/"},
	} {
		t.Run(tc.basePath, func(t *testing.T) {
			b := buildExample(t, "--base-url", tc.baseURL)
			walkBasePath(t, b, tc.basePath, authored)
			// The example's own root-relative images lead outside /blog/.
			if n := strings.Count(b.stderr, "outside the base URL's path"); tc.basePath == "/blog/" && n != 2 || tc.basePath == "/" && n != 0 {
				t.Errorf("%d warnings of URLs outside the base path:\n%s", n, b.stderr)
			}
		})
	}
}

// authoredLinks are the root-relative URLs the example's Markdown writes
// itself ("/archive/", "/images/logo.svg"): the build keeps a URL an
// author wrote as written, as a browser reads it, so under /blog/ these
// lead to another part of the host.
func authoredLinks(t *testing.T) map[string]bool {
	t.Helper()
	re := regexp.MustCompile(`\]\((/[^)\s]*)\)|(?:src|href)="(/[^"]*)"`)
	links := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(exampleSite, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			if u, err := url.Parse(m[1] + m[2]); err == nil {
				links[u.Path] = true // as the page's URL resolves it: decoded, without query or fragment
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return links
}

// feedURL matches the URLs of the site's host in a feed, escaped or not.
var feedURL = regexp.MustCompile(`https?://example\.org(?:/[^"'<>\s&\\]*)?`)

func walkBasePath(t *testing.T, b *builtExample, basePath string, authored map[string]bool) {
	t.Helper()
	prefix := strings.TrimSuffix(basePath, "/")
	checked, fragments, asWritten := 0, 0, 0
	// check checks one URL found at where; inBody tells whether it is in a
	// page's content, where the author's own URLs may be.
	check := func(where string, page *url.URL, ref string, inBody bool) {
		target, internal, err := internalTarget(page, ref)
		if err != nil {
			t.Errorf("%s: bad URL %q: %v", where, ref, err)
			return
		}
		if !internal {
			return
		}
		checked++
		p := target.Path
		if p+"/" == basePath {
			t.Errorf("%s: %q leads to %s, without the trailing slash of the base path", where, ref, p)
			return
		}
		rest, ok := strings.CutPrefix(p, prefix+"/")
		if !ok {
			if inBody && basePath != "/" && authored[target.Path] {
				asWritten++
				return
			}
			t.Errorf("%s: %q (%s) is not under the base path %s", where, ref, target, basePath)
			return
		}
		file := fileOfPath("/" + rest)
		if b.checkLinkTarget(t, where, ref, file, target.Fragment) {
			fragments++
		}
	}
	for _, name := range sortedKeys(b.docs) {
		page := pageURL(name)
		page.Path = prefix + page.Path
		body := map[*html.Node]bool{}
		for _, c := range elems(b.docs[name], "div", "content") {
			walkNodes(c, func(n *html.Node) { body[n] = true })
		}
		// Absolute URLs anywhere in the page: Open Graph's, JSON-LD's.
		for _, u := range feedURL.FindAllString(string(b.files[name]), -1) {
			check(name, page, u, false)
		}
		walkNodes(b.docs[name], func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			for _, ref := range references(&html.Node{Type: html.DocumentNode, FirstChild: shallow(n)}) {
				check(fmt.Sprintf("%s <%s %s>", name, ref.tag, ref.attr), page, ref.value, body[n])
			}
			if index, ok := attr(n, "data-index"); ok { // the search index's manifest
				check(name+" data-index", page, index, false)
			}
		})
	}
	root := &url.URL{Scheme: "https", Host: siteHost, Path: basePath}
	locs := sitemapLocs(t, b.files["sitemap.xml"])
	if len(locs) == 0 {
		t.Error("sitemap.xml lists no URL")
	}
	for _, loc := range locs {
		check("sitemap.xml", root, loc, false)
	}
	for _, name := range sortedKeys(b.files) {
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".json") && name != "robots.txt" || strings.HasPrefix(name, "search/") {
			continue
		}
		for _, u := range feedURL.FindAllString(string(b.files[name]), -1) {
			// A feed's content may quote the author's own URLs, made
			// absolute.
			check(name, root, u, strings.Contains(name, "feed") || strings.HasSuffix(name, "rss.xml"))
		}
	}
	docs := 0
	for _, name := range sortedKeys(b.files) {
		if !strings.HasPrefix(name, "search/index/doc/") {
			continue
		}
		var doc struct{ U string }
		if err := json.Unmarshal(b.files[name], &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs++
		check(name, root, doc.U, false)
	}
	if docs == 0 {
		t.Error("the search index lists no page")
	}
	t.Logf("base path %s: checked %d URLs of the site, %d with fragments; %d written by the author as root-relative URLs outside it", basePath, checked, fragments, asWritten)
	if checked < 500 || fragments < 50 {
		t.Errorf("checked only %d URLs, %d with fragments", checked, fragments)
	}
	if basePath == "/" && asWritten != 0 {
		t.Errorf("%d URLs outside the root", asWritten)
	}
}

// shallow returns a copy of element n without its children, so that
// references reads n's own attributes only.
func shallow(n *html.Node) *html.Node {
	return &html.Node{Type: n.Type, Data: n.Data, DataAtom: n.DataAtom, Attr: n.Attr}
}
