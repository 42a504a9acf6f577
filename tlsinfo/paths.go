package tlsinfo

// The paths at which a production server describes the connection and
// its certificates (package badge links to them).
const (
	PagePath = "/tls/"         // the certificate of the connection and the history
	JSONPath = "/tls.json"     // the same, for programs
	FeedPath = "/tls/feed.xml" // the history, as Atom
)
