package siteimport

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/siteblog/site/content"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// summary is what a golden file holds: the engine, the site.toml, the
// copies and the notes of a plan.
func summary(t *testing.T, p *Plan) []byte {
	t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, "engine: %s (%s)\n-- site.toml --\n", p.Engine, p.ConfigFile)
	data, err := p.SiteTOML()
	if err != nil {
		t.Fatal(err)
	}
	b.Write(data)
	b.WriteString("-- files --\n")
	for _, c := range p.Files {
		draft := ""
		if c.Draft {
			draft = " (draft)"
		}
		fmt.Fprintf(&b, "%s -> %s%s\n", c.From, c.To, draft)
	}
	b.WriteString("-- not mapped --\n")
	for _, n := range p.Notes {
		fmt.Fprintln(&b, n)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		dir    string
		engine Engine
	}{
		{"jekyll", Jekyll},
		{"hugo", Hugo},
		{"hugo-configdir", Hugo},
		{"zola", Zola},
		{"pelican", Pelican},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			src := filepath.Join("testdata", tc.dir)
			p, err := Read(src)
			if err != nil {
				t.Fatal(err)
			}
			if p.Engine != tc.engine {
				t.Errorf("engine %s, want %s", p.Engine, tc.engine)
			}
			got := summary(t, p)
			golden := filepath.Join("testdata", tc.dir+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("plan differs from %s (go test -update rewrites it):\n%s", golden, diff(string(want), string(got)))
			}

			// The site.toml written is one site build reads.
			data, _ := p.SiteTOML()
			if _, err := content.ParseConfig(data, ""); err != nil {
				t.Errorf("site.toml is refused: %v", err)
			}

			// Import writes what the plan says.
			dst := filepath.Join(t.TempDir(), "site")
			if _, err := Import(src, dst); err != nil {
				t.Fatal(err)
			}
			written, err := os.ReadFile(filepath.Join(dst, "site.toml"))
			if err != nil || !bytes.Equal(written, data) {
				t.Errorf("site.toml written: %v\n%s", err, written)
			}
			for _, c := range p.Files {
				from, err := os.ReadFile(filepath.Join(src, c.From))
				if err != nil {
					t.Fatal(err)
				}
				to, err := os.ReadFile(filepath.Join(dst, c.To))
				if err != nil {
					t.Errorf("%s: not written: %v", c.To, err)
					continue
				}
				if c.Draft {
					if !bytes.Contains(to, []byte("\ndraft: true\n")) || !bytes.Contains(to, []byte("\ndate: ")) || !bytes.HasSuffix(to, from[4:]) {
						t.Errorf("%s: draft not marked:\n%s", c.To, to)
					}
				} else if !bytes.Equal(from, to) {
					t.Errorf("%s: differs from %s", c.To, c.From)
				}
			}
		})
	}
}

// diff shows the lines of want and got that differ.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, w, g)
		}
	}
	return b.String()
}
