// Package certs is where a production server's certificates come from:
// ACME, with golang.org/x/crypto/acme/autocert, or certificate files the
// operator brings (`site serve --tls-cert`). Both give a GetCertificate for
// the HTTPS listener's tls.Config. Describing and verifying the chains
// served is package tlsinfo's business; certs only obtains, stores and
// reloads them, and tells its caller of each new one.
//
// One file per concern: config.go (ACMEConfig and its defaults), acme.go
// (the autocert manager and the handshake), names.go (which names get a
// certificate), ca.go (the CA's answers and errors), account.go (the
// account and the CA's identities, for CAA), cache.go (the certificate
// cache), files.go (certificate files), check.go (what an operator must
// be told of a chain), pem.go (reading roots).
//
// # ACME
//
// NewACME sets up autocert for a fixed list of names (ACMEConfig.Domains).
// Only those names get certificates: GetCertificate decides before autocert
// is called, comparing the handshake's server name as autocert does (its
// IDNA lookup form: ASCII, lower case; without a trailing dot), so that a
// handshake without a server name or for any other name fails at once,
// without an ACME order and without a log line. TLS-ALPN-01 is answered in
// the handshake and HTTP-01 by HTTPHandler.
//
// Certificates, the account key and the certificate history live in a
// cache directory of mode 0700 (ACMEConfig.CacheDir; DefaultCacheDir
// unless set). A cache entry that does not parse (a corrupt certificate
// or account key) is reported as a *tlsinfo.CorruptError, moved aside to
// NAME.corrupt and treated as missing, so autocert makes a new one instead
// of failing every handshake.
//
// Errors from the CA are logged once per distinct error (again after six
// hours if they persist): the CA cannot be reached, or refuses a request
// (its problem document's type and detail; a bad nonce, which the client
// retries, is not logged). Failures to obtain a certificate for a
// configured name are logged the same way. autocert retries failed orders
// after a minute and failed renewals after half an hour to an hour, and
// ACME.Start keeps trying to obtain each name's first certificate with
// exponential backoff (2 seconds to 10 minutes). A certificate that is
// held is served until it expires whatever the CA does. When the CA
// answers that the account does not exist (it was deactivated, or a test
// CA restarted), a fresh autocert manager registers the account key again
// and renews every certificate held.
//
// Each certificate stored after an order (a first one or a renewal, ECDSA
// or RSA) is logged and passed to ACMEConfig.OnCertificate with its chain.
//
// ACME.Ready says whether a certificate is available: one that has not
// expired is held for at least one of the configured names, whether it
// was obtained from the CA or loaded from the cache (by Start, or by a
// handshake for that name), or renewed since. Until then it returns an
// error ("acme: no certificate yet for NAMES"); it never talks to the CA.
// `site serve` answers /healthz with 503 until then (package serve).
//
// # Several servers, one store
//
// Servers sharing one cache directory (a volume shared by servers behind
// a load balancer, each running `site serve --acme --cache DIR`) order
// once per name, not once per server. The cache is locked per entry with
// lock files in DIR/locks (internal/dirlock, as certmagic's file storage
// does): NAME.lock, created exclusively, holding its holder's process id,
// host and a timestamp the holder rewrites every 5 seconds.
//
//   - A certificate missing from the store (or expired): the first server
//     to miss it takes its lock, reads the store again, and orders it;
//     storing it releases the lock. The others' handshakes for the name
//     wait for the lock, then read the store again and serve the
//     certificate found there. They wait before asking autocert, which
//     looks the store up under one mutex for all names: autocert's own
//     lookups never wait for another server (one that finds the lock taken
//     meanwhile reports the entry as ordered elsewhere, and the handshake
//     waits again), so handshakes for every other name, in memory or in
//     the store, are answered meanwhile.
//   - A certificate due for renewal (its last third, at most its last 30
//     days: where autocert's renewal starts): a handshake never waits for
//     it; the first server to find it due takes its lock without waiting
//     and renews it, and the others serve the certificate they have. Their
//     renewal timers, which fire near the same time and hold no lock that
//     handshakes need, wait for the lock and then find the new certificate
//     in the store and serve it, so the certificate is renewed once.
//   - The ACME account key: made and stored by the first server; the
//     others' orders wait and use it (registering it again gives the same
//     account).
//   - Challenge answers (TLS-ALPN-01 certificates, HTTP-01 tokens) are
//     in the store too, so any server behind the balancer answers the
//     CA's validation of another's order.
//   - The certificate history (package tlsinfo) takes a lock of its own
//     and loses no server's records, without holding up a handshake.
//
// A lock whose timestamp is older than ACMEConfig.LockStale (one minute)
// was left by a server that died holding it (killed, its machine lost):
// whoever finds it stale takes it over, and logs it ("lock
// DIR/locks/NAME.lock: taken over from process 4711 on "web2" (not
// refreshed for 1m3s)"). A server that holds a lock
// releases it when the entry is stored, when the handshake that took it
// fails (so another server can try without waiting; only the lock that
// handshake took, not the other key type's, whose order may still run), and at
// the latest after 5 minutes for a missing entry (autocert's limit for an
// order) or 2 minutes for a renewal: an order outlasting these may be
// made twice. The machines sharing the store must agree on the time to
// well within the stale time, and the file system must create files
// exclusively (O_EXCL) and rename atomically: local disks and NFSv3 or
// later do. One server at a time takes a stale lock over (a guard file,
// NAME.lock.takeover, created exclusively, for the few operations of the
// takeover), and a holder that could not refresh its lock for longer than
// the stale time (its process stopped) gives it up rather than overwrite
// the file of whoever took it over.
//
// # CAA
//
// For checking a domain's CAA records (RFC 8659, RFC 8657), ACME tells
// the CA's CAA identities, from its directory's meta.caaIdentities
// (CAAIdentities; a directory may list none), and this server's account
// URI, the value of an accounturi parameter that names this server
// (AccountURI; ErrNoAccount before the account is registered).
//
// # Certificate files
//
// NewFiles loads a PEM certificate chain, leaf first, and the leaf's PEM
// private key (the two may be one file), and Files.GetCertificate serves
// them for every server name. The pair is loaded again:
//
//   - when the files change: fsnotify watches the directories of both
//     paths and of the files symbolic links lead to, so that a file
//     rewritten in place, a new file renamed over the old one, and a link
//     swapped (certbot's /etc/letsencrypt/live/NAME/ links into
//     ../../archive/NAME/, a Kubernetes secret's ..data directory link)
//     are all seen. The events of one change come in a burst: the pair is
//     loaded once the directories have been quiet for FilesConfig.Quiet
//     (DefaultQuiet, 250 ms), or 5 seconds after the first event of a
//     burst that does not stop.
//   - on Files.Reload, which `site serve` calls on SIGHUP. Reload is also
//     the way to follow a watched directory that is itself renamed or
//     replaced, which fsnotify cannot see from inside it.
//
// A reload that finds the same bytes changes nothing. A pair that does not
// load (a certificate half written, a key that does not match it yet, a
// file missing, a certificate of the chain that does not parse:
// "certificate file FILE: certificate N: …", counting from the leaf, 1) is
// logged and leaves the previous pair served, and makes NewFiles fail; the
// next event or Reload tries again. A new pair is served to new handshakes
// as soon as it is loaded; a connection keeps the certificate of its own
// handshake. Each pair loaded is logged and passed to FilesConfig.OnLoad.
//
// # Checks
//
// Check verifies a chain about to be served (tlsinfo.Verify) and says what
// its operator must hear: that it does not verify against the system's
// roots or the operator's own (tlsinfo.VerifyOptions.PrivateRoots), or
// that it expires within ExpiryWarning (14 days). `site serve` logs these
// at start, at each new certificate, and every day for the certificates
// being served.
package certs
