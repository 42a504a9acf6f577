package serve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/testenv"
	"github.com/siteblog/site/render"
)

// withSite returns cfg with the site of buildSite and its "tls" page.
func withSite(t testing.TB, cfg Config) Config {
	t.Helper()
	out := buildSiteOut(t)
	cfg.Files, cfg.TLSPage, cfg.SiteTitle = out.Files(), out.TLSPage, "Badge Test"
	return cfg
}

// buildSite renders a small real site in memory: two posts (one long,
// with a code listing), an about page, feeds and the theme's assets.
func buildSite(t testing.TB) map[string][]byte {
	t.Helper()
	return buildSiteOut(t).Files()
}

func buildSiteOut(t testing.TB) *render.MemOutput {
	t.Helper()
	var long strings.Builder
	long.WriteString("---\ntitle: A long post\ndate: 2024-05-02\ntags: [go]\n---\n\nThe start of a long post.\n\n")
	for i := range 60 {
		fmt.Fprintf(&long, "## Part %d\n\nParagraph %d of a long post, long enough to wrap on a phone and to make the page scroll for a while.\n\n", i+1, i+1)
		if i%15 == 0 {
			fmt.Fprintf(&long, "```go\nfunc part%d() int {\n\treturn %d\n}\n```\n\n", i, i)
		}
	}
	long.WriteString("The last paragraph of the long post.\n")
	fsys := fstest.MapFS{
		"site.toml":                {Data: []byte("title = \"Badge Test\"\nbase_url = \"https://blog.test/\"\n")},
		"content/posts/long.md":    {Data: []byte(long.String())},
		"content/posts/hello.md":   {Data: []byte("---\ntitle: Hello\ndate: 2024-05-01\n---\n\nHello, world.\n")},
		"content/about.md":         {Data: []byte("---\ntitle: About\n---\n\nAbout this blog.\n")},
		"static/images/pixel.txt":  {Data: []byte("a static file\n")},
		"static/downloads/data.md": {Data: []byte(strings.Repeat("compressible text ", 100))},
	}
	out, err := render.BuildInMemory(fsys, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// longPost is the URL path of the long post of buildSite.
const longPost = "/2024/05/a-long-post/"

// badgeRE finds the badge between its markers.
var badgeRE = regexp.MustCompile(regexp.QuoteMeta(badge.Start) + `(.*?)` + regexp.QuoteMeta(badge.End))

func badgeOf(t testing.TB, page []byte) string {
	t.Helper()
	m := badgeRE.FindAllSubmatch(page, -1)
	if len(m) != 1 {
		t.Fatalf("page has %d badges, want 1:\n%s", len(m), page)
	}
	return string(m[0][1])
}

func testLogger(t testing.TB) (*slog.Logger, *testenv.Buffer) {
	buf := &testenv.Buffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", buf)
		}
	})
	return slog.New(slog.NewTextHandler(buf, nil)), buf
}

// running is a server started by start.
type running struct {
	srv                 *Server
	httpsAddr, httpAddr string
	httpsLn, httpLn     net.Listener // nil when not served
	stop                func() error
}

// start serves srv on fresh 127.0.0.1 listeners (HTTPS only when it has a
// certificate source) until the test ends.
func start(t testing.TB, srv *Server) *running {
	t.Helper()
	var httpsLn, httpLn net.Listener
	var err error
	r := &running{srv: srv}
	if srv.TLSConfig() != nil {
		if httpsLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		r.httpsAddr = httpsLn.Addr().String()
	}
	if httpLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	r.httpAddr = httpLn.Addr().String()
	r.httpsLn, r.httpLn = httpsLn, httpLn
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, httpsLn, httpLn) }()
	var once sync.Once
	var serr error
	r.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case serr = <-done:
			case <-time.After(15 * time.Second):
				serr = fmt.Errorf("Serve did not return after cancel")
			}
		})
		return serr
	}
	t.Cleanup(func() {
		if err := r.stop(); err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return r
}

// client returns an HTTPS client that connects to addr whatever the URL's
// host, sends serverName, trusts roots and uses cfg's other settings; each
// call makes a client with fresh connections.
func client(addr, serverName string, roots *x509.CertPool, cfg *tls.Config) *http.Client {
	if cfg == nil {
		cfg = &tls.Config{}
	}
	cfg = cfg.Clone()
	cfg.ServerName = serverName
	cfg.RootCAs = roots
	var d net.Dialer
	return &http.Client{
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return d.DialContext(ctx, network, addr)
			},
			TLSClientConfig:   cfg,
			ForceAttemptHTTP2: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// get fetches url and returns the response with its body read.
func get(t testing.TB, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: reading: %v", url, err)
	}
	return res, body
}
