package render

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"io/fs"
	"strings"
	"sync/atomic"

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
}

// planned is one file of the site: where it goes, the key of its inputs,
// and how to make it. Keys are cheap; making may run a template.
type planned struct {
	name string
	key  func() Key
	make func() ([]byte, error)
	k    Key
}

// addData plans a file whose bytes are already made.
func (b *builder) addData(name string, data []byte) {
	b.plan = append(b.plan, &planned{
		name: name,
		key:  func() Key { return sha256.Sum256(data) },
		make: func() ([]byte, error) { return data, nil },
	})
}

// addPage plans an HTML page made by the theme from data.
func (b *builder) addPage(data *PageData) {
	name := fileOf(data.path)
	b.plan = append(b.plan, &planned{
		name: name,
		key:  func() Key { return b.pageKey(name, data) },
		make: func() ([]byte, error) {
			if data.Post != nil && data.Description == "" {
				data.Description = plainText(data.Post.Summary())
			}
			html, err := b.tmpl.execute(data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", data.URL, err)
			}
			return html, nil
		},
	})
}

// addFeed plans a feed.
func (b *builder) addFeed(j feedJob) {
	b.plan = append(b.plan, &planned{
		name: j.name,
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
			return data, nil
		},
	})
}

// addFile plans a copy of the site's file src. Its key is its content's.
func (b *builder) addFile(name, src string) {
	var data []byte
	b.plan = append(b.plan, &planned{
		name: name,
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
	writeJSON(h, b.data)
	writeJSON(h, b.cfg)
	b.siteKey = sum(h)
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

// emit makes and writes every planned file, on all cores, keeping the
// files of the previous build whose keys have not changed.
func (b *builder) emit() {
	seen := make(map[string]bool, len(b.plan))
	for _, p := range b.plan {
		if seen[p.name] {
			b.fail(fmt.Errorf("%s: two sources make this file (a static or content file takes a generated page's place?)", p.name))
		}
		seen[p.name] = true
	}
	par.Do(len(b.plan), func(i int) { b.plan[i].k = b.plan[i].key() })
	if len(b.errs) > 0 {
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
	var done atomic.Int64
	par.Do(len(b.plan), func(i int) {
		if b.opts.progress != nil {
			defer func() { b.opts.progress(int(done.Add(1)), len(b.plan)) }()
		}
		p := b.plan[i]
		if reusing && reuser.Reuse(p.name, p.k) {
			b.mu.Lock()
			b.stats.Reused++
			b.mu.Unlock()
			return
		}
		data, err := p.make()
		if err == nil {
			err = b.out.WriteFile(p.name, data)
		}
		if err != nil {
			b.fail(err)
			return
		}
		if reusing {
			reuser.Record(p.name, p.k)
		}
	})
}
