package certs

import (
	"context"
	"crypto/tls"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/siteblog/site/internal/dirlock"
	"github.com/siteblog/site/internal/testcert"
)

// certEntryFor makes an autocert certificate entry for name valid from
// notBefore to notAfter.
func certEntryFor(t *testing.T, name string, notBefore, notAfter time.Time) []byte {
	t.Helper()
	p := testcert.NewPKI(t, testcert.ECDSA, name)
	leaf := testcert.New(t, testcert.Options{CommonName: name, Names: []string{name},
		NotBefore: notBefore, NotAfter: notAfter}, p.Intermediate)
	return append(testcert.KeyPEM(t, leaf.Key), testcert.CertPEM(leaf.Cert, p.Intermediate.Cert)...)
}

type handshake struct {
	cert *tls.Certificate
	err  error
}

// goHandshake asks a for name's certificate in a goroutine of its own.
func goHandshake(a *ACME, name string) <-chan handshake {
	got := make(chan handshake, 1)
	go func() {
		c, err := a.GetCertificate(helloFor(name, false))
		got <- handshake{c, err}
	}()
	return got
}

// TestHandshakesWhileAnotherProcessOrders plays two servers sharing a
// store: while the other holds the lock of a.example.com (ordering it),
// this one's handshakes for a.example.com wait for it, and its
// handshakes for other names, and for a certificate due for renewal that
// the other renews, are answered at once.
func TestHandshakesWhileAnotherProcessOrders(t *testing.T) {
	now := time.Now()
	fresh := func(name string) []byte { return certEntryFor(t, name, now.Add(-time.Hour), now.Add(60*24*time.Hour)) }
	due := certEntryFor(t, "a.example.com", now.Add(-60*24*time.Hour), now.Add(5*24*time.Hour))
	expired := certEntryFor(t, "a.example.com", now.Add(-90*24*time.Hour), now.Add(-time.Hour))
	for _, tc := range []struct {
		name   string
		store  map[string][]byte // the store's certificates at first
		loaded []string          // names handshaken before the other server takes the lock
		asked  string            // the handshake that must be answered at once
		wantA  bool              // a.example.com's handshake is answered at once too (its certificate is due)
	}{
		{"a certificate held in memory", map[string][]byte{"b.example.com": fresh("b.example.com")}, []string{"b.example.com"}, "b.example.com", false},
		{"a certificate in the store only", map[string][]byte{"b.example.com": fresh("b.example.com")}, nil, "b.example.com", false},
		{"a certificate due for renewal", map[string][]byte{"a.example.com": due}, nil, "a.example.com", true},
		{"an expired certificate is waited for as a missing one", map[string][]byte{"a.example.com": expired, "b.example.com": fresh("b.example.com")}, nil, "b.example.com", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tc.store {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			ca, asked := countingCA(t)
			a, err := NewACME(ACMEConfig{Domains: []string{"a.example.com", "b.example.com"}, DirectoryURL: ca, CacheDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			for _, name := range tc.loaded {
				if _, err := a.GetCertificate(helloFor(name, false)); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			other, err := dirlock.Acquire(context.Background(), filepath.Join(dir, locksDir), "a.example.com", dirlock.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer other.Release()

			gotA := goHandshake(a, "a.example.com")
			if !tc.wantA {
				select {
				case r := <-gotA:
					t.Fatalf("a.example.com answered while the other server orders it: %v, %v", r.cert, r.err)
				case <-time.After(300 * time.Millisecond):
				}
			}
			select {
			case r := <-goHandshake(a, tc.asked):
				if r.err != nil || r.cert == nil {
					t.Fatalf("%s: %v", tc.asked, r.err)
				}
			case <-time.After(2 * time.Second):
				t.Fatalf("the handshake for %s waits for the other server's order of a.example.com", tc.asked)
			}
			if tc.wantA {
				select {
				case r := <-gotA:
					if r.err != nil || r.cert == nil {
						t.Fatalf("a.example.com: %v", r.err)
					}
				case <-time.After(2 * time.Second):
					t.Fatal("the handshake for a.example.com, due for renewal, waits for the other server's renewal")
				}
				// This server's renewal waits for the other's; closing
				// it stops the wait, before the other server finishes.
				a.Close()
				return
			}
			// The other server gives up: this one orders (and fails, the
			// CA answering nothing).
			other.Release()
			select {
			case r := <-gotA:
				if r.err == nil {
					t.Fatal("a.example.com: a certificate from a CA that answers nothing")
				}
			case <-time.After(5 * time.Second):
				t.Fatal("a.example.com still waits after the other server released its lock")
			}
			if asked.Load() == 0 {
				t.Error("the CA was not asked for a.example.com after the other server released its lock")
			}
		})
	}
}

// TestFailedHandshakeReleasesItsLockOnly: a handshake whose order fails
// releases the lock it took, not the lock of the name's other key type
// held for an order still running.
func TestFailedHandshakeReleasesItsLockOnly(t *testing.T) {
	dir := t.TempDir()
	ca, _ := countingCA(t)
	a, err := NewACME(ACMEConfig{Domains: []string{"blog.example.com"}, DirectoryURL: ca, CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// An RSA order in flight holds the lock of blog.example.com+rsa.
	if _, err := a.cache.Get(context.Background(), "blog.example.com+rsa"); err == nil {
		t.Fatal("blog.example.com+rsa found in an empty store")
	}
	rsaLock := dirlock.Path(filepath.Join(dir, locksDir), "blog.example.com+rsa")
	if _, err := os.Stat(rsaLock); err != nil {
		t.Fatalf("the RSA order holds no lock: %v", err)
	}
	if _, err := a.GetCertificate(helloFor("blog.example.com", false)); err == nil {
		t.Fatal("a certificate from a CA that answers nothing")
	}
	if _, err := os.Stat(rsaLock); err != nil {
		t.Errorf("the failed ECDSA handshake released the RSA order's lock: %v", err)
	}
	if _, err := os.Stat(dirlock.Path(filepath.Join(dir, locksDir), "blog.example.com")); !os.IsNotExist(err) {
		t.Errorf("the failed ECDSA handshake kept its own lock: %v", err)
	}
}
