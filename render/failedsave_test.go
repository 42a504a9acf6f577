package render

// Saves that fail after a build in place has begun: what they leave of
// the Renderer's kept state (see the package doc, "A Renderer used for
// build after build"), and that the builds after them are still right.

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
)

// failingSite is frontMatterSite with a post page that fails for a post
// titled Boom (a save of its front matter) and for one of more than a
// minute's reading (a save of its body), and search on or off.
func failingSite(search bool) fstest.MapFS {
	fsys := withTheme(frontMatterSite(), map[string]string{
		"post.html": `{{define "main"}}{{with .Post}}<h1>{{.Title}}</h1>{{if eq .Title "Boom"}}{{index .Tags 7}}{{end}}{{if gt .ReadingMinutes 1}}{{index .Tags 7}}{{end}}{{.Content}}{{end}}{{end}}`,
	})
	if search {
		fsys["site.toml"].Data = append(fsys["site.toml"].Data, "[search]\nenabled = true\n"...)
	}
	return fsys
}

// longBody is a body of more than a minute's reading, different for each n.
func longBody(n int) string { return strings.Repeat(fmt.Sprintf("fig word %d ", n), 400) }

// A failed save, in place or full, then saves that fix it and go on:
// each build takes the path it should and makes a fresh build's files,
// the failed ones leave no last build (the next is full), and the saves
// after the fix take the paths in place again.
func TestFailedSaveThenSaves(t *testing.T) {
	const (
		full  = pathFull
		front = pathFront
		body  = pathBody
	)
	steps := []struct {
		file, data, want string // want: the path the build takes
		fails            bool
	}{
		{"content/posts/f.md", fmFile("title: Boom\ndate: 2024-02-15", "Phi fig."), front, true},
		{"content/posts/f.md", fmFile("title: Boom\ndate: 2024-02-16\ntags: [x, zz]", "Phi fig."), full, true},
		{"content/posts/f.md", fmFile("title: F2\ndate: 2024-02-16\ntags: [x]", "Phi fig."), full, false},
		{"content/posts/c.md", fmFile("title: C2\ndate: 2024-02-01\ntags: [x]", "Gamma cherry."), front, false},
		{"content/posts/f.md", fmFile("title: F2\ndate: 2024-02-16\ntags: [x]", "Phi fig, ripe."), body, false},
		{"content/posts/d.md", fmFile("title: D\ndate: 2024-03-01\ntags: [y]", longBody(1)), body, true},
		{"content/posts/d.md", fmFile("title: D\ndate: 2024-03-01\ntags: [y]", longBody(2)), full, true},
		{"content/posts/d.md", fmFile("title: D\ndate: 2024-03-01\ntags: [y]", "Delta date, again."), full, false},
		{"content/posts/d.md", fmFile("title: D\ndate: 2024-03-01\ntags: [y]", "Delta date, once more."), body, false},
		{"content/posts/g.md", fmFile("title: Boom\ndate: 2024-06-01\ntags: [x]", "Gamma grape."), front, true},
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [x]", "Gamma grape."), full, false},
		{"content/posts/g.md", fmFile("title: G3\ndate: 2023-06-01\ntags: [x]", "Gamma grape."), front, false},
		{"content/posts/e.md", fmFile("title: E\ndate: 2023-04-01\ntags: [x, y]", "Epsilon elderberry.\n\n<!--more-->\n\nMore."), front, false},
	}
	for _, search := range []bool{false, true} {
		t.Run(fmt.Sprint("search=", search), func(t *testing.T) {
			opts := PipelineOptions{Content: content.Options{Now: now}}
			fsys := failingSite(search)
			p := builtPipeline(t, fsys, opts)
			prev := p.last
			for i, s := range steps {
				name := fmt.Sprintf("step %d (%s)", i, s.file)
				fsys[s.file] = &fstest.MapFile{Data: []byte(s.data)}
				p.Changed(s.file)
				before := countsOf(p)
				out, rep, err := p.BuildMem()
				fresh, freshRep, freshErr := NewPipeline(fsys, opts).BuildMem()
				if took := before.pathTaken(p); took != s.want {
					t.Errorf("%s: a %s build, want %s", name, took, s.want)
				}
				if s.fails {
					if err == nil || freshErr == nil {
						t.Fatalf("%s: err %v, fresh %v: want both to fail", name, err, freshErr)
					}
					if p.renderer.last != nil || p.last != prev {
						t.Fatalf("%s: a failed build left a last build in place, or another last good build", name)
					}
					continue
				}
				if err != nil || freshErr != nil {
					t.Fatalf("%s: err %v, fresh %v", name, err, freshErr)
				}
				sameFilesAt(t, name, out, fresh)
				if got, want := fmt.Sprint(rep.Warnings), fmt.Sprint(freshRep.Warnings); got != want {
					t.Errorf("%s: warnings\n  %s\nwant\n  %s", name, got, want)
				}
				checkReport(t, name, rep, prev, out)
				prev = out
				p.PrepareRebuild() // as the preview does after a good build
			}
		})
	}
}

// keptSizes counts the Renderer's per-post state kept between builds.
func keptSizes(r *Renderer) map[string]int {
	count := func(m interface{ Range(func(k, v any) bool) }) int {
		n := 0
		m.Range(func(_, _ any) bool { n++; return true })
		return n
	}
	r.searchMu.Lock()
	terms := len(r.searchTerms)
	r.searchMu.Unlock()
	r.yearSplit.mu.Lock()
	years := len(r.yearSplit.years)
	r.yearSplit.mu.Unlock()
	c := r.opts.bodies
	c.mu.Lock()
	notLive := 0
	for k := range c.mem {
		if !c.live[k] {
			notLive++
		}
	}
	live := len(c.live)
	c.mu.Unlock()
	return map[string]int{
		"prepared": count(&r.prepared), "checked": count(&r.checked), "feed entries": count(&r.feedCache),
		"icons": count(&r.icons), "fragments": count(&r.frags.kept), "search terms": terms,
		"archive years": years, "bodies in memory not live": notLive, "bodies live": live,
	}
}

// A run of failed saves, the first in place and the others full, each
// undone or not, with the body cache in memory or on disk, leaves nothing
// that the next good build keeps: after the fix and saves in place, the
// kept state is no larger than after the same saves without the
// failures, however many failed.
func TestFailedSavesKeepNoMore(t *testing.T) {
	const original = "title: F\ndate: 2024-05-01"
	fail := map[string]struct {
		path string
		data func(i int) string
	}{
		"front matter": {pathFront, func(i int) string {
			return fmFile(fmt.Sprintf("title: Boom\ndate: 2024-02-%02d", 10+i), fmt.Sprint("Phi fig ", i, "."))
		}},
		"body": {pathBody, func(i int) string { return fmFile(original, longBody(i)) }},
	}
	after := []edgeEdit{
		{"content/posts/f.md", fmFile(original, "Phi fig, fixed.")},
		{"content/posts/c.md", fmFile("title: C2\ndate: 2024-02-01\ntags: [x]", "Gamma cherry.")},
		{"content/posts/d.md", fmFile("title: D\ndate: 2024-03-01\ntags: [y]", "Delta date, again.")},
	}
	for kind, failing := range fail {
		for _, disk := range []bool{false, true} {
			for _, undo := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/cache on disk=%v/undone=%v", kind, disk, undo), func(t *testing.T) {
					var none map[string]int
					for _, n := range []int{0, 1, 8} {
						fsys := failingSite(true)
						opts := PipelineOptions{Content: content.Options{Now: now}}
						if disk {
							opts.Render = []Option{WithBodyCache(NewBodyCache(t.TempDir()))}
						}
						p := builtPipeline(t, fsys, opts)
						p.PrepareRebuild()
						save := func(file, data string) error {
							fsys[file] = &fstest.MapFile{Data: []byte(data)}
							p.Changed(file)
							_, _, err := p.BuildMem()
							if err == nil {
								p.PrepareRebuild()
							}
							return err
						}
						for i := range n {
							before := countsOf(p)
							if err := save("content/posts/f.md", failing.data(i)); err == nil {
								t.Fatalf("%d failed saves: save %d did not fail", n, i)
							}
							want := failing.path
							if i > 0 && !undo {
								want = pathFull // the build after a failed one
							}
							if took := before.pathTaken(p); took != want {
								t.Fatalf("%d failed saves: save %d failed in a %s build, want %s", n, i, took, want)
							}
							if undo {
								if err := save("content/posts/f.md", fmFile(original, "Phi fig.")); err != nil {
									t.Fatalf("%d failed saves: undoing save %d: %v", n, i, err)
								}
							}
						}
						in := 0
						for _, e := range after {
							c := countsOf(p)
							if err := save(e.file, e.data); err != nil {
								t.Fatalf("%d failed saves: %s: %v", n, e.file, err)
							}
							if c.pathTaken(p) != pathFull {
								in++
							}
						}
						want := len(after) - 1 // the fix is a full build
						if n == 0 || undo {
							want = len(after)
						}
						if in != want {
							t.Fatalf("%d failed saves: %d of the saves after the fix in place, want %d", n, in, want)
						}
						got := keptSizes(p.renderer)
						if n == 0 {
							none = got
							continue
						}
						for what, size := range got {
							if size > none[what] {
								t.Errorf("%d failed saves: %d %s kept, %d without them", n, size, what, none[what])
							}
						}
					}
				})
			}
		}
	}
}

// The last good build's report finds a post by the file it had there
// after a save in place that moved the post and failed, and after one
// that moved it and built: both changed the report's site in place.
func TestReportPageAfterMoves(t *testing.T) {
	for _, title := range []string{"Boom", "F2"} {
		fsys := failingSite(false)
		p := builtPipeline(t, fsys, PipelineOptions{Content: content.Options{Now: now}})
		_, rep, err := p.BuildMem()
		if err != nil {
			t.Fatal(err)
		}
		p.PrepareRebuild()
		fsys["content/posts/f.md"] = &fstest.MapFile{Data: []byte(fmFile("title: "+title+"\ndate: 2024-05-01", "Phi fig."))}
		p.Changed("content/posts/f.md")
		before := countsOf(p)
		_, _, err = p.BuildMem()
		if failed, took := err != nil, before.pathTaken(p); failed != (title == "Boom") || took != pathFront {
			t.Fatalf("%s: err %v, a %s build: want a build of front matter that fails only for Boom", title, err, took)
		}
		if pg := rep.Page("2024/05/f/index.html"); pg == nil || pg.Path != "content/posts/f.md" {
			t.Errorf("%s: the last good build's report finds %v by the post's file there", title, pg)
		}
	}
}

// A save whose post's page is shown first (Pipeline.BuildMemShown) and
// whose rest fails (a page of its tag's list cannot be made), of its
// front matter or of its body: the build fails, and what was shown is
// the last good build, the one the next build is compared with, so that
// the save that undoes it reports the post's page changed back.
// BuildMem, which shows nothing, keeps the build before as the last good
// one.
func TestShownThenRestFails(t *testing.T) {
	saves := []struct {
		name, data  string
		page, shows string // the post's page as shown first, and what it shows
	}{
		{"front matter", fmFile("title: Boom\ndate: 2024-02-01\ntags: [x]", "Gamma cherry."), "2024/02/boom/index.html", ">Boom</h1>"},
		{"body", fmFile("title: C\ndate: 2024-02-01\ntags: [x]", longBody(1)), "2024/02/c/index.html", "fig word 1"},
	}
	for _, save := range saves {
		for _, shown := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/shown=%v", save.name, shown), func(t *testing.T) {
				fsys := withTheme(frontMatterSite(), map[string]string{
					"tag.html": `{{define "main"}}{{range .Posts}}{{if or (eq .Title "Boom") (gt .ReadingMinutes 1)}}{{index .Tags 7}}{{end}}<p>{{.Title}}</p>{{end}}{{end}}`,
				})
				opts := PipelineOptions{Content: content.Options{Now: now}}
				p := builtPipeline(t, fsys, opts)
				var shownOut *MemOutput
				build := buildFunc(p, shown, &shownOut, nil)
				const post = "content/posts/c.md"
				was := fsys[post].Data
				before := p.last
				fsys[post] = &fstest.MapFile{Data: []byte(save.data)}
				p.Changed(post)
				if _, _, err := build(); err == nil || !strings.Contains(err.Error(), "tags/x/") {
					t.Fatalf("the save that fails in its tag's list: err %v, want one naming tags/x/", err)
				}
				last := before
				if shown {
					if shownOut == nil || !strings.Contains(string(shownOut.Files()[save.page]), save.shows) {
						t.Fatalf("the post's page was not shown first, saved")
					}
					last = shownOut
				}
				if p.last != last {
					t.Errorf("the last good build is not the one shown (%v)", shown)
				}
				fsys[post] = &fstest.MapFile{Data: was}
				p.Changed(post)
				checkUndone(t, build, fsys, opts, last)
			})
		}
	}
}

// buildFunc is p.BuildMem or, with shown, p.BuildMemShown noting the
// output shown in *early and, if earlyRep is not nil, its report in
// *earlyRep.
func buildFunc(p *Pipeline, shown bool, early **MemOutput, earlyRep **Report) func() (*MemOutput, *Report, error) {
	if !shown {
		return p.BuildMem
	}
	return func() (*MemOutput, *Report, error) {
		return p.BuildMemShown(func(out *MemOutput, rep *Report) {
			*early = out
			if earlyRep != nil {
				*earlyRep = rep
			}
		})
	}
}

// checkUndone builds, after a save that undid one that failed, and checks
// the build against a fresh one of fsys, and its report against last,
// the last good build.
func checkUndone(t *testing.T, build func() (*MemOutput, *Report, error), fsys fs.FS, opts PipelineOptions, last *MemOutput) {
	t.Helper()
	out, rep, err := build()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := BuildInMemory(fsys, opts.Content)
	if err != nil {
		t.Fatal(err)
	}
	sameFilesAt(t, "undone", out, fresh)
	checkReport(t, "undone", rep, last, out)
}

// A save whose post's page is made in place, but whose lists cannot be
// (a tag's list gains a page on the name of a static file): the rest is
// a full build, compared with the output of the first step, which here
// fails on the clash; that output is then the last good build if it was
// shown, and the save that undoes it reports relative to it.
func TestShownThenReplanned(t *testing.T) {
	for _, shown := range []bool{false, true} {
		t.Run(fmt.Sprint("shown=", shown), func(t *testing.T) {
			fsys := frontMatterSite() // x has 5 posts, 3 pages of 2
			fsys["static/tags/x/page/4/index.html"] = &fstest.MapFile{Data: []byte("<p>mine</p>")}
			opts := PipelineOptions{Content: content.Options{Now: now}}
			p := builtPipeline(t, fsys, opts)
			var early *MemOutput
			build := buildFunc(p, shown, &early, nil)
			save := func(file, fm string) (*MemOutput, *Report, error) {
				_, body, _ := strings.Cut(string(fsys[file].Data), "\n---\n")
				fsys[file] = &fstest.MapFile{Data: []byte("---\n" + fm + "\n---\n" + body)}
				p.Changed(file)
				early = nil
				return build()
			}
			if _, _, err := save("content/posts/f.md", "title: F\ndate: 2024-05-01\ntags: [x]"); err != nil { // 6 posts, 3 pages
				t.Fatal(err)
			}
			before := p.last
			_, _, err := save("content/posts/d.md", "title: D\ndate: 2024-03-01\ntags: [y, x]") // 7 posts: a 4th page
			if err == nil || !strings.Contains(err.Error(), "tags/x/page/4/index.html") {
				t.Fatalf("the save whose list's new page is a static file's: err %v, want the clash", err)
			}
			last := before
			if shown {
				if early == nil || !strings.Contains(string(early.Files()["2024/03/d/index.html"]), `href="/tags/x/"`) {
					t.Fatalf("the post's page was not shown first, with its new tag")
				}
				last = early
			}
			if p.last != last {
				t.Errorf("the last good build is not the one shown (%v)", shown)
			}
			checkUndone(t, func() (*MemOutput, *Report, error) {
				return save("content/posts/d.md", "title: D\ndate: 2024-03-01\ntags: [y]")
			}, fsys, opts, last)
		})
	}
}
