package render

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
)

// A save of pages' bodies shows the pages' own files first. A batch of a
// post whose reading time grows and of a standalone page, on a site with
// search: the first step's output is the last build but for those two
// files (its report says so), the second makes the rest (the lists and
// feeds, the search index) and nothing of the first again, and the
// whole is a fresh build's. A save whose page fails in the first step
// shows nothing, and leaves the last good build as it was.
func TestBodySaveShownFirst(t *testing.T) {
	withBody := func(fsys fstest.MapFS, name, body string) {
		fm, _, _ := strings.Cut(string(fsys[name].Data), "\n---\n")
		fsys[name] = &fstest.MapFile{Data: []byte(fm + "\n---\n" + body + "\n")}
	}
	opts := PipelineOptions{Content: content.Options{Now: now}}

	fsys := frontMatterSite()
	fsys["site.toml"].Data = append(fsys["site.toml"].Data, "[search]\nenabled = true\n"...)
	p := builtPipeline(t, fsys, opts)
	prev := p.last
	withBody(fsys, "content/posts/e.md", longBody(3)+"\n\n<!--more-->\n\nMore, and zebra.")
	withBody(fsys, "content/about.md", "About [E](/2024/04/e/), and quagga.")
	p.Changed("content/posts/e.md", "content/about.md")
	var early *MemOutput
	var earlyRep *Report
	bodies := p.bodyBuilds
	out, rep, err := p.BuildMemShown(func(out *MemOutput, rep *Report) { early, earlyRep = out, rep })
	if err != nil {
		t.Fatal(err)
	}
	if p.bodyBuilds != bodies+1 || early == nil {
		t.Fatalf("not a build of bodies in place (%d), or nothing shown first (%v)", p.bodyBuilds-bodies, early != nil)
	}
	if got, want := earlyRep.Written(), []string{"2024/04/e/index.html", "about/index.html"}; !slices.Equal(got, want) {
		t.Errorf("shown first %v, want %v", got, want)
	}
	checkReport(t, "shown first", earlyRep, prev, early)
	checkReport(t, "the rest", rep, early, out)
	for _, name := range earlyRep.Written() {
		if slices.Contains(rep.Written(), name) || out.unchanged(name) { // written again, the same
			t.Errorf("%s made in both steps", name)
		}
	}
	if !slices.Contains(rep.Written(), "tags/x/index.html") || !slices.ContainsFunc(rep.Written(), func(n string) bool { return strings.HasPrefix(n, "search/") }) {
		t.Errorf("the rest %v: not the post's tag's list and the search index (new words)", rep.Written())
	}
	fresh, err := BuildInMemory(fsys, opts.Content)
	if err != nil {
		t.Fatal(err)
	}
	sameFilesAt(t, "body save", out, fresh)

	fsys = failingSite(false) // a post page of more than a minute's reading fails
	p = builtPipeline(t, fsys, opts)
	prev = p.last
	withBody(fsys, "content/posts/d.md", longBody(1))
	p.Changed("content/posts/d.md")
	early, bodies = nil, p.bodyBuilds
	if _, _, err := p.BuildMemShown(func(out *MemOutput, _ *Report) { early = out }); err == nil {
		t.Fatal("a body save whose page fails built")
	}
	if p.bodyBuilds != bodies+1 || early != nil || p.last != prev {
		t.Errorf("a body save failed in its first step: in place %v, shown %v, the last good build kept %v", p.bodyBuilds > bodies, early != nil, p.last == prev)
	}
}
