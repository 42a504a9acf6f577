package serve

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
)

// countingListener counts the writes made on its connections.
type countingListener struct {
	net.Listener
	writes atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, writes: &l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// TestResponseInOneWrite checks that a page leaves in one write on a
// keep-alive HTTP/1.1 connection, though it takes two TLS records, and
// that bodies larger than a corked write and HTTP/2 arrive whole.
func TestResponseInOneWrite(t *testing.T) {
	self := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}}, nil)
	src := &switchable{}
	src.set(self.TLS())
	log, _ := testLogger(t)
	cfg := withSite(t, Config{GetCertificate: src.get, Log: log})
	big := bytes.Repeat([]byte("0123456789abcdef"), 3*maxCorked/16+100)
	cfg.Files["downloads/big.bin"] = big
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	counted := &countingListener{Listener: ln}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, counted, nil) }()
	t.Cleanup(func() { cancel(); <-done })

	pool := x509.NewCertPool()
	pool.AddCert(self.Cert)
	addr := ln.Addr().String()
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	h1 := &http.Client{Transport: &http.Transport{
		DialContext:     dial,
		TLSClientConfig: &tls.Config{ServerName: "blog.test", RootCAs: pool},
		TLSNextProto:    map[string]func(string, *tls.Conn) http.RoundTripper{}, // HTTP/1.1 only
		// Uncompressed: the page is then larger than a TLS record.
		DisableCompression: true,
	}, Timeout: 30 * time.Second}
	get(t, h1, "https://blog.test/") // the handshake, and a connection to keep

	before := counted.writes.Load()
	res, page := get(t, h1, "https://blog.test"+longPost)
	if res.ProtoMajor != 1 {
		t.Fatalf("protocol %s, want HTTP/1.1", res.Proto)
	}
	if len(page) <= 16<<10 {
		t.Fatalf("the long post has %d bytes: too short for two TLS records", len(page))
	}
	if n := counted.writes.Load() - before; n != 1 {
		t.Errorf("a page of %d bytes took %d writes, want 1", len(page), n)
	}

	_, got := get(t, h1, "https://blog.test/downloads/big.bin")
	if !bytes.Equal(got, big) {
		t.Errorf("a file larger than a corked write: got %d bytes, want %d intact", len(got), len(big))
	}

	h2 := client(addr, "blog.test", pool, nil)
	res, got = get(t, h2, "https://blog.test/downloads/big.bin")
	if res.ProtoMajor != 2 || !bytes.Equal(got, big) {
		t.Errorf("over %s: got %d bytes, want %d intact over HTTP/2", res.Proto, len(got), len(big))
	}
}

// TestUncorkFailureClosesConnection checks that records held by a cork
// and then lost are not followed by others: the connection is closed.
func TestUncorkFailureClosesConnection(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	cc := &capConn{Conn: server}
	cc.cork()
	if _, err := cc.Write([]byte("record")); err != nil {
		t.Fatal(err)
	}
	client.Close() // the peer is gone before the records leave
	if err := cc.uncork(); err == nil {
		t.Fatal("uncork to a closed peer: no error")
	}
	if _, err := cc.Write([]byte("next")); err == nil {
		t.Error("a write after a failed uncork succeeded")
	}
	if _, err := server.Read(make([]byte, 1)); err != io.ErrClosedPipe {
		t.Errorf("the connection is still open after a failed uncork: read error %v", err)
	}
}

// TestListenNoKeepAlive checks that accepted connections do not send TCP
// keep-alive probes.
func TestListenNoKeepAlive(t *testing.T) {
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
			time.Sleep(time.Second)
			c.Close()
		}
	}()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	raw, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var on int
	var serr error
	if err := raw.Control(func(fd uintptr) {
		on, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE)
	}); err != nil || serr != nil {
		t.Fatal(err, serr)
	}
	if on != 0 {
		t.Errorf("SO_KEEPALIVE = %d on an accepted connection, want 0", on)
	}
}
