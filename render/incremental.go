package render

import (
	"fmt"
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
// which planned files show each post (dependents). rebuildBodies then
// prepares the changed posts again (their body keys), computes the keys
// of the files that show them (the post's page, the lists and feeds that
// show its body, its search document) and of the search index, which it
// updates in place (searchState), and makes only the files whose key
// changed; every other file is kept from the previous build with its
// key. Anything else (a post added, removed or whose front matter
// changed, a static file, the theme, site.toml, a page whose body another
// engine's syntax expands) is a full build, which plans everything
// again.

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
// date by rebuildBodies: it succeeded, into out's previous build, and no
// page of it is expanded (expansions follow other files).
func (r *Renderer) canRebuildBodies(out *MemOutput) bool {
	b := r.last
	return b != nil && out != nil && out.Prev != nil && out.Prev == b.out && len(b.expanded) == 0
}

// lastPage returns the page of the last build read from path, or nil.
func (r *Renderer) lastPage(path string) *content.Page {
	if r.last == nil {
		return nil
	}
	return r.last.byPath[path]
}

// rebuildBodies builds again, into out, the last build of the site with
// the bodies of some pages changed (see "Work in proportion to the
// change" above); warned are the content warnings of each page's new
// version, replacing its old ones (was).
func (r *Renderer) rebuildBodies(changes []bodyChange, was, warned content.Errors, out *MemOutput) (*Report, error) {
	b := r.last
	r.last = nil // until this build succeeds
	r.frags.start()
	defer r.frags.stop()
	b.out, b.errs = out, nil
	b.report = &Report{Config: r.cfg, Site: b.site}
	b.stats.Files, b.stats.Pages, b.stats.Reused, b.stats.Warnings = 0, 0, 0, nil
	site := b.site
	site.Warnings = slices.DeleteFunc(site.Warnings, func(e *content.Error) bool { return slices.Contains(was, e) })
	site.Warnings = append(site.Warnings, warned...)
	defer r.opts.bodies.Flush()

	if b.search != nil && !b.search.built {
		b.buildSearchState() // of the bodies as they were
	}
	var gone, live []Key // body cache entries of the old and new versions
	affected := map[int]bool{}
	for _, c := range changes {
		pg := c.old
		pd := b.posts[pg]
		oldKey, oldMeta := pd.key, pd.meta()
		gone = append(gone, oldKey, scanKey(oldKey), feedKey(oldKey))
		// The page's new source: same metadata, new body.
		pg.Body, pg.SummarySource, pg.Digest = c.now.Body, c.now.SummarySource, c.now.Digest
		pp := b.prepare(pg)
		if pp.x != nil {
			return nil, errExpanded
		}
		pd.key, pd.ReadingMinutes, pd.params = pp.key, pp.minutes, pp.params
		b.setPostFuncs(pg, pd)
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
	}
	if b.search != nil {
		g, l := b.updateSearch(changes)
		gone, live = append(gone, g...), append(live, l...)
		for i := b.search.at; i < b.search.at+b.search.n; i++ {
			if b.search.rewritten[b.plan[i].name] {
				affected[i] = true
			}
		}
	}
	if len(b.errs) > 0 {
		return nil, b.err()
	}
	r.opts.bodies.Replace(gone, live)

	idx := make([]int, 0, len(affected))
	for i := range affected {
		idx = append(idx, i)
	}
	par.Do(len(idx), func(i int) { p := b.plan[idx[i]]; p.k = p.key() })
	if len(b.errs) > 0 {
		return nil, b.err()
	}
	out.keepFrom(b.plan, affected, b.byName, b.search != nil && b.search.renamed)
	for i, p := range b.plan {
		b.stats.Files++
		if strings.HasSuffix(p.name, ".html") {
			b.stats.Pages++
		}
		if !affected[i] {
			b.stats.Reused++
		}
	}
	made := make([]bool, len(b.plan))
	par.Do(len(idx), func(i int) { made[idx[i]] = b.makeOrReuse(b.plan[idx[i]], out, out) })
	if len(b.errs) > 0 {
		return nil, b.err()
	}
	dropped := []string{} // files of the last build that may be no more: the search index's
	if b.search != nil {
		dropped = append(dropped, b.search.was...)
	}
	b.noteChanges(made, out, dropped...)
	b.stats.Warnings = append(b.siteWarnings(), b.preCheck...)
	if b.search == nil || !b.search.renamed {
		b.recheck = map[*content.Page]bool{}
		for _, c := range changes {
			b.recheck[c.old] = true
		}
	}
	b.finish()
	return b.report, nil
}

// errExpanded stops rebuildBodies when a page's new body is expanded by
// another engine's syntax: a full build is needed.
var errExpanded = fmt.Errorf("render: a changed page is expanded")
