package render

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/par"
)

// searchState is what a build keeps of the search index, so that a
// rebuild of changed bodies (rebuildBodies) updates the index in place:
// the postings of the changed posts' terms, and the shards whose words or
// stems changed, rather than merging every post's terms again.
type searchState struct {
	places   []int // the index files' places in the plan
	posts    []*content.Page
	ids      map[*content.Page]int // document numbers
	files    map[string][]byte     // the index files, by name under searchIndexDir
	cacheKey Key                   // of the index in the body cache, zero when not there
	renamed  bool                  // the last update added or removed a file
	was      []string              // the files it replaced
	// rewritten are the files the last update made again (by name in
	// the plan); the others kept their planned file and key.
	rewritten map[string]bool

	built      bool // the fields below are set
	docs       []searchTerms
	keys       []Key // of each document's terms
	ix         *searchIndex
	wordDocs   map[string]int             // how many documents have each word
	stemWords  map[string]map[string]bool // the words of each stem
	shardWords map[string]map[string]bool // the words of each shard
	encoded    map[string][3]string       // each stem's postings as shards write them, once made
}

// newSearchState records the index files planned at plan[at:] for posts,
// numbered in order.
func newSearchState(at int, posts []*content.Page, files map[string][]byte, cacheKey Key) *searchState {
	s := &searchState{posts: posts, ids: make(map[*content.Page]int, len(posts)), files: files, cacheKey: cacheKey}
	for k := range len(files) {
		s.places = append(s.places, at+k)
	}
	for i, pg := range posts {
		s.ids[pg] = i
	}
	return s
}

// buildSearchState indexes every post's terms, once per full build,
// for updates: from the terms the build kept (Renderer.searchTerms),
// else the body cache, else cut again, each post's on all cores, then
// merged in order. prepareRebuild calls it after the build, a preview in
// the background; else the first update does.
func (b *builder) buildSearchState() {
	s := b.search
	b.searchMu.Lock()
	prev := b.searchTerms
	b.searchMu.Unlock()
	st := newStemmer(b.cfg.Language)
	s.docs, s.keys = make([]searchTerms, len(s.posts)), make([]Key, len(s.posts))
	encs := make([][]byte, len(s.posts))
	par.Do(len(s.posts), func(i int) {
		key, enc, made := b.postTerms(b.posts[s.posts[i]], prev, st)
		if made {
			b.opts.bodies.Put(key, Rendered{Content: enc})
		}
		s.keys[i], encs[i] = key, enc
		s.docs[i], _ = decodeSearchTerms(enc) // packed here, or checked when read
	})
	// The terms kept are the site's now: a full build that found its
	// index in the cache kept those of the last, which may hold a failed
	// build's.
	kept := make(map[Key][]byte, len(s.posts))
	for i, k := range s.keys {
		kept[k] = encs[i]
	}
	b.searchMu.Lock()
	b.searchTerms = kept
	b.searchMu.Unlock()
	s.ix = newSearchIndexOf(s.docs)
	s.wordDocs, s.stemWords, s.shardWords = map[string]int{}, map[string]map[string]bool{}, map[string]map[string]bool{}
	s.encoded = map[string][3]string{}
	for _, d := range s.docs {
		s.add(-1, d, nil, nil)
	}
	s.built = true
}

// add counts the words of terms t, and with id ≥ 0 adds document id to
// the postings of its stems; dirty notes the stems and shards changed.
func (s *searchState) add(id int, t searchTerms, stems, shards map[string]bool) {
	for _, ts := range t {
		if id >= 0 && ts.fields != 0 {
			s.ix.postingsOf(ts.stem).add(ts.fields, id, insertID)
			stems[ts.stem] = true
			delete(s.encoded, ts.stem)
		}
		for _, w := range ts.words {
			if n, ok := s.wordDocs[w]; ok {
				s.wordDocs[w] = n + 1
				continue
			}
			stem := ts.stem
			if id >= 0 {
				// The index's maps outlive this version of the post:
				// they keep a copy of a new word, not a part of its text.
				w, stem = strings.Clone(w), strings.Clone(stem)
			}
			s.wordDocs[w] = 1
			s.ix.words[w] = stem
			set(s.stemWords, stem)[w] = true
			set(s.shardWords, shardOf(w))[w] = true
			if shards != nil {
				shards[shardOf(w)] = true
			}
		}
	}
}

// remove takes document id out of the postings of the stems of its
// terms t, and its words out of the counts.
func (s *searchState) remove(id int, t searchTerms, stems, shards map[string]bool) {
	for _, ts := range t {
		if ts.fields != 0 { // else its words' counts only
			if p := s.ix.stems[ts.stem]; p != nil {
				p.title, p.tags, p.body = deleteID(p.title, docID(id)), deleteID(p.tags, docID(id)), deleteID(p.body, docID(id))
				if len(p.title)+len(p.tags)+len(p.body) == 0 {
					delete(s.ix.stems, ts.stem)
				}
			}
			stems[ts.stem] = true
			delete(s.encoded, ts.stem)
		}
		for _, w := range ts.words {
			if s.wordDocs[w]--; s.wordDocs[w] > 0 {
				continue
			}
			delete(s.wordDocs, w)
			delete(s.ix.words, w)
			delete(s.stemWords[ts.stem], w)
			delete(s.shardWords[shardOf(w)], w)
			shards[shardOf(w)] = true
		}
	}
}

// replace changes document id's terms from old to now: only the stems
// whose fields differ between the two change postings, and only the
// words one has and the other has not change counts, so a save that
// keeps the common words of a post leaves their stems (and the shards
// that hold them, with postings as long as the site) as they were.
func (s *searchState) replace(id int, old, now searchTerms, stems, shards map[string]bool) {
	before := make(map[string]*termStem, len(old))
	for i := range old {
		before[old[i].stem] = &old[i]
	}
	after := make(map[string]*termStem, len(now))
	for i := range now {
		after[now[i].stem] = &now[i]
	}
	var gone, come searchTerms
	for i := range old {
		ts := &old[i]
		n := after[ts.stem]
		if n != nil && n.fields == ts.fields {
			if w := wordsNotIn(ts.words, n.words); len(w) > 0 {
				gone = append(gone, termStem{stem: ts.stem, words: w}) // counts only
			}
			continue
		}
		d := termStem{stem: ts.stem, fields: ts.fields, words: ts.words}
		if n != nil {
			d.words = wordsNotIn(ts.words, n.words)
		}
		gone = append(gone, d)
	}
	for i := range now {
		ts := &now[i]
		o := before[ts.stem]
		if o != nil && o.fields == ts.fields {
			if w := wordsNotIn(ts.words, o.words); len(w) > 0 {
				come = append(come, termStem{stem: ts.stem, words: w})
			}
			continue
		}
		d := termStem{stem: ts.stem, fields: ts.fields, words: ts.words}
		if o != nil {
			d.words = wordsNotIn(ts.words, o.words)
		}
		come = append(come, d)
	}
	// The index's maps are brought up to date by taking the old terms
	// out and putting the new ones in, so that they keep no word of an
	// old version of the post (a word as written is a part of the
	// post's text), but only the stems and shards that differ are
	// marked to be written again, and the other stems keep their
	// encoded postings, which are those they had.
	kept := map[string][3]string{}
	for i := range now {
		ts := &now[i]
		if o := before[ts.stem]; o != nil && o.fields == ts.fields {
			if e, ok := s.encoded[ts.stem]; ok {
				kept[ts.stem] = e
			}
		}
	}
	scratch := map[string]bool{}
	s.remove(id, old, scratch, scratch)
	s.add(id, now, scratch, scratch)
	for stem, e := range kept {
		s.encoded[strings.Clone(stem)] = e
	}
	for _, d := range slices.Concat(gone, come) {
		if d.fields != 0 {
			stems[d.stem] = true
		}
		for _, w := range d.words {
			shards[shardOf(w)] = true
		}
	}
}

// wordsNotIn returns the words of a that b has not.
func wordsNotIn(a, b []string) []string {
	var out []string
	for _, w := range a {
		if !slices.Contains(b, w) {
			out = append(out, w)
		}
	}
	return out
}

// set returns the set m holds under k, made and put there if none.
func set[K, V comparable](m map[K]map[V]bool, k K) map[V]bool {
	if m[k] == nil {
		m[k] = map[V]bool{}
	}
	return m[k]
}

func insertID(ids []docID, id docID) []docID {
	i, found := slices.BinarySearch(ids, id)
	if found {
		return ids
	}
	return slices.Insert(ids, i, id)
}

func deleteID(ids []docID, id docID) []docID {
	if i, found := slices.BinarySearch(ids, id); found {
		return slices.Delete(ids, i, i+1)
	}
	return ids
}

// updateSearch brings the search index up to date with the changed
// posts' bodies: their documents' postings, then the shards that hold
// a word of a stem whose postings changed, or a word that came or went,
// and the manifest. It replaces the index's files in the plan, and
// returns the body cache entries gone and live.
func (b *builder) updateSearch(changes []bodyChange) (gone, live []Key) {
	s := b.search
	s.renamed, s.was, s.rewritten = false, s.was[:0], nil
	st := newStemmer(b.cfg.Language)
	stems, shards := map[string]bool{}, map[string]bool{}
	for _, c := range changes {
		id, ok := s.ids[c.old]
		if !ok {
			continue // a standalone page
		}
		key, enc, made := b.postTerms(b.posts[c.old], nil, st)
		if key == s.keys[id] {
			continue
		}
		if made {
			b.opts.bodies.Put(key, Rendered{Content: enc})
		}
		t, _ := decodeSearchTerms(enc) // packed here, or checked when read
		gone, live = append(gone, s.keys[id]), append(live, key)
		s.replace(id, s.docs[id], t, stems, shards)
		b.searchMu.Lock()
		delete(b.searchTerms, s.keys[id])
		if b.searchTerms == nil { // the full build found the index in the cache
			b.searchTerms = map[Key][]byte{}
		}
		b.searchTerms[key] = enc
		b.searchMu.Unlock()
		s.docs[id], s.keys[id] = t, key
	}
	return append(gone, b.rewriteSearch(stems, shards)...), live
}

// rewriteSearch makes again the shards of the search index that hold a
// word of stems, whose postings changed, or are shards, whose words
// changed, and the manifest, in the plan; it returns the body cache
// entry gone, the index of the last full build, if it was there.
func (b *builder) rewriteSearch(stems, shards map[string]bool) (gone []Key) {
	s := b.search
	if len(stems) == 0 && len(shards) == 0 {
		return nil
	}
	if s.cacheKey != (Key{}) {
		gone = append(gone, s.cacheKey) // the index of the last full build, cached whole
		s.cacheKey = Key{}
	}
	for stem := range stems {
		if s.ix.stems[stem] == nil {
			continue
		}
		for w := range s.stemWords[stem] {
			shards[shardOf(w)] = true
		}
	}
	files := maps.Clone(s.files)
	rewritten := map[string]bool{"manifest.json": true}
	for name := range shards {
		words := s.shardWords[name]
		if len(words) == 0 {
			delete(files, name+".json")
			continue
		}
		files[name+".json"] = s.shardFile(slices.Sorted(maps.Keys(words)))
		rewritten[name+".json"] = true
	}
	var names []string
	for name := range s.shardWords {
		if len(s.shardWords[name]) > 0 {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	files["manifest.json"] = marshalCompact(searchManifest{Version: 1, Docs: s.ix.docs, Shards: names})
	b.replaceSearchFiles(files, rewritten)
	return gone
}

// shardFile is a shard of the index holding words, sorted, as
// searchIndex.files makes it.
func (s *searchState) shardFile(words []string) []byte {
	sh := &searchShard{Words: map[string]int{}}
	stemAt := map[string]int{}
	for _, w := range words {
		st := s.ix.words[w]
		i, ok := stemAt[st]
		if !ok {
			e, ok := s.encoded[st]
			if !ok {
				p := s.ix.stems[st]
				e = [3]string{encodeIDs(p.title, s.ix.docs), encodeIDs(p.tags, s.ix.docs), encodeIDs(p.body, s.ix.docs)}
				s.encoded[st] = e
			}
			i = len(sh.Stems)
			stemAt[st] = i
			sh.Stems = append(sh.Stems, [4]string{st, e[0], e[1], e[2]})
		}
		sh.Words[w] = i
	}
	return marshalCompact(sh)
}

// replaceSearchFiles puts the index's files in the plan in place of the
// last build's: those rewritten as new planned files, the others as they
// were planned (with their key). A file that came takes a place another
// left, or one after the plan's others; one that went leaves its place
// (planned.gone), so that no other file of the plan moves.
func (b *builder) replaceSearchFiles(files map[string][]byte, rewritten map[string]bool) {
	s := b.search
	kept := make(map[string]int, len(s.places))
	s.was, s.renamed = s.was[:0], false
	for _, i := range s.places {
		name := b.plan[i].name
		kept[name] = i
		s.was = append(s.was, name)
		if _, ok := files[strings.TrimPrefix(name, searchIndexDir)]; !ok {
			delete(b.byName, name)
			b.plan[i] = &planned{gone: true}
			b.free = append(b.free, i)
			s.renamed = true
		}
	}
	s.rewritten = map[string]bool{}
	places := make([]int, 0, len(files))
	for _, name := range slices.Sorted(maps.Keys(files)) {
		full := searchIndexDir + name
		i, ok := kept[full]
		switch {
		case ok && !rewritten[name]:
			places = append(places, i)
			continue
		case !ok:
			s.renamed = true
			if n := len(b.free); n > 0 {
				i, b.free = b.free[n-1], b.free[:n-1]
			} else {
				i = len(b.plan)
				b.plan = append(b.plan, nil)
			}
		}
		p := dataPlanned(full, files[name])
		b.plan[i], b.byName[full] = p, p
		s.rewritten[full] = true
		places = append(places, i)
	}
	s.places, s.files = places, files
}
