package tlsinfo

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
)

// tlsServer starts an HTTPS test server sending certs.
func tlsServer(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

func probeErr(t *testing.T, target string, timeout time.Duration) *ProbeError {
	t.Helper()
	start := time.Now()
	res, err := Probe(context.Background(), target, ProbeOptions{Timeout: timeout})
	if err == nil {
		t.Fatalf("Probe(%s) = %+v, want an error", target, res)
	}
	if took := time.Since(start); took > timeout+2*time.Second {
		t.Errorf("Probe took %v with a timeout of %v", took, timeout)
	}
	var pe *ProbeError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ProbeError", err, err)
	}
	return pe
}

func TestProbeRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	pe := probeErr(t, addr, 5*time.Second)
	if pe.Kind != "refused" || !strings.Contains(pe.Error(), "connection refused") || !strings.Contains(pe.Error(), addr) {
		t.Errorf("Kind %q, error %q", pe.Kind, pe)
	}
}

func TestProbeTimeout(t *testing.T) {
	// A listener that accepts and then says nothing.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	pe := probeErr(t, ln.Addr().String(), 300*time.Millisecond)
	if pe.Kind != "timeout" || !strings.Contains(pe.Error(), "no TLS handshake") {
		t.Errorf("Kind %q, error %q", pe.Kind, pe)
	}
}

func TestProbeNotTLS(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	pe := probeErr(t, srv.Listener.Addr().String(), 5*time.Second)
	if pe.Kind != "not-tls" || !strings.Contains(pe.Error(), "does not speak TLS") || !strings.Contains(pe.Error(), "plain HTTP") {
		t.Errorf("Kind %q, error %q", pe.Kind, pe)
	}
}

func TestProbeBadTargets(t *testing.T) {
	for _, target := range []string{"", "https://", "http://example.com", "example.com:http", "example.com:0", "a:b:c:"} {
		if pe := probeErr(t, target, time.Second); pe.Kind != "address" {
			t.Errorf("%q: Kind %q (%v)", target, pe.Kind, pe)
		}
	}
	if pe := probeErr(t, "no-such-host.invalid:443", 5*time.Second); pe.Kind != "dns" {
		t.Errorf("unresolvable name: Kind %q (%v)", pe.Kind, pe)
	}
}

func TestProbeUntrustedIsDescribed(t *testing.T) {
	p := testcert.NewPKI(t, testcert.ECDSA)
	addr := tlsServer(t, p.TLS())

	// System roots do not know the test root: described, not trusted.
	res, err := Probe(context.Background(), addr, ProbeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Trusted || res.VerifyError == nil {
		t.Fatalf("Trusted = %v", res.Trusted)
	}
	if !strings.Contains(res.Reason, "does not lead to a root trusted here") || !strings.Contains(res.Reason, "Example Trust Root X1") {
		t.Errorf("Reason = %q", res.Reason)
	}
	if res.Chain.Issuer != "Example Trust ET R1" || len(res.Chain.Certificates) != 2 || res.Version != "TLS 1.3" || res.Protocol != "http/1.1" {
		t.Errorf("result = %+v", res)
	}

	// With the test root: trusted.
	res, err = Probe(context.Background(), "https://"+addr+"/some/page", ProbeOptions{Roots: p.Pool()})
	if err != nil || !res.Trusted || res.Reason != "" {
		t.Fatalf("with the root: %+v, %v", res, err)
	}

	// A name the certificate is not for.
	other := testcert.NewPKI(t, testcert.ECDSA, "blog.example.com")
	addr2 := tlsServer(t, other.TLS())
	_, port2, _ := net.SplitHostPort(addr2)
	res, err = Probe(context.Background(), "127.0.0.1:"+port2, ProbeOptions{Roots: other.Pool()})
	if err != nil || res.Trusted || !strings.Contains(res.Reason, "not valid for this name") {
		t.Errorf("wrong name: %+v, %v", res, err)
	}
}

func TestProbeMissingIntermediateAndSelfSigned(t *testing.T) {
	p := testcert.NewPKI(t, testcert.RSA)
	leafOnly := tls.Certificate{Certificate: [][]byte{p.Leaf.Cert.Raw}, PrivateKey: p.Leaf.Key}
	res, err := Probe(context.Background(), tlsServer(t, leafOnly), ProbeOptions{Roots: p.Pool()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Trusted || !strings.Contains(res.Reason, "without the intermediate of Example Trust ET R1") {
		t.Errorf("leaf alone: Trusted %v, Reason %q", res.Trusted, res.Reason)
	}

	self := testcert.New(t, testcert.Options{CommonName: "localhost", Names: []string{"127.0.0.1"}}, nil)
	res, err = Probe(context.Background(), tlsServer(t, self.TLS()), ProbeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Trusted || res.Chain.State != SelfSigned || !strings.Contains(res.Reason, "self-signed") {
		t.Errorf("self-signed: %+v", res)
	}

	expired := testcert.New(t, testcert.Options{CommonName: "127.0.0.1", Names: []string{"127.0.0.1"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)}, p.Intermediate)
	res, err = Probe(context.Background(), tlsServer(t, tls.Certificate{
		Certificate: [][]byte{expired.Cert.Raw, p.Intermediate.Cert.Raw}, PrivateKey: expired.Key}), ProbeOptions{Roots: p.Pool()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Trusted || !strings.Contains(res.Reason, "expired") {
		t.Errorf("expired: Trusted %v, Reason %q", res.Trusted, res.Reason)
	}
}
