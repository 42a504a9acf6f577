//go:build unix

package render

import (
	"errors"
	"syscall"
)

// processAlive reports whether process pid is running, so that what it
// is writing is not taken for a killed build's leftovers.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
