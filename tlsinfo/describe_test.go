package tlsinfo

import (
	"crypto/sha256"
	"crypto/x509"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/testcert"
)

func TestDescribeIssuedChains(t *testing.T) {
	for _, tc := range []struct {
		keyType, want string
	}{
		{testcert.ECDSA, "ECDSA P-256"},
		{testcert.RSA, "RSA 2048"},
		{testcert.Ed25519, "Ed25519"},
	} {
		t.Run(tc.keyType, func(t *testing.T) {
			p := testcert.NewPKI(t, tc.keyType, "blog.example.com", "192.0.2.7")
			c, err := Describe([]*x509.Certificate{p.Leaf.Cert, p.Intermediate.Cert})
			if err != nil {
				t.Fatal(err)
			}
			if c.State != Issued {
				t.Errorf("State = %q, want issued", c.State)
			}
			if c.Issuer != "Example Trust ET R1" || c.IssuerOrganization != "Example Trust" || c.IssuerCommonName != "ET R1" {
				t.Errorf("Issuer = %q (%q, %q)", c.Issuer, c.IssuerOrganization, c.IssuerCommonName)
			}
			if c.Top != "Example Trust Root X1" {
				t.Errorf("Top = %q, want the root's common name", c.Top)
			}
			if len(c.Problems) != 0 {
				t.Errorf("Problems = %q", c.Problems)
			}
			leaf := c.Leaf()
			if leaf.KeyType != tc.want {
				t.Errorf("KeyType = %q, want %q", leaf.KeyType, tc.want)
			}
			if got := strings.Join(leaf.SANs, " "); got != "DNS:blog.example.com IP:192.0.2.7" {
				t.Errorf("SANs = %q", got)
			}
			if leaf.Subject != "CN=blog.example.com" || leaf.Issuer != "CN=ET R1,O=Example Trust" {
				t.Errorf("Subject %q, Issuer %q", leaf.Subject, leaf.Issuer)
			}
			sum := sha256.Sum256(p.Leaf.Cert.Raw)
			if c.LeafSHA256() != sum || leaf.SHA256 != colonHex(sum[:]) || len(leaf.SHA256) != 95 {
				t.Errorf("SHA256 = %q", leaf.SHA256)
			}
			if leaf.Serial != colonHex(p.Leaf.Cert.SerialNumber.Bytes()) {
				t.Errorf("Serial = %q", leaf.Serial)
			}
			if !leaf.NotBefore.Equal(p.Leaf.Cert.NotBefore) || !leaf.NotAfter.Equal(p.Leaf.Cert.NotAfter) {
				t.Errorf("validity %v–%v", leaf.NotBefore, leaf.NotAfter)
			}
			if leaf.CA || leaf.SelfSigned || !c.Certificates[1].CA {
				t.Errorf("CA flags: leaf %v/%v, intermediate %v", leaf.CA, leaf.SelfSigned, c.Certificates[1].CA)
			}
		})
	}
}

func TestDescribeSelfSigned(t *testing.T) {
	// A self-signed leaf that is not a CA certificate, as tools make them.
	self := testcert.New(t, testcert.Options{CommonName: "localhost", Names: []string{"localhost"}}, nil)
	c, err := Describe([]*x509.Certificate{self.Cert})
	if err != nil {
		t.Fatal(err)
	}
	if c.State != SelfSigned || !c.Leaf().SelfSigned {
		t.Fatalf("State = %q, SelfSigned = %v", c.State, c.Leaf().SelfSigned)
	}
	if c.Issuer != "localhost" || c.Top != "localhost" {
		t.Errorf("Issuer %q Top %q", c.Issuer, c.Top)
	}
}

func TestDescribeMissingIntermediate(t *testing.T) {
	p := testcert.NewPKI(t, testcert.ECDSA)
	// Only the leaf: the chain as sent ends at the leaf's issuer.
	c, err := Describe([]*x509.Certificate{p.Leaf.Cert})
	if err != nil {
		t.Fatal(err)
	}
	if c.State != Issued || c.Top != "ET R1" || c.Issuer != "Example Trust ET R1" {
		t.Errorf("leaf alone: State %q Issuer %q Top %q", c.State, c.Issuer, c.Top)
	}
	// Leaf then root, the intermediate skipped: a broken link.
	c, err = Describe([]*x509.Certificate{p.Leaf.Cert, p.Root.Cert})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) != 1 || !strings.Contains(c.Problems[0], "intermediate is missing") ||
		!strings.Contains(c.Problems[0], "ET R1") || !strings.Contains(c.Problems[0], "Example Trust Root X1") {
		t.Errorf("Problems = %q", c.Problems)
	}
	// Right names, wrong key: an impostor intermediate.
	fake := testcert.New(t, testcert.Options{CommonName: "ET R1", Organization: "Example Trust", CA: true}, p.Root)
	c, err = Describe([]*x509.Certificate{p.Leaf.Cert, fake.Cert})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) != 1 || !strings.Contains(c.Problems[0], "not signed by the key") {
		t.Errorf("Problems = %q", c.Problems)
	}
}

func TestDescribeNames(t *testing.T) {
	for _, tc := range []struct{ org, cn, issuer, top string }{
		{"Let's Encrypt", "R11", "Let's Encrypt R11", "R11"},
		{"Google Trust Services", "WR2", "Google Trust Services WR2", "WR2"},
		{"Example Trust", "Example Trust ECC CA", "Example Trust ECC CA", "Example Trust ECC CA"},
		{"", "Pebble Intermediate CA 1a2b3c", "Pebble Intermediate CA 1a2b3c", "Pebble Intermediate CA 1a2b3c"},
		{"Only Org", "", "Only Org", "Only Org"},
	} {
		ca := testcert.New(t, testcert.Options{CommonName: tc.cn, Organization: tc.org, CA: true}, nil)
		leaf := testcert.New(t, testcert.Options{CommonName: "x.example", Names: []string{"x.example"}}, ca)
		c, err := Describe([]*x509.Certificate{leaf.Cert})
		if err != nil {
			t.Fatal(err)
		}
		if c.Issuer != tc.issuer || c.Top != tc.top {
			t.Errorf("O=%q CN=%q: Issuer %q Top %q, want %q %q", tc.org, tc.cn, c.Issuer, c.Top, tc.issuer, tc.top)
		}
	}
	if _, err := Describe(nil); err == nil {
		t.Error("Describe(nil) succeeded")
	}
	if _, err := DescribeDER([][]byte{[]byte("junk")}); err == nil {
		t.Error("DescribeDER(junk) succeeded")
	}
}
