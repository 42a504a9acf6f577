package render

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
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
