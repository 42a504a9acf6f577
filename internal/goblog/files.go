package goblog

import (
	"path"
	"strings"

	"github.com/siteblog/site/internal/expand"
)

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
	return expand.MovedPaths(name, sections)
}
