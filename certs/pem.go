package certs

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
)

// ReadRoots reads the PEM certificates in file: roots to trust for
// ACMEConfig.Roots (--acme-ca-root), or for verifying a served chain
// (--ca-root, tlsinfo.VerifyOptions.PrivateRoots). Blocks other than
// CERTIFICATE are skipped; a file without any certificate is an error.
func ReadRoots(file string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s: no PEM certificate found", file)
	}
	return certs, nil
}
