package render

import (
	"os"
	"path/filepath"
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
