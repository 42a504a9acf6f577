package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
	"unicode/utf8"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/testenv"
	"golang.org/x/net/html"
)

// The fuzz targets of this file check what a post's writer controls:
// a listing's info string and code, and a whole post. Their seeds are
// the f.Add calls below and testdata/fuzz/FuzzXxx (posts of the example
// blog and of the other engines' fixture sites); run one longer with
//
//	go test -run='^$' -fuzz='^FuzzRenderPost$' -fuzztime=5m -parallel=1 -fuzzminimizetime=5s ./render

// FuzzInfoString reads a fenced code block's info string and renders a
// listing with it: the language is one lower-case word, highlighted
// ranges run forwards, and the HTML holds only the listing's own
// elements, with the code as its text.
func FuzzInfoString(f *testing.F) {
	for _, s := range []string{
		"", "go", "Go", `go {hl_lines=[2,"4-6"], linenostart=10}`, `sh {linenos=false title="run.sh"}`,
		`go {hl_lines="3-1"}`, `go {broken`, "txt", "text", "liquid", "f#", `"><script>alert(1)</script>`,
		`x {title="<script>alert(1)</script>"}`, `go {linenostart=-5}`, `go {linenostart=99999999999999999999}`,
		`go {hl_lines=[1,2,3,"-1--2", 1e9]}`, `{.class #id}`, `go{title=x}`, "python3 extra words", "c++", "\xff",
	} {
		f.Add(s, "package main\n\nfunc main() {\n\tprintln(\"<b>&amp;</b>\")\n}\n")
	}
	f.Add("html", "<script>alert(1)</script>\n")
	f.Add("go", "")
	f.Fuzz(func(t *testing.T, infoString, code string) {
		defer testenv.WatchFuzzInput(infoString, code)()
		info := ParseInfo([]byte(infoString))
		if info.Language != strings.ToLower(info.Language) || strings.IndexFunc(info.Language, unicode.IsSpace) >= 0 || strings.Contains(info.Language, "{") {
			t.Fatalf("ParseInfo(%q): language %q", infoString, info.Language)
		}
		if strings.IndexFunc(info.Language+info.Title, unicode.IsControl) >= 0 {
			t.Fatalf("ParseInfo(%q): control characters in %q or %q", infoString, info.Language, info.Title)
		}
		if info.LineNoStart < 0 {
			t.Fatalf("ParseInfo(%q): linenostart %d", infoString, info.LineNoStart)
		}
		for _, r := range info.Highlight {
			if r[0] > r[1] {
				t.Fatalf("ParseInfo(%q): highlight range %v runs backwards", infoString, r)
			}
		}
		for _, numbers := range []bool{false, true} {
			var buf bytes.Buffer
			w := bufio.NewWriter(&buf)
			(&Listings{LineNumbers: numbers}).Write(w, code, info, 1)
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			checkListing(t, buf.String(), info, code)
		}
	})
}

// listingElements are the elements Listings.Write writes.
var listingElements = map[string]bool{"figure": true, "figcaption": true, "pre": true, "code": true, "span": true, "a": true}

// checkListing fails unless out, a listing rendered from info and code,
// holds only listingElements, balanced, with a caption of the title or
// the language, data-lang the language, and code as its text.
func checkListing(t *testing.T, out string, info Info, code string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	var open []string
	var text, caption strings.Builder
	inCaption := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				t.Fatalf("listing: %v\n%s", z.Err(), out)
			}
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken:
			if !listingElements[tok.Data] {
				t.Fatalf("listing for %+v holds <%s>:\n%s", info, tok.Data, out)
			}
			open = append(open, tok.Data)
			inCaption = tok.Data == "figcaption"
			for _, a := range tok.Attr {
				if a.Key == "data-lang" && a.Val != info.Language {
					t.Fatalf("data-lang %q, want %q:\n%s", a.Val, info.Language, out)
				}
			}
		case html.EndTagToken:
			if len(open) == 0 || open[len(open)-1] != tok.Data {
				t.Fatalf("listing: </%s> closes %v:\n%s", tok.Data, open, out)
			}
			open = open[:len(open)-1]
			inCaption = false
		case html.TextToken:
			if inCaption {
				caption.WriteString(tok.Data)
			} else if len(open) > 0 && open[len(open)-1] != "figure" && open[len(open)-1] != "pre" {
				text.WriteString(tok.Data)
			}
		case html.SelfClosingTagToken, html.CommentToken, html.DoctypeToken:
			t.Fatalf("listing holds %s:\n%s", tok, out)
		}
	}
	if len(open) > 0 {
		t.Fatalf("listing leaves %v open:\n%s", open, out)
	}
	if want := info.Title; want != "" && caption.String() != want && plain(want) {
		t.Fatalf("caption %q, want the title %q", caption.String(), want)
	}
	// The tokenizer reads NUL, CR and invalid UTF-8 its own way: the text
	// is compared for code without them.
	if plain(code) {
		got := text.String()
		if got != code && got != code+"\n" {
			t.Fatalf("listing text %q, want the code %q:\n%s", got, code, out)
		}
	}
}

// plain reports whether s is valid UTF-8 without NUL or CR.
func plain(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsAny(s, "\x00\r")
}

// fuzzSiteConfig is the site.toml of FuzzRenderPost: raw HTML in
// Markdown escaped, so that no "<script" of the post's may be in any
// output file.
const fuzzSiteConfig = "title = \"Fuzz\"\nbase_url = \"https://blog.test/\"\nraw_html = \"escape\"\n"

// FuzzRenderPost builds a site of one fuzzed post (file name and
// contents) beside a plain one. A build that fails says why at the post's
// file; one that succeeds has no "<script" in any file, feeds and the
// sitemap that parse, and only valid UTF-8 without control characters,
// whatever bytes or escapes ("\x01" in a YAML string) the post holds.
func FuzzRenderPost(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: Hello\ndate: 2024-03-10\ntags: [go, web]\n---\n\nHello, *world*.\n",
		"---\ntitle: \"<script>alert(1)</script>\"\ndate: 2024-03-10\ntags: [\"<script>\"]\nsummary: \"<script>x</script>\"\nauthor: \"<script>\"\n---\n\n<script>alert(2)</script>\n",
		"+++\ntitle = \"TOML\"\ndate = 2024-03-10T10:00:00+01:00\n[taxonomies]\ntags = [\"a\", \"b\"]\n+++\n\n```go {hl_lines=[1]}\nfunc main() {}\n```\n",
		"Title: Pelican\nDate: 2024-03-10 10:20\nTags: a, b\nSlug: Links.And.Dots\n\nBody with a [link](http://example.com).\n",
		"{\n  \"title\": \"JSON\"\n}\n",
		"---\ntitle: Aliased\ndate: 2024-03-10\naliases: [/old/, old2]\n---\nx\n",
		"---\ntitle: Redirect\ndate: 2024-03-10\nredirect_to: https://example.com/\n---\n",
		"---\ntitle: T\ndate: 2024-03-10\nslug: \".€.\"\n---\n",
		"---\ntitle: Summary\ndate: 2024-03-10\n---\nBefore.\n<!--more-->\nAfter.\n",
		"---\ntitle: Deep\ndate: 2024-03-10\n---\n> > > > > > > > - - - - - - 1. 1. 1. x\n",
		"---\ntitle: Footnote\ndate: 2024-03-10\n---\nText[^1].\n\n[^1]: The note.\n",
		"---\ntitle: Café naïve 日本\ndate: 2024-03-10\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"---\ntitle: T\ndate: 2024-03-10\n---\n{{< figure src=\"x.png\" >}}\n{% raw %}x{% endraw %}\n",
	} {
		f.Add("x", []byte(s))
	}
	f.Add("2024-03-10-dated", []byte("---\ntitle: Dated\n---\nx\n"))
	f.Add("bundle/index", []byte("---\ntitle: Bundle\ndate: 2024-03-10\n---\nx\n"))
	f.Fuzz(func(t *testing.T, name string, src []byte) {
		defer testenv.WatchFuzzInput(name, src)()
		p := "content/posts/" + name + ".md"
		if !fs.ValidPath(p) || strings.Contains(name, `\`) {
			p = "content/posts/x.md"
		}
		fsys := fstest.MapFS{
			"site.toml":              {Data: []byte(fuzzSiteConfig)},
			"content/posts/plain.md": {Data: []byte("---\ntitle: Plain\ndate: 2020-01-01\ntags: [go]\n---\n\nA plain post.\n")},
			p:                        {Data: src},
		}
		out, err := BuildInMemory(fsys, content.Options{})
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, p+":") {
					t.Fatalf("build of %s fails with %q, which does not start with the post's file", p, line)
				}
			}
			return
		}
		for file, data := range out.Files() {
			checkNoScript(t, file, data)
			switch path.Ext(file) {
			case ".html", ".xml", ".json", ".txt":
			default:
				continue
			}
			if !utf8.Valid(data) {
				t.Fatalf("%s is not valid UTF-8", file)
			}
			if i := bytes.IndexFunc(data, isControl); i >= 0 {
				t.Fatalf("%s holds the control character %q: %q", file, data[i], data[max(0, i-40):min(len(data), i+40)])
			}
			checkWellFormed(t, file, data)
		}
	})
}

// checkNoScript fails if a file holds "<script" as markup: anywhere in
// an HTML or XML file (a feed's HTML content is escaped in it), in the
// HTML of a JSON feed (its "content_html"), whose plain text fields
// ("title") hold the text as written.
// searchScriptTag is the default theme's search page's script element.
var searchScriptTag = regexp.MustCompile(`<script src="/assets/search\.[0-9a-f]{10}\.js" defer></script>`)

func checkNoScript(t *testing.T, file string, data []byte) {
	t.Helper()
	if path.Ext(file) != ".json" {
		data = withoutJSONLD(t, file, data)
		if file == "search/index.html" { // the theme's own script, and only it
			data = searchScriptTag.ReplaceAll(data, nil)
		}
		if i := bytes.Index(bytes.ToLower(data), []byte("<script")); i >= 0 {
			t.Fatalf("%s holds %q", file, data[max(0, i-40):min(len(data), i+40)])
		}
		return
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return // checkWellFormed reports it
	}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				walk(k, e)
			}
		case []any:
			for _, e := range v {
				walk(key, e)
			}
		case string:
			if strings.HasSuffix(key, "html") && strings.Contains(strings.ToLower(v), "<script") {
				t.Fatalf("%s: %s holds <script: %q", file, key, v)
			}
		}
	}
	walk("", v)
}

// jsonLDElement is the theme's JSON-LD: a data block, which no browser
// runs, holding JSON that html/template wrote with every "<" escaped.
var jsonLDElement = regexp.MustCompile(`<script type="application/ld\+json">([^<]*)</script>`)

// withoutJSONLD returns an HTML page without the JSON-LD elements of its
// head, failing if one holds anything but JSON.
func withoutJSONLD(t *testing.T, file string, data []byte) []byte {
	t.Helper()
	end := bytes.Index(data, []byte("</head>"))
	if end < 0 {
		return data
	}
	head := jsonLDElement.ReplaceAllFunc(data[:end], func(m []byte) []byte {
		if js := jsonLDElement.FindSubmatch(m)[1]; !json.Valid(js) {
			t.Fatalf("%s: JSON-LD is not valid JSON: %s", file, js)
		}
		return nil
	})
	return append(head, data[end:]...)
}

// isControl reports whether r is a C0 control character other than tab,
// line feed and carriage return, or DEL.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f
}

// checkWellFormed fails unless an XML file is well-formed XML and a
// JSON file is valid JSON.
func checkWellFormed(t *testing.T, file string, data []byte) {
	t.Helper()
	switch path.Ext(file) {
	case ".json":
		if !json.Valid(data) {
			t.Fatalf("%s is not valid JSON:\n%s", file, data)
		}
	case ".xml":
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v\n%s", file, err, data)
			}
		}
	}
}
