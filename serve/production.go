package serve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/tlsinfo"
)

// Config configures a production server. Only Files is required.
type Config struct {
	// Files is the built site, as render.MemOutput holds it.
	Files map[string][]byte
	// Redirects are the site's redirect pages (aliases, redirect pages)
	// and where each leads, as render.MemOutput holds them: a request for
	// one is answered 301 with that Location (Files.SetSiteRedirects).
	// Nil serves them as the pages they are.
	Redirects map[string]string
	// TLSPage renders the theme's "tls" page (render.Stats.TLSPage, kept
	// by render.MemOutput), served at badge.PagePath. Nil: that path is
	// not served; /tls.json still is.
	TLSPage func(*badge.PageData) ([]byte, error)
	// BasePath is the path of the site's base_url ("/blog/" for
	// https://example.org/blog/; content.Config.BasePath), which the site
	// is served under: "/" is redirected there (302), and any other path
	// outside it is the site's 404 page. Default ("" or "/"): the root.
	BasePath string
	// SiteTitle names the site in /tls/feed.xml's title. Default: none.
	SiteTitle string
	// GetCertificate supplies the HTTPS listener's certificates:
	// (*certs.ACME).GetCertificate, (*certs.Files).GetCertificate, or
	// any function returning a pair. Nil serves plain HTTP only, with the
	// "not encrypted" badge.
	GetCertificate func(*tls.ClientHelloInfo) (*tls.Certificate, error)
	// Ready reports whether the certificate source has a certificate to
	// serve: nil when it has, else why not ((*certs.ACME).Ready). Until
	// it has, /healthz answers 503. Default (nil): a certificate source
	// always has one (certificate files are loaded before serving).
	Ready func() error
	// ACMEHTTP wraps the HTTP listener's handler to answer HTTP-01
	// challenges ((*certs.ACME).HTTPHandler); nil answers none.
	ACMEHTTP func(fallback http.Handler) http.Handler
	// History records every certificate served and is shown at /tls/
	// and /tls/feed.xml; nil keeps none.
	History *tlsinfo.History
	// PublicRoots are the publicly trusted roots each served chain is
	// verified against (tlsinfo.VerifyOptions.PublicRoots). Default (nil):
	// the system's roots.
	PublicRoots *x509.CertPool
	// PrivateRoots are roots only this server's operator trusts
	// (`--ca-root`): a chain that verifies only against them is
	// private-ca. Default (nil): none.
	PrivateRoots []*x509.Certificate
	// ExpectIssuer names the CA expected to issue the served certificates,
	// by organisation or display name ("Let's Encrypt"): a certificate
	// from another CA, or whose chain does not verify, is logged once and
	// shown as an alert on /tls/ (tlsinfo.CheckExpectedIssuer). It is an
	// alert, not a pin: the certificate is served. Default (""): no
	// expectation.
	ExpectIssuer string
	// CTLogList is the list of Certificate Transparency logs (the v3
	// JSON format browsers use, tlsinfo.ReadLogList) that the SCTs
	// embedded in each served certificate are verified against. Default
	// (nil): no list; the SCTs are shown with their log IDs and
	// timestamps, unverified.
	CTLogList *tlsinfo.LogList
	// CAA, if set, has the CAA records of each served certificate's DNS
	// names checked in the background when the certificate is first
	// served, and shown on /tls/ and /tls.json. Default (nil): CAA is not
	// checked, and /tls/ says so.
	CAA *CAAConfig
	// Log receives the server's messages. Default: discard.
	Log *slog.Logger
	// ShutdownTimeout bounds a graceful shutdown. Default 10s.
	ShutdownTimeout time.Duration
	// CSP is the Content-Security-Policy of the site's responses: the
	// site's own, with the sources site.toml's [csp] adds
	// (content.Config.ContentSecurityPolicy). Default CSP.
	CSP string
	// TrustedProxies are the addresses of proxies that present this
	// server's own certificate to readers (TLS passthrough, or a load
	// balancer given the same certificate). A request whose peer address
	// is inside one of them gets the badge of its connection despite its
	// proxy headers, except that the plain HTTP badge shows when the
	// proxy says its client came over plain HTTP (X-Forwarded-Proto or
	// Forwarded proto, see the package documentation). Proxy headers
	// from any other address make the badge say "proxied". Default:
	// none.
	TrustedProxies []netip.Prefix
}

// Response headers of every response over HTTPS (HSTS) and of every
// response (the rest).
const (
	HSTS           = "max-age=63072000"
	CSP            = content.BaseCSP // a site's own adds what its [csp] says
	ReferrerPolicy = "strict-origin-when-cross-origin"
)

// Timeouts against slow or idle clients.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
)

// Server serves a built site in production: HTTPS with HTTP/2 and the
// issuer badge of each connection filled in every page, plus an HTTP
// listener that answers ACME HTTP-01 challenges and redirects everything
// else to HTTPS. Without a certificate source it serves the site over
// plain HTTP with the "not encrypted" badge.
//
// Paths besides the site's files: /healthz (200 "ok", 503 while there is
// no certificate to serve), /tls/ (the chain of
// the connection and the certificate history, the theme's "tls" page),
// /tls.json (the same as JSON) and /tls/feed.xml (the history as Atom).
type Server struct {
	cfg       Config
	log       *slog.Logger
	history   *tlsinfo.History
	files     *Files
	certs     *certRegistry
	tlsConfig *tls.Config
	httpInfo  *certInfo // the "certificate" of plain HTTP: none
	csp       []string  // the Content-Security-Policy header's value

	// proxiedInfo is the "certificate" of a request through a proxy: the
	// one the reader checked is not known.
	proxiedInfo *certInfo

	// stopWork ends the server's background work (certRegistry.ctx) when
	// Serve shuts down.
	stopWork context.CancelFunc

	siteGen   atomic.Uint64
	tlsRender atomic.Pointer[func(*badge.PageData) ([]byte, error)]
	feed      feedCache // /tls/feed.xml
}

// New returns a server for cfg; it serves only when Serve is called
// with listeners (Listen opens them).
func New(cfg Config) (*Server, error) {
	if cfg.Files == nil {
		return nil, errors.New("serve: no site to serve")
	}
	s := &Server{cfg: cfg, log: cfg.Log, history: cfg.History, csp: cspValue}
	if cfg.CSP != "" {
		s.csp = []string{cfg.CSP}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.certs = &certRegistry{history: cfg.History, log: s.log, now: time.Now, expectIssuer: cfg.ExpectIssuer, ctLogs: cfg.CTLogList}
	s.certs.ctx, s.stopWork = context.WithCancel(context.Background())
	if cfg.CAA != nil {
		s.certs.caa = newCAAChecker(*cfg.CAA)
	}
	s.httpInfo = &certInfo{state: badge.NotEncrypted, badge: NewBadge(badge.NotEncryptedBadge())}
	s.proxiedInfo = &certInfo{state: badge.Proxied, badge: NewBadge(badge.ProxiedBadge()), proxied: true}
	s.files = &Files{Badge: s.badgeOf}
	s.certs.verify = tlsinfo.VerifyOptions{PublicRoots: cfg.PublicRoots, PrivateRoots: cfg.PrivateRoots}
	s.SetSite(cfg.Files, cfg.Redirects, cfg.TLSPage)
	if cfg.GetCertificate != nil {
		s.tlsConfig = s.newTLSConfig(cfg.GetCertificate)
	}
	return s, nil
}

// SetSite replaces the site being served, its redirect pages (as
// Config.Redirects) and the renderer of its "tls" page (as
// Config.TLSPage), atomically.
func (s *Server) SetSite(files map[string][]byte, redirects map[string]string, tlsPage func(*badge.PageData) ([]byte, error)) {
	s.files.SetSiteRedirects(files, redirects)
	s.tlsRender.Store(&tlsPage)
	s.siteGen.Add(1)
}

// TLSConfig returns the HTTPS listener's TLS configuration (nil in plain
// HTTP mode). Connections must come from a listener wrapped by Serve for
// the badge to know their certificate.
func (s *Server) TLSConfig() *tls.Config { return s.tlsConfig }

// connInfo returns the certificate of a request's connection: the http
// state for plain HTTP.
func (s *Server) connInfo(r *http.Request) *certInfo {
	if r.TLS == nil {
		return s.httpInfo
	}
	if cc := connOf(r.Context()); cc != nil {
		if info := cc.info(r.TLS.DidResume); info != nil {
			if !info.until.IsZero() { // a connection outlives the verdict it began with
				if now := s.certs.now(); now.After(info.until) {
					info = s.certs.refresh(info, now)
					cc.update(r.TLS.DidResume, info)
				}
			}
			return info
		}
	}
	return nil
}

func (s *Server) badgeOf(r *http.Request) *Badge {
	if info := s.requestInfo(r); info != nil {
		return info.badge
	}
	return nil // leave the page as built: never guess
}

// Handler returns the handler of the site: pages with the badge of the
// connection, /healthz, /tls/ and /tls.json, with security headers.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveSite)
}

var (
	hstsValue      = []string{HSTS}
	cspValue       = []string{CSP}
	nosniffValue   = []string{"nosniff"}
	referrerValue  = []string{ReferrerPolicy}
	noStoreValue   = []string{"no-store"}
	textPlainValue = []string{"text/plain; charset=utf-8"}
)

func securityHeaders(h http.Header, overTLS bool, csp []string) {
	if overTLS {
		h["Strict-Transport-Security"] = hstsValue
	}
	h["Content-Security-Policy"] = csp
	h["X-Content-Type-Options"] = nosniffValue
	h["Referrer-Policy"] = referrerValue
}

func (s *Server) serveSite(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header(), r.TLS != nil, s.csp)
	if r.URL.Path == "/healthz" {
		s.healthz(w, r) // whatever the Host: health checkers use addresses
		return
	}
	if s.misdirected(r) {
		serveMisdirected(w)
		return
	}
	switch r.URL.Path {
	case badge.PagePath, badge.JSONPath:
		if !allowGetHead(w, r) {
			return
		}
		info := s.requestInfo(r)
		if info == nil {
			http.Error(w, "the certificate of this connection is not known", http.StatusInternalServerError)
			return
		}
		var b *body
		var err error
		cacheControl := cachePages // the page carries the badge
		if r.URL.Path == badge.PagePath {
			b, err = s.tlsPage(info)
		} else {
			b, err = s.tlsJSONBody(info)
			cacheControl = "no-store"
		}
		if errors.Is(err, errNoTLSPage) {
			s.files.ServeHTTP(w, r) // the site's 404
			return
		}
		if err != nil {
			s.log.Error("serving "+r.URL.Path, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		serveBody(w, r, b, cacheControl, http.StatusOK)
		return
	case badge.FeedPath:
		s.serveFeed(w, r)
		return
	case "/tls":
		http.Redirect(w, r, badge.PagePath, http.StatusMovedPermanently)
		return
	}
	serveUnder(s.cfg.BasePath, previewDir+"missing", s.files, w, r)
}

// healthz answers 200 "ok" when the server can serve, and 503 "no
// certificate" while it has a certificate source without a certificate
// (Config.Ready).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = textPlainValue
	h["Cache-Control"] = noStoreValue
	if s.tlsConfig != nil && s.cfg.Ready != nil {
		if err := s.cfg.Ready(); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "no certificate\n")
			return
		}
	}
	io.WriteString(w, "ok\n")
}

// redirectHandler sends every request to the same URL over HTTPS, on
// httpsPort ("" or "443" for the default port). /healthz is answered by
// healthz.
func redirectHandler(httpsPort string, healthz http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w.Header(), false, cspValue) // a redirect loads nothing
		if r.URL.Path == "/healthz" {
			healthz(w, r)
			return
		}
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if host == "" {
			http.Error(w, "no Host header: use HTTPS", http.StatusBadRequest)
			return
		}
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		if httpsPort != "" && httpsPort != "443" {
			host += ":" + httpsPort
		}
		code := http.StatusMovedPermanently
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			code = http.StatusPermanentRedirect
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), code)
	})
}

// Serve serves HTTPS on httpsLn and HTTP on httpLn (either may be nil)
// until ctx is done, then stops accepting, lets requests in flight finish
// (up to ShutdownTimeout), stops the server's background work (the CAA
// checks) and returns nil; the server is not to be served again. It returns
// early with the error of a listener that fails. In plain HTTP mode, httpLn
// serves the site.
func (s *Server) Serve(ctx context.Context, httpsLn, httpLn net.Listener) error {
	if httpsLn == nil && httpLn == nil {
		return errors.New("serve: no listener")
	}
	if httpsLn != nil && s.tlsConfig == nil {
		return errors.New("serve: an HTTPS listener needs a certificate source")
	}
	errs := newErrorLog(s.log)
	defer errs.close()
	errLog := log.New(errs, "", 0)
	var servers []*http.Server
	errc := make(chan error, 2)
	start := func(srv *http.Server, serve func() error) {
		servers = append(servers, srv)
		go func() {
			if err := serve(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	if httpsLn != nil {
		srv := s.newHTTPServer(s.Handler(), errLog)
		srv.TLSConfig = s.tlsConfig
		srv.ConnContext = connContext
		start(srv, func() error { return srv.ServeTLS(capListener{httpsLn}, "", "") })
	}
	if httpLn != nil {
		var h http.Handler
		if s.tlsConfig == nil {
			h = s.Handler()
		} else {
			port := ""
			if httpsLn != nil {
				_, port, _ = net.SplitHostPort(httpsLn.Addr().String())
			}
			h = redirectHandler(port, s.healthz)
			if s.cfg.ACMEHTTP != nil {
				h = s.cfg.ACMEHTTP(h)
			}
		}
		srv := s.newHTTPServer(h, errLog)
		start(srv, func() error { return srv.Serve(httpLn) })
	}

	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	timeout := s.cfg.ShutdownTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var wg sync.WaitGroup
	for _, srv := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if serr := srv.Shutdown(sctx); serr != nil {
				srv.Close()
			}
		}()
	}
	wg.Wait()
	s.certs.stop(s.stopWork)
	return err
}

func (s *Server) newHTTPServer(h http.Handler, errLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          errLog,
	}
}
