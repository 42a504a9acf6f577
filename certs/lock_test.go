package certs

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/acme/autocert"

	"github.com/siteblog/site/internal/dirlock"
	"github.com/siteblog/site/internal/testcert"
)

// certEntry makes an autocert certificate entry for blog.example.com valid
// from notBefore to notAfter.
func certEntry(t *testing.T, notBefore, notAfter time.Time) []byte {
	t.Helper()
	p := testcert.NewPKI(t, testcert.ECDSA, "blog.example.com")
	leaf := testcert.New(t, testcert.Options{CommonName: "blog.example.com", Names: []string{"blog.example.com"},
		NotBefore: notBefore, NotAfter: notAfter}, p.Intermediate)
	return append(testcert.KeyPEM(t, leaf.Key), testcert.CertPEM(leaf.Cert, p.Intermediate.Cert)...)
}

// TestCacheLockBetweenProcesses plays two servers (two caches on one
// directory): the first to miss an entry, or to find it due for renewal,
// holds its lock until it stores it; the other's lookups for autocert's
// handshakes do not wait (a miss is reported as ordered elsewhere, a due
// certificate is returned as it is), and its waiting lookups (before a
// handshake calls autocert, autocert's renewal) wait and then find what
// the first stored, instead of ordering again.
func TestCacheLockBetweenProcesses(t *testing.T) {
	now := time.Now()
	fresh := certEntry(t, now.Add(-time.Hour), now.Add(60*24*time.Hour))
	due := certEntry(t, now.Add(-60*24*time.Hour), now.Add(5*24*time.Hour))
	accountKey := testcert.KeyPEM(t, testcert.NewPKI(t, testcert.ECDSA).Leaf.Key)
	for _, tc := range []struct {
		name     string
		entry    string
		before   []byte // in the store at first; nil for none
		stored   []byte // what the first server stores after ordering
		failed   string // how the first server gives up instead: "failed" (its handshake failed), "closed"
		wantLock bool   // the first Get takes the lock
	}{
		{"a missing certificate is ordered once", "blog.example.com", nil, fresh, "", true},
		{"a missing RSA certificate is ordered once", "blog.example.com+rsa", nil, fresh, "", true},
		{"the account key is made once", accountKeyName, nil, accountKey, "", true},
		{"a certificate due for renewal is renewed once", "blog.example.com", due, fresh, "", true},
		{"a failed order lets the other server try", "blog.example.com", nil, nil, "failed", true},
		{"a server closed while ordering lets the other try", "blog.example.com", nil, nil, "closed", true},
		{"a fresh certificate takes no lock", "blog.example.com", fresh, nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.before != nil {
				if err := os.WriteFile(filepath.Join(dir, tc.entry), tc.before, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			noErr := func(err error) { t.Errorf("reported: %v", err) }
			first, second := newCheckedCache(dir, noErr, nil), newCheckedCache(dir, noErr, nil)
			ctx := context.Background()
			data, err := first.Get(ctx, tc.entry)
			if tc.before == nil && err != autocert.ErrCacheMiss || tc.before != nil && !bytes.Equal(data, tc.before) {
				t.Fatalf("first Get = %d bytes, %v", len(data), err)
			}
			lockFile := dirlock.Path(filepath.Join(dir, locksDir), tc.entry)
			if _, err := os.Stat(lockFile); (err == nil) != tc.wantLock {
				t.Fatalf("lock file after the first Get: %v; want a lock: %v", err, tc.wantLock)
			}
			if !tc.wantLock {
				return
			}
			// The same process asks again (autocert's renewal of what its
			// handshake loaded): no waiting for itself.
			if again, err := first.Get(ctx, tc.entry); !bytes.Equal(again, data) || (err != nil) != (data == nil) {
				t.Fatalf("the holder's second Get = %d bytes, %v", len(again), err)
			}

			// The second server's lookup for autocert's handshake does
			// not wait.
			start := time.Now()
			now, err := second.Get(ctx, tc.entry)
			if waited := time.Since(start); waited > time.Second {
				t.Errorf("the second server's Get waited %v for the lock", waited)
			}
			if tc.before == nil && !errors.Is(err, errOrderedElsewhere) || tc.before != nil && (err != nil || !bytes.Equal(now, tc.before)) {
				t.Fatalf("the second server's Get = %d bytes, %v; want at once the certificate held, or ordered elsewhere", len(now), err)
			}

			type result struct {
				data []byte
				err  error
			}
			got := make(chan result, 1)
			go func() {
				d, err := second.get(ctx, tc.entry, true)
				got <- result{d, err}
			}()
			select {
			case r := <-got:
				t.Fatalf("the second server did not wait for the lock: %d bytes, %v", len(r.data), r.err)
			case <-time.After(300 * time.Millisecond):
			}
			switch tc.failed {
			case "failed":
				first.release(tc.entry)
			case "closed":
				first.releaseAll()
			default:
				if err := first.Put(ctx, tc.entry, tc.stored); err != nil {
					t.Fatal(err)
				}
			}
			var r result
			select {
			case r = <-got:
			case <-time.After(5 * time.Second):
				t.Fatal("the second server still waits after the first stored the entry")
			}
			if tc.failed != "" {
				if r.err != autocert.ErrCacheMiss {
					t.Fatalf("second Get after a failed order = %v, want a miss (it orders)", r.err)
				}
				second.release(tc.entry)
			} else if r.err != nil || !bytes.Equal(r.data, tc.stored) {
				t.Fatalf("second Get = %d bytes, %v; want what the first stored", len(r.data), r.err)
			}
			if _, err := os.Stat(lockFile); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("lock file left after storing: %v", err)
			}
		})
	}
}

// TestCacheLockLeftByKilledProcess: a lock whose holder died (its file
// never refreshed again) is waited for until it is stale, then taken
// over.
func TestCacheLockLeftByKilledProcess(t *testing.T) {
	const stale = 2 * time.Second
	dir := t.TempDir()
	lockDir := filepath.Join(dir, locksDir)
	if err := os.MkdirAll(lockDir, 0o700); err != nil {
		t.Fatal(err)
	}
	left := `{"token":"dead","pid":999999,"created":"` + time.Now().UTC().Format(time.RFC3339Nano) +
		`","updated":"` + time.Now().UTC().Format(time.RFC3339Nano) + `"}`
	if err := os.WriteFile(dirlock.Path(lockDir, "blog.example.com"), []byte(left), 0o600); err != nil {
		t.Fatal(err)
	}
	var reported []string
	c := newCheckedCache(dir, func(err error) { reported = append(reported, err.Error()) }, nil)
	c.lockOpt = dirlock.Options{Stale: stale}
	start := time.Now()
	_, err := c.get(context.Background(), "blog.example.com", true)
	waited := time.Since(start)
	if err != autocert.ErrCacheMiss {
		t.Fatalf("Get = %v, want a miss once the lock is taken over", err)
	}
	if waited < stale || waited > stale+3*time.Second {
		t.Errorf("took the lock over after %v; stale time %v", waited, stale)
	}
	data, _ := os.ReadFile(dirlock.Path(lockDir, "blog.example.com"))
	if bytes.Contains(data, []byte(`"dead"`)) {
		t.Errorf("the lock file is still the dead process's: %s", data)
	}
	c.release("blog.example.com")
	want := "lock " + dirlock.Path(lockDir, "blog.example.com") + `: taken over from process 999999 on "" (not refreshed for `
	if len(reported) != 1 || !strings.HasPrefix(reported[0], want) {
		t.Errorf("reported %q, want one %q…", reported, want)
	}
}

// TestACMEStaleLockWithPebble: a server killed while ordering left the
// certificate's lock behind; another server waits until the lock is
// stale (LockStale), takes it over and gets the certificate, ordering it
// once.
func TestACMEStaleLockWithPebble(t *testing.T) {
	const stale = 3 * time.Second
	p, httpsLn, httpLn := startPebble(t)
	cache := filepath.Join(t.TempDir(), "acme")
	lockDir := filepath.Join(cache, locksDir)
	if err := os.MkdirAll(lockDir, 0o700); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	left := `{"token":"dead","pid":999999,"created":"` + now + `","updated":"` + now + `"}`
	if err := os.WriteFile(dirlock.Path(lockDir, "blog.test"), []byte(left), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := NewACME(ACMEConfig{Domains: []string{"blog.test"}, DirectoryURL: p.Directory(),
		Roots: []*x509.Certificate{p.APIRoot}, CacheDir: cache, LockStale: stale})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	answerChallenges(t, a, httpsLn, httpLn)

	start := time.Now()
	if _, err := a.GetCertificate(helloFor("blog.test", false)); err != nil {
		t.Fatalf("certificate from Pebble: %v", err)
	}
	if waited := time.Since(start); waited < stale {
		t.Errorf("got the certificate after %v, before the lock left behind was stale (%v)", waited, stale)
	}
	if n := p.Issued(); n != 1 {
		t.Errorf("Pebble issued %d certificates, want 1", n)
	}
	if _, err := os.Stat(dirlock.Path(lockDir, "blog.test")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock is still there after the certificate was stored: %v", err)
	}
}

// TestRenewalOfOrderedCertificateWaits checks that a certificate this
// process ordered (autocert stores it with Put and holds it in memory)
// is, once due, looked up by autocert's renewal, which waits while
// another process renews it and then finds the renewed certificate: the
// processes renew once, whichever ordered the first.
func TestRenewalOfOrderedCertificateWaits(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	dir := t.TempDir()
	v := newManagerCache(newCheckedCache(dir, func(error) {}, nil))
	const name = "blog.example.com"
	if err := v.Put(ctx, name, certEntry(t, now.Add(-60*24*time.Hour), now.Add(5*24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	other, err := dirlock.Acquire(ctx, filepath.Join(dir, locksDir), name, dirlock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		data []byte
		err  error
	}
	got := make(chan result, 1)
	go func() {
		data, err := v.Get(ctx, name)
		got <- result{data, err}
	}()
	select {
	case r := <-got:
		t.Fatalf("the renewal's lookup returned at once (%v) while another process renews", r.err)
	case <-time.After(500 * time.Millisecond):
	}
	renewed := certEntry(t, now.Add(-time.Hour), now.Add(60*24*time.Hour))
	if err := os.WriteFile(filepath.Join(dir, name), renewed, 0o600); err != nil {
		t.Fatal(err)
	}
	other.Release()
	select {
	case r := <-got:
		if r.err != nil || !bytes.Equal(r.data, renewed) {
			t.Errorf("the renewal's lookup: %v, want the certificate the other process renewed", r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the renewal's lookup still waits after the other process released its lock")
	}
}
