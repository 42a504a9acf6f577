package certs

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
)

// testPair is a leaf for blog.test signed by a test CA, as PEM files hold
// it.
type testPair struct {
	leaf     *x509.Certificate
	cert     []byte // leaf and CA, PEM
	key      []byte // PEM
	combined []byte // key, then chain: one file for both flags
}

func newTestPair(t *testing.T, ca *testcert.Cert, name string) testPair {
	t.Helper()
	leaf := testcert.New(t, testcert.Options{CommonName: name, Names: []string{"blog.test"}}, ca)
	cert := testcert.CertPEM(leaf.Cert, ca.Cert)
	key := testcert.KeyPEM(t, leaf.Key)
	return testPair{leaf: leaf.Cert, cert: cert, key: key, combined: append(append([]byte{}, key...), cert...)}
}

func testCA(t *testing.T) *testcert.Cert {
	return testcert.New(t, testcert.Options{CommonName: "Files Test CA", CA: true}, nil)
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// replace puts data at path the way careful programs do: a new file
// renamed over the old one.
func replace(t *testing.T, path string, data []byte) {
	t.Helper()
	tmp := path + ".tmp"
	write(t, tmp, data)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// relink points the symbolic link at path to target, atomically: a new
// link renamed over the old one, as certbot and Kubernetes do.
func relink(t *testing.T, target, path string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.Symlink(target, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func link(t *testing.T, target, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

// loads records what OnLoad was called with.
type loads struct {
	mu    sync.Mutex
	names []string
}

func (l *loads) add(c *tls.Certificate) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names = append(l.names, c.Leaf.Subject.CommonName)
}

func (l *loads) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.names...)
}

func serving(f *Files) string {
	c, err := f.GetCertificate(&tls.ClientHelloInfo{ServerName: "blog.test"})
	if err != nil {
		return "error: " + err.Error()
	}
	return c.Leaf.Subject.CommonName
}

// waitServing waits until f serves the certificate named want.
func waitServing(t *testing.T, f *Files, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for serving(f) != want {
		if time.Now().After(deadline) {
			t.Fatalf("still serving %s, want %s", serving(f), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestFilesReloadOnChange swaps the files in every way programs that renew
// certificates do, and checks that the new pair is served, once.
func TestFilesReloadOnChange(t *testing.T) {
	t.Parallel()
	ca := testCA(t)
	a, b := newTestPair(t, ca, "A"), newTestPair(t, ca, "B")
	for _, tc := range []struct {
		name string
		// setup writes p and returns the paths to give NewFiles.
		setup func(t *testing.T, dir string, p testPair) (cert, key string)
		swap  func(t *testing.T, dir string, p testPair)
	}{
		{
			name:  "renamed over",
			setup: writePair,
			swap: func(t *testing.T, dir string, p testPair) {
				replace(t, filepath.Join(dir, "site.crt"), p.cert)
				replace(t, filepath.Join(dir, "site.key"), p.key)
			},
		},
		{
			name:  "rewritten in place",
			setup: writePair,
			swap: func(t *testing.T, dir string, p testPair) {
				write(t, filepath.Join(dir, "site.crt"), p.cert)
				write(t, filepath.Join(dir, "site.key"), p.key)
			},
		},
		{
			name: "one file for both, in separate directories from the site's",
			setup: func(t *testing.T, dir string, p testPair) (string, string) {
				write(t, filepath.Join(dir, "tls", "site.pem"), p.combined)
				return filepath.Join(dir, "tls", "site.pem"), filepath.Join(dir, "tls", "site.pem")
			},
			swap: func(t *testing.T, dir string, p testPair) {
				replace(t, filepath.Join(dir, "tls", "site.pem"), p.combined)
			},
		},
		{
			// /etc/letsencrypt/live/NAME/*.pem are links to numbered
			// files in ../../archive/NAME/, relinked at each renewal.
			name: "certbot's links swapped",
			setup: func(t *testing.T, dir string, p testPair) (string, string) {
				write(t, filepath.Join(dir, "archive", "blog.test", "fullchain1.pem"), p.cert)
				write(t, filepath.Join(dir, "archive", "blog.test", "privkey1.pem"), p.key)
				link(t, "../../archive/blog.test/fullchain1.pem", filepath.Join(dir, "live", "blog.test", "fullchain.pem"))
				link(t, "../../archive/blog.test/privkey1.pem", filepath.Join(dir, "live", "blog.test", "privkey.pem"))
				return filepath.Join(dir, "live", "blog.test", "fullchain.pem"), filepath.Join(dir, "live", "blog.test", "privkey.pem")
			},
			swap: func(t *testing.T, dir string, p testPair) {
				write(t, filepath.Join(dir, "archive", "blog.test", "fullchain2.pem"), p.cert)
				write(t, filepath.Join(dir, "archive", "blog.test", "privkey2.pem"), p.key)
				relink(t, "../../archive/blog.test/fullchain2.pem", filepath.Join(dir, "live", "blog.test", "fullchain.pem"))
				relink(t, "../../archive/blog.test/privkey2.pem", filepath.Join(dir, "live", "blog.test", "privkey.pem"))
			},
		},
		{
			// A Kubernetes secret volume: tls.crt → ..data/tls.crt, and
			// ..data → a timestamped directory, swapped at each update.
			name: "a directory link swapped",
			setup: func(t *testing.T, dir string, p testPair) (string, string) {
				write(t, filepath.Join(dir, "..v1", "tls.crt"), p.cert)
				write(t, filepath.Join(dir, "..v1", "tls.key"), p.key)
				link(t, "..v1", filepath.Join(dir, "..data"))
				link(t, "..data/tls.crt", filepath.Join(dir, "tls.crt"))
				link(t, "..data/tls.key", filepath.Join(dir, "tls.key"))
				return filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
			},
			swap: func(t *testing.T, dir string, p testPair) {
				write(t, filepath.Join(dir, "..v2", "tls.crt"), p.cert)
				write(t, filepath.Join(dir, "..v2", "tls.key"), p.key)
				relink(t, "..v2", filepath.Join(dir, "..data"))
				if err := os.RemoveAll(filepath.Join(dir, "..v1")); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			// The files a link leads to, rewritten in place: only their
			// own directory sees events.
			name: "rewritten in place behind links",
			setup: func(t *testing.T, dir string, p testPair) (string, string) {
				write(t, filepath.Join(dir, "real", "site.crt"), p.cert)
				write(t, filepath.Join(dir, "real", "site.key"), p.key)
				link(t, filepath.Join(dir, "real", "site.crt"), filepath.Join(dir, "conf", "site.crt"))
				link(t, filepath.Join(dir, "real", "site.key"), filepath.Join(dir, "conf", "site.key"))
				return filepath.Join(dir, "conf", "site.crt"), filepath.Join(dir, "conf", "site.key")
			},
			swap: func(t *testing.T, dir string, p testPair) {
				write(t, filepath.Join(dir, "real", "site.crt"), p.cert)
				write(t, filepath.Join(dir, "real", "site.key"), p.key)
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			certFile, keyFile := tc.setup(t, dir, a)
			var got loads
			log, buf := testLogger()
			f, err := NewFiles(FilesConfig{CertFile: certFile, KeyFile: keyFile, OnLoad: got.add, Log: log, Quiet: 50 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if s := serving(f); s != "A" {
				t.Fatalf("serving %s at start, want A", s)
			}
			tc.swap(t, dir, b)
			waitServing(t, f, "B")
			if f.Certificate().Leaf.Subject.CommonName != "B" || len(f.Certificate().Certificate) != 2 {
				t.Errorf("Certificate() = %v, want B and its CA", f.Certificate().Leaf.Subject)
			}
			// Nothing more happens: the same files are no new pair.
			time.Sleep(200 * time.Millisecond)
			if l := got.get(); strings.Join(l, ",") != "A,B" {
				t.Errorf("OnLoad got %v, want [A B]", l)
			}
			if n := strings.Count(buf.String(), "certificate loaded"); n != 2 {
				t.Errorf("%d loads logged, want 2:\n%s", n, buf)
			}
			// And again, to show the watches followed the swap.
			tc.swap(t, dir, newTestPair(t, ca, "C"))
			waitServing(t, f, "C")
		})
	}
}

// TestFilesBrokenPairKeepsOld writes pairs that do not load: the previous
// pair stays served, the failure is logged, and the next change is tried.
func TestFilesBrokenPairKeepsOld(t *testing.T) {
	t.Parallel()
	ca := testCA(t)
	a, b := newTestPair(t, ca, "A"), newTestPair(t, ca, "B")
	dir := t.TempDir()
	certFile, keyFile := writePair(t, dir, a)
	log, buf := testLogger()
	f, err := NewFiles(FilesConfig{CertFile: certFile, KeyFile: keyFile, Log: log, Quiet: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// waitLogged waits for a failure to load whose error says why.
	waitLogged := func(why string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			for _, l := range strings.Split(buf.String(), "\n") {
				if strings.Contains(l, "do not load; still serving the previous certificate") && strings.Contains(l, why) {
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("no failure logged with %q:\n%s", why, buf)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	// Half written: the certificate cut short.
	write(t, certFile, b.cert[:len(b.cert)/2])
	waitLogged("failed to find any PEM data in certificate input")
	if s := serving(f); s != "A" {
		t.Errorf("serving %s after a truncated certificate, want A", s)
	}
	// The new certificate with the old key: the key does not match.
	write(t, certFile, b.cert)
	waitLogged("private key does not match public key")
	if s := serving(f); s != "A" {
		t.Errorf("serving %s with a key that does not match, want A", s)
	}
	// Its key arrives: the pair loads.
	write(t, keyFile, b.key)
	waitServing(t, f, "B")
	// The key removed: B stays.
	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	waitLogged("no such file")
	if s := serving(f); s != "B" {
		t.Errorf("serving %s without a key file, want B", s)
	}
}

// TestFilesReload loads the files on demand, with events held back for
// an hour.
func TestFilesReload(t *testing.T) {
	t.Parallel()
	ca := testCA(t)
	a, b := newTestPair(t, ca, "A"), newTestPair(t, ca, "B")
	dir := t.TempDir()
	certFile, keyFile := writePair(t, dir, a)
	var got loads
	f, err := NewFiles(FilesConfig{CertFile: certFile, KeyFile: keyFile, OnLoad: got.add, Quiet: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	steps := []struct {
		name        string
		change      func()
		changed     bool
		err         string
		wantServing string
	}{
		{"unchanged", func() {}, false, "", "A"},
		{"new pair", func() { write(t, certFile, b.cert); write(t, keyFile, b.key) }, true, "", "B"},
		{"same pair again", func() { write(t, certFile, b.cert) }, false, "", "B"},
		{"same certificate, chain without the CA", func() {
			write(t, certFile, testcert.CertPEM(b.leaf))
		}, true, "", "B"},
		{"garbage", func() { write(t, certFile, []byte("not PEM")) }, false, "failed to find any PEM data", "B"},
		{"a malformed intermediate", func() { write(t, certFile, badIntermediate(b.leaf)) }, false,
			"certificate file " + certFile + ": certificate 2: ", "B"},
		{"key of another pair", func() { write(t, certFile, a.cert) }, false, "does not match", "B"},
		{"no certificate file", func() { os.Remove(certFile) }, false, "no such file", "B"},
		{"back to A", func() { write(t, certFile, a.cert); write(t, keyFile, a.key) }, true, "", "A"},
	}
	for _, s := range steps {
		s.change()
		changed, err := f.Reload()
		if changed != s.changed || (err == nil) != (s.err == "") || (err != nil && !strings.Contains(err.Error(), s.err)) {
			t.Errorf("%s: Reload() = %v, %v; want %v, error with %q", s.name, changed, err, s.changed, s.err)
		}
		if got := serving(f); got != s.wantServing {
			t.Errorf("%s: serving %s, want %s", s.name, got, s.wantServing)
		}
	}
	if l := got.get(); strings.Join(l, ",") != "A,B,B,A" {
		t.Errorf("OnLoad got %v, want [A B B A]", l)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestFilesQuiet replaces one file holding both key and chain five times
// in a burst: only the last pair is loaded.
func TestFilesQuiet(t *testing.T) {
	t.Parallel()
	ca := testCA(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "site.pem")
	write(t, file, newTestPair(t, ca, "start").combined)
	var got loads
	f, err := NewFiles(FilesConfig{CertFile: file, KeyFile: file, OnLoad: got.add, Quiet: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pairs []testPair
	for i := range 5 {
		pairs = append(pairs, newTestPair(t, ca, fmt.Sprint("burst ", i)))
	}
	for _, p := range pairs {
		replace(t, file, p.combined)
		time.Sleep(20 * time.Millisecond)
	}
	waitServing(t, f, "burst 4")
	if l := got.get(); strings.Join(l, ",") != "start,burst 4" {
		t.Errorf("OnLoad got %q, want the first and the last pair only", l)
	}
}

// badIntermediate is leaf's PEM followed by a certificate block whose
// DER does not parse.
func badIntermediate(leaf *x509.Certificate) []byte {
	return append(testcert.CertPEM(leaf), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not DER")})...)
}

func TestNewFilesErrors(t *testing.T) {
	dir := t.TempDir()
	ca := testCA(t)
	a := newTestPair(t, ca, "A")
	write(t, filepath.Join(dir, "a.crt"), a.cert)
	write(t, filepath.Join(dir, "a.key"), a.key)
	write(t, filepath.Join(dir, "other.key"), newTestPair(t, ca, "B").key)
	write(t, filepath.Join(dir, "bad-intermediate.crt"), badIntermediate(a.leaf))
	for _, tc := range []struct {
		cert, key, want string
	}{
		{"", "a.key", "both a certificate and a key"},
		{"missing.crt", "a.key", "no such file"},
		{"a.crt", "missing.key", "no such file"},
		{"a.crt", "other.key", "does not match"},
		{"a.key", "a.key", "failed to find certificate PEM data"},
		{"bad-intermediate.crt", "a.key", "bad-intermediate.crt: certificate 2: x509: malformed certificate"},
	} {
		cert, key := tc.cert, filepath.Join(dir, tc.key)
		if cert != "" {
			cert = filepath.Join(dir, cert)
		}
		if _, err := NewFiles(FilesConfig{CertFile: cert, KeyFile: key}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewFiles(%s, %s) = %v, want an error with %q", tc.cert, tc.key, err, tc.want)
		}
	}
}

// writePair writes p as dir/site.crt and dir/site.key, and returns their
// paths.
func writePair(t *testing.T, dir string, p testPair) (certFile, keyFile string) {
	certFile, keyFile = filepath.Join(dir, "site.crt"), filepath.Join(dir, "site.key")
	write(t, certFile, p.cert)
	write(t, keyFile, p.key)
	return certFile, keyFile
}
