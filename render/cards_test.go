package render

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/siteblog/site/content"
	"golang.org/x/net/html"
)

// cardSite is a site whose posts get their share image each a different
// way.
func cardSite(siteToml string) fstest.MapFS {
	return fstest.MapFS{
		"site.toml": {Data: []byte(siteToml)},
		// The front matter's image, relative to its bundle.
		"content/posts/bundle/index.md":   {Data: []byte("---\ntitle: Bundle\ndate: 2024-01-01\nimage:\n  path: card.png\n  alt: A card\ntags: [go, web]\n---\nText.\n\n![first](inline.png)\n")},
		"content/posts/bundle/card.png":   {Data: []byte("png")},
		"content/posts/bundle/inline.png": {Data: []byte("png")},
		// Hugo's images, relative to the site.
		"content/posts/hugo.md": {Data: []byte("---\ntitle: Hugo\ndate: 2024-01-02\nimages: [img/h.jpg]\n---\nText.\n")},
		// The body's first picture the site publishes: not the remote
		// one, not the SVG.
		"content/posts/body.md": {Data: []byte("---\ntitle: Body\ndate: 2024-01-03\nupdated: 2024-02-03T10:00:00Z\nauthor: [Bo, Cy]\n---\n" +
			"Pictures: ![remote](https://elsewhere.example/r.png) ![logo](../../../logo.svg) ![outside the site](/img/chart.webp) ![Our chart](../../../img/chart.webp) ![later](../../../img/later.png)\n")},
		// Nothing of its own: the site's image.
		"content/posts/plain.md": {Data: []byte("---\ntitle: Plain </script><script>alert(1)</script>\ndate: 2024-01-04\n---\n" + strings.Repeat("Word after word, ", 40) + "\n")},
		"static/img/h.jpg":       {Data: []byte("jpg")},
		"static/img/chart.webp":  {Data: []byte("webp")},
		"static/img/later.png":   {Data: []byte("png")},
		"static/logo.svg":        {Data: []byte("<svg/>")},
		"static/site-card.png":   {Data: []byte("png")},
	}
}

const cardToml = "title = \"Cards\"\nbase_url = \"https://example.org/blog/\"\nlanguage = \"fr\"\nimage = \"site-card.png\"\nimage_alt = \"The site\"\n[author]\nname = \"Ann\"\n"

// metas returns the content of every <meta> of a page's head named (by
// property or name) key, in order.
func metas(t *testing.T, page []byte, key string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(string(page)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "meta" {
			var k, content string
			for _, a := range n.Attr {
				switch a.Key {
				case "property", "name":
					k = a.Val
				case "content":
					content = a.Val
				}
			}
			if k == key {
				out = append(out, content)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func TestShareCards(t *testing.T) {
	out, _ := build(t, cardSite(cardToml), nil)
	siteImage := "https://example.org/blog/site-card.png"
	tests := []struct {
		file             string
		image, alt, card string
		published        string
		modified         string
		authors, tags    string
	}{
		{"2024/01/bundle/index.html", "https://example.org/blog/2024/01/bundle/card.png", "A card", "summary_large_image", "2024-01-01T00:00:00Z", "", "Ann", "go web"},
		{"2024/01/hugo/index.html", "https://example.org/blog/img/h.jpg", "", "summary_large_image", "2024-01-02T00:00:00Z", "", "Ann", ""},
		{"2024/01/body/index.html", "https://example.org/blog/img/chart.webp", "Our chart", "summary_large_image", "2024-01-03T00:00:00Z", "2024-02-03T10:00:00Z", "Bo Cy", ""},
		{"2024/01/plain-script-script-alert-1-script/index.html", siteImage, "The site", "summary_large_image", "2024-01-04T00:00:00Z", "", "Ann", ""},
		{"index.html", siteImage, "The site", "summary_large_image", "", "", "", ""},
		{"tags/go/index.html", siteImage, "The site", "summary_large_image", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			page, ok := out.Files()[tt.file]
			if !ok {
				t.Fatalf("%s not built", tt.file)
			}
			one := func(key string) string { return strings.Join(metas(t, page, key), " ") }
			for _, c := range []struct{ key, got, want string }{
				{"og:image", one("og:image"), tt.image},
				{"og:image:alt", one("og:image:alt"), tt.alt},
				{"twitter:card", one("twitter:card"), tt.card},
				{"og:locale", one("og:locale"), "fr_FR"},
				{"article:published_time", one("article:published_time"), tt.published},
				{"article:modified_time", one("article:modified_time"), tt.modified},
				{"article:author", one("article:author"), tt.authors},
				{"article:tag", one("article:tag"), tt.tags},
			} {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.key, c.got, c.want)
				}
			}
			if d := one("description"); d == "" {
				t.Error("no meta description")
			}
		})
	}
}

// TestShareCardsWithoutImages: no image anywhere gives a summary card and
// no og:image.
func TestShareCardsWithoutImages(t *testing.T) {
	out, _ := build(t, testSite(), nil)
	for _, file := range []string{"index.html", "2024/01/a/index.html", "about/index.html"} {
		page := out.Files()[file]
		if got := metas(t, page, "og:image"); got != nil {
			t.Errorf("%s: og:image %q, want none", file, got)
		}
		if got := metas(t, page, "twitter:card"); len(got) != 1 || got[0] != "summary" {
			t.Errorf("%s: twitter:card %q, want summary", file, got)
		}
	}
}

// TestDescriptions: every page that can have a meta description has one,
// even when site.toml has none; those made from text are cut to
// DescriptionLength.
func TestDescriptions(t *testing.T) {
	fsys := testSite()
	fsys["content/posts/long.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Long\ndate: 2024-05-01\n---\n" + strings.Repeat("Alpha beta gamma delta. ", 20) + "\n")}
	out, _ := build(t, fsys, nil)
	tests := []struct{ file, want string }{
		{"index.html", "Posts on T: Long; D"},
		{"page/2/index.html", "Posts on T: C; B"},
		{"tags/x/index.html", "Posts tagged x on T"},
		{"tags/index.html", "All tags of T"},
		{"archive/index.html", "Every post of T, by year"},
		{"2024/01/a/index.html", "Alpha."},
		{"about/index.html", "About."},
		{"2024/05/long/index.html", strings.Repeat("Alpha beta gamma delta. ", 6) + "Alpha beta…"},
	}
	for _, tt := range tests {
		got := metas(t, out.Files()[tt.file], "description")
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("%s: description %q, want %q", tt.file, got, tt.want)
		}
		if len(got) == 1 && len([]rune(got[0])) > DescriptionLength {
			t.Errorf("%s: description of %d characters", tt.file, len([]rune(got[0])))
		}
	}
	// The 404 page is not indexed, and claims no URL of its own.
	notFound := string(out.Files()["404.html"])
	if !strings.Contains(notFound, `<meta name="robots" content="noindex">`) {
		t.Error("404.html is not noindex")
	}
	for _, bad := range []string{`rel="canonical"`, `og:url`, "404.html"} {
		if strings.Contains(notFound, bad) {
			t.Errorf("404.html holds %s", bad)
		}
	}
}

func TestTrimDescription(t *testing.T) {
	long := strings.Repeat("word ", 50)
	mixed := "site は Go で" + strings.Repeat("書かれた", 60)
	tests := []struct{ in, want string }{
		{"Short.", "Short."},
		{strings.Repeat("a", DescriptionLength), strings.Repeat("a", DescriptionLength)},
		{long, strings.TrimSpace(strings.Repeat("word ", 31)) + "…"},
		{strings.Repeat("word, ", 40), strings.TrimSuffix(strings.TrimSpace(strings.Repeat("word, ", 26)), ",") + "…"},
		{strings.Repeat("日本語", 100), strings.Repeat("日本語", 53) + "…"},
		// Japanese with spaces only around Latin words early on: cut
		// between characters near the limit, not at the last space.
		{mixed, string([]rune(mixed)[:DescriptionLength-1]) + "…"},
		{"Go の" + strings.Repeat("説明。", 60), "Go の" + strings.Repeat("説明。", 51) + "説明…"},
	}
	for _, tt := range tests {
		got := trimDescription(tt.in)
		if got != tt.want {
			t.Errorf("trimDescription(%.20q…) = %q, want %q", tt.in, got, tt.want)
		}
		if n := len([]rune(got)); n > DescriptionLength {
			t.Errorf("trimDescription(%.20q…) has %d characters", tt.in, n)
		}
	}
}

func TestOGLocale(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"en", "en_US"}, {"fr", "fr_FR"}, {"de", "de_DE"}, {"es", "es_ES"}, {"pt", "pt_BR"},
		{"it", "it_IT"}, {"nl", "nl_NL"}, {"ja", "ja_JP"}, {"zh", "zh_CN"}, {"zh-Hant", "zh_TW"},
		{"en-GB", "en_GB"}, {"de-CH", "de_CH"}, {"pt-PT", "pt_PT"}, {"es-419", "es_ES"}, {"sr-Latn", "sr_RS"},
		{"EN-gb", "en_GB"}, {"", ""}, {"not a tag", ""},
	}
	for _, tt := range tests {
		if got := ogLocale(tt.lang); got != tt.want {
			t.Errorf("ogLocale(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestImageURL(t *testing.T) {
	b := &builder{Renderer: &Renderer{}}
	b.base, _ = url.Parse("https://example.org/blog/")
	tests := []struct{ ref, want string }{
		{"https://cdn.example/a.png", "https://cdn.example/a.png"},
		{"//cdn.example/a.png", "https://cdn.example/a.png"},
		{"/img/a.png", "https://example.org/blog/img/a.png"},
		{"img/a.png", "https://example.org/blog/img/a.png"},
		{"img/caf%C3%A9.png", "https://example.org/blog/img/caf%C3%A9.png"},
		{"img/café.png", "https://example.org/blog/img/caf%C3%A9.png"},
		{"../../etc/a.png", "https://example.org/blog/etc/a.png"},
		{"data:image/png;base64,AA", ""},
		{"javascript:alert(1)", ""},
		{"https:///a.png", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := b.imageURL(nil, tt.ref); got != tt.want {
			t.Errorf("imageURL(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

// jsonLD returns the text of each <script type="application/ld+json">
// of a page, as an HTML parser reads it.
func jsonLD(t *testing.T, page []byte) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(string(page)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "script" {
			for _, a := range n.Attr {
				if a.Key == "type" && a.Val == "application/ld+json" && n.FirstChild != nil {
					out = append(out, n.FirstChild.Data)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// checkArticle checks a BlogPosting against what schema.org requires and
// Google's article rich results ask for: headline, image, datePublished,
// dateModified, author with a name; URLs absolute.
func checkArticle(t *testing.T, v map[string]any) {
	t.Helper()
	str := func(k string) string { s, _ := v[k].(string); return s }
	if v["@context"] != "https://schema.org" || v["@type"] != "BlogPosting" {
		t.Errorf("@context %v @type %v", v["@context"], v["@type"])
	}
	if h := str("headline"); h == "" || len([]rune(h)) > 110 {
		t.Errorf("headline %q: want 1 to 110 characters", h)
	}
	for _, k := range []string{"datePublished", "dateModified"} {
		if _, err := time.Parse(time.RFC3339, str(k)); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	for _, k := range []string{"url", "mainEntityOfPage"} {
		if u, err := url.Parse(str(k)); err != nil || !u.IsAbs() {
			t.Errorf("%s %q: want an absolute URL", k, str(k))
		}
	}
	authors, _ := v["author"].([]any)
	if len(authors) == 0 {
		t.Error("no author")
	}
	for _, a := range authors {
		a, _ := a.(map[string]any)
		if name, _ := a["name"].(string); name == "" || (a["@type"] != "Person" && a["@type"] != "Organization") {
			t.Errorf("author %v: want a Person or Organization with a name", a)
		}
	}
	img, _ := v["image"].(map[string]any)
	if u, _ := img["url"].(string); !strings.HasPrefix(u, "https://") {
		t.Errorf("image %v: want an ImageObject with an absolute url", v["image"])
	}
}

func TestStructuredData(t *testing.T) {
	out, _ := build(t, cardSite(cardToml), nil)
	posts := 0
	for name, page := range out.Files() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		scripts := jsonLD(t, page)
		isPost := strings.HasPrefix(name, "2024/") && !strings.Contains(name, "/page/")
		switch {
		case isPost:
			posts++
			if len(scripts) != 1 {
				t.Fatalf("%s: %d JSON-LD scripts, want 1", name, len(scripts))
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(scripts[0]), &v); err != nil {
				t.Fatalf("%s: %v\n%s", name, err, scripts[0])
			}
			checkArticle(t, v)
		case name == "index.html":
			var v map[string]any
			if len(scripts) != 1 || json.Unmarshal([]byte(scripts[0]), &v) != nil {
				t.Fatalf("index.html: JSON-LD %q", scripts)
			}
			if v["@type"] != "WebSite" || v["name"] != "Cards" || v["url"] != "https://example.org/blog/" {
				t.Errorf("index.html: %v, want the WebSite Cards at https://example.org/blog/", v)
			}
			// The search page (on by default) is the WebSite's SearchAction.
			if a, _ := v["potentialAction"].(map[string]any); a["@type"] != "SearchAction" ||
				fmt.Sprint(a["target"]) != "map[@type:EntryPoint urlTemplate:https://example.org/blog/search/?q={search_term_string}]" {
				t.Errorf("index.html: potentialAction %v, want the SearchAction of /blog/search/", v["potentialAction"])
			}
		default:
			if len(scripts) != 0 {
				t.Errorf("%s: JSON-LD %q, want none", name, scripts)
			}
		}
	}
	if posts != 4 {
		t.Errorf("%d posts checked, want 4", posts)
	}

	// A title holding </script> stays inside the script, as text.
	page := out.Files()["2024/01/plain-script-script-alert-1-script/index.html"]
	var v map[string]any
	if err := json.Unmarshal([]byte(jsonLD(t, page)[0]), &v); err != nil {
		t.Fatal(err)
	}
	if want := "Plain </script><script>alert(1)</script>"; v["headline"] != want {
		t.Errorf("headline %q, want %q", v["headline"], want)
	}
	if n := strings.Count(string(page), "<script"); n != 1 {
		t.Errorf("%d <script elements in the page, want 1", n)
	}
}

// TestSearchAction: with a search page, the index's WebSite says how to
// search the site.
func TestSearchAction(t *testing.T) {
	d := &PageData{Kind: "list", path: "/", Site: &SiteData{Title: "T", BaseURL: "https://example.org/", SearchURL: "https://example.org/search/"}}
	data, err := json.Marshal(d.StructuredData())
	if err != nil {
		t.Fatal(err)
	}
	want := `"potentialAction":{"@type":"SearchAction","target":{"@type":"EntryPoint","urlTemplate":"https://example.org/search/?q={search_term_string}"},"query-input":"required name=search_term_string"}`
	if !strings.Contains(string(data), want) {
		t.Errorf("got %s\nwant it to hold %s", data, want)
	}
}

// TestThemeColor: the theme-color metas are the stylesheet's --bg, light
// and dark.
func TestThemeColor(t *testing.T) {
	css, err := os.ReadFile("../themes/default/assets/style.css")
	if err != nil {
		t.Fatal(err)
	}
	bg := regexp.MustCompile(`--bg:\s*(#[0-9a-fA-F]+)`).FindAllSubmatch(css, -1)
	dark := strings.Index(string(css), "@media (prefers-color-scheme: dark)")
	if len(bg) < 2 || dark < 0 {
		t.Fatal("style.css: no --bg for light and dark")
	}
	light, darkBG := string(bg[0][1]), ""
	for _, m := range regexp.MustCompile(`--bg:\s*(#[0-9a-fA-F]+)`).FindAllSubmatchIndex(css, -1) {
		if m[0] > dark && darkBG == "" {
			darkBG = string(css[m[2]:m[3]])
		}
	}
	out, _ := build(t, testSite(), nil)
	page := string(out.Files()["index.html"])
	for _, want := range []string{
		`<meta name="theme-color" content="` + light + `" media="(prefers-color-scheme: light)">`,
		`<meta name="theme-color" content="` + darkBG + `" media="(prefers-color-scheme: dark)">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>Built with <code>site</code>, and <em>fast</em>.</p>", "Built with site, and fast."},
		{"<p>One.</p><p>Two.</p>", "One. Two."},
		{"<ul><li>a</li><li>b</li></ul>", "a b"},
		{"a<br>b<br/>c", "a b c"},
		{"<p>x<sup>2</sup> and <a href=\"/\">H<sub>2</sub>O</a></p>", "x2 and H2O"},
		{"<p>  spaced \n\t out  </p>", "spaced out"},
	}
	for _, tt := range tests {
		if got := plainText(template.HTML(tt.in)); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestImageNotFound: an image front matter or site.toml names on the site
// that is no file of it is a warning at its line; one elsewhere is not
// checked.
func TestImageNotFound(t *testing.T) {
	fsys := cardSite(strings.Replace(cardToml, "site-card.png", "/gone.png", 1))
	fsys["content/posts/missing.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Missing\ndate: 2024-03-01\n\nimage: nothere.jpg\n---\nText.\n")}
	fsys["content/posts/remote.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Remote\ndate: 2024-03-02\nimage: https://cdn.example/x.png\n---\nText.\n")}
	_, stats := build(t, fsys, nil)
	var got []string
	for _, w := range stats.Warnings {
		if w.Path != "content/posts/body.md" { // its decoys: a remote picture, one outside the base path
			got = append(got, w.String())
		}
	}
	want := []string{
		"content/posts/missing.md:5: image nothere.jpg not found (looked for /blog/nothere.jpg)",
		"site.toml:4: image /gone.png not found (looked for /blog/gone.png)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	_, stats = build(t, cardSite(cardToml), nil)
	for _, w := range stats.Warnings {
		if w.Path != "content/posts/body.md" {
			t.Errorf("warning for an image that exists: %v", w)
		}
	}
}

func TestListDescription(t *testing.T) {
	posts := []*PostData{{Title: "One"}, {Title: "Two"}}
	for _, tt := range []struct {
		prefix string
		posts  []*PostData
		want   string
	}{
		{"Posts by Ada on Notes:", posts, "Posts by Ada on Notes: One; Two"},
		{"Posts by Ada on Notes:", nil, "Posts by Ada on Notes"},
		{"Notes の記事：", nil, "Notes の記事"},
	} {
		if got := listDescription(tt.prefix, tt.posts); got != tt.want {
			t.Errorf("listDescription(%q, %d posts) = %q, want %q", tt.prefix, len(tt.posts), got, tt.want)
		}
	}
}

// TestImageFoundAfterSaves saves posts in a preview so that a file an
// image names comes and goes (an alias of another post), and an image
// changes; after each save the image warnings are the expected ones, and
// every warning is a fresh build's: a check that looks again only at
// the images whose file or front matter changed finds what a full one
// does.
func TestImageFoundAfterSaves(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := frontMatterSite()
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\nimage = \"/card.png\"\n")}
	fsys["content/posts/pic.md"] = edgePost("title: Pic\ndate: 2024-07-01\nimage: /card.png", "Pictured.")
	fsys["content/posts/old.md"] = edgePost("title: Old\ndate: 2022-01-01\naliases: [/was/]", "Old.")
	const (
		picMissing   = "content/posts/pic.md:4: image /card.png not found (looked for /card.png)"
		siteMissing  = "site.toml:3: image /card.png not found (looked for /card.png)"
		otherMissing = "content/posts/pic.md:4: image /other.png not found (looked for /other.png)"
	)
	steps := []struct {
		file, data string
		want       []string // the image warnings
	}{
		{"content/posts/old.md", fmFile("title: Old\ndate: 2022-01-01\naliases: [/card.png]", "Old."), nil},
		{"content/posts/old.md", fmFile("title: Old\ndate: 2022-01-01\naliases: [/was/]", "Old."), []string{picMissing, siteMissing}},
		{"content/posts/pic.md", fmFile("title: Pic\ndate: 2024-07-01\nimage: /other.png", "Pictured."), []string{otherMissing, siteMissing}},
		{"content/posts/old.md", fmFile("title: Old\ndate: 2022-01-01\naliases: [/other.png]", "Old."), []string{siteMissing}},
		{"content/posts/c.md", fmFile("title: C2\ndate: 2024-02-01\ntags: [x]", "Gamma cherry."), []string{siteMissing}},
	}
	p := NewPipeline(fsys, opts)
	_, rep, err := p.BuildMem()
	if err != nil {
		t.Fatal(err)
	}
	imageWarnings := func(ws []Warning) []string {
		var got []string
		for _, w := range ws {
			if strings.Contains(w.Msg, "image") {
				got = append(got, w.String())
			}
		}
		return got
	}
	if got, want := imageWarnings(rep.Warnings), []string{picMissing, siteMissing}; !slices.Equal(got, want) {
		t.Fatalf("first build: image warnings %q, want %q", got, want)
	}
	for i, s := range steps {
		fsys[s.file] = &fstest.MapFile{Data: []byte(s.data)}
		p.Changed(s.file)
		fronts := p.frontBuilds
		_, rep, err := p.BuildMem()
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if p.frontBuilds == fronts {
			t.Errorf("step %d: not built in place", i)
		}
		if got := imageWarnings(rep.Warnings); !slices.Equal(got, s.want) {
			t.Errorf("step %d: image warnings %q, want %q", i, got, s.want)
		}
		_, fresh, err := NewPipeline(fsys, opts).BuildMem()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(rep.Warnings), fmt.Sprint(fresh.Warnings); got != want {
			t.Errorf("step %d: warnings\n  %s\nwant a fresh build's\n  %s", i, got, want)
		}
	}
}
