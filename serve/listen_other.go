//go:build !linux

package serve

import "syscall"

// deferAccept does nothing where TCP_DEFER_ACCEPT is not offered.
func deferAccept(network, address string, c syscall.RawConn) error { return nil }
