package serve

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/acme"
)

// How the badge learns the certificate of a connection
//
// The HTTPS listener is wrapped so that every accepted connection is a
// *capConn before crypto/tls sees it; tls.Server(capConn, …) then hands
// that capConn to GetConfigForClient as ClientHelloInfo.Conn. There the
// server returns a per-connection copy of its TLS configuration whose
// hooks write into that capConn:
//
//   - GetCertificate calls the certificate source (autocert, or the
//     static pair) and stores the certificate it returned: the one the
//     handshake uses.
//   - UnwrapSession (session resumption, where no certificate is chosen)
//     decrypts the ticket and stores the certificate recorded in it.
//   - WrapSession records the connection's certificate fingerprint in each
//     ticket it issues (SessionState.Extra).
//
// http.Server.ConnContext puts the capConn in the connection's context,
// and a request reads it back with r.TLS.DidResume choosing between the
// two. Nothing looks the certificate up again after the handshake.

// capConn is an accepted connection with the certificate its TLS
// handshake used.
type capConn struct {
	net.Conn
	picked  atomic.Pointer[certInfo] // chosen by GetCertificate
	resumed atomic.Pointer[certInfo] // from the ticket of a resumed session

	// While corked, writes (the TLS records of a response) are held in
	// pending and leave together at uncork.
	mu      sync.Mutex
	corked  bool
	pending *[]byte
	werr    error // a write of held records failed: the connection is closed
}

// info returns the certificate of the connection after its handshake.
func (c *capConn) info(didResume bool) *certInfo {
	if didResume {
		if i := c.resumed.Load(); i != nil {
			return i
		}
	}
	return c.picked.Load()
}

// update replaces the certificate info the connection's requests read
// (after it was verified again).
func (c *capConn) update(didResume bool, info *certInfo) {
	if didResume && c.resumed.Load() != nil {
		c.resumed.Store(info)
		return
	}
	c.picked.Store(info)
}

// maxCorked is how much a corked connection holds before it sends: a
// page of the usual size leaves in one write, a large file in writes of
// this size.
const maxCorked = 64 << 10

var corkBuffers = sync.Pool{New: func() any { b := make([]byte, 0, maxCorked); return &b }}

// cork holds the connection's writes until uncork. net/http writes a
// response's headers and the first part of its body from a 4 KB buffer,
// then the rest: two TLS records and two system calls where one write
// would do (nginx sends from a 16 KB buffer).
func (c *capConn) cork() {
	c.mu.Lock()
	c.corked = true
	c.mu.Unlock()
}

// uncork sends what cork held, in one write, and lets later writes through.
// If that write fails the connection is closed: crypto/tls counted the
// records as sent, so nothing more can follow them on this connection.
func (c *capConn) uncork() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.corked = false
	return c.sendPendingLocked(nil)
}

func (c *capConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.corked {
		if c.werr != nil {
			return 0, c.werr
		}
		return c.Conn.Write(p)
	}
	if c.pending == nil {
		c.pending = corkBuffers.Get().(*[]byte)
	}
	if len(*c.pending)+len(p) <= maxCorked {
		*c.pending = append(*c.pending, p...)
		return len(p), c.werr
	}
	if err := c.sendPendingLocked(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// sendPendingLocked writes the held records and then p in one system call.
func (c *capConn) sendPendingLocked(p []byte) error {
	if c.werr != nil {
		return c.werr
	}
	if c.pending == nil {
		if len(p) == 0 {
			return nil
		}
		_, err := c.Conn.Write(p)
		return err
	}
	var err error
	if len(p) == 0 {
		_, err = c.Conn.Write(*c.pending)
	} else {
		bufs := net.Buffers{*c.pending, p}
		_, err = bufs.WriteTo(c.Conn)
	}
	*c.pending = (*c.pending)[:0]
	corkBuffers.Put(c.pending)
	c.pending = nil
	if err != nil {
		c.werr = err
		c.Conn.Close()
	}
	return err
}

// capListener wraps accepted connections in capConn.
type capListener struct{ net.Listener }

func (l capListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &capConn{Conn: c}, nil
}

type connKey struct{}

// connContext is http.Server.ConnContext: it makes the capConn under a
// TLS connection available to its requests.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*tls.Conn); ok {
		if cc, ok := tc.NetConn().(*capConn); ok {
			return context.WithValue(ctx, connKey{}, cc)
		}
	}
	return ctx
}

// connOf returns the capConn of a request's connection, or nil.
func connOf(ctx context.Context) *capConn {
	cc, _ := ctx.Value(connKey{}).(*capConn)
	return cc
}

// ticketExtra marks the certificate fingerprint in a session ticket.
var ticketExtra = []byte("site-cert-sha256:")

// tlsConfig returns the HTTPS listener's configuration: certificates come
// from get, and each connection records the one it used.
func (s *Server) newTLSConfig(get func(*tls.ClientHelloInfo) (*tls.Certificate, error)) *tls.Config {
	template := &tls.Config{
		MinVersion:     tls.VersionTLS12,
		NextProtos:     []string{"h2", "http/1.1", acme.ALPNProto},
		GetCertificate: get,
		// Full-size records, as nginx sends (ssl_buffer_size 16k): a page
		// goes out in one or two records and writes, not a dozen of one
		// segment each.
		DynamicRecordSizingDisabled: true,
	}
	// ticketer only encrypts and decrypts tickets, with keys crypto/tls
	// makes and rotates itself.
	ticketer := &tls.Config{}
	base := template.Clone()
	base.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		cc, ok := hello.Conn.(*capConn)
		if !ok {
			return nil, nil
		}
		cfg := template.Clone()
		cfg.GetCertificate = func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			cert, err := get(hello)
			if err != nil || cert == nil || isChallenge(hello) {
				return cert, err
			}
			info, err := s.certs.of(cert)
			if err != nil {
				return nil, err
			}
			cc.picked.Store(info)
			return cert, nil
		}
		cfg.WrapSession = func(cs tls.ConnectionState, ss *tls.SessionState) ([]byte, error) {
			if info := cc.info(cs.DidResume); info != nil {
				ss.Extra = append(ss.Extra, append(append([]byte{}, ticketExtra...), info.sha256[:]...))
			}
			return ticketer.EncryptTicket(cs, ss)
		}
		cfg.UnwrapSession = func(identity []byte, cs tls.ConnectionState) (*tls.SessionState, error) {
			ss, err := ticketer.DecryptTicket(identity, cs)
			if err != nil || ss == nil {
				return nil, nil
			}
			for _, e := range ss.Extra {
				if fp, ok := bytes.CutPrefix(e, ticketExtra); ok {
					if info := s.certs.byFingerprint(fp); info != nil {
						cc.resumed.Store(info)
						return ss, nil
					}
				}
			}
			return nil, nil // a certificate this server no longer knows: full handshake
		}
		return cfg, nil
	}
	return base
}

func isChallenge(hello *tls.ClientHelloInfo) bool {
	return len(hello.SupportedProtos) == 1 && hello.SupportedProtos[0] == acme.ALPNProto
}
