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

// killSite is a site of n posts: the site's title is siteTitle and its
// first post's title is title.
func killSite(n int, siteTitle, title string) map[string]string {
	files := map[string]string{
		"site.toml": fmt.Sprintf("title = %q\nbase_url = \"https://example.org/\"\ntimezone = \"UTC\"\n", siteTitle),
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
// it publishes a change of title, the site's (every page changes) or a
// post's (a few pages change), in both modes. The output directory must
// then be exactly the old site or exactly the new one, byte for byte,
// with nothing of the build inside it, and the next build must publish
// the new site and remove what the killed one left beside it.
func TestBuildKilled(t *testing.T) {
	const posts, kills = 200, 20
	bin := buildBinary(t, t.TempDir())
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rngs := [2]*rand.Rand{rand.New(rand.NewPCG(seed, 1)), rand.New(rand.NewPCG(seed, 2))}
	siteTitles := [2]string{"The old site", "The new site"}
	titles := [2]string{"The old title", "The new title"}

	// The four complete sites, built afresh: [site title][post title].
	root := t.TempDir()
	var want [2][2]string
	ref := func(s, p int) string { return filepath.Join(root, fmt.Sprintf("ref%d%d", s, p)) }
	for s := range 2 {
		for p := range 2 {
			testenv.WriteFiles(t, ref(s, p), killSite(posts, siteTitles[s], titles[p]))
			if out, err := exec.Command(bin, "build", "--no-cache", "-s", ref(s, p)).CombinedOutput(); err != nil {
				t.Fatalf("building the reference site: %v\n%s", err, out)
			}
			want[s][p] = treeHash(t, filepath.Join(ref(s, p), "public"))
		}
	}

	for m, mode := range []struct {
		name  string
		flags []string
	}{
		{"cached", nil},
		{"no-cache", []string{"--no-cache"}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel() // the two modes share nothing but the binary and the reference sites
			rng := rngs[m]
			site := filepath.Join(t.TempDir(), "site")
			public := filepath.Join(site, "public")
			args := append([]string{"build", "-s", site}, mode.flags...)
			build := func() time.Duration {
				t.Helper()
				start := time.Now()
				if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
					t.Fatalf("site build: %v\n%s", err, out)
				}
				return time.Since(start)
			}
			set := func(s, p int) {
				testenv.WriteFiles(t, site, killSite(posts, siteTitles[s], titles[p]))
			}
			set(0, 0)
			build()
			// How long each kind of change takes to build, to kill within it.
			var span [2]time.Duration // [a post's title, the site's]
			set(0, 1)
			span[0] = build()
			set(1, 1)
			span[1] = build()
			cur := [2]int{1, 1} // the titles public/ shows
			landed, tried, asOld, asNew := 0, 0, 0, 0
			for landed < kills && tried < 3*kills {
				kind := tried % 2 // 0 changes the post's title, 1 the site's
				tried++
				next := cur
				next[1-kind] = 1 - next[1-kind]
				set(next[0], next[1])
				cmd := exec.Command(bin, args...)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Duration(rng.Int64N(int64(span[kind]) * 11 / 10)))
				_ = cmd.Process.Kill()
				err := cmd.Wait()
				var exit *exec.ExitError
				killed := errors.As(err, &exit) && !exit.Exited()
				if killed {
					landed++
				} else if err != nil {
					t.Fatalf("site build: %v", err)
				}
				newRef := filepath.Join(ref(next[0], next[1]), "public")
				switch got := treeHash(t, public); {
				case got == want[cur[0]][cur[1]] && killed:
					asOld++
				case got == want[next[0]][next[1]] && killed:
					asNew++
				case got == want[next[0]][next[1]]:
				default:
					t.Fatalf("kill %d: %s is neither the old site nor the new one; against the new one:\n%s", tried, public, treeDiff(t, public, newRef))
				}
				// The next build finishes the job and leaves nothing behind;
				// its time keeps the window to kill in near a build's.
				span[kind] = (span[kind] + build()) / 2
				if got := treeHash(t, public); got != want[next[0]][next[1]] {
					t.Fatalf("kill %d: the build after it did not publish the new site:\n%s", tried, treeDiff(t, public, newRef))
				}
				keep := []string{"content", "public", ".public.prev", "site.toml"}
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
			t.Logf("%s: %d builds started, %d killed (builds of a post's title take %v, of the site's %v): %d left the old site, %d the new one; all clean",
				mode.name, tried, landed, span[0].Round(time.Millisecond), span[1].Round(time.Millisecond), asOld, asNew)
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
