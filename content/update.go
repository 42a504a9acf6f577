package content

import (
	"path"
	"slices"
	"strings"
	"time"
)

// A PostChange is what Loader.Update did to a site: a post's front
// matter changed, and the post is changed in place, keeping its page
// (the same *Page, with its new fields) in the site's lists.
type PostChange struct {
	// Page is the post, as it now is.
	Page *Page
	// From and To are its index in Site.Posts before and after: a new
	// date moves it.
	From, To int
	// Old are the fields of the post before (its URL, aliases, date...).
	Old Page
}

// Update brings site, loaded by this Loader, up to date with the
// Markdown file p read again, when what changed is the front matter of a
// post that stays a published post, whose tags keep their names (a post
// may take a tag on or off, one the site has or a new one; a new date
// reorders their lists), and that keeps its place among the site's
// files (no URL or alias of the new version clashes with another file,
// none is reserved, no post of the site was moved off a URL its title
// gives) and its bundle's files where they were. It changes site in
// place: the post's Page, Site.Posts, Site.Tags (a tag that comes or
// goes; a tag gone keeps its Tag, with no posts) and the lists of the
// tags it had and has (new slices, so that a slice taken before still
// holds the order before), and the warnings. ok is false, with site unchanged, for any other change, which
// Load then reads whole (p is already read again: Load reuses it).
func (l *Loader) Update(site *Site, p string) (ch *PostChange, ok bool) {
	cfg := site.Config
	if cfg != l.cfg || site.moved > 0 {
		return nil, false
	}
	ix := l.indexOf(site)
	old := ix.posts[p]
	if old == nil {
		return nil, false // not a published post
	}
	from, found := slices.BinarySearchFunc(site.Posts, old, comparePosts)
	if !found || site.Posts[from] != old {
		return nil, false
	}
	pg, errs, warns, was := l.Reread(cfg, p)
	if len(errs) > 0 || pg == nil {
		return nil, false
	}
	now := l.opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	switch {
	case pg.Kind != Post || pg.Redirect != "" || pg.Section != old.Section:
		return nil, false
	case pg.Draft && !l.opts.Drafts, pg.Date.After(now) && !l.opts.Future:
		return nil, false // the post leaves the site
	case len(old.Resources) > 0 && pg.URL != old.URL:
		return nil, false
	}
	tags, ok := newTags(ix, old, pg)
	if !ok {
		return nil, false
	}
	gone, come := map[string]bool{}, map[string]bool{}
	for _, name := range pageFiles(old) {
		gone[name] = true
	}
	for _, name := range pageFiles(pg) {
		if come[name] {
			return nil, false // its URL and an alias, or two aliases, clash
		}
		come[name] = true
	}
	for name := range come {
		if gone[name] {
			continue
		}
		if ix.taken[name] || ix.dirs[name] > 0 {
			return nil, false // taken, or a directory of other files
		}
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			if ix.taken[dir] && !gone[dir] {
				return nil, false
			}
		}
	}
	if reservedURL(pg.URL, source{}, "") != nil {
		return nil, false
	}
	for _, a := range pg.Aliases {
		if reservedURL(a, source{}, "") != nil {
			return nil, false
		}
	}

	ch = &PostChange{Page: old, From: from, Old: *old}
	// The post's new fields, in its Page: every list of the site holds it.
	cp := *pg
	cp.Tags, cp.Resources = nil, old.Resources
	*old = cp
	posts := slices.Delete(slices.Clone(site.Posts), from, from+1)
	ch.To, _ = slices.BinarySearchFunc(posts, old, comparePosts)
	site.Posts = slices.Insert(posts, ch.To, old)
	for _, t := range ch.Old.Tags {
		i := slices.Index(t.Posts, old)
		t.Posts = slices.Delete(slices.Clone(t.Posts), i, i+1)
		if len(t.Posts) == 0 && !slices.Contains(tags, t) { // the tag goes
			site.Tags = slices.DeleteFunc(slices.Clone(site.Tags), func(u *Tag) bool { return u == t })
			delete(ix.tags, t.Slug)
		}
	}
	for _, t := range tags {
		posts := t.Posts
		if ix.tags[t.Slug] == nil { // a new tag
			i, _ := slices.BinarySearchFunc(site.Tags, t, func(a, b *Tag) int { return strings.Compare(a.Slug, b.Slug) })
			site.Tags = slices.Insert(slices.Clone(site.Tags), i, t)
			ix.tags[t.Slug] = t
		} else if !slices.Contains(ch.Old.Tags, t) {
			posts = slices.Clone(posts)
		}
		j, _ := slices.BinarySearchFunc(posts, old, comparePosts)
		t.Posts = slices.Insert(posts, j, old)
		old.Tags = append(old.Tags, t)
	}
	site.Warnings = slices.DeleteFunc(site.Warnings, func(e *Error) bool { return slices.Contains(was, e) })
	site.Warnings = append(site.Warnings, warns...)
	site.Warnings.sort()
	for name := range gone {
		ix.remove(name)
	}
	for name := range come {
		ix.add(name)
	}
	return ch, true
}

// comparePosts orders posts as Site.Posts holds them: newest first, ties
// by URL.
func comparePosts(a, b *Page) int {
	switch {
	case a.Date.After(b.Date):
		return -1
	case b.Date.After(a.Date):
		return 1
	case a.URL < b.URL:
		return -1
	case a.URL > b.URL:
		return 1
	}
	return 0
}

// newTags returns the tags of now, the new version of old, a post of
// the site, in the order now names them, if each tag of the site keeps
// its name (a tag is named as its oldest post writes it); a tag the site
// does not have yet is made, with no posts.
func newTags(ix *siteIndex, old, now *Page) ([]*Tag, bool) {
	var tags []*Tag
	for _, name := range now.Meta.Tags {
		slug := TagSlug(name)
		if slug == "" {
			continue
		}
		t := ix.tags[slug]
		if t == nil {
			if t = find(tags, slug); t == nil {
				tags = append(tags, &Tag{Name: name, Slug: slug})
			}
			continue
		}
		if slices.Contains(tags, t) {
			continue
		}
		tags = append(tags, t)
		oldest := t.Posts[len(t.Posts)-1]
		if (oldest == old || !now.Date.After(oldest.Date)) && name != t.Name {
			return nil, false // the post may be the oldest, and name it anew
		}
		if oldest == old && len(t.Posts) > 1 && (!now.Date.Equal(old.Date) || now.URL != old.URL) {
			return nil, false // another may become the oldest
		}
	}
	for _, t := range old.Tags {
		if !slices.Contains(tags, t) && len(t.Posts) > 1 && t.Posts[len(t.Posts)-1] == old {
			return nil, false // another post names the tag now
		}
	}
	return tags, true
}

// find returns the tag of tags with slug, or nil.
func find(tags []*Tag, slug string) *Tag {
	for _, t := range tags {
		if t.Slug == slug {
			return t
		}
	}
	return nil
}

// pageFiles are the output files a page's URL and aliases take.
func pageFiles(pg *Page) []string {
	names := []string{FileOf(pg.URL)}
	for _, a := range pg.Aliases {
		names = append(names, FileOf(a))
	}
	return names
}

// siteIndex is what Update looks up in a site: its posts by path, the
// output files its pages, aliases and copied files take, and how many
// of those are inside each directory.
type siteIndex struct {
	site  *Site
	posts map[string]*Page
	tags  map[string]*Tag // by slug
	taken map[string]bool
	dirs  map[string]int
}

// PrepareUpdate makes now the index of site's files that Update checks
// a post's new URL and aliases against, which the first Update makes
// otherwise: a preview makes it after a build, off the request path.
// Like every method of the Loader, not at the same time as another.
func (l *Loader) PrepareUpdate(site *Site) { l.indexOf(site) }

// indexOf returns the index of site, made when site is not the one the
// Loader last indexed.
func (l *Loader) indexOf(site *Site) *siteIndex {
	if l.index != nil && l.index.site == site {
		return l.index
	}
	ix := &siteIndex{site: site, posts: make(map[string]*Page, len(site.Posts)), tags: make(map[string]*Tag, len(site.Tags)),
		taken: map[string]bool{}, dirs: map[string]int{}}
	for _, t := range site.Tags {
		ix.tags[t.Slug] = t
	}
	for _, pg := range site.Posts {
		ix.posts[pg.Path] = pg
	}
	all := append(site.All(), site.Redirects...)
	for _, pg := range all {
		for _, name := range pageFiles(pg) {
			ix.add(name)
		}
		dir := path.Dir(pg.Path)
		for _, res := range pg.Resources {
			ix.add(strings.TrimPrefix(ResourceDir(pg.URL), "/") + strings.TrimPrefix(res, dir+"/"))
		}
	}
	for _, f := range site.Files {
		ix.add(f.Dst)
	}
	l.index = ix
	return ix
}

func (ix *siteIndex) add(name string) {
	ix.taken[name] = true
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		ix.dirs[dir]++
	}
}

func (ix *siteIndex) remove(name string) {
	delete(ix.taken, name)
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if ix.dirs[dir]--; ix.dirs[dir] <= 0 {
			delete(ix.dirs, dir)
		}
	}
}
