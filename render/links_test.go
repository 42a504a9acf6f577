package render

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
)

// warningsOf builds a site of the given files, with site.toml made of
// config after a title and base_url (baseURL, or https://example.org/),
// and returns its warnings.
func warningsOf(t *testing.T, baseURL, config string, files map[string]string) []string {
	t.Helper()
	if baseURL == "" {
		baseURL = "https://example.org/"
	}
	fsys := fstest.MapFS{"site.toml": {Data: []byte("title = \"T\"\nbase_url = \"" + baseURL + "\"\n" + config)}}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	_, stats := build(t, fsys, nil)
	var got []string
	for _, w := range stats.Warnings {
		got = append(got, w.String())
	}
	return got
}

func checkWarnings(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// linkSite is a site whose post at /2024/05/slug/ points at what the
// site has: another post, a bundle's image, a static file, a tag, a feed,
// an alias, a page, and some things it lacks.
func linkSite(body string) map[string]string {
	return map[string]string{
		"content/posts/slug.md":             "---\ntitle: Slug\ndate: 2024-05-02\ntags: [Go]\n---\n" + body,
		"content/posts/other.md":            "---\ntitle: Other\ndate: 2024-04-01\naliases: [/old/other.html]\n---\nOther.\n",
		"content/posts/bundle/index.md":     "---\ntitle: Bundle\ndate: 2024-03-01\n---\n![swatch](swatch.png) ![nested](img/a.png) ![gone](img/b.png)\n",
		"content/posts/bundle/swatch.png":   "png",
		"content/posts/bundle/img/a.png":    "png",
		"content/about.md":                  "---\ntitle: About\n---\n[home](/) and [the post](/2024/05/slug/#top).\n",
		"static/images/logo.svg":            "<svg/>",
		"static/downloads/index.html":       "<p>downloads</p>",
		"static/.well-known/security.txt":   "x",
		"static/files/with space/notes.txt": "x",
		"static/files/100%.txt":             "x",
	}
}

func TestLinkWarnings(t *testing.T) {
	body := `Line 6 is the first of the body.
![](img.png) ![logo](/images/logo.svg) ![logo, relative](../../../images/logo.svg)
[other](/2024/04/other/) [no slash](/2024/04/other) [relative](../../04/other/) [up](../)
[tag](/tags/go/) [tags](/tags/) [feed](/feed.xml) [atom of a tag](/tags/go/feed.xml) [alias](/old/other.html)
[archive](/archive/) [page 1](/page/1/) [about](/about/) [about, no slash](/about) [home](/) [sitemap](/sitemap.xml)
[missing](../missing/) [frag](#top) [mail](mailto:sam@example.org) [elsewhere](https://other.example/x/)
[self, absolute](https://example.org/nope/) [self, absolute, found](https://example.org/about/) [http self](http://example.org/about/)
[query](/about/?q=1) [downloads](/downloads/) [downloads dir](/downloads) [well-known](/.well-known/security.txt)
[spaces](/files/with%20space/notes.txt) [spaces, raw](</files/with space/notes.txt>) [tls page](/tls/)
[ref link][r] and [bad][gone] [percent](/files/100%.txt) <a href="/files/100%.txt">percent</a> [bad host](http://[::1/x)

[r]: ../../04/other/
[gone]: /2023/nothing/

<img src="pic.jpg" alt="a picture"> <a href="/about/">about</a> <a href="/nowhere/">nowhere</a>

<video src="clip.mp4" poster="poster.jpg">
<source src="/media/clip.webm" type="video/webm">
</video>

<picture><source srcset="/images/logo.svg 1x, /images/logo@2x.svg 2x"><img src="/images/logo.svg"></picture>

` + "```md\n![](in-a-listing.png) <img src=\"in-a-listing.png\">\n```\n\nInline `![](code.png)` and `<img src=\"code.png\">`.\n" + `
    ![](indented-code.png)

<!-- ![](in-a-comment.png) <img src="comment.png"> -->
`
	got := warningsOf(t, "", "", linkSite(body))
	checkWarnings(t, got, []string{
		"content/posts/bundle/index.md:5: image img/b.png not found (looked for /2024/03/bundle/img/b.png)",
		"content/posts/slug.md:7: image img.png not found (looked for /2024/05/slug/img.png)",
		"content/posts/slug.md:8: link ../ not found (looked for /2024/05/)",
		"content/posts/slug.md:11: link ../missing/ not found (looked for /2024/05/missing/)",
		"content/posts/slug.md:12: link https://example.org/nope/ not found (looked for /nope/)",
		"content/posts/slug.md:15: link /2023/nothing/ not found (looked for /2023/nothing/)",
		`content/posts/slug.md:15: link http://%5B::1/x is not a valid URL: invalid port "::1" after host`,
		"content/posts/slug.md:20: <a href> /nowhere/ not found (looked for /nowhere/)",
		"content/posts/slug.md:20: <img src> pic.jpg not found (looked for /2024/05/slug/pic.jpg)",
		"content/posts/slug.md:22: <video poster> poster.jpg not found (looked for /2024/05/slug/poster.jpg)",
		"content/posts/slug.md:22: <video src> clip.mp4 not found (looked for /2024/05/slug/clip.mp4)",
		"content/posts/slug.md:23: <source src> /media/clip.webm not found (looked for /media/clip.webm)",
		"content/posts/slug.md:26: <source srcset> /images/logo@2x.svg not found (looked for /images/logo@2x.svg)",
	})
}

func TestLinkWarningsBasePath(t *testing.T) {
	files := map[string]string{
		"content/posts/p.md":     "---\ntitle: P\ndate: 2024-05-02\n---\n![](img.png)\n![](/images/logo.svg)\n![](/blog/images/logo.svg)\n[home](/blog/) [home, no slash](/blog) [up](../../../) [post](/blog/2024/05/p/)\n[caf](/blog/caf%C3%A9/) [café](/blog/café/)\n[docs elsewhere on the host](/doc/install/) [a missing post](/blog/2024/05/q/)\n",
		"content/café.md":        "---\ntitle: Café\n---\nHi.\n",
		"static/images/logo.svg": "<svg/>",
	}
	got := warningsOf(t, "https://example.org/blog/", "", files)
	checkWarnings(t, got, []string{
		"content/posts/p.md:5: image img.png not found (looked for /blog/2024/05/p/img.png)",
		"content/posts/p.md:6: image /images/logo.svg not found (looked for /images/logo.svg, outside the base URL's path /blog/)",
		"content/posts/p.md:10: link /blog/2024/05/q/ not found (looked for /blog/2024/05/q/)",
	})
}

func TestCSPWarnings(t *testing.T) {
	body := `Intro.
<script>alert(1)</script>

<script type="application/ld+json">{"@type": "BlogPosting"}</script>

<script src="/js/app.js"></script>

<style>p { color: red }</style>

<p style="color: red">Red.</p> <span style="x">one</span> <span style="y">two</span>

<button onclick="go()">Go</button>

<a href="javascript:void(0)">nothing</a> [md](javascript:void(0))

<iframe src="https://www.youtube.com/embed/abc" title="video"></iframe>

<img src="https://cdn.example/x.png" alt="x">

![y](https://cdn.example/y.png) ![z](//cdn.example/z.png)

![dot](data:image/png;base64,iVBORw0KGgo=)

<audio src="https://media.example/a.mp3"></audio> <object data="https://obj.example/o.swf"></object>

<link rel="stylesheet" href="https://fonts.example/css">
`
	files := map[string]string{
		"content/posts/p.md": "---\ntitle: P\ndate: 2024-05-02\n---\n" + body,
		"static/js/app.js":   "console.log(1)",
	}
	strict := []string{
		"content/posts/p.md:6: inline <script> is blocked by the Content-Security-Policy (default-src 'self'): load the script from a file with <script src>",
		"content/posts/p.md:12: <style> element is blocked by the Content-Security-Policy (default-src 'self'): put the rules in a stylesheet, or allow inline style with [csp] style-src = [\"'unsafe-inline'\"]",
		`content/posts/p.md:14: style attribute on <p> is blocked by the Content-Security-Policy (default-src 'self'): use a class, or allow inline style with [csp] style-src = ["'unsafe-inline'"] (and 2 more style attributes in this file)`,
		"content/posts/p.md:16: event handler onclick on <button> is blocked by the Content-Security-Policy (default-src 'self')",
		"content/posts/p.md:18: javascript: URL in <a href> is blocked by the Content-Security-Policy (default-src 'self')",
		"content/posts/p.md:18: javascript: URL in link is blocked by the Content-Security-Policy (default-src 'self')",
		`content/posts/p.md:20: <iframe src> loads https://www.youtube.com/embed/abc from another origin, which the Content-Security-Policy blocks (default-src 'self'): add "https://www.youtube.com" to [csp] frame-src in site.toml`,
		`content/posts/p.md:22: <img src> loads https://cdn.example/x.png from another origin, which the Content-Security-Policy blocks (default-src 'self'): add "https://cdn.example" to [csp] img-src in site.toml`,
		`content/posts/p.md:24: image loads //cdn.example/z.png from another origin, which the Content-Security-Policy blocks (default-src 'self'): add "https://cdn.example" to [csp] img-src in site.toml`,
		`content/posts/p.md:24: image loads https://cdn.example/y.png from another origin, which the Content-Security-Policy blocks (default-src 'self'): add "https://cdn.example" to [csp] img-src in site.toml`,
		`content/posts/p.md:26: image: a data: URL is blocked by the Content-Security-Policy (default-src 'self'): add "data:" to [csp] img-src in site.toml`,
		`content/posts/p.md:28: <audio src> loads https://media.example/a.mp3 from another origin, which the Content-Security-Policy blocks (default-src 'self'): add "https://media.example" to [csp] media-src in site.toml`,
		`content/posts/p.md:28: <object data> loads https://obj.example/o.swf from another origin, which the Content-Security-Policy blocks (default-src 'self'): add "https://obj.example" to [csp] object-src in site.toml`,
		`content/posts/p.md:30: <link href> loads https://fonts.example/css from another origin, which the Content-Security-Policy blocks (default-src 'self'): add "https://fonts.example" to [csp] style-src in site.toml`,
	}
	t.Run("default policy", func(t *testing.T) {
		checkWarnings(t, warningsOf(t, "", "", files), strict)
	})
	t.Run("csp adds sources", func(t *testing.T) {
		config := "[csp]\nframe-src = [\"https://www.youtube.com\"]\nimg-src = [\"https://*.example\", \"data:\"]\nstyle-src = [\"'unsafe-inline'\", \"https://fonts.example/\"]\n"
		checkWarnings(t, warningsOf(t, "", config, files), []string{
			"content/posts/p.md:6: inline <script> is blocked by the Content-Security-Policy (default-src 'self'): load the script from a file with <script src>",
			"content/posts/p.md:16: event handler onclick on <button> is blocked by the Content-Security-Policy (default-src 'self')",
			"content/posts/p.md:18: javascript: URL in <a href> is blocked by the Content-Security-Policy (default-src 'self')",
			"content/posts/p.md:18: javascript: URL in link is blocked by the Content-Security-Policy (default-src 'self')",
			"content/posts/p.md:20: <iframe src> embeds https://www.youtube.com/embed/abc from another origin; the issuer badge does not cover it",
			"content/posts/p.md:22: <img src> embeds https://cdn.example/x.png from another origin; the issuer badge does not cover it",
			"content/posts/p.md:24: image embeds //cdn.example/z.png from another origin; the issuer badge does not cover it",
			"content/posts/p.md:24: image embeds https://cdn.example/y.png from another origin; the issuer badge does not cover it",
			`content/posts/p.md:28: <audio src> loads https://media.example/a.mp3 from another origin, which the Content-Security-Policy blocks (default-src 'self'): add "https://media.example" to [csp] media-src in site.toml`,
			`content/posts/p.md:28: <object data> loads https://obj.example/o.swf from another origin, which the Content-Security-Policy blocks (default-src 'self'): add "https://obj.example" to [csp] object-src in site.toml`,
			"content/posts/p.md:30: <link href> embeds https://fonts.example/css from another origin; the issuer badge does not cover it",
		})
	})
	t.Run("escaped", func(t *testing.T) {
		checkWarnings(t, warningsOf(t, "", "raw_html = \"escape\"\n", files), markdownOnly(strict))
	})
	t.Run("omitted", func(t *testing.T) {
		checkWarnings(t, warningsOf(t, "", "raw_html = \"omit\"\n", files), markdownOnly(strict))
	})
}

// markdownOnly keeps the warnings about Markdown links and images, which
// are emitted whatever becomes of raw HTML; goldmark leaves out the
// javascript: URL of a Markdown link unless raw HTML passes.
func markdownOnly(ws []string) []string {
	var out []string
	for _, w := range ws {
		if (strings.Contains(w, ": image") || strings.Contains(w, " link ")) && !strings.Contains(w, "javascript:") {
			out = append(out, w)
		}
	}
	return out
}

// TestOtherOriginEmitted: the other-origin warning is for elements that
// are emitted, not for HTML that is escaped, left out or in code.
func TestOtherOriginEmitted(t *testing.T) {
	body := "<iframe src=\"https://video.example/embed/1\"></iframe>\n\n" +
		"```html\n<iframe src=\"https://fenced.example/embed/1\"></iframe>\n![](https://fenced.example/x.png)\n```\n\n" +
		"Code: `<img src=\"https://span.example/x.png\">` and `![](https://span.example/y.png)`.\n\n" +
		"    <img src=\"https://indented.example/x.png\">\n\n" +
		"<!-- <img src=\"https://comment.example/x.png\"> -->\n\n" +
		"[a link](https://link.example/) <https://autolink.example/> https://linkify.example/\n"
	files := map[string]string{"content/posts/p.md": "---\ntitle: P\ndate: 2024-05-02\n---\n" + body}
	config := "[csp]\nframe-src = [\"https:\"]\n"
	checkWarnings(t, warningsOf(t, "", config, files), []string{
		"content/posts/p.md:5: <iframe src> embeds https://video.example/embed/1 from another origin; the issuer badge does not cover it",
	})
	for _, mode := range []string{"escape", "omit"} {
		checkWarnings(t, warningsOf(t, "", "raw_html = \""+mode+"\"\n"+config, files), nil)
	}
}

// TestWarningsFollowChanges builds with one renderer again and again, as
// the preview does: a warning goes when its page is fixed or when the
// file it missed appears, and comes back when the file goes.
func TestWarningsFollowChanges(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":          {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n")},
		"content/posts/a.md": {Data: []byte("---\ntitle: A\ndate: 2024-05-02\n---\n[about](/about/) ![](pic.png)\n")},
		"content/posts/b.md": {Data: []byte("---\ntitle: B\ndate: 2024-05-03\n---\n[a](../a/)\n")},
	}
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var prev *MemOutput
	step := func(what string, want ...string) {
		t.Helper()
		site, err := content.Load(fsys, cfg, content.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		out := NewMemOutput(prev)
		stats, err := r.Build(site, out)
		if err != nil {
			t.Fatal(err)
		}
		prev = out
		var got []string
		for _, w := range stats.Warnings {
			got = append(got, w.String())
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: warnings:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
		}
	}
	missingAbout := "content/posts/a.md:5: link /about/ not found (looked for /about/)"
	missingPic := "content/posts/a.md:5: image pic.png not found (looked for /2024/05/a/pic.png)"
	step("first build", missingPic, missingAbout)
	step("nothing changed", missingPic, missingAbout)
	fsys["content/about.md"] = &fstest.MapFile{Data: []byte("---\ntitle: About\n---\nHi.\n")}
	step("the page appears", missingPic)
	fsys["content/posts/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A\ndate: 2024-05-02\n---\n[about](/about/)\n\n![](/pic.png)\n")}
	step("the post changes", "content/posts/a.md:7: image /pic.png not found (looked for /pic.png)")
	fsys["static/pic.png"] = &fstest.MapFile{Data: []byte("png")}
	step("the static file appears")
	delete(fsys, "content/about.md")
	step("the page goes", missingAbout)
	fsys["content/posts/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A\ndate: 2024-06-02\n---\n[about](/about/)\n\n![](/pic.png)\n")}
	step("the post moves: b's link breaks", missingAbout, "content/posts/b.md:5: link ../a/ not found (looked for /2024/05/a/)")
}

// TestWarningsFromCache: a build that renders nothing, every file being
// reused and every scan read from the body cache on disk (the next `site
// build`), warns as the first did; so does one whose cached scans are
// unreadable, which scans the posts again.
func TestWarningsFromCache(t *testing.T) {
	dir := t.TempDir()
	fsys := testSite()
	fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\ndate: 2024-02-01\n---\nBeta ![](b.png).\n\n<p style=\"x\">styled</p>\n")}
	want := []string{
		"content/posts/b.md:5: image b.png not found (looked for /2024/02/b/b.png)",
		`content/posts/b.md:7: style attribute on <p> is blocked by the Content-Security-Policy (default-src 'self'): use a class, or allow inline style with [csp] style-src = ["'unsafe-inline'"]`,
	}
	strs := func(ws []Warning) []string {
		var s []string
		for _, w := range ws {
			s = append(s, w.String())
		}
		return s
	}
	first, stats := build(t, fsys, nil, WithBodyCache(NewBodyCache(dir)))
	checkWarnings(t, strs(stats.Warnings), want)
	second, stats := build(t, fsys, first, WithBodyCache(NewBodyCache(dir)))
	if len(remade(first, second)) != 0 {
		t.Fatalf("the second build remade %q", remade(first, second))
	}
	checkWarnings(t, strs(stats.Warnings), want)

	cfg := mustConfig(t, fsys)
	r := &Renderer{cfg: cfg}
	site, err := content.Load(fsys, cfg, content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	cache := NewBodyCache(dir)
	for _, pg := range site.All() {
		cache.Put(scanKey(r.bodyKey(pg)), Rendered{Content: []byte("not a scan")})
	}
	cache.Flush()
	_, stats = build(t, fsys, second, WithBodyCache(NewBodyCache(dir)))
	checkWarnings(t, strs(stats.Warnings), want)
}

// TestScanPlaceholders: the HTML that an expander puts in a page through
// placeholders is scanned as raw HTML is, at the line of its placeholder,
// even when raw HTML is escaped, and not when the placeholder is in code.
func TestScanPlaceholders(t *testing.T) {
	var doc expand.Doc
	figure := doc.Placeholder("<figure>\n<img src=\"a.png\">\n<figcaption style=\"x\">A</figcaption></figure>")
	video := doc.Placeholder("<iframe src=\"https://v.example/1\"></iframe>")
	inCode := doc.Placeholder("<img src=\"in-code.png\">")
	src := "Intro.\n\n" + figure + "\n\nText " + video + " more.\n\n    " + inCode + "\n"
	m := NewMarkdown(&Listings{}, content.RawHTMLEscape)
	sc := scanDoc(m.parse([]byte(src)), []byte(src), false, doc.HTML)
	want := []scanItem{
		{kind: itemURL, line: 4, elem: "img", attr: "src", dir: "img-src", url: "a.png"},
		{kind: itemStyleAttr, line: 5, elem: "figcaption", attr: "style"},
		{kind: itemURL, line: 5, elem: "iframe", attr: "src", dir: "frame-src", url: "https://v.example/1"},
	}
	if len(sc.items) != len(want) {
		t.Fatalf("items %+v, want %+v", sc.items, want)
	}
	for i := range want {
		if sc.items[i] != want[i] {
			t.Errorf("item %d: %+v, want %+v", i, sc.items[i], want[i])
		}
	}
}

// TestServerPathLinks: links to the paths `site serve` answers itself
// resolve; a path beside them does not.
func TestServerPathLinks(t *testing.T) {
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/tls/", nil},
		{"/tls", nil},
		{"/tls.json", nil},
		{"/tls/feed.xml", nil},
		{"/healthz", nil},
		{"/tls/other.xml", []string{"content/posts/slug.md:6: link /tls/other.xml not found (looked for /tls/other.xml)"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			var got []string // of the post linking; the site's bundle lacks an image
			for _, w := range warningsOf(t, "", "", linkSite("[it]("+tc.path+")\n")) {
				if strings.HasPrefix(w, "content/posts/slug.md:") {
					got = append(got, w)
				}
			}
			checkWarnings(t, got, tc.want)
		})
	}
}
