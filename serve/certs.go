package serve

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/tlsinfo"
)

// certInfo is everything the server shows about one certificate, made
// once when a handshake first uses it.
type certInfo struct {
	report *badge.Report // nil for plain HTTP and proxied requests
	alert  string        // the --expect-issuer mismatch, "" when none
	sha256 [32]byte
	state  badge.State
	badge  *Badge

	// leaf is the parsed leaf (nil without a chain) and hosts the host
	// names checked against it, for the 421 check (proxy.go); proxied
	// marks the info of requests through a proxy.
	leaf    *x509.Certificate
	hosts   hostCache
	proxied bool

	page atomic.Pointer[cachedPage] // /tls/
	json atomic.Pointer[cachedPage] // /tls.json

	// caa is the CAA check of the leaf's names once done (caa.go).
	caa atomic.Pointer[badge.CAA]
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
	verify  tlsinfo.VerifyOptions // Now is set per certificate

	expectIssuer string
	ctLogs       *tlsinfo.LogList // nil: SCTs shown unverified
	caa          *caaChecker      // nil: CAA not checked

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
	report, err := r.describe(c.Certificate)
	if err != nil {
		return nil, err
	}
	leaf := c.Leaf
	if leaf == nil {
		if leaf, err = x509.ParseCertificate(c.Certificate[0]); err != nil {
			return nil, fmt.Errorf("serve: parsing the certificate: %w", err)
		}
	}
	info := &certInfo{report: report, alert: tlsinfo.CheckExpectedIssuer(report.Trust, r.expectIssuer),
		sha256: fp, state: badge.State(report.Trust.State), badge: NewBadge(badge.Served(report)), leaf: leaf}
	if v, loaded := r.byFP.LoadOrStore(fp, info); loaded {
		info = v.(*certInfo)
	} else {
		r.first(info)
	}
	if r.n.Add(1) > maxCerts {
		r.byKey.Clear()
		r.n.Store(0)
	}
	r.byKey.Store(key, info)
	return info, nil
}

// describe describes and verifies a chain the certificate source
// returned.
func (r *certRegistry) describe(der [][]byte) (*badge.Report, error) {
	certs, err := tlsinfo.ParseDER(der)
	if err != nil {
		return nil, fmt.Errorf("serve: the certificate source returned %w", err)
	}
	chain, err := tlsinfo.Describe(certs)
	if err != nil {
		return nil, fmt.Errorf("serve: describing the certificate: %w", err)
	}
	opts := r.verify
	opts.Now = r.now()
	trust, err := tlsinfo.Verify(certs, opts)
	if err != nil {
		return nil, fmt.Errorf("serve: verifying the certificate: %w", err)
	}
	report := &badge.Report{Chain: chain, Trust: trust}
	report.SCTs, err = tlsinfo.CheckSCTs(certs[0], sctIssuer(certs), r.ctLogs)
	if err != nil {
		report.SCTError = err.Error()
		report.CT = "The Certificate Transparency records embedded in this certificate cannot be read."
	} else {
		report.CT = badge.CTSentence(report.SCTs)
	}
	return report, nil
}

// sctIssuer is the certificate that issued the leaf, whose key its SCTs
// sign over: the second certificate sent, when it did sign the leaf; nil
// (SCTs unchecked) when there is none or it did not.
func sctIssuer(certs []*x509.Certificate) *x509.Certificate {
	if len(certs) < 2 || certs[0].CheckSignatureFrom(certs[1]) != nil {
		return nil
	}
	return certs[1]
}

// first records a certificate served for the first time, and logs it,
// what changed since the certificate before it, and a mismatch with the
// expected issuer: once per certificate.
func (r *certRegistry) first(info *certInfo) {
	c, t := info.report.Chain, info.report.Trust
	leaf := c.Leaf()
	r.log.Info("serving certificate", "subject", leaf.Subject, "issuer", t.Issuer, "trust", t.State,
		"anchor", t.AnchorLabel(), "top", c.Top, "key", leaf.KeyType,
		"not_after", leaf.NotAfter.Format(time.RFC3339), "sha256", leaf.SHA256)
	if t.Reason != "" {
		r.log.Warn("the certificate served is not publicly trusted", "state", t.State, "reason", t.Reason, "sha256", leaf.SHA256)
	}
	if info.alert != "" {
		r.log.Warn("unexpected certificate issuer", "alert", info.alert, "sha256", leaf.SHA256)
	}
	if rep := info.report; rep.SCTError != "" {
		r.log.Warn("the certificate's embedded SCTs cannot be read", "err", rep.SCTError, "sha256", leaf.SHA256)
	}
	r.startCAA(info)
	if r.history == nil {
		return
	}
	rec, err := r.history.Add(c, t, r.now())
	if err != nil {
		r.log.Warn("certificate history", "err", err)
	}
	if rec != nil && len(rec.Changes) > 0 {
		changes := make([]string, len(rec.Changes))
		for i, ch := range rec.Changes {
			changes[i] = ch.String()
		}
		r.log.Warn("certificate changed", "changes", strings.Join(changes, "; "), "sha256", leaf.SHA256)
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
