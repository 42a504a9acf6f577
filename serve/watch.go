package serve

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/l10n"
	"github.com/siteblog/site/themes"
)

// Watching a site directory
//
// A Watcher follows the inputs of a site with fsnotify (inotify on Linux):
// the site directory itself, for site.toml and for its input trees
// appearing or going, and every directory in those trees, including
// directories created later (their files found when the watch is added
// count as created, since they may predate it). The input trees are
// content/, static/ and themes/, and the directories outside content/ that
// the body expanders read (render/expand.go): Hugo's layouts/ (user
// shortcodes in layouts/shortcodes/ and layouts/_shortcodes/), Jekyll's
// _includes/ ({% include %}) and _data/ (site.data). Editors save in many
// ways — writing in place, writing a new file and renaming it over the old
// one, deleting and recreating — so every kind of event counts. The events
// of one save come in a burst; they are collected until the site has been
// quiet for a moment and delivered as one Batch.

// Default timing of a Watcher.
const (
	// DefaultQuiet is how long the site must be still after an event
	// before its batch is delivered. A save is a burst of events within a
	// millisecond or two; the wait adds directly to the preview's latency.
	DefaultQuiet = 10 * time.Millisecond
	// watchMaxWait bounds how long events that never stop (a program writing
	// for a long time) hold a batch back.
	watchMaxWait = 500 * time.Millisecond
)

// A Change is one path that changed, and how.
type Change struct {
	// Path is slash-separated and relative to the site directory:
	// "content/posts/hello.md", "site.toml".
	Path string
	// Op is every kind of event the path had in the batch.
	Op fsnotify.Op
	// Found is whether the site's last load found the path, which it
	// tells under content/ and static/ only (render.Pipeline.Found), set
	// by the preview before it builds (not by the Watcher): a Create of
	// such a path replaced the file, as sed -i does, renaming its
	// temporary file over the post.
	Found bool
}

// A Batch is the changes of one burst of events.
type Batch struct {
	// Changes lists each changed path once, in the order of their first
	// event.
	Changes []Change
	// Rescan reports that events were lost (the kernel's queue
	// overflowed, or a directory could not be watched): anything may have
	// changed. Err says why.
	Rescan bool
	Err    error
}

// Paths returns the changed paths.
func (b Batch) Paths() []string {
	paths := make([]string, len(b.Changes))
	for i, c := range b.Changes {
		paths[i] = c.Path
	}
	return paths
}

// A Watcher reports changes to the inputs of a site directory in batches.
type Watcher struct {
	root    string // absolute site directory
	follow  bool   // a linked input tree may lead outside root
	quiet   time.Duration
	fsw     *fsnotify.Watcher
	batches chan Batch
	done    chan struct{}
	closed  sync.Once
	wg      sync.WaitGroup
	// watched are the directories added to fsw, by the path they are
	// watched under now (addTree, unwatchTree): used by watch, then by
	// run's goroutine alone.
	watched map[string]bool
	// errs are the errors fsnotify reported, taken by forwardErrors as
	// they come, and errSig (of capacity 1) says there are some. fsnotify
	// may report an error while it holds the lock that Add and Remove
	// take, which run calls: run must never be the one it waits for.
	errMu  sync.Mutex
	errs   []error
	errSig chan struct{}
}

// Directories of a site outside content/ that the body expanders read.
const (
	// layoutsDir holds Hugo's user shortcodes: layouts/shortcodes/ and
	// layouts/_shortcodes/ (see render's shortcodeTemplates).
	layoutsDir = "layouts"
	// includesDir holds Jekyll's includes, for {% include FILE %}.
	includesDir = "_includes"
	// dataDir holds Jekyll's data files, site.data.NAME.
	dataDir = "_data"
)

// watchedTrees are the directories of a site that are watched with everything
// in them.
var watchedTrees = []string{content.ContentDir, content.StaticDir, themes.Dir, layoutsDir, includesDir, dataDir, l10n.Dir}

// Watch starts watching the site directory dir. quiet is how long the
// site must be still before a batch is delivered (DefaultQuiet when 0).
func Watch(dir string, quiet time.Duration) (*Watcher, error) {
	return watch(dir, quiet, false)
}

// watch is Watch, following a linked input tree outside the site directory
// when follow is set.
func watch(dir string, quiet time.Duration, follow bool) (*Watcher, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if quiet <= 0 {
		quiet = DefaultQuiet
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching %s: %w", dir, err)
	}
	w := &Watcher{root: root, follow: follow, quiet: quiet, fsw: fsw, batches: make(chan Batch), done: make(chan struct{}),
		watched: map[string]bool{}, errSig: make(chan struct{}, 1)}
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, fmt.Errorf("watching %s: %w", dir, err)
	}
	for _, t := range watchedTrees {
		if err := w.addTree(filepath.Join(root, t), nil); err != nil {
			fsw.Close()
			return nil, err
		}
	}
	w.wg.Add(2)
	go w.forwardErrors()
	go w.run()
	return w, nil
}

// forwardErrors takes fsnotify's errors as they come, for run, until
// fsnotify is closed.
func (w *Watcher) forwardErrors() {
	defer w.wg.Done()
	for err := range w.fsw.Errors {
		w.errMu.Lock()
		w.errs = append(w.errs, err)
		w.errMu.Unlock()
		select {
		case w.errSig <- struct{}{}:
		default: // already said
		}
	}
}

// Batches delivers the batches. It is closed when the Watcher is.
func (w *Watcher) Batches() <-chan Batch { return w.batches }

// Close stops watching.
func (w *Watcher) Close() error {
	var err error
	w.closed.Do(func() {
		close(w.done)
		err = w.fsw.Close()
		w.wg.Wait()
	})
	return err
}

// addTree watches dir and every directory below it, skipping what the site
// ignores. A missing dir is not an error: it may be created later. found,
// when not nil, is told every path in the tree.
func (w *Watcher) addTree(dir string, found func(path string)) error {
	root := dir
	if info, err := os.Lstat(dir); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		if !w.follow && !w.inside(dir) {
			return nil // the build refuses the link; nothing outside is watched
		}
		root += string(filepath.Separator) // walk what a linked directory holds, as the site's loader does
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone while walking: its own events tell
			}
			return err
		}
		rel := w.rel(p)
		if p != root && isIgnored(rel) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if err := w.fsw.Add(p); err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return fs.SkipDir
				}
				return fmt.Errorf("watching %s: %w (on Linux, fs.inotify.max_user_watches may be too low)", p, err)
			}
			w.watched[filepath.Clean(p)] = true
		}
		if found != nil {
			found(rel)
		}
		return nil
	})
	return err
}

// unwatchTree stops watching dir and the directories under it, renamed
// or removed, on Linux. Its inotify backend keeps the path a directory
// was watched under: a directory renamed in the site would name its
// directories' files by its old name, and its new name, added when its
// Create comes, would find the old watch and keep that path. Watched
// again from nothing, the tree is named by its new name. Elsewhere
// fsnotify's Remove is not safe here: on Windows it waits for the
// thread that is sending run the directory's Create; with kqueue it may
// close a descriptor fsnotify closes too.
func (w *Watcher) unwatchTree(dir string) {
	if runtime.GOOS != "linux" || !w.watched[dir] {
		return
	}
	below := dir + string(filepath.Separator)
	for p := range w.watched {
		if p == dir || strings.HasPrefix(p, below) {
			delete(w.watched, p)
			w.fsw.Remove(p) // "no such watch" when fsnotify let it go on the directory's own move or removal
		}
	}
}

// inside reports whether the link p leads into the site directory (and
// not to the directory itself or one holding it, which would be walked
// forever). A link that cannot be resolved leads nowhere to watch.
func (w *Watcher) inside(p string) bool {
	root, err := filepath.EvalSymlinks(w.root)
	if err != nil {
		return false
	}
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(root, target)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// rel returns the slash-separated path of p in the site directory.
func (w *Watcher) rel(p string) string {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// isInput reports whether a path of the site directory is an input of the
// site: site.toml, or a path in one of the watched trees that the site does
// not ignore.
func isInput(rel string) bool {
	if rel == content.ConfigFile {
		return true
	}
	top, _, _ := strings.Cut(rel, "/")
	for _, t := range watchedTrees {
		if top == t {
			return !isIgnored(rel)
		}
	}
	return false
}

// isIgnored reports whether a path in a watched tree is one the site leaves
// out: under every tree but static/, names starting with "." or ending in
// "~" (editor and system files, as content.Load skips them); under static/
// only names ending in "~" and .DS_Store, which are all the build skips
// there.
func isIgnored(rel string) bool {
	top, rest, ok := strings.Cut(rel, "/")
	if !ok {
		return false
	}
	for name := range strings.SplitSeq(rest, "/") {
		if strings.HasSuffix(name, "~") || name == ".DS_Store" {
			return true
		}
		if top != content.StaticDir && strings.HasPrefix(name, ".") {
			return true
		}
	}
	return false
}

// run collects events into a batch and offers it once the site has been
// quiet; events that come while the batch waits for its reader join it.
func (w *Watcher) run() {
	defer w.wg.Done()
	defer close(w.batches)
	var (
		batch   Batch
		index   = map[string]int{} // path → position in batch.Changes
		first   time.Time          // of the batch's first event
		ready   bool               // the batch is complete and offered
		timer   = time.NewTimer(time.Hour)
		pending bool
	)
	timer.Stop()
	add := func(rel string, op fsnotify.Op) {
		if i, ok := index[rel]; ok {
			batch.Changes[i].Op |= op
		} else {
			index[rel] = len(batch.Changes)
			batch.Changes = append(batch.Changes, Change{Path: rel, Op: op})
		}
	}
	touch := func() {
		now := time.Now()
		if !pending {
			pending, first = true, now
		}
		ready = false
		timer.Reset(min(w.quiet, max(0, first.Add(watchMaxWait).Sub(now))))
	}
	for {
		var out chan Batch
		if ready {
			out = w.batches
		}
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			relevant, err := w.event(ev, add)
			if err != nil {
				batch.Rescan = true
				batch.Err = errors.Join(batch.Err, err)
			}
			if relevant {
				touch()
			}
		case <-w.errSig:
			w.errMu.Lock()
			errs := w.errs
			w.errs = nil
			w.errMu.Unlock()
			batch.Rescan = true
			batch.Err = errors.Join(append([]error{batch.Err}, errs...)...)
			touch()
		case <-timer.C:
			ready = true
		case out <- batch:
			batch, index, pending, ready = Batch{}, map[string]int{}, false, false
		}
	}
}

// event records one fsnotify event and reports whether it concerned the
// site. A directory created in a watched tree is watched with all it
// holds; an error says it could not be.
func (w *Watcher) event(ev fsnotify.Event, add func(string, fsnotify.Op)) (bool, error) {
	rel := w.rel(ev.Name)
	if !isInput(rel) {
		return false, nil
	}
	add(rel, ev.Op)
	if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
		w.unwatchTree(ev.Name)
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
			return true, w.addTree(ev.Name, func(p string) {
				if p != rel {
					add(p, fsnotify.Create)
				}
			})
		}
	}
	return true, nil
}
