package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"

	"github.com/siteblog/site/content"
)

// A Key identifies the inputs something was made from: a SHA-256 over all
// of them. Equal keys mean equal output.
type Key [32]byte

// BodyCache keeps rendered post bodies (content, summary and table of
// contents) by the key of everything their HTML depends on: the engine
// version, the Markdown settings (the table of contents' levels among
// them) and the page's body and summary source. A change of any of them is a new key,
// so a cached body is never stale. It is safe for concurrent use.
//
// With a directory it persists across builds in pack files (see pack.go):
// the bodies one build renders are appended to one new pack, which Flush
// publishes, so a cold build creates one file, not one per post. Once a
// directory holds more than maxPacks packs, Flush merges the newer ones
// (and the oldest too once most of its bodies are gone) into one, keeping
// only the bodies of the posts the builds of this cache saw (Live), so the
// directory does not grow with every edit.
type BodyCache struct {
	dir string // "" keeps bodies in memory only

	mu   sync.Mutex
	mem  map[Key]Rendered // every body when dir is ""; else those read from packs, for the next Get
	live map[Key]bool     // the bodies of the posts of the current (or last) build
	// fresh is set by Retain: the next Live starts the next build's set.
	fresh bool
	// pending are the bodies put since the last Flush, where they lie in
	// the pack being written (out): Get reads them back from it rather
	// than keeping them in memory, so a cold build of a large site holds
	// no post's body longer than it uses it.
	pending map[Key]packedBody

	opened bool               // packs and index read from dir
	packs  []*pack            // readable packs, oldest first
	broken []string           // unreadable pack files, removed by the next merge
	index  map[Key]packedBody // newest pack wins
	out    *packWriter        // this build's new bodies; nil until the first Put

	// readOnce is set for a single build (forOneBuild): what is read
	// back from the directory is not kept in memory.
	readOnce bool

	readBack func(Key) // for tests: called for each entry read back from dir
}

// maxPacks is how many packs a cache directory holds before Flush merges
// them: each build that renders something adds one.
const maxPacks = 8

// NewBodyCache returns a cache kept in dir, or in memory when dir is "".
// A dir that is a symbolic link, or whose parent is one (CheckCacheDirs),
// is never written through: the cache is kept in memory only.
func NewBodyCache(dir string) *BodyCache {
	if dir != "" && CheckCacheDirs(filepath.Dir(dir), dir) != nil {
		dir = ""
	}
	return &BodyCache{dir: dir, mem: map[Key]Rendered{}, live: map[Key]bool{}, index: map[Key]packedBody{}, pending: map[Key]packedBody{}}
}

// bodyKey is the key of a page's rendered body.
func (r *Renderer) bodyKey(pg *content.Page) Key { return r.expandedBodyKey(pg, nil) }

// expandedBodyKey is the key of a page's rendered body when expanders
// turned its body into x: the expanded Markdown and the placeholders'
// HTML stand for the body.
func (r *Renderer) expandedBodyKey(pg *content.Page, x *expansion) Key {
	body, summary := x.sources(pg)
	h := sha256.New()
	writeField := func(b []byte) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	writeField([]byte(r.opts.engineVersion))
	writeField([]byte(r.cfg.RawHTML))
	writeField([]byte{boolByte(r.cfg.Markdown.Autolinks())})
	writeField([]byte{boolByte(r.cfg.LineNumbers())})
	lv := r.tocLevels()
	writeField([]byte{byte(lv.Start), byte(lv.End)})
	var l *Listings // the listings' and tables' names, in the site's language
	if r.md != nil {
		l = r.md.page.listings
	}
	writeField([]byte(l.label()))
	writeField([]byte(l.tableLabel()))
	writeField([]byte(l.anchorLabel()))
	writeField([]byte(l.taskLabel()))
	writeField(body[leadingEmptyLines(body):]) // the empty lines standing for front matter change nothing: scans count lines after them
	writeField([]byte{boolByte(pg.SummarySource != nil)})
	writeField(summary)
	x.writeKey(writeField)
	var k Key
	h.Sum(k[:0])
	return k
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// Get returns the body cached under k. An entry that cannot be read or
// fails its checksum counts as missing, and Put replaces it.
func (c *BodyCache) Get(k Key) (Rendered, bool) {
	c.mu.Lock()
	r, ok := c.mem[k]
	if ok || c.dir == "" {
		c.mu.Unlock()
		return r, ok
	}
	if at, ok := c.pending[k]; ok {
		err := c.out.flush() // the body may still be in the writer's buffer
		if c.readBack != nil {
			c.readBack(k)
		}
		c.mu.Unlock()
		if err != nil {
			return Rendered{}, false
		}
		data, err := at.read()
		if err != nil {
			return Rendered{}, false
		}
		return decodeBody(data)
	}
	c.open()
	at, ok := c.index[k]
	if ok && c.readBack != nil {
		c.readBack(k)
	}
	c.mu.Unlock()
	if !ok {
		return Rendered{}, false
	}
	data, err := at.read()
	if err != nil {
		return Rendered{}, false
	}
	if r, ok = decodeBody(data); ok && !c.readOnce {
		// Kept, as a preview asks again for the bodies its lists show
		// after every change; a build asks for each body once.
		c.mu.Lock()
		c.mem[k] = r
		c.mu.Unlock()
	}
	return r, ok
}

// forOneBuild makes the cache keep none of what it reads back from its
// directory in memory, for a renderer that builds once
// (PipelineOptions.OneBuild): it asks for a body once or twice, and
// keeping them would hold every body of a site whose files are all
// made again (a new theme).
func (c *BodyCache) forOneBuild() {
	c.mu.Lock()
	c.readOnce = true
	c.mu.Unlock()
}

// Put stores a body under k. Writing to disk is best effort: a cache that
// cannot be written only makes the next build slower.
func (c *BodyCache) Put(k Key, r Rendered) {
	var data []byte
	if c.dir != "" {
		buf := entryBuffers.Get().(*[]byte)
		data = appendBody((*buf)[:0], r)
		defer func() { *buf = data[:0]; entryBuffers.Put(buf) }() // the pack has written or copied it by then
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != "" && c.out == nil {
		c.out = newPackWriter(c.dir)
	}
	if c.out == nil || c.out.err != nil { // in memory only, or the disk failed
		c.mem[k] = r
		return
	}
	delete(c.mem, k)
	c.pending[k] = c.out.add(k, data)
}

// PutOnDisk is Put for what is worth keeping only on disk, in the pack
// being written: a cache in memory, or one that cannot write, keeps
// nothing. A build uses it for what it asks for twice, where making it
// again costs more than reading it back. Such an entry is not Live: the
// next merge of packs drops it.
func (c *BodyCache) PutOnDisk(k Key, r Rendered) {
	if c.dir == "" {
		return
	}
	buf := entryBuffers.Get().(*[]byte)
	data := appendBody((*buf)[:0], r)
	defer func() { *buf = data[:0]; entryBuffers.Put(buf) }()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out == nil {
		c.out = newPackWriter(c.dir)
	}
	if c.out == nil || c.out.err != nil {
		return
	}
	c.pending[k] = c.out.add(k, data)
}

// Live notes the bodies a build's posts have, which a merge of packs keeps.
func (c *BodyCache) Live(keys []Key) {
	c.mu.Lock()
	if c.fresh {
		c.live, c.fresh = map[Key]bool{}, false
	}
	for _, k := range keys {
		c.live[k] = true
	}
	c.mu.Unlock()
}

// Retain drops from memory every body the build that just succeeded did
// not note Live; the next Live starts the next build's set. So a cache
// used for build after build (a preview) holds the bodies of the site as
// it is, not of every version of every post. Bodies in the directory
// stay there.
func (c *BodyCache) Retain() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.mem {
		if !c.live[k] {
			delete(c.mem, k)
		}
	}
	c.fresh = true
}

// Abandon notes that the build that noted its bodies Live failed: the
// next Live starts the next build's set, as after Retain, so that the
// next good build's Retain drops from memory the bodies of a failed
// build that it does not show, however many builds failed before it.
// Memory is not trimmed here: what it holds stays for the next build
// to reuse (of the saved post, a build in place that failed has
// already dropped the old version's bodies: Replace).
func (c *BodyCache) Abandon() {
	c.mu.Lock()
	c.fresh = true
	c.mu.Unlock()
}

// Replace notes, for a build that changed some bodies only
// (rebuildBodies), that the entries gone are no longer the site's and
// those of live are, in the last build's set: gone ones leave memory
// (and the next merge).
func (c *BodyCache) Replace(gone, live []Key) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range gone {
		delete(c.mem, k)
		delete(c.live, k)
	}
	for _, k := range live {
		c.live[k] = true
	}
}

// Flush publishes the bodies put since the last Flush as a new pack, and
// merges the packs when there are too many. A build calls it at its end.
func (c *BodyCache) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out == nil {
		return
	}
	c.open()
	p := c.out.finish()
	c.out = nil
	clear(c.pending)
	if p == nil {
		return
	}
	c.addPack(p)
	if len(c.packs) <= maxPacks || len(c.live) == 0 {
		return
	}
	// The oldest pack is usually a cold build's, holding most bodies: it
	// is merged too only once most of them are gone from the site, so
	// merging the small packs of edits stays cheap.
	oldest, dead := c.packs[0], 0
	for k := range oldest.entries {
		if !c.live[k] {
			dead++
		}
	}
	if 2*dead > len(oldest.entries) {
		c.merge(c.packs)
	} else {
		c.merge(c.packs[1:])
	}
}

// open reads the index of every pack in the directory, once.
func (c *BodyCache) open() {
	if c.opened {
		return
	}
	c.opened = true
	removeStale(c.dir)
	names, _ := filepath.Glob(filepath.Join(c.dir, "*"+packExt))
	sort.Strings(names) // by creation time: names start with it
	for _, name := range names {
		if p, err := openPack(name); err == nil {
			c.addPack(p)
		} else {
			c.broken = append(c.broken, name)
		}
	}
}

func (c *BodyCache) addPack(p *pack) {
	c.packs = append(c.packs, p)
	for k, at := range p.entries {
		c.index[k] = at
	}
}

// merge replaces packs, the newest of the cache's, with one holding
// their live bodies, and removes unreadable pack files.
func (c *BodyCache) merge(packs []*pack) {
	w := newPackWriter(c.dir)
	if w == nil {
		return
	}
	merging := map[*os.File]bool{}
	for _, p := range packs {
		merging[p.file] = true
	}
	var keys []Key
	for k, at := range c.index {
		if c.live[k] && merging[at.file] {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i][:], keys[j][:]) < 0 })
	for _, k := range keys {
		data, err := c.index[k].read()
		if err != nil {
			continue
		}
		if _, ok := decodeBody(data); ok {
			w.add(k, data)
		}
	}
	merged := w.finish()
	if merged == nil {
		return
	}
	kept := c.packs[:len(c.packs)-len(packs)]
	for _, p := range packs {
		p.file.Close()
		os.Remove(p.name)
	}
	for _, name := range c.broken {
		os.Remove(name)
	}
	c.packs, c.broken, c.index = nil, nil, map[Key]packedBody{}
	for _, p := range append(kept, merged) {
		c.addPack(p)
	}
}

// A cache entry is: SHA-256 of the rest, length of content, content,
// length of summary, summary, table of contents.
func encodeBody(r Rendered) []byte { return appendBody(nil, r) }

// entryBuffers hold cache entries while they are added to a pack, which
// writes or copies them before it returns: a build adds one for every
// body it renders.
var entryBuffers = sync.Pool{New: func() any { return new([]byte) }}

// appendBody appends r's cache entry to data.
func appendBody(data []byte, r Rendered) []byte {
	start := len(data)
	data = slices.Grow(data, 32+8+len(r.Content)+8+len(r.Summary)+len(r.TOC))
	data = append(data, make([]byte, 32)...)
	for _, part := range [][]byte{r.Content, r.Summary} {
		data = binary.LittleEndian.AppendUint64(data, uint64(len(part)))
		data = append(data, part...)
	}
	data = append(data, r.TOC...)
	sum := sha256.Sum256(data[start+32:])
	copy(data[start:], sum[:])
	return data
}

func decodeBody(data []byte) (Rendered, bool) {
	if len(data) < 32 {
		return Rendered{}, false
	}
	if sum := sha256.Sum256(data[32:]); !bytes.Equal(sum[:], data[:32]) {
		return Rendered{}, false
	}
	rest := data[32:]
	var parts [2][]byte
	for i := range parts {
		if len(rest) < 8 {
			return Rendered{}, false
		}
		n := binary.LittleEndian.Uint64(rest)
		rest = rest[8:]
		if n > uint64(len(rest)) {
			return Rendered{}, false
		}
		parts[i], rest = rest[:n], rest[n:]
	}
	r := Rendered{Content: parts[0], Summary: parts[1], TOC: rest}
	if len(r.Summary) == 0 {
		r.Summary = nil
	}
	if len(r.TOC) == 0 {
		r.TOC = nil
	}
	return r, true
}

// CacheDir is the directory of a site, relative to it, where builds keep
// what the next build may reuse.
const CacheDir = ".site-cache"

// MarshalText writes a key in hexadecimal.
func (k Key) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(k[:])), nil }

// UnmarshalText reads a key written by MarshalText.
func (k *Key) UnmarshalText(text []byte) error {
	b, err := hex.DecodeString(string(text))
	if err != nil || len(b) != len(k) {
		return fmt.Errorf("key %q: want %d hexadecimal bytes", text, len(k))
	}
	copy(k[:], b)
	return nil
}

// CheckCacheDirs refuses cache directories that are symbolic links: a site
// checked out from a repository may hold a link .site-cache/bodies ->
// /elsewhere, and a build writes and removes files in its cache
// directories. A missing directory is fine (the build makes it).
func CheckCacheDirs(dirs ...string) error {
	for _, dir := range dirs {
		if info, err := os.Lstat(dir); err == nil && info.Mode()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(dir)
			return fmt.Errorf("%s: the cache directory is a symbolic link (to %s); refusing to write through it: remove the link (site clean does)", dir, target)
		}
	}
	return nil
}
