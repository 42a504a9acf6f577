package serve

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/tlsinfo"
)

// TestVerdictUntil: the instant until which a verdict holds is the first
// expiry or start of validity still to come.
func TestVerdictUntil(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	cert := func(from, to int) *x509.Certificate { return &x509.Certificate{NotBefore: at(from), NotAfter: at(to)} }
	for _, tc := range []struct {
		name  string
		certs []*x509.Certificate
		trust int // Trust.NotAfter
		want  time.Time
	}{
		{"the leaf expires first", []*x509.Certificate{cert(-1, 10), cert(-1, 20)}, 10, at(10)},
		{"the intermediate sent expires first", []*x509.Certificate{cert(-1, 10), cert(-1, 5)}, 10, at(5)},
		{"the verified path expires first", []*x509.Certificate{cert(-1, 10), cert(-1, 20)}, 3, at(3)},
		{"not yet valid", []*x509.Certificate{cert(2, 10)}, 10, at(2).Add(-time.Nanosecond)},
		{"expired: for ever", []*x509.Certificate{cert(-10, -1)}, -1, time.Time{}},
		{"an expired intermediate: the leaf's expiry", []*x509.Certificate{cert(-10, 4), cert(-10, -1)}, 4, at(4)},
	} {
		got := verdictUntil(tc.certs, &tlsinfo.Trust{NotAfter: at(tc.trust)}, now)
		if !got.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestProductionVerdictExpires: a certificate that expires, or becomes
// valid, while served gets a new verdict on new connections and resumed
// sessions, and the history keeps one record of it.
func TestProductionVerdictExpires(t *testing.T) {
	root := testcert.New(t, testcert.Options{CommonName: "Example Trust Root X1", Organization: "Example Trust", CA: true}, nil)
	inter := testcert.New(t, testcert.Options{CommonName: "ET R1", Organization: "Example Trust", CA: true}, root)
	notBefore, notAfter := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	leaf := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"},
		NotBefore: notBefore, NotAfter: notAfter}, inter)
	src := &switchable{}
	src.set(tls.Certificate{Certificate: [][]byte{leaf.Cert.Raw, inter.Cert.Raw}, PrivateKey: leaf.Key, Leaf: leaf.Cert})
	roots := x509.NewCertPool()
	roots.AddCert(root.Cert)
	hist, err := tlsinfo.OpenHistory(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	log, logs := testLogger(t)
	srv, err := New(withSite(t, Config{GetCertificate: src.get, History: hist, Log: log, PublicRoots: roots}))
	if err != nil {
		t.Fatal(err)
	}
	var clock atomic.Int64 // the registry's time; clients check the certificate at the real time
	set := func(t time.Time) { clock.Store(t.UnixNano()) }
	srv.certs.now = func() time.Time { return time.Unix(0, clock.Load()) }
	r := start(t, srv)
	state := func(cfg *tls.Config, wantResumed bool) string {
		t.Helper()
		res, body := get(t, client(r.httpsAddr, "blog.test", roots, cfg), "https://blog.test/")
		if res.TLS.DidResume != wantResumed {
			t.Fatalf("resumed: %v, want %v", res.TLS.DidResume, wantResumed)
		}
		_, rest, _ := strings.Cut(badgeOf(t, body), `data-state="`)
		s, _, _ := strings.Cut(rest, `"`)
		return s
	}
	cache := tls.NewLRUClientSessionCache(8)
	resuming := &tls.Config{ClientSessionCache: cache}

	set(notBefore.Add(-time.Minute))
	if got := state(nil, false); got != "expired" {
		t.Errorf("before the certificate is valid: %q, want expired", got)
	}
	set(notBefore.Add(time.Minute))
	if got := state(nil, false); got != "verified" {
		t.Errorf("once the certificate is valid: %q, want verified", got)
	}
	if got := state(resuming, false); got != "verified" {
		t.Errorf("a session to resume: %q, want verified", got)
	}
	// A connection opened while the certificate was valid and kept open
	// past its expiry shows the verdict of each request's time.
	kept := client(r.httpsAddr, "blog.test", roots, nil)
	keptState := func() string {
		t.Helper()
		_, body := get(t, kept, "https://blog.test/about/")
		_, rest, _ := strings.Cut(badgeOf(t, body), `data-state="`)
		s, _, _ := strings.Cut(rest, `"`)
		return s
	}
	if got := keptState(); got != "verified" {
		t.Errorf("a kept connection while the certificate is valid: %q, want verified", got)
	}
	set(notAfter.Add(time.Second))
	if got := keptState(); got != "expired" {
		t.Errorf("the kept connection after the expiry: %q, want expired", got)
	}
	if got := state(resuming, true); got != "expired" {
		t.Errorf("a session resumed after the expiry: %q, want expired", got)
	}
	if got := state(nil, false); got != "expired" {
		t.Errorf("a new connection after the expiry: %q, want expired", got)
	}
	if rs := hist.Records(); len(rs) != 1 {
		t.Errorf("history: %d records, want 1: %+v", len(rs), rs)
	}
	if n := strings.Count(logs.String(), "the certificate served changed state"); n != 2 {
		t.Errorf("%d state changes logged, want 2:\n%s", n, logs.String())
	}
	if chains := srv.ServedChains(); len(chains) != 1 || string(chains[0][0]) != string(leaf.Cert.Raw) {
		t.Errorf("ServedChains: %d chains", len(chains))
	}
}

// TestRegistryBounded: byFP keeps at most maxCerts certificates, dropping
// the expired ones first.
func TestRegistryBounded(t *testing.T) {
	now := time.Now()
	r := &certRegistry{log: slog.New(slog.DiscardHandler), now: func() time.Time { return now }}
	ca := testcert.New(t, testcert.Options{CommonName: "CA", CA: true}, nil)
	expired := testcert.New(t, testcert.Options{CommonName: "old.test", Names: []string{"old.test"},
		NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-24 * time.Hour)}, ca)
	c := tls.Certificate{Certificate: [][]byte{expired.Cert.Raw, ca.Cert.Raw}, Leaf: expired.Cert}
	if _, err := r.of(&c); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < maxCerts+10; i++ {
		leaf := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}}, ca)
		c := tls.Certificate{Certificate: [][]byte{leaf.Cert.Raw, ca.Cert.Raw}, Leaf: leaf.Cert}
		if _, err := r.of(&c); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	r.byFP.Range(func(any, any) bool { n++; return true })
	if n != maxCerts || r.nFP != maxCerts {
		t.Errorf("byFP holds %d certificates (counted %d), want %d", n, r.nFP, maxCerts)
	}
	if r.byFingerprint(expired.Cert.Raw[:0]) != nil {
		t.Error("a short fingerprint found a certificate")
	}
	fp := sha256.Sum256(expired.Cert.Raw)
	if r.byFingerprint(fp[:]) != nil {
		t.Error("the expired certificate was kept")
	}
}

// TestWeakKeyAlert: a chain that verifies with an RSA key under 2048 bits
// is served, and /tls/ says what browsers make of the key.
func TestWeakKeyAlert(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	root := testcert.New(t, testcert.Options{CommonName: "Home Root", CA: true}, nil)
	leaf := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}, Key: key}, root)
	src := &switchable{}
	src.set(leaf.TLS())
	roots := x509.NewCertPool()
	roots.AddCert(root.Cert)
	r, _, _ := newTLSServer(t, src, roots)
	_, page := get(t, client(r.httpsAddr, "blog.test", roots, nil), "https://blog.test/tls/")
	if want := `<p class="tls-alert" role="alert"><strong>Alert:</strong> the RSA key of blog.test has 1024 bits: browsers refuse keys under 2048 bits</p>`; !strings.Contains(string(page), want) {
		t.Errorf("/tls/ lacks %s", want)
	}
}
