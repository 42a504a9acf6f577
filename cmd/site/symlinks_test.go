//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testenv"
)

// TestBuildSymlinks checks that links within the site, or out of it with
// --follow-symlinks, are published (TestBuildBadInput has the links and
// files that are refused).
func TestBuildSymlinks(t *testing.T) {
	type link struct{ name, target string } // OUT stands for the outside directory
	cases := []struct {
		name   string
		write  map[string]string // site files added or replaced
		links  []link
		fifos  []string
		follow bool
		want   string            // stderr, with OUT for the outside directory; "" for success
		files  map[string]string // published files and their contents, on success
	}{{
		name:  "links within the site",
		links: []link{{"static/copy.txt", "../shared/s.txt"}, {"static/shared", "../shared"}},
		files: map[string]string{"copy.txt": "shared", "shared/s.txt": "shared"},
	}, {
		name:   "follow-symlinks",
		links:  []link{{"static/passwd.txt", "OUT/secret.txt"}, {"static/ext", "OUT/dir"}, {"content/posts/out.md", "OUT/post.md"}},
		follow: true,
		files:  map[string]string{"passwd.txt": "secret", "ext/inner.txt": "inner", "2024/07/outside/index.html": ""},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			site, out, outside := filepath.Join(root, "site"), filepath.Join(root, "out"), filepath.Join(root, "outside")
			testenv.WriteFiles(t, site, tinySite)
			testenv.WriteFiles(t, site, map[string]string{"shared/s.txt": "shared"})
			testenv.WriteFiles(t, outside, map[string]string{
				"secret.txt":    "secret",
				"post.md":       "---\ntitle: Outside\ndate: 2024-07-01T10:00:00Z\n---\nFrom outside.\n",
				"dir/inner.txt": "inner",
				"site.toml":     tinySite["site.toml"],
			})
			buildOK(t, "-s", site, "-o", out)
			before := treeHash(t, out)
			testenv.WriteFiles(t, site, c.write)

			for _, l := range c.links {
				p := filepath.Join(site, filepath.FromSlash(l.name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				if err := os.Symlink(strings.ReplaceAll(l.target, "OUT", outside), p); err != nil {
					t.Fatal(err)
				}
			}
			for _, f := range c.fifos {
				p := filepath.Join(site, filepath.FromSlash(f))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := syscall.Mkfifo(p, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"build", "-s", site, "-o", out}
			if c.follow {
				args = append(args, "--follow-symlinks")
			}
			type result struct {
				code           int
				stdout, stderr string
			}
			done := make(chan result, 1)
			go func() {
				code, stdout, stderr := runSite(t, args...)
				done <- result{code, stdout, stderr}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("site build did not end in 20s")
			}
			if c.want != "" {
				want := strings.ReplaceAll(c.want, "OUT", outside)
				if r.code != 1 || r.stderr != want {
					t.Errorf("exit %d, stderr:\n%s\nwant exit 1, stderr:\n%s", r.code, r.stderr, want)
				}
				if after := treeHash(t, out); after != before {
					t.Errorf("a failed build changed the previous output")
				}
				return
			}
			if r.code != 0 {
				t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
			}
			got := readTree(t, out)
			for name, data := range c.files {
				content, ok := got[name]
				switch {
				case !ok:
					t.Errorf("%s not published", name)
				case data != "" && string(content) != data:
					t.Errorf("%s = %q, want %q", name, content, data)
				}
			}
		})
	}
}

// TestServeSymlinks checks that site serve in production reads the site as
// site build does: a link out of it is refused unless --follow-symlinks.
func TestServeSymlinks(t *testing.T) {
	tests := []struct {
		name    string
		follow  bool
		wantErr string // with OUT for the outside directory
	}{
		{name: "refused", wantErr: "static/passwd.txt: symlink to OUT/secret.txt leads outside the site"},
		{name: "followed", follow: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, outside := t.TempDir(), t.TempDir()
			testenv.WriteFiles(t, site, tinySite)
			if err := os.MkdirAll(filepath.Join(site, "static"), 0o755); err != nil {
				t.Fatal(err)
			}
			testenv.WriteFiles(t, outside, map[string]string{"secret.txt": "secret"})
			if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(site, "static", "passwd.txt")); err != nil {
				t.Fatal(err)
			}
			out, _, err := buildMem(serveOptions{Dir: site, FollowSymlinks: tt.follow})
			if tt.wantErr != "" {
				if want := strings.ReplaceAll(tt.wantErr, "OUT", outside); err == nil || err.Error() != want {
					t.Errorf("err = %v, want %s", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if data, ok := out.Files["passwd.txt"]; !ok || string(data) != "secret" {
				t.Errorf("passwd.txt = %q (%v), want the linked file", data, ok)
			}
		})
	}
}
