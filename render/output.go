package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
)

// Output receives the files of a built site. Implementations must be safe
// for concurrent use.
type Output interface {
	// WriteFile stores data at name, a slash-separated path relative to the
	// site root such as "2024/05/hello/index.html".
	WriteFile(name string, data []byte) error
}

// checkName rejects names that could escape the output root.
func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, `\`) {
		return fmt.Errorf("output path %q is not a clean relative path", name)
	}
	return nil
}

// MemOutput keeps a built site in memory, for previews and tests. With
// Prev set to the previous build, it is a Reuser: files whose keys did not
// change are taken from Prev instead of being made again.
type MemOutput struct {
	Prev *MemOutput

	mu    sync.Mutex
	Files map[string][]byte
	Keys  map[string]Key // of the files written or reused, for the next build
	// TLSPage renders the build's "tls" page (Stats.TLSPage); set by
	// BuildInMemory.
	TLSPage func(*badge.PageData) ([]byte, error)
}

// NewMemOutput returns an empty MemOutput that reuses files of prev, which
// may be nil.
func NewMemOutput(prev ...*MemOutput) *MemOutput {
	m := &MemOutput{Files: map[string][]byte{}, Keys: map[string]Key{}}
	if len(prev) > 0 {
		m.Prev = prev[0]
	}
	return m
}

// WriteFile implements Output.
func (m *MemOutput) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.Files[name]; dup {
		return fmt.Errorf("%s: written twice", name)
	}
	m.Files[name] = data
	return nil
}

// KeepAll implements Reuser.
func (m *MemOutput) KeepAll(keys map[string]Key) bool {
	if m.Prev == nil || len(keys) != len(m.Prev.Keys) {
		return false
	}
	for name, k := range keys {
		if m.Prev.Keys[name] != k {
			return false
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for name, k := range keys {
		m.Files[name] = m.Prev.Files[name]
		m.Keys[name] = k
	}
	return true
}

// Reuse implements Reuser.
func (m *MemOutput) Reuse(name string, key Key) bool {
	if m.Prev == nil {
		return false
	}
	if k, ok := m.Prev.Keys[name]; !ok || k != key {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Files[name] = m.Prev.Files[name]
	m.Keys[name] = key
	return true
}

// Record implements Reuser.
func (m *MemOutput) Record(name string, key Key) {
	m.mu.Lock()
	m.Keys[name] = key
	m.mu.Unlock()
}

// A manifest records what a build published in a directory: the key of
// every file, and its size and modification time, which tell whether the
// file is still the one the build wrote.
type manifest struct {
	Dir   string                   `json:"dir"`
	Files map[string]manifestEntry `json:"files"`
}

type manifestEntry struct {
	Key   Key   `json:"key"`
	Size  int64 `json:"size"`
	MTime int64 `json:"mtime"` // Unix nanoseconds
}

func readManifest(file, dir string) map[string]manifestEntry {
	var m manifest
	data, err := os.ReadFile(file)
	if err != nil || json.Unmarshal(data, &m) != nil || m.Dir != dir {
		return nil // a missing or damaged manifest only means nothing is reused
	}
	return m.Files
}

// dirOutput writes a build to disk in one of two ways. Without a usable
// record of the previous build it writes a whole new tree, root, beside
// the published directory, to be swapped in at the end. With one, it
// leaves the published directory's unchanged files alone and writes each
// new or changed file next to its place under a temporary name, to be
// renamed into place at the end; the build's speed then depends on what
// changed, not on the size of the site.
type dirOutput struct {
	root string // where files are written: the new tree, or the published directory
	prev string // the published directory
	old  map[string]manifestEntry
	// inPlace updates prev file by file instead of swapping in a new tree.
	inPlace bool

	mu      sync.Mutex
	created bool
	made    map[string]bool // directories known to exist
	written map[string]manifestEntry
	staged  []string // names written under stagedName, in place mode
	keepAll bool
}

// stagedSuffix marks a file written in place that is not yet published.
const stagedSuffix = ".site-new"

// ensureRoot creates the new tree on first use.
func (d *dirOutput) ensureRoot() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.created || d.inPlace {
		return nil
	}
	if err := os.Mkdir(d.root, 0o755); err != nil {
		return err
	}
	d.created = true
	return nil
}

// prepare reserves name and makes its directory; it returns the path to
// write to.
func (d *dirOutput) prepare(name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	if err := d.ensureRoot(); err != nil {
		return "", err
	}
	d.mu.Lock()
	if _, dup := d.written[name]; dup {
		d.mu.Unlock()
		return "", fmt.Errorf("%s: written twice", name)
	}
	d.written[name] = manifestEntry{}
	d.mu.Unlock()
	if err := d.mkdir(path.Dir(name)); err != nil {
		return "", err
	}
	full := filepath.Join(d.root, filepath.FromSlash(name))
	if d.inPlace {
		d.mu.Lock()
		d.staged = append(d.staged, name)
		d.mu.Unlock()
		full += stagedSuffix
	}
	return full, nil
}

// mkdir makes directory dir of the output and its parents, one system
// call for each directory not made yet. Several writers may make the same
// directory at once; the one that loses finds it made.
func (d *dirOutput) mkdir(dir string) error {
	d.mu.Lock()
	made := d.made[dir]
	d.mu.Unlock()
	if made {
		return nil
	}
	if err := d.mkdir(path.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(d.root, filepath.FromSlash(dir)), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	d.mu.Lock()
	d.made[dir] = true
	d.mu.Unlock()
	return nil
}

func (d *dirOutput) WriteFile(name string, data []byte) error {
	full, err := d.prepare(name)
	if err != nil {
		return err
	}
	return os.WriteFile(full, data, 0o644)
}

// unchanged returns the previous build's entry for name if its file is
// still there as that build left it.
func (d *dirOutput) unchanged(name string, key Key) (manifestEntry, bool) {
	e, ok := d.old[name]
	if !ok || e.Key != key {
		return e, false
	}
	info, err := os.Lstat(filepath.Join(d.prev, filepath.FromSlash(name)))
	if err != nil || !info.Mode().IsRegular() || info.Size() != e.Size || info.ModTime().UnixNano() != e.MTime {
		return e, false
	}
	return e, true
}

// KeepAll implements Reuser.
func (d *dirOutput) KeepAll(keys map[string]Key) bool {
	if len(keys) != len(d.old) {
		return false
	}
	for name, k := range keys {
		if _, ok := d.unchanged(name, k); !ok {
			return false
		}
	}
	d.keepAll = true
	return true
}

// Reuse implements Reuser: in place, an unchanged file stays where it is;
// in a new tree, it is linked there.
func (d *dirOutput) Reuse(name string, key Key) bool {
	e, ok := d.unchanged(name, key)
	if !ok {
		return false
	}
	if d.inPlace {
		d.mu.Lock()
		defer d.mu.Unlock()
		if _, dup := d.written[name]; dup {
			return false
		}
		d.written[name] = e
		return true
	}
	full, err := d.prepare(name)
	if err != nil {
		return false
	}
	if err := os.Link(filepath.Join(d.prev, filepath.FromSlash(name)), full); err != nil {
		d.mu.Lock()
		delete(d.written, name) // let the build write it instead
		d.mu.Unlock()
		return false
	}
	d.mu.Lock()
	d.written[name] = e
	d.mu.Unlock()
	return true
}

// Record implements Reuser.
func (d *dirOutput) Record(name string, key Key) {
	full := filepath.Join(d.root, filepath.FromSlash(name))
	if d.inPlace {
		full += stagedSuffix
	}
	info, err := os.Lstat(full)
	if err != nil {
		return
	}
	d.mu.Lock()
	d.written[name] = manifestEntry{Key: key, Size: info.Size(), MTime: info.ModTime().UnixNano()}
	d.mu.Unlock()
}

// abort removes what a failed build wrote.
func (d *dirOutput) abort() {
	if d.inPlace {
		for _, name := range d.staged {
			os.Remove(filepath.Join(d.root, filepath.FromSlash(name)) + stagedSuffix)
		}
		return
	}
	os.RemoveAll(d.root)
}

// commit publishes a build written in place: the staged files are renamed
// into place — files that pages link to first, the pages, then the lists
// and feeds that link to the pages — and files the build no longer makes
// are removed.
func (d *dirOutput) commit() error {
	sort.Slice(d.staged, func(i, j int) bool {
		a, b := publishOrder(d.staged[i]), publishOrder(d.staged[j])
		if a != b {
			return a < b
		}
		return d.staged[i] < d.staged[j]
	})
	for _, name := range d.staged {
		full := filepath.Join(d.root, filepath.FromSlash(name))
		if err := os.Rename(full+stagedSuffix, full); err != nil {
			return err
		}
	}
	var gone []string
	for name := range d.old {
		if _, ok := d.written[name]; !ok {
			gone = append(gone, name)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(gone)))
	for _, name := range gone {
		full := filepath.Join(d.root, filepath.FromSlash(name))
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		// Remove directories left empty, up to the root; a directory that
		// still holds something stays.
		for dir := filepath.Dir(full); dir != d.root && os.Remove(dir) == nil; dir = filepath.Dir(dir) {
		}
	}
	return nil
}

// publishOrder ranks files for commit: what pages refer to before pages,
// pages before the lists, feeds and maps that lead to them.
func publishOrder(name string) int {
	switch {
	case !strings.HasSuffix(name, ".html"):
		if strings.HasPrefix(name, "assets/") || !strings.Contains(name, ".xml") && !strings.HasSuffix(name, ".json") && name != "robots.txt" {
			return 0
		}
		return 3
	case name == "index.html" || strings.HasPrefix(name, "page/") || strings.HasPrefix(name, "tags/") || strings.HasPrefix(name, "archive/"):
		return 2
	}
	return 1
}

// writeManifest saves what was published in dir for the next build.
func (d *dirOutput) writeManifest(file, dir string) error {
	files := d.written
	if d.keepAll {
		files = d.old
	}
	data, err := json.Marshal(manifest{Dir: dir, Files: files})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

// PublishOptions configure Publish.
type PublishOptions struct {
	// Protect lists the site's sources (files or directories): the output
	// directory may neither hold nor lie inside any of them.
	Protect []string
	// Manifest is a file in which Publish records the key of each file it
	// publishes, so that the next Publish to the same directory keeps the
	// files whose inputs did not change. "" records nothing.
	Manifest string
}

// Publish runs build with an Output that writes to dir, and publishes what
// it wrote only when build succeeds: a failed build leaves dir as it was.
//
// Without a record of the previous build (opts.Manifest), the Output
// writes a whole new tree beside dir, which then takes dir's place in one
// step. With one, the Output is a Reuser: files whose keys did not change
// stay untouched, the others are written beside their places and renamed
// into place once the whole build has succeeded, and files the build no
// longer makes are removed. Each file is replaced in one step, and a
// build that changes nothing writes nothing.
//
// Publish refuses to replace a directory that is neither empty nor a site
// built before (one with index.html and sitemap.xml), and a directory that
// holds or is inside any of opts.Protect.
func Publish(dir string, opts PublishOptions, build func(Output) error) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for _, p := range opts.Protect {
		pa, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		if within(pa, abs) || within(abs, pa) {
			return fmt.Errorf("output directory %s overlaps the site's sources (%s); choose another -o", dir, p)
		}
	}
	if err := checkReplaceable(abs); err != nil {
		return err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	out := &dirOutput{
		root:    filepath.Join(parent, fmt.Sprintf(".%s.new-%d-%d", filepath.Base(abs), os.Getpid(), time.Now().UnixNano())),
		prev:    abs,
		made:    map[string]bool{".": true},
		written: map[string]manifestEntry{},
	}
	if opts.Manifest != "" {
		out.old = readManifest(opts.Manifest, abs)
		if info, err := os.Stat(abs); err == nil && info.IsDir() && len(out.old) > 0 {
			out.inPlace = true
			out.root = abs
		}
	}
	var output Output = out
	if opts.Manifest == "" {
		output = struct{ Output }{out} // hide Reuser: nothing to reuse from
	}
	if err := build(output); err != nil {
		out.abort()
		return err
	}
	if out.keepAll {
		return nil // the published site is already this build's
	}
	if opts.Manifest != "" {
		// Forget the old record first: if publishing fails half-way, the
		// next build must not trust it.
		_ = os.Remove(opts.Manifest)
	}
	if out.inPlace {
		if err := out.commit(); err != nil {
			out.abort()
			return fmt.Errorf("publishing %s: %w", dir, err)
		}
	} else {
		if err := out.ensureRoot(); err != nil { // a site of no files is still published
			return err
		}
		if err := swap(out.root, abs); err != nil {
			out.abort()
			return fmt.Errorf("publishing %s: %w", dir, err)
		}
	}
	if opts.Manifest != "" {
		if err := out.writeManifest(opts.Manifest, abs); err != nil {
			return fmt.Errorf("recording the build in %s: %w", opts.Manifest, err)
		}
	}
	return nil
}

// swap puts directory tmp in place of dir and removes the old dir.
func swap(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	if err := exchange(tmp, dir); err == nil {
		return os.RemoveAll(tmp) // tmp now holds the old site
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.Rename(old, dir)
		return err
	}
	return os.RemoveAll(old)
}

// checkReplaceable refuses to let a build replace a directory that is not
// a previous build, so "-o ~" cannot wipe a home directory.
func checkReplaceable(dir string) error {
	info, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("output %s exists and is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	for _, marker := range []string{"index.html", "sitemap.xml"} {
		if _, err := os.Stat(filepath.Join(dir, marker)); err != nil {
			return fmt.Errorf("output directory %s is not empty and holds no built site (no %s); refusing to replace it: remove it or choose another -o", dir, marker)
		}
	}
	return nil
}

// RemoveOutput removes an output directory, if it is one: a missing
// directory is fine, one that holds anything but a built site is refused.
func RemoveOutput(dir string) error {
	if err := checkReplaceable(dir); err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// within reports whether path p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// BuildInMemory loads the site directory fsys and builds it into a new
// MemOutput, the whole pipeline in one call: for a server that serves one
// build, and for tests that compare with a fresh build.
func BuildInMemory(fsys fs.FS, opts content.Options, ropts ...Option) (*MemOutput, error) {
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		return nil, err
	}
	site, err := content.Load(fsys, cfg, opts)
	if err != nil {
		return nil, err
	}
	r, err := New(fsys, cfg, ropts...)
	if err != nil {
		return nil, err
	}
	out := NewMemOutput()
	stats, err := r.Build(site, out)
	if err != nil {
		return nil, err
	}
	out.TLSPage = stats.TLSPage
	return out, nil
}
