package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"

	"github.com/siteblog/site/content"
)

// The archive by year
//
// The archive lists every post, so a template executed over it costs in
// proportion to the site; a save that changes a post's title or date
// changes the archive. A Renderer used for build after build remakes
// only the sections of the years that changed: when the archive's
// templates walk the years with one {{range .Years}} whose body uses
// nothing but the year (no $, no variable from outside, no else), each
// such body is made a template of its own, executed once per year and
// kept by the year's key, and the archive is executed with the ranges
// showing the kept sections. html/template escapes by the place in the
// template, not by the data, but a section escaped on its own is escaped
// as in HTML text: the split ranges must stand in HTML text, where the
// section is shown as it is (inText); in an attribute, a script, a title
// or a comment the section would be escaped or filtered again, which may
// agree with the archive made whole for some data, not for all. Then one
// comparison with the archive made whole, the first time, tells whether
// the two agree; if not, the archive is made whole, as in a full build,
// which always makes it whole.
//
// Within a year's section, one {{range .Posts}} of the same kind is split
// again, by post: each post's entry is executed once and kept by the
// post's key, so a save remakes the entries of the posts it changed, not
// the thousand others of their year.
//
// The archive is then assembled, not printed: the templates are executed
// with each year's section left out, noting where it goes (the length
// written when siteArchiveYear is called, which is where the escaper
// prints it in HTML text), and the sections are copied in between. The
// archive is scrubbed (scrub) only when a part of it needs it: every
// part is valid UTF-8 that scrub keeps as it is, the parts joined are
// too. So a save copies the archive's bytes once, rather than printing,
// copying and scrubbing them.

// yearTemplate starts the names of a year's sections in the split
// archive, one for each range over the years.
const yearTemplate = "site-archive-year"

// postTemplate starts the names of a post's entries in the split archive,
// one for each range over a year's posts.
const postTemplate = "site-archive-post"

// yearSplit is the archive's templates split by year.
type yearSplit struct {
	t *template.Template // nil when the templates do not split
	n int                // the ranges split: yearTemplate0, 1, …
	// np is the number of ranges over a year's posts split:
	// postTemplate0, 1, …, at most one in each year's range.
	np int

	mu       sync.Mutex
	verified bool // a split archive was the archive made whole
	failed   bool // it was not
	years    map[int]yearSection

	// While the archive is executed to be assembled (archive): the
	// buffer it is written to, and where each section goes.
	buf   *bytes.Buffer
	marks []yearMark
	// madeYears and madeEntries count the years' sections and the
	// posts' entries executed, for tests that check a save executes
	// few of them.
	madeYears, madeEntries int
}

// yearMark is a year's section of the archive, to be copied at an
// offset of the archive executed without it.
type yearMark struct {
	at   int
	html template.HTML
}

// yearSection is a year's section of the archive, and what it was made
// from: the key of the site and the templates (base), and the keys of
// the year's posts as the archive lists them (listed), which a save
// compares with the year's posts' keys rather than hash them again.
type yearSection struct {
	base   Key
	listed []Key
	from   keptFrom
	html   []template.HTML // of each range
	// clean is whether scrub keeps every section as it is.
	clean bool
	// posts holds its posts' entries by the posts' keys (listed): for
	// each, its entry of each range over the posts.
	posts map[Key][]template.HTML
}

// splitYears makes the split archive from the archive's templates t,
// parsed with the functions fm and not yet executed (the escaper
// rewrites their trees). Templates that do not split give a yearSplit
// that makes the archive whole.
func splitYears(t *template.Template, fm template.FuncMap) *yearSplit {
	s := splitYearsBy(t, fm, true)
	if s.t != nil && !s.inText(yearTemplate) {
		return &yearSplit{}
	}
	if s.np > 0 && !s.inText(postTemplate) {
		if s = splitYearsBy(t, fm, false); s.t != nil && !s.inText(yearTemplate) {
			return &yearSplit{}
		}
	}
	return s
}

// splitYearsBy is splitYears, the years' sections split again by post
// when wantPosts is set.
func splitYearsBy(t *template.Template, fm template.FuncMap, wantPosts bool) *yearSplit {
	s := &yearSplit{}
	type found struct {
		n  *parse.RangeNode
		in *template.Template
	}
	var ranges []found
	for _, tm := range t.Templates() {
		if tm.Tree == nil || tm.Tree.Root == nil {
			continue
		}
		walkTree(tm.Tree.Root, func(n parse.Node) bool {
			if r, ok := n.(*parse.RangeNode); ok && isYearsRange(r) {
				ranges = append(ranges, found{r, tm})
				return false
			}
			return true
		})
	}
	if len(ranges) == 0 {
		return s
	}
	texts := map[*template.Template]string{}
	var bodies, postBodies []string
	for k, r := range ranges {
		body := r.n.List.String()
		if !selfContained(r.n) {
			return s // the body uses the root, or variables from outside
		}
		if posts := postsRange(r.n.List); wantPosts && posts != nil && selfContained(posts) && strings.Count(body, posts.String()) == 1 {
			body = strings.Replace(body, posts.String(), fmt.Sprintf("{{siteArchivePosts %d .}}", len(postBodies)), 1)
			postBodies = append(postBodies, posts.List.String())
		}
		text, ok := texts[r.in]
		if !ok {
			text = r.in.Tree.Root.String()
		}
		whole := r.n.String()
		if strings.Count(text, whole) != 1 {
			return s
		}
		texts[r.in] = strings.Replace(text, whole, fmt.Sprintf("{{range .Years}}{{siteArchiveYear %d .}}{{end}}", k), 1)
		bodies = append(bodies, body)
	}
	nt := template.New(t.Name()).Funcs(fm).Funcs(template.FuncMap{
		"siteArchiveYear": func(k int, y *YearData) template.HTML {
			if s.buf == nil {
				return y.html[k]
			}
			s.marks = append(s.marks, yearMark{s.buf.Len(), y.html[k]})
			return ""
		},
		"siteArchivePosts": func(k int, y *YearData) template.HTML { return y.posts[k] },
	})
	for _, tm := range t.Templates() {
		if tm.Tree == nil || tm.Tree.Root == nil {
			continue
		}
		text, ok := texts[tm]
		if !ok {
			text = tm.Tree.Root.String()
		}
		if _, err := nt.New(tm.Name()).Parse(text); err != nil {
			return s
		}
	}
	for k, body := range bodies {
		if _, err := nt.New(yearTemplate + strconv.Itoa(k)).Parse(body); err != nil {
			return s
		}
	}
	for k, body := range postBodies {
		if _, err := nt.New(postTemplate + strconv.Itoa(k)).Parse(body); err != nil {
			return s
		}
	}
	s.t, s.n, s.np = nt, len(bodies), len(postBodies)
	return s
}

// selfContained reports whether the range n's body can be executed on its
// own, with the range's element as dot: it uses neither the root nor
// variables from outside, and the range has no else.
func selfContained(n *parse.RangeNode) bool {
	body := n.List.String()
	return n.ElseList == nil && !strings.Contains(body, "$") && !strings.Contains(body, "{{break}}") && !strings.Contains(body, "{{continue}}")
}

// postsRange finds {{range .Posts}} in a year's range body list, outside
// any other range or with (where dot is the year); nil if there is none,
// or more than one.
func postsRange(list *parse.ListNode) *parse.RangeNode {
	var found []*parse.RangeNode
	walkTree(list, func(n parse.Node) bool {
		switch n := n.(type) {
		case *parse.WithNode:
			return false // its dot is not the year
		case *parse.RangeNode:
			if isFieldRange(n, "Posts") {
				found = append(found, n)
			}
			return false
		}
		return true
	})
	if len(found) != 1 {
		return nil
	}
	return found[0]
}

// inText reports whether the split archive shows the parts made by the
// templates named prefix0, 1, … (a year's sections, or its posts'
// entries) as they are, where the archive made whole executes their
// bodies: in HTML text, so that, escaped on their own, they escape their
// data as the archive made whole does, whatever the data. Any other
// context (an attribute, a script, a style, a title, a comment) escapes
// or filters the part anew, which may agree with the archive made whole
// for some data, such as the one archive compared, but not for other.
// It escapes the templates, without executing them.
func (s *yearSplit) inText(prefix string) bool {
	fn := "siteArchiveYear"
	if prefix == postTemplate {
		fn = "siteArchivePosts"
	}
	names := []string{"base"}
	for k := range s.n {
		names = append(names, yearTemplate+strconv.Itoa(k))
	}
	for k := range s.np {
		names = append(names, postTemplate+strconv.Itoa(k))
	}
	for _, name := range names {
		// The escaper rewrites the trees before anything executes, and
		// the execution stops at its first write.
		err := s.t.ExecuteTemplate(failWriter{}, name, nil)
		if _, escaping := errors.AsType[*template.Error](err); escaping {
			return false
		}
	}
	ok := true
	visit := func(n parse.Node) bool {
		a, isAction := n.(*parse.ActionNode)
		if !isAction {
			return true
		}
		cmds := a.Pipe.Cmds
		if len(cmds) == 0 || len(cmds[0].Args) == 0 {
			return true
		}
		if f, isIdent := cmds[0].Args[0].(*parse.IdentifierNode); !isIdent || f.Ident != fn {
			return true
		}
		if len(cmds) != 2 || len(cmds[1].Args) != 1 {
			ok = false
			return true
		}
		// The escaper's name is html/template's own: should Go rename
		// it, nothing splits, which TestArchiveByYear reports.
		e, isIdent := cmds[1].Args[0].(*parse.IdentifierNode)
		ok = ok && isIdent && e.Ident == "_html_template_htmlescaper"
		return true
	}
	for _, tm := range s.t.Templates() {
		if tm.Tree != nil {
			walkTree(tm.Tree.Root, visit)
		}
	}
	return ok
}

// walkTree calls visit on n and the nodes under it, in the order
// written: a list's nodes, and the bodies and else branches of if, with
// and range. It does not go under a node for which visit is false.
func walkTree(n parse.Node, visit func(parse.Node) bool) {
	if l, isList := n.(*parse.ListNode); isList && l == nil {
		return
	}
	if !visit(n) {
		return
	}
	switch n := n.(type) {
	case *parse.ListNode:
		for _, c := range n.Nodes {
			walkTree(c, visit)
		}
	case *parse.IfNode:
		walkTree(n.List, visit)
		walkTree(n.ElseList, visit)
	case *parse.WithNode:
		walkTree(n.List, visit)
		walkTree(n.ElseList, visit)
	case *parse.RangeNode:
		walkTree(n.List, visit)
		walkTree(n.ElseList, visit)
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("not written") }

// isYearsRange reports whether n is {{range .Years}}.
func isYearsRange(n *parse.RangeNode) bool { return isFieldRange(n, "Years") }

// isFieldRange reports whether n is {{range .FIELD}}.
func isFieldRange(n *parse.RangeNode, field string) bool {
	p := n.Pipe
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	f, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
	return ok && len(f.Ident) == 1 && f.Ident[0] == field
}

// archive makes the archive page of data by years, each year's section
// from the last build's when its key is the same, scrubbed; ok is false when the
// templates do not split, or split otherwise than the archive made
// whole, or when the split archive fails, which the caller then makes.
func (b *builder) archive(data *PageData) (html []byte, ok bool, err error) {
	s := b.yearSplit
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.t == nil || s.failed {
		return nil, false, nil
	}
	years := make(map[int]yearSection, len(data.Years))
	clean := true // every section is as scrub leaves it
	listed := func(p *PostData) Key { return p.digest() }
	if !b.tmplBody[data.Kind] {
		listed = func(p *PostData) Key { return p.meta() }
	}
	w := keyWriter{}
	w.key(b.siteKey)
	w.key(b.tmplKeys[data.Kind])
	base := w.sum()
	for _, y := range data.Years {
		c, ok := s.years[y.Year]
		ok = ok && c.base == base
		if ok && b.yearSame(y, c.from, c.listed, listed) {
			c.from = b.keptFrom(y)
			y.html, years[y.Year] = c.html, c
			clean = clean && c.clean
			continue
		}
		var kept map[Key][]template.HTML
		if ok {
			kept = c.posts
		}
		keys := make([]Key, len(y.Posts))
		for i, p := range y.Posts {
			keys[i] = listed(p)
		}
		// An error of the split archive is left to the archive made
		// whole to report, as a full build does: where it happened, in
		// the theme's template, not in the part split from it.
		posts, err := b.archivePosts(y, keys, kept)
		if err != nil {
			return nil, false, nil
		}
		s.madeYears++
		y.html = make([]template.HTML, s.n)
		yearClean := true
		for k := range s.n {
			section, err := buffered(func(buf *bytes.Buffer) error { return s.t.ExecuteTemplate(buf, yearTemplate+strconv.Itoa(k), y) })
			if err != nil {
				return nil, false, nil
			}
			y.html[k] = template.HTML(section)
			yearClean = yearClean && firstNotText(section) < 0
		}
		years[y.Year] = yearSection{base, keys, b.keptFrom(y), y.html, yearClean, posts}
		clean = clean && yearClean
	}
	page, skeletonClean, ok := s.assemble(data)
	if !ok {
		return nil, false, nil
	}
	if !s.verified {
		whole, err := b.tmpl.execute(data)
		if err != nil {
			return nil, false, err
		}
		if !bytes.Equal(whole, page) {
			s.failed = true
			return nil, false, nil
		}
		s.verified = true
	}
	s.years = years
	if !clean || !skeletonClean {
		page = scrub(page)
	}
	return page, true, nil
}

// assemble executes the split archive of data, the years' sections
// (made) left out, and copies them in where they go (see "The archive by
// year" above); clean is whether scrub keeps what is not the sections as
// it is. It reports false when the execution fails, which the archive
// made whole then reports, or notes places out of order.
func (s *yearSplit) assemble(data *PageData) (page []byte, clean, ok bool) {
	s.marks = s.marks[:0]
	skeleton, err := buffered(func(buf *bytes.Buffer) error {
		s.buf = buf
		defer func() { s.buf = nil }()
		return s.t.ExecuteTemplate(buf, "base", data)
	})
	if err != nil {
		return nil, false, false
	}
	size, at := len(skeleton), 0
	for _, m := range s.marks {
		if m.at < at || m.at > len(skeleton) {
			return nil, false, false
		}
		size, at = size+len(m.html), m.at
	}
	page = make([]byte, 0, size)
	at = 0
	for _, m := range s.marks {
		page = append(append(page, skeleton[at:m.at]...), m.html...)
		at = m.at
	}
	page = append(page, skeleton[at:]...)
	clear(s.marks) // the sections are the years' to keep, not the marks'
	return page, firstNotText(skeleton) < 0, true
}

// archivePosts makes the entries of year y's posts, for each range over
// them, into y.posts: each post's from kept (the entries of the year's
// last section, made with the same site and templates) when its key
// (keys, of each post as the archive lists it) is there. It returns the
// entries by key, to keep.
func (b *builder) archivePosts(y *YearData, keys []Key, kept map[Key][]template.HTML) (map[Key][]template.HTML, error) {
	s := b.yearSplit
	if s.np == 0 {
		return nil, nil
	}
	posts := make(map[Key][]template.HTML, len(y.Posts))
	shown := make([][]template.HTML, len(y.Posts))
	for i, p := range y.Posts {
		key := keys[i]
		entries, ok := kept[key]
		if !ok {
			if entries, ok = posts[key]; !ok {
				s.madeEntries++
				entries = make([]template.HTML, s.np)
				for k := range s.np {
					entry, err := buffered(func(buf *bytes.Buffer) error { return s.t.ExecuteTemplate(buf, postTemplate+strconv.Itoa(k), p) })
					if err != nil {
						return nil, err
					}
					entries[k] = template.HTML(entry)
				}
			}
		}
		posts[key], shown[i] = entries, entries
	}
	y.posts = make([]template.HTML, s.np)
	for k := range s.np {
		size := 0
		for _, entries := range shown {
			size += len(entries[k])
		}
		var joined strings.Builder
		joined.Grow(size)
		for _, entries := range shown {
			joined.WriteString(string(entries[k]))
		}
		y.posts[k] = template.HTML(joined.String())
	}
	return posts, nil
}

// yearKeys are the keys of a year's posts as a kind of page lists them,
// and their digest, kept between builds (builder.yearDigests).
type yearKeys struct {
	listed []Key
	from   keptFrom
	digest Key
}

// yearDigest is the digest of the keys of year y's posts as the pages of
// kind list them (listed), for the key of a page that shows the year (the
// archive). A builder kept for builds in place keeps each year's keys
// and digest, so that a save compares the keys of the posts of a year
// with the last build's, and hashes again only those of a year that
// changed, not the site's.
func (b *builder) yearDigest(kind string, y *YearData, listed func(*PostData) Key) Key {
	b.yearsMu.Lock()
	defer b.yearsMu.Unlock()
	id := yearID{kind, y.Year}
	c, ok := b.yearDigests[id]
	if ok && b.yearSame(y, c.from, c.listed, listed) {
		c.from = b.keptFrom(y)
		b.yearDigests[id] = c
		return c.digest
	}
	w := keyWriter{make([]byte, 0, len(Key{})*len(y.Posts))}
	keys := make([]Key, len(y.Posts))
	for i, p := range y.Posts {
		keys[i] = listed(p)
		w.key(keys[i])
	}
	c = yearKeys{keys, b.keptFrom(y), w.sum()}
	if b.yearDigests == nil {
		b.yearDigests = map[yearID]yearKeys{}
	}
	b.yearDigests[id] = c
	return c.digest
}

// yearID names a year of the pages of a kind.
type yearID struct {
	kind string
	year int
}

// yearsAfter is years() after ch, the change of one post's front matter,
// made from was, the years of the last build's archive: the years the
// post left and took are made again, from the site's posts of those years
// (found by halving), and the others are the last build's, so that a
// save does not go over every post.
//
// Halving needs the posts' years to go down in the site's order, which
// the order by instant does not promise of a site without a time zone:
// each post's year is in the offset it was written in, so a post of
// 2024-01-01T01:00+05:00 comes after one of 2023-12-31T22:00Z, and
// years() shows 2023 between two sections of 2024. When the last
// build's years do not go down, or the post's new place breaks their
// order, the years are made again from every post, as years() makes
// them.
func (b *builder) yearsAfter(was []*YearData, ch *content.PostChange) []*YearData {
	posts := b.site.Posts
	yearAt := func(i int) int { return b.posts[posts[i]].Date.Year() }
	left, took := b.cfg.InZone(ch.Old.Date).Year(), b.posts[ch.Page].Date.Year()
	for i := 1; i < len(was); i++ {
		if was[i].Year >= was[i-1].Year {
			return b.years()
		}
	}
	if (ch.To > 0 && yearAt(ch.To-1) < took) || (ch.To+1 < len(posts) && yearAt(ch.To+1) > took) {
		return b.years()
	}
	remade := func(y int) *YearData {
		// The posts are newest first: the years go down.
		lo := sort.Search(len(posts), func(i int) bool { return yearAt(i) <= y })
		hi := sort.Search(len(posts), func(i int) bool { return yearAt(i) < y })
		if lo >= hi {
			return nil
		}
		yd := &YearData{Year: y, Posts: make([]*PostData, 0, hi-lo)}
		for _, pg := range posts[lo:hi] {
			yd.Posts = append(yd.Posts, b.posts[pg])
		}
		return yd
	}
	years := make([]*YearData, 0, len(was)+1)
	add := func(y *YearData) {
		if y != nil {
			years = append(years, y)
		}
	}
	done := false // the year it took, when it is not one of was
	for _, y := range was {
		if !done && took > y.Year {
			add(remade(took))
			done = true
		}
		switch y.Year {
		case took:
			add(remade(took))
			done = true
		case left:
			add(remade(left))
		default:
			add(y)
		}
	}
	if !done {
		add(remade(took))
	}
	return years
}

// keptFrom is what a year's kept keys were taken from: the year's list
// of posts, and the year's yearGen then.
type keptFrom struct {
	posts []*PostData
	gen   uint64
}

// keptFrom is what the keys of year y's posts, taken now, come from.
func (b *builder) keptFrom(y *YearData) keptFrom {
	return keptFrom{y.Posts, b.yearGen[y.Year]}
}

// yearSame reports whether year y's posts have the keys kept (by
// listed), taken from the posts of from: without looking at a post
// when y lists them in the very slice the keys were taken from, and no
// post of the year had its keys made anew since (keysReset), as a save
// leaves the years it does not touch (yearsAfter); else post by post.
func (b *builder) yearSame(y *YearData, from keptFrom, kept []Key, listed func(*PostData) Key) bool {
	if n := len(y.Posts); n > 0 && n == len(from.posts) && n == len(kept) && &y.Posts[0] == &from.posts[0] && from.gen == b.yearGen[y.Year] {
		return true
	}
	return sameListed(y.Posts, kept, listed)
}

// sameListed reports whether posts are, one for one, those whose keys
// (by listed) were kept.
func sameListed(posts []*PostData, kept []Key, listed func(*PostData) Key) bool {
	if len(posts) != len(kept) {
		return false
	}
	for i, p := range posts {
		if listed(p) != kept[i] {
			return false
		}
	}
	return true
}
