package certs

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/acme/autocert"

	"github.com/siteblog/site/internal/dirlock"
	"github.com/siteblog/site/tlsinfo"
)

// locksDir is the directory of the store's locks inside the cache
// directory (see package dirlock). A domain name has dots, so no
// certificate is ever named "locks".
const locksDir = "locks"

// Hold limits: a lock taken for an entry that is missing is released when
// the entry is stored, when the handshake that wanted it fails, or after
// missingHold (autocert gives a handshake's order 5 minutes); one taken
// for a certificate due for renewal is released when the renewal is
// stored or after dueHold.
const (
	missingHold = 5 * time.Minute
	dueHold     = 2 * time.Minute
)

// accountKeyName is where autocert keeps the ACME account key.
const accountKeyName = "acme_account+key"

// checkedCache is autocert's directory cache with two additions: an entry
// that does not parse (a corrupt certificate or account key) is reported,
// moved aside to NAME.corrupt and treated as missing, so autocert makes a
// new one instead of failing every handshake; and every certificate stored
// is reported, with its chain as DER and described.
//
// It is also the store's lock between processes sharing the directory
// (see "Several servers, one store" in the package doc): Get of an entry
// that is missing, or of a certificate due for renewal, takes the entry's
// lock, waiting while another process holds it, and reads the entry
// again; if it is still missing or due, the lock stays held by this
// process until Put stores the entry (autocert orders in between), so
// the others wait and then find what it stored.
type checkedCache struct {
	dir     string
	cache   autocert.DirCache
	corrupt func(error) // also told of locks taken over
	stored  func(name string, der [][]byte, chain *tlsinfo.Chain)
	lockOpt dirlock.Options
	now     func() time.Time

	mu   sync.Mutex
	held map[string]*heldLock // by entry name
}

// heldLock is an entry's lock this process holds until the entry is
// stored, or until its timer releases it.
type heldLock struct {
	lock  *dirlock.Lock
	timer *time.Timer
}

func newCheckedCache(dir string, corrupt func(error), stored func(string, [][]byte, *tlsinfo.Chain)) *checkedCache {
	return &checkedCache{dir: dir, cache: autocert.DirCache(dir), corrupt: corrupt, stored: stored,
		now: time.Now, held: map[string]*heldLock{}}
}

// Get implements autocert.Cache: see checkedCache for the locking.
func (c *checkedCache) Get(ctx context.Context, name string) ([]byte, error) {
	if !lockable(name) {
		return c.read(ctx, name)
	}
	data, err := c.read(ctx, name)
	if err != nil && !errors.Is(err, autocert.ErrCacheMiss) {
		return nil, err
	}
	if err == nil && !c.due(name, data) {
		return data, nil
	}
	c.mu.Lock()
	_, holding := c.held[name]
	c.mu.Unlock()
	if holding {
		// This process orders it already (autocert's renewal of a
		// certificate its handshake loaded, or a second handshake).
		return data, err
	}
	lock, lerr := dirlock.Acquire(ctx, filepath.Join(c.dir, locksDir), name, c.lockOpt)
	if lerr != nil {
		if err == nil {
			return data, nil // serve the certificate held meanwhile
		}
		return nil, fmt.Errorf("acme cache: %w", lerr)
	}
	if lock.TakenOver != "" {
		c.corrupt(errors.New(lock.TakenOver))
	}
	data, err = c.read(ctx, name)
	if err != nil && !errors.Is(err, autocert.ErrCacheMiss) {
		lock.Release()
		return nil, err
	}
	if err == nil && !c.due(name, data) {
		lock.Release() // another process stored it while we waited
		return data, nil
	}
	hold := missingHold
	if err == nil {
		hold = dueHold
	}
	c.mu.Lock()
	if _, ok := c.held[name]; ok { // taken meanwhile by this process
		c.mu.Unlock()
		lock.Release()
		return data, err
	}
	h := &heldLock{lock: lock}
	h.timer = time.AfterFunc(hold, func() { c.releaseHeld(name, h) })
	c.held[name] = h
	c.mu.Unlock()
	return data, err
}

// release releases the lock this process holds for entry name, if any:
// Put calls it, and ACME.GetCertificate when the order failed.
func (c *checkedCache) release(name string) {
	c.mu.Lock()
	h := c.held[name]
	c.mu.Unlock()
	if h != nil {
		c.releaseHeld(name, h)
	}
}

// releaseAll releases every lock this process holds: ACME.Close calls it,
// as no order of a closed ACME can succeed.
func (c *checkedCache) releaseAll() {
	c.mu.Lock()
	held := maps.Clone(c.held)
	c.mu.Unlock()
	for name, h := range held {
		c.releaseHeld(name, h)
	}
}

func (c *checkedCache) releaseHeld(name string, h *heldLock) {
	c.mu.Lock()
	if c.held[name] != h {
		c.mu.Unlock()
		return
	}
	delete(c.held, name)
	c.mu.Unlock()
	h.timer.Stop()
	if err := h.lock.Release(); err != nil {
		c.corrupt(err)
	}
}

// lockable reports whether an entry is ordered or made once for every
// process sharing the store: a certificate, or the account key. Challenge
// tokens are written by the process answering the challenge only.
func lockable(name string) bool {
	return name == accountKeyName || isCertName(name)
}

// due reports whether certificate entry data is due for renewal: from
// the time autocert's renewal may start, the certificate's last third of
// its lifetime, at most its last 30 days (autocert's threshold; its
// jitter only delays the renewal), or expired. The account key is never
// due.
func (c *checkedCache) due(name string, data []byte) bool {
	if !isCertName(name) {
		return false
	}
	der, _, err := parseCertPEM(data)
	if err != nil {
		return true
	}
	leaf, err := x509.ParseCertificate(der[0])
	if err != nil {
		return true
	}
	threshold := min(leaf.NotAfter.Sub(leaf.NotBefore)/3, 30*24*time.Hour)
	return !c.now().Before(leaf.NotAfter.Add(-threshold))
}

// read is the directory cache's Get, with corrupt entries moved aside.
func (c *checkedCache) read(ctx context.Context, name string) ([]byte, error) {
	data, err := c.cache.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	var bad error
	switch {
	case name == accountKeyName:
		_, bad = parseKeyPEM(data)
	case isCertName(name):
		_, _, bad = parseCertPEM(data)
	}
	if bad != nil {
		p := filepath.Join(c.dir, name)
		moved := p + ".corrupt"
		if rerr := os.Rename(p, moved); rerr != nil {
			c.corrupt(fmt.Errorf("%s: corrupt cache entry (%v), and moving it aside failed: %v", p, bad, rerr))
		} else {
			c.corrupt(&tlsinfo.CorruptError{Path: p, MovedTo: moved, Err: bad})
		}
		return nil, autocert.ErrCacheMiss
	}
	return data, nil
}

// Put implements autocert.Cache. Storing an entry releases the lock
// this process took for it.
func (c *checkedCache) Put(ctx context.Context, name string, data []byte) error {
	err := c.cache.Put(ctx, name, data)
	c.release(name)
	if err != nil {
		return err
	}
	if isCertName(name) && c.stored != nil {
		if der, chain, err := parseCertPEM(data); err == nil {
			c.stored(name, der, chain)
		}
	}
	return nil
}

// Delete implements autocert.Cache.
func (c *checkedCache) Delete(ctx context.Context, name string) error {
	return c.cache.Delete(ctx, name)
}

// isCertName reports whether a cache entry is a domain's certificate
// ("blog.example.com", "blog.example.com+rsa"), not a challenge token or
// the account key.
func isCertName(name string) bool {
	return !strings.HasSuffix(name, "+token") && !strings.HasSuffix(name, "+http-01") &&
		!strings.HasPrefix(name, "acme_account")
}

func parseKeyPEM(data []byte) (any, error) {
	b, _ := pem.Decode(data)
	if b == nil || !strings.Contains(b.Type, "PRIVATE KEY") {
		return nil, errors.New("no PEM private key")
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	return nil, errors.New("the private key does not parse")
}

// parseCertPEM checks an autocert certificate entry: a private key, then
// the chain, and nothing else. It returns the chain as DER, leaf first,
// and described.
func parseCertPEM(data []byte) ([][]byte, *tlsinfo.Chain, error) {
	if _, err := parseKeyPEM(data); err != nil {
		return nil, nil, err
	}
	_, rest := pem.Decode(data)
	var der [][]byte
	for len(rest) > 0 {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, nil, fmt.Errorf("unexpected PEM block %q", b.Type)
		}
		der = append(der, b.Bytes)
	}
	if len(rest) > 0 {
		return nil, nil, errors.New("trailing data after the certificates")
	}
	if len(der) == 0 {
		return nil, nil, errors.New("no certificate")
	}
	chain, err := tlsinfo.DescribeDER(der)
	if err != nil {
		return nil, nil, err
	}
	return der, chain, nil
}
