package tlsinfo

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
)

func chainOf(t *testing.T, p *testcert.PKI) *Chain {
	t.Helper()
	c, err := Describe([]*x509.Certificate{p.Leaf.Cert, p.Intermediate.Cert})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHistory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	h, err := OpenHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, b := chainOf(t, testcert.NewPKI(t, testcert.ECDSA)), chainOf(t, testcert.NewPKI(t, testcert.RSA))
	t0 := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	for i, step := range []struct {
		c    *Chain
		t    time.Time
		want bool
	}{{a, t0, true}, {a, t0.Add(time.Hour), false}, {b, t0.Add(2 * time.Hour), true}, {b, t0.Add(3 * time.Hour), false}} {
		rec, err := h.Add(step.c, nil, step.t)
		if err != nil || (rec != nil) != step.want {
			t.Fatalf("step %d: Add = %v, %v; want a record: %v", i, rec, err, step.want)
		}
	}
	if g := h.Generation(); g != 2 {
		t.Errorf("Generation = %d, want 2 (two new certificates)", g)
	}

	// Modes: the directory holds private keys, the file is private too.
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache dir mode = %v, %v; want 0700", info.Mode().Perm(), err)
	}
	info, err = os.Stat(filepath.Join(dir, HistoryFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("history mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}

	// Across a restart: same records, newest first, deduplicated.
	h2, err := OpenHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	rs := h2.Records()
	if len(rs) != 2 || rs[0].SHA256 != b.Leaf().SHA256 || rs[1].SHA256 != a.Leaf().SHA256 {
		t.Fatalf("records after reopening: %+v", rs)
	}
	if !rs[1].FirstServed.Equal(t0) || rs[0].Issuer != "Example Trust ET R1" || rs[0].KeyType != "RSA 2048" || rs[0].State != Issued {
		t.Errorf("record = %+v", rs[0])
	}
	if rec, _ := h2.Add(a, nil, t0.Add(5*time.Hour)); rec != nil {
		t.Error("a certificate recorded before the restart was added again")
	}
}

func TestHistoryTightensDirMode(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenHistory(dir); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("mode = %v, want 0700", info.Mode().Perm())
	}
}

func TestHistoryCorruptFileReplaced(t *testing.T) {
	for name, content := range map[string]string{
		"not json":                   "{certificates: [",
		"unknown key":                `{"certs": []}`,
		"no fingerprint":             `{"certificates": [{"issuer": "x"}]}`,
		"short fingerprint":          `{"certificates": [{"sha256": "AB:CD"}]}`,
		"fingerprint without colons": `{"certificates": [{"sha256": "` + strings.Repeat("AB", 32) + `"}]}`,
		"fingerprint not hex":        `{"certificates": [{"sha256": "` + strings.Repeat("ZZ:", 31) + `ZZ"}]}`,
		"one good, one bad":          `{"certificates": [{"sha256": "` + strings.Repeat("AB:", 31) + `AB"}, {"sha256": "AB:"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, HistoryFile)
			if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			h, err := OpenHistory(dir)
			var ce *CorruptError
			if !errors.As(err, &ce) || h == nil {
				t.Fatalf("OpenHistory = %v, %v; want a history and a *CorruptError", h, err)
			}
			if ce.MovedTo != p+".corrupt" {
				t.Errorf("MovedTo = %q", ce.MovedTo)
			}
			if kept, _ := os.ReadFile(ce.MovedTo); string(kept) != content {
				t.Errorf("the corrupt file was not kept aside: %q", kept)
			}
			if len(h.Records()) != 0 {
				t.Errorf("records from a corrupt file: %v", h.Records())
			}
			// It works and replaces the corrupt file.
			if _, err := h.Add(chainOf(t, testcert.NewPKI(t, testcert.ECDSA)), nil, time.Now()); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var f struct{ Certificates []Record }
			if err := json.Unmarshal(data, &f); err != nil || len(f.Certificates) != 1 {
				t.Errorf("new history file: %s (%v)", data, err)
			}
			if _, err := OpenHistory(dir); err != nil {
				t.Errorf("reopening the replaced history: %v", err)
			}
		})
	}
}
