package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/net/html"
)

// catalogue reads a message file of the default theme: each ID with its
// texts (one, or one per plural form).
func catalogue(t *testing.T, lang string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile("../../themes/default/i18n/" + lang + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	msgs := map[string][]string{}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
			msgs[id] = []string{v}
		case map[string]any:
			for _, f := range v {
				msgs[id] = append(msgs[id], f.(string))
			}
		}
	}
	return msgs
}

// englishProbes are the pieces of the English catalogue's messages
// (split at their %d and %s) that a page in lang must not show: those of
// three letters or more that no message of lang holds too ("Feed" is
// German as well).
func englishProbes(t *testing.T, lang string) map[string]string {
	verb := regexp.MustCompile(`%(\[\d\])?[ds]`)
	var target strings.Builder
	for _, texts := range catalogue(t, lang) {
		for _, s := range texts {
			target.WriteString(s + "\n")
		}
	}
	letters := regexp.MustCompile(`\pL{3}`)
	probes := map[string]string{} // piece → its message ID
	for id, texts := range catalogue(t, "en") {
		for _, s := range texts {
			for _, piece := range verb.Split(s, -1) {
				piece = strings.Trim(piece, " :“”,.()")
				if letters.MatchString(piece) && !strings.Contains(target.String(), piece) {
					probes[piece] = id
				}
			}
		}
	}
	return probes
}

// uiText is the text a page shows of the theme's own: its body's text and
// aria-labels, without the site's words (post bodies, summaries and
// titles, tag names, page titles, the site's title).
func uiText(doc *html.Node) string {
	skipClass := []string{"content", "summary-body", "summary-title", "post-title", "post-nav-title", "tag", "tag-name", "site-title", "site-intro", "p-author", "archive-list-title"}
	own := map[string]bool{"/": true, "/archive/": true, "/tags/": true, "/feed.xml": true}
	var b strings.Builder
	var walk func(n *html.Node, inArchive bool)
	walk = func(n *html.Node, inArchive bool) {
		if n.Type == html.ElementNode {
			if n.Data == "head" {
				return
			}
			for _, c := range skipClass {
				if hasClass(n, c) {
					return
				}
			}
			if hasClass(n, "archive-list") {
				inArchive = true
			}
			href, _ := attr(n, "href")
			if n.Data == "a" && (inArchive || n.Parent != nil && n.Parent.Data == "li" && n.Parent.Parent != nil && n.Parent.Parent.Parent != nil && hasClass(n.Parent.Parent.Parent, "site-nav") && !own[href]) {
				return // a post's or a page's title
			}
			if l, ok := attr(n, "aria-label"); ok {
				b.WriteString(" " + l + " ")
			}
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inArchive)
		}
	}
	walk(doc, false)
	return strings.Join(strings.Fields(b.String()), " ")
}

// TestBuildLanguages builds the example site in each language of
// EXPECTED.md's table (French, German and Japanese) and checks that no
// English word of the theme is left on its index, a post, the archive, a
// tag page, the tags page and the 404 page, and that dates and the
// theme's words read as the table says.
func TestBuildLanguages(t *testing.T) {
	ex := exampleExpected(t)
	for _, tc := range ex.languages {
		t.Run(tc.lang, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "site")
			copySite(t, exampleSite, dir)
			cfg := filepath.Join(dir, "site.toml")
			data, err := os.ReadFile(cfg)
			if err != nil {
				t.Fatal(err)
			}
			data = regexp.MustCompile(`(?m)^language = "en"$`).ReplaceAll(data, []byte(`language = "`+tc.lang+`"`))
			if err := os.WriteFile(cfg, data, 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out")
			_, stderr := buildOK(t, "-s", dir, "-o", out, "--no-cache")
			if stderr != "" {
				t.Errorf("warnings:\n%s", stderr)
			}
			files := readTree(t, out)
			doc := func(name string) *html.Node { return parseHTML(t, name, files[name]) }
			probes := englishProbes(t, tc.lang)
			if len(probes) < 30 {
				t.Fatalf("only %d English probes: %v", len(probes), probes)
			}
			postFile := fileOfPath(ex.post("code-listings").path)
			tourFile := fileOfPath(ex.post("markdown-tour").path) // with a table of contents
			for _, name := range []string{"index.html", "page/2/index.html", postFile, tourFile, "archive/index.html", "tags/index.html", "tags/markdown/index.html", "404.html", "about/index.html"} {
				d := doc(name)
				if l, _ := attr(first(t, name, d, "html"), "lang"); l != tc.lang {
					t.Errorf("%s: lang=%q", name, l)
				}
				// Post titles (quoted in the hidden part of "Read more")
				// and the feed formats' names are not the theme's words.
				text := uiText(d)
				for _, p := range ex.posts {
					text = strings.ReplaceAll(text, p.title, "")
				}
				for _, name := range []string{"JSON Feed", "Atom", "RSS"} {
					text = strings.ReplaceAll(text, name, "")
				}
				for piece, id := range probes {
					if regexp.MustCompile(`(^|\PL)` + regexp.QuoteMeta(piece) + `(\PL|$)`).MatchString(text) {
						t.Errorf("%s shows %q, English of %s:\n%s", name, piece, id, text)
					}
				}
			}

			// The names of listings and tables, in the bodies.
			if want := `aria-label="` + tc.codeListing + `"`; !strings.Contains(string(files[postFile]), want) {
				t.Errorf("%s does not hold %s", postFile, want)
			}
			if want := `<div class="table-wrap" tabindex="0" role="group" aria-label="` + tc.table + `">`; !strings.Contains(string(files[tourFile]), want) {
				t.Errorf("%s does not hold %s", tourFile, want)
			}

			// Dates in the language's words; datetime stays RFC 3339. The
			// table gives the updated date with its label.
			p := doc(postFile)
			listings := ex.post("code-listings")
			published := listings.date.Format(time.RFC3339)
			for _, c := range []struct{ class, shown, datetime string }{
				{"dt-published", tc.published, published},
				{"dt-updated", tc.updated, listings.update.Format(time.RFC3339)},
			} {
				tm := first(t, postFile, p, "time", c.class)
				if got := textOf(tm); got == "" || !strings.HasSuffix(c.shown, got) || c.class == "dt-published" && got != c.shown {
					t.Errorf("%s: %s shows %q, want %q", postFile, c.class, got, c.shown)
				}
				if text := strings.Join(strings.Fields(textOf(p)), " "); !strings.Contains(text, c.shown) {
					t.Errorf("%s does not show %q", postFile, c.shown)
				}
				if got, _ := attr(tm, "datetime"); got != c.datetime {
					t.Errorf("%s: %s datetime=%q, want %q", postFile, c.class, got, c.datetime)
				}
			}
			archive := doc("archive/index.html")
			found := false
			for _, tm := range elems(archive, "time") {
				if dt, _ := attr(tm, "datetime"); dt == published {
					found = true
					if got := textOf(tm); got != tc.archiveDay {
						t.Errorf("archive: %q, want %q", got, tc.archiveDay)
					}
				}
			}
			if !found {
				t.Errorf("archive: no <time datetime=%s>", published)
			}

			// The theme's words in the language, and the pages' titles.
			for _, c := range []struct{ file, want string }{
				{"index.html", tc.readMore},
				{"index.html", tc.minRead},
				{"index.html", tc.pagerNext},
				{"archive/index.html", tc.archiveTitle},
				{"tags/markdown/index.html", tc.tagTitle},
				{"tags/markdown/index.html", tc.tagPageOf},
			} {
				if text := strings.Join(strings.Fields(textOf(doc(c.file))), ""); !strings.Contains(text, strings.ReplaceAll(c.want, " ", "")) {
					t.Errorf("%s does not show %q", c.file, c.want)
				}
			}
			if title := textOf(first(t, "archive", doc("archive/index.html"), "title")); !strings.HasPrefix(title, tc.archiveTitle+" · ") {
				t.Errorf("archive <title>%s</title>", title)
			}
			// The feeds' dates stay RFC 3339 and RFC 1123.
			if !strings.Contains(string(files["feed.xml"]), "<updated>2025-08-30T08:05:00+02:00</updated>") || !strings.Contains(string(files["rss.xml"]), "<pubDate>Sat, 30 Aug 2025 08:05:00 +0200</pubDate>") {
				t.Error("feed dates changed")
			}
		})
	}
}
