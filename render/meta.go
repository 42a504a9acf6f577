package render

import (
	"encoding/xml"
	"fmt"
	"time"
)

type sitemap struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// planMeta plans sitemap.xml and robots.txt.
func (b *builder) planMeta() {
	data, ok := b.sitemap()
	if !ok {
		return
	}
	b.places.sitemap = len(b.plan)
	b.addData("sitemap.xml", data)
	b.addData("robots.txt", []byte("User-agent: *\nAllow: /\n\nSitemap: "+b.abs("/sitemap.xml")+"\n"))
}

// sitemap makes sitemap.xml; ok is false, the build failed, when it
// cannot.
func (b *builder) sitemap() (data []byte, ok bool) {
	var sm sitemap
	add := func(p string, lastmod time.Time) {
		u := sitemapURL{Loc: b.abs(p)}
		if !lastmod.IsZero() {
			u.LastMod = lastmod.Format(time.RFC3339)
		}
		sm.URLs = append(sm.URLs, u)
	}
	add("/", newest(b.site.Posts))
	for _, pg := range b.site.Posts {
		add(pg.URL, updated(pg))
	}
	for _, pg := range b.site.Pages {
		add(pg.URL, pg.Updated)
	}
	add("/archive/", newest(b.site.Posts))
	add("/tags/", newest(b.site.Posts))
	for _, t := range b.site.Tags {
		add(tagPath(t), newest(t.Posts))
	}
	data, err := marshalXML(sm)
	if err != nil {
		b.fail(fmt.Errorf("sitemap.xml: %w", err))
		return nil, false
	}
	return scrub(data), true
}
