package tlsinfo

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
)

// testCA is a root and an intermediate, for certificates whose issuer and
// anchor a test chooses.
type testCA struct {
	root, inter *testcert.Cert
}

// newTestCA makes a root named rootName (country) and an intermediate
// org/cn under it. A non-nil rootOf reuses that CA's root.
func newTestCA(t *testing.T, rootName, country, org, cn string, rootOf *testCA) *testCA {
	t.Helper()
	ca := &testCA{}
	if rootOf != nil {
		ca.root = rootOf.root
	} else {
		ca.root = testcert.New(t, testcert.Options{CommonName: rootName, Organization: rootName + " Org", Country: country, CA: true}, nil)
	}
	ca.inter = testcert.New(t, testcert.Options{CommonName: cn, Organization: org, CA: true}, ca.root)
	return ca
}

// issue makes a leaf for names and returns its chain and what verifying
// it against roots established.
func (ca *testCA) issue(t *testing.T, roots *x509.CertPool, keyType string, names ...string) (*Chain, *Trust) {
	t.Helper()
	leaf := testcert.New(t, testcert.Options{CommonName: names[0], Names: names, KeyType: keyType}, ca.inter)
	certs := []*x509.Certificate{leaf.Cert, ca.inter.Cert}
	c, err := Describe(certs)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Verify(certs, VerifyOptions{PublicRoots: roots})
	if err != nil {
		t.Fatal(err)
	}
	return c, tr
}

func TestHistoryChanges(t *testing.T) {
	le := newTestCA(t, "Test Root X1", "US", "Test Encrypt", "R3", nil)
	le2 := newTestCA(t, "", "", "Test Encrypt", "R10", le)                   // same root, another intermediate
	other := newTestCA(t, "Other Root", "GB", "Test Encrypt", "R3", nil)     // same issuer name, another root
	twin := newTestCA(t, "Test Root X1", "US", "Test Encrypt", "R3", nil)    // same names, another key
	rogue := newTestCA(t, "Rogue Root", "ZZ", "Test Encrypt", "R3 Bis", nil) // its root is not trusted
	roots := x509.NewCertPool()
	for _, ca := range []*testCA{le, other, twin} {
		roots.AddCert(ca.root.Cert)
	}

	type step struct {
		ca       *testCA
		key      string
		names    []string
		noVerify bool // recorded without a Trust, as before chains were verified
	}
	ecdsa := func(ca *testCA, names ...string) step { return step{ca: ca, key: testcert.ECDSA, names: names} }
	rsa := func(ca *testCA, names ...string) step { return step{ca: ca, key: testcert.RSA, names: names} }
	blog := []string{"blog.test"}
	for _, tc := range []struct {
		name  string
		steps []step
		want  []Change // of the last step
	}{
		{"first certificate", []step{ecdsa(le, blog...)}, nil},
		{"renewal, nothing changed", []step{ecdsa(le, blog...), ecdsa(le, blog...)}, nil},
		{"issuer", []step{ecdsa(le, blog...), ecdsa(le2, blog...)},
			[]Change{{IssuerChanged, "Test Encrypt R3", "Test Encrypt R10"}}},
		{"root", []step{ecdsa(le, blog...), ecdsa(other, blog...)},
			[]Change{{RootChanged, "Test Root X1, US", "Other Root, GB"}}},
		{"root of the same name, another key", []step{ecdsa(le, blog...), ecdsa(twin, blog...)},
			[]Change{{RootChanged, "Test Root X1, US", "Test Root X1, US (another certificate of that name)"}}},
		{"key type", []step{ecdsa(le, blog...), rsa(le, blog...)},
			[]Change{{KeyTypeChanged, "ECDSA P-256", "RSA 2048"}}},
		{"root and key type, for overlapping names", []step{ecdsa(le, blog...), rsa(other, "www.test", "blog.test")}, []Change{
			{RootChanged, "Test Root X1, US", "Other Root, GB"}, {KeyTypeChanged, "ECDSA P-256", "RSA 2048"}}},
		{"to no verified root", []step{ecdsa(le, blog...), ecdsa(rogue, blog...)}, []Change{
			{IssuerChanged, "Test Encrypt R3", "Test Encrypt R3 Bis"}, {RootChanged, "Test Root X1, US", "no verified root"}}},
		{"other names do not count", []step{ecdsa(le, "a.test"), ecdsa(other, "b.test"), rsa(le2, "c.test")}, nil},
		{"compared with the last certificate of its names", []step{ecdsa(le2, blog...), ecdsa(le, "a.test"), ecdsa(le2, blog...)}, nil},
		{"ECDSA and RSA served side by side", []step{ecdsa(le, blog...), rsa(le2, blog...), ecdsa(le, blog...), rsa(le2, blog...)}, nil},
		{"root unknown in an old record", []step{{ca: le, key: testcert.ECDSA, names: blog, noVerify: true}, ecdsa(other, blog...)}, nil},
		{"issuer against an old record", []step{{ca: le, key: testcert.ECDSA, names: blog, noVerify: true}, ecdsa(le2, blog...)},
			[]Change{{IssuerChanged, "Test Encrypt R3", "Test Encrypt R10"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := OpenHistory(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			var last *Record
			for i, s := range tc.steps {
				c, tr := s.ca.issue(t, roots, s.key, s.names...)
				if s.noVerify {
					tr = nil
				}
				if last, err = h.Add(c, tr, at.Add(time.Duration(i)*time.Hour)); err != nil || last == nil {
					t.Fatalf("step %d: Add = %v, %v", i, last, err)
				}
			}
			if !reflect.DeepEqual(last.Changes, tc.want) {
				t.Errorf("Changes = %q\nwant      %q", last.Changes, tc.want)
			}
			// They are stored.
			h2, err := OpenHistory(filepath.Dir(h.Path()))
			if err != nil {
				t.Fatal(err)
			}
			if got := h2.Records()[0].Changes; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Changes after reopening = %q", got)
			}
		})
	}
}

func TestNewRecordKeepsTrust(t *testing.T) {
	le := newTestCA(t, "Test Root X1", "US", "Test Encrypt", "R3", nil)
	roots := x509.NewCertPool()
	roots.AddCert(le.root.Cert)
	c, tr := le.issue(t, roots, testcert.RSA, "blog.test")
	at := time.Date(2025, 3, 1, 12, 0, 0, 500, time.FixedZone("X", 3600))
	r := NewRecord(c, tr, at)
	want := Record{
		SHA256: c.Leaf().SHA256, State: Issued, Subject: "CN=blog.test", SANs: []string{"DNS:blog.test"},
		Issuer: "Test Encrypt R3", Top: "Test Root X1", KeyType: "RSA 2048", Serial: c.Leaf().Serial,
		NotBefore: c.Leaf().NotBefore, NotAfter: c.Leaf().NotAfter, FirstServed: at.UTC().Truncate(time.Second),
		TrustState: Verified, IssuerOrganization: "Test Encrypt",
		Anchor: "Test Root X1", AnchorCountry: "US", AnchorSHA256: describeOne(le.root.Cert).SHA256,
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("NewRecord =\n%+v\nwant\n%+v", r, want)
	}
	if r.AnchorLabel() != "Test Root X1, US" {
		t.Errorf("AnchorLabel = %q", r.AnchorLabel())
	}
	if id := r.PageID(); !strings.HasPrefix(id, "sha256-") || len(id) != len("sha256-")+64 || strings.ToLower(id) != id {
		t.Errorf("PageID = %q", id)
	}
}

// A history written before chains were verified, as that version wrote
// it, still reads; new certificates are added to it with their trust.
func TestHistoryReadsOldFormat(t *testing.T) {
	dir := t.TempDir()
	const oldFP = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"
	const old = `{
  "certificates": [
    {
      "sha256": "` + oldFP + `",
      "state": "issued",
      "subject": "CN=blog.test",
      "sans": [
        "DNS:blog.test"
      ],
      "issuer": "Test Encrypt R3",
      "top": "Test Root X1",
      "key_type": "ECDSA P-256",
      "serial": "03:E8",
      "not_before": "2025-01-01T00:00:00Z",
      "not_after": "2025-04-01T00:00:00Z",
      "first_served": "2025-01-01T10:00:00Z"
    }
  ]
}
`
	if err := os.WriteFile(filepath.Join(dir, HistoryFile), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := OpenHistory(dir)
	if err != nil {
		t.Fatalf("OpenHistory of an old file: %v", err)
	}
	rs := h.Records()
	if len(rs) != 1 || rs[0].Issuer != "Test Encrypt R3" || rs[0].TrustState != "" || rs[0].Changes != nil ||
		!rs[0].FirstServed.Equal(time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("records = %+v", rs)
	}
	if got := FeedTitle(rs[0]); got != "New certificate: issued by Test Encrypt R3" {
		t.Errorf("title of an old record = %q", got)
	}

	le := newTestCA(t, "Test Root X1", "US", "Test Encrypt", "R10", nil)
	roots := x509.NewCertPool()
	roots.AddCert(le.root.Cert)
	c, tr := le.issue(t, roots, testcert.ECDSA, "blog.test")
	rec, err := h.Add(c, tr, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || rec == nil {
		t.Fatal(rec, err)
	}
	want := []Change{{IssuerChanged, "Test Encrypt R3", "Test Encrypt R10"}}
	if !reflect.DeepEqual(rec.Changes, want) {
		t.Errorf("Changes = %q, want %q (no root change: the old record has none)", rec.Changes, want)
	}
	h2, err := OpenHistory(dir)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	if rs := h2.Records(); len(rs) != 2 || rs[0].TrustState != Verified || rs[0].Anchor != "Test Root X1" || rs[1].SHA256 != oldFP {
		t.Errorf("records after adding = %+v", rs)
	}
}

func TestChangeString(t *testing.T) {
	c := Change{IssuerChanged, "Let's Encrypt R3", "Let's Encrypt R10"}
	if got := c.String(); got != "issuer changed from Let's Encrypt R3 to Let's Encrypt R10" {
		t.Errorf("String = %q", got)
	}
}
