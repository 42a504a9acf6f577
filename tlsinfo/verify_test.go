package tlsinfo

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
)

// testPKI is a small public-looking PKI: ISRG-like roots X1 and the older
// DST root that cross-signed X1, an intermediate R3 under X1, and leaves.
type testPKI struct {
	x1, dst, x1Cross, r3 *testcert.Cert
	leaf                 *testcert.Cert
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	p := &testPKI{}
	p.x1 = testcert.New(t, testcert.Options{CommonName: "ISRG Root X1", Organization: "Internet Security Research Group", Country: "US", CA: true}, nil)
	p.dst = testcert.New(t, testcert.Options{CommonName: "DST Root CA X3", Organization: "Digital Signature Trust Co.", CA: true}, nil)
	// X1 cross-signed by DST: the same subject and key, another issuer.
	p.x1Cross = testcert.New(t, testcert.Options{CommonName: "ISRG Root X1", Organization: "Internet Security Research Group", Country: "US", CA: true, Key: p.x1.Key}, p.dst)
	p.r3 = testcert.New(t, testcert.Options{CommonName: "R3", Organization: "Let's Encrypt", Country: "US", CA: true}, p.x1)
	p.leaf = testcert.New(t, testcert.Options{CommonName: "blog.example.com", Names: []string{"blog.example.com"}}, p.r3)
	return p
}

func poolOf(certs ...*testcert.Cert) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c.Cert)
	}
	return p
}

func certsOf(certs ...*testcert.Cert) []*x509.Certificate {
	out := make([]*x509.Certificate, len(certs))
	for i, c := range certs {
		out[i] = c.Cert
	}
	return out
}

func TestVerify(t *testing.T) {
	p := newTestPKI(t)
	// A forger's CA with the name of the real intermediate.
	fakeR3 := testcert.New(t, testcert.Options{CommonName: "R3", Organization: "Let's Encrypt", Country: "US", CA: true}, nil)
	forged := testcert.New(t, testcert.Options{CommonName: "blog.example.com", Names: []string{"blog.example.com"}}, fakeR3)
	unrelated := testcert.New(t, testcert.Options{CommonName: "Other Root", CA: true}, nil)
	private := testcert.New(t, testcert.Options{CommonName: "Home Lab Root", Organization: "Home Lab", Country: "DE", CA: true}, nil)
	privLeaf := testcert.New(t, testcert.Options{CommonName: "nas.home.arpa", Names: []string{"nas.home.arpa"}}, private)
	self := testcert.New(t, testcert.Options{CommonName: "blog.example.com", Names: []string{"blog.example.com"}}, nil)
	expiredLeaf := testcert.New(t, testcert.Options{CommonName: "old.example.com", Names: []string{"old.example.com"},
		NotBefore: time.Now().Add(-100 * 24 * time.Hour), NotAfter: time.Now().Add(-10 * 24 * time.Hour)}, p.r3)
	clientOnly := testcert.New(t, testcert.Options{CommonName: "client.example.com", Names: []string{"client.example.com"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, p.r3)
	expiredSelf := testcert.New(t, testcert.Options{CommonName: "old.example.com", Names: []string{"old.example.com"},
		NotBefore: time.Now().Add(-100 * 24 * time.Hour), NotAfter: time.Now().Add(-10 * 24 * time.Hour)}, nil)

	tests := []struct {
		name       string
		chain      []*x509.Certificate
		opts       VerifyOptions
		state      State
		issuer     string
		anchor     string
		paths      int
		reasonPart string
	}{
		{"cross-signed chain names the verified root, not the cross-signer",
			certsOf(p.leaf, p.r3, p.x1Cross), VerifyOptions{PublicRoots: poolOf(p.x1)},
			Verified, "Let's Encrypt R3", "ISRG Root X1, US", 1, ""},
		{"both roots trusted: the shorter path first, every path listed",
			certsOf(p.leaf, p.r3, p.x1Cross), VerifyOptions{PublicRoots: poolOf(p.x1, p.dst)},
			Verified, "Let's Encrypt R3", "ISRG Root X1, US", 2, ""},
		{"only the cross-signer trusted",
			certsOf(p.leaf, p.r3, p.x1Cross), VerifyOptions{PublicRoots: poolOf(p.dst)},
			Verified, "Let's Encrypt R3", "DST Root CA X3", 1, ""},
		{"forged issuer name is a claim",
			certsOf(forged), VerifyOptions{PublicRoots: poolOf(p.x1)},
			Unverified, "Let's Encrypt R3", "", 0, "only what the certificate claims"},
		{"forged leaf sent with the genuine intermediate",
			certsOf(forged, p.r3), VerifyOptions{PublicRoots: poolOf(p.x1)},
			BrokenChain, "Let's Encrypt R3", "", 0, "not signed by the key"},
		{"leaf followed by an unrelated root",
			certsOf(p.leaf, unrelated), VerifyOptions{PublicRoots: poolOf(p.x1)},
			BrokenChain, "Let's Encrypt R3", "", 0, "intermediate is missing"},
		{"leaf without its intermediate",
			certsOf(p.leaf), VerifyOptions{PublicRoots: poolOf(p.x1)},
			Unverified, "Let's Encrypt R3", "", 0, "without the certificate of Let's Encrypt R3"},
		{"private CA",
			certsOf(privLeaf), VerifyOptions{PublicRoots: poolOf(p.x1), PrivateRoots: []*x509.Certificate{private.Cert}},
			PrivateCA, "Home Lab Root", "Home Lab Root, DE", 1, "--ca-root"},
		{"public chain with the root given as --ca-root only",
			certsOf(p.leaf, p.r3), VerifyOptions{PublicRoots: x509.NewCertPool(), PrivateRoots: []*x509.Certificate{p.x1.Cert}},
			PrivateCA, "Let's Encrypt R3", "ISRG Root X1, US", 1, ""},
		{"--ca-root with an intermediate and its root builds the path",
			certsOf(p.leaf), VerifyOptions{PublicRoots: x509.NewCertPool(), PrivateRoots: []*x509.Certificate{p.r3.Cert, p.x1.Cert}},
			PrivateCA, "Let's Encrypt R3", "ISRG Root X1, US", 1, ""},
		{"an intermediate only the operator has does not make a public path",
			certsOf(p.leaf), VerifyOptions{PublicRoots: poolOf(p.x1), PrivateRoots: []*x509.Certificate{p.r3.Cert}},
			PrivateCA, "Let's Encrypt R3", "ISRG Root X1, US", 1, "--ca-root"},
		{"a leaf not for web servers",
			certsOf(clientOnly, p.r3), VerifyOptions{PublicRoots: poolOf(p.x1)},
			Unverified, "Let's Encrypt R3", "", 0, "not issued for web servers"},
		{"self-signed",
			certsOf(self), VerifyOptions{PublicRoots: poolOf(p.x1)},
			SelfSigned, "blog.example.com", "", 0, "its own key"},
		{"self-signed and expired",
			certsOf(expiredSelf), VerifyOptions{PublicRoots: poolOf(p.x1)},
			SelfSigned, "old.example.com", "", 0, "and it expired on"},
		{"expired leaf of a trusted CA",
			certsOf(expiredLeaf, p.r3), VerifyOptions{PublicRoots: poolOf(p.x1)},
			Expired, "Let's Encrypt R3", "", 0, "expired on"},
		{"not yet valid",
			certsOf(p.leaf, p.r3), VerifyOptions{PublicRoots: poolOf(p.x1), Now: time.Now().Add(-48 * time.Hour)},
			Expired, "Let's Encrypt R3", "", 0, "not valid until"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Verify(tt.chain, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != tt.state {
				t.Fatalf("state %q, want %q (reason: %s)", got.State, tt.state, got.Reason)
			}
			if got.Issuer != tt.issuer {
				t.Errorf("issuer %q, want %q", got.Issuer, tt.issuer)
			}
			if got.AnchorLabel() != tt.anchor {
				t.Errorf("anchor %q, want %q", got.AnchorLabel(), tt.anchor)
			}
			if len(got.Paths) != tt.paths {
				t.Errorf("%d paths, want %d: %+v", len(got.Paths), tt.paths, got.Paths)
			}
			if !strings.Contains(got.Reason, tt.reasonPart) {
				t.Errorf("reason %q does not contain %q", got.Reason, tt.reasonPart)
			}
			if (tt.state == Verified) != (got.Reason == "") {
				t.Errorf("reason %q for state %s", got.Reason, got.State)
			}
		})
	}
}

func TestVerifyWeakKey(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	root := testcert.New(t, testcert.Options{CommonName: "Home Root", CA: true}, nil)
	weak := testcert.New(t, testcert.Options{CommonName: "old.home.arpa", Names: []string{"old.home.arpa"}, Key: key}, root)
	strong := testcert.New(t, testcert.Options{CommonName: "new.home.arpa", Names: []string{"new.home.arpa"}, KeyType: testcert.RSA}, root)
	for _, tt := range []struct {
		leaf *testcert.Cert
		want []string
	}{
		{weak, []string{"the RSA key of old.home.arpa has 1024 bits: browsers refuse keys under 2048 bits"}},
		{strong, nil},
	} {
		got, err := Verify(certsOf(tt.leaf), VerifyOptions{PublicRoots: poolOf(root)})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != Verified || strings.Join(got.Warnings, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s: state %s, warnings %q, want %q", tt.leaf.Cert.Subject.CommonName, got.State, got.Warnings, tt.want)
		}
	}
}

func TestVerifyPaths(t *testing.T) {
	p := newTestPKI(t)
	got, err := Verify(certsOf(p.leaf, p.r3, p.x1Cross), VerifyOptions{PublicRoots: poolOf(p.x1, p.dst)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, path := range got.Paths {
		var ns []string
		for _, c := range path.Certificates {
			n := c.Name
			if !c.Sent {
				n += " (trusted)"
			}
			ns = append(ns, n)
		}
		names = append(names, strings.Join(ns, " > "))
	}
	want := []string{
		"blog.example.com > R3 > ISRG Root X1 (trusted)",
		"blog.example.com > R3 > ISRG Root X1 > DST Root CA X3 (trusted)",
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("paths:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	if !got.NotAfter.Equal(p.leaf.Cert.NotAfter) && got.NotAfter.After(p.leaf.Cert.NotAfter) {
		t.Errorf("NotAfter %v after the leaf's %v", got.NotAfter, p.leaf.Cert.NotAfter)
	}
}
