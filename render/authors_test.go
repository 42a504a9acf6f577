package render

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/internal/feedcheck"
	"github.com/siteblog/site/internal/testenv"
)

// authorSite has posts with several authors, one author, and none (the
// site's author stands for them).
func authorSite() fstest.MapFS {
	return fstest.MapFS{
		"site.toml":                {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n[author]\nname = \"Sam\"\nemail = \"sam@example.org\"\n")},
		"content/posts/many.md":    {Data: []byte("---\ntitle: Many\ndate: 2024-03-01\nby:\n- Ada Lovelace\n- Bob Lee\nauthor: Chen\n---\nx\n")},
		"content/posts/pelican.md": {Data: []byte("Title: Pelican\nDate: 2024-02-01\nAuthors: Dee, Sam\n\nx\n")},
		"content/posts/one.md":     {Data: []byte("---\ntitle: One\ndate: 2024-01-02\nauthor: Eve\n---\nx\n")},
		"content/posts/site.md":    {Data: []byte("---\ntitle: Site\ndate: 2024-01-01\n---\nx\n")},
	}
}

// TestAuthorsInFeeds checks that every author is credited in Atom (one
// <author> each), RSS (one dc:creator each) and JSON Feed (authors), and
// that feedparser accepts the feeds.
func TestAuthorsInFeeds(t *testing.T) {
	out, _ := build(t, authorSite(), nil)
	want := [][]string{ // newest first
		{"Ada Lovelace", "Bob Lee", "Chen"}, // in front matter order
		{"Dee", "Sam"},
		{"Eve"},
		nil, // the feed's author stands for the post
	}

	var atom struct {
		Author struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []struct {
			Title   string `xml:"title"`
			Authors []struct {
				Name  string `xml:"name"`
				Email string `xml:"email"`
			} `xml:"author"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(out.Files()["feed.xml"], &atom); err != nil {
		t.Fatal(err)
	}
	if atom.Author.Name != "Sam" {
		t.Errorf("feed.xml: feed author %q, want Sam", atom.Author.Name)
	}
	for i, e := range atom.Entries {
		var names []string
		for _, a := range e.Authors {
			names = append(names, a.Name)
			if (a.Email != "") != (a.Name == "Sam") {
				t.Errorf("feed.xml %s: author %s has email %q; only the site's author has one", e.Title, a.Name, a.Email)
			}
		}
		if !reflect.DeepEqual(names, want[i]) {
			t.Errorf("feed.xml %s: authors %q, want %q", e.Title, names, want[i])
		}
	}

	var rss struct {
		Items []struct {
			Title    string   `xml:"title"`
			Author   string   `xml:"author"`
			Creators []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(out.Files()["rss.xml"], &rss); err != nil {
		t.Fatal(err)
	}
	for i, it := range rss.Items {
		wantNames, wantAuthor := want[i], ""
		if wantNames == nil {
			wantNames, wantAuthor = []string{"Sam"}, "sam@example.org (Sam)"
		}
		if !reflect.DeepEqual(it.Creators, wantNames) || it.Author != wantAuthor {
			t.Errorf("rss.xml %s: dc:creator %q, author %q; want %q, %q", it.Title, it.Creators, it.Author, wantNames, wantAuthor)
		}
	}

	var jf struct {
		Authors []struct{ Name string } `json:"authors"`
		Items   []struct {
			Title   string                  `json:"title"`
			Authors []struct{ Name string } `json:"authors"`
		} `json:"items"`
	}
	if err := json.Unmarshal(out.Files()["feed.json"], &jf); err != nil {
		t.Fatal(err)
	}
	if len(jf.Authors) != 1 || jf.Authors[0].Name != "Sam" {
		t.Errorf("feed.json: authors %v, want Sam", jf.Authors)
	}
	for i, it := range jf.Items {
		var names []string
		for _, a := range it.Authors {
			names = append(names, a.Name)
		}
		if !reflect.DeepEqual(names, want[i]) {
			t.Errorf("feed.json %s: authors %q, want %q", it.Title, names, want[i])
		}
	}

	dir := t.TempDir()
	var files []string
	for _, name := range []string{"feed.xml", "rss.xml", "feed.json"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, out.Files()[name], 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	if err := feedcheck.Validate(testenv.Python(t), files); err != nil {
		t.Errorf("feedparser rejects the feeds: %v", err)
	}
}

// TestAuthorsOnPage checks the default theme's byline: every author, and
// none for a post by the site's author alone.
func TestAuthorsOnPage(t *testing.T) {
	out, _ := build(t, authorSite(), nil)
	for page, want := range map[string]string{
		"2024/03/many/index.html":    `<p class="byline">By <span class="p-author">Ada Lovelace</span>, <span class="p-author">Bob Lee</span>, <span class="p-author">Chen</span></p>`,
		"2024/02/pelican/index.html": `<p class="byline">By <span class="p-author">Dee</span>, <span class="p-author">Sam</span></p>`,
		"2024/01/one/index.html":     `<p class="byline">By <span class="p-author">Eve</span></p>`,
		"2024/01/site/index.html":    "",
	} {
		html := string(out.Files()[page])
		if html == "" {
			t.Errorf("%s not built", page)
			continue
		}
		if want == "" {
			if strings.Contains(html, `class="byline"`) {
				t.Errorf("%s: a byline for the site's own author", page)
			}
		} else if !strings.Contains(html, want) {
			t.Errorf("%s lacks %s", page, want)
		}
	}
}
