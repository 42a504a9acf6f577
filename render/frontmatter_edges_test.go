package render

// Sequences of front-matter saves beyond TestPipelineFrontMatter's, each
// compared after every save with a fresh full build (editsMatchFreshBuilds).

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
)

// An edgeEdit writes data to file, or removes file when data is "".
type edgeEdit struct {
	file, data string
}

// edgePost is a post of front matter fm and body.
func edgePost(fm, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\n" + fm + "\n---\n" + body + "\n")}
}

// editsMatchFreshBuilds makes each edit in turn in a preview's pipeline
// and checks the build against a fresh one of the same files; twice,
// with BuildMem and with BuildMemShown (whose first step is checked
// with shownFirst).
func editsMatchFreshBuilds(t *testing.T, fsys fstest.MapFS, opts PipelineOptions, edits []edgeEdit) {
	t.Helper()
	type run struct {
		p             *Pipeline
		shown         bool
		prev          *MemOutput
		prevRep       *Report
		early         *MemOutput // the first step's output of a build with shown
		earlyRep      *Report
		reused, fasts int
	}
	var runs []*run
	for _, shown := range []bool{false, true} {
		p := NewPipeline(fsys, opts)
		prev, prevRep, err := p.BuildMem()
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, &run{p: p, shown: shown, prev: prev, prevRep: prevRep})
	}
	for i, e := range edits {
		if e.data == "" {
			delete(fsys, e.file)
		} else {
			fsys[e.file] = &fstest.MapFile{Data: []byte(e.data)}
		}
		fresh, freshRep, freshErr := NewPipeline(fsys, opts).BuildMem()
		for _, r := range runs {
			p := r.p
			p.Changed(e.file)
			fast := p.frontBuilds
			r.early, r.earlyRep = nil, nil
			out, rep, err := buildFunc(p, r.shown, &r.early, &r.earlyRep)()
			name := fmt.Sprintf("step %d (%s), shown=%v", i, e.file, r.shown)
			if (err == nil) != (freshErr == nil) {
				t.Fatalf("%s: err %v fresh %v", name, err, freshErr)
			}
			if err != nil {
				t.Logf("%s: fails: %v", name, err)
				if r.early != nil {
					r.prev, r.prevRep = r.early, r.earlyRep
				}
				continue
			}
			t.Logf("%s: fast=%v", name, p.frontBuilds > fast)
			sameFilesAt(t, name, out, fresh)
			if got, want := fmt.Sprint(rep.Warnings), fmt.Sprint(freshRep.Warnings); got != want {
				t.Errorf("%s: warnings\n  %s\nwant\n  %s", name, got, want)
			}
			if got, want := fmt.Sprint(rep.Stats.Posts, rep.Stats.Tags, rep.Stats.Files, rep.Stats.Pages, rep.Stats.Drafts), fmt.Sprint(freshRep.Stats.Posts, freshRep.Stats.Tags, freshRep.Stats.Files, freshRep.Stats.Pages, freshRep.Stats.Drafts); got != want {
				t.Errorf("%s: stats %s, want %s", name, got, want)
			}
			if got, want := fmt.Sprint(rep.Redirects), fmt.Sprint(freshRep.Redirects); got != want {
				t.Errorf("%s: redirects %s, want %s", name, got, want)
			}
			if r.early != nil {
				shownFirst(t, name, r.earlyRep, rep, r.prev, r.early, e.file)
				movedPosts(t, name, r.prevRep, r.earlyRep)
				r.prev = r.early
			} else {
				movedPosts(t, name, r.prevRep, rep)
			}
			checkReport(t, name, rep, r.prev, out)
			r.prev, r.prevRep = out, rep
			r.reused, r.fasts = rep.Reused, p.frontBuilds-fast
		}
		if a, b := runs[0], runs[1]; a.reused != b.reused || a.fasts != b.fasts {
			t.Errorf("step %d (%s): %d files reused, %d builds of front matter in place; with shown %d, %d", i, e.file, a.reused, a.fasts, b.reused, b.fasts)
		}
	}
}

// fmFile is a post's file of front matter s and body.
func fmFile(s, body string) string { return "---\n" + s + "\n---\n" + body + "\n" }

// postEdit is the edit that writes content/posts/name with front matter
// fm and body.
func postEdit(name, fm, body string) edgeEdit {
	return edgeEdit{"content/posts/" + name, fmFile(fm, body)}
}

// Posts that share a date.
func TestFrontMatterEdgeSameDate(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	editsMatchFreshBuilds(t, frontMatterSite(), opts, []edgeEdit{
		{"content/posts/c.md", fmFile("title: C\ndate: 2024-03-01\ntags: [x]", "Gamma cherry.")},
		{"content/posts/c.md", fmFile("title: Zed\ndate: 2024-03-01\ntags: [x]", "Gamma cherry.")},
		{"content/posts/c.md", fmFile("title: AAA\ndate: 2024-03-01\ntags: [x]", "Gamma cherry.")},
		{"content/posts/d.md", fmFile("title: D\ndate: 2024-02-01\ntags: [y]", "Delta date.")},
		{"content/posts/d.md", fmFile("title: D\ndate: 2024-03-01\ntags: [y]", "Delta date.")},
	})
}

// A post that becomes a year's only post, and a year left empty.
func TestFrontMatterEdgeYearAlone(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	editsMatchFreshBuilds(t, frontMatterSite(), opts, []edgeEdit{
		{"content/posts/c.md", fmFile("title: C\ndate: 2022-02-01\ntags: [x]", "Gamma cherry.")},
		{"content/posts/c.md", fmFile("title: C\ndate: 2025-02-01\ntags: [x]", "Gamma cherry.")},
		{"content/posts/a.md", fmFile("title: A\ndate: 2024-11-01\ntags: [x]", "Alpha apple.")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2024-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana, see [C](/2024/02/c/).")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana, see [C](/2024/02/c/).")},
	})
}

// Tags that differ only in case.
func TestFrontMatterEdgeTagCase(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	editsMatchFreshBuilds(t, frontMatterSite(), opts, []edgeEdit{
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [X]", "Gamma grape.")},
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [x, X]", "Gamma grape.")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\ntags: [Newt]", "Phi fig.")},
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [newt]", "Gamma grape.")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\ntags: [NEWT]", "Phi fig.")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01", "Phi fig.")},
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [x]", "Gamma grape.")},
	})
}

// A date moved into the future and back.
func TestFrontMatterEdgeFuture(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	editsMatchFreshBuilds(t, frontMatterSite(), opts, []edgeEdit{
		{"content/posts/f.md", fmFile("title: F\ndate: 2099-05-01", "Phi fig.")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01", "Phi fig.")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\ndraft: true", "Phi fig.")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01", "Phi fig.")},
	})
}

// Aliases moved onto other pages' URLs, and relative aliases.
func TestFrontMatterEdgeAliases(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	editsMatchFreshBuilds(t, frontMatterSite(), opts, []edgeEdit{
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/2024/02/c/]", "Beta banana, see [C](/2024/02/c/).")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/about/]", "Beta banana.")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/tags/x/]", "Beta banana.")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana.")},
		{"content/posts/c.md", fmFile("title: C\ndate: 2024-02-01\ntags: [x]\nurl: /old-b/", "Gamma cherry.")},
		{"content/posts/c.md", fmFile("title: C\ndate: 2024-02-01\ntags: [x]", "Gamma cherry.")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/x/]", "Beta banana, see [X](/x/).")},
		{"content/posts/c.md", fmFile("title: C\ndate: 2024-02-01\ntags: [x]\naliases: [/x2/]", "Gamma cherry [x](/x2/) [b](/x/).")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/x3/]", "Beta banana, see [X](/x/).")},
	})
}

// withTheme adds a theme "mine" of files (under templates/) to fsys.
func withTheme(fsys fstest.MapFS, files map[string]string) fstest.MapFS {
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("theme = \"mine\"\n" + string(fsys["site.toml"].Data))}
	for n, d := range files {
		fsys["themes/mine/templates/"+n] = &fstest.MapFile{Data: []byte(d)}
	}
	return fsys
}

// A post page shows the count of its first tag, through a variable
// assigned in an {{if}}.
func TestFrontMatterEdgeTmplAssignInIf(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := withTheme(frontMatterSite(), map[string]string{"post.html": `{{define "main"}}{{with .Post}}<h1>{{.Title}}</h1>{{$t := $.Tag}}{{if .Tags}}{{$t = index .Tags 0}}{{end}}{{with $t}}<p>{{.Name}}: {{.Count}}</p>{{end}}{{.Content}}{{end}}{{end}}`})
	editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\ntags: [x]", "Phi fig.")},
	})
}

// The same through a range that remembers the last tag.
func TestFrontMatterEdgeTmplAssignInRange(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := withTheme(frontMatterSite(), map[string]string{"post.html": `{{define "main"}}{{with .Post}}<h1>{{.Title}}</h1>{{$t := $.Tag}}{{range .Tags}}{{$t = .}}{{end}}{{with $t}}<p>{{.Name}}: {{.Count}}</p>{{end}}{{.Content}}{{end}}{{end}}`})
	editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\ntags: [x]", "Phi fig.")},
	})
}

// A post whose front matter grew, then a link of it broken by another
// post's move: the warning's line.
func TestFrontMatterEdgeWarningLine(t *testing.T) {
	for _, full := range []bool{false, true} {
		t.Run(fmt.Sprint("full=", full), func(t *testing.T) {
			opts := PipelineOptions{Content: content.Options{Now: now}}
			g := "title: G\ndate: 2024-06-01\ntags: [x]\nsummary: S.\nsubtitle: T"
			if full {
				g = "title: G\ndate: 2024-06-01\ntags: [x, brand]\nsummary: S.\nsubtitle: T" // a new tag...
			}
			editsMatchFreshBuilds(t, frontMatterSite(), opts, []edgeEdit{
				{"content/posts/g.md", fmFile(g, "Gamma grape, see [C](/2024/02/c/).")},
				{"content/posts/c.md", fmFile("title: C\ndate: 2024-02-01\ntags: [x]\nslug: c2", "Gamma cherry.")},
			})
		})
	}
}

// A link's warning after a save of its post.
func TestFrontMatterEdgeWarningLine2(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	editsMatchFreshBuilds(t, frontMatterSite(), opts, []edgeEdit{
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [x]", "Gamma grape, see [C](/2024/02/c/).")},
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [x]\nsummary: S.\nsubtitle: T", "Gamma grape, see [C](/2024/02/c/).")},
		{"content/posts/c.md", fmFile("title: C\ndate: 2024-02-01\ntags: [x]\nslug: c2", "Gamma cherry.")},
	})
}

// A link's warning after another post moves.
func TestFrontMatterEdgeWarningLine3(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	editsMatchFreshBuilds(t, frontMatterSite(), opts, []edgeEdit{
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [x]\nsummary: S.\nsubtitle: T", "Gamma grape, see [C](/2024/02/c/).")},
		{"content/posts/g.md", fmFile("title: E\ndate: 2024-04-01", "Gamma grape, see [C](/2024/02/c/).")},
		{"content/posts/c.md", fmFile("title: C\ndate: 2024-02-01\ntags: [x]\nslug: c2", "Gamma cherry.")},
	})
}

// post.html redefines a partial of _mine.html; cached executes the
// partial's own definition, which shows counts.
func TestFrontMatterEdgeTmplCachedRedefined(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := withTheme(frontMatterSite(), map[string]string{
		"_mine.html": `{{define "chips"}}{{range .Tags}}<b>{{.Name}} {{.Count}}</b>{{end}}{{end}}`,
		"post.html":  `{{define "chips"}}{{range .Tags}}<i>{{.Name}}</i>{{end}}{{end}}{{define "main"}}{{with .Post}}<h1>{{.Title}}</h1>{{template "chips" .}}{{cached "chips" .}}{{.Content}}{{end}}{{end}}`,
	})
	editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\ntags: [x]", "Phi fig.")},
	})
}

// A save that fails in a template after the fast path has begun.
func TestFrontMatterEdgeFailMidway(t *testing.T) {
	for _, search := range []bool{false, true} {
		opts := PipelineOptions{Content: content.Options{Now: now}}
		editsMatchFreshBuilds(t, failingSite(search), opts, []edgeEdit{
			{"content/posts/f.md", fmFile("title: Boom\ndate: 2024-02-15\ntags: [x, zz]", "Phi fig.")},
			{"content/posts/c.md", fmFile("title: C2\ndate: 2024-02-01\ntags: [y]", "Gamma cherry.")},
			{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01", "Phi fig.")},
			{"content/posts/f.md", fmFile("title: Boom\ndate: 2023-01-15\ntags: [x, zz]", "Phi fig.")},
			{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\ntags: [y]", "Phi fig.")},
			{"content/posts/d.md", fmFile("title: D\ndate: 2024-03-01\ntags: [y, x]", "Delta date.")},
		})
	}
}

// Links to files that come and go with a tag's pages.
func TestFrontMatterEdgeLinksToTagFiles(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := frontMatterSite()
	fsys["content/about.md"] = edgePost("title: About", "See [b](/tags/brand/), [f](/tags/brand/feed.xml), [p](/tags/x/page/3/), [q](/tags/x/page/3), [y2](/tags/y/page/2/), [r](/tags/brand/page/1/), [a](/old-b/), [img](/2024/06/g/pic.png) [up](/2024/06/gee/)")
	editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\ntags: [brand, x]", "Phi fig.")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\ntags: [y]", "Phi fig.")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/older-b/]", "Beta banana.")},
		{"content/posts/g.md", fmFile("title: Gee\ndate: 2024-06-01\ntags: [x]", "Gamma grape.")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01", "Phi fig.")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana.")},
	})
}

// A post retitled that keeps its old URL as an alias, in one save.
func TestFrontMatterEdgeRetitleWithAlias(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	editsMatchFreshBuilds(t, frontMatterSite(), opts, []edgeEdit{
		{"content/posts/b.md", fmFile("title: B2\ndate: 2023-12-01\ntags: [y, x]\naliases: [/2023/12/b/]", "Beta banana, see [C](/2024/02/c/).")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/2023/12/b2/]", "Beta banana, see [C](/2024/02/c/).")},
		{"content/posts/b.md", fmFile("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana, see [C](/2024/02/c/).")},
	})
}

// A page whose Liquid lists the site's posts; a post retitled.
func TestFrontMatterEdgeLiquidSitePosts(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := frontMatterSite()
	fsys["content/about.md"] = edgePost("title: About", "Posts: {% for p in site.posts %}{{ p.title }}, {% endfor %}")
	fsys["content/posts/a.md"] = edgePost("title: A\ndate: 2023-11-01\ntags: [x]", "Alpha apple. {{ site.posts.size }} {% for p in site.posts %}{{ p.title }}, {% endfor %}")
	editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
		{"content/posts/c.md", fmFile("title: C edited\ndate: 2024-02-01\ntags: [x]", "Gamma cherry.")},
		{"content/posts/c.md", fmFile("title: C edited\ndate: 2024-02-01\ntags: [x, brandnew]", "Gamma cherry.")},
	})
}

// Zola's @/ links and Hugo's ref to a post whose URL changes.
func TestFrontMatterEdgeInternalLinks(t *testing.T) {
	for _, body := range []string{"See [C](@/posts/c.md).", `See [C]({{< ref "posts/c.md" >}}) and {{< relref "c.md" >}}.`, "See [C]({% post_url c %})."} {
		t.Run(body, func(t *testing.T) {
			opts := PipelineOptions{Content: content.Options{Now: now}}
			fsys := frontMatterSite()
			fsys["content/about.md"] = edgePost("title: About", body)
			fsys["content/posts/g.md"] = edgePost("title: G\ndate: 2024-06-01\ntags: [x]", body)
			editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
				{"content/posts/c.md", fmFile("title: C\ndate: 2024-02-01\ntags: [x]\nslug: c2", "Gamma cherry.")},
				{"content/posts/c.md", fmFile("title: C edited\ndate: 2024-02-01\ntags: [x]", "Gamma cherry.")},
				{"content/posts/c.md", fmFile("title: C edited\ndate: 2024-03-05\ntags: [x]", "Gamma cherry.")},
			})
		})
	}
}

// updated, toc, authors, image and the time of day.
func TestFrontMatterEdgeOtherFields(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := frontMatterSite()
	fsys["static/pic.png"] = &fstest.MapFile{Data: []byte("\x89PNG\r\n\x1a\n")}
	editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\nupdated: 2024-07-01", "Phi fig.\n\n## One\n\n## Two")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\nupdated: 2024-08-01\ntoc: true", "Phi fig.\n\n## One\n\n## Two")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\nlastmod: 2024-09-01\ndescription: Desc", "Phi fig.\n\n## One\n\n## Two")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01T13:00:00Z\nauthors: [Ann, Bob]\nimage: /pic.png", "Phi fig.\n\n## One\n\n## Two")},
		{"content/posts/f.md", fmFile("title: F\ndate: 2024-05-01\nimage: /pic.png\nlang: de", "Phi fig.\n\n## One\n\n## Two")},
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [x]\nupdated: 2025-01-01", "Gamma grape.")},
		{"content/posts/g.md", fmFile("title: G\ndate: 2024-06-01\ntags: [x]", "Gamma grape.")},
	})
}

// Posts written in their own offsets, on a site without a time zone:
// the archive's years, in the posts' own offsets, need not go down in
// the posts' order (newest first, by instant).
func TestFrontMatterEdgeYearsInOffsets(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := frontMatterSite()
	delete(fsys, "content/posts/h.md")
	editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
		{"content/posts/c.md", fmFile("title: C\ndate: 2024-01-01T01:00:00+05:00\ntags: [x]", "Gamma cherry.")},
		{"content/posts/a.md", fmFile("title: A\ndate: 2023-12-31T22:00:00Z\ntags: [x]", "Alpha apple.")},
		{"content/posts/d.md", fmFile("title: D edited\ndate: 2024-03-01\ntags: [y]", "Delta date.")},
		{"content/posts/b.md", fmFile("title: B edited\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana, see [C](/2024/02/c/).")},
		{"content/posts/a.md", fmFile("title: A again\ndate: 2023-12-31T22:00:00Z\ntags: [x]", "Alpha apple.")},
	})
}
