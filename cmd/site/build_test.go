package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/siteblog/site/internal/feedcheck"
	"github.com/siteblog/site/internal/testenv"
)

// paged splits a list into pages of n.
func paged[T any](list []T, n int) [][]T {
	var pages [][]T
	for i := 0; i < len(list); i += n {
		pages = append(pages, list[i:min(i+n, len(list))])
	}
	return pages
}

// listPageFile is the output file of page n of a list whose first page is
// at first ("/" or "/tags/x/").
func listPageFile(first string, n int) string {
	if n == 1 {
		return fileOfPath(first)
	}
	return fileOfPath(first + "page/" + strconv.Itoa(n) + "/")
}

// decodedPath returns the decoded path of a URL, failing the test when it
// does not parse.
func decodedPath(t *testing.T, where, ref string) string {
	t.Helper()
	u, err := url.Parse(ref)
	if err != nil {
		t.Errorf("%s: bad URL %q: %v", where, ref, err)
		return ""
	}
	return u.Path
}

// builtExample is the example site built into a temporary directory,
// with what EXPECTED.md says of it.
type builtExample struct {
	ex             *exampleDoc
	out            string
	files          map[string][]byte
	docs           map[string]*html.Node // the parsed .html files
	stdout, stderr string
}

// buildExample builds the example site; --no-cache keeps the build from
// writing a cache into the repository's example directory.
func buildExample(t *testing.T, flags ...string) *builtExample {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr := buildOK(t, append([]string{"-s", exampleSite, "-o", out, "--no-cache"}, flags...)...)
	b := &builtExample{ex: exampleExpected(t), out: out, files: readTree(t, out), docs: map[string]*html.Node{}, stdout: stdout, stderr: stderr}
	for name, data := range b.files {
		if strings.HasSuffix(name, ".html") {
			b.docs[name] = parseHTML(t, name, data)
		}
	}
	return b
}

// checkLinkTarget fails the test if a link ref, found at where, leads to
// no file of the output or to an id its HTML page lacks; it reports
// whether it checked a fragment.
func (b *builtExample) checkLinkTarget(t *testing.T, where, ref, file, fragment string) (checkedFragment bool) {
	t.Helper()
	if _, ok := b.files[file]; !ok {
		t.Errorf("%s: broken link %q (no %s in the output)", where, ref, file)
		return false
	}
	if fragment == "" || !strings.HasSuffix(file, ".html") {
		return false
	}
	if elementByID(b.docs[file], fragment) == nil {
		t.Errorf("%s: link %q: %s has no element with id %q", where, ref, file, fragment)
	}
	return true
}

func (b *builtExample) doc(t *testing.T, file string) *html.Node {
	t.Helper()
	d, ok := b.docs[file]
	if !ok {
		t.Fatalf("%s was not built", file)
	}
	return d
}

// content is the e-content element of a post page.
func (b *builtExample) content(t *testing.T, key string) (*html.Node, []byte) {
	t.Helper()
	file := fileOfPath(b.ex.post(key).path)
	return first(t, file, b.doc(t, file), "div", "e-content"), b.files[file]
}

// summaryLinks returns the decoded paths of the post cards of a list page.
func summaryLinks(t *testing.T, file string, doc *html.Node) []string {
	t.Helper()
	var paths []string
	for _, h := range elems(doc, "h2", "summary-title") {
		for _, a := range elems(h, "a") {
			href, _ := attr(a, "href")
			paths = append(paths, decodedPath(t, file, href))
		}
	}
	return paths
}

// postPaths are the paths of the posts of keys.
func (d *exampleDoc) postPaths(keys []string) []string {
	var paths []string
	for _, k := range keys {
		paths = append(paths, d.post(k).path)
	}
	return paths
}

func TestBuildExample(t *testing.T) {
	b := buildExample(t)

	m := b.ex.summary.FindStringSubmatch(b.stdout)
	if m == nil {
		t.Fatalf("summary line %q does not match EXPECTED.md's (%s)", b.stdout, b.ex.summary)
	}
	if m[1] != b.out {
		t.Errorf("summary names output %q, want %q", m[1], b.out)
	}
	if n, _ := strconv.Atoi(regexp.MustCompile(`(\d+) pages`).FindStringSubmatch(b.stdout)[1]); n != len(b.docs) {
		t.Errorf("summary counts %d pages; %d HTML files were written", n, len(b.docs))
	}
	if b.stderr != "" {
		t.Errorf("a clean build printed to stderr (EXPECTED.md: no warning):\n%s", b.stderr)
	}

	t.Run("outputs", func(t *testing.T) { testExampleOutputs(t, b) })
	t.Run("lists", func(t *testing.T) { testExampleLists(t, b) })
	t.Run("html", func(t *testing.T) { testExampleHTML(t, b) })
	t.Run("links", func(t *testing.T) { testExampleLinks(t, b) })
	t.Run("rendering", func(t *testing.T) { testExampleRendering(t, b) })
	t.Run("dates", func(t *testing.T) { testExampleDates(t, b) })
	t.Run("feeds", func(t *testing.T) { testExampleFeeds(t, b) })
	t.Run("sitemap", func(t *testing.T) { testExampleSitemap(t, b) })
	t.Run("share cards", func(t *testing.T) { testExampleShareCards(t, b) })
}

func testExampleOutputs(t *testing.T, b *builtExample) {
	ex := b.ex
	var want []string
	for _, p := range ex.posts {
		want = append(want, fileOfPath(p.path))
	}
	indexPages := len(ex.indexPages)
	for n := 1; n <= indexPages; n++ {
		want = append(want, listPageFile("/", n))
	}
	for _, tag := range ex.tags {
		first := "/tags/" + tag.slug + "/"
		for n := 1; n <= len(tag.pages); n++ {
			want = append(want, listPageFile(first, n))
		}
		want = append(want, "tags/"+tag.slug+"/feed.xml")
	}
	want = append(want,
		"tags/index.html", "archive/index.html",
		"feed.xml", "rss.xml", "feed.json", "sitemap.xml", "robots.txt", "404.html",
	)
	want = append(want, ex.standalone...)
	want = append(want, ex.aliases...)
	for _, f := range want {
		if _, ok := b.files[f]; !ok {
			t.Errorf("missing output %s", f)
		}
	}

	absent := []string{listPageFile("/", indexPages+1)}
	// Unpublished outputs: the draft, the future post and the tags only
	// they carry, and anything that names them.
	var unpublMarker []string
	for _, p := range ex.unpublished {
		absent = append(absent, fileOfPath(p.path))
		unpublMarker = append(unpublMarker, p.slug)
	}
	for _, tag := range ex.tags {
		absent = append(absent, listPageFile("/tags/"+tag.slug+"/", len(tag.pages)+1))
	}
	for _, tag := range ex.unpublTags {
		absent = append(absent, "tags/"+tag+"/index.html", "tags/"+tag+"/feed.xml")
		unpublMarker = append(unpublMarker, "tags/"+tag+"/")
	}
	for _, f := range absent {
		if _, ok := b.files[f]; ok {
			t.Errorf("output %s should not exist", f)
		}
	}
	for name, data := range b.files {
		for _, marker := range unpublMarker {
			if strings.Contains(name, marker) {
				t.Errorf("output %s belongs to an unpublished post or tag", name)
			}
		}
		for _, p := range ex.unpublished {
			if bytes.Contains(data, []byte(p.slug)) {
				t.Errorf("%s mentions the unpublished post %s", name, p.slug)
			}
		}
	}

	for src, dst := range ex.copies {
		want, err := os.ReadFile(filepath.Join(exampleSite, filepath.FromSlash(src)))
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := b.files[dst]; !ok {
			t.Errorf("%s was not copied to %s", src, dst)
		} else if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its source %s", dst, src)
		}
	}

	fingerprinted := regexp.MustCompile(`^assets/style\.[0-9a-f]{6,}\.css$`)
	var styles []string
	for name := range b.files {
		if fingerprinted.MatchString(name) {
			styles = append(styles, name)
		}
	}
	if len(styles) != 1 {
		t.Fatalf("want one fingerprinted assets/style.*.css, found %v", styles)
	}
	var linked bool
	for _, l := range elems(b.doc(t, "index.html"), "link") {
		rel, _ := attr(l, "rel")
		href, _ := attr(l, "href")
		linked = linked || (rel == "stylesheet" && href == "/"+styles[0])
	}
	if !linked {
		t.Errorf("index.html does not link the stylesheet /%s", styles[0])
	}
}

func testExampleLists(t *testing.T, b *builtExample) {
	ex := b.ex
	for n, page := range ex.indexPages {
		file := listPageFile("/", n+1)
		want := ex.postPaths(page)
		if got := summaryLinks(t, file, b.doc(t, file)); !slices.Equal(got, want) {
			t.Errorf("%s lists %q, want %q", file, got, want)
		}
	}
	tagOf := map[string][]string{} // post key → tag slugs
	for _, tag := range ex.tags {
		for n, page := range tag.pages {
			file := listPageFile("/tags/"+tag.slug+"/", n+1)
			if got, want := summaryLinks(t, file, b.doc(t, file)), ex.postPaths(page); !slices.Equal(got, want) {
				t.Errorf("%s lists %q, want %q", file, got, want)
			}
		}
		for _, k := range tag.posts {
			tagOf[k] = append(tagOf[k], tag.slug)
		}
	}

	counts := map[string]string{}
	for _, a := range elems(b.doc(t, "tags/index.html"), "a", "tag") {
		href, _ := attr(a, "href")
		count := ""
		if c := elems(a, "span", "tag-count"); len(c) > 0 {
			count = strings.Fields(textOf(c[0]))[0]
		}
		counts[decodedPath(t, "tags/index.html", href)] = count
	}
	if len(counts) != len(ex.tags) {
		t.Errorf("tags/index.html lists %d tags, want %d: %v", len(counts), len(ex.tags), counts)
	}
	for _, tag := range ex.tags {
		if got, want := counts["/tags/"+tag.slug+"/"], strconv.Itoa(len(tag.posts)); got != want {
			t.Errorf("tags/index.html: %s counts %q posts, want %s", tag.name, got, want)
		}
	}

	for _, p := range ex.posts {
		file := fileOfPath(p.path)
		doc := b.doc(t, file)
		var got []string
		for _, a := range elems(first(t, file, doc, "header", "post-header"), "a", "tag") {
			href, _ := attr(a, "href")
			got = append(got, strings.TrimSuffix(strings.TrimPrefix(decodedPath(t, file, href), "/tags/"), "/"))
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tagOf[p.key]))
		if !slices.Equal(got, want) {
			t.Errorf("%s is tagged %q, want %q", file, got, want)
		}
		if h1 := textOf(first(t, file, doc, "h1", "post-title")); h1 != p.title {
			t.Errorf("%s: title %q, want %q", file, h1, p.title)
		}
	}
}

// resourceTags are the elements whose URL attributes load a resource into
// the page (as opposed to <a href>, which only links).
var resourceTags = map[string]bool{"link": true, "script": true, "img": true, "iframe": true, "source": true, "video": true, "audio": true, "embed": true, "object": true, "track": true, "input": true}

func testExampleHTML(t *testing.T, b *builtExample) {
	redirects := 0
	for _, name := range sortedKeys(b.docs) {
		doc, raw := b.docs[name], b.files[name]
		redirect := bytes.Contains(raw, []byte(`http-equiv="refresh"`))
		if redirect {
			redirects++
		}
		if n := len(elems(doc, "title")); n != 1 {
			t.Errorf("%s: %d <title> elements, want 1", name, n)
		}
		if !redirect {
			if n := len(elems(doc, "main")); n != 1 {
				t.Errorf("%s: %d <main> elements, want 1", name, n)
			}
			for _, marker := range []string{"<!--tls-badge-->", "<!--/tls-badge-->"} {
				if n := bytes.Count(raw, []byte(marker)); n != 1 {
					t.Errorf("%s: badge marker %s appears %d times, want 1", name, marker, n)
				}
			}
		}
		ids := map[string]bool{}
		walkNodes(doc, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			if _, ok := attr(n, "style"); ok {
				t.Errorf("%s: <%s> has a style attribute (CSP default-src 'self' blocks it)", name, n.Data)
			}
			if n.Data == "style" {
				t.Errorf("%s: has a <style> element", name)
			}
			if src, ok := attr(n, "src"); n.Data == "script" && (!ok || src == "") {
				// The head's JSON-LD is data, which no browser runs and
				// no CSP governs; any other inline script is an error.
				if typ, _ := attr(n, "type"); typ != "application/ld+json" || n.Parent == nil || n.Parent.Data != "head" {
					t.Errorf("%s: inline <script>", name)
				} else if n.FirstChild == nil || !json.Valid([]byte(n.FirstChild.Data)) {
					t.Errorf("%s: JSON-LD that is not JSON", name)
				}
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: <%s> has an event handler attribute %s", name, n.Data, a.Key)
				}
			}
			if id, ok := attr(n, "id"); ok {
				if ids[id] {
					t.Errorf("%s: id %q is used twice", name, id)
				}
				ids[id] = true
			}
		})
		for _, ref := range references(doc) {
			if !resourceTags[ref.tag] || (ref.attr == "href" && ref.tag != "link") {
				continue // <a href> may point anywhere
			}
			u, err := url.Parse(ref.value)
			if err != nil {
				t.Errorf("%s: <%s %s=%q>: %v", name, ref.tag, ref.attr, ref.value, err)
				continue
			}
			if u.Host != "" && u.Host != siteHost {
				t.Errorf("%s: <%s %s=%q> loads a resource from another origin", name, ref.tag, ref.attr, ref.value)
			}
			if u.Scheme != "" && u.Scheme != "https" && u.Scheme != "http" {
				t.Errorf("%s: <%s %s=%q>: resource with a %s: URL", name, ref.tag, ref.attr, ref.value, u.Scheme)
			}
		}
	}
	// The two aliases of getting-started and the /page/1/ redirects.
	if redirects < 2 {
		t.Errorf("found %d redirect pages, want at least the 2 aliases", redirects)
	}
	for _, alias := range b.ex.aliases {
		doc := b.doc(t, alias)
		var target string
		for _, ref := range references(doc) {
			if ref.tag == "meta" {
				target = ref.value
			}
		}
		if want := b.ex.aliasTarget; target != want { // site-relative: a preview stays on its host
			t.Errorf("%s redirects to %q, want %q", alias, target, want)
		}
	}
}

func testExampleLinks(t *testing.T, b *builtExample) {
	checked, fragments := 0, 0
	check := func(where string, base *url.URL, ref string) {
		target, internal, err := internalTarget(base, ref)
		if err != nil {
			t.Errorf("%s: bad URL %q: %v", where, ref, err)
			return
		}
		if !internal {
			return
		}
		checked++
		file := fileOfPath(target.Path)
		if b.checkLinkTarget(t, where, ref, file, target.Fragment) {
			fragments++
		}
	}
	for _, name := range sortedKeys(b.docs) {
		base := pageURL(name)
		for _, ref := range references(b.docs[name]) {
			check(fmt.Sprintf("%s <%s %s>", name, ref.tag, ref.attr), base, ref.value)
		}
	}
	for _, loc := range sitemapLocs(t, b.files["sitemap.xml"]) {
		check("sitemap.xml", &url.URL{Scheme: "https", Host: siteHost, Path: "/"}, loc)
	}
	// The example links posts to each other, to footnotes, listing lines
	// and headings: the check must have seen them.
	t.Logf("checked %d internal links, %d with fragments", checked, fragments)
	if checked < 500 || fragments < 50 {
		t.Errorf("checked only %d internal links, %d with fragments", checked, fragments)
	}
}

// listings returns the code listings of a post's content whose language is
// lang ("" for none).
func listings(content *html.Node, lang string) []*html.Node {
	var figs []*html.Node
	for _, fig := range elems(content, "figure", "listing") {
		code := elems(fig, "code")
		if len(code) == 0 {
			continue
		}
		if l, _ := attr(code[0], "data-lang"); l == lang {
			figs = append(figs, fig)
		}
	}
	return figs
}

// checkListingLines checks the line numbers and highlighted lines of a
// listing.
func checkListingLines(t *testing.T, what string, fig *html.Node, start, count int, hl []int) {
	t.Helper()
	lines := elems(fig, "span", "line")
	if len(lines) != count {
		t.Errorf("%s: %d lines, want %d", what, len(lines), count)
	}
	pre := elems(fig, "pre")
	if len(pre) != 1 {
		t.Fatalf("%s: %d pre elements, want 1", what, len(pre))
	}
	if tab, _ := attr(pre[0], "tabindex"); tab != "0" {
		t.Errorf("%s: tabindex=%q, want 0 (it scrolls sideways)", what, tab)
	}
	if name, _ := attr(pre[0], "aria-label"); !strings.HasPrefix(name, "Code listing") {
		t.Errorf("%s: named %q, want Code listing…", what, name)
	}
	if d, _ := attr(pre[0], "data-digits"); d != strconv.Itoa(len(strconv.Itoa(start+count-1))) {
		t.Errorf("%s: data-digits=%q for numbers up to %d", what, d, start+count-1)
	}
	for i, line := range lines {
		n := start + i
		ln := elems(line, "a", "ln")
		if len(ln) != 1 {
			t.Errorf("%s: line %d has %d line numbers", what, n, len(ln))
			continue
		}
		if got, _ := attr(ln[0], "data-n"); got != strconv.Itoa(n) {
			t.Errorf("%s: line %d is numbered %q, want %d", what, i+1, got, n)
		}
		if got, want := hasClass(line, "hl"), slices.Contains(hl, n); got != want {
			t.Errorf("%s: line numbered %d highlighted: %v, want %v", what, n, got, want)
		}
	}
}

func testExampleRendering(t *testing.T, b *builtExample) {
	t.Run("code listings", func(t *testing.T) {
		content, raw := b.content(t, "code-listings")
		langs := map[string]int{}
		for _, fig := range elems(content, "figure", "listing") {
			lang := ""
			if code := elems(fig, "code"); len(code) > 0 {
				lang, _ = attr(code[0], "data-lang")
			}
			langs[lang]++
		}
		want := b.ex.listings
		for _, lang := range want.langs {
			if langs[lang] == 0 {
				t.Errorf("no %q listing; listings by language: %v", lang, langs)
			}
		}
		goFigs := listings(content, "go")
		if len(goFigs) != 1 {
			t.Fatalf("%d go listings, want 1", len(goFigs))
		}
		checkListingLines(t, "go listing", goFigs[0], want.goStart, want.goCount, want.goHL)
		pyFigs := listings(content, "python")
		if len(pyFigs) != 1 {
			t.Fatalf("%d python listings, want 1", len(pyFigs))
		}
		checkListingLines(t, "python listing", pyFigs[0], want.pyStart, len(elems(pyFigs[0], "span", "line")), want.pyHL)

		kl := listings(content, "klingon")
		if len(kl) != 1 {
			t.Fatalf("%d klingon listings, want 1", len(kl))
		}
		for _, s := range want.klingon {
			if !bytes.Contains(raw, []byte(s)) {
				t.Errorf("klingon listing: page lacks %q", s)
			}
		}
		if n := len(elems(kl[0], "b")); n != 0 {
			t.Errorf("klingon listing holds %d <b> elements", n)
		}
		text := textOf(kl[0])
		for _, s := range []string{html.UnescapeString(want.klingon[0]), "<b>taHjaj wo'</b>"} {
			if !strings.Contains(text, s) {
				t.Errorf("klingon listing text %q lacks %q", text, s)
			}
		}
		if tokens := findAll(kl[0], func(n *html.Node) bool {
			return n.Data == "span" && !hasClass(n, "line") && !hasClass(n, "cl")
		}); len(tokens) != 0 {
			t.Errorf("klingon listing is highlighted (%d token spans); want plain text", len(tokens))
		}
	})

	t.Run("raw html", func(t *testing.T) {
		content, raw := b.content(t, "raw-html")
		details := elems(content, "details")
		if len(details) != 1 || len(elems(details[0], "summary")) != 1 || len(elems(details[0], "em")) != 1 {
			t.Errorf("want one <details> with a <summary> and the <em> of the Markdown inside, got %d", len(details))
		}
		var figure *html.Node
		for _, f := range elems(content, "figure") {
			if !hasClass(f, "listing") {
				if figure != nil {
					t.Errorf("more than one raw <figure>")
				}
				figure = f
			}
		}
		if figure == nil {
			t.Fatalf("the raw <figure> did not pass through")
		}
		imgs := elems(figure, "img")
		if len(imgs) != 1 || len(elems(figure, "figcaption")) != 1 {
			t.Errorf("the figure has %d images and %d captions, want one of each", len(imgs), len(elems(figure, "figcaption")))
		} else if src, _ := attr(imgs[0], "src"); src != "/images/logo.svg" {
			t.Errorf("the figure shows %q, want /images/logo.svg", src)
		}
		for tag, n := range map[string]int{"sub": 1, "sup": 1, "kbd": 2} {
			if got := len(elems(content, tag)); got != n {
				t.Errorf("%d <%s> elements, want %d", got, tag, n)
			}
		}
		page := b.doc(t, fileOfPath(b.ex.post("raw-html").path))
		for _, tag := range []string{"script", "style", "iframe"} {
			n := 0
			for _, e := range elems(page, tag) {
				if typ, _ := attr(e, "type"); tag != "script" || typ != "application/ld+json" { // the head's JSON-LD
					n++
				}
			}
			if n != 0 {
				t.Errorf("page has %d <%s> elements", n, tag)
			}
		}
		if bytes.Contains(raw, []byte("<script>alert(1)</script>")) {
			t.Errorf("the <script> of the listing passed through")
		}
		figs := listings(content, "html")
		if len(figs) != 1 {
			t.Fatalf("%d html listings, want 1", len(figs))
		}
		text := textOf(figs[0])
		for _, s := range []string{"<script>alert(1)</script>", `<p style="color: red">`, `onclick="go()"`, `<iframe src="https://www.youtube-nocookie.com/embed/ID">`} {
			if !strings.Contains(text, s) {
				t.Errorf("html listing lacks %q", s)
			}
		}
		if n := len(elems(figs[0], "span", "nt")); n == 0 {
			t.Errorf("html listing has no highlighted tag names")
		}
	})

	t.Run("markdown tour", func(t *testing.T) {
		content, _ := b.content(t, "markdown-tour")
		tables := elems(content, "table")
		if len(tables) != 1 {
			t.Fatalf("%d tables, want 1", len(tables))
		}
		if w := tables[0].Parent; w == nil || w.Data != "div" || !hasClass(w, "table-wrap") {
			t.Errorf("the table is not inside a div.table-wrap")
		} else if tab, _ := attr(w, "tabindex"); tab != "0" {
			t.Errorf("the table's wrapper has tabindex=%q, want 0", tab)
		} else if name, _ := attr(w, "aria-label"); name == "" {
			t.Errorf("the table's wrapper has no name")
		}
		rows := elems(tables[0], "tr")
		if len(rows) < 2 {
			t.Fatalf("table has %d rows", len(rows))
		}
		for i, row := range rows {
			cells := findAll(row, func(n *html.Node) bool { return n.Data == "td" || n.Data == "th" })
			if len(cells) != 3 {
				t.Errorf("table row %d has %d cells, want 3", i+1, len(cells))
				continue
			}
			for j, c := range cells {
				align, _ := attr(c, "align")
				if want := map[bool]string{true: "center", false: ""}[j == 2]; align != want {
					t.Errorf("table row %d column %d: align=%q, want %q", i+1, j+1, align, want)
				}
			}
		}
		if len(elems(content, "del")) == 0 {
			t.Errorf("no <del>")
		}
		checked, unchecked := 0, 0
		for _, in := range elems(content, "input") {
			if typ, _ := attr(in, "type"); typ != "checkbox" {
				continue
			}
			if _, ok := attr(in, "disabled"); !ok {
				t.Errorf("task list checkbox is not disabled")
			}
			// The box is named by the item's text, which follows it.
			var text strings.Builder
			for n := in.NextSibling; n != nil; n = n.NextSibling {
				text.WriteString(textOf(n))
			}
			if name, _ := attr(in, "aria-label"); name == "" || name != strings.Join(strings.Fields(text.String()), " ") {
				t.Errorf("task list checkbox named %q, want its item's text %q", name, text.String())
			}
			if _, ok := attr(in, "checked"); ok {
				checked++
			} else {
				unchecked++
			}
		}
		if checked != 2 || unchecked != 2 {
			t.Errorf("task list: %d checked and %d unchecked boxes, want 2 and 2", checked, unchecked)
		}
		autolink := false
		for _, a := range elems(content, "a") {
			href, _ := attr(a, "href")
			autolink = autolink || (href == "https://commonmark.org/help/" && textOf(a) == href)
		}
		if !autolink {
			t.Errorf("the bare URL https://commonmark.org/help/ is not a link")
		}
		notes := elems(content, "div", "footnotes")
		if len(notes) != 1 {
			t.Fatalf("%d footnote sections, want 1", len(notes))
		}
		items := elems(notes[0], "li")
		if len(items) != 2 {
			t.Errorf("%d footnotes, want 2", len(items))
		}
		for i := range 2 {
			id := "fn:" + strconv.Itoa(i+1)
			if elementByID(notes[0], id) == nil {
				t.Errorf("no footnote %s", id)
			}
			refs := findAll(content, func(n *html.Node) bool { h, _ := attr(n, "href"); return n.Data == "a" && h == "#"+id })
			if len(refs) != 1 {
				t.Errorf("%d references to footnote %s, want 1", len(refs), id)
			}
		}
		dls := elems(content, "dl")
		if len(dls) != 1 || len(elems(dls[0], "dt")) != 3 || len(elems(dls[0], "dd")) != 3 {
			t.Errorf("want one <dl> with 3 terms and 3 definitions")
		}
		if len(elems(content, "blockquote")) != 1 {
			t.Errorf("want one blockquote")
		}
		for _, level := range []string{"h2", "h3"} {
			hs := elems(content, level)
			if len(hs) == 0 {
				t.Errorf("no %s headings", level)
			}
			for _, h := range hs {
				id, _ := attr(h, "id")
				anchors := elems(h, "a", "anchor")
				if id == "" || len(anchors) != 1 {
					t.Errorf("%s %q: id %q, %d anchors", level, textOf(h), id, len(anchors))
					continue
				}
				if href, _ := attr(anchors[0], "href"); href != "#"+id {
					t.Errorf("%s %q: anchor to %q, want #%s", level, textOf(h), href, id)
				}
			}
		}
		// Toc: true: the table of contents links to every h2 and h3, in order.
		file := fileOfPath(b.ex.post("markdown-tour").path)
		navs := elems(b.doc(t, file), "nav", "toc")
		if len(navs) != 1 {
			t.Fatalf("%d tables of contents, want 1", len(navs))
		}
		var heads, entries []string
		for _, h := range findAll(content, func(n *html.Node) bool { return n.Data == "h2" || n.Data == "h3" }) {
			id, _ := attr(h, "id")
			heads = append(heads, "#"+id)
		}
		for _, a := range elems(navs[0], "a") {
			href, _ := attr(a, "href")
			entries = append(entries, href)
		}
		if strings.Join(entries, " ") != strings.Join(heads, " ") {
			t.Errorf("table of contents links to %q, want the headings %q", entries, heads)
		}
		var prose strings.Builder
		for _, p := range elems(content, "p") {
			prose.WriteString(textOf(p))
		}
		for _, mark := range []string{"“", "”", "‘", "’", "–", "—", "…"} {
			if !strings.Contains(prose.String(), mark) {
				t.Errorf("smart punctuation: no %s", mark)
			}
		}
		codes := map[string]bool{}
		for _, c := range elems(content, "code") {
			codes[textOf(c)] = true
		}
		for _, s := range []string{`"quotes"`, "--flags"} {
			if !codes[s] {
				t.Errorf("inline code %q was changed by smart punctuation", s)
			}
		}
	})

	t.Run("cafe", func(t *testing.T) {
		content, _ := b.content(t, "cafe-notes")
		dls := elems(content, "dl")
		if len(dls) != 1 || len(elems(dls[0], "dt")) != 3 {
			t.Errorf("want one <dl> with 3 terms")
		}
		boxes := findAll(content, func(n *html.Node) bool { typ, _ := attr(n, "type"); return n.Data == "input" && typ == "checkbox" })
		if len(boxes) == 0 {
			t.Errorf("no task list")
		}
		if len(listings(content, "")) == 0 {
			t.Errorf("no listing without a language")
		}
		cafe := b.ex.post("cafe-notes")
		doc := b.doc(t, fileOfPath(cafe.path))
		if by := elems(doc, "span", "p-author"); len(by) != 1 || textOf(by[0]) != cafe.author {
			t.Errorf("the post does not name %s as its author", cafe.author)
		}
	})

	t.Run("bundle and static images", func(t *testing.T) {
		content, _ := b.content(t, "page-bundles")
		srcs := map[string]bool{}
		for _, img := range elems(content, "img") {
			src, _ := attr(img, "src")
			srcs[src] = true
		}
		for _, s := range []string{"diagram.svg", "swatch.png"} {
			if !srcs[s] {
				t.Errorf("page bundle: no <img src=%q>; have %v", s, srcs)
			}
		}
		about := first(t, "about", b.doc(t, "about/index.html"), "div", "content")
		if imgs := findAll(about, func(n *html.Node) bool { s, _ := attr(n, "src"); return n.Data == "img" && s == "/images/logo.svg" }); len(imgs) != 1 {
			t.Errorf("about page does not show /images/logo.svg")
		}
	})
}

// testExampleDates checks each post's date, as EXPECTED.md gives it in
// the site's zone: shown in en-001's words ("1 January 2025", the day in
// Berlin), and in RFC 3339 with Berlin's offset in datetime.
func testExampleDates(t *testing.T, b *builtExample) {
	for _, p := range b.ex.posts {
		file := fileOfPath(p.path)
		tm := first(t, file, b.doc(t, file), "time", "dt-published")
		if got, want := textOf(tm), p.date.Format("2 January 2006"); got != want {
			t.Errorf("%s shows the date %q, want %q", file, got, want)
		}
		if got, _ := attr(tm, "datetime"); got != p.date.Format(time.RFC3339) {
			t.Errorf("%s: datetime=%q, want %q", file, got, p.date.Format(time.RFC3339))
		}
	}

	doc := b.doc(t, "archive/index.html")
	sections := elems(doc, "section", "archive-year")
	if len(sections) != len(b.ex.archive) {
		t.Fatalf("archive has %d years, want %d", len(sections), len(b.ex.archive))
	}
	for i, y := range b.ex.archive {
		h := first(t, "archive", sections[i], "h2")
		if !strings.HasPrefix(textOf(h), y.year) {
			t.Errorf("archive year %d is %q, want %s", i+1, textOf(h), y.year)
		}
		var got, want []string
		for _, a := range elems(sections[i], "a") {
			href, _ := attr(a, "href")
			got = append(got, decodedPath(t, "archive", href))
		}
		want = b.ex.postPaths(y.posts)
		if !slices.Equal(got, want) {
			t.Errorf("archive %s lists %q, want %q", y.year, got, want)
		}
	}
}

// Feed documents, as far as the tests read them.
type (
	atomLink struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	}
	atomDoc struct {
		XMLName xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string     `xml:"title"`
		ID      string     `xml:"id"`
		Links   []atomLink `xml:"link"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []struct {
			Title     string     `xml:"title"`
			ID        string     `xml:"id"`
			Links     []atomLink `xml:"link"`
			Published string     `xml:"published"`
			Updated   string     `xml:"updated"`
			Author    *struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	rssDoc struct {
		XMLName xml.Name `xml:"rss"`
		Channel struct {
			Self  []atomLink `xml:"http://www.w3.org/2005/Atom link"`
			Items []struct {
				Title string `xml:"title"`
				Link  string `xml:"link"`
				GUID  struct {
					IsPermaLink string `xml:"isPermaLink,attr"`
					Value       string `xml:",chardata"`
				} `xml:"guid"`
				PubDate     string `xml:"pubDate"`
				Author      string `xml:"author"`
				Creator     string `xml:"http://purl.org/dc/elements/1.1/ creator"`
				Description string `xml:"description"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	jsonFeedDoc struct {
		Version string `json:"version"`
		FeedURL string `json:"feed_url"`
		Items   []struct {
			ID            string `json:"id"`
			URL           string `json:"url"`
			Title         string `json:"title"`
			ContentHTML   string `json:"content_html"`
			DatePublished string `json:"date_published"`
			DateModified  string `json:"date_modified"`
			Authors       []struct {
				Name string `json:"name"`
			} `json:"authors"`
		} `json:"items"`
	}
)

func linkRel(links []atomLink, rel string) string {
	for _, l := range links {
		if l.Rel == rel || (rel == "alternate" && l.Rel == "") {
			return l.Href
		}
	}
	return ""
}

func testExampleFeeds(t *testing.T, b *builtExample) {
	ex := b.ex
	files := []string{"feed.xml", "rss.xml", "feed.json"}
	for _, tag := range ex.tags {
		files = append(files, "tags/"+tag.slug+"/feed.xml")
	}
	var abs []string
	for _, f := range files {
		abs = append(abs, filepath.Join(b.out, filepath.FromSlash(f)))
	}
	if err := feedcheck.Validate(testenv.Python(t), abs); err != nil {
		t.Errorf("feedparser rejects the feeds: %v", err)
	}

	// checkURL checks an absolute URL of the site in a feed.
	checkURL := func(where, u, wantPath string) {
		t.Helper()
		if !strings.HasPrefix(u, "https://example.org/") {
			t.Errorf("%s: URL %q is not absolute on https://example.org/", where, u)
			return
		}
		if p := decodedPath(t, where, u); wantPath != "" && p != wantPath {
			t.Errorf("%s: URL %q, want the path %q", where, u, wantPath)
		}
		for _, r := range u {
			if r >= utf8.RuneSelf {
				t.Errorf("%s: URL %q is not percent-encoded (EXPECTED.md: feeds carry %s)", where, u, ex.cafeEncoded)
				break
			}
		}
	}
	// checkContent checks the URLs in a post's HTML in a feed: absolute, and
	// the bundle's images at their published place.
	checkContent := func(where, key, content string) {
		t.Helper()
		doc, err := html.Parse(strings.NewReader(content))
		if err != nil {
			t.Errorf("%s: content: %v", where, err)
			return
		}
		for _, ref := range references(doc) {
			u, err := url.Parse(ref.value)
			if err != nil || u.Scheme == "" || u.Host == "" {
				t.Errorf("%s: content has a relative URL <%s %s=%q>", where, ref.tag, ref.attr, ref.value)
			}
		}
		for src, dst := range ex.copies {
			if strings.HasPrefix(src, "content/posts/"+key+"/") {
				if want := `src="https://example.org/` + dst + `"`; !strings.Contains(content, want) {
					t.Errorf("%s: content lacks %s", where, want)
				}
			}
		}
	}
	parse := func(where, layout, s string) time.Time {
		t.Helper()
		tm, err := time.Parse(layout, s)
		if err != nil {
			t.Errorf("%s: date %q: %v", where, s, err)
		}
		return tm
	}

	// Atom, site-wide.
	var atom atomDoc
	if err := xml.Unmarshal(b.files["feed.xml"], &atom); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	if self := linkRel(atom.Links, "self"); self != "https://example.org/feed.xml" {
		t.Errorf("feed.xml: rel=self is %q", self)
	}
	if atom.Author.Name != ex.siteAuthor {
		t.Errorf("feed.xml: feed author %q, want %s", atom.Author.Name, ex.siteAuthor)
	}
	if len(atom.Entries) != ex.feedEntries {
		t.Fatalf("feed.xml: %d entries, want %d", len(atom.Entries), ex.feedEntries)
	}
	published := map[string]time.Time{}
	var prev time.Time
	for i, e := range atom.Entries {
		p := ex.posts[i]
		where := "feed.xml entry " + strconv.Itoa(i+1)
		if e.Title != p.title {
			t.Errorf("%s: title %q, want %q", where, e.Title, p.title)
		}
		link := linkRel(e.Links, "alternate")
		checkURL(where+" link", link, p.path)
		checkURL(where+" id", e.ID, p.path)
		if e.ID != link {
			t.Errorf("%s: id %q is not the permalink %q", where, e.ID, link)
		}
		pub := parse(where, time.RFC3339, e.Published)
		published[p.key] = pub
		if !pub.Equal(p.date) {
			t.Errorf("%s: published %s, want %s", where, pub, p.date)
		}
		if i > 0 && !pub.Before(prev) {
			t.Errorf("%s: published %s, not before the previous entry's %s", where, pub, prev)
		}
		prev = pub
		if !p.update.IsZero() {
			if got := parse(where, time.RFC3339, e.Updated); !got.Equal(p.update) {
				t.Errorf("%s: updated %s, want %s", where, got, p.update)
			}
		}
		switch {
		case p.author != "" && (e.Author == nil || e.Author.Name != p.author):
			t.Errorf("%s: author %+v, want %s", where, e.Author, p.author)
		case p.author == "" && e.Author != nil && e.Author.Name != ex.siteAuthor:
			t.Errorf("%s: author %q, want %s", where, e.Author.Name, ex.siteAuthor)
		}
		checkContent(where, p.key, e.Content)
	}

	// RSS.
	var rss rssDoc
	if err := xml.Unmarshal(b.files["rss.xml"], &rss); err != nil {
		t.Fatalf("rss.xml: %v", err)
	}
	if self := linkRel(rss.Channel.Self, "self"); self != "https://example.org/rss.xml" {
		t.Errorf("rss.xml: atom:link rel=self is %q", self)
	}
	if len(rss.Channel.Items) != ex.feedEntries {
		t.Fatalf("rss.xml: %d items, want %d", len(rss.Channel.Items), ex.feedEntries)
	}
	for i, it := range rss.Channel.Items {
		p := ex.posts[i]
		where := "rss.xml item " + strconv.Itoa(i+1)
		checkURL(where+" link", it.Link, p.path)
		if it.GUID.Value != it.Link || it.GUID.IsPermaLink != "true" {
			t.Errorf("%s: guid %+v, want the permalink %q", where, it.GUID, it.Link)
		}
		if pub := parse(where, time.RFC1123Z, it.PubDate); !pub.Equal(published[p.key]) {
			t.Errorf("%s: pubDate %s, but Atom says %s", where, pub, published[p.key])
		}
		if p.author != "" {
			if strings.Contains(it.Author, ex.siteAuthor) || strings.Contains(it.Creator, ex.siteAuthor) {
				t.Errorf("%s: the post of %s is credited to %s (author %q)", where, p.author, ex.siteAuthor, it.Author)
			}
		} else if want := ex.siteEmail + " (" + ex.siteAuthor + ")"; it.Author != want {
			t.Errorf("%s: author %q, want %s", where, it.Author, want)
		}
		checkContent(where, p.key, it.Description)
	}

	// JSON Feed.
	var jf jsonFeedDoc
	if err := json.Unmarshal(b.files["feed.json"], &jf); err != nil {
		t.Fatalf("feed.json: %v", err)
	}
	if jf.FeedURL != "https://example.org/feed.json" {
		t.Errorf("feed.json: feed_url %q", jf.FeedURL)
	}
	if len(jf.Items) != ex.feedEntries {
		t.Fatalf("feed.json: %d items, want %d", len(jf.Items), ex.feedEntries)
	}
	for i, it := range jf.Items {
		p := ex.posts[i]
		where := "feed.json item " + strconv.Itoa(i+1)
		checkURL(where+" url", it.URL, p.path)
		if it.ID != it.URL {
			t.Errorf("%s: id %q is not the url %q", where, it.ID, it.URL)
		}
		if pub := parse(where, time.RFC3339, it.DatePublished); !pub.Equal(published[p.key]) {
			t.Errorf("%s: date_published %s, but Atom says %s", where, pub, published[p.key])
		}
		if !p.update.IsZero() {
			if got := parse(where, time.RFC3339, it.DateModified); !got.Equal(p.update) {
				t.Errorf("%s: date_modified %s, want %s", where, got, p.update)
			}
		}
		var authors []string
		for _, a := range it.Authors {
			authors = append(authors, a.Name)
		}
		if p.author != "" && !slices.Equal(authors, []string{p.author}) {
			t.Errorf("%s: authors %q, want %s", where, authors, p.author)
		}
		checkContent(where, p.key, it.ContentHTML)
	}

	// Tag feeds.
	for _, tag := range ex.tags {
		name := "tags/" + tag.slug + "/feed.xml"
		var tf atomDoc
		if err := xml.Unmarshal(b.files[name], &tf); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if self := linkRel(tf.Links, "self"); self != "https://example.org/tags/"+tag.slug+"/feed.xml" {
			t.Errorf("%s: rel=self is %q", name, self)
		}
		var got []string
		for _, e := range tf.Entries {
			got = append(got, decodedPath(t, name, e.ID))
		}
		if want := ex.postPaths(tag.posts); !slices.Equal(got, want) {
			t.Errorf("%s: entries %q, want %q", name, got, want)
		}
	}
}

// sitemapLocs returns the <loc> URLs of a sitemap.
func sitemapLocs(t *testing.T, data []byte) []string {
	t.Helper()
	var sm struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	var locs []string
	for _, u := range sm.URLs {
		locs = append(locs, u.Loc)
	}
	return locs
}

func testExampleSitemap(t *testing.T, b *builtExample) {
	want := []string{"/", "/archive/", "/tags/"}
	for _, f := range b.ex.standalone {
		want = append(want, "/"+strings.TrimSuffix(f, "index.html"))
	}
	for _, p := range b.ex.posts {
		want = append(want, p.path)
	}
	for _, tag := range b.ex.tags {
		want = append(want, "/tags/"+tag.slug+"/")
	}
	var got []string
	for _, loc := range sitemapLocs(t, b.files["sitemap.xml"]) {
		if !strings.HasPrefix(loc, "https://example.org/") {
			t.Errorf("sitemap.xml: %q is not an absolute URL of the site", loc)
		}
		for _, r := range loc {
			if r >= utf8.RuneSelf {
				t.Errorf("sitemap.xml: <loc>%s</loc> is not percent-encoded (the sitemap protocol wants escaped URLs, e.g. %s)", loc, b.ex.cafeEncoded)
				break
			}
		}
		got = append(got, decodedPath(t, "sitemap.xml", loc))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("sitemap.xml lists\n%q\nwant\n%q", got, want)
	}
}

// TestBuildDeterministic builds a fresh copy of the example twice, so that
// whatever the first build leaves for the next (a cache) is exercised too.
func TestBuildDeterministic(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "blog")
	copySite(t, exampleSite, site)
	var trees []map[string][]byte
	for _, out := range []string{"out1", "out2"} {
		buildOK(t, "-s", site, "-o", filepath.Join(root, out))
		trees = append(trees, readTree(t, filepath.Join(root, out)))
	}
	a, b := trees[0], trees[1]
	if ka, kb := sortedKeys(a), sortedKeys(b); !slices.Equal(ka, kb) {
		t.Fatalf("two builds wrote different files:\n%q\n%q", ka, kb)
	}
	if len(a) < 60 {
		t.Errorf("only %d files built", len(a))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// TestBuildRebuild checks that a rebuild into the same output shows what
// changed since the last build, however much of it the engine reuses.
func TestBuildRebuild(t *testing.T) {
	root := t.TempDir()
	site, out := filepath.Join(root, "site"), filepath.Join(root, "out")
	testenv.WriteFiles(t, site, tinySite)
	buildOK(t, "-s", site, "-o", out)
	page := filepath.Join(out, "2024", "05", "first-post", "index.html")
	if data, err := os.ReadFile(page); err != nil || !bytes.Contains(data, []byte("Hello one.")) {
		t.Fatalf("first build: %s: %v", page, err)
	}
	testenv.WriteFiles(t, site, map[string]string{
		"content/posts/one.md": strings.Replace(tinySite["content/posts/one.md"], "Hello one.", "Goodbye one.", 1),
		"site.toml":            strings.Replace(tinySite["site.toml"], `"Tiny"`, `"Renamed"`, 1),
	})
	buildOK(t, "-s", site, "-o", out)
	files := readTree(t, out)
	data := files["2024/05/first-post/index.html"]
	if bytes.Contains(data, []byte("Hello one.")) || !bytes.Contains(data, []byte("Goodbye one.")) {
		t.Errorf("the rebuilt post does not show its new text")
	}
	if !bytes.Contains(files["feed.xml"], []byte("Goodbye one.")) {
		t.Errorf("the rebuilt feed does not show the post's new text")
	}
	for name, data := range files {
		if strings.HasSuffix(name, ".html") && bytes.Contains(data, []byte("Tiny")) {
			t.Errorf("%s still shows the old site title", name)
		}
	}
	checkNoLeftovers(t, root, "site", "out", ".out.lock", ".out.prev")
}

func TestBuildDraftsFuture(t *testing.T) {
	b := buildExample(t, "--drafts", "--future")
	ex := b.ex
	posts, tags := len(ex.posts)+len(ex.unpublished), len(ex.tags)+len(ex.unpublTags)
	if want := fmt.Sprintf("built %d posts, %d tags, ", posts, tags); !strings.HasPrefix(b.stdout, want) || strings.Contains(b.stdout, "left out") {
		t.Errorf("summary %q, want %d posts and %d tags, nothing left out", b.stdout, posts, tags)
	}
	for _, p := range ex.unpublished {
		f := fileOfPath(p.path)
		if _, ok := b.files[f]; !ok {
			t.Errorf("%s was not built with --drafts --future", f)
		}
		if doc, ok := b.docs[f]; ok && p.num == "D" && len(elems(doc, "span", "draft-label")) == 0 {
			t.Errorf("the draft is not labelled as one")
		}
	}
	for _, tag := range ex.unpublTags {
		for _, f := range []string{"tags/" + tag + "/index.html", "tags/" + tag + "/feed.xml"} {
			if _, ok := b.files[f]; !ok {
				t.Errorf("%s was not built with --drafts --future", f)
			}
		}
	}
	var jf jsonFeedDoc
	if err := json.Unmarshal(b.files["feed.json"], &jf); err != nil {
		t.Fatal(err)
	}
	if len(jf.Items) != posts {
		t.Errorf("feed.json has %d items with --drafts --future, want %d", len(jf.Items), posts)
	}
}

// tinySite is a valid site of two posts.
var tinySite = map[string]string{
	"site.toml": "title = \"Tiny\"\nbase_url = \"https://example.org/\"\ntimezone = \"UTC\"\n",
	"content/posts/one.md": `---
title: First post
date: 2024-05-01T10:00:00Z
tags: [a]
---
Hello one.
`,
	"content/posts/two.md": `+++
title = "Second post"
date = 2024-06-01T10:00:00Z
+++
Hello two.
`,
}

// checkNoLeftovers fails if dir holds anything but the names in keep, such
// as the temporary directory of a failed build.
func checkNoLeftovers(t *testing.T, dir string, keep ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !slices.Contains(keep, e.Name()) {
			t.Errorf("leftover %s in %s", e.Name(), dir)
		}
	}
}

func TestBuildUsageErrors(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	testenv.WriteFiles(t, site, tinySite)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{}, "Usage:"},
		{[]string{"build", "-s", site, "extra-arg"}, `unexpected argument "extra-arg"`},
		{[]string{"build", "--no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"new", "-s", site}, "want one title"},
		{[]string{"init", "a", "b"}, "want at most one directory"},
	} {
		code, stdout, stderr := runSite(t, c.args...)
		if code != 2 {
			t.Errorf("site %q: exit %d, want 2", c.args, code)
		}
		if !strings.Contains(stderr, c.want) {
			t.Errorf("site %q: stderr lacks %q:\n%s", c.args, c.want, stderr)
		}
		if stdout != "" {
			t.Errorf("site %q: printed to stdout: %q", c.args, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "public")); err == nil {
		t.Errorf("a usage error built the site")
	}
}

func TestBuildRefusesOutput(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	testenv.WriteFiles(t, site, tinySite)
	notes := filepath.Join(root, "notes")
	testenv.WriteFiles(t, notes, map[string]string{"notes.txt": "my notes\n"})

	for _, c := range []struct {
		name, out, want string
	}{
		{"site directory", site, "overlaps"},
		{"content directory", filepath.Join(site, "content"), "overlaps"},
		{"posts directory", filepath.Join(site, "content", "posts"), "overlaps"},
		{"non-empty directory", notes, "not empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			siteBefore, notesBefore := treeHash(t, site), treeHash(t, notes)
			code, _, stderr := runSite(t, "build", "-s", site, "-o", c.out)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, stderr)
			}
			if treeHash(t, site) != siteBefore {
				t.Errorf("the site directory changed")
			}
			if treeHash(t, notes) != notesBefore {
				t.Errorf("the notes directory changed")
			}
			checkNoLeftovers(t, root, "site", "notes")
			checkNoLeftovers(t, site, "site.toml", "content")
		})
	}
	if data, err := os.ReadFile(filepath.Join(notes, "notes.txt")); err != nil || string(data) != "my notes\n" {
		t.Errorf("notes.txt: %q, %v", data, err)
	}
}

func TestInitNewBuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blog")
	code, stdout, stderr := runSite(t, "init", dir)
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, dir) {
		t.Errorf("init output %q does not name %s", stdout, dir)
	}
	for _, f := range []string{"site.toml", "content/posts/hello-world.md"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("init did not create %s: %v", f, err)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "static")); err != nil || !fi.IsDir() {
		t.Errorf("init did not create static/: %v", err)
	}
	config, err := os.ReadFile(filepath.Join(dir, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}

	code, _, stderr = runSite(t, "init", dir)
	if code != 1 {
		t.Errorf("init on a site: exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "already") {
		t.Errorf("init on a site: stderr %q does not say it is already a site", stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "site.toml")); !bytes.Equal(again, config) {
		t.Errorf("init on a site changed site.toml")
	}

	before := time.Now().Add(-time.Second)
	code, stdout, stderr = runSite(t, "new", "-s", dir, "My Second Post", "--draft")
	if code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	newPath := strings.TrimSpace(stdout)
	if want := filepath.Join(dir, "content", "posts", "my-second-post.md"); newPath != want {
		t.Errorf("new printed %q, want %q", newPath, want)
	}
	src, err := os.ReadFile(filepath.Join(dir, "content", "posts", "my-second-post.md"))
	if err != nil {
		t.Fatal(err)
	}
	fm := regexp.MustCompile(`(?s)^---\n(.*?)\n---\n`).FindSubmatch(src)
	if fm == nil {
		t.Fatalf("new post has no YAML front matter:\n%s", src)
	}
	fields := map[string]string{}
	for _, l := range strings.Split(string(fm[1]), "\n") {
		k, v, _ := strings.Cut(l, ":")
		fields[k] = strings.TrimSpace(v)
	}
	if got := fields["title"]; got != `"My Second Post"` && got != "My Second Post" {
		t.Errorf("title: %q", got)
	}
	if got := fields["draft"]; got != "true" {
		t.Errorf("draft: %q, want true", got)
	}
	if _, ok := fields["tags"]; !ok {
		t.Errorf("no tags key")
	}
	if d, err := time.Parse(time.RFC3339, fields["date"]); err != nil {
		t.Errorf("date %q: %v", fields["date"], err)
	} else if d.Before(before) || d.After(time.Now().Add(time.Second)) {
		t.Errorf("date %s is not now", d)
	}

	code, _, stderr = runSite(t, "new", "-s", dir, "My Second Post")
	if code != 1 {
		t.Errorf("new with a taken title: exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "my-second-post.md") {
		t.Errorf("new with a taken title: stderr %q does not name the file", stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "content", "posts", "my-second-post.md")); !bytes.Equal(again, src) {
		t.Errorf("new with a taken title changed the file")
	}

	stdout, _ = buildOK(t, "-s", dir)
	if !strings.HasPrefix(stdout, "built 1 posts, ") {
		t.Errorf("build: %q, want 1 post (the draft left out)", stdout)
	}
	files := readTree(t, filepath.Join(dir, "public"))
	if !bytes.Contains(files["index.html"], []byte("Hello, world")) {
		t.Errorf("public/index.html does not show the first post")
	}
	var hello bool
	for name := range files {
		if strings.Contains(name, "my-second-post") {
			t.Errorf("the draft was published as %s", name)
		}
		hello = hello || strings.HasSuffix(name, "/hello-world/index.html")
	}
	if !hello {
		t.Errorf("no page for the first post")
	}
}

func TestVersionHelp(t *testing.T) {
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runSite(t, "version")
	if code != 0 {
		t.Fatalf("version: exit %d", code)
	}
	if !strings.HasPrefix(stdout, "site ") {
		t.Errorf("version output %q does not start with \"site \"", stdout)
	}
	for _, mod := range []string{"github.com/yuin/goldmark", "github.com/alecthomas/chroma/v2"} {
		m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(mod) + ` (v\S+)`).FindSubmatch(gomod)
		if m == nil {
			t.Fatalf("go.mod does not require %s", mod)
		}
		if want := mod + " " + string(m[1]); !strings.Contains(stdout, want+"\n") {
			t.Errorf("version output lacks %q:\n%s", want, stdout)
		}
	}

	code, stdout, _ = runSite(t, "help")
	if code != 0 {
		t.Errorf("help: exit %d", code)
	}
	for _, cmd := range []string{"init", "new", "build", "version", "help"} {
		if !strings.Contains(stdout, "site "+cmd) {
			t.Errorf("help does not list %s:\n%s", cmd, stdout)
		}
	}
	code, stdout, _ = runSite(t, "help", "build")
	if code != 0 {
		t.Errorf("help build: exit %d", code)
	}
	for _, flag := range []string{"-s ", "-o ", "-drafts", "-future", "-base-url"} {
		if !strings.Contains(stdout, flag) {
			t.Errorf("help build does not describe %s:\n%s", flag, stdout)
		}
	}
	code, _, stderr := runSite(t, "help", "nosuch")
	if code != 2 {
		t.Errorf("help nosuch: exit %d, want 2", code)
	}
	if !strings.Contains(stderr, "nosuch") {
		t.Errorf("help nosuch: stderr %q does not name the command", stderr)
	}
}

// TestGoBuildID reads the build ID of this test's executable as the go
// command prints it: engineVersion keys every cache by it, and a change
// in how the linker writes it must not go unseen (it would fall back to
// hashing the executable, 30 ms a build).
func TestGoBuildID(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the build ID is read from ELF executables")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Fatalf("go tool buildid: %v", err)
	}
	want := strings.TrimSpace(string(out))
	if got := goBuildID(exe); got != want || got == "" {
		t.Errorf("goBuildID = %q, go tool buildid prints %q", got, want)
	}
	if got := goBuildID(filepath.Join(t.TempDir(), "none")); got != "" {
		t.Errorf("goBuildID of no file = %q", got)
	}
	// A build ID given to the linker may be the same for any code: such
	// an executable is hashed instead.
	dir := t.TempDir()
	for name, text := range map[string]string{"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {}\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := exec.Command("go", "build", "-ldflags=-buildid=redacted", "-o", "x")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if got := goBuildID(filepath.Join(dir, "x")); got != "" {
		t.Errorf("goBuildID of an executable built with -buildid=redacted = %q, want none", got)
	}
}
