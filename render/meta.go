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
	add := func(loc string, lastmod time.Time) { buf.Write(sitemapEntry(nil, loc, lastmod)) }
	add(b.abs("/"), newest(b.site.Posts))
	for _, pg := range b.site.Posts {
		if e := b.sitemapKept[pg]; e != nil && b.sitemapKept != nil {
			if lm := updated(pg); e.loc == b.posts[pg].Permalink && e.lastmod.Equal(lm) && e.lastmod.Location() == lm.Location() {
				buf.Write(e.xml)
				continue
			}
		}
		e := &keptEntry{loc: b.posts[pg].Permalink, lastmod: updated(pg)}
		e.xml = sitemapEntry(nil, e.loc, e.lastmod)
		buf.Write(e.xml)
		if b.sitemapKept != nil {
			b.sitemapKept[pg] = e
		}
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

// keptEntry is a post's entry of the sitemap, kept by a build that
// changes some posts' front matter (incremental.go) for the next.
type keptEntry struct {
	loc     string
	lastmod time.Time
	xml     []byte
}

// sitemapEntry appends to buf the sitemap's <url> entry of loc.
func sitemapEntry(buf []byte, loc string, lastmod time.Time) []byte {
	w := bytes.NewBuffer(buf)
	w.WriteString("  <url>\n    <loc>")
	xml.EscapeText(w, []byte(loc)) // a bytes.Buffer takes every write
	w.WriteString("</loc>\n")
	if !lastmod.IsZero() {
		w.WriteString("    <lastmod>")
		xml.EscapeText(w, lastmod.AppendFormat(nil, time.RFC3339))
		w.WriteString("</lastmod>\n")
	}
	w.WriteString("  </url>\n")
	return w.Bytes()
}
