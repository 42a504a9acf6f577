// Package themes holds the default theme, embedded in the binary, and
// finds the theme a site uses.
//
// A theme is a directory with
//
//	templates/base.html     the page skeleton, defining the template "base"
//	templates/_*.html       partials shared by every page template
//	templates/KIND.html     one per kind of page: post, page, list, tag,
//	                        tags, archive, 404, search, and tls (the certificate
//	                        of a reader's connection, which a production
//	                        server renders at /tls/) (each defines "main")
//	assets/**               files published under /assets/ with a content
//	                        hash in their names; style.css is the site's
//	                        stylesheet, to which the code listings' rules
//	                        are appended
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
// The default theme uses no inline script or style and no resource from
// another origin, so `Content-Security-Policy: default-src 'self'` holds
// for every page it renders. Its one script, assets/search.js, runs on the
// search page only (search.html loads it, deferred, from its
// fingerprinted URL) and reads the index package render writes under
// /search/index/: it builds its results with DOM methods, never HTML
// strings, eval or WebAssembly. Without JavaScript the search page is a
// form and links to the archive and tags. The navigation links to it
// unless site.toml's [search] enabled is false. serve's TestSearchBrowser
// checks it in Chromium under the policy, with axe-core; render's
// TestSearchScript runs its matching and ranking under node.
//
// search.js is written for the index rather than built on a search
// library. lunr, MiniSearch and FlexSearch each load one whole serialised
// index (lunr.Index.load, MiniSearch.loadJSON, FlexSearch's import of all
// its exported parts) and stem queries in the browser, which takes the
// whole index for every query (megabytes for 4,000 posts) plus a stemmer
// per language in JavaScript. The sharded index gives one small shard per
// query word, whose words map to their stems already, and needs about
// 250 lines to read: on the 4,000-post benchmark a query downloads about
// 25 KB, an eighth of what Pagefind takes (scripts/search-compare.sh).
package themes
