package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildCPUProfile builds the example site with --cpuprofile and checks
// that the file is a CPU profile as go tool pprof reads it (a gzipped
// protocol buffer naming its sample type), and that a profile that
// cannot be written fails the build before it starts.
func TestBuildCPUProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.prof")
	buildOK(t, "-s", exampleSite, "-o", filepath.Join(dir, "public"), "--no-cache", "--cpuprofile", prof)
	f, err := os.Open(prof)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: not gzipped: %v", prof, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"samples", "cpu", "nanoseconds"} {
		if !bytes.Contains(data, []byte(s)) {
			t.Errorf("%s: no %q in the profile", prof, s)
		}
	}

	out := filepath.Join(dir, "public2")
	code, _, stderr := runSite(t, "build", "-s", exampleSite, "-o", out, "--no-cache", "--cpuprofile", filepath.Join(dir, "no", "such", "dir", "cpu.prof"))
	if code == 0 || !strings.Contains(stderr, "cpu profile") {
		t.Errorf("a profile in a missing directory: exit %d, stderr %q; want a failure naming the profile", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("the failed build wrote %s", out)
	}

	// A profile in the output directory would be swept away by the build.
	code, _, stderr = runSite(t, "build", "-s", exampleSite, "-o", out, "--no-cache", "--cpuprofile", filepath.Join(out, "cpu.prof"))
	if code == 0 || !strings.Contains(stderr, "inside the output directory") {
		t.Errorf("a profile in the output directory: exit %d, stderr %q; want a failure saying so", code, stderr)
	}
}
