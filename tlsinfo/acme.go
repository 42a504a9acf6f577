package tlsinfo

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// ACMEConfig configures NewACME. Only Domains is required.
type ACMEConfig struct {
	// Domains are the names to obtain certificates for; a handshake for any
	// other name fails without an ACME order.
	Domains []string
	// Email is the account's contact address; optional.
	Email string
	// DirectoryURL is the CA's ACME directory. Default: Let's Encrypt's
	// production directory (autocert.DefaultACMEDirectory).
	DirectoryURL string
	// Roots are extra roots to trust, besides the system's, when talking to
	// the CA's API (Pebble serves it with its own test certificate).
	Roots []*x509.Certificate
	// CacheDir holds certificates, the account key and the history. It is
	// created with mode 0700. Default: DefaultCacheDir().
	CacheDir string
	// Log receives CA errors, once per distinct error, and news of
	// certificates obtained. Default: discard.
	Log *slog.Logger
}

// DefaultCacheDir is the certificate cache directory used when none is
// given: site/acme in the user's cache directory ($XDG_CACHE_HOME or
// ~/.cache on Linux).
func DefaultCacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for certificates (give one with --cache): %w", err)
	}
	return filepath.Join(base, "site", "acme"), nil
}

// ReadRoots reads the PEM certificates in file, for ACMEConfig.Roots.
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

// ACME obtains and renews certificates for a fixed list of names with
// autocert. Use GetCertificate in the TLS configuration of the HTTPS
// listener (with acme.ALPNProto among its NextProtos, for TLS-ALPN-01) and
// HTTPHandler on the HTTP listener (for HTTP-01).
type ACME struct {
	cfg       ACMEConfig
	cache     *checkedCache
	transport http.RoundTripper
	log       *slog.Logger
	once      *onceLog

	mu  sync.Mutex // serialises replacing the manager
	cur atomic.Pointer[manager]

	ctx    context.Context // for background work started by replacements
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// manager is one autocert.Manager with the transport its ACME client uses.
type manager struct {
	m    *autocert.Manager
	http http.Handler
	tr   *caTransport
}

// NewACME checks cfg and prepares the cache directory. It talks to the CA
// only when a certificate is needed: call Start to obtain them up front.
func NewACME(cfg ACMEConfig) (*ACME, error) {
	if len(cfg.Domains) == 0 {
		return nil, errors.New("acme: no domain given")
	}
	for _, d := range cfg.Domains {
		if !strings.Contains(strings.Trim(d, "."), ".") || strings.ContainsAny(d, "/: ") {
			return nil, fmt.Errorf("acme: %q is not a fully qualified domain name", d)
		}
	}
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
	if err := PrivateDir(cfg.CacheDir); err != nil {
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
	a := &ACME{cfg: cfg, transport: tr, log: log, once: newOnceLog(log)}
	a.cache = newCheckedCache(cfg.CacheDir,
		func(err error) { log.Warn("certificate cache", "err", err) },
		func(name string, c *Chain) {
			log.Info("certificate stored", "name", name, "issuer", c.Issuer, "top", c.Top,
				"key", c.Leaf().KeyType, "not_after", c.Leaf().NotAfter.Format(time.RFC3339))
		})
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.cur.Store(a.newManager())
	return a, nil
}

// CacheDir returns the certificate cache directory.
func (a *ACME) CacheDir() string { return a.cfg.CacheDir }

// Domains returns the names certificates are obtained for.
func (a *ACME) Domains() []string { return append([]string(nil), a.cfg.Domains...) }

func (a *ACME) newManager() *manager {
	tr := &caTransport{base: a.transport, acme: a}
	m := &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      a.cache,
		HostPolicy: autocert.HostWhitelist(a.cfg.Domains...),
		Email:      a.cfg.Email,
		Client: &acme.Client{
			DirectoryURL: a.cfg.DirectoryURL,
			HTTPClient:   &http.Client{Transport: tr, Timeout: time.Minute},
			UserAgent:    "site",
		},
	}
	mg := &manager{m: m, tr: tr}
	tr.owner = mg
	// Calling HTTPHandler also tells autocert that HTTP-01 can be used.
	mg.http = m.HTTPHandler(http.NotFoundHandler())
	return mg
}

// GetCertificate is the tls.Config hook: it returns the certificate for
// hello.ServerName, obtaining one first if needed, and answers TLS-ALPN-01
// challenges. Names outside ACMEConfig.Domains fail without an order.
func (a *ACME) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	mg := a.cur.Load()
	cert, err := mg.m.GetCertificate(hello)
	if err != nil && mg.tr.lost.Load() {
		// The CA forgot the account while this handshake waited: try once
		// more with a manager that registers it again.
		cert, err = a.replace(mg).m.GetCertificate(hello)
	}
	if err != nil && !strings.Contains(err.Error(), "not configured in HostWhitelist") &&
		!strings.Contains(err.Error(), "missing server name") && !isChallenge(hello) {
		a.once.warn("acme: no certificate for "+hello.ServerName, err)
	}
	return cert, err
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
// which cannot be stopped, then fail without talking to the CA.
func (a *ACME) Close() {
	a.mu.Lock() // no replacement starts work after this
	a.cur.Load().tr.retired.Store(true)
	a.cancel()
	a.mu.Unlock()
	a.wg.Wait()
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

// caTransport watches the ACME client's traffic: it logs what the CA
// refuses and when it cannot be reached (once per distinct error), and
// notices when the CA says the account does not exist.
type caTransport struct {
	base    http.RoundTripper
	acme    *ACME
	owner   *manager
	retired atomic.Bool // replaced: fail at once
	lost    atomic.Bool // the CA said the account does not exist
}

var errRetired = errors.New("acme: this ACME client was replaced after the CA forgot its account")

const (
	problemBadNonce  = "urn:ietf:params:acme:error:badNonce"
	problemNoAccount = "urn:ietf:params:acme:error:accountDoesNotExist"
)

func (t *caTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.retired.Load() {
		return nil, errRetired
	}
	res, err := t.base.RoundTrip(req)
	if err != nil {
		t.acme.once.warn("acme: the CA cannot be reached", err)
		return nil, err
	}
	if res.StatusCode < 400 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		return res, nil
	}
	body, rerr := io.ReadAll(io.LimitReader(res.Body, 1<<16))
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return res, nil
	}
	var p struct{ Type, Detail string }
	_ = json.Unmarshal(body, &p)
	switch p.Type {
	case problemBadNonce:
		// The client retries with a fresh nonce.
	case problemNoAccount:
		if !t.lost.Swap(true) {
			go t.acme.replace(t.owner)
		}
	default:
		t.acme.once.warn("acme: the CA refused a request", fmt.Errorf("%s %s: %s: %s", req.Method, req.URL.Path, p.Type, p.Detail))
	}
	return res, nil
}

// onceLog logs each distinct error once (again after six hours if it
// persists), so a CA that is down does not flood the log.
type onceLog struct {
	log  *slog.Logger
	mu   sync.Mutex
	seen map[string]time.Time
}

func newOnceLog(l *slog.Logger) *onceLog { return &onceLog{log: l, seen: map[string]time.Time{}} }

func (o *onceLog) warn(msg string, err error) {
	key := msg + "\x00" + err.Error()
	now := time.Now()
	o.mu.Lock()
	if t, ok := o.seen[key]; ok && now.Sub(t) < 6*time.Hour {
		o.mu.Unlock()
		return
	}
	if len(o.seen) > 1000 {
		clear(o.seen)
	}
	o.seen[key] = now
	o.mu.Unlock()
	o.log.Warn(msg, "err", err)
}
