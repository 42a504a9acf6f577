//go:build unix

package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/testenv"
)

// TestPreviewSymlinks checks that the preview reads the site as a build
// does: a link out of the site is a build error naming it, unless the
// preview follows links (site serve --follow-symlinks).
func TestPreviewSymlinks(t *testing.T) {
	tests := []struct {
		name    string
		follow  bool
		wantErr string // with OUT for the outside directory; "" for success
	}{
		{name: "refused", wantErr: "static/passwd.txt: symlink to OUT/secret.txt leads outside the site"},
		{name: "followed", follow: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, outside := t.TempDir(), t.TempDir()
			testenv.WriteFiles(t, dir, testSite(t))
			testenv.WriteFiles(t, outside, map[string]string{"secret.txt": "secret"})
			if err := os.MkdirAll(filepath.Join(dir, "static"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "static", "passwd.txt")); err != nil {
				t.Fatal(err)
			}
			p, err := StartPreview(PreviewOptions{
				Dir:     dir,
				Content: content.Options{Now: testNow},
				Site:    content.DirOptions{FollowSymlinks: tt.follow},
				Quiet:   time.Hour,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			res := p.rebuild(Batch{})
			if tt.wantErr != "" {
				want := strings.ReplaceAll(tt.wantErr, "OUT", outside)
				if res.Err == nil || res.Err.Error() != want {
					t.Errorf("build error = %v, want %s", res.Err, want)
				}
				if p.files.site.Load() != nil {
					t.Errorf("a site is served")
				}
				return
			}
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			data, served := p.files.Lookup("/passwd.txt")
			if string(data) != "secret" {
				t.Errorf("/passwd.txt = %q (served %v), want the linked file", data, served)
			}
		})
	}
}
