package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/testenv"
)

// TestBuildRefusesLinkedCacheAndOutput builds sites whose cache
// directories or default output directory are symbolic links, as a
// repository may commit them: a build must neither write nor remove
// anything through a link to outside the site, unless the output is
// chosen on the command line (-o) or with --follow-symlinks.
func TestBuildRefusesLinkedCacheAndOutput(t *testing.T) {
	for _, tc := range []struct {
		name    string
		link    string // in the site, to OUT (the victim directory) or to a directory of the site
		target  string
		args    []string
		wantErr string // "" for success; SITE and OUT stand for the directories
		changed bool   // the victim is replaced by the site
	}{
		{name: "cache", link: ".site-cache", target: "OUT",
			wantErr: "SITE/.site-cache: the cache directory is a symbolic link (to OUT); refusing to write through it: remove the link (site clean does)"},
		{name: "bodies", link: ".site-cache/bodies", target: "OUT",
			wantErr: "SITE/.site-cache/bodies: the cache directory is a symbolic link (to OUT); refusing to write through it: remove the link (site clean does)"},
		{name: "published", link: ".site-cache/published", target: "OUT",
			wantErr: "SITE/.site-cache/published: the cache directory is a symbolic link (to OUT); refusing to write through it: remove the link (site clean does)"},
		{name: "bodies, no cache", link: ".site-cache/bodies", target: "OUT", args: []string{"--no-cache"}},
		{name: "public outside", link: "public", target: "OUT",
			wantErr: "SITE/public: symlink to OUT leads outside the site; refusing to publish through it (give -o to publish there, or --follow-symlinks)"},
		{name: "public outside, followed", link: "public", target: "OUT", args: []string{"--follow-symlinks"}, changed: true},
		{name: "public outside, -o", link: "public", target: "OUT", args: []string{"-o", "SITE/public"}, changed: true},
		{name: "public inside", link: "public", target: "SITE/www"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			site, victim := filepath.Join(root, "site"), filepath.Join(root, "victim")
			expand := func(s string) string {
				return strings.NewReplacer("SITE", site, "OUT", victim).Replace(s)
			}
			testenv.WriteFiles(t, site, tinySite)
			// The victim is another site, built, with a file of its own.
			buildOK(t, "-s", site, "-o", victim, "--no-cache")
			testenv.WriteFiles(t, victim, map[string]string{"work.tmp": "precious"})
			os.MkdirAll(filepath.Join(site, "www"), 0o755)
			before := treeHash(t, victim)
			p := filepath.Join(site, filepath.FromSlash(tc.link))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.Symlink(expand(tc.target), p); err != nil {
				t.Fatal(err)
			}
			runExpanded(t, expand, "build", site, tc.args, tc.wantErr)
			if got := treeHash(t, victim) != before; got != tc.changed {
				t.Errorf("the directory outside the site changed: %v, want %v", got, tc.changed)
			}
		})
	}
}

// TestCleanLinkedOutput cleans sites whose output directory is a symbolic
// link: the link stays and the site it leads to is removed, unless it is
// the default output leading outside the site, which site clean refuses
// as site build does.
func TestCleanLinkedOutput(t *testing.T) {
	for _, tc := range []struct {
		name    string
		target  string // OUT: outside the site; SITE/www: inside
		args    []string
		wantErr string // "" for success; SITE and OUT stand for the directories
	}{
		{name: "outside", target: "OUT",
			wantErr: "SITE/public: symlink to OUT leads outside the site; refusing to remove the site it leads to (give -o to clean there)"},
		{name: "outside, -o", target: "OUT", args: []string{"-o", "SITE/public"}},
		{name: "inside", target: "SITE/www"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			site, out := filepath.Join(root, "site"), filepath.Join(root, "out")
			expand := func(s string) string {
				return strings.NewReplacer("SITE", site, "OUT", out).Replace(s)
			}
			testenv.WriteFiles(t, site, tinySite)
			target := expand(tc.target)
			if err := os.MkdirAll(target, 0o755); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(site, "public")
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			buildOK(t, "-s", site, "-o", link)
			before := treeHash(t, target)
			ok := runExpanded(t, expand, "clean", site, tc.args, tc.wantErr)
			if tc.wantErr != "" {
				if treeHash(t, target) != before {
					t.Error("the site the link leads to changed")
				}
				return
			}
			if !ok {
				t.FailNow()
			}
			if got, err := os.Readlink(link); err != nil || got != target {
				t.Errorf("the link leads to %q (%v), want %s", got, err, target)
			}
			if left, err := os.ReadDir(target); err != nil || len(left) != 0 {
				t.Errorf("%s after site clean: %v (%v)", target, left, err)
			}
			buildOK(t, "-s", site, "-o", link)
			if _, err := os.Stat(filepath.Join(target, "index.html")); err != nil {
				t.Errorf("no site built after site clean: %v", err)
			}
		})
	}
}

// TestCleanRefusesSources: site clean never removes the site's sources,
// even from a site directory that looks built (index.html and
// sitemap.xml at its top, as a Jekyll site may have): an output that is
// the site, or a link to it, is refused as site build refuses it.
func TestCleanRefusesSources(t *testing.T) {
	for _, tc := range []struct {
		name string
		link string // public, a link to the site, if not ""
		args []string
		out  string // the output directory named in the error
	}{
		{name: "-o SITE", args: []string{"-o", "SITE"}, out: "SITE"},
		{name: "public leading to the site", link: ".", out: "SITE/public"},
		{name: "-o a link to the site", link: ".", args: []string{"-o", "SITE/public"}, out: "SITE/public"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := filepath.Join(t.TempDir(), "site")
			expand := strings.NewReplacer("SITE", site).Replace
			files := map[string]string{"index.html": "<p>home</p>", "sitemap.xml": "<urlset/>"}
			for name, data := range tinySite {
				files[name] = data
			}
			testenv.WriteFiles(t, site, files)
			if tc.link != "" {
				if err := os.Symlink(tc.link, filepath.Join(site, "public")); err != nil {
					t.Fatal(err)
				}
			}
			before := treeHash(t, site)
			runExpanded(t, expand, "clean", site, tc.args, "output directory "+tc.out+" overlaps the site's sources (SITE/site.toml); choose another -o")
			if treeHash(t, site) != before {
				t.Error("the site's directory changed")
			}
		})
	}
}

// runExpanded runs `site CMD -s SITE ARGS...`, each of args through
// expand, and checks how it ends: with wantErr, a failure whose stderr is
// "site CMD: " and wantErr through expand; without, success. It reports
// whether the command succeeded.
func runExpanded(t *testing.T, expand func(string) string, cmd, site string, args []string, wantErr string) bool {
	t.Helper()
	all := []string{cmd, "-s", site}
	for _, a := range args {
		all = append(all, expand(a))
	}
	code, _, stderr := runSite(t, all...)
	if wantErr != "" {
		if want := "site " + cmd + ": " + expand(wantErr) + "\n"; code == 0 || stderr != want {
			t.Errorf("exit %d, stderr %q; want %q", code, stderr, want)
		}
	} else if code != 0 {
		t.Errorf("exit %d: %s", code, stderr)
	}
	return code == 0
}
