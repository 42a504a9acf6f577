package serve

import (
	"context"
	"net"
)

// Listen opens a TCP listener for the server on addr.
//
// Its connections carry no TCP keep-alive probes: IdleTimeout and
// ReadTimeout already end idle and stalled connections, nginx leaves them
// off too (so_keepalive), and turning them on costs four system calls on
// every accepted connection.
//
// On Linux the listener defers accepting a connection until its first
// bytes arrive (TCP_DEFER_ACCEPT, nginx's `listen … deferred`): every
// protocol served here has the client speak first, so the server's first
// read finds the TLS ClientHello or the request already there instead of
// parking the new connection until it comes. A client silent for a
// second is accepted all the same, and ReadHeaderTimeout then applies.
func Listen(addr string) (net.Listener, error) {
	lc := net.ListenConfig{KeepAlive: -1, Control: deferAccept}
	return lc.Listen(context.Background(), "tcp", addr)
}

// WantFileLimit is the limit of open files the production server asks
// for (RaiseFileLimit): a connection holds one, and 10,000 readers at once
// is a load a small server must bear. `site serve` warns when the limit
// in force is below MinFileLimit.
const (
	WantFileLimit = 1 << 20 // Linux's default fs.nr_open
	MinFileLimit  = 16384
)
