package render

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/corpus"
	"github.com/siteblog/site/internal/expand"
)

func expandSite() fstest.MapFS {
	return fstest.MapFS{
		"site.toml": {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/blog/\"\nunsafe_html = true\n[params]\ncolor = \"blue\"\n")},
		"content/posts/a.md": {Data: []byte(`---
title: A
date: 2024-01-01
---
Press {{< kbd Ctrl >}} now, {{< param color >}} sky, see [B]({{< relref "b.md" >}}) and [C]({{< ref "c" >}}).

` + "```go\nx := 1\n```" + `

{{< highlight python "hl_lines=2" >}}
a = 1
b = 2
{{< /highlight >}}

{{< nosuch >}}

` + "```go\ny := 2\n```" + `

{{< relref "gone.md" >}}
`)},
		"content/posts/b.md":           {Data: []byte("---\ntitle: B\ndate: 2024-02-01\n---\nBeta.\n")},
		"content/posts/c/index.md":     {Data: []byte("---\ntitle: C\ndate: 2024-03-01\n---\nSummary {{< kbd Esc >}}.\n<!--more-->\nRest.\n")},
		"content/posts/d.md":           {Data: []byte("---\ntitle: D\ndate: 2024-04-01\n---\nPlain *text*, no other syntax.\n")},
		"content/posts/g.md":           {Data: []byte("---\ntitle: G\ndate: 2024-06-01\n---\n{{< figure src=\"/g.png\" >}}\n\nThe text after the figure.\n")},
		"content/posts/f.md":           {Data: []byte("---\ntitle: F\ndate: 2024-05-01\n---\n{{% wrap %}}Text {{< kbd X >}} *em*{{% /wrap %}}\n")},
		"layouts/shortcodes/wrap.html": {Data: []byte(`<span class="w">{{ .Inner | markdownify }}</span>`)},
		"content/e.md":                 {Data: []byte("---\ntitle: E\nsummary: Summary {{< kbd S >}} {{< gone >}}\n---\nPage.\n")},
		"layouts/shortcodes/kbd.html":  {Data: []byte(`<kbd>{{ .Get 0 }}</kbd>`)},
	}
}

var idRE = regexp.MustCompile(`<figure class="listing" id="(code-\d+)">\n<figcaption class="listing-lang">(\w+)`)

func TestExpandedPage(t *testing.T) {
	out, stats := build(t, expandSite(), nil)
	a := string(out.Files()["2024/01/a/index.html"])
	for _, want := range []string{
		`<p>Press <kbd>Ctrl</kbd> now, blue sky, see <a href="/blog/2024/02/b/">B</a> and <a href="https://example.org/blog/2024/03/c/">C</a>.</p>`,
		`<span class="line hl" id="code-2-L2">`,
	} {
		if !strings.Contains(a, want) {
			t.Errorf("a.md's page lacks %q:\n%s", want, a)
		}
	}
	var got []string
	for _, m := range idRE.FindAllStringSubmatch(a, -1) {
		got = append(got, m[1]+" "+m[2])
	}
	if want := []string{"code-1 go", "code-2 python", "code-3 go"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("listings %q, want %q in page order", got, want)
	}
	if strings.Contains(a, "nosuch") || strings.Contains(a, "{{") {
		t.Errorf("a.md's page shows a shortcode as text:\n%s", a)
	}
	wantWarnings := []string{
		"content/posts/a.md:16: unknown shortcode {{< nosuch >}}",
		`content/posts/a.md:22: shortcode {{< relref "gone.md" >}}: no page "gone.md" in the site`,
		"content/e.md:3: summary: unknown shortcode {{< gone >}}",
	}
	for _, w := range wantWarnings {
		found := false
		for _, got := range stats.Warnings {
			found = found || strings.HasPrefix(got.String(), w)
		}
		if !found {
			t.Errorf("no warning %q in %q", w, stats.Warnings)
		}
	}
	f := string(out.Files()["2024/05/f/index.html"])
	if !strings.Contains(f, `<span class="w">Text <kbd>X</kbd> <em>em</em></span>`) || strings.ContainsAny(f, "\uE000\uE001\uE002\uE003") {
		t.Errorf("f.md: a placeholder in a markdownified {{%% %%}} inner is not restored:\n%s", f)
	}
	index := string(out.Files()["index.html"])
	if !strings.Contains(index, "Summary <kbd>Esc</kbd>.") {
		t.Errorf("the <!--more--> summary of c is not expanded:\n%s", index)
	}
	if !strings.Contains(index, "Press <kbd>Ctrl</kbd> now") {
		t.Errorf("the first-paragraph summary of a is not expanded:\n%s", index)
	}
	// A paragraph of a figure alone is no summary: the text after it is.
	if !strings.Contains(index, "<p>The text after the figure.</p>") || strings.Contains(index, `src="/g.png"`) {
		t.Errorf("g.md's summary is not the paragraph after its figure:\n%s", index)
	}
}

// TestExpandedFollowsRefs rebuilds with one renderer, as the preview does,
// after the page a ref names moved: the referring page's body changes
// though its file did not.
func TestExpandedFollowsRefs(t *testing.T) {
	fsys := expandSite()
	cfg := mustConfig(t, fsys)
	r, err := New(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	load := func() *content.Site {
		site, err := content.Load(fsys, cfg, content.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return site
	}
	site := load()
	first := NewMemOutput()
	if _, err := r.Build(site, first); err != nil {
		t.Fatal(err)
	}
	keyBefore := &r.prepared // the plain pages are kept, the expanded ones not
	var plain, expanded int
	keyBefore.Range(func(k, _ any) bool {
		if strings.HasSuffix(k.(string), "d.md") || strings.HasSuffix(k.(string), "b.md") {
			plain++
		} else {
			expanded++
		}
		return true
	})
	if plain != 2 || expanded != 0 {
		t.Errorf("prepared pages kept: %d plain, %d expanded; want 2, 0", plain, expanded)
	}

	fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\ndate: 2024-05-01\n---\nBeta.\n")}
	second := NewMemOutput(first)
	if _, err := r.Build(load(), second); err != nil {
		t.Fatal(err)
	}
	a := string(second.Files()["2024/01/a/index.html"])
	if !strings.Contains(a, `<a href="/blog/2024/05/b/">B</a>`) {
		t.Errorf("a.md still links to b's old URL:\n%s", a)
	}
}

func TestBodyKeyCoversExpansion(t *testing.T) {
	r := &Renderer{cfg: &content.Config{}}
	pg := &content.Page{Body: []byte("see {{< relref b >}}")}
	x1 := &expansion{src: []byte("see /b/"), html: nil}
	x2 := &expansion{src: []byte("see /c/")}
	x3 := &expansion{src: []byte("see \uE0000\uE001"), html: []string{"<i>1</i>"}}
	x4 := &expansion{src: []byte("see \uE0000\uE001"), html: []string{"<i>2</i>"}}
	x5 := &expansion{src: x3.src, html: x3.html, listings: []deferredListing{{"a", "go"}}}
	keys := map[Key]string{}
	for name, k := range map[string]Key{
		"plain": r.bodyKey(pg), "x1": r.expandedBodyKey(pg, x1), "x2": r.expandedBodyKey(pg, x2),
		"x3": r.expandedBodyKey(pg, x3), "x4": r.expandedBodyKey(pg, x4), "x5": r.expandedBodyKey(pg, x5),
	} {
		if other, dup := keys[k]; dup {
			t.Errorf("%s and %s have one key", name, other)
		}
		keys[k] = name
	}
}

// loadBuilder loads the site in fsys and returns a builder of it.
func loadBuilder(t *testing.T, fsys fstest.MapFS) *builder {
	t.Helper()
	cfg := mustConfig(t, fsys)
	site, err := content.Load(fsys, cfg, content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &builder{Renderer: r, site: site}
}

func TestPlainPageNotExpanded(t *testing.T) {
	b := loadBuilder(t, expandSite())
	for _, pg := range b.site.Posts {
		x := b.expand(pg)
		if plain := pg.Path == "content/posts/d.md" || pg.Path == "content/posts/b.md"; plain != (x == nil) {
			t.Errorf("%s: expansion %v, want one only for pages with shortcodes", pg.Path, x != nil)
		}
	}
}

func TestPageRefs(t *testing.T) {
	pages := map[string]*content.Page{}
	refs := &pageRefs{paths: map[string]*content.Page{}, names: map[string]*content.Page{}}
	for _, p := range []string{"content/posts/2024-01-02-a.md", "content/posts/b/index.md", "content/about.md", "content/posts/x.md", "content/notes/x.md"} {
		pages[p] = &content.Page{Path: p}
		refs.add(pages[p])
	}
	from := pages["content/posts/b/index.md"]
	tests := []struct{ ref, want string }{
		{"posts/2024-01-02-a.md", "content/posts/2024-01-02-a.md"},
		{"/posts/2024-01-02-a.md", "content/posts/2024-01-02-a.md"},
		{"content/posts/2024-01-02-a.md", "content/posts/2024-01-02-a.md"},
		{"2024-01-02-a", "content/posts/2024-01-02-a.md"},
		{"a", "content/posts/2024-01-02-a.md"},
		{"A.md", ""},
		{"2024-01-02-a.md", "content/posts/2024-01-02-a.md"},
		{"b", "content/posts/b/index.md"},
		{"posts/b", "content/posts/b/index.md"},
		{"/posts/b/", "content/posts/b/index.md"},
		{"../2024-01-02-a.md", "content/posts/2024-01-02-a.md"},
		{"about", "content/about.md"},
		{"x.md", ""}, // two pages: ambiguous
		{"notes/x.md", "content/notes/x.md"},
		{"missing.md", ""},
	}
	for _, tt := range tests {
		got := ""
		if pg := refs.find(from, tt.ref); pg != nil {
			got = pg.Path
		}
		if got != tt.want {
			t.Errorf("find(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

// BenchmarkExpandPlain is what the expansion stage costs a post without
// other engines' syntax; compare BenchmarkRenderPost, the same post's
// Markdown.
func BenchmarkExpandPlain(b *testing.B) {
	fsys := expandSite()
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		b.Fatal(err)
	}
	r, err := New(fsys, cfg)
	if err != nil {
		b.Fatal(err)
	}
	bl := &builder{Renderer: r, site: &content.Site{Config: cfg}}
	pg := &content.Page{Path: "content/posts/x.md", Body: corpus.Post(1)}
	b.SetBytes(int64(len(pg.Body)))
	for b.Loop() {
		if bl.expand(pg) != nil {
			b.Fatal("a plain post was expanded")
		}
	}
}

// TestShortcodeForLiquid runs a user shortcode template for a call made
// elsewhere, as a Liquid tag of the same name does.
func TestShortcodeForLiquid(t *testing.T) {
	fsys := expandSite()
	fsys["layouts/shortcodes/photo.html"] = &fstest.MapFile{Data: []byte(`<figure class="photo"><img src="{{ .Get "src" }}" alt="{{ .Get 0 }}">{{ with .Inner }}<figcaption>{{ . | markdownify }}</figcaption>{{ end }}</figure>`)}
	b := loadBuilder(t, fsys)
	env := &pageEnv{b: b, pg: b.site.Posts[0], doc: &expand.Doc{}, x: &expansion{}}
	got, ok, err := env.Shortcode("photo", expand.Call{Name: "photo", Positional: []string{"A cat"}, Named: map[string]string{"src": "/cat.jpg"}, Inner: "A *cat*", HasInner: true, Line: 3})
	want := `<figure class="photo"><img src="/cat.jpg" alt="A cat"><figcaption>A <em>cat</em></figcaption></figure>`
	if err != nil || !ok || got != want {
		t.Errorf("photo = %q, %v, %v; want %q", got, ok, err, want)
	}
	if _, ok, _ := env.Shortcode("nosuch", expand.Call{Name: "nosuch"}); ok {
		t.Error("a shortcode without a template was found")
	}
}

// failingFS fails to read one file, as an unreadable file on disk does.
type failingFS struct {
	fstest.MapFS
	name string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.Open(name)
}

func (f failingFS) ReadFile(name string) ([]byte, error) {
	if name == f.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.ReadFile(name)
}

// TestShortcodeDirUnreadable checks that a shortcode template that cannot
// be read fails the build, rather than making every use of it an unknown
// shortcode.
func TestShortcodeDirUnreadable(t *testing.T) {
	fsys := expandSite()
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	site, err := content.Load(fsys, cfg, content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(failingFS{fsys, "layouts/shortcodes/kbd.html"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Build(site, NewMemOutput(nil))
	if err == nil || !strings.Contains(err.Error(), "shortcode templates") || !strings.Contains(err.Error(), "layouts/shortcodes/kbd.html") {
		t.Errorf("err = %v, want one naming layouts/shortcodes/kbd.html", err)
	}
}
