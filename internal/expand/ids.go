package expand

import (
	"regexp"
	"strconv"

	"github.com/siteblog/site/content"
	"github.com/yuin/goldmark/ast"
)

// listingID matches the IDs the renderer gives listings and their lines
// ("code-3", "code-3-l12"), which heading IDs avoid.
var listingID = regexp.MustCompile(`^code-\d+(-l\d+)?$`)

// themeIDs are IDs the default theme gives elements of a page around
// its body (the table of contents' title), which heading IDs avoid.
var themeIDs = map[string]bool{"toc-title": true}

// HeadingIDs makes the renderer's heading IDs, for goldmark's
// parser.WithIDs: content.Slugify of the heading's text, "section" when
// that is empty, made unique in the document (and unlike a listing's
// anchor or the theme's toc-title) with -1, -2, …. The renderer and
// the expanders that link to headings (Pelican's [TOC]) share it, so
// their IDs agree. A HeadingIDs serves one document.
type HeadingIDs struct{ used map[string]bool }

// NewHeadingIDs returns the IDs of a new document.
func NewHeadingIDs() *HeadingIDs { return &HeadingIDs{used: map[string]bool{}} }

// Generate returns the next heading's ID.
func (h *HeadingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	base := content.Slugify(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; h.used[id] || listingID.MatchString(id) || themeIDs[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	h.used[id] = true
	return []byte(id)
}

// Put records an ID given in the source ({#id}), which generated IDs avoid.
func (h *HeadingIDs) Put(value []byte) { h.used[string(value)] = true }
