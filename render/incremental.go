package render

import (
	"fmt"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/par"
)

// Work in proportion to the change
//
// A save in a preview usually changes the text of one post and nothing
// else: not its title, date, tags or URL, so not the site's shape (which
// posts each list shows, the tags, the pagination). For such a change the
// Renderer does not plan the site again. It keeps its last good build
// (the builder: the plan, every post's data, each planned file's key) and
// which planned files show each post (dependents; not a renderer for one
// build, PipelineOptions.OneBuild, which builds again whole).
// rebuildBodies then prepares the changed posts again (their body keys),
// computes the keys of the files that show them (the post's page, the
// lists and feeds that show its body, its search document) and of the
// search index, which it updates in place (searchState), and makes only
// the files whose key changed; every other file is kept from the
// previous build with its key. A change of a post's front matter is
// brought up to date in place too (rebuildFrontMatter, below). Anything
// else (a post added or removed, a static file, the theme, site.toml, a
// page whose body another engine's syntax expands: see the package doc's
// "The pipeline") is a full build, which plans everything again. Both
// builds in place make the saved pages' own files first, into an output
// of their own that a server may show (Pipeline.BuildMemShown), then the
// rest (remakeEarly).

// A bodyChange is a page of the last build whose source changed in its
// body only: the page as the last build has it, and as read again.
type bodyChange struct {
	old, now *content.Page
}

// onlyBodyChanged reports whether now, a page read again, differs from
// old, the last build's, in its body only: then the site's shape is
// the same.
func onlyBodyChanged(old, now *content.Page) bool {
	return old.Kind == now.Kind && old.Path == now.Path && old.URL == now.URL && old.Section == now.Section &&
		reflect.DeepEqual(old.Meta, now.Meta)
}

// canRebuildBodies reports whether the last build can be brought up to
// date by rebuildBodies: it succeeded, into out's previous build, no
// page of it is expanded (expansions follow other files), and the
// renderer keeps what such a build needs (not one for a single build,
// PipelineOptions.OneBuild).
func (r *Renderer) canRebuildBodies(out *MemOutput) bool {
	b := r.last
	return b != nil && !r.opts.oneBuild && out != nil && out.Prev != nil && out.Prev == b.out && len(b.expanded) == 0
}

// lastPage returns the page of the last build read from path, or nil.
func (r *Renderer) lastPage(path string) *content.Page {
	if r.last == nil {
		return nil
	}
	return r.last.byPath[path]
}

// rebuildBodies builds again the last build of the site with the bodies
// of some pages changed (see "Work in proportion to the change" above);
// warned are the content warnings of each page's new version, replacing
// its old ones (was). It builds in two steps, as rebuildFrontMatter
// does: the changed pages' own files into out, which it hands to shown
// with their report; then the rest (the lists and feeds that show them,
// those that show their metadata when that changed, the search
// documents and index) into a new MemOutput over out, which it returns
// with its report, relative to out.
func (r *Renderer) rebuildBodies(changes []bodyChange, was, warned content.Errors, out *MemOutput, shown func(*MemOutput, *Report)) (*MemOutput, *Report, error) {
	b := r.last
	r.last = nil // until this build succeeds
	defer b.dropHandOff()
	r.frags.start()
	defer r.frags.stop()
	b.out, b.errs = out, nil
	b.report = &Report{Config: r.cfg, Site: b.site}
	b.stats.Reused, b.stats.Warnings = 0, nil // Files and Pages are the last build's, until remake
	site := b.site
	site.Warnings = slices.DeleteFunc(site.Warnings, func(e *content.Error) bool { return slices.Contains(was, e) })
	site.Warnings = append(site.Warnings, warned...)
	defer r.opts.bodies.Flush()

	if b.search != nil && !b.search.built {
		b.buildSearchState() // of the bodies as they were
	}
	var gone, live []Key // body cache entries of the old and new versions
	affected, early := map[int]bool{}, map[int]bool{}
	for _, c := range changes {
		pg := c.old
		pd := b.posts[pg]
		oldKey, oldMeta := pd.key, pd.meta()
		gone = append(gone, oldKey, scanKey(oldKey), feedKey(oldKey))
		// The page's new source: same metadata, new body.
		pg.Body, pg.SummarySource, pg.Digest = c.now.Body, c.now.SummarySource, c.now.Digest
		pp := b.prepare(pg)
		if pp.x != nil {
			return nil, nil, errExpanded
		}
		pd.setPrepared(pp)
		b.readyPost(pg, pd)
		b.keysReset(pd)
		live = append(live, pd.key, scanKey(pd.key), feedKey(pd.key))
		if e := b.feedEntries[pg]; e != nil {
			delete(b.feedUsed, e)
			b.feedCache.Delete(feedEntryID{oldKey, pd.Permalink})
			b.feedEntry(pg)
		}
		for _, i := range b.dependents[pd] {
			affected[i] = true
		}
		if pd.meta() != oldMeta { // a reading time, say
			for _, i := range b.metaDependents[pd] {
				affected[i] = true
			}
		}
		early[pd.at] = true
	}
	for i := range early {
		delete(affected, i) // made in the first step
	}
	// The pages first, and shown.
	if len(b.errs) > 0 {
		return nil, nil, b.err()
	}
	r.opts.bodies.Replace(gone, live)
	gone, live = nil, nil
	out, _, remadeEarly, err := b.remakeEarly(out, early, []string{}, shown)
	if err != nil {
		return nil, nil, err
	}

	if b.search != nil {
		g, l := b.updateSearch(changes)
		gone, live = append(gone, g...), append(live, l...)
		for _, i := range b.search.places {
			if b.search.rewritten[b.plan[i].name] {
				affected[i] = true
			}
		}
	}
	if len(b.errs) > 0 {
		return nil, nil, b.err()
	}
	r.opts.bodies.Replace(gone, live)

	idx := make([]int, 0, len(affected))
	for i := range affected {
		idx = append(idx, i)
	}
	par.Do(len(idx), func(i int) { p := b.plan[idx[i]]; p.k = b.fileKey(p) })
	if len(b.errs) > 0 {
		return nil, nil, b.err()
	}
	dropped := []string{} // files of the last build that may be no more: the search index's
	if b.search != nil {
		dropped = append(dropped, b.search.was...)
	}
	remade, err := b.remake(out, affected, idx, dropped)
	if err != nil {
		return nil, nil, err
	}
	b.stats.Reused += b.stats.Files - remadeEarly - remade
	b.stats.Warnings = append(b.siteWarnings(), b.preCheck...)
	b.recheck = map[*content.Page]bool{}
	for _, c := range changes {
		b.recheck[c.old] = true
	}
	if b.search != nil && b.search.renamed {
		// A shard of the index came or went: the pages that looked
		// it up are checked again too.
		b.namesChanged = nil
		for _, name := range dropped {
			if b.byName[name] == nil {
				b.namesChanged = append(b.namesChanged, name)
			}
		}
		b.namesChanged = append(b.namesChanged, b.report.Added...)
	}
	if err := b.finish(); err != nil {
		return nil, nil, err
	}
	return out, b.report, nil
}

// remakeEarly is the first step of a build in place (rebuildBodies,
// rebuildFrontMatter): it makes into out the files of the plan at the
// places early, whose data is settled, with dropped the names of the
// last build's files that may be gone, and hands out and their report
// to shown. It returns the output the second step makes the rest into,
// over out, with the builder set to write its report; the first step's
// report; and the number of files it keyed again, made or reused by key
// (which the caller takes from the files to count those kept whole,
// Stats.Reused).
func (b *builder) remakeEarly(out *MemOutput, early map[int]bool, dropped []string, shown func(*MemOutput, *Report)) (*MemOutput, *Report, int, error) {
	idx := slices.Collect(maps.Keys(early))
	par.Do(len(idx), func(i int) { p := b.plan[idx[i]]; p.k = b.fileKey(p) })
	if len(b.errs) > 0 {
		return nil, nil, 0, b.err()
	}
	remade, err := b.remake(out, early, idx, dropped)
	if err != nil {
		return nil, nil, 0, err
	}
	rep := b.report
	rep.Stats = b.stats
	rep.Stats.Reused += b.stats.Files - remade
	rep.Stats.Redirects = b.redirects
	rep.Assets = b.assetFiles
	shown(out, rep)
	next := NewMemOutput(out)
	b.out, b.report = next, &Report{Config: b.cfg, Site: b.site}
	return next, rep, remade, nil
}

// errExpanded stops rebuildBodies when a page's new body is expanded by
// another engine's syntax: a full build is needed.
var errExpanded = fmt.Errorf("render: a changed page is expanded")

// Front matter
//
// A save that changes the front matter of a post (its title, date,
// summary, draft flag, URL, aliases' targets, parameters...) but not the
// site's shape (no post comes or goes, the post keeps its tags and its
// number of aliases: content.Loader.Update says which) is not planned
// again either. content.Loader.Update changes the post's Page in place
// and moves it in the site's lists; rebuildFrontMatter then brings the
// last good build up to date: the post's data, the links of its old and
// new neighbours, the pages of the lists whose posts changed (the index
// and its tags' lists, where the post left and where it came), the
// archive, the feeds that carry it, the sitemap when a URL or a date
// changed, the search documents whose number changed and the search
// index (by difference: the post's terms, and the documents that moved),
// its page and its aliases; it keys again the files that show a post
// whose data changed, and makes those whose key changed. The post's page,
// its aliases and its neighbours' pages are made first, into an output
// of their own, which a server may show before the rest is planned
// (Pipeline.BuildMemShown).

// errReplan stops rebuildFrontMatter when a change alters what the
// last build planned in a way it does not follow: a full build is
// needed.
var errReplan = fmt.Errorf("render: the site's shape changed")

// Kept state
//
// What the builds in place keep of the last build and bring up to date
// is made from the last full build, once: the search index's state
// (buildSearchState: every post's terms, the postings, the words'
// counts), the archive's year sections (archive.go), the sitemap's
// parts (sitemapKept, sitemap.go) and the pages that looked up each file name
// (lookedUp). A full build makes none of it, so that a build that is
// not followed by saves (`site build`, the production server) costs
// nothing more; prepareRebuild makes all of it, and a pipeline's owner
// that builds again after changes (the preview) calls it after each
// full build, off the request path (Pipeline.PrepareRebuild), so that
// the first save after the build costs what the later ones do. Without
// it, the first build in place makes what it needs: rebuildBodies the
// search index's state, rebuildFrontMatter (through prepareRebuild,
// before the site changes) all of it. A build in place that fails has
// changed it, and it is forgotten with the builder (Renderer.last is
// nil from the build's start): the next build is a full one.

// prepareRebuild makes the last build's kept state (see "Kept state"
// above) from the posts as the last build had them; it does nothing
// when that is made, or when there is no last build. It must run before
// the site changes (content.Loader.Update changes a post in place), and
// at no time with a build.
func (r *Renderer) prepareRebuild() {
	b := r.last
	if b == nil || b.prepared {
		return
	}
	if b.search != nil && !b.search.built {
		b.buildSearchState()
	}
	// The archive's sections of every year, as rebuildFrontMatter makes
	// the archive, and the one check against the archive made whole.
	archive := *b.plan[b.places.archive].data
	archive.Years = b.years()
	b.archive(&archive) // an error is the next build's to report, which makes the archive again
	if b.sitemapKept == nil {
		b.sitemapKept = &sitemapState{}
		b.sitemap(nil)
	}
	b.lookedUp()
	b.prepared = true
}

// rebuildFrontMatter builds again the last build of the site with the
// front matter of one post changed (ch: see "Front matter" above), in
// two steps: it makes the post's page, its aliases and its neighbours'
// pages into out, and calls shown with out and the report of those
// (relative to out's previous build); then it makes the rest into a new
// MemOutput over out, and returns that and its report (relative to out).
// The site (b.site) has already changed.
func (r *Renderer) rebuildFrontMatter(ch *content.PostChange, out *MemOutput, shown func(*MemOutput, *Report)) (*MemOutput, *Report, error) {
	b := r.last
	r.last = nil // until this build succeeds
	defer b.dropHandOff()
	pg := ch.Page
	pd := b.posts[pg]
	if pd == nil || len(pg.Aliases) != len(ch.Old.Aliases) || (b.search != nil && !b.search.built) {
		return nil, nil, errReplan
	}
	b.out, b.errs = out, nil
	b.report = &Report{Config: r.cfg, Site: b.site}
	b.stats.Reused, b.stats.Warnings = 0, nil // Files and Pages are the last build's, until remake
	defer r.opts.bodies.Flush()
	r.frags.start()
	defer r.frags.stop()

	u := &fmUpdate{builder: b, affected: map[int]bool{}, made: map[int]bool{}, changed: map[*PostData]bool{}, dropped: []string{}, early: map[int]bool{}}
	// The tags it left and took: their counts, the site's tags, a tag
	// that comes or goes.
	tags := slices.Clone(pg.Tags)
	for _, t := range ch.Old.Tags {
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	retagged := !slices.Equal(pg.Tags, ch.Old.Tags)
	var counted []*content.Tag // the tags whose count changed
	if retagged {
		for kind, use := range b.tagUse {
			if use.siteTags && kind != "tags" && kind != "tls" {
				return nil, nil, errReplan // every page of the kind may show the counts
			}
		}
		for _, t := range tags {
			td := b.tagData[t]
			switch {
			case td == nil:
				u.tagCame(t)
				continue
			case len(t.Posts) == 0:
				b.data.Tags = slices.DeleteFunc(b.data.Tags, func(d *TagData) bool { return d == td })
			case td.Count == len(t.Posts):
				continue
			}
			td.Count = len(t.Posts)
			counted = append(counted, t)
			if b.postTagCounts {
				for _, q := range t.Posts {
					resetKeys(b.posts[q])
					b.keysReset(b.posts[q])
					u.changed[b.posts[q]] = true
				}
			}
		}
		b.stats.Tags = len(b.site.Tags)
		b.setTagsKey()
		u.replace(b.places.tags, b.pagePlanned(b.plan[b.places.tags].data))
	}

	// The post's data.
	oldKey, oldPermalink := pd.key, pd.Permalink
	pp := b.prepare(pg)
	if pp.x != nil {
		return nil, nil, errExpanded
	}
	fresh := b.postData(pg)
	pd.Title, pd.URL, pd.Permalink, pd.Date, pd.Updated, pd.Draft = fresh.Title, fresh.URL, fresh.Permalink, fresh.Date, fresh.Updated, fresh.Draft
	pd.Author, pd.Authors, pd.Params, pd.Image, pd.showTOC = fresh.Author, fresh.Authors, fresh.Params, fresh.Image, fresh.showTOC
	pd.Tags = nil
	for _, t := range pg.Tags {
		pd.Tags = append(pd.Tags, b.tagData[t])
	}
	pd.setPrepared(pp)
	b.readyPost(pg, pd)
	b.keysReset(pd) // its years are made anew (yearsAfter), noted all the same
	u.changed[pd] = true
	if pd.key != oldKey {
		u.gone = append(u.gone, oldKey, scanKey(oldKey), feedKey(oldKey))
		u.live = append(u.live, pd.key, scanKey(pd.key), feedKey(pd.key))
	}
	if e := b.feedEntries[pg]; e != nil {
		delete(b.feedUsed, e)
		b.feedCache.Delete(feedEntryID{oldKey, oldPermalink})
		b.feedEntry(pg)
	}
	u.relink(ch)

	// Its page and its aliases.
	if !u.replace(pd.at, b.pagePlanned(b.postPage("post", pg))) {
		return nil, nil, errReplan
	}
	u.early[pd.at] = true
	if pg.URL != ch.Old.URL || !slices.Equal(pg.Aliases, ch.Old.Aliases) {
		b.redirects = maps.Clone(b.redirects) // the last build's report holds the map
		for _, a := range ch.Old.Aliases {
			delete(b.redirects, fileOf(a))
		}
		for i, a := range pg.Aliases {
			b.redirects[fileOf(a)] = b.url(pg.URL)
			if !u.replace(pd.aliasAt+i, b.redirectPlanned(fileOf(a), b.url(pg.URL), b.abs(pg.URL), aliasOrigin(pg, i))) {
				return nil, nil, errReplan
			}
			u.early[pd.aliasAt+i] = true
		}
	}

	// These first, and shown: the writer's page need not wait for the
	// files that list the post, which may be many more on a large site
	// (the pages of a tag's list, all moved one post on; the archive;
	// the search index when the post's number changed). What they show
	// is settled: the post's data, its neighbours' links, the tags'
	// counts.
	r.opts.bodies.Replace(u.gone, u.live)
	goneEarly, liveEarly := len(u.gone), len(u.live)
	out, earlyReport, remadeEarly, err := b.remakeEarly(out, u.early, u.dropped, shown)
	if err != nil {
		return nil, nil, err
	}
	droppedEarly := len(u.dropped)

	// The lists that show it, and those of the tags it left and took.
	u.relist(nil, min(ch.From, ch.To), max(ch.From, ch.To))
	for _, t := range tags {
		switch {
		case len(t.Posts) == 0:
			u.unlist(t)
		case !u.relist(t, 0, len(t.Posts)-1):
			return nil, nil, errReplan
		case slices.Contains(counted, t): // every page of its list shows its count
			for _, i := range b.places.lists[t] {
				u.affected[i] = true
			}
		}
	}
	archive := *b.plan[b.places.archive].data
	archive.Years = b.yearsAfter(archive.Years, ch)
	ap := b.pagePlanned(&archive)
	ap.make = func() ([]byte, error) {
		if html, ok, err := b.archive(&archive); ok || err != nil {
			return html, err // scrubbed
		}
		return b.makePage(nil, &archive)
	}
	u.replace(b.places.archive, ap)
	u.refeed(nil)
	for _, t := range tags {
		if len(t.Posts) > 0 {
			u.refeed(t)
		}
	}
	for _, t := range tags {
		if len(t.Posts) == 0 {
			delete(b.tagData, t)
		}
	}
	if retagged || pg.URL != ch.Old.URL || !sameInstant(pg.Date, ch.Old.Date) || !sameInstant(pg.Updated, ch.Old.Updated) {
		if b.sitemapKept == nil {
			b.sitemapKept = &sitemapState{}
		}
		u.replace(b.places.sitemap, b.sitemapPlanned(ch))
	}

	// The files that show a post whose data changed; the pages of lists
	// among them are made anew, for their descriptions.
	for q := range u.changed {
		for _, i := range b.dependents[q] {
			u.affected[i] = true
		}
		for _, i := range b.metaDependents[q] {
			u.affected[i] = true
		}
	}
	for i := range u.affected {
		if l := b.plan[i].list; l != nil && !u.made[i] {
			u.replace(i, u.listPlanned(l.tag, l.n))
		}
	}
	for i := range u.early {
		delete(u.affected, i) // made already
	}

	// The search index and documents: last, since the index's files may
	// come or go, after every file planned before them.
	if b.search != nil {
		u.research(ch)
		for _, i := range b.search.places {
			if b.search.rewritten[b.plan[i].name] {
				u.affected[i] = true
			}
		}
		u.dropped = append(u.dropped, b.search.was...)
	}
	if len(b.errs) > 0 {
		return nil, nil, b.err()
	}
	r.opts.bodies.Replace(u.gone[goneEarly:], u.live[liveEarly:])

	idx := make([]int, 0, len(u.affected))
	for i := range u.affected {
		idx = append(idx, i)
	}
	par.Do(len(idx), func(i int) { p := b.plan[idx[i]]; p.k = b.fileKey(p) })
	if len(b.errs) > 0 {
		return nil, nil, b.err()
	}
	remade, err := b.remake(out, u.affected, idx, u.dropped[droppedEarly:])
	if err != nil {
		return nil, nil, err
	}
	b.stats.Reused += b.stats.Files - remadeEarly - remade
	b.stats.Warnings = append(b.siteWarnings(), b.preCheck...)
	b.recheck = map[*content.Page]bool{pg: true}
	b.namesChanged = nil
	for _, name := range u.dropped {
		if b.byName[name] == nil {
			b.namesChanged = append(b.namesChanged, name)
		}
	}
	b.namesChanged = append(b.namesChanged, earlyReport.Added...)
	b.namesChanged = append(b.namesChanged, b.report.Added...)
	// A share card image's warning is at the line of its key: the check
	// is made again when the image or that line changed.
	b.recheckImages = pg.Image != ch.Old.Image || pg.Lines["image"] != ch.Old.Lines["image"]
	if err := b.finish(); err != nil {
		return nil, nil, err
	}
	return out, b.report, nil
}

// fmUpdate is the state of rebuildFrontMatter.
type fmUpdate struct {
	*builder
	affected map[int]bool       // the planned files to key again, by place
	made     map[int]bool       // those planned anew
	changed  map[*PostData]bool // the posts whose data changed
	dropped  []string           // names of the last build's files that may be gone
	early    map[int]bool       // the places of the files made in the first step: the post's page, aliases, neighbours' pages
	renamed  bool               // a file of the last build has another name
	gone     []Key              // body cache entries of the last build no longer used
	live     []Key              // and those used instead
}

// replace plans p at place i, instead of the file planned there; it
// reports false when p's name is another planned file's, or inside one
// (a clash that a full build reports).
func (u *fmUpdate) replace(i int, p *planned) bool {
	old := u.plan[i]
	if p.name != old.name {
		if q := u.byName[p.name]; q != nil && q != old {
			return false
		}
		for dir := path.Dir(p.name); dir != "."; dir = path.Dir(dir) {
			if u.byName[dir] != nil {
				return false
			}
		}
		if u.byName[old.name] == old {
			delete(u.byName, old.name)
		}
		u.dropped = append(u.dropped, old.name)
		u.renamed = true
	}
	u.byName[p.name] = p
	u.plan[i] = p
	u.affected[i] = true
	u.made[i] = true
	return true
}

// relink gives the posts around the changed one, where it was and
// where it is, their links to their neighbours.
func (u *fmUpdate) relink(ch *content.PostChange) {
	posts := u.site.Posts
	link := func(k int) *Link {
		if k < 0 || k >= len(posts) {
			return nil
		}
		return &Link{Title: posts[k].Title, URL: u.posts[posts[k]].URL}
	}
	at := []int{ch.To - 1, ch.To, ch.To + 1}
	for _, k := range []int{ch.From - 1, ch.From} { // its old neighbours, in the list without it
		if k >= 0 && k < len(posts)-1 {
			if k >= ch.To {
				k++
			}
			at = append(at, k)
		}
	}
	for _, k := range at {
		if k < 0 || k >= len(posts) {
			continue
		}
		q := u.posts[posts[k]]
		prev, next := link(k+1), link(k-1)
		if !sameLink(q.Prev, prev) || !sameLink(q.Next, next) {
			q.Prev, q.Next = prev, next
			resetKeys(q)
			u.keysReset(q)
			u.changed[q] = true
			u.early[q.at] = true
		}
	}
}

func sameLink(a, b *Link) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// listOf is the list of posts of the index (tag nil) or of a tag, its
// first page's path and its title.
func (u *fmUpdate) listOf(tag *content.Tag) (kind, first, title string, posts []*content.Page) {
	if tag == nil {
		return "list", "/", "", u.site.Posts
	}
	return "tag", tagPath(tag), tag.Name, tag.Posts
}

// listPlanned is the planned page n of the index (tag nil) or of a
// tag's list.
func (u *fmUpdate) listPlanned(tag *content.Tag, n int) *planned {
	kind, first, title, posts := u.listOf(tag)
	p := u.pagePlanned(u.listPage(kind, tag, first, title, posts, n))
	p.list = &listRef{tag: tag, n: n}
	return p
}

// relist plans again the pages of the index (tag nil) or of a tag's
// list whose posts are others, or in another order; a list that has
// more or fewer pages than the last build planned is planned again
// whole (every page's pager changed). Only the posts at lo to hi may
// have changed places in the list (the index's, between the changed
// post's old and new place): the pages of the others are not compared.
// It reports false when a new page's file clashes with another's.
func (u *fmUpdate) relist(tag *content.Tag, lo, hi int) bool {
	_, _, _, posts := u.listOf(tag)
	per := u.cfg.Paginate
	at := u.places.lists[tag]
	total := max(1, (len(posts)+per-1)/per)
	resized := total != len(at)
	for len(at) > total {
		i := at[len(at)-1]
		u.dependsPage(u.plan[i].data, i, u.undepends, u.undependsMeta)
		u.remove(i)
		at = at[:len(at)-1]
	}
	for n := 1; n <= total; n++ {
		if n > len(at) {
			p := u.listPlanned(tag, n)
			i, ok := u.add(p)
			if !ok {
				return false
			}
			u.dependsPage(p.data, i, u.depends, u.dependsMeta)
			at = append(at, i)
			continue
		}
		i := at[n-1]
		if !resized && (n*per <= lo || (n-1)*per > hi) {
			continue // its posts kept their places
		}
		old := u.plan[i].data
		shown := posts[(n-1)*per : min(n*per, len(posts))]
		same := !resized && len(shown) == len(old.Posts)
		for k := 0; same && k < len(shown); k++ {
			same = u.posts[shown[k]] == old.Posts[k]
		}
		if same {
			continue
		}
		p := u.listPlanned(tag, n)
		u.dependsPage(old, i, u.undepends, u.undependsMeta)
		u.dependsPage(p.data, i, u.depends, u.dependsMeta)
		u.replace(i, p)
	}
	u.places.lists[tag] = at
	return true
}

// tagCame plans the files of a tag new to the site: its data, its
// list's page/1/ redirect and its feed (relist plans its pages).
func (u *fmUpdate) tagCame(t *content.Tag) {
	td := &TagData{Name: t.Name, URL: u.url(tagPath(t)), FeedURL: u.url(tagPath(t) + "feed.xml"), Count: len(t.Posts)}
	u.tagData[t] = td
	// The site's tags are by name, then (as the site's) by slug.
	i, _ := slices.BinarySearchFunc(u.data.Tags, td, func(a, b *TagData) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(u.slugOf(a), u.slugOf(b))
	})
	u.data.Tags = slices.Insert(u.data.Tags, i, td)
	first := tagPath(t)
	name := fileOf(first + "page/1/")
	u.redirects = maps.Clone(u.redirects) // the last build's report holds the map
	u.redirects[name] = u.url(first)
	u.places.redirects[t], _ = u.add(u.redirectPlanned(name, u.url(first), u.abs(first), origin{}))
	j := u.tagFeed(t)
	at, _ := u.add(u.feedPlanned(j))
	for _, pg := range j.feed.posts {
		u.depends(u.posts[pg], at)
		if u.feedEntries[pg] == nil {
			u.feedEntry(pg)
		}
	}
	u.places.feeds[t] = at
}

// slugOf is the slug of the tag whose data is td.
func (u *fmUpdate) slugOf(td *TagData) string {
	for t, d := range u.tagData {
		if d == td {
			return t.Slug
		}
	}
	return ""
}

// unlist takes out of the plan the files of a tag the site no longer
// has: its list's pages and page/1/ redirect, its feed.
func (u *fmUpdate) unlist(t *content.Tag) {
	for _, i := range u.places.lists[t] {
		u.dependsPage(u.plan[i].data, i, u.undepends, u.undependsMeta)
		u.remove(i)
	}
	i := u.places.redirects[t]
	u.redirects = maps.Clone(u.redirects)
	delete(u.redirects, u.plan[i].name)
	u.remove(i)
	i = u.places.feeds[t]
	for _, pg := range u.plan[i].feed.feed.posts {
		u.undepends(u.posts[pg], i)
	}
	u.remove(i)
	delete(u.places.lists, t)
	delete(u.places.redirects, t)
	delete(u.places.feeds, t)
}

// add plans p at a place a file taken out left, else after the others.
// It reports false when p's name is another planned file's, or inside
// one.
func (u *fmUpdate) add(p *planned) (int, bool) {
	if u.byName[p.name] != nil {
		return 0, false
	}
	for dir := path.Dir(p.name); dir != "."; dir = path.Dir(dir) {
		if u.byName[dir] != nil {
			return 0, false
		}
	}
	var i int
	if n := len(u.free); n > 0 {
		i, u.free = u.free[n-1], u.free[:n-1]
		u.plan[i] = p
	} else {
		i = len(u.plan)
		u.plan = append(u.plan, p)
	}
	u.byName[p.name] = p
	u.affected[i], u.made[i], u.renamed = true, true, true
	return i, true
}

// remove takes the file planned at i out of the plan: its place holds
// a planned file that is gone, for add to take.
func (u *fmUpdate) remove(i int) {
	old := u.plan[i]
	if u.byName[old.name] == old {
		delete(u.byName, old.name)
	}
	u.dropped = append(u.dropped, old.name)
	u.plan[i] = &planned{gone: true}
	u.free = append(u.free, i)
	delete(u.affected, i)
	delete(u.made, i)
	u.renamed = true
}

// refeed plans again the feeds of the site (tag nil) or of a tag whose
// posts are others, or in another order.
func (u *fmUpdate) refeed(tag *content.Tag) {
	_, _, _, posts := u.listOf(tag)
	posts = posts[:min(len(posts), u.cfg.Feed.Limit)]
	at, n := u.places.feeds[tag], 1 // the site's three feeds, or the tag's
	if tag == nil {
		n = 3
	}
	for i := at; i < at+n; i++ {
		j := *u.plan[i].feed
		if slices.Equal(j.feed.posts, posts) {
			continue
		}
		for _, pg := range j.feed.posts {
			u.undepends(u.posts[pg], i)
		}
		j.feed.posts = posts
		for _, pg := range posts {
			u.depends(u.posts[pg], i)
			if u.feedEntries[pg] == nil {
				u.feedEntry(pg)
			}
		}
		u.replace(i, u.feedPlanned(j))
	}
}

// research brings the search documents and index up to date: the
// documents numbered anew (those of the posts between the changed
// post's place before and after), and the index's postings, by
// difference.
func (u *fmUpdate) research(ch *content.PostChange) {
	s := u.search
	posts := u.site.Posts
	n := len(posts)
	lo, hi := min(ch.From, ch.To), max(ch.From, ch.To)
	first, last := n-1-hi, n-1-lo // the documents numbered anew
	pd := u.posts[ch.Page]
	key, enc, made := u.postTerms(pd, nil, newStemmer(u.cfg.Language))
	terms, _ := decodeSearchTerms(enc)
	if made {
		u.opts.bodies.Put(key, Rendered{Content: enc})
	}
	old := s.ids[ch.Page]
	if key != s.keys[old] {
		u.gone, u.live = append(u.gone, s.keys[old]), append(u.live, key)
		u.searchMu.Lock()
		delete(u.searchTerms, s.keys[old])
		if u.searchTerms == nil {
			u.searchTerms = map[Key][]byte{}
		}
		u.searchTerms[key] = enc
		u.searchMu.Unlock()
	}
	stems, shards := map[string]bool{}, map[string]bool{}
	s.renamed, s.was, s.rewritten = false, s.was[:0], nil
	if first == last {
		if key != s.keys[old] {
			s.replace(old, s.docs[old], terms, stems, shards)
			s.docs[old], s.keys[old] = terms, key
		}
	} else {
		docs, keys := make([]searchTerms, last-first+1), make([]Key, last-first+1)
		for id := first; id <= last; id++ {
			q := posts[n-1-id]
			if q == ch.Page {
				docs[id-first], keys[id-first] = terms, key
			} else {
				docs[id-first], keys[id-first] = s.docs[s.ids[q]], s.keys[s.ids[q]]
			}
		}
		for id := first; id <= last; id++ {
			s.remove(id, s.docs[id], stems, shards)
		}
		for id := first; id <= last; id++ {
			q := posts[n-1-id]
			s.add(id, docs[id-first], stems, shards)
			i := u.places.docs + id
			if was := u.posts[s.posts[id]]; was != u.posts[q] {
				u.undepends(was, i)
				u.depends(u.posts[q], i)
				u.replace(i, u.searchDocPlanned(id, u.posts[q]))
			}
			s.posts[id], s.ids[q], s.docs[id], s.keys[id] = q, id, docs[id-first], keys[id-first]
		}
	}
	u.gone = append(u.gone, u.rewriteSearch(stems, shards)...)
}

// remake is the end of a rebuild into out of the last build's files:
// out keeps the files the plan does not mark affected, the plan's files at
// idx are made or kept by key, and the report notes what changed; dropped
// are the last build's files that may be gone. The build's counts of
// files and pages, the last build's until then, are brought up to date
// by the files the report adds and removes (a file that comes is made),
// not counted again over the plan. It returns the number of files
// affected, which the caller takes from the files to count the ones
// kept whole (Stats.Reused).
func (b *builder) remake(out *MemOutput, affected map[int]bool, idx []int, dropped []string) (int, error) {
	out.keepFrom(b.plan, affected, b.byName, false, dropped...)
	remade := 0
	for i := range affected {
		if !b.plan[i].gone {
			remade++
		}
	}
	made := make([]bool, len(b.plan))
	par.Do(len(idx), func(i int) { made[idx[i]] = b.makeOrReuse(b.plan[idx[i]], out, out) })
	if len(b.errs) > 0 {
		return 0, b.err()
	}
	b.noteChanges(made, out, dropped...)
	isPage := func(name string) bool { return strings.HasSuffix(name, ".html") }
	b.stats.Files += len(b.report.Added) - len(b.report.Removed)
	b.stats.Pages += countFunc(b.report.Added, isPage) - countFunc(b.report.Removed, isPage)
	return remade, nil
}

// countFunc counts the elements of s for which f is true.
func countFunc[T any](s []T, f func(T) bool) int {
	n := 0
	for _, v := range s {
		if f(v) {
			n++
		}
	}
	return n
}
