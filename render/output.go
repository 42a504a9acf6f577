package render

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
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

// MemOutput keeps a built site in memory, for previews and tests.
type MemOutput struct {
	mu    sync.Mutex
	Files map[string][]byte
}

// NewMemOutput returns an empty MemOutput.
func NewMemOutput() *MemOutput { return &MemOutput{Files: map[string][]byte{}} }

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

// dirOutput writes files below a directory.
type dirOutput struct {
	root    string
	mu      sync.Mutex
	made    map[string]bool // directories known to exist
	written map[string]bool
}

func (d *dirOutput) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	dir := path.Dir(name)
	d.mu.Lock()
	if d.written[name] {
		d.mu.Unlock()
		return fmt.Errorf("%s: written twice", name)
	}
	d.written[name] = true
	need := !d.made[dir]
	d.made[dir] = true
	d.mu.Unlock()
	full := filepath.Join(d.root, filepath.FromSlash(name))
	if need {
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(full, data, 0o644)
}

// Publish runs build with an Output that writes into a new directory beside
// dir, and only when build succeeds puts that directory in dir's place. A
// failed build leaves dir as it was. Publish refuses to replace a directory
// that is neither empty nor a site built before (one with index.html and
// sitemap.xml), and a directory that holds or is inside any of protect
// (the site's sources).
func Publish(dir string, protect []string, build func(Output) error) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for _, p := range protect {
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
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".new-")
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	out := &dirOutput{root: tmp, made: map[string]bool{".": true}, written: map[string]bool{}}
	if err := build(out); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := swap(tmp, abs); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("publishing %s: %w", dir, err)
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

// within reports whether path p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
