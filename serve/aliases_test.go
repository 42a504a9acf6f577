package serve

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/render"
)

// aliasSite is a site whose post has aliases of every form: a directory,
// a .html file, one without a slash (written as a directory).
func aliasSite(baseURL string) map[string]string {
	return map[string]string{
		"site.toml":             "title = \"Aliases\"\nbase_url = \"" + baseURL + "\"\n",
		"content/posts/post.md": "---\ntitle: Post\ndate: 2024-01-02\naliases: [/old/, /older.html, /2019/x]\n---\nThe post.\n",
		"content/about.md":      "---\ntitle: About\n---\nAbout.\n",
	}
}

// aliasRequests are the requests for an alias of aliasSite's post, each
// at every URL its redirect page is served at.
var aliasRequests = []string{"/old/", "/old", "/old/index.html", "/older.html", "/older", "/2019/x/", "/2019/x", "/2019/x/index.html", "/old/?a=b"}

// checkMoved requests every alias of aliasSite, with GET and HEAD, and
// checks 301 with Location the post's URL (and the query kept); the post
// and the about page stay 200.
func checkMoved(t *testing.T, c *http.Client, origin, base string) {
	t.Helper()
	post := base + "/2024/01/post/"
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		for _, p := range aliasRequests {
			req, _ := http.NewRequest(method, origin+base+p, nil)
			res, err := c.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", method, p, err)
			}
			res.Body.Close()
			want := post
			if _, q, ok := strings.Cut(p, "?"); ok {
				want += "?" + q
			}
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
				t.Errorf("%s %s: %d → %q, want 301 → %q", method, base+p, res.StatusCode, res.Header.Get("Location"), want)
			}
		}
		for _, p := range []string{post, base + "/about/"} {
			req, _ := http.NewRequest(method, origin+p, nil)
			res, err := c.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", method, p, err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s %s: %d, want 200", method, p, res.StatusCode)
			}
		}
	}
}

// TestProductionAliasesMoved serves aliasSite over HTTPS, with a test
// certificate, and over plain HTTP.
func TestProductionAliasesMoved(t *testing.T) {
	fsys := fstest.MapFS{}
	for name, data := range aliasSite("https://blog.test/") {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	out, err := render.BuildInMemory(fsys, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Redirects) == 0 {
		t.Fatal("the build lists no redirect pages")
	}
	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	src := &switchable{}
	src.set(pki.TLS())
	srv, err := New(Config{Files: out.Files(), Redirects: out.Redirects, GetCertificate: src.get})
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)
	checkMoved(t, client(r.httpsAddr, "blog.test", pki.Pool(), nil), "https://blog.test", "")

	plain, err := New(Config{Files: out.Files(), Redirects: out.Redirects})
	if err != nil {
		t.Fatal(err)
	}
	p := start(t, plain)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	checkMoved(t, noFollow, "http://"+p.httpAddr, "")

	// Without the map, the redirect page is served, as a static host does.
	pages, err := New(Config{Files: out.Files()})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	pages.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/old/", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `url=/2024/01/post/`) {
		t.Errorf("/old/ without redirects: %d\n%s", rec.Code, rec.Body)
	}
}

// TestPreviewAliasesMoved previews aliasSite at the root and under a base
// URL's path: the Location stays on the preview's host.
func TestPreviewAliasesMoved(t *testing.T) {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range []struct{ baseURL, base string }{
		{"https://example.org/", ""},
		{"https://example.org/blog/", "/blog"},
	} {
		t.Run(tt.baseURL, func(t *testing.T) {
			e := startPreview(t, aliasSite(tt.baseURL))
			e.waitServed("first build")
			checkMoved(t, noFollow, e.url, tt.base)
			// An edit that moves the post moves where its aliases lead.
			e.edit("content/posts/post.md", "date: 2024-01-02", "date: 2024-03-02")
			e.waitServed("the post's new date")
			res, err := noFollow.Get(e.url + tt.base + "/old/")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if want := tt.base + "/2024/03/post/"; res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
				t.Errorf("after the edit, /old/: %d → %q, want 301 → %q", res.StatusCode, res.Header.Get("Location"), want)
			}
		})
	}
}

// TestFilesRedirects checks Files' answers for redirect pages, and that a
// new site with other targets (or none) replaces them.
func TestFilesRedirects(t *testing.T) {
	files := map[string][]byte{
		"index.html":     []byte("home"),
		"new/index.html": []byte("new"),
		"old/index.html": []byte("a redirect page"),
		"was.html":       []byte("another"),
		"404.html":       []byte("not found"),
	}
	f := &Files{}
	do := func(p string) (int, string) {
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		return rec.Code, rec.Header().Get("Location")
	}
	tests := []struct {
		redirects map[string]string
		want      map[string]string // path → "301 LOCATION" or "200"
	}{
		{map[string]string{"old/index.html": "/new/", "was.html": "https://elsewhere.example/a?b=1"}, map[string]string{
			"/old/": "301 /new/", "/old": "301 /new/", "/old/index.html": "301 /new/", "/old/?x=1": "301 /new/?x=1",
			"/old//": "301 /new/", "/was.html": "301 https://elsewhere.example/a?b=1", "/was?x=1": "301 https://elsewhere.example/a?b=1",
			"/new/": "200", "/new": "301 /new/", "/": "200",
		}},
		{map[string]string{"old/index.html": "/"}, map[string]string{"/old/": "301 /", "/old": "301 /", "/was": "200"}},
		{map[string]string{"old/index.html": "/new/#part", "was.html": "/new/?a=1#part"}, map[string]string{
			"/old/?x=1": "301 /new/?x=1#part", "/old/": "301 /new/#part", "/was?x=1": "301 /new/?a=1#part",
		}},
		{nil, map[string]string{"/old/": "200", "/old": "301 /old/", "/was.html": "200"}},
	}
	for _, tt := range tests {
		f.SetSiteRedirects(files, tt.redirects)
		for p, want := range tt.want {
			code, loc := do(p)
			got := "200"
			if code != http.StatusOK {
				got = strconv.Itoa(code) + " " + loc
			}
			if got != want {
				t.Errorf("redirects %v: %s answers %q, want %q", tt.redirects, p, got, want)
			}
		}
	}
}
