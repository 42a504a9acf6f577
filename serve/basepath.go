package serve

import (
	"net/http"
	"strings"
)

// serveUnder serves files, a site built for base_url's path base ("/blog/"),
// under that path, as a host it is published on does: "/" is redirected
// (302) to base and "/blog" (301) to "/blog/", "/blog/x" is the site's
// "/x", and any other path is the site's 404 page. The redirects files answers
// (a directory without its slash, a path to clean) are under base too;
// those of redirect pages already are (render.MemOutput.Redirects).
// notFound is a site path that no site has. base "/" serves files
// as they are.
func serveUnder(base, notFound string, files *Files, w http.ResponseWriter, r *http.Request) {
	if base == "" || base == "/" {
		files.serveBase(w, r, "/")
		return
	}
	switch r.URL.Path {
	case "/":
		http.Redirect(w, r, base, http.StatusFound)
		return
	case strings.TrimSuffix(base, "/"):
		to := base
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawPath = ""
	if rest, ok := strings.CutPrefix(r.URL.Path, strings.TrimSuffix(base, "/")); ok && strings.HasPrefix(rest, "/") {
		r2.URL.Path = rest
	} else {
		r2.URL.Path = notFound
	}
	files.serveBase(w, r2, base)
}
