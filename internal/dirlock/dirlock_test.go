package dirlock

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// holderEnv makes the test binary a process that takes a lock and holds
// it until killed (TestHolderProcess).
const holderEnv = "DIRLOCK_TEST_HOLD"

// TestHolderProcess is the lock holder of TestStaleTakeover, run as a
// process of its own; alone it does nothing.
func TestHolderProcess(t *testing.T) {
	dir := os.Getenv(holderEnv)
	if dir == "" {
		return
	}
	l, err := Acquire(context.Background(), dir, "name", Options{Stale: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("held\n")
	time.Sleep(time.Minute)
	l.Release()
}

// startHolder runs TestHolderProcess and waits until it holds the lock.
func startHolder(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHolderProcess$")
	cmd.Env = append(os.Environ(), holderEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "held\n" {
		t.Fatalf("holder: %q, %v", line, err)
	}
	return cmd
}

func TestStaleTakeover(t *testing.T) {
	const stale = time.Second
	for _, tc := range []struct {
		name string
		// setup leaves a lock in dir the way a process would, and
		// returns what Acquire must wait at least, or -1 when it must
		// still be waiting after waitAtMost, and the start of what
		// Lock.TakenOver must say after "lock DIR/name.lock: taken over
		// from ".
		setup      func(t *testing.T, dir string) (time.Duration, string)
		waitAtMost time.Duration
	}{
		{"a live holder in another process is waited for", func(t *testing.T, dir string) (time.Duration, string) {
			startHolder(t, dir)
			return -1, ""
		}, 3 * stale},
		{"a holder killed with SIGKILL is taken over after the stale time", func(t *testing.T, dir string) (time.Duration, string) {
			cmd := startHolder(t, dir)
			cmd.Process.Kill()
			cmd.Wait()
			// Refreshed every stale/12: at least this fresh when killed.
			return stale / 2, fmt.Sprintf("process %d on ", cmd.Process.Pid)
		}, 3 * stale},
		{"a lock file that does not parse is judged by its modification time", func(t *testing.T, dir string) (time.Duration, string) {
			if err := os.WriteFile(Path(dir, "name"), []byte("{half"), 0o600); err != nil {
				t.Fatal(err)
			}
			return stale, "an unreadable lock file (not modified for "
		}, 3 * stale},
		{"a lock refreshed long ago is taken over at once", func(t *testing.T, dir string) (time.Duration, string) {
			old := `{"token":"x","pid":1,"created":"2020-01-01T00:00:00Z","updated":"2020-01-01T00:00:00Z"}`
			if err := os.WriteFile(Path(dir, "name"), []byte(old), 0o600); err != nil {
				t.Fatal(err)
			}
			return 0, `process 1 on "" (not refreshed for `
		}, stale / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			atLeast, from := tc.setup(t, dir)
			start := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), tc.waitAtMost)
			defer cancel()
			l, err := Acquire(ctx, dir, "name", Options{Stale: stale})
			waited := time.Since(start)
			if atLeast < 0 {
				if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting for process") {
					t.Fatalf("Acquire = %v after %v; want to be still waiting for the live holder", err, waited)
				}
				return
			}
			if err != nil {
				t.Fatalf("Acquire after %v: %v", waited, err)
			}
			if waited < atLeast {
				t.Errorf("took the lock over after %v, before the stale time (%v)", waited, atLeast)
			}
			if want := "lock " + Path(dir, "name") + ": taken over from " + from; !strings.HasPrefix(l.TakenOver, want) {
				t.Errorf("TakenOver = %q, want %q…", l.TakenOver, want)
			}
			if err := l.Release(); err != nil {
				t.Fatal(err)
			}
			left, _ := filepath.Glob(filepath.Join(dir, "*"))
			if len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestExclusion: goroutines and holders that each take the lock never
// overlap, and a lock held longer than the stale time stays held.
func TestExclusion(t *testing.T) {
	dir := t.TempDir()
	opts := Options{Stale: time.Second}
	var mu sync.Mutex
	inside, entries := 0, 0
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			hold := g == 0 // holds the lock past the stale time once
			defer wg.Done()
			for i := 0; i < 5; i++ {
				l, err := Acquire(context.Background(), dir, "name", opts)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				inside++
				entries++
				if inside != 1 {
					t.Errorf("%d holders at once", inside)
				}
				mu.Unlock()
				if hold && i == 0 {
					time.Sleep(2*opts.Stale + opts.Stale/2) // refreshed meanwhile
				}
				mu.Lock()
				inside--
				mu.Unlock()
				if l.Lost() || l.TakenOver != "" {
					t.Error("a refreshed lock was taken over")
				}
				if err := l.Release(); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if entries != 30 {
		t.Errorf("%d entries, want 30", entries)
	}
}

// withHook sets testHook for the test to call at on each point reached
// by the goroutine under test; points reached while at runs (the other
// processes it plays) are not reported.
func withHook(t *testing.T, at func(point string)) {
	var mu sync.Mutex
	busy := false
	testHook = func(point string) {
		mu.Lock()
		if busy {
			mu.Unlock()
			return
		}
		busy = true
		mu.Unlock()
		at(point)
		mu.Lock()
		busy = false
		mu.Unlock()
	}
	t.Cleanup(func() { testHook = nil })
}

// TestRaces plays processes that interleave badly, each pausing where
// the test hook lets another act: however they interleave, at most one
// holds the lock, and a holder never overwrites another's lock file.
func TestRaces(t *testing.T) {
	const stale = 300 * time.Millisecond
	opts := Options{Stale: stale, Refresh: time.Hour} // refreshed by the test only
	for _, tc := range []struct {
		name string
		// run plays the processes and returns the locks they hold, nil
		// for those that gave up, and the token the lock file must hold.
		run func(t *testing.T, dir string) (held []*Lock, want string)
	}{
		{"a holder stopped between reading its lock and rewriting it leaves a new holder's file alone", func(t *testing.T, dir string) ([]*Lock, string) {
			a, err := Acquire(context.Background(), dir, "name", opts)
			if err != nil {
				t.Fatal(err)
			}
			var b *Lock
			withHook(t, func(point string) {
				if point != "touch-read" {
					return
				}
				// a is stopped here for longer than the stale time,
				// and b takes the lock over.
				time.Sleep(stale + stale/2)
				ctx, cancel := context.WithTimeout(context.Background(), stale)
				defer cancel()
				b, _ = Acquire(ctx, dir, "name", opts)
			})
			defer a.Release() // of the file left to b: does nothing
			if !a.touch() {
				a = nil // a gives the lock up
			}
			if b == nil {
				t.Fatal("the second holder did not take the stale lock over")
			}
			return []*Lock{a, b}, b.c.Token
		}},
		{"three processes finding one stale lock: one takes it", func(t *testing.T, dir string) ([]*Lock, string) {
			old := `{"token":"dead","pid":1,"created":"2020-01-01T00:00:00Z","updated":"2020-01-01T00:00:00Z"}`
			if err := os.WriteFile(Path(dir, "name"), []byte(old), 0o600); err != nil {
				t.Fatal(err)
			}
			var b, c *Lock
			try := func() *Lock {
				ctx, cancel := context.WithTimeout(context.Background(), stale/4)
				defer cancel()
				l, _ := Acquire(ctx, dir, "name", opts)
				return l
			}
			withHook(t, func(point string) {
				switch point {
				case "takeover-read": // a read the stale lock; b takes it over
					b = try()
				case "takeover-moved": // a moved b's lock aside; c finds none
					c = try()
				}
			})
			ctx, cancel := context.WithTimeout(context.Background(), 2*stale)
			defer cancel()
			a, _ := Acquire(ctx, dir, "name", opts)
			holders := []*Lock{a, b, c}
			for _, l := range holders {
				if l != nil {
					return holders, l.c.Token
				}
			}
			t.Fatal("nobody took the stale lock over")
			return nil, ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			held, want := tc.run(t, dir)
			n := 0
			for _, l := range held {
				if l != nil {
					n++
					defer l.Release()
				}
			}
			if n != 1 {
				t.Errorf("%d processes hold the lock, want 1", n)
			}
			_, c, _, err := read(Path(dir, "name"))
			if err != nil || c.Token != want {
				t.Errorf("lock file holds token %q (%v), want the holder's %q", c.Token, err, want)
			}
		})
	}
}
