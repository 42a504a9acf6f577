//go:build unix

package content

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// siteTree makes a site directory under a new temporary directory, beside
// a directory "outside" holding secret.txt, post.md and dir/inner.txt,
// and returns both. The site has site.toml, content/posts/hello.md,
// shared/s.txt and shared/post.md.
func siteTree(t *testing.T) (dir, outside string) {
	t.Helper()
	base := t.TempDir()
	dir, outside = filepath.Join(base, "site"), filepath.Join(base, "outside")
	for name, data := range map[string]string{
		"site/site.toml":              "title = \"T\"\nbase_url = \"https://example.org/\"\n",
		"site/content/posts/hello.md": "---\ntitle: Hello\ndate: 2024-01-01\n---\nhi\n",
		"site/shared/s.txt":           "shared",
		"site/shared/post.md":         "---\ntitle: Shared\ndate: 2024-01-02\n---\nshared\n",
		"outside/secret.txt":          "secret",
		"outside/post.md":             "---\ntitle: Outside\ndate: 2024-01-03\n---\nsecret\n",
		"outside/dir/inner.txt":       "inner secret",
	} {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, outside
}

// symlink makes the link name (slash-separated, in dir) to target, in
// which "OUT" stands for the outside directory.
func symlink(t *testing.T, dir, outside, name, target string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(strings.ReplaceAll(target, "OUT", outside), p); err != nil {
		t.Fatal(err)
	}
}

// special makes a FIFO or a socket at name (slash-separated, in dir).
func special(t *testing.T, dir, name, kind string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	switch kind {
	case "fifo":
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	case "socket":
		ln, err := net.Listen("unix", p)
		if err != nil {
			t.Fatal(err)
		}
		ln.(*net.UnixListener).SetUnlinkOnClose(false)
		ln.Close()
	}
}

// loadDir loads the site directory dir read through DirFS, giving up
// after ten seconds (a FIFO opened for reading blocks forever).
func loadDir(t *testing.T, dir string, opts DirOptions) (*Site, fs.FS, error) {
	t.Helper()
	fsys := DirFS(dir, opts)
	type result struct {
		s   *Site
		err error
	}
	done := make(chan result, 1)
	go func() {
		cfg, err := LoadConfig(fsys, "")
		if err != nil {
			done <- result{nil, err}
			return
		}
		s, err := Load(fsys, cfg, Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, fsys, r.err
	case <-time.After(10 * time.Second):
		t.Fatal("loading the site did not end in 10s")
		return nil, nil, nil
	}
}

// TestSiteLinks checks that links leading outside the site, link cycles
// and files that are neither regular files nor directories are errors
// naming the file, found without opening it, and that links within the
// site, or outside it with FollowSymlinks, are read.
func TestSiteLinks(t *testing.T) {
	type link struct{ name, target string }
	tests := []struct {
		name     string
		remove   []string          // site files removed first
		add      map[string]string // site files added: name → contents
		links    []link
		specials map[string]string // name → "fifo" or "socket"
		follow   bool
		// want are the error's lines, with OUT for the outside directory;
		// none when the site loads.
		want []string
		// files maps each file the loaded site publishes (static and
		// content files) to its contents; posts are the posts' paths.
		files map[string]string
		posts []string
	}{
		{
			name:  "static file out",
			links: []link{{"static/passwd.txt", "OUT/secret.txt"}},
			want:  []string{"static/passwd.txt: symlink to OUT/secret.txt leads outside the site"},
		},
		{
			name:  "static directory out",
			links: []link{{"static/ext", "OUT/dir"}},
			want:  []string{"static/ext: symlink to OUT/dir leads outside the site"},
		},
		{
			name:  "relative link out",
			links: []link{{"static/rel.txt", "../../outside/secret.txt"}},
			want:  []string{"static/rel.txt: symlink to ../../outside/secret.txt leads outside the site (OUT/secret.txt)"},
		},
		{
			name:  "chain of links out",
			links: []link{{"static/a.txt", "b.txt"}, {"static/b.txt", "OUT/secret.txt"}},
			want: []string{
				"static/a.txt: symlink to b.txt leads outside the site (OUT/secret.txt)",
				"static/b.txt: symlink to OUT/secret.txt leads outside the site",
			},
		},
		{
			name:  "missing target out",
			links: []link{{"static/gone.txt", "OUT/gone.txt"}},
			want:  []string{"static/gone.txt: symlink to OUT/gone.txt leads outside the site"},
		},
		{
			name:  "missing target in",
			links: []link{{"static/gone.txt", "nothing.txt"}},
			want:  []string{"static/gone.txt: symlink to nothing.txt leads to no file"},
		},
		{
			name:  "target through a file",
			links: []link{{"static/x.txt", "../shared/s.txt/x.txt"}},
			want:  []string{"static/x.txt: symlink to ../shared/s.txt/x.txt leads to no file"},
		},
		{
			name:  "content post out",
			links: []link{{"content/posts/out.md", "OUT/post.md"}},
			want:  []string{"content/posts/out.md: symlink to OUT/post.md leads outside the site"},
		},
		{
			name:  "content directory out",
			links: []link{{"content/posts/ext", "OUT"}},
			want:  []string{"content/posts/ext: symlink to OUT leads outside the site"},
		},
		{
			name:  "static itself out",
			links: []link{{"static", "OUT/dir"}},
			want:  []string{"static: symlink to OUT/dir leads outside the site"},
		},
		{
			name:   "site.toml out",
			remove: []string{"site.toml"},
			links:  []link{{"site.toml", "OUT/secret.txt"}},
			want:   []string{"site.toml: symlink to OUT/secret.txt leads outside the site"},
		},
		{
			name: "links within the site",
			links: []link{
				{"static/copy.txt", "../shared/s.txt"},
				{"static/shared", "../shared"},
				{"content/posts/linked.md", "../../shared/post.md"},
				{"static/abs.txt", "SITE/shared/s.txt"},
			},
			files: map[string]string{
				"static/abs.txt":        "shared",
				"static/copy.txt":       "shared",
				"static/shared/post.md": "---\ntitle: Shared\ndate: 2024-01-02\n---\nshared\n",
				"static/shared/s.txt":   "shared",
			},
			posts: []string{"content/posts/linked.md", "content/posts/hello.md"},
		},
		{
			name:  "cycle to an ancestor",
			links: []link{{"content/loop", ".."}, {"static/self", "."}},
			want: []string{
				"content/loop: symlink to .. makes a cycle",
				"static/self: symlink to . makes a cycle",
			},
		},
		{
			name:  "cycle of links",
			links: []link{{"static/c1", "c2"}, {"static/c2", "c1"}},
			want: []string{
				"static/c1: symlink to c2 makes a cycle",
				"static/c2: symlink to c1 makes a cycle",
			},
		},
		{
			name:  "cycle through two directories",
			links: []link{{"static/a/x", "../b"}, {"static/b/y", "../a"}},
			want: []string{
				"static/a/x/y: symlink to ../a makes a cycle",
				"static/b/y/x: symlink to ../b makes a cycle",
			},
		},
		{
			name: "fan-out of links",
			links: []link{
				{"static/d0/x", "../d1"}, {"static/d0/y", "../d1"},
				{"static/d1/x", "../d2"}, {"static/d1/y", "../d2"},
				{"static/d2/f.txt", "../../shared/s.txt"},
			},
			want: []string{
				"static/d0/x/y: symlink to ../d2 leads to a directory already walked through static/d0/x/x",
				"static/d0/y: symlink to ../d1 leads to a directory already walked through static/d0/x",
				"static/d1/x: symlink to ../d2 leads to a directory already walked through static/d0/x/x",
				"static/d1/y: symlink to ../d2 leads to a directory already walked through static/d0/x/x",
			},
		},
		{
			name:  "two links to one directory",
			links: []link{{"static/a", "../shared"}, {"static/b", "../shared"}},
			want:  []string{"static/b: symlink to ../shared leads to a directory already walked through static/a"},
		},
		{
			name:  "two links to one directory in content",
			links: []link{{"content/posts/a", "../../shared"}, {"content/posts/b", "../../shared"}},
			want:  []string{"content/posts/b: symlink to ../../shared leads to a directory already walked through content/posts/a"},
		},
		{
			name: "a directory by its path and through a link",
			links: []link{
				{"static/real/f.txt", "../../shared/s.txt"},
				{"static/alias", "real"},
				{"static/other", "../shared"},
				{"content/posts/more", "../../shared"},
			},
			files: map[string]string{
				"static/real/f.txt":        "shared",
				"static/alias/f.txt":       "shared",
				"static/other/s.txt":       "shared",
				"static/other/post.md":     "---\ntitle: Shared\ndate: 2024-01-02\n---\nshared\n",
				"content/posts/more/s.txt": "shared",
			},
			posts: []string{"content/posts/more/post.md", "content/posts/hello.md"},
		},
		{
			name:  "nested directories each through a link",
			add:   map[string]string{"shared/sub/t.txt": "t"},
			links: []link{{"static/a", "../shared"}, {"static/b", "../shared/sub"}},
			files: map[string]string{
				"static/a/s.txt":     "shared",
				"static/a/post.md":   "---\ntitle: Shared\ndate: 2024-01-02\n---\nshared\n",
				"static/a/sub/t.txt": "t",
				"static/b/t.txt":     "t",
			},
			posts: []string{"content/posts/hello.md"},
		},
		{
			name:  "link to a directory holding a link",
			add:   map[string]string{"static/a/f.txt": "f"},
			links: []link{{"static/a/l", "../../shared"}, {"static/b", "a"}},
			want:  []string{"static/b/l: symlink to ../../shared leads to a directory already walked through static/a/l"},
		},
		{
			name: "backslash in names",
			add: map[string]string{
				`static/a\..\..\x.txt`: "x",
				`content/posts\x/p.md`: "---\ntitle: P\ndate: 2024-01-01\n---\np\n",
			},
			links: []link{{`static/l\nk`, "../shared"}},
			want: []string{
				`content/posts\x: name holds \ or :, which Windows reads as a path separator or a drive`,
				`static/a\..\..\x.txt: name holds \ or :, which Windows reads as a path separator or a drive`,
				`static/l\nk: name holds \ or :, which Windows reads as a path separator or a drive`,
			},
		},
		{
			name:     "FIFO in content",
			specials: map[string]string{"content/posts/pipe.md": "fifo"},
			want:     []string{"content/posts/pipe.md: a named pipe (FIFO), not a regular file or directory"},
		},
		{
			name:     "FIFO in static",
			specials: map[string]string{"static/pipe.txt": "fifo"},
			want:     []string{"static/pipe.txt: a named pipe (FIFO), not a regular file or directory"},
		},
		{
			name:     "link to a FIFO in the site",
			specials: map[string]string{"shared/pipe": "fifo"},
			links:    []link{{"static/p.txt", "../shared/pipe"}},
			want:     []string{"static/p.txt: a named pipe (FIFO), not a regular file or directory"},
		},
		{
			name:     "socket in static",
			specials: map[string]string{"static/s.sock": "socket"},
			want:     []string{"static/s.sock: a socket, not a regular file or directory"},
		},
		{
			name:     "FIFO as site.toml",
			remove:   []string{"site.toml"},
			specials: map[string]string{"site.toml": "fifo"},
			want:     []string{"site.toml: a named pipe (FIFO), not a regular file or directory"},
		},
		{
			name:   "follow: outside file, directory and post",
			links:  []link{{"static/passwd.txt", "OUT/secret.txt"}, {"static/ext", "OUT/dir"}, {"content/posts/out.md", "OUT/post.md"}},
			follow: true,
			files:  map[string]string{"static/passwd.txt": "secret", "static/ext/inner.txt": "inner secret"},
			posts:  []string{"content/posts/out.md", "content/posts/hello.md"},
		},
		{
			name:   "follow: cycle",
			links:  []link{{"static/up", "OUT/../site"}},
			follow: true,
			want:   []string{"static/up: symlink to OUT/../site makes a cycle"},
		},
		{
			name:   "follow: device",
			links:  []link{{"static/null", "/dev/null"}},
			follow: true,
			want:   []string{"static/null: a character device, not a regular file or directory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, outside := siteTree(t)
			for _, name := range tt.remove {
				if err := os.Remove(filepath.Join(dir, name)); err != nil {
					t.Fatal(err)
				}
			}
			for name, data := range tt.add {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for name, kind := range tt.specials {
				special(t, dir, name, kind)
			}
			for _, l := range tt.links {
				symlink(t, dir, outside, l.name, strings.ReplaceAll(l.target, "SITE", dir))
			}
			s, fsys, err := loadDir(t, dir, DirOptions{FollowSymlinks: tt.follow})
			if tt.want != nil {
				want := strings.ReplaceAll(strings.Join(tt.want, "\n"), "OUT", outside)
				if err == nil || err.Error() != want {
					t.Fatalf("err = %v\nwant %s", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantFiles := tt.files
			got := map[string]string{}
			for _, f := range s.Files {
				data, err := fs.ReadFile(fsys, f.Src)
				if err != nil {
					t.Fatal(err)
				}
				got[f.Src] = string(data)
			}
			if !reflect.DeepEqual(got, wantFiles) {
				t.Errorf("files = %q\nwant %q", got, wantFiles)
			}
			var posts []string
			for _, p := range s.Posts {
				posts = append(posts, p.Path)
			}
			if !slices.Equal(posts, tt.posts) {
				t.Errorf("posts = %q, want %q", posts, tt.posts)
			}
		})
	}
}

// TestDirFSReads checks the reads other than the loader's walk (the
// theme, layouts, includes, data): a path through a link out of the site
// or to a FIFO fails, naming the link or the file, without blocking.
func TestDirFSReads(t *testing.T) {
	tests := []struct {
		name     string
		read     string // the path read
		link     string // a link to OUT
		fifo     string
		wantPath string
		wantErr  string
		follow   bool
	}{
		{name: "file link", read: "layouts/partials/x.html", link: "layouts/partials/x.html", wantPath: "layouts/partials/x.html", wantErr: "symlink to OUT leads outside the site"},
		{name: "through a directory link", read: "_includes/ext/secret.txt", link: "_includes/ext", wantPath: "_includes/ext", wantErr: "symlink to OUT leads outside the site"},
		{name: "FIFO", read: "_data/d.yml", fifo: "_data/d.yml", wantPath: "_data/d.yml", wantErr: "a named pipe (FIFO), not a regular file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, outside := siteTree(t)
			if tt.link != "" {
				symlink(t, dir, outside, tt.link, "OUT")
			}
			if tt.fifo != "" {
				special(t, dir, tt.fifo, "fifo")
			}
			fsys := DirFS(dir, DirOptions{FollowSymlinks: tt.follow})
			for _, read := range []func() error{
				func() error { _, err := fs.ReadFile(fsys, tt.read); return err },
				func() error { _, err := fs.Stat(fsys, tt.read); return err },
				func() error {
					f, err := fsys.Open(tt.read)
					if err == nil {
						f.Close()
					}
					return err
				},
			} {
				done := make(chan error, 1)
				go func() { done <- read() }()
				var err error
				select {
				case err = <-done:
				case <-time.After(10 * time.Second):
					t.Fatal("reading did not end in 10s")
				}
				if tt.wantErr == "" {
					if err != nil {
						t.Fatal(err)
					}
					continue
				}
				var pe *fs.PathError
				if !errors.As(err, &pe) || pe.Path != tt.wantPath || pe.Err.Error() != strings.ReplaceAll(tt.wantErr, "OUT", outside) {
					t.Fatalf("err = %v, want a *fs.PathError for %s: %s", err, tt.wantPath, strings.ReplaceAll(tt.wantErr, "OUT", outside))
				}
			}
		})
	}
}

// TestDirFSBadNames checks that a path holding a backslash, which Windows
// reads as a separator (a template's readFile "..\..\secret"), is refused
// on every system, naming the path, even when a file of that name exists.
// (A colon is refused on Windows only: TestDirFSColon.)
func TestDirFSBadNames(t *testing.T) {
	tests := []struct {
		name string
		file string // a file of that name made in the site first, if any
	}{
		{name: `a\..\..\x`, file: `a\..\..\x`},
		{name: `..\..\outside\secret.txt`},
		{name: `C:\Windows\win.ini`},
		{name: `static\s.txt`, file: `static\s.txt`},
		{name: `layouts/a\b`, file: `layouts/a\b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := siteTree(t)
			if tt.file != "" {
				p := filepath.Join(dir, filepath.FromSlash(tt.file))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			fsys := DirFS(dir, DirOptions{})
			for op, read := range map[string]func() error{
				"ReadFile": func() error { _, err := fs.ReadFile(fsys, tt.name); return err },
				"Stat":     func() error { _, err := fs.Stat(fsys, tt.name); return err },
				"ReadDir":  func() error { _, err := fs.ReadDir(fsys, tt.name); return err },
				"Open": func() error {
					f, err := fsys.Open(tt.name)
					if err == nil {
						f.Close()
					}
					return err
				},
			} {
				err := read()
				var pe *fs.PathError
				if !errors.As(err, &pe) || pe.Path != tt.name || !errors.Is(err, ErrBadName) {
					t.Errorf("%s: err = %v, want a *fs.PathError for %s: %v", op, err, tt.name, ErrBadName)
				}
			}
		})
	}
}

// TestDirFSSwapped checks that a file replaced, after DirFS checked it
// and before it opens it, by a FIFO, a socket or a link is refused
// without waiting for a FIFO's writer, naming the file.
func TestDirFSSwapped(t *testing.T) {
	tests := []struct {
		name    string
		read    string // the path read, a file of siteTree
		swap    string // what it becomes: "fifo", "socket", "link"
		op      string // "ReadFile", "Open", "ReadDir"
		wantErr string
	}{
		{name: "file to FIFO, ReadFile", read: "shared/s.txt", swap: "fifo", op: "ReadFile", wantErr: "a named pipe (FIFO), not a regular file or directory"},
		{name: "file to FIFO, Open", read: "shared/s.txt", swap: "fifo", op: "Open", wantErr: "a named pipe (FIFO), not a regular file or directory"},
		{name: "directory to FIFO, ReadDir", read: "shared", swap: "fifo", op: "ReadDir", wantErr: "a named pipe (FIFO), not a regular file or directory"},
		{name: "file to socket, ReadFile", read: "shared/s.txt", swap: "socket", op: "ReadFile", wantErr: "a socket, not a regular file or directory"},
		{name: "file to link out, ReadFile", read: "shared/s.txt", swap: "link", op: "ReadFile", wantErr: "a symlink, not a regular file or directory"},
		{name: "directory to link out, ReadDir", read: "shared", swap: "link", op: "ReadDir", wantErr: "a symlink, not a regular file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, outside := siteTree(t)
			testHookOpen = func(real string) {
				if err := os.RemoveAll(real); err != nil {
					t.Error(err)
				}
				switch tt.swap {
				case "link":
					if err := os.Symlink(filepath.Join(outside, "secret.txt"), real); err != nil {
						t.Error(err)
					}
				default:
					special(t, dir, tt.read, tt.swap)
				}
			}
			defer func() { testHookOpen = nil }()
			fsys := DirFS(dir, DirOptions{})
			done := make(chan error, 1)
			go func() {
				var err error
				switch tt.op {
				case "ReadFile":
					_, err = fs.ReadFile(fsys, tt.read)
				case "ReadDir":
					_, err = fs.ReadDir(fsys, tt.read)
				case "Open":
					var f fs.File
					if f, err = fsys.Open(tt.read); err == nil {
						f.Close()
					}
				}
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("reading did not end in 10s")
			}
			var pe *fs.PathError
			if !errors.As(err, &pe) || pe.Path != tt.read || pe.Err.Error() != tt.wantErr {
				t.Fatalf("err = %v, want a *fs.PathError for %s: %s", err, tt.read, tt.wantErr)
			}
		})
	}
}

// TestWalkDirLinks checks WalkDir on DirFS and on a part of it: each
// directory reached through links is entered once, a second link to it
// is reported to fn, naming the link by its path in the site, and the
// walk goes on past it.
func TestWalkDirLinks(t *testing.T) {
	tests := []struct {
		name  string
		sub   string // the part of the site walked, through fs.Sub; "" for all of it
		root  string
		links [][2]string
		want  []string // the paths walked, and "path: error" for errors
	}{
		{
			name:  "two links",
			root:  "static",
			links: [][2]string{{"static/a", "../shared"}, {"static/b", "../shared"}, {"static/c.txt", "../shared/s.txt"}},
			want: []string{
				"static", "static/a", "static/a/post.md", "static/a/s.txt",
				"static/b: open static/b: symlink to ../shared leads to a directory already walked through static/a",
				"static/c.txt",
			},
		},
		{
			name:  "two links in a part",
			sub:   "themes/t",
			root:  "assets",
			links: [][2]string{{"themes/t/assets/a", "../../../shared"}, {"themes/t/assets/b", "../../../shared"}},
			want: []string{
				"assets", "assets/a", "assets/a/post.md", "assets/a/s.txt",
				"assets/b: open themes/t/assets/b: symlink to ../../../shared leads to a directory already walked through themes/t/assets/a",
			},
		},
		{
			name:  "fan-out",
			root:  "static",
			links: [][2]string{{"static/d0/x", "../d1"}, {"static/d0/y", "../d1"}, {"static/d1/x", "../../shared"}, {"static/d1/y", "../../shared"}},
			want: []string{
				"static", "static/d0", "static/d0/x", "static/d0/x/x", "static/d0/x/x/post.md", "static/d0/x/x/s.txt",
				"static/d0/x/y: open static/d0/x/y: symlink to ../../shared leads to a directory already walked through static/d0/x/x",
				"static/d0/y: open static/d0/y: symlink to ../d1 leads to a directory already walked through static/d0/x",
				"static/d1",
				"static/d1/x: open static/d1/x: symlink to ../../shared leads to a directory already walked through static/d0/x/x",
				"static/d1/y: open static/d1/y: symlink to ../../shared leads to a directory already walked through static/d0/x/x",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, outside := siteTree(t)
			for _, l := range tt.links {
				symlink(t, dir, outside, l[0], l[1])
			}
			var fsys fs.FS = DirFS(dir, DirOptions{})
			if tt.sub != "" {
				var err error
				if fsys, err = fs.Sub(fsys, tt.sub); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			err := WalkDir(fsys, tt.root, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					got = append(got, p+": "+err.Error())
					return nil
				}
				got = append(got, p)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("walked\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestDirFSColon checks that a colon in a name, an ordinary character
// outside Windows, is read there like any other.
func TestDirFSColon(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows cannot make such a file")
	}
	dir, _ := siteTree(t)
	if err := os.MkdirAll(filepath.Join(dir, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "static", "c:x.txt"), []byte("colon"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(DirFS(dir, DirOptions{}), "static/c:x.txt")
	if err != nil || string(data) != "colon" {
		t.Errorf("ReadFile(static/c:x.txt) = %q, %v; want its contents", data, err)
	}
}

// errAfter is a reader of data that fails with err at its end.
type errAfter struct {
	data []byte
	err  error
}

func (r *errAfter) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadAll(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 1000)
	broken := errors.New("broken")
	for _, tc := range []struct {
		name    string
		size    int64 // the size the file was said to have
		err     error
		wantErr error
	}{
		{"size right", int64(len(data)), io.EOF, nil},
		{"grown since", 10, io.EOF, nil},
		{"shrunk since", int64(2 * len(data)), io.EOF, nil},
		{"no size", 0, io.EOF, nil},
		{"nonsense size", -1, io.EOF, nil},
		{"read error", int64(len(data)), broken, broken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(&errAfter{data, tc.err}, tc.size)
			if err != tc.wantErr {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("read %d bytes, want the %d written", len(got), len(data))
			}
		})
	}
}
