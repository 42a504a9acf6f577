package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/siteblog/site/content"
)

// A Key identifies the inputs something was made from: a SHA-256 over all
// of them. Equal keys mean equal output.
type Key [32]byte

// BodyCache keeps rendered post bodies by the key of everything their
// HTML depends on: the engine version, the Markdown settings and the
// page's body and summary source. A change of any of them is a new key,
// so a cached body is never stale. With a directory it persists across
// builds, one file per body; it is safe for concurrent use.
type BodyCache struct {
	dir string // "" keeps bodies in memory only

	mu  sync.Mutex
	mem map[Key]Rendered
}

// NewBodyCache returns a cache kept in dir, or in memory when dir is "".
func NewBodyCache(dir string) *BodyCache {
	return &BodyCache{dir: dir, mem: map[Key]Rendered{}}
}

// bodyKey is the key of a page's rendered body.
func (r *Renderer) bodyKey(pg *content.Page) Key {
	h := sha256.New()
	writeField := func(b []byte) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	writeField([]byte(r.opts.engineVersion))
	writeField([]byte{boolByte(r.cfg.UnsafeHTML), boolByte(r.cfg.LineNumbers())})
	writeField(bytes.TrimLeft(pg.Body, "\n")) // the empty lines standing for front matter change nothing
	writeField([]byte{boolByte(pg.SummarySource != nil)})
	writeField(pg.SummarySource)
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

func (c *BodyCache) path(k Key) string {
	name := hex.EncodeToString(k[:])
	return filepath.Join(c.dir, name[:2], name)
}

// Get returns the body cached under k. An entry that cannot be read or
// fails its checksum counts as missing, and Put replaces it.
func (c *BodyCache) Get(k Key) (Rendered, bool) {
	c.mu.Lock()
	r, ok := c.mem[k]
	c.mu.Unlock()
	if ok || c.dir == "" {
		return r, ok
	}
	data, err := os.ReadFile(c.path(k))
	if err != nil {
		return Rendered{}, false
	}
	if r, ok = decodeBody(data); ok {
		// Kept, as a preview asks again for the bodies its lists show
		// after every change; a build asks for each body once.
		c.mu.Lock()
		c.mem[k] = r
		c.mu.Unlock()
	}
	return r, ok
}

// Put stores a body under k. Writing the file is best effort: a cache
// that cannot be written only makes the next build slower.
func (c *BodyCache) Put(k Key, r Rendered) {
	if c.dir == "" {
		c.mu.Lock()
		c.mem[k] = r
		c.mu.Unlock()
		return
	}
	p := c.path(k)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, encodeBody(r), 0o644); err == nil {
		_ = os.Rename(tmp, p)
	}
}

// A cache entry is: SHA-256 of the rest, length of content, content,
// summary.
func encodeBody(r Rendered) []byte {
	var buf bytes.Buffer
	buf.Write(make([]byte, 32))
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(r.Content)))
	buf.Write(n[:])
	buf.Write(r.Content)
	buf.Write(r.Summary)
	data := buf.Bytes()
	sum := sha256.Sum256(data[32:])
	copy(data, sum[:])
	return data
}

func decodeBody(data []byte) (Rendered, bool) {
	if len(data) < 40 {
		return Rendered{}, false
	}
	if sum := sha256.Sum256(data[32:]); !bytes.Equal(sum[:], data[:32]) {
		return Rendered{}, false
	}
	n := binary.LittleEndian.Uint64(data[32:40])
	rest := data[40:]
	if n > uint64(len(rest)) {
		return Rendered{}, false
	}
	r := Rendered{Content: rest[:n], Summary: rest[n:]}
	if len(r.Summary) == 0 {
		r.Summary = nil
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
