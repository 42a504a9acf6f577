//go:build unix

package serve

import (
	"fmt"
	"syscall"
)

// RaiseFileLimit raises the process's limit of open files
// (RLIMIT_NOFILE), which bounds the connections the server holds at once
// (a descriptor each), and returns the limit in force. Go raises the soft
// limit to just below the hard limit when a program starts; this raises
// it to the hard limit, and, for a process allowed to (root,
// CAP_SYS_RESOURCE), the hard limit to WantFileLimit.
func RaiseFileLimit() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("serve: the limit of open files: %w", err)
	}
	if lim.Max < WantFileLimit {
		want := syscall.Rlimit{Cur: WantFileLimit, Max: WantFileLimit}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err == nil {
			return WantFileLimit, nil
		}
	}
	if lim.Cur < lim.Max {
		want := syscall.Rlimit{Cur: lim.Max, Max: lim.Max}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
			return lim.Cur, fmt.Errorf("serve: raising the limit of open files to %d: %w", lim.Max, err)
		}
		lim.Cur = lim.Max
	}
	return lim.Cur, nil
}
