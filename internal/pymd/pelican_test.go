package pymd_test

import (
	"bytes"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/expand/expandtest"
	"github.com/siteblog/site/internal/pymd"
	"github.com/siteblog/site/internal/testenv"
	"github.com/siteblog/site/render"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// TestPelican builds testdata/pelican with Pelican (Debian's pelican,
// Python-Markdown with codehilite and toc) and the same posts moved into
// content/posts/ here, and compares the table of contents, the listings
// and the links of the post.
func TestPelican(t *testing.T) {
	pelican := testenv.Pelican(t)
	dir := t.TempDir()
	files := map[string]string{}
	err := filepath.WalkDir("testdata/pelican", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel("testdata/pelican", p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	testenv.WriteFiles(t, dir, files)
	cmd := exec.Command(pelican, "content", "-o", "output", "-s", "pelicanconf.py")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pelican: %v\n%s", err, out)
	}
	page, err := os.ReadFile(filepath.Join(dir, "output", "alpha.html"))
	if err != nil {
		t.Fatal(err)
	}
	theirs := parseHTML(t, page)

	// The same blog moved into content/posts/, its images kept in content/.
	site := map[string]string{
		"content/posts/a.md":   files["content/a.md"],
		"content/posts/b.md":   files["content/b.md"],
		"content/images/x.png": files["content/images/x.png"],
	}
	env := expandtest.LoadSite(t, site, "content/posts/a.md")
	doc := &expand.Doc{Src: append([]byte(nil), env.Pg.Body...)}
	pymd.Expand(doc, env)
	md := render.NewMarkdown(&render.Listings{LineNumbers: false}, "pass")
	r, err := md.Render(&content.Page{Path: "content/posts/a.md", Body: doc.Src})
	if err != nil {
		t.Fatal(err)
	}
	ours := parseHTML(t, expand.Restore(r.Content, doc.HTML))

	// Table of contents: the same tree of names; ours link to our IDs.
	if got, want := tocTree(find(ours, "div", "toc")), tocTree(find(theirs, "div", "toc")); got != want {
		t.Errorf("table of contents:\n%s\nPelican's:\n%s", got, want)
	}
	for _, a := range findAll(find(ours, "div", "toc"), "a", "") {
		id := strings.TrimPrefix(attr(a, "href"), "#")
		h := byID(ours, id)
		if h == nil || textOf(h) != textOf(a) {
			t.Errorf("TOC entry %q links to #%s, which is not that heading", textOf(a), id)
		}
	}

	// Listings: the same code, line numbers where Pelican shows them, the
	// same highlighted lines.
	type listing struct {
		Code    string
		Numbers bool
		HL      string
	}
	var want []listing
	for _, div := range findAll(theirs, "div", "highlight") {
		code := find(div, "td", "code")
		if code == nil {
			code = div
		}
		var hl []string
		for _, s := range findAll(code, "span", "hll") {
			hl = append(hl, strings.TrimSpace(textOf(s)))
		}
		want = append(want, listing{textOf(code), find(div, "td", "linenos") != nil, strings.Join(hl, "|")})
	}
	// Pelican also highlights the indented listing without a header
	// (guessing its language); the comparison is of code and numbers.
	var got []listing
	root := goldmarkParse(doc.Src)
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Kind() == ast.KindFencedCodeBlock || n.Kind() == ast.KindCodeBlock {
			var code bytes.Buffer
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				code.Write(s.Value(doc.Src))
			}
			info := render.Info{}
			if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
				info = render.ParseInfo(f.Info.Segment.Value(doc.Src))
			}
			lines := strings.SplitAfter(code.String(), "\n")
			var hl []string
			for _, r := range info.Highlight {
				for l := r[0]; l <= r[1] && l <= len(lines); l++ {
					hl = append(hl, strings.TrimSpace(lines[l-1]))
				}
			}
			got = append(got, listing{code.String(), info.LineNumbers != nil && *info.LineNumbers, strings.Join(hl, "|")})
		}
		return ast.WalkContinue, nil
	})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("listings:\n%+v\nPelican's:\n%+v", got, want)
	}

	// Links: each resolved where Pelican resolved it, to the same page or
	// file; what Pelican could not find stays as written in both.
	beta := env.Site().Posts[1].URL
	if env.Site().Posts[1].Path != "content/posts/b.md" {
		t.Fatalf("posts: %v", env.Site().Posts)
	}
	pelicanURLs := map[string]string{"/beta.html": beta, "/images/x.png": "/images/x.png"}
	var theirLinks, ourLinks []string
	for _, p := range paragraphs(theirs) {
		for _, l := range links(p) {
			base, frag, _ := strings.Cut(l, "#")
			if u, ok := pelicanURLs[base]; ok {
				l = u
				if frag != "" {
					l += "#" + frag
				}
			}
			theirLinks = append(theirLinks, l)
		}
	}
	for _, p := range paragraphs(ours) {
		for _, l := range links(p) {
			// goldmark percent-encodes the braces of the link left as written
			if u, err := url.PathUnescape(l); err == nil {
				l = u
			}
			ourLinks = append(ourLinks, l)
		}
	}
	if !reflect.DeepEqual(ourLinks, theirLinks) {
		t.Errorf("links:\n%q\nPelican's (mapped to our URLs):\n%q", ourLinks, theirLinks)
	}
	if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0].Msg, "nothere.md") {
		t.Errorf("warnings = %v, want one for nothere.md", doc.Warnings)
	}
}

func goldmarkParse(src []byte) ast.Node {
	return goldmark.New().Parser().Parse(text.NewReader(src))
}
