package render

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
)

// TestPrepareRebuild saves posts of a site, one kind of save a step, in
// two pipelines: one that prepares the kept state after every build
// (Pipeline.PrepareRebuild, as the preview does), one that leaves it to
// the first build in place. Both must take the same path (in place or a
// full build) and make what a fresh build makes; after PrepareRebuild,
// the whole kept state is there, so that the first save makes none of it.
func TestPrepareRebuild(t *testing.T) {
	post := func(fm, body string) []byte { return []byte("---\n" + fm + "\n---\n" + body + "\n") }
	const (
		full  = "full"
		body  = "body"
		front = "front matter"
	)
	steps := []struct {
		name, file string
		data       []byte
		path       string // the build that follows: full, body or front
	}{
		{"a body", "b.md", post("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana, see [C](/2024/02/c/). Edited."), body},
		{"a body with a word new to the site", "b.md", post("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana, see [C](/2024/02/c/). Quixotic zygote."), body},
		{"a title", "c.md", post("title: C edited\ndate: 2024-02-01\ntags: [x]", "Gamma cherry."), front},
		{"a tag added", "d.md", post("title: D\ndate: 2024-03-01\ntags: [y, x]", "Delta date."), front},
		{"a tag new to the site", "d.md", post("title: D\ndate: 2024-03-01\ntags: [y, x, fresh]", "Delta date."), front},
		{"a date across a year", "c.md", post("title: C edited\ndate: 2023-10-01\ntags: [x]", "Gamma cherry."), front},
		{"a post added", "h.md", post("title: H\ndate: 2024-07-01\ntags: [y]", "Eta huckleberry."), full},
		{"the new post's title", "h.md", post("title: H edited\ndate: 2024-07-01\ntags: [y]", "Eta huckleberry."), front},
		{"the new post's body", "h.md", post("title: H edited\ndate: 2024-07-01\ntags: [y]", "Eta huckleberry, edited."), body},
		{"a link to the new post", "a.md", post("title: A\ndate: 2023-11-01\ntags: [x]", "Alpha apple, see [H](/2024/07/h-edited/)."), body},
	}
	themes := []struct {
		name, archive string // the theme's archive.html; "" for the default theme's
	}{
		{"the default theme", ""},
		// The archive split by year is not the archive made whole: every
		// save makes it whole.
		{"years in an attribute", `{{define "main"}}<div data-years="{{range .Years}}<b>{{.Year}}</b>{{end}}"></div>{{end}}`},
	}
	for _, th := range themes {
		for _, cached := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/body cache on disk=%v", th.name, cached), func(t *testing.T) {
				fsys := archiveSite(th.archive)
				newPipeline := func() *Pipeline {
					opts := PipelineOptions{Content: content.Options{Now: now}}
					if cached {
						// A cache a build filled: the search index is
						// found in it whole, and the posts' terms one by
						// one.
						dir := t.TempDir()
						if _, _, err := NewPipeline(fsys, PipelineOptions{Content: opts.Content, Render: []Option{WithBodyCache(NewBodyCache(dir))}}).BuildMem(); err != nil {
							t.Fatal(err)
						}
						opts.Render = []Option{WithBodyCache(NewBodyCache(dir))}
					}
					return NewPipeline(fsys, opts)
				}
				prepared, lazy := newPipeline(), newPipeline()
				for _, p := range []*Pipeline{prepared, lazy} {
					if _, _, err := p.BuildMem(); err != nil {
						t.Fatal(err)
					}
				}
				prepared.PrepareRebuild()
				keptStateMade(t, "the first build", prepared)
				for _, s := range steps {
					name := "content/posts/" + s.file
					fsys[name] = &fstest.MapFile{Data: s.data}
					fresh, freshRep, err := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}}).BuildMem()
					if err != nil {
						t.Fatalf("%s: a fresh build: %v", s.name, err)
					}
					for _, p := range []*Pipeline{prepared, lazy} {
						which := "prepared"
						if p == lazy {
							which = "lazy"
						}
						bodies, fronts := p.bodyBuilds, p.frontBuilds
						p.Changed(name)
						out, rep, err := p.BuildMem()
						if err != nil {
							t.Fatalf("%s, %s: %v", s.name, which, err)
						}
						path := full
						switch {
						case p.bodyBuilds > bodies:
							path = body
						case p.frontBuilds > fronts:
							path = front
						}
						if path != s.path {
							t.Errorf("%s, %s: a %s build, want a %s build", s.name, which, path, s.path)
						}
						sameFilesAt(t, s.name+", "+which, out, fresh)
						if got, want := fmt.Sprint(rep.Warnings), fmt.Sprint(freshRep.Warnings); got != want {
							t.Errorf("%s, %s: warnings\n  %s\nwant\n  %s", s.name, which, got, want)
						}
					}
					if s.path == full && prepared.renderer.last.prepared {
						t.Errorf("%s: a full build left the kept state of the build before", s.name)
					}
					prepared.PrepareRebuild()
					keptStateMade(t, s.name, prepared)
				}
			})
		}
	}
}

// keptStateMade checks that the last build of p has its kept state made
// (see "Kept state" in incremental.go), each part of it.
func keptStateMade(t *testing.T, step string, p *Pipeline) {
	t.Helper()
	b := p.renderer.last
	s := p.renderer.yearSplit
	for _, c := range []struct {
		what string
		made bool
	}{
		{"the kept state", b.prepared},
		{"the search index's state", b.search != nil && b.search.built && len(b.search.docs) == len(b.site.Posts)},
		{"the sitemap's entries", b.sitemapKept != nil && len(b.sitemapKept.posts) == len(b.site.Posts)},
		{"the pages that looked up each file", b.lookups != nil},
		{"the archive's check against the archive made whole", s.t == nil || s.verified || s.failed},
		{"the archive's year sections", s.t == nil || s.failed || len(s.years) > 0},
	} {
		if !c.made {
			t.Errorf("%s: %s is not made", step, c.what)
		}
	}
}
