package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/internal/testpebble"
	"github.com/siteblog/site/tlsinfo"
)

// balancer is a TCP load balancer on 127.0.0.1: each connection goes to
// the next backend, round robin.
type balancer struct {
	mu       sync.Mutex
	backends []string
	next     int
}

func (b *balancer) add(addr string) {
	b.mu.Lock()
	b.backends = append(b.backends, addr)
	b.mu.Unlock()
}

func (b *balancer) pick() string {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b.mu.Lock()
		if n := len(b.backends); n > 0 {
			addr := b.backends[b.next%n]
			b.next++
			b.mu.Unlock()
			return addr
		}
		b.mu.Unlock()
	}
	return ""
}

// listen balances connections to port of 127.0.0.1 until the test ends.
func (b *balancer) listen(t *testing.T, port int) {
	t.Helper()
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
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
			go func() {
				defer c.Close()
				addr := b.pick()
				if addr == "" {
					return
				}
				up, err := net.Dial("tcp", addr)
				if err != nil {
					return
				}
				defer up.Close()
				go func() { io.Copy(up, c); up.(*net.TCPConn).CloseWrite() }()
				io.Copy(c, up)
			}()
		}
	}()
}

// TestServeSharedCache runs three `site serve --acme` on one cache
// directory behind a load balancer (the address Pebble validates on),
// against one Pebble issuing certificates valid for 30 seconds: one
// certificate is ordered and issued, all three serve it; when it is due
// for renewal (its last third), one renewal is ordered and all three
// serve it; the history holds both once.
func TestServeSharedCache(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	siteDir := filepath.Join(dir, "blog")
	if out, err := exec.Command(bin, "init", siteDir).CombinedOutput(); err != nil {
		t.Fatalf("site init: %v\n%s", err, out)
	}
	httpPort, httpsPort := testpebble.FreePort(t), testpebble.FreePort(t)
	const validity = 30 // seconds: renewed after 20
	p := testpebble.New(t, httpPort, httpsPort, validity)
	var httpLB, httpsLB balancer
	httpLB.listen(t, httpPort)
	httpsLB.listen(t, httpsPort)
	rootFile := filepath.Join(dir, "pebble-api-root.pem")
	if err := os.WriteFile(rootFile, testcert.CertPEM(p.APIRoot), 0o644); err != nil {
		t.Fatal(err)
	}
	pebbleRoot := filepath.Join(dir, "pebble-root.pem")
	if err := os.WriteFile(pebbleRoot, testcert.CertPEM(p.Cert("roots/0")), 0o644); err != nil {
		t.Fatal(err)
	}
	dns := testpebble.StartChallTestSrv(t)
	cache := filepath.Join(dir, "shared-cache")

	const servers = 3
	var procs []*process
	for i := 0; i < servers; i++ {
		procs = append(procs, startSite(t, bin, nil, "serve", "-s", siteDir, "--acme", "--domain", "blog.test",
			"--acme-ca", p.Directory(), "--acme-ca-root", rootFile, "--cache", cache, "--ca-root", pebbleRoot,
			"--https-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--caa-resolver", dns.DNSAddr))
	}
	httpsAddrs := make([]string, servers)
	for i, proc := range procs {
		httpsAddrs[i] = proc.addr(t, `^serving HTTPS on (\S+)`)
		httpsLB.add(httpsAddrs[i])
		httpLB.add(proc.addr(t, `^serving HTTP on (\S+)`))
	}

	// Each server is asked for blog.test at once (and each obtains it at
	// start): until each serves a certificate other than old.
	roots := p.Roots()
	serveAll := func(old []byte) [][]byte {
		leaves := make([][]byte, servers)
		var wg sync.WaitGroup
		for i, addr := range httpsAddrs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				deadline := time.Now().Add(60 * time.Second)
				for {
					res, err := httpsClient(addr, "blog.test", roots).Get("https://blog.test/")
					if err == nil {
						res.Body.Close()
						if leaf := res.TLS.PeerCertificates[0].Raw; !bytes.Equal(leaf, old) {
							leaves[i] = leaf
							return
						}
					}
					if time.Now().After(deadline) {
						t.Errorf("server %d: no new certificate after 60 s: %v", i+1, err)
						return
					}
					time.Sleep(200 * time.Millisecond)
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		for i := 1; i < servers; i++ {
			if !bytes.Equal(leaves[i], leaves[0]) {
				t.Errorf("server %d serves another certificate than server 1", i+1)
			}
		}
		return leaves
	}
	first := serveAll(nil)
	if n := p.Issued(); n != 1 {
		t.Errorf("Pebble issued %d certificates for blog.test, want 1", n)
	}
	if n := p.Orders(); n != 1 {
		t.Errorf("Pebble was asked for %d orders, want 1", n)
	}
	// Renewed by one server, picked up from the store by the others.
	serveAll(first[0])
	if n := p.Issued(); n != 2 {
		t.Errorf("Pebble issued %d certificates for blog.test after the renewal, want 2", n)
	}

	// Each server records the certificates it serves; the history holds
	// each once, and no lock is left behind.
	testpebble.WaitFor(t, 10*time.Second, "the certificate in the shared history", func() error {
		data, err := os.ReadFile(filepath.Join(cache, tlsinfo.HistoryFile))
		if err != nil {
			return err
		}
		var h struct{ Certificates []tlsinfo.Record }
		if err := json.Unmarshal(data, &h); err != nil {
			return err
		}
		if len(h.Certificates) != 2 {
			return fmt.Errorf("%d records", len(h.Certificates))
		}
		return nil
	})
	for i, proc := range procs {
		if code := proc.stop(t); code != 0 {
			t.Errorf("server %d: exit code %d", i+1, code)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(cache, "locks", "*")); len(left) != 0 {
		t.Errorf("locks left after the servers stopped: %v", left)
	}
}
