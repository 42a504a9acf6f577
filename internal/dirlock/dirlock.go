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
// Taking over needs the takeover guard, NAME.lock.takeover, created
// exclusively: its holder reads the lock file again, removes it if it
// still holds what was found stale, and lets the guard go; then the lock
// is created anew like a free one. So however many processes find the
// same stale lock, one takes it, and none removes another's new lock. A
// holder rewrites its timestamp by renaming a file of its own onto the
// lock file, and not at all once it has been unable to for longer than
// the stale time (its process stopped, its machine suspended): by then
// another may hold the lock, and the old holder finds itself Lost.
//
// Acquire waits for the lock; TryAcquire takes it only if it is free or
// stale, and otherwise returns at once with an error wrapping ErrHeld.
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
	for {
		l, err := TryAcquire(dir, name, opts)
		if !errors.Is(err, ErrHeld) {
			return l, err
		}
		select {
		case <-ctx.Done():
			path := Path(dir, name)
			return nil, fmt.Errorf("lock %s: waiting for %s: %w", path, holder(path), ctx.Err())
		case <-time.After(opts.withDefaults().poll()):
		}
	}
}

// ErrHeld is wrapped by TryAcquire's error when another holds the lock.
var ErrHeld = errors.New("held by another process")

// TryAcquire takes the lock NAME in dir, creating dir (mode 0700) if
// needed, if it is free or stale; it does not wait: when another holder
// keeps the lock fresh, it returns an error wrapping ErrHeld.
func TryAcquire(dir, name string, opts Options) (*Lock, error) {
	opts = opts.withDefaults()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("lock %s: %w", Path(dir, name), err)
	}
	path := Path(dir, name)
	var takenOver string
	for range 2 { // once more after taking a stale lock over
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
		if stale == "" {
			break
		}
		takenOver = fmt.Sprintf("lock %s: taken over from %s", path, stale)
	}
	return nil, fmt.Errorf("lock %s: %w: %s", path, ErrHeld, holder(path))
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
// describes its holder. A lock that is fresh, or gone, is no error; so is
// a takeover under way in another process (see guard).
//
// Only the process holding the takeover guard removes a stale lock, and
// only when the file still holds what it read as stale: two processes
// that find the same stale lock never remove each other's new lock.
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
	release, err := guard(path, opts)
	if err != nil || release == nil {
		return "", err
	}
	defer release()
	hook("takeover-read")
	now, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil // taken over, and released, by another
	}
	if err != nil {
		return "", err
	}
	if !bytes.Equal(now, raw) {
		return "", nil // refreshed, or taken over by another
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if c.PID == 0 {
		return fmt.Sprintf("an unreadable lock file (not modified for %s)", age.Round(time.Second)), nil
	}
	return fmt.Sprintf("process %d on %q (not refreshed for %s)", c.PID, c.Host, age.Round(time.Second)), nil
}

// guard takes the takeover guard of the lock at path, NAME.lock.takeover,
// created exclusively, and returns the function releasing it; nil when
// another process holds it. A process holds it for the few file
// operations of a takeover: one older than the stale time was left by a
// process that died meanwhile and is removed, for the next attempt.
func guard(path string, opts Options) (func(), error) {
	g := path + ".takeover"
	f, err := os.OpenFile(g, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		f.Close()
		return func() { os.Remove(g) }, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	if info, err := os.Stat(g); err == nil && time.Since(info.ModTime()) > opts.Stale {
		os.Remove(g)
	}
	return nil, nil
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

// touch rewrites the timestamp if the file is still this lock's, and
// reports whether it is. It writes a file of its own and renames it onto
// the lock file, so that no reader sees it half written. A holder that
// could not refresh for longer than the stale time (its process stopped,
// its machine suspended) may have been taken over since it read the file:
// it gives the lock up rather than overwrite a new holder's file.
func (l *Lock) touch() bool {
	_, c, _, err := read(l.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return true // a passing error: try again at the next tick
	}
	if err != nil || (c.Token != "" && c.Token != l.c.Token) {
		return false
	}
	hook("touch-read")
	now := time.Now().UTC()
	if now.Sub(l.c.Updated) > l.opts.Stale {
		return false
	}
	l.c.Updated = now
	data, _ := json.Marshal(l.c)
	tmp := l.path + ".refresh-" + l.c.Token
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		os.Remove(tmp)
		return true // try again at the next tick
	}
	if err := os.Rename(tmp, l.path); err != nil {
		os.Remove(tmp)
		return true
	}
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

// testHook, when set by a test, is called at the points named where
// another process may act.
var testHook func(point string)

func hook(point string) {
	if testHook != nil {
		testHook(point)
	}
}
