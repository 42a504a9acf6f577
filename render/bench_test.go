package render

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/corpus"
)

// benchPosts is the corpus size of BenchmarkBuild: SITE_BENCH_POSTS, or a
// size small enough for CI.
func benchPosts() int {
	if n, err := strconv.Atoi(os.Getenv("SITE_BENCH_POSTS")); err == nil && n > 0 {
		return n
	}
	return 200
}

// BenchmarkRenderPost converts one code-heavy post to HTML.
func BenchmarkRenderPost(b *testing.B) {
	md := NewMarkdown(&Listings{LineNumbers: true}, content.RawHTMLPass)
	pg := &content.Page{Body: corpus.Post(1)}
	b.SetBytes(int64(len(pg.Body)))
	for b.Loop() {
		if _, err := md.Render(pg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild loads and renders a generated corpus into memory: the
// whole of `site build` but the disk.
func BenchmarkBuild(b *testing.B) {
	fsys := corpus.Site(benchPosts())
	for b.Loop() {
		cfg, err := content.LoadConfig(fsys, "")
		if err != nil {
			b.Fatal(err)
		}
		site, err := content.Load(fsys, cfg, content.Options{Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			b.Fatal(err)
		}
		r, err := New(fsys, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Build(site, NewMemOutput()); err != nil {
			b.Fatal(err)
		}
	}
}
