package themes

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

//go:embed all:default
var embedded embed.FS

// Default is the embedded default theme.
var Default fs.FS = mustSub(embedded, "default")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Dir is the directory of a site that holds its themes.
const Dir = "themes"

// Open returns the theme a site uses: the files of themes/<name>/ in the
// site directory site, each in place of the default theme's file at the same
// path, over the default theme. An empty name is the default theme alone.
func Open(site fs.FS, name string) (fs.FS, error) {
	if name == "" {
		return Default, nil
	}
	dir := path.Join(Dir, name)
	info, err := fs.Stat(site, dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("theme %q: directory %s not found", name, dir)
		}
		return nil, fmt.Errorf("theme %q: %w", name, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("theme %q: %s is not a directory", name, dir)
	}
	return overlay{top: mustSub(site, dir), base: Default, dir: dir}, nil
}

// overlay is a file system whose top layer hides the same paths of the base.
type overlay struct {
	top, base fs.FS
	dir       string // the top layer's directory in the site
}

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err == nil {
		if info, serr := f.Stat(); serr == nil && info.IsDir() {
			// Directories are listed through ReadDir, which merges both layers.
			if bf, berr := o.base.Open(name); berr == nil {
				f.Close()
				return bf, nil
			}
		}
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			// Named by its path in the site, not in the theme: a
			// symbolic link the site refuses, a FIFO.
			err = &fs.PathError{Op: pe.Op, Path: path.Join(o.dir, pe.Path), Err: pe.Err}
		}
		return nil, err
	}
	return o.base.Open(name)
}

// ReadDir merges the listings of both layers.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	top, terr := fs.ReadDir(o.top, name)
	base, berr := fs.ReadDir(o.base, name)
	if terr != nil && berr != nil {
		return nil, terr
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, e := range top {
		seen[e.Name()] = true
		out = append(out, e)
	}
	for _, e := range base {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// Path names a theme file for messages: its path in the site directory
// when the site's theme provides it, else its path in the default theme.
func Path(theme fs.FS, name string) string {
	if o, ok := theme.(overlay); ok {
		if _, err := fs.Stat(o.top, name); err == nil {
			return path.Join(o.dir, name)
		}
	}
	return name + " (default theme)"
}
