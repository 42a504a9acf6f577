package enginetest

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the EXPECTED.json of the fixtures built by an installed engine from its output")

var (
	siteOnce sync.Once
	siteBin  string
	siteErr  error
)

// siteBinary builds cmd/site once per test run.
func siteBinary(t *testing.T) string {
	t.Helper()
	siteOnce.Do(func() {
		wd, err := os.Getwd()
		if err != nil {
			siteErr = err
			return
		}
		root, err := testenv.RepoRoot(wd)
		if err != nil {
			siteErr = err
			return
		}
		dir, err := os.MkdirTemp("", "enginetest-site-")
		if err != nil {
			siteErr = err
			return
		}
		siteBin = filepath.Join(dir, "site")
		cmd := exec.Command("go", "build", "-o", siteBin, "./cmd/site")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			siteErr = err
			siteBin = string(out)
		}
	})
	if siteErr != nil {
		t.Fatalf("building cmd/site: %v\n%s", siteErr, siteBin)
	}
	return siteBin
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if siteBin != "" && siteErr == nil {
		os.RemoveAll(filepath.Dir(siteBin))
	}
	os.Exit(code)
}

// engineBinary returns the engine's binary, or "" for an engine Debian
// does not ship. A missing Debian engine fails under CI and skips
// otherwise (testenv).
func engineBinary(t *testing.T, engine string) string {
	switch engine {
	case "hugo":
		return testenv.Hugo(t)
	case "jekyll":
		return testenv.Jekyll(t)
	case "pelican":
		return testenv.Pelican(t)
	}
	return ""
}

// TestEngines builds each fixture of testdata/ with its original engine
// and with site, and compares every post: URL, day, title, authors,
// listings, raw HTML elements, images, links between posts, aliases, and
// that site's images resolve. Subtests: ENGINE/engine builds the fixture
// with Debian's engine and checks it against EXPECTED.json (skipped for
// Zola and the Go blog, and, outside CI, when the engine is missing);
// ENGINE/site compares site with that build, or with EXPECTED.json when
// there is none.
func TestEngines(t *testing.T) {
	for _, engine := range Engines {
		t.Run(engine, func(t *testing.T) {
			dir := filepath.Join("testdata", engine)
			fx, err := LoadFixture(dir)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			want, source := fx.Expected, "EXPECTED.json"
			t.Run("engine", func(t *testing.T) {
				bin := engineBinary(t, engine)
				if bin == "" {
					t.Skipf("%s is not in Debian: site is compared with EXPECTED.json (%s)", engine, fx.Note)
				}
				b, err := BuildEngine(ctx, &fx.Blog, bin, t.TempDir())
				if err != nil {
					t.Fatalf("%s build: %v", engine, err)
				}
				t.Logf("%s built %d posts in %v", engine, len(b.Out.Posts), b.Duration.Round(time.Millisecond))
				want, source = b.Out.Posts, "Debian's "+engine
				if *update {
					note := "Written by `go test ./internal/enginetest -update` from Debian's " + engine + " building orig/; the test checks that the engine still builds it so."
					if err := WriteExpected(dir, note, b.Out.Posts); err != nil {
						t.Fatal(err)
					}
					return
				}
				if fx.Expected == nil {
					t.Fatalf("%s has no EXPECTED.json: run go test -update", dir)
				}
				if r := Compare(fx.Expected, b.Out); len(r.Diffs) > 0 {
					// EXPECTED.json is what this engine published when it
					// was written; a difference means another version of
					// the engine, or a fixture changed without -update.
					t.Errorf("%s no longer builds %s as EXPECTED.json records: %s\n%s", engine, dir, r.Summary(), strings.Join(r.Diffs, "\n"))
				}
			})
			t.Run("site", func(t *testing.T) {
				if len(want) == 0 {
					t.Fatalf("%s: no posts to compare", dir)
				}
				s, err := BuildSite(ctx, &fx.Blog, siteBinary(t), t.TempDir())
				if err != nil {
					t.Fatalf("site build of %s: %v", dir, err)
				}
				r := Compare(want, s.Out)
				t.Logf("site: %s in %v", r.Summary(), s.Duration.Round(time.Millisecond))
				if len(r.Diffs) > 0 {
					t.Errorf("site differs from %s on %s:\n%s", source, r.Summary(), strings.Join(r.Diffs, "\n"))
				}
			})
		})
	}
}
