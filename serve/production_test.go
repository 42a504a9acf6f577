package serve

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/internal/testenv"
	"github.com/siteblog/site/tlsinfo"
)

// switchable is a certificate source whose certificate a test can change,
// counting how often a handshake asked for one.
type switchable struct {
	cert  atomic.Pointer[tls.Certificate]
	calls atomic.Int64
}

func (s *switchable) set(c tls.Certificate) { s.cert.Store(&c) }

func (s *switchable) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	s.calls.Add(1)
	return s.cert.Load(), nil
}

func fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:])
}

// badgeFP returns the data-sha256 of a badge.
func badgeFP(badge string) string {
	_, rest, _ := strings.Cut(badge, `data-sha256="`)
	fp, _, _ := strings.Cut(rest, `"`)
	return fp
}

// newTLSServer starts a server whose certificates come from src and are
// verified against public (nil: the system's roots).
func newTLSServer(t *testing.T, src *switchable, public *x509.CertPool) (*running, *tlsinfo.History, *testenv.Buffer) {
	t.Helper()
	hist, err := tlsinfo.OpenHistory(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	log, buf := testLogger(t)
	srv, err := New(withSite(t, Config{GetCertificate: src.get, History: hist, Log: log, PublicRoots: public}))
	if err != nil {
		t.Fatal(err)
	}
	return start(t, srv), hist, buf
}

func TestProductionBadgePerConnection(t *testing.T) {
	a, b := testcert.NewPKI(t, testcert.ECDSA, "blog.test"), testcert.NewPKI(t, testcert.RSA, "blog.test")
	src := &switchable{}
	src.set(a.TLS())
	roots := a.Pool()
	roots.AddCert(b.Root.Cert)
	r, hist, _ := newTLSServer(t, src, roots)

	// Connection 1, kept open.
	c1 := client(r.httpsAddr, "blog.test", roots, nil)
	res, body := get(t, c1, "https://blog.test"+longPost)
	if res.StatusCode != 200 || res.Proto != "HTTP/2.0" {
		t.Fatalf("GET: %d over %s", res.StatusCode, res.Proto)
	}
	badge := badgeOf(t, body)
	served := res.TLS.PeerCertificates
	if badgeFP(badge) != fingerprint(served[0]) || fingerprint(served[0]) != fingerprint(a.Leaf.Cert) {
		t.Errorf("badge fingerprint %s, served leaf %s", badgeFP(badge), fingerprint(served[0]))
	}
	for _, want := range []string{`data-state="verified"`, `<span class="tls-badge-label">Verified:</span> <span class="tls-badge-value">Example Trust ET R1</span>`,
		`<span class="tls-badge-detail">·` + "\u00a0" + `under Example Trust Root X1</span>`, `data-key="ECDSA P-256"`} {
		if !strings.Contains(badge, want) {
			t.Errorf("badge lacks %q: %s", want, badge)
		}
	}
	for k, want := range map[string]string{
		"Strict-Transport-Security": HSTS,
		"Content-Security-Policy":   "default-src 'self'",
		"X-Content-Type-Options":    "nosniff",
		"Referrer-Policy":           ReferrerPolicy,
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}

	// The certificate changes (a renewal): a new connection shows it, the
	// open connection keeps showing the one it was served with.
	src.set(b.TLS())
	c2 := client(r.httpsAddr, "blog.test", roots, nil)
	res2, body2 := get(t, c2, "https://blog.test/about/")
	if fp := badgeFP(badgeOf(t, body2)); fp != fingerprint(b.Leaf.Cert) || fp != fingerprint(res2.TLS.PeerCertificates[0]) {
		t.Errorf("new connection: badge %s, want the new certificate %s", fp, fingerprint(b.Leaf.Cert))
	}
	if !strings.Contains(badgeOf(t, body2), `data-key="RSA 2048"`) {
		t.Errorf("new badge: %s", badgeOf(t, body2))
	}
	res1b, body1b := get(t, c1, "https://blog.test/about/")
	if badgeFP(badgeOf(t, body1b)) != fingerprint(a.Leaf.Cert) || fingerprint(res1b.TLS.PeerCertificates[0]) != fingerprint(a.Leaf.Cert) {
		t.Error("the old connection's badge changed with the certificate source")
	}

	// Both certificates are in the history, newest first, and in /tls.json.
	rs := hist.Records()
	if len(rs) != 2 || rs[1].SHA256 != colonFP(a.Leaf.Cert) || rs[0].SHA256 != colonFP(b.Leaf.Cert) {
		t.Errorf("history: %+v", rs)
	}
	_, js := get(t, c2, "https://blog.test/tls.json")
	var doc struct {
		State, Issuer, Anchor string
		Chain                 tlsinfo.Chain
		Trust                 tlsinfo.Trust
		History               []tlsinfo.Record
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatalf("/tls.json: %v\n%s", err, js)
	}
	if doc.State != "verified" || doc.Issuer != "Example Trust ET R1" || doc.Anchor != "Example Trust Root X1" || len(doc.Trust.Paths) != 1 ||
		len(doc.Chain.Certificates) != 2 || doc.Chain.Certificates[0].SHA256 != colonFP(b.Leaf.Cert) || len(doc.History) != 2 {
		t.Errorf("/tls.json: %s", js)
	}

	// /tls/: the theme's "tls" page with the chain of this connection.
	res, page := get(t, c2, "https://blog.test/tls/")
	for _, want := range []string{
		"<title>The certificate of this connection · Badge Test</title>",
		`<link rel="stylesheet" href="/assets/style.`,
		`class="site-header"`, `class="site-footer"`,
		`<h1 class="post-title">The certificate of this connection</h1>`,
		"issued by <strong>Example Trust ET R1</strong>. This server verified its chain up to <strong>Example Trust Root X1</strong>",
		`<body class="kind-tls">`, `<meta name="robots" content="noindex">`,
		colonFP(b.Leaf.Cert), "RSA 2048", "DNS:blog.test",
		"Certificates this site has served", `<a href="/tls.json">`,
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("/tls/ lacks %q", want)
		}
	}
	if res.StatusCode != 200 || strings.Contains(string(page), "Page not found") {
		t.Errorf("/tls/: status %d, or 404 leftovers", res.StatusCode)
	}
	if badgeFP(badgeOf(t, page)) != fingerprint(b.Leaf.Cert) {
		t.Error("/tls/ shows another connection's badge")
	}
	// /healthz, and a redirect for /tls.
	if res, body := get(t, c2, "https://blog.test/healthz"); res.StatusCode != 200 || string(body) != "ok\n" {
		t.Errorf("/healthz: %d %q", res.StatusCode, body)
	}
	if res, _ := get(t, c2, "https://blog.test/tls"); res.StatusCode != 301 || res.Header.Get("Location") != "/tls/" {
		t.Errorf("/tls: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func colonFP(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	var b strings.Builder
	for i, x := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strings.ToUpper(hex.EncodeToString([]byte{x})))
	}
	return b.String()
}

// TestProductionResumption checks that a resumed session (no certificate
// chosen in its handshake) shows the certificate of the session, not the
// one the source would pick now.
func TestProductionResumption(t *testing.T) {
	for _, version := range []uint16{tls.VersionTLS13, tls.VersionTLS12} {
		t.Run(tls.VersionName(version), func(t *testing.T) {
			a, b := testcert.NewPKI(t, testcert.ECDSA, "blog.test"), testcert.NewPKI(t, testcert.ECDSA, "blog.test")
			src := &switchable{}
			src.set(a.TLS())
			r, _, _ := newTLSServer(t, src, nil)
			roots := a.Pool()
			roots.AddCert(b.Root.Cert)
			cache := tls.NewLRUClientSessionCache(8)
			cfg := &tls.Config{MaxVersion: version, ClientSessionCache: cache}

			_, body := get(t, client(r.httpsAddr, "blog.test", roots, cfg), "https://blog.test/")
			if badgeFP(badgeOf(t, body)) != fingerprint(a.Leaf.Cert) {
				t.Fatal("first connection: wrong badge")
			}
			src.set(b.TLS())
			calls := src.calls.Load()
			res, body := get(t, client(r.httpsAddr, "blog.test", roots, cfg), "https://blog.test/")
			if !res.TLS.DidResume {
				t.Fatal("the second connection did not resume its session")
			}
			if got := badgeFP(badgeOf(t, body)); got != fingerprint(a.Leaf.Cert) {
				t.Errorf("resumed connection: badge %s, want the session's certificate %s (the source now has %s)",
					got, fingerprint(a.Leaf.Cert), fingerprint(b.Leaf.Cert))
			}
			if version == tls.VersionTLS13 && src.calls.Load() != calls {
				t.Error("a resumed TLS 1.3 handshake asked the source for a certificate")
			}
			// A new session: the new certificate.
			res, body = get(t, client(r.httpsAddr, "blog.test", roots, &tls.Config{MaxVersion: version}), "https://blog.test/")
			if res.TLS.DidResume || badgeFP(badgeOf(t, body)) != fingerprint(b.Leaf.Cert) {
				t.Errorf("fresh session: resumed %v, badge %s", res.TLS.DidResume, badgeFP(badgeOf(t, body)))
			}
		})
	}
}

func TestProductionSelfSignedAndHTTP(t *testing.T) {
	self := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}}, nil)
	src := &switchable{}
	src.set(self.TLS())
	r, _, _ := newTLSServer(t, src, nil)
	pool := x509.NewCertPool()
	pool.AddCert(self.Cert)
	c := client(r.httpsAddr, "blog.test", pool, nil)
	_, body := get(t, c, "https://blog.test/")
	if b := badgeOf(t, body); !strings.Contains(b, `data-state="self-signed"`) || !strings.Contains(b, "nobody vouches for this site") {
		t.Errorf("self-signed badge: %s", b)
	}
	_, page := get(t, c, "https://blog.test/tls/")
	if !strings.Contains(string(page), "<strong>self-signed</strong> certificate") {
		t.Error("/tls/ does not say the certificate is self-signed")
	}

	// The HTTP listener redirects to HTTPS, keeping path and query.
	httpc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	_, port, _ := net.SplitHostPort(r.httpsAddr)
	res, err := httpc.Get("http://" + r.httpAddr + "/about/?a=b")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 301 || res.Header.Get("Location") != "https://127.0.0.1:"+port+"/about/?a=b" {
		t.Errorf("redirect: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, err = httpc.Post("http://"+r.httpAddr+"/form", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusPermanentRedirect {
		t.Errorf("POST redirect: %d", res.StatusCode)
	}
	if res, err := httpc.Get("http://" + r.httpAddr + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Errorf("/healthz over HTTP: %v %v", res, err)
	}

	// Plain HTTP mode: the site over HTTP, saying it is not encrypted.
	srv, err := New(withSite(t, Config{}))
	if err != nil {
		t.Fatal(err)
	}
	p := start(t, srv)
	res, err = http.Get("http://" + p.httpAddr + longPost)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	buf := make([]byte, 1<<20)
	n, _ := readFull(res.Body, buf)
	if b := badgeOf(t, buf[:n]); !strings.Contains(b, `data-state="not-encrypted"`) || !strings.Contains(b, "Not encrypted") {
		t.Errorf("plain HTTP badge: %s", b)
	}
	if res.Header.Get("Strict-Transport-Security") != "" || res.Header.Get("Content-Security-Policy") != CSP {
		t.Errorf("plain HTTP headers: %v", res.Header)
	}
}

func readFull(r interface{ Read([]byte) (int, error) }, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func TestProductionShutdown(t *testing.T) {
	src := &switchable{}
	src.set(testcert.NewPKI(t, testcert.ECDSA, "blog.test").TLS())
	r, _, _ := newTLSServer(t, src, nil)
	start := time.Now()
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	// The listeners are closed. (Dialing their addresses would not tell:
	// another test's listener may be given a port once it is free.)
	for _, ln := range []net.Listener{r.httpsLn, r.httpLn} {
		ln.(*net.TCPListener).SetDeadline(time.Now().Add(time.Second))
		if c, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
			if c != nil {
				c.Close()
			}
			t.Errorf("%s still accepts connections after shutdown: %v", ln.Addr(), err)
		}
	}
}
