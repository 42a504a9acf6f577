package render

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/themes"
)

// TestPrepareRebuild saves files of a site, one kind of save a step, in
// two pipelines: one that prepares the kept state after every build
// (Pipeline.PrepareRebuild, as the preview does), one that leaves it to
// the first build in place. Both must take the same path (in place or a
// full build) and make what a fresh build makes; after PrepareRebuild,
// the whole kept state is there, so that the first save makes none of it.
// Both keep the fragments of cached from build to build, which must
// show what a fresh build's do after every kind of save: of a post's
// body, its front matter, a post that comes or goes, the theme's
// partials, site.toml.
func TestPrepareRebuild(t *testing.T) {
	post := func(fm, body string) []byte { return []byte("---\n" + fm + "\n---\n" + body + "\n") }
	const full, body, front = pathFull, pathBody, pathFront
	const partials = "themes/mine/templates/_partials.html"
	steps := []struct {
		name, file string // file: a post under content/posts/, or a path in the site
		data       []byte // nil: the file is removed, unless edit is set
		edit       func(old []byte) []byte
		path       string // the build that follows: full, body or front
	}{
		{"a body", "b.md", post("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana, see [C](/2024/02/c/). Edited."), nil, body},
		{"a body with a word new to the site", "b.md", post("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana, see [C](/2024/02/c/). Quixotic zygote."), nil, body},
		{"a title", "c.md", post("title: C edited\ndate: 2024-02-01\ntags: [x]", "Gamma cherry."), nil, front},
		{"a tag added", "d.md", post("title: D\ndate: 2024-03-01\ntags: [y, x]", "Delta date."), nil, front},
		{"a tag new to the site", "d.md", post("title: D\ndate: 2024-03-01\ntags: [y, x, fresh]", "Delta date."), nil, front},
		{"a date across a year", "c.md", post("title: C edited\ndate: 2023-10-01\ntags: [x]", "Gamma cherry."), nil, front},
		{"a post added", "h.md", post("title: H\ndate: 2024-07-01\ntags: [y]", "Eta huckleberry."), nil, full},
		{"the new post's title", "h.md", post("title: H edited\ndate: 2024-07-01\ntags: [y]", "Eta huckleberry."), nil, front},
		{"the new post's body", "h.md", post("title: H edited\ndate: 2024-07-01\ntags: [y]", "Eta huckleberry, edited."), nil, body},
		{"a link to the new post", "a.md", post("title: A\ndate: 2023-11-01\ntags: [x]", "Alpha apple, see [H](/2024/07/h-edited/)."), nil, body},
		{"a tag removed", "d.md", post("title: D\ndate: 2024-03-01\ntags: [y, fresh]", "Delta date."), nil, front},
		{"a summary", "d.md", post("title: D\ndate: 2024-03-01\ntags: [y, fresh]\nsummary: The summary of D.", "Delta date."), nil, front},
		{"a draft", "e.md", post("title: E\ndate: 2024-04-01\ntags: [x, y]\ndraft: true", "Epsilon elderberry.\n\n<!--more-->\n\nMore."), nil, full},
		{"a draft no more", "e.md", post("title: E\ndate: 2024-04-01\ntags: [x, y]", "Epsilon elderberry.\n\n<!--more-->\n\nMore."), nil, full},
		{"a post removed", "h.md", nil, nil, full},
		{"the theme's partials", partials, nil, func(old []byte) []byte {
			return bytes.Replace(old, []byte(`<article class="summary h-entry">`), []byte(`<article class="summary h-entry edited">`), 1)
		}, full},
		{"the site's language", "site.toml", nil, func(old []byte) []byte { return append([]byte("language = \"fr\"\n"), old...) }, full},
		{"a body in the new language", "d.md", post("title: D\ndate: 2024-03-01\ntags: [y, fresh]\nsummary: The summary of D.", "Delta date, edited."), nil, body},
	}
	defaultPartials, err := fs.ReadFile(themes.Default, "templates/_partials.html")
	if err != nil {
		t.Fatal(err)
	}
	withCounts := bytes.Replace(defaultPartials, []byte(`{{template "tag-list" .Tags}}`),
		[]byte(`{{template "tag-list" .Tags}}{{range .Tags}}<span class="count">{{.Count}}</span>{{end}}`), 1)
	if bytes.Equal(withCounts, defaultPartials) {
		t.Fatal("the default theme's post-summary has no tag-list")
	}
	cases := []struct {
		name, archive string // the theme's archive.html; "" for the default theme's
		partials      []byte // its _partials.html
	}{
		{"the default theme", "", defaultPartials},
		// The archive split by year is not the archive made whole: every
		// save makes it whole.
		{"years in an attribute", `{{define "main"}}<div data-years="{{range .Years}}<b>{{.Year}}</b>{{end}}"></div>{{end}}`, defaultPartials},
		// Posts' cards that show their tags' counts: a post that takes
		// a tag on or off changes the cards of the tag's other posts.
		{"cards with their tags' counts", "", withCounts},
	}
	for _, th := range cases {
		for _, cached := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/body cache on disk=%v", th.name, cached), func(t *testing.T) {
				fsys := archiveSite(th.archive)
				if th.archive == "" { // the theme of the site's own, for its partials
					fsys["site.toml"] = &fstest.MapFile{Data: []byte("theme = \"mine\"\n" + string(fsys["site.toml"].Data))}
				}
				fsys[partials] = &fstest.MapFile{Data: th.partials}
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
					name := s.file
					if !strings.Contains(name, "/") && name != content.ConfigFile {
						name = "content/posts/" + name
					}
					switch {
					case s.edit != nil:
						fsys[name] = &fstest.MapFile{Data: s.edit(fsys[name].Data)}
					case s.data == nil:
						delete(fsys, name)
					default:
						fsys[name] = &fstest.MapFile{Data: s.data}
					}
					fresh, freshRep, err := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}}).BuildMem()
					if err != nil {
						t.Fatalf("%s: a fresh build: %v", s.name, err)
					}
					for _, p := range []*Pipeline{prepared, lazy} {
						which := "prepared"
						if p == lazy {
							which = "lazy"
						}
						before := countsOf(p)
						p.Changed(name)
						out, rep, err := p.BuildMem()
						if err != nil {
							t.Fatalf("%s, %s: %v", s.name, which, err)
						}
						path := before.pathTaken(p)
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

// The paths a build of a Pipeline can take, as pathTaken names them.
const (
	pathFull  = "full"
	pathBody  = "body"         // rebuildBodies
	pathFront = "front matter" // rebuildFrontMatter
)

// buildCounts are a Pipeline's counts of builds in place, read before a
// build to tell the path it takes (pathTaken).
type buildCounts struct{ bodies, fronts int }

func countsOf(p *Pipeline) buildCounts { return buildCounts{p.bodyBuilds, p.frontBuilds} }

// pathTaken names the path of p's build since c was read, which may
// have failed.
func (c buildCounts) pathTaken(p *Pipeline) string {
	switch {
	case p.bodyBuilds > c.bodies:
		return pathBody
	case p.frontBuilds > c.fronts:
		return pathFront
	}
	return pathFull
}
