package serve

import (
	"context"
	"fmt"
	"strings"
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

// caaTimeout bounds one CAA check of a certificate, all its names.
const caaTimeout = time.Minute

// A check that failed for some names (a DNS timeout or SERVFAIL, the CA's
// identities or this server's account not known yet) is tried again for
// those names after caaFirstRetry, then after twice as long each time, up
// to caaMaxRetry.
const (
	caaFirstRetry = time.Minute
	caaMaxRetry   = 6 * time.Hour
)

// caaChecker runs the CAA checks of a server's certificates.
type caaChecker struct {
	cfg CAAConfig
	// firstRetry and maxRetry are caaFirstRetry and caaMaxRetry; tests
	// shorten them.
	firstRetry, maxRetry time.Duration
}

func newCAAChecker(cfg CAAConfig) *caaChecker {
	return &caaChecker{cfg: cfg, firstRetry: caaFirstRetry, maxRetry: caaMaxRetry}
}

// startCAA checks the names of info's leaf in the background, never
// holding up a handshake or a request, and stores each result on info,
// which makes /tls/ and /tls.json of the certificate be made again. Names
// whose lookup failed (and the account, when it could not be had) are
// checked again with backoff until they succeed or the server stops
// (r.ctx). A name whose records do not allow the CA or this account is
// logged once per certificate; one that could not be looked up is logged
// when it first fails.
func (r *certRegistry) startCAA(info *certInfo) {
	if r.caa == nil || info.leaf == nil {
		return
	}
	r.caaMu.Lock()
	defer r.caaMu.Unlock()
	if r.ctx.Err() != nil {
		return // the server has stopped
	}
	r.caaRuns.Add(1)
	go func() {
		defer r.caaRuns.Done()
		leaf := info.report.Chain.Leaf()
		logged := map[string]bool{}
		var res *badge.CAA
		for delay := r.caa.firstRetry; ; delay = min(2*delay, r.caa.maxRetry) {
			ctx, cancel := context.WithTimeout(r.ctx, caaTimeout)
			res = r.caa.check(ctx, info, res)
			cancel()
			if r.ctx.Err() != nil {
				return // the server stopped: its lookups were cut short
			}
			info.caa.Store(res)
			for _, n := range res.Names {
				switch {
				case n.Check == nil:
					if !logged["failed "+n.Domain] {
						r.log.Warn("CAA records could not be checked", "name", n.Domain, "err", n.Err, "retry_in", delay, "sha256", leaf.SHA256)
						logged["failed "+n.Domain] = true
					}
				case n.Check.Status == tlsinfo.CAANotAllowed || n.Check.Status == tlsinfo.CAAOtherAccount:
					if !logged[n.Domain] {
						r.log.Warn("CAA records do not allow the certificate's CA", "name", n.Domain,
							"status", n.Check.Status, "verdict", n.Check.Verdict, "sha256", leaf.SHA256)
						logged[n.Domain] = true
					}
				}
			}
			if !caaFailed(res) {
				return
			}
			t := time.NewTimer(delay)
			select {
			case <-r.ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	}()
}

// caaFailed reports whether a check is to be tried again: a name could
// not be checked, or the account could not be had.
func caaFailed(res *badge.CAA) bool {
	if res.AccountErr != "" {
		return true
	}
	for _, n := range res.Names {
		if n.Check == nil {
			return true
		}
	}
	return false
}

// check looks up and checks the CAA records of each DNS name of info's
// leaf. Given the result of the check before (prev), it asks again only
// for the names that failed and, when it failed, the account; all names
// are checked again when the account becomes known, since accounturi
// parameters depend on it.
func (c *caaChecker) check(ctx context.Context, info *certInfo, prev *badge.CAA) *badge.CAA {
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
	if prev != nil && prev.AccountErr == "" {
		res.Account = prev.Account
	} else if c.cfg.AccountURI != nil {
		uri, err := c.cfg.AccountURI(ctx)
		if err != nil {
			res.AccountErr = err.Error()
		}
		res.Account = uri
	}
	done := map[string]*tlsinfo.CAACheck{}
	if prev != nil && prev.Account == res.Account && strings.Join(prev.Identities, " ") == strings.Join(ids, " ") {
		for _, n := range prev.Names {
			if n.Check != nil {
				done[n.Domain] = n.Check
			}
		}
	}
	opts := tlsinfo.CAAOptions{Resolver: c.cfg.Resolver}
	for _, name := range info.leaf.DNSNames {
		n := badge.CAAName{Domain: name, Check: done[name]}
		switch {
		case n.Check != nil:
		case idErr != nil:
			n.Err = idErr.Error()
		default:
			records, _, err := tlsinfo.LookupCAA(ctx, name, opts)
			if err != nil {
				n.Err = err.Error()
			} else {
				check := tlsinfo.CheckCAA(records, name, ids, res.Account)
				n.Check = &check
			}
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
