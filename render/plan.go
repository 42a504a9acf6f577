package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"io/fs"
	"iter"
	"maps"
	"path"
	"runtime"
	"slices"
	"strings"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/par"
)

// A Reuser is an Output that holds the previous build of the site, so a
// build can keep the files whose inputs did not change instead of making
// them again. Keys are computed by the build over everything a file is
// made from; equal keys mean equal bytes.
type Reuser interface {
	// KeepAll reports whether the previous build consisted of exactly
	// these files made from these keys; the output then keeps the previous
	// build whole and the build writes nothing.
	KeepAll(keys map[string]Key) bool
	// Reuse puts the previous build's file name into this build if it was
	// made from key, and reports whether it did.
	Reuse(name string, key Key) bool
	// Record notes the key of a file the build has just written.
	Record(name string, key Key)
	// Had reports whether the previous build had a file name, and
	// Previous lists its files: what the build's Report compares with.
	Had(name string) bool
	Previous() iter.Seq[string]
}

// sameBytes is an Output that can tell a file written with the very bytes
// the previous build had, which the Report does not count as changed.
type sameBytes interface {
	unchanged(name string) bool
}

// keepsNothing is an Output that can tell whether its WriteFile keeps
// nothing of data once it returns, as a directory's does: data may then
// be a buffer used again after.
type keepsNothing interface {
	// forgetsData reports it (a wrapper would ask what it wraps).
	forgetsData() bool
}

// planned is one file of the site: where it goes, the key of its inputs,
// and how to make it. Keys are cheap; making may run a template.
type planned struct {
	name string
	// key and make compute the file's key and bytes (builder.fileKey,
	// makeFile). A page the theme makes from data and a post's search
	// document (doc) leave them nil, to be made from their data by the
	// builder's methods: a site has one of each for every post, and their
	// closures would be so many more objects for the collector to trace
	// through a large site's build. A page's make, when set, is used in
	// place of the theme's.
	key  func() Key
	make func() ([]byte, error)
	k    Key
	from origin
	// data is the page the theme makes, doc the post a search document
	// is of, feed a feed's job; builds that change some posts' front
	// matter (incremental.go) read data and feed too.
	data *PageData
	doc  *PostData
	feed *feedJob
	list *listRef
	// gone marks the place of a file taken out of the plan by such a
	// build, which a file it adds may take (builder.free).
	gone bool
	// early marks a file keyed and made (or failed) before emit, which
	// takes it as made and clears the mark: a post's page or search
	// document that a build into an output with no previous build made
	// while the post's body was at hand (makeWithBodies).
	early bool
}

// listRef is page n of the index (tag nil) or of a tag's list.
type listRef struct {
	tag *content.Tag
	n   int
}

// An origin is what asks for a planned file, for messages: a page, an
// alias or a redirect at the line of its front matter key, a file copied
// as it is, or, with no path, the site itself (lists, tags, feeds,
// sitemap, theme assets).
type origin struct {
	path string // in the site directory; "" for the site's own files
	line int
	what string // "page", "alias /old/", "redirect", "file"; "site" for the site's own
}

// pos is the origin's place for the start of a message: "path:line",
// "path", or "" for the site's own files.
func (o origin) pos() string {
	if o.line > 0 {
		return fmt.Sprintf("%s:%d", o.path, o.line)
	}
	return o.path
}

// String names the origin within a message.
func (o origin) String() string {
	if o.path == "" && o.what != "" {
		return "the site's " + o.what
	}
	if o.path == "" {
		return "the site itself (its feeds, sitemap, robots.txt, theme assets or list redirects)"
	}
	if o.what == "file" {
		return o.path
	}
	return fmt.Sprintf("the %s of %s", o.what, o.pos())
}

// pageOrigin is the origin of a page: its source, or the site's own
// page of its kind.
func pageOrigin(data *PageData) origin {
	if data.from.path != "" {
		return data.from
	}
	if data.Kind == "list" {
		return origin{what: "index page " + data.path}
	}
	return origin{what: data.Kind + " page " + data.path}
}

// addRedirect plans a page redirecting elsewhere, to (with the canonical
// URL canonical), asked for by from: an alias, a redirect page, or the
// site itself (a list's page/1/). The build's Stats.Redirects has it.
func (b *builder) addRedirect(name, to, canonical string, from origin) {
	b.plan = append(b.plan, b.redirectPlanned(name, to, canonical, from))
	if b.redirects == nil {
		b.redirects = map[string]string{}
	}
	b.redirects[name] = to
}

// redirectPlanned is the planned file of a redirect page.
func (b *builder) redirectPlanned(name, to, canonical string, from origin) *planned {
	p := dataPlanned(name, scrub(b.redirect(to, canonical)))
	p.from = from
	return p
}

// addData plans a file whose bytes are already made.
func (b *builder) addData(name string, data []byte) {
	b.plan = append(b.plan, dataPlanned(name, data))
}

// dataPlanned is the planned file of bytes already made.
func dataPlanned(name string, data []byte) *planned {
	return &planned{
		name: name,
		key:  func() Key { return sha256.Sum256(data) },
		make: func() ([]byte, error) { return data, nil },
	}
}

// keyedPlanned is the planned file of bytes already made, whose key is
// already made too (one that need not be the digest of its bytes).
func keyedPlanned(name string, data []byte, key Key) *planned {
	return &planned{
		name: name,
		key:  func() Key { return key },
		make: func() ([]byte, error) { return data, nil },
	}
}

// addPage plans an HTML page made by the theme from data.
func (b *builder) addPage(data *PageData) {
	if data.Post != nil {
		data.Post.at = len(b.plan)
	}
	b.dependsPage(data, len(b.plan), b.depends, b.dependsMeta)
	b.plan = append(b.plan, b.pagePlanned(data))
}

// dependsPage notes with dep (the post shown) and listed (the posts
// listed, by their body or their metadata) that the file planned at i
// shows the posts of data.
func (b *builder) dependsPage(data *PageData, i int, dep, meta func(*PostData, int)) {
	dep(data.Post, i)
	listed := dep
	if !b.tmplBody[data.Kind] {
		listed = meta
	}
	for _, pd := range data.Posts {
		listed(pd, i)
	}
	for _, y := range data.Years {
		for _, pd := range y.Posts {
			listed(pd, i)
		}
	}
}

// pagePlanned is the planned file of a page made by the theme from data.
func (b *builder) pagePlanned(data *PageData) *planned {
	return &planned{name: fileOf(data.path), from: pageOrigin(data), data: data}
}

// fileKey is the key of p's file.
func (b *builder) fileKey(p *planned) Key {
	switch {
	case p.key != nil:
		return p.key()
	case p.doc != nil:
		return b.searchDocKey(p.name, p.doc)
	}
	return b.pageKey(p.name, p.data)
}

// makeFile makes p's file. A page the theme makes is made in buf, when
// not nil, which it is given empty: the bytes it returns are then buf's,
// the file's only until buf is used again. A page is written to an Output
// that keeps nothing (keepsNothing) this way, without a copy of its own.
func (b *builder) makeFile(p *planned, buf *bytes.Buffer) ([]byte, error) {
	switch {
	case p.make != nil:
		return p.make()
	case p.doc != nil:
		return b.searchDoc(p.doc)
	}
	return b.makePage(buf, p.data)
}

// makePage makes the page of data with the theme, in buf when not nil
// (makeFile).
func (b *builder) makePage(buf *bytes.Buffer, data *PageData) ([]byte, error) {
	if data.Post != nil {
		// The page looks for its image in the body, or shows it.
		if data.Post.Image == nil || b.tmplBody[data.Kind] {
			b.showBody(data.Post)
		}
		defer b.bodyShown(data.Post)
		// What a post's page shows of its body, on a copy: the
		// planned data stays as keyed, for the next build.
		d := *data
		data = &d
		if data.Description == "" {
			data.Description = trimDescription(plainText(data.Post.Summary()))
		}
		if img := data.Post.Image; img != nil {
			data.Image = img
		} else if img := b.firstLocalImage(data.Post.Content(), data.Post.Permalink); img != nil {
			data.Image = img
		}
	}
	html, err := b.tmpl.executeIn(buf, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", data.URL, err)
	}
	return scrub(html), nil
}

// depends notes that the file planned at i shows pd (nil for none).
func (b *builder) depends(pd *PostData, i int) {
	if pd != nil && b.dependents != nil {
		b.dependents[pd] = append(b.dependents[pd], i)
	}
}

// dependsMeta notes that the file planned at i shows pd's metadata
// (PostData.meta) and nothing of its body.
func (b *builder) dependsMeta(pd *PostData, i int) {
	if pd != nil && b.metaDependents != nil {
		b.metaDependents[pd] = append(b.metaDependents[pd], i)
	}
}

// undepends and undependsMeta take back what depends and dependsMeta
// noted.
func (b *builder) undepends(pd *PostData, i int) {
	if pd != nil {
		b.dependents[pd] = deleteIndex(b.dependents[pd], i)
	}
}

func (b *builder) undependsMeta(pd *PostData, i int) {
	if pd != nil {
		b.metaDependents[pd] = deleteIndex(b.metaDependents[pd], i)
	}
}

// deleteIndex removes one i from ids.
func deleteIndex(ids []int, i int) []int {
	if j := slices.Index(ids, i); j >= 0 {
		return slices.Delete(ids, j, j+1)
	}
	return ids
}

// addFeed plans a feed.
func (b *builder) addFeed(j feedJob) {
	for _, pg := range j.feed.posts {
		b.depends(b.posts[pg], len(b.plan))
	}
	b.plan = append(b.plan, b.feedPlanned(j))
}

// feedPlanned is the planned file of a feed.
func (b *builder) feedPlanned(j feedJob) *planned {
	return &planned{
		name: j.name,
		from: origin{what: "feed " + j.name},
		key: func() Key {
			h := b.keyHash(j.name)
			fmt.Fprintf(h, "%q %q %q %q %q %d\n", j.feed.title, j.feed.home, j.feed.self, j.feed.subtitle, b.cfg.Language, len(j.feed.posts))
			for _, pg := range j.feed.posts {
				d := b.posts[pg].digest()
				h.Write(d[:])
			}
			return sum(h)
		},
		make: func() ([]byte, error) {
			data, err := j.format(j.feed)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", j.name, err)
			}
			return scrub(data), nil
		},
		feed: &j,
	}
}

// addFile plans a copy of the site's file src. Its key is its content's.
func (b *builder) addFile(name, src string) {
	var data []byte
	b.plan = append(b.plan, &planned{
		name: name,
		from: origin{path: src, what: "file"},
		key: func() Key {
			var err error
			if data, err = fs.ReadFile(b.siteFS, src); err != nil {
				b.fail(fmt.Errorf("%s: %w", src, err))
				return Key{}
			}
			return sha256.Sum256(data)
		},
		make: func() ([]byte, error) { return data, nil },
	})
}

// keyHash starts the key of a file made from the site's shared inputs.
func (b *builder) keyHash(name string) hash.Hash {
	h := sha256.New()
	h.Write(b.siteKey[:])
	fmt.Fprintf(h, "%s\n", name)
	return h
}

// setSiteKey computes the key of what every page and feed depends on: the
// engine and the site's data (configuration, navigation, tags, assets).
func (b *builder) setSiteKey() {
	h := sha256.New()
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(b.opts.engineVersion)))
	h.Write(n[:])
	h.Write([]byte(b.opts.engineVersion))
	// The site's tags, whose counts change as posts take tags on and
	// off, are keyed apart, for the pages that may show them (tagUse).
	d := *b.data
	d.Tags = nil
	writeJSON(h, &d)
	writeJSON(h, b.cfg)
	// JSON writes 1 and 1.0 alike, and a time by its offset, not its
	// zone: the parameters of site.toml (.Site.Params) and of the
	// sections' _index.md, which templates may show with their types,
	// are written again as keys write them (paramsText).
	w := keyWriter{}
	w.str(paramsText(d.Params))
	dirs := slices.Sorted(maps.Keys(d.Sections))
	w.int(len(dirs))
	for _, dir := range dirs {
		w.str(dir)
		w.str(paramsText(d.Sections[dir].Params))
	}
	h.Write(w.buf)
	catalog := b.l10n.Digest() // the theme's words, from its i18n/ files and the site's
	h.Write(catalog[:])
	b.siteKey = sum(h)
	b.setTagsKey()
}

// setTagsKey computes the key of the site's tags (SiteData.Tags).
func (b *builder) setTagsKey() {
	w := keyWriter{}
	w.int(len(b.data.Tags))
	for _, t := range b.data.Tags {
		w.tag(t)
	}
	b.tagsKey = w.sum()
}

func writeJSON(h hash.Hash, v any) {
	if err := json.NewEncoder(h).Encode(v); err != nil {
		panic(fmt.Sprintf("render: hashing %T: %v", v, err)) // plain data always encodes
	}
}

func sum(h hash.Hash) Key {
	var k Key
	h.Sum(k[:0])
	return k
}

// emit makes and writes every planned file not made already (early),
// on all cores, keeping the files of the previous build whose keys have
// not changed, and notes in the report which files it added, changed
// and removed.
func (b *builder) emit() {
	b.checkPlan()
	par.Do(len(b.plan), func(i int) {
		if !b.plan[i].early {
			b.plan[i].k = b.fileKey(b.plan[i])
		}
	})
	if len(b.errs) > b.earlyErrs { // a page made early that failed does not keep the others' errors unsaid
		return
	}
	for _, p := range b.plan {
		b.stats.Files++
		if strings.HasSuffix(p.name, ".html") {
			b.stats.Pages++
		}
	}
	reuser, reusing := b.out.(Reuser)
	if reusing {
		keys := make(map[string]Key, len(b.plan))
		for _, p := range b.plan {
			keys[p.name] = p.k
		}
		if reuser.KeepAll(keys) {
			b.stats.Reused = len(b.plan)
			return
		}
	}
	made := make([]bool, len(b.plan))
	for i, p := range b.plan {
		made[i], p.early = p.early, false
	}
	// Twice as many writers as cores: while one waits on the disk,
	// another makes a page.
	par.DoN(2*runtime.GOMAXPROCS(0), len(b.plan), func(i int) {
		if !made[i] {
			made[i] = b.makeOrReuse(b.plan[i], b.out, reuser)
			b.progress()
		}
	})
	b.noteChanges(made, reuser)
}

// progress counts a file made or kept, for the progress display, of
// the files planned so far: their number grows while posts' pages are
// made along with the search index (makeWithBodies), as the index's
// files and the files copied are planned after.
func (b *builder) progress() {
	if b.opts.progress != nil {
		b.opts.progress(int(b.done.Add(1)), len(b.plan))
	}
}

// makeWithBodies makes and writes the files planned at places, each
// with its key, before emit, which takes them as made (early): the
// pages and search documents of a run of posts whose bodies the search
// index has just made. A build into an output with no previous build
// (makesAll) makes every file, so it makes these while their bodies
// are held, rather than hold every post's body until emit or read it
// back from the body cache. Twice as many writers as cores, as emit. A
// file whose name is reserved is left to emit, whose check of the plan
// says so at the line that asked for it.
func (b *builder) makeWithBodies(places []int) {
	reuser, _ := b.out.(Reuser)
	b.mu.Lock()
	errs := len(b.errs)
	b.mu.Unlock()
	par.DoN(2*runtime.GOMAXPROCS(0), len(places), func(i int) {
		p := b.plan[places[i]]
		if reservedName(p.name) {
			return
		}
		p.k = b.fileKey(p)
		b.makeOrReuse(p, b.out, reuser)
		p.early = true
		b.progress()
	})
	b.mu.Lock()
	b.earlyErrs += len(b.errs) - errs
	b.mu.Unlock()
}

// hasPrevious reports whether out holds a previous build of the site,
// whose files a build may keep.
func hasPrevious(out Output) bool {
	if r, ok := out.(Reuser); ok {
		for range r.Previous() {
			return true
		}
	}
	return false
}

// makeOrReuse keeps p's file from the previous build when reuser (nil
// for an output with no previous build) holds it under p's key; else it
// makes the file and writes it to out, from a buffer used again for the
// next file when out keeps nothing. It reports whether it made the file.
func (b *builder) makeOrReuse(p *planned, out Output, reuser Reuser) bool {
	if reuser != nil && reuser.Reuse(p.name, p.k) {
		b.mu.Lock()
		b.stats.Reused++
		b.mu.Unlock()
		return false
	}
	var buf *bytes.Buffer
	if f, ok := out.(keepsNothing); ok && f.forgetsData() && p.make == nil && p.data != nil {
		buf = buffers.Get().(*bytes.Buffer)
		buf.Reset()
		defer buffers.Put(buf)
	}
	data, err := b.makeFile(p, buf)
	if err == nil {
		err = out.WriteFile(p.name, data)
	}
	if err != nil {
		b.fail(err)
		return false
	}
	if reuser != nil {
		reuser.Record(p.name, p.k)
	}
	return true
}

// noteChanges fills the report's lists of files added, changed and
// removed from which planned files were made (made) and the previous
// build the output holds (reuser, nil for none). gone, when not nil,
// are the only files of the previous build that may be removed (the
// names of a rebuild of changed bodies); else every previous file is
// looked for in the plan.
func (b *builder) noteChanges(made []bool, reuser Reuser, gone ...string) {
	same, _ := b.out.(sameBytes)
	rep := b.report
	for i, p := range b.plan {
		switch {
		case !made[i]:
		case reuser == nil || !reuser.Had(p.name):
			rep.Added = append(rep.Added, p.name)
		case same == nil || !same.unchanged(p.name):
			rep.Changed = append(rep.Changed, p.name)
		}
	}
	removed := func(name string) {
		if _, ok := b.byName[name]; !ok && reuser.Had(name) {
			rep.Removed = append(rep.Removed, name)
		}
	}
	switch {
	case reuser == nil:
	case gone != nil:
		for _, name := range gone {
			removed(name)
		}
	default:
		for name := range reuser.Previous() {
			removed(name)
		}
	}
	slices.Sort(rep.Added)
	slices.Sort(rep.Changed)
	slices.Sort(rep.Removed)
}

// checkPlan reports two planned files of one name, and a file planned
// where another needs a directory (an alias /feed.xml/ beside the feed
// feed.xml), each at the file and line of the page, alias or file that
// asked for it. Load finds most such clashes first (content.Load checks
// pages, aliases and files against each other); this finds those with the
// files only the renderer knows, such as feeds, the sitemap and assets.
func (b *builder) checkPlan() {
	byName := make(map[string]*planned, len(b.plan))
	b.byName = byName
	for _, p := range b.plan {
		if reservedName(p.name) {
			b.fail(fmt.Errorf("%s: %s, a name ending in %q, which is reserved for files being published; rename it", posOf(p), p.writes(), stagedSuffix))
			continue
		}
		if prev, ok := byName[p.name]; ok {
			b.fail(clash(p, prev, false))
			continue
		}
		byName[p.name] = p
	}
	reported := map[string]bool{} // each file where directories are needed, once, at the first name inside it
	byPath := slices.SortedFunc(slices.Values(b.plan), func(p, q *planned) int { return strings.Compare(p.name, q.name) })
	for _, p := range byPath {
		for dir := path.Dir(p.name); dir != "."; dir = path.Dir(dir) {
			if q, ok := byName[dir]; ok && !reported[dir] {
				reported[dir] = true
				b.fail(clash(p, q, true))
				break
			}
		}
	}
}

// clash is the error of two planned files in each other's way: of one
// name, or, when inside, a written inside b, which is a file. It is
// placed at the one with a source in the site (a, unless only b has
// one, or only b has a line).
func clash(a, b *planned, inside bool) error {
	if a.from.path == "" || (b.from.path != "" && a.from.line == 0 && b.from.line > 0) {
		a, b = b, a
		if inside {
			return fmt.Errorf("%s: %s as a file, where %s writes %s; change or remove it", posOf(a), a.writes(), b.from, b.name)
		}
	}
	if inside {
		return fmt.Errorf("%s: %s inside %s, which %s writes as a file; change or remove it", posOf(a), a.writes(), b.name, b.from)
	}
	return fmt.Errorf("%s: %s, which %s writes too; change or remove it", posOf(a), a.writes(), b.from)
}

// writes says what a planned file's origin does: "alias /old/ writes
// old/index.html", "copied as x.txt".
func (p *planned) writes() string {
	if p.from.what == "file" {
		return "copied as " + p.name
	}
	return p.from.what + " writes " + p.name
}

// posOf is where a message about a planned file starts: its origin's
// place, or the file's name for the site's own files.
func posOf(p *planned) string {
	if p.from.path == "" {
		return p.name
	}
	return p.from.pos()
}
