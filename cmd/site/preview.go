package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"syscall"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/render"
	"github.com/siteblog/site/serve"
)

// runPreview is `site serve` for a writer: it builds the site in memory,
// serves it on opts.Addr over plain HTTP, and rebuilds it after every
// change to its files, reloading the pages open in browsers (see
// serve.Preview). It returns when ctx is done (Ctrl-C, SIGTERM).
func runPreview(ctx context.Context, opts serveOptions, stdout, stderr io.Writer) error {
	// Listen first, so a busy port is reported before a long first build.
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return listenError(opts.Addr, err)
	}
	defer ln.Close()
	type started struct {
		p   *serve.Preview
		err error
	}
	first := make(chan started, 1)
	go func() {
		p, err := serve.StartPreview(serve.PreviewOptions{
			Dir:           opts.Dir,
			Content:       content.Options{Drafts: opts.Drafts, Future: opts.Future},
			Site:          content.DirOptions{FollowSymlinks: opts.FollowSymlinks},
			EngineVersion: engineVersion(),
			BodyCacheDir:  filepath.Join(opts.Dir, render.CacheDir, "bodies"),
			Stdout:        stdout,
			Stderr:        stderr,
		})
		first <- started{p, err}
	}()
	var p *serve.Preview
	select {
	case s := <-first:
		if s.err != nil {
			return s.err
		}
		p = s.p
	case <-ctx.Done(): // Ctrl-C during a long first build: stop now
		go func() {
			if s := <-first; s.p != nil {
				s.p.Close()
			}
		}()
		fmt.Fprintln(stdout, "stopped")
		return nil
	}
	defer p.Close()
	fmt.Fprintf(stdout, "serving %s (drafts: %s) — Ctrl-C to stop\n", previewURL(ln.Addr()), yesNo(opts.Drafts))
	if err := p.Serve(ctx, ln); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// listenError explains a failure to listen, naming the address.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("cannot listen on %s: the address is already in use (is another site serve running? choose another with --addr)", addr)
	}
	return fmt.Errorf("cannot listen on %s: %w", addr, err)
}

// previewURL is the URL to open for a listener's address; an unspecified
// host (":1313", "0.0.0.0:1313") is reached at localhost.
func previewURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
