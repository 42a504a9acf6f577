package serve

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/layered"
	"github.com/siteblog/site/render"
)

func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestFilesPaths(t *testing.T) {
	site := buildSite(t)
	f := NewFiles(site)
	var css string
	for name := range site {
		if strings.HasPrefix(name, "assets/style.") {
			css = "/" + name
		}
	}
	for _, tc := range []struct {
		path     string
		status   int
		file     string // expected body, from the site
		location string
	}{
		{"/", 200, "index.html", ""},
		{"/index.html", 200, "index.html", ""},
		{longPost, 200, strings.TrimPrefix(longPost, "/") + "index.html", ""},
		{"/about/", 200, "about/index.html", ""},
		{"/about", 301, "", "/about/"},
		{"/about?x=1", 301, "", "/about/?x=1"},
		{"/tags/go", 301, "", "/tags/go/"},
		{"/about//", 301, "", "/about/"},
		{"/tags/../about/", 301, "", "/about/"},
		{"/feed.xml", 200, "feed.xml", ""},
		{"/images/pixel.txt", 200, "images/pixel.txt", ""},
		{css, 200, strings.TrimPrefix(css, "/"), ""},
		{"/no/such/page/", 404, "404.html", ""},
		{"/../../etc/passwd", 404, "404.html", ""},
		{"/about/index", 404, "404.html", ""},
	} {
		w := do(f, "GET", tc.path)
		if w.Code != tc.status {
			t.Errorf("GET %s: status %d, want %d", tc.path, w.Code, tc.status)
			continue
		}
		if tc.file != "" && !bytes.Equal(w.Body.Bytes(), site[tc.file]) {
			t.Errorf("GET %s: body is not %s", tc.path, tc.file)
		}
		if got := w.Header().Get("Location"); got != tc.location {
			t.Errorf("GET %s: Location %q, want %q", tc.path, got, tc.location)
		}
	}
	if w := do(f, "GET", "/nowhere"); !strings.Contains(w.Body.String(), "Page not found") ||
		w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("404 page: %s %q", w.Header(), w.Body)
	}
	// A site without 404.html still answers 404.
	if w := do(NewFiles(map[string][]byte{"index.html": []byte("hi")}), "GET", "/x"); w.Code != 404 || !strings.Contains(w.Body.String(), "not found") {
		t.Errorf("bare 404: %d %q", w.Code, w.Body)
	}
	if data, ok := f.Lookup("/about/"); !ok || !bytes.Equal(data, site["about/index.html"]) {
		t.Error("Lookup(/about/) does not find about/index.html")
	}
	for _, p := range []string{"/about", "/nowhere"} {
		if _, ok := f.Lookup(p); ok {
			t.Errorf("Lookup(%s) found a file", p)
		}
	}
	if got := f.Site(); len(got) != len(site) || !bytes.Equal(got["index.html"], site["index.html"]) {
		t.Errorf("Site() has %d files, want %d", len(got), len(site))
	}
	if w := do(f, "POST", "/"); w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
}

func TestFilesHeaders(t *testing.T) {
	site := buildSite(t)
	f := NewFiles(site)
	var css string
	for name := range site {
		if strings.HasPrefix(name, "assets/style.") {
			css = "/" + name
		}
	}
	for _, tc := range []struct{ path, ctype, cache string }{
		{"/", "text/html; charset=utf-8", "private, no-cache"},
		{css, "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/feed.xml", "application/atom+xml; charset=utf-8", "public, max-age=300"},
		{"/rss.xml", "application/rss+xml; charset=utf-8", "public, max-age=300"},
		{"/feed.json", "application/feed+json; charset=utf-8", "public, max-age=300"},
		{"/sitemap.xml", "application/xml; charset=utf-8", "public, max-age=300"},
		{"/robots.txt", "text/plain; charset=utf-8", "public, max-age=300"},
	} {
		w := do(f, "GET", tc.path)
		if w.Code != 200 || w.Header().Get("Content-Type") != tc.ctype || w.Header().Get("Cache-Control") != tc.cache {
			t.Errorf("GET %s: %d, Content-Type %q, Cache-Control %q; want %q, %q", tc.path, w.Code,
				w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"), tc.ctype, tc.cache)
		}
		if w.Header().Get("Content-Length") != itoa(w.Body.Len()) {
			t.Errorf("GET %s: Content-Length %q for %d bytes", tc.path, w.Header().Get("Content-Length"), w.Body.Len())
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestFilesETag(t *testing.T) {
	f := NewFiles(buildSite(t))
	w := do(f, "GET", longPost)
	etag := w.Header().Get("ETag")
	if len(etag) < 10 || etag[0] != '"' || strings.HasPrefix(etag, "W/") {
		t.Fatalf("ETag %q is not a strong tag", etag)
	}
	if again := do(f, "GET", longPost).Header().Get("ETag"); again != etag {
		t.Errorf("ETag changed between requests: %q, %q", etag, again)
	}
	if other := do(f, "GET", "/about/").Header().Get("ETag"); other == etag {
		t.Error("two pages share an ETag")
	}
	for _, inm := range []string{etag, `"x", ` + etag, "W/" + etag, "*"} {
		w := do(f, "GET", longPost, "If-None-Match", inm)
		if w.Code != 304 || w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d, %d bytes", inm, w.Code, w.Body.Len())
		}
	}
	if w := do(f, "GET", longPost, "If-None-Match", `"other"`); w.Code != 200 {
		t.Errorf("If-None-Match other: %d", w.Code)
	}
	// A 404 is never "not modified".
	if w := do(f, "GET", "/nowhere", "If-None-Match", "*"); w.Code != 404 {
		t.Errorf("404 with If-None-Match: %d", w.Code)
	}
}

func TestFilesGzip(t *testing.T) {
	site := buildSite(t)
	f := NewFiles(site)
	page := strings.TrimPrefix(longPost, "/") + "index.html"
	for _, ae := range []string{"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*", "GZIP"} {
		w := do(f, "GET", longPost, "Accept-Encoding", ae)
		if w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, Vary %q", ae, w.Header().Get("Content-Encoding"), w.Header().Get("Vary"))
			continue
		}
		if w.Header().Get("Content-Length") != itoa(w.Body.Len()) || w.Body.Len() >= len(site[page]) {
			t.Errorf("gzip Content-Length %q for %d bytes (page %d)", w.Header().Get("Content-Length"), w.Body.Len(), len(site[page]))
		}
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(plain, site[page]) {
			t.Errorf("Accept-Encoding %q: the gzip body is not the page (%v)", ae, err)
		}
		if w.Header().Get("ETag") == do(f, "GET", longPost).Header().Get("ETag") {
			t.Error("the gzip and identity bodies share an ETag")
		}
	}
	for _, ae := range []string{"", "br", "gzip;q=0", "identity", "*, gzip;q=0"} {
		w := do(f, "GET", longPost, "Accept-Encoding", ae)
		if w.Header().Get("Content-Encoding") != "" || !bytes.Equal(w.Body.Bytes(), site[page]) {
			t.Errorf("Accept-Encoding %q: got Content-Encoding %q", ae, w.Header().Get("Content-Encoding"))
		}
	}
	// Tiny files are not worth compressing.
	if w := do(f, "GET", "/images/pixel.txt", "Accept-Encoding", "gzip"); w.Header().Get("Content-Encoding") != "" {
		t.Error("a 14-byte file was compressed")
	}
	// The compressed copy is made once and reused.
	w1 := do(f, "GET", longPost, "Accept-Encoding", "gzip")
	fl, _ := f.site.Load().find(longPost)
	if gz := fl.plain.gzip(); &gz[0] != &fl.plain.gzip()[0] || !bytes.Equal(gz, w1.Body.Bytes()) {
		t.Error("the gzip copy is not cached")
	}
}

func TestFilesHEAD(t *testing.T) {
	f := NewFiles(buildSite(t))
	for _, p := range []string{longPost, "/nowhere"} {
		g, h := do(f, "GET", p), do(f, "HEAD", p)
		if h.Code != g.Code || h.Body.Len() != 0 {
			t.Errorf("HEAD %s: %d with %d bytes; GET %d", p, h.Code, h.Body.Len(), g.Code)
		}
		for _, k := range []string{"Content-Type", "Content-Length", "ETag", "Cache-Control"} {
			if h.Header().Get(k) != g.Header().Get(k) {
				t.Errorf("HEAD %s: %s %q, GET has %q", p, k, h.Header().Get(k), g.Header().Get(k))
			}
		}
	}
}

func TestFilesBadgeAndSetSite(t *testing.T) {
	site := buildSite(t)
	a, b := NewBadge([]byte(`<a class="tls-badge">A</a>`)), NewBadge([]byte(`<a class="tls-badge">B</a>`))
	var which *Badge = a
	var mu sync.Mutex
	f := NewFiles(site)
	f.Badge = func(*http.Request) *Badge { mu.Lock(); defer mu.Unlock(); return which }

	w := do(f, "GET", longPost)
	if got := badgeOf(t, w.Body.Bytes()); got != string(a.HTML()) {
		t.Fatalf("badge = %q", got)
	}
	built := site[strings.TrimPrefix(longPost, "/")+"index.html"]
	if want, _ := badge.Replace(built, a.HTML()); !bytes.Equal(w.Body.Bytes(), want) {
		t.Error("the page with badge A differs from the built page with its badge replaced")
	}
	etagA := w.Header().Get("ETag")
	mu.Lock()
	which = b
	mu.Unlock()
	w = do(f, "GET", longPost, "If-None-Match", etagA)
	if w.Code != 200 || badgeOf(t, w.Body.Bytes()) != string(b.HTML()) || w.Header().Get("ETag") == etagA {
		t.Errorf("badge B: %d, ETag %q (A's was %q)", w.Code, w.Header().Get("ETag"), etagA)
	}
	// Assembled once per badge: the same bytes are served again.
	fl, _ := f.site.Load().find(longPost)
	if &fl.body(b).data[0] != &fl.body(b).data[0] {
		t.Error("the page with a badge is assembled per request")
	}
	// Non-HTML files are untouched.
	if w := do(f, "GET", "/feed.xml"); !bytes.Equal(w.Body.Bytes(), site["feed.xml"]) {
		t.Error("feed.xml changed")
	}
	// A nil badge leaves the build badge.
	f.Badge = func(*http.Request) *Badge { return nil }
	if got := badge.Start + badgeOf(t, do(f, "GET", longPost).Body.Bytes()) + badge.End; got != string(badge.StaticSlot) {
		t.Errorf("nil badge: %q", got)
	}

	// SetSite swaps the whole site while requests run.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if w := do(f, "GET", "/"); w.Code != 200 {
					t.Errorf("GET / during SetSite: %d", w.Code)
					return
				}
			}
		}()
	}
	next := map[string][]byte{"index.html": []byte("<p>new site</p>"), "404.html": []byte("gone")}
	for range 50 {
		f.SetSite(site)
		f.SetSite(next)
	}
	close(stop)
	wg.Wait()
	if w := do(f, "GET", "/"); w.Body.String() != "<p>new site</p>" {
		t.Errorf("after SetSite: %q", w.Body)
	}
	if w := do(f, "GET", longPost); w.Code != 404 || w.Body.String() != "gone" {
		t.Errorf("old page after SetSite: %d %q", w.Code, w.Body)
	}
}

// TestFilesPageWithoutSlash checks that a page whose URL does not end in
// "/" (published as NAME.html) is answered at /NAME and /NAME.html, as
// static hosts answer it.
func TestFilesPageWithoutSlash(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":            {Data: []byte("title = \"T\"\nbase_url = \"https://blog.test/\"\npermalink = \"/blog/:filename\"\nsections = [\"blog\"]\n")},
		"content/blog/name.md": {Data: []byte("---\ntitle: Name\ndate: 2024-05-01\n---\n\nThe text.\n")},
	}
	out, err := render.BuildInMemory(fsys, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, ok := out.Files()["blog/name.html"]
	if !ok {
		t.Fatal("blog/name.html not built")
	}
	f := NewFiles(out.Files())
	for _, p := range []string{"/blog/name", "/blog/name.html"} {
		w := do(f, "GET", p)
		if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), page) || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("GET %s: %d %q, want 200 and blog/name.html", p, w.Code, w.Header().Get("Content-Type"))
		}
		if data, ok := f.Lookup(p); !ok || !bytes.Equal(data, page) {
			t.Errorf("Lookup(%s) does not find blog/name.html", p)
		}
	}
	if w := do(f, "GET", "/blog/name/"); w.Code != 404 {
		t.Errorf("GET /blog/name/: %d, want 404", w.Code)
	}

	// A file named x wins over x.html; x.html wins over a redirect to x/.
	files := map[string][]byte{
		"x": []byte("file x"), "x.html": []byte("page x"),
		"d.html": []byte("page d"), "d/index.html": []byte("dir d"),
		"404.html": []byte("gone"),
	}
	f = NewFiles(files)
	for _, tc := range []struct{ path, body string }{
		{"/x", "file x"}, {"/x.html", "page x"}, {"/d", "page d"}, {"/d/", "dir d"}, {"/d.html", "page d"},
	} {
		if w := do(f, "GET", tc.path); w.Code != 200 || w.Body.String() != tc.body {
			t.Errorf("GET %s: %d %q, want %q", tc.path, w.Code, w.Body, tc.body)
		}
	}
	// A rebuild that changes x.html alone keeps the file x at /x.
	next := maps.Clone(files)
	next["x.html"] = []byte("page x, edited")
	f.SetSite(next)
	if w := do(f, "GET", "/x"); w.Body.String() != "file x" {
		t.Errorf("after SetSite, GET /x: %q", w.Body)
	}
	if w := do(f, "GET", "/x.html"); w.Body.String() != "page x, edited" {
		t.Errorf("after SetSite, GET /x.html: %q", w.Body)
	}
}

// TestPreviewLookupWithoutSlash checks that the preview finds the page a
// URL without "/" is served from, so its reload events name the right page.
func TestPreviewLookupWithoutSlash(t *testing.T) {
	s := &snapshot{
		out:    render.NewMemOutput(),
		served: layered.Of(map[string][]byte{"blog/name.html": []byte("n"), "blog/d/index.html": []byte("d"), "404.html": []byte("x")}),
		keys:   layered.Of(map[string]string{"blog/name.html": "kn", "blog/d/index.html": "kd", "404.html": "k404"}),
		base:   "/",
	}
	for _, tc := range []struct{ path, name, key string }{
		{"/blog/name", "blog/name.html", "kn"},
		{"/blog/name.html", "blog/name.html", "kn"},
		{"/blog/d/", "blog/d/index.html", "kd"},
		{"/blog/d", "blog/d/index.html", "kd"},
		{"/blog/nothing", "", "k404"},
	} {
		if name, key := s.lookup(tc.path); name != tc.name || key != tc.key {
			t.Errorf("lookup(%s) = %q, %q; want %q, %q", tc.path, name, key, tc.name, tc.key)
		}
	}
}

// TestFilesSiteChanges applies changes that add and remove files, as a
// rebuild's report lists them, and checks that every URL is answered as
// by the same site indexed afresh, and that the files not changed keep
// their entries.
// TestFilesHashOnServe checks that a file's ETag is made when it is
// first served, not when the site is swapped in: a preview's save that
// rewrites the archive and the sitemap (about 1 MB each at 10,000 posts)
// does not hash them until someone asks for them.
func TestFilesHashOnServe(t *testing.T) {
	f := NewFiles(map[string][]byte{"index.html": []byte("<p>home</p>"), "sitemap.xml": bytes.Repeat([]byte("<url/>"), 100)})
	hashed := func(name string) bool {
		fl, _ := f.site.Load().find(name)
		return fl.plain.etag != nil
	}
	if hashed("/") || hashed("/sitemap.xml") {
		t.Fatal("files were hashed before they were served")
	}
	if etag := do(f, "GET", "/sitemap.xml").Header().Get("ETag"); etag == "" {
		t.Fatal("no ETag")
	}
	if !hashed("/sitemap.xml") || hashed("/") {
		t.Errorf("after serving the sitemap: sitemap hashed %v, index hashed %v; want true, false", hashed("/sitemap.xml"), hashed("/"))
	}
}

func TestFilesSiteChanges(t *testing.T) {
	site := map[string][]byte{"index.html": []byte("home"), "404.html": []byte("nf"), "a/index.html": []byte("a"),
		"b.html": []byte("b"), "c.css": []byte("c"), "old/index.html": []byte("redirect")}
	redirects := map[string]string{"old/index.html": "/a/"}
	steps := []struct {
		name             string
		written, removed []string
		incremental      bool
		redirects        map[string]string // the redirect pages after, when they change
	}{
		{"a page moved", []string{"d/index.html", "index.html"}, []string{"a/index.html"}, true, nil},
		{"a page moved back, another added", []string{"a/index.html", "e.html"}, []string{"d/index.html"}, true, nil},
		{"a page in a new directory", []string{"x/y/index.html"}, nil, true, nil},
		{"a file beside a page: x.html and x", []string{"b"}, nil, false, nil},
		{"it goes", nil, []string{"b"}, false, nil},
		{"a page removed", nil, []string{"e.html", "x/y/index.html"}, true, nil},
		{"a changed file", []string{"c.css"}, nil, true, nil},
		{"a redirect page added", []string{"new/index.html", "x.html"}, nil, true, map[string]string{"old/index.html": "/a/", "new/index.html": "/b", "x.html": "/c.css"}},
		{"a redirect page leads elsewhere", []string{"new/index.html"}, nil, true, map[string]string{"old/index.html": "/a/", "new/index.html": "/", "x.html": "/c.css"}},
		{"a redirect page gone", nil, []string{"old/index.html"}, true, map[string]string{"new/index.html": "/", "x.html": "/c.css"}},
		{"a redirect page a page again", []string{"x.html"}, nil, true, map[string]string{"new/index.html": "/"}},
	}
	f := NewFiles(nil)
	f.SetSiteRedirects(site, redirects)
	for i, s := range steps {
		next := maps.Clone(site)
		for _, name := range s.written {
			next[name] = fmt.Appendf(nil, "%s v%d", name, i)
		}
		for _, name := range s.removed {
			delete(next, name)
		}
		if s.redirects != nil {
			redirects = s.redirects
		}
		before := f.site.Load()
		if _, ok := before.update(layered.Of(next), redirects, s.written, s.removed); ok != s.incremental {
			t.Errorf("%s: updated in proportion to the changes: %v, want %v", s.name, ok, s.incremental)
		}
		f.SetSiteChanges(next, redirects, s.written, s.removed)
		got, want := f.site.Load(), newFileSet(layered.Of(next), redirects, nil, nil)
		if got.file("404.html") != before.file("404.html") {
			t.Errorf("%s: the entry of an unchanged file is made again", s.name)
		}
		paths := []string{"/", "/x", "/x/y", "/x/y/", "/old", "/old/", "/new", "/new/", "/nothing"}
		for name := range site {
			paths = append(paths, routesOf(name)...)
		}
		for name := range next {
			paths = append(paths, routesOf(name)...)
			if dir, ok := strings.CutSuffix(name, "/index.html"); ok {
				paths = append(paths, "/"+dir)
			}
		}
		for _, p := range paths {
			gf, gto := got.find(p)
			wf, wto := want.find(p)
			if gto != wto || (gf == nil) != (wf == nil) || (gf != nil && string(gf.data) != string(wf.data)) {
				t.Errorf("%s: %s is %v %q, want %v %q", s.name, p, gf != nil, gto, wf != nil, wto)
			}
			if got.isMoved(p) != want.isMoved(p) {
				t.Errorf("%s: %s moved: %v", s.name, p, got.isMoved(p))
			}
		}
		if got.files.Len() != len(next) || got.notFound == nil {
			t.Errorf("%s: %d files, want %d", s.name, got.files.Len(), len(next))
		}
		site = next
	}
}
