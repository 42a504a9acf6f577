//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/testenv"
)

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
			if data, ok := out.Files()["passwd.txt"]; !ok || string(data) != "secret" {
				t.Errorf("passwd.txt = %q (%v), want the linked file", data, ok)
			}
		})
	}
}
