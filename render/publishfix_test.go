package render

import (
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
