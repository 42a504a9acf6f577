package certs

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/acme/autocert"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/tlsinfo"
)

func TestCheckedCache(t *testing.T) {
	dir := t.TempDir()
	var reported []error
	c := newCheckedCache(dir, func(err error) { reported = append(reported, err) }, nil)
	ctx := context.Background()

	p := testcert.NewPKI(t, testcert.ECDSA, "blog.example.com")
	good := append(testcert.KeyPEM(t, p.Leaf.Key), testcert.CertPEM(p.Leaf.Cert, p.Intermediate.Cert)...)
	files := map[string][]byte{
		"blog.example.com":       good,
		"blog.example.com+rsa":   []byte("-----BEGIN RSA PRIVATE KEY-----\nnonsense\n-----END RSA PRIVATE KEY-----\n"),
		"acme_account+key":       []byte("\x00\x01garbage"),
		"blog.example.com+token": []byte("not parsed: challenge tokens are autocert's business"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if data, err := c.Get(ctx, "blog.example.com"); err != nil || !bytes.Equal(data, good) {
		t.Errorf("good entry: %v", err)
	}
	if _, err := c.Get(ctx, "blog.example.com+token"); err != nil {
		t.Errorf("token entry: %v", err)
	}
	for _, name := range []string{"blog.example.com+rsa", "acme_account+key"} {
		if _, err := c.Get(ctx, name); err != autocert.ErrCacheMiss {
			t.Errorf("corrupt %s: err = %v, want ErrCacheMiss", name, err)
		}
		if _, err := os.Stat(filepath.Join(dir, name+".corrupt")); err != nil {
			t.Errorf("corrupt %s not moved aside: %v", name, err)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("corrupt %s still in place", name)
		}
	}
	if len(reported) != 2 {
		t.Errorf("reported %d corrupt entries, want 2: %v", len(reported), reported)
	}
	var ce *tlsinfo.CorruptError
	if len(reported) > 0 && !errors.As(reported[0], &ce) {
		t.Errorf("report %v is not a *CorruptError", reported[0])
	}
}
