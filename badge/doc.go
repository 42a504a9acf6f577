// Package badge is the one home of the issuer badge: its states, its
// words, its markup, the slot every page keeps for it, and the splicing
// of a badge into a built page. Package tlsinfo establishes the facts
// (Describe, Verify); this package only says them, and says nothing it
// was not given.
//
// # The slot
//
// Every HTML page of a site has a slot between the markers
// <!--tls-badge--> and <!--/tls-badge--> (Start, End), placed by the
// theme's {{.Site.Badge}}. `site build` fills it with StaticSlot: no badge
// bar, only a footer line (StaticNote, in the site's language: package
// render's message tls_note) saying how to check the certificate in the
// browser, since the certificate of a reader's
// connection is not known when a site is built. A server fills the slot
// per connection without running a template: Cut splits a page once at
// its slot, and Page.With assembles it with any badge. A page with more
// than one slot (a post's raw HTML may hold the markers) is cut at its
// last, where the default theme's footer has it. Filled does the
// same for every page `site build --issuer-from` writes. Replace is the
// one-off form.
//
// # The badge
//
// A badge is a bar fixed to the bottom of the viewport (div.badge-bar)
// holding one element, .tls-badge, whose data-state says which answer it
// gives to one question: who vouches for the connection that delivered
// this very page? Its whole statement is visible text, wrapped rather
// than cut on narrow screens: a label, a value and details, the details
// separated by " · ". Text renders it in plain text. Every badge of a
// served certificate ends with "SHA-256 " and the first 8 hex digits of
// the leaf's SHA-256 fingerprint, upper case, so that a reader can compare
// it with the browser's certificate viewer, and carries data-key (the
// leaf's key type) and data-sha256 (the whole fingerprint, lower-case
// hex). The states, with the words each shows:
//
//	verified       "Verified: Let's Encrypt R3 · under ISRG Root X1, US ·
//	               SHA-256 1A2B3C4D". The served chain verified against
//	               the public roots (the system's); the value is the CA
//	               that issued the leaf (organisation and common name),
//	               the detail the trust anchor the preferred verified path
//	               reaches, with its country. Only this state is green.
//	private-ca     "Private CA: Home Lab Root · trusted by this server's
//	               operator, not by browsers · SHA-256 …". The chain
//	               verifies only with what --ca-root adds: a root, or an
//	               intermediate the server does not send.
//	unverified     "Unverified: claims Let's Encrypt R3 · no path to a
//	               trusted root · SHA-256 …". The chain does not verify:
//	               the issuer's name is only what the certificate says,
//	               and the badge says "claims". The detail says why in a
//	               few words (tlsinfo.Trust.Why): also "not a certificate
//	               for web servers", "outside what its CA may vouch for",
//	               "signed with an algorithm no longer trusted".
//	broken-chain   "Broken chain: claims … · the certificates sent do not
//	               link up · SHA-256 …". A certificate sent is not issued
//	               or not signed by the next one.
//	self-signed    "Self-signed: nobody vouches for this site · SHA-256 …"
//	               (with "ended DAY" before the fingerprint once expired).
//	expired        "Expired: ended 2026-11-01 · claims … · SHA-256 …". The
//	               leaf (or a certificate of the path) is out of date; a
//	               leaf not valid yet reads "Not yet valid: not valid
//	               until DAY".
//	proxied        "Through a proxy: this server's certificate is not the
//	               one your browser checked" (ProxiedBadge). The request
//	               came through a proxy or CDN, whose certificate the
//	               reader's browser checked and this server cannot see.
//	not-encrypted  "Not encrypted: plain HTTP, no certificate"
//	               (NotEncryptedBadge); the preview's says "local preview
//	               over plain HTTP" (PreviewBadge).
//	recorded       "Checked 2026-12-05: Let's Encrypt R3 · under ISRG Root
//	               X1, US · SHA-256 …" (RecordedBadge): written by `site
//	               build --issuer-from HOST`, the verified certificate HOST
//	               presented when the site was built. It carries data-host,
//	               data-checked, data-sha256 (64 lower-case hex digits)
//	               and data-not-after, which `site tls --check-badge DIR
//	               HOST` compares with the live certificate (ReadRecorded,
//	               which rejects a badge lacking one of them or with a
//	               malformed fingerprint; a data-host other than HOST is a
//	               warning); its screen-reader text says
//	               the reader's connection may use another certificate.
//
// Badges of a production server link to PagePath (/tls/), the theme's
// "tls" page (PageData): the chain of the connection, every verified path
// to a trusted root, the Certificate Transparency logs and CAA records,
// and the history of every certificate the site has served, with
// JSONPath (/tls.json) and FeedPath (/tls/feed.xml, Atom) for programs.
// The preview's and the recorded badge are not links: neither host has
// that page. A badge's title repeats its statement in a sentence for
// mouse users; nothing is only in the title. Report.CT, a sentence on the
// Certificate Transparency logs that recorded the certificate, is read by
// screen readers after the visible text (span.visually-hidden).
// CTSentence makes it from the embedded SCTs as tlsinfo.CheckSCTs checked
// them (Report.SCTs): "Recorded by 2 Certificate Transparency logs:
// Google 'Argon2026h1' on 2026-01-02 and Let's Encrypt 'Oak2026h1' on
// 2026-01-02; both signatures verified.", "…; not verified: no log
// list.", "…; one signature verified, one signature does not verify.", or
// "No Certificate Transparency log records are embedded in this
// certificate."; a log not in the list is named by the start of its ID
// ("log 6D7Q2j71…"). PageData.CAA is what the CAA records of the
// certificate's names say about its CA (CAA: not-checked, checking, or
// checked with one CAAName per name, whose Verdict is the
// tlsinfo.CAACheck's or "could not be checked: …", never "allowed").
//
// All text in a badge is HTML-escaped: certificate names come from
// whoever made the certificate.
//
// # Truth per connection
//
// A server fills the badge from the certificate it chose in the handshake
// of the connection the request came on (package serve), never from a
// second lookup. Served and Text are pure functions of a Report, so a
// server makes a badge once per certificate.
package badge
