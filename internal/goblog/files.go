package goblog

import (
	"path"
	"strings"
	"sync"

	"github.com/siteblog/site/content"
)

// siteFiles maps the published files of a site (static/ files, files under
// content/, bundle resources), by their path in the site directory, to
// their URL path (with the base URL's path).
type siteFiles map[string]string

// filesCache keeps the index of the last site asked for: the pages of one
// build share it.
var filesCache struct {
	sync.Mutex
	site  *content.Site
	files siteFiles
}

// filesOf returns the index of site's published files.
func filesOf(site *content.Site) siteFiles {
	if site == nil {
		return nil
	}
	filesCache.Lock()
	defer filesCache.Unlock()
	if filesCache.site == site {
		return filesCache.files
	}
	base := "/"
	if site.Config != nil {
		base = site.Config.BasePath()
	}
	base = strings.TrimSuffix(base, "/")
	files := siteFiles{}
	for _, f := range site.Files {
		files[f.Src] = base + "/" + f.Dst
	}
	for _, pg := range site.All() {
		dir := path.Dir(pg.Path)
		urlDir := pg.URL
		if !strings.HasSuffix(urlDir, "/") {
			urlDir = path.Dir(urlDir) + "/"
		}
		for _, r := range pg.Resources {
			if rel, ok := strings.CutPrefix(r, dir+"/"); ok {
				files[r] = base + urlDir + rel
			}
		}
	}
	filesCache.site, filesCache.files = site, files
	return files
}

// candidates lists the site paths a file reference of a page may mean:
// a relative name is looked up beside the page; a name starting with "/"
// in content/, then in each posts section (with and without its first
// segment, the old blog directory: "/blog/x/a.png" finds
// content/posts/x/a.png), so a blog moved into content/posts/ keeps its
// references.
func candidates(pagePath, name string, sections []string) []string {
	if !strings.HasPrefix(name, "/") {
		return []string{path.Join(path.Dir(pagePath), name)}
	}
	clean := strings.TrimPrefix(path.Clean(name), "/")
	out := []string{path.Join(content.ContentDir, clean)}
	if len(sections) == 0 {
		sections = []string{"posts"}
	}
	_, rest, cut := strings.Cut(clean, "/")
	for _, s := range sections {
		out = append(out, path.Join(content.ContentDir, s, clean))
		if cut {
			out = append(out, path.Join(content.ContentDir, s, rest))
		}
	}
	return out
}
