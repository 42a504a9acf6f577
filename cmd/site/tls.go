package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/certs"
	"github.com/siteblog/site/tlsinfo"
)

func runTLS(args []string, stdout, stderr io.Writer) error {
	fs := flags("tls", stderr)
	timeout := fs.Duration("timeout", tlsinfo.DefaultProbeTimeout, "how long to wait for the connection and the handshake")
	checkBadge := fs.String("check-badge", "", "a site built with --issuer-from: fail unless HOST still presents the certificate its badge records")
	var caRoots stringList
	fs.Var(&caRoots, "ca-root", "a PEM file of roots to trust besides the system's (repeatable)")
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
		opts.PrivateRoots = append(opts.PrivateRoots, roots...)
	}
	var recorded *badge.RecordedFacts
	if *checkBadge != "" {
		if recorded, err = readRecorded(*checkBadge); err != nil {
			return err
		}
	}
	res, err := tlsinfo.Probe(context.Background(), rest[0], opts)
	if err != nil {
		return err
	}
	if recorded != nil {
		return checkRecorded(stdout, stderr, *checkBadge, rest[0], recorded, res)
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
	t := res.Trust
	fmt.Fprintf(w, "Badge:   %s\n", badge.Text(&badge.Report{Chain: c, Trust: t}))
	fmt.Fprintf(w, "State:   %s\n", t.State)
	if t.Reason != "" {
		fmt.Fprintf(w, "Why:     %s\n", t.Reason)
	}
	fmt.Fprintf(w, "Issuer:  %s\nTop:     %s (issuer of the last certificate sent)\n", c.Issuer, c.Top)
	for i, p := range t.Paths {
		var names []string
		for _, pc := range p.Certificates {
			n := pc.Name
			if pc.Country != "" {
				n += " (" + pc.Country + ")"
			}
			names = append(names, n)
		}
		fmt.Fprintf(w, "Path %d:  %s\n", i+1, strings.Join(names, " > "))
	}
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

// readRecorded reads the recorded badge of the site built in dir.
func readRecorded(dir string) (*badge.RecordedFacts, error) {
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		return nil, fmt.Errorf("--check-badge: %w", err)
	}
	f, err := badge.ReadRecorded(page)
	if err != nil {
		return nil, fmt.Errorf("--check-badge: %s: %w", filepath.Join(dir, "index.html"), err)
	}
	return f, nil
}

// checkRecorded compares the certificate a site's badge records with the
// one target (the HOST[:PORT] argument) presents now; a badge recorded
// for another host is a warning on errw, not a failure (the site may be
// checked through another name or address).
func checkRecorded(w, errw io.Writer, dir, target string, f *badge.RecordedFacts, res *tlsinfo.ProbeResult) error {
	if host, recorded := hostOf(target), hostOf(f.Host); !strings.EqualFold(host, recorded) {
		fmt.Fprintf(errw, "warning: the badge of %s records the certificate of %s, not of %s\n", dir, recorded, host)
	}
	fp := res.Chain.LeafSHA256()
	live := hex.EncodeToString(fp[:])
	if live != f.SHA256 {
		return fmt.Errorf("%s: the badge of %s records the certificate %s (checked %s), but %s now presents %s, issued by %s: rebuild the site with --issuer-from",
			res.Target, dir, f.SHA256[:16], f.Checked, res.Target, live[:16], res.Trust.Issuer)
	}
	if !res.Trusted {
		return fmt.Errorf("%s: presents the recorded certificate, but it is not trusted now: %s", res.Target, res.Reason)
	}
	fmt.Fprintf(w, "%s: presents the certificate the badge of %s records (SHA-256 %s, valid until %s)\n",
		res.Target, dir, live[:16], f.NotAfter.UTC().Format("2006-01-02"))
	return nil
}

// hostOf is the host name or address of HOST[:PORT], without a trailing
// dot.
func hostOf(target string) string {
	if h, _, err := net.SplitHostPort(target); err == nil {
		target = h
	}
	return strings.TrimSuffix(strings.Trim(target, "[]"), ".")
}
