package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/tlsinfo"
)

// syncBuffer is a buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRecheckChains: each tick checks the chains being served again and
// warns of one expiring soon; the check stops with its context.
func TestRecheckChains(t *testing.T) {
	pki := testcert.NewPKI(t, testcert.ECDSA)
	soon := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"},
		NotAfter: time.Now().Add(3 * 24 * time.Hour)}, pki.Intermediate)
	chains := []servedChain{
		{"soon.pem", [][]byte{soon.Cert.Raw, pki.Intermediate.Cert.Raw}},
		{"fine.pem", [][]byte{pki.Leaf.Cert.Raw, pki.Intermediate.Cert.Raw}},
	}
	var buf syncBuffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	roots := x509.NewCertPool()
	roots.AddCert(pki.Root.Cert)
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		recheckChains(ctx, tick, log, func() []servedChain { return chains }, tlsinfo.VerifyOptions{PublicRoots: roots})
		close(done)
	}()
	if buf.String() != "" {
		t.Errorf("logged before the first tick: %s", buf.String())
	}
	for range 2 {
		tick <- time.Now()
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("recheckChains did not stop with its context")
	}
	logs := buf.String()
	if n := strings.Count(logs, "the certificate chain expires on"); n != 2 || strings.Count(logs, "source=soon.pem") != 2 || strings.Contains(logs, "fine.pem") {
		t.Errorf("want two expiry warnings for soon.pem alone:\n%s", logs)
	}
}
