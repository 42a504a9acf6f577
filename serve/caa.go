package serve

import (
	"context"
	"fmt"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/tlsinfo"
)

// CAAConfig configures the CAA check of the certificates served
// (Config.CAA): for each DNS name of a certificate, whether its CAA
// records (RFC 8659) allow the CA that issued it and, with ACME, this
// server's account (RFC 8657 accounturi).
type CAAConfig struct {
	// Resolver is the DNS server asked, "host:port" or "host" (port 53).
	// Default (""): the system's, the first nameserver of
	// /etc/resolv.conf (tlsinfo.CAAOptions.Resolver).
	Resolver string
	// Identities returns the CA's CAA identities, the issuer domain names
	// that allow it in CAA records ("letsencrypt.org"): with ACME,
	// (*certs.ACME).CAAIdentities. Nil, or a function that returns none:
	// tlsinfo.CAAIdentities of the organisation of the leaf's issuer (a
	// table of the largest public CAs). An error is shown as the check
	// of every name failing.
	Identities func(context.Context) ([]string, error)
	// AccountURI returns this server's ACME account URI, for accounturi
	// parameters: (*certs.ACME).AccountURI. Nil: no account (records
	// restricted to an account are shown as allowing that account only).
	// An error is shown, and the names are checked without an account.
	AccountURI func(context.Context) (string, error)
}

// caaTimeout bounds the CAA check of one certificate, all its names.
const caaTimeout = time.Minute

// caaChecker runs the CAA checks of a server's certificates.
type caaChecker struct {
	cfg CAAConfig
}

// startCAA checks the names of info's leaf in the background, never
// holding up a handshake or a request, and stores the result on info,
// which makes /tls/ and /tls.json of the certificate be made again. A
// name whose records do not allow the CA or this account, or could not be
// looked up, is logged: once per certificate, which is checked once.
func (r *certRegistry) startCAA(info *certInfo) {
	if r.caa == nil || info.leaf == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), caaTimeout)
		defer cancel()
		res := r.caa.check(ctx, info)
		info.caa.Store(res)
		leaf := info.report.Chain.Leaf()
		for _, n := range res.Names {
			switch {
			case n.Check == nil:
				r.log.Warn("CAA records could not be checked", "name", n.Domain, "err", n.Err, "sha256", leaf.SHA256)
			case n.Check.Status == tlsinfo.CAANotAllowed || n.Check.Status == tlsinfo.CAAOtherAccount:
				r.log.Warn("CAA records do not allow the certificate's CA", "name", n.Domain,
					"status", n.Check.Status, "verdict", n.Check.Verdict, "sha256", leaf.SHA256)
			}
		}
	}()
}

// check looks up and checks the CAA records of each DNS name of info's
// leaf.
func (c *caaChecker) check(ctx context.Context, info *certInfo) *badge.CAA {
	res := &badge.CAA{State: badge.CAAChecked}
	ids, idErr := []string(nil), error(nil)
	if c.cfg.Identities != nil {
		ids, idErr = c.cfg.Identities(ctx)
		if idErr != nil {
			idErr = fmt.Errorf("the CA's CAA identities: %w", idErr)
		}
	}
	if idErr == nil && len(ids) == 0 && len(info.leaf.Issuer.Organization) > 0 {
		ids = tlsinfo.CAAIdentities(info.leaf.Issuer.Organization[0])
	}
	res.Identities = ids
	if c.cfg.AccountURI != nil {
		uri, err := c.cfg.AccountURI(ctx)
		if err != nil {
			res.AccountErr = err.Error()
		}
		res.Account = uri
	}
	opts := tlsinfo.CAAOptions{Resolver: c.cfg.Resolver}
	for _, name := range info.leaf.DNSNames {
		n := badge.CAAName{Domain: name}
		if idErr != nil {
			n.Err = idErr.Error()
			res.Names = append(res.Names, n)
			continue
		}
		records, _, err := tlsinfo.LookupCAA(ctx, name, opts)
		if err != nil {
			n.Err = err.Error()
		} else {
			check := tlsinfo.CheckCAA(records, name, ids, res.Account)
			n.Check = &check
		}
		res.Names = append(res.Names, n)
	}
	return res
}

// caaOf is what /tls/ and /tls.json show of info's CAA check.
func (s *Server) caaOf(info *certInfo) *badge.CAA {
	if info.report == nil {
		return nil
	}
	if s.certs.caa == nil {
		return &badge.CAA{State: badge.CAANotChecked}
	}
	if c := info.caaResult(); c != nil {
		return c
	}
	return &badge.CAA{State: badge.CAAChecking}
}
