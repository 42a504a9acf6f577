package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/siteblog/site/certs"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/render"
	"github.com/siteblog/site/serve"
	"github.com/siteblog/site/tlsinfo"
)

// serveOptions are the flags of `site serve` that the preview uses.
type serveOptions struct {
	Dir    string // the site directory
	Addr   string // the preview's address
	Drafts bool
	Future bool
	// FollowSymlinks lets symbolic links lead outside the site directory.
	FollowSymlinks bool
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// prefixList is a repeatable flag of CIDR prefixes; a bare address is a
// prefix of that one address.
type prefixList []netip.Prefix

func (l *prefixList) String() string {
	s := make([]string, len(*l))
	for i, p := range *l {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

func (l *prefixList) Set(v string) error {
	p, err := netip.ParsePrefix(v)
	if err != nil {
		a, aerr := netip.ParseAddr(v)
		if aerr != nil {
			return fmt.Errorf("not a CIDR prefix or an IP address: %q", v)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	*l = append(*l, p.Masked())
	return nil
}

// productionOptions are the flags of `site serve` in production.
type productionOptions struct {
	ACME               bool
	Domains            []string
	Email              string
	ACMECA, ACMECARoot string
	Cache              string
	HTTPAddr           string
	HTTPSAddr          string
	TLSCert, TLSKey    string
	ExpectIssuer       string
	// CARoots are the roots of --ca-root: roots the operator trusts
	// besides the system's, for verifying the served chain.
	CARoots        []*x509.Certificate
	TrustedProxies []netip.Prefix
	// CTLogList is the list of --ct-log-list; nil without one.
	CTLogList   *tlsinfo.LogList
	CAAResolver string
}

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := flags("serve", stderr)
	var opts serveOptions
	var prod productionOptions
	var domains, caRoots stringList
	var trusted prefixList
	fs.StringVar(&opts.Dir, "s", ".", "the site directory")
	fs.StringVar(&opts.Addr, "addr", "127.0.0.1:1313", "the preview's address")
	fs.BoolVar(&opts.Drafts, "drafts", false, "include drafts")
	fs.BoolVar(&opts.Future, "future", false, "include posts dated in the future")
	fs.BoolVar(&opts.FollowSymlinks, "follow-symlinks", false, followSymlinksUsage)
	fs.BoolVar(&prod.ACME, "acme", false, "production: obtain certificates over ACME for the --domain names")
	fs.Var(&domains, "domain", "a name to serve and obtain a certificate for (repeatable)")
	fs.StringVar(&prod.Email, "email", "", "the ACME account's contact email")
	fs.StringVar(&prod.ACMECA, "acme-ca", "", "the ACME directory URL (default: Let's Encrypt's)")
	fs.StringVar(&prod.ACMECARoot, "acme-ca-root", "", "a PEM file of extra roots to trust when talking to the ACME directory")
	fs.StringVar(&prod.Cache, "cache", "", "the certificate cache directory, outside the site (default: site/acme in the user's cache directory)")
	fs.StringVar(&prod.HTTPAddr, "http-addr", ":80", "production: the HTTP address (ACME HTTP-01, redirects to HTTPS); empty for none")
	fs.StringVar(&prod.HTTPSAddr, "https-addr", ":443", "production: the HTTPS address")
	fs.StringVar(&prod.TLSCert, "tls-cert", "", "production: a PEM certificate chain to serve, leaf first; reloaded when it changes and on SIGHUP")
	fs.StringVar(&prod.TLSKey, "tls-key", "", "production: the PEM private key of --tls-cert; reloaded with it")
	fs.StringVar(&prod.ExpectIssuer, "expect-issuer", "", "production: the CA expected to issue the certificates (its organisation or name, such as \"Let's Encrypt\"); another is logged and shown on /tls/, and still served")
	fs.Var(&caRoots, "ca-root", "production: a PEM file of roots to trust, besides the system's, when verifying the served chain (repeatable); with it, serving starts without system roots")
	var ctLogList string
	fs.StringVar(&ctLogList, "ct-log-list", "", "production: a Certificate Transparency log list (the v3 JSON browsers use) to verify the served certificate's SCTs against; without it they are shown unverified")
	fs.StringVar(&prod.CAAResolver, "caa-resolver", "", "production: the DNS server (HOST:PORT) asked for CAA records (default: the system's)")
	fs.Var(&trusted, "trusted-proxy", "production: a proxy (CIDR or address) that presents this server's own certificate to readers; its requests get the badge of their connection (repeatable)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError(fs, "unexpected argument %q", rest[0])
	}
	prod.Domains = domains
	prod.TrustedProxies = trusted
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	// SIGHUP reloads --tls-cert and never ends the command, whatever the
	// mode: it is caught from the start.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !prod.ACME && prod.TLSCert == "" && prod.TLSKey == "" {
		for _, name := range []string{"domain", "email", "acme-ca", "acme-ca-root", "cache", "http-addr", "https-addr", "expect-issuer", "ca-root", "trusted-proxy", "ct-log-list", "caa-resolver"} {
			if set[name] {
				return usageError(fs, "--%s is for production: use it with --acme or --tls-cert", name)
			}
		}
		return runPreview(ctx, opts, stdout, stderr)
	}
	switch {
	case set["addr"]:
		return usageError(fs, "--addr is the preview's address; in production use --https-addr and --http-addr")
	case prod.ACME && (prod.TLSCert != "" || prod.TLSKey != ""):
		return usageError(fs, "use either --acme or --tls-cert/--tls-key, not both")
	case prod.ACME && len(prod.Domains) == 0:
		return usageError(fs, "--acme needs at least one --domain")
	case !prod.ACME && (prod.TLSCert == "" || prod.TLSKey == ""):
		return usageError(fs, "--tls-cert and --tls-key go together")
	case prod.HTTPSAddr == "":
		return usageError(fs, "--https-addr must not be empty")
	}
	if !prod.ACME {
		for _, name := range []string{"domain", "email", "acme-ca", "acme-ca-root"} {
			if set[name] {
				return usageError(fs, "--%s is for --acme", name)
			}
		}
	}
	for _, file := range caRoots {
		roots, err := certs.ReadRoots(file)
		if err != nil {
			return fmt.Errorf("--ca-root: %w", err)
		}
		prod.CARoots = append(prod.CARoots, roots...)
	}
	if ctLogList != "" {
		if prod.CTLogList, err = tlsinfo.ReadLogList(ctLogList); err != nil {
			return fmt.Errorf("--ct-log-list: %w", err)
		}
	}
	return runProduction(ctx, hup, opts, prod, stdout, stderr)
}

// runProduction builds the site into memory and serves it over HTTPS
// with the issuer badge until ctx is done. A signal on hup reloads the
// --tls-cert files.
func runProduction(ctx context.Context, hup <-chan os.Signal, opts serveOptions, prod productionOptions, stdout, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if err := checkSystemRoots(log, len(prod.CARoots) > 0); err != nil {
		return err
	}
	if n, err := serve.RaiseFileLimit(); err != nil {
		log.Warn("limit of open files", "err", err)
	} else if n != 0 && n < serve.MinFileLimit {
		log.Warn(fmt.Sprintf("the limit of open files is %d: the server holds at most about that many connections; raise it (ulimit -n, or LimitNOFILE= in a systemd unit)", n))
	}
	site, siteCfg, err := buildMem(opts)
	if err != nil {
		return err
	}
	if prod.Cache == "" {
		if prod.Cache, err = certs.DefaultCacheDir(); err != nil {
			return err
		}
	}
	history, err := tlsinfo.OpenHistory(prod.Cache)
	var corrupt *tlsinfo.CorruptError
	if errors.As(err, &corrupt) {
		log.Warn("certificate history", "err", err) // replaced: not fatal
	} else if err != nil {
		return fmt.Errorf("certificate cache %s: %w", prod.Cache, err)
	}
	defer flushHistory(history, log)

	cfg := serve.Config{Files: site.Files(), Redirects: site.Redirects, TLSPage: site.TLSPage, SiteTitle: siteCfg.Title, BasePath: siteCfg.BasePath(), History: history, Log: log, CSP: siteCfg.ContentSecurityPolicy(), ExpectIssuer: prod.ExpectIssuer, PrivateRoots: prod.CARoots,
		TrustedProxies: prod.TrustedProxies, CTLogList: prod.CTLogList, CAA: &serve.CAAConfig{Resolver: prod.CAAResolver}}
	var what string
	var acmeMgr *certs.ACME
	var certFiles *certs.Files
	verify := tlsinfo.VerifyOptions{PrivateRoots: prod.CARoots}
	if prod.ACME {
		acmeCfg := certs.ACMEConfig{Domains: prod.Domains, Email: prod.Email, DirectoryURL: prod.ACMECA, CacheDir: prod.Cache, Log: log,
			OnCertificate: func(domain string, der [][]byte) { go warnChain(log, domain, der, verify) }}
		if prod.ACMECARoot != "" {
			if acmeCfg.Roots, err = certs.ReadRoots(prod.ACMECARoot); err != nil {
				return fmt.Errorf("--acme-ca-root: %w", err)
			}
		}
		if acmeMgr, err = certs.NewACME(acmeCfg); err != nil {
			return err
		}
		defer acmeMgr.Close()
		cfg.GetCertificate = acmeMgr.GetCertificate
		cfg.ACMEHTTP = acmeMgr.HTTPHandler
		cfg.Ready = acmeMgr.Ready // /healthz: 503 until a certificate is held
		// The CA's own CAA identities (the table of public CAs when its
		// directory lists none) and this server's account.
		cfg.CAA.Identities, cfg.CAA.AccountURI = acmeMgr.CAAIdentities, acmeMgr.AccountURI
		ca := prod.ACMECA
		if ca == "" {
			ca = "Let's Encrypt"
		}
		what = fmt.Sprintf("certificates for %s over ACME from %s, cached in %s", strings.Join(prod.Domains, ", "), ca, prod.Cache)
	} else {
		certFiles, err = certs.NewFiles(certs.FilesConfig{CertFile: prod.TLSCert, KeyFile: prod.TLSKey, Log: log,
			OnLoad: func(c *tls.Certificate) { warnChain(log, prod.TLSCert, c.Certificate, verify) }})
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		defer certFiles.Close()
		cfg.GetCertificate = certFiles.GetCertificate
		what = "certificate " + prod.TLSCert + ", reloaded when it changes and on SIGHUP"
	}
	go onHangup(ctx, hup, certFiles, log)
	srv, err := serve.New(cfg)
	if err != nil {
		return err
	}
	httpsLn, err := serve.Listen(prod.HTTPSAddr)
	if err != nil {
		return fmt.Errorf("HTTPS listener: %w", err)
	}
	var httpLn net.Listener
	if prod.HTTPAddr != "" {
		if httpLn, err = serve.Listen(prod.HTTPAddr); err != nil {
			httpsLn.Close()
			return fmt.Errorf("HTTP listener: %w", err)
		}
	}
	fmt.Fprintf(stdout, "serving HTTPS on %s (%s)\n", httpsLn.Addr(), what)
	if httpLn != nil {
		also := ""
		if prod.ACME {
			also = ", ACME HTTP-01 challenges"
		}
		fmt.Fprintf(stdout, "serving HTTP on %s (redirects to HTTPS%s)\n", httpLn.Addr(), also)
	}
	if acmeMgr != nil {
		// Obtain certificates now rather than in the first reader's
		// handshake; the listeners are up for the CA's challenges.
		acmeMgr.Start(ctx)
	}
	// The checks made at load, again each day, of the certificates being
	// served: a chain that expires within 14 days while served is told.
	served := func() []servedChain {
		if certFiles != nil {
			return []servedChain{{prod.TLSCert, certFiles.Certificate().Certificate}}
		}
		var chains []servedChain
		for _, der := range srv.ServedChains() {
			chains = append(chains, servedChain{"acme", der})
		}
		return chains
	}
	ticker := time.NewTicker(recheckEvery)
	defer ticker.Stop()
	go recheckChains(ctx, ticker.C, log, served, verify)
	return serveUntilDone(ctx, srv, httpsLn, httpLn, stdout, log)
}

// flushHistory saves the certificates recorded in memory while another
// server held the history's lock, waiting for it at most 10 seconds.
func flushHistory(h *tlsinfo.History, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.Flush(ctx); err != nil {
		log.Warn("certificate history", "err", err)
	}
}

// noSystemRoots says that the system has no root certificates to verify
// the served chain against.
const noSystemRoots = "no system root certificates: install ca-certificates or set SSL_CERT_FILE"

// checkSystemRoots fails when the system's root certificates are missing
// or do not load, since every publicly trusted certificate would then be
// shown as unverified; with --ca-root (caRoots), whose roots still
// verify, it only warns.
func checkSystemRoots(log *slog.Logger, caRoots bool) error {
	pool, err := x509.SystemCertPool()
	if err == nil && pool != nil && !pool.Equal(x509.NewCertPool()) {
		return nil
	}
	msg := noSystemRoots
	if err != nil {
		msg += " (" + err.Error() + ")"
	}
	if !caRoots {
		return errors.New(msg)
	}
	log.Warn(msg + "; only the --ca-root roots verify the served chain")
	return nil
}

// onHangup reloads the certificate files at each signal on hup until ctx
// is done. With ACME there is nothing to reload.
func onHangup(ctx context.Context, hup <-chan os.Signal, files *certs.Files, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		if files == nil {
			log.Info("SIGHUP: nothing to reload: certificates come over ACME")
			continue
		}
		switch changed, err := files.Reload(); {
		case err != nil:
			log.Warn("SIGHUP: the certificate files do not load; still serving the previous certificate", "err", err)
		case changed:
			log.Info("SIGHUP: certificate files reloaded")
		default:
			log.Info("SIGHUP: certificate files unchanged")
		}
	}
}

// warnChain logs what an operator must know of a chain about to be
// served (see certs.Check): it does not verify, or expires soon.
func warnChain(log *slog.Logger, source string, der [][]byte, opts tlsinfo.VerifyOptions) {
	_, warnings, err := certs.Check(der, opts)
	if err != nil {
		log.Warn("served certificate", "source", source, "err", err)
		return
	}
	for _, w := range warnings {
		log.Warn("served certificate: "+w, "source", source)
	}
}

// recheckEvery is how often the certificates served are checked again.
const recheckEvery = 24 * time.Hour

// servedChain is a chain being served and where it comes from, for the
// log: the --tls-cert file, or "acme".
type servedChain struct {
	source string
	der    [][]byte
}

// recheckChains logs, at each tick until ctx is done, what warnChain says
// of the chains served returns.
func recheckChains(ctx context.Context, tick <-chan time.Time, log *slog.Logger, served func() []servedChain, opts tlsinfo.VerifyOptions) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
		for _, c := range served() {
			warnChain(log, c.source, c.der, opts)
		}
	}
}

func serveUntilDone(ctx context.Context, srv *serve.Server, httpsLn, httpLn net.Listener, stdout io.Writer, log *slog.Logger) error {
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, httpsLn, httpLn) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		log.Info("shutting down")
		err = <-done
	}
	if err == nil {
		fmt.Fprintln(stdout, "stopped")
	}
	return err
}

// buildMem builds the site into memory, as served, and returns it with
// the site's configuration.
func buildMem(opts serveOptions) (*render.MemOutput, *content.Config, error) {
	fsys := content.DirFS(opts.Dir, content.DirOptions{FollowSymlinks: opts.FollowSymlinks})
	out, report, err := render.NewPipeline(fsys, render.PipelineOptions{
		Content:  content.Options{Drafts: opts.Drafts, Future: opts.Future},
		OneBuild: true, // the server keeps the files, not what made them
	}).BuildMem()
	if err != nil {
		return nil, nil, err
	}
	return out, report.Config, nil
}
