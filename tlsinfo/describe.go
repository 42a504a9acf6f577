package tlsinfo

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"strings"
	"time"
)

// State is what a badge says about a connection; see the package
// documentation for the exact meaning of each.
type State string

const (
	// Issued: a certificate authority issued the leaf certificate.
	Issued State = "issued"
	// SelfSigned: the leaf certificate is signed by its own key.
	SelfSigned State = "self-signed"
)

// Chain describes a certificate chain as a server sent it, leaf first.
type Chain struct {
	// State is Issued or SelfSigned.
	State State `json:"state"`
	// Issuer names the CA that issued the leaf: the organisation and common
	// name of the leaf's issuer ("Let's Encrypt R11"), or the common name
	// alone when it contains the organisation.
	Issuer string `json:"issuer"`
	// IssuerOrganization and IssuerCommonName are the parts of Issuer.
	IssuerOrganization string `json:"issuer_organization,omitempty"`
	IssuerCommonName   string `json:"issuer_common_name,omitempty"`
	// Top names the top of the chain as sent: the common name (else the
	// organisation) of the issuer of the last certificate sent.
	Top string `json:"top"`
	// Certificates are the certificates as sent, leaf first.
	Certificates []Certificate `json:"certificates"`
	// Problems lists what is wrong with the order or the signatures of the
	// chain as sent, such as a missing intermediate between two
	// certificates. Empty for a well-formed chain.
	Problems []string `json:"problems,omitempty"`

	leafSHA256 [32]byte
}

// Certificate describes one certificate of a chain.
type Certificate struct {
	// Subject and Issuer are distinguished names as in RFC 2253.
	Subject    string `json:"subject"`
	CommonName string `json:"common_name,omitempty"`
	// SANs are the subject alternative names, each with its kind:
	// "DNS:blog.example.com", "IP:192.0.2.1", "email:…", "URI:…".
	SANs   []string `json:"sans,omitempty"`
	Issuer string   `json:"issuer"`
	// IssuerName is the issuer's display name, as Chain.Issuer.
	IssuerName string    `json:"issuer_name"`
	NotBefore  time.Time `json:"not_before"`
	NotAfter   time.Time `json:"not_after"`
	// Serial is the serial number in colon-separated upper-case hex.
	Serial string `json:"serial"`
	// SHA256 is the fingerprint of the DER encoding, colon-separated
	// upper-case hex as browsers show it.
	SHA256 string `json:"sha256"`
	// KeyType is the public key's algorithm and size: "ECDSA P-256",
	// "RSA 2048", "Ed25519".
	KeyType            string `json:"key_type"`
	SignatureAlgorithm string `json:"signature_algorithm"`
	// CA reports whether the certificate may issue certificates.
	CA bool `json:"ca"`
	// SelfSigned reports whether the certificate names itself as issuer and
	// its signature verifies with its own key.
	SelfSigned bool `json:"self_signed"`
}

// Describe describes a chain as a server sent it, leaf first.
func Describe(chain []*x509.Certificate) (*Chain, error) {
	if len(chain) == 0 || chain[0] == nil {
		return nil, errors.New("no certificate")
	}
	c := &Chain{Certificates: make([]Certificate, len(chain))}
	for i, cert := range chain {
		if cert == nil {
			return nil, fmt.Errorf("certificate %d is missing", i+1)
		}
		c.Certificates[i] = describeOne(cert)
	}
	leaf := chain[0]
	c.leafSHA256 = sha256.Sum256(leaf.Raw)
	c.IssuerOrganization = strings.Join(leaf.Issuer.Organization, ", ")
	c.IssuerCommonName = leaf.Issuer.CommonName
	c.Issuer = issuerName(leaf.Issuer)
	c.Top = topName(chain[len(chain)-1].Issuer)
	c.State = Issued
	if c.Certificates[0].SelfSigned {
		c.State = SelfSigned
	}
	for i := 0; i+1 < len(chain); i++ {
		child, parent := chain[i], chain[i+1]
		switch {
		case !bytes.Equal(child.RawIssuer, parent.RawSubject):
			c.Problems = append(c.Problems, fmt.Sprintf(
				"certificate %d (%s) was issued by %s, but the next certificate sent is %s: an intermediate is missing or the chain is out of order",
				i+1, nameOf(child.Subject), nameOf(child.Issuer), nameOf(parent.Subject)))
		case parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature) != nil:
			c.Problems = append(c.Problems, fmt.Sprintf(
				"certificate %d (%s) is not signed by the key of certificate %d (%s)",
				i+1, nameOf(child.Subject), i+2, nameOf(parent.Subject)))
		}
	}
	return c, nil
}

// DescribeDER parses DER certificates, leaf first, and describes them.
func DescribeDER(der [][]byte) (*Chain, error) {
	certs, err := ParseDER(der)
	if err != nil {
		return nil, err
	}
	return Describe(certs)
}

// Leaf returns the description of the leaf certificate.
func (c *Chain) Leaf() *Certificate { return &c.Certificates[0] }

// LeafSHA256 returns the SHA-256 fingerprint of the leaf's DER encoding.
func (c *Chain) LeafSHA256() [32]byte { return c.leafSHA256 }

func describeOne(cert *x509.Certificate) Certificate {
	sum := sha256.Sum256(cert.Raw)
	d := Certificate{
		Subject:            cert.Subject.String(),
		CommonName:         cert.Subject.CommonName,
		Issuer:             cert.Issuer.String(),
		IssuerName:         issuerName(cert.Issuer),
		NotBefore:          cert.NotBefore.UTC(),
		NotAfter:           cert.NotAfter.UTC(),
		Serial:             colonHex(cert.SerialNumber.Bytes()),
		SHA256:             colonHex(sum[:]),
		KeyType:            KeyType(cert.PublicKey),
		SignatureAlgorithm: cert.SignatureAlgorithm.String(),
		CA:                 cert.IsCA,
	}
	if cert.SerialNumber.Sign() == 0 {
		d.Serial = "00"
	}
	for _, n := range cert.DNSNames {
		d.SANs = append(d.SANs, "DNS:"+n)
	}
	for _, ip := range cert.IPAddresses {
		d.SANs = append(d.SANs, "IP:"+ip.String())
	}
	for _, e := range cert.EmailAddresses {
		d.SANs = append(d.SANs, "email:"+e)
	}
	for _, u := range cert.URIs {
		d.SANs = append(d.SANs, "URI:"+u.String())
	}
	d.SelfSigned = isSelfSigned(cert)
	return d
}

// KeyType names a public key's algorithm and size: "ECDSA P-256",
// "RSA 2048", "Ed25519".
func KeyType(pub any) string {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case ed25519.PublicKey:
		return "Ed25519"
	case nil:
		return "unknown"
	}
	return fmt.Sprintf("%T", pub)
}

// issuerName is the organisation and common name of a CA, or the common
// name alone when it already contains the organisation.
func issuerName(n pkix.Name) string {
	org := strings.Join(n.Organization, ", ")
	cn := n.CommonName
	switch {
	case cn == "" && org == "":
		return nameOf(n)
	case cn == "":
		return org
	case org == "" || strings.Contains(cn, org):
		return cn
	}
	return org + " " + cn
}

// topName is the common name of a CA, else its organisation.
func topName(n pkix.Name) string {
	if n.CommonName != "" {
		return n.CommonName
	}
	if len(n.Organization) > 0 {
		return strings.Join(n.Organization, ", ")
	}
	return nameOf(n)
}

// nameOf is a short name for messages: the common name, else the whole DN.
func nameOf(n pkix.Name) string {
	if n.CommonName != "" {
		return n.CommonName
	}
	if s := n.String(); s != "" {
		return s
	}
	return "(no name)"
}

func colonHex(b []byte) string {
	const digits = "0123456789ABCDEF"
	if len(b) == 0 {
		return ""
	}
	out := make([]byte, 0, len(b)*3-1)
	for i, x := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, digits[x>>4], digits[x&15])
	}
	return string(out)
}
