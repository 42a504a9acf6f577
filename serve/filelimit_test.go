package serve

import (
	"syscall"
	"testing"
)

// TestRaiseFileLimit lowers the soft limit of open files, as a shell or
// service manager may leave it, and checks that RaiseFileLimit brings it
// to the hard limit (or, for a process allowed to, to WantFileLimit).
func TestRaiseFileLimit(t *testing.T) {
	var orig syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &orig); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &orig); err != nil {
			t.Errorf("restoring the limit of open files: %v", err)
		}
	})
	if orig.Max <= 1024 {
		t.Fatalf("hard limit of open files %d: too low to test", orig.Max)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: 1024, Max: orig.Max}); err != nil {
		t.Fatal(err)
	}
	n, err := RaiseFileLimit()
	if err != nil {
		t.Fatal(err)
	}
	var now syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &now); err != nil {
		t.Fatal(err)
	}
	if now.Cur != n || n < orig.Max {
		t.Errorf("after RaiseFileLimit() = %d: soft limit %d, hard %d; want at least the hard limit %d", n, now.Cur, now.Max, orig.Max)
	}
	t.Logf("soft limit %d → %d (hard %d → %d)", 1024, now.Cur, orig.Max, now.Max)
}
