// Package tlsinfo describes TLS certificate chains the way a reader of the
// site sees them, verifies them, and keeps the history of those served. It
// knows certificates; it knows nothing of posts or templates, nor where a
// server's certificates come from (that is package certs: ACME and
// certificate files).
//
// # Verifying
//
// Verify verifies a chain as a server sends it, leaf first, for server
// authentication and no particular name, and says what a reader may be
// told about it (Trust). It first tries the public roots (VerifyOptions
// .PublicRoots; default the system's) with only the certificates sent as
// intermediates, since that is all a browser is given. Then it adds what
// the server's operator trusts besides (PrivateRoots, `--ca-root`): its
// self-signed certificates as roots, the others as intermediates, so a
// file holding a cross-signed intermediate and its root builds that path.
// The states:
//
//	verified      a path of certificates sent reaches a public root.
//	              Trust.Issuer is the CA
//	              that issued the leaf on the preferred path (the
//	              shortest), Trust.Anchor its root, AnchorCountry the
//	              root's country; Trust.Paths lists every path found,
//	              saying which certificates were not sent.
//	private-ca    a path exists only with what PrivateRoots adds: a
//	              private root, or an intermediate the server does not
//	              send.
//	self-signed   the leaf is signed by its own key and no root is it.
//	expired       the leaf, or a certificate of the path, is out of date.
//	broken-chain  a certificate sent is not issued, or not signed, by the
//	              next one sent (Chain.Problems).
//	unverified    no path reaches any trusted root: the issuer's name is
//	              only what the leaf claims.
//
// Trust.Reason says why a chain is not verified, in a reader's words, and
// Trust.Why in a few (the badge's detail): "no path to a trusted root",
// "not a certificate for web servers" (extended key usage), "outside what
// its CA may vouch for" (name constraints), "signed with an algorithm no
// longer trusted", "ended 2026-11-01", "not valid until …". An expired
// self-signed certificate stays self-signed, its expiry in the reason;
// Trust.Warnings names what is weak on a path that verifies (an RSA key
// under 2048 bits, which Go accepts and browsers refuse);
// Trust.NotAfter is the earliest expiry on the preferred path. Describe
// says what was sent, Verify what it proves; both are pure functions of
// the chain (and the roots and the time), so a server verifies once per
// certificate.
//
// # History
//
// History keeps every certificate a server has served, one record per leaf
// fingerprint with the time it was first served, in HistoryFile inside the
// certificate cache directory (mode 0600, directory 0700). A corrupt file
// (not the JSON a History writes, or a record without its leaf's
// fingerprint as 32 hex bytes separated by colons) is reported, moved aside
// to HistoryFile+".corrupt" and replaced; it never stops a server.
//
// Servers sharing the cache directory (behind a load balancer, on one
// volume) share the history and lose none of each other's records: Add
// takes the history's lock (internal/dirlock: locks/tls_history.lock in
// the directory, taken over when its holder stopped refreshing it for a
// minute), reads the file again, adds to what it holds and saves it by
// rename. Add never waits for the lock, as the handshake that serves a
// new certificate calls it: when another holds it, the record is added in
// memory at once (Records shows it) and saved in the background once the
// lock is free, after reading the file again (a failed background save is
// retried, from 30 seconds to every 10 minutes, and returned by the next
// Add). Flush saves what is left, waiting for the lock; `site serve`
// calls it when it stops, waiting at most 10 seconds. A History adds the
// records of other servers to its own when it saves.
//
// A record (NewRecord) also keeps what verifying the chain established
// when the certificate was first served: the trust state, the issuing CA's
// name and organisation, and the trust anchor's name, country and
// fingerprint. Files written before chains were verified lack these
// fields and still read; their records say the trust was not recorded.
//
// Each record added gets its Changes, computed once and stored, against
// the certificate recorded last for any of the same names (SANs; the
// subject when there are none) with the same key type, else with any key
// type; certificates for other names do not count:
//
//	issuer changed    the issuing CA's display name differs
//	                  ("Let's Encrypt R3" to "Let's Encrypt R10")
//	root changed      the verified trust anchor differs: another name,
//	                  another certificate of the same name (by
//	                  fingerprint), or no verified anchor on one side;
//	                  compared only when both records were verified
//	key type changed  the names had not been served with this key type
//	                  before
//
// Comparing within a key type keeps a site that serves an ECDSA and an
// RSA certificate side by side from being flagged at every renewal: Let's
// Encrypt, for one, issues the two from different intermediates.
//
// # The certificate feed
//
// HistoryFeed makes the history an Atom feed (RFC 4287), served at
// FeedPath: feed id and self link FeedPath on the site's origin, title
// "Certificates of SITE", updated when the newest certificate was first
// served. Each certificate is an entry, the most recently first served
// first, with the id "urn:sha256:" and the leaf's fingerprint in
// lower-case hex (it never changes), published and updated when it was
// first served, a link to its row on the /tls/ page (Record.PageID), and
// a title that leads with its changes: "New certificate: issued by Let's
// Encrypt R3, under ISRG Root X1, US", or "Issuer changed: issued by …".
// Its plain-text content gives the names, the issuer, the trust, the
// validity, the key type, the fingerprint, the serial number and the
// changes, each spelled out.
//
// # The expected issuer
//
// CheckExpectedIssuer compares a verified chain with the CA a server's
// operator expects (`site serve --expect-issuer ORG`): ORG matches the
// issuing CA's organisation or display name, ignoring case. A chain that
// did not verify never matches, since its issuer's name is only a claim.
// The mismatch is a sentence for a reader ("expected a certificate issued
// by Let's Encrypt, but this one was issued by Pebble Intermediate CA
// 1a2b3c (unverified claim)"): an alert, not a pin; nothing is refused.
//
// # Probing
//
// Probe connects to any TLS server, describes the chain it presents, and
// says whether and why it is not trusted. Errors distinguish a refused
// connection, a timeout, a server that does not speak TLS and a failed
// handshake (ProbeError.Kind).
//
// # Certificate Transparency
//
// A publicly trusted certificate carries signed certificate timestamps
// (SCTs): each is a Certificate Transparency log's signed promise that it
// has recorded the certificate, made before the certificate was issued.
// ParseSCTs reads the SCT list embedded in a certificate (extension
// OIDSCTList, 1.3.6.1.4.1.11129.2.4.2, RFC 6962 §3.3): for each SCT the
// log ID (the SHA-256 hash of the log's key), the time the log recorded
// the certificate (UTC, to the millisecond) and the signature. A list that
// is truncated, has lengths that lie or bytes after its end is an error,
// and the whole list is rejected. An SCT of a version other than v1 is
// returned with only its version; the others are unaffected.
//
// CheckSCTs says, for each embedded SCT, which log recorded the
// certificate and when, and whether the log's signature verifies (status):
//
//	valid        the log is in the log list and its key verifies the
//	             signature over the certificate's precertificate entry.
//	invalid      the log is in the list but the signature does not verify:
//	             the SCT is not for this certificate (or not from this
//	             issuer), or is forged.
//	unknown-log  no log list was given, or the log is not in it: the log ID
//	             and the time are shown, unverified.
//	unchecked    the signature cannot be checked: the issuer's certificate
//	             is not known, the SCT is not v1, or the log's key is
//	             neither ECDSA nor RSA.
//
// A certificate without the extension has no SCTs ("none embedded"):
// CheckSCTs returns nil. Like Describe, CheckSCTs is a pure function of
// the certificates and the list, so a server checks once per certificate.
// The signature covers the precertificate entry
// of RFC 6962 §3.2: the SHA-256 hash of the issuer's SubjectPublicKeyInfo
// and the leaf's TBSCertificate without the SCT list extension, every
// other field and extension kept byte for byte. Only ECDSA and RSA
// PKCS#1 v1.5 signatures with SHA-256 count, as RFC 6962 requires.
//
// Log lists are read from the v3 JSON format browsers use
// (https://www.gstatic.com/ct/log_list/v3/log_list.json): ParseLogList and
// ReadLogList take each operator's logs and tiled_logs with their
// description, key, URL, maximum merge delay, state (pending, qualified,
// usable, readonly, retired, rejected, and since when) and temporal
// interval. A log whose log_id is not the SHA-256 hash of its key, a key
// that does not parse, a log listed twice and a list with no logs are
// errors. A log's state is reported, not judged: an SCT from a retired
// log whose signature verifies is valid.
//
// # CAA
//
// A domain's CAA records (RFC 8659) say which CAs may issue certificates
// for it. LookupCAA finds the relevant record set of a certificate name:
// it asks for the CAA records (type 257) of the name, then of each parent
// in turn (blog.example.com, example.com, com; never the root), and the
// first non-empty set wins, reported with the name it was found at. A
// wildcard "*.example.com" is looked up as example.com. An alias (CNAME,
// at the apex too) is followed to the target's records, whether the
// resolver includes them in its answer or answers with the alias alone
// (the target is then asked); when the target has none, the walk goes on
// with the alias's parent, never the target's. A name that does not exist
// (NXDOMAIN) or has no CAA records continues the walk.
//
// The queries go to one resolver, CAAOptions.Resolver ("host:port"; by
// default the first nameserver of /etc/resolv.conf), over UDP with an
// EDNS(0) offer of 1232 bytes, and again over TCP when the answer is
// truncated; each exchange is bounded by CAAOptions.Timeout (5 s) and the
// whole lookup by its context. A UDP answer whose ID or question is not
// the query's is ignored. The resolver is trusted: DNSSEC is not checked.
// An answer of SERVFAIL (the error wraps ErrDNSServerFailure) or any other
// error code, no answer, or a malformed one is an error, never "no
// records": a CA must refuse to issue when it cannot learn the records.
//
// CheckCAA decides, from such a record set, whether a CA, known by the
// issuer domain names that stand for it in CAA records (its CAA
// identities, such as "letsencrypt.org"), may issue for the name, and
// with ACME, for which account. Its Status is one of:
//
//	none           no CAA records: any CA may issue.
//	allowed        an issue record names the CA (for a wildcard, an
//	               issuewild record when there is any), and its accounturi
//	               parameter (RFC 8657), if any, names the account
//	               checked; or no record restricts issuance (only iodef,
//	               or issuewild for a name that is not a wildcard). With no
//	               account given, a record restricted to one account
//	               allows the CA for that account, and the verdict says so.
//	not-allowed    the records name only other CAs, forbid all issuance
//	               (issue ";", an empty or malformed value), or carry a
//	               record with the critical flag (128) and a tag other
//	               than issue, issuewild, iodef and issuemail.
//	other-account  the records name the CA, but with an accounturi naming
//	               another ACME account.
//	unknown-ca     the records name some CAs, and the CA's identities are
//	               unknown.
//
// The check also reports the allowing record, whether an accounturi
// matched (AccountMatch), the accounts named, the validationmethods the
// allowing record restricts the CA to, and a verdict in a reader's words
// ("allowed: the CAA record issue "letsencrypt.org" at example.com names
// this CA"). iodef records never change the decision. Tags and issuer
// names match case-insensitively, account URIs exactly.
//
// An ACME CA states its CAA identities in its directory
// (meta.caaIdentities, RFC 8555 §7.1.1). For other certificates,
// CAAIdentities maps the issuer's organisation to the identities the
// largest public CAs document: Let's Encrypt letsencrypt.org; Google
// Trust Services pki.goog; DigiCert (and its brands GeoTrust, Thawte,
// RapidSSL, Symantec) digicert.com, symantec.com, geotrust.com,
// thawte.com, rapidssl.com; Sectigo, ZeroSSL and Comodo sectigo.com,
// comodoca.com; GlobalSign globalsign.com; Amazon amazon.com,
// amazontrust.com, awstrust.com, amazonaws.com; Buypass buypass.com;
// SSL.com (issuer "SSL Corporation") ssl.com; Entrust entrust.net;
// GoDaddy and Starfield godaddy.com, starfieldtech.com. Any other
// organisation gives nil: the CA's identity is unknown.
package tlsinfo
