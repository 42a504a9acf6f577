package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/xml"
	"slices"
	"time"

	"github.com/siteblog/site/content"
)

// The sitemap by parts
//
// sitemap.xml names every post, so making it costs in proportion to the
// site: about a hundred bytes a post, a megabyte at 10,000 posts, to
// write, scrub and key. A build that changes one post's front matter
// (incremental.go) changes one entry of it, or moves one (a new date),
// so the sitemap is kept between such builds as parts (sitemapState):
// each post's entry, made and scrubbed once, in the order of the site's
// posts, grouped in blocks of sitemapBlockSize posts whose bytes and
// digest are kept too. A build remakes the entries of the posts it
// changed, the blocks whose entries are others, and the few entries
// that are not posts' (the home page, the pages, the archive, the tags);
// the file is the blocks and those entries joined, and its key is a
// digest over the blocks' digests, not over its bytes. So a save costs
// the copy of the file's bytes and a comparison of one pointer a post.
//
// Scrubbing the parts is scrubbing the file: every entry is valid UTF-8
// (xml.EscapeText writes U+FFFD for what is not), so scrub changes each
// character on its own and the scrubbed parts joined are the file
// scrubbed.

// sitemapBlockSize is how many posts' entries a block of the kept
// sitemap holds.
const sitemapBlockSize = 64

// sitemapState is the sitemap kept between builds as parts.
type sitemapState struct {
	posts  []*sitemapPart                // the entries of the site's posts, in their order
	tags   map[*content.Tag]*sitemapPart // the entries of the tags' lists
	newest time.Time                     // the latest change of the site's posts
	blocks []sitemapBlock
	// made counts the entries and blocks made since the state was, for
	// tests that check a save makes few of them.
	madeEntries, madeBlocks int
}

// sitemapPart is one <url> entry of the sitemap, scrubbed.
type sitemapPart struct {
	page    *content.Page // a post's, nil for other entries
	loc     string
	lastmod time.Time
	xml     []byte
}

// sitemapBlock is the entries of sitemapBlockSize posts (fewer in the
// last block), joined, and the digest of their bytes.
type sitemapBlock struct {
	parts []*sitemapPart
	data  []byte
	sum   [sha256.Size]byte
}

// sitemap makes sitemap.xml and its key. It writes what encoding/xml
// writes of a sitemap, indented by two spaces (TestSitemapAsEncoded),
// without reflection. Where the builder keeps the sitemap's parts
// (b.sitemapKept, made by prepareRebuild), ch, the change of one post's
// front matter since they were made (nil for none), says which parts to
// make again; the others are reused.
func (b *builder) sitemap(ch *content.PostChange) ([]byte, Key) {
	s := b.sitemapKept
	if s == nil {
		s = &sitemapState{}
	}
	if !s.update(b, ch) {
		s.make(b)
	}
	s.join(b)

	head := b.sitemapPart(nil, b.abs("/"), s.newest)
	var tail []*sitemapPart
	for _, pg := range b.site.Pages {
		tail = append(tail, b.sitemapPart(nil, b.posts[pg].Permalink, pg.Updated))
	}
	tail = append(tail, b.sitemapPart(nil, b.abs("/archive/"), s.newest), b.sitemapPart(nil, b.abs("/tags/"), s.newest))
	for _, t := range b.site.Tags {
		e := s.tags[t]
		if e == nil {
			e = b.sitemapPart(nil, b.abs(tagPath(t)), newest(t.Posts))
			if s.tags == nil {
				s.tags = map[*content.Tag]*sitemapPart{}
			}
			s.tags[t] = e
		}
		tail = append(tail, e)
	}

	const start = xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n"
	const end = "</urlset>\n"
	size := len(start) + len(head.xml) + len(end)
	for i := range s.blocks {
		size += len(s.blocks[i].data)
	}
	for _, e := range tail {
		size += len(e.xml)
	}
	data := make([]byte, 0, size)
	data = append(append(data, start...), head.xml...)
	h := sha256.New()
	h.Write([]byte("sitemap by blocks\n"))
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(data)))
	h.Write(n[:])
	h.Write(data)
	binary.LittleEndian.PutUint64(n[:], uint64(len(s.blocks)))
	h.Write(n[:])
	for i := range s.blocks {
		blk := &s.blocks[i]
		data = append(data, blk.data...)
		binary.LittleEndian.PutUint64(n[:], uint64(len(blk.data)))
		h.Write(n[:])
		h.Write(blk.sum[:])
	}
	rest := len(data)
	for _, e := range tail {
		data = append(data, e.xml...)
	}
	data = append(data, end...)
	h.Write(data[rest:])
	return data, sum(h)
}

// sitemapPlanned is the planned sitemap.xml (sitemap).
func (b *builder) sitemapPlanned(ch *content.PostChange) *planned {
	data, key := b.sitemap(ch)
	return keyedPlanned("sitemap.xml", data, key)
}

// sitemapPart makes the entry of loc, changed last at lastmod, for the
// post pg (nil for another page).
func (b *builder) sitemapPart(pg *content.Page, loc string, lastmod time.Time) *sitemapPart {
	return &sitemapPart{page: pg, loc: loc, lastmod: lastmod, xml: scrub(sitemapEntry(nil, loc, lastmod))}
}

// postPart is the entry of the post pg, from was, its last entry, when
// that is still its entry.
func (s *sitemapState) postPart(b *builder, pg *content.Page, was *sitemapPart) *sitemapPart {
	loc, lastmod := b.posts[pg].Permalink, updated(pg)
	if was != nil && was.page == pg && was.loc == loc && sameInstant(was.lastmod, lastmod) {
		return was
	}
	s.madeEntries++
	return b.sitemapPart(pg, loc, lastmod)
}

// sameInstant reports whether a and b are one instant in one zone, so
// that they are written alike.
func sameInstant(a, b time.Time) bool { return a.Equal(b) && a.Location() == b.Location() }

// make makes every part of the sitemap anew, for the site as it is.
func (s *sitemapState) make(b *builder) {
	posts := b.site.Posts
	s.posts = make([]*sitemapPart, len(posts))
	for i, pg := range posts {
		s.posts[i] = s.postPart(b, pg, nil)
	}
	s.newest = newest(posts)
	s.tags = nil // made as the site's tags are written
}

// update brings the parts up to date with ch, the change of one post's
// front matter since they were made: the post's entry, moved to its new
// place, and, when its dates or tags changed, the latest change of the
// site and of the tags it left and took. It reports false when it
// cannot (no parts kept, no change told, or parts that are not the
// site's posts), and make must make them all.
func (s *sitemapState) update(b *builder, ch *content.PostChange) bool {
	posts := b.site.Posts
	if ch == nil || len(s.posts) != len(posts) || ch.From < 0 || ch.From >= len(posts) || ch.To < 0 || ch.To >= len(posts) ||
		s.posts[ch.From].page != ch.Page {
		return false
	}
	was := s.posts[ch.From]
	if ch.From != ch.To {
		s.posts = slices.Insert(slices.Delete(s.posts, ch.From, ch.From+1), ch.To, was)
	}
	s.posts[ch.To] = s.postPart(b, ch.Page, was)
	if !sameInstant(updated(ch.Page), updated(&ch.Old)) {
		s.newest = newest(posts)
	}
	if !sameInstant(updated(ch.Page), updated(&ch.Old)) || !slices.Equal(ch.Page.Tags, ch.Old.Tags) {
		for _, t := range slices.Concat(ch.Old.Tags, ch.Page.Tags) {
			delete(s.tags, t) // made again as the site's tags are written, if it still is one
		}
	}
	return true
}

// join groups the posts' entries into blocks, making again the blocks
// whose entries are others; a post in another place than its entry is
// a post whose entry make makes again.
func (s *sitemapState) join(b *builder) {
	posts := b.site.Posts
	for i, pg := range posts {
		if s.posts[i].page != pg { // not the place update left it at
			s.make(b)
			break
		}
	}
	n := (len(s.posts) + sitemapBlockSize - 1) / sitemapBlockSize
	if cap(s.blocks) >= n {
		s.blocks = s.blocks[:n]
	} else {
		s.blocks = append(s.blocks[:cap(s.blocks)], make([]sitemapBlock, n-cap(s.blocks))...)
	}
	for i := range s.blocks {
		parts := s.posts[i*sitemapBlockSize : min((i+1)*sitemapBlockSize, len(s.posts))]
		blk := &s.blocks[i]
		if blk.data != nil && slices.Equal(blk.parts, parts) {
			continue
		}
		s.madeBlocks++
		blk.parts = slices.Clone(parts)
		size := 0
		for _, e := range parts {
			size += len(e.xml)
		}
		blk.data = make([]byte, 0, size)
		for _, e := range parts {
			blk.data = append(blk.data, e.xml...)
		}
		blk.sum = sha256.Sum256(blk.data)
	}
}

// sitemapEntry appends to buf the sitemap's <url> entry of loc.
func sitemapEntry(buf []byte, loc string, lastmod time.Time) []byte {
	w := bytes.NewBuffer(buf)
	w.WriteString("  <url>\n    <loc>")
	xml.EscapeText(w, []byte(loc)) // a bytes.Buffer takes every write
	w.WriteString("</loc>\n")
	if !lastmod.IsZero() {
		w.WriteString("    <lastmod>")
		xml.EscapeText(w, lastmod.AppendFormat(nil, time.RFC3339))
		w.WriteString("</lastmod>\n")
	}
	w.WriteString("  </url>\n")
	return w.Bytes()
}
