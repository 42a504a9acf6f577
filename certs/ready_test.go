package certs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
)

// TestACMEReady checks Ready: an error until a certificate that has not
// expired is held for one of the names, loaded from the cache here (the
// CA answers nothing).
func TestACMEReady(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name    string
		cached  map[string]time.Time // cache entry → the NotAfter of its certificate
		wantErr string               // "" for ready
	}{
		{"empty cache", nil, "acme: no certificate yet for a.example, b.example"},
		{"one name of two", map[string]time.Time{"b.example": now.Add(60 * 24 * time.Hour)}, ""},
		{"both names", map[string]time.Time{"a.example": now.Add(60 * 24 * time.Hour), "b.example": now.Add(60 * 24 * time.Hour)}, ""},
		{"expired", map[string]time.Time{"a.example": now.Add(-time.Hour)}, "acme: no certificate yet for a.example, b.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, notAfter := range tc.cached {
				leaf := testcert.New(t, testcert.Options{CommonName: name, Names: []string{name},
					NotBefore: notAfter.Add(-90 * 24 * time.Hour), NotAfter: notAfter}, nil)
				entry := append(testcert.KeyPEM(t, leaf.Key), testcert.CertPEM(leaf.Cert)...)
				if err := os.WriteFile(filepath.Join(dir, name), entry, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			ca, _ := countingCA(t)
			a, err := NewACME(ACMEConfig{Domains: []string{"a.example", "b.example"}, DirectoryURL: ca, CacheDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if err := a.Ready(); err == nil {
				t.Fatal("ready before any certificate was looked for")
			}
			for _, d := range []string{"a.example", "b.example"} {
				a.GetCertificate(helloFor(d, false))
			}
			err = a.Ready()
			if tc.wantErr == "" && err != nil {
				t.Errorf("Ready() = %v, want nil", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("Ready() = %v, want %q", err, tc.wantErr)
			}
		})
	}
}
