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
// (see "Several servers, one store" in the package doc). Whoever finds an
// entry missing, or a certificate due for renewal, takes the entry's lock
// and reads the entry again; if it is still missing or due, the lock
// stays held by this process until Put stores the entry (autocert orders
// in between), so the others find what it stored.
//
// autocert looks certificates up under one mutex for all names, so the
// lookups of autocert's handshakes (Get) never wait for another process:
// when it holds the lock, Get returns a certificate due for renewal as it
// is, and reports a missing or expired one as errOrderedElsewhere, not as
// a miss (autocert orders in place of an expired one), so that autocert
// does not order it too. The waiting is done by
// ACME.GetCertificate before it calls autocert (prepare), and by
// autocert's renewal of a certificate it already holds and its making of
// the account key, which hold no lock of autocert's that handshakes need
// (see managerCache).
type checkedCache struct {
	dir     string
	cache   autocert.DirCache
	corrupt func(error) // also told of locks taken over
	stored  func(name string, der [][]byte, chain *tlsinfo.Chain)
	lockOpt dirlock.Options
	now     func() time.Time

	mu   sync.Mutex
	held map[string]*heldLock // by entry name

	closed   context.Context // done once the ACME is closed: no lock is taken any more
	close    context.CancelFunc
	inflight sync.WaitGroup // lookups that may take a lock; releaseAll waits for them
}

// errOrderedElsewhere is returned by Get for an entry missing from the
// store while another process holds its lock (orders it).
var errOrderedElsewhere = errors.New("another server orders it")

// errClosed is returned by Get for a missing entry once the ACME is
// closed.
var errClosed = errors.New("acme cache: closed")

// heldLock is an entry's lock this process holds until the entry is
// stored, or until its timer releases it.
type heldLock struct {
	lock  *dirlock.Lock
	timer *time.Timer
}

func newCheckedCache(dir string, corrupt func(error), stored func(string, [][]byte, *tlsinfo.Chain)) *checkedCache {
	c := &checkedCache{dir: dir, cache: autocert.DirCache(dir), corrupt: corrupt, stored: stored,
		now: time.Now, held: map[string]*heldLock{}}
	c.closed, c.close = context.WithCancel(context.Background())
	return c
}

// Get implements autocert.Cache: it never waits for another process's
// lock (see checkedCache).
func (c *checkedCache) Get(ctx context.Context, name string) ([]byte, error) {
	return c.get(ctx, name, false)
}

// prepare waits, for a handshake about to call autocert, while another
// process orders entry name, missing from the store or expired: it takes
// the lock and reads the store again, keeping the lock if the entry is
// still missing or expired (this process orders it). A valid certificate
// in the store, due for renewal or not, is never waited for.
func (c *checkedCache) prepare(ctx context.Context, name string) error {
	data, err := c.read(ctx, name)
	if err != nil && !errors.Is(err, autocert.ErrCacheMiss) {
		return nil // an error autocert's lookup reports
	}
	if err == nil && (!isCertName(name) || !c.expired(data)) {
		return nil // found
	}
	_, err = c.get(ctx, name, true)
	if errors.Is(err, autocert.ErrCacheMiss) {
		return nil
	}
	return err
}

// get is Get, waiting for another process's lock (up to ctx) if wait is
// set, and else not.
func (c *checkedCache) get(ctx context.Context, name string, wait bool) ([]byte, error) {
	if !lockable(name) {
		return c.read(ctx, name)
	}
	c.mu.Lock()
	closed := c.closed.Err() != nil
	if !closed {
		c.inflight.Add(1)
		defer c.inflight.Done()
	}
	c.mu.Unlock()
	if closed {
		// A closed ACME's orders cannot succeed (autocert's renewal
		// timers outlive it): it takes no lock, and a missing entry is
		// an error, so that autocert does not make it (an account key
		// another server may be making).
		data, err := c.read(ctx, name)
		if errors.Is(err, autocert.ErrCacheMiss) {
			return nil, errClosed
		}
		return data, err
	}
	data, err := c.read(ctx, name)
	if err != nil && !errors.Is(err, autocert.ErrCacheMiss) {
		return nil, err
	}
	if err == nil && !c.due(name, data) {
		return data, nil
	}
	if c.holding(name) != nil {
		// This process orders it already (autocert's renewal of a
		// certificate its handshake loaded, or a second handshake).
		return data, err
	}
	var lock *dirlock.Lock
	var lerr error
	if wait {
		ctx, cancel := context.WithCancel(ctx)
		stop := context.AfterFunc(c.closed, cancel)
		lock, lerr = dirlock.Acquire(ctx, filepath.Join(c.dir, locksDir), name, c.lockOpt)
		stop()
		cancel()
	} else {
		lock, lerr = dirlock.TryAcquire(filepath.Join(c.dir, locksDir), name, c.lockOpt)
	}
	if lerr != nil {
		if err == nil && (!isCertName(name) || !c.expired(data)) {
			return data, nil // serve the certificate held meanwhile
		}
		if errors.Is(lerr, dirlock.ErrHeld) {
			return nil, fmt.Errorf("acme cache: %w: %w", errOrderedElsewhere, lerr)
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
		lock.Release() // another process stored it meanwhile
		return data, nil
	}
	hold := missingHold
	if err == nil {
		hold = dueHold
	}
	c.mu.Lock()
	if _, ok := c.held[name]; ok || c.closed.Err() != nil { // taken meanwhile by this process, or closed
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

// holding returns the lock this process holds for entry name, or nil.
func (c *checkedCache) holding(name string) *heldLock {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.held[name]
}

// releaseTaken releases the lock this process holds for entry name if it
// is not before, the one it held when a handshake started: the handshake
// failed, and releases what it took, not a lock held for an order still
// running (a renewal, another handshake's).
func (c *checkedCache) releaseTaken(name string, before *heldLock) {
	if h := c.holding(name); h != nil && h != before {
		c.releaseHeld(name, h)
	}
}

// managerCache is the cache as one autocert.Manager sees it. autocert
// looks a certificate up in the cache under its state mutex only while it
// does not hold the certificate in memory; once it does, it looks it up
// again only from its renewal timer, which holds no lock handshakes need.
// So a certificate entry Get returned (one not expired, which autocert
// keeps) is looked up again by the renewal, which may wait for another
// process renewing it and then find the renewed certificate: the
// processes renew once. The account key, looked up only while ordering,
// may wait too.
type managerCache struct {
	c *checkedCache

	mu     sync.Mutex
	served map[string]bool // certificate entries autocert holds in memory
}

func newManagerCache(c *checkedCache) *managerCache {
	return &managerCache{c: c, served: map[string]bool{}}
}

// Get implements autocert.Cache.
func (v *managerCache) Get(ctx context.Context, name string) ([]byte, error) {
	cert := isCertName(name)
	wait := name == accountKeyName || cert && v.isServed(name)
	data, err := v.c.get(ctx, name, wait)
	if cert && err == nil && !v.c.expired(data) {
		v.mu.Lock()
		v.served[name] = true
		v.mu.Unlock()
	}
	return data, err
}

// Put implements autocert.Cache. autocert holds in memory a certificate
// it stores (one it ordered), as one it read: its next lookup is its
// renewal's, which waits for another process renewing it.
func (v *managerCache) Put(ctx context.Context, name string, data []byte) error {
	err := v.c.Put(ctx, name, data)
	if err == nil && isCertName(name) {
		v.mu.Lock()
		v.served[name] = true
		v.mu.Unlock()
	}
	return err
}

// Delete implements autocert.Cache.
func (v *managerCache) Delete(ctx context.Context, name string) error {
	return v.c.Delete(ctx, name)
}

// isServed reports whether autocert holds certificate entry name in memory.
func (v *managerCache) isServed(name string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.served[name]
}

// forget records that autocert may not hold entry name in memory: a
// handshake for it failed, so its next lookup may be a handshake's.
func (v *managerCache) forget(name string) {
	v.mu.Lock()
	delete(v.served, name)
	v.mu.Unlock()
}

// release releases the lock this process holds for entry name, if any:
// Put calls it.
func (c *checkedCache) release(name string) {
	c.mu.Lock()
	h := c.held[name]
	c.mu.Unlock()
	if h != nil {
		c.releaseHeld(name, h)
	}
}

// releaseAll releases every lock this process holds, and stops taking
// any: ACME.Close calls it, as no order of a closed ACME can succeed.
func (c *checkedCache) releaseAll() {
	c.mu.Lock()
	c.close()
	c.mu.Unlock()
	c.inflight.Wait() // their waits end, now closed
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

// expired reports whether certificate entry data is expired, or does not
// parse.
func (c *checkedCache) expired(data []byte) bool {
	der, _, err := parseCertPEM(data)
	if err != nil {
		return true
	}
	leaf, err := x509.ParseCertificate(der[0])
	return err != nil || !c.now().Before(leaf.NotAfter)
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
