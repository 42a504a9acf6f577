//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/testenv"
)

// TestBuildSymlinks checks that links within the site, or out of it with
// --follow-symlinks, are published (TestBuildBadInput has the links and
// files that are refused).
func TestBuildSymlinks(t *testing.T) {
	cases := []struct {
		name   string
		links  [][2]string // name, target (OUT: the outside directory)
		follow bool
		files  map[string]string // published files and their contents ("": any)
	}{{
		name:  "links within the site",
		links: [][2]string{{"static/copy.txt", "../shared/s.txt"}, {"static/shared", "../shared"}},
		files: map[string]string{"copy.txt": "shared", "shared/s.txt": "shared"},
	}, {
		name:   "follow-symlinks",
		links:  [][2]string{{"static/passwd.txt", "OUT/secret.txt"}, {"static/ext", "OUT/dir"}, {"content/posts/out.md", "OUT/post.md"}},
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
			})
			makeLinks(t, site, outside, c.links)
			args := []string{"-s", site, "-o", out}
			if c.follow {
				args = append(args, "--follow-symlinks")
			}
			buildOK(t, args...)
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
