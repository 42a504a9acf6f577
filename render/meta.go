package render

import (
	"bytes"
	"encoding/xml"
	"time"
)

// planMeta plans sitemap.xml and robots.txt.
func (b *builder) planMeta() {
	b.places.sitemap = len(b.plan)
	b.addData("sitemap.xml", b.sitemap())
	b.addData("robots.txt", []byte("User-agent: *\nAllow: /\n\nSitemap: "+b.abs("/sitemap.xml")+"\n"))
}

// sitemap makes sitemap.xml. It writes what encoding/xml writes of a sitemap, indented by
// two spaces (TestSitemapAsEncoded), without reflection: a build that
// changes a post's URL or date makes it again, and a site's sitemap
// names every post.
func (b *builder) sitemap() []byte {
	var buf bytes.Buffer
	buf.Grow(128 * (len(b.site.Posts) + len(b.site.Pages) + len(b.site.Tags) + 3))
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	var date []byte
	add := func(loc string, lastmod time.Time) {
		buf.WriteString("  <url>\n    <loc>")
		xml.EscapeText(&buf, []byte(loc)) // a bytes.Buffer takes every write
		buf.WriteString("</loc>\n")
		if !lastmod.IsZero() {
			date = lastmod.AppendFormat(date[:0], time.RFC3339)
			buf.WriteString("    <lastmod>")
			xml.EscapeText(&buf, date)
			buf.WriteString("</lastmod>\n")
		}
		buf.WriteString("  </url>\n")
	}
	add(b.abs("/"), newest(b.site.Posts))
	for _, pg := range b.site.Posts {
		add(b.posts[pg].Permalink, updated(pg))
	}
	for _, pg := range b.site.Pages {
		add(b.posts[pg].Permalink, pg.Updated)
	}
	add(b.abs("/archive/"), newest(b.site.Posts))
	add(b.abs("/tags/"), newest(b.site.Posts))
	for _, t := range b.site.Tags {
		add(b.abs(tagPath(t)), newest(t.Posts))
	}
	buf.WriteString("</urlset>\n")
	return scrub(buf.Bytes())
}
