package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"

	"github.com/siteblog/site/internal/dirlock"
	"github.com/siteblog/site/tlsinfo"
)

// ACME obtains and renews certificates for a fixed list of names with
// autocert. Use GetCertificate in the TLS configuration of the HTTPS
// listener (with acme.ALPNProto among its NextProtos, for TLS-ALPN-01) and
// HTTPHandler on the HTTP listener (for HTTP-01).
type ACME struct {
	cfg       ACMEConfig
	domains   map[string]bool // canonical names
	cache     *checkedCache
	transport http.RoundTripper
	log       *slog.Logger
	once      *onceLog

	mu  sync.Mutex // serialises replacing the manager
	cur atomic.Pointer[manager]

	ctx    context.Context // for background work started by replacements
	cancel context.CancelFunc
	wg     sync.WaitGroup

	heldMu sync.Mutex
	held   map[string]time.Time // name → NotAfter of its latest certificate; see Ready
}

// manager is one autocert.Manager with the transport its ACME client uses.
type manager struct {
	m     *autocert.Manager
	http  http.Handler
	tr    *caTransport
	cache *managerCache // the store as m sees it

	accountMu  sync.Mutex
	accountURI string // once known; see AccountURI
}

// NewACME checks cfg and prepares the cache directory. It talks to the CA
// only when a certificate is needed: call Start to obtain them up front.
func NewACME(cfg ACMEConfig) (*ACME, error) {
	if len(cfg.Domains) == 0 {
		return nil, errors.New("acme: no domain given")
	}
	domains := map[string]bool{}
	var names []string
	for _, d := range cfg.Domains {
		if !strings.Contains(strings.Trim(d, "."), ".") || strings.ContainsAny(d, "/: ") {
			return nil, fmt.Errorf("acme: %q is not a fully qualified domain name", d)
		}
		name, err := canonicalName(d)
		if err != nil {
			return nil, fmt.Errorf("acme: %q is not a valid domain name: %w", d, err)
		}
		if !domains[name] {
			domains[name] = true
			names = append(names, name)
		}
	}
	cfg.Domains = names
	if cfg.DirectoryURL == "" {
		cfg.DirectoryURL = autocert.DefaultACMEDirectory
	}
	if cfg.CacheDir == "" {
		dir, err := DefaultCacheDir()
		if err != nil {
			return nil, err
		}
		cfg.CacheDir = dir
	}
	if err := tlsinfo.PrivateDir(cfg.CacheDir); err != nil {
		return nil, fmt.Errorf("acme: cache directory: %w", err)
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	for _, c := range cfg.Roots {
		roots.AddCert(c)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	tr.ResponseHeaderTimeout = 30 * time.Second
	a := &ACME{cfg: cfg, domains: domains, transport: tr, log: log, once: newOnceLog(log), held: map[string]time.Time{}}
	a.cache = newCheckedCache(cfg.CacheDir,
		func(err error) { log.Warn("certificate cache", "err", err) },
		func(name string, der [][]byte, c *tlsinfo.Chain) {
			log.Info("certificate stored", "name", name, "issuer", c.Issuer, "top", c.Top,
				"key", c.Leaf().KeyType, "not_after", c.Leaf().NotAfter.Format(time.RFC3339))
			a.hold(strings.TrimSuffix(name, "+rsa"), c.Leaf().NotAfter)
			if cfg.OnCertificate != nil {
				cfg.OnCertificate(strings.TrimSuffix(name, "+rsa"), der)
			}
		})
	a.cache.lockOpt = dirlock.Options{Stale: cfg.LockStale}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.cur.Store(a.newManager())
	return a, nil
}

// CacheDir returns the certificate cache directory.
func (a *ACME) CacheDir() string { return a.cfg.CacheDir }

// Domains returns the names certificates are obtained for, in the form
// they are compared in (see ACMEConfig.Domains).
func (a *ACME) Domains() []string { return append([]string(nil), a.cfg.Domains...) }

func (a *ACME) newManager() *manager {
	tr := &caTransport{base: a.transport, acme: a}
	view := newManagerCache(a.cache)
	m := &autocert.Manager{
		Prompt: autocert.AcceptTOS,
		Cache:  view,
		// GetCertificate lets only configured names through; the
		// whitelist guards HTTP-01 (see HTTPHandler).
		HostPolicy: autocert.HostWhitelist(a.cfg.Domains...),
		Email:      a.cfg.Email,
		Client: &acme.Client{
			DirectoryURL: a.cfg.DirectoryURL,
			HTTPClient:   &http.Client{Transport: tr, Timeout: time.Minute},
			UserAgent:    "site",
		},
	}
	mg := &manager{m: m, tr: tr, cache: view}
	tr.owner = mg
	// Calling HTTPHandler also tells autocert that HTTP-01 can be used.
	mg.http = m.HTTPHandler(http.NotFoundHandler())
	return mg
}

// GetCertificate is the tls.Config hook: it returns the certificate for
// hello.ServerName, obtaining one first if needed, and answers TLS-ALPN-01
// challenges. A handshake without a server name, or for a name outside
// ACMEConfig.Domains, fails at once: no ACME order, nothing logged.
// Failures to obtain a certificate for a configured name are logged once
// per distinct error.
func (a *ACME) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name, err := a.configured(hello.ServerName)
	if err != nil {
		return nil, err
	}
	if name != hello.ServerName {
		h := *hello
		h.ServerName = name
		hello = &h
	}
	mg := a.cur.Load()
	if isChallenge(hello) {
		// The CA validating an order: autocert answers from the
		// challenge's token, or fails (a stale validation), which is
		// not the operator's concern.
		return mg.m.GetCertificate(hello)
	}
	entry := name
	if !supportsECDSA(hello) {
		entry += "+rsa" // autocert's entry for the RSA certificate
	}
	before := a.cache.holding(entry)
	cert, err := a.certificate(mg, hello, entry)
	if err != nil && mg.tr.lost.Load() {
		// The CA forgot the account while this handshake waited: try once
		// more with a manager that registers it again.
		cert, err = a.certificate(a.replace(mg), hello, entry)
	}
	if err != nil {
		// The order failed: let another process, or a later handshake,
		// try without waiting for the lock to expire. Only the lock this
		// handshake took: another key type's order may be running.
		a.cache.releaseTaken(entry, before)
		a.once.warn("acme: no certificate for "+name, err)
	} else if cert != nil && cert.Leaf != nil {
		a.hold(name, cert.Leaf.NotAfter)
	}
	return cert, err
}

// certificate asks mg's autocert for the certificate of entry, waiting
// first, outside autocert, while another process orders it (see
// checkedCache): autocert's lookups never wait, and one that finds the
// entry ordered elsewhere after all (the lock taken meanwhile) waits
// again. A certificate autocert holds in memory is asked for at once.
func (a *ACME) certificate(mg *manager, hello *tls.ClientHelloInfo, entry string) (*tls.Certificate, error) {
	ctx, cancel := context.WithTimeout(a.ctx, missingHold)
	defer cancel()
	for {
		if !mg.cache.isServed(entry) {
			if err := a.cache.prepare(ctx, entry); err != nil {
				return nil, err
			}
		}
		cert, err := mg.m.GetCertificate(hello)
		if err != nil {
			mg.cache.forget(entry)
		}
		if !errors.Is(err, errOrderedElsewhere) || ctx.Err() != nil {
			return cert, err
		}
	}
}

// supportsECDSA reports whether autocert serves hello an ECDSA
// certificate, else an RSA one (autocert's own test, which it does not
// export).
func supportsECDSA(hello *tls.ClientHelloInfo) bool {
	if hello.SignatureSchemes != nil && !slices.ContainsFunc(hello.SignatureSchemes, func(s tls.SignatureScheme) bool {
		switch s {
		case 0x0203, tls.ECDSAWithP256AndSHA256, tls.ECDSAWithP384AndSHA384, tls.ECDSAWithP521AndSHA512:
			return true
		}
		return false
	}) {
		return false
	}
	if hello.SupportedCurves != nil && !slices.Contains(hello.SupportedCurves, tls.CurveP256) {
		return false
	}
	for _, suite := range hello.CipherSuites {
		switch suite {
		case tls.TLS_ECDHE_ECDSA_WITH_RC4_128_SHA,
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305:
			return true
		}
	}
	return false
}

// hold records that a certificate valid until notAfter is held for name.
func (a *ACME) hold(name string, notAfter time.Time) {
	a.heldMu.Lock()
	if notAfter.After(a.held[name]) {
		a.held[name] = notAfter
	}
	a.heldMu.Unlock()
}

// Ready reports whether a certificate is available: nil once a
// certificate that has not expired is held for at least one of the
// configured names, obtained from the CA or loaded from the cache (by
// Start, or by a handshake), else an error saying that none is. It does
// not talk to the CA.
func (a *ACME) Ready() error {
	now := time.Now()
	a.heldMu.Lock()
	defer a.heldMu.Unlock()
	for _, notAfter := range a.held {
		if now.Before(notAfter) {
			return nil
		}
	}
	if len(a.held) > 0 {
		return errors.New("acme: every certificate held has expired")
	}
	return fmt.Errorf("acme: no certificate yet for %s", strings.Join(a.cfg.Domains, ", "))
}

// HTTPHandler answers HTTP-01 challenges under /.well-known/acme-challenge/
// and passes every other request to fallback.
func (a *ACME) HTTPHandler(fallback http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/.well-known/acme-challenge/") {
			fallback.ServeHTTP(w, r)
			return
		}
		// autocert checks r.Host against the whitelist: without the port,
		// which a CA validating on another port than 80 sends.
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			r2 := r.Clone(r.Context())
			r2.Host = h
			r = r2
		}
		a.cur.Load().http.ServeHTTP(w, r)
	})
}

// Start obtains (or loads from the cache) a certificate for every domain in
// the background, retrying with exponential backoff from 2 seconds to 10
// minutes until each is held, so the first reader does not wait for the CA
// and a CA that is down at start is retried. It returns at once; the work
// stops when ctx is done or Close is called.
func (a *ACME) Start(ctx context.Context) {
	for _, d := range a.cfg.Domains {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.obtain(ctx, d, false)
		}()
	}
}

// Close stops background work started by Start and by replacements, and
// cuts the ACME client off from the network: autocert's renewal timers,
// which cannot be stopped, then fail without talking to the CA. It
// releases the locks of the store it holds for orders in flight, after
// ending the waits for other servers' locks, and takes none any more.
func (a *ACME) Close() {
	a.mu.Lock() // no replacement starts work after this
	a.cur.Load().tr.retired.Store(true)
	a.cancel()
	a.mu.Unlock()
	a.wg.Wait()
	a.cache.releaseAll() // its orders cannot succeed any more
}

// obtain gets the certificate for domain (RSA or ECDSA) until it succeeds
// or ctx is done.
func (a *ACME) obtain(ctx context.Context, domain string, rsa bool) {
	hello := helloFor(domain, rsa)
	wait := 2 * time.Second
	for {
		if _, err := a.GetCertificate(hello); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-a.ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, 10*time.Minute)
	}
}

// helloFor makes the ClientHello of a client preferring ECDSA (or only
// able to use RSA), which is all autocert looks at to choose a key type.
func helloFor(domain string, rsa bool) *tls.ClientHelloInfo {
	if rsa {
		return &tls.ClientHelloInfo{ServerName: domain, CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}}
	}
	return &tls.ClientHelloInfo{
		ServerName:       domain,
		CipherSuites:     []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
		SignatureSchemes: []tls.SignatureScheme{tls.ECDSAWithP256AndSHA256},
		SupportedCurves:  []tls.CurveID{tls.CurveP256},
	}
}

func isChallenge(hello *tls.ClientHelloInfo) bool {
	return len(hello.SupportedProtos) == 1 && hello.SupportedProtos[0] == acme.ALPNProto
}

// replace puts a fresh autocert manager in place of old, unless that was
// done already, and returns the current manager. The fresh manager
// registers the account key again on first use; the old one is cut off
// from the network. The new manager then loads every certificate held in
// the cache, which restarts their renewal, in the background.
func (a *ACME) replace(old *manager) *manager {
	a.mu.Lock()
	defer a.mu.Unlock()
	if cur := a.cur.Load(); cur != old || a.ctx.Err() != nil {
		return cur // replaced already, or closed
	}
	old.tr.retired.Store(true)
	mg := a.newManager()
	a.cur.Store(mg)
	a.log.Warn("acme: the CA does not know the account any more; registering the account key again", "directory", a.cfg.DirectoryURL)
	for _, d := range a.cfg.Domains {
		for _, rsa := range []bool{false, true} {
			name := d
			if rsa {
				name += "+rsa"
				if _, err := a.cache.cache.Get(a.ctx, name); err != nil {
					continue // no RSA certificate was ever needed
				}
			}
			a.wg.Add(1)
			go func() {
				defer a.wg.Done()
				a.obtain(a.ctx, d, rsa)
			}()
		}
	}
	return mg
}
