package serve

import "syscall"

// deferAcceptSeconds is how long a connection may stay silent before it
// is accepted anyway.
const deferAcceptSeconds = 1

// deferAccept sets TCP_DEFER_ACCEPT on a listening socket (see Listen).
// The option only spares the server a wake-up, so a kernel that refuses
// it (a sandbox's, say) leaves a listener that works without it.
func deferAccept(network, address string, c syscall.RawConn) error {
	return c.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_DEFER_ACCEPT, deferAcceptSeconds)
	})
}
