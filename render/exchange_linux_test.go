package render

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestIsMountPoint(t *testing.T) {
	dir := t.TempDir()
	// A directory on another file system than dir's, reached through a
	// symbolic link: /dev/shm is a tmpfs.
	other, err := os.MkdirTemp("/dev/shm", "site-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(other) })
	var a, b unix.Stat_t
	if unix.Stat(dir, &a) != nil || unix.Stat(other, &b) != nil || a.Dev == b.Dev {
		t.Fatalf("%s and %s must be on two file systems for this test", dir, other)
	}
	if err := os.Mkdir(filepath.Join(other, "public"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"www": other, "proc": "/proc"} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		dir  string
		want bool
	}{
		{"/proc", true},
		{dir, false},
		{filepath.Join(dir, "www", "public"), false}, // inside another file system, through a link
		{filepath.Join(dir, "www"), false},           // a link to a plain directory of another file system
		{filepath.Join(dir, "proc"), true},           // a link to a mount point
		{filepath.Join(dir, "missing"), false},
	} {
		if got := isMountPoint(tc.dir); got != tc.want {
			t.Errorf("isMountPoint(%s) = %v, want %v", tc.dir, got, tc.want)
		}
	}
}

// dirFlags reads a directory's inode flags (lsattr), or fails the test.
func dirFlags(t *testing.T, dir string) uint32 {
	t.Helper()
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	flags, err := unix.IoctlGetUint32(int(f.Fd()), unix.FS_IOC_GETFLAGS)
	if err != nil {
		t.Fatalf("lsattr %s: %v", dir, err)
	}
	return flags
}

// TestStageIsTopDir checks that the tree a build writes sits in a
// directory marked as the top of a hierarchy where the file system has
// that flag (ext2/3/4), and that the flag reaches neither the published
// directory nor anything left beside it.
func TestStageIsTopDir(t *testing.T) {
	parent := t.TempDir()
	probe := filepath.Join(parent, "probe")
	if err := os.Mkdir(probe, 0o755); err != nil {
		t.Fatal(err)
	}
	markTopDir(probe)
	supported := dirFlags(t, probe)&fsTopDirFlag != 0
	t.Logf("the file system of %s keeps chattr +T: %v", parent, supported)
	os.Remove(probe)

	out := filepath.Join(parent, "public")
	var stageFlags uint32
	var stages []string
	err := Publish(out, PublishOptions{}, func(o Output) error {
		if err := o.WriteFile("a/index.html", []byte("a")); err != nil {
			return err
		}
		for _, name := range entries(t, parent) {
			if strings.HasPrefix(name, ".public.new-") {
				stages = append(stages, name)
				stageFlags = dirFlags(t, filepath.Join(parent, name))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 1 {
		t.Fatalf("staging directories while building: %q, want one", stages)
	}
	if got := stageFlags&fsTopDirFlag != 0; got != supported {
		t.Errorf("staging directory marked +T: %v, want %v", got, supported)
	}
	if dirFlags(t, out)&fsTopDirFlag != 0 {
		t.Errorf("the published directory %s is marked +T", out)
	}
	if got := entries(t, parent); !slices.Equal(got, []string{".public.lock", "public"}) {
		t.Errorf("beside the output after the build: %q", got)
	}
	if got := entries(t, out); !slices.Equal(got, []string{"a"}) {
		t.Errorf("published: %q", got)
	}
}
