package serve

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/render"
	"github.com/siteblog/site/tlsinfo"
)

// axeSite is one site as testdata/axe.js reads it (JSON).
type axeSite struct {
	Name string `json:"name"`
	// URL is the server's base URL, "https://127.0.0.1:PORT".
	URL string `json:"url"`
	// Pages are the URL paths of the site's pages, /tls/ included.
	Pages []string `json:"pages"`
}

// htmlPages are the URL paths of the HTML pages of a built site, in
// order, leaving out the redirects of aliases (which show nothing), and
// /tls/, which the production server renders.
func htmlPages(files map[string][]byte) []string {
	var pages []string
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") || bytes.Contains(data, []byte(`http-equiv="refresh"`)) {
			continue
		}
		p := "/" + strings.TrimPrefix(name, "/")
		if dir, ok := strings.CutSuffix(p, "/index.html"); ok {
			p = dir + "/"
		}
		pages = append(pages, p)
	}
	slices.Sort(pages)
	return append(pages, "/tls/")
}

// serveForAxe builds the site in dir and serves it on 127.0.0.1 with the
// production server, over HTTPS with a publicly trusted chain, so that
// /tls/ shows the certificate and its history.
func serveForAxe(t *testing.T, name, dir string, p *badgePKI, public *x509.CertPool) axeSite {
	t.Helper()
	out, err := render.BuildInMemory(os.DirFS(dir), content.Options{})
	if err != nil {
		t.Fatalf("building %s: %v", dir, err)
	}
	pair := &tls.Certificate{PrivateKey: p.leaf.Key, Leaf: p.leaf.Cert,
		Certificate: [][]byte{p.leaf.Cert.Raw, p.r10.Cert.Raw}}
	hist, err := tlsinfo.OpenHistory(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	log, _ := testLogger(t)
	srv, err := New(Config{Files: out.Files(), TLSPage: out.TLSPage, SiteTitle: name,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return pair, nil },
		History:        hist, Log: log, PublicRoots: public})
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)
	return axeSite{Name: name, URL: "https://" + r.httpsAddr, Pages: htmlPages(out.Files())}
}

// TestAxe runs axe-core (testdata/axe.js, in headless Chromium with
// playwright-core) over every HTML page of the example site and of a
// fixture site with wide tables, task lists, footnotes and listings
// (testdata/a11ysite), /tls/ included, at 320, 375 and 1280 px in light
// and dark colours, with the rules of WCAG 2.0 and 2.1 A and AA and the
// best practices. Each node in violation fails the test, named by site,
// page, width, scheme, rule and target. The script also fails a listing
// whose line-number gutter is wider than its digits need, or that scrolls
// sideways with nothing to show it. With SITE_SCREENSHOTS set to a
// directory, the pages with listings are saved there at 375 px.
func TestAxe(t *testing.T) {
	p := newBadgePKI(t)
	public := x509.NewCertPool()
	public.AddCert(p.isrg.Cert)
	sites := []axeSite{
		serveForAxe(t, "example", "../examples/blog", p, public),
		serveForAxe(t, "fixture", "testdata/a11ysite", p, public),
	}
	pages := 0
	for _, s := range sites {
		pages += len(s.Pages)
	}
	data, err := json.Marshal(sites)
	if err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	run := runBrowserScript(t, "axe.js", 8*time.Minute, data)
	// Each page at three widths in two colour schemes.
	if want := 6 * pages; run.checked != want {
		t.Errorf("the script checked %d page views, want %d", run.checked, want)
	}
	t.Logf("%d pages × 3 widths × 2 schemes: %d views, %d problems, in %s",
		pages, run.checked, run.failures, time.Since(start).Round(100*time.Millisecond))
}

// TestHTMLPages checks the list of pages TestAxe visits.
func TestHTMLPages(t *testing.T) {
	files := map[string][]byte{
		"index.html":                {},
		"404.html":                  {},
		"2024/05/post/index.html":   {},
		"old/post.html":             []byte(`<meta http-equiv="refresh" content="0; url=/2024/05/post/">`),
		"feed.xml":                  {},
		"tags/go/page/2/index.html": {},
	}
	want := []string{"/", "/2024/05/post/", "/404.html", "/tags/go/page/2/", "/tls/"}
	if got := htmlPages(files); !slices.Equal(got, want) {
		t.Errorf("htmlPages = %q, want %q", got, want)
	}
}
