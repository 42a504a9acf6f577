package serve

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

// TestListenDefersAccept checks that the production listener hands over
// a connection once the client has sent something, or after a second of
// silence.
func TestListenDefersAccept(t *testing.T) {
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tcp := ln.(*net.TCPListener)

	silent, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	tcp.SetDeadline(time.Now().Add(300 * time.Millisecond))
	if c, err := ln.Accept(); !errors.Is(err, os.ErrDeadlineExceeded) {
		if err == nil {
			c.Close()
		}
		t.Fatalf("a connection that sent nothing: Accept = %v, want it held back until its first bytes", err)
	}

	talker, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer talker.Close()
	if _, err := talker.Write([]byte("GET")); err != nil {
		t.Fatal(err)
	}
	tcp.SetDeadline(time.Now().Add(5 * time.Second))
	c, err := ln.Accept()
	if err != nil {
		t.Fatalf("after a client's first bytes: %v", err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 3)
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "GET" {
		t.Fatalf("first read = %q, %v; want the bytes already waiting", buf[:n], err)
	}

	// The silent client is accepted all the same, after a second.
	start := time.Now()
	late, err := ln.Accept()
	if err != nil {
		t.Fatalf("the silent connection was never accepted: %v", err)
	}
	late.Close()
	if waited := time.Since(start); waited > 3*time.Second {
		t.Errorf("the silent connection was accepted after %v more, want about a second", waited)
	}
}
