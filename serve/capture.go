package serve

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
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
