package serve

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/siteblog/site/internal/testenv"
)

// testQuiet is the watchers' quiet window in tests: long enough that the
// few file operations of one step are one batch on a busy machine.
const testQuiet = 40 * time.Millisecond

// startWatch watches a new site directory holding files.
func startWatch(t *testing.T, files map[string]string) (string, *Watcher) {
	t.Helper()
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, files)
	w, err := Watch(dir, testQuiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return dir, w
}

// nextBatch waits for the watcher's next batch.
func nextBatch(t *testing.T, w *Watcher) Batch {
	t.Helper()
	select {
	case b := <-w.Batches():
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no batch within 5s")
		return Batch{}
	}
}

// noBatch fails if the watcher delivers a batch within d.
func noBatch(t *testing.T, w *Watcher, d time.Duration) {
	t.Helper()
	select {
	case b := <-w.Batches():
		t.Fatalf("unexpected batch %+v", b.Changes)
	case <-time.After(d):
	}
}

// hasChange reports whether b changed path with every op in ops.
func hasChange(b Batch, path string, ops fsnotify.Op) bool {
	for _, c := range b.Changes {
		if c.Path == path && c.Op&ops == ops {
			return true
		}
	}
	return false
}

func TestWatchCreateWriteRemove(t *testing.T) {
	dir, w := startWatch(t, map[string]string{"site.toml": "", "content/posts/a.md": "a"})
	post := filepath.Join(dir, "content/posts/b.md")

	testenv.WriteFiles(t, dir, map[string]string{"content/posts/b.md": "new"})
	if b := nextBatch(t, w); !hasChange(b, "content/posts/b.md", fsnotify.Create) {
		t.Errorf("create: batch %+v lacks Create of content/posts/b.md", b.Changes)
	}
	f, err := os.OpenFile(post, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "more")
	f.Close()
	if b := nextBatch(t, w); !hasChange(b, "content/posts/b.md", fsnotify.Write) {
		t.Errorf("write: batch %+v lacks Write of content/posts/b.md", b.Changes)
	}
	if err := os.Remove(post); err != nil {
		t.Fatal(err)
	}
	if b := nextBatch(t, w); !hasChange(b, "content/posts/b.md", fsnotify.Remove) {
		t.Errorf("remove: batch %+v lacks Remove of content/posts/b.md", b.Changes)
	}
	testenv.WriteFiles(t, dir, map[string]string{"site.toml": "title = \"x\""})
	if b := nextBatch(t, w); !hasChange(b, "site.toml", 0) {
		t.Errorf("site.toml: batch %+v lacks it", b.Changes)
	}
}

// An editor saving by writing a temporary file and renaming it over the
// original is seen as a change of the original, and the temporary file,
// hidden, is not reported.
func TestWatchRenameOver(t *testing.T) {
	dir, w := startWatch(t, map[string]string{"site.toml": "", "content/posts/a.md": "old", "themes/t/templates/post.html": "old"})
	for _, name := range []string{"content/posts/a.md", "themes/t/templates/post.html", "site.toml"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp")
		if err := os.WriteFile(tmp, []byte("new"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, p); err != nil {
			t.Fatal(err)
		}
		b := nextBatch(t, w)
		if !hasChange(b, name, fsnotify.Create) {
			t.Errorf("%s: batch %+v lacks its Create", name, b.Changes)
		}
		for _, c := range b.Changes {
			if c.Path != name {
				t.Errorf("%s: batch reports %s (%v) too", name, c.Path, c.Op)
			}
		}
	}
	// Renaming a file away and back (vim's backup dance) and a rename
	// between two names.
	a, c := filepath.Join(dir, "content/posts/a.md"), filepath.Join(dir, "content/posts/c.md")
	if err := os.Rename(a, c); err != nil {
		t.Fatal(err)
	}
	b := nextBatch(t, w)
	if !hasChange(b, "content/posts/a.md", fsnotify.Rename) || !hasChange(b, "content/posts/c.md", fsnotify.Create) {
		t.Errorf("rename a.md → c.md: batch %+v", b.Changes)
	}
}

// A directory created after the start is watched, and files that were
// in it before its watch was added are reported, at any depth.
func TestWatchNewDirectory(t *testing.T) {
	dir, w := startWatch(t, map[string]string{"site.toml": ""}) // no content/ yet
	testenv.WriteFiles(t, dir, map[string]string{"content/posts/bundle/index.md": "x", "content/posts/bundle/img/a.png": "png"})
	b := nextBatch(t, w)
	for _, want := range []string{"content", "content/posts/bundle/index.md", "content/posts/bundle/img/a.png"} {
		if !hasChange(b, want, 0) {
			t.Errorf("batch %v lacks %s", b.Paths(), want)
		}
	}
	// The new directories are watched.
	testenv.WriteFiles(t, dir, map[string]string{"content/posts/bundle/img/b.png": "png"})
	if b := nextBatch(t, w); !hasChange(b, "content/posts/bundle/img/b.png", fsnotify.Create) {
		t.Errorf("file in new directory: batch %v", b.Paths())
	}
	// A tree moved in whole, made outside the site.
	outside := t.TempDir()
	testenv.WriteFiles(t, outside, map[string]string{"tree/deep/er/post.md": "x"})
	if err := os.Rename(filepath.Join(outside, "tree"), filepath.Join(dir, "content/posts/tree")); err != nil {
		t.Fatal(err)
	}
	if b := nextBatch(t, w); !hasChange(b, "content/posts/tree/deep/er/post.md", fsnotify.Create) {
		t.Errorf("moved-in tree: batch %v lacks its post", b.Paths())
	}
	testenv.WriteFiles(t, dir, map[string]string{"content/posts/tree/deep/er/post.md": "y"})
	if b := nextBatch(t, w); !hasChange(b, "content/posts/tree/deep/er/post.md", fsnotify.Write) {
		t.Errorf("write in moved-in tree: batch %v", b.Paths())
	}
	// A directory removed whole.
	if err := os.RemoveAll(filepath.Join(dir, "content/posts/tree")); err != nil {
		t.Fatal(err)
	}
	if b := nextBatch(t, w); !hasChange(b, "content/posts/tree/deep/er/post.md", fsnotify.Remove) {
		t.Errorf("removed tree: batch %v", b.Paths())
	}
}

// A directory renamed in the site is watched under its new name, with
// the directories in it: their files' events name them by it, never by
// the old name, and a directory renamed out of the site is watched no
// more. Each rename is tried several times: the watch of the directory
// itself and the event of its move race.
func TestWatchRenamedDirectory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the watches of a renamed directory are renewed on Linux only (Watcher.unwatchTree)")
	}
	dir, w := startWatch(t, map[string]string{
		"site.toml":                         "",
		"content/posts/sec0/a.md":           "a",
		"content/posts/sec0/trip/index.md":  "x",
		"content/posts/sec0/trip/img/m.svg": "<svg/>",
	})
	at := func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	for i := range 5 {
		from, to := fmt.Sprintf("content/posts/sec%d", i), fmt.Sprintf("content/posts/sec%d", i+1)
		if err := os.Rename(at(from), at(to)); err != nil {
			t.Fatal(err)
		}
		if b := nextBatch(t, w); !hasChange(b, from, fsnotify.Rename) || !hasChange(b, to, fsnotify.Create) {
			t.Fatalf("rename %d: batch %v", i, b.Changes)
		}
		for _, f := range []string{"a.md", "trip/index.md", "trip/img/m.svg"} {
			testenv.WriteFiles(t, dir, map[string]string{to + "/" + f: fmt.Sprint("edit ", i)})
			b := nextBatch(t, w)
			if !hasChange(b, to+"/"+f, fsnotify.Write) {
				t.Errorf("rename %d: an edit of %s/%s is the batch %v", i, to, f, b.Changes)
			}
			for _, c := range b.Changes {
				if strings.HasPrefix(c.Path, from+"/") {
					t.Errorf("rename %d: the batch names %s, by the directory's old name", i, c.Path)
				}
			}
		}
	}
	outside := t.TempDir()
	if err := os.Rename(at("content/posts/sec5"), filepath.Join(outside, "sec")); err != nil {
		t.Fatal(err)
	}
	if b := nextBatch(t, w); !hasChange(b, "content/posts/sec5", fsnotify.Rename) {
		t.Fatalf("moved out: batch %v", b.Changes)
	}
	testenv.WriteFiles(t, outside, map[string]string{"sec/trip/index.md": "outside"})
	noBatch(t, w, 10*testQuiet)
}

// An error of fsnotify (the kernel's queue overflowed, say) is a batch
// that asks for a rescan, and errors that come together are one batch.
func TestWatchErrorsAskForRescan(t *testing.T) {
	_, w := startWatch(t, map[string]string{"site.toml": ""})
	w.fsw.Errors <- fsnotify.ErrEventOverflow
	w.fsw.Errors <- errors.New("a second error")
	b := nextBatch(t, w)
	if !b.Rescan || !errors.Is(b.Err, fsnotify.ErrEventOverflow) || !strings.Contains(fmt.Sprint(b.Err), "a second error") {
		t.Errorf("batch after two errors: rescan %v, err %v; want a rescan and both errors", b.Rescan, b.Err)
	}
}

// The events of many operations in quick succession are one batch.
func TestWatchBurstIsOneBatch(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, map[string]string{"site.toml": "", "content/posts/a.md": "a", "static/x.txt": "x"})
	// A quiet window long enough that a loaded machine finishes the burst
	// within it.
	const quiet = 250 * time.Millisecond
	w, err := Watch(dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var want []string
	for i := range 30 {
		name := fmt.Sprintf("content/posts/p%02d.md", i)
		want = append(want, name)
		testenv.WriteFiles(t, dir, map[string]string{name: "x"})
		os.Chmod(filepath.Join(dir, filepath.FromSlash(name)), 0o600)
	}
	testenv.WriteFiles(t, dir, map[string]string{"static/x.txt": "y", "content/posts/a.md": "b"})
	os.Remove(filepath.Join(dir, "content/posts/a.md"))
	want = append(want, "static/x.txt", "content/posts/a.md")
	b := nextBatch(t, w)
	got := b.Paths()
	for _, p := range want {
		if !slices.Contains(got, p) {
			t.Errorf("batch lacks %s", p)
		}
	}
	if len(got) != len(want) {
		t.Errorf("batch has %d paths, want %d (each once): %v", len(got), len(want), got)
	}
	noBatch(t, w, 2*quiet)
}

// Files the site ignores, and files outside its inputs, are not reported.
func TestWatchIgnores(t *testing.T) {
	dir, w := startWatch(t, map[string]string{"site.toml": "", "content/posts/a.md": "a", "public/index.html": "", "static/keep.txt": ""})
	testenv.WriteFiles(t, dir, map[string]string{
		"content/posts/.a.md.swp": "x",
		"content/posts/a.md~":     "x",
		"content/.git/HEAD":       "x",
		"public/index.html":       "y",
		"notes.txt":               "x",
		".site-cache/bodies/x":    "x",
		"static/x.txt~":           "x",
	})
	noBatch(t, w, 5*testQuiet)
	// But a dot-file under static/ is published, so it counts.
	testenv.WriteFiles(t, dir, map[string]string{"static/.well-known/security.txt": "x"})
	if b := nextBatch(t, w); !hasChange(b, "static/.well-known/security.txt", 0) {
		t.Errorf("batch %v lacks static/.well-known/security.txt", b.Paths())
	}
}

func TestWatchClose(t *testing.T) {
	_, w := startWatch(t, map[string]string{"site.toml": ""})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-w.Batches(); ok {
		t.Error("Batches not closed after Close")
	}
	w.Close() // again: no panic
}

// A content directory that is a symbolic link is watched through it, as
// the site loads it.
// TestWatchSymlinkedContent checks that a content/ linked within the site
// is watched, and one linked outside only when links may lead out
// (--follow-symlinks): otherwise the build refuses it, and nothing outside
// the site is watched.
func TestWatchSymlinkedContent(t *testing.T) {
	tests := []struct {
		name   string
		inside bool // content/ links to src/ in the site, not outside
		follow bool
		want   bool // a change in the linked directory is seen
	}{
		{name: "outside", want: false},
		{name: "outside, followed", follow: true, want: true},
		{name: "inside", inside: true, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			testenv.WriteFiles(t, dir, map[string]string{"site.toml": ""})
			target := t.TempDir()
			if tt.inside {
				target = filepath.Join(dir, "src")
			}
			testenv.WriteFiles(t, target, map[string]string{"posts/a.md": "a"})
			if err := os.Symlink(target, filepath.Join(dir, "content")); err != nil {
				t.Fatal(err)
			}
			w, err := watch(dir, testQuiet, tt.follow)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			testenv.WriteFiles(t, target, map[string]string{"posts/a.md": "b"})
			if !tt.want {
				noBatch(t, w, 10*testQuiet)
				return
			}
			if b := nextBatch(t, w); !hasChange(b, "content/posts/a.md", fsnotify.Write) {
				t.Errorf("batch %v", b.Paths())
			}
		})
	}
}

// The directories outside content/ that the body expanders read are
// watched as content/ is: layouts/ (Hugo's user shortcodes), _includes/
// and _data/ (Jekyll's), those there at the start and those created later,
// with editor files in them ignored.
func TestWatchExpanderInputs(t *testing.T) {
	dir, w := startWatch(t, map[string]string{
		"site.toml":                  "",
		"layouts/shortcodes/x.html":  "x",
		"_includes/note.html":        "note",
		"_data/people.yml":           "a: 1",
		"layouts/_default/list.html": "list",
	})
	for _, name := range []string{"layouts/shortcodes/x.html", "_includes/note.html", "_data/people.yml"} {
		testenv.WriteFiles(t, dir, map[string]string{name: "edited"})
		if b := nextBatch(t, w); !hasChange(b, name, fsnotify.Write) {
			t.Errorf("edit %s: batch %v", name, b.Paths())
		}
	}
	// Directories created later, inside a watched tree.
	for _, name := range []string{"layouts/_shortcodes/sub/y.html", "_data/team/members.yml"} {
		testenv.WriteFiles(t, dir, map[string]string{name: "new"})
		if b := nextBatch(t, w); !hasChange(b, name, fsnotify.Create) {
			t.Errorf("new directory: batch %v lacks %s", b.Paths(), name)
		}
	}
	testenv.WriteFiles(t, dir, map[string]string{"layouts/_shortcodes/sub/y.html": "y2"})
	if b := nextBatch(t, w); !hasChange(b, "layouts/_shortcodes/sub/y.html", fsnotify.Write) {
		t.Errorf("write in a new directory: batch %v", b.Paths())
	}
	// Editor files are not inputs.
	testenv.WriteFiles(t, dir, map[string]string{
		"layouts/shortcodes/.x.html.swp": "x",
		"_includes/note.html~":           "x",
		"_data/.git/HEAD":                "x",
	})
	noBatch(t, w, 5*testQuiet)

	// A site that has none of them at the start.
	dir, w = startWatch(t, map[string]string{"site.toml": "", "content/posts/a.md": "a"})
	for _, name := range []string{"layouts/shortcodes/x.html", "_includes/note.html", "_data/people.yml"} {
		testenv.WriteFiles(t, dir, map[string]string{name: "new"})
		b := nextBatch(t, w)
		for _, want := range []string{strings.Split(name, "/")[0], name} {
			if !hasChange(b, want, 0) {
				t.Errorf("%s created later: batch %v lacks %s", name, b.Paths(), want)
			}
		}
	}
	testenv.WriteFiles(t, dir, map[string]string{"layouts/shortcodes/x.html": "x2"})
	if b := nextBatch(t, w); !hasChange(b, "layouts/shortcodes/x.html", fsnotify.Write) {
		t.Errorf("write in layouts/ created later: batch %v", b.Paths())
	}
}
