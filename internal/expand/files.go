package expand

import (
	"path"
	"strings"
	"sync"

	"github.com/siteblog/site/content"
)

// SiteIndex finds a site's published files and pages by their path in
// the site directory, for the expanders that resolve names of files
// (the Go blog's .image, Pelican's {static} and {attach}).
type SiteIndex struct {
	// Files maps static/ files, files under content/ and bundle
	// resources to their URL path (with the base URL's path).
	Files map[string]string
	// Pages maps a page's path ("content/posts/a.md") to the page.
	Pages map[string]*content.Page
}

// indexCache keeps the index of the last site asked for: the pages of one
// build share it.
var indexCache struct {
	sync.Mutex
	site  *content.Site
	index *SiteIndex
}

// IndexOf returns the index of a site; nil for none. The index of the
// last site asked for is kept, so the pages of one build share it: the
// site must not change after its first call.
func IndexOf(site *content.Site) *SiteIndex {
	if site == nil {
		return nil
	}
	indexCache.Lock()
	defer indexCache.Unlock()
	if indexCache.site == site {
		return indexCache.index
	}
	base := "/"
	if site.Config != nil {
		base = site.Config.BasePath()
	}
	base = strings.TrimSuffix(base, "/")
	idx := &SiteIndex{Files: map[string]string{}, Pages: map[string]*content.Page{}}
	for _, f := range site.Files {
		idx.Files[f.Src] = base + "/" + f.Dst
	}
	for _, pg := range site.All() {
		idx.Pages[pg.Path] = pg
		dir := path.Dir(pg.Path)
		urlDir := content.ResourceDir(pg.URL) // where the renderer publishes them
		for _, r := range pg.Resources {
			if rel, ok := strings.CutPrefix(r, dir+"/"); ok {
				idx.Files[r] = base + urlDir + rel
			}
		}
	}
	indexCache.site, indexCache.index = site, idx
	return idx
}
