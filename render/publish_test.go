package render

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
)

// publishSite publishes fsys to out, recording it in manifest unless that
// is "", and returns what Publish returned and what it warned of.
func publishSite(t *testing.T, fsys fstest.MapFS, out, manifest string) (error, []string) {
	t.Helper()
	var warnings []string
	err := Publish(out, PublishOptions{Manifest: manifest, Warn: func(msg string) { warnings = append(warnings, msg) }}, func(o Output) error {
		cfg := mustConfig(t, fsys)
		site, err := content.Load(fsys, cfg, content.Options{Now: now})
		if err != nil {
			return err
		}
		r, err := New(fsys, cfg)
		if err != nil {
			return err
		}
		_, err = r.Build(site, o)
		return err
	})
	return err, warnings
}

// edited is testSite with a post's title changed and one post deleted.
func edited() fstest.MapFS {
	fsys := testSite()
	fsys["content/posts/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B, renamed\ndate: 2024-02-01\ntags: [y]\n---\nBeta.\n")}
	delete(fsys, "content/posts/d.md")
	return fsys
}

// deadPID returns the ID of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	return names
}

func TestPublishDiskFull(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cached bool
		after  int32 // files written before the disk is full
	}{
		{"no cache, full at once", false, 0},
		{"no cache, full half-way", false, 5},
		{"cached, full at once", true, 0},
		{"cached, full half-way", true, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "public")
			manifest := ""
			if tc.cached {
				manifest = filepath.Join(dir, "cache", "published.json")
			}
			if err, _ := publishSite(t, testSite(), out, manifest); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, out)
			var n atomic.Int32
			writeFile = func(name string, data []byte, perm os.FileMode) error {
				if n.Add(1) > tc.after {
					return &os.PathError{Op: "open", Path: name, Err: syscall.ENOSPC}
				}
				return os.WriteFile(name, data, perm)
			}
			defer func() { writeFile = os.WriteFile }()
			err, _ := publishSite(t, edited(), out, manifest)
			if err == nil {
				t.Fatal("a build on a full disk succeeded")
			}
			msg := err.Error()
			if strings.Count(msg, "\n") != 0 || !strings.HasPrefix(msg, out+": writing ") || !strings.HasSuffix(msg, ": no space left on device") {
				t.Errorf("error %q, want one line %q", msg, out+": writing NAME: no space left on device")
			}
			if after := snapshot(t, out); after != before {
				t.Error("a build on a full disk changed the published site")
			}
			beside := []string{".public.lock", "public"}
			if tc.cached {
				beside = []string{".public.lock", "cache", "public"}
			}
			if got := entries(t, dir); !slices.Equal(got, beside) {
				t.Errorf("beside the site after the failed build: %v", got)
			}
			writeFile = os.WriteFile
			if err, _ := publishSite(t, edited(), out, manifest); err != nil {
				t.Fatalf("the build after the disk was freed: %v", err)
			}
			if !strings.Contains(snapshot(t, out), "B, renamed") {
				t.Error("the build after the disk was freed did not publish")
			}
		})
	}
}

// TestPublishLeftovers checks that Publish removes what killed builds
// left, and only that.
func TestPublishLeftovers(t *testing.T) {
	dead := deadPID(t)
	alive := os.Getppid()
	for _, tc := range []struct {
		name   string
		before map[string]string // files to make below the test directory; "DIR/" makes a directory
		noOut  bool              // remove public/ first
		gone   []string          // removed by the next build
		kept   []string          // left alone
	}{
		{
			name: "staging trees of dead builds",
			before: map[string]string{
				fmt.Sprintf(".public.new-%d-1/index.html", dead):     "half",
				fmt.Sprintf(".public.new-%d-2.old/index.html", dead): "old",
				// Its process ID is a running process's, here; but no build
				// holds the output's lock, so it is a killed build's (of
				// another container, say).
				fmt.Sprintf(".public.new-%d-3/index.html", alive): "killed elsewhere",
				".other.new-1-1/x": "another output's",
			},
			gone: []string{fmt.Sprintf(".public.new-%d-1", dead), fmt.Sprintf(".public.new-%d-2.old", dead), fmt.Sprintf(".public.new-%d-3", alive)},
			kept: []string{".other.new-1-1"},
		},
		{
			// The lock, spare tree and staging tree of an output named
			// public.new-7 start as public's staging trees do.
			name: "another output's, named like a staging tree",
			before: map[string]string{
				".public.new-7.lock":                    "",
				".public.new-7.prev/index.html":         "spare",
				".public.new-7.new-7-1/index.html":      "its staging",
				fmt.Sprintf(".public.new-%d-1/x", dead): "half",
			},
			gone: []string{fmt.Sprintf(".public.new-%d-1", dead)},
			kept: []string{".public.new-7.lock", ".public.new-7.prev/index.html", ".public.new-7.new-7-1/index.html"},
		},
		{
			name: "old tree moved aside, site missing",
			before: map[string]string{
				fmt.Sprintf(".public.new-%d-2.old/index.html", dead):  "old",
				fmt.Sprintf(".public.new-%d-2.old/sitemap.xml", dead): "old",
			},
			noOut: true,
			gone:  []string{fmt.Sprintf(".public.new-%d-2.old", dead)},
		},
		{
			name: "temporary cache files",
			before: map[string]string{
				fmt.Sprintf("cache/new-%d-published.json.tmp", dead): "{",
				"cache/published.json.tmp":                           "{", // an older engine's
				fmt.Sprintf("cache/new-%d-x.tmp", alive):             "{",
			},
			gone: []string{fmt.Sprintf("cache/new-%d-published.json.tmp", dead), "cache/published.json.tmp"},
			kept: []string{fmt.Sprintf("cache/new-%d-x.tmp", alive)},
		},
		{
			name: "files an older engine staged in place",
			before: map[string]string{
				"public/2024/01/a/index.html.site-new": "half",
				"public/index.html.site-new":           "half",
			},
			gone: []string{"public/2024/01/a/index.html.site-new", "public/index.html.site-new"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "public")
			manifest := filepath.Join(dir, "cache", "published.json")
			if err, _ := publishSite(t, testSite(), out, manifest); err != nil {
				t.Fatal(err)
			}
			// An older engine's record: it did not swap.
			data, err := os.ReadFile(manifest)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(manifest, []byte(strings.Replace(string(data), `,"swapped":true`, "", 1)), 0o644)
			if tc.noOut {
				os.RemoveAll(out)
			}
			for name, data := range tc.before {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err, _ := publishSite(t, testSite(), out, manifest); err != nil {
				t.Fatal(err)
			}
			for _, name := range tc.gone {
				if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s is still there: %v", name, err)
				}
			}
			for _, name := range tc.kept {
				if _, err := os.Lstat(filepath.Join(dir, name)); err != nil {
					t.Errorf("%s was removed: %v", name, err)
				}
			}
			fresh := filepath.Join(t.TempDir(), "public")
			if err, _ := publishSite(t, testSite(), fresh, ""); err != nil {
				t.Fatal(err)
			}
			if snapshot(t, out) != snapshot(t, fresh) {
				t.Error("the published site differs from a fresh build")
			}
		})
	}
}

// TestPublishSwapsLinkTarget publishes into an output directory that is a
// symbolic link: the link stays, and the directory it leads to is the new
// site, swapped in whole.
func TestPublishSwapsLinkTarget(t *testing.T) {
	for _, cached := range []bool{false, true} {
		t.Run(fmt.Sprint("cached=", cached), func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "srv", "www")
			out := filepath.Join(dir, "public")
			os.MkdirAll(target, 0o755)
			if err := os.Symlink(target, out); err != nil {
				t.Fatal(err)
			}
			manifest := ""
			if cached {
				manifest = filepath.Join(dir, "cache", "published.json")
			}
			for _, fsys := range []fstest.MapFS{testSite(), edited()} {
				if err, w := publishSite(t, fsys, out, manifest); err != nil || len(w) > 0 {
					t.Fatalf("publishing through a link: %v %v", err, w)
				}
			}
			if info, err := os.Lstat(out); err != nil || info.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("the output is no longer a link: %v", err)
			}
			if got := entries(t, filepath.Join(dir, "srv")); !slices.Equal(got, []string{".www.lock", ".www.prev", "www"}) {
				t.Errorf("beside the link's target: %v", got)
			}
			fresh := filepath.Join(t.TempDir(), "public")
			if err, _ := publishSite(t, edited(), fresh, ""); err != nil {
				t.Fatal(err)
			}
			if snapshot(t, target) != snapshot(t, fresh) {
				t.Error("the link's target is not the new site")
			}
		})
	}
}

// TestPublishMountPoint publishes into an output directory that is a mount
// point, which cannot be swapped: file by file in place, with a warning.
func TestPublishMountPoint(t *testing.T) {
	for _, cached := range []bool{false, true} {
		t.Run(fmt.Sprint("cached=", cached), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "public")
			mountPoint = func(p string) bool {
				_, err := os.Lstat(p)
				return p == out && err == nil
			}
			defer func() { mountPoint = isMountPoint }()
			manifest := ""
			if cached {
				manifest = filepath.Join(dir, "cache", "published.json")
			}
			if err, _ := publishSite(t, testSite(), out, manifest); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(out, "feed.xml.site-new"), []byte("a killed build's"), 0o644)
			err, warnings := publishSite(t, edited(), out, manifest)
			if err != nil {
				t.Fatal(err)
			}
			want := out + " is a mount point, which cannot be replaced in one step: publishing file by file"
			if len(warnings) != 1 || !strings.HasPrefix(warnings[0], want) {
				t.Errorf("warnings %q, want one starting %q", warnings, want)
			}
			fresh := filepath.Join(t.TempDir(), "public")
			if err, _ := publishSite(t, edited(), fresh, ""); err != nil {
				t.Fatal(err)
			}
			if snapshot(t, out) != snapshot(t, fresh) {
				t.Error("the mount point does not hold the new site alone")
			}
			beside := []string{".public.lock", "public"}
			if cached {
				beside = []string{".public.lock", "cache", "public"}
			}
			if got := entries(t, dir); !slices.Equal(got, beside) {
				t.Errorf("beside the mount point: %v", got)
			}
		})
	}
}

// TestPublishReusesSpare publishes with a spare tree (the tree the
// previous swap took out) in states a build, a kill or a hand may leave
// it in: the published site must be exactly a fresh build, and the
// published files must never be written through the spare's links.
func TestPublishReusesSpare(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spare func(t *testing.T, spare, out string) // changes the spare tree
	}{
		{"as the last swap left it", func(*testing.T, string, string) {}},
		{"missing", func(t *testing.T, spare, _ string) { os.RemoveAll(spare) }},
		{"a file where a directory goes", func(t *testing.T, spare, _ string) {
			os.RemoveAll(filepath.Join(spare, "tags"))
			os.WriteFile(filepath.Join(spare, "tags"), []byte("file"), 0o644)
		}},
		{"a directory where a file goes", func(t *testing.T, spare, _ string) {
			os.Remove(filepath.Join(spare, "feed.xml"))
			os.MkdirAll(filepath.Join(spare, "feed.xml", "x"), 0o755)
		}},
		{"extra files and directories", func(t *testing.T, spare, _ string) {
			os.MkdirAll(filepath.Join(spare, "gone", "deep"), 0o755)
			os.WriteFile(filepath.Join(spare, "gone", "deep", "x.html"), []byte("x"), 0o644)
			os.WriteFile(filepath.Join(spare, "extra.html"), []byte("x"), 0o644)
		}},
		{"links to every published file", func(t *testing.T, spare, out string) {
			os.RemoveAll(spare)
			filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				rel, _ := filepath.Rel(out, p)
				if d.IsDir() {
					return os.MkdirAll(filepath.Join(spare, rel), 0o755)
				}
				return os.Link(p, filepath.Join(spare, rel))
			})
		}},
	} {
		for _, cached := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, cached=%v", tc.name, cached), func(t *testing.T) {
				dir := t.TempDir()
				out := filepath.Join(dir, "public")
				manifest := ""
				if cached {
					manifest = filepath.Join(dir, "cache", "published.json")
				}
				for _, fsys := range []fstest.MapFS{testSite(), edited()} {
					if err, _ := publishSite(t, fsys, out, manifest); err != nil {
						t.Fatal(err)
					}
				}
				spare := filepath.Join(dir, ".public.prev")
				if _, err := os.Stat(spare); err != nil {
					t.Fatalf("no spare tree after a swap: %v", err)
				}
				tc.spare(t, spare, out)
				published := snapshot(t, out)
				next := testSite() // back to the first site: every changed file changes again
				next["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T2\"\nbase_url = \"https://example.org/\"\npaginate = 3\n")}
				// A build that fails leaves the published site as it was.
				writeFile = func(string, []byte, os.FileMode) error { return syscall.ENOSPC }
				err, _ := publishSite(t, next, out, manifest)
				writeFile = os.WriteFile
				if err == nil {
					t.Fatal("a build on a full disk succeeded")
				}
				if snapshot(t, out) != published {
					t.Fatal("a failed build with a spare tree changed the published site")
				}
				tc.spare(t, spare, out)
				if err, _ := publishSite(t, next, out, manifest); err != nil {
					t.Fatal(err)
				}
				fresh := filepath.Join(t.TempDir(), "public")
				if err, _ := publishSite(t, next, fresh, ""); err != nil {
					t.Fatal(err)
				}
				if snapshot(t, out) != snapshot(t, fresh) {
					t.Error("the site published through the spare tree differs from a fresh build")
				}
				if got, want := snapshot(t, spare), published; got != want {
					t.Error("the spare tree is not the site published before")
				}
			})
		}
	}
}

// TestRemoveOutputRemovesSpare checks that removing an output directory
// (site clean) removes the spare tree beside it too.
func TestRemoveOutputRemovesSpare(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	for _, fsys := range []fstest.MapFS{testSite(), edited()} {
		if err, _ := publishSite(t, fsys, out, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := entries(t, dir); !slices.Equal(got, []string{".public.lock", ".public.prev", "public"}) {
		t.Fatalf("after two builds: %v", got)
	}
	if err := RemoveOutput(out); err != nil {
		t.Fatal(err)
	}
	// The lock file stays: removing it would let two builds lock two files.
	if got := entries(t, dir); !slices.Equal(got, []string{".public.lock"}) {
		t.Errorf("after RemoveOutput: %v", got)
	}
}

// TestRemoveOutputThroughLink removes an output directory that is a
// symbolic link (site clean): as Publish keeps the link and swaps the
// directory it leads to, the link stays and that directory is emptied,
// with the spare tree beside it removed, and the next Publish publishes
// there again.
func TestRemoveOutputThroughLink(t *testing.T) {
	dir := t.TempDir()
	real, link := filepath.Join(dir, "www"), filepath.Join(dir, "public")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("www", link); err != nil {
		t.Fatal(err)
	}
	for _, fsys := range []fstest.MapFS{testSite(), edited()} {
		if err, _ := publishSite(t, fsys, link, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := RemoveOutput(link); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, dir); !slices.Equal(got, []string{".www.lock", "public", "www"}) {
		t.Errorf("after RemoveOutput: %v", got)
	}
	if got := entries(t, real); len(got) != 0 {
		t.Errorf("%s after RemoveOutput: %v", real, got)
	}
	if target, err := os.Readlink(link); err != nil || target != "www" {
		t.Errorf("the link leads to %q (%v), want www", target, err)
	}
	if err, _ := publishSite(t, testSite(), link, ""); err != nil {
		t.Fatalf("publishing after RemoveOutput: %v", err)
	}
	fresh := filepath.Join(t.TempDir(), "public")
	if err, _ := publishSite(t, testSite(), fresh, ""); err != nil {
		t.Fatal(err)
	}
	if snapshot(t, real) != snapshot(t, fresh) {
		t.Error("the site published after RemoveOutput differs from a fresh build")
	}
}

// TestEnsureRootAfterFailure checks that making the new tree can be
// tried again when an earlier try made its staging directory only.
func TestEnsureRootAfterFailure(t *testing.T) {
	parent := t.TempDir()
	stage := filepath.Join(parent, ".public.new-1-1")
	d := &dirOutput{stage: stage, root: filepath.Join(stage, "site-1"), made: map[string]bool{".": true}, written: map[string]manifestEntry{}}
	if err := os.Mkdir(stage, 0o755); err != nil { // as a try that failed after it
		t.Fatal(err)
	}
	if err := d.ensureRoot(); err != nil {
		t.Fatalf("ensureRoot with its staging directory made: %v", err)
	}
	if info, err := os.Stat(d.root); err != nil || !info.IsDir() {
		t.Fatalf("root %s not made: %v", d.root, err)
	}
}

// TestPublishFromBuffer publishes the example site to a directory, with a
// manifest and without: its Output keeps nothing of what it is given, so
// pages are written from a buffer each next page reuses, and every file
// must still be the one a build in memory makes.
func TestPublishFromBuffer(t *testing.T) {
	fsys := os.DirFS("../examples/blog")
	want, err := BuildInMemory(fsys, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := any(want).(keepsNothing); ok {
		t.Fatal("a MemOutput, which keeps what it is given, counts as keeping nothing")
	}
	for _, manifest := range []bool{true, false} {
		t.Run(fmt.Sprintf("manifest=%v", manifest), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "public")
			opts := PublishOptions{}
			if manifest {
				opts.Manifest = filepath.Join(dir, "manifest")
			}
			err := Publish(out, opts, func(o Output) error {
				if f, ok := o.(keepsNothing); !ok || !f.forgetsData() {
					t.Errorf("Publish gives a %T, not a keepsNothing: pages are copied before they are written", o)
				}
				_, err := NewPipeline(fsys, PipelineOptions{}).Build(o)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			files := want.Files()
			for name, data := range files {
				got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
				if err != nil {
					t.Error(err)
				} else if !bytes.Equal(got, data) {
					t.Errorf("%s: %d bytes differ from the %d made in memory", name, len(got), len(data))
				}
			}
			n := 0
			filepath.WalkDir(out, func(_ string, d fs.DirEntry, _ error) error {
				if d != nil && d.Type().IsRegular() {
					n++
				}
				return nil
			})
			if n != len(files) {
				t.Errorf("%d files published, %d made in memory", n, len(files))
			}
		})
	}
}
