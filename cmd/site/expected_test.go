package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// exampleSite is the bundled example blog, relative to this package.
const exampleSite = "../../examples/blog"

// expectedFile is the example's EXPECTED.md, the one statement of what
// building the example must produce: the tests of the example read their
// expectations from it (exampleExpected) rather than restating them.
const expectedFile = exampleSite + "/EXPECTED.md"

// An examplePost is a post of the example blog, a row of EXPECTED.md's
// posts table.
type examplePost struct {
	num    string // the table's #: "1" … "11", "D" (the draft), "F" (the future post)
	key    string // the source file's name without .md, or the bundle's directory
	slug   string
	title  string
	path   string    // decoded URL path, "/2024/09/getting-started-with-site/"
	date   time.Time // in the site's time zone
	update time.Time // the updated date, or zero
	author string    // from front matter, or "" for the site's
	tags   []string  // tag names
	public bool
}

// An exampleTag is a row of EXPECTED.md's tags table.
type exampleTag struct {
	slug, name string
	pages      [][]string // the keys of its posts, page by page, newest first
	posts      []string   // the same, in one list
}

// exampleLanguage is a row of EXPECTED.md's table of languages.
type exampleLanguage struct {
	lang                          string
	published, updated            string // the dates as a post shows them; updated with its label
	archiveDay, minRead, readMore string
	pagerNext, archiveTitle       string
	tagTitle, tagPageOf           string
	codeListing, table            string
}

// exampleDoc is what EXPECTED.md says the example's build produces.
type exampleDoc struct {
	posts       []examplePost // published, newest first
	unpublished []examplePost // the draft and the future post
	tags        []exampleTag  // as the tags table lists them
	unpublTags  []string      // tags only unpublished posts carry
	paginate    int
	indexPages  [][]string // the keys of each index page's posts
	archive     []struct {
		year  string
		posts []string
	}
	aliases     []string          // output files of the redirect pages
	aliasTarget string            // the path they redirect to
	copies      map[string]string // source file → output file, copied verbatim
	standalone  []string          // output files of the standalone pages
	summary     *regexp.Regexp    // the summary line; group 1 is the output directory
	siteAuthor  string
	siteEmail   string
	cafeEncoded string // the café post's path, percent-encoded
	cardImage   string // the one og:image of the site
	feedEntries int
	languages   []exampleLanguage
	listings    exampleListings
}

// exampleListings is what EXPECTED.md's rendering checks say of the code
// listings of "Writing code listings".
type exampleListings struct {
	langs            []string // the listings' languages, "" for none
	goStart, goCount int      // the Go listing's first line number and its lines
	goHL             []int    // its highlighted line numbers
	pyStart          int
	pyHL             []int
	klingon          []string // what the page holds of the klingon listing, escaped
}

// post returns the post of key (published or not), or panics: keys are
// the test's own.
func (d *exampleDoc) post(key string) examplePost {
	for _, p := range slices.Concat(d.posts, d.unpublished) {
		if p.key == key {
			return p
		}
	}
	panic("EXPECTED.md has no post " + key)
}

var parsedExpected = sync.OnceValues(func() (*exampleDoc, error) {
	data, err := os.ReadFile(expectedFile)
	if err != nil {
		return nil, err
	}
	return parseExpected(string(data))
})

// exampleExpected returns EXPECTED.md as the tests read it, failing the
// test if it does not read.
func exampleExpected(t *testing.T) *exampleDoc {
	t.Helper()
	d, err := parsedExpected()
	if err != nil {
		sep := ": "
		if msg := err.Error(); msg[0] >= '0' && msg[0] <= '9' {
			sep = ":" // an error of a line, "12: …", reads EXPECTED.md:12: …
		}
		t.Fatalf("%s%s%v", filepath.Clean(expectedFile), sep, err)
	}
	return d
}

// A docTable is a Markdown table of EXPECTED.md: its header's cells and
// its rows, each with its line.
type docTable struct {
	head []string
	rows [][]string
	line []int
}

// col returns the index of the column whose header starts with name.
func (tb docTable) col(name string) int {
	for i, h := range tb.head {
		if strings.HasPrefix(h, name) {
			return i
		}
	}
	return -1
}

// tableAfter returns the first table after the line starting with
// heading.
func tableAfter(lines []string, heading string) (docTable, error) {
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, heading) })
	if i < 0 {
		return docTable{}, fmt.Errorf("no %q", heading)
	}
	var tb docTable
	for ; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "|") {
			if tb.head != nil {
				break
			}
			continue
		}
		cells := strings.Split(strings.Trim(l, "|"), " | ")
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		switch {
		case tb.head == nil:
			tb.head = cells
		case strings.HasPrefix(cells[0], "---"):
		default:
			if len(cells) != len(tb.head) {
				return tb, fmt.Errorf("%d: %d cells, the header has %d", i+1, len(cells), len(tb.head))
			}
			tb.rows = append(tb.rows, cells)
			tb.line = append(tb.line, i+1)
		}
	}
	if len(tb.rows) == 0 {
		return tb, fmt.Errorf("no table after %q", heading)
	}
	return tb, nil
}

// section returns the text from the line starting with heading to the
// next heading of its level, lines joined by spaces.
func section(lines []string, heading string) string {
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, heading) })
	if i < 0 {
		return ""
	}
	var b strings.Builder
	for _, l := range lines[i+1:] {
		if strings.HasPrefix(l, "## ") {
			break
		}
		b.WriteString(strings.TrimSpace(l) + " ")
	}
	return b.String()
}

// codeSpans are the backticked spans of s.
func codeSpans(s string) []string {
	var spans []string
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(s, -1) {
		spans = append(spans, m[1])
	}
	return spans
}

var (
	berlinDate = regexp.MustCompile(`→ \**(\d{4}-\d\d-\d\d \d\d:\d\d)( [+-]\d\d:\d\d)?\**`)
	utcDate    = regexp.MustCompile(`\((?:(\d{4}-\d\d-\d\d) )?(\d\d:\d\d)Z(?: on (\d{4}-\d\d-\d\d))?\)`)
	updatedRE  = regexp.MustCompile("updated ?[:=] ?([0-9T:+-]+)")
	authorRE   = regexp.MustCompile("author: ([^`]+)`")
	numbered   = regexp.MustCompile(`^(\d+) (\S+)$`)
	copyRE     = regexp.MustCompile("^- `([^`]+)`.* → `([^`]+)`$")
	yearRE     = regexp.MustCompile(`(\d{4}) \((\d+) posts: ([^)]*)\)`)
)

// parseExpected reads EXPECTED.md. Besides reading it, it checks that
// the document agrees with itself where it says one thing twice (counts,
// dates in two zones, the posts of a tag), so that an edit to one place
// that forgets the other fails.
func parseExpected(doc string) (*exampleDoc, error) {
	lines := strings.Split(doc, "\n")
	text := strings.Join(strings.Fields(doc), " ")
	d := &exampleDoc{copies: map[string]string{}}
	fail := func(format string, args ...any) (*exampleDoc, error) {
		return nil, fmt.Errorf(format, args...)
	}

	m := regexp.MustCompile("`timezone = \"([^\"]+)\"`, `paginate = (\\d+)`").FindStringSubmatch(text)
	if m == nil {
		return fail("no `timezone = \"…\"`, `paginate = N` in the site's settings")
	}
	zone, err := time.LoadLocation(m[1])
	if err != nil {
		return fail("timezone: %v", err)
	}
	d.paginate, _ = strconv.Atoi(m[2])

	// Posts.
	posts, err := tableAfter(lines, "## Posts")
	if err != nil {
		return fail("posts: %v", err)
	}
	cols := map[string]int{}
	for _, c := range []string{"#", "source file", "front matter", "title", "date as written", "slug", "output path", "tags", "published"} {
		if cols[c] = posts.col(c); cols[c] < 0 {
			return fail("posts table: no column %q", c)
		}
	}
	for i, r := range posts.rows {
		at := strconv.Itoa(posts.line[i])
		cell := func(c string) string { return r[cols[c]] }
		src := codeSpans(cell("source file"))
		out := codeSpans(cell("output path"))
		slug := codeSpans(cell("slug"))
		if len(src) == 0 || len(out) == 0 || len(slug) == 0 {
			return fail("%s: want the source file, slug and output path in backticks", at)
		}
		key := strings.TrimSuffix(strings.TrimPrefix(src[0], "content/posts/"), ".md")
		key = strings.TrimSuffix(key, "/index")
		p := examplePost{num: cell("#"), key: key, slug: slug[0], title: cell("title"),
			path: strings.TrimSuffix(out[0], "index.html"), public: strings.HasPrefix(cell("published"), "yes")}
		if !strings.HasSuffix(p.path, "/"+p.slug+"/") {
			return fail("%s: output path %s does not end in the slug %s", at, out[0], p.slug)
		}
		for _, tag := range strings.Split(cell("tags"), ", ") {
			p.tags = append(p.tags, strings.TrimSpace(tag))
		}
		dm := berlinDate.FindStringSubmatch(cell("date as written"))
		um := utcDate.FindStringSubmatch(cell("date as written"))
		if dm == nil || um == nil {
			return fail("%s: want the date as \"→ 2006-01-02 15:04 [+01:00] ([2006-01-02 ]15:04Z[ on 2006-01-02])\"", at)
		}
		if p.date, err = time.ParseInLocation("2006-01-02 15:04", dm[1], zone); err != nil {
			return fail("%s: %v", at, err)
		}
		if off := strings.TrimSpace(dm[2]); off != "" && p.date.Format("-07:00") != off {
			return fail("%s: %s is %s in %s, not %s", at, dm[1], p.date.Format("-07:00"), zone, off)
		}
		utcDay := p.date.Format("2006-01-02")
		if um[1]+um[3] != "" {
			utcDay = um[1] + um[3]
		}
		if got := p.date.UTC().Format("2006-01-02 15:04"); got != utcDay+" "+um[2] {
			return fail("%s: %s in %s is %sZ, not %s %sZ", at, dm[1], zone, got, utcDay, um[2])
		}
		if um := updatedRE.FindStringSubmatch(cell("front matter")); um != nil {
			if p.update, err = time.Parse(time.RFC3339, um[1]); err != nil {
				return fail("%s: updated: %v", at, err)
			}
		}
		if am := authorRE.FindStringSubmatch(cell("front matter")); am != nil {
			p.author = am[1]
		}
		if p.public {
			d.posts = append(d.posts, p)
		} else {
			d.unpublished = append(d.unpublished, p)
		}
	}
	for i := 1; i < len(d.posts); i++ {
		if !d.posts[i].date.Before(d.posts[i-1].date) {
			return fail("posts: %s is not older than %s", d.posts[i].key, d.posts[i-1].key)
		}
	}
	// byName finds a post by the short name the lists use: its key, its
	// slug, or the start of either.
	byName := func(name string) (string, error) {
		var found []string
		for _, p := range d.posts {
			if p.key == name || p.slug == name || strings.HasPrefix(p.slug, name+"-") || strings.HasPrefix(p.key, name+"-") {
				found = append(found, p.key)
			}
		}
		if len(found) != 1 {
			return "", fmt.Errorf("%q names %d published posts %q", name, len(found), found)
		}
		return found[0], nil
	}
	names := func(list string) ([]string, error) {
		var keys []string
		for _, n := range strings.Split(list, ",") {
			k, err := byName(strings.TrimSpace(n))
			if err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
		return keys, nil
	}

	m = regexp.MustCompile(`(\d+) published posts \((\d+) in (\d{4}), (\d+) in (\d{4})\), (\d+) draft, (\d+) future post`).FindStringSubmatch(text)
	if m == nil || m[1] != strconv.Itoa(len(d.posts)) || len(d.unpublished) != 2 {
		return fail("the count of posts (%q) differs from the table's %d published and %d others", m, len(d.posts), len(d.unpublished))
	}

	// Index pages: "11 deploying, 10 raw-html, 9 café".
	index, err := tableAfter(lines, "## Index pages")
	if err != nil {
		return fail("index pages: %v", err)
	}
	for i, r := range index.rows {
		var keys []string
		for _, item := range strings.Split(r[1], ", ") {
			nm := numbered.FindStringSubmatch(strings.TrimSpace(item))
			if nm == nil {
				return fail("%d: want \"N name\", found %q", index.line[i], item)
			}
			k, err := byName(nm[2])
			if err != nil {
				return fail("%d: %v", index.line[i], err)
			}
			if d.post(k).num != nm[1] {
				return fail("%d: %s is post %s, not %s", index.line[i], nm[2], d.post(k).num, nm[1])
			}
			keys = append(keys, k)
		}
		if want := listPageFile("/", i+1); codeSpans(r[0])[0] != "/"+want {
			return fail("%d: page %s, want /%s", index.line[i], r[0], want)
		}
		d.indexPages = append(d.indexPages, keys)
	}

	// Tags: "p1: raw-html, café, page-bundles; p2 (`/tags/markdown/page/2/`): …".
	tags, err := tableAfter(lines, "## Tags")
	if err != nil {
		return fail("tags: %v", err)
	}
	for i, r := range tags.rows {
		u := codeSpans(r[1])
		if len(u) == 0 {
			return fail("%d: no URL", tags.line[i])
		}
		tag := exampleTag{name: r[0], slug: strings.TrimSuffix(strings.TrimPrefix(u[0], "/tags/"), "/")}
		for n, page := range strings.Split(r[3], "; ") {
			if _, rest, ok := strings.Cut(page, ": "); ok {
				want := fmt.Sprintf("p%d", n+1)
				if n > 0 {
					want += " (`" + u[0] + "page/" + strconv.Itoa(n+1) + "/`)"
				}
				if p, _, _ := strings.Cut(page, ": "); p != want {
					return fail("%d: page %q, want %q", tags.line[i], p, want)
				}
				page = rest
			}
			keys, err := names(page)
			if err != nil {
				return fail("%d: %v", tags.line[i], err)
			}
			tag.pages = append(tag.pages, keys)
			tag.posts = append(tag.posts, keys...)
		}
		var want []string
		for _, p := range d.posts {
			if slices.Contains(p.tags, tag.name) {
				want = append(want, p.key)
			}
		}
		if !slices.Equal(tag.posts, want) || r[2] != strconv.Itoa(len(want)) {
			return fail("%d: tag %s lists %q (count %s); the posts table gives it %q", tags.line[i], tag.name, tag.posts, r[2], want)
		}
		d.tags = append(d.tags, tag)
	}
	tagText := section(lines, "## Tags")
	m = regexp.MustCompile(`Tags that must \*\*not\*\* exist in a normal build: (.*?)\. `).FindStringSubmatch(tagText)
	if m == nil {
		return fail("tags: no \"Tags that must **not** exist\"")
	}
	d.unpublTags = codeSpans(m[1])
	var onlyUnpubl []string
	for _, p := range d.unpublished {
		for _, tag := range p.tags {
			if !slices.ContainsFunc(d.tags, func(t exampleTag) bool { return t.name == tag }) && !slices.Contains(onlyUnpubl, tag) {
				onlyUnpubl = append(onlyUnpubl, tag)
			}
		}
	}
	if !slices.Equal(slices.Sorted(slices.Values(onlyUnpubl)), slices.Sorted(slices.Values(d.unpublTags))) {
		return fail("tags: the tags that must not exist are %q; the posts table gives %q", d.unpublTags, onlyUnpubl)
	}

	// Archive: "2025 (7 posts: deploying, …)".
	for _, ym := range yearRE.FindAllStringSubmatch(section(lines, "## Archive"), -1) {
		keys, err := names(ym[3])
		if err != nil {
			return fail("archive: %v", err)
		}
		if strconv.Itoa(len(keys)) != ym[2] {
			return fail("archive %s: %d posts listed, %s counted", ym[1], len(keys), ym[2])
		}
		for _, k := range keys {
			if y := d.post(k).date.Format("2006"); y != ym[1] {
				return fail("archive %s: %s is of %s", ym[1], k, y)
			}
		}
		d.archive = append(d.archive, struct {
			year  string
			posts []string
		}{ym[1], keys})
	}
	if len(d.archive) == 0 {
		return fail("archive: no \"YEAR (N posts: …)\"")
	}

	// Feeds, authors, share cards.
	feeds := section(lines, "## Feeds")
	m = regexp.MustCompile("`/feed.json`: (\\d+) entries each").FindStringSubmatch(feeds)
	if m == nil || m[1] != strconv.Itoa(len(d.posts)) {
		return fail("feeds: the count of entries (%q) is not the %d published posts", m, len(d.posts))
	}
	d.feedEntries = len(d.posts)
	if m = regexp.MustCompile("all others are \"([^\"]+)\" \\(`([^`]+)`").FindStringSubmatch(feeds); m == nil {
		return fail("feeds: no \"all others are \"AUTHOR\" (`EMAIL`\"")
	}
	d.siteAuthor, d.siteEmail = m[1], m[2]
	// "Posts 2 and 4 have an `updated` date (2025-02-01 08:00Z and 2025-03-02 09:00Z)".
	if m = regexp.MustCompile("Posts (\\d+) and (\\d+) have an `updated` date \\((\\S+ \\S+)Z and (\\S+ \\S+)Z\\)").FindStringSubmatch(feeds); m == nil {
		return fail("feeds: no \"Posts N and M have an `updated` date (…Z and …Z)\"")
	}
	var updated []string
	for _, p := range d.posts {
		if !p.update.IsZero() {
			updated = append([]string{p.num, p.update.UTC().Format("2006-01-02 15:04")}, updated...)
		}
	}
	if got := []string{m[1], m[3], m[2], m[4]}; !slices.Equal(got, updated) {
		return fail("feeds: posts updated %q; the posts table gives %q", got, updated)
	}
	if m = regexp.MustCompile("its `og:image` is `([^`]+)`").FindStringSubmatch(text); m == nil {
		return fail("no \"its `og:image` is `URL`\"")
	}
	d.cardImage = m[1]
	if m = regexp.MustCompile("percent-encoded as it appears in `href` attributes and feeds: `([^`]+)`").FindStringSubmatch(text); m == nil {
		return fail("no percent-encoded path of the café post")
	}
	d.cafeEncoded = m[1]
	if dec, err := url.PathUnescape(d.cafeEncoded); err != nil || !slices.ContainsFunc(d.posts, func(p examplePost) bool { return p.path == dec }) {
		return fail("the percent-encoded path %s is no post's path", d.cafeEncoded)
	}

	// Aliases: "## Aliases (redirect pages to `PATH`)", then "- `ALIAS`" items.
	for i, l := range lines {
		if m := regexp.MustCompile("^## Aliases \\(redirect pages to `([^`]+)`\\)").FindStringSubmatch(l); m != nil {
			d.aliasTarget = m[1]
			for _, item := range lines[i+1:] {
				if strings.HasPrefix(item, "## ") {
					break
				}
				if am := regexp.MustCompile("^- `([^`]+)`$").FindStringSubmatch(item); am != nil {
					d.aliases = append(d.aliases, fileOfPath(am[1]))
				}
			}
		}
	}
	if d.aliasTarget == "" || len(d.aliases) == 0 {
		return fail("aliases: want \"## Aliases (redirect pages to `PATH`)\" and a list of \"- `ALIAS`\"")
	}

	// Copied files.
	for _, heading := range []string{"## Page bundle", "## Static files"} {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, heading) })
		n := 0
		for _, l := range lines[i+1:] {
			if strings.HasPrefix(l, "## ") {
				break
			}
			if cm := copyRE.FindStringSubmatch(l); cm != nil {
				d.copies[cm[1]] = strings.TrimPrefix(cm[2], "/")
				n++
			}
		}
		if n == 0 {
			return fail("%s: no \"- `SOURCE` → `OUTPUT`\" list", heading)
		}
	}

	// Standalone pages.
	pages, err := tableAfter(lines, "## Standalone pages")
	if err != nil {
		return fail("standalone pages: %v", err)
	}
	for _, r := range pages.rows {
		d.standalone = append(d.standalone, strings.TrimPrefix(codeSpans(r[pages.col("output")])[0], "/"))
	}

	// The summary line: "built 11 posts, 9 tags, 45 pages in …s → OUT (…)".
	m = regexp.MustCompile("its summary line is `(built [^`]*)`").FindStringSubmatch(text)
	if m == nil {
		return fail("no \"its summary line is `built …`\"")
	}
	pattern := regexp.QuoteMeta(m[1])
	pattern = strings.Replace(pattern, regexp.QuoteMeta("…s"), `[0-9]+\.[0-9]+s`, 1)
	pattern = strings.Replace(pattern, "OUT", "(.*)", 1)
	d.summary = regexp.MustCompile("^" + pattern + "\n$")
	if !strings.Contains(m[1], fmt.Sprintf("built %d posts, %d tags,", len(d.posts), len(d.tags))) {
		return fail("the summary line %q does not count the table's %d posts and %d tags", m[1], len(d.posts), len(d.tags))
	}

	// Rendering checks: the code listings.
	var l exampleListings
	if m = regexp.MustCompile("`writing-code-listings`: languages ([a-z, ]+)\\. ").FindStringSubmatch(text); m == nil {
		return fail("rendering checks: no \"`writing-code-listings`: languages …\"")
	}
	for _, lang := range strings.Split(m[1], ", ") {
		l.langs = append(l.langs, strings.TrimSuffix(lang, "none"))
	}
	ints := func(list string) []int {
		var ns []int
		for _, f := range strings.Split(list, ",") {
			n, _ := strconv.Atoi(strings.TrimSpace(f))
			ns = append(ns, n)
		}
		return ns
	}
	if m = regexp.MustCompile(`has (\d+) lines numbered (\d+)–(\d+), with lines numbered ([\d, ]+) highlighted`).FindStringSubmatch(text); m == nil {
		return fail("rendering checks: no \"has N lines numbered A–B, with lines numbered … highlighted\"")
	}
	l.goCount, l.goStart, l.goHL = ints(m[1])[0], ints(m[2])[0], ints(m[4])
	if last := ints(m[3])[0]; last != l.goStart+l.goCount-1 {
		return fail("rendering checks: %s lines numbered from %d end at %d, not %d", m[1], l.goStart, l.goStart+l.goCount-1, last)
	}
	if m = regexp.MustCompile(`The Python listing .*? is numbered from (\d+) with line ([\d, ]+) highlighted`).FindStringSubmatch(text); m == nil {
		return fail("rendering checks: no \"The Python listing … is numbered from N with line N highlighted\"")
	}
	l.pyStart, l.pyHL = ints(m[1])[0], ints(m[2])
	if m = regexp.MustCompile("The `klingon` listing is plain escaped text: it must contain `([^`]+)` and `([^`]+)`").FindStringSubmatch(text); m == nil {
		return fail("rendering checks: no \"The `klingon` listing … must contain `…` and `…`\"")
	}
	l.klingon = m[1:]
	d.listings = l

	// Languages.
	langs, err := tableAfter(lines, "| language |")
	if err != nil {
		return fail("languages: %v", err)
	}
	for i, r := range langs.rows {
		published, updated, ok1 := strings.Cut(r[langs.col("Writing code listings")], ", ")
		tagTitle, tagPageOf, ok2 := strings.Cut(r[langs.col("tag page")], " · ")
		if !ok1 || !ok2 {
			return fail("%d: want \"DATE, UPDATED\" and \"TAG TITLE · PAGE N OF M\"", langs.line[i])
		}
		d.languages = append(d.languages, exampleLanguage{
			lang: r[0], published: published, updated: updated,
			archiveDay: r[langs.col("archive")], minRead: r[langs.col("reading time")], readMore: r[langs.col("read more")],
			pagerNext: r[langs.col("older posts")], archiveTitle: r[langs.col("archive title")],
			tagTitle: tagTitle, tagPageOf: tagPageOf,
			codeListing: r[langs.col("code listing")], table: r[langs.col("table")],
		})
	}
	return d, nil
}

// TestExampleExpected checks that EXPECTED.md reads, and reads as what
// it says in prose: the tests of the example take their expectations from
// it, so this is what keeps them from reading nothing.
func TestExampleExpected(t *testing.T) {
	d := exampleExpected(t)
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"published posts", len(d.posts), 11},
		{"unpublished posts", len(d.unpublished), 2},
		{"tags", len(d.tags), 9},
		{"index pages", len(d.indexPages), 4},
		{"archive years", len(d.archive), 2},
		{"aliases", len(d.aliases), 2},
		{"copied files", len(d.copies), 4},
		{"standalone pages", len(d.standalone), 2},
		{"languages", len(d.languages), 3},
		{"paginate", d.paginate, 3},
		{"listing languages", len(d.listings.langs), 7},
		{"highlighted Go lines", len(d.listings.goHL), 4},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	var pages [][]string
	for _, page := range paged(d.posts, d.paginate) {
		var keys []string
		for _, p := range page {
			keys = append(keys, p.key)
		}
		pages = append(pages, keys)
	}
	if fmt.Sprint(pages) != fmt.Sprint(d.indexPages) {
		t.Errorf("index pages %q; paginating the posts by %d gives %q", d.indexPages, d.paginate, pages)
	}
	for _, tag := range d.tags {
		if got, want := len(tag.pages), len(paged(tag.posts, d.paginate)); got != want {
			t.Errorf("tag %s: %d pages listed, %d by paginate", tag.name, got, want)
		}
	}
	if p := d.post("tags-and-feeds"); p.date.Format(time.RFC3339) != "2025-01-01T00:30:00+01:00" || p.path != "/2025/01/tags-and-feeds/" {
		t.Errorf("the time-zone edge case reads %s at %s", p.date.Format(time.RFC3339), p.path)
	}

	// A document that contradicts itself does not read.
	data, err := os.ReadFile(expectedFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, old, new, want string }{
		{"tag count", "| security | `/tags/security/` | 2 |", "| security | `/tags/security/` | 3 |", "tag security lists"},
		{"index page", "| `/page/4/index.html` | 2 front-matter", "| `/page/4/index.html` | 3 front-matter", "front-matter is post 2, not 3"},
		{"zone", "→ 2025-08-30 08:05 +02:00 (06:05Z)", "→ 2025-08-30 08:05 +01:00 (06:05Z)", "is +02:00 in Europe/Berlin, not +01:00"},
		{"UTC time", "→ 2025-08-30 08:05 +02:00 (06:05Z)", "→ 2025-08-30 08:05 +02:00 (07:05Z)", "is 2025-08-30 06:05Z"},
		{"Go listing", "has 10 lines numbered 10–19", "has 10 lines numbered 10–20", "10 lines numbered from 10 end at 19, not 20"},
		{"summary", "built 11 posts, 9 tags,", "built 12 posts, 9 tags,", "does not count the table's 11 posts"},
		{"updated", "`updated: 2025-03-02T10:00:00+01:00`", "`updated: 2025-03-02T11:00:00+01:00`", "posts updated"},
		{"archive", "`/archive/index.html`: 2025 (7 posts", "`/archive/index.html`: 2024 (7 posts", "archive 2024: deploying is of 2025"},
	} {
		doc := strings.Replace(string(data), c.old, c.new, 1)
		if doc == string(data) {
			t.Errorf("%s: EXPECTED.md has no %q", c.name, c.old)
			continue
		}
		if _, err := parseExpected(doc); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}
