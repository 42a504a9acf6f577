package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/feedcheck"
	"github.com/siteblog/site/internal/testenv"
)

// TestFeedListingForm checks the feed form of listings, token by token.
func TestFeedListingForm(t *testing.T) {
	no := false
	tests := []struct {
		name, code string
		info       Info
		want       string
	}{
		{"go", "x := 1\n", Info{Language: "go", LineNoStart: 1},
			`<pre><code class="language-go"><span class="nx">x</span> <span class="o">:=</span> <span class="mi">1</span>` + "\n</code></pre>\n"},
		{"highlighted lines and a title", "a = 1\nb = 2\nc = 3\n", Info{Language: "python", LineNoStart: 10, Highlight: [][2]int{{2, 3}}, Title: "a <b>.py"},
			`<figure><figcaption>a &lt;b&gt;.py</figcaption><pre><code class="language-python"><span class="n">a</span> <span class="o">=</span> <span class="mi">1</span>` + "\n" +
				`<mark><span class="n">b</span> <span class="o">=</span> <span class="mi">2</span></mark>` + "\n" +
				`<mark><span class="n">c</span> <span class="o">=</span> <span class="mi">3</span></mark>` + "\n</code></pre></figure>\n"},
		{"line numbers asked for", "x\n", Info{Language: "text", LineNoStart: 1, LineNumbers: new(bool)}, "<pre><code class=\"language-text\">x\n</code></pre>\n"},
		{"line numbers off", "x\n", Info{Language: "text", LineNoStart: 1, LineNumbers: &no}, "<pre><code class=\"language-text\">x\n</code></pre>\n"},
		{"unknown language", "<a> & b\n", Info{Language: "nosuch", LineNoStart: 1}, "<pre><code class=\"language-nosuch\">&lt;a&gt; &amp; b\n</code></pre>\n"},
		{"no language", "plain\ntext\n", Info{LineNoStart: 1}, "<pre><code>plain\ntext\n</code></pre>\n"},
	}
	*tests[2].info.LineNumbers = true
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, number := range []int{0, 3} { // a number makes no anchor in a feed
				var buf bytes.Buffer
				w := bufio.NewWriter(&buf)
				(&Listings{LineNumbers: true, Feed: true}).Write(w, tt.code, tt.info, number)
				_ = w.Flush()
				if got := buf.String(); got != tt.want {
					t.Errorf("number %d:\n got %s\nwant %s", number, got, tt.want)
				}
			}
		})
	}
}

// feedSite has listings of every kind: in a post's body and in its
// summary, with highlighted lines, a title, an expander's listing, and a
// heading with an anchor link on the page.
func feedSite(feedConfig string) fstest.MapFS {
	return fstest.MapFS{
		"site.toml": {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/blog/\"\n" + feedConfig)},
		"content/posts/code.md": {Data: []byte("---\ntitle: Code\ndate: 2024-02-01\ntags: [go]\n---\n" +
			"Before the listing.\n\n```go\nfunc main() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<!--more-->\n\n## Part two\n\n" +
			"```go {hl_lines=[2], linenostart=10, title=\"main.go\"}\npackage main\n\nimport \"fmt\"\n```\n\n" +
			"    indented := true\n\n" +
			"{{< highlight python \"hl_lines=1\" >}}\nself.x = 1\n{{< /highlight >}}\n\n" +
			"```nosuch\nplain <text>\n```\n")},
		"content/posts/plain.md": {Data: []byte("---\ntitle: Plain\ndate: 2024-01-01\ntags: [go]\n---\nNo code, a [link](other/).\n")},
	}
}

// pageOnly is markup that serves only the site's stylesheet and script,
// which no feed may carry.
var pageOnly = []string{`table-wrap`, `class="ln"`, `class="line`, `class="cl"`, `class="listing`, `class="chroma"`, `tabindex`, `data-n=`, `data-lang=`, `id="code-`, `class="anchor"`}

// feedHTML is the HTML of each entry of a feed file: content and summary
// (Atom), description (RSS), content_html (JSON Feed).
func feedHTMLs(t *testing.T, name string, data []byte) (content, summary []string) {
	t.Helper()
	switch {
	case strings.HasSuffix(name, ".json"):
		var jf struct {
			Items []struct {
				ContentHTML string `json:"content_html"`
			} `json:"items"`
		}
		if err := json.Unmarshal(data, &jf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, it := range jf.Items {
			content = append(content, it.ContentHTML)
		}
	case strings.HasSuffix(name, "rss.xml"):
		var rss struct {
			Items []struct {
				Description string `xml:"description"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal(data, &rss); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, it := range rss.Items {
			content = append(content, it.Description)
		}
	default:
		var atom struct {
			Entries []struct {
				Content string `xml:"content"`
				Summary string `xml:"summary"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(data, &atom); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, e := range atom.Entries {
			content = append(content, e.Content)
			summary = append(summary, e.Summary)
		}
	}
	return content, summary
}

// TestFeedsCarryListingsPlain builds a site with full feeds and with
// summaries only, and checks that every feed carries its listings as
// plain <pre><code> with chroma's token classes and nothing of the
// page's own markup, and that feedparser reads them.
func TestFeedsCarryListingsPlain(t *testing.T) {
	firstListing := `<pre><code class="language-go"><span class="kd">func</span> <span class="nf">main</span><span class="p">()</span> <span class="p">{}</span>` + "\n</code></pre>"
	rest := []string{
		`<figure><figcaption>main.go</figcaption><pre><code class="language-go"><span class="kn">package</span> <span class="nx">main</span>` + "\n\n" + `<span class="kn">import</span> <span class="s">&#34;fmt&#34;</span>` + "\n</code></pre></figure>",
		"<pre><code>indented := true\n</code></pre>",
		`<pre><code class="language-python"><mark><span class="bp">self</span><span class="o">.</span><span class="n">x</span> <span class="o">=</span> <span class="mi">1</span></mark>` + "\n</code></pre>",
		"<pre><code class=\"language-nosuch\">plain &lt;text&gt;\n</code></pre>",
		`<h2 id="part-two">Part two</h2>`,
	}
	link := `<a href="https://example.org/blog/2024/01/plain/other/">link</a>` // resolved against the post
	for _, tt := range []struct {
		name, config string
		full         bool
	}{
		{"full", "", true},
		{"full_text = true", "[feed]\nfull_text = true\n", true},
		{"summaries", "[feed]\nfull_text = false\n", false},
		{"summaries, older key", "[feed]\nfull = false\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := build(t, feedSite(tt.config), nil)
			page := string(out.Files()["2024/02/code/index.html"])
			for _, want := range []string{`<a class="ln" href="#code-2-L10"`, `<figure class="listing" id="code-1">`, `class="anchor"`} {
				if !strings.Contains(page, want) {
					t.Errorf("the page lost its own markup %s:\n%s", want, page)
				}
			}
			dir := t.TempDir()
			var files []string
			for _, name := range []string{"feed.xml", "rss.xml", "feed.json", "tags/go/feed.xml"} {
				data := out.Files()[name]
				content, summary := feedHTMLs(t, name, data)
				if len(content) != 2 {
					t.Fatalf("%s: %d entries, want 2", name, len(content))
				}
				all := strings.Join(append(content, summary...), "\n")
				for _, bad := range pageOnly {
					if strings.Contains(all, bad) {
						t.Errorf("%s carries %s:\n%s", name, bad, all)
					}
				}
				isAtom := strings.HasSuffix(name, "feed.xml")
				if !strings.Contains(all, link) {
					t.Errorf("%s lacks %s:\n%s", name, link, all)
				}
				code := content[0] // the newest
				if isAtom && !tt.full {
					code = summary[0]
				}
				if !strings.Contains(code, firstListing) {
					t.Errorf("%s: the summary's listing is not plain:\n%s", name, code)
				}
				if !strings.Contains(code, "<table>\n<thead>") {
					t.Errorf("%s: the summary's table is not plain:\n%s", name, code)
				}
				if isAtom && !strings.Contains(summary[0], firstListing) {
					t.Errorf("%s: the Atom summary's listing is not plain:\n%s", name, summary[0])
				}
				for _, want := range rest {
					if got := strings.Contains(strings.Join(content, "\n"), want); got != tt.full {
						t.Errorf("%s: holds %s: %v, want %v:\n%s", name, want, got, tt.full, code)
					}
				}
				if isAtom && !tt.full && strings.Join(content, "") != "" {
					t.Errorf("%s: Atom entries with summaries only have a content element: %q", name, content)
				}
				p := filepath.Join(dir, strings.ReplaceAll(name, "/", "-"))
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
				files = append(files, p)
			}
			if err := feedcheck.Validate(testenv.Python(t), files); err != nil {
				t.Errorf("the feeds are not valid: %v", err)
			}
		})
	}
}

var lnRE = regexp.MustCompile(`class=(\\?"|&#34;|&quot;)ln`)

// TestFeedsOfExampleSite checks the bundled example's feeds: none of the
// page's listing markup, the token classes kept.
func TestFeedsOfExampleSite(t *testing.T) {
	out, err := BuildInMemory(os.DirFS("../examples/blog"), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range out.Files() {
		if !strings.HasSuffix(name, "feed.xml") && name != "rss.xml" && name != "feed.json" {
			continue
		}
		if lnRE.Match(data) {
			t.Errorf("%s holds line number anchors", name)
		}
		if name == "feed.json" && !bytes.Contains(data, []byte(`<pre><code class=\"language-go\"><span class=\"kd\">func</span>`)) {
			t.Errorf("%s lost the listings' token classes", name)
		}
	}
	if page := out.Files()["2024/12/writing-code-listings/index.html"]; !lnRE.Match(page) {
		t.Error("the code listings post has no line numbers on its page")
	}
}

// TestFeedFormFromCachedPage checks that a post whose page form comes
// from the cache, its feed form rendered alone, is in the feeds exactly
// as when both forms are rendered together.
func TestFeedFormFromCachedPage(t *testing.T) {
	site := func(limit int) fstest.MapFS {
		fsys := feedSite(fmt.Sprintf("[feed]\nlimit = %d\n", limit))
		fsys["content/posts/plain.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Plain\ndate: 2024-01-01\n---\n" +
			"* TOC\n{:toc}\n\n## One\n\n## Two\n{: .no_toc}\n\n## Three\n\n```go {hl_lines=[1]}\nx := 1\n```\n")}
		return fsys
	}
	dir := t.TempDir()
	build(t, site(1), nil, WithBodyCache(NewBodyCache(dir))) // both posts' pages, the newest post's feed form
	cached, _ := build(t, site(2), nil, WithBodyCache(NewBodyCache(dir)))
	fresh, _ := build(t, site(2), nil)
	for _, name := range []string{"feed.xml", "rss.xml", "feed.json"} {
		if !bytes.Equal(cached.Files()[name], fresh.Files()[name]) {
			t.Errorf("%s differs when the page's form was cached:\n%s\nfresh:\n%s", name, cached.Files()[name], fresh.Files()[name])
		}
	}
	content, _ := feedHTMLs(t, "feed.json", fresh.Files()["feed.json"])
	plain := content[1]
	for _, bad := range []string{"TOC", "{:", "markdown-toc", `href="#`} {
		if strings.Contains(plain, bad) {
			t.Errorf("the feed carries %q:\n%s", bad, plain)
		}
	}
	if !strings.Contains(plain, `<h2 id="three">Three</h2>`) || !strings.Contains(plain, "<mark>") {
		t.Errorf("the feed lacks the post's heading or highlighted line:\n%s", plain)
	}
	if page := string(fresh.Files()["2024/01/plain/index.html"]); !strings.Contains(page, `id="markdown-toc"`) {
		t.Errorf("the page lost its table of contents:\n%s", page)
	}
}
