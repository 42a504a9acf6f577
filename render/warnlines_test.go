package render

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
)

// A lineEdit writes data to file and names warnings the build that
// follows must give, among others.
type lineEdit struct {
	file, data string
	want       []string
}

// rawHTMLSite is frontMatterSite with raw HTML passed through.
func rawHTMLSite() fstest.MapFS {
	fsys := frontMatterSite()
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("raw_html = \"pass\"\n" + string(fsys["site.toml"].Data))}
	return fsys
}

// The bodies of the posts below, each with one line before what warns.
const (
	brokenLink = "Gamma grape.\nSee [gone](/nowhere/)."
	rawHTML    = "Gamma grape.\n<p style=\"color: red\">styled</p>\n\n<img src=\"/missing.png\">\n\n<script>alert(1)</script>"
	shortcodes = "Gamma grape.\n\n{{< figure src=\"/missing.png\" >}}\n\n{{< nosuch >}}"
	moreLink   = "Gamma grape.\n\n<!--more-->\n\nSee [gone](/nowhere/)."
	liquidBody = "Gamma grape {{ page.title }}.\nSee [gone]({{ site.baseurl }}/nowhere/).\n\n{% include nothere.html %}"
	zolaLinks  = "Gamma grape.\nSee [gone](/nowhere/).\n\nAnd [C](@/posts/nothere.md)."
)

// The warnings of those bodies below front matter of n lines: what warns
// on the body's line l is on line n+2+l of the file.
func brokenLinkAt(file string, n int) string {
	return fmt.Sprintf("%s:%d: link /nowhere/ not found (looked for /nowhere/)", file, n+2+2)
}

func rawHTMLAt(n int) []string {
	return []string{
		fmt.Sprintf("content/posts/g.md:%d: style attribute on <p> is blocked", n+2+2),
		fmt.Sprintf("content/posts/g.md:%d: <img src> /missing.png not found", n+2+4),
		fmt.Sprintf("content/posts/g.md:%d: inline <script> is blocked", n+2+6),
	}
}

func shortcodesAt(n int) []string {
	return []string{
		fmt.Sprintf("content/posts/g.md:%d: <img src> /missing.png not found", n+2+3),
		fmt.Sprintf("content/posts/g.md:%d: unknown shortcode", n+2+5),
	}
}

func liquidAt(n int) []string {
	return []string{
		brokenLinkAt("content/posts/g.md", n),
		fmt.Sprintf("content/posts/g.md:%d: Liquid: {%% include nothere.html %%}: cannot read", n+2+4),
	}
}

func zolaLinksAt(n int) []string {
	return []string{
		brokenLinkAt("content/posts/g.md", n),
		fmt.Sprintf("content/posts/g.md:%d: @/posts/nothere.md", n+2+4),
	}
}

func moreLinkAt(n int) string {
	return fmt.Sprintf("content/posts/g.md:%d: link /nowhere/ not found", n+2+5)
}

// TestWarningLinesAfterSaves: in a preview, a warning names the line of
// the file as it is after every save, whatever the saves did to the
// front matter's number of lines, as a fresh build of the files does:
// the scans and checks kept between builds hold lines of the body.
func TestWarningLinesAfterSaves(t *testing.T) {
	g := func(fm, body string) string { return fmFile("title: G\ndate: 2024-06-01\ntags: [x]"+fm, body) }
	about := func(fm string) string { return fmFile("title: About"+fm, "About\n[E](/2024/04/e/).") }
	e := func(fm string) string {
		return fmFile("title: E\ndate: 2024-04-01\ntags: [x, y]"+fm, "Epsilon elderberry.")
	}
	aboutLink := func(n int) string {
		return fmt.Sprintf("content/about.md:%d: link /2024/04/e/ not found (looked for /2024/04/e/)", n+2+2)
	}
	tests := []struct {
		name  string
		site  func() fstest.MapFS
		edits []lineEdit
	}{
		{"a post with a broken link, its front matter grown and shrunk", frontMatterSite, []lineEdit{
			{"content/posts/g.md", g("", brokenLink), []string{brokenLinkAt("content/posts/g.md", 3)}},
			{"content/posts/g.md", g("\nsubtitle: y", brokenLink), []string{brokenLinkAt("content/posts/g.md", 4)}},
			{"content/posts/g.md", g("\nsubtitle: y\nmood: z", brokenLink), []string{brokenLinkAt("content/posts/g.md", 5)}},
			{"content/posts/g.md", g("", brokenLink), []string{brokenLinkAt("content/posts/g.md", 3)}},
		}},
		{"a body saved, then its front matter", frontMatterSite, []lineEdit{
			{"content/posts/g.md", g("", brokenLink), []string{brokenLinkAt("content/posts/g.md", 3)}},
			{"content/posts/g.md", g("", "Intro.\n\n"+brokenLink), []string{brokenLinkAt("content/posts/g.md", 5)}},
			{"content/posts/g.md", g("\nsubtitle: y", "Intro.\n\n"+brokenLink), []string{brokenLinkAt("content/posts/g.md", 6)}},
			{"content/posts/g.md", g("\nsubtitle: y", brokenLink), []string{brokenLinkAt("content/posts/g.md", 4)}},
		}},
		{"empty lines added at the top of a body, and taken out", frontMatterSite, []lineEdit{
			{"content/posts/g.md", g("", brokenLink), []string{brokenLinkAt("content/posts/g.md", 3)}},
			{"content/posts/g.md", g("", "\n\n"+brokenLink), []string{brokenLinkAt("content/posts/g.md", 5)}},
			{"content/posts/g.md", g("", "\n"+brokenLink), []string{brokenLinkAt("content/posts/g.md", 4)}},
		}},
		{"a page linking to a post that moves", frontMatterSite, []lineEdit{
			{"content/about.md", about(""), nil},
			{"content/about.md", about("\nsubtitle: y"), nil},
			{"content/posts/e.md", e("\nslug: e2"), []string{aboutLink(2)}},
			{"content/posts/e.md", e(""), nil},
			{"content/about.md", about("\nsubtitle: y\nmood: z"), nil},
			{"content/about.md", about(""), nil},
			{"content/posts/e.md", e("\nslug: e2"), []string{aboutLink(1)}},
			{"content/about.md", about("\nsubtitle: y"), []string{aboutLink(2)}},
		}},
		{"raw HTML", rawHTMLSite, []lineEdit{
			{"content/posts/g.md", g("", rawHTML), rawHTMLAt(3)},
			{"content/posts/g.md", g("\nsubtitle: y", rawHTML), rawHTMLAt(4)},
			{"content/posts/g.md", g("", rawHTML), rawHTMLAt(3)},
		}},
		{"shortcodes", frontMatterSite, []lineEdit{
			{"content/posts/g.md", g("", shortcodes), shortcodesAt(3)},
			{"content/posts/g.md", g("\nsubtitle: y", shortcodes), shortcodesAt(4)},
			{"content/posts/g.md", g("\nsubtitle: y\nmood: z", shortcodes), shortcodesAt(5)},
			{"content/posts/g.md", g("", shortcodes), shortcodesAt(3)},
		}},
		{"Liquid", frontMatterSite, []lineEdit{
			{"content/posts/g.md", g("", liquidBody), liquidAt(3)},
			{"content/posts/g.md", g("\nsubtitle: y", liquidBody), liquidAt(4)},
			{"content/posts/g.md", g("\nsubtitle: y\nmood: z", liquidBody), liquidAt(5)},
		}},
		{"Zola's links", frontMatterSite, []lineEdit{
			{"content/posts/g.md", g("", zolaLinks), zolaLinksAt(3)},
			{"content/posts/g.md", g("\nsubtitle: y", zolaLinks), zolaLinksAt(4)},
			{"content/posts/g.md", g("\nsubtitle: y\nmood: z", zolaLinks), zolaLinksAt(5)},
		}},
		{"a summary before <!--more-->", frontMatterSite, []lineEdit{
			{"content/posts/g.md", g("", moreLink), []string{moreLinkAt(3)}},
			{"content/posts/g.md", g("\nsubtitle: y", moreLink), []string{moreLinkAt(4)}},
		}},
		{"a share card image not there, below a line more", frontMatterSite, []lineEdit{
			{"content/posts/g.md", g("\nimage: nothere.png", "Gamma grape."), []string{"content/posts/g.md:5: image nothere.png not found"}},
			{"content/posts/g.md", fmFile("title: G\nsubtitle: y\ndate: 2024-06-01\ntags: [x]\nimage: nothere.png", "Gamma grape."), []string{"content/posts/g.md:6: image nothere.png not found"}},
			{"content/posts/g.md", g("\nimage: nothere.png", "Gamma grape."), []string{"content/posts/g.md:5: image nothere.png not found"}},
		}},
		{"a summary in front matter", frontMatterSite, []lineEdit{
			{"content/posts/g.md", g("\nsummary: S.", brokenLink), []string{brokenLinkAt("content/posts/g.md", 4)}},
			{"content/posts/g.md", g("\nsummary: S.\nsubtitle: y", brokenLink), []string{brokenLinkAt("content/posts/g.md", 5)}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := tt.site()
			opts := PipelineOptions{Content: content.Options{Now: now}}
			p := builtPipeline(t, fsys, opts)
			for i, e := range tt.edits {
				fsys[e.file] = &fstest.MapFile{Data: []byte(e.data)}
				p.Changed(e.file)
				_, rep, err := p.BuildMem()
				if err != nil {
					t.Fatalf("edit %d: %v", i, err)
				}
				_, fresh, err := NewPipeline(fsys, opts).BuildMem()
				if err != nil {
					t.Fatalf("edit %d: a fresh build: %v", i, err)
				}
				got := warningLines(rep.Warnings)
				if want := warningLines(fresh.Warnings); got != want {
					t.Errorf("edit %d (%s): warnings\n  %s\nwant a fresh build's\n  %s", i, e.file, got, want)
				}
				for _, w := range e.want {
					if !strings.Contains(got, w) {
						t.Errorf("edit %d (%s): no warning %q in\n  %s", i, e.file, w, got)
					}
				}
			}
		})
	}
}

// warningLines are warnings one a line.
func warningLines(ws []Warning) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.String())
		b.WriteString("\n  ")
	}
	return b.String()
}

// TestWarningLinesFromDiskCache: the next `site build` after a change of
// the front matter's number of lines, which reads every body and scan
// from the cache on disk, warns at the lines of a cold build.
func TestWarningLinesFromDiskCache(t *testing.T) {
	g := func(fm, body string) *fstest.MapFile {
		return edgePost("title: G\ndate: 2024-06-01\ntags: [x]"+fm, body)
	}
	tests := []struct {
		name   string
		site   func() fstest.MapFS
		body   string
		before []string // the warnings of g.md below three lines of front matter
		after  []string // and below five
	}{
		{"a broken link", frontMatterSite, brokenLink, []string{brokenLinkAt("content/posts/g.md", 3)}, []string{brokenLinkAt("content/posts/g.md", 5)}},
		{"raw HTML", rawHTMLSite, rawHTML, rawHTMLAt(3), rawHTMLAt(5)},
		{"shortcodes", frontMatterSite, shortcodes, shortcodesAt(3), shortcodesAt(5)},
		{"Liquid", frontMatterSite, liquidBody, liquidAt(3), liquidAt(5)},
		{"Zola's links", frontMatterSite, zolaLinks, zolaLinksAt(3), zolaLinksAt(5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			fsys := tt.site()
			fsys["content/posts/g.md"] = g("", tt.body)
			first, stats := build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))
			checkContains(t, "first build", warningLines(stats.Warnings), tt.before)
			fsys["content/posts/g.md"] = g("\nsubtitle: y\nmood: z", tt.body)
			_, stats = build(t, fsys, first, WithBodyCache(NewBodyCache(dir)))
			_, cold := build(t, fsys, nil)
			got := warningLines(stats.Warnings)
			if want := warningLines(cold.Warnings); got != want {
				t.Errorf("warnings\n  %s\nwant a cold build's\n  %s", got, want)
			}
			checkContains(t, "second build", got, tt.after)
		})
	}
}

// checkContains checks that warnings, one a line, hold each of want.
func checkContains(t *testing.T, what, warnings string, want []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(warnings, w) {
			t.Errorf("%s: no warning %q in\n  %s", what, w, warnings)
		}
	}
}
