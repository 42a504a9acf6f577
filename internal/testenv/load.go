package testenv

import (
	"fmt"
	"syscall"
	"testing"
)

// EnvWrk names the wrk binary (an HTTP load generator, Debian's wrk);
// scripts/test.sh sets it.
const EnvWrk = "SITE_TEST_WRK"

// Wrk returns the wrk binary (SITE_TEST_WRK, else /usr/bin/wrk, else wrk
// in PATH). Fails or skips like Tool.
func Wrk(t testing.TB) string {
	t.Helper()
	return Tool(t, EnvWrk, "wrk", "/usr/bin/wrk")
}

// RaiseFileLimit raises this process's limit of open files (RLIMIT_NOFILE)
// to at least n, soft and hard (the hard limit only rises for root, or
// with CAP_SYS_RESOURCE), for a load test that opens n connections. Child
// processes started afterwards inherit the raised limit: Go restores the
// soft limit a process started with in its children unless the test sets
// it itself, as this does. When the limit cannot reach n, the test fails
// under CI=true and is skipped otherwise.
func RaiseFileLimit(t testing.TB, n uint64) {
	t.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		missing(t, "an open-file limit", err)
		return
	}
	want := lim
	want.Cur = max(lim.Cur, n)
	want.Max = max(lim.Max, want.Cur)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
		// Without the privilege to raise the hard limit, take what it allows.
		if lim.Max < n {
			missing(t, fmt.Sprintf("an open-file limit of %d", n),
				fmt.Errorf("the hard limit is %d and cannot be raised (%v): run ulimit -Hn %d as root first", lim.Max, err, n))
			return
		}
		want.Max = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
			missing(t, fmt.Sprintf("an open-file limit of %d", n), err)
		}
	}
}
