// Package testpebble runs Debian's Pebble ACME test server for end-to-end
// tests, with pebble-challtestsrv answering its DNS queries with
// 127.0.0.1, everything listening on 127.0.0.1.
package testpebble

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/internal/testenv"
)

// Pebble runs Debian's Pebble ACME test server, with pebble-challtestsrv
// answering its DNS queries with 127.0.0.1, everything on 127.0.0.1.
type Pebble struct {
	t         testing.TB
	bin       string
	config    string
	dnsAddr   string
	apiAddr   string
	mgmtAddr  string
	APIRoot   *x509.Certificate // the test root of Pebble's own HTTPS API
	apiClient *http.Client
	cmd       *exec.Cmd
	exited    chan struct{}
	env       []string
	Log       *testenv.Buffer
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startProcess starts a command whose output goes to log, killed when the
// test ends.
func startProcess(t testing.TB, log io.Writer, env []string, name string, args ...string) (*exec.Cmd, chan struct{}) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	return cmd, exited
}

// New starts pebble-challtestsrv and Pebble, validating HTTP-01 on
// httpPort and TLS-ALPN-01 on tlsPort of 127.0.0.1, issuing certificates
// valid for validity seconds. env is added to Pebble's environment at
// every start ("PEBBLE_ALTERNATE_ROOTS=1").
func New(t testing.TB, httpPort, tlsPort, validity int, env ...string) *Pebble {
	t.Helper()
	pebbleBin, challBin := testenv.Pebble(t)
	dir := t.TempDir()
	p := &Pebble{t: t, bin: pebbleBin, Log: &testenv.Buffer{}, env: env}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("pebble log:\n%s", p.Log)
		}
	})

	dnsPort := FreePort(t)
	p.dnsAddr = fmt.Sprintf("127.0.0.1:%d", dnsPort)
	startProcess(t, p.Log, nil, challBin,
		"-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
		"-dns01", p.dnsAddr, "-http01", "", "-https01", "", "-tlsalpn01", "",
		"-management", fmt.Sprintf("127.0.0.1:%d", FreePort(t)))

	// Pebble's API is HTTPS with a certificate we make and trust.
	api := testcert.NewPKI(t, testcert.ECDSA, "127.0.0.1", "localhost")
	p.APIRoot = api.Root.Cert
	certFile, keyFile := testcert.WriteFiles(t, dir, "pebble-api", api.Leaf.Key, api.Leaf.Cert, api.Intermediate.Cert)
	p.apiAddr = fmt.Sprintf("127.0.0.1:%d", FreePort(t))
	p.mgmtAddr = fmt.Sprintf("127.0.0.1:%d", FreePort(t))
	cfg := map[string]any{"pebble": map[string]any{
		"listenAddress":                  p.apiAddr,
		"managementListenAddress":        p.mgmtAddr,
		"certificate":                    certFile,
		"privateKey":                     keyFile,
		"httpPort":                       httpPort,
		"tlsPort":                        tlsPort,
		"ocspResponderURL":               "",
		"externalAccountBindingRequired": false,
		"certificateValidityPeriod":      validity,
	}}
	data, _ := json.Marshal(cfg)
	p.config = filepath.Join(dir, "pebble-config.json")
	if err := os.WriteFile(p.config, data, 0o644); err != nil {
		t.Fatal(err)
	}
	p.apiClient = &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: api.Pool()}},
		Timeout:   10 * time.Second,
	}
	p.Start()
	return p
}

// Directory is the ACME directory URL.
func (p *Pebble) Directory() string { return "https://" + p.apiAddr + "/dir" }

// Start starts Pebble (a new root and intermediate every time) and waits
// for its directory.
func (p *Pebble) Start() {
	p.t.Helper()
	p.cmd, p.exited = startProcess(p.t, p.Log, append([]string{"PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0"}, p.env...),
		p.bin, "-config", p.config, "-dnsserver", p.dnsAddr)
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := p.apiClient.Get(p.Directory())
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		select {
		case <-p.exited:
			p.t.Fatalf("pebble exited:\n%s", p.Log)
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("pebble did not come up: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops Pebble and waits until its port is closed.
func (p *Pebble) Stop() {
	p.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

// Cert fetches a PEM certificate from the management interface
// ("roots/0", "intermediates/0").
func (p *Pebble) Cert(what string) *x509.Certificate {
	p.t.Helper()
	res, err := p.apiClient.Get("https://" + p.mgmtAddr + "/" + what)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	b, _ := pem.Decode(data)
	if b == nil {
		p.t.Fatalf("%s: no PEM: %q", what, data)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		p.t.Fatal(err)
	}
	return c
}

// Roots returns a pool with Pebble's current root.
func (p *Pebble) Roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.Cert("roots/0"))
	return pool
}

// Orders counts the orders Pebble was asked for.
func (p *Pebble) Orders() int {
	return strings.Count(p.Log.String(), "/order-plz")
}

// WaitFor polls f until it returns nil or timeout passes.
func WaitFor(t testing.TB, timeout time.Duration, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still failing after %v: %v", what, timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Issued counts the certificates Pebble issued.
func (p *Pebble) Issued() int {
	return strings.Count(p.Log.String(), "Issued certificate serial")
}
