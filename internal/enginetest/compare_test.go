package enginetest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/testenv"
	"golang.org/x/net/html"
)

// An engine's probe output and a site build in miniature: the reader finds
// the posts, their fields and bodies, and Compare names each difference.
func TestReadAndCompare(t *testing.T) {
	engine, site := t.TempDir(), t.TempDir()
	testenv.WriteFiles(t, engine, map[string]string{
		"2024/05/a/index.html": `<article class="h-entry" data-source="a.md">
<h1 class="p-name">A &amp; B</h1><time class="dt-published" datetime="2024-05-01T23:00:00-05:00"></time>
<span class="p-author">Ann, Bob</span><a class="p-category" rel="tag">C++</a><a class="p-category" rel="tag">C</a>
<div class="e-content"><div class="highlight"><table><tr><td><pre>1
2</pre></td><td><pre><span class="k">func</span></pre></td></tr></table></div>
<details><summary>x</summary></details><img src="/i/cat.png"><a href="https://example.org/2024/05/b.html">b</a> <a href="#fn">fn</a></div></article>`,
		"2024/05/b.html": `<article class="h-entry" data-source="b.md"><h1 class="p-name">B</h1>
<time class="dt-published" datetime="2024-05-02"></time><span class="p-author">Owner</span><div class="e-content"><pre>plain</pre></div></article>`,
		"old/a/index.html": `<meta http-equiv="refresh" content="0; url=https://example.org/2024/05/a/">`,
		"i/cat.png":        "png",
	})
	testenv.WriteFiles(t, site, map[string]string{
		"2024/05/a/index.html": `<body class="kind-post"><article class="post h-entry">
<h1 class="post-title p-name">A &amp; B</h1><p><time class="dt-published" datetime="2024-05-02T04:00:00Z">2 May 2024</time></p>
<p>By <span class="p-author">Ann</span></p><ul class="tags"><li><a class="tag" href="/tags/c/" rel="tag">C</a></li><li><a class="tag" href="/tags/c/" rel="tag">C++</a></li></ul>
<div class="content e-content"><figure class="listing"><figcaption>go</figcaption><pre class="chroma"><code>func</code></pre></figure>
<details><summary>x</summary></details><img src="cat.png"><a href="/2024/05/b/">b</a>
<p>{{< youtube x >}} and <code>{{ kept }}</code></p></div></article></body>`,
		"2024/05/b/index.html": `<body class="kind-post"><article class="post h-entry"><h1 class="p-name">B</h1>
<time class="dt-published" datetime="2024-05-02T00:00:00Z"></time><div class="e-content"><pre><code>plain</code></pre></div></article></body>`,
		"2024/05/c/index.html": `<body class="kind-post"><article class="post h-entry"><h1 class="p-name">C</h1></article></body>`,
		"tags/index.html":      `<body class="kind-tags"><article class="summary h-entry"><h1 class="p-name">A</h1></article></body>`,
	})
	bases := []string{"https://example.org/"}
	want, err := ReadOutput(engine, ReadOptions{Side: Engine, BaseURLs: bases, SiteAuthor: "Owner"})
	if err != nil {
		t.Fatal(err)
	}
	want.resolveLinks()
	if len(want.Posts) != 2 {
		t.Fatalf("engine posts = %d, want 2", len(want.Posts))
	}
	a := want.Posts[0]
	wantA := &Post{Source: "a.md", URL: "/2024/05/a/", Day: "2024-05-01", Title: "A & B", Authors: []string{"Ann", "Bob"}, Tags: []string{"C", "C++"},
		Code: 1, Listings: 1, Elements: map[string]int{"details": 1, "summary": 1}, Images: []string{"cat.png"},
		Links: []string{"b.md"}, Aliases: []string{"/old/a/"}}
	a.links, a.imgs, a.broken = nil, nil, nil
	if !reflect.DeepEqual(a, wantA) {
		t.Errorf("engine post a:\n got %+v\nwant %+v", a, wantA)
	}
	if b := want.Posts[1]; b.URL != "/2024/05/b.html" || len(b.Authors) != 0 || b.Code != 1 || b.Listings != 0 {
		t.Errorf("engine post b: %+v (the site's author alone is no author; a plain <pre> is code, not highlighted)", b)
	}

	got, err := ReadOutput(site, ReadOptions{Side: Site, BaseURLs: bases, SiteAuthor: "Owner"})
	if err != nil {
		t.Fatal(err)
	}
	r := Compare(want.Posts, got)
	if r.Posts != 2 || r.Match != 0 {
		t.Errorf("Posts, Match = %d, %d; want 2, 0", r.Posts, r.Match)
	}
	diffs := strings.Join(r.Diffs, "\n")
	for _, s := range []string{
		`a.md (/2024/05/a/): day: want "2024-05-01", got "2024-05-02"`,
		`authors: want ["Ann" "Bob"], got ["Ann"]`,
		`listings: want 1 (1 highlighted), got 1 (0 highlighted)`,
		`aliases: want ["/old/a/"], got []`,
		`syntax: want 0, got 1`,
		`tags: want ["C" "C++"], got ["C" "C++"]; C, C++ share /tags/c/`,
		`resolves: want [], got ["image /2024/05/a/cat.png"]`,
		`b.md (/2024/05/b.html): url: want "/2024/05/b.html", got "/2024/05/b/"`,
		`site published a post the original has not: /2024/05/c/ "C"`,
	} {
		if !strings.Contains(diffs, s) {
			t.Errorf("diffs lack %q:\n%s", s, diffs)
		}
	}
	// Links are compared by the post they reach, whatever its URL.
	if strings.Contains(diffs, "links:") {
		t.Errorf("links differ, though both reach b.md:\n%s", diffs)
	}
}

// TestHighlighted checks what counts as a highlighted listing: a token
// with a class or a colour, not a line's wrapper nor white space.
func TestHighlighted(t *testing.T) {
	for src, want := range map[string]bool{
		`<pre><span class="nb">echo</span> hi</pre>`:                             true,
		`<pre><span style="color:#f00">x</span></pre>`:                           true,
		`<pre><span class="line"><span class="cl">plain</span></span></pre>`:     false,
		`<pre>git<span class="w"> </span>rebase<span class="w"> </span>-i</pre>`: false,
		`<pre>plain</pre>`: false,
	} {
		doc, err := html.Parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		pre := find(doc, func(n *html.Node) bool { return n.Data == "pre" })
		if got := highlighted(pre); got != want {
			t.Errorf("highlighted(%s) = %v, want %v", src, got, want)
		}
	}
}
