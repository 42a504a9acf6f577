package certs

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// ACMEConfig configures NewACME. Only Domains is required; every other
// field has a safe default.
type ACMEConfig struct {
	// Domains are the names to obtain certificates for. A handshake for
	// any other name fails before any ACME order. Names are compared as
	// autocert compares them: in their ASCII (IDNA) form, in lower case,
	// without a trailing dot. Required.
	Domains []string
	// Email is the account's contact address. Default: none (the CA
	// cannot warn the operator of problems by email).
	Email string
	// DirectoryURL is the CA's ACME directory. Default: Let's Encrypt's
	// production directory (autocert.DefaultACMEDirectory).
	DirectoryURL string
	// Roots are extra roots to trust, besides the system's, when talking
	// to the CA's API (Pebble serves it with its own test certificate).
	// Default: the system's roots only.
	Roots []*x509.Certificate
	// CacheDir holds certificates, the account key and the history. It
	// is created with mode 0700, and an existing directory is made 0700.
	// Default: DefaultCacheDir().
	CacheDir string
	// Log receives CA errors, once per distinct error, and news of
	// certificates stored. Default: discard.
	Log *slog.Logger
	// OnCertificate, if set, is called each time a certificate obtained
	// from the CA (a first one or a renewal) has been stored in the
	// cache, with the domain it is for (without autocert's "+rsa"
	// suffix: a domain has an ECDSA and, when an RSA-only client asked,
	// an RSA certificate, each reported) and the chain, DER, leaf first.
	// Certificates read back from the cache are not reported. It is
	// called on the goroutine storing the certificate, before autocert
	// serves it: it must return quickly and start slow work (a DNS
	// lookup) in a goroutine of its own. Default: nothing is called.
	OnCertificate func(domain string, der [][]byte)
	// LockStale is the age after which a lock of the certificate store
	// left by a process that died is taken over by another; a holder
	// refreshes its lock every twelfth of it, at most every 5 seconds.
	// Default: dirlock.DefaultStale (one minute).
	LockStale time.Duration
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
