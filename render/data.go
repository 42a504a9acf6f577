package render

import (
	"html/template"
	"sync"
	"time"
	"unsafe"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
)

// PageData is the value every theme template is executed with.
// Templates see it as "." and reach the site through .Site.
type PageData struct {
	// Site is the same for every page. (It is left out of a page's own
	// key, which the site's key covers; see plan.go.)
	Site *SiteData `json:"-"`

	// Kind names the template that renders the page: "post", "page",
	// "list" (the index and its pages), "tag", "tags", "archive", "404",
	// "tls" (the certificate of a reader's connection, rendered by a
	// production server: Stats.TLSPage) and "search" (the search page).
	Kind string
	// Title is the page's own title ("" on the first index page, where
	// the site title stands alone).
	Title string
	// Description is the page's meta description.
	Description string
	// URL is the page's path from the site root, e.g. "/2024/05/hello/".
	URL string
	// Permalink is URL made absolute with the site's base URL.
	Permalink string
	// Image is the page's picture for share cards (og:image) and JSON-LD:
	// on a post or page, its front matter image, else the first image of
	// its body that the site publishes; else, and on every other page,
	// the site's image; nil when there is none.
	Image *Image

	// Post is set on "post" and "page" pages.
	Post *PostData
	// Posts lists the posts of "list" and "tag" pages, newest first.
	Posts []*PostData
	// Pager is set on "list" and "tag" pages.
	Pager *Pager
	// Tag is set on "tag" pages.
	Tag *TagData
	// Years groups all posts by year for the "archive" page, newest first.
	Years []*YearData
	// FeedURL is the Atom feed that belongs to the page: the tag's feed on
	// "tag" pages, the site feed elsewhere.
	FeedURL string
	// TLS is set on the "tls" page: the certificate of the reader's
	// connection, what verifying it established, and the site's
	// certificate history.
	TLS *badge.PageData `json:"-"`

	path string // site path, without the base URL's path
	from origin // the page's source, for messages; none for the site's own pages
}

// SiteData describes the whole site.
type SiteData struct {
	Title       string
	Description string
	// BaseURL is absolute and ends in "/".
	BaseURL  string
	Language string
	// OGLocale is Language in Open Graph's ll_CC form, for og:locale
	// ("fr" is fr_FR; see ogLocale); "" when Language cannot be read.
	OGLocale string
	Author   Author
	// Image is site.toml's image, for share cards of pages without one
	// of their own; nil when none.
	Image *Image
	// SearchURL is the absolute URL of the site's search page, which
	// shows the results for the words in its q parameter; "" when the
	// site has none. The index's JSON-LD WebSite then carries a
	// SearchAction.
	SearchURL string
	// Pages are the standalone pages (about, …), by title, for navigation.
	Pages []*Link
	// Tags are all tags, by name.
	Tags []*TagData
	// Stylesheet is the fingerprinted URL of the site's one stylesheet.
	Stylesheet string
	// Assets maps a theme asset's name ("favicon.svg") to its fingerprinted URL.
	Assets map[string]string
	// Icon is the URL of the site's PNG favicon (IconSize pixels square)
	// and TouchIcon that of its apple-touch-icon (TouchIconSize): the
	// site's own static/favicon.png and static/apple-touch-icon.png, else
	// drawn from the theme's favicon.svg; "" when there is neither.
	Icon, TouchIcon string
	// AtomURL, RSSURL and JSONFeedURL are the site-wide feeds.
	AtomURL, RSSURL, JSONFeedURL string
	// HomeURL, ArchiveURL and TagsURL are the paths of the home page, the
	// archive and the tags page under the base URL's path ("/", or
	// "/blog/", "/blog/archive/", "/blog/tags/" for base_url
	// https://example.org/blog/), for links: a theme links to these, never
	// to "/archive/" itself.
	HomeURL, ArchiveURL, TagsURL string
	// SearchPath is the path of the search page (/search/, under the
	// base URL's path), for links, and SearchIndex the manifest of its
	// index (/search/index/manifest.json), which the search script
	// reads; both are "", as SearchURL is, when site.toml's [search]
	// enabled is false.
	SearchPath, SearchIndex string
	// Badge is the footer's issuer badge slot: for pages written by `site
	// build`, a line on how to check the certificate, badge.StaticNote in
	// the site's language (message tls_note); servers fill it per
	// connection (package badge).
	Badge template.HTML
	// Params are site.toml's [params], as read (.Site.Params.KEY).
	Params map[string]any
	// Sections are the sections' _index.md files by directory under
	// content/ ("posts"; "" for content/_index.md), for templates:
	// (index .Site.Sections "posts").Title.
	Sections map[string]*SectionData
}

// SectionData is the metadata of a section, from its _index.md.
type SectionData struct {
	Title string
	// Summary is the front matter summary (or description), as written.
	Summary string
	// Params holds every front matter key of the _index.md, lower-cased.
	Params map[string]any
}

// Author is a person credited for the site or a post.
type Author struct {
	Name  string
	Email string
}

// Link is a titled URL.
type Link struct {
	Title string
	URL   string
}

// PostData is one post or standalone page as templates see it.
type PostData struct {
	Title string
	URL   string
	// Permalink is URL made absolute.
	Permalink string
	Date      time.Time
	// Updated is zero when the post was never updated.
	Updated time.Time
	Draft   bool
	// Author is the first of Authors, or the site's author when there is
	// none.
	Author Author
	// Authors are every author the post credits (front matter author,
	// authors, by), or the site's author when it credits none and the
	// site names one. A name that is the site author's carries its email.
	Authors []Author
	Tags    []*TagData
	// Image is the post's front matter image (image, Hugo's images,
	// PaperMod's cover), made absolute: relative to its page bundle when
	// it is one of the bundle's files, else to the site root. nil when
	// none; PageData.Image adds the fallbacks.
	Image *Image
	// Params holds every front matter key, lower-cased, with its value as
	// read (string, bool, int64, float64, time.Time, list, table):
	// .Post.Params.subtitle, or index .Post.Params "cover-image".
	Params map[string]any
	// ReadingMinutes is the estimated reading time, at least 1: 220 words
	// or 500 Chinese and Japanese characters a minute (l10n.CountText).
	ReadingMinutes int
	// Prev is the next older post, Next the next newer one; nil at the ends
	// and on standalone pages.
	Prev, Next *Link

	showTOC bool // front matter toc, else site.toml's [markdown] toc
	// tagCounts is whether a template may show the number of posts of
	// the post's tags (tagUse), which its metadata key then covers.
	tagCounts bool
	// path is the page's source path ("content/posts/a.md"), which
	// names the post while it is one (cached keeps its fragments by it).
	path string
	// at and aliasAt are the places in the build's plan of the post's
	// page and of its first alias (incremental.go).
	at, aliasAt int
	// params is Params as postMeta keys them, formatted once per version
	// of the page's source (preparedPost).
	params string
	// lead is the number of empty lines that start the body (standing for
	// the front matter), as prepared: the line of the file of a scan's
	// line n is n plus lead.
	lead int

	key Key // of the rendered body
	// b and pg are the build and page the post's body is made by and of
	// (made, head, body, text), once per version of the post (bodyOnce,
	// reset by builder.readyPost).
	b         *builder
	pg        *content.Page
	bodyOnce  sync.Once
	kept      Rendered    // head's
	first     []byte      // the content made by head, or read back for the page, until the post's page is made (bodyShown)
	firstText *string     // the text made by text, until its next call takes it
	heldIn    *byteBudget // the build's count of bytes that first and firstText are held in
	// metaKey and digestKey are meta's and digest's, each made once
	// (with its sync.Once) until resetKeys.
	metaOnce, digestOnce sync.Once
	metaKey, digestKey   Key
	// sourceGone is whether the page's Markdown was let go once its body
	// was in the body cache (PipelineOptions.OneBuild), set by made's
	// first call: making it again reads the page's file again
	// (builder.source).
	sourceGone bool
}

// meta is the key of the post's data but its rendered body (postMeta),
// made on first use.
func (p *PostData) meta() Key {
	p.metaOnce.Do(func() { p.metaKey = postMeta(p) })
	return p.metaKey
}

// digest is the key of the post's data and its rendered body
// (postDigest), made on first use: it stands for the post in keys.
func (p *PostData) digest() Key {
	p.digestOnce.Do(func() { p.digestKey = postDigest(p) })
	return p.digestKey
}

// Summary is rendered HTML: the front matter summary, the part before
// <!--more-->, or the first paragraph. Its relative URLs are resolved
// against the post, so it reads right on any page.
func (p *PostData) Summary() template.HTML { return template.HTML(p.head().Summary) }

// Content is the rendered body.
func (p *PostData) Content() template.HTML {
	// The string shares the body's bytes, which nothing writes once they
	// are made (Rendered), rather than copying a post's HTML for every
	// call.
	c := p.body().Content
	return template.HTML(unsafe.String(unsafe.SliceData(c), len(c)))
}

// TOC is the table of contents of the body's headings, levels
// [markdown] toc_start_level to toc_end_level (2 to 4), when the post's
// front matter says toc: true, or site.toml's [markdown] toc = true and
// the front matter does not say toc: false: a nested <ol> of links to
// the headings' IDs, one <li> per heading (an entry without a link
// stands for a skipped level). It is empty with fewer than two headings,
// or when the body places its table itself (kramdown's {:toc},
// Python-Markdown's [TOC]). The theme wraps it in its own <nav>.
func (p *PostData) TOC() template.HTML {
	if !p.showTOC {
		return ""
	}
	return template.HTML(p.head().TOC)
}

// TagData is one tag.
type TagData struct {
	Name string
	// URL is the tag's first page, e.g. "/tags/go/".
	URL string
	// FeedURL is the tag's Atom feed.
	FeedURL string
	// Count is the number of published posts with the tag.
	Count int
}

// YearData is one year of the archive.
type YearData struct {
	Year  int
	Posts []*PostData

	html  []template.HTML // its sections of the archive, made (archive.go)
	posts []template.HTML // its posts' entries of the archive, joined (archive.go)
}

// Pager links the pages of a paginated list.
type Pager struct {
	// Number is this page's number, from 1; Total the number of pages.
	Number, Total int
	// Prev and Next are the URLs of the neighbouring pages ("" at the ends).
	Prev, Next string
	// Pages are the numbered links to show, in order: the first and last
	// pages, this page and its neighbours, and a gap for each run of two or
	// more pages between them (a lone page between them is shown, not
	// elided). Their number stays small however long the list, so a page
	// of a long list costs no more than one of a short list.
	Pages []PagerLink
}

// PagerLink is one entry of a pager: a link to page Number at URL, or,
// when Gap is set, the elided pages between its neighbours.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}
