package render

import (
	"encoding/xml"
	"testing"
	"testing/fstest"
	"time"

	"github.com/siteblog/site/content"
)

// sitemapDoc is sitemap.xml as encoding/xml reads and writes it.
type sitemapDoc struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// TestSitemapAsEncoded checks that the sitemap a build writes is what
// encoding/xml encodes of its URLs, indented by two spaces, for URLs
// with characters XML escapes, posts, pages with and without an update
// date, and tags.
func TestSitemapAsEncoded(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":          {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/a&b/\"\ntimezone = \"Europe/Paris\"\n")},
		"content/posts/a.md": {Data: []byte("---\ntitle: Tom & Jerry's <café>\ndate: 2024-01-01T10:00:00+01:00\ntags: [R&D, \"naïve\"]\n---\nA.\n")},
		"content/posts/b.md": {Data: []byte("---\ntitle: B\ndate: 2024-02-01\nupdated: 2024-03-05T08:00:00Z\nurl: /b'q&r/\n---\nB.\n")},
		"content/about.md":   {Data: []byte("---\ntitle: About\nupdated: 2024-04-01\n---\nAbout.\n")},
		"content/other.md":   {Data: []byte("---\ntitle: Other\n---\nOther.\n")},
	}
	out, err := BuildInMemory(fsys, content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := out.File("sitemap.xml")
	var doc sitemapDoc
	if err := xml.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.URLs) != 9 {
		t.Errorf("%d URLs, want 9:\n%s", len(doc.URLs), got)
	}
	want, err := marshalXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(scrub(want)) {
		t.Errorf("sitemap.xml:\n%s\nencoding/xml writes:\n%s", got, want)
	}
	for _, u := range doc.URLs {
		if u.LastMod != "" {
			if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
				t.Error(err)
			}
		}
	}
}
