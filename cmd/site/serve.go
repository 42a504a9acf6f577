package main

import (
	"context"
	"crypto/tls"
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
	TrustedProxies     []netip.Prefix
}

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := flags("serve", stderr)
	var opts serveOptions
	var prod productionOptions
	var domains stringList
	var trusted prefixList
	fs.StringVar(&opts.Dir, "s", ".", "the site directory")
	fs.StringVar(&opts.Addr, "addr", "127.0.0.1:1313", "the preview's address")
	fs.BoolVar(&opts.Drafts, "drafts", false, "include drafts")
	fs.BoolVar(&opts.Future, "future", false, "include posts dated in the future")
	fs.BoolVar(&prod.ACME, "acme", false, "production: obtain certificates over ACME for the --domain names")
	fs.Var(&domains, "domain", "a name to serve and obtain a certificate for (repeatable)")
	fs.StringVar(&prod.Email, "email", "", "the ACME account's contact email")
	fs.StringVar(&prod.ACMECA, "acme-ca", "", "the ACME directory URL (default: Let's Encrypt's)")
	fs.StringVar(&prod.ACMECARoot, "acme-ca-root", "", "a PEM file of extra roots to trust when talking to the ACME directory")
	fs.StringVar(&prod.Cache, "cache", "", "the certificate cache directory, outside the site (default: site/acme in the user's cache directory)")
	fs.StringVar(&prod.HTTPAddr, "http-addr", ":80", "production: the HTTP address (ACME HTTP-01, redirects to HTTPS); empty for none")
	fs.StringVar(&prod.HTTPSAddr, "https-addr", ":443", "production: the HTTPS address")
	fs.StringVar(&prod.TLSCert, "tls-cert", "", "production: a PEM certificate chain to serve, leaf first")
	fs.StringVar(&prod.TLSKey, "tls-key", "", "production: the PEM private key of --tls-cert")
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

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !prod.ACME && prod.TLSCert == "" && prod.TLSKey == "" {
		for _, name := range []string{"domain", "email", "acme-ca", "acme-ca-root", "cache", "http-addr", "https-addr", "trusted-proxy"} {
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
	return runProduction(ctx, opts, prod, stdout, stderr)
}

// runProduction builds the site into memory and serves it over HTTPS
// with the issuer badge until ctx is done.
func runProduction(ctx context.Context, opts serveOptions, prod productionOptions, stdout, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	files, csp, err := buildMem(opts)
	if err != nil {
		return err
	}
	if prod.Cache == "" {
		if prod.Cache, err = tlsinfo.DefaultCacheDir(); err != nil {
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

	cfg := serve.Config{Files: files, History: history, Log: log, CSP: csp, TrustedProxies: prod.TrustedProxies}
	var what string
	var acmeMgr *tlsinfo.ACME
	if prod.ACME {
		acmeCfg := tlsinfo.ACMEConfig{Domains: prod.Domains, Email: prod.Email, DirectoryURL: prod.ACMECA, CacheDir: prod.Cache, Log: log}
		if prod.ACMECARoot != "" {
			if acmeCfg.Roots, err = tlsinfo.ReadRoots(prod.ACMECARoot); err != nil {
				return fmt.Errorf("--acme-ca-root: %w", err)
			}
		}
		if acmeMgr, err = tlsinfo.NewACME(acmeCfg); err != nil {
			return err
		}
		defer acmeMgr.Close()
		cfg.GetCertificate = acmeMgr.GetCertificate
		cfg.ACMEHTTP = acmeMgr.HTTPHandler
		ca := prod.ACMECA
		if ca == "" {
			ca = "Let's Encrypt"
		}
		what = fmt.Sprintf("certificates for %s over ACME from %s, cached in %s", strings.Join(prod.Domains, ", "), ca, prod.Cache)
	} else {
		pair, err := tls.LoadX509KeyPair(prod.TLSCert, prod.TLSKey)
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		cfg.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return &pair, nil }
		what = "certificate " + prod.TLSCert
	}
	srv, err := serve.New(cfg)
	if err != nil {
		return err
	}
	httpsLn, err := net.Listen("tcp", prod.HTTPSAddr)
	if err != nil {
		return fmt.Errorf("HTTPS listener: %w", err)
	}
	var httpLn net.Listener
	if prod.HTTPAddr != "" {
		if httpLn, err = net.Listen("tcp", prod.HTTPAddr); err != nil {
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
	return serveUntilDone(ctx, srv, httpsLn, httpLn, stdout, log)
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
// the site's Content-Security-Policy.
func buildMem(opts serveOptions) (map[string][]byte, string, error) {
	fsys := os.DirFS(opts.Dir)
	out, err := render.BuildInMemory(fsys, content.Options{Drafts: opts.Drafts, Future: opts.Future})
	if err != nil {
		return nil, "", err
	}
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		return nil, "", err
	}
	return out.Files, cfg.ContentSecurityPolicy(), nil
}
