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
// paths get the site's 404.html with status 404. Every file has a strong
// ETag (a hash of the bytes served, made when the file is first served,
// not when a rebuild swaps it in), a gzip copy made once on first
// demand for clients that accept it, a Content-Type fixed by extension,
// Range and conditional requests answered by the standard library's
// rules (see "Ranges and conditional requests"), and Cache-Control: a
// year and immutable under /assets/ (names carry a content hash),
// private, no-cache for pages (they show the badge of the connection; see
// "Proxies, CDNs and caches"), five minutes for the rest. GET and HEAD
// only. SetSite swaps in a new build atomically; SetSiteChanges does so
// for a rebuild, given the files render's report says it wrote and
// removed, keeping the entries of the others: a rebuild that adds and
// removes files (a post retitled, so moved; a tag new to the site, with
// its page/1/ redirect) costs in proportion to them and to the redirect
// pages, unless a file comes or goes beside another of its name ("x"
// beside "x.html" or "x/index.html"), which indexes the site again.
//
// A redirect page of the build (an alias, a page whose front matter says
// redirect, a list's page/1/: render.MemOutput.Redirects, given with
// SetSiteRedirects, Config.Redirects) is answered 301 Moved Permanently
// with Location the URL it leads to, at every URL its file would be served
// at ("/old/", "/old/index.html", and "/old" in one step, not through
// "/old/"), for GET and HEAD, the request's query kept when the target has
// none. The Location is site-relative for a page of the site (with the
// base URL's path: /blog/2024/01/post/), so a preview on localhost stays
// there. The pages stay in the output for static hosts, which answer
// them with their meta refresh.
//
// A site whose base_url has a path (https://example.org/blog/) is served
// under it, by both servers, as the host it is published on serves it
// (Config.BasePath; the preview takes it from site.toml): "/blog/x" is
// the site's "/x", "/" is redirected (302 Found) to "/blog/" and "/blog"
// (301) to "/blog/", and any other path outside it gets the site's 404
// page. The redirects Files answers itself, "/blog/x" to "/blog/x/" and
// "/blog/a/./b/" to "/blog/a/b/", stay under the path, and those of
// redirect pages lead where the build wrote, under the path already
// (a page at /blog/blog/ included). The server's own paths, /tls/,
// /tls.json, /tls/feed.xml and /healthz, stay at the root of the host,
// and so does the preview's /_site/.
//
// # Ranges and conditional requests
//
// Both servers answer every file through one function (serveBody): the
// site's files, the 404 page, /tls/, /tls.json and /tls/feed.xml, and the
// preview's /_site/reload.js and preview.css. It follows the rules of
// net/http's ServeContent, which it calls for every request with a Range
// or a condition:
//
//   - Range: one range is answered 206 Partial Content with
//     Content-Range ("bytes 10-109/5553"); several (bytes=0-9,50-59,-5)
//     with a multipart/byteranges body, each part with its Content-Range
//     and the file's Content-Type. A range that starts past the end is
//     416 Range Not Satisfiable with "Content-Range: bytes */SIZE" (as is
//     a Range header that cannot be parsed); ranges that add up to more
//     than the file are ignored (200). Every 200 says Accept-Ranges: bytes.
//   - If-Range with the ETag of the representation served (compared
//     strongly: a W/ tag never matches) keeps the Range; another ETag, or
//     a date, drops it, and the whole file is sent.
//   - If-None-Match listing the ETag (compared weakly), or "*", is
//     answered 304 Not Modified, with ETag, Cache-Control and Vary but no
//     Content-Type or Content-Length, whatever the Range; If-Match not
//     listing it (nor "*") is 412 Precondition Failed.
//   - No Last-Modified is sent: a file built in memory has no
//     modification time that means something to a reader (a rebuild, a
//     restart and a new badge would all have to change it, to the
//     second), so If-Modified-Since and If-Unmodified-Since are ignored,
//     as RFC 9110 has it for a resource without one. The ETag is the
//     validator.
//   - HEAD gets the headers a GET would, Content-Length and Content-Range
//     included, and no body.
//   - gzip: a client that accepts gzip gets the gzip copy with its own
//     ETag (the identity ETag with "-gz") and its Content-Length, and
//     Range and the conditions apply to the copy's bytes, the
//     representation served: a range is a range of the gzip stream, and
//     an If-Range with the identity ETag gets the whole copy (a 206 with
//     Content-Encoding: gzip holds bytes of the gzip stream). A request
//     for several ranges is answered from the identity body, with its
//     ETag and no Content-Encoding: a multipart/byteranges body is not a
//     gzip stream, and a client decodes a response by its
//     Content-Encoding whole. Every file
//     that has a copy says Vary: Accept-Encoding. Video, audio and images
//     are never compressed, and browsers ask for media ranges with
//     Accept-Encoding: identity.
//   - A page is served with the badge of the request's connection: a
//     range is cut from the page that connection gets, and the ETag is a
//     hash of those bytes, so an If-Range or If-None-Match with the ETag
//     of a page with another badge (another certificate, a proxy) gets
//     the whole page with its own.
//   - The 404 page is sent whole with status 404, and a redirect is a
//     redirect, whatever the Range and conditions.
//
// A request with no Range and no condition, nearly every request, is
// answered as ServeContent answers it (200, Accept-Ranges,
// Content-Length, the body) without its parsing and allocations, and, as
// every response over HTTPS and HTTP/1.1, in one write (see "The
// production server"). Cache-Control is the file's on 206 and 304 too.
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
// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout, which end
// idle and stalled connections (Listen sets no TCP keep-alive probes, and
// on Linux accepts a connection once its first bytes arrive, or after a
// second of silence); on cancellation (SIGTERM, SIGINT in `site serve`)
// the server stops accepting and lets requests in flight finish for up to
// ShutdownTimeout. Besides the site: /healthz, also over HTTP, /tls/,
// /tls.json and /tls/feed.xml.
//
// /healthz answers 200 "ok" when the server has a certificate to serve,
// and 503 "no certificate" until then (text/plain, Cache-Control:
// no-store, whatever the Host), so that a load balancer sends readers to
// it only once its handshakes can succeed. Config.Ready says when: with
// ACME ((*certs.ACME).Ready), a certificate is available once one that
// has not expired is held for at least one of the configured names,
// obtained from the CA or loaded from the cache directory (another server
// sharing it may have obtained it), and stops being available if every
// certificate held expires. Certificate files are loaded before serving
// starts, and plain HTTP needs none: /healthz is always "ok" there.
// A load balancer that sends traffic only to healthy servers must still
// pass ACME validation requests (port 80's /.well-known/acme-challenge/
// and TLS-ALPN-01 handshakes on 443) to a server that has no certificate
// yet, or use a TCP check until the first certificate: else no server
// ever gets one. Servers sharing one cache directory answer each
// other's challenges, so once one is healthy the others follow.
//
// Without a certificate source the server serves the site over plain
// HTTP. Over HTTPS and HTTP/1.1, a file's response
// (headers and body, up to 64 KB) leaves in one write, whatever the number
// of TLS records it takes.
//
// # Many connections
//
// Every connection holds a file descriptor. Go raises a program's soft
// limit of open files (RLIMIT_NOFILE) to just below its hard limit when it
// starts; RaiseFileLimit, which `site serve` calls in production, raises
// it to the hard limit, and the hard limit to WantFileLimit (2^20) for a
// process allowed to (root with CAP_SYS_RESOURCE), and `site serve` warns
// when the limit in force is below MinFileLimit (16384): raise it with
// ulimit -n, or LimitNOFILE= in a systemd unit. A server out of
// descriptors stops accepting for a moment and logs "http: Accept error:
// accept tcp: accept4: too many open files; retrying in N" (once a
// minute, see below).
//
// The load test (TestTenThousandConnections) holds 10,000 connections at
// once over HTTP/1.1 with wrk, then 2,000 over HTTPS while 500 more never
// start their handshake: every request succeeds, the silent connections
// are accepted after a second and cut ReadHeaderTimeout later, and once
// every connection is closed no goroutine is left and the live heap is
// back to its level. The first burst leaves the Go runtime with what it
// keeps for reuse (a descriptor of about 500 bytes per goroutine it ran at
// once, about 5 MB after 10,000), which later bursts reuse. 10,000 HTTPS
// handshakes at once cost the client (wrk, with OpenSSL) more CPU than two
// shared cores give it within the server's handshake timeout, so the
// HTTPS part is smaller.
//
// # Misdirected requests
//
// Over HTTPS, a request whose Host the certificate of its connection does
// not cover gets 421 Misdirected Request with a one-line text body, before
// anything else is served; a client retries it on a new connection, whose
// handshake picks the right certificate (browsers that reuse one HTTP/2
// connection for several names rely on this). The Host is compared
// without its port, without the brackets of an IPv6 literal and without a
// trailing dot, in any case, with x509's VerifyHostname on the leaf: DNS
// names and wildcards for a name, IP SANs for an address
// ("blog.example:443", "BLOG.EXAMPLE." are covered by a certificate for
// blog.example; "[2001:db8::1]" only by one with that IP SAN). /healthz
// is answered whatever the Host, since health checkers connect to an
// address. Plain HTTP is not checked (it has no certificate), nor is a
// connection whose certificate is not known. A proxy in front must pass
// the reader's Host on (nginx: proxy_set_header Host $host), or every
// request is misdirected; with ACME it must also send that name in its
// handshake (nginx: proxy_ssl_server_name on), or no certificate is chosen.
//
// # Proxies, CDNs and caches
//
// A reader behind a reverse proxy or CDN checked the proxy's certificate,
// which this server never sees. A request whose headers show that it came
// through a proxy gets the proxied badge ("this server's certificate is
// not the one your browser checked", badge.ProxiedBadge), and /tls/
// and /tls.json say "proxied" too, without this server's chain, over
// HTTPS and over plain HTTP alike (the reader may be on HTTPS to the
// proxy). These headers mark a proxy, each as its makers document it
// (proxy.go lists the sources):
//
//	Forwarded (RFC 7239), Via (RFC 9110), CDN-Loop (RFC 8586)
//	X-Forwarded-For, -Proto, -Host, -Port, -Server; X-Real-IP
//	CF-Connecting-IP, CF-Ray                Cloudflare
//	Fastly-Client-IP, Fastly-SSL            Fastly
//	True-Client-IP, Akamai-Origin-Hop       Akamai (True-Client-IP also
//	                                        Cloudflare Enterprise)
//	X-Amz-Cf-Id                             Amazon CloudFront
//	X-Azure-FDID, X-Azure-ClientIP          Azure Front Door
//	Fly-Client-IP                           Fly.io
//	X-Vercel-Id                             Vercel
//
// A header counts when present, whatever its value. X-Cloud-Trace-Context
// does not count: Google Cloud adds it without a proxy in between too, and
// clients send it for tracing. Readers who send these headers themselves
// only make their own badge more cautious.
//
// Config.TrustedProxies (`site serve --trusted-proxy CIDR`, repeatable)
// names proxies that present this server's own certificate to readers:
// TLS passthrough, or a load balancer given the same certificate. A
// request whose peer address (RemoteAddr, an IPv4-mapped IPv6 address
// taken as IPv4) is inside one of them gets the badge of its connection
// as if it had no proxy headers, except where the proxy's own statement of
// its client's protocol disagrees with the connection: the last value of
// X-Forwarded-Proto (else the proto of the last Forwarded element), the
// one that proxy added. "http" gives the not-encrypted badge (the reader
// reached the proxy over plain HTTP); "https" on a plain HTTP connection
// gives the proxied badge (the proxy encrypted with a certificate this
// server does not have). Proxy headers from any address outside the list
// are never trusted.
//
// Every response whose body carries a badge (pages, the 404 page, /tls/)
// is Cache-Control: private, no-cache, so no shared cache (a proxy, a CDN)
// keeps one reader's badge for another, and a browser revalidates before
// reuse; /tls.json is no-store. No Vary is needed: a page's ETag is a hash
// of the bytes served, badge included, so a browser that fetched a page
// directly and asks again through a proxy (or the other way round) sends
// an ETag that does not match and gets the page with the badge of its new
// path, never a 304 for the old one. A CDN told to cache pages in spite of
// private would still hand out nothing but the proxied badge, since every
// request it sends carries its headers.
//
// # The badge of each connection
//
// The badge slot of every page (see package badge for what a badge says in
// each state) is filled from the certificate captured in the handshake of
// the connection the request came on; capture.go says how. Each
// certificate's badge is made once (see below for when it is made again),
// and each page with that badge is assembled once and kept (with its gzip
// copy), so a request costs what a static file costs: no template runs and
// nothing is looked up again per request. A new certificate (a renewal,
// another issuer, the RSA certificate for an old client) shows on the next
// connection that uses it; a connection keeps the badge of its own
// certificate. A resumed TLS session shows the certificate of the session,
// whose fingerprint the server keeps in the session ticket.
//
// /tls/ is the theme's "tls" page (Config.TLSPage, render.Stats.TLSPage)
// with the badge of the connection in its slot: the chain as sent (subject,
// SANs, issuer, validity, serial, SHA-256 fingerprint and key type of every
// certificate), every verified path to a trusted root, the Certificate
// Transparency logs that recorded the certificate, what the CAA records of
// its names say (see "Certificate Transparency and CAA"), and the history
// of every certificate the server has served; /tls.json has the same data
// (state, issuer, anchor, chain, trust, scts, sct_summary, caa, history),
// where "issuer" names the CA only when a verified path vouches for it
// (verified, private-ca) and, in every other state, "issuer_claimed" is
// instead the name the leaf gives its issuer. Both are made once per
// certificate and again only when the site or the history changes, or the
// certificate's CAA check finishes. Without Config.TLSPage, /tls/ is the
// site's 404.
//
// Each certificate is verified when a handshake first uses it
// (tlsinfo.Verify against Config.PublicRoots, the system's roots by
// default, and Config.PrivateRoots, `--ca-root`), and its badge made from
// what that established; the server logs it with its trust state and
// anchor, warns when it is not publicly trusted (with the reason), and
// adds it to the history with what changed since the certificate before
// it (a changed issuer, root or key type is logged as a warning). The
// verdict holds until the first expiry still to come along the chain sent
// and the preferred verified path, or until a certificate sent that is not
// yet valid becomes valid: the first handshake, resumed session or
// request on a connection opened before (which compares the time with
// that instant) after it verifies the certificate again and gets a new
// badge (an
// expired certificate says "expired" from then on), the change of state is
// logged as a warning, and the history keeps its one record of the
// certificate. The server keeps what it made of at most 256 certificates:
// past that, it forgets those that have expired, then those used least
// recently (a session resumed with a forgotten certificate makes a full
// handshake). Server.ServedChains returns, for each set of names, the
// chain a handshake used last; `site serve` checks those chains again
// every day and warns of one that expires within 14 days.
//
// /tls/feed.xml is the history as Atom (tlsinfo.HistoryFeed;
// application/atom+xml, Cache-Control: no-cache), its links on the scheme
// and Host of the request, kept for each of the last 8 origins asked for
// and made again only when the history or the site changes; /tls/ links to
// it. With Config.ExpectIssuer (`--expect-issuer ORG`), a certificate that
// tlsinfo.CheckExpectedIssuer finds issued by another CA, or whose chain
// does not verify, is logged once and shown on /tls/ as <p
// class="tls-alert" role="alert"> (and in /tls.json as "alert") on the
// connections that use it; it is still served.
//
// # The error log under attack
//
// The errors of the HTTP servers (failed and timed-out handshakes, a
// handshake for a name the server has no certificate for, accept errors
// such as running out of file descriptors, panics) can all be caused by
// clients, so the log cannot be grown by them: each message is
// normalised into the key of its kind of error, without the client's
// address (and without the pair of addresses of a connection's errors,
// "read tcp: i/o timeout"), with quoted text (server names, paths, header
// values) replaced by "…", lists by "[…]" and numbers and durations by N,
// and cut at 300 bytes. The first error of a kind is logged at once, as
// its key (a panic's stack follows in "detail", addresses removed); those
// that follow within a minute are counted, and logged as one line a
// minute after the first, "http server" err="KEY (N more in the last
// minute)", and so on each minute while the error recurs: at most one
// line per kind of error per minute. A kind quiet for a minute is
// forgotten. At most 256 kinds are told apart at once; errors of any
// other kind are counted together under "errors of other kinds (too many
// kinds to tell apart)". When Serve returns, the counts not yet logged
// are.
//
// # Certificate Transparency and CAA
//
// When a certificate is first served, the signed certificate timestamps
// embedded in its leaf (RFC 6962 §3.3) are checked (tlsinfo.CheckSCTs)
// against Config.CTLogList (`site serve --ct-log-list FILE`, the v3 JSON
// log list browsers use), with the second certificate sent as the
// leaf's issuer when it did sign the leaf (else the SCTs are unchecked).
// The badge's screen-reader text (its visually hidden span; the visible
// text does not change) is one sentence of what was found
// (badge.CTSentence): "Recorded by 2 Certificate Transparency logs:
// Google 'Argon2026h1' on 2026-01-02 and Let's Encrypt 'Oak2026h1' on
// 2026-01-02; both signatures verified.", "…; not verified: no log list."
// without a list, "…one signature does not verify." when one does not,
// and "No Certificate Transparency log records are embedded in this
// certificate." for a certificate without SCTs (Pebble's, a self-signed
// one). /tls/ has the same sentence and a table of the SCTs (log,
// operator, recorded at, status) in a keyboard-reachable scroll region;
// /tls.json has "scts" (tlsinfo.SCTCheck each: log_id, log, operator,
// log_state, timestamp, status valid, invalid, unknown-log or unchecked,
// error) and "sct_summary", the sentence. An SCT list that cannot be
// parsed is logged once and shown ("sct_error").
//
// With Config.CAA, the CAA records (RFC 8659) of every DNS name of a
// certificate are looked up when it is first served: in a goroutine of
// their own, never in a handshake or a request, within a minute for all the
// names, from CAAConfig.Resolver (`--caa-resolver HOST:PORT`; default the
// system's resolver). Each name's relevant record set is checked
// (tlsinfo.CheckCAA) against the CA's CAA identities (CAAConfig.Identities:
// with ACME the CA directory's, else, or when it lists none, the table of
// public CAs for the organisation of the leaf's issuer,
// tlsinfo.CAAIdentities) and this server's ACME account
// (CAAConfig.AccountURI, RFC 8657 accounturi). Until the lookups are done,
// /tls/ says it is checking and /tls.json has "caa": {"state": "checking"};
// then both are made again with, for each name, the verdict, the records
// and the name they were found at ("state": "checked", "names": [{"domain",
// "check": tlsinfo.CAACheck with "status" none, allowed, not-allowed,
// other-account or unknown-ca}]). A lookup that fails (SERVFAIL, a timeout)
// is shown as "could not be checked: …" (the name's "error"), never as
// allowed, and tried again: the names that failed, and the account when it
// could not be had (no ACME account yet, the CA unreachable), after a
// minute, then after twice as long each time up to six hours, until they
// succeed or the server stops; all names are checked again when the account
// becomes known. A name whose records do not allow the CA ("not-allowed")
// or allow it only for another ACME account ("other-account"), or could not
// be checked, is logged as a warning once per certificate and name (a
// failure when it first fails, not at each retry); a renewal is a new
// certificate and is checked again. The checks stop when Serve shuts down,
// before it returns. Without Config.CAA nothing is looked up and /tls/ says
// "CAA records not checked" ("state": "not-checked"). `site serve` in
// production always checks CAA: with --acme, against the CA directory's
// identities and the account's URI; with --tls-cert, against the table.
//
// # The preview
//
// Preview (`site serve` without a certificate) builds the site in memory
// and serves it over plain HTTP, with the production server's headers but
// HSTS, and the Content-Security-Policy of the site's last site.toml. Its
// pages are render's output with the badge slot saying "Not encrypted:
// local preview over plain HTTP" (badge.PreviewBadge) and one script tag
// before </body>, <script src="/_site/reload.js" data-key="K" defer>, K
// naming the version of the page; /_site/ also serves preview.css (the
// error overlay), both answered as the site's files are (no-cache), and
// events. A site with a base URL's path is served
// under it (see Files). Nothing but fingerprinted assets may be cached without
// revalidation. Aliases and other redirect pages are answered 301, as by
// the production server, each build with its own targets.
//
// A Watcher follows every input of the site, directories created later
// too (on Linux, a directory renamed is watched anew under its new name,
// so that its files' events never name it by the old one), and delivers
// the events of one save as one Batch once the site has been still for
// DefaultQuiet. Names starting with "." or ending in "~"
// (editor and system files) are left out, except under static/, where
// only "~" and .DS_Store are. A path under content/ or static/ that came
// and went since the site was last loaded is left out of the batch too
// (render.Pipeline.Transient says which: not there now, found by no
// load, read by no expander): vim's 4913, written and removed to test
// the directory, or the temporary file sed -i renames over a post. So a
// save of one post by such an editor is built in place, as a save in
// place is, and a batch left with nothing builds nothing. A file,
// directory or link the last load found is never left out, whether the
// site used it or not. Each build prints a line of what changed and what
// it made: a path is "edited", "created", "removed", "renamed",
// "touched" (its mode), or "replaced" when a new file took the place of
// one: one of the batch's removed or renamed paths (vim's write of a new
// file after it renamed the old one), or under content/ or static/ one
// that the last load found (sed -i's rename over a post). The inputs,
// and what a change of each does besides rebuilding:
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
//	i18n/        a new render.Renderer: the site's messages (package themes)
//	_includes/   nothing more: Jekyll's includes are read by every build
//	_data/       nothing more: Jekyll's data files are read by every build
//
// The site is read as a build reads it (content.DirFS): a symbolic link
// out of the site directory, a link cycle or a FIFO is a build error
// naming it, shown as any other. An input tree that is itself a link
// (content/ → elsewhere) is watched where it leads only when that is
// inside the site, or with PreviewOptions.Site.FollowSymlinks (site serve
// --follow-symlinks). The Watcher follows no other link: a change in a
// directory linked from within a tree (content/notes → ../notes) starts
// no rebuild; a file of static/ so changed is read by the next rebuild,
// one of content/ only after a restart.
//
// Bodies are kept in one BodyCache across renderers. A page whose body an
// expander changed (Hugo shortcodes, Liquid, the Go blog's templates) is
// expanded again by every build, and its body rendered again when the
// expansion changed, so an edited shortcode, include or data file shows
// on the pages that use it. Every build is render.Pipeline.BuildMemShown (the
// same pipeline as `site build`, into memory), told first which files
// changed (Pipeline.Changed), so that a save of a post's text, or of its
// front matter, makes again only the files that show it (see render's
// "The pipeline" for what a save still costs in proportion to the site);
// its render.Report lists the output files
// added, changed and removed since the last good build, and that report
// alone decides what the preview does: only the pages it names get the
// preview's badge and script again and a new key, Files
// (SetSiteChanges) makes new entries for those files only and keeps the
// others' (ETag, gzip), and the files served and their keys, like render's
// MemOutput, are versions that share the last one's maps but for the
// entries changed (internal/layered), so that requests in flight keep
// the version they started with and a rebuild after a save does not copy
// every file's entry; a stylesheet swap is found from the report's
// Assets, and a page gone is followed through the reports' sources: the
// last report's Page finds the post a file was made from (a post moved by
// a change of its front matter, which the pipeline makes in place, too),
// and the new report's Site where it went. The production server builds
// once with the same pipeline.
//
// A save built in place is shown in two steps
// (render.Pipeline.BuildMemShown): the saved pages' own files (of a
// post's front matter, with its aliases and its neighbours' pages) are
// made first, served, and the pages open on them told, as a build of
// their own; then the files that show or list them are made (the index
// and the tags' lists, where a post that takes a tag moves every page of
// the list on by one, the feeds, the search index, the archive when a
// post's title, date or reading time changed, the sitemap) and served
// as the next. A writer looking at the post
// so waits for its page only (BuildResult.Shown, "the page shown in …"
// on the build's line), and little of the work that grows with the site
// (render's "The pipeline" says what). If the second step fails, its
// error shows over the pages, the saved pages stay served as made, and
// the next build is compared with what was served.
//
// What a save keeps of the last full build (the search index's per-post
// state, the archive's year sections, the sitemap's parts, which pages
// looked up which file, the loader's index of the site's files) is made
// after the build in the background (render.Pipeline.PrepareRebuild),
// once its pages are served and its line printed ("built N posts…"), so
// that the first save after `site serve` starts, or after any full
// build, costs what the later ones do. Requests are served meanwhile; a
// save that comes before it is done waits for it (every build waits, the
// pipeline being used by one at a time), and so does Close.
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
