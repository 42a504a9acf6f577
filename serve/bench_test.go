package serve

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/render"
)

// BenchmarkPreviewEdit times one edit of a post in a preview, in process:
// from the write of the Markdown file to the reload event on the page's
// stream. SITE_PREVIEW_BENCH_DIR names a site directory to edit (its
// newest post; SITE_PREVIEW_BENCH_POST=middle for an older one);
// scripts/bench-preview.sh makes one and measures the command itself, end
// to end, against Hugo. With -cpuprofile this shows where a rebuild's time
// goes.
func BenchmarkPreviewEdit(b *testing.B) {
	dir := os.Getenv("SITE_PREVIEW_BENCH_DIR")
	if dir == "" {
		b.Skip("set SITE_PREVIEW_BENCH_DIR to a site directory")
	}
	fsys := os.DirFS(dir)
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		b.Fatal(err)
	}
	site, err := content.Load(fsys, cfg, content.Options{})
	if err != nil {
		b.Fatal(err)
	}
	pg := site.Posts[0] // the newest: on the index page and in the feeds
	if os.Getenv("SITE_PREVIEW_BENCH_POST") == "middle" {
		pg = site.Posts[len(site.Posts)/2]
	}
	post := filepath.Join(dir, filepath.FromSlash(pg.Path))
	postURL := (&url.URL{Path: pg.URL}).EscapedPath()
	opts := PreviewOptions{Dir: dir, BodyCacheDir: filepath.Join(dir, render.CacheDir, "bodies")}
	if testing.Verbose() {
		opts.Stdout, opts.Stderr = os.Stderr, os.Stderr
	}
	p, err := StartPreview(opts)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()

	base := "http://" + ln.Addr().String()
	resp, err := http.Get(base + postURL)
	if err != nil {
		b.Fatal(err)
	}
	var page strings.Builder
	bufio.NewReader(resp.Body).WriteTo(&page)
	resp.Body.Close()
	key := regexp.MustCompile(`data-key="([^"]+)"`).FindStringSubmatch(page.String())
	q := url.Values{"path": {postURL}, "key": {key[1]}}
	resp, err = http.Get(base + eventsPath + "?" + q.Encode())
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- name
			}
		}
	}()
	original, err := os.ReadFile(post)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(post, original, 0o644)
	if f := os.Getenv("SITE_PREVIEW_BENCH_CPUPROFILE"); f != "" {
		// A profile of the edits alone, without the first build.
		out, err := os.Create(f)
		if err != nil {
			b.Fatal(err)
		}
		pprof.StartCPUProfile(out)
		defer func() { pprof.StopCPUProfile(); out.Close() }()
	}
	var took []time.Duration
	n := 0
	for b.Loop() {
		n++
		data := fmt.Appendf(slices.Clone(original), "\nEdit %d.\n", n)
		t0 := time.Now()
		if err := os.WriteFile(post, data, 0o644); err != nil {
			b.Fatal(err)
		}
		select {
		case ev := <-events:
			if ev != "reload" {
				b.Fatalf("event %s", ev)
			}
		case <-time.After(30 * time.Second):
			b.Fatal("no reload within 30s")
		}
		took = append(took, time.Since(t0))
		b.StopTimer()
		time.Sleep(50 * time.Millisecond) // let the watcher settle
		b.StartTimer()
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
}
