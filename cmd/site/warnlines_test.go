package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/testenv"
)

// TestBuildWarningLinesFromCache: the next `site build` after a save that
// changes the number of lines of a post's front matter, which reads the
// post's body and its scan from .site-cache, names the lines a build
// without the cache names.
func TestBuildWarningLinesFromCache(t *testing.T) {
	post := func(fm string) string {
		return "---\ntitle: Linking\ndate: 2024-07-01T10:00:00Z\n" + fm + "---\nIntro.\n\nSee [gone](/nowhere/).\n\n<p style=\"color: red\">styled</p>\n"
	}
	at := func(link, style int) []string {
		return []string{
			fmt.Sprintf("content/posts/linking.md:%d: link /nowhere/ not found (looked for /nowhere/)", link),
			fmt.Sprintf("content/posts/linking.md:%d: style attribute on <p> is blocked", style),
		}
	}
	root := t.TempDir()
	site := filepath.Join(root, "site")
	files := map[string]string{"site.toml": tinySite["site.toml"] + "raw_html = \"pass\"\n"}
	for name, data := range tinySite {
		if name != "site.toml" {
			files[name] = data
		}
	}
	files["content/posts/linking.md"] = post("")
	testenv.WriteFiles(t, site, files)
	for i, step := range []struct {
		fm   string
		want []string
	}{
		{"", at(7, 9)},
		{"subtitle: One more\nmood: calm\n", at(9, 11)},
		{"mood: calm\n", at(8, 10)},
		{"", at(7, 9)},
	} {
		testenv.WriteFiles(t, site, map[string]string{"content/posts/linking.md": post(step.fm)})
		_, cached := buildOK(t, "-s", site, "-o", filepath.Join(root, "out"))
		_, cold := buildOK(t, "-s", site, "-o", filepath.Join(root, "cold"), "--no-cache")
		if buildWarnings(cached) != buildWarnings(cold) {
			t.Errorf("build %d: warnings\n%s\nwant those of a build without the cache\n%s", i, buildWarnings(cached), buildWarnings(cold))
		}
		for _, w := range step.want {
			if !strings.Contains(cached, w) {
				t.Errorf("build %d: no warning %q in\n%s", i, w, cached)
			}
		}
	}
}

// buildWarnings are the lines of a build's output that are warnings.
func buildWarnings(output string) string {
	var ws []string
	for _, l := range strings.Split(output, "\n") {
		if strings.HasPrefix(l, "warning: ") {
			ws = append(ws, l)
		}
	}
	return strings.Join(ws, "\n")
}
