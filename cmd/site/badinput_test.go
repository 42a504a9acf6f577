//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testenv"
)

// badPost is a post of the tiny site with these front matter lines after
// title (line 2) and date (line 3); the first is line 4.
func badPost(lines ...string) string {
	fm := "---\ntitle: Bad\ndate: 2024-07-01T10:00:00Z\n"
	for _, l := range lines {
		fm += l + "\n"
	}
	return fm + "---\nBody.\n"
}

// wantDate ends the message about a date that cannot be read.
const wantDate = "want a date such as 2024-03-10, 2024-03-10 23:30, 2024-03-10T23:30:00+01:00, 2024-03-10 23:30:00 +0100, 10 March 2024, March 10, 2024 or Sun, 10 Mar 2024 23:30:00 GMT (the content package documentation lists every form)"

// nestedList is a list nested depth deep, two spaces a level.
func nestedList(depth int) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	return b.String()
}

// one is what site build prints for a single error.
func one(msg string) string { return "site build: " + msg + "\n" }

// fanOutLinks are the links of static/d0 … static/d{n-1}, each holding
// x and y, both to the next: 2^n ways to static/dn.
func fanOutLinks(n int) [][2]string {
	var links [][2]string
	for i := range n {
		next := fmt.Sprintf("../d%d", i+1)
		links = append(links, [2]string{fmt.Sprintf("static/d%d/x", i), next}, [2]string{fmt.Sprintf("static/d%d/y", i), next})
	}
	return links
}

// fanOutWant is what site build prints for fanOutLinks(n): the walk goes
// down the x links, and every other link to a directory walked so is an
// error.
func fanOutWant(n int) string {
	first := func(i int) string { // the way the walk first reaches d{i}
		return "static/d0" + strings.Repeat("/x", i)
	}
	var lines []string
	for i := range n {
		// static/d0/x…/y, then static/d{i}/x and static/d{i}/y.
		lines = append(lines, fmt.Sprintf("%s/y: symlink to ../d%d leads to a directory already walked through %s", first(i), i+1, first(i+1)))
		if i > 0 {
			for _, l := range []string{"x", "y"} {
				lines = append(lines, fmt.Sprintf("static/d%d/%s: symlink to ../d%d leads to a directory already walked through %s", i, l, i+1, first(i+1)))
			}
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + fmt.Sprintf("\nsite build: %d errors\n", len(lines))
}

// badInputs is the catalogue of bad input to `site build`: each adds these
// files, links and FIFOs to the tiny site and wants exactly this on
// stderr, where OUT stands for a directory beside the site and SITE for
// the site's directory.
var badInputs = []struct {
	name  string
	files map[string]string // added or replaced
	links [][2]string       // symbolic links: name, target
	fifos []string
	args  []string // more flags
	want  string
}{
	// Front matter, each form.
	{name: "malformed YAML (scanner error)",
		files: map[string]string{"content/posts/bad.md": "---\ntitle: Bad\ntags: a: b\n---\nBody.\n"},
		want:  one("content/posts/bad.md:3: front matter: mapping value is not allowed in this context")},
	{name: "malformed YAML (parser error)",
		files: map[string]string{"content/posts/bad.md": "---\ntitle: Bad\n- stray list item\n---\nBody.\n"},
		want:  one("content/posts/bad.md:3: front matter: non-map value is specified")},
	{name: "malformed TOML",
		files: map[string]string{"content/posts/bad.md": "+++\ntitle = \"Bad\"\ndate = = 2024\n+++\nBody.\n"},
		want:  one("content/posts/bad.md:3: front matter: unexpected character U+003D '=' at start of value")},
	{name: "TOML key given twice",
		files: map[string]string{"content/posts/bad.md": "+++\ntitle = \"a\"\ndate = 2024-07-01\ntitle = \"b\"\n+++\nBody.\n"},
		want:  one("content/posts/bad.md:4: front matter: key title is already defined")},
	{name: "Pelican key given twice",
		files: map[string]string{"content/posts/bad.md": "Title: a\nDate: 2024-07-01\nTitle: b\n\nBody.\n"},
		want:  one("content/posts/bad.md:3: front matter: title: given twice (also on line 1)")},
	{name: "unreadable Pelican date",
		files: map[string]string{"content/posts/bad.md": "Title: Bad\nDate: the day after tomorrow\n\nBody.\n"},
		want:  one(`content/posts/bad.md:2: front matter: date: cannot read "the day after tomorrow" as a date: ` + wantDate)},
	{name: "unreadable draft",
		files: map[string]string{"content/posts/bad.md": badPost("draft: perhaps")},
		want:  one(`content/posts/bad.md:4: front matter: draft: want true or false, found "perhaps"`)},
	{name: "unparseable date",
		files: map[string]string{"content/posts/bad.md": "---\ntitle: Bad\ndate: next Tuesday\n---\nBody.\n"},
		want:  one(`content/posts/bad.md:3: front matter: date: cannot read "next Tuesday" as a date: ` + wantDate)},
	{name: "impossible date",
		files: map[string]string{"content/posts/bad.md": "---\ntitle: Bad\ndate: 2024-02-30\n---\nBody.\n"},
		want:  one(`content/posts/bad.md:3: front matter: date: cannot read "2024-02-30" as a date: ` + wantDate)},
	{name: "post without a date",
		files: map[string]string{"content/posts/bad.md": "---\ntitle: Bad\n---\nBody.\n"},
		want:  one(`content/posts/bad.md:1: front matter: date is required for posts (or a file name starting with one, or a path or url holding one, or site.toml default_date = "file")`)},
	{name: "unknown key in site.toml",
		files: map[string]string{"site.toml": "title = \"Tiny\"\nbase_url = \"https://example.org/\"\ntimezone = \"UTC\"\ncolour = \"red\"\n"},
		want:  one(`site.toml:4: unknown key "colour"`)},
	{name: "every error reported",
		files: map[string]string{
			"content/posts/bad1.md": badPost("draft: perhaps"),
			"content/posts/bad2.md": "+++\ntitle = \"Bad\"\ndate = = 2024\n+++\nBody.\n",
		},
		want: `content/posts/bad1.md:4: front matter: draft: want true or false, found "perhaps"` + "\n" +
			"content/posts/bad2.md:3: front matter: unexpected character U+003D '=' at start of value\n" +
			"site build: 2 errors\n"},

	// Paths and URLs.
	{name: "url above the root",
		files: map[string]string{"content/posts/bad.md": badPost("url: /../../etc/x/")},
		want:  one(`content/posts/bad.md:4: front matter: url: "/../../etc/x/": goes above the site's root`)},
	{name: "slug that makes ..",
		files: map[string]string{"content/posts/bad.md": badPost(`slug: ".€."`)},
		want:  one(`content/posts/bad.md:4: front matter: slug: ".€.": a slug is one URL segment: it makes "..", which names a directory`)},
	{name: "file name reserved for publishing",
		files: map[string]string{"static/x.site-new": "x"},
		want:  one(`static/x.site-new: copied as x.site-new, a name ending in ".site-new", which is reserved for files being published; rename it`)},
	{name: "slug with a slash",
		files: map[string]string{"content/posts/bad.md": badPost("slug: ../../x")},
		want:  one(`content/posts/bad.md:4: front matter: slug: "../../x": a slug is one URL segment: no /, \, .., ?, # or control characters`)},
	{name: "two posts ask for one URL",
		files: map[string]string{
			"content/posts/dup.md": "---\ntitle: Dup\ndate: 2024-05-20T10:00:00Z\nslug: first-post\n---\nBody.\n",
			"content/posts/bad.md": badPost("url: /2024/05/first-post/"),
		},
		want: one("content/posts/dup.md:4: URL /2024/05/first-post/ is also used by content/posts/bad.md:4")},

	// Aliases, clashes, text and dates.
	{name: "alias at the index",
		files: map[string]string{"content/posts/bad.md": badPost(`aliases: ["/index.html"]`)},
		want:  one(`content/posts/bad.md:4: alias /index.html is the site's index; change aliases`)},
	{name: "alias at the tag index",
		files: map[string]string{"content/posts/bad.md": badPost(`aliases: ["/tags/"]`)},
		want:  one(`content/posts/bad.md:4: alias /tags/ is reserved for the site's own pages (/tags/); change aliases`)},
	{name: "alias under /tls/",
		files: map[string]string{"content/posts/bad.md": badPost(`aliases: ["/tls/"]`)},
		want:  one(`content/posts/bad.md:4: alias /tls/ is reserved for the site's own pages (/tls/); change aliases`)},
	{name: "alias under /assets/",
		files: map[string]string{"content/posts/bad.md": badPost(`aliases: ["/assets/x/"]`)},
		want:  one(`content/posts/bad.md:4: alias /assets/x/ is reserved for the site's own pages (/assets/); change aliases`)},
	{name: "alias of escaped dots",
		files: map[string]string{"content/posts/bad.md": badPost(`aliases: ["/%2e%2e/x/"]`)},
		want:  one(`content/posts/bad.md:4: front matter: aliases: "/../x/": goes above the site's root`)},
	{name: "alias holding <script>",
		files: map[string]string{"content/posts/bad.md": badPost(`aliases: ["/<script>/"]`)},
		want:  one(`content/posts/bad.md:4: front matter: aliases: "/<script>/": want a URL path without ?, #, \, <, >, ", |, * or control characters`)},
	{name: "alias taken by a post",
		files: map[string]string{"content/posts/bad.md": badPost(`aliases: ["/2024/05/first-post/"]`)},
		want:  one(`content/posts/bad.md:4: alias /2024/05/first-post/ is also used by content/posts/one.md:2`)},
	{name: "alias inside the feed",
		files: map[string]string{"content/posts/bad.md": badPost(`aliases: ["/feed.xml/"]`)},
		want:  one(`content/posts/bad.md:4: alias /feed.xml/ writes feed.xml/index.html inside feed.xml, which the site's feed feed.xml writes as a file; change or remove it`)},
	{name: "static file at a post's URL",
		files: map[string]string{"static/2024/05/first-post/index.html": "<p>x</p>"},
		want:  one(`static/2024/05/first-post/index.html: file 2024/05/first-post/index.html is also published by content/posts/one.md:2; remove or rename one of them`)},
	{name: "static file at the index",
		files: map[string]string{"static/index.html": "<p>x</p>"},
		want:  one(`static/index.html: copied as index.html, which the site's index page / writes too; change or remove it`)},
	{name: "static file where a post needs a directory",
		files: map[string]string{"static/2024": "x"},
		want:  one(`content/posts/one.md:2: URL /2024/05/first-post/ writes 2024/05/first-post/index.html inside 2024, which static/2024 publishes as a file; a file cannot be a directory too`)},
	{name: "invalid UTF-8",
		files: map[string]string{"content/posts/bad.md": badPost() + "Caf\xe9\n"},
		want:  one(`content/posts/bad.md:6: invalid UTF-8: byte 0xe9 at column 4; save the file as UTF-8`)},
	{name: "NUL from a YAML escape",
		files: map[string]string{"content/posts/bad.md": "---\ntitle: \"Bad\\0\"\ndate: 2024-07-01\n---\n"},
		want:  one(`content/posts/bad.md:2: front matter: title: holds control character U+0000; remove it`)},
	{name: "U+FFFF from a TOML escape",
		files: map[string]string{"content/posts/bad.md": "+++\ntitle = \"Bad\\uFFFF\"\ndate = 2024-07-01\n+++\n"},
		want:  one(`content/posts/bad.md:2: front matter: title: holds noncharacter U+FFFF; remove it`)},
	{name: "NUL in site.toml",
		files: map[string]string{"site.toml": "title = \"Tiny\\u0000\"\nbase_url = \"https://example.org/\"\n"},
		want:  one(`site.toml:1: title: holds control character U+0000; remove it`)},
	{name: "year 0",
		files: map[string]string{"content/posts/bad.md": "---\ntitle: Bad\ndate: 0000-01-01\n---\n"},
		want:  one(`content/posts/bad.md:3: front matter: date: 0000-01-01 00:00:00 +00:00: want a year from 1 to 9999, in the date's zone and in UTC`)},
	{name: "9999-12-31 west of UTC",
		files: map[string]string{"content/posts/bad.md": "---\ntitle: Bad\ndate: 9999-12-31T22:00:00-08:00\n---\n"},
		want:  one(`content/posts/bad.md:3: front matter: date: 10000-01-01 06:00:00 +00:00: want a year from 1 to 9999, in the date's zone and in UTC`)},

	// Bounded cost.
	{name: "list nested 101 deep",
		files: map[string]string{"content/posts/bad.md": badPost() + nestedList(101)},
		want:  one("content/posts/bad.md:106: lists and block quotes nested more than 100 deep")},
	{name: "block quotes nested 1000 deep",
		files: map[string]string{"content/posts/bad.md": badPost() + strings.Repeat(">", 1000) + " deep\n"},
		want:  one("content/posts/bad.md:6: lists and block quotes nested more than 100 deep")},
	{name: "unclosed link destinations",
		files: map[string]string{"content/posts/bad.md": badPost() + strings.Repeat("[a](", 40000) + "\n"},
		want:  one(`content/posts/bad.md:6: too many unclosed link destinations on one line (3199920000 bytes of scanning for a 160000-byte line; close each "](" with ")")`)},
	{name: "2001 footnotes",
		files: map[string]string{"content/posts/bad.md": badPost() + strings.Repeat("x[^1]\n", 2001)},
		want:  one("content/posts/bad.md:2006: more than 2000 footnote references and definitions")},
	{name: "over a million inline marks",
		files: map[string]string{"content/posts/bad.md": badPost() + strings.Repeat("[", 1_000_001) + "\n"},
		want:  one("content/posts/bad.md:6: more than 1000000 of the characters that start inline syntax ([ < * _ ` & \\ !) outside code listings")},
	{name: "body over 16 MiB",
		files: map[string]string{"content/posts/bad.md": badPost() + strings.Repeat("All work and no play.\n", 17<<20/22)},
		want:  one("content/posts/bad.md:1: the body is 17825796 bytes, more than the 16777216 (16 MiB) a page may have")},

	// Files from outside the site, and files that are not files.
	{name: "static file linked out",
		links: [][2]string{{"static/passwd.txt", "OUT/secret.txt"}},
		want:  one("static/passwd.txt: symlink to OUT/secret.txt leads outside the site")},
	{name: "post linked out",
		links: [][2]string{{"content/posts/out.md", "OUT/post.md"}},
		want:  one("content/posts/out.md: symlink to OUT/post.md leads outside the site")},
	{name: "content directory linked out",
		links: [][2]string{{"content/posts/ext", "OUT"}},
		want:  one("content/posts/ext: symlink to OUT leads outside the site")},
	{name: "site.toml linked out",
		links: [][2]string{{"site.toml", "OUT/site.toml"}},
		want:  one("site.toml: symlink to OUT/site.toml leads outside the site")},
	{name: "theme template linked out",
		files: map[string]string{"site.toml": "title = \"Tiny\"\nbase_url = \"https://example.org/\"\ntheme = \"t\"\n", "themes/t/templates/.keep": ""},
		links: [][2]string{{"themes/t/templates/post.html", "OUT/secret.txt"}},
		want:  one("theme: open themes/t/templates/post.html: symlink to OUT/secret.txt leads outside the site")},
	{name: "shortcode template linked out",
		links: [][2]string{{"layouts/shortcodes/x.html", "OUT/secret.txt"}},
		want:  one("shortcode templates: open layouts/shortcodes/x.html: symlink to OUT/secret.txt leads outside the site")},
	{name: "link cycle",
		links: [][2]string{{"static/loop", ".."}},
		want:  one("static/loop: symlink to .. makes a cycle")},
	{name: "fan-out of links",
		links: fanOutLinks(15),
		files: map[string]string{"static/d15/f.txt": "f"},
		want:  fanOutWant(15)},
	{name: "two links to one directory",
		files: map[string]string{"shared/f.txt": "f"},
		links: [][2]string{{"static/a", "../shared"}, {"static/b", "../shared"}},
		want:  one("static/b: symlink to ../shared leads to a directory already walked through static/a")},
	{name: "two links to one directory of shortcodes",
		files: map[string]string{"shared/x.html": "x"},
		links: [][2]string{{"layouts/shortcodes/a", "../../shared"}, {"layouts/shortcodes/b", "../../shared"}},
		want:  one("shortcode templates: open layouts/shortcodes/b: symlink to ../../shared leads to a directory already walked through layouts/shortcodes/a")},
	{name: "two links to one directory of theme assets",
		files: map[string]string{"site.toml": "title = \"Tiny\"\nbase_url = \"https://example.org/\"\ntheme = \"t\"\n", "shared/x.css": "x", "themes/t/assets/style.css": "body{}"},
		links: [][2]string{{"themes/t/assets/a", "../../../shared"}, {"themes/t/assets/b", "../../../shared"}},
		// The walk of the assets stops at the error, before style.css.
		want: "theme: assets/style.css is missing\n" +
			"theme: open themes/t/assets/b: symlink to ../../../shared leads to a directory already walked through themes/t/assets/a\n" +
			"site build: 2 errors\n"},
	{name: "backslash in a static file's name",
		files: map[string]string{`static/a\..\..\x.txt`: "x"},
		want:  one(`static/a\..\..\x.txt: name holds \ or :, which Windows reads as a path separator or a drive`)},
	{name: "backslash in a directory's name",
		files: map[string]string{`content/posts\x/p.md`: badPost()},
		want:  one(`content/posts\x: name holds \ or :, which Windows reads as a path separator or a drive`)},
	{name: "dangling link",
		links: [][2]string{{"content/posts/link.md", "missing.md"}},
		want:  one("content/posts/link.md: symlink to missing.md leads to no file")},
	{name: "FIFOs in content and static",
		fifos: []string{"content/posts/pipe.md", "static/pipe.txt"},
		want: "content/posts/pipe.md: a named pipe (FIFO), not a regular file or directory\n" +
			"static/pipe.txt: a named pipe (FIFO), not a regular file or directory\n" +
			"site build: 2 errors\n"},
	{name: "cache directory linked out",
		links: [][2]string{{".site-cache", "OUT"}},
		want:  one("SITE/.site-cache: the cache directory is a symbolic link (to OUT); refusing to write through it: remove the link (site clean does)")},
	{name: "device with --follow-symlinks",
		links: [][2]string{{"static/null", "/dev/null"}},
		args:  []string{"--follow-symlinks"},
		want:  one("static/null: a character device, not a regular file or directory")},

	// Themes.
	{name: "broken theme template",
		files: map[string]string{
			"site.toml":                         "title = \"Tiny\"\nbase_url = \"https://example.org/\"\ntheme = \"custom\"\n",
			"themes/custom/templates/post.html": "{{define \"main\"}}\n{{if}}\n{{end}}\n",
		},
		want: one("themes/custom/templates/post.html:2: missing value for if")},
}

// TestBuildBadInput runs the catalogue: every bad input fails the build
// with exit 1 and exactly its messages, in file:line form, without
// hanging, and leaves the previous output as it was with nothing beside it.
func TestBuildBadInput(t *testing.T) {
	for _, c := range badInputs {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			site, out, outside := filepath.Join(root, "site"), filepath.Join(root, "out"), filepath.Join(root, "outside")
			testenv.WriteFiles(t, site, tinySite)
			testenv.WriteFiles(t, outside, map[string]string{
				"secret.txt": "secret",
				"post.md":    "---\ntitle: Outside\ndate: 2024-07-01T10:00:00Z\n---\nFrom outside.\n",
				"site.toml":  tinySite["site.toml"],
			})
			buildOK(t, "-s", site, "-o", out)
			before := treeHash(t, out)

			testenv.WriteFiles(t, site, c.files)
			makeLinks(t, site, outside, c.links)
			makeFIFOs(t, site, c.fifos)

			type result struct {
				code           int
				stdout, stderr string
			}
			done := make(chan result, 1)
			go func() {
				code, stdout, stderr := runSite(t, append([]string{"build", "-s", site, "-o", out}, c.args...)...)
				done <- result{code, stdout, stderr}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("site build did not end in 30s")
			}
			want := strings.NewReplacer("OUT", outside, "SITE", site).Replace(c.want)
			if r.code != 1 || r.stderr != want {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1, stderr:\n%s", r.code, r.stderr, want)
			}
			if after := treeHash(t, out); after != before {
				t.Errorf("a failed build changed the previous output")
			}
			checkNoLeftovers(t, root, "site", "out", ".out.lock", "outside")
		})
	}
}

// TestBuildControlCharacters checks that control characters in a post's
// text, which blogs moving in do hold (a hex dump in a listing), build
// with a warning at file, line and column, and reach no output.
func TestBuildControlCharacters(t *testing.T) {
	root := t.TempDir()
	site, out := filepath.Join(root, "site"), filepath.Join(root, "out")
	testenv.WriteFiles(t, site, tinySite)
	testenv.WriteFiles(t, site, map[string]string{
		"content/posts/dump.md": badPost() + "```\n\"0000 009B\"  /* Quit\u009b. */\n```\n\nA\x00b and a page\fbreak.\n",
	})
	code, _, stderr := runSite(t, "build", "-s", site, "-o", out)
	want := "warning: content/posts/dump.md:7: control character U+009B at column 21 (and 1 more), shown as U+FFFD; remove it\n"
	if code != 0 || stderr != want {
		t.Fatalf("exit %d, stderr:\n%s\nwant exit 0, stderr:\n%s", code, stderr, want)
	}
	for name, data := range readTree(t, out) {
		if !strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".json") {
			continue
		}
		if i := strings.IndexFunc(string(data), func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f
		}); i >= 0 {
			t.Errorf("%s holds control character %U", name, []rune(string(data[i:]))[0])
		}
	}
	page := string(readTree(t, out)["2024/07/bad/index.html"])
	if !strings.Contains(page, "Quit\ufffd.") || !strings.Contains(page, "page break.") {
		t.Errorf("the post does not show U+FFFD for the controls and a space for the form feed:\n%s", page)
	}
}

// makeLinks makes the symbolic links name → target below site, replacing
// what is there; OUT in a target stands for outside.
func makeLinks(t *testing.T, site, outside string, links [][2]string) {
	t.Helper()
	for _, l := range links {
		p := filepath.Join(site, filepath.FromSlash(l[0]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(strings.ReplaceAll(l[1], "OUT", outside), p); err != nil {
			t.Fatal(err)
		}
	}
}

// makeFIFOs makes named pipes below site.
func makeFIFOs(t *testing.T, site string, names []string) {
	t.Helper()
	for _, f := range names {
		p := filepath.Join(site, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
