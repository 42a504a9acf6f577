//go:build unix

package render

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// locking tells whether builds lock their output (lockOutput): then a
// staging tree found beside the output while holding its lock is a
// killed build's, whatever its process ID says.
const locking = true

// lockOutput takes the lock file at path, an exclusive flock(2) held until
// unlock is called or the process ends (so a killed build releases it).
// If another build holds it, warn is told so and lockOutput waits for it.
func lockOutput(path string, warn func(string)) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o644)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s: the output's lock file is a symbolic link; refusing to follow it: remove the link", path)
	}
	if err != nil {
		return nil, fmt.Errorf("locking the output: %w", err)
	}
	err = flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		if warn != nil {
			warn(fmt.Sprintf("another build is publishing into the same directory (it holds %s): waiting for it to finish", path))
		}
		err = flock(f, syscall.LOCK_EX)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking the output: %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// flock calls flock(2) again when a signal interrupts it.
func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
