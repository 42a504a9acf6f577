package render

import (
	"bytes"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"weak"

	"github.com/siteblog/site/badge"
)

// oneBuildSite is testSite with what a page's Markdown is used for past
// its body: a summary before <!--more-->, one in front matter, a Hugo
// shortcode and a Liquid tag (expanded before rendering), a listing, a
// link to a page that is not there (a warning at a line of the file).
func oneBuildSite() fstest.MapFS {
	fsys := testSite()
	fsys["content/posts/e.md"] = &fstest.MapFile{Data: []byte("---\ntitle: E\ndate: 2024-05-01\ntags: [x]\n---\nThe lead.\n\n<!--more-->\n\nThe rest, {{< highlight go >}}y := 2{{< /highlight >}}\n")}
	fsys["content/posts/f.md"] = &fstest.MapFile{Data: []byte("---\ntitle: F\ndate: 2024-06-01\nsummary: Said *before*.\n---\nPhi {% raw %}{{ x }}{% endraw %}.\n\n```sh\necho f\n```\n")}
	fsys["content/posts/g.md"] = &fstest.MapFile{Data: []byte("---\ntitle: G\ndate: 2024-07-01\ntags: [y]\n---\nGee.\n\nSee [this](/nowhere/).\n")}
	return fsys
}

// TestOneBuild builds a site in a pipeline for one build (site build's)
// and in one for build after build, from a body cache on disk (empty,
// and filled by a first one build) and in memory, holding every body
// between its steps and none: the files and the warnings are the same,
// and the one build has let go of what it keeps for a next build only:
// each page's Markdown, each post's search terms, what was prepared of
// each page's source, the pages the loader read and the bodies the cache
// read back.
func TestOneBuild(t *testing.T) {
	want, wantRep, err := NewPipeline(oneBuildSite(), PipelineOptions{}).BuildMem()
	if err != nil {
		t.Fatal(err)
	}
	if ws := fmt.Sprint(wantRep.Stats.Warnings); !strings.Contains(ws, "content/posts/g.md:8: link /nowhere/ not found") {
		t.Fatalf("warnings %s, want one at content/posts/g.md:8", ws)
	}
	for _, tc := range []struct {
		name         string
		onDisk, warm bool
		handOff      int64
	}{
		{"on disk", true, false, handOffMax},
		{"on disk, nothing held", true, false, 0},
		{"on disk, warm", true, true, handOffMax},
		{"on disk, warm, nothing held", true, true, 0},
		{"in memory", false, false, handOffMax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(max int64) { handOffMax = max }(handOffMax)
			handOffMax = tc.handOff
			dir := ""
			if tc.onDisk {
				dir = t.TempDir()
			}
			if tc.warm {
				if _, _, err := NewPipeline(oneBuildSite(), PipelineOptions{OneBuild: true, Render: []Option{WithBodyCache(NewBodyCache(dir))}}).BuildMem(); err != nil {
					t.Fatal(err)
				}
			}
			cache := NewBodyCache(dir)
			p := NewPipeline(oneBuildSite(), PipelineOptions{OneBuild: true, Render: []Option{WithBodyCache(cache)}})
			loader := p.loader
			out, rep, err := p.BuildMem()
			if err != nil {
				t.Fatal(err)
			}
			if !maps.EqualFunc(out.Files(), want.Files(), bytes.Equal) {
				t.Errorf("the files differ from a build that keeps everything")
			}
			if got, want := fmt.Sprint(rep.Stats.Warnings), fmt.Sprint(wantRep.Stats.Warnings); got != want {
				t.Errorf("warnings\n%s\nwant those of a build that keeps everything\n%s", got, want)
			}
			for _, pg := range rep.Site.All() {
				if pg.Body != nil || pg.SummarySource != nil {
					t.Errorf("%s: its Markdown is still held: %q, %q", pg.Path, pg.Body, pg.SummarySource)
				}
			}
			if p.renderer.searchTerms != nil {
				t.Errorf("the search terms of %d posts are kept for a next build", len(p.renderer.searchTerms))
			}
			prepared := 0
			p.renderer.prepared.Range(func(any, any) bool { prepared++; return true })
			if prepared > 0 {
				t.Errorf("what was prepared of %d pages is kept for a next build", prepared)
			}
			if p.loader == loader {
				t.Errorf("the loader that read the pages is kept for a next build")
			}
			if n := len(cache.mem); tc.onDisk && n > 0 {
				t.Errorf("the cache keeps %d entries it read back in memory", n)
			}
		})
	}
}

// TestOneBuildTwice builds a site again in a pipeline for one build,
// after a post's body changed: the second build is a whole build, as the
// renderer kept nothing for a build in place (which planned files show
// each post among it), and its files are a fresh build's.
func TestOneBuildTwice(t *testing.T) {
	fsys := testSite() // no expansions, which a build in place would not rebuild
	fsys["content/posts/g.md"] = &fstest.MapFile{Data: []byte("---\ntitle: G\ndate: 2024-07-01\ntags: [y]\n---\nGee.\n")}
	p := NewPipeline(fsys, PipelineOptions{OneBuild: true})
	if _, _, err := p.BuildMem(); err != nil {
		t.Fatal(err)
	}
	if p.renderer.last == nil {
		t.Fatal("the one build left no last build")
	}
	if b := p.renderer.last; b.dependents != nil || b.metaDependents != nil {
		t.Fatalf("the one build kept the planned files that show each post")
	}
	fsys["content/posts/g.md"] = &fstest.MapFile{Data: []byte("---\ntitle: G\ndate: 2024-07-01\ntags: [y]\n---\nGee, again.\n")}
	p.Changed("content/posts/g.md")
	got, _, err := p.BuildMem()
	if err != nil {
		t.Fatal(err)
	}
	if p.bodyBuilds+p.frontBuilds > 0 {
		t.Errorf("the second one build was a build in place")
	}
	want, _, err := NewPipeline(fsys, PipelineOptions{}).BuildMem()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got.Files(), want.Files(), bytes.Equal) {
		t.Errorf("the second one build's files differ from a fresh build's")
	}
}

// TestOneBuildBodyLost: in one build, a body the cache cannot give back
// once the page's Markdown is let go, in the page's form or the feeds',
// or its scan (which the page's warnings come from), is made again from
// the page's file, as a pipeline for build after
// build renders it from the Markdown it keeps: the files are the same as
// a build's whose cache lost nothing. A file changed since the build
// loaded it fails the build, naming it, rather than show a page of
// another version than the lists and feeds show.
func TestOneBuildBodyLost(t *testing.T) {
	defer func(max int64) { handOffMax = max }(handOffMax)
	handOffMax = 0 // every page reads its body back
	p := NewPipeline(oneBuildSite(), PipelineOptions{})
	want, wantRep, err := p.BuildMem()
	if err != nil {
		t.Fatal(err)
	}
	pageForms, feedForms, scans := map[Key]string{}, map[Key]string{}, map[Key]string{}
	for _, pd := range p.renderer.last.posts {
		pageForms[pd.key], feedForms[feedKey(pd.key)], scans[scanKey(pd.key)] = pd.path, pd.path, pd.path
	}
	for _, tc := range []struct {
		name    string
		lost    map[Key]string // the entries that the disk loses, and their page's file
		changed bool           // the file of a page that lost its body changes
	}{
		{"the page's form", pageForms, false},
		{"the feeds' form", feedForms, false},
		{"the scan", scans, false},
		{"the page's form, its file changed", pageForms, true},
		{"the feeds' form, its file changed", feedForms, true},
		{"the scan, its file changed", scans, true},
	} {
		for _, oneBuild := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/one build %t", tc.name, oneBuild), func(t *testing.T) {
				fsys := oneBuildSite()
				cache := NewBodyCache(t.TempDir())
				var lost []string
				cache.readBack = func(k Key) {
					// Runs with the cache's lock held, the pack flushed.
					at, ok := cache.pending[k]
					if !ok || tc.lost[k] == "" {
						return
					}
					if _, err := at.file.WriteAt(make([]byte, at.n), at.off); err != nil {
						t.Error(err)
					}
					name := tc.lost[k]
					if tc.changed && len(lost) == 0 {
						f := fsys[name]
						f.Data = append(slices.Clip(f.Data), "\nMore.\n"...)
					}
					lost = append(lost, name)
				}
				out, rep, err := NewPipeline(fsys, PipelineOptions{OneBuild: oneBuild, Render: []Option{WithBodyCache(cache)}}).BuildMem()
				if len(lost) == 0 {
					t.Fatal("no entry was lost")
				}
				switch {
				case tc.changed && oneBuild:
					if err == nil {
						t.Fatal("the build succeeded")
					}
					if want := lost[0] + ": changed while the site was built"; !strings.Contains(err.Error(), want) {
						t.Errorf("error = %v, want %q", err, want)
					}
				case err != nil:
					t.Fatal(err)
				case tc.changed:
				case !maps.EqualFunc(out.Files(), want.Files(), bytes.Equal):
					t.Errorf("the files differ from a build whose cache lost nothing")
				case fmt.Sprint(rep.Stats.Warnings) != fmt.Sprint(wantRep.Stats.Warnings):
					t.Errorf("warnings %v, want those of a build whose cache lost nothing: %v", rep.Stats.Warnings, wantRep.Stats.Warnings)
				}
			})
		}
	}
}

// TestTLSPageHoldsNoBuild: the report's tls page, which the production
// server holds for as long as it runs, holds nothing of the build that
// made it: once the pipeline is dropped, its builder and renderer are
// collected while the page still renders; and a one build keeps no
// fragment of a post in the templates, which the page holds.
func TestTLSPageHoldsNoBuild(t *testing.T) {
	for _, oneBuild := range []bool{false, true} {
		t.Run(fmt.Sprintf("one build %t", oneBuild), func(t *testing.T) {
			p := NewPipeline(oneBuildSite(), PipelineOptions{OneBuild: oneBuild})
			out, _, err := p.BuildMem()
			if err != nil {
				t.Fatal(err)
			}
			if p.renderer.last == nil {
				t.Fatal("the renderer kept no builder")
			}
			builder, renderer := weak.Make(p.renderer.last), weak.Make(p.renderer)
			cards := 0 // the templates, which the tls page holds, hold these
			p.renderer.frags.kept.Range(func(_, _ any) bool { cards++; return true })
			if held := cards > 0; held != !oneBuild {
				t.Errorf("%d fragments of posts kept for a next build", cards)
			}
			p = nil
			runtime.GC()
			runtime.GC()
			if builder.Value() != nil || renderer.Value() != nil {
				t.Errorf("the tls page holds the build (builder held: %t, renderer held: %t)", builder.Value() != nil, renderer.Value() != nil)
			}
			page, err := out.TLSPage(&badge.PageData{State: badge.NotEncrypted, JSONURL: badge.JSONPath, FeedURL: badge.FeedPath})
			if err != nil || !bytes.Contains(page, []byte("<title>")) {
				t.Errorf("the tls page: %v\n%s", err, page)
			}
		})
	}
}
