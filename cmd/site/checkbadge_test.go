package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/tlsinfo"
)

// TestCheckRecordedHost: --check-badge warns, without failing, when the
// badge was recorded for another host than the one checked.
func TestCheckRecordedHost(t *testing.T) {
	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	chain, err := tlsinfo.Describe([]*x509.Certificate{pki.Leaf.Cert, pki.Intermediate.Cert})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pki.Leaf.Cert.Raw)
	for _, tc := range []struct {
		recorded, target string
		warn             bool
	}{
		{"blog.test", "blog.test", false},
		{"blog.test", "blog.test:443", false},
		{"blog.test", "BLOG.TEST.", false},
		{"127.0.0.1:8443", "127.0.0.1:8443", false},
		{"blog.test", "www.blog.test", true},
		{"blog.test", "127.0.0.1:443", true},
	} {
		f := &badge.RecordedFacts{Host: tc.recorded, SHA256: hex.EncodeToString(sum[:]), NotAfter: pki.Leaf.Cert.NotAfter, Checked: "2026-01-01"}
		res := &tlsinfo.ProbeResult{Target: tc.target, Chain: chain, Trusted: true, Checked: time.Now()}
		var out, errw bytes.Buffer
		if err := checkRecorded(&out, &errw, "public", tc.target, f, res); err != nil {
			t.Errorf("%s for %s: %v", tc.target, tc.recorded, err)
		}
		want := ""
		if tc.warn {
			want = "warning: the badge of public records the certificate of " + hostOf(tc.recorded) + ", not of " + hostOf(tc.target) + "\n"
		}
		if errw.String() != want || !strings.Contains(out.String(), "presents the certificate the badge of public records") {
			t.Errorf("%s for %s: stderr %q, want %q; stdout %q", tc.target, tc.recorded, errw.String(), want, out.String())
		}
	}
}
