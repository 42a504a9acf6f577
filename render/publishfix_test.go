package render

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// TestSpareFileBecomesDir writes, into a reused spare tree holding files
// a…h, directories a…h of 40 files each from many writers at once: every
// file must be written, however the writers race to replace the files
// with directories.
func TestSpareFileBecomesDir(t *testing.T) {
	const dirs, files, runs = 8, 40, 40
	for run := range runs {
		root := filepath.Join(t.TempDir(), "spare")
		if err := os.Mkdir(root, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range dirs {
			if err := os.WriteFile(filepath.Join(root, string(rune('a'+i))), []byte("a file"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		d := &dirOutput{root: root, prev: filepath.Join(filepath.Dir(root), "public"), created: true, reused: true,
			made: map[string]bool{".": true}, written: map[string]manifestEntry{}}
		var wg sync.WaitGroup
		errs := make(chan error, dirs*files)
		start := make(chan struct{})
		for f := range files {
			for i := range dirs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if err := d.WriteFile(fmt.Sprintf("%c/f%d.txt", 'a'+i, f), []byte("x")); err != nil {
						errs <- err
					}
				}()
			}
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("run %d: %v", run, err)
		}
		for i := range dirs {
			if got := len(entries(t, filepath.Join(root, string(rune('a'+i))))); got != files {
				t.Fatalf("run %d: %c holds %d files, want %d", run, 'a'+i, got, files)
			}
		}
	}
}

// TestPublishLocks publishes twice into one directory at once: the second
// build waits, warned, until the first has published, and neither touches
// the other's staging tree.
func TestPublishLocks(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	if err, _ := publishSite(t, testSite(), out, ""); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	firstDone := make(chan error, 1)
	building := make(chan struct{})
	go func() {
		firstDone <- Publish(out, PublishOptions{}, func(o Output) error {
			if err := o.WriteFile("index.html", []byte("first")); err != nil {
				return err
			}
			close(building)
			<-release
			return o.WriteFile("sitemap.xml", []byte("first"))
		})
	}()
	<-building
	var mu sync.Mutex
	var warnings []string
	secondDone := make(chan error, 1)
	go func() {
		secondDone <- Publish(out, PublishOptions{Warn: func(msg string) {
			mu.Lock()
			warnings = append(warnings, msg)
			mu.Unlock()
			close(release) // let the first build go on once the second waits
		}}, func(o Output) error {
			if data, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil || string(data) != "first" {
				return errors.New("the second build ran while the first was publishing")
			}
			if err := o.WriteFile("index.html", []byte("second")); err != nil {
				return err
			}
			return o.WriteFile("sitemap.xml", []byte("second"))
		})
	}()
	select {
	case err := <-secondDone:
		t.Fatalf("the second build did not wait for the first: %v", err)
	case err := <-firstDone:
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := <-secondDone; err != nil {
		t.Fatal(err)
	}
	want := "another build is publishing into the same directory (it holds " + filepath.Join(dir, ".public.lock") + "): waiting for it to finish"
	if len(warnings) != 1 || warnings[0] != want {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
	if data, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil || string(data) != "second" {
		t.Errorf("index.html: %q, %v; want the second build's", data, err)
	}
}

// TestPublishReservedNames refuses a site file whose name could be taken
// for a file being published in place (NAME.site-new), in a directory
// swapped whole and in a mount point alike, and leaves the output as it
// was.
func TestPublishReservedNames(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
	}{
		{"file", "static/x.txt.site-new", `static/x.txt.site-new: copied as x.txt.site-new, a name ending in ".site-new", which is reserved for files being published; rename it`},
		{"directory", "static/d.site-new/a.txt", `static/d.site-new/a.txt: copied as d.site-new/a.txt, a name ending in ".site-new", which is reserved for files being published; rename it`},
	} {
		for _, inPlace := range []bool{false, true} {
			t.Run(fmt.Sprint(tc.name, " inPlace=", inPlace), func(t *testing.T) {
				dir := t.TempDir()
				out := filepath.Join(dir, "public")
				if err, _ := publishSite(t, testSite(), out, ""); err != nil {
					t.Fatal(err)
				}
				if inPlace {
					mountPoint = func(p string) bool { return p == out }
					defer func() { mountPoint = isMountPoint }()
				}
				before := snapshot(t, out)
				fsys := testSite()
				fsys["static/x.txt"] = &fstest.MapFile{Data: []byte("x")}
				fsys[tc.file] = &fstest.MapFile{Data: []byte("the site's")}
				err, _ := publishSite(t, fsys, out, "")
				if err == nil || err.Error() != tc.want {
					t.Fatalf("error %v, want %q", err, tc.want)
				}
				if snapshot(t, out) != before {
					t.Error("the output changed")
				}
			})
		}
	}
}

func TestCheckNameReserved(t *testing.T) {
	for _, name := range []string{"a.site-new", "d.site-new/a", "x/y.site-new"} {
		if err := NewMemOutput().WriteFile(name, nil); err == nil {
			t.Errorf("MemOutput wrote %s", name)
		}
	}
}

// TestCacheLinksRefused gives a body cache and Publish's record cache
// directories that are symbolic links: nothing is written or removed
// through them.
func TestCacheLinksRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		link string // below the test directory, to the victim
		use  func(t *testing.T, dir string) error
		want string // the error, DIR standing for the test directory, "" for none
	}{
		{name: "bodies", link: "cache/bodies", use: func(t *testing.T, dir string) error {
			c := NewBodyCache(filepath.Join(dir, "cache", "bodies"))
			c.Put(Key{1}, Rendered{Content: []byte("<p>x</p>")})
			c.Flush()
			return nil
		}},
		{name: "cache of bodies", link: "cache", use: func(t *testing.T, dir string) error {
			c := NewBodyCache(filepath.Join(dir, "cache", "bodies"))
			c.Put(Key{1}, Rendered{Content: []byte("<p>x</p>")})
			c.Flush()
			return nil
		}},
		{name: "record", link: "cache/published", use: func(t *testing.T, dir string) error {
			err, _ := publishSite(t, testSite(), filepath.Join(dir, "public"), filepath.Join(dir, "cache", "published", "x.json"))
			return err
		}, want: "DIR/cache/published: the cache directory is a symbolic link (to DIR/victim); refusing to write through it: remove the link (site clean does)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			victim := filepath.Join(dir, "victim")
			os.MkdirAll(victim, 0o755)
			os.WriteFile(filepath.Join(victim, "work.tmp"), []byte("precious"), 0o644)
			p := filepath.Join(dir, filepath.FromSlash(tc.link))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.Symlink(victim, p); err != nil {
				t.Fatal(err)
			}
			err := tc.use(t, dir)
			want := strings.ReplaceAll(tc.want, "DIR", dir)
			if (err == nil) != (want == "") || err != nil && err.Error() != want {
				t.Errorf("error %v, want %q", err, want)
			}
			if got := entries(t, victim); len(got) != 1 || got[0] != "work.tmp" {
				t.Errorf("the linked directory holds %v, want only work.tmp", got)
			}
		})
	}
}

// TestPublishLockLink refuses a lock file that is a symbolic link, as a
// site may commit one, and creates nothing where it leads.
func TestPublishLockLink(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	victim := filepath.Join(dir, "victim")
	if err := os.Symlink(victim, filepath.Join(dir, ".public.lock")); err != nil {
		t.Fatal(err)
	}
	err, _ := publishSite(t, testSite(), out, "")
	want := filepath.Join(dir, ".public.lock") + ": the output's lock file is a symbolic link; refusing to follow it: remove the link"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if _, err := os.Lstat(victim); err == nil {
		t.Error("the lock file was made through the link")
	}
}
