package serve

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/internal/layered"
)

// Cache-Control values. Fingerprinted assets never change under their
// name; pages carry the badge of the connection, so a browser revalidates
// them (cheaply, with ETag) instead of showing a badge from another
// connection, and no shared cache (a proxy, a CDN) may keep one reader's
// badge for others; everything else may be reused for five minutes.
const (
	cacheAssets = "public, max-age=31536000, immutable"
	cachePages  = "private, no-cache"
	cacheOther  = "public, max-age=300"
)

// Badge is badge markup for the badge slot of pages, made once per
// certificate (or state) with NewBadge. Pages are cached per *Badge, so
// one value must be used for all requests that show the same badge.
type Badge struct {
	html []byte
}

// NewBadge wraps badge markup (the part between badge.Start and
// badge.End).
func NewBadge(html []byte) *Badge { return &Badge{html: html} }

// HTML returns the badge markup.
func (b *Badge) HTML() []byte { return b.html }

// Files serves a built site from memory: the files render.MemOutput holds,
// by slash-separated path ("index.html", "2024/05/x/index.html",
// "assets/style.1a2b3c.css"). It is an http.Handler; SetSite replaces the
// whole site atomically, so a preview server can swap in each new build
// while requests are served.
//
//   - "/x/" serves "x/index.html"; "/x" serves "x" if it exists, else
//     "x.html" if it exists, else redirects to "/x/" when "x/index.html"
//     exists (301, query kept). "/x.html" serves "x.html" too.
//   - A redirect page (SetSiteRedirects) is answered 301 with the URL it
//     leads to, at each of its URLs, "/x" too (query kept when the target
//     has none).
//   - Unknown paths get the site's 404.html with status 404.
//   - GET and HEAD only (405 otherwise).
//   - Content-Type by extension; a strong ETag (content hash); a gzip
//     copy made once per file (and once per page and badge) for clients
//     that accept it; Range, If-Range, If-Match and If-None-Match by
//     http.ServeContent's rules (serveBody).
//   - Cache-Control: a year and immutable under /assets/ (fingerprinted
//     names), private, no-cache for pages, five minutes for the rest.
//
// When Badge is set, the badge slot of every HTML page is filled with the
// badge it returns for the request; the page with that badge is assembled
// once and kept, so no template runs per request.
type Files struct {
	// Badge returns the badge for a request; nil leaves pages as built.
	Badge func(*http.Request) *Badge

	site atomic.Pointer[fileSet]
}

// NewFiles returns a handler serving files.
func NewFiles(files map[string][]byte) *Files {
	f := &Files{}
	f.SetSite(files)
	return f
}

// SetSite replaces the site being served. Requests already being served
// finish with the site they started with. files must not be changed after.
func (f *Files) SetSite(files map[string][]byte) { f.SetSiteRedirects(files, nil) }

// SetSiteRedirects is SetSite for a site with redirect pages: redirects
// maps the file of each (render.MemOutput.Redirects: aliases, redirect
// pages) to the URL it leads to. A request for one, at any URL its file
// is served at, is answered 301 Moved Permanently with that Location
// instead of the page, which stays in the site for static hosts.
// redirects must not be changed after.
func (f *Files) SetSiteRedirects(files map[string][]byte, redirects map[string]string) {
	f.site.Store(newFileSet(layered.Of(files), redirects, nil, nil))
}

// SetSiteChanges is SetSiteRedirects for a rebuild of the site being
// served, whose files differ from it only in those written (added or
// changed) and removed, as render's Report lists them: the other files
// keep their entries (ETag, gzip copy, pages with badges), so swapping
// in a rebuild costs in proportion to what changed.
func (f *Files) SetSiteChanges(files map[string][]byte, redirects map[string]string, written, removed []string) {
	f.setChanges(layered.Of(files), redirects, written, removed)
}

// setChanges is SetSiteChanges for files as a preview's snapshot holds
// them.
func (f *Files) setChanges(files *layered.Map[[]byte], redirects map[string]string, written, removed []string) {
	f.site.Store(newFileSet(files, redirects, f.site.Load(), &siteChanges{written: written, removed: removed}))
}

// siteChanges are the files of a rebuild that are not those of the
// previous site.
type siteChanges struct {
	written, removed []string
}

// Site returns the files of the site being served, read-only.
func (f *Files) Site() map[string][]byte {
	set := f.site.Load()
	out := make(map[string][]byte, set.files.Len())
	for name, fl := range set.files.All() {
		out[name] = fl.data
	}
	return out
}

// Lookup returns the content of the file a URL path is served from and
// whether there is one (no redirect, no 404 page).
func (f *Files) Lookup(urlPath string) ([]byte, bool) {
	fl, _ := f.site.Load().find(urlPath)
	if fl == nil {
		return nil, false
	}
	return fl.data, true
}

// ServeHTTP implements http.Handler.
func (f *Files) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.serveBase(w, r, "/") }

// serveBase serves r, whose path is a site path, for a site published
// under base ("/", "/blog/"): the redirects Files makes itself (a
// directory without its slash, a path to clean) lead under base; those
// of redirect pages are as the build wrote them, under base already.
func (f *Files) serveBase(w http.ResponseWriter, r *http.Request, base string) {
	if !allowGetHead(w, r) {
		return
	}
	set := f.site.Load()
	fl, redirect := set.find(r.URL.Path)
	if redirect != "" {
		if base != "/" && !set.isMoved(r.URL.Path) {
			redirect = strings.TrimSuffix(base, "/") + redirect
		}
		if r.URL.RawQuery != "" && !strings.Contains(redirect, "?") {
			// The query goes before the target's fragment, if any.
			path, fragment, cut := strings.Cut(redirect, "#")
			redirect = path + "?" + r.URL.RawQuery
			if cut {
				redirect += "#" + fragment
			}
		}
		http.Redirect(w, r, redirect, http.StatusMovedPermanently)
		return
	}
	status := http.StatusOK
	if fl == nil {
		status = http.StatusNotFound
		if fl = set.notFound; fl == nil {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
	}
	var badge *Badge
	if f.Badge != nil && fl.hasSlot {
		badge = f.Badge(r)
	}
	serveBody(w, r, fl.body(badge), fl.cacheControl, status)
}

// serveBody writes one body with its headers: the gzip copy to a client
// that accepts it, and, for status 200, by http.ServeContent's rules
// (Range and If-Range, If-Match, If-None-Match, HEAD; see "Ranges and
// conditional requests" in the package documentation). Any other status
// (the 404 page) is sent whole, whatever the request's conditions. Both
// servers answer every file of theirs with it.
func serveBody(w http.ResponseWriter, r *http.Request, b *body, cacheControl string, status int) {
	h := w.Header()
	h["Content-Type"] = b.ctype
	h["Cache-Control"] = cacheHeader(cacheControl)
	etag, gzETag := b.etags()
	data, length := b.data, b.length
	if b.compressible {
		h["Vary"] = varyAcceptEncoding
		if acceptsGzip(r.Header["Accept-Encoding"]) && !severalRanges(r.Header["Range"]) {
			if gz := b.gzip(); gz != nil {
				data, etag, length = gz, gzETag, b.gzLength
				h["Content-Encoding"] = gzipEncoding
			}
		}
	}
	h["Etag"] = etag
	send(w, r, data, length, status)
}

// severalRanges reports whether a Range header asks for more than one
// range. Those are answered from the identity body: a multipart/byteranges
// body is not a gzip stream, so no Content-Encoding can describe it, and
// clients decode the whole body by the one they are given.
func severalRanges(rng []string) bool {
	return len(rng) > 0 && strings.Contains(rng[0], ",")
}

var (
	varyAcceptEncoding = []string{"Accept-Encoding"}
	gzipEncoding       = []string{"gzip"}
	cacheAssetsValue   = []string{cacheAssets}
	cachePagesValue    = []string{cachePages}
	cacheOtherValue    = []string{cacheOther}
	noCacheValue       = []string{"no-cache"}
)

// cacheHeader returns the header value of a Cache-Control, shared for the
// usual ones.
func cacheHeader(cc string) []string {
	switch cc {
	case cacheAssets:
		return cacheAssetsValue
	case cachePages:
		return cachePagesValue
	case cacheOther:
		return cacheOtherValue
	case "no-cache":
		return noCacheValue
	}
	return []string{cc}
}

// fileSet is one version of the site, indexed by URL path. A rebuild
// that adds and removes no file shares the maps of the version before
// but for the files it changed (layered).
type fileSet struct {
	files     *layered.Map[*file]  // by file name
	routes    *layered.Map[*file]  // by URL path: "/a.css", "/x/" for "x/index.html"
	redirects *layered.Map[string] // "/x" → "/x/" where "x/index.html" exists
	notFound  *file

	// moved maps each URL path of a redirect page to where it leads
	// (301); movedFiles is the map it was made from, by file name.
	moved      map[string]string
	movedFiles map[string]string
}

// newFileSet indexes files. With prev, the site it replaces, and
// changes, what differs from it, it reuses prev's entries of the other
// files. redirects maps the files that are redirect pages to where they
// lead.
func newFileSet(files *layered.Map[[]byte], redirects map[string]string, prev *fileSet, changes *siteChanges) *fileSet {
	if prev == nil || changes == nil {
		prev, changes = nil, nil
	}
	if prev != nil {
		if set, ok := prev.update(files, redirects, changes.written, changes.removed); ok {
			return set
		}
	}
	fresh := map[string]bool{}
	if changes != nil {
		for _, name := range changes.written {
			fresh[name] = true
		}
	}
	ix := fileIndex{
		files:  make(map[string]*file, files.Len()),
		routes: make(map[string]*file, files.Len()*2),
	}
	for name, data := range files.All() {
		if old := prev.file(name); old != nil && !fresh[name] {
			ix.put(name, old)
		} else {
			ix.put(name, newFile(name, data))
		}
	}
	dirs := map[string]string{}
	for name := range ix.files {
		if dir, ok := strings.CutSuffix(name, "/index.html"); ok && ix.files[dir] == nil {
			dirs["/"+dir] = "/" + dir + "/"
		}
	}
	set := &fileSet{
		files:      layered.Of(ix.files),
		routes:     layered.Of(ix.routes),
		redirects:  layered.Of(dirs),
		moved:      make(map[string]string, len(redirects)*2),
		movedFiles: redirects,
	}
	// A redirect page is answered with its redirect at every URL that
	// would serve it, and at "/x" for "x/index.html" in one step.
	if len(redirects) > 0 {
		leads := make(map[*file]string, len(redirects))
		for name, to := range redirects {
			if fl := ix.files[name]; fl != nil {
				leads[fl] = to
			}
			if dir, ok := strings.CutSuffix(name, "/index.html"); ok && set.redirects.Has("/"+dir) {
				set.moved["/"+dir] = to
			}
		}
		for urlPath, fl := range ix.routes {
			if to, ok := leads[fl]; ok {
				set.moved[urlPath] = to
			}
		}
	}
	set.notFound = ix.files["404.html"]
	return set
}

// file returns the entry of file name, nil if none (or s is nil).
func (s *fileSet) file(name string) *file {
	if s == nil {
		return nil
	}
	fl, _ := s.files.Get(name)
	return fl
}

// update is newFileSet for a rebuild that changed the files written
// (added or changed) and removed those removed, and whose redirect pages
// are redirects: s with them replaced, which costs in proportion to them
// and to the redirect pages, not to the site. It reports false for a file
// added or removed that changes how another is served ("x" beside
// "x.html", "x" beside "x/index.html").
func (s *fileSet) update(files *layered.Map[[]byte], redirects map[string]string, written, removed []string) (*fileSet, bool) {
	gone := make(map[string]bool, len(removed))
	for _, name := range removed {
		gone[name] = true
	}
	for _, name := range slices.Concat(written, removed) {
		if s.file(name) != nil && !gone[name] {
			continue // changed
		}
		stem, isHTML := strings.CutSuffix(name, ".html")
		if (isHTML && s.file(stem) != nil) || s.file(name+".html") != nil || s.file(name+"/index.html") != nil {
			return nil, false
		}
	}
	ix := fileIndex{files: make(map[string]*file, len(written)), routes: make(map[string]*file, 2*len(written)),
		has: func(name string) bool { return s.files.Has(name) && !gone[name] }}
	dirs := map[string]string{}
	var delRoutes, delDirs []string
	for _, name := range removed {
		fl := s.file(name)
		if fl == nil {
			continue
		}
		for _, r := range routesOf(name) {
			if got, _ := s.routes.Get(r); got == fl {
				delRoutes = append(delRoutes, r)
			}
		}
		if dir, ok := strings.CutSuffix(name, "/index.html"); ok {
			delDirs = append(delDirs, "/"+dir)
		}
	}
	for _, name := range written {
		data, _ := files.Get(name)
		if dir, ok := strings.CutSuffix(name, "/index.html"); ok && s.file(name) == nil && !ix.exists(dir) {
			dirs["/"+dir] = "/" + dir + "/"
		}
		ix.put(name, newFile(name, data))
	}
	set := &fileSet{files: s.files.With(ix.files, removed), routes: s.routes.With(ix.routes, delRoutes),
		redirects: s.redirects, moved: s.moved, movedFiles: redirects}
	if len(dirs)+len(delDirs) > 0 {
		set.redirects = s.redirects.With(dirs, delDirs)
	}
	// The redirect pages that came, went or lead elsewhere, and those
	// written again: their URLs are answered anew.
	var moved []string
	for name, to := range redirects {
		if was, ok := s.movedFiles[name]; !ok || was != to || ix.files[name] != nil {
			moved = append(moved, name)
		}
	}
	for name := range s.movedFiles {
		if _, ok := redirects[name]; !ok {
			moved = append(moved, name)
		}
	}
	if len(moved) > 0 {
		set.moved = maps.Clone(s.moved)
		for _, name := range moved {
			for _, r := range routesOf(name) {
				delete(set.moved, r)
			}
			if dir, ok := strings.CutSuffix(name, "/index.html"); ok {
				delete(set.moved, "/"+dir)
			}
		}
		for _, name := range moved {
			to, ok := redirects[name]
			fl := set.file(name)
			if !ok || fl == nil {
				continue
			}
			for _, r := range routesOf(name) {
				if got, _ := set.routes.Get(r); got == fl {
					set.moved[r] = to
				}
			}
			if dir, ok := strings.CutSuffix(name, "/index.html"); ok && set.redirects.Has("/"+dir) {
				set.moved["/"+dir] = to
			}
		}
	}
	set.notFound = set.file("404.html")
	return set, true
}

// routesOf are the URL paths fileIndex.put may serve file name at.
func routesOf(name string) []string {
	routes := []string{"/" + name}
	if name == "index.html" {
		routes = append(routes, "/")
	} else if dir, ok := strings.CutSuffix(name, "/index.html"); ok {
		routes = append(routes, "/"+dir+"/")
	} else if stem, ok := strings.CutSuffix(name, ".html"); ok && stem != "" && !strings.HasSuffix(stem, "/") {
		routes = append(routes, "/"+stem)
	}
	return routes
}

// fileIndex is files and routes being indexed (by put).
type fileIndex struct {
	files, routes map[string]*file
	// has reports whether a file not in files exists: one of the site
	// whose changes are indexed.
	has func(string) bool
}

// put adds fl as file name, under each URL it is served at. "x.html" is
// also served at "/x", as static hosts do, unless a file "x" exists.
func (ix *fileIndex) put(name string, fl *file) {
	ix.files[name] = fl
	ix.routes["/"+name] = fl
	if name == "index.html" {
		ix.routes["/"] = fl
	} else if dir, ok := strings.CutSuffix(name, "/index.html"); ok {
		ix.routes["/"+dir+"/"] = fl
	} else if stem, ok := strings.CutSuffix(name, ".html"); ok && stem != "" && !strings.HasSuffix(stem, "/") && !ix.exists(stem) {
		ix.routes["/"+stem] = fl
	}
}

func (ix *fileIndex) exists(name string) bool {
	return ix.files[name] != nil || ix.has != nil && ix.has(name)
}

// find maps a URL path to a file, or to a redirect.
func (s *fileSet) find(urlPath string) (*file, string) {
	if to, ok := s.moved[urlPath]; ok {
		return nil, to
	}
	if fl, _ := s.routes.Get(urlPath); fl != nil {
		return fl, ""
	}
	if to, ok := s.redirects.Get(urlPath); ok {
		return nil, to
	}
	// "/a/../b", "//x", "/x/./": never serve two URLs for one file.
	clean := path.Clean("/" + urlPath)
	if strings.HasSuffix(urlPath, "/") && clean != "/" {
		clean += "/"
	}
	if clean != urlPath {
		if to, ok := s.moved[clean]; ok {
			return nil, to
		}
		if s.routes.Has(clean) {
			return nil, clean
		}
		if to, ok := s.redirects.Get(clean); ok {
			return nil, to
		}
	}
	return nil, ""
}

// isMoved reports whether find answers urlPath with the redirect of a
// redirect page.
func (s *fileSet) isMoved(urlPath string) bool {
	if _, ok := s.moved[urlPath]; ok {
		return true
	}
	if s.routes.Has(urlPath) {
		return false
	}
	if s.redirects.Has(urlPath) {
		return false
	}
	clean := path.Clean("/" + urlPath)
	if strings.HasSuffix(urlPath, "/") && clean != "/" {
		clean += "/"
	}
	_, ok := s.moved[clean]
	return ok
}

// file is one file of the site.
type file struct {
	data         []byte
	cacheControl string
	plain        *body // the file as built

	// For HTML pages with a badge slot: the page cut at the slot, and the
	// page assembled with each badge it was served with.
	slot     badge.Page
	hasSlot  bool
	mu       sync.Mutex
	variants atomic.Pointer[[]*variant]
}

type variant struct {
	badge *Badge
	body  *body
}

// maxVariants bounds the badges kept per page: a server has one or two
// certificates at a time, and a few more around a renewal.
const maxVariants = 6

func newFile(name string, data []byte) *file {
	ctype := contentType(name, data)
	fl := &file{data: data, cacheControl: cacheOther}
	switch {
	case strings.HasPrefix(name, "assets/"):
		fl.cacheControl = cacheAssets
	case strings.HasSuffix(name, ".html"):
		fl.cacheControl = cachePages
		fl.slot, fl.hasSlot = badge.Cut(data)
	}
	fl.plain = makeBody(data, ctype)
	return fl
}

// body returns the file as built (badge nil) or with a badge.
func (fl *file) body(b *Badge) *body {
	if b == nil || !fl.hasSlot {
		return fl.plain
	}
	if vs := fl.variants.Load(); vs != nil {
		for _, v := range *vs {
			if v.badge == b {
				return v.body
			}
		}
	}
	fl.mu.Lock()
	defer fl.mu.Unlock()
	var old []*variant
	if vs := fl.variants.Load(); vs != nil {
		old = *vs
		for _, v := range old {
			if v.badge == b {
				return v.body
			}
		}
	}
	v := &variant{badge: b, body: makeBody(fl.slot.With(b.html), fl.plain.ctype[0])}
	vs := append([]*variant{v}, old[:min(len(old), maxVariants-1)]...)
	fl.variants.Store(&vs)
	return v.body
}

// body is one servable content with its headers; its ETags and gzip
// copy are made on first use, so a rebuild's files that nobody asks for
// (a preview's archive and sitemap after a retitle) are never hashed.
type body struct {
	data         []byte
	ctype        []string
	length       []string
	compressible bool

	tagOnce      sync.Once
	etag, gzETag []string

	gzOnce   sync.Once
	gz       []byte
	gzLength []string
}

func makeBody(data []byte, ctype string) *body {
	return &body{
		data:         data,
		ctype:        []string{ctype},
		length:       []string{strconv.Itoa(len(data))},
		compressible: compressible(ctype) && len(data) >= 256,
	}
}

// etags returns the ETag of the body and that of its gzip copy (nil
// when it has none): a hash of the body's bytes.
func (b *body) etags() (etag, gzETag []string) {
	b.tagOnce.Do(func() {
		sum := sha256.Sum256(b.data)
		id := hex.EncodeToString(sum[:12])
		b.etag = []string{`"` + id + `"`}
		if b.compressible {
			b.gzETag = []string{`"` + id + `-gz"`}
		}
	})
	return b.etag, b.gzETag
}

// gzip returns the compressed copy, or nil when compressing does not pay.
func (b *body) gzip() []byte {
	b.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b.data)
		zw.Close()
		if buf.Len() < len(b.data) {
			b.gz = buf.Bytes()
			b.gzLength = []string{strconv.Itoa(len(b.gz))}
		}
	})
	return b.gz
}

// acceptsGzip reports whether Accept-Encoding allows gzip: listed (or "*")
// with a q-value other than 0.
func acceptsGzip(values []string) bool {
	ok := false
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			q := 1.0
			for p := range strings.SplitSeq(params, ";") {
				if k, val, found := strings.Cut(strings.TrimSpace(p), "="); found && strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
						q = f
					}
				}
			}
			if coding == "*" {
				if q > 0 {
					ok = true
				}
				continue
			}
			return q > 0 // an explicit gzip entry decides
		}
	}
	return ok
}

// contentType is fixed per extension, not taken from the system's MIME
// tables, so that a site is served the same way everywhere.
func contentType(name string, data []byte) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".json":
		if path.Base(name) == "feed.json" {
			return "application/feed+json; charset=utf-8"
		}
		return "application/json; charset=utf-8"
	case ".xml":
		switch path.Base(name) {
		case "feed.xml":
			return "application/atom+xml; charset=utf-8"
		case "rss.xml":
			return "application/rss+xml; charset=utf-8"
		}
		return "application/xml; charset=utf-8"
	case ".txt", ".md":
		return "text/plain; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	case ".woff":
		return "font/woff"
	case ".pdf":
		return "application/pdf"
	case ".wasm":
		return "application/wasm"
	case ".mp4":
		return "video/mp4"
	case ".webm":
		return "video/webm"
	case "":
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
	}
	return http.DetectContentType(data)
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "json") ||
		strings.Contains(ctype, "xml") || strings.HasPrefix(ctype, "application/javascript") ||
		ctype == "application/wasm"
}
