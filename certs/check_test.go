package certs

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/tlsinfo"
)

func TestCheck(t *testing.T) {
	root := testcert.New(t, testcert.Options{CommonName: "Check Root", Organization: "Check", Country: "US", CA: true}, nil)
	inter := testcert.New(t, testcert.Options{CommonName: "Check R1", Organization: "Check", CA: true}, root)
	leaf := func(notAfter time.Time) *x509.Certificate {
		return testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}, NotAfter: notAfter}, inter).Cert
	}
	now := time.Now()
	fresh, soon, tomorrow := leaf(now.Add(60*24*time.Hour)), leaf(now.Add(10*24*time.Hour+time.Hour)), leaf(now.Add(2*time.Hour))
	expired := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"},
		NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-24 * time.Hour)}, inter).Cert
	self := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}}, nil).Cert
	public := x509.NewCertPool()
	public.AddCert(root.Cert)
	none := x509.NewCertPool()
	for _, tc := range []struct {
		name    string
		chain   []*x509.Certificate
		opts    tlsinfo.VerifyOptions
		state   tlsinfo.State
		warning []string // a substring of each warning, in order
	}{
		{"publicly trusted", []*x509.Certificate{fresh, inter.Cert}, tlsinfo.VerifyOptions{PublicRoots: public}, tlsinfo.Verified, nil},
		{"private CA trusted with --ca-root", []*x509.Certificate{fresh, inter.Cert},
			tlsinfo.VerifyOptions{PublicRoots: none, PrivateRoots: []*x509.Certificate{root.Cert}}, tlsinfo.PrivateCA, nil},
		{"root not trusted", []*x509.Certificate{fresh, inter.Cert}, tlsinfo.VerifyOptions{PublicRoots: none}, tlsinfo.Unverified,
			[]string{"does not verify (unverified): no path leads"}},
		{"self-signed", []*x509.Certificate{self}, tlsinfo.VerifyOptions{PublicRoots: none}, tlsinfo.SelfSigned,
			[]string{"does not verify (self-signed)"}},
		{"expires in 10 days", []*x509.Certificate{soon, inter.Cert}, tlsinfo.VerifyOptions{PublicRoots: public}, tlsinfo.Verified,
			[]string{"expires on " + soon.NotAfter.UTC().Format(time.RFC3339) + ", in 10 days"}},
		{"expires tomorrow, untrusted", []*x509.Certificate{tomorrow, inter.Cert}, tlsinfo.VerifyOptions{PublicRoots: none}, tlsinfo.Unverified,
			[]string{"does not verify (unverified)", "in less than a day"}},
		{"expired", []*x509.Certificate{expired, inter.Cert}, tlsinfo.VerifyOptions{PublicRoots: public}, tlsinfo.Expired,
			[]string{"does not verify (expired): the certificate expired on"}},
	} {
		der := make([][]byte, len(tc.chain))
		for i, c := range tc.chain {
			der[i] = c.Raw
		}
		trust, warnings, err := Check(der, tc.opts)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if trust.State != tc.state {
			t.Errorf("%s: state %s, want %s", tc.name, trust.State, tc.state)
		}
		if len(warnings) != len(tc.warning) {
			t.Errorf("%s: warnings %q, want %d", tc.name, warnings, len(tc.warning))
			continue
		}
		for i, w := range tc.warning {
			if !strings.Contains(warnings[i], w) {
				t.Errorf("%s: warning %q lacks %q", tc.name, warnings[i], w)
			}
		}
	}
	if _, _, err := Check([][]byte{[]byte("not DER")}, tlsinfo.VerifyOptions{}); err == nil {
		t.Error("Check of garbage succeeded")
	}
}
