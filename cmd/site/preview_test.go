package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testenv"
)

// waitOutput waits until out matches re, checking after each write, and
// returns the first group.
func waitOutput(t *testing.T, out *testenv.Buffer, re string) string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(20 * time.Second)
	for {
		written := out.Written()
		if m := rx.FindStringSubmatch(out.String()); m != nil {
			return m[len(m)-1]
		}
		select {
		case <-written:
		case <-deadline:
			t.Fatalf("no output matching %s after 20s; output:\n%s", re, out)
		}
	}
}

func newPreviewSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "blog")
	if code, _, stderr := runSite(t, "init", dir); code != 0 {
		t.Fatalf("site init: %s", stderr)
	}
	return dir
}

// `site serve` previews: it says where, serves the site, rebuilds after
// a change with one line saying what changed and how long it took, and
// stops cleanly when its context ends (Ctrl-C, SIGTERM).
func TestPreviewCommand(t *testing.T) {
	dir := newPreviewSite(t)
	post, err := filepath.Glob(filepath.Join(dir, "content/posts/*.md"))
	if err != nil || len(post) != 1 {
		t.Fatalf("site init made posts %v (%v)", post, err)
	}
	var stdout, stderr testenv.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- runPreview(ctx, serveOptions{Dir: dir, Addr: "127.0.0.1:0"}, &stdout, &stderr)
	}()
	url := waitOutput(t, &stdout, `(?m)^serving (http://127\.0\.0\.1:\d+/) \(drafts: no\) — Ctrl-C to stop$`)
	if !strings.Contains(stdout.String(), "built 1 posts") {
		t.Errorf("no build summary before the URL:\n%s", stdout.String())
	}
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Contains(body, []byte(`<script src="/_site/reload.js"`)) {
		t.Fatalf("GET %s: %d\n%s", url, res.StatusCode, body)
	}
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Range", "bytes=0-99")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 206 || !bytes.Equal(part, body[:100]) || res.Header.Get("Content-Range") != fmt.Sprintf("bytes 0-99/%d", len(body)) {
		t.Errorf("GET %s, bytes 0-99: %d, Content-Range %q, %q", url, res.StatusCode, res.Header.Get("Content-Range"), part)
	}

	data, err := os.ReadFile(post[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(post[0], append(data, "\nOne more line.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(dir, post[0])
	waitOutput(t, &stdout, `(?m)^\d\d:\d\d:\d\d edited `+regexp.QuoteMeta(filepath.ToSlash(rel))+` → \d+ of \d+ files made again, \d+ changed, 0 removed, in [0-9.]+(µs|ms|s) \(the page shown in [0-9.]+(µs|ms|s)\)$`)

	// A broken post: errors on stderr with file and line.
	if err := os.WriteFile(post[0], []byte("---\ntitle: [broken\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, &stderr, `(?m)^`+regexp.QuoteMeta(filepath.ToSlash(rel))+`:\d+: front matter`)
	if err := os.WriteFile(post[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, &stdout, `errors fixed\n`)

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runPreview: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runPreview did not return after its context ended")
	}
	if !strings.HasSuffix(stdout.String(), "stopped\n") {
		t.Errorf("stdout does not end with \"stopped\":\n%s", stdout.String())
	}
	// Nothing that answers on the port now is the preview. (Something
	// may: another test's listener may be given the port once it is free.)
	client := &http.Client{Timeout: 2 * time.Second}
	if res, err := client.Get(url); err == nil {
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if bytes.Contains(body, []byte(`<script src="/_site/reload.js"`)) {
			t.Error("still serving the preview after the stop")
		}
	}
}

// A busy port is an error naming the address, exit status 1.
func TestPreviewBusyPort(t *testing.T) {
	dir := newPreviewSite(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	code, _, stderr := runSite(t, "serve", "-s", dir, "--addr", addr)
	if code != 1 || !strings.Contains(stderr, "cannot listen on "+addr+": the address is already in use") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// A directory that is not a site is an error, not a preview of nothing.
func TestPreviewNotASite(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runSite(t, "serve", "-s", dir, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "is not a site directory") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// The command stops on SIGINT (Ctrl-C) with status 0.
func TestPreviewInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "site")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := newPreviewSite(t)
	var stdout, stderr testenv.Buffer
	cmd := exec.Command(bin, "serve", "-s", dir, "--addr", "127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	waitOutput(t, &stdout, `serving (http://\S+)`)
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGINT: %v\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("site serve did not stop after SIGINT")
	}
	if !strings.Contains(stdout.String(), "stopped") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
}
