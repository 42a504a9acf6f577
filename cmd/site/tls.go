package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/siteblog/site/certs"
	"github.com/siteblog/site/tlsinfo"
)

func runTLS(args []string, stdout, stderr io.Writer) error {
	fs := flags("tls", stderr)
	timeout := fs.Duration("timeout", tlsinfo.DefaultProbeTimeout, "how long to wait for the connection and the handshake")
	var caRoots stringList
	fs.Var(&caRoots, "ca-root", "a PEM file of roots to trust instead of the system's (repeatable)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError(fs, "want one HOST[:PORT], got %d arguments", len(rest))
	}
	opts := tlsinfo.ProbeOptions{Timeout: *timeout}
	for _, file := range caRoots {
		roots, err := certs.ReadRoots(file)
		if err != nil {
			return fmt.Errorf("--ca-root: %w", err)
		}
		if opts.Roots == nil {
			opts.Roots = x509.NewCertPool()
		}
		for _, c := range roots {
			opts.Roots.AddCert(c)
		}
	}
	res, err := tlsinfo.Probe(context.Background(), rest[0], opts)
	if err != nil {
		return err
	}
	printProbe(stdout, res)
	if !res.Trusted {
		return fmt.Errorf("%s: not trusted: %s", res.Target, res.Reason)
	}
	return nil
}

// printProbe prints what a server presented, as the badge and /tls/
// would describe it.
func printProbe(w io.Writer, res *tlsinfo.ProbeResult) {
	c := res.Chain
	proto := ""
	if res.Protocol != "" {
		proto = ", " + res.Protocol
	}
	fmt.Fprintf(w, "%s (%s): %s, %s%s\n", res.Target, res.Address, res.Version, res.CipherSuite, proto)
	switch c.State {
	case tlsinfo.SelfSigned:
		fmt.Fprintf(w, "Badge:   self-signed certificate, nobody vouches for this site\n")
	default:
		fmt.Fprintf(w, "Badge:   issued by %s", c.Issuer)
		if c.Top != c.Issuer && c.Top != c.IssuerCommonName {
			fmt.Fprintf(w, " under %s", c.Top)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Issuer:  %s\nTop:     %s (issuer of the last certificate sent)\n", c.Issuer, c.Top)
	if res.Trusted {
		fmt.Fprintf(w, "Trusted: yes, for %s\n", res.Target)
	} else {
		fmt.Fprintf(w, "Trusted: NO: %s\n", res.Reason)
	}
	for _, p := range c.Problems {
		fmt.Fprintf(w, "Problem: %s\n", p)
	}
	for i, cert := range c.Certificates {
		role := "leaf"
		if i > 0 {
			role = "sent as intermediate"
		}
		fmt.Fprintf(w, "\nCertificate %d (%s)\n", i+1, role)
		fmt.Fprintf(w, "  Subject:    %s\n", cert.Subject)
		if len(cert.SANs) > 0 {
			fmt.Fprintf(w, "  SANs:       %s\n", strings.Join(cert.SANs, ", "))
		}
		fmt.Fprintf(w, "  Issuer:     %s\n", cert.Issuer)
		fmt.Fprintf(w, "  Valid:      %s to %s (%s)\n", cert.NotBefore.Format(time.RFC3339), cert.NotAfter.Format(time.RFC3339), validity(cert, res.Checked))
		fmt.Fprintf(w, "  Serial:     %s\n", cert.Serial)
		fmt.Fprintf(w, "  SHA-256:    %s\n", cert.SHA256)
		fmt.Fprintf(w, "  Key:        %s\n", cert.KeyType)
		fmt.Fprintf(w, "  Signature:  %s\n", cert.SignatureAlgorithm)
	}
}

func validity(c tlsinfo.Certificate, now time.Time) string {
	switch {
	case now.Before(c.NotBefore):
		return "not yet valid"
	case now.After(c.NotAfter):
		return fmt.Sprintf("expired %d days ago", int(now.Sub(c.NotAfter).Hours()/24))
	}
	return fmt.Sprintf("expires in %d days", int(c.NotAfter.Sub(now).Hours()/24))
}
