package serve

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"sort"
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

	// caa is the CAA check of the leaf's names once done (caa.go): nil
	// for plain HTTP and proxied requests, shared by the certInfos made
	// again for one certificate (the check is of its names, not of when).
	caa *atomic.Pointer[badge.CAA]

	// der is the chain as served, for verifying it again; until is the
	// instant until which the verdict (state, badge, report) holds, zero
	// for ever (see verdictUntil); used is when a handshake last used the
	// certificate, in Unix nanoseconds.
	der   [][]byte
	until time.Time
	used  atomic.Int64
}

// caaResult returns the CAA check of info's certificate, nil before it is
// done or when there is none.
func (info *certInfo) caaResult() *badge.CAA {
	if info.caa == nil {
		return nil
	}
	return info.caa.Load()
}

// fresh reports whether info's verdict still holds at now.
func (info *certInfo) fresh(now time.Time) bool {
	return info.until.IsZero() || !now.After(info.until)
}

// verdictUntil returns the instant until which the verdict on certs made
// at now holds: the earliest expiry still to come along the chain sent
// and the preferred verified path (trust.NotAfter), or the instant before
// a certificate sent becomes valid, whichever comes first. Zero: the
// verdict holds for ever (an expiry already passed stays passed).
func verdictUntil(certs []*x509.Certificate, trust *tlsinfo.Trust, now time.Time) time.Time {
	var until time.Time
	earlier := func(t time.Time) {
		if !t.Before(now) && (until.IsZero() || t.Before(until)) {
			until = t
		}
	}
	earlier(trust.NotAfter)
	for _, c := range certs {
		earlier(c.NotAfter)
		if now.Before(c.NotBefore) {
			earlier(c.NotBefore.Add(-time.Nanosecond))
		}
	}
	return until
}

// certRegistry maps certificates handed out by the certificate source to
// their certInfo. autocert returns a new *tls.Certificate per handshake
// but the same Leaf for as long as it holds a certificate, so the Leaf
// (else the first byte of the DER) is the key; fingerprints find the
// certificate of a resumed session. A certInfo whose verdict no longer
// holds (its certificate expired, or became valid) is made again, with a
// new badge, when a handshake next uses its certificate.
type certRegistry struct {
	history *tlsinfo.History
	log     *slog.Logger
	now     func() time.Time
	verify  tlsinfo.VerifyOptions // Now is set per certificate

	expectIssuer string
	ctLogs       *tlsinfo.LogList // nil: SCTs shown unverified
	caa          *caaChecker      // nil: CAA not checked

	// ctx is done when the server stops: background work (the CAA
	// checks, caaRuns) ends with it.
	ctx     context.Context
	caaMu   sync.Mutex // orders caaRuns.Add before the Wait in stop
	caaRuns sync.WaitGroup

	byKey sync.Map // *x509.Certificate or *byte → *certInfo
	byFP  sync.Map // [32]byte → *certInfo
	n     atomic.Int64

	mu  sync.Mutex // held while adding to byFP
	nFP int        // the entries of byFP, under mu
}

// maxCerts bounds the registry: past it, byKey starts over, and byFP
// drops the certificates that have expired, then those used least
// recently (a server holds a handful of certificates at a time).
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
	now := r.now()
	if v, ok := r.byKey.Load(key); ok {
		if info := v.(*certInfo); info.fresh(now) {
			info.used.Store(now.UnixNano())
			return info, nil
		}
	}
	fp := sha256.Sum256(c.Certificate[0])
	if v, ok := r.byFP.Load(fp); ok {
		if info := v.(*certInfo); info.fresh(now) {
			info.used.Store(now.UnixNano())
			r.byKey.Store(key, info)
			return info, nil
		}
	}
	info, err := r.add(fp, c.Certificate, c.Leaf, now)
	if err != nil {
		return nil, err
	}
	if r.n.Add(1) > maxCerts {
		r.byKey.Clear()
		r.n.Store(0)
	}
	r.byKey.Store(key, info)
	return info, nil
}

// add makes the certInfo of a chain whose fingerprint byFP lacks, or
// holds with a verdict that no longer holds at now, and stores it there.
// A certificate new to the registry is recorded (first); one verified
// again keeps its CAA check, and the change of its state is logged.
func (r *certRegistry) add(fp [32]byte, der [][]byte, leaf *x509.Certificate, now time.Time) (*certInfo, error) {
	info, err := r.make(fp, der, leaf, now)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	var old *certInfo
	if v, ok := r.byFP.Load(fp); ok {
		if old = v.(*certInfo); old.fresh(now) { // made meanwhile
			r.mu.Unlock()
			return old, nil
		}
		info.caa = old.caa
	} else {
		r.nFP++
	}
	r.byFP.Store(fp, info)
	if r.nFP > maxCerts {
		r.evictLocked(now)
	}
	r.mu.Unlock()
	if old != nil { // the keys that led to the old info
		r.byKey.Range(func(k, v any) bool {
			if v == old {
				r.byKey.Delete(k)
			}
			return true
		})
	}
	if old == nil {
		r.first(info)
	} else if old.state != info.state {
		leaf := info.report.Chain.Leaf()
		r.log.Warn("the certificate served changed state", "from", old.state, "to", info.state,
			"reason", info.report.Trust.Reason, "sha256", leaf.SHA256)
	}
	return info, nil
}

// evictLocked brings byFP back to maxCerts entries: it drops the
// certificates whose leaf has expired, then those used least recently.
// A handshake with a dropped certificate makes its certInfo again; a
// session resumed with it makes a full handshake.
func (r *certRegistry) evictLocked(now time.Time) {
	var live []*certInfo
	r.byFP.Range(func(k, v any) bool {
		info := v.(*certInfo)
		if info.leaf != nil && now.After(info.leaf.NotAfter) {
			r.byFP.Delete(k)
			r.nFP--
		} else {
			live = append(live, info)
		}
		return true
	})
	if r.nFP <= maxCerts {
		return
	}
	sort.Slice(live, func(i, j int) bool { return live[i].used.Load() < live[j].used.Load() })
	for _, info := range live[:r.nFP-maxCerts] {
		r.byFP.Delete(info.sha256)
		r.nFP--
	}
}

// make describes and verifies a chain at now and makes its certInfo.
func (r *certRegistry) make(fp [32]byte, der [][]byte, leaf *x509.Certificate, now time.Time) (*certInfo, error) {
	certs, err := tlsinfo.ParseDER(der)
	if err != nil {
		return nil, fmt.Errorf("serve: the certificate source returned %w", err)
	}
	if leaf == nil {
		leaf = certs[0]
	}
	report, err := r.describe(certs, now)
	if err != nil {
		return nil, err
	}
	info := &certInfo{report: report, alert: tlsinfo.CheckExpectedIssuer(report.Trust, r.expectIssuer),
		sha256: fp, state: badge.State(report.Trust.State), badge: NewBadge(badge.Served(report)), leaf: leaf,
		caa: new(atomic.Pointer[badge.CAA]), der: der, until: verdictUntil(certs, report.Trust, now)}
	info.used.Store(now.UnixNano())
	return info, nil
}

// describe describes and verifies a chain the certificate source
// returned.
func (r *certRegistry) describe(certs []*x509.Certificate, now time.Time) (*badge.Report, error) {
	chain, err := tlsinfo.Describe(certs)
	if err != nil {
		return nil, fmt.Errorf("serve: describing the certificate: %w", err)
	}
	opts := r.verify
	opts.Now = now
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

// byFingerprint returns a certificate served before, by leaf fingerprint,
// verified again when its verdict no longer holds; nil when it is not
// known or no longer verifies at all.
func (r *certRegistry) byFingerprint(fp []byte) *certInfo {
	if len(fp) != sha256.Size {
		return nil
	}
	v, ok := r.byFP.Load([32]byte(fp))
	if !ok {
		return nil
	}
	info, now := v.(*certInfo), r.now()
	if !info.fresh(now) {
		var err error
		if info, err = r.add(info.sha256, info.der, info.leaf, now); err != nil {
			r.log.Warn("verifying a certificate again", "err", err)
			return nil
		}
	}
	info.used.Store(now.UnixNano())
	return info
}

// refresh returns the certInfo of info's certificate whose verdict holds
// at now: info itself while it holds, else the certificate verified
// again. It is how a connection opened before a certificate expired (or
// became valid) shows the verdict of now.
func (r *certRegistry) refresh(info *certInfo, now time.Time) *certInfo {
	if info.fresh(now) || info.der == nil {
		return info
	}
	if cur := r.byFingerprint(info.sha256[:]); cur != nil {
		return cur
	}
	cur, err := r.add(info.sha256, info.der, info.leaf, now) // dropped from the registry meanwhile
	if err != nil {
		r.log.Warn("verifying a certificate again", "err", err)
		return info
	}
	return cur
}

// served returns the chains of the certificates in use: for each set of
// names, the certificate a handshake used last.
func (r *certRegistry) served() [][][]byte {
	last := map[string]*certInfo{}
	r.byFP.Range(func(_, v any) bool {
		info := v.(*certInfo)
		names := strings.Join(info.leaf.DNSNames, " ") + "|" + info.leaf.Subject.String()
		if cur := last[names]; cur == nil || info.used.Load() > cur.used.Load() {
			last[names] = info
		}
		return true
	})
	chains := make([][][]byte, 0, len(last))
	for _, info := range last {
		chains = append(chains, info.der)
	}
	return chains
}

// ServedChains returns the chains (DER, leaf first) of the certificates
// the server is serving: of those its handshakes have used, for each set
// of names, the one used last. For a periodic check of what readers get,
// such as an expiry warning.
func (s *Server) ServedChains() [][][]byte { return s.certs.served() }

// stop ends the registry's background work, cancel being ctx's cancel
// function, and waits for it to end.
func (r *certRegistry) stop(cancel context.CancelFunc) {
	cancel()
	r.caaMu.Lock()
	r.caaMu.Unlock() // a startCAA that saw ctx alive has added its run
	r.caaRuns.Wait()
}
