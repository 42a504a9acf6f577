package serve

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/siteblog/site/certs"
	"github.com/siteblog/site/internal/testcert"
)

// healthzOf fetches /healthz with c and returns its status and body.
func healthzOf(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	res, body := get(t, c, url)
	return res.StatusCode, string(body)
}

// TestHealthzUntilCertificate checks that /healthz answers 503 while the
// ACME certificate source holds no certificate (the CA unreachable, the
// cache empty), and 200 "ok" over HTTP and HTTPS once Start has loaded a
// certificate from the cache.
func TestHealthzUntilCertificate(t *testing.T) {
	cache := t.TempDir()
	mgr, err := certs.NewACME(certs.ACMEConfig{Domains: []string{"blog.test"}, DirectoryURL: "https://127.0.0.1:1/directory", CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	log, _ := testLogger(t)
	srv, err := New(withSite(t, Config{GetCertificate: mgr.GetCertificate, Ready: mgr.Ready, Log: log}))
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)
	plain := &http.Client{Timeout: 10 * time.Second}
	if code, body := healthzOf(t, plain, "http://"+r.httpAddr+"/healthz"); code != http.StatusServiceUnavailable || body != "no certificate\n" {
		t.Errorf("without a certificate: /healthz %d %q, want 503 \"no certificate\"", code, body)
	}
	// A certificate in the cache, as another server sharing it would
	// leave it: Start loads it.
	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	entry := append(testcert.KeyPEM(t, pki.Leaf.Key), testcert.CertPEM(pki.Leaf.Cert, pki.Intermediate.Cert)...)
	if err := os.WriteFile(filepath.Join(cache, "blog.test"), entry, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mgr.Start(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for mgr.Ready() != nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if code, body := healthzOf(t, plain, "http://"+r.httpAddr+"/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("with a certificate: /healthz over HTTP %d %q, want 200 \"ok\"", code, body)
	}
	if code, body := healthzOf(t, client(r.httpsAddr, "blog.test", pki.Pool(), nil), "https://blog.test/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("with a certificate: /healthz over HTTPS %d %q, want 200 \"ok\"", code, body)
	}
}

// TestHealthzReady checks /healthz against Config.Ready, table-driven,
// over HTTP and HTTPS, and that without a certificate source (plain HTTP)
// it is always ok.
func TestHealthzReady(t *testing.T) {
	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	src := &switchable{}
	src.set(pki.TLS())
	var ready atomic.Pointer[error]
	noCert := errors.New("no certificate yet")
	log, _ := testLogger(t)
	srv, err := New(withSite(t, Config{GetCertificate: src.get, Log: log, PublicRoots: pki.Pool(),
		Ready: func() error { return *ready.Load() }}))
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)
	plainSrv, err := New(withSite(t, Config{Log: log, Ready: func() error { return noCert }}))
	if err != nil {
		t.Fatal(err)
	}
	plainR := start(t, plainSrv)
	plain := &http.Client{Timeout: 10 * time.Second}
	tlsClient := client(r.httpsAddr, "blog.test", pki.Pool(), nil)
	for _, tc := range []struct {
		name   string
		ready  error
		client *http.Client
		url    string
		code   int
		body   string
	}{
		{"HTTP, no certificate", noCert, plain, "http://" + r.httpAddr + "/healthz", 503, "no certificate\n"},
		{"HTTPS, no certificate", noCert, tlsClient, "https://blog.test/healthz", 503, "no certificate\n"},
		{"HTTP, a certificate", nil, plain, "http://" + r.httpAddr + "/healthz", 200, "ok\n"},
		{"HTTPS, a certificate", nil, tlsClient, "https://blog.test/healthz", 200, "ok\n"},
		{"plain HTTP mode", noCert, plain, "http://" + plainR.httpAddr + "/healthz", 200, "ok\n"},
	} {
		ready.Store(&tc.ready)
		res, body := get(t, tc.client, tc.url)
		if res.StatusCode != tc.code || string(body) != tc.body || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %q (Cache-Control %q), want %d %q", tc.name, res.StatusCode, body, res.Header.Get("Cache-Control"), tc.code, tc.body)
		}
		io.Copy(io.Discard, res.Body)
	}
}
