package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
)

// TestServeWithoutSystemRoots: without system root certificates every
// public certificate would read "unverified", so production serving
// refuses to start, unless --ca-root gives roots to verify against.
func TestServeWithoutSystemRoots(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	siteDir := filepath.Join(dir, "blog")
	if out, err := exec.Command(bin, "init", siteDir).CombinedOutput(); err != nil {
		t.Fatalf("site init: %v\n%s", err, out)
	}
	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	certFile, keyFile := testcert.WriteFiles(t, dir, "blog", pki.Leaf.Key, pki.Leaf.Cert, pki.Intermediate.Cert)
	rootFile := filepath.Join(dir, "root.pem")
	if err := os.WriteFile(rootFile, testcert.CertPEM(pki.Root.Cert), 0o644); err != nil {
		t.Fatal(err)
	}
	noRoots := []string{"SSL_CERT_FILE=/nonexistent", "SSL_CERT_DIR=/nonexistent"}
	const msg = "no system root certificates: install ca-certificates or set SSL_CERT_FILE"
	args := []string{"serve", "-s", siteDir, "--tls-cert", certFile, "--tls-key", keyFile,
		"--https-addr", "127.0.0.1:0", "--http-addr", "", "--cache", filepath.Join(dir, "cache")}

	t.Run("refused", func(t *testing.T) {
		p := startSite(t, bin, noRoots, args...)
		select {
		case <-p.exited:
		case <-time.After(30 * time.Second):
			t.Fatal("site serve did not exit")
		}
		if code := p.cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(p.stderr.String(), msg) {
			t.Errorf("exit code %d, stderr:\n%s", code, p.stderr)
		}
		if strings.Contains(p.out.String(), "serving HTTPS") {
			t.Errorf("it served: %s", p.out)
		}
	})
	t.Run("with --ca-root", func(t *testing.T) {
		p := startSite(t, bin, noRoots, append(args, "--ca-root", rootFile)...)
		p.addr(t, `^serving HTTPS on (\S+)`)
		if !strings.Contains(p.stderr.String(), msg) || !strings.Contains(p.stderr.String(), "level=WARN") {
			t.Errorf("no warning:\n%s", p.stderr)
		}
		if code := p.stop(t); code != 0 {
			t.Errorf("exit code %d after SIGTERM", code)
		}
	})
	t.Run("system roots", func(t *testing.T) {
		p := startSite(t, bin, nil, args...)
		p.addr(t, `^serving HTTPS on (\S+)`)
		if strings.Contains(p.stderr.String(), "no system root certificates") {
			t.Errorf("warned with system roots:\n%s", p.stderr)
		}
		p.stop(t)
	})
}
