package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// siteHost is the host of the base URL of every site the tests build.
const siteHost = "example.org"

// runSite runs the command line in-process and returns its exit code and
// output.
func runSite(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// buildOK runs `site build` with args and fails the test unless it
// succeeds.
func buildOK(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := runSite(t, append([]string{"build"}, args...)...)
	if code != 0 {
		t.Fatalf("site build %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout, stderr
}

// readTree returns every regular file below dir by slash-separated path
// relative to dir. Symbolic links are reported as errors: a built site
// holds none.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			t.Errorf("%s: not a regular file (%v)", rel, d.Type())
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	return files
}

// treeHash digests the names, kinds, permissions and contents of everything
// below dir (dir itself included), so that any change shows.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		h.Write([]byte(filepath.ToSlash(rel) + "\x00" + info.Mode().String() + "\x00"))
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			h.Write([]byte(target))
		case info.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			h.Write(sum[:])
		}
		h.Write([]byte{0})
		return nil
	})
	if err != nil {
		t.Fatalf("hashing %s: %v", dir, err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// copySite copies the sources of the site in src to dst: everything but
// what builds write there (public/ and top-level dot-directories such as a
// cache).
func copySite(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() && (rel == "public" || (rel == filepath.Base(rel) && rel != "." && strings.HasPrefix(rel, "."))) {
			return filepath.SkipDir
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatalf("copying %s: %v", src, err)
	}
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// fileOfPath maps a URL path of the site ("/a/", "/404.html") to the
// output file that serves it ("a/index.html", "404.html").
func fileOfPath(p string) string {
	p = strings.TrimPrefix(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

// pageURL is the absolute URL an output file is served at: "a/index.html"
// is https://example.org/a/.
func pageURL(file string) *url.URL {
	p := "/" + file
	if path.Base(p) == "index.html" {
		p = strings.TrimSuffix(p, "index.html")
	}
	return &url.URL{Scheme: "https", Host: siteHost, Path: p}
}

// internalTarget tells whether ref (an attribute value of the page at base)
// points into the site, and if so returns the resolved URL.
func internalTarget(base *url.URL, ref string) (*url.URL, bool, error) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return nil, false, err
	}
	switch {
	case u.Scheme == "" && u.Host == "":
	case (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "") && u.Host == siteHost:
	default:
		return nil, false, nil // another host, mailto:, data: …
	}
	return base.ResolveReference(u), true, nil
}

// parseHTML parses a page.
func parseHTML(t *testing.T, name string, data []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

// walkNodes calls fn for n and every node below it, in document order.
func walkNodes(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkNodes(c, fn)
	}
}

// findAll returns the elements below n (n included) for which match is true.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var found []*html.Node
	walkNodes(n, func(c *html.Node) {
		if c.Type == html.ElementNode && match(c) {
			found = append(found, c)
		}
	})
	return found
}

// elems returns the elements named tag below n that have every class in
// classes.
func elems(n *html.Node, tag string, classes ...string) []*html.Node {
	return findAll(n, func(c *html.Node) bool {
		if c.Data != tag {
			return false
		}
		for _, cl := range classes {
			if !hasClass(c, cl) {
				return false
			}
		}
		return true
	})
}

// first returns the first element named tag with classes below n, or fails.
func first(t *testing.T, what string, n *html.Node, tag string, classes ...string) *html.Node {
	t.Helper()
	found := elems(n, tag, classes...)
	if len(found) == 0 {
		t.Fatalf("%s: no <%s> with classes %v", what, tag, classes)
	}
	return found[0]
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

// textOf is the text content of n.
func textOf(n *html.Node) string {
	var b strings.Builder
	walkNodes(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

// elementByID returns the element of doc with the id, or nil.
func elementByID(doc *html.Node, id string) *html.Node {
	found := findAll(doc, func(c *html.Node) bool { v, ok := attr(c, "id"); return ok && v == id })
	if len(found) == 0 {
		return nil
	}
	return found[0]
}

// A reference is one URL in a page: an attribute that names another
// resource or page.
type reference struct {
	tag, attr, value string
}

// urlAttrs are the attributes holding one URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "poster": true, "action": true, "data": true, "cite": true, "formaction": true}

// references returns every URL in the attributes of doc's elements: href,
// src and the like, each URL of a srcset, and the target of a
// <meta http-equiv="refresh">.
func references(doc *html.Node) []reference {
	var refs []reference
	walkNodes(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		for _, a := range n.Attr {
			switch {
			case urlAttrs[a.Key]:
				refs = append(refs, reference{n.Data, a.Key, a.Val})
			case a.Key == "srcset":
				for _, candidate := range strings.Split(a.Val, ",") {
					if f := strings.Fields(candidate); len(f) > 0 {
						refs = append(refs, reference{n.Data, a.Key, f[0]})
					}
				}
			}
		}
		if n.Data == "meta" {
			if eq, _ := attr(n, "http-equiv"); strings.EqualFold(eq, "refresh") {
				content, _ := attr(n, "content")
				if _, target, ok := strings.Cut(content, "url="); ok {
					refs = append(refs, reference{n.Data, "content", strings.Trim(target, `'" `)})
				}
			}
		}
	})
	return refs
}
