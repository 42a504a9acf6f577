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
//	                        are appended
//
// A site with theme = "NAME" in site.toml overrides the default theme file
// by file: a file at themes/NAME/PATH replaces the default theme's PATH,
// and every other file comes from the default theme. So a site can change
// one template, or add an asset, without copying the rest.
//
// The default theme uses no JavaScript, no inline styles and no resource
// from another origin, so `Content-Security-Policy: default-src 'self'`
// holds for every page it renders.
package themes
