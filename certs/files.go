package certs

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/siteblog/site/tlsinfo"
)

// Timing of the reloads of Files.
const (
	// DefaultQuiet is how long the directories of the files must be still
	// after a change before the pair is loaded again: long enough for a
	// program replacing both files to be done with them, short enough
	// that new handshakes get a renewed certificate at once.
	DefaultQuiet = 250 * time.Millisecond
	// filesMaxWait bounds how long events that never stop hold a reload
	// back.
	filesMaxWait = 5 * time.Second
)

// FilesConfig configures NewFiles. CertFile and KeyFile are required.
type FilesConfig struct {
	// CertFile is the PEM certificate chain to serve, leaf first
	// (--tls-cert). Required.
	CertFile string
	// KeyFile is the PEM private key of the chain's leaf (--tls-key).
	// Required.
	KeyFile string
	// Quiet is how long the files' directories must be still after a
	// change before the pair is loaded again. Default: DefaultQuiet.
	Quiet time.Duration
	// Log receives news of each pair loaded and of changed files that do
	// not load. Default: discard.
	Log *slog.Logger
	// OnLoad, if set, is called with each pair loaded: the first, before
	// NewFiles returns, and each different pair a reload brings, once
	// new handshakes get it. Calls come one at a time, in the order of the
	// loads; OnLoad must not call Reload. Default: nothing is called.
	OnLoad func(*tls.Certificate)
}

// Files serves a certificate chain and its key from PEM files, and loads
// them again when they change (fsnotify) and on Reload. New handshakes get
// the pair loaded last; a connection keeps the certificate of its own
// handshake. Changed files that do not load (a pair half written, a key
// that does not match the certificate) leave the previous pair served.
type Files struct {
	cfg  FilesConfig
	log  *slog.Logger
	cur  atomic.Pointer[pair]
	mu   sync.Mutex // serialises loads and changes to the watch list
	w    *fsnotify.Watcher
	dirs map[string]bool // directories watched

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// pair is a loaded certificate with the bytes it came from.
type pair struct {
	cert         *tls.Certificate
	certPEM, key []byte
}

// NewFiles loads the pair and starts watching the directories of both
// files, and of the files symbolic links lead to. A pair that does not
// load is an error. When the files cannot be watched (the system's limit
// on inotify watches), the problem is logged and the pair is loaded again
// only by Reload.
func NewFiles(cfg FilesConfig) (*Files, error) {
	if cfg.CertFile == "" || cfg.KeyFile == "" {
		return nil, errors.New("certificate files: both a certificate and a key file are needed")
	}
	if cfg.Quiet <= 0 {
		cfg.Quiet = DefaultQuiet
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &Files{cfg: cfg, log: log, dirs: map[string]bool{}, stop: make(chan struct{}), done: make(chan struct{})}
	if _, err := f.load("start"); err != nil {
		return nil, err
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		log.Warn("certificate files: cannot watch them; reload with SIGHUP", "cert", cfg.CertFile, "key", cfg.KeyFile, "err", err)
		close(f.done)
		return f, nil
	}
	f.w = w
	f.updateWatches()
	go f.watch()
	return f, nil
}

// GetCertificate is the tls.Config hook: it returns the pair loaded last,
// whatever name the client asks for.
func (f *Files) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return f.cur.Load().cert, nil
}

// Certificate returns the pair loaded last.
func (f *Files) Certificate() *tls.Certificate { return f.cur.Load().cert }

// Reload loads the files again now (`site serve` calls it on SIGHUP) and
// reports whether a different pair is now served. Files that did not
// change are no change. When they do not load, the previous pair stays
// served and the error says why.
func (f *Files) Reload() (bool, error) {
	changed, err := f.load("reload")
	f.updateWatches()
	return changed, err
}

// Close stops watching the files. The pair loaded last is still served.
func (f *Files) Close() error {
	var err error
	f.closeOnce.Do(func() {
		close(f.stop)
		<-f.done
		if f.w != nil {
			err = f.w.Close()
		}
	})
	return err
}

// load reads and parses the pair and puts it in place when it differs
// from the one served.
func (f *Files) load(why string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	certPEM, err := os.ReadFile(f.cfg.CertFile)
	if err != nil {
		return false, fmt.Errorf("certificate files: %w", err)
	}
	keyPEM, err := os.ReadFile(f.cfg.KeyFile)
	if err != nil {
		return false, fmt.Errorf("certificate files: %w", err)
	}
	prev := f.cur.Load()
	if prev != nil && bytes.Equal(prev.certPEM, certPEM) && bytes.Equal(prev.key, keyPEM) {
		return false, nil
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return false, fmt.Errorf("certificate files %s and %s: %w", f.cfg.CertFile, f.cfg.KeyFile, err)
	}
	// tls.X509KeyPair parses only the leaf: a chain that does not parse
	// would fail every handshake's description of it.
	chain, err := tlsinfo.ParseDER(cert.Certificate)
	if err != nil {
		return false, fmt.Errorf("certificate file %s: %w", f.cfg.CertFile, err)
	}
	if cert.Leaf == nil {
		cert.Leaf = chain[0]
	}
	if prev != nil && slices.EqualFunc(prev.cert.Certificate, cert.Certificate, bytes.Equal) {
		// The same certificate written again (a new PEM layout, the key
		// re-encoded): keep the pair handshakes know.
		f.cur.Store(&pair{cert: prev.cert, certPEM: certPEM, key: keyPEM})
		return false, nil
	}
	f.cur.Store(&pair{cert: &cert, certPEM: certPEM, key: keyPEM})
	sum := sha256.Sum256(cert.Certificate[0])
	f.log.Info("certificate loaded", "cert", f.cfg.CertFile, "why", why, "subject", cert.Leaf.Subject.String(),
		"sha256", hex.EncodeToString(sum[:]), "not_after", cert.Leaf.NotAfter.UTC().Format(time.RFC3339))
	if f.cfg.OnLoad != nil {
		f.cfg.OnLoad(&cert)
	}
	return true, nil
}

// watchDirs are the directories whose events may change the pair: those
// of the two paths (a rename or a symbolic link replaced there), and those
// of the files the paths lead to (a file written in place behind a link).
func (f *Files) watchDirs() map[string]bool {
	dirs := map[string]bool{}
	for _, p := range []string{f.cfg.CertFile, f.cfg.KeyFile} {
		if abs, err := filepath.Abs(p); err == nil {
			dirs[filepath.Dir(abs)] = true
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			if abs, err := filepath.Abs(real); err == nil {
				dirs[filepath.Dir(abs)] = true
			}
		}
	}
	return dirs
}

// updateWatches watches the directories watchDirs names now and stops
// watching those it no longer names.
func (f *Files) updateWatches() {
	if f.w == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	select {
	case <-f.stop:
		return // closed: Reload still loads, nothing is watched
	default:
	}
	want := f.watchDirs()
	for d := range f.dirs {
		if !want[d] {
			f.w.Remove(d) // fails when d was removed, and its watch with it
			delete(f.dirs, d)
		}
	}
	for d := range want {
		if f.dirs[d] {
			continue
		}
		if err := f.w.Add(d); err != nil {
			f.log.Warn("certificate files: cannot watch a directory; reload with SIGHUP", "dir", d, "err", err)
			continue
		}
		f.dirs[d] = true
	}
}

// watch loads the pair again once the watched directories have been quiet
// for cfg.Quiet after events.
func (f *Files) watch() {
	defer close(f.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	pending := false
	var first time.Time
	schedule := func() {
		now := time.Now()
		if !pending {
			pending, first = true, now
		}
		wait := min(f.cfg.Quiet, first.Add(filesMaxWait).Sub(now))
		timer.Reset(max(wait, 0))
	}
	for {
		select {
		case <-f.stop:
			timer.Stop()
			return
		case _, ok := <-f.w.Events:
			if !ok {
				return
			}
			schedule()
		case err, ok := <-f.w.Errors:
			if !ok {
				return
			}
			// Events were lost (a queue overflow): look anyway.
			f.log.Warn("certificate files: watching", "err", err)
			schedule()
		case <-timer.C:
			pending = false
			if _, err := f.load("files changed"); err != nil {
				f.log.Warn("certificate files changed but do not load; still serving the previous certificate", "err", err)
			}
			f.updateWatches()
		}
	}
}
