// Package serve serves a site built by package render from memory: the
// production server (Server) and the writer's live preview (Preview) share
// Files, which maps URL paths to built files. The server fills the issuer
// badge and never renders Markdown.
//
// # Files
//
// "/x/" serves x/index.html; "/x" serves the file x, else x.html (a page
// whose URL does not end in "/", answered at "/x" and "/x.html" as static
// hosts do), else redirects to "/x/" when x/index.html exists; unknown
// paths get the site's 404.html with status 404. Every file has a strong ETag (a hash of the bytes served) honoured
// by If-None-Match, a gzip copy made once on first demand for clients that
// accept it, a Content-Type fixed by extension, and Cache-Control: a year
// and immutable under /assets/ (names carry a content hash), no-cache for
// pages (they show the badge of the connection), five minutes for the
// rest. GET and HEAD only. SetSite swaps in a new build atomically.
//
// # The production server
//
// Server listens for HTTPS (HTTP/2 and HTTP/1.1, TLS 1.2 and 1.3, and the
// acme-tls/1 protocol for TLS-ALPN-01) and for HTTP, where it answers ACME
// HTTP-01 challenges and redirects everything else to HTTPS. Every response
// has X-Content-Type-Options: nosniff and Referrer-Policy:
// strict-origin-when-cross-origin, over HTTPS Strict-Transport-Security:
// max-age=63072000, and a Content-Security-Policy: the site's
// (Config.CSP), which is default-src 'self' with the sources site.toml's
// [csp] adds, directive by directive (content.Config.ContentSecurityPolicy):
//
//	[csp]
//	frame-src = ["https://www.youtube-nocookie.com"]
//
// sends "default-src 'self'; frame-src 'self' https://www.youtube-nocookie.com".
// Redirects to HTTPS carry default-src 'self'. `site build` warns about
// what the policy would block in a post (package render). Clients get
// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout; on
// cancellation (SIGTERM, SIGINT in `site serve`) the server stops
// accepting and lets requests in flight finish for up to ShutdownTimeout.
// Besides the site: /healthz (200 "ok", also over HTTP), /tls/,
// /tls.json and /tls/feed.xml. Without a certificate source it serves the site over plain
// HTTP.
//
// # The badge of each connection
//
// The badge slot of every page (see package tlsinfo for what a badge says)
// is filled from the certificate captured in the handshake of the
// connection the request came on; capture.go says how. Each certificate's
// badge is made once, and each page with that badge is assembled once and
// kept (with its gzip copy), so a request costs what a static file costs:
// no template runs and nothing is looked up again per request. A new
// certificate (a renewal, another issuer, the RSA certificate for an old
// client) shows on the next connection that uses it; a connection keeps
// the badge of its own certificate. A resumed TLS session shows the
// certificate of the session, whose fingerprint the server keeps in the
// session ticket.
//
// /tls/ is the site's own 404 page with its main content replaced by the
// chain of the connection (subject, SANs, issuer, validity, serial,
// SHA-256 fingerprint and key type of every certificate sent) and the
// history of every certificate the server has served; /tls.json has the
// same data. Both are made once per certificate and again only when the
// site or the history changes.
//
// Each certificate is verified once, when a handshake first uses it
// (tlsinfo.VerifyDER against Config.PublicRoots, the system's roots by
// default, and Config.PrivateRoots); the server logs it with its trust
// state and anchor and adds it to the history with what changed since
// the certificate before it (a changed issuer, root or key type is logged
// as a warning). /tls/feed.xml is the history as Atom
// (tlsinfo.HistoryFeed; application/atom+xml, Cache-Control: no-cache),
// its links on the scheme and Host of the request, made again only when
// the history, the site or that origin changes; /tls/ links to it. With
// Config.ExpectIssuer (`--expect-issuer ORG`), a certificate that
// tlsinfo.CheckExpectedIssuer finds issued by another CA, or whose chain
// does not verify, is logged once and shown on /tls/ as <p
// class="tls-alert" role="alert"> (and in /tls.json as "alert") on the
// connections that use it; it is still served.
//
// Errors of the HTTP server (failed handshakes, for example while the CA
// is down) are logged once per distinct error, without the client's
// address.
//
// # The preview
//
// Preview (`site serve` without a certificate) builds the site in memory
// and serves it over plain HTTP, with the production server's headers but
// HSTS, and the Content-Security-Policy of the site's last site.toml. Its pages are render's output with the
// badge slot saying "not encrypted, local preview" (PreviewBadge) and one
// script tag before </body>, <script src="/_site/reload.js" data-key="K"
// defer>, K naming the version of the page; /_site/ also serves
// preview.css (the error overlay) and events. Paths outside a base URL's
// path get the 404 page. Nothing but fingerprinted assets may be cached
// without revalidation.
//
// A Watcher follows every input of the site, directories created later
// too, and delivers the events of one save as one Batch once the site has
// been still for DefaultQuiet. Names starting with "." or ending in "~"
// (editor and system files) are left out, except under static/, where
// only "~" and .DS_Store are. The inputs, and what a change of each does
// besides rebuilding:
//
//	site.toml    read again, and then every file (a new render.Renderer)
//	content/     the changed files are read again (content.Loader.Forget);
//	             this includes the Go blog's {{code "file"}} files
//	static/      nothing more: every build reads it
//	themes/      a new render.Renderer (it parses the theme's templates,
//	             and the user shortcodes of themes/THEME/shortcodes/ and of
//	             a Hugo theme's layouts/, once)
//	layouts/     a new render.Renderer: Hugo's user shortcodes,
//	             layouts/shortcodes/ and layouts/_shortcodes/
//	_includes/   nothing more: Jekyll's includes are read by every build
//	_data/       nothing more: Jekyll's data files are read by every build
//
// Bodies are kept in one BodyCache across renderers. A page whose body an
// expander changed (Hugo shortcodes, Liquid, the Go blog's templates) is
// expanded again by every build, and its body rendered again when the
// expansion changed, so an edited shortcode, include or data file shows
// on the pages that use it. A build renders into a render.MemOutput whose
// Prev is the last build, so only files whose inputs changed are made
// again; Files keeps the entries of the others.
//
// Each open page listens at /_site/events?path=P&key=K (server-sent
// events). When it connects and after every build the server compares K
// with its current version of the page and sends "reload" (with "url"
// when the page is gone: the new URL of the same source file, or of the
// file it was renamed to, else the index), "css" when only stylesheets
// changed (the page swaps their links and does not reload), or nothing.
// A failed build sends "build-error" with the messages (file:line), shown
// over the page and printed on the terminal, while the last good build
// stays served; "build-ok" takes the message back. A page reconnects by
// itself after a restart of the server and reloads if it is out of date.
package serve
