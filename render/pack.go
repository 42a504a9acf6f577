package render

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// A pack is one file of a BodyCache directory, NAME.pack, holding bodies
// one after another, then their index, then a trailer:
//
//	header  "site body pack 2\n"
//	bodies  one encodeBody entry each (its own SHA-256 first)
//	index   per body: key (32 bytes), offset (8), length (8)
//	trailer index offset (8), body count (8), SHA-256 of the index (32), "sitepack"
//
// Integers are little-endian. A pack is written under a temporary name,
// new-PID-….tmp, and renamed when complete, so a reader sees whole packs
// only (a temporary file whose process is gone is removed when the
// directory is next opened); one whose
// trailer or index does not check out is ignored. Names start with the
// time of writing, so sorting them orders packs oldest first.
const (
	packExt     = ".pack"
	packHeader  = "site body pack 2\n"
	packMagic   = "sitepack"
	indexEntry  = len(Key{}) + 16
	trailerSize = 16 + sha256.Size + len(packMagic)
)

type pack struct {
	name    string
	file    *os.File
	entries map[Key]packedBody
}

// packedBody is where a body lies in a pack.
type packedBody struct {
	file   *os.File
	off, n int64
}

func (at packedBody) read() ([]byte, error) {
	data := make([]byte, at.n)
	_, err := at.file.ReadAt(data, at.off)
	return data, err
}

func openPack(name string) (*pack, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	p, err := readPack(name, f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

func readPack(name string, f *os.File) (*pack, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	bad := errors.New("not a complete body pack")
	if size < int64(len(packHeader)+trailerSize) {
		return nil, bad
	}
	trailer := make([]byte, trailerSize)
	if _, err := f.ReadAt(trailer, size-int64(trailerSize)); err != nil {
		return nil, err
	}
	indexOff := int64(binary.LittleEndian.Uint64(trailer))
	count := int64(binary.LittleEndian.Uint64(trailer[8:]))
	if string(trailer[16+sha256.Size:]) != packMagic || count < 0 || count > size/int64(indexEntry) ||
		indexOff < int64(len(packHeader)) || indexOff+count*int64(indexEntry) != size-int64(trailerSize) {
		return nil, bad
	}
	index := make([]byte, count*int64(indexEntry))
	if _, err := f.ReadAt(index, indexOff); err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(index); !bytes.Equal(sum[:], trailer[16:16+sha256.Size]) {
		return nil, bad
	}
	p := &pack{name: name, file: f, entries: make(map[Key]packedBody, count)}
	for e := index; len(e) > 0; e = e[indexEntry:] {
		var k Key
		copy(k[:], e)
		off := int64(binary.LittleEndian.Uint64(e[len(k):]))
		n := int64(binary.LittleEndian.Uint64(e[len(k)+8:]))
		if off < int64(len(packHeader)) || n < 0 || off+n > indexOff {
			return nil, bad
		}
		p.entries[k] = packedBody{f, off, n}
	}
	return p, nil
}

// packWriter writes a new pack.
type packWriter struct {
	dir   string
	file  *os.File
	w     *bufio.Writer
	off   int64
	index []byte
	err   error
}

// newPackWriter starts a pack in dir, or returns nil if it cannot.
func newPackWriter(dir string) *packWriter {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil
	}
	f, err := os.CreateTemp(dir, fmt.Sprintf("%s%d-*.tmp", tempPrefix, os.Getpid()))
	if err != nil {
		return nil
	}
	w := &packWriter{dir: dir, file: f, w: bufio.NewWriterSize(f, 1<<20)}
	w.write([]byte(packHeader))
	return w
}

func (w *packWriter) write(data []byte) {
	if w.err == nil {
		_, w.err = w.w.Write(data)
		w.off += int64(len(data))
	}
}

// add writes a body and returns where it lies in the file, readable
// once the writer is flushed.
func (w *packWriter) add(k Key, data []byte) packedBody {
	at := packedBody{w.file, w.off, int64(len(data))}
	w.index = append(w.index, k[:]...)
	w.index = binary.LittleEndian.AppendUint64(w.index, uint64(w.off))
	w.index = binary.LittleEndian.AppendUint64(w.index, uint64(len(data)))
	w.write(data)
	return at
}

// flush writes what the writer buffers to the file, so that the bodies
// added so far can be read from it.
func (w *packWriter) flush() error {
	if w.err == nil && w.w.Buffered() > 0 {
		w.err = w.w.Flush()
	}
	return w.err
}

// finish writes the index and trailer and renames the pack into place,
// returning it open for reading, or nil (and no file) if that failed.
func (w *packWriter) finish() *pack {
	trailer := binary.LittleEndian.AppendUint64(nil, uint64(w.off))
	trailer = binary.LittleEndian.AppendUint64(trailer, uint64(len(w.index)/indexEntry))
	sum := sha256.Sum256(w.index)
	trailer = append(append(trailer, sum[:]...), packMagic...)
	w.write(w.index)
	w.write(trailer)
	if w.err == nil {
		w.err = w.w.Flush()
	}
	tmp := w.file.Name()
	name := filepath.Join(w.dir, fmt.Sprintf("%020d-%d%s", time.Now().UnixNano(), os.Getpid(), packExt))
	if w.err == nil {
		w.err = os.Rename(tmp, name)
	}
	if w.err != nil {
		w.file.Close()
		os.Remove(tmp)
		return nil
	}
	p, err := readPack(name, w.file) // the file, opened read-write, now reads as the pack
	if err != nil {
		w.file.Close()
		return nil
	}
	return p
}
