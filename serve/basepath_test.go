package serve

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/render"
)

// basePathSite is testSite published at https://example.org/blog/, with an
// alias and a page whose own path starts with the base path's name.
func basePathSite(t *testing.T) map[string]string {
	files := testSite(t)
	files["site.toml"] = strings.Replace(files["site.toml"], `"https://blog.example.org/"`, `"https://example.org/blog/"`, 1)
	files["content/posts/moved.md"] = "---\ntitle: Moved\ndate: 2024-06-01\naliases: [/old/moved/]\n---\n\nA post that moved.\n"
	files["content/blog.md"] = "---\ntitle: Blog\n---\n\nA page named blog.\n"
	return files
}

// checkBasePath checks a server of basePathSite at url: the site is
// served under /blog/, the root leads there, and every redirect stays
// under it.
func checkBasePath(t *testing.T, url string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		path     string
		status   int
		location string // for redirects
		body     string // for pages
	}{
		{"/", http.StatusFound, "/blog/", ""},
		{"/blog", http.StatusMovedPermanently, "/blog/", ""},
		{"/blog?q=1", http.StatusMovedPermanently, "/blog/?q=1", ""},
		{"/blog/", http.StatusOK, "", `<a class="site-title" href="/blog/">`},
		{"/blog/2024/02/post-number-2/", http.StatusOK, "", "The body of post 2."},
		{"/blog/2024/02/post-number-2", http.StatusMovedPermanently, "/blog/2024/02/post-number-2/", ""},
		{"/blog/2024/02/./post-number-2/", http.StatusMovedPermanently, "/blog/2024/02/post-number-2/", ""},
		{"/blog/blog/", http.StatusOK, "", "A page named blog."},
		{"/blog/blog", http.StatusMovedPermanently, "/blog/blog/", ""},
		{"/blog/old/moved/", http.StatusMovedPermanently, "/blog/2024/06/moved/", ""},
		{"/blog/old/moved", http.StatusMovedPermanently, "/blog/2024/06/moved/", ""},
		{"/blog/archive/", http.StatusOK, "", `href="/blog/2024/06/moved/"`},
		{"/blog/feed.xml", http.StatusOK, "", "https://example.org/blog/2024/06/moved/"},
		{"/2024/02/post-number-2/", http.StatusNotFound, "", ""},
		{"/blogx/", http.StatusNotFound, "", ""},
		{"/old/moved/", http.StatusNotFound, "", ""},
		{"/blog/nothing/", http.StatusNotFound, "", `href="/blog/archive/"`},
	} {
		resp, err := client.Get(url + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != c.status || resp.Header.Get("Location") != c.location {
			t.Errorf("GET %s: %d → %q, want %d → %q", c.path, resp.StatusCode, resp.Header.Get("Location"), c.status, c.location)
		}
		if !strings.Contains(string(body), c.body) {
			t.Errorf("GET %s: the body has no %q", c.path, c.body)
		}
	}
}

// A site published under a path of its host is previewed under it too.
func TestPreviewBasePath(t *testing.T) {
	e := startPreview(t, basePathSite(t))
	e.waitServed("first build")
	checkBasePath(t, e.url)
}

// The production server serves a site under its base URL's path.
func TestProductionBasePath(t *testing.T) {
	fsys := fstest.MapFS{}
	for name, data := range basePathSite(t) {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	out, err := render.BuildInMemory(fsys, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := content.ParseConfig(fsys["site.toml"].Data, "")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Files: out.Files(), Redirects: out.Redirects, TLSPage: out.TLSPage, BasePath: cfg.BasePath()})
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)
	checkBasePath(t, "http://"+r.httpAddr)
}
