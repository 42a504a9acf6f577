package serve

import (
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/siteblog/site/certs"
)

func TestNormalizeErrorLog(t *testing.T) {
	for _, tc := range []struct {
		msg, key, detail string
	}{
		{"http: TLS handshake error from 192.0.2.1:5555: EOF\n", "http: TLS handshake error: EOF", ""},
		{"http: TLS handshake error from [2001:db8::1]:443: EOF", "http: TLS handshake error: EOF", ""},
		{"http: TLS handshake error from 127.0.0.1:59860: read tcp 127.0.0.1:34905->127.0.0.1:59860: i/o timeout",
			"http: TLS handshake error: read tcp: i/o timeout", ""},
		{"http: TLS handshake error from [::1]:4000: read tcp [::1]:443->[::1]:4000: read: connection reset by peer",
			"http: TLS handshake error: read tcp: read: connection reset by peer", ""},
		{`http: TLS handshake error from 192.0.2.1:5555: acme: server name "evil-1.example": not one of the configured domains`,
			`http: TLS handshake error: acme: server name "…": not one of the configured domains`, ""},
		{`http: TLS handshake error from 192.0.2.1:5555: acme: server name "a\"b\\": idna: invalid label "a\"b\\"`,
			`http: TLS handshake error: acme: server name "…": idna: invalid label "…"`, ""},
		{`http2: server: error reading preface from client 192.0.2.9:1234: bogus greeting "GET /x HTTP/1.1\r\n"`,
			`http2: server: error reading preface: bogus greeting "…"`, ""},
		{"http: TLS handshake error from 192.0.2.1:5555: tls: client offered only unsupported versions: [302 301]",
			"http: TLS handshake error: tls: client offered only unsupported versions: […]", ""},
		{"http: TLS handshake error from 192.0.2.1:5555: tls: oversized record received with length 20000",
			"http: TLS handshake error: tls: oversized record received with length N", ""},
		{"http: Accept error: accept tcp 0.0.0.0:443: accept4: too many open files; retrying in 320ms",
			"http: Accept error: accept tcp: accept4: too many open files; retrying in N", ""},
		{"http: TLS handshake error from 192.0.2.1:5555: tls: received record with version fefe when expecting version 303",
			"http: TLS handshake error: tls: received record with version N when expecting version N", ""},
		{"http: TLS handshake error from 192.0.2.1:5555: tls: received record with version 3a0b when expecting version 0x303",
			"http: TLS handshake error: tls: received record with version N when expecting version N", ""},
		{"timeout waiting for SETTINGS frames from 192.0.2.1:5555", "timeout waiting for SETTINGS frames", ""},
		{"http: panic serving 192.0.2.1:5555: boom\ngoroutine 7 [running]:\nnet/http.(*conn).serve.func1()\n\tserver.go:1898 +0x29",
			"http: panic serving: boom", "goroutine 7 [running]:\nnet/http.(*conn).serve.func1()\n\tserver.go:1898 +0x29"},
		{"http2: server: error \xff\xfe", "http2: server: error \uFFFD", ""},
		{"x " + strings.Repeat("y", 400), "x " + strings.Repeat("y", errorLogMaxKey-2) + "…", ""},
	} {
		key, detail := normalizeErrorLog(tc.msg)
		if key != tc.key || detail != tc.detail {
			t.Errorf("normalizeErrorLog(%q)\n = %q, %q\nwant %q, %q", tc.msg, key, detail, tc.key, tc.detail)
		}
	}
}

func TestErrorLogCounts(t *testing.T) {
	log, buf := testLogger(t)
	e := newErrorLog(log)
	defer e.close()
	lines := func() []string {
		s := strings.TrimSpace(buf.String())
		if s == "" {
			return nil
		}
		return strings.Split(s, "\n")
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	eof := func(i int) string {
		return fmt.Sprintf("http: TLS handshake error from 192.0.2.%d:%d: EOF\n", i%250, 1000+i)
	}
	sni := func(i int) string {
		return fmt.Sprintf(`http: TLS handshake error from 192.0.2.1:%d: acme: server name "n%d.example": not one of the configured domains`, 2000+i, i)
	}

	// The first occurrence at once; 299 more counted, not logged.
	for i := range 300 {
		e.write(eof(i), t0.Add(time.Duration(i)*100*time.Millisecond))
		e.write(sni(i), t0.Add(time.Duration(i)*100*time.Millisecond))
	}
	if l := lines(); len(l) != 2 || !strings.Contains(l[0], `err="http: TLS handshake error: EOF"`) ||
		!strings.Contains(l[1], `server name \"…\": not one of the configured domains"`) {
		t.Fatalf("after 600 errors of 2 kinds in 30 s, the log is:\n%s", buf)
	}
	if strings.Contains(buf.String(), "192.0.2.") {
		t.Errorf("a client's address was logged:\n%s", buf)
	}

	// A minute after the first line, one line each with the count.
	e.flush(t0.Add(59*time.Second), false)
	if len(lines()) != 2 {
		t.Fatalf("counts logged before a minute had passed:\n%s", buf)
	}
	e.flush(t0.Add(time.Minute), false)
	l := lines()
	if len(l) != 4 || !strings.Contains(buf.String(), `EOF (299 more in the last minute)"`) ||
		!strings.Contains(buf.String(), `not one of the configured domains (299 more in the last minute)"`) {
		t.Fatalf("a minute later, the log is:\n%s", buf)
	}

	// Recurring: one line a minute, whatever the number.
	for i := range 1000 {
		e.write(eof(i), t0.Add(time.Minute+time.Duration(i)*50*time.Millisecond))
	}
	e.flush(t0.Add(2*time.Minute), false)
	if l := lines(); len(l) != 5 || !strings.Contains(l[4], "EOF (1000 more in the last minute)") {
		t.Fatalf("after 1000 more in the next minute, the log is:\n%s", buf)
	}

	// Quiet for a minute: forgotten, and logged at once when it comes back.
	e.flush(t0.Add(3*time.Minute), false)
	if len(e.seen) != 0 {
		t.Errorf("%d kinds kept after a quiet minute", len(e.seen))
	}
	e.write(eof(1), t0.Add(4*time.Minute))
	if l := lines(); len(l) != 6 || !strings.HasSuffix(l[5], `err="http: TLS handshake error: EOF"`) {
		t.Fatalf("an error back after a quiet minute:\n%s", buf)
	}

	// Its count due while the timer has not yet run: the next occurrence
	// logs it, and is counted in it.
	e.write(eof(2), t0.Add(4*time.Minute+time.Second))
	e.write(eof(3), t0.Add(5*time.Minute+time.Second))
	if l := lines(); len(l) != 7 || !strings.Contains(l[6], "EOF (2 more in the last minute)") {
		t.Fatalf("an occurrence after its count was due:\n%s", buf)
	}

	// Closing logs what is counted and not yet logged.
	e.write(eof(4), t0.Add(5*time.Minute+2*time.Second))
	e.close()
	if l := lines(); len(l) != 8 || !strings.Contains(l[7], "EOF (1 more in the last minute)") {
		t.Fatalf("after close:\n%s", buf)
	}
}

func TestErrorLogBounded(t *testing.T) {
	log, buf := testLogger(t)
	e := newErrorLog(log)
	defer e.close()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Messages that no normalisation makes alike.
	word := func(i int) string {
		var b strings.Builder
		for ; i > 0 || b.Len() == 0; i /= 26 {
			b.WriteByte(byte('a' + i%26))
		}
		return b.String()
	}
	for i := range 10000 {
		e.write("http: handshake failed: unknown thing "+word(i), t0.Add(time.Duration(i)*time.Millisecond))
	}
	if n := len(e.seen); n > errorLogKinds+1 {
		t.Errorf("%d kinds kept, want at most %d", n, errorLogKinds+1)
	}
	if n := strings.Count(buf.String(), "\n"); n != errorLogKinds+1 {
		t.Errorf("%d lines for 10,000 errors of distinct kinds, want %d", n, errorLogKinds+1)
	}
	e.flush(t0.Add(2*time.Minute), false)
	if !strings.Contains(buf.String(), fmt.Sprintf(`err="%s (%d more in the last minute)"`, errorLogOther, 10000-errorLogKinds-1)) {
		t.Errorf("the other kinds are not counted together:\n%s", buf)
	}
	// A minute later the table has room again.
	e.write("http: handshake failed: unknown thing new", t0.Add(4*time.Minute))
	if !strings.HasSuffix(strings.TrimSpace(buf.String()), `err="http: handshake failed: unknown thing new"`) {
		t.Errorf("a new kind is not told apart once the others are quiet:\n%s", buf)
	}
}

// TestErrorLogUnderAttack opens 300 connections that send nothing and
// 300 handshakes with server names of their own to a server whose
// certificates come over ACME: the log has one line for each kind, without
// the clients' addresses, and the count of the rest when the server stops.
func TestErrorLogUnderAttack(t *testing.T) {
	mgr, err := certs.NewACME(certs.ACMEConfig{Domains: []string{"blog.test"}, DirectoryURL: "https://127.0.0.1:1/directory", CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	log, buf := testLogger(t)
	srv, err := New(withSite(t, Config{GetCertificate: mgr.GetCertificate, Log: log}))
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)
	const n = 300

	var wg sync.WaitGroup
	idle := make([]net.Conn, n)
	for i := range idle {
		c, err := net.Dial("tcp", r.httpsAddr)
		if err != nil {
			t.Fatal(err)
		}
		idle[i] = c
	}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := tls.Dial("tcp", r.httpsAddr, &tls.Config{ServerName: fmt.Sprintf("attacker-%d.example", i)})
			if err == nil {
				c.Close()
				t.Errorf("a handshake for an unknown name succeeded")
			}
		}()
	}
	wg.Wait()
	// The server ends the idle connections after ReadHeaderTimeout.
	for _, c := range idle {
		c.SetReadDeadline(time.Now().Add(ReadHeaderTimeout + 10*time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Fatal("an idle connection got data")
		} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("the server did not close an idle connection")
		}
		c.Close()
	}
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}

	out := buf.String()
	if strings.Contains(out, "127.0.0.1") {
		t.Errorf("the log has clients' addresses:\n%s", out)
	}
	if strings.Contains(out, "attacker-") {
		t.Errorf("the log has the clients' server names:\n%s", out)
	}
	for _, want := range []string{
		`err="http: TLS handshake error: acme: server name \"…\": not one of the configured domains"`,
		`err="http: TLS handshake error: acme: server name \"…\": not one of the configured domains (299 more in the last minute)"`,
		`err="http: TLS handshake error: read tcp: i/o timeout"`,
		`err="http: TLS handshake error: read tcp: i/o timeout (299 more in the last minute)"`,
	} {
		if c := strings.Count(out, want+"\n"); c != 1 {
			t.Errorf("%d lines %s, want 1; the log:\n%s", c, want, out)
		}
	}
	if c := strings.Count(out, "\n"); c != 4 {
		t.Errorf("%d lines for 600 failed connections, want 4:\n%s", c, out)
	}
}
