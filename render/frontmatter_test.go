package render

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
)

// frontMatterSite is a site of seven posts over two years, paginated by
// two, with tags, an alias, a link from one post to another, and a
// standalone page.
func frontMatterSite() fstest.MapFS {
	post := func(fm, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\n" + fm + "\n---\n" + body + "\n")}
	}
	return fstest.MapFS{
		"site.toml":          {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\npaginate = 2\n[feed]\nlimit = 3\n")},
		"content/posts/a.md": post("title: A\ndate: 2023-11-01\ntags: [x]", "Alpha apple."),
		"content/posts/b.md": post("title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", "Beta banana, see [C](/2024/02/c/)."),
		"content/posts/c.md": post("title: C\ndate: 2024-02-01\ntags: [x]", "Gamma cherry."),
		"content/posts/d.md": post("title: D\ndate: 2024-03-01\ntags: [y]", "Delta date."),
		"content/posts/e.md": post("title: E\ndate: 2024-04-01\ntags: [x, y]", "Epsilon elderberry.\n\n<!--more-->\n\nMore."),
		"content/posts/f.md": post("title: F\ndate: 2024-05-01", "Phi fig."),
		"content/posts/g.md": post("title: G\ndate: 2024-06-01\ntags: [x]", "Gamma grape."),
		"content/about.md":   post("title: About", "About [E](/2024/04/e/)."),
	}
}

// TestPipelineFrontMatter edits the front matter of posts, one kind of
// edit a step, and checks that a build of each brings the last build up
// to date (without planning the site again where the site keeps its
// shape) with the files, warnings and report of a fresh build, byte for
// byte.
func TestPipelineFrontMatter(t *testing.T) {
	type step struct {
		name string
		file string
		fm   string // the front matter written; the body stays
		fast bool   // whether the build follows the change without planning the site again
	}
	steps := []step{
		{"title of a post in the middle", "c.md", "title: C edited\ndate: 2024-02-01\ntags: [x]", true},
		{"title of the newest post", "g.md", "title: G edited\ndate: 2024-06-01\ntags: [x]", true},
		{"title back", "c.md", "title: C\ndate: 2024-02-01\ntags: [x]", true},
		{"a tag added", "d.md", "title: D\ndate: 2024-03-01\ntags: [y, x]", true},
		{"a tag removed", "d.md", "title: D\ndate: 2024-03-01\ntags: [y]", true},
		{"a tag for another", "a.md", "title: A\ndate: 2023-11-01\ntags: [y]", false}, // a was x's oldest post
		{"a tag for another, back", "a.md", "title: A\ndate: 2023-11-01\ntags: [x]", false},
		{"a tag for another, in the middle", "c.md", "title: C\ndate: 2024-02-01\ntags: [y]", true}, // x's list has a page less
		{"and back", "c.md", "title: C\ndate: 2024-02-01\ntags: [x]", true},
		{"a tag for a post without", "f.md", "title: F\ndate: 2024-05-01\ntags: [y]", true},
		{"and none again", "f.md", "title: F\ndate: 2024-05-01", true},
		{"a new tag", "d.md", "title: D\ndate: 2024-03-01\ntags: [y, brand new]", true},
		{"the new tag's text", "d.md", "title: D\ndate: 2024-03-01\ntags: [y, brand new]", false},
		{"the new tag gone", "d.md", "title: D\ndate: 2024-03-01\ntags: [y]", true},
		{"a tag left by its oldest post", "b.md", "title: B\ndate: 2023-12-01\ntags: [x, aa, zz]\naliases: [/old-b/]", false},
		{"the tag taken again, new ones gone", "b.md", "title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/old-b/]", true},
		{"two new tags for one of the site's", "g.md", "title: G edited\ndate: 2024-06-01\ntags: [aa, zz]", true},
		{"a new tag again, after tags came and went", "g.md", "title: G edited\ndate: 2024-06-01\ntags: [x, New]", true},
		{"its old tag only", "g.md", "title: G edited\ndate: 2024-06-01\ntags: [x]", true},
		{"a tag spelled otherwise", "d.md", "title: D\ndate: 2024-03-01\ntags: [Y]", true},
		{"the tags in another order", "e.md", "title: E\ndate: 2024-04-01\ntags: [y, x]", true},
		{"date moved within its page", "f.md", "title: F\ndate: 2024-05-02", true},
		{"date moved across a page boundary", "f.md", "title: F\ndate: 2024-02-15", true},
		{"date moved across a year", "c.md", "title: C\ndate: 2023-10-01\ntags: [x]", true},
		{"date moved to the newest", "a.md", "title: A\ndate: 2024-07-01\ntags: [x]", true},
		{"date back to the oldest", "a.md", "title: A\ndate: 2023-09-01\ntags: [x]", true},
		{"a summary", "d.md", "title: D\ndate: 2024-03-01\ntags: [y]\nsummary: A summary of D.", true},
		{"a draft", "d.md", "title: D\ndate: 2024-03-01\ntags: [y]\ndraft: true", false},
		{"a draft no more", "d.md", "title: D\ndate: 2024-03-01\ntags: [y]", false},
		{"a slug", "g.md", "title: G edited\ndate: 2024-06-01\ntags: [x]\nslug: gee", true},
		{"a url", "g.md", "title: G edited\ndate: 2024-06-01\ntags: [x]\nurl: /gee/", true},
		{"an alias changed", "b.md", "title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/older-b/]", true},
		{"an alias added", "b.md", "title: B\ndate: 2023-12-01\ntags: [y, x]\naliases: [/older-b/, /b/]", false},
		{"the target of a link retitled", "c.md", "title: C moved\ndate: 2023-10-01\ntags: [x]", true},
		{"the target of a working link moved", "e.md", "title: E\ndate: 2024-04-01\ntags: [y, x]\nslug: e2", true},
		{"and back", "e.md", "title: E\ndate: 2024-04-01\ntags: [y, x]", true},
		// A warning's line follows the front matter's number of lines.
		{"a broken link in a post's body", "g.md", "title: G edited\ndate: 2024-06-01\ntags: [x]\nurl: /gee/", false}, // its body only: rebuildBodies
		{"a line more in the front matter above the broken link", "g.md", "title: G edited\ndate: 2024-06-01\ntags: [x]\nurl: /gee/\nsubtitle: Gee", true},
		{"two lines fewer", "g.md", "title: G edited\ndate: 2024-06-01\ntags: [x]", true},
		{"a line more in the front matter of a page linking to a post", "content/about.md", "title: About\nsubtitle: Us", false},
		{"the target of a working link moved, below the page's longer front matter", "e.md", "title: E\ndate: 2024-04-01\ntags: [y, x]\nslug: e2", true},
		{"and back again", "e.md", "title: E\ndate: 2024-04-01\ntags: [y, x]", true},
		{"a share card image that is not there", "f.md", "title: F\ndate: 2024-02-15\nimage: nothere.png", true},
		{"parameters", "f.md", "title: F\ndate: 2024-02-15\nimage: nothere.png\nsubtitle: Fine", true},
		{"a title taken by another post", "f.md", "title: E\ndate: 2024-04-01", false},
		{"the title given back", "f.md", "title: F\ndate: 2024-02-15", false},
		{"a URL the site uses itself, which fails", "f.md", "title: F\ndate: 2024-02-15\nurl: /feed.xml", false},
		{"a URL another post has, which fails", "f.md", "title: F\ndate: 2024-02-15\nurl: /2024/04/e/", false},
		{"a URL fixed", "f.md", "title: F\ndate: 2024-02-15", false},
	}
	// The steps that write a body too; the others keep the file's.
	bodies := map[string]string{"a broken link in a post's body": "Gamma grape.\nSee [gone](/nowhere/).\n"}
	// A build that fails leaves the last good build, and the next one
	// plans the site again.
	deep := strings.Repeat("> ", 120) + "deep\n"
	steps = append(steps,
		step{"a title, and a body that fails", "e.md", "title: E failing\ndate: 2024-04-01\ntags: [y, x]", false},
		step{"the body fixed", "e.md", "title: E\ndate: 2024-04-01\ntags: [y, x]", false},
		step{"and its date", "e.md", "title: E\ndate: 2024-04-02\ntags: [y, x]", true},
	)
	for _, run := range []struct{ drafts, shown bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		drafts := run.drafts
		t.Run(fmt.Sprintf("drafts=%v/shown=%v", drafts, run.shown), func(t *testing.T) {
			fsys := frontMatterSite()
			opts := PipelineOptions{Content: content.Options{Now: now, Drafts: drafts}}
			p := NewPipeline(fsys, opts)
			prev, prevRep, err := p.BuildMem()
			if err != nil {
				t.Fatal(err)
			}
			// With shown, the builds show the post's page first
			// (BuildMemShown), and report the rest relative to that.
			var shownOut *MemOutput
			var shownRep *Report
			build := p.BuildMem
			if run.shown {
				build = func() (*MemOutput, *Report, error) {
					return p.BuildMemShown(func(out *MemOutput, rep *Report) {
						if shownOut != nil {
							t.Errorf("shown called twice")
						}
						shownOut, shownRep = out, rep
					})
				}
			}
			nowhere := false // whether g.md links to /nowhere/ yet
			for _, s := range steps {
				name := s.file
				if !strings.HasPrefix(name, "content/") {
					name = "content/posts/" + name
				}
				_, body, _ := strings.Cut(string(fsys[name].Data), "\n---\n")
				body = strings.TrimPrefix(body, deep)
				if strings.HasSuffix(s.name, "fails") {
					body = deep + body
				}
				if b, ok := bodies[s.name]; ok {
					body = b
				}
				fsys[name] = &fstest.MapFile{Data: []byte("---\n" + s.fm + "\n---\n" + body)}
				p.Changed(name)
				fast, bodyBuilds := p.frontBuilds, p.bodyBuilds
				shownOut, shownRep = nil, nil
				out, rep, err := build()
				fresh, freshRep, freshErr := NewPipeline(fsys, opts).BuildMem()
				if (err == nil) != (freshErr == nil) || (err != nil && err.Error() != freshErr.Error()) {
					t.Fatalf("%s: error %v, a fresh build's %v", s.name, err, freshErr)
				}
				if err != nil {
					if !strings.HasSuffix(s.name, "fails") {
						t.Errorf("%s: %v", s.name, err)
					}
					continue
				}
				want := s.fast || (drafts && strings.HasPrefix(s.name, "a draft")) // drafts published, the post stays
				if got := p.frontBuilds > fast; got != want {
					t.Errorf("%s: followed without planning again: %v, want %v", s.name, got, want)
				}
				sameFilesAt(t, s.name, out, fresh)
				if got, want := fmt.Sprint(rep.Warnings), fmt.Sprint(freshRep.Warnings); got != want {
					t.Errorf("%s: warnings\n  %s\nwant\n  %s", s.name, got, want)
				}
				if broken := strings.Contains(fmt.Sprint(rep.Warnings), "/2024/04/e/ not found"); broken != strings.HasPrefix(s.name, "the target of a working link moved") {
					t.Errorf("%s: the link to /2024/04/e/ is broken: %v", s.name, broken)
				}
				nowhere = nowhere || bodies[s.name] != ""
				if warned := strings.Contains(fmt.Sprint(rep.Warnings), "content/posts/g.md:"); warned != nowhere {
					t.Errorf("%s: g.md's link to /nowhere/ warned: %v, want %v", s.name, warned, nowhere)
				}
				if got, want := fmt.Sprint(rep.Stats.Posts, rep.Stats.Tags, rep.Stats.Files, rep.Stats.Pages, rep.Stats.Drafts), fmt.Sprint(freshRep.Stats.Posts, freshRep.Stats.Tags, freshRep.Stats.Files, freshRep.Stats.Pages, freshRep.Stats.Drafts); got != want {
					t.Errorf("%s: stats %s, want %s", s.name, got, want)
				}
				if got, want := fmt.Sprint(rep.Redirects), fmt.Sprint(freshRep.Redirects); got != want {
					t.Errorf("%s: redirects %s, want %s", s.name, got, want)
				}
				movedRep := rep
				if run.shown && (p.frontBuilds > fast || p.bodyBuilds > bodyBuilds) {
					if shownOut == nil {
						t.Fatalf("%s: a build in place did not show the saved page first", s.name)
					}
					shownFirst(t, s.name, shownRep, rep, prev, shownOut, name)
					if s.name == "title of a post in the middle" { // its neighbours link to it by title
						for _, page := range []string{"2024/03/d/index.html", "2023/12/b/index.html"} {
							if !slices.Contains(shownRep.Changed, page) {
								t.Errorf("%s: %s, a neighbour's page, not shown first: %v", s.name, page, shownRep.Written())
							}
						}
					}
					prev, movedRep = shownOut, shownRep
				} else if shownOut != nil {
					t.Errorf("%s: a full build showed %v first", s.name, shownRep.Written())
				}
				checkReport(t, s.name, rep, prev, out)
				if n := movedPosts(t, s.name, prevRep, movedRep); strings.HasPrefix(s.name, "title of") && n != 1 {
					t.Errorf("%s: the last build's report finds %d posts by a file this build removed, want the retitled one", s.name, n)
				}
				for name := range out.Files() {
					if pg := rep.Page(name); pg != nil && freshRep.Page(name) == nil {
						t.Errorf("%s: Page(%s) = %s, a fresh build's none", s.name, name, pg.Path)
					}
				}
				prev, prevRep = out, rep
			}
		})
	}
}

// shownFirst checks what a build in place showed first
// (Pipeline.BuildMemShown), early: the files the last build prev had,
// but for the saved page's own file (of its source file), and of a
// post's front matter its aliases and its neighbours' pages, as its
// report says, with the counts of its files; and that the rest of the
// build (rest, its report) made none of those again.
func shownFirst(t *testing.T, step string, early, rest *Report, prev, out *MemOutput, file string) {
	t.Helper()
	checkReport(t, step+" (shown first)", early, prev, out)
	if got, want := fmt.Sprint(early.Files, early.Pages), fmt.Sprint(len(out.Files()), countFunc(slices.Collect(maps.Keys(out.Files())), func(n string) bool { return strings.HasSuffix(n, ".html") })); got != want {
		t.Errorf("%s: shown first: files and pages %s, want %s", step, got, want)
	}
	saved, posts := false, 0
	for _, name := range early.Written() {
		pg := early.Page(name)
		switch {
		case pg != nil:
			posts++
			saved = saved || pg.Path == file
		case early.Redirects[name] != "":
		default:
			t.Errorf("%s: %s shown first, not a page's own file or a redirect", step, name)
		}
	}
	if !saved && posts > 0 {
		t.Errorf("%s: shown first %v, pages but not the saved one's", step, early.Written())
	}
	for _, name := range rest.Written() {
		if pg := rest.Page(name); pg != nil && pg.Path == file || slices.Contains(early.Written(), name) {
			t.Errorf("%s: %s made in the second step, after it was shown", step, name)
		}
	}
}

// movedPosts checks that each post the last build's report (last) still
// finds by a file this build (rep) removed, as it does after a build in
// place that moved the post, is at a file this build added; it returns
// how many there are.
func movedPosts(t *testing.T, step string, last, rep *Report) int {
	t.Helper()
	n := 0
	for _, name := range rep.Removed {
		if pg := last.Page(name); pg != nil && fileOf(pg.URL) != name {
			n++
			if !slices.Contains(rep.Added, fileOf(pg.URL)) {
				t.Errorf("%s: the last build's Page(%s) = %s, not a file this build added", step, name, pg.URL)
			}
		}
	}
	return n
}

// checkReport checks that a build's report names the files added,
// changed and removed between the builds prev and out.
func checkReport(t *testing.T, step string, rep *Report, prev, out *MemOutput) {
	t.Helper()
	var added, changed, removed []string
	for name, data := range out.Files() {
		old, ok := prev.Files()[name]
		switch {
		case !ok:
			added = append(added, name)
		case string(old) != string(data):
			changed = append(changed, name)
		}
	}
	for name := range prev.Files() {
		if _, ok := out.Files()[name]; !ok {
			removed = append(removed, name)
		}
	}
	for _, l := range []struct {
		what      string
		got, want []string
	}{{"added", rep.Added, added}, {"changed", rep.Changed, changed}, {"removed", rep.Removed, removed}} {
		slices.Sort(l.want)
		if strings.Join(l.got, " ") != strings.Join(l.want, " ") {
			t.Errorf("%s: %s:\n  %s\nwant:\n  %s", step, l.what, strings.Join(l.got, "\n  "), strings.Join(l.want, "\n  "))
		}
	}
}

// sameFilesAt is sameFiles naming the step, and where a file differs.
func sameFilesAt(t *testing.T, step string, got, want *MemOutput) {
	t.Helper()
	if len(got.Files()) != len(want.Files()) {
		t.Errorf("%s: %d files, want %d", step, len(got.Files()), len(want.Files()))
	}
	for name, data := range want.Files() {
		g := got.Files()[name]
		if string(g) == string(data) {
			continue
		}
		i := 0
		for i < len(g) && i < len(data) && g[i] == data[i] {
			i++
		}
		t.Errorf("%s: %s differs from a fresh build at byte %d:\n%q\nwant\n%q", step, name, i, g[max(0, i-80):min(len(g), i+80)], data[max(0, i-80):min(len(data), i+80)])
	}
}

// archiveSite is frontMatterSite with a theme whose archive.html is
// archive, or with the default theme if archive is "".
func archiveSite(archive string) fstest.MapFS {
	fsys := frontMatterSite()
	if archive != "" {
		fsys["site.toml"] = &fstest.MapFile{Data: []byte("theme = \"mine\"\n" + string(fsys["site.toml"].Data))}
		fsys["themes/mine/templates/archive.html"] = &fstest.MapFile{Data: []byte(archive)}
	}
	return fsys
}

// TestArchiveByYear checks that a rebuild after a front matter edit makes
// the archive by years where its templates allow, and whole where they
// do not, the same either way as a fresh build.
func TestArchiveByYear(t *testing.T) {
	tests := []struct {
		name    string
		archive string // the theme's archive.html; "" for the default theme's
		split   bool   // whether the templates split by year
		posts   bool   // and a year's section by post
		agree   bool   // whether the split archive is the whole one
	}{
		{"the default theme", "", true, true, true},
		{"sections by year", `{{define "main"}}<h1>{{.Title}}</h1>{{range .Years}}<section><h2>{{.Year}}</h2>{{range .Posts}}<a href="{{.URL}}">{{.Title}}</a>{{end}}</section>{{end}}{{end}}`, true, true, true},
		{"posts in an if", `{{define "main"}}{{range .Years}}<h2>{{.Year}}</h2>{{if .Posts}}<ul>{{range .Posts}}<li>{{.Title}}</li>{{end}}</ul>{{end}}{{end}}{{end}}`, true, true, true},
		{"two ranges over the posts", `{{define "main"}}{{range .Years}}<h2>{{.Year}}</h2>{{range .Posts}}<a href="{{.URL}}">{{.Title}}</a>{{end}}<p>{{range .Posts}}{{.URL}} {{end}}</p>{{end}}{{end}}`, true, false, true},
		{"posts in an attribute", `{{define "main"}}{{range .Years}}<h2 data-urls="{{range .Posts}}{{.URL}} {{end}}">{{.Year}}</h2>{{end}}{{end}}`, true, false, true},
		{"the root in a year", `{{define "main"}}{{range .Years}}<h2>{{$.Title}} {{.Year}}</h2>{{end}}{{end}}`, false, false, false},
		{"a range with else", `{{define "main"}}{{range .Years}}<h2>{{.Year}}</h2>{{else}}none{{end}}{{end}}`, false, false, false},
		{"years in an attribute", `{{define "main"}}<div data-years="{{range .Years}}<b>{{.Year}}</b>{{end}}"></div>{{end}}`, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := archiveSite(tt.archive)
			opts := PipelineOptions{Content: content.Options{Now: now}}
			p := builtPipeline(t, fsys, opts)
			for i, fm := range []string{"title: C edited\ndate: 2024-02-01\ntags: [x]", "title: C\ndate: 2025-02-01\ntags: [x]", "title: C\ndate: 2024-02-01\ntags: [x]"} {
				fsys["content/posts/c.md"] = &fstest.MapFile{Data: []byte("---\n" + fm + "\n---\nGamma cherry.\n")}
				p.Changed("content/posts/c.md")
				fast := p.frontBuilds
				out, _, err := p.BuildMem()
				if err != nil {
					t.Fatal(err)
				}
				if p.frontBuilds == fast {
					t.Fatalf("edit %d: the site was planned again", i)
				}
				fresh, _, err := NewPipeline(fsys, opts).BuildMem()
				if err != nil {
					t.Fatal(err)
				}
				sameFilesAt(t, fmt.Sprint("edit ", i), out, fresh)
			}
			s := p.renderer.yearSplit
			if split := s.t != nil; split != tt.split {
				t.Errorf("split by year: %v, want %v", split, tt.split)
			}
			if posts := s.np > 0; posts != tt.posts {
				t.Errorf("split by post: %v, want %v", posts, tt.posts)
			}
			if tt.split && (s.verified != tt.agree || s.failed == tt.agree) {
				t.Errorf("verified %v, failed %v; want the split archive to agree: %v", s.verified, s.failed, tt.agree)
			}
			if tt.agree && len(s.years) != 2 {
				t.Errorf("%d years kept, want 2 (2023, 2024)", len(s.years))
			}
			if tt.agree && tt.posts {
				kept := 0
				for _, c := range s.years {
					kept += len(c.posts)
				}
				if kept != 7 {
					t.Errorf("%d posts' entries kept, want 7", kept)
				}
			}
		})
	}
}

// TestArchiveKeptYears saves posts under an archive whose entries show
// what a save changes of other posts than the one saved (a neighbour's
// title, a tag's count, a summary), after saves that leave each year's
// section kept as it was made: the sections of the years a save touches
// through other posts are made again, as a fresh build shows them.
func TestArchiveKeptYears(t *testing.T) {
	opts := PipelineOptions{Content: content.Options{Now: now}}
	fsys := withTheme(frontMatterSite(), maps.Clone(bareTheme))
	fsys["themes/mine/templates/archive.html"] = &fstest.MapFile{Data: []byte(archiveOfAll)}
	editsMatchFreshBuilds(t, fsys, opts, []edgeEdit{
		// The years' sections are kept from these two saves on.
		postEdit("f.md", "title: F2\ndate: 2024-05-01", "Phi fig."),
		postEdit("f.md", "title: F3\ndate: 2024-05-01", "Phi fig."),
		// Counts of x, which a and b of 2023 show.
		postEdit("g.md", "title: G\ndate: 2024-06-01", "Gamma grape."),
		// The title of c, b's newer neighbour.
		postEdit("c.md", "title: C2\ndate: 2024-02-01\ntags: [x]", "Gamma cherry."),
		// The summary of a, its body saved.
		postEdit("a.md", "title: A\ndate: 2023-11-01\ntags: [x]", "Alpha apricot."),
	})
}

// TestArchiveSplitEdits edits posts' front matter under archive templates
// that split, by year or by post, and checks that each build's archive is
// a fresh build's, or that its error is a fresh build's.
func TestArchiveSplitEdits(t *testing.T) {
	c := func(fm string) [2]string { return [2]string{"content/posts/c.md", fm} }
	tests := []struct {
		name    string
		archive string
		edits   [][2]string // file, front matter
	}{
		{
			// The posts of a year to come are in a script: no year
			// has any when the split archive is checked.
			"posts in a script in an if",
			`{{define "main"}}{{range .Years}}<h2>{{.Year}}</h2>{{if eq .Year 2025}}<script>var t = [{{range .Posts}}{{.Title}},{{end}}];</script>{{end}}{{end}}{{end}}`,
			[][2]string{c("title: C\ndate: 2025-02-01\ntags: [x]"), c("title: C\ndate: 2024-02-01\ntags: [x]")},
		},
		{
			"a year to come in a title",
			`{{define "main"}}{{range .Years}}<h2>{{.Year}}</h2>{{if eq .Year 2025}}<textarea>{{range .Posts}}<b>{{.Title}}</b>{{end}}</textarea>{{end}}{{end}}{{end}}`,
			[][2]string{c("title: C\ndate: 2025-02-01\ntags: [x]")},
		},
		{
			// With the post's parameters as dot, .Posts is no post list.
			"posts under a with",
			`{{define "main"}}{{range .Years}}<h2>{{.Year}}</h2>{{with (index .Posts 0).Params}}{{range .Posts}}<li>{{.}}</li>{{end}}{{end}}{{end}}{{end}}`,
			[][2]string{c("title: C edited\ndate: 2024-02-01\ntags: [x]")},
		},
		{
			// The archive is scrubbed whole when a part of it needs
			// it: here what is around the years' sections.
			"a control character around the years",
			"{{define \"main\"}}<p>\x01</p>{{range .Years}}<h2>{{.Year}}</h2>{{range .Posts}}<a href=\"{{.URL}}\">{{.Title}}</a>{{end}}{{end}}{{end}}",
			[][2]string{c("title: C edited\ndate: 2024-02-01\ntags: [x]"), c("title: C\ndate: 2023-02-01\ntags: [x]")},
		},
		{
			"a control character in a year's section",
			"{{define \"main\"}}{{range .Years}}<h2>{{.Year}}\x01</h2>{{range .Posts}}<a href=\"{{.URL}}\">{{.Title}}</a>{{end}}{{end}}{{end}}",
			[][2]string{c("title: C edited\ndate: 2024-02-01\ntags: [x]"), c("title: C\ndate: 2023-02-01\ntags: [x]")},
		},
		{
			"a noncharacter in a post's entry",
			"{{define \"main\"}}{{range .Years}}<h2>{{.Year}}</h2>{{range .Posts}}<a href=\"{{.URL}}\">{{.Title}}\ufdd0</a>{{end}}{{end}}{{end}}",
			[][2]string{c("title: C edited\ndate: 2024-02-01\ntags: [x]")},
		},
		{
			// A character cut in two, its halves on either side of
			// a year's section's start: whole, it is UTF-8.
			"a character cut at a section",
			"{{define \"main\"}}<p>\xc3{{range .Years}}\xa9<h2>{{.Year}}</h2>{{range .Posts}}<a href=\"{{.URL}}\">{{.Title}}</a>{{end}}{{end}}</p>{{end}}",
			[][2]string{c("title: C edited\ndate: 2024-02-01\ntags: [x]"), c("title: C\ndate: 2023-02-01\ntags: [x]")},
		},
		{
			// The error is the archive's, wherever it happens.
			"an error in a post's entry",
			`{{define "main"}}{{range .Years}}<h2>{{.Year}}</h2>{{range .Posts}}<a href="{{.URL}}">{{.Title}}</a>{{if eq .Title "C broken"}}{{index .Tags 5}}{{end}}{{end}}{{end}}{{end}}`,
			[][2]string{c("title: C broken\ndate: 2024-02-01\ntags: [x]"), c("title: C\ndate: 2024-02-01\ntags: [x]")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := archiveSite(tt.archive)
			opts := PipelineOptions{Content: content.Options{Now: now}}
			p := builtPipeline(t, fsys, opts)
			for i, e := range tt.edits {
				fsys[e[0]] = &fstest.MapFile{Data: []byte("---\n" + e[1] + "\n---\nGamma cherry.\n")}
				p.Changed(e[0])
				out, _, err := p.BuildMem()
				fresh, _, ferr := NewPipeline(fsys, opts).BuildMem()
				if (err == nil) != (ferr == nil) || err != nil && err.Error() != ferr.Error() {
					t.Fatalf("edit %d: error %v, want a fresh build's %v", i, err, ferr)
				}
				if err != nil {
					continue
				}
				sameFilesAt(t, fmt.Sprint("edit ", i), out, fresh)
			}
		})
	}
}
