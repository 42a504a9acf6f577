package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/siteblog/site/content"
)

// TestInitConfig: the site.toml of `site init` sets no timezone but shows
// how, points at its documentation by a URL that works wherever the site
// lives, and has its keys before any table, so that a key appended at its
// end is a top-level key.
func TestInitConfig(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blog")
	if code, _, stderr := runSite(t, "init", dir); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if regexp.MustCompile(`(?m)^\s*timezone\s*=`).MatchString(text) {
		t.Errorf("site.toml sets a timezone:\n%s", text)
	}
	if !strings.Contains(text, "\n# timezone = \"Europe/Berlin\"   # converts every date; without it a date keeps its own offset\n") {
		t.Errorf("site.toml lacks the commented timezone line:\n%s", text)
	}
	if !strings.Contains(text, "https://pkg.go.dev/github.com/siteblog/site/content#Config") || strings.Contains(text, "./content") {
		t.Errorf("site.toml does not point at its documentation by URL:\n%s", text)
	}
	if regexp.MustCompile(`(?m)^\s*\[`).MatchString(text) {
		t.Errorf("site.toml has a table, after which an appended key would land in it:\n%s", text)
	}
	for _, f := range []string{".gitignore", "content/posts/hello-world.md", "static"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("init did not create %s: %v", f, err)
		}
	}

	appended := text + "permalink = \"/:year/:slug/\"\n"
	cfg, err := content.ParseConfig([]byte(appended), "")
	if err != nil {
		t.Fatalf("site.toml with a key appended: %v", err)
	}
	if cfg.Permalink != "/:year/:slug/" || cfg.Author.Name != "Your Name" || cfg.Title != "My Blog" {
		t.Errorf("appended permalink %q, author %q, title %q", cfg.Permalink, cfg.Author.Name, cfg.Title)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), []byte(appended), 0o644); err != nil {
		t.Fatal(err)
	}
	buildOK(t, "-s", dir)
}

// TestNewPath: `site new` takes a path under content/ as well as a title.
func TestNewPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blog")
	if code, _, stderr := runSite(t, "init", dir); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	for _, tc := range []struct {
		arg, file, title string
		post             bool
	}{
		{"posts/x.md", "content/posts/x.md", "X", true},
		{"content/posts/2024-05-01-my-trip.md", "content/posts/2024-05-01-my-trip.md", "My Trip", true},
		{"posts/long_weekend.markdown", "content/posts/long_weekend.markdown", "Long Weekend", true},
		{"posts/the-bundle/index.md", "content/posts/the-bundle/index.md", "The Bundle", true},
		{"about.md", "content/about.md", "About", false},
		{"notes/idea", "content/notes/idea.md", "Idea", false},
		{"A Title, with words", "content/posts/a-title-with-words.md", "A Title, with words", true},
	} {
		code, stdout, stderr := runSite(t, "new", "-s", dir, tc.arg)
		if code != 0 {
			t.Errorf("new %q: exit %d: %s", tc.arg, code, stderr)
			continue
		}
		want := filepath.Join(dir, filepath.FromSlash(tc.file))
		if got := strings.TrimSpace(stdout); got != want {
			t.Errorf("new %q printed %q, want %q", tc.arg, got, want)
		}
		data, err := os.ReadFile(want)
		if err != nil {
			t.Errorf("new %q: %v", tc.arg, err)
			continue
		}
		fm := string(data)
		if !strings.HasPrefix(fm, "---\ntitle: \""+tc.title+"\"\n") {
			t.Errorf("new %q: front matter does not start with title %q:\n%s", tc.arg, tc.title, fm)
		}
		if got := strings.Contains(fm, "\ndate: "); got != tc.post {
			t.Errorf("new %q: has a date: %t, want %t (a post has one, a page not):\n%s", tc.arg, got, tc.post, fm)
		}
	}
	if _, stderr := buildOK(t, "-s", dir); stderr != "" {
		t.Logf("build warnings: %s", stderr)
	}

	before, _ := os.ReadFile(filepath.Join(dir, "content", "posts", "x.md"))
	for _, tc := range []struct{ arg, err string }{
		{"posts/x.md", "x.md already exists"},
		{"../outside.md", "want a path under content/"},
		{"/tmp/abs.md", "want a path under content/"},
		{"posts/x.txt", "want a Markdown file"},
		{"posts/---.md", "no letters or digits"},
	} {
		code, _, stderr := runSite(t, "new", "-s", dir, tc.arg)
		if code != 1 || !strings.Contains(stderr, tc.err) {
			t.Errorf("new %q: exit %d, stderr %q; want 1 and %q", tc.arg, code, stderr, tc.err)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "content", "posts", "x.md")); string(after) != string(before) {
		t.Errorf("new over an existing file changed it")
	}
}
