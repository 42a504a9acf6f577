// Package testcert makes certificates for tests: a root, intermediates and
// leaves with any key type, written as PEM files when a program needs them.
package testcert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// Key types for New.
const (
	ECDSA   = "ecdsa"
	RSA     = "rsa"
	Ed25519 = "ed25519"
)

// Cert is a certificate with its key.
type Cert struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// Options describe a certificate to make.
type Options struct {
	CommonName   string
	Organization string
	Country      string
	// Names become DNS or IP SANs.
	Names []string
	CA    bool
	// KeyType is ECDSA (default), RSA or Ed25519.
	KeyType   string
	NotBefore time.Time // default: an hour ago
	NotAfter  time.Time // default: in 30 days
	// Key is the certificate's key; default a new one of KeyType. Two
	// certificates with one subject and key are one CA cross-signed.
	Key crypto.Signer
	// ExtraExtensions are added to the certificate as they are.
	ExtraExtensions []pkix.Extension
	// ExtKeyUsage replaces a leaf's extended key usages (default: server
	// authentication).
	ExtKeyUsage []x509.ExtKeyUsage
	// SCTLogs, if any, each sign an SCT over the certificate's
	// precertificate entry at SCTTime (default NotBefore), embedded in
	// the certificate as the SCT list extension, after ExtraExtensions.
	SCTLogs []*SCTLog
	SCTTime time.Time
}

var serial atomic.Int64

// New makes a certificate signed by parent (self-signed when parent is nil).
func New(t testing.TB, o Options, parent *Cert) *Cert {
	t.Helper()
	key := o.Key
	var err error
	switch {
	case key != nil:
	case o.KeyType == RSA:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	case o.KeyType == Ed25519:
		_, key, err = ed25519.GenerateKey(rand.Reader)
	default:
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	if o.NotBefore.IsZero() {
		o.NotBefore = time.Now().Add(-time.Hour)
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = time.Now().Add(30 * 24 * time.Hour)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1000 + serial.Add(1)),
		Subject:               pkix.Name{CommonName: o.CommonName},
		NotBefore:             o.NotBefore,
		NotAfter:              o.NotAfter,
		BasicConstraintsValid: true,
		IsCA:                  o.CA,
		ExtraExtensions:       o.ExtraExtensions,
	}
	if o.Country != "" {
		tmpl.Subject.Country = []string{o.Country}
	}
	if o.Organization != "" {
		tmpl.Subject.Organization = []string{o.Organization}
	}
	if o.CA {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		if o.KeyType == RSA {
			tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
		}
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		if o.ExtKeyUsage != nil {
			tmpl.ExtKeyUsage = o.ExtKeyUsage
		}
	}
	for _, n := range o.Names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	signer, issuer := key, tmpl
	if parent != nil {
		signer, issuer = parent.Key, parent.Cert
	}
	if len(o.SCTLogs) > 0 {
		if o.SCTTime.IsZero() {
			o.SCTTime = o.NotBefore
		}
		ext := sctListExtension(t, o.SCTLogs, o.SCTTime, tmpl, issuer, key.Public(), signer)
		tmpl.ExtraExtensions = append(append([]pkix.Extension(nil), o.ExtraExtensions...), ext)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, key.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &Cert{Cert: cert, Key: key}
}

// PKI is a root, an intermediate and a leaf for 127.0.0.1 and localhost,
// named like a public CA's: the intermediate's organisation and common
// name are "Example Trust" and "ET R1", the root's "Example Trust Root X1".
type PKI struct {
	Root, Intermediate, Leaf *Cert
}

// NewPKI makes a PKI whose leaf has the given key type and names (default
// 127.0.0.1 and localhost).
func NewPKI(t testing.TB, keyType string, names ...string) *PKI {
	t.Helper()
	if len(names) == 0 {
		names = []string{"127.0.0.1", "localhost"}
	}
	root := New(t, Options{CommonName: "Example Trust Root X1", Organization: "Example Trust", CA: true}, nil)
	inter := New(t, Options{CommonName: "ET R1", Organization: "Example Trust", CA: true}, root)
	leaf := New(t, Options{CommonName: names[0], Names: names, KeyType: keyType}, inter)
	return &PKI{Root: root, Intermediate: inter, Leaf: leaf}
}

// TLS returns the leaf with the intermediate, as a server sends them.
func (p *PKI) TLS() tls.Certificate {
	return tls.Certificate{
		Certificate: [][]byte{p.Leaf.Cert.Raw, p.Intermediate.Cert.Raw},
		PrivateKey:  p.Leaf.Key,
		Leaf:        p.Leaf.Cert,
	}
}

// Pool returns a pool holding the root.
func (p *PKI) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.Root.Cert)
	return pool
}

// TLS returns a self-contained tls.Certificate of c alone.
func (c *Cert) TLS() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert}
}

// CertPEM returns the PEM encoding of certificates.
func CertPEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// KeyPEM returns the PKCS #8 PEM encoding of a private key.
func KeyPEM(t testing.TB, key crypto.Signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// WriteFiles writes a chain (leaf first) and the leaf's key as PEM files
// into dir and returns their paths.
func WriteFiles(t testing.TB, dir, name string, key crypto.Signer, chain ...*x509.Certificate) (certFile, keyFile string) {
	t.Helper()
	certFile = filepath.Join(dir, name+".crt")
	keyFile = filepath.Join(dir, name+".key")
	if err := os.WriteFile(certFile, CertPEM(chain...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, KeyPEM(t, key), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
