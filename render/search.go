package render

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/par"
)

// The search page and the files its script reads (see the package doc's
// "Search" section).
const (
	searchPath     = "/search/"
	searchIndexDir = "search/index/"
	// searchTextMax is the most of a post's text its search document
	// holds, in bytes, for excerpts: a match further on is shown with the
	// post's first words.
	searchTextMax = 32 << 10
	// searchFormat names the layout of the index files; the key of the
	// cached index covers it.
	searchFormat = "search index 1"
)

// Fields a term is found in, as bits of searchTerms.
const (
	inTitle = 1 << iota
	inTags
	inBody
)

// searchTerms are the terms of one post: each stem with the fields it
// is found in and the words as written that have it, in no order.
type searchTerms []termStem

type termStem struct {
	stem   string
	fields uint8
	words  []string
}

// terms cuts a post's title, tags and text into words and stems them.
func (s *stemmer) terms(title string, tags []string, text string) searchTerms {
	// a post of n bytes has about n/25 different words, and a map made
	// large enough is never rehashed
	return s.cut(title, tags, text, &termScratch{seen: make(map[string]uint8, min(len(text)/25, 4096)), at: map[string]int{}})
}

// packedTerms is terms packed (encode), cut in scratch maps and slices
// kept from post to post rather than made for each.
func (s *stemmer) packedTerms(title string, tags []string, text string) []byte {
	sc := termScratches.Get().(*termScratch)
	packed := s.cut(title, tags, text, sc).encode()
	if len(sc.seen) <= maxScratchWords { // a long post's maps are not kept for the short ones after it
		clear(sc.seen)
		clear(sc.at)
		termScratches.Put(sc)
	}
	return packed
}

// termScratch is what cutting a post's terms uses: each word as written
// → its fields, each stem → its index in t, and the terms.
type termScratch struct {
	seen map[string]uint8
	at   map[string]int
	t    searchTerms
}

var termScratches = sync.Pool{New: func() any { return &termScratch{seen: map[string]uint8{}, at: map[string]int{}} }}

// maxScratchWords is the most words of a post whose scratch is kept.
const maxScratchWords = 1 << 14

// cut is terms, in sc's maps (empty) and over sc.t's array, whose stems'
// word slices it reuses.
func (s *stemmer) cut(title string, tags []string, text string, sc *termScratch) searchTerms {
	add := func(field uint8) func(string) {
		return func(w string) { sc.seen[w] |= field }
	}
	searchWords(title, add(inTitle))
	for _, tag := range tags {
		searchWords(tag, add(inTags))
	}
	searchWords(text, add(inBody))
	t := sc.t[:0]
	if cap(t) < len(sc.seen) {
		t = make(searchTerms, 0, len(sc.seen))
	}
	for w, f := range sc.seen {
		st := s.of(w)
		i, ok := sc.at[st]
		if !ok {
			i = len(t)
			sc.at[st] = i
			t = t[:i+1] // within the capacity: a stem has at least one word
			t[i] = termStem{stem: st, words: t[i].words[:0]}
		}
		t[i].fields |= f
		t[i].words = append(t[i].words, w)
	}
	sc.t = t
	return t
}

// encode packs the terms for the body cache: per stem, its length, the
// stem, its fields, its number of words, and each word's length and word,
// integers as uvarints.
func (t searchTerms) encode() []byte {
	n := 0
	for _, ts := range t {
		n += len(ts.stem) + 4
		for _, w := range ts.words {
			n += len(w) + 2
		}
	}
	out := make([]byte, 0, n)
	for _, ts := range t {
		out = binary.AppendUvarint(out, uint64(len(ts.stem)))
		out = append(out, ts.stem...)
		out = append(out, ts.fields)
		out = binary.AppendUvarint(out, uint64(len(ts.words)))
		for _, w := range ts.words {
			out = binary.AppendUvarint(out, uint64(len(w)))
			out = append(out, w...)
		}
	}
	return out
}

// decodeSearchTerms unpacks what searchTerms.encode packed; ok is false
// when it does not decode.
func decodeSearchTerms(data []byte) (t searchTerms, ok bool) {
	s := string(data) // the words are pieces of one string
	rest := data
	piece := func() (string, bool) {
		p, r, ok := packedString(rest)
		if !ok {
			return "", false
		}
		rest = r
		at := len(data) - len(r) - len(p)
		return s[at : at+len(p)], true
	}
	for len(rest) > 0 {
		var ts termStem
		if ts.stem, ok = piece(); !ok || len(rest) == 0 {
			return nil, false
		}
		ts.fields = rest[0]
		n, k := binary.Uvarint(rest[1:])
		if k <= 0 || n > uint64(len(rest)-1-k) {
			return nil, false
		}
		rest = rest[1+k:]
		ts.words = make([]string, n)
		for i := range ts.words {
			if ts.words[i], ok = piece(); !ok {
				return nil, false
			}
		}
		t = append(t, ts)
	}
	return t, true
}

// postings are the posts a stem is found in, by field, as ascending
// document numbers.
type postings struct {
	stem              string
	title, tags, body []docID
}

// A docID numbers a post in the index. It is 32 bits, not an int: the
// postings of a site of 100,000 posts hold tens of millions of them,
// and are all in memory at once while the index is written.
type docID int32

// searchIndex is the inverted index of a site's posts.
type searchIndex struct {
	docs  int
	stems map[string]*postings
	words map[string]string // each word as written → its stem
}

// newSearchIndex merges the terms of posts numbered 0, 1, …, each as
// searchTerms.encode packed them (indexMerger).
func newSearchIndex(docs [][]byte) *searchIndex {
	m := newIndexMerger(len(docs))
	m.merge(0, docs)
	return m.index()
}

// An indexMerger builds the index of a site's posts from their terms as
// searchTerms.encode packed them, read in place (mergePacked), given a
// run of posts at a time in the order of their numbers, so that the
// packed terms of a run can be let go once merged, and merging allocates
// only what the index keeps. Each core merges the stems of one part of
// the stems' hashes, into an index of its own.
type indexMerger struct {
	parts []*searchIndex
	next  int // the number of the next post to merge
}

// newIndexMerger returns a merger for the index of docs posts.
func newIndexMerger(docs int) *indexMerger {
	parts := make([]*searchIndex, min(runtime.GOMAXPROCS(0), 8))
	for k := range parts {
		parts[k] = &searchIndex{docs: docs, stems: map[string]*postings{}, words: map[string]string{}}
	}
	return &indexMerger{parts: parts}
}

// merge adds the packed terms of posts first, first+1, …, numbered after
// every post merged before them.
func (m *indexMerger) merge(first int, docs [][]byte) {
	if first != m.next { // postings are appended to: their numbers must ascend
		panic(fmt.Sprintf("render: merging the terms of posts from %d, after those up to %d", first, m.next))
	}
	m.next += len(docs)
	par.Do(len(m.parts), func(k int) {
		for i, d := range docs {
			m.parts[k].mergePacked(first+i, d, k, len(m.parts))
		}
	})
}

// index is the index of every post merged.
func (m *indexMerger) index() *searchIndex {
	if len(m.parts) == 1 {
		return m.parts[0]
	}
	stems, words := 0, 0
	for _, p := range m.parts {
		stems, words = stems+len(p.stems), words+len(p.words)
	}
	ix := &searchIndex{docs: m.parts[0].docs, stems: make(map[string]*postings, stems), words: make(map[string]string, words)}
	for _, p := range m.parts {
		maps.Copy(ix.stems, p.stems)
		maps.Copy(ix.words, p.words)
	}
	return ix
}

// newSearchIndexOf is newSearchIndex of terms unpacked.
func newSearchIndexOf(docs []searchTerms) *searchIndex {
	ix := &searchIndex{docs: len(docs), stems: map[string]*postings{}, words: map[string]string{}}
	for id, d := range docs {
		ix.merge(id, d)
	}
	return ix
}

// postingsOf returns the postings of stem, made on first use.
func (ix *searchIndex) postingsOf(stem string) *postings {
	p := ix.stems[stem]
	if p == nil {
		p = &postings{stem: strings.Clone(stem)} // not a piece of the post's text, kept whole
		ix.stems[p.stem] = p
	}
	return p
}

// add puts id, with put, in the lists of the fields it is found in.
func (p *postings) add(fields uint8, id int, put func([]docID, docID) []docID) {
	if fields&inTitle != 0 {
		p.title = put(p.title, docID(id))
	}
	if fields&inTags != 0 {
		p.tags = put(p.tags, docID(id))
	}
	if fields&inBody != 0 {
		p.body = put(p.body, docID(id))
	}
}

// appendID puts id after the ids of posts merged before it.
func appendID(ids []docID, id docID) []docID { return append(ids, id) }

// merge adds the terms d of post id, numbered after every post merged
// before it.
func (ix *searchIndex) merge(id int, d searchTerms) { ix.mergePart(id, d, 0, 1) }

// mergePart is merge of the stems whose hash is part modulo parts: a
// word has one stem, so each word is merged with its stem's part.
func (ix *searchIndex) mergePart(id int, d searchTerms, part, parts int) {
	for _, ts := range d {
		if parts > 1 && int(maphash.String(stemSeed, ts.stem)%uint64(parts)) != part {
			continue
		}
		p := ix.postingsOf(ts.stem)
		p.add(ts.fields, id, appendID)
		for _, w := range ts.words {
			if _, ok := ix.words[w]; !ok {
				ix.words[strings.Clone(w)] = p.stem
			}
		}
	}
}

// mergePacked is mergePart of terms as searchTerms.encode packed them
// (by this build, or checked when read from the cache): a stem or word
// the index has is looked up in place, and only a new one is copied.
// Packed terms that do not decode end the merge of the post.
func (ix *searchIndex) mergePacked(id int, data []byte, part, parts int) {
	for len(data) > 0 {
		stem, rest, ok := packedString(data)
		if !ok || len(rest) == 0 {
			return
		}
		fields := rest[0]
		n, k := binary.Uvarint(rest[1:])
		if k <= 0 {
			return
		}
		data = rest[1+k:]
		var p *postings
		if parts == 1 || int(maphash.Bytes(stemSeed, stem)%uint64(parts)) == part {
			if p = ix.stems[string(stem)]; p == nil {
				p = &postings{stem: string(stem)}
				ix.stems[p.stem] = p
			}
			p.add(fields, id, appendID)
		}
		for range n {
			var w []byte
			if w, data, ok = packedString(data); !ok {
				return
			}
			if p == nil {
				continue
			}
			if _, ok := ix.words[string(w)]; !ok {
				ix.words[string(w)] = p.stem
			}
		}
	}
}

// packedString reads a string as searchTerms.encode packs it: its
// length as a uvarint, then its bytes.
func packedString(data []byte) (s, rest []byte, ok bool) {
	n, k := binary.Uvarint(data)
	if k <= 0 || n > uint64(len(data)-k) {
		return nil, nil, false
	}
	return data[k : k+int(n)], data[k+int(n):], true
}

// searchManifest is /search/index/manifest.json.
type searchManifest struct {
	Version int      `json:"v"`
	Docs    int      `json:"n"`      // documents: doc/0.json … doc/N-1.json
	Shards  []string `json:"shards"` // the shards there are, sorted
}

// searchShard is one shard: the words it holds, each with the index in
// Stems of its stem, and those stems with their postings.
type searchShard struct {
	Words map[string]int `json:"w"`
	// Stems are [stem, title, tags, body], each posting list encoded by
	// encodeIDs.
	Stems [][4]string `json:"s"`

	postings []*postings // of each of Stems, encoded into it by files
}

// files returns the manifest and shards of the index, by file name
// under searchIndexDir.
func (ix *searchIndex) files() map[string][]byte {
	shards := map[string]*searchShard{}
	stemAt := map[string]map[string]int{} // shard → stem → its index in Stems
	for _, w := range slices.Sorted(maps.Keys(ix.words)) {
		name := shardOf(w)
		sh := shards[name]
		if sh == nil {
			sh = &searchShard{Words: map[string]int{}}
			shards[name] = sh
			stemAt[name] = map[string]int{}
		}
		st := ix.words[w]
		i, ok := stemAt[name][st]
		if !ok {
			i = len(sh.postings)
			stemAt[name][st] = i
			sh.postings = append(sh.postings, ix.stems[st])
		}
		sh.Words[w] = i
	}
	m := searchManifest{Version: 1, Docs: ix.docs, Shards: slices.Sorted(maps.Keys(shards))}
	data := make([][]byte, len(m.Shards))
	par.Do(len(m.Shards), func(i int) { // the posting lists of a large site take a while to encode
		sh := shards[m.Shards[i]]
		sh.Stems = make([][4]string, len(sh.postings))
		for j, p := range sh.postings {
			sh.Stems[j] = [4]string{p.stem, encodeIDs(p.title, ix.docs), encodeIDs(p.tags, ix.docs), encodeIDs(p.body, ix.docs)}
		}
		data[i] = marshalCompact(sh)
	})
	out := make(map[string][]byte, len(m.Shards)+1)
	out["manifest.json"] = marshalCompact(m)
	for i, name := range m.Shards {
		out[name+".json"] = data[i]
	}
	return out
}

// encodeIDs writes ascending document numbers below n as the shorter of
// two strings: the gaps between them in base 36, separated by commas (the
// first is the number itself: "3,1,a" is 3, 4, 14), or "~" and a bitmap
// in base64 (bit i%8 of byte i/8 set for document i), for a word most
// posts hold.
func encodeIDs(ids []docID, n int) string {
	if len(ids) == 0 {
		return ""
	}
	// The gaps are written until they are longer than the bitmap: a word
	// most of 10,000 posts hold is not written out in full to be dropped.
	bitmapLen := 1 + base64.StdEncoding.EncodedLen((n+7)/8)
	gaps := make([]byte, 0, min(bitmapLen+8, 3*len(ids)))
	prev := docID(0)
	for i, id := range ids {
		if i > 0 {
			gaps = append(gaps, ',')
		}
		gaps = strconv.AppendInt(gaps, int64(id-prev), 36)
		prev = id
		if len(gaps) > bitmapLen {
			bits := make([]byte, (n+7)/8)
			for _, id := range ids {
				bits[id/8] |= 1 << (id % 8)
			}
			return "~" + base64.StdEncoding.EncodeToString(bits)
		}
	}
	return string(gaps)
}

// marshalCompact encodes v as JSON without escaping <, > and &.
func marshalCompact(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("render: encoding %T: %v", v, err)) // plain data always encodes
	}
	return buf.Bytes()
}

// searchDoc is /search/index/doc/N.json, what a result shows of a post.
type searchDoc struct {
	Title string   `json:"t"`
	URL   string   `json:"u"`
	Date  string   `json:"d"` // in the site's language, as the theme's date shows it
	ISO   string   `json:"i"` // RFC 3339, for <time datetime>
	Tags  []string `json:"g,omitempty"`
	Text  string   `json:"x"` // the post's text, at most searchTextMax bytes
}

// planSearch plans the search page, its index and one document per post,
// numbered from the oldest post, so a new post adds a number and changes
// no other document's.
func (b *builder) planSearch() {
	if !b.cfg.SearchEnabled() {
		return
	}
	b.addPage(b.page("search", b.t("search"), b.t("search_description", b.cfg.Title), searchPath))
	posts := slices.Clone(b.site.Posts)
	slices.Reverse(posts)
	b.places.docs = len(b.plan)
	for id, pg := range posts {
		pd := b.posts[pg]
		b.depends(pd, len(b.plan))
		b.plan = append(b.plan, b.searchDocPlanned(id, pd))
	}
	key := b.searchKey(posts)
	b.opts.bodies.Live([]Key{key})
	files, ok := decodeSearchFiles(b.opts.bodies.Get(key))
	if !ok {
		var runDone func(first, n int)
		if b.makesAll {
			runDone = func(first, n int) {
				if len(b.errs) == b.earlyErrs { // else a body failed, and so does the build
					b.makeWithBodies(b.postFiles(posts[first:first+n], first))
				}
			}
		}
		files = b.searchIndex(posts, runDone).files()
		if len(b.errs) > 0 { // a body failed: the build fails, and caches no index without it
			return
		}
		b.opts.bodies.Put(key, Rendered{Content: encodeSearchFiles(files)})
	}
	b.search = newSearchState(len(b.plan), posts, files, key)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		b.addData(searchIndexDir+name, files[name])
	}
}

// postFiles are the places in the plan of the pages and search
// documents of posts, the posts numbered from first.
func (b *builder) postFiles(posts []*content.Page, first int) []int {
	places := make([]int, 0, 2*len(posts))
	for i, pg := range posts {
		places = append(places, b.posts[pg].at, b.places.docs+first+i)
	}
	return places
}

// searchDocPlanned is the planned search document id, of the post pd.
func (b *builder) searchDocPlanned(id int, pd *PostData) *planned {
	name := searchIndexDir + "doc/" + strconv.Itoa(id) + ".json"
	return &planned{name: name, from: origin{what: "search document " + name}, doc: pd}
}

// searchDoc makes the search document of the post pd.
func (b *builder) searchDoc(pd *PostData) ([]byte, error) {
	d := searchDoc{Title: scrubString(pd.Title), URL: pd.URL, Date: b.l10n.Dates.Long(pd.Date),
		ISO: pd.Date.Format("2006-01-02T15:04:05Z07:00"), Text: truncateUTF8(pd.text(false), searchTextMax)}
	for _, t := range pd.Tags {
		d.Tags = append(d.Tags, scrubString(t.Name))
	}
	return marshalCompact(d), nil
}

// searchDocKey is the key of a post's search document: what it shows
// of the post (not its neighbours, which its digest covers).
func (b *builder) searchDocKey(name string, pd *PostData) Key {
	w := keyWriter{}
	w.str(searchFormat)
	w.str(b.opts.engineVersion)
	w.str(name)
	w.str(b.cfg.Language) // the date's
	w.str(pd.Title)
	w.str(pd.URL)
	w.time(pd.Date)
	w.int(len(pd.Tags))
	for _, t := range pd.Tags {
		w.str(t.Name)
	}
	w.key(pd.key)
	return w.sum()
}

// searchKey is the key of the index of posts: what it is made from is
// each post's title, tags and body (the posts' digests), its number, and
// the language, whose stemmer it uses.
func (b *builder) searchKey(posts []*content.Page) Key {
	w := keyWriter{make([]byte, 0, 256+len(Key{})*len(posts))}
	w.str(searchFormat)
	w.str(b.opts.engineVersion)
	w.str(b.cfg.Language)
	w.int(len(posts))
	for _, pg := range posts {
		w.key(b.posts[pg].digest())
	}
	return w.sum()
}

// searchTermsFormat names the layout of a post's terms in the body
// cache; their key covers it.
const searchTermsFormat = "search terms 1"

// searchIndex indexes posts, on all cores, searchRun posts at a time:
// their terms are cut, then merged into the index and let go, so a build
// does not hold every post's terms at once.
// Each post's terms are kept in the body cache, by the key of its title,
// tags and body, so a build after an edit cuts and stems only the posts
// it changed, and reads no other post's body. A renderer used for build
// after build (a preview) also keeps them in memory from the last build;
// one for a single build (PipelineOptions.OneBuild) does not.
//
// runDone, when not nil, is called after each run is merged, with its
// place in posts (the first post's number and how many), while the
// bodies the run made for its terms are held.
func (b *builder) searchIndex(posts []*content.Page, runDone func(first, n int)) *searchIndex {
	st := newStemmer(b.cfg.Language)
	keys := make([]Key, len(posts))
	docs := make([][]byte, min(searchRun, len(posts))) // each post's terms, encoded, for a run
	made := make([]bool, len(docs))                    // whether the post's terms were cut here
	b.searchMu.Lock()
	prev := b.searchTerms
	b.searchMu.Unlock()
	var kept map[Key][]byte
	if !b.opts.oneBuild {
		kept = make(map[Key][]byte, len(posts))
	}
	m := newIndexMerger(len(posts))
	for first := 0; first < len(posts); first += searchRun {
		run := docs[:min(searchRun, len(posts)-first)]
		par.Do(len(run), func(i int) {
			keys[first+i], run[i], made[i] = b.postTerms(b.posts[posts[first+i]], prev, st)
		})
		// A run with a body that failed, and every run after it, keeps
		// no terms in the cache: the build fails, and the terms of the
		// runs before it, each keyed by what it was cut from, are right.
		if len(b.errs) == 0 {
			par.Do(len(run), func(i int) {
				if made[i] {
					b.opts.bodies.Put(keys[first+i], Rendered{Content: run[i]})
				}
			})
		}
		m.merge(first, run)
		for i, d := range run {
			if kept != nil {
				kept[keys[first+i]] = d
			}
			run[i] = nil
		}
		if runDone != nil {
			runDone(first, len(run))
		}
	}
	b.opts.bodies.Live(keys)
	if kept != nil {
		b.searchMu.Lock()
		b.searchTerms = kept
		b.searchMu.Unlock()
	}
	return m.index()
}

// searchRun is how many posts searchIndex cuts into terms before merging
// them: enough to keep every core busy, few enough that their terms (a
// few kilobytes a post) are a small part of a large site's memory. A
// variable, for tests.
var searchRun = 4096

// postTerms returns the terms of a post, encoded (searchTerms.encode),
// and their key: from prev (the last build's), else the body cache, else
// cut with st (made is then true: they are for the cache).
func (b *builder) postTerms(pd *PostData, prev map[Key][]byte, st *stemmer) (key Key, t []byte, made bool) {
	var tags []string
	for _, t := range pd.Tags {
		tags = append(tags, scrubString(t.Name))
	}
	w := keyWriter{}
	w.str(searchTermsFormat)
	w.str(b.opts.engineVersion)
	w.str(b.cfg.Language)
	w.str(pd.Title)
	w.int(len(tags))
	for _, t := range tags {
		w.str(t)
	}
	w.key(pd.key)
	key = w.sum()
	if t, ok := prev[key]; ok {
		return key, t, false
	}
	if r, ok := b.opts.bodies.Get(key); ok {
		if _, ok := decodeSearchTerms(r.Content); ok {
			return key, r.Content, false
		}
	}
	return key, st.packedTerms(scrubString(pd.Title), tags, pd.text(true)), true
}

// encodeSearchFiles packs the index's files for the body cache: each
// name and content, length-prefixed.
func encodeSearchFiles(files map[string][]byte) []byte {
	var out []byte
	for _, name := range slices.Sorted(maps.Keys(files)) {
		out = binary.AppendUvarint(out, uint64(len(name)))
		out = append(out, name...)
		out = binary.AppendUvarint(out, uint64(len(files[name])))
		out = append(out, files[name]...)
	}
	return out
}

// decodeSearchFiles unpacks what encodeSearchFiles packed; ok is false
// when nothing was cached or it does not decode.
func decodeSearchFiles(r Rendered, cached bool) (files map[string][]byte, ok bool) {
	if !cached {
		return nil, false
	}
	data := r.Content
	files = map[string][]byte{}
	next := func() ([]byte, bool) {
		n, k := binary.Uvarint(data)
		if k <= 0 || uint64(len(data)-k) < n {
			return nil, false
		}
		field := data[k : k+int(n)]
		data = data[k+int(n):]
		return field, true
	}
	for len(data) > 0 {
		name, ok1 := next()
		content, ok2 := next()
		if !ok1 || !ok2 {
			return nil, false
		}
		files[string(name)] = content
	}
	_, ok = files["manifest.json"]
	return files, ok
}

// truncateUTF8 cuts s to at most n bytes, at a character boundary.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
