package serve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/certs"
	"github.com/siteblog/site/internal/feedcheck"
	"github.com/siteblog/site/internal/testenv"
	"github.com/siteblog/site/internal/testpebble"
	"github.com/siteblog/site/tlsinfo"
)

// acmeSite is a production server with ACME certificates, serving on
// 127.0.0.1 listeners opened before the CA is configured to validate on
// their ports.
type acmeSite struct {
	httpsAddr, httpAddr string
	acme                *certs.ACME
	history             *tlsinfo.History
	log                 *testenv.Buffer
	stop                func()
}

func listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// startACMESite serves a site with certificates from the ACME CA at
// directory, verified against the roots of verify.
func startACMESite(t testing.TB, httpsLn, httpLn net.Listener, directory string, apiRoot *x509.Certificate, verify tlsinfo.VerifyOptions, cacheDir string, domains ...string) *acmeSite {
	t.Helper()
	log, buf := testLogger(t)
	a, err := certs.NewACME(certs.ACMEConfig{
		Domains: domains, Email: "admin@blog.test", DirectoryURL: directory,
		Roots: []*x509.Certificate{apiRoot}, CacheDir: cacheDir, Log: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	hist, err := tlsinfo.OpenHistory(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(withSite(t, Config{GetCertificate: a.GetCertificate, Ready: a.Ready, ACMEHTTP: a.HTTPHandler, History: hist, Log: log, PublicRoots: verify.PublicRoots, PrivateRoots: verify.PrivateRoots}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, httpsLn, httpLn) }()
	a.Start(ctx)
	s := &acmeSite{httpsAddr: httpsLn.Addr().String(), acme: a, history: hist, log: buf}
	if httpLn != nil {
		s.httpAddr = httpLn.Addr().String()
	}
	stopped := false
	s.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		a.Close()
	}
	t.Cleanup(s.stop)
	return s
}

// issuerName is how the badge names a CA: organisation and common name,
// or the common name alone when it contains the organisation.
func issuerName(c *x509.Certificate) string {
	org, cn := strings.Join(c.Issuer.Organization, ", "), c.Issuer.CommonName
	if org == "" || strings.Contains(cn, org) {
		return cn
	}
	return org + " " + cn
}

// checkBadge asserts that a page's badge describes exactly the chain the
// connection was served with: Pebble's intermediate inter named as the
// verified issuer under Pebble's root when the server trusts that root
// (verified), else named only as a claim (unverified).
func checkBadge(t testing.TB, res *http.Response, body []byte, inter *x509.Certificate, keyType string, verified bool) {
	t.Helper()
	chain := res.TLS.PeerCertificates
	b := badgeOf(t, body)
	if len(chain) < 2 || !chain[1].Equal(inter) {
		t.Errorf("the served chain's intermediate is not Pebble's current one (%s)", inter.Subject.CommonName)
	}
	if chain[0].Issuer.CommonName != inter.Subject.CommonName {
		t.Errorf("leaf issuer %q, Pebble's intermediate %q", chain[0].Issuer.CommonName, inter.Subject.CommonName)
	}
	want := []string{
		`data-state="unverified"`,
		`<span class="tls-badge-value">claims ` + issuerName(chain[0]) + `</span>`,
		`<span class="tls-badge-detail">·` + "\u00a0" + `no path to a trusted root</span>`,
	}
	if verified {
		want = []string{
			`data-state="verified"`,
			`<span class="tls-badge-value">` + issuerName(chain[0]) + `</span>`,
			`<span class="tls-badge-detail">·` + "\u00a0" + `under ` + chain[len(chain)-1].Issuer.CommonName + `</span>`,
		}
	}
	want = append(want, `data-sha256="`+fingerprint(chain[0])+`"`, `data-key="`+keyType+`"`,
		`SHA-256 `+strings.ToUpper(fingerprint(chain[0])[:8]))
	for _, w := range want {
		if !strings.Contains(b, w) {
			t.Errorf("badge lacks %s:\n%s", w, b)
		}
	}
	if !strings.HasPrefix(issuerName(chain[0]), "Pebble Intermediate CA ") {
		t.Errorf("issuer %q is not Pebble's intermediate", issuerName(chain[0]))
	}
}

func fetch(c *http.Client, url string) (*http.Response, []byte, error) {
	res, err := c.Get(url)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body := make([]byte, 0, 64<<10)
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		body = append(body, buf[:n]...)
		if err != nil {
			break
		}
	}
	if res.StatusCode != 200 {
		return res, body, fmt.Errorf("status %d", res.StatusCode)
	}
	return res, body, nil
}

var (
	// A client that can only use RSA certificates: TLS 1.2 with an RSA
	// cipher suite.
	rsaOnly = &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}}
)

// TestACMEWithPebble runs the production server against Pebble: it obtains
// certificates, fills the badge from the certificate of each connection,
// refuses names outside its list without an order, keeps serving while
// the CA is down, and renews from a restarted CA (a new root and
// intermediate) with the badge following on new connections.
func TestACMEWithPebble(t *testing.T) {
	t.Parallel()
	httpsLn, httpLn := listen(t), listen(t)
	httpsPort, httpPort := httpsLn.Addr().(*net.TCPAddr).Port, httpLn.Addr().(*net.TCPAddr).Port
	// Certificates valid for 30 s: autocert renews at two thirds of the
	// lifetime, so the renewal comes about 20 s after issuance.
	const validity = 30
	p := testpebble.New(t, httpPort, httpsPort, validity)
	cacheDir := filepath.Join(t.TempDir(), "acme")
	site := startACMESite(t, httpsLn, httpLn, p.Directory(), p.APIRoot, tlsinfo.VerifyOptions{PublicRoots: p.Roots()}, cacheDir, "blog.test")
	page := "https://blog.test" + longPost

	// 1. A certificate from Pebble; the badge names its intermediate.
	roots1, inter1 := p.Roots(), p.Cert("intermediates/0")
	var res *http.Response
	var body []byte
	testpebble.WaitFor(t, 30*time.Second, "first certificate", func() (err error) {
		res, body, err = fetch(client(site.httpsAddr, "blog.test", roots1, nil), page)
		return err
	})
	issued := time.Now()
	checkBadge(t, res, body, inter1, "ECDSA P-256", true)
	// The certificate obtained, /healthz says ok.
	if res, err := http.Get("http://" + site.httpAddr + "/healthz"); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("/healthz with a certificate from the CA: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	// Pebble embeds no SCTs: the badge's screen-reader text says so.
	if want := `<span class="visually-hidden">No Certificate Transparency log records are embedded in this certificate.</span>`; !strings.Contains(badgeOf(t, body), want) {
		t.Errorf("badge of a Pebble certificate lacks %q: %s", want, badgeOf(t, body))
	}
	ecdsaFP := fingerprint(res.TLS.PeerCertificates[0])
	if res.Proto != "HTTP/2.0" || res.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("proto %s, HSTS %q", res.Proto, res.Header.Get("Strict-Transport-Security"))
	}
	if info, err := os.Stat(cacheDir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache dir %v %v, want mode 0700", info, err)
	}

	// 2. Clients preferring ECDSA and RSA each see their own certificate.
	res, body, err := fetch(client(site.httpsAddr, "blog.test", roots1, rsaOnly), page)
	if err != nil {
		t.Fatalf("RSA client: %v", err)
	}
	checkBadge(t, res, body, inter1, "RSA 2048", true)
	rsaFP := fingerprint(res.TLS.PeerCertificates[0])
	if rsaFP == ecdsaFP || res.TLS.Version != tls.VersionTLS12 {
		t.Errorf("the RSA client got the ECDSA certificate or TLS 1.3")
	}
	res, body, err = fetch(client(site.httpsAddr, "blog.test", roots1, nil), page)
	if err != nil || badgeFP(badgeOf(t, body)) != ecdsaFP {
		t.Errorf("the ECDSA client no longer sees the ECDSA certificate: %v", err)
	}
	// A connection opened now and kept: its badge must not change later.
	kept := client(site.httpsAddr, "blog.test", roots1, nil)
	if _, _, err := fetch(kept, page); err != nil {
		t.Fatal(err)
	}

	// 3. Names outside the list fail the handshake without an order.
	orders := p.Orders()
	for _, name := range []string{"evil.test", "www.blog.test"} {
		c, err := tls.Dial("tcp", site.httpsAddr, &tls.Config{ServerName: name, RootCAs: roots1})
		if err == nil {
			c.Close()
			t.Errorf("handshake for %s succeeded", name)
		}
		if _, err := os.Stat(filepath.Join(cacheDir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a certificate for %s is in the cache", name)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if n := p.Orders(); n != orders {
		t.Errorf("Pebble got %d new orders for names outside the list", n-orders)
	}
	if strings.Contains(p.Log.String(), "evil.test") {
		t.Error("Pebble heard of evil.test")
	}

	// 4. The CA goes down while the site holds valid certificates.
	p.Stop()
	res, body, err = fetch(client(site.httpsAddr, "blog.test", roots1, nil), page)
	if err != nil {
		t.Fatalf("with the CA down: %v", err)
	}
	checkBadge(t, res, body, inter1, "ECDSA P-256", true)
	// A restart of the site with the CA down serves the cached certificate
	// (a copy of the cache, so this second site renews on its own).
	again := startACMESite(t, listen(t), nil, p.Directory(), p.APIRoot, tlsinfo.VerifyOptions{PublicRoots: roots1}, copyDir(t, cacheDir, filepath.Join(t.TempDir(), "acme")), "blog.test")
	res, body, err = fetch(client(again.httpsAddr, "blog.test", roots1, nil), page)
	if err != nil || badgeFP(badgeOf(t, body)) != ecdsaFP {
		t.Errorf("a restarted site with the CA down does not serve its cached certificate: %v", err)
	}
	again.stop()
	// A new site with the CA down and no certificate: handshakes fail, the
	// HTTP side answers /healthz with 503, and the error is logged once.
	fresh := startACMESite(t, listen(t), listen(t), p.Directory(), p.APIRoot, tlsinfo.VerifyOptions{PublicRoots: roots1}, filepath.Join(t.TempDir(), "acme"), "blog.test")
	for range 4 {
		if c, err := tls.Dial("tcp", fresh.httpsAddr, &tls.Config{ServerName: "blog.test", InsecureSkipVerify: true}); err == nil {
			c.Close()
			t.Error("a handshake succeeded without a certificate")
		}
	}
	if res, err := http.Get("http://" + fresh.httpAddr + "/healthz"); err != nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/healthz with no certificate: %v %v", res, err)
	}
	if n := strings.Count(fresh.log.String(), "the CA cannot be reached"); n != 1 {
		t.Errorf("an unreachable CA was logged %d times, want once:\n%s", n, fresh.log)
	}
	fresh.stop()
	if d := time.Since(issued); d > validity*time.Second/2 {
		t.Fatalf("steps 1-4 took %v: too slow to see the renewal before the certificate's renewal time", d)
	}

	// 5. Pebble restarts with a new root and intermediate; the site renews
	// on its own schedule, registering its account again, and new
	// connections show the new issuer without a restart of the site.
	p.Start()
	roots2, inter2 := p.Roots(), p.Cert("intermediates/0")
	if inter2.Equal(inter1) {
		t.Fatal("Pebble kept its intermediate across a restart")
	}
	testpebble.WaitFor(t, 45*time.Second, "badge of the renewed certificate", func() (err error) {
		res, body, err = fetch(client(site.httpsAddr, "blog.test", roots2, nil), page)
		return err
	})
	checkBadge(t, res, body, inter2, "ECDSA P-256", false)
	if fingerprint(res.TLS.PeerCertificates[0]) == ecdsaFP {
		t.Error("same leaf after renewal")
	}
	testpebble.WaitFor(t, 20*time.Second, "RSA certificate renewed", func() (err error) {
		res, body, err = fetch(client(site.httpsAddr, "blog.test", roots2, rsaOnly), page)
		return err
	})
	checkBadge(t, res, body, inter2, "RSA 2048", false)
	// The connection kept from before still shows its own certificate.
	if res, body, err := fetch(kept, page); err != nil || badgeFP(badgeOf(t, body)) != ecdsaFP || fingerprint(res.TLS.PeerCertificates[0]) != ecdsaFP {
		t.Errorf("the kept connection's badge changed: %v", err)
	}
	// The history has both issuers, and /tls/ shows them.
	rs := site.history.Records()
	issuers := map[string]bool{}
	for _, r := range rs {
		issuers[r.Issuer] = true
	}
	if len(rs) < 4 || !issuers[inter1.Subject.CommonName] || !issuers[inter2.Subject.CommonName] {
		t.Errorf("history: %d records, issuers %v", len(rs), issuers)
	}
	_, tlsPage, err := fetch(client(site.httpsAddr, "blog.test", roots2, nil), "https://blog.test/tls/")
	if err != nil || !strings.Contains(string(tlsPage), inter1.Subject.CommonName) || !strings.Contains(string(tlsPage), inter2.Subject.CommonName) {
		t.Errorf("/tls/ does not show both issuers: %v", err)
	}
	// The site does not trust the restarted Pebble's new root: its new
	// certificates are unverified claims, and the feed of the history says
	// the issuer changed, in a document feedparser accepts.
	_, feed, err := fetch(client(site.httpsAddr, "blog.test", roots2, nil), "https://blog.test/tls/feed.xml")
	if err != nil || !strings.Contains(string(feed), "<title type=\"text\">Issuer changed") || !strings.Contains(string(feed), inter2.Subject.CommonName) {
		t.Errorf("/tls/feed.xml has no entry for the new issuer (%v):\n%s", err, feed)
	}
	feedFile := filepath.Join(t.TempDir(), "tls-feed.xml")
	if err := os.WriteFile(feedFile, feed, 0o600); err != nil {
		t.Fatal(err)
	}
	if res, err := feedcheck.Check(testenv.Python(t), []string{feedFile}); err != nil || res[0].Version != "atom10" || res[0].Entries < 4 {
		t.Errorf("feedparser: %+v %v", res, err)
	}
	if !strings.Contains(site.log.String(), "registering the account key again") {
		t.Errorf("no re-registration logged:\n%s", site.log)
	}
}

// copyDir copies the regular files of src into a new directory dst.
func copyDir(t testing.TB, src, dst string) string {
	t.Helper()
	if err := os.MkdirAll(dst, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestACMEHTTP01WithPebble makes TLS-ALPN-01 impossible (Pebble validates
// it on a closed port), so autocert falls back to HTTP-01, answered on the
// site's HTTP listener. The cache starts with a corrupt certificate and a
// corrupt account key: both are reported, moved aside and replaced.
func TestACMEHTTP01WithPebble(t *testing.T) {
	t.Parallel()
	httpsLn, httpLn := listen(t), listen(t)
	closed := listen(t)
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	p := testpebble.New(t, httpLn.Addr().(*net.TCPAddr).Port, closedPort, 3600)
	cacheDir := filepath.Join(t.TempDir(), "acme")
	if err := os.MkdirAll(cacheDir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"blog.test", "acme_account+key"} {
		if err := os.WriteFile(filepath.Join(cacheDir, name), []byte("-----BEGIN EC PRIVATE KEY-----\ngarbage\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	site := startACMESite(t, httpsLn, httpLn, p.Directory(), p.APIRoot, tlsinfo.VerifyOptions{PublicRoots: p.Roots()}, cacheDir, "blog.test")
	roots, inter := p.Roots(), p.Cert("intermediates/0")
	var res *http.Response
	var body []byte
	testpebble.WaitFor(t, 40*time.Second, "certificate over HTTP-01", func() (err error) {
		res, body, err = fetch(client(site.httpsAddr, "blog.test", roots, nil), "https://blog.test/")
		return err
	})
	checkBadge(t, res, body, inter, "ECDSA P-256", true)
	if !strings.Contains(p.Log.String(), "Attempting to validate w/ HTTP: http://blog.test:") {
		t.Error("Pebble did not validate over HTTP-01")
	}
	for _, name := range []string{"blog.test", "acme_account+key"} {
		if _, err := os.Stat(filepath.Join(cacheDir, name+".corrupt")); err != nil {
			t.Errorf("corrupt %s not moved aside: %v", name, err)
		}
		if !strings.Contains(site.log.String(), filepath.Join(cacheDir, name)+": corrupt") {
			t.Errorf("corrupt %s not reported:\n%s", name, site.log)
		}
	}
	// autocert stores the certificate after the handshake that serves it.
	testpebble.WaitFor(t, 10*time.Second, "the corrupt certificate replaced in the cache", func() error {
		data, err := os.ReadFile(filepath.Join(cacheDir, "blog.test"))
		if err == nil && !strings.Contains(string(data), "CERTIFICATE") {
			err = errors.New("no certificate in it")
		}
		return err
	})
}

// TestACMEAlternateRoots runs Pebble with an alternate root, as Let's
// Encrypt's chains once had ISRG Root X1 and the cross-signing DST Root CA
// X3: Pebble's intermediates 0 and 1 share one name and key, under roots 0
// and 1. Whichever root a server trusts is the anchor its badge names,
// and /tls/ lists the path.
func TestACMEAlternateRoots(t *testing.T) {
	httpsLn := listen(t)
	_, httpsPort, _ := net.SplitHostPort(httpsLn.Addr().String())
	port, _ := strconv.Atoi(httpsPort)
	p := testpebble.New(t, testpebble.FreePort(t), port, 3600, "PEBBLE_ALTERNATE_ROOTS=1")
	root0, root1, inter1 := p.Cert("roots/0"), p.Cert("roots/1"), p.Cert("intermediates/1")
	if root0.Equal(root1) || root0.Subject.CommonName == root1.Subject.CommonName {
		t.Fatal("Pebble made one root")
	}
	pool := func(cs ...*x509.Certificate) *x509.CertPool {
		p := x509.NewCertPool()
		for _, c := range cs {
			p.AddCert(c)
		}
		return p
	}
	for _, tc := range []struct {
		name   string
		verify tlsinfo.VerifyOptions
		state  string
		anchor *x509.Certificate
	}{
		{"root 0", tlsinfo.VerifyOptions{PublicRoots: pool(root0)}, "verified", root0},
		// Root 1 trusted, and the cross-signed intermediate known to the
		// server only (a --ca-root file may hold intermediates): browsers
		// are not sent it, so the path is not public.
		{"root 1", tlsinfo.VerifyOptions{PublicRoots: pool(root1), PrivateRoots: []*x509.Certificate{inter1}}, "private-ca", root1},
		{"root 1 as --ca-root", tlsinfo.VerifyOptions{PublicRoots: x509.NewCertPool(), PrivateRoots: []*x509.Certificate{inter1, root1}}, "private-ca", root1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Pebble validates TLS-ALPN-01 on one port: each server in turn
			// listens on it.
			ln := httpsLn
			if tc.name != "root 0" {
				var err error
				if ln, err = net.Listen("tcp", httpsLn.Addr().String()); err != nil {
					t.Fatal(err)
				}
			}
			site := startACMESite(t, ln, nil, p.Directory(), p.APIRoot, tc.verify, filepath.Join(t.TempDir(), "acme"), "blog.test")
			defer site.stop()
			var body []byte
			testpebble.WaitFor(t, 30*time.Second, "certificate", func() (err error) {
				_, body, err = fetch(client(site.httpsAddr, "blog.test", pool(root0), nil), "https://blog.test/")
				return err
			})
			b := badgeOf(t, body)
			for _, w := range []string{`data-state="` + tc.state + `"`, "under " + tc.anchor.Subject.CommonName + "<", "Pebble Intermediate CA "} {
				if tc.state == "private-ca" && strings.HasPrefix(w, "under ") {
					w = " under " + tc.anchor.Subject.CommonName + "<"
				}
				if !strings.Contains(b, w) {
					t.Errorf("badge lacks %q:\n%s", w, b)
				}
			}
			_, page, err := fetch(client(site.httpsAddr, "blog.test", pool(root0), nil), "https://blog.test/tls/")
			if err != nil || !strings.Contains(string(page), "→ "+tc.anchor.Subject.CommonName) {
				t.Errorf("/tls/ lists no path to %s (%v)", tc.anchor.Subject.CommonName, err)
			}
		})
	}
}
