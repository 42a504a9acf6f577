// Package themes holds the default theme, embedded in the binary, and
// finds the theme a site uses.
//
// A theme is a directory with
//
//	templates/base.html     the page skeleton, defining the template "base"
//	templates/_*.html       partials shared by every page template
//	templates/KIND.html     one per kind of page: post, page, list, tag,
//	                        tags, archive, 404, and tls (the certificate
//	                        of a reader's connection, which a production
//	                        server renders at /tls/) (each defines "main")
//	assets/**               files published under /assets/ with a content
//	                        hash in their names; style.css is the site's
//	                        stylesheet, to which the code listings' rules
//	                        are appended; favicon.svg is the icon, from
//	                        which the build draws the PNG favicon and
//	                        apple-touch-icon
//
// A site with theme = "NAME" in site.toml overrides the default theme file
// by file: a file at themes/NAME/PATH replaces the default theme's PATH,
// and every other file comes from the default theme. So a site can change
// one template, or add an asset, without copying the rest.
//
// The default theme places the badge slot (render.SiteData.Badge) last in
// the body, right after the footer, in an aside labelled "Certificate of
// this connection". A badge bar there sticks to the bottom of the screen
// at every width and, scrolled to the end, sits below the footer, so it
// never covers the end of a page however many lines its statement wraps
// onto; the static build's note reads as one more footer line. Each state
// of the badge (its data-state) has its own colours, light and dark, with
// text at 4.5:1 or more: green only for verified. The "tls" page shows
// the badge again in its text and lets the certificate history scroll
// sideways in a region reached with Tab. serve's TestBadgeBrowser checks
// all of this in Chromium, with axe-core, at 320, 375 and 1280 px.
//
// Code listings and tables scroll sideways inside themselves, each in a
// box that takes the focus. A listing wider than its box shows a shadow at
// each edge beyond which there is more code (CSS only: covers in the
// listing's background, --listing-bg, scroll with the code over shadows
// that stay put), and its line-number gutter is as wide as its widest
// number (data-digits) and one character more. Line numbers and every
// token colour of the default chroma styles (github, github-dark) are
// 4.5:1 or more on the listing's background, a highlighted line's and a
// target line's: where a chroma colour falls short, style.css replaces it
// (Python's .bp in github), which render's TestListingContrast checks from
// the built stylesheet. serve's TestAxe runs axe-core (WCAG 2.0 and 2.1 A
// and AA, best practices) over every page of the example site and of a
// fixture site of tables, task lists, footnotes and listings, /tls/
// included, at 320, 375 and 1280 px in light and dark colours.
//
// The default theme's post and page templates show .Post.TOC, the table
// of contents (render's "Table of contents"), when it is not empty,
// between the page's header and its text: a
// <nav class="toc" aria-labelledby="toc-title"> titled by an
// <h2 id="toc-title">Contents</h2> (heading IDs avoid toc-title). It is
// a plain list, open at every width, with no script and no <details>:
// a reader on a phone scrolls past it as past the header, and a screen
// reader finds it among the landmarks and headings. Its entries are
// unnumbered, each deeper level indented behind a rule, their links a
// finger's height (at least 24 px) and wrapped anywhere in a long word.
// It is as wide as its longest entry, at most the column. serve's
// TestTOCBrowser checks it in Chromium, with axe-core, at 320, 375 and
// 1280 px, light and dark.
//
// The default theme uses no JavaScript, no inline styles and no resource
// from another origin, so `Content-Security-Policy: default-src 'self'`
// holds for every page it renders. Its one <script> is the head's JSON-LD
// (type application/ld+json), data that no browser runs.
//
// Its base.html head carries what share cards and search engines read
// (render's package doc lists each value): the meta description,
// canonical link (none on the 404 page, which is noindex), Open Graph
// (og:title, og:type, og:url, og:description, og:locale, og:image and
// og:image:alt, article:published_time, article:modified_time,
// article:author, article:tag), twitter:card, the JSON-LD of
// .StructuredData, the SVG, PNG and apple-touch icons, and two
// theme-color metas, light and dark, which must equal style.css's --bg
// in :root and in its prefers-color-scheme: dark block (render's
// TestThemeColor checks it): a theme that changes --bg changes them too.
package themes
