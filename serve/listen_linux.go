package serve

import (
	"fmt"
	"syscall"
)

// deferAcceptSeconds is how long a connection may stay silent before it
// is accepted anyway.
const deferAcceptSeconds = 1

// deferAccept sets TCP_DEFER_ACCEPT on a listening socket (see Listen).
func deferAccept(network, address string, c syscall.RawConn) error {
	var err error
	if cerr := c.Control(func(fd uintptr) {
		err = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_DEFER_ACCEPT, deferAcceptSeconds)
	}); cerr != nil {
		return cerr
	}
	if err != nil {
		return fmt.Errorf("serve: TCP_DEFER_ACCEPT on %s: %w", address, err)
	}
	return nil
}
