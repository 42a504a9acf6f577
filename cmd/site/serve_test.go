package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/internal/testenv"
	"github.com/siteblog/site/internal/testpebble"
	"github.com/siteblog/site/tlsinfo"
)

// buildBinary builds this command into dir: the serve tests run it as a
// process, to send it signals and to give it its own environment.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(dir, "site")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running `site` command.
type process struct {
	cmd    *exec.Cmd
	lines  chan string // stdout, line by line
	stderr *testenv.Buffer
	exited chan struct{}
	out    *testenv.Buffer
}

func startSite(t *testing.T, bin string, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, args...), lines: make(chan string, 100), stderr: &testenv.Buffer{}, exited: make(chan struct{}), out: &testenv.Buffer{}}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.out.Write([]byte(sc.Text() + "\n"))
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
	}()
	go func() { p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
		if t.Failed() {
			t.Logf("site %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), p.out, p.stderr)
		}
	})
	return p
}

// addr waits for a stdout line matching re and returns its first group.
func (p *process) addr(t *testing.T, re string) string {
	t.Helper()
	rx := regexp.MustCompile(re)
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l := <-p.lines:
			if m := rx.FindStringSubmatch(l); m != nil {
				return m[1]
			}
		case <-p.exited:
			t.Fatalf("site exited: %v", p.cmd.ProcessState)
		case <-timeout:
			t.Fatalf("no line matching %s", re)
		}
	}
}

// stop sends SIGTERM and returns the exit code.
func (p *process) stop(t *testing.T) int {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		t.Fatal("site did not stop after SIGTERM")
	}
	return p.cmd.ProcessState.ExitCode()
}

// hangup sends SIGHUP and checks that the process is still running a
// moment later.
func (p *process) hangup(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
		t.Fatalf("site exited on SIGHUP: %v", p.cmd.ProcessState)
	case <-time.After(500 * time.Millisecond):
	}
}

// waitStderr waits until the process's stderr contains want n times.
func (p *process) waitStderr(t *testing.T, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for strings.Count(p.stderr.String(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("stderr has not %d times %q:\n%s", n, want, p.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func httpsClient(addr, name string, roots *x509.CertPool) *http.Client {
	var d net.Dialer
	return &http.Client{
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return d.DialContext(ctx, network, addr)
			},
			TLSClientConfig:   &tls.Config{ServerName: name, RootCAs: roots},
			ForceAttemptHTTP2: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
}

// fetchBody gets url, with the header pairs given, and reads the body.
func fetchBody(t *testing.T, c *http.Client, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

var badgeRE = regexp.MustCompile(regexp.QuoteMeta(badge.Start) + `(.*?)` + regexp.QuoteMeta(badge.End))

func badgeIn(t *testing.T, page string) string {
	t.Helper()
	m := badgeRE.FindAllStringSubmatch(page, -1)
	if len(m) != 1 {
		t.Fatalf("%d badges in page:\n%s", len(m), page)
	}
	return m[0][1]
}

// tlsTestServer serves HTTPS with cert on 127.0.0.1.
func tlsTestServer(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.NotFoundHandler(), ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestServeCommands runs the built binary: `site serve --tls-cert`, the
// preview, and `site build --issuer-from`.
func TestServeCommands(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	siteDir := filepath.Join(dir, "blog")
	if out, err := exec.Command(bin, "init", siteDir).CombinedOutput(); err != nil {
		t.Fatalf("site init: %v\n%s", err, out)
	}

	t.Run("tls-cert", func(t *testing.T) {
		self := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}}, nil)
		certFile, keyFile := testcert.WriteFiles(t, t.TempDir(), "self", self.Key, self.Cert)
		cache := filepath.Join(t.TempDir(), "cache")
		p := startSite(t, bin, nil, "serve", "-s", siteDir, "--tls-cert", certFile, "--tls-key", keyFile,
			"--https-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--cache", cache, "--expect-issuer", "Let's Encrypt")
		httpsAddr := p.addr(t, `^serving HTTPS on (\S+)`)
		httpAddr := p.addr(t, `^serving HTTP on (\S+)`)
		roots := x509.NewCertPool()
		roots.AddCert(self.Cert)
		c := httpsClient(httpsAddr, "blog.test", roots)
		res, page := fetchBody(t, c, "https://blog.test/")
		badge := badgeIn(t, page)
		if res.StatusCode != 200 || !strings.Contains(badge, `data-state="self-signed"`) || !strings.Contains(badge, "nobody vouches for this site") {
			t.Errorf("status %d, badge %s", res.StatusCode, badge)
		}
		if res.Proto != "HTTP/2.0" || res.Header.Get("Strict-Transport-Security") == "" || res.Header.Get("Content-Security-Policy") != "default-src 'self'" {
			t.Errorf("proto %s, headers %v", res.Proto, res.Header)
		}
		// A range of the page, as a video player or a resumed download asks.
		whole, _ := fetchBody(t, c, "https://blog.test/", "Accept-Encoding", "identity")
		etag := whole.Header.Get("ETag")
		for _, ifRange := range []string{etag, `"stale"`} {
			res, tail := fetchBody(t, c, "https://blog.test/", "Range", "bytes=-100", "If-Range", ifRange)
			if ifRange == etag && (res.StatusCode != 206 || tail != page[len(page)-100:] ||
				res.Header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", len(page)-100, len(page)-1, len(page))) {
				t.Errorf("the last 100 bytes: %d, Content-Range %q, %q", res.StatusCode, res.Header.Get("Content-Range"), tail)
			}
			if ifRange != etag && (res.StatusCode != 200 || tail != page) {
				t.Errorf("a range If-Range a stale ETag: %d, %d bytes, want the page whole", res.StatusCode, len(tail))
			}
		}
		if res, _ := fetchBody(t, c, "https://blog.test/page/1/"); res.StatusCode != 301 || res.Header.Get("Location") != "/" {
			t.Errorf("/page/1/, a redirect page: %d → %q, want 301 → /", res.StatusCode, res.Header.Get("Location"))
		}
		if res, body := fetchBody(t, c, "https://blog.test/healthz"); res.StatusCode != 200 || body != "ok\n" {
			t.Errorf("/healthz: %d %q", res.StatusCode, body)
		}
		if res, body := fetchBody(t, c, "https://blog.test/tls/"); res.StatusCode != 200 || !strings.Contains(body, "<strong>self-signed</strong>") ||
			!strings.Contains(body, `<p class="tls-alert" role="alert"><strong>Alert:</strong> expected a certificate issued by Let&#39;s Encrypt, but this one is self-signed`) {
			t.Errorf("/tls/: %d, or no --expect-issuer alert:\n%s", res.StatusCode, body)
		}
		if res, body := fetchBody(t, c, "https://blog.test/tls/feed.xml"); res.StatusCode != 200 ||
			!strings.Contains(body, "<title type=\"text\">New certificate: self-signed, no certificate authority vouches for it</title>") {
			t.Errorf("/tls/feed.xml: %d\n%s", res.StatusCode, body)
		}
		if n := strings.Count(p.stderr.String(), "unexpected certificate issuer"); n != 1 {
			t.Errorf("the --expect-issuer mismatch was logged %d times, want once", n)
		}
		res, _ = fetchBody(t, &http.Client{CheckRedirect: c.CheckRedirect}, "http://"+httpAddr+"/archive/")
		_, port, _ := net.SplitHostPort(httpsAddr)
		if res.StatusCode != 301 || res.Header.Get("Location") != "https://127.0.0.1:"+port+"/archive/" {
			t.Errorf("HTTP: %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		info, err := os.Stat(filepath.Join(cache, tlsinfo.HistoryFile))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("history file: %v, %v", info, err)
		}
		if code := p.stop(t); code != 0 {
			t.Errorf("exit code %d after SIGTERM", code)
		}
		if !strings.Contains(p.out.String(), "stopped") {
			t.Errorf("stdout: %s", p.out)
		}
	})

	t.Run("base path", func(t *testing.T) {
		// A site published at https://blog.test/blog/ is served under /blog/.
		blogDir := filepath.Join(t.TempDir(), "blog")
		if out, err := exec.Command(bin, "init", blogDir).CombinedOutput(); err != nil {
			t.Fatalf("site init: %v\n%s", err, out)
		}
		toml := filepath.Join(blogDir, "site.toml")
		data, err := os.ReadFile(toml)
		if err != nil {
			t.Fatal(err)
		}
		data = regexp.MustCompile(`(?m)^base_url = .*$`).ReplaceAll(data, []byte(`base_url = "https://blog.test/blog/"`))
		if err := os.WriteFile(toml, data, 0o644); err != nil {
			t.Fatal(err)
		}
		self := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}}, nil)
		certFile, keyFile := testcert.WriteFiles(t, t.TempDir(), "self", self.Key, self.Cert)
		p := startSite(t, bin, nil, "serve", "-s", blogDir, "--tls-cert", certFile, "--tls-key", keyFile,
			"--https-addr", "127.0.0.1:0", "--http-addr", "", "--cache", filepath.Join(t.TempDir(), "cache"))
		roots := x509.NewCertPool()
		roots.AddCert(self.Cert)
		c := httpsClient(p.addr(t, `^serving HTTPS on (\S+)`), "blog.test", roots)
		if res, _ := fetchBody(t, c, "https://blog.test/"); res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/blog/" {
			t.Errorf("/: %d → %q, want 302 → /blog/", res.StatusCode, res.Header.Get("Location"))
		}
		if res, body := fetchBody(t, c, "https://blog.test/blog/"); res.StatusCode != 200 || !strings.Contains(body, `<a class="site-title" href="/blog/">`) {
			t.Errorf("/blog/: %d, not the home page:\n%s", res.StatusCode, body)
		}
		if res, _ := fetchBody(t, c, "https://blog.test/blog/page/1/"); res.StatusCode != 301 || res.Header.Get("Location") != "/blog/" {
			t.Errorf("/blog/page/1/: %d → %q, want 301 → /blog/", res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := fetchBody(t, c, "https://blog.test/archive/"); res.StatusCode != 404 {
			t.Errorf("/archive/, outside the base path: %d, want 404", res.StatusCode)
		}
		if code := p.stop(t); code != 0 {
			t.Errorf("exit code %d after SIGTERM", code)
		}
	})

	t.Run("tls-cert reload", func(t *testing.T) {
		testServeReload(t, bin, siteDir)
	})

	t.Run("trusted-proxy", func(t *testing.T) {
		self := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}}, nil)
		certFile, keyFile := testcert.WriteFiles(t, t.TempDir(), "self", self.Key, self.Cert)
		roots := x509.NewCertPool()
		roots.AddCert(self.Cert)
		for _, tc := range []struct {
			name    string
			trusted []string
			h       map[string]string
			state   string
		}{
			// The tests connect from 127.0.0.1.
			{"untrusted", []string{"10.0.0.0/8"}, map[string]string{"X-Forwarded-For": "192.0.2.1"}, "proxied"},
			{"trusted", []string{"10.0.0.0/8", "127.0.0.1/32"}, map[string]string{"X-Forwarded-For": "192.0.2.1"}, "self-signed"},
			{"trusted address", []string{"127.0.0.1"}, map[string]string{"X-Forwarded-Proto": "http"}, "not-encrypted"},
		} {
			args := []string{"serve", "-s", siteDir, "--tls-cert", certFile, "--tls-key", keyFile,
				"--https-addr", "127.0.0.1:0", "--http-addr", "", "--cache", filepath.Join(t.TempDir(), "cache")}
			for _, p := range tc.trusted {
				args = append(args, "--trusted-proxy", p)
			}
			p := startSite(t, bin, nil, args...)
			c := httpsClient(p.addr(t, `^serving HTTPS on (\S+)`), "blog.test", roots)
			req, _ := http.NewRequest("GET", "https://blog.test/", nil)
			for k, v := range tc.h {
				req.Header.Set(k, v)
			}
			res, err := c.Do(req)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if badge := badgeIn(t, string(page)); !strings.Contains(badge, `data-state="`+tc.state+`"`) {
				t.Errorf("%s: badge %s, want state %s", tc.name, badge, tc.state)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "private, no-cache" {
				t.Errorf("%s: Cache-Control %q", tc.name, cc)
			}
			if code := p.stop(t); code != 0 {
				t.Errorf("%s: exit code %d after SIGTERM", tc.name, code)
			}
		}
	})

	t.Run("acme", func(t *testing.T) {
		httpPort, httpsPort := testpebble.FreePort(t), testpebble.FreePort(t)
		p := testpebble.New(t, httpPort, httpsPort, 3600)
		rootFile := filepath.Join(t.TempDir(), "pebble-api-root.pem")
		if err := os.WriteFile(rootFile, testcert.CertPEM(p.APIRoot), 0o644); err != nil {
			t.Fatal(err)
		}
		cache := filepath.Join(t.TempDir(), "acme")
		// Pebble's root, trusted by this server's operator only.
		pebbleRoot := filepath.Join(t.TempDir(), "pebble-root.pem")
		if err := os.WriteFile(pebbleRoot, testcert.CertPEM(p.Cert("roots/0")), 0o644); err != nil {
			t.Fatal(err)
		}
		// CAA records of blog.test that forbid every CA: the site says so
		// on /tls.json and logs it once.
		dns := testpebble.StartChallTestSrv(t)
		dns.AddCAA("blog.test", testpebble.CAAPolicy{Tag: "issue", Value: ";"})
		proc := startSite(t, bin, nil, "serve", "-s", siteDir, "--acme", "--domain", "blog.test", "--email", "admin@blog.test",
			"--acme-ca", p.Directory(), "--acme-ca-root", rootFile, "--cache", cache, "--ca-root", pebbleRoot,
			"--https-addr", fmt.Sprintf("127.0.0.1:%d", httpsPort), "--http-addr", fmt.Sprintf("127.0.0.1:%d", httpPort),
			"--caa-resolver", dns.DNSAddr)
		httpsAddr := proc.addr(t, `^serving HTTPS on (\S+)`)
		roots, inter := p.Roots(), p.Cert("intermediates/0")
		var res *http.Response
		var page string
		testpebble.WaitFor(t, 30*time.Second, "a certificate from Pebble", func() error {
			r, err := httpsClient(httpsAddr, "blog.test", roots).Get("https://blog.test/")
			if err != nil {
				return err
			}
			defer r.Body.Close()
			b, err := io.ReadAll(r.Body)
			res, page = r, string(b)
			return err
		})
		badge := badgeIn(t, page)
		if want := `<span class="tls-badge-label">Private CA:</span> <span class="tls-badge-value">` + inter.Subject.CommonName + ` under ` + p.Cert("roots/0").Subject.CommonName + `</span>`; !strings.Contains(badge, want) || !strings.Contains(badge, `data-state="private-ca"`) ||
			res.TLS.PeerCertificates[0].Issuer.CommonName != inter.Subject.CommonName {
			t.Errorf("badge %s, want %s", badge, want)
		}
		if info, err := os.Stat(cache); err != nil || info.Mode().Perm() != 0o700 {
			t.Errorf("cache: %v %v", info, err)
		}
		var caa struct {
			State string `json:"state"`
			Names []struct {
				Domain string            `json:"domain"`
				Check  *tlsinfo.CAACheck `json:"check"`
			} `json:"names"`
		}
		testpebble.WaitFor(t, 30*time.Second, "the CAA check", func() error {
			_, body := fetchBody(t, httpsClient(httpsAddr, "blog.test", roots), "https://blog.test/tls.json")
			var doc struct {
				CAA json.RawMessage `json:"caa"`
			}
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				return err
			}
			if err := json.Unmarshal(doc.CAA, &caa); err != nil || caa.State != "checked" {
				return fmt.Errorf("caa %s: %v", doc.CAA, err)
			}
			return nil
		})
		if len(caa.Names) != 1 || caa.Names[0].Domain != "blog.test" || caa.Names[0].Check == nil || caa.Names[0].Check.Status != tlsinfo.CAANotAllowed {
			t.Errorf("/tls.json caa: %+v", caa)
		}
		if n := strings.Count(proc.stderr.String(), `msg="CAA records do not allow the certificate's CA" name=blog.test status=not-allowed`); n != 1 {
			t.Errorf("the CAA mismatch was logged %d times, want once:\n%s", n, proc.stderr)
		}
		proc.hangup(t)
		if _, err := httpsClient(httpsAddr, "blog.test", roots).Get("https://blog.test/"); err != nil {
			t.Errorf("after SIGHUP: %v", err)
		}
		if !strings.Contains(proc.stderr.String(), "SIGHUP: nothing to reload") {
			t.Errorf("SIGHUP not logged: %s", proc.stderr)
		}
		if code := proc.stop(t); code != 0 {
			t.Errorf("exit code %d after SIGTERM", code)
		}
		if !strings.Contains(proc.stderr.String(), "certificate stored") {
			t.Errorf("stderr: %s", proc.stderr)
		}
	})

	t.Run("preview", func(t *testing.T) {
		p := startSite(t, bin, nil, "serve", "-s", siteDir, "--addr", "127.0.0.1:0")
		addr := p.addr(t, `(http://[0-9.:]+)`)
		res, page := fetchBody(t, http.DefaultClient, addr+"/")
		if badge := badgeIn(t, page); res.StatusCode != 200 || !strings.Contains(badge, `data-state="not-encrypted"`) {
			t.Errorf("preview: %d, badge %s", res.StatusCode, badge)
		}
		// SIGHUP (a closed terminal) does not end the preview.
		p.hangup(t)
		if res, _ := fetchBody(t, http.DefaultClient, addr+"/"); res.StatusCode != 200 {
			t.Errorf("preview after SIGHUP: %d", res.StatusCode)
		}
		if code := p.stop(t); code != 0 {
			t.Errorf("exit code %d after SIGTERM", code)
		}
	})

	t.Run("issuer-from", func(t *testing.T) {
		pki := testcert.NewPKI(t, testcert.ECDSA)
		addr := tlsTestServer(t, pki.TLS())
		rootFile := filepath.Join(t.TempDir(), "root.pem")
		if err := os.WriteFile(rootFile, testcert.CertPEM(pki.Root.Cert), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "public")
		// Trusted through SSL_CERT_FILE, as the system's roots would.
		cmd := exec.Command(bin, "build", "-s", siteDir, "-o", out, "--issuer-from", addr)
		cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+rootFile, "SSL_CERT_DIR=/nonexistent")
		stdout, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("site build --issuer-from: %v\n%s", err, stdout)
		}
		if !strings.Contains(string(stdout), "is issued by Example Trust ET R1 (under Example Trust Root X1), SHA-256 "+colonSHA(pki.Leaf.Cert)) ||
			!strings.Contains(string(stdout), "checked "+time.Now().UTC().Format("2006-01-02")) {
			t.Errorf("stdout: %s", stdout)
		}
		pages := 0
		filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err != nil || !strings.HasSuffix(p, ".html") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if !strings.Contains(string(data), badge.Start) {
				return nil // redirect pages have no badge
			}
			pages++
			badge := badgeIn(t, string(data))
			if !strings.Contains(badge, `data-state="recorded"`) || !strings.Contains(badge, `<span class="tls-badge-value">Example Trust ET R1</span>`) ||
				!strings.Contains(badge, `data-sha256="`+strings.ToLower(strings.ReplaceAll(colonSHA(pki.Leaf.Cert), ":", ""))+`"`) ||
				!strings.Contains(badge, `data-not-after="`+pki.Leaf.Cert.NotAfter.UTC().Format(time.RFC3339)+`"`) ||
				!strings.Contains(badge, `data-checked="`+time.Now().UTC().Format("2006-01-02")+`"`) {
				t.Errorf("%s: badge %s", p, badge)
			}
			return nil
		})
		if pages < 3 {
			t.Errorf("only %d pages with a badge", pages)
		}

		// `site tls --check-badge` passes while the host presents the
		// recorded certificate, and fails once it presents another.
		checkBadge := func(target string) (int, string) {
			cmd := exec.Command(bin, "tls", "--check-badge", out, target)
			cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+rootFile, "SSL_CERT_DIR=/nonexistent")
			msg, err := cmd.CombinedOutput()
			if ee, ok := err.(*exec.ExitError); ok {
				return ee.ExitCode(), string(msg)
			}
			return 0, string(msg)
		}
		if code, msg := checkBadge(addr); code != 0 || !strings.Contains(msg, "presents the certificate the badge of "+out+" records") {
			t.Errorf("--check-badge, same certificate: exit %d\n%s", code, msg)
		}
		renewed := testcert.New(t, testcert.Options{CommonName: "127.0.0.1", Names: []string{"127.0.0.1"}}, pki.Intermediate)
		other := tlsTestServer(t, tls.Certificate{Certificate: [][]byte{renewed.Cert.Raw, pki.Intermediate.Cert.Raw}, PrivateKey: renewed.Key})
		if code, msg := checkBadge(other); code != 1 || !strings.Contains(msg, "rebuild the site with --issuer-from") {
			t.Errorf("--check-badge, another certificate: exit %d\n%s", code, msg)
		}
		if code, msg := checkBadge(closedPort(t)); code != 1 || !strings.Contains(msg, "connection refused") {
			t.Errorf("--check-badge, nothing listening: exit %d\n%s", code, msg)
		}
		plainSite := filepath.Join(t.TempDir(), "plain")
		buildOK(t, "-s", siteDir, "-o", plainSite)
		if code, _, msg := runSite(t, "tls", "--check-badge", plainSite, addr); code != 1 || !strings.Contains(msg, "built without --issuer-from") {
			t.Errorf("--check-badge of a site built without --issuer-from: exit %d\n%s", code, msg)
		}

		// Failures fail the build and publish nothing.
		for _, tc := range []struct{ name, target, want string }{
			{"refused", closedPort(t), "connection refused"},
			{"untrusted", addr, "not trusted"},
		} {
			out := filepath.Join(t.TempDir(), "public")
			cmd := exec.Command(bin, "build", "-s", siteDir, "-o", out, "--issuer-from", tc.target)
			cmd.Env = append(os.Environ(), "SSL_CERT_FILE=/nonexistent", "SSL_CERT_DIR=/nonexistent")
			msg, err := cmd.CombinedOutput()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Errorf("%s: %v, want exit status 1\n%s", tc.name, err, msg)
			}
			if !strings.Contains(string(msg), "--issuer-from") || !strings.Contains(string(msg), tc.want) {
				t.Errorf("%s: message %q lacks %q", tc.name, msg, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s: the output directory was made", tc.name)
			}
		}
	})
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--acme"},
		{"serve", "--tls-cert", "c.pem"},
		{"serve", "--domain", "blog.example.com"},
		{"serve", "--ca-root", "root.pem"},
		{"serve", "--acme", "--domain", "a.example", "--tls-cert", "c", "--tls-key", "k"},
		{"serve", "--tls-cert", "c", "--tls-key", "k", "--email", "x@example.com"},
		{"serve", "--acme", "--domain", "a.example", "--addr", "127.0.0.1:1"},
		{"serve", "--expect-issuer", "Let's Encrypt"},
		{"serve", "--ct-log-list", "logs.json"},
		{"serve", "--caa-resolver", "127.0.0.1:53"},
		{"serve", "extra"},
		{"tls"},
		{"tls", "a.example", "b.example"},
	} {
		if code, _, stderr := runSite(t, args...); code != 2 || !strings.Contains(stderr, "usage: site") {
			t.Errorf("site %s: exit %d, stderr %q; want a usage error", strings.Join(args, " "), code, stderr)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--tls-cert", "c", "--tls-key", "k", "--trusted-proxy", "10.0.0.0/33"}, `invalid value "10.0.0.0/33" for flag -trusted-proxy`},
		{[]string{"serve", "--tls-cert", "c", "--tls-key", "k", "--trusted-proxy", "proxy.example"}, `invalid value "proxy.example" for flag -trusted-proxy`},
		{[]string{"serve", "--trusted-proxy", "10.0.0.0/8"}, "--trusted-proxy is for production"},
	} {
		if code, _, stderr := runSite(t, tc.args...); code != 2 || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "usage: site") {
			t.Errorf("site %s: exit %d, stderr %q; want a usage error with %q", strings.Join(tc.args, " "), code, stderr, tc.want)
		}
	}
	if code, _, stderr := runSite(t, "serve", "--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key", "-s", t.TempDir()); code != 1 || stderr == "" {
		t.Errorf("missing site and certificate: exit %d, %q", code, stderr)
	}
	notPEM := filepath.Join(t.TempDir(), "root.pem")
	os.WriteFile(notPEM, []byte("not PEM"), 0o644)
	for _, file := range []string{"/nonexistent-root.pem", notPEM} {
		code, _, stderr := runSite(t, "serve", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--ca-root", file, "-s", t.TempDir())
		if code != 1 || !strings.Contains(stderr, "--ca-root: ") || !strings.Contains(stderr, file) {
			t.Errorf("--ca-root %s: exit %d, %q", file, code, stderr)
		}
	}
	notList := filepath.Join(t.TempDir(), "logs.json")
	os.WriteFile(notList, []byte(`{"operators": []}`), 0o644)
	for _, file := range []string{"/nonexistent-logs.json", notList} {
		code, _, stderr := runSite(t, "serve", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--ct-log-list", file, "-s", t.TempDir())
		if code != 1 || !strings.Contains(stderr, "--ct-log-list: ") || !strings.Contains(stderr, file) {
			t.Errorf("--ct-log-list %s: exit %d, %q", file, code, stderr)
		}
	}
}

func TestTLSCommand(t *testing.T) {
	pki := testcert.NewPKI(t, testcert.RSA)
	addr := tlsTestServer(t, pki.TLS())

	code, stdout, stderr := runSite(t, "tls", addr)
	if code != 1 {
		t.Errorf("untrusted: exit %d, want 1", code)
	}
	for _, want := range []string{
		"Badge:   Unverified: claims Example Trust ET R1 · no path to a trusted root · SHA-256 " + strings.ReplaceAll(colonSHA(pki.Leaf.Cert), ":", "")[:8],
		"State:   unverified",
		"Issuer:  Example Trust ET R1",
		"Top:     Example Trust Root X1",
		"Trusted: NO: the chain does not lead to a root trusted here",
		"Certificate 1 (leaf)", "Certificate 2 (sent as intermediate)",
		"SANs:       DNS:localhost, IP:127.0.0.1",
		"Key:        RSA 2048",
		"SHA-256:    " + colonSHA(pki.Leaf.Cert),
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "not trusted") {
		t.Errorf("stderr: %q", stderr)
	}

	rootFile := filepath.Join(t.TempDir(), "root.pem")
	os.WriteFile(rootFile, testcert.CertPEM(pki.Root.Cert), 0o644)
	code, stdout, stderr = runSite(t, "tls", "--ca-root", rootFile, addr)
	if code != 0 || !strings.Contains(stdout, "Trusted: yes") || !strings.Contains(stdout, "Badge:   Private CA: Example Trust ET R1 under Example Trust Root X1") ||
		!strings.Contains(stdout, "Path 1:  127.0.0.1 > ET R1 > Example Trust Root X1") {
		t.Errorf("with the root: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// --ca-root is repeatable: the root in the second file counts.
	otherFile := filepath.Join(t.TempDir(), "other.pem")
	os.WriteFile(otherFile, testcert.CertPEM(testcert.NewPKI(t, testcert.ECDSA).Root.Cert), 0o644)
	for _, files := range [][]string{{otherFile}, {otherFile, rootFile}} {
		args := []string{"tls"}
		for _, f := range files {
			args = append(args, "--ca-root", f)
		}
		code, stdout, stderr = runSite(t, append(args, addr)...)
		if trusted := len(files) == 2; (code == 0) != trusted || strings.Contains(stdout, "Trusted: yes") != trusted {
			t.Errorf("site tls with %d roots: exit %d\n%s\n%s", len(files), code, stdout, stderr)
		}
	}

	plain := &http.Server{Handler: http.NotFoundHandler()}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go plain.Serve(ln)
	defer plain.Close()
	for _, tc := range []struct{ target, want string }{
		{closedPort(t), "connection refused"},
		{ln.Addr().String(), "does not speak TLS"},
	} {
		code, stdout, stderr := runSite(t, "tls", "--timeout", "5s", tc.target)
		if code != 1 || stdout != "" || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, tc.target) {
			t.Errorf("site tls %s: exit %d, stdout %q, stderr %q; want %q", tc.target, code, stdout, stderr, tc.want)
		}
	}
}

func colonSHA(c *x509.Certificate) string {
	d, _ := tlsinfo.Describe([]*x509.Certificate{c})
	return d.Leaf().SHA256
}

// testServeReload runs `site serve --tls-cert` and swaps its files: new
// connections get the new certificate, a connection kept open keeps the
// old one, and SIGHUP reloads without ending the process.
func testServeReload(t *testing.T, bin, siteDir string) {
	ca := testcert.New(t, testcert.Options{CommonName: "Reload Test CA", Organization: "Reload Test", Country: "FR", CA: true}, nil)
	other := testcert.New(t, testcert.Options{CommonName: "Unrelated Root", CA: true}, nil)
	a := testcert.New(t, testcert.Options{CommonName: "A", Names: []string{"blog.test"}}, ca)
	// B expires in ten days: the server warns of it.
	b := testcert.New(t, testcert.Options{CommonName: "B", Names: []string{"blog.test"}, NotAfter: time.Now().Add(10*24*time.Hour + time.Hour)}, ca)
	certDir := t.TempDir()
	certFile, keyFile := testcert.WriteFiles(t, certDir, "site", a.Key, a.Cert, ca.Cert)
	roots := t.TempDir()
	for name, c := range map[string]*x509.Certificate{"ca.pem": ca.Cert, "other.pem": other.Cert} {
		if err := os.WriteFile(filepath.Join(roots, name), testcert.CertPEM(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := startSite(t, bin, nil, "serve", "-s", siteDir, "--tls-cert", certFile, "--tls-key", keyFile,
		"--ca-root", filepath.Join(roots, "other.pem"), "--ca-root", filepath.Join(roots, "ca.pem"),
		"--https-addr", "127.0.0.1:0", "--http-addr", "", "--cache", filepath.Join(t.TempDir(), "cache"))
	httpsAddr := p.addr(t, `^serving HTTPS on (\S+)`)
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)

	// served checks the certificate of a response and that its badge
	// describes that certificate.
	served := func(res *http.Response, page string) string {
		t.Helper()
		leaf := res.TLS.PeerCertificates[0]
		sum := sha256.Sum256(leaf.Raw)
		if badge := badgeIn(t, page); !strings.Contains(badge, hex.EncodeToString(sum[:])) {
			t.Errorf("the badge does not describe certificate %s:\n%s", leaf.Subject.CommonName, badge)
		}
		return leaf.Subject.CommonName
	}
	// A client that keeps its one HTTP/1.1 connection, counting dials.
	var dials atomic.Int32
	var d net.Dialer
	var http1 http.Protocols
	http1.SetHTTP1(true)
	kept := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			dials.Add(1)
			return d.DialContext(ctx, network, httpsAddr)
		},
		TLSClientConfig: &tls.Config{ServerName: "blog.test", RootCAs: pool},
		Protocols:       &http1,
	}, Timeout: 10 * time.Second}
	res, page := fetchBody(t, kept, "https://blog.test/")
	if got := served(res, page); got != "A" || res.Proto != "HTTP/1.1" {
		t.Fatalf("kept connection: %s over %s, want A over HTTP/1.1", got, res.Proto)
	}
	// A verifies against the second --ca-root: no warning.
	p.waitStderr(t, "certificate loaded", 1)
	if strings.Contains(p.stderr.String(), "served certificate") {
		t.Errorf("a warning about A:\n%s", p.stderr)
	}

	// The files replaced as careful programs do: new files renamed over.
	for file, data := range map[string][]byte{certFile: testcert.CertPEM(b.Cert, ca.Cert), keyFile: testcert.KeyPEM(t, b.Key)} {
		if err := os.WriteFile(file+".new", data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(file+".new", file); err != nil {
			t.Fatal(err)
		}
	}
	testpebble.WaitFor(t, 10*time.Second, "a new connection with B", func() error {
		res, page := fetchBody(t, httpsClient(httpsAddr, "blog.test", pool), "https://blog.test/")
		if got := served(res, page); got != "B" {
			return fmt.Errorf("served %s", got)
		}
		return nil
	})
	res, page = fetchBody(t, kept, "https://blog.test/")
	if got := served(res, page); got != "A" || dials.Load() != 1 {
		t.Errorf("kept connection: %s after %d dials, want A on the first connection", got, dials.Load())
	}
	p.waitStderr(t, "served certificate: the certificate chain expires on "+b.Cert.NotAfter.UTC().Format(time.RFC3339)+", in 10 days", 1)
	if strings.Contains(p.stderr.String(), "does not verify") {
		t.Errorf("a chain that verifies against --ca-root is reported:\n%s", p.stderr)
	}

	// SIGHUP reloads (here: nothing new) and leaves the server serving.
	p.hangup(t)
	p.waitStderr(t, "SIGHUP: certificate files unchanged", 1)
	// A pair that does not load: the SIGHUP says so, B stays.
	if err := os.WriteFile(keyFile, testcert.KeyPEM(t, a.Key), 0o600); err != nil {
		t.Fatal(err)
	}
	p.hangup(t)
	p.waitStderr(t, "SIGHUP: the certificate files do not load; still serving the previous certificate", 1)
	res, page = fetchBody(t, httpsClient(httpsAddr, "blog.test", pool), "https://blog.test/")
	if got := served(res, page); got != "B" {
		t.Errorf("after a broken pair: %s, want B", got)
	}
	if code := p.stop(t); code != 0 {
		t.Errorf("exit code %d after SIGTERM", code)
	}
}
