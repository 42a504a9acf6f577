package pymd

import (
	"path"
	"strings"
	"sync"

	"github.com/siteblog/site/content"
)

// siteIndex finds a site's published files and pages by their path in
// the site directory.
type siteIndex struct {
	// files maps static/ files, files under content/ and bundle resources
	// to their URL path (with the base URL's path).
	files map[string]string
	pages map[string]*content.Page
}

// indexCache keeps the index of the last site asked for: the pages of one
// build share it.
var indexCache struct {
	sync.Mutex
	site  *content.Site
	index *siteIndex
}

// indexOf returns the index of a site; nil for none.
func indexOf(site *content.Site) *siteIndex {
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
	idx := &siteIndex{files: map[string]string{}, pages: map[string]*content.Page{}}
	for _, f := range site.Files {
		idx.files[f.Src] = base + "/" + f.Dst
	}
	for _, pg := range site.All() {
		idx.pages[pg.Path] = pg
		dir := path.Dir(pg.Path)
		urlDir := pg.URL
		if !strings.HasSuffix(urlDir, "/") {
			urlDir = path.Dir(urlDir) + "/"
		}
		for _, r := range pg.Resources {
			if rel, ok := strings.CutPrefix(r, dir+"/"); ok {
				idx.files[r] = base + urlDir + rel
			}
		}
	}
	indexCache.site, indexCache.index = site, idx
	return idx
}
