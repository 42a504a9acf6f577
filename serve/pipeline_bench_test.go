package serve

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/siteblog/site/content"
)

// writeCorpus writes a site of n posts, shaped as the benchmark corpus
// (../shared/bench/gen_corpus.py) is: twenty tags, two or three a post,
// a few paragraphs, a list and a code listing each. It returns the path of
// the newest post's file, relative to dir.
func writeCorpus(t testing.TB, dir string, n int) string {
	t.Helper()
	tags := []string{"python", "go", "security", "deployment", "docker", "tls", "web", "ops",
		"programming", "ethics", "fiction", "performance", "testing", "databases",
		"networking", "linux", "containers", "acme", "markdown", "tools"}
	words := strings.Fields("the server request build page feed post markdown render template theme cache certificate issuer domain browser trust root chain key deploy")
	posts := filepath.Join(dir, "content", "posts")
	if err := os.MkdirAll(posts, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"Bench\"\nbase_url = \"https://blog.example.com/\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)
	newest := ""
	for i := range n {
		var b strings.Builder
		date := start.Add(time.Duration(i) * 7 * time.Hour)
		fmt.Fprintf(&b, "---\ntitle: Post %d about %s\ndate: %s\ntags: [%s, %s]\n---\n\n", i, words[i%len(words)], date.Format(time.RFC3339), tags[i%20], tags[(i*7+3)%20])
		for p := range 4 {
			for w := range 40 {
				b.WriteString(words[(i+p*w)%len(words)])
				b.WriteByte(' ')
			}
			b.WriteString("\n\n")
		}
		b.WriteString("- one\n- two\n\n```go\nfunc main() {\n\tfmt.Println(\"hello\")\n}\n```\n")
		name := fmt.Sprintf("post-%05d.md", i)
		if err := os.WriteFile(filepath.Join(posts, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		newest = "content/posts/" + name
	}
	return newest
}

// benchPreview starts a preview of a corpus of n posts, without serving it:
// the benchmark drives its rebuilds.
func benchPreview(b testing.TB, n int) (*Preview, string, string) {
	dir := b.TempDir()
	post := writeCorpus(b, dir, n)
	p, err := StartPreview(PreviewOptions{Dir: dir, Content: content.Options{Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	if err := p.hub.current().err; err != "" {
		b.Fatal(err)
	}
	return p, dir, post
}

// save appends a line to a post and rebuilds, as a save in an editor does.
func save(b testing.TB, p *Preview, dir, post string, i int) BuildResult {
	f, err := os.OpenFile(filepath.Join(dir, post), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(f, "\nEdit number %d.\n", i)
	f.Close()
	res := p.rebuild(Batch{Changes: []Change{{Path: post, Op: fsnotify.Write}}})
	if res.Err != nil {
		b.Fatal(res.Err)
	}
	return res
}

// cpuTime is the CPU time the process has used, user and system: on a
// shared machine it varies less than the time on the clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPreviewSave times the rebuild after a save of the newest post
// (on the index page, its tags' pages and the feeds), without the
// watcher's quiet period: the preview's own share of save → reload.
func BenchmarkPreviewSave(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		if testing.Short() && n > 1000 {
			continue
		}
		b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) {
			p, dir, post := benchPreview(b, n)
			save(b, p, dir, post, -1)
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				save(b, p, dir, post, i)
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

var (
	memSaves = flag.Int("saves", 300, "saves of TestPreviewMemoryFollowsTheSite")
	memPosts = flag.Int("mem-posts", 300, "posts of the site of TestPreviewMemoryFollowsTheSite")
)

// heapAfterGC is the live heap, after collecting garbage.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// A preview's memory after many saves of a post is the memory it had
// after the first: its caches hold what the site uses, not every version
// of every file (-saves N sets how many; go test -run
// TestPreviewMemoryFollowsTheSite -saves 1000 -mem-posts 1000 -v prints
// the figures).
func TestPreviewMemoryFollowsTheSite(t *testing.T) {
	p, dir, post := benchPreview(t, *memPosts)
	save(t, p, dir, post, -1)
	// Every other save changes a title too, which plans the site again.
	retitle := func(i int) {
		path := filepath.Join(dir, post)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		data = regexp.MustCompile(`(?m)^title: .*$`).ReplaceAll(data, fmt.Appendf(nil, "title: Post retitled %d", i%2))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := heapAfterGC()
	for i := range *memSaves {
		if i%50 == 49 {
			retitle(i)
		}
		save(t, p, dir, post, i)
	}
	after := heapAfterGC()
	t.Logf("live heap after the first build and a save: %.1f MB; after %d saves more: %.1f MB (%+.1f%%)",
		float64(before)/1e6, *memSaves, float64(after)/1e6, 100*(float64(after)/float64(before)-1))
	if float64(after) > 1.1*float64(before) {
		t.Errorf("live heap grew from %d to %d bytes over %d saves, more than 10%%", before, after, *memSaves)
	}
}

// editFrontMatter rewrites the front matter line of a post that starts
// with key ("title: ") by edit, given the line as the corpus wrote it,
// and rebuilds, as a save in an editor does.
func editFrontMatter(b testing.TB, p *Preview, dir, post, key string, edit func(line string) string) BuildResult {
	path := filepath.Join(dir, post)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + `.*$`)
	if !re.Match(data) {
		b.Fatalf("%s has no %q line", post, key)
	}
	data = re.ReplaceAllFunc(data, func(line []byte) []byte { return []byte(edit(string(line))) })
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	res := p.rebuild(Batch{Changes: []Change{{Path: post, Op: fsnotify.Write}}})
	if res.Err != nil {
		b.Fatal(res.Err)
	}
	return res
}

// frontMatterEdits are the edits of the front matter benchmarks: the i-th
// save of each writes its line anew, from the line the corpus wrote.
var frontMatterEdits = map[string]struct {
	key  string
	edit func(line string, i int) string
}{
	// A new title, so a new URL: the post's page moves, its neighbours'
	// links, the lists, feeds and search index that show it change.
	"title": {"title: ", func(line string, i int) string {
		return fmt.Sprintf("title: Edited %d %s", i, strings.TrimPrefix(line, "title: "))
	}},
	// A tag of the site put on and taken off, by turns: its pages, its
	// feed and its count change.
	"tag": {"tags: ", func(line string, i int) string {
		if i%2 != 0 {
			return line
		}
		for _, t := range []string{"tools", "linux", "web"} {
			if !strings.Contains(line, t) {
				return strings.Replace(line, "[", "["+t+", ", 1)
			}
		}
		panic("no tag to add")
	}},
	// A tag the site does not have put on and taken off, by turns: the
	// tag's pages and feed come and go.
	"new tag": {"tags: ", func(line string, i int) string {
		if i%2 == 0 {
			return strings.Replace(line, "[", "[edited, ", 1)
		}
		return line
	}},
	// The date moved by turns a day later and back: the post passes its
	// neighbours, every list that shows it is in another order.
	"date": {"date: ", func(line string, i int) string {
		if i%2 != 0 {
			return line
		}
		t, err := time.Parse(time.RFC3339, strings.TrimPrefix(line, "date: "))
		if err != nil {
			panic(err)
		}
		return "date: " + t.Add(-24*time.Hour).Format(time.RFC3339)
	}},
}

// benchFrontMatterSave times the rebuild after a save that edits the
// front matter of the newest post and of one in the middle of the site:
// ns/op the whole build, shown-median-ms the median time until the
// post's page was served and its tabs told (BuildResult.Shown), which a
// writer looking at the post waits for.
func benchFrontMatterSave(b *testing.B, what string) {
	e := frontMatterEdits[what]
	for _, n := range []int{1000, 10000} {
		if testing.Short() && n > 1000 {
			continue
		}
		for _, which := range []string{"newest", "middle"} {
			b.Run(fmt.Sprintf("posts=%d/%s", n, which), func(b *testing.B) {
				p, dir, post := benchPreview(b, n)
				if which == "middle" {
					post = fmt.Sprintf("content/posts/post-%05d.md", n/2)
				}
				orig, err := os.ReadFile(filepath.Join(dir, post))
				if err != nil {
					b.Fatal(err)
				}
				line := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(e.key) + `.*$`).Find(orig)
				edit := func(i int) BuildResult {
					return editFrontMatter(b, p, dir, post, e.key, func(string) string { return e.edit(string(line), i) })
				}
				edit(-2)
				edit(-1)
				files := 0
				var shown []time.Duration
				cpu0 := cpuTime()
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					res := edit(i)
					files += len(res.Changed) + len(res.Removed)
					shown = append(shown, res.Shown)
				}
				b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
				b.ReportMetric(float64(files)/float64(b.N), "files/op")
				slices.Sort(shown)
				b.ReportMetric(float64(shown[len(shown)/2])/1e6, "shown-median-ms")
			})
		}
	}
}

// BenchmarkPreviewTitleSave times the rebuild after a save that changes
// a post's title (and so its URL).
func BenchmarkPreviewTitleSave(b *testing.B) { benchFrontMatterSave(b, "title") }

// BenchmarkPreviewTagSave times the rebuild after a save that adds a tag
// to a post, or takes it off.
func BenchmarkPreviewTagSave(b *testing.B) { benchFrontMatterSave(b, "tag") }

// BenchmarkPreviewNewTagSave times the rebuild after a save that adds a
// tag no other post has, or takes it off.
func BenchmarkPreviewNewTagSave(b *testing.B) { benchFrontMatterSave(b, "new tag") }

// BenchmarkPreviewDateSave times the rebuild after a save that moves a
// post's date by a day, past its neighbours, or back.
func BenchmarkPreviewDateSave(b *testing.B) { benchFrontMatterSave(b, "date") }

// A preview's memory after many saves that change a post's front matter
// (its title, tags, a tag new to the site, its date, by turns) is the
// memory it had after the first: the places in the plan of files that
// came and went are taken again, and what is kept per post is the site's.
func TestPreviewMemoryFollowsFrontMatterSaves(t *testing.T) {
	p, dir, post := benchPreview(t, *memPosts)
	data, err := os.ReadFile(filepath.Join(dir, post))
	if err != nil {
		t.Fatal(err)
	}
	edits := []string{"title", "tag", "new tag", "date"}
	lines := map[string]string{}
	for _, what := range edits {
		key := frontMatterEdits[what].key
		lines[what] = string(regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + `.*$`).Find(data))
	}
	edit := func(i int) {
		what := edits[i%len(edits)]
		e := frontMatterEdits[what]
		editFrontMatter(t, p, dir, post, e.key, func(string) string { return e.edit(lines[what], i/len(edits)) })
	}
	for i := range 2 * len(edits) {
		edit(i)
	}
	before := heapAfterGC()
	for i := range *memSaves {
		edit(2*len(edits) + i)
	}
	after := heapAfterGC()
	t.Logf("live heap after the first front matter saves: %.1f MB; after %d saves more: %.1f MB (%+.1f%%)",
		float64(before)/1e6, *memSaves, float64(after)/1e6, 100*(float64(after)/float64(before)-1))
	if float64(after) > 1.1*float64(before) {
		t.Errorf("live heap grew from %d to %d bytes over %d saves, more than 10%%", before, after, *memSaves)
	}
}

// firstSaves are the saves of BenchmarkPreviewFirstSave: the i-th save
// of each kind, of the newest post.
var firstSaves = []struct {
	name string
	save func(b testing.TB, p *Preview, dir, post, line string, i int) BuildResult
}{
	{"body", func(b testing.TB, p *Preview, dir, post, _ string, i int) BuildResult {
		return save(b, p, dir, post, i)
	}},
	{"title", func(b testing.TB, p *Preview, dir, post, line string, i int) BuildResult {
		e := frontMatterEdits["title"]
		return editFrontMatter(b, p, dir, post, e.key, func(string) string { return e.edit(line, i) })
	}},
	{"tag", func(b testing.TB, p *Preview, dir, post, line string, i int) BuildResult {
		e := frontMatterEdits["tag"]
		return editFrontMatter(b, p, dir, post, e.key, func(string) string { return e.edit(line, i) })
	}},
}

// BenchmarkPreviewFirstSave times the first save of each kind (a post's
// body, its title, a tag put on) after a preview's first build, a new
// preview each time; later-ms/op is the mean of the saves of the same kind
// that follow it, in the same preview, for comparison, and prepare-ms/op
// the time the preview took, after its first build was served, to make
// what a save keeps (Preview.prepare), which the first save is timed
// after, as a writer's comes after reading the first page. Its time
// excludes the first build. Each op builds a whole site, so give a count:
//
//	go test ./serve -run XXX -bench PreviewFirstSave -benchtime 5x
func BenchmarkPreviewFirstSave(b *testing.B) {
	const later = 4
	for _, n := range []int{1000, 10000} {
		if testing.Short() && n > 1000 {
			continue
		}
		for _, kind := range firstSaves {
			b.Run(fmt.Sprintf("posts=%d/%s", n, kind.name), func(b *testing.B) {
				b.StopTimer() // only the first saves are timed
				dir := b.TempDir()
				post := writeCorpus(b, dir, n)
				orig, err := os.ReadFile(filepath.Join(dir, post))
				if err != nil {
					b.Fatal(err)
				}
				var laterTook, prepareTook time.Duration
				for i := 0; i < b.N; i++ {
					if err := os.WriteFile(filepath.Join(dir, post), orig, 0o644); err != nil {
						b.Fatal(err)
					}
					e := frontMatterEdits[kind.name]
					line := string(regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(e.key) + `.*$`).Find(orig))
					p, err := StartPreview(PreviewOptions{Dir: dir, Content: content.Options{Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}})
					if err != nil {
						b.Fatal(err)
					}
					if err := p.hub.current().err; err != "" {
						b.Fatal(err)
					}
					start := time.Now()
					p.waitPrepared() // as a writer's first save comes after the first page is read
					prepareTook += time.Since(start)
					b.StartTimer()
					kind.save(b, p, dir, post, line, 0)
					b.StopTimer()
					start = time.Now()
					for k := 1; k <= later; k++ {
						kind.save(b, p, dir, post, line, k)
					}
					laterTook += time.Since(start)
					p.Close()
				}
				b.ReportMetric(float64(laterTook)/float64(b.N*later)/1e6, "later-ms/op")
				b.ReportMetric(float64(prepareTook)/float64(b.N)/1e6, "prepare-ms/op")
			})
		}
	}
}
