package certs

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// ErrNoAccount is returned by AccountURI while the CA knows no account for
// this server's account key: none was registered yet (autocert registers
// with the first order), or the CA forgot it and it is being registered
// again.
var ErrNoAccount = errors.New("acme: no ACME account registered yet")

// CAAIdentities returns the domain names the CA's directory says identify
// it in CAA records (RFC 8555 §7.1.1, meta.caaIdentities), such as
// "letsencrypt.org", for checking a domain's CAA "issue" records against.
// A directory that lists none (Pebble 2.4 lists none) gives nil and no
// error. The directory is read once per ACME client (again after the CA
// forgot the account).
func (a *ACME) CAAIdentities(ctx context.Context) ([]string, error) {
	dir, err := a.cur.Load().m.Client.Discover(ctx)
	if err != nil {
		return nil, fmt.Errorf("acme: reading the directory %s: %w", a.cfg.DirectoryURL, err)
	}
	return slices.Clone(dir.CAA), nil
}

// AccountURI returns the URI of this server's ACME account at the CA, as
// a CAA record's accounturi parameter names it (RFC 8657). It asks the CA
// for the account of the account key in the cache (a newAccount request
// with onlyReturnExisting, which creates nothing); the answer is kept for
// as long as the account is. Before an account was registered, or while
// the CA does not know it, the error wraps ErrNoAccount.
func (a *ACME) AccountURI(ctx context.Context) (string, error) {
	mg := a.cur.Load()
	mg.accountMu.Lock()
	defer mg.accountMu.Unlock()
	if mg.accountURI != "" {
		return mg.accountURI, nil
	}
	data, err := a.cache.read(ctx, accountKeyName) // never waits for the lock
	if errors.Is(err, autocert.ErrCacheMiss) {
		return "", fmt.Errorf("acme: account at %s: no account key in %s: %w", a.cfg.DirectoryURL, a.cfg.CacheDir, ErrNoAccount)
	}
	if err != nil {
		return "", fmt.Errorf("acme: reading the account key: %w", err)
	}
	k, err := parseKeyPEM(data)
	if err != nil {
		return "", fmt.Errorf("acme: account key: %w", err)
	}
	key, ok := k.(crypto.Signer)
	if !ok {
		return "", fmt.Errorf("acme: account key: a %T cannot sign", k)
	}
	// A client of its own: the query must not count as the account's
	// traffic (a lost account is noticed by the orders).
	c := &acme.Client{
		Key:          key,
		DirectoryURL: a.cfg.DirectoryURL,
		HTTPClient:   &http.Client{Transport: a.transport, Timeout: time.Minute},
		UserAgent:    "site",
	}
	acct, err := c.GetReg(ctx, "")
	if errors.Is(err, acme.ErrNoAccount) {
		return "", fmt.Errorf("acme: account at %s: %w", a.cfg.DirectoryURL, ErrNoAccount)
	}
	if err != nil {
		return "", fmt.Errorf("acme: looking up the account at %s: %w", a.cfg.DirectoryURL, err)
	}
	if acct.URI == "" {
		return "", fmt.Errorf("acme: the CA at %s gave the account no URI", a.cfg.DirectoryURL)
	}
	mg.accountURI = acct.URI
	return acct.URI, nil
}
