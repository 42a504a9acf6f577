package certs

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/acme/autocert"

	"github.com/siteblog/site/tlsinfo"
)

// accountKeyName is where autocert keeps the ACME account key.
const accountKeyName = "acme_account+key"

// checkedCache is autocert's directory cache with two additions: an entry
// that does not parse (a corrupt certificate or account key) is reported,
// moved aside to NAME.corrupt and treated as missing, so autocert makes a
// new one instead of failing every handshake; and every certificate stored
// is reported, with its chain as DER and described.
type checkedCache struct {
	dir     string
	cache   autocert.DirCache
	corrupt func(error)
	stored  func(name string, der [][]byte, chain *tlsinfo.Chain)
}

func newCheckedCache(dir string, corrupt func(error), stored func(string, [][]byte, *tlsinfo.Chain)) *checkedCache {
	return &checkedCache{dir: dir, cache: autocert.DirCache(dir), corrupt: corrupt, stored: stored}
}

// Get implements autocert.Cache.
func (c *checkedCache) Get(ctx context.Context, name string) ([]byte, error) {
	data, err := c.cache.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	var bad error
	switch {
	case name == accountKeyName:
		_, bad = parseKeyPEM(data)
	case isCertName(name):
		_, _, bad = parseCertPEM(data)
	}
	if bad != nil {
		p := filepath.Join(c.dir, name)
		moved := p + ".corrupt"
		if rerr := os.Rename(p, moved); rerr != nil {
			c.corrupt(fmt.Errorf("%s: corrupt cache entry (%v), and moving it aside failed: %v", p, bad, rerr))
		} else {
			c.corrupt(&tlsinfo.CorruptError{Path: p, MovedTo: moved, Err: bad})
		}
		return nil, autocert.ErrCacheMiss
	}
	return data, nil
}

// Put implements autocert.Cache.
func (c *checkedCache) Put(ctx context.Context, name string, data []byte) error {
	if err := c.cache.Put(ctx, name, data); err != nil {
		return err
	}
	if isCertName(name) && c.stored != nil {
		if der, chain, err := parseCertPEM(data); err == nil {
			c.stored(name, der, chain)
		}
	}
	return nil
}

// Delete implements autocert.Cache.
func (c *checkedCache) Delete(ctx context.Context, name string) error {
	return c.cache.Delete(ctx, name)
}

// isCertName reports whether a cache entry is a domain's certificate
// ("blog.example.com", "blog.example.com+rsa"), not a challenge token or
// the account key.
func isCertName(name string) bool {
	return !strings.HasSuffix(name, "+token") && !strings.HasSuffix(name, "+http-01") &&
		!strings.HasPrefix(name, "acme_account")
}

func parseKeyPEM(data []byte) (any, error) {
	b, _ := pem.Decode(data)
	if b == nil || !strings.Contains(b.Type, "PRIVATE KEY") {
		return nil, errors.New("no PEM private key")
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	return nil, errors.New("the private key does not parse")
}

// parseCertPEM checks an autocert certificate entry: a private key, then
// the chain, and nothing else. It returns the chain as DER, leaf first,
// and described.
func parseCertPEM(data []byte) ([][]byte, *tlsinfo.Chain, error) {
	if _, err := parseKeyPEM(data); err != nil {
		return nil, nil, err
	}
	_, rest := pem.Decode(data)
	var der [][]byte
	for len(rest) > 0 {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, nil, fmt.Errorf("unexpected PEM block %q", b.Type)
		}
		der = append(der, b.Bytes)
	}
	if len(rest) > 0 {
		return nil, nil, errors.New("trailing data after the certificates")
	}
	if len(der) == 0 {
		return nil, nil, errors.New("no certificate")
	}
	chain, err := tlsinfo.DescribeDER(der)
	if err != nil {
		return nil, nil, err
	}
	return der, chain, nil
}
