package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/internal/layered"
	"github.com/siteblog/site/internal/par"
)

// Output receives the files of a built site. Implementations must be safe
// for concurrent use.
type Output interface {
	// WriteFile stores data at name, a slash-separated path relative to the
	// site root such as "2024/05/hello/index.html".
	WriteFile(name string, data []byte) error
}

// checkName rejects names that could escape the output root, and names
// with a part ending in .site-new, which is reserved for the files
// Publish stages in place (stagedSuffix), so that no file of a site can
// be taken for one.
func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, `\`) {
		return fmt.Errorf("output path %q is not a clean relative path", name)
	}
	if reservedName(name) {
		return fmt.Errorf("output path %q: names ending in %q are reserved for files being published; rename it", name, stagedSuffix)
	}
	return nil
}

// reservedName reports whether a part of name ends in stagedSuffix.
func reservedName(name string) bool {
	for part := range strings.SplitSeq(name, "/") {
		if strings.HasSuffix(part, stagedSuffix) {
			return true
		}
	}
	return false
}

// MemOutput keeps a built site in memory, for previews and tests. With
// Prev set to the previous build, it is a Reuser: files whose keys did not
// change are taken from Prev instead of being made again.
//
// A build that keeps most of Prev's files (a rebuild of changed bodies)
// shares Prev's maps of files and keys, which it does not change, and
// holds only the files it made and removed over them (layered.Map): its
// cost follows what changed, not the size of the site.
type MemOutput struct {
	Prev *MemOutput

	mu sync.Mutex
	// files and keys are what the build holds, but for the files
	// written and reused since they were made (set, keySet), which view
	// folds in.
	files  *layered.Map[[]byte]
	keys   *layered.Map[Key] // of the files written or reused, for the next build
	set    map[string][]byte
	keySet map[string]Key
	flat   map[string][]byte // Files, once asked for
	same   map[string]bool   // files written with the bytes Prev had
	// TLSPage renders the build's "tls" page (Stats.TLSPage); set by
	// BuildInMemory.
	TLSPage func(*badge.PageData) ([]byte, error)
	// Redirects are the build's redirect pages and where each leads
	// (Stats.Redirects); set by BuildInMemory.
	Redirects map[string]string
}

// NewMemOutput returns an empty MemOutput that reuses files of prev, which
// may be nil.
func NewMemOutput(prev ...*MemOutput) *MemOutput {
	m := &MemOutput{set: map[string][]byte{}, keySet: map[string]Key{}}
	if len(prev) > 0 && prev[0] != nil {
		m.Prev = prev[0]
		m.Prev.view() // fold its changes in once, before the build reads it from many goroutines
	}
	return m
}

// viewLocked folds the files written and reused since files and keys
// were made into new versions of them, and returns these. m.mu is held.
func (m *MemOutput) viewLocked() (*layered.Map[[]byte], *layered.Map[Key]) {
	if len(m.set) > 0 || len(m.keySet) > 0 || m.files == nil {
		if m.files == nil {
			m.files, m.keys = layered.Of(m.set), layered.Of(m.keySet) // a full build: its maps as they are
		} else {
			m.files, m.keys = m.files.With(m.set, nil), m.keys.With(m.keySet, nil)
		}
		m.set, m.keySet, m.flat = map[string][]byte{}, map[string]Key{}, nil
	}
	return m.files, m.keys
}

// view is viewLocked for a caller without m.mu.
func (m *MemOutput) view() (*layered.Map[[]byte], *layered.Map[Key]) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.viewLocked()
}

// File returns the content of output file name.
func (m *MemOutput) File(name string) ([]byte, bool) {
	files, _ := m.view()
	return files.Get(name)
}

// Len is the number of files.
func (m *MemOutput) Len() int {
	files, _ := m.view()
	return files.Len()
}

// All yields every file, in no order.
func (m *MemOutput) All() iter.Seq2[string, []byte] {
	files, _ := m.view()
	return files.All()
}

// Files returns every file by name, a map made once per build (for
// tests, and a server that builds once): not to be changed.
func (m *MemOutput) Files() map[string][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	files, _ := m.viewLocked()
	if m.flat == nil {
		m.flat = make(map[string][]byte, files.Len())
		for name, data := range files.All() {
			m.flat[name] = data
		}
	}
	return m.flat
}

// prevFile returns file name of Prev, which the build does not change.
func (m *MemOutput) prevFile(name string) ([]byte, bool) {
	return m.Prev.files.Get(name)
}

// prevKey returns the key of file name in Prev.
func (m *MemOutput) prevKey(name string) (Key, bool) {
	return m.Prev.keys.Get(name)
}

// WriteFile implements Output.
func (m *MemOutput) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	var same bool
	if m.Prev != nil {
		old, ok := m.prevFile(name)
		same = ok && bytes.Equal(old, data) // made again, not changed: the Report knows
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.set[name]; dup || m.files.Has(name) {
		return fmt.Errorf("%s: written twice", name)
	}
	m.set[name] = data
	if same {
		if m.same == nil {
			m.same = map[string]bool{}
		}
		m.same[name] = true
	}
	return nil
}

// unchanged implements sameBytes.
func (m *MemOutput) unchanged(name string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.same[name]
}

// keepFrom takes from Prev, whole, the files of plan but those affected
// (by index), which the build makes or reuses one by one; with prune, it
// leaves out Prev's files that byName does not plan. It shares Prev's
// maps, and costs in proportion to the files affected (and, with prune,
// to Prev's files). Of drop, the names of files that may be gone, it
// leaves out those byName does not plan.
func (m *MemOutput) keepFrom(plan []*planned, affected map[int]bool, byName map[string]*planned, prune bool, drop ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	gone := make([]string, 0, len(affected)+len(drop))
	for i := range affected {
		gone = append(gone, plan[i].name)
	}
	for _, name := range drop {
		if byName[name] == nil {
			gone = append(gone, name)
		}
	}
	if prune {
		for name := range m.Prev.files.All() {
			if byName[name] == nil {
				gone = append(gone, name)
			}
		}
	}
	m.files, m.keys = m.Prev.files.With(nil, gone), m.Prev.keys.With(nil, gone)
	m.set, m.keySet, m.flat = map[string][]byte{}, map[string]Key{}, nil
}

// Had implements Reuser.
func (m *MemOutput) Had(name string) bool {
	if m.Prev == nil {
		return false
	}
	_, ok := m.prevKey(name)
	return ok
}

// Previous implements Reuser.
func (m *MemOutput) Previous() iter.Seq[string] {
	return func(yield func(string) bool) {
		if m.Prev == nil {
			return
		}
		for name := range m.Prev.keys.All() {
			if !yield(name) {
				return
			}
		}
	}
}

// KeepAll implements Reuser.
func (m *MemOutput) KeepAll(keys map[string]Key) bool {
	if m.Prev == nil || len(keys) != m.Prev.keys.Len() {
		return false
	}
	for name, k := range keys {
		if pk, _ := m.prevKey(name); pk != k {
			return false
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for name, k := range keys {
		m.set[name], _ = m.prevFile(name)
		m.keySet[name] = k
	}
	return true
}

// Reuse implements Reuser.
func (m *MemOutput) Reuse(name string, key Key) bool {
	if m.Prev == nil {
		return false
	}
	if k, ok := m.prevKey(name); !ok || k != key {
		return false
	}
	data, _ := m.prevFile(name)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.set[name] = data
	m.keySet[name] = key
	return true
}

// Record implements Reuser.
func (m *MemOutput) Record(name string, key Key) {
	m.mu.Lock()
	m.keySet[name] = key
	m.mu.Unlock()
}

// A manifest records what a build published in a directory: the key of
// every file, and its size and modification time, which tell whether the
// file is still the one the build wrote.
type manifest struct {
	Dir   string                   `json:"dir"`
	Files map[string]manifestEntry `json:"files"`
	// Swapped is true when the directory was published by swapping in a
	// whole tree, which leaves no staged files in it; engines before that
	// staged files inside it, and a build killed then may have left some.
	Swapped bool `json:"swapped,omitempty"`
}

type manifestEntry struct {
	Key   Key   `json:"key"`
	Size  int64 `json:"size"`
	MTime int64 `json:"mtime"` // Unix nanoseconds
}

func readManifest(file, dir string) (files map[string]manifestEntry, swapped bool) {
	var m manifest
	data, err := os.ReadFile(file)
	if err != nil || json.Unmarshal(data, &m) != nil || m.Dir != dir {
		return nil, false // a missing or damaged manifest only means nothing is reused
	}
	return m.Files, m.Swapped
}

// writeFile writes a file of the output, and mountPoint tells whether a
// directory is a mount point; tests replace them to fail as a full disk
// does and to publish as into a mount point.
var (
	writeFile  = os.WriteFile
	mountPoint = isMountPoint
)

// dirOutput writes a build to disk. It writes a whole new tree, root, in
// stage beside the published directory, to be swapped in at the end (starting
// from the spare tree of the previous swap, if there is one); with a
// record of the previous build, the files whose keys did not change are
// hard links to the published ones, so they keep their inodes and cost a
// link, not a write. Where the published directory cannot be swapped (a
// mount point), it writes in place instead: each new or changed file next
// to its place under a temporary name, renamed into place at the end.
type dirOutput struct {
	root string // where files are written: the new tree, or the published directory
	// stage holds root while it is written, beside the published
	// directory (.DIR.new-PID-TIME); it is removed once root is swapped
	// in or the build fails. Empty when writing in place.
	stage string
	prev  string // the published directory
	old   map[string]manifestEntry
	// inPlace updates prev file by file instead of swapping in a new tree.
	inPlace bool
	// spare is the tree the previous swap took out (.DIR.prev), made into
	// root on first use: its directories and files are reused, so a
	// build makes only what changed; what root holds that this build
	// does not make is pruned before the swap.
	spare  string
	reused bool // root is the spare tree

	mu      sync.Mutex
	created bool
	made    map[string]bool // directories known to exist
	written map[string]manifestEntry
	staged  []string // names written under stagedName, in place mode
	keepAll bool
	failed  error // the first error of the file system: every later write returns it
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
	if err := os.Mkdir(d.stage, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err // (it exists if making root failed on an earlier call)
	}
	// root is made in a directory marked as the top of a hierarchy, under
	// a name of its own, so that where the file system places it and its
	// tree depends on neither the last output's place nor its names
	// (markTopDir).
	markTopDir(d.stage)
	if d.spare != "" {
		if info, err := os.Lstat(d.spare); err == nil && info.IsDir() && os.Rename(d.spare, d.root) == nil {
			d.created, d.reused = true, true
			return nil
		}
	}
	if err := os.Mkdir(d.root, 0o755); err != nil {
		return err
	}
	d.created = true
	return nil
}

// prepare reserves name and makes its directory; it returns the path to
// write to. An error of the file system is the output's failure (fail).
func (d *dirOutput) prepare(name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	d.mu.Lock()
	failed := d.failed
	if _, dup := d.written[name]; dup && failed == nil {
		d.mu.Unlock()
		return "", fmt.Errorf("%s: written twice", name)
	}
	d.mu.Unlock()
	if failed != nil {
		return "", failed
	}
	if err := d.ensureRoot(); err != nil {
		return "", d.fail(name, err)
	}
	if err := d.mkdir(path.Dir(name)); err != nil {
		return "", d.fail(name, err)
	}
	d.mu.Lock()
	d.written[name] = manifestEntry{}
	d.mu.Unlock()
	full := filepath.Join(d.root, filepath.FromSlash(name))
	if d.inPlace {
		d.mu.Lock()
		d.staged = append(d.staged, name)
		d.mu.Unlock()
		full += stagedSuffix
	}
	return full, nil
}

// fail records the first error of the file system, writing name, and
// returns it: once the disk is full, every file fails alike, and the
// build reports it once.
func (d *dirOutput) fail(name string, err error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failed == nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is a staging path: name the published one
		}
		d.failed = fmt.Errorf("%s: writing %s: %w", d.prev, name, err)
	}
	return d.failed
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
	full := filepath.Join(d.root, filepath.FromSlash(dir))
	if err := os.Mkdir(full, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	} else if err != nil && d.reused {
		// The spare tree may hold a file where this build has a directory.
		if info, err := os.Lstat(full); err == nil && !info.IsDir() {
			if err := d.replaceWithDir(dir, full); err != nil {
				return err
			}
		}
	}
	d.mu.Lock()
	d.made[dir] = true
	d.mu.Unlock()
	return nil
}

// replaceWithDir replaces the file at full, directory dir of the output,
// with a directory. Several writers may find the file at once: the
// replacement is made under the lock, by the first of them, and the
// others find the directory made.
func (d *dirOutput) replaceWithDir(dir, full string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.made[dir] {
		return nil
	}
	if info, err := os.Lstat(full); err == nil && info.IsDir() {
		return nil
	}
	if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// Another writer's mkdir, which takes no lock, may make the directory
	// between the removal and this one.
	if err := os.Mkdir(full, 0o755); err != nil {
		if info, lerr := os.Lstat(full); lerr != nil || !info.IsDir() {
			return err
		}
	}
	return nil
}

// forgetsData implements keepsNothing: WriteFile writes data to its file
// and returns.
func (d *dirOutput) forgetsData() bool { return true }

func (d *dirOutput) WriteFile(name string, data []byte) error {
	full, err := d.prepare(name)
	if err != nil {
		return err
	}
	if d.reused {
		// Never write through what the spare tree holds: it may be a hard
		// link to a published file.
		if err := os.RemoveAll(full); err != nil {
			return d.fail(name, err)
		}
	}
	if err := writeFile(full, data, 0o644); err != nil {
		return d.fail(name, err)
	}
	return nil
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
	published := filepath.Join(d.prev, filepath.FromSlash(name))
	if d.reused {
		pi, perr := os.Lstat(published)
		si, serr := os.Lstat(full)
		if perr == nil && serr == nil && os.SameFile(pi, si) {
			d.mu.Lock()
			d.written[name] = e
			d.mu.Unlock()
			return true // the spare tree has it already
		}
		if serr == nil && os.RemoveAll(full) != nil {
			d.mu.Lock()
			delete(d.written, name)
			d.mu.Unlock()
			return false
		}
	}
	if err := os.Link(published, full); err != nil {
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

// Had implements Reuser: whether the manifest has name.
func (d *dirOutput) Had(name string) bool {
	_, ok := d.old[name]
	return ok
}

// Previous implements Reuser: the files of the manifest.
func (d *dirOutput) Previous() iter.Seq[string] {
	return func(yield func(string) bool) {
		for name := range d.old {
			if !yield(name) {
				return
			}
		}
	}
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
	os.RemoveAll(d.stage)
}

// prune removes from a reused spare tree what this build did not make.
func (d *dirOutput) prune() error {
	if !d.reused {
		return nil
	}
	return filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			if !d.made[rel] {
				if err := os.RemoveAll(p); err != nil {
					return err
				}
				return filepath.SkipDir
			}
			return nil
		}
		if _, ok := d.written[rel]; !ok {
			return os.Remove(p)
		}
		return nil
	})
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
	data, err := json.Marshal(manifest{Dir: dir, Files: files, Swapped: !d.inPlace})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(file), fmt.Sprintf("%s%d-%s.tmp", tempPrefix, os.Getpid(), filepath.Base(file)))
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, file); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
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
	// Warn, if set, is told what Publish could not do as promised: that
	// it publishes file by file into a mount point.
	Warn func(msg string)
}

// Publish runs build with an Output that writes to dir, and publishes what
// it wrote only when build succeeds: a failed build leaves dir as it was.
//
// The Output writes a whole new tree beside dir, in a directory named
// .DIR.new-PID-TIME, which takes dir's place in one step (renameat2's
// RENAME_EXCHANGE on Linux) once the whole build has succeeded; the old
// tree is then kept as .DIR.prev, in which the next build builds, so that
// it makes only the directories and files that changed. A process killed at any moment leaves dir exactly
// the old site or exactly the new one, and nothing of the build inside it;
// the next Publish removes what a killed one left beside dir. With a
// record of the previous build (opts.Manifest), the Output is a Reuser:
// files whose keys did not change are hard links to the published ones
// (they keep their inodes), and a build that changes nothing writes
// nothing and swaps nothing.
//
// A dir that is a symbolic link is resolved, and the directory it leads
// to is swapped. A dir that is a mount point cannot be swapped: Publish
// then tells opts.Warn so, and publishes file by file inside it (each
// file written as NAME.site-new and renamed into place once the build has
// succeeded), which a kill while publishing can leave half done; the next
// Publish removes stray NAME.site-new files.
//
// Publish holds an exclusive lock on .DIR.lock beside dir for the whole
// build: a second Publish into the same directory waits for the first
// (telling opts.Warn so), and what a killed build left beside dir is
// removed under the lock, whatever process ID its name carries.
//
// Publish refuses to replace a directory that is neither empty nor a site
// built before (one with index.html and sitemap.xml), a directory that
// holds or is inside any of opts.Protect, and a record (opts.Manifest)
// whose directory, or the one above it, is a symbolic link.
func Publish(dir string, opts PublishOptions, build func(Output) error) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	real := abs
	if info, err := os.Lstat(abs); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		if real, err = filepath.EvalSymlinks(abs); err != nil {
			return fmt.Errorf("output directory %s: %w", dir, err)
		}
	}
	if err := checkProtected(dir, abs, real, opts.Protect); err != nil {
		return err
	}
	if opts.Manifest != "" {
		if err := CheckCacheDirs(filepath.Dir(filepath.Dir(opts.Manifest)), filepath.Dir(opts.Manifest)); err != nil {
			return err
		}
	}
	if err := checkReplaceable(real); err != nil {
		return err // refused before anything is made beside it
	}
	parent := filepath.Dir(real)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	unlock, err := lockOutput(lockPath(real), opts.Warn)
	if err != nil {
		return err
	}
	defer unlock()
	if err := checkReplaceable(real); err != nil {
		return err // again, now that no other build can be changing it
	}
	removeStaleStaging(parent, filepath.Base(real))
	if opts.Manifest != "" {
		removeStale(filepath.Dir(opts.Manifest))
	}
	now := time.Now().UnixNano()
	stage := filepath.Join(parent, fmt.Sprintf(".%s.new-%d-%d", filepath.Base(real), os.Getpid(), now))
	out := &dirOutput{
		stage:   stage,
		root:    filepath.Join(stage, "site-"+strconv.FormatInt(now, 36)),
		prev:    real,
		spare:   sparePath(real),
		made:    map[string]bool{".": true},
		written: map[string]manifestEntry{},
	}
	var swapped bool
	if opts.Manifest != "" {
		out.old, swapped = readManifest(opts.Manifest, abs)
	}
	if mountPoint(real) {
		if opts.Warn != nil {
			opts.Warn(fmt.Sprintf("%s is a mount point, which cannot be replaced in one step: publishing file by file, so a build killed while publishing may leave a mix of old and new files (publish into a directory inside the mount for all-or-nothing publishing)", dir))
		}
		out.inPlace, out.root, out.stage = true, real, ""
		if err := removeStrays(real, out.old); err != nil {
			return err
		}
		if out.old == nil {
			if out.old, err = listFiles(real); err != nil {
				return err
			}
		}
	}
	var output Output = out
	if opts.Manifest == "" {
		output = struct {
			Output
			keepsNothing
		}{out, out} // hide Reuser: nothing to reuse from
	}
	if err := build(output); err != nil {
		out.abort()
		return err
	}
	if out.keepAll {
		if swapped || out.inPlace {
			return nil // the published site is already this build's
		}
		// Published by an engine that staged files inside dir: remove
		// what a killed build of it left, and record that none is left.
		if err := removeStrays(real, out.old); err != nil {
			return err
		}
		return out.writeManifest(opts.Manifest, abs)
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
			return fmt.Errorf("publishing %s: %w", dir, err)
		}
		if err := out.prune(); err != nil {
			out.abort()
			return fmt.Errorf("publishing %s: %w", dir, err)
		}
		if err := swap(out.root, real, out.spare, out.stage+".old"); err != nil {
			out.abort()
			return fmt.Errorf("publishing %s: %w", dir, err)
		}
		_ = os.RemoveAll(out.stage) // empty, unless the old tree could be neither kept nor removed
	}
	if opts.Manifest != "" {
		if err := out.writeManifest(opts.Manifest, abs); err != nil {
			return fmt.Errorf("recording the build in %s: %w", opts.Manifest, err)
		}
	}
	return nil
}

// swap puts directory tmp in place of dir and moves the old dir to spare,
// for the next build to reuse, or removes it if it cannot. Where the two
// cannot be exchanged in one step, dir is missing for the moment between
// two renames, moved aside to old.
func swap(tmp, dir, spare, old string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	err := exchange(tmp, dir)
	if err == nil {
		// tmp now holds the old site. The new one is published whether or
		// not it can be moved or removed; what stays, the next build removes.
		keepSpare(tmp, spare)
		return nil
	}
	if errors.Is(err, syscall.EBUSY) || errors.Is(err, syscall.EXDEV) {
		return fmt.Errorf("%s cannot be replaced (a mount point?): %w", dir, err)
	}
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.Rename(old, dir)
		return err
	}
	keepSpare(old, spare)
	return nil
}

// keepSpare makes the old tree the spare one, or removes it.
func keepSpare(old, spare string) {
	if spare != "" {
		if _, err := os.Lstat(spare); errors.Is(err, fs.ErrNotExist) && os.Rename(old, spare) == nil {
			return
		}
	}
	_ = removeTree(old)
}

// removeTree removes the directory dir and everything in it, its
// top-level entries in parallel: a site's old tree is thousands of
// directories.
func removeTree(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	errs := make([]error, len(entries))
	par.Do(len(entries), func(i int) {
		errs[i] = os.RemoveAll(filepath.Join(dir, entries[i].Name()))
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return os.Remove(dir)
}

// sparePath is where the tree a swap took out is kept for the next build:
// .NAME.prev beside the output directory NAME.
func sparePath(dir string) string {
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".prev")
}

// lockPath is the lock file of the output directory NAME, .NAME.lock
// beside it, which a build holds from before it makes its staging tree
// until it has swapped it in or removed it.
func lockPath(dir string) string {
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".lock")
}

// removeStaleStaging removes what builds of the directory base in parent
// that were killed left there: the trees they were writing, and old trees
// they had swapped out and not yet removed (.BASE.new-PID-TIME[.old]).
// It is called holding the output's lock, which every build holds while
// it has such a tree: so every tree found is a killed build's, whatever
// process now has its process ID (which may be another machine's or
// another container's). Where builds do not lock (locking is false), a
// tree of a process still running is left alone. If the directory itself
// is missing, and a build was killed between the two renames of swap,
// the old tree it had moved aside takes its place again.
func removeStaleStaging(parent, base string) {
	prefix := "." + base + ".new-"
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	dir := filepath.Join(parent, base)
	for _, e := range entries {
		pid, ok := stagingPID(e.Name(), prefix)
		if !ok || !locking && (pid == os.Getpid() || processAlive(pid)) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if strings.HasSuffix(e.Name(), ".old") {
			if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) && os.Rename(p, dir) == nil {
				continue
			}
		}
		os.RemoveAll(p)
	}
}

// stagingPID parses the process ID of a staging tree's name,
// PREFIXPID-TIME or PREFIXPID-TIME.old, and nothing else: the lock, spare
// tree and staging trees of an output named BASE.new-N start with the
// same prefix, and are that output's.
func stagingPID(name, prefix string) (int, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	pid, t, ok := strings.Cut(strings.TrimSuffix(rest, ".old"), "-")
	if !ok || !allDigits(t) || !allDigits(pid) {
		return 0, false
	}
	return stalePID(name, prefix)
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// removeStale removes the temporary files (*.tmp) of a cache directory
// that killed builds left: those named new-PID-… whose process is no
// longer running, and those of older engines, which named no process.
func removeStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".tmp") {
			continue
		}
		if pid, ok := stalePID(name, tempPrefix); ok && processAlive(pid) || pid == os.Getpid() {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}

// tempPrefix starts the name of a temporary file of a cache directory,
// followed by the writer's process ID and "-".
const tempPrefix = "new-"

// stalePID parses the process ID that follows prefix in name, up to a
// "-", "." or the end.
func stalePID(name, prefix string) (int, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	if i := strings.IndexAny(rest, "-."); i >= 0 {
		rest = rest[:i]
	}
	pid, err := strconv.Atoi(rest)
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, true
}

// removeStrays removes from dir the staged files (NAME.site-new) that a
// build publishing in place left when it was killed, but for files the
// site itself has under such a name (keep).
func removeStrays(dir string, keep map[string]manifestEntry) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), stagedSuffix) {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if _, ok := keep[filepath.ToSlash(rel)]; ok {
			return nil
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
}

// listFiles lists the regular files of a published directory with no
// keys, so that a build publishing in place without a record of the
// previous build removes the files it no longer makes.
func listFiles(dir string) (map[string]manifestEntry, error) {
	files := map[string]manifestEntry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = manifestEntry{Size: -1}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return files, nil
	}
	return files, err
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

// checkProtected refuses an output directory dir (abs, its absolute
// path, and real, the directory it leads to) that holds or lies inside
// any of protect, the site's sources.
func checkProtected(dir, abs, real string, protect []string) error {
	for _, p := range protect {
		pa, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		if within(pa, abs) || within(abs, pa) || within(pa, real) || within(real, pa) {
			return fmt.Errorf("output directory %s overlaps the site's sources (%s); choose another -o", dir, p)
		}
	}
	return nil
}

// RemoveOutput removes an output directory, if it is one: a missing
// directory is fine, one that holds anything but a built site is refused,
// and so is one that holds or lies inside any of protect (the site's
// sources, as PublishOptions.Protect). A dir that is a symbolic link
// stays, and so does the directory it leads to, emptied: Publish
// publishes there again.
func RemoveOutput(dir string, protect ...string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	real := abs
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		real = r
	}
	if err := checkProtected(dir, abs, real, protect); err != nil {
		return err
	}
	if err := checkReplaceable(real); err != nil {
		return err
	}
	if _, err := os.Lstat(filepath.Dir(real)); err == nil {
		// Wait for a build publishing there, and remove what killed
		// builds left beside it.
		unlock, err := lockOutput(lockPath(real), nil)
		if err != nil {
			return err
		}
		defer unlock()
		removeStaleStaging(filepath.Dir(real), filepath.Base(real))
	}
	if err := os.RemoveAll(sparePath(real)); err != nil {
		return err
	}
	if info, err := os.Lstat(dir); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		entries, err := os.ReadDir(real)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for _, e := range entries {
			if err := os.RemoveAll(filepath.Join(real, e.Name())); err != nil {
				return err
			}
		}
		return nil
	}
	return os.RemoveAll(dir)
}

// within reports whether path p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
