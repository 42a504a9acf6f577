package render

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/siteblog/site/content"
)

// sitemapSite is a site of n posts, a day apart from 2024-01-01, post i
// tagged "tN" for N = i%3, with a page that has an update date.
func sitemapSite(n int) fstest.MapFS {
	fsys := fstest.MapFS{
		"site.toml":        {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n")},
		"content/about.md": {Data: []byte("---\ntitle: About\nupdated: 2024-04-01\n---\nAbout.\n")},
	}
	for i := range n {
		fsys[fmt.Sprintf("content/posts/p%03d.md", i)] = &fstest.MapFile{Data: sitemapPost(i, fmt.Sprintf("P%d", i), 0, fmt.Sprintf("t%d", i%3), "")}
	}
	return fsys
}

// sitemapPost is post i of sitemapSite with a title, its date moved by
// days, its tags and any more front matter.
func sitemapPost(i int, title string, days int, tags, more string) []byte {
	date := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i+days)
	return fmt.Appendf(nil, "---\ntitle: %s\ndate: %s\ntags: [%s]\n%s---\nText of post %d.\n", title, date.Format(time.RFC3339), tags, more, i)
}

// TestSitemapByParts saves the front matter of posts of a site whose
// sitemap holds several blocks of posts' entries, and checks, after every
// save, that the sitemap is a fresh build's, and that the save made again
// only the entries and blocks it changed: one entry (none for a title
// whose URL the post's url: keeps), and the blocks between the post's
// old and new place, not the site's.
func TestSitemapByParts(t *testing.T) {
	const n = 5*sitemapBlockSize + 7
	fsys := sitemapSite(n)
	p := preparedPipeline(t, fsys)
	// Posts are newest first: post i is at place n-1-i.
	steps := []struct {
		name    string
		post    int
		data    []byte
		entries int // the posts' entries made
		blocks  int // the blocks made
	}{
		{"a title", 100, sitemapPost(100, "Retitled", 0, "t1", ""), 1, 1},
		{"a title again", 100, sitemapPost(100, "Retitled again", 0, "t1", ""), 1, 1},
		{"a title of a post of the last block", 5, sitemapPost(5, "Old retitled", 0, "t2", ""), 1, 1},
		{"a title of the newest post", n - 1, sitemapPost(n-1, "Newest retitled", 0, fmt.Sprintf("t%d", (n-1)%3), ""), 1, 1},
		{"a url: that is the URL the title gave", 200, sitemapPost(200, "P200", 0, "t2", "url: /2024/07/p200/\n"), 0, 0},
		{"a title, the URL kept", 200, sitemapPost(200, "Another title", 0, "t2", "url: /2024/07/p200/\n"), 0, 0},
		{"a date a day later, past its neighbour", 150, sitemapPost(150, "P150", 1, "t0", ""), 1, 1},
		{"a date across a block", sitemapBlockSize*2 + 6, sitemapPost(sitemapBlockSize*2+6, "P", 3, "t1", ""), 1, 2},
		{"a date far later, becoming the newest", 10, sitemapPost(10, "P10", 2*n, "t1", ""), 1, 5},
		{"back again", 10, sitemapPost(10, "P10", 0, "t1", ""), 1, 5},
		{"a date in another zone, the same instant", 60, []byte("---\ntitle: P60\ndate: 2024-03-01T10:00:00+01:00\ntags: [t0]\n---\nText of post 60.\n"), 1, 1},
		{"an update date", 30, sitemapPost(30, "P30", 0, "t0", "updated: 2031-01-01\n"), 1, 1},
		{"a tag taken on", 40, sitemapPost(40, "P40", 0, "t1, t2", ""), 0, 0},
		{"a tag new to the site", 40, sitemapPost(40, "P40", 0, "t1, t2, fresh", ""), 0, 0},
		{"the new tag taken off", 40, sitemapPost(40, "P40", 0, "t1", ""), 0, 0},
	}
	s := func() *sitemapState { return p.renderer.last.sitemapKept }
	for _, st := range steps {
		name := fmt.Sprintf("content/posts/p%03d.md", st.post)
		fsys[name] = &fstest.MapFile{Data: st.data}
		fresh, freshRep, err := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}}).BuildMem()
		if err != nil {
			t.Fatalf("%s: a fresh build: %v", st.name, err)
		}
		fronts := p.frontBuilds
		entries, blocks := s().madeEntries, s().madeBlocks
		p.Changed(name)
		out, rep, err := p.BuildMem()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if rep.Files != freshRep.Files || rep.Pages != freshRep.Pages {
			t.Errorf("%s: %d files, %d pages; want a fresh build's %d files, %d pages",
				st.name, rep.Files, rep.Pages, freshRep.Files, freshRep.Pages)
		}
		if p.frontBuilds == fronts {
			t.Fatalf("%s: a full build, want one in place", st.name)
		}
		got, _ := out.File("sitemap.xml")
		want, _ := fresh.File("sitemap.xml")
		if string(got) != string(want) {
			t.Errorf("%s: sitemap.xml\n%s\nwant (a fresh build's)\n%s", st.name, got, want)
		}
		sameFilesAt(t, st.name, out, fresh)
		if d := s().madeEntries - entries; d != st.entries {
			t.Errorf("%s: %d posts' entries made again, want %d", st.name, d, st.entries)
		}
		if d := s().madeBlocks - blocks; d != st.blocks {
			t.Errorf("%s: %d blocks made again, want %d of %d", st.name, d, st.blocks, len(s().blocks))
		}
		if strings.Count(string(got), "<url>") != n+1+1+2+3+strings.Count(string(got), "/tags/fresh/") {
			t.Errorf("%s: %d entries", st.name, strings.Count(string(got), "<url>"))
		}
	}
}

// TestSitemapKeyFollowsBytes checks that the sitemap's key, a digest of
// its blocks rather than of its bytes, is the same for the same sitemap
// made whole and by parts, and another for another sitemap.
func TestSitemapKeyFollowsBytes(t *testing.T) {
	fsys := sitemapSite(2*sitemapBlockSize + 1)
	key := func() (string, Key) {
		p := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}})
		out, _, err := p.BuildMem()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := out.File("sitemap.xml")
		k, _ := out.keys.Get("sitemap.xml")
		return string(data), k
	}
	data1, key1 := key()
	fsys["content/posts/p005.md"] = &fstest.MapFile{Data: sitemapPost(5, "Five", 0, "t2", "")}
	data2, key2 := key()
	fsys["content/posts/p005.md"] = &fstest.MapFile{Data: sitemapPost(5, "P5", 0, "t2", "")}
	data3, key3 := key()
	if data1 == data2 || key1 == key2 {
		t.Errorf("a retitled post: the same sitemap or key (%v, %v)", data1 == data2, key1 == key2)
	}
	if data1 != data3 || key1 != key3 {
		t.Errorf("the same site again: another sitemap or key (%v, %v)", data1 != data3, key1 != key3)
	}
}

// TestArchiveByParts saves the front matter of posts of a site of three
// years, a post a day, and checks, after every save, that the archive is
// a fresh build's, and that the save executed again only the sections of
// the years it changed and the entries of the posts it changed (the post
// and the neighbours whose links changed), not the year's others.
func TestArchiveByParts(t *testing.T) {
	const n = 800 // 2024 to 2026
	fsys := sitemapSite(n)
	p := preparedPipeline(t, fsys)
	steps := []struct {
		name           string
		post           int
		data           []byte
		years, entries int // at most
	}{
		{"a title", 100, sitemapPost(100, "Retitled", 0, "t1", ""), 1, 3},
		{"a title again", 100, sitemapPost(100, "Retitled again", 0, "t1", ""), 1, 3},
		{"a date a day later", 500, sitemapPost(500, "P500", 1, "t2", ""), 1, 5},
		{"a date into the next year", 365, sitemapPost(365, "P365", 2, "t2", ""), 2, 5},
		{"a tag taken on", 40, sitemapPost(40, "P40", 0, "t1, t2", ""), 1, 1},
		{"a date in a year no post has, after the others", n - 1, sitemapPost(n-1, "P799", 400, "t1", ""), 2, 5},
		{"back again", n - 1, sitemapPost(n-1, "P799", 0, "t1", ""), 1, 5},
		{"a date in a year no post has, before the others", 3, sitemapPost(3, "P3", -30, "t0", ""), 2, 5},
	}
	s := p.renderer.yearSplit
	if s.t == nil || s.np == 0 {
		t.Fatal("the default theme's archive is not split by year and by post")
	}
	for _, st := range steps {
		name := fmt.Sprintf("content/posts/p%03d.md", st.post)
		fsys[name] = &fstest.MapFile{Data: st.data}
		fresh, _, err := NewPipeline(fsys, PipelineOptions{Content: content.Options{Now: now}}).BuildMem()
		if err != nil {
			t.Fatalf("%s: a fresh build: %v", st.name, err)
		}
		fronts, years, entries := p.frontBuilds, s.madeYears, s.madeEntries
		p.Changed(name)
		out, _, err := p.BuildMem()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if p.frontBuilds == fronts {
			t.Fatalf("%s: a full build, want one in place", st.name)
		}
		sameFilesAt(t, st.name, out, fresh)
		if !s.verified || s.failed {
			t.Fatalf("%s: the archive is made whole", st.name)
		}
		if d := s.madeYears - years; d < 1 || d > st.years {
			t.Errorf("%s: %d years' sections executed, want 1 to %d", st.name, d, st.years)
		}
		if d := s.madeEntries - entries; d < 1 || d > st.entries {
			t.Errorf("%s: %d posts' entries executed, want 1 to %d", st.name, d, st.entries)
		}
	}
}

// preparedPipeline builds fsys once and prepares the next builds in place.
func preparedPipeline(t *testing.T, fsys fstest.MapFS) *Pipeline {
	t.Helper()
	p := builtPipeline(t, fsys, PipelineOptions{Content: content.Options{Now: now}})
	p.PrepareRebuild()
	return p
}

// builtPipeline returns a pipeline of fsys that has built it once.
func builtPipeline(t *testing.T, fsys fs.FS, opts PipelineOptions) *Pipeline {
	t.Helper()
	p := NewPipeline(fsys, opts)
	if _, _, err := p.BuildMem(); err != nil {
		t.Fatal(err)
	}
	return p
}
