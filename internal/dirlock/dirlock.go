// Package dirlock is a lock between processes that share a directory,
// such as servers behind a load balancer sharing a certificate store on a
// network volume. It needs nothing from the file system but exclusive
// creation and rename, so it works where flock does not (NFS, some FUSE
// volumes), in the manner of certmagic's file storage.
//
// A lock is a file, NAME.lock, created exclusively (O_EXCL). It holds the
// holder's random token, process id and host name, and a timestamp that
// the holder rewrites every Options.Refresh (DefaultRefresh, 5 seconds)
// while it holds the lock. A lock whose timestamp is older than
// Options.Stale (DefaultStale, one minute) was left by a process that
// died (killed, or its machine lost): whoever finds it stale takes it
// over. The clocks of the machines sharing the directory must agree to
// well within the stale time. A lock file that cannot be read as written
// (a rewrite half done) is judged by its modification time instead.
//
// Taking over renames the stale file to a name of its own, checks that
// what it renamed is the stale lock it read (and puts it back if a live
// holder had taken over meanwhile), removes it, and creates the lock
// anew, so two processes that find the same stale lock do not both take
// it.
package dirlock

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The defaults of Options.
const (
	DefaultRefresh = 5 * time.Second
	DefaultStale   = time.Minute
)

// Options tunes a lock. The zero value gives the defaults.
type Options struct {
	// Refresh is how often a holder rewrites its timestamp. Default:
	// DefaultRefresh, or Stale/12 when Stale is set shorter than a
	// minute.
	Refresh time.Duration
	// Stale is the age of the timestamp after which a lock is taken
	// over. Default: DefaultStale.
	Stale time.Duration
}

func (o Options) withDefaults() Options {
	if o.Stale <= 0 {
		o.Stale = DefaultStale
	}
	if o.Refresh <= 0 {
		o.Refresh = min(DefaultRefresh, o.Stale/12)
	}
	return o
}

// poll is how often a waiter looks at a lock held by another.
func (o Options) poll() time.Duration {
	return max(20*time.Millisecond, min(time.Second, o.Stale/20))
}

// content is what a lock file holds.
type content struct {
	Token   string    `json:"token"`
	PID     int       `json:"pid"`
	Host    string    `json:"host,omitempty"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// Lock is a lock held. Release it when done.
type Lock struct {
	// TakenOver, when the lock was taken over from a holder that had
	// stopped refreshing it, says so: "lock DIR/NAME.lock: taken over
	// from process 4711 on \"web2\" (not refreshed for 1m3s)".
	TakenOver string

	path string
	c    content
	opts Options

	mu       sync.Mutex // serialises refreshing and releasing
	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
	lost     bool
}

// Path returns the lock file's path: dir/NAME.lock.
func Path(dir, name string) string { return filepath.Join(dir, name+".lock") }

// Acquire takes the lock NAME in dir, creating dir (mode 0700) if needed.
// It waits while another holder keeps the lock fresh and takes over a
// stale one; it gives up when ctx is done, with an error wrapping ctx's.
func Acquire(ctx context.Context, dir, name string, opts Options) (*Lock, error) {
	opts = opts.withDefaults()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("lock %s: %w", Path(dir, name), err)
	}
	path := Path(dir, name)
	var takenOver string
	for {
		l, err := tryCreate(path, opts)
		if err == nil {
			l.TakenOver = takenOver
			return l, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		stale, err := takeOverStale(path, opts)
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if stale != "" {
			takenOver = fmt.Sprintf("lock %s: taken over from %s", path, stale)
			continue
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lock %s: waiting for %s: %w", path, holder(path), ctx.Err())
		case <-time.After(opts.poll()):
		}
	}
}

// tryCreate creates the lock file exclusively and starts refreshing it.
func tryCreate(path string, opts Options) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	now := time.Now().UTC()
	l := &Lock{path: path, opts: opts, stop: make(chan struct{}), done: make(chan struct{}),
		c: content{Token: newToken(), PID: os.Getpid(), Host: host, Created: now, Updated: now}}
	data, _ := json.Marshal(l.c)
	_, werr := f.Write(data)
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	go l.refresh()
	return l, nil
}

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// read returns a lock file's content and the time it was last refreshed:
// its timestamp, or its modification time when it does not parse.
func read(path string) (raw []byte, c content, updated time.Time, err error) {
	raw, err = os.ReadFile(path)
	if err != nil {
		return nil, c, time.Time{}, err
	}
	if json.Unmarshal(raw, &c) == nil && !c.Updated.IsZero() {
		return raw, c, c.Updated, nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, c, time.Time{}, err
	}
	return raw, c, info.ModTime(), nil
}

// holder describes who holds the lock, for errors.
func holder(path string) string {
	_, c, updated, err := read(path)
	if err != nil {
		return "the lock"
	}
	return fmt.Sprintf("process %d on %q (refreshed %s ago)", c.PID, c.Host, time.Since(updated).Round(time.Second))
}

// takeOverStale removes the lock file at path if it is stale, and then
// describes its holder. A lock that is fresh, or gone, is no error.
func takeOverStale(path string, opts Options) (string, error) {
	raw, c, updated, err := read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	age := time.Since(updated)
	if age <= opts.Stale {
		return "", nil
	}
	aside := path + ".stale-" + newToken()
	if err := os.Rename(path, aside); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil // taken over by another
		}
		return "", err
	}
	defer os.Remove(aside)
	now, err := os.ReadFile(aside)
	if err != nil {
		return "", err
	}
	if !bytes.Equal(now, raw) {
		// Another process took the stale lock over between our read
		// and our rename, and holds it: put it back unless a third
		// one holds the lock already.
		if err := os.Link(aside, path); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", err
		}
		return "", nil
	}
	if c.PID == 0 {
		return fmt.Sprintf("an unreadable lock file (not modified for %s)", age.Round(time.Second)), nil
	}
	return fmt.Sprintf("process %d on %q (not refreshed for %s)", c.PID, c.Host, age.Round(time.Second)), nil
}

// refresh rewrites the timestamp every Refresh until Release.
func (l *Lock) refresh() {
	defer close(l.done)
	t := time.NewTicker(l.opts.Refresh)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		l.mu.Lock()
		if !l.lost {
			l.lost = !l.touch()
		}
		l.mu.Unlock()
	}
}

// touch rewrites the timestamp in place if the file is still this lock's,
// and reports whether it is.
func (l *Lock) touch() bool {
	_, c, _, err := read(l.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return true // a passing error: try again at the next tick
	}
	if err != nil || (c.Token != "" && c.Token != l.c.Token) {
		return false
	}
	l.c.Updated = time.Now().UTC()
	data, _ := json.Marshal(l.c)
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return !errors.Is(err, fs.ErrNotExist)
	}
	f.Write(data)
	f.Close()
	return true
}

// Lost reports whether the lock file was found taken over by another
// process while this one held it (its holder stopped refreshing it for
// longer than the stale time: a process stopped, a machine suspended).
func (l *Lock) Lost() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost
}

// Release stops refreshing the lock and removes its file, unless another
// process took it over. Calling it again does nothing.
func (l *Lock) Release() error {
	released := true
	l.stopOnce.Do(func() { close(l.stop); released = false })
	if released {
		return nil
	}
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	_, c, _, err := read(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("releasing lock %s: %w", l.path, err)
	}
	if c.Token != "" && c.Token != l.c.Token {
		return nil // another holds it now
	}
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("releasing lock %s: %w", l.path, err)
	}
	return nil
}
