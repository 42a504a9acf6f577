package tlsinfo

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The states of a verified chain; see the package documentation.
const (
	Verified    State = "verified"
	PrivateCA   State = "private-ca"
	Unverified  State = "unverified"
	BrokenChain State = "broken-chain"
	Expired     State = "expired"
)

// VerifyOptions says what a chain is verified against.
type VerifyOptions struct {
	// PublicRoots are the publicly trusted roots. Nil means the system's
	// roots (x509.SystemCertPool).
	PublicRoots *x509.CertPool
	// PrivateRoots are roots trusted only by this server's operator
	// (`--ca-root`): a chain that verifies only against them is
	// PrivateCA. Certificates among them that are not self-signed are
	// used as intermediates, not as trust anchors, so that a file holding
	// a cross-signed intermediate and its root builds that path.
	PrivateRoots []*x509.Certificate
	// Now is the time to verify at. Zero means time.Now().
	Now time.Time
}

// Trust is what verifying a chain established: the state the badge shows,
// the CA that issued the leaf, and the trust anchor a verified path
// reaches.
type Trust struct {
	// State is Verified, PrivateCA, Unverified, BrokenChain, SelfSigned or
	// Expired.
	State State `json:"state"`
	// Issuer names the CA that issued the leaf: the organisation and
	// common name of the leaf's issuer, as Chain.Issuer. It was verified
	// only when Verified or PrivateCA; otherwise it is what the leaf
	// claims.
	Issuer string `json:"issuer"`
	// IssuerOrganization is the issuing CA's organisation.
	IssuerOrganization string `json:"issuer_organization,omitempty"`
	// Anchor, AnchorOrganization and AnchorCountry name the trust anchor
	// of the preferred verified path: its common name (else
	// organisation), organisation and country ("ISRG Root X1", "Internet
	// Security Research Group", "US"). Empty unless Verified or PrivateCA.
	Anchor             string `json:"anchor,omitempty"`
	AnchorOrganization string `json:"anchor_organization,omitempty"`
	AnchorCountry      string `json:"anchor_country,omitempty"`
	// Paths are every verified path from the leaf to a trust anchor,
	// preferred path first; empty unless Verified or PrivateCA.
	Paths []Path `json:"paths,omitempty"`
	// Reason says, for a reader, why the chain is not Verified; empty when
	// it is.
	Reason string `json:"reason,omitempty"`
	// NotAfter is the earliest expiry along the preferred path (without
	// one, the leaf's).
	NotAfter time.Time `json:"not_after"`
	// Checked is when the chain was verified.
	Checked time.Time `json:"checked"`
}

// Path is one verified path from the leaf to a trust anchor.
type Path struct {
	// Certificates are the path's certificates, leaf first, anchor last.
	Certificates []PathCertificate `json:"certificates"`
	// Private reports a path to one of VerifyOptions.PrivateRoots.
	Private bool `json:"private,omitempty"`
}

// PathCertificate is one certificate of a verified path.
type PathCertificate struct {
	Name    string `json:"name"` // common name, else organisation
	Country string `json:"country,omitempty"`
	SHA256  string `json:"sha256"`
	// Sent reports whether the server sent the certificate; an anchor
	// comes from the trusted roots, and an intermediate may come from
	// VerifyOptions.PrivateRoots.
	Sent bool `json:"sent"`
}

// Anchor returns the path's trust anchor.
func (p Path) Anchor() PathCertificate { return p.Certificates[len(p.Certificates)-1] }

// AnchorLabel is the anchor's name with its country: "ISRG Root X1, US".
func (t *Trust) AnchorLabel() string {
	if t.Anchor == "" || t.AnchorCountry == "" {
		return t.Anchor
	}
	return t.Anchor + ", " + t.AnchorCountry
}

// Publicly reports whether the chain verified against public roots.
func (t *Trust) Publicly() bool { return t.State == Verified }

// Verify verifies a chain as a server sends it, leaf first, against the
// public roots and then the private ones, and says what a reader may be
// told about it. The leaf is verified for server authentication and for
// no particular name: which names a connection may use is checked per
// request.
func Verify(certs []*x509.Certificate, opts VerifyOptions) (*Trust, error) {
	c, err := Describe(certs)
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	leaf := certs[0]
	t := &Trust{
		Issuer:             c.Issuer,
		IssuerOrganization: c.IssuerOrganization,
		NotAfter:           leaf.NotAfter.UTC(),
		Checked:            now.UTC(),
	}
	public := opts.PublicRoots
	if public == nil {
		if public, err = x509.SystemCertPool(); err != nil || public == nil {
			public = x509.NewCertPool()
		}
	}
	sent := map[string]bool{}
	inter := x509.NewCertPool()
	for _, cert := range certs {
		sent[string(cert.Raw)] = true
	}
	for _, cert := range certs[1:] {
		inter.AddCert(cert)
	}
	private := x509.NewCertPool()
	for _, cert := range opts.PrivateRoots {
		if isSelfSigned(cert) {
			private.AddCert(cert)
		} else {
			inter.AddCert(cert)
		}
	}
	verify := func(roots *x509.CertPool, at time.Time) ([][]*x509.Certificate, error) {
		return leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	}
	if chains, err := verify(public, now); err == nil {
		t.State = Verified
		t.setPaths(chains, sent, false)
		return t, nil
	}
	if len(opts.PrivateRoots) > 0 {
		if chains, err := verify(private, now); err == nil {
			t.State = PrivateCA
			t.setPaths(chains, sent, true)
			t.Reason = "the chain verifies only against a root this server's operator trusts (--ca-root), not against the roots browsers trust"
			return t, nil
		}
	}
	_, verr := verify(public, now)
	switch {
	case c.State == SelfSigned:
		t.State = SelfSigned
		t.Reason = "the certificate is signed by its own key: no certificate authority vouches for it"
	case now.After(leaf.NotAfter) || now.Before(leaf.NotBefore):
		t.State = Expired
		if now.Before(leaf.NotBefore) {
			t.Reason = "the certificate is not valid until " + leaf.NotBefore.UTC().Format(time.RFC3339)
		} else {
			t.Reason = "the certificate expired on " + leaf.NotAfter.UTC().Format(time.RFC3339)
		}
	case expiredAlongPath(verr):
		t.State = Expired
		t.Reason = "a certificate of the chain is expired or not yet valid: " + verr.Error()
	case len(c.Problems) > 0:
		t.State = BrokenChain
		t.Reason = "the chain is broken: " + c.Problems[0]
	default:
		t.State = Unverified
		t.Reason = unverifiedReason(verr, c)
	}
	return t, nil
}

// VerifyDER parses DER certificates, leaf first, and verifies them.
func VerifyDER(der [][]byte, opts VerifyOptions) (*Trust, error) {
	certs, err := ParseDER(der)
	if err != nil {
		return nil, err
	}
	return Verify(certs, opts)
}

// ParseDER parses DER certificates, as a TLS server sends them.
func ParseDER(der [][]byte) ([]*x509.Certificate, error) {
	certs := make([]*x509.Certificate, len(der))
	for i, d := range der {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", i+1, err)
		}
		certs[i] = c
	}
	return certs, nil
}

func expiredAlongPath(err error) bool {
	var invalid x509.CertificateInvalidError
	return errors.As(err, &invalid) && invalid.Reason == x509.Expired
}

func unverifiedReason(err error, c *Chain) string {
	switch {
	case err == nil:
		return ""
	case len(c.Certificates) == 1:
		return "no path leads from the certificate to a trusted root: the server sent it without the certificate of " +
			c.Issuer + ", and that name is only what the certificate claims"
	}
	return "no path leads from the chain sent to a trusted root: " + c.Top + " is not a trusted root, and the issuer's name is only what the certificate claims"
}

// setPaths records verified chains, the shortest (then public, then the
// order x509 found them) first, and names the preferred path's anchor.
func (t *Trust) setPaths(chains [][]*x509.Certificate, sent map[string]bool, private bool) {
	sort.SliceStable(chains, func(i, j int) bool { return len(chains[i]) < len(chains[j]) })
	for _, chain := range chains {
		p := Path{Private: private}
		for _, cert := range chain {
			d := describeOne(cert)
			p.Certificates = append(p.Certificates, PathCertificate{
				Name:    topName(cert.Subject),
				Country: strings.Join(cert.Subject.Country, ", "),
				SHA256:  d.SHA256,
				Sent:    sent[string(cert.Raw)],
			})
		}
		t.Paths = append(t.Paths, p)
	}
	best := chains[0]
	anchor := best[len(best)-1]
	t.Anchor = topName(anchor.Subject)
	t.AnchorOrganization = strings.Join(anchor.Subject.Organization, ", ")
	t.AnchorCountry = strings.Join(anchor.Subject.Country, ", ")
	if len(best) > 1 {
		t.Issuer = issuerName(best[1].Subject)
		t.IssuerOrganization = strings.Join(best[1].Subject.Organization, ", ")
	}
	for _, cert := range best {
		if cert.NotAfter.Before(t.NotAfter) {
			t.NotAfter = cert.NotAfter.UTC()
		}
	}
}

func isSelfSigned(cert *x509.Certificate) bool {
	return bytes.Equal(cert.RawSubject, cert.RawIssuer) &&
		cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature) == nil
}
