package render

// planMeta plans sitemap.xml and robots.txt.
func (b *builder) planMeta() {
	b.places.sitemap = len(b.plan)
	b.plan = append(b.plan, b.sitemapPlanned(nil))
	b.addData("robots.txt", []byte("User-agent: *\nAllow: /\n\nSitemap: "+b.abs("/sitemap.xml")+"\n"))
}
