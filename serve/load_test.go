package serve

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/internal/testenv"
)

// openListener counts the connections it accepted, those still open and
// the most open at once.
type openListener struct {
	net.Listener
	accepted, open, peak atomic.Int64
}

func (l *openListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	n := l.open.Add(1)
	for p := l.peak.Load(); n > p && !l.peak.CompareAndSwap(p, n); p = l.peak.Load() {
	}
	return &openConn{Conn: c, l: l}, nil
}

type openConn struct {
	net.Conn
	l      *openListener
	closed atomic.Bool
}

func (c *openConn) Close() error {
	if !c.closed.Swap(true) {
		c.l.open.Add(-1)
	}
	return c.Conn.Close()
}

// loadServer is a server started on an openListener (HTTPS when it has a
// certificate source, else plain HTTP), stopped by the test's end.
type loadServer struct {
	ln  *openListener
	log fmt.Stringer
}

func startLoadServer(t *testing.T, cfg Config) *loadServer {
	t.Helper()
	log, buf := testLogger(t)
	cfg.Log = log
	srv, err := New(withSite(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	inner, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &openListener{Listener: inner}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	if cfg.GetCertificate != nil {
		go func() { done <- srv.Serve(ctx, ln, nil) }()
	} else {
		go func() { done <- srv.Serve(ctx, nil, ln) }()
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &loadServer{ln: ln, log: buf}
}

// liveHeap returns the bytes of live heap objects after garbage
// collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC() // sync.Pool keeps its contents for one more cycle
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// waitFor polls cond every 50 ms until it holds or d has passed, and
// reports whether it held.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}

// waitClosed waits until every connection to s is closed.
func waitClosed(t *testing.T, s *loadServer) {
	t.Helper()
	if !waitFor(10*time.Second, func() bool { return s.ln.open.Load() == 0 }) {
		t.Errorf("%d connections still open 10 s after their clients closed them", s.ln.open.Load())
	}
}

var wrkRequests = regexp.MustCompile(`(\d+) requests in`)

// runWrk runs wrk with conns connections on url for d and checks that
// every request succeeded and that the server had them all open at once.
func runWrk(t *testing.T, wrk string, conns int, d time.Duration, url string, ln *openListener) {
	t.Helper()
	start := time.Now()
	out, err := exec.Command(wrk, "-t2", "-c"+strconv.Itoa(conns), "-d"+d.String(), "--timeout", "20s",
		"-H", "Host: blog.test", url).CombinedOutput()
	t.Logf("wrk %d connections, %v:\n%s", conns, time.Since(start).Round(time.Millisecond), out)
	if err != nil {
		t.Fatalf("wrk: %v", err)
	}
	if m := wrkRequests.FindSubmatch(out); m == nil {
		t.Errorf("wrk made no requests")
	} else if n, _ := strconv.Atoi(string(m[1])); n < conns {
		t.Errorf("wrk made %d requests, fewer than its %d connections", n, conns)
	}
	for _, bad := range []string{"Socket errors", "Non-2xx"} {
		if strings.Contains(string(out), bad) {
			t.Errorf("wrk: %s", bad)
		}
	}
	if p := ln.peak.Load(); p < int64(conns) {
		t.Errorf("at most %d connections were open at once, want %d", p, conns)
	}
}

// TestTenThousandConnections has wrk hold 10,000 connections at once to
// the production server over HTTP/1.1, then 2,000 over HTTPS while 500
// more connect and never start their handshake: every request succeeds,
// the server cuts the silent connections and logs them as one line, and
// once every connection is closed the server's goroutines and heap are
// back to their idle level. (10,000 at once over HTTPS costs wrk, an
// OpenSSL client, more CPU than two shared cores give it before the
// server's 10 s handshake timeout.)
func TestTenThousandConnections(t *testing.T) {
	wrk := testenv.Wrk(t)
	const conns, tlsConns, silent = 10000, 2000, 500
	// Long enough for the last of 10,000 connections to be accepted on a
	// loaded machine: connects past the listen queue are retried by the
	// kernel after 1 s, then 3 s.
	const connsFor = 8 * time.Second
	testenv.RaiseFileLimit(t, conns+2000) // for wrk, and for the server in this process

	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	src := &switchable{}
	src.set(pki.TLS())
	plain := startLoadServer(t, Config{})
	secure := startLoadServer(t, Config{GetCertificate: src.get, PublicRoots: pki.Pool()})
	httpAddr, httpsAddr := plain.ln.Addr().String(), secure.ln.Addr().String()

	// The idle level: both servers with a page served (over HTTPS the
	// certificate seen, the page with its badge assembled).
	get(t, &http.Client{}, "http://"+httpAddr+"/about/")
	c := client(httpsAddr, "blog.test", pki.Pool(), nil)
	get(t, c, "https://blog.test/about/")
	c.CloseIdleConnections()
	http.DefaultClient.CloseIdleConnections()
	if !waitFor(5*time.Second, func() bool { return plain.ln.open.Load()+secure.ln.open.Load() == 0 }) {
		t.Fatal("connections still open before the test")
	}
	goroutines, idleHeap := runtime.NumGoroutine(), liveHeap()

	// The first 10,000 connections leave the runtime with what it keeps
	// for reuse (a descriptor per goroutine it ran, the http.Server's map
	// of connections at its largest): the heap after them is the level
	// the rest must come back to.
	runWrk(t, wrk, conns, connsFor, "http://"+httpAddr+"/about/", plain.ln)
	waitClosed(t, plain)
	heap := liveHeap()

	var silentConns []net.Conn
	for range silent {
		c, err := net.Dial("tcp", httpsAddr)
		if err != nil {
			t.Fatal(err)
		}
		silentConns = append(silentConns, c)
	}
	secure.ln.peak.Store(0)
	runWrk(t, wrk, tlsConns, 5*time.Second, "https://"+httpsAddr+"/about/", secure.ln)
	plain.ln.peak.Store(0)
	runWrk(t, wrk, conns, connsFor, "http://"+httpAddr+"/about/", plain.ln)
	for _, c := range silentConns {
		c.SetReadDeadline(time.Now().Add(ReadHeaderTimeout + 10*time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Fatal("a silent connection got data")
		} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("the server did not cut a silent connection")
		}
		c.Close()
	}

	waitClosed(t, plain)
	waitClosed(t, secure)
	var g int
	if !waitFor(10*time.Second, func() bool { g = runtime.NumGoroutine(); return g <= goroutines }) {
		t.Errorf("%d goroutines 10 s after every connection closed, %d before", g, goroutines)
	}
	after := liveHeap()
	t.Logf("accepted %d + %d connections; goroutines %d → %d; live heap %d KB idle, %d KB after the first 10,000 connections, %d KB after all",
		plain.ln.accepted.Load(), secure.ln.accepted.Load(), goroutines, g, idleHeap>>10, heap>>10, after>>10)
	if after > heap+1<<20 {
		t.Errorf("live heap %d KB after every connection closed, %d KB before", after>>10, heap>>10)
	}

	if log := plain.log.String(); log != "" {
		t.Errorf("the plain HTTP server logged:\n%s", log)
	}
	log := secure.log.String()
	if strings.Contains(log, "127.0.0.1") {
		t.Errorf("the HTTPS server logged clients' addresses:\n%s", log)
	}
	if n := strings.Count(log, `err="http: TLS handshake error: read tcp: i/o timeout"`); n != 1 {
		t.Errorf("%d lines for %d connections cut in their handshake, want 1:\n%s", n, silent, log)
	}
}
