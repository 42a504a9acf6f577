package content

import (
	"bytes"
	"errors"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/siteblog/site/internal/testenv"
)

// The fuzz targets of this file check properties of the parsers that
// read what a writer typed: front matter, dates, slugs and URL paths.
// Their seeds are the f.Add calls below and testdata/fuzz/FuzzXxx (posts
// of the example blog and of the other engines' fixture sites); run one
// longer with
//
//	go test -run='^$' -fuzz='^FuzzFrontMatter$' -fuzztime=5m -parallel=1 ./content

// fuzzPath is the file a fuzzed post is read as.
const fuzzPath = "content/posts/x.md"

// lineCount is the number of lines of src, a last line without "\n"
// included.
func lineCount(src []byte) int {
	return bytes.Count(src, []byte("\n")) + 1
}

// checkError fails unless err is an *Error (or Errors of them) naming
// file at a line of a file of n lines (0: the whole file).
func checkError(t *testing.T, err error, file string, n int) {
	t.Helper()
	var list Errors
	if !errors.As(err, &list) {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %q (%T) names no file", err, err)
		}
		list = Errors{e}
	}
	for _, e := range list {
		if e.Path != file || e.Line < 0 || e.Line > n {
			t.Fatalf("error %q: want one naming %s at a line in 1..%d", e, file, n)
		}
		if !strings.HasPrefix(e.Error(), file+":") {
			t.Fatalf("error %q does not start with the file's name", e)
		}
	}
}

// FuzzFrontMatter reads a file as a page does: front matter in its three
// forms (YAML, TOML, Pelican's Key: value lines; a file starting "{" has
// none), then the keys' values. Errors name the file and a line of it;
// the body keeps the file's line numbers; every key stands on a line of
// the file.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: Hello\ndate: 2024-03-10\ntags: [go, web]\n---\n\nBody.\n",
		"---\ntitle: A\ntitle: B\n---\n",
		"---\ntitle: [unclosed\n---\n",
		"---\ntitle: x\n",
		"---\r\ntitle: CRLF\r\n---\r\nbody\r\n",
		"\xef\xbb\xbf---\ntitle: BOM\n---\n",
		"\n\n---\ntitle: after blank lines\n---\nbody\n",
		"  +++\ntitle = \"indented\"\n+++\n",
		"+++\ntitle = \"Zola\"\ndate = 2024-03-10\n[taxonomies]\ntags = [\"a\"]\n+++\nbody\n",
		"+++\ntitle = \"dup\"\ntitle = \"dup\"\n+++\n",
		"+++\ndate = 2024-03-10T23:30:00+01:00\nupdated = 1979-05-27T07:32:00\n+++\n",
		"+++\ntitle = \n+++\n",
		"Title: Pelican\nDate: 2024-03-10 10:20\nTags: a, b\n  continued\n\nBody.\n",
		"Title: only a header",
		"{\n  \"title\": \"JSON\",\n  \"date\": \"2024-03-10\"\n}\n\nBody.\n",
		"---\ntitle: x\n---text\n---\n",
		"---\ndate: 0000-01-01\nslug: \"..\"\naliases: [/../x, \"\\u0000\"]\n---\n",
		"---\n&a [*a, *a]: x\n---\n",
		"---\n- a list\n---\n",
		"---\n...\n",
	} {
		f.Add([]byte(s))
	}
	cfg, err := ParseConfig([]byte("title = \"T\"\nbase_url = \"https://blog.test/\"\n"), "")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		defer testenv.WatchFuzzInput(src)()
		n := lineCount(src)
		fields, body, err := splitFrontMatter(fuzzPath, src)
		if err != nil {
			checkError(t, err, fuzzPath, n)
			if err.(*Error).Line == 0 {
				t.Fatalf("front matter error %q has no line", err)
			}
			return
		}
		form := formOf(src)
		if (fields != nil) != (form != NoFrontMatter) {
			t.Fatalf("form %s, but fields = %v", form, fields)
		}
		for _, fl := range fields {
			if fl.line < 1 || fl.line > n {
				t.Fatalf("key %q on line %d of a file of %d lines", fl.key, fl.line, n)
			}
		}
		checkBodyLines(t, bytes.TrimPrefix(src, bom), body, form)

		if _, errs := decodeMeta(fuzzPath, fields, time.UTC, nil); len(errs) > 0 {
			checkError(t, errs, fuzzPath, n)
		}
		pg, errs, warns := readPage(fstest.MapFS{fuzzPath: {Data: src}}, fuzzPath, cfg)
		if len(errs) > 0 {
			checkError(t, errs, fuzzPath, n)
		}
		if len(warns) > 0 {
			checkError(t, warns, fuzzPath, n)
		}
		if pg != nil {
			checkURLPath(t, pg.URL)
			for _, a := range pg.Aliases {
				checkURLPath(t, a)
			}
		}
	})
}

// checkBodyLines fails unless body is src with its first lines (the front
// matter) emptied: each line of the body is empty or the file's line of
// the same number, and from the first such line on they are the file's.
func checkBodyLines(t *testing.T, src, body []byte, form Form) {
	t.Helper()
	s, b := strings.Split(string(src), "\n"), strings.Split(string(body), "\n")
	if len(b) == len(s)+1 && b[len(b)-1] == "" { // a closing delimiter without "\n"
		b = b[:len(b)-1]
	}
	if len(b) != len(s) {
		t.Fatalf("body has %d lines, the file %d", len(b), len(s))
	}
	k := 0
	for k < len(b) && b[k] == "" {
		k++
	}
	for i := k; i < len(b); i++ {
		if i == k && form == JSONForm && strings.HasSuffix(s[i], b[i]) {
			continue // text after the JSON object's closing brace, on its line, is the body's, as in Hugo
		}
		if strings.TrimLeft(b[i], " \t") != strings.TrimLeft(s[i], " \t") {
			t.Fatalf("body line %d is %q, the file's %q", i+1, b[i], s[i])
		}
	}
}

// FuzzParseDate reads a date; one that reads formats back, with its
// offset (RFC 3339) and as a wall clock in its zone, to dates that read
// as the same instant.
func FuzzParseDate(f *testing.F) {
	for _, d := range dateForms {
		f.Add(d.example)
	}
	for _, s := range []string{
		"1710109800", "-1", "2024-02-30", "2024-03-10T25:00:00", "0000-01-01", "9999-12-31T23:59:59.999999999-23:59",
		"2024/3/9", "2024.03.09 1:02 pm", "Mon, 02 Jan 2006 15:04:05 GMT+3", "2024-03-10 23:30:00 -5",
		"10th of March 2024", "2024-03-10 23:30:00 XYZ", "  2024-03-10  ", "",
	} {
		f.Add(s)
	}
	loc := time.FixedZone("UTC+2", 2*3600)
	f.Fuzz(func(t *testing.T, s string) {
		defer testenv.WatchFuzzInput(s)()
		tm, err := ParseDate(s, loc)
		if err != nil {
			if !strings.Contains(err.Error(), "as a date") {
				t.Fatalf("ParseDate(%q): error %q does not say what it wanted", s, err)
			}
			return
		}
		if y := tm.Year(); y < 1 || y > 9999 {
			// RFC 3339 has no form for these years; whether they are
			// errors is the front matter's rule (content/doc.go, Dates).
			return
		}
		for _, back := range []string{tm.Format(time.RFC3339Nano), tm.Format("2006-01-02 15:04:05.999999999 -0700")} {
			again, err := ParseDate(back, loc)
			if err != nil {
				t.Fatalf("ParseDate(%q) = %v, whose form %q does not read: %v", s, tm, back, err)
			}
			if !again.Equal(tm) {
				t.Fatalf("ParseDate(%q) = %v, whose form %q reads as %v", s, tm, back, again)
			}
		}
		wall := tm.Format("2006-01-02 15:04:05.999999999")
		again, err := ParseDate(wall, tm.Location())
		if err != nil || !again.Equal(tm) {
			t.Fatalf("ParseDate(%q) = %v, whose wall clock %q in its zone reads as %v, %v", s, tm, wall, again, err)
		}
	})
}

// FuzzSlug makes slugs of a title, a tag, a front matter slug and a file
// name in each engine's way: each is one clean URL segment, without
// control characters or white space, and making it again changes nothing.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{
		"Café notes: naïve résumé", "C++", "C#", ".NET", "don't", "Go 1.22: C++ & Straße", "日本語のタイトル",
		"..", ".€.", "a/../b", "  -- a -- ", "İstanbul", "ΣΑΣ", "e\u0301", "\u0301", "x\x00y", "\xff\xfe",
		"Links.And.Dots", "My File, (v2) É", "a\u200db", "<b>bold</b> &amp; more", "ǅ", "ﬁ", "T\u0344",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		defer testenv.WatchFuzzInput(s)()
		zola, _ := ZolaSlug(s)
		for _, c := range []struct {
			name string
			slug func(string) string
			// chars are the characters other than letters, digits,
			// marks and "-" the slug may hold.
			chars string
		}{
			{"Slugify", Slugify, ""},
			{"TagSlug", TagSlug, ""},
			{"ZolaSlug", func(s string) string { z, _ := ZolaSlug(s); return z }, ""},
			{"keepSlug", keepSlug, "._~@+"},
			{"keepSlugCase", keepSlugCase, "._~@+"},
			{"pelicanSlug", pelicanSlug, "_"},
			{"jekyllSlug", jekyllSlug, "._~!$&'()+,;=@"},
		} {
			out := c.slug(s)
			if !utf8.ValidString(out) {
				t.Fatalf("%s(%q) = %q, not UTF-8", c.name, s, out)
			}
			for _, r := range out {
				if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '-' || strings.ContainsRune(c.chars, r)) {
					t.Fatalf("%s(%q) = %q holds %q", c.name, s, out, r)
				}
			}
			if c.chars == "" && (strings.HasPrefix(out, "-") || strings.HasSuffix(out, "-") || strings.Contains(out, "--")) {
				t.Fatalf("%s(%q) = %q: hyphens at an end or doubled", c.name, s, out)
			}
			if again := c.slug(out); again != out {
				t.Fatalf("%s(%q) = %q, and of that %q", c.name, s, out, again)
			}
		}
		if z, _ := ZolaSlug(zola); z != zola {
			t.Fatalf("ZolaSlug(%q) = %q, and of that %q", s, zola, z)
		}
		// A slug given in front matter that checkSlug takes makes one
		// URL segment that stays in its directory.
		if checkSlug(s) == nil {
			for _, seg := range []string{keepSlug(s), keepSlugCase(s), jekyllSlug(s)} {
				if seg == "." || seg == ".." {
					t.Fatalf("checkSlug takes the slug %q, which makes the segment %q", s, seg)
				}
			}
		}
	})
}

// FuzzURLPath reads a front matter url, path or permalink, an alias and a
// redirect target as a page at pageURL does: each URL path it makes
// starts with "/", is clean, and names a file inside the output
// directory.
func FuzzURLPath(f *testing.F) {
	for _, s := range []string{
		"/about/", "about", "/old/page.html", "2024/03/x", "/", ".", "..", "/../x", "a/../../b", "//host/x",
		"https://example.com/", "/a//b/./c/", "/a%2e%2e/", "/tls/x", "/assets/x", "/index.html", "<script>",
		"/a?b#c", "a\\b", "/a\x00b", "..\\..\\etc", "/.../", "#top", "?x=1", "new", "../new", "/ä/ö",
	} {
		f.Add(s, "/2024/03/post/")
	}
	f.Add("../x", "/a.html")
	f.Add("x", "/")
	f.Fuzz(func(t *testing.T, s, pageURL string) {
		defer testenv.WatchFuzzInput(s, pageURL)()
		if pg, err := exactURL("url", "/"+strings.TrimPrefix(pageURL, "/")); err == nil {
			pageURL = pg // a page's URL is one exactURL makes
		} else {
			pageURL = "/2024/03/post/"
		}
		for _, key := range []string{"url", "path", "permalink"} {
			u, err := exactURL(key, s)
			if err != nil {
				continue
			}
			checkURLPath(t, u)
			if strings.IndexFunc(u, unicode.IsControl) >= 0 || strings.ContainsAny(u, "?#\\") {
				t.Fatalf("exactURL(%s, %q) = %q", key, s, u)
			}
		}
		for _, relative := range []string{"", "section"} {
			if u, err := resolveAlias(s, pageURL, relative); err == nil {
				checkInside(t, u)
			}
		}
		if target, err := redirectTarget(s); err == nil && target != "" {
			for _, jekyll := range []bool{false, true} {
				u, err := resolveRedirect(target, jekyll, pageURL)
				if err != nil || isAbsoluteURL(u) {
					continue
				}
				p := u
				if i := strings.IndexAny(p, "?#"); i >= 0 {
					p = p[:i]
				}
				if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
					t.Fatalf("resolveRedirect(%q, %v, %q) = %q: not a path on this site", target, jekyll, pageURL, u)
				}
			}
		}
	})
}

// checkURLPath fails unless u is a clean URL path starting with "/"
// whose output file, joined to an output directory, stays inside it.
func checkURLPath(t *testing.T, u string) {
	t.Helper()
	clean := path.Clean(u)
	if strings.HasSuffix(u, "/") && clean != "/" {
		clean += "/"
	}
	if !strings.HasPrefix(u, "/") || clean != u {
		t.Fatalf("URL path %q is not clean (%q) or does not start with /", u, clean)
	}
	checkInside(t, u)
}

// checkInside fails unless u starts with "/" and its output file, joined
// to an output directory, stays inside it. resolveAlias may return an
// unclean path ("//x/", from the alias "//x"), which the page refuses:
// the aliases a page keeps are held to checkURLPath by FuzzFrontMatter.
func checkInside(t *testing.T, u string) {
	t.Helper()
	if !strings.HasPrefix(u, "/") {
		t.Fatalf("URL path %q does not start with /", u)
	}
	out := filepath.FromSlash("/srv/public")
	file := filepath.Join(out, filepath.FromSlash(FileOf(u)))
	rel, err := filepath.Rel(out, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		t.Fatalf("URL path %q publishes %s, outside %s", u, file, out)
	}
}
