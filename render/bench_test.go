package render

import (
	"os"
	"runtime"
	"strconv"
	"strings"
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

// BenchmarkHostile renders about 1 MB of each kind of input that goldmark
// or chroma once spent superlinear time on, just inside the limits
// (limits.go). Compare ns/op across sizes (SITE_BENCH_MB) to see that the
// time is linear, and unknown-txt with text: an unknown listing language
// costs what "text" does. Listings are 10 lines, so that 1 MB holds fewer
// than MaxListings.
func BenchmarkHostile(b *testing.B) {
	listing := strings.Repeat("some code\n", 10)
	mb := 1
	if n, err := strconv.Atoi(os.Getenv("SITE_BENCH_MB")); err == nil && n > 0 {
		mb = n
	}
	units := []struct {
		name string
		unit func(i int) string
	}{
		{"text", func(int) string { return "```text\n" + listing + "```\n\n" }},
		{"unknown-txt", func(int) string { return "```txt\n" + listing + "```\n\n" }},
		{"unknown-distinct", func(i int) string { return "```zz" + strconv.Itoa(i) + "\n" + listing + "```\n\n" }},
		{"list-100-deep", func(int) string { return nestedList(100, "-") + "\n" }},
		{"quote-100-deep", func(int) string {
			return strings.Repeat(">", 100) + " a\n\n" + strings.Repeat("Some *prose*.\n", 10) + "\n"
		}},
		{"links-in-paragraph", func(int) string { return strings.Repeat("[a]: /u\n[a]\n", 1000) + "\n" }},
		{"link-list", func(i int) string {
			return "- [Bookmark number " + strconv.Itoa(i) + "](https://example.com/" + strconv.Itoa(i) + ")\n"
		}},
		{"unclosed-destinations", func(int) string { return strings.Repeat("[a](b", 30) + "\n\n" }},
		{"footnotes", func(i int) string {
			if i < 1000 {
				return "x[^" + strconv.Itoa(i) + "]\n\n[^" + strconv.Itoa(i) + "]: n\n\n"
			}
			return "Some *prose* with a [link](/x) and `code`.\n\n"
		}},
	}
	md := NewMarkdown(&Listings{LineNumbers: true}, content.RawHTMLPass)
	for _, u := range units {
		var body strings.Builder
		for i := 0; body.Len() < mb<<20; i++ {
			body.WriteString(u.unit(i))
		}
		pg := &content.Page{Body: []byte(body.String())}
		b.Run(u.name, func(b *testing.B) {
			b.SetBytes(int64(len(pg.Body)))
			for b.Loop() {
				if _, err := md.Render(pg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPlanHeld reports the heap objects a build for one build
// (PipelineOptions.OneBuild) holds for each post once it has planned its
// files (objects/post): the collector traces them all again at each of
// its cycles until the build ends, so on a large site they weigh on every
// step after planning. SITE_BENCH_POSTS sets the corpus size.
func BenchmarkPlanHeld(b *testing.B) {
	fsys := corpus.Site(benchPosts())
	defer func() { afterPlanning = nil }()
	var held uint64
	afterPlanning = func() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		held = ms.HeapObjects
	}
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, _, err := NewPipeline(fsys, PipelineOptions{OneBuild: true}).BuildMem(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(int64(held)-int64(before.HeapObjects))/float64(benchPosts()), "objects/post")
	}
}
