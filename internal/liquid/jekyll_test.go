package liquid

import (
	"html"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/testenv"
)

// The sites in testdata/jekyll and testdata/jekyllorder are built by
// Jekyll and expanded here; the posts are .html so that Jekyll runs
// Liquid alone, without Markdown. DIR/want/NAME.html records what Jekyll
// 4.3 (`jekyll build` with TZ=UTC and JEKYLL_ENV=production, Debian's
// jekyll) made of each post (between the layout's markers). The tests
// compare our expansion with the record; when jekyll is installed (it
// must be under CI=true) they build the site again and check the record
// still holds. -update rewrites the records from a fresh build.
const jekyllDir = "testdata/jekyll"

func TestJekyll(t *testing.T) { testJekyllSite(t, jekyllDir, 1) }

// testdata/jekyllorder has tags, categories, data files, front matter
// mappings and include parameters in orders that are neither sorted nor
// a Go map's, and two posts of one day; Jekyll iterates its hashes in
// the order their keys were added. Each round loads the site afresh and
// expands the posts again: a Go map's random order would show in some.
func TestJekyllOrder(t *testing.T) { testJekyllSite(t, "testdata/jekyllorder", 10) }

// testJekyllSite compares each post of the Jekyll site in dir, expanded
// rounds times (each time from a freshly loaded site), with Jekyll's.
func testJekyllSite(t *testing.T, dir string, rounds int) {
	files := jekyllSiteFiles(t, dir)
	posts, err := filepath.Glob(filepath.Join(dir, "_posts", "*.html"))
	sub, _ := filepath.Glob(filepath.Join(dir, "_posts", "*", "*.html"))
	posts = append(posts, sub...)
	if err != nil || len(posts) == 0 {
		t.Fatalf("no posts in %s: %v", dir, err)
	}
	var built map[string]string
	if _, err := exec.LookPath("jekyll"); err == nil || testenv.InCI() || os.Getenv(testenv.EnvJekyll) != "" {
		built = buildJekyll(t, testenv.Jekyll(t), dir) // under CI, a missing jekyll fails here
	} else {
		t.Log("jekyll is not installed: comparing with the recorded output only")
	}
	for _, p := range posts {
		slug := postName.FindStringSubmatch(strings.TrimSuffix(filepath.Base(p), ".html"))[5]
		t.Run(slug, func(t *testing.T) {
			recordFile := filepath.Join(dir, "want", slug+".html")
			if built != nil {
				fresh, ok := built[slug]
				if !ok {
					t.Fatalf("jekyll made no page for %s", slug)
				}
				if *update {
					if err := os.WriteFile(recordFile, []byte(fresh), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			record, err := os.ReadFile(recordFile)
			if err != nil {
				t.Fatalf("no record of Jekyll's output: %v (run with -update where jekyll is installed)", err)
			}
			if built != nil && built[slug] != string(record) {
				t.Errorf("Jekyll now makes\n%s\nthe record says\n%s", built[slug], record)
			}
			rel, _ := filepath.Rel(filepath.Join(dir, "_posts"), p)
			want := normalizeJekyll(string(record))
			for round := 1; round <= rounds; round++ {
				env := newFakeEnv(t, files, "content/posts/"+strings.TrimSuffix(filepath.ToSlash(rel), ".html")+".md")
				doc := &expand.Doc{Src: append([]byte{}, env.page.Body...)}
				Expand(doc, env)
				if len(doc.Warnings) > 0 {
					t.Errorf("round %d: warnings: %v", round, doc.Warnings)
				}
				if got := normalizeOurs(string(expand.Restore(doc.Src, doc.HTML))); got != want {
					t.Fatalf("round %d: ours:\n%s\nJekyll's:\n%s", round, got, want)
				}
			}
		})
	}
}

// jekyllSiteFiles are the Jekyll site's files as this engine reads them:
// _posts/NAME.html as content/posts/NAME.md, pages under content/.
func jekyllSiteFiles(t *testing.T, dir string) map[string]string {
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator)))
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(rel, "want/"), strings.HasPrefix(rel, "_layouts/"), rel == "_config.yml", rel == "README.md":
		case strings.HasPrefix(rel, "_posts/") && strings.HasSuffix(rel, ".html"):
			files["content/posts/"+strings.TrimSuffix(strings.TrimPrefix(rel, "_posts/"), ".html")+".md"] = string(data)
		case strings.HasPrefix(rel, "_posts/"):
			files["content/posts/"+strings.TrimPrefix(rel, "_posts/")] = string(data)
		case strings.HasSuffix(rel, ".md"):
			files["content/"+rel] = string(data)
		default:
			files[rel] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

var between = regexp.MustCompile(`(?s)<!--begin-->(.*)<!--end-->`)

// buildJekyll builds a copy of the Jekyll site in dir and returns each
// post's output by slug.
func buildJekyll(t *testing.T, jekyll, dir string) map[string]string {
	src, dst := t.TempDir(), t.TempDir()
	if err := os.CopyFS(src, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(jekyll, "build", "--quiet", "--source", src, "--destination", dst)
	cmd.Env = append(os.Environ(), "TZ=UTC", "JEKYLL_ENV=production")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jekyll build: %v\n%s", err, out)
	}
	pages := map[string]string{}
	matches, _ := filepath.Glob(filepath.Join(dst, "2*", "*", "*", "index.html"))
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if b := between.FindStringSubmatch(string(data)); b != nil {
			pages[filepath.Base(filepath.Dir(m))] = b[1]
		}
	}
	return pages
}

var (
	jekyllListing = regexp.MustCompile(`(?s)<figure class="highlight"><pre><code class="language-[^"]*" data-lang="([^"]*)">(.*?)</code></pre></figure>`)
	ourListing    = regexp.MustCompile(`(?s)<listing info="([^"]*)">(.*?)</listing>`)
	rougeGutter   = regexp.MustCompile(`(?s)<td class="gutter gl">.*?</td>`)
	anyTag        = regexp.MustCompile(`<[^>]*>`)
)

// A listing compares by language, line numbers and text, not by the
// highlighter's markup: LISTING(lang[ linenos]){text}.
func listing(lang string, linenos bool, body string) string {
	text := html.UnescapeString(anyTag.ReplaceAllString(body, ""))
	if linenos {
		lang += " linenos"
	}
	return "LISTING(" + lang + "){" + strings.TrimRight(text, "\n") + "}"
}

func normalizeJekyll(s string) string {
	return jekyllListing.ReplaceAllStringFunc(s, func(m string) string {
		sub := jekyllListing.FindStringSubmatch(m)
		table := strings.Contains(sub[2], "rouge-table")
		return listing(sub[1], table, rougeGutter.ReplaceAllString(sub[2], ""))
	})
}

// A listing stands between blank lines, and leaves more so that the
// lines after it stay on their lines of the file.
var (
	listingPadBefore = regexp.MustCompile(`\n+<listing`)
	listingPadAfter  = regexp.MustCompile(`</listing>\n+`)
)

func normalizeOurs(s string) string {
	s = listingPadBefore.ReplaceAllString(s, "\n<listing")
	s = listingPadAfter.ReplaceAllString(s, "</listing>\n")
	s = ourListing.ReplaceAllStringFunc(s, func(m string) string {
		sub := ourListing.FindStringSubmatch(m)
		info := html.UnescapeString(sub[1])
		lang, _, _ := strings.Cut(info, " ")
		return listing(lang, strings.Contains(info, "linenos=true"), sub[2])
	})
	// The body keeps the front matter's lines, blank.
	return strings.TrimLeft(s, "\n")
}
