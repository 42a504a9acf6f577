// Package tlsinfo describes TLS certificate chains the way a reader of the
// site sees them, and obtains certificates over ACME. It knows certificates
// and ACME; it knows nothing of posts or templates.
//
// # The issuer badge
//
// Every HTML page of a site carries one badge between the markers
// <!--tls-badge--> and <!--/tls-badge--> (BadgeStart, BadgeEnd). The badge
// answers one question: who vouches for the connection that delivered this
// very page? Its data-state attribute says which answer it gives, and the
// theme styles each state:
//
//	issued       the connection was served with a certificate issued by a
//	             certificate authority. The badge names the issuing CA, the
//	             organisation and common name of the leaf's issuer (for
//	             example "Let's Encrypt R11", or the common name alone when
//	             it already contains the organisation), and the top of the
//	             chain as sent: the common name of the issuer of the last
//	             certificate the server sends (for example "ISRG Root X1";
//	             usually a root, which servers do not send). The top is left
//	             out when it is the issuing CA itself (only the leaf is sent).
//	self-signed  the leaf certificate is signed by its own key: nobody
//	             vouches for it, and the badge says so.
//	http         the page came over plain HTTP: nothing is encrypted and
//	             there is no certificate to describe.
//	proxied      the page came through a reverse proxy or CDN (its request
//	             carried a proxy's headers): the reader's browser checked
//	             the proxy's certificate, which the server cannot see, and
//	             the badge says that this server's certificate is not the
//	             one the browser checked (ProxiedBadge; package serve says
//	             which headers count and which proxies are trusted).
//	build        the page was written by `site build` for another host. The
//	             certificate of the reader's connection is unknown at build
//	             time and the badge says exactly that (render.BuildBadge),
//	             unless `site build --issuer-from HOST` recorded the issuer
//	             HOST presented when the site was built: then the badge names
//	             that issuer and the date of the check, and its title says
//	             that the reader's connection may use another certificate.
//
// The badges Badge, HTTPBadge and ProxiedBadge make, which the production server
// serves, are links to /tls/ (PagePath), the page with the whole chain of
// the reader's connection and the history of every certificate the site
// has served, whose data is also at /tls.json (JSONPath). A build badge is
// not a link: a static host has neither page (nor has the preview). Badges of served certificates carry data-key (the leaf's key
// type, such as "ECDSA P-256") and data-sha256 (the leaf's SHA-256
// fingerprint, lower-case hex), so two certificates from one CA, such as the
// ECDSA and the RSA certificate of one name, give different badges.
//
// All text in a badge is HTML-escaped; certificate names come from whoever
// made the certificate.
//
// # Truth per connection
//
// A server fills the badge from the certificate it chose in the handshake of
// the connection the request came on (see package serve), never from a
// second lookup. Describe and Badge are pure functions of the chain, so a
// server computes a badge once per certificate.
//
// # History
//
// History keeps every certificate a server has served, one record per leaf
// fingerprint with the time it was first served, in HistoryFile inside the
// certificate cache directory (mode 0600, directory 0700). A corrupt file
// is reported, moved aside to HistoryFile+".corrupt" and replaced; it never
// stops a server.
//
// # Probing
//
// Probe connects to any TLS server, describes the chain it presents, and
// says whether and why it is not trusted. Errors distinguish a refused
// connection, a timeout, a server that does not speak TLS and a failed
// handshake (ProbeError.Kind).
//
// # ACME
//
// NewACME sets up golang.org/x/crypto/acme/autocert for a fixed list of
// names: only those names get certificates (a handshake for any other name
// fails before any ACME order), TLS-ALPN-01 is answered in the handshake and
// HTTP-01 by HTTPHandler, and certificates, the account key and the history
// live in a cache directory of mode 0700 (DefaultCacheDir unless set).
// Errors from the CA are logged once per distinct error; autocert retries
// failed orders after a minute and failed renewals after half an hour to an
// hour, and ACME.Start keeps trying to obtain each name's first
// certificate with exponential backoff. A certificate that is held is
// served until it expires whatever the CA does. When the CA answers that
// the account does not exist (it was deactivated, or a test CA restarted),
// a fresh autocert manager registers the account key again.
package tlsinfo
