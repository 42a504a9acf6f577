package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportBuild imports small blogs of other engines and builds them
// with nothing else done: each post at its original URL, the pages and the
// static files published, and what could not be mapped named.
func TestImportBuild(t *testing.T) {
	// The URLs are those jekyll 4.3, hugo 0.111 and pelican 4.8 (Debian's)
	// publish for the same fixtures (their themes left out), and those
	// Zola's documentation gives (Debian has no zola).
	for _, tc := range []struct {
		fixture string
		// imported are files of the new site; notes, lines of the import's
		// report.
		imported, notes []string
		// published are output files, with a text each holds; absent,
		// files that must not be published.
		published map[string]string
		absent    []string
	}{
		{
			fixture:  "jekyll",
			imported: []string{"site.toml", "content/posts/2024-05-01-hello-world.md", "content/posts/2024-06-02-second-thoughts.md", "content/posts/2023-12-24-winter-notes.markdown", "content/posts/an-idea.md", "content/about.md", "content/team.md", "static/assets/img/pixel.gif", "_includes/note.html"},
			notes:    []string{"_config.yml:7: theme: not mapped", "_config.yml: timezone: not set", "_drafts/an-idea.md: a draft"},
			published: map[string]string{
				"2024/05/01/hello-world/index.html":     "Hello, world",
				"2024/06/02/second-thoughts/index.html": "On second thought",
				// 23:30 -0800 on the 24th is the 25th in UTC, Jekyll's zone here.
				"life/2023/12/25/winter-notes/index.html": "Snow, on the 24th",
				"about/index.html":                        "About these notes",
				"people/index.html":                       "Who writes here",
				"assets/img/pixel.gif":                    "GIF89a",
			},
			absent: []string{"an-idea"},
		},
		{
			fixture:  "hugo",
			imported: []string{"site.toml", "content/posts/first.md", "content/posts/second.md", "content/posts/_index.md", "content/about.md", "static/img/a.gif", "layouts/shortcodes/bold.html"},
			notes:    []string{"hugo.toml:4: theme: not mapped"},
			published: map[string]string{
				"2024/03/first-steps/index.html": "First steps",
				// Hugo's :title ignores the slug, and the date keeps its offset.
				"2024/02/go-1.22-is-out/index.html": "ignores the slug",
				"about/index.html":                  "About.",
				"img/a.gif":                         "GIF89a",
			},
			absent: []string{"ignored-by-title"},
		},
		{
			fixture:  "zola",
			imported: []string{"site.toml", "content/blog/first-post.md", "content/blog/2024-03-01-spring/index.md", "content/blog/2024-03-01-spring/flower.gif", "content/blog/_index.md", "content/about.md", "static/favicon.ico"},
			notes:    []string{"config.toml:4: compile_sass: not mapped", "static/robots.txt: not imported: site build writes its own /robots.txt"},
			published: map[string]string{
				// Zola's section path and slug, the bundle's without its date.
				"blog/first-post/index.html": "Hello from Zola",
				"blog/spring/index.html":     "Flowers",
				"blog/spring/flower.gif":     "GIF89a",
				"about/index.html":           "About Zola notes",
				"favicon.ico":                "ICO",
			},
		},
		{
			fixture:  "pelican",
			imported: []string{"site.toml", "content/posts/generators.md", "content/about.md", "content/images/p.gif"},
			notes:    []string{"pelicanconf.py:11: THEME: not mapped"},
			published: map[string]string{
				"2024/03/generators/index.html": "Yield",
				"about/index.html":              "About.",
				"images/p.gif":                  "GIF89a",
			},
		},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "site")
			code, stdout, stderr := runSite(t, "import", "-o", dir, filepath.Join("testdata", "import", tc.fixture))
			if code != 0 {
				t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
			}
			for _, f := range tc.imported {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("import did not write %s: %v", f, err)
				}
			}
			for _, n := range tc.notes {
				if !strings.Contains(stdout, "  "+n) {
					t.Errorf("the report lacks %q:\n%s", n, stdout)
				}
			}
			buildOK(t, "-s", dir)
			files := readTree(t, filepath.Join(dir, "public"))
			for name, text := range tc.published {
				if data, ok := files[name]; !ok {
					t.Errorf("%s not published; published: %v", name, sortedKeys(files))
				} else if !strings.Contains(string(data), text) {
					t.Errorf("%s does not hold %q", name, text)
				}
			}
			for name := range files {
				for _, a := range tc.absent {
					if strings.Contains(name, a) {
						t.Errorf("%s published", name)
					}
				}
			}
		})
	}
}

func TestImportUsage(t *testing.T) {
	code, _, stderr := runSite(t, "import")
	if code != 2 || !strings.Contains(stderr, "usage: site import") {
		t.Errorf("import without a source: exit %d\n%s", code, stderr)
	}
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "x"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runSite(t, "import", "-o", full, filepath.Join("testdata", "import", "hugo"))
	if code != 1 || !strings.Contains(stderr, full+": not empty") {
		t.Errorf("import into a non-empty directory: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runSite(t, "import", "-o", filepath.Join(t.TempDir(), "new"), t.TempDir())
	if code != 1 || !strings.Contains(stderr, "no site configuration") {
		t.Errorf("import of a directory that is no site: exit %d\n%s", code, stderr)
	}
}
