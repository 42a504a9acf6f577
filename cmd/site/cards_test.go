package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// headMetas maps each <meta property|name> of a page to its contents.
func headMetas(doc *html.Node) map[string][]string {
	m := map[string][]string{}
	for _, e := range elems(doc, "meta") {
		k, ok := attr(e, "property")
		if !ok {
			k, _ = attr(e, "name")
		}
		c, _ := attr(e, "content")
		m[k] = append(m[k], c)
	}
	return m
}

// testExampleShareCards checks what EXPECTED.md says of share cards,
// descriptions, JSON-LD and icons.
func testExampleShareCards(t *testing.T, b *builtExample) {
	for name, doc := range b.docs {
		if strings.Contains(name, "page/1/") || strings.HasPrefix(name, "old/") || strings.HasPrefix(name, "2019/") {
			continue // redirects
		}
		m := headMetas(doc)
		if name != "404.html" && len(m["description"]) != 1 {
			t.Errorf("%s: %d meta descriptions, want 1", name, len(m["description"]))
		}
		if got := m["og:locale"]; len(got) != 1 || got[0] != "en_US" {
			t.Errorf("%s: og:locale %q, want en_US", name, got)
		}
		if got := m["theme-color"]; len(got) != 2 {
			t.Errorf("%s: theme-color %q, want light and dark", name, got)
		}
		var icons []string
		for _, l := range elems(doc, "link") {
			if rel, _ := attr(l, "rel"); rel == "icon" || rel == "apple-touch-icon" {
				href, _ := attr(l, "href")
				icons = append(icons, href)
			}
		}
		if len(icons) != 3 {
			t.Errorf("%s: icons %q, want the SVG, the PNG and the apple-touch-icon", name, icons)
		}
		for _, href := range icons[min(1, len(icons)):] {
			img, err := png.Decode(bytes.NewReader(b.files[strings.TrimPrefix(href, "/")]))
			if err != nil {
				t.Errorf("%s: %s: %v", name, href, err)
			} else if w := img.Bounds().Dx(); w != 48 && w != 180 {
				t.Errorf("%s: %s is %d pixels wide", name, href, w)
			}
		}
	}
	for _, p := range b.ex.posts {
		file := fileOfPath(p.path)
		doc := b.doc(t, file)
		m := headMetas(doc)
		wantCard, wantImage := "summary", ""
		if strings.HasPrefix(b.ex.cardImage, "https://"+siteHost+p.path) { // the first picture in a card format: swatch.png, not diagram.svg
			wantCard, wantImage = "summary_large_image", b.ex.cardImage
		}
		if got := strings.Join(m["twitter:card"], " "); got != wantCard {
			t.Errorf("%s: twitter:card %q, want %q", file, got, wantCard)
		}
		if got := strings.Join(m["og:image"], " "); got != wantImage {
			t.Errorf("%s: og:image %q, want %q", file, got, wantImage)
		}
		if len(m["article:published_time"]) != 1 || len(m["article:tag"]) == 0 || len(m["article:author"]) != 1 {
			t.Errorf("%s: article: published %q, tags %q, authors %q", file, m["article:published_time"], m["article:tag"], m["article:author"])
		}
		hasUpdated := !p.update.IsZero()
		if (len(m["article:modified_time"]) == 1) != hasUpdated {
			t.Errorf("%s: article:modified_time %q", file, m["article:modified_time"])
		}
		ld := jsonLDOf(t, file, doc)
		if ld["@type"] != "BlogPosting" || ld["headline"] != p.title || ld["datePublished"] == nil {
			t.Errorf("%s: JSON-LD %v, want a BlogPosting of %q", file, ld, p.title)
		}
		author, _ := ld["author"].([]any)
		if len(author) != 1 || author[0].(map[string]any)["name"] == "" {
			t.Errorf("%s: JSON-LD author %v", file, ld["author"])
		}
	}
	if ld := jsonLDOf(t, "index.html", b.doc(t, "index.html")); ld["@type"] != "WebSite" || ld["name"] != "Notes on site" {
		t.Errorf("index.html: JSON-LD %v, want the WebSite", ld)
	}
	notFound := b.doc(t, "404.html")
	for _, l := range elems(notFound, "link") {
		if rel, _ := attr(l, "rel"); rel == "canonical" {
			t.Error("404.html has a canonical link")
		}
	}
}

// jsonLDOf returns the one JSON-LD object of a page's head.
func jsonLDOf(t *testing.T, file string, doc *html.Node) map[string]any {
	t.Helper()
	var v map[string]any
	var found int
	for _, s := range elems(doc, "script") {
		if typ, _ := attr(s, "type"); typ == "application/ld+json" && s.FirstChild != nil {
			found++
			if err := json.Unmarshal([]byte(s.FirstChild.Data), &v); err != nil {
				t.Errorf("%s: JSON-LD: %v", file, err)
			}
		}
	}
	if found != 1 {
		t.Errorf("%s: %d JSON-LD scripts, want 1", file, found)
	}
	return v
}
