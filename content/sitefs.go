package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
)

// DirOptions configure the file system of a site directory; see DirFS.
type DirOptions struct {
	// FollowSymlinks lets symbolic links lead outside the site directory
	// (site build --follow-symlinks). Cycles and files that are neither
	// regular files nor directories stay errors.
	FollowSymlinks bool
}

// DirFS returns the site directory dir as the build reads it: like
// os.DirFS, except that a symbolic link whose target resolves outside dir
// (unless opts.FollowSymlinks), a link that cannot be followed (a cycle, a
// missing target) and a file that is neither a regular file nor a
// directory (a FIFO, a socket, a device) are errors, found before the file
// is opened. Its errors are *fs.PathError: for a link, one naming the
// link and holding a *LinkError; for another kind of file, one holding an
// error that wraps ErrIrregular. Its ReadDir gives a link the type of its
// target, so fs.WalkDir walks into linked directories; an entry that is a
// bad link or an irregular file keeps its own type and its Info method
// returns the error. A path holding "\" or ":" is refused (ErrBadName),
// and so is an entry so named. A file is checked again once opened, so
// that one replaced by a FIFO or a link in between is refused without
// blocking. WalkDir walks it entering each linked directory once.
func DirFS(dir string, opts DirOptions) fs.FS {
	return &siteFS{dir: dir, follow: opts.FollowSymlinks}
}

// A LinkError is a symbolic link of the site that the build does not
// follow.
type LinkError struct {
	Link   string // slash-separated path of the link in the site directory
	Target string // what the link holds, as written
	// Resolved is where the link leads when that is not Target: the
	// final target of a chain of links.
	Resolved string
	Reason   string // "leads outside the site", "makes a cycle", …
}

func (e *LinkError) Error() string {
	s := "symlink to " + e.Target + " " + e.Reason
	if e.Resolved != "" && e.Resolved != e.Target {
		s += " (" + e.Resolved + ")"
	}
	return s
}

// Reasons of a LinkError.
const (
	linkOutside = "leads outside the site"
	linkCycle   = "makes a cycle"
	linkMissing = "leads to no file"
	linkWalked  = "leads to a directory already walked through "
)

// badNameChars are what a path may not hold: Windows reads \ as a
// separator and C: as a drive (and a:b as a file's stream), so a\..\..\x
// and C:x would name files outside the site there. A backslash in a name
// is a mistake anywhere (such a site cannot be checked out on Windows); a
// colon is an ordinary character elsewhere, and blogs have such names.
var badNameChars = func() string {
	if runtime.GOOS == "windows" {
		return `\:`
	}
	return `\`
}()

// ErrBadName is the error for a path holding a backslash (on every
// system) or a colon (on Windows), which Windows reads as a separator and
// a drive.
var ErrBadName = errors.New(`name holds \ or :, which Windows reads as a path separator or a drive`)

// ErrIrregular is wrapped by the error for a file that is neither a
// regular file nor a directory.
var ErrIrregular = errors.New("not a regular file or directory")

// irregular returns the error for a file of mode m, which is neither a
// regular file nor a directory: "a named pipe (FIFO), not a regular file
// or directory".
func irregular(m fs.FileMode) error {
	kind := "a special file"
	switch {
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m&fs.ModeCharDevice != 0:
		kind = "a character device"
	case m&fs.ModeDevice != 0:
		kind = "a device"
	case m&fs.ModeSymlink != 0:
		kind = "a symlink"
	}
	return fmt.Errorf("%s, %w", kind, ErrIrregular)
}

type siteFS struct {
	dir    string
	follow bool

	once    sync.Once
	root    string // dir, absolute, with every link resolved
	rootErr error
}

// realRoot returns the site directory's own resolved path.
func (f *siteFS) realRoot() (string, error) {
	f.once.Do(func() {
		abs, err := filepath.Abs(f.dir)
		if err == nil {
			abs, err = filepath.EvalSymlinks(abs)
		}
		f.root, f.rootErr = abs, err
	})
	return f.root, f.rootErr
}

// within reports whether the resolved path p is dir or under it.
func within(dir, p string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// resolve returns the real path of name and its information, following
// links one component at a time so that a bad one is named. A link may not
// lead outside the site (unless f.follow), nor to a directory holding a
// directory already on name's way, which a walk would enter forever.
func (f *siteFS) resolve(op, name string) (string, fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return "", nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if strings.ContainsAny(name, badNameChars) {
		return "", nil, &fs.PathError{Op: op, Path: name, Err: ErrBadName}
	}
	root, err := f.realRoot()
	if err != nil {
		return "", nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	cur := root
	way := []string{root} // the resolved directories on name's way
	var info fs.FileInfo  // cur's, when it is no link
	if name != "." {
		parts := strings.Split(name, "/")
		for i, part := range parts {
			next := filepath.Join(cur, part)
			if info, err = os.Lstat(next); err != nil {
				return "", nil, &fs.PathError{Op: op, Path: name, Err: unwrapOS(err)}
			}
			if info.Mode()&fs.ModeSymlink != 0 {
				link := path.Join(parts[:i+1]...)
				if next, err = f.follow1(root, cur, next, link, way); err != nil {
					return "", nil, &fs.PathError{Op: op, Path: link, Err: err}
				}
				info = nil
			}
			if i < len(parts)-1 {
				way = append(way, next)
			}
			cur = next
		}
	}
	if info == nil {
		if info, err = os.Stat(cur); err != nil {
			return "", nil, &fs.PathError{Op: op, Path: name, Err: unwrapOS(err)}
		}
	}
	if !info.Mode().IsRegular() && !info.IsDir() {
		return "", nil, &fs.PathError{Op: op, Path: name, Err: irregular(info.Mode())}
	}
	return cur, info, nil
}

// follow1 resolves the link at the real path p (in the real directory dir),
// whose path in the site is link.
func (f *siteFS) follow1(root, dir, p, link string, way []string) (string, error) {
	target, err := os.Readlink(p)
	if err != nil {
		return "", err
	}
	le := &LinkError{Link: link, Target: target}
	resolved, err := filepath.EvalSymlinks(p)
	if err != nil {
		var pe *fs.PathError
		switch {
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		case errors.As(err, &pe):
			return "", pe.Err // permission denied, …
		default:
			// EvalSymlinks's only error of its own: more than 255
			// links in a chain.
			le.Reason = linkCycle
			return "", le
		}
		// A missing target outside the site is reported as outside:
		// whether a file exists there is none of the site's business.
		lexical := target
		if !filepath.IsAbs(lexical) {
			lexical = filepath.Join(dir, lexical)
		}
		le.Reason = linkMissing
		if !f.follow && !within(root, filepath.Clean(lexical)) {
			le.Reason = linkOutside
		}
		return "", le
	}
	if !f.follow && !within(root, resolved) {
		le.Reason, le.Resolved = linkOutside, resolved
		return "", le
	}
	for _, d := range way {
		if within(resolved, d) {
			le.Reason = linkCycle
			return "", le
		}
	}
	return resolved, nil
}

// unwrapOS drops the path of an *fs.PathError from package os, which
// names the resolved path rather than the site's.
func unwrapOS(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (f *siteFS) Open(name string) (fs.File, error) {
	real, _, err := f.resolve("open", name)
	if err != nil {
		return nil, err
	}
	file, info, err := f.open(name, real)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return &siteDir{File: file, fsys: f, name: name}, nil
	}
	return file, nil
}

func (f *siteFS) Stat(name string) (fs.FileInfo, error) {
	_, info, err := f.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	return renamed{info, path.Base(name)}, nil
}

func (f *siteFS) ReadFile(name string) ([]byte, error) {
	real, info, err := f.resolve("open", name)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	file, info, err := f.open(name, real)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	if info.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	data, err := readAll(file, info.Size())
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: unwrapOS(err)}
	}
	return data, nil
}

// readAll reads r to its end into a buffer of size bytes and one more
// (a file's size, which may change while it is read), as os.ReadFile
// does, so that a file read whole takes one allocation, not a growing
// buffer's.
func readAll(r io.Reader, size int64) ([]byte, error) {
	if size < 0 || size > 1<<30 {
		size = 0
	}
	data := make([]byte, 0, size+1)
	for {
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grow
		}
	}
}

func (f *siteFS) ReadDir(name string) ([]fs.DirEntry, error) {
	real, info, err := f.resolve("open", name)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	file, info, err := f.open(name, real)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	if !info.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	entries, err := file.ReadDir(-1)
	if err != nil {
		err = &fs.PathError{Op: "readdir", Path: name, Err: unwrapOS(err)}
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	for i, e := range entries {
		entries[i] = f.entry(name, real, e)
	}
	return entries, err
}

// testHookOpen, when set, runs between the check of a file and its
// opening: tests swap the file there.
var testHookOpen func(real string)

// open opens the file at the real path real, the site's file name, as
// resolve found it: a file put there since, which is neither a regular
// file nor a directory (a FIFO, a link), is refused after opening,
// without waiting for a FIFO's writer (see openFile).
func (f *siteFS) open(name, real string) (*os.File, fs.FileInfo, error) {
	if testHookOpen != nil {
		testHookOpen(real)
	}
	file, info, err := openFile(real)
	if err != nil {
		return nil, nil, &fs.PathError{Op: "open", Path: name, Err: unwrapOS(err)}
	}
	return file, info, nil
}

// entry is the site's view of e, an entry of the directory dir: a link
// takes its target's type, and a bad link or an irregular file reports
// its error from Info.
func (f *siteFS) entry(dir, realDir string, e fs.DirEntry) fs.DirEntry {
	t := e.Type()
	name := path.Join(dir, e.Name())
	if strings.ContainsAny(e.Name(), badNameChars) {
		return badName{e, &fs.PathError{Op: "open", Path: name, Err: ErrBadName}}
	}
	if t.IsRegular() || t.IsDir() {
		return e
	}
	if t&fs.ModeSymlink == 0 {
		return badEntry{e, &fs.PathError{Op: "open", Path: name, Err: irregular(t)}}
	}
	real, info, err := f.resolve("open", name)
	if err != nil {
		return badEntry{e, err}
	}
	entry := fs.FileInfoToDirEntry(renamed{info, e.Name()})
	if info.IsDir() {
		target, _ := os.Readlink(filepath.Join(realDir, e.Name()))
		return linkedDir{entry, name, real, target}
	}
	return entry
}

// A linkedDir is the entry of a link to a directory: WalkDir walks each
// such directory once.
type linkedDir struct {
	fs.DirEntry
	link   string // the link's path in the site directory
	real   string // the directory, resolved
	target string // what the link holds
}

// A badEntry is a directory entry the build cannot read.
type badEntry struct {
	fs.DirEntry
	err error
}

func (e badEntry) Info() (fs.FileInfo, error) { return nil, e.err }

// A badName is a directory entry whose name DirFS refuses (ErrBadName):
// neither a file nor a directory to a walk, which does not enter it.
type badName struct {
	fs.DirEntry
	err error
}

func (e badName) IsDir() bool                { return false }
func (e badName) Type() fs.FileMode          { return fs.ModeIrregular }
func (e badName) Info() (fs.FileInfo, error) { return nil, e.err }

// renamed is a file's information under the name it has in the site (a
// link's, not its target's).
type renamed struct {
	fs.FileInfo
	name string
}

func (r renamed) Name() string { return r.name }

// A siteDir is an open directory whose ReadDir is the site's.
type siteDir struct {
	*os.File
	fsys *siteFS
	name string
}

func (d *siteDir) ReadDir(n int) ([]fs.DirEntry, error) {
	entries, err := d.File.ReadDir(n)
	for i, e := range entries {
		entries[i] = d.fsys.entry(d.name, d.File.Name(), e)
	}
	return entries, err
}

func (d *siteDir) Stat() (fs.FileInfo, error) {
	info, err := d.File.Stat()
	if err != nil {
		return nil, err
	}
	return renamed{info, path.Base(d.name)}, nil
}

// entryError returns the error of a walked entry that is neither a regular
// file nor a directory, or nil: a bad link or an irregular file, found by
// DirFS, or any such entry in another file system.
func entryError(p string, d fs.DirEntry) *Error {
	if d.IsDir() || d.Type().IsRegular() {
		return nil
	}
	_, err := d.Info()
	if err == nil {
		err = irregular(d.Type())
	}
	return fileError(p, err)
}

// fileError is the *Error for an error reading the site's file p: one
// naming the link for a link the build does not follow.
func fileError(p string, err error) *Error {
	var le *LinkError
	if errors.As(err, &le) {
		return &Error{Path: le.Link, Err: le}
	}
	if errors.Is(err, ErrIrregular) || errors.Is(err, ErrBadName) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return &Error{Path: pe.Path, Err: pe.Err}
		}
		return &Error{Path: p, Err: err}
	}
	return &Error{Path: p, Err: unwrapPathError(err)}
}

// WalkDir is fs.WalkDir, except that in a file system from DirFS each
// directory reached through a symbolic link is walked once per walk: a
// second link to a directory already walked through a link is not
// entered, and fn is called for it with an error naming that link (a
// *fs.PathError holding a *LinkError), "static/b: symlink to ../shared
// leads to a directory already walked through static/a". Links forming
// a tree of links to links (static/d0/x and static/d0/y both to ../d1,
// each of d1's to ../d2, …) would else make the walk exponential. A
// directory walked by its real path as well as through one link is
// walked both ways. The error names links by their paths in the site
// directory, also when fsys is a part of it (fs.Sub, a theme). If fn
// returns nil or fs.SkipDir for that error, the walk goes on past the
// link.
func WalkDir(fsys fs.FS, root string, fn fs.WalkDirFunc) error {
	seen := map[string]string{} // resolved directory → the link walked to it
	return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if l, ok := d.(linkedDir); ok && err == nil {
			first, walked := seen[l.real]
			if !walked {
				seen[l.real] = l.link
				return fn(p, d, nil)
			}
			le := &LinkError{Link: l.link, Target: l.target, Reason: linkWalked + first}
			if err := fn(p, d, &fs.PathError{Op: "open", Path: l.link, Err: le}); err != nil && err != fs.SkipDir {
				return err
			}
			return fs.SkipDir
		}
		return fn(p, d, err)
	})
}
