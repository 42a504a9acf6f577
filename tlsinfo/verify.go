package tlsinfo

import (
	"bytes"
	"crypto/rsa"
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
	// PrivateRoots are certificates trusted only by this server's
	// operator (`--ca-root`): a chain that verifies only with them is
	// PrivateCA. The self-signed ones are trust anchors; the others are
	// intermediates, so that a file holding a cross-signed intermediate
	// and its root builds that path. A path that needs one of them never
	// counts as Verified: browsers are given only what the server sends.
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
	// it is. Why says the same in a few words, for the badge ("no path to
	// a trusted root", "not a certificate for web servers").
	Reason string `json:"reason,omitempty"`
	Why    string `json:"why,omitempty"`
	// Warnings name what is weak on a verified path though it verifies:
	// an RSA key under 2048 bits, which browsers refuse.
	Warnings []string `json:"warnings,omitempty"`
	// NotAfter is the earliest expiry along the preferred path (without
	// one, the leaf's).
	NotAfter time.Time `json:"not_after"`
	// Checked is when the chain was verified.
	Checked time.Time `json:"checked"`

	err error // why no path verified (x509's error); nil when one did
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
func (t *Trust) AnchorLabel() string { return anchorLabel(t.Anchor, t.AnchorCountry) }

func anchorLabel(name, country string) string {
	if name == "" || country == "" {
		return name
	}
	return name + ", " + country
}

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
	for _, cert := range certs {
		sent[string(cert.Raw)] = true
	}
	// Publicly: the certificates sent, up to a public root.
	inter := x509.NewCertPool()
	for _, cert := range certs[1:] {
		inter.AddCert(cert)
	}
	verify := func(roots, inter *x509.CertPool) ([][]*x509.Certificate, error) {
		return leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	}
	chains, verr := verify(public, inter)
	if verr == nil {
		t.State = Verified
		t.setPaths(chains, sent, false)
		return t, nil
	}
	// Privately: with what --ca-root adds, up to any root.
	if len(opts.PrivateRoots) > 0 {
		roots, withPrivate := public.Clone(), inter.Clone()
		for _, cert := range opts.PrivateRoots {
			if isSelfSigned(cert) {
				roots.AddCert(cert)
			} else {
				withPrivate.AddCert(cert)
			}
		}
		chains, perr := verify(roots, withPrivate)
		if perr == nil {
			t.State = PrivateCA
			t.setPaths(chains, sent, true)
			t.Reason = "the chain verifies only with certificates this server's operator trusts (--ca-root), not with what browsers are sent and trust"
			t.Why = "trusted by this server's operator, not by browsers"
			return t, nil
		}
		if isInvalid(perr) && !isInvalid(verr) {
			verr = perr // the more telling error
		}
	}
	t.err = verr
	switch {
	case c.State == SelfSigned:
		t.State = SelfSigned
		t.Reason = "the certificate is signed by its own key: no certificate authority vouches for it"
		t.Why = "nobody vouches for this site"
		if now.After(leaf.NotAfter) {
			t.Reason += ", and it expired on " + leaf.NotAfter.UTC().Format(time.RFC3339)
		}
	case now.Before(leaf.NotBefore):
		t.State = Expired
		t.Reason = "the certificate is not valid until " + leaf.NotBefore.UTC().Format(time.RFC3339)
		t.Why = "not valid until " + leaf.NotBefore.UTC().Format("2006-01-02")
	case now.After(leaf.NotAfter):
		t.State = Expired
		t.Reason = "the certificate expired on " + leaf.NotAfter.UTC().Format(time.RFC3339)
		t.Why = "ended " + leaf.NotAfter.UTC().Format("2006-01-02")
	case expiredAlongPath(verr):
		t.State = Expired
		t.Reason = "a certificate of the chain is expired or not yet valid: " + verr.Error()
		t.Why = "a certificate of the chain is out of date"
	case len(c.Problems) > 0:
		t.State = BrokenChain
		t.Reason = "the chain is broken: " + c.Problems[0]
		t.Why = "the certificates sent do not link up"
	default:
		t.State = Unverified
		t.Why, t.Reason = unverifiedReason(verr, c)
	}
	return t, nil
}

// isInvalid reports an error about the certificates themselves (their
// use, constraints or algorithms), not a missing path.
func isInvalid(err error) bool {
	var invalid x509.CertificateInvalidError
	var insecure x509.InsecureAlgorithmError
	return errors.As(err, &invalid) || errors.As(err, &insecure)
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

// unverifiedReason says why no path verified, in a few words for the
// badge and in a sentence.
func unverifiedReason(err error, c *Chain) (why, reason string) {
	var invalid x509.CertificateInvalidError
	var insecure x509.InsecureAlgorithmError
	switch {
	case errors.As(err, &insecure):
		return "signed with an algorithm no longer trusted",
			"a certificate of the chain is signed with an algorithm browsers no longer trust: " + err.Error()
	case errors.As(err, &invalid):
		switch invalid.Reason {
		case x509.IncompatibleUsage, x509.CANotAuthorizedForExtKeyUsage:
			return "not a certificate for web servers",
				"the certificate, or a CA above it, is not issued for web servers (its extended key usage): " + err.Error()
		case x509.NotAuthorizedToSign:
			return "signed by a certificate that may not sign",
				"a certificate of the chain was signed by a certificate that is not a CA: " + err.Error()
		case x509.CANotAuthorizedForThisName, x509.NameConstraintsWithoutSANs, x509.UnconstrainedName, x509.TooManyConstraints:
			return "outside what its CA may vouch for",
				"a CA of the chain is not allowed to vouch for the certificate's names (name constraints): " + err.Error()
		case x509.TooManyIntermediates:
			return "a longer chain than its CA allows", "the chain is longer than a CA of it allows: " + err.Error()
		}
		return "the chain is not valid", "the chain does not verify: " + err.Error()
	case len(c.Certificates) == 1:
		return "no path to a trusted root", "no path leads from the certificate to a trusted root: the server sent it without the certificate of " +
			c.Issuer + ", and that name is only what the certificate claims"
	}
	return "no path to a trusted root", "no path leads from the chain sent to a trusted root: " + c.Top +
		" is not a trusted root, and the issuer's name is only what the certificate claims"
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
		if k, ok := cert.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < 2048 {
			t.Warnings = append(t.Warnings, fmt.Sprintf("the RSA key of %s has %d bits: browsers refuse keys under 2048 bits",
				topName(cert.Subject), k.N.BitLen()))
		}
	}
}

func isSelfSigned(cert *x509.Certificate) bool {
	return bytes.Equal(cert.RawSubject, cert.RawIssuer) &&
		cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature) == nil
}
