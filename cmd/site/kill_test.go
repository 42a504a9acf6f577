package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testenv"
)

// killSite is a site of n posts whose first post is titled title.
func killSite(n int, title string) map[string]string {
	files := map[string]string{
		"site.toml": "title = \"Killed\"\nbase_url = \"https://example.org/\"\ntimezone = \"UTC\"\n",
	}
	tags := []string{"go", "web", "ops", "notes", "tls", "tools", "rust", "linux"}
	for i := range n {
		t := fmt.Sprintf("Post number %d", i)
		if i == 0 {
			t = title
		}
		var body strings.Builder
		for p := range 3 {
			fmt.Fprintf(&body, "Paragraph %d of post %d, with *emphasis*, `code` and a [link](/tags/).\n\n", p, i)
		}
		body.WriteString("```go\nfunc main() { println(\"post\") }\n```\n")
		files[fmt.Sprintf("content/posts/p%03d.md", i)] = fmt.Sprintf("---\ntitle: %q\ndate: %s\ntags: [%s, %s]\n---\n%s",
			t, time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, i*3).Format(time.RFC3339),
			tags[i%len(tags)], tags[(i/len(tags))%len(tags)], body.String())
	}
	return files
}

// TestBuildKilled kills `site build` with SIGKILL at random moments while
// it publishes a changed title, in both modes, and checks that the output
// directory is then exactly the old site or exactly the new one, byte for
// byte, with nothing of the build inside it, and that the next build
// removes what the killed one left beside it.
func TestBuildKilled(t *testing.T) {
	const posts, kills = 200, 20
	bin := buildBinary(t, t.TempDir())
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed>>1))
	titles := [2]string{"The old title", "The new title"}

	// The two complete sites, built afresh.
	root := t.TempDir()
	var want [2]string
	for i, title := range titles {
		src := filepath.Join(root, fmt.Sprintf("ref%d", i))
		testenv.WriteFiles(t, src, killSite(posts, title))
		if out, err := exec.Command(bin, "build", "--no-cache", "-s", src).CombinedOutput(); err != nil {
			t.Fatalf("building the reference site: %v\n%s", err, out)
		}
		want[i] = treeHash(t, filepath.Join(src, "public"))
	}
	if want[0] == want[1] {
		t.Fatal("the two titles make the same site")
	}

	for _, mode := range []struct {
		name  string
		flags []string
	}{
		{"cached", nil},
		{"no-cache", []string{"--no-cache"}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			site := filepath.Join(t.TempDir(), "site")
			public := filepath.Join(site, "public")
			args := append([]string{"build", "-s", site}, mode.flags...)
			build := func() {
				t.Helper()
				if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
					t.Fatalf("site build: %v\n%s", err, out)
				}
			}
			setTitle := func(i int) {
				testenv.WriteFiles(t, site, map[string]string{"content/posts/p000.md": killSite(1, titles[i])["content/posts/p000.md"]})
			}
			testenv.WriteFiles(t, site, killSite(posts, titles[0]))
			build()
			// How long a build of one changed title takes, to kill within it.
			setTitle(1)
			start := time.Now()
			build()
			span := time.Since(start)
			cur := 1 // the title public/ shows
			landed, tried, asOld, asNew := 0, 0, 0, 0
			for landed < kills && tried < 3*kills {
				tried++
				next := 1 - cur
				setTitle(next)
				cmd := exec.Command(bin, args...)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Duration(rng.Int64N(int64(span) * 11 / 10)))
				_ = cmd.Process.Kill()
				err := cmd.Wait()
				var exit *exec.ExitError
				killed := errors.As(err, &exit) && !exit.Exited()
				if killed {
					landed++
				} else if err != nil {
					t.Fatalf("site build: %v", err)
				}
				switch got := treeHash(t, public); {
				case got == want[cur] && killed:
					asOld++
				case got == want[next] && killed:
					asNew++
				case got == want[next]:
				default:
					t.Fatalf("kill %d: %s is neither the old site nor the new one:\n%s", tried, public, treeDiff(t, public, filepath.Join(root, fmt.Sprintf("ref%d", next), "public")))
				}
				// The next build finishes the job and leaves nothing behind.
				build()
				if got := treeHash(t, public); got != want[next] {
					t.Fatalf("kill %d: the build after it did not publish the new site:\n%s", tried, treeDiff(t, public, filepath.Join(root, fmt.Sprintf("ref%d", next), "public")))
				}
				keep := []string{"content", "public", "site.toml"}
				if mode.flags == nil {
					keep = append(keep, ".site-cache")
				}
				checkNoLeftovers(t, site, keep...)
				checkNoTemp(t, filepath.Join(site, ".site-cache"))
				if t.Failed() {
					t.FailNow()
				}
				cur = next
			}
			t.Logf("%s: %d builds started, %d killed within %v of their start: %d left the old site, %d the new one; all clean", mode.name, tried, landed, span*11/10, asOld, asNew)
			if landed < kills {
				t.Errorf("only %d of %d builds were killed before they ended", landed, tried)
			}
		})
	}
}

// checkNoTemp fails if dir holds a temporary file (*.tmp) at any depth.
func checkNoTemp(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err == nil && strings.HasSuffix(d.Name(), ".tmp") {
			t.Errorf("leftover %s", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// treeDiff describes how the files below got differ from those below want.
func treeDiff(t *testing.T, got, want string) string {
	t.Helper()
	g, w := readTree(t, got), readTree(t, want)
	var lines []string
	for _, name := range sortedKeys(g) {
		if data, ok := w[name]; !ok {
			lines = append(lines, "extra "+name)
		} else if string(data) != string(g[name]) {
			lines = append(lines, "differs "+name)
		}
	}
	for _, name := range sortedKeys(w) {
		if _, ok := g[name]; !ok {
			lines = append(lines, "missing "+name)
		}
	}
	if len(lines) > 20 {
		lines = append(lines[:20], fmt.Sprintf("… and %d more", len(lines)-20))
	}
	return strings.Join(slices.Clip(lines), "\n")
}
