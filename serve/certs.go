package serve

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/siteblog/site/tlsinfo"
)

// certInfo is everything the server shows about one certificate, made
// once when a handshake first uses it.
type certInfo struct {
	chain  *tlsinfo.Chain // nil for plain HTTP
	sha256 [32]byte
	badge  *Badge

	// leaf is the parsed leaf (nil without a chain) and hosts the host
	// names checked against it, for the 421 check (proxy.go); proxied
	// marks the info of requests through a proxy.
	leaf    *x509.Certificate
	hosts   hostCache
	proxied bool

	page atomic.Pointer[cachedPage] // /tls/
	json atomic.Pointer[cachedPage] // /tls.json
}

// certRegistry maps certificates handed out by the certificate source to
// their certInfo. autocert returns a new *tls.Certificate per handshake
// but the same Leaf for as long as it holds a certificate, so the Leaf
// (else the first byte of the DER) is the key; fingerprints find the
// certificate of a resumed session.
type certRegistry struct {
	history *tlsinfo.History
	log     *slog.Logger
	now     func() time.Time

	byKey sync.Map // *x509.Certificate or *byte → *certInfo
	byFP  sync.Map // [32]byte → *certInfo
	n     atomic.Int64
}

// maxCerts bounds the registry; past it, it starts over (a server holds a
// handful of certificates at a time).
const maxCerts = 256

// of returns the certInfo of a certificate the source returned.
func (r *certRegistry) of(c *tls.Certificate) (*certInfo, error) {
	if len(c.Certificate) == 0 || len(c.Certificate[0]) == 0 {
		return nil, errors.New("serve: the certificate source returned an empty certificate")
	}
	var key any = &c.Certificate[0][0]
	if c.Leaf != nil {
		key = c.Leaf
	}
	if v, ok := r.byKey.Load(key); ok {
		return v.(*certInfo), nil
	}
	fp := sha256.Sum256(c.Certificate[0])
	if v, ok := r.byFP.Load(fp); ok {
		r.byKey.Store(key, v)
		return v.(*certInfo), nil
	}
	chain, err := tlsinfo.DescribeDER(c.Certificate)
	if err != nil {
		return nil, fmt.Errorf("serve: describing the certificate: %w", err)
	}
	leaf := c.Leaf
	if leaf == nil {
		if leaf, err = x509.ParseCertificate(c.Certificate[0]); err != nil {
			return nil, fmt.Errorf("serve: parsing the certificate: %w", err)
		}
	}
	info := &certInfo{chain: chain, sha256: fp, badge: NewBadge(tlsinfo.Badge(chain)), leaf: leaf}
	if v, loaded := r.byFP.LoadOrStore(fp, info); loaded {
		info = v.(*certInfo)
	} else {
		r.first(chain)
	}
	if r.n.Add(1) > maxCerts {
		r.byKey.Clear()
		r.n.Store(0)
	}
	r.byKey.Store(key, info)
	return info, nil
}

// first records a certificate served for the first time.
func (r *certRegistry) first(c *tlsinfo.Chain) {
	leaf := c.Leaf()
	r.log.Info("serving certificate", "subject", leaf.Subject, "issuer", c.Issuer, "top", c.Top,
		"key", leaf.KeyType, "not_after", leaf.NotAfter.Format(time.RFC3339), "sha256", leaf.SHA256)
	if r.history == nil {
		return
	}
	if _, err := r.history.Add(c, r.now()); err != nil {
		r.log.Warn("certificate history", "err", err)
	}
}

// byFingerprint returns a certificate served before, by leaf fingerprint.
func (r *certRegistry) byFingerprint(fp []byte) *certInfo {
	if len(fp) != sha256.Size {
		return nil
	}
	v, ok := r.byFP.Load([32]byte(fp))
	if !ok {
		return nil
	}
	return v.(*certInfo)
}
