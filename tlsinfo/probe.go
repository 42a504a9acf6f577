package tlsinfo

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultProbeTimeout bounds a probe when ProbeOptions.Timeout is zero.
const DefaultProbeTimeout = 10 * time.Second

// ProbeOptions configures Probe.
type ProbeOptions struct {
	// Timeout bounds connecting and the handshake together. Default
	// DefaultProbeTimeout.
	Timeout time.Duration
	// Roots are the public roots to verify the chain against; nil means
	// the system's roots.
	Roots *x509.CertPool
	// PrivateRoots are roots trusted besides them (`--ca-root`), as
	// VerifyOptions.PrivateRoots.
	PrivateRoots []*x509.Certificate
	// Now is the time to verify at; zero means the current time.
	Now time.Time
}

// ProbeResult is what a TLS server presented.
type ProbeResult struct {
	// Target is the host and port probed; Address the address connected to.
	Target, Address string
	// ServerName is the name sent in SNI and verified ("" for an IP address,
	// which is verified against the certificate's IP addresses).
	ServerName string
	Chain      *Chain
	// Trust is what verifying the chain established, for no particular
	// name (as a server's badge says it).
	Trust *Trust
	// Version and CipherSuite are the negotiated TLS version and cipher
	// suite; Protocol the ALPN protocol ("" when none).
	Version, CipherSuite, Protocol string
	// Trusted reports whether the chain verified for ServerName, against
	// the public or the private roots; if not, Reason says why.
	Trusted bool
	Reason  string
	// VerifyError is the verification error behind Reason.
	VerifyError error
	// Checked is when the probe ran.
	Checked time.Time
}

// ProbeError is a probe that got no certificate at all.
type ProbeError struct {
	// Kind is "address" (the target is malformed), "dns" (the name does
	// not resolve), "refused" (nothing listens), "timeout" (no connection,
	// or no handshake, in time), "not-tls" (the server answered, but not
	// with TLS), "closed" (the server closed the connection during the
	// handshake) or "handshake" (the server refused the handshake).
	Kind   string
	Target string
	Err    error
	msg    string
}

func (e *ProbeError) Error() string { return e.Target + ": " + e.msg }
func (e *ProbeError) Unwrap() error { return e.Err }

// Probe connects to target ("host", "host:port", "[v6]:port" or an https://
// URL; port 443 by default), performs a TLS handshake without trusting
// anything, describes the chain the server presented, and then verifies
// it, saying why it is not trusted when it is not.
func Probe(ctx context.Context, target string, opts ProbeOptions) (*ProbeResult, error) {
	host, port, err := splitTarget(target)
	if err != nil {
		return nil, &ProbeError{Kind: "address", Target: target, Err: err, msg: err.Error()}
	}
	addr := net.JoinHostPort(host, port)
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultProbeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()

	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, dialError(addr, err, timeout)
	}
	defer raw.Close()
	serverName := host
	if net.ParseIP(host) != nil {
		serverName = ""
	}
	conn := tls.Client(raw, &tls.Config{
		ServerName:         serverName,
		InsecureSkipVerify: true, // verified below, after describing what was sent
		NextProtos:         []string{"h2", "http/1.1"},
	})
	if err := conn.HandshakeContext(ctx); err != nil {
		return nil, handshakeError(addr, err, time.Since(start))
	}
	defer conn.Close()
	st := conn.ConnectionState()
	chain, err := Describe(st.PeerCertificates)
	if err != nil {
		return nil, &ProbeError{Kind: "handshake", Target: addr, Err: err, msg: "the server sent no certificate"}
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	res := &ProbeResult{
		Target:      addr,
		Address:     raw.RemoteAddr().String(),
		ServerName:  serverName,
		Chain:       chain,
		Version:     tls.VersionName(st.Version),
		CipherSuite: tls.CipherSuiteName(st.CipherSuite),
		Protocol:    st.NegotiatedProtocol,
		Checked:     now,
	}
	if res.Trust, err = Verify(st.PeerCertificates, VerifyOptions{PublicRoots: opts.Roots, PrivateRoots: opts.PrivateRoots, Now: now}); err != nil {
		return nil, &ProbeError{Kind: "handshake", Target: addr, Err: err, msg: err.Error()}
	}
	// Trusted: a path verified (publicly or privately), for this name.
	verr := res.Trust.err
	if verr == nil {
		verr = st.PeerCertificates[0].VerifyHostname(host)
	}
	if verr == nil {
		res.Trusted = true
	} else {
		res.VerifyError = verr
		res.Reason = untrustedReason(verr, chain)
	}
	return res, nil
}

// splitTarget accepts host, host:port, [v6]:port and URLs.
func splitTarget(target string) (host, port string, err error) {
	t := strings.TrimSpace(target)
	if t == "" {
		return "", "", errors.New("no host given")
	}
	if strings.Contains(t, "://") {
		u, err := url.Parse(t)
		if err != nil {
			return "", "", err
		}
		if u.Scheme != "https" {
			return "", "", fmt.Errorf("scheme %q: only https:// URLs (or HOST[:PORT]) can be probed", u.Scheme)
		}
		t = u.Host
	}
	if h, p, err := net.SplitHostPort(t); err == nil {
		host, port = h, p
	} else if strings.Count(t, ":") > 1 && net.ParseIP(t) != nil {
		host, port = t, "443" // a bare IPv6 address
	} else if strings.Contains(t, ":") {
		return "", "", fmt.Errorf("%q is not HOST[:PORT]", target)
	} else {
		host, port = t, "443"
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" {
		return "", "", fmt.Errorf("%q has no host", target)
	}
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
		return "", "", fmt.Errorf("%q: port %q is not a number from 1 to 65535", target, port)
	}
	return host, port, nil
}

func dialError(addr string, err error, timeout time.Duration) error {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return &ProbeError{Kind: "dns", Target: addr, Err: err, msg: fmt.Sprintf("cannot resolve %s: %v", dnsErr.Name, dnsErr.Err)}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &ProbeError{Kind: "refused", Target: addr, Err: err, msg: "connection refused: nothing listens on this port"}
	case isTimeout(err):
		return &ProbeError{Kind: "timeout", Target: addr, Err: err, msg: fmt.Sprintf("timed out after %v connecting", timeout)}
	}
	return &ProbeError{Kind: "refused", Target: addr, Err: err, msg: "cannot connect: " + err.Error()}
}

func handshakeError(addr string, err error, took time.Duration) error {
	var rh tls.RecordHeaderError
	var alert tls.AlertError
	switch {
	case errors.As(err, &rh):
		msg := "the server does not speak TLS"
		if strings.HasPrefix(string(rh.RecordHeader[:]), "HTTP/") {
			msg += " (it answered in plain HTTP: try http://)"
		} else {
			msg += fmt.Sprintf(" (its first bytes are %q)", rh.RecordHeader[:])
		}
		return &ProbeError{Kind: "not-tls", Target: addr, Err: err, msg: msg}
	case isTimeout(err):
		return &ProbeError{Kind: "timeout", Target: addr, Err: err,
			msg: fmt.Sprintf("connected, but no TLS handshake within %v: the server never answered the ClientHello", took.Round(time.Millisecond))}
	case errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF):
		return &ProbeError{Kind: "closed", Target: addr, Err: err, msg: "the server closed the connection during the TLS handshake"}
	case errors.As(err, &alert):
		return &ProbeError{Kind: "handshake", Target: addr, Err: err, msg: "the server refused the TLS handshake: " + err.Error()}
	}
	return &ProbeError{Kind: "handshake", Target: addr, Err: err, msg: "TLS handshake failed: " + err.Error()}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// untrustedReason explains a verification error in a reader's terms.
func untrustedReason(err error, c *Chain) string {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &host):
		return "the certificate is not valid for this name: " + err.Error()
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "a certificate of the chain is expired or not yet valid: " + err.Error()
	case errors.As(err, &unknown):
		switch {
		case c.State == SelfSigned:
			return "the certificate is self-signed: no certificate authority vouches for it (" + err.Error() + ")"
		case len(c.Problems) > 0:
			return "the chain is broken: " + c.Problems[0] + " (" + err.Error() + ")"
		case len(c.Certificates) == 1:
			return "the chain does not lead to a trusted root: the server sent only its own certificate, without the intermediate of " +
				c.Issuer + ", or that CA is not trusted here (" + err.Error() + ")"
		}
		return "the chain does not lead to a root trusted here: " + c.Top + " is not a trusted root (" + err.Error() + ")"
	}
	return err.Error()
}
