package tlsinfo

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// FeedOptions describe the site a certificate feed (HistoryFeed) belongs
// to.
type FeedOptions struct {
	// BaseURL is the site's origin, such as "https://blog.example.com"
	// (a path is kept, a trailing slash dropped): the feed's id, its links
	// and its entries' links are made from it. Required.
	BaseURL string
	// SiteTitle names the site in the feed's title ("Certificates of
	// SiteTitle") and as its author. Default: BaseURL's host.
	SiteTitle string
	// Now is the feed's updated time when there are no records. Default
	// time.Now(). With records, the feed was last updated when the newest
	// was first served.
	Now time.Time
}

// The Atom document (RFC 4287).
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID       string      `xml:"id"`
	Title    atomText    `xml:"title"`
	Subtitle atomText    `xml:"subtitle"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     atomText   `xml:"title"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Links     []atomLink `xml:"link"`
	Content   atomText   `xml:"content"`
}

// HistoryFeed returns the Atom feed (RFC 4287) of a certificate history,
// served at FeedPath: one entry per certificate, the most recently first
// served first. An entry's id is "urn:sha256:" and the leaf's fingerprint
// in lower-case hex, so it never changes; its title says who issued the
// certificate and under which trust anchor, led by its Changes ("Issuer
// changed, root changed: issued by …"); its published and updated times
// are when it was first served; its link goes to the certificate's row on
// the /tls/ page (Record.PageID); its content, in plain text, gives the
// names, trust, validity, key type, fingerprint and changes.
func HistoryFeed(records []Record, opts FeedOptions) ([]byte, error) {
	base, err := url.Parse(opts.BaseURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("certificate feed: base URL %q is not an absolute http(s) URL", opts.BaseURL)
	}
	origin := strings.TrimSuffix(base.String(), "/")
	site := opts.SiteTitle
	if site == "" {
		site = base.Host
	}
	rs := append([]Record(nil), records...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].FirstServed.After(rs[j].FirstServed) })
	updated := opts.Now
	if updated.IsZero() {
		updated = time.Now()
	}
	if len(rs) > 0 {
		updated = rs[0].FirstServed
	}
	f := atomFeed{
		ID:       origin + FeedPath,
		Title:    atomText{Type: "text", Text: "Certificates of " + site},
		Subtitle: atomText{Type: "text", Text: "Every certificate " + site + " has served, with who issued it and what changed."},
		Updated:  atomTime(updated),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: origin + FeedPath},
			{Rel: "alternate", Type: "text/html", Href: origin + PagePath},
		},
		Author: atomPerson{Name: site},
	}
	for _, r := range rs {
		served := atomTime(r.FirstServed)
		f.Entries = append(f.Entries, atomEntry{
			ID:        "urn:sha256:" + r.hexSHA256(),
			Title:     atomText{Type: "text", Text: FeedTitle(r)},
			Published: served,
			Updated:   served,
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: origin + PagePath + "#" + r.PageID()}},
			Content:   atomText{Type: "text", Text: feedContent(r)},
		})
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("certificate feed: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// FeedTitle is the title of a record's feed entry: its changes, or "New
// certificate", then who issued it: "Issuer changed: issued by Let's
// Encrypt R10, under ISRG Root X1, US".
func FeedTitle(r Record) string {
	lead := "New certificate"
	if len(r.Changes) > 0 {
		kinds := make([]string, len(r.Changes))
		for i, c := range r.Changes {
			kinds[i] = string(c.Kind)
		}
		lead = strings.Join(kinds, ", ")
		lead = strings.ToUpper(lead[:1]) + lead[1:]
	}
	return lead + ": " + r.issuedBy()
}

// issuedBy says who vouches for the certificate, as far as its record
// knows.
func (r Record) issuedBy() string {
	state := r.TrustState
	if state == "" {
		state = r.State // recorded before chains were verified
	}
	switch state {
	case SelfSigned:
		return "self-signed, no certificate authority vouches for it"
	case Verified:
		return "issued by " + r.Issuer + r.under()
	case PrivateCA:
		return "issued by " + r.Issuer + r.under() + " (a private root)"
	case Unverified:
		return "issued by " + r.Issuer + " (unverified claim)"
	case BrokenChain:
		return "issued by " + r.Issuer + " (unverified claim: broken chain)"
	case Expired:
		return "issued by " + r.Issuer + " (expired)"
	}
	return "issued by " + r.Issuer // Issued: not verified when recorded
}

func (r Record) under() string {
	if r.Anchor == "" {
		return ""
	}
	return ", under " + r.AnchorLabel()
}

// trustText says what verifying the chain established, for the feed.
func (r Record) trustText() string {
	switch r.TrustState {
	case "":
		return "not recorded (the certificate was served before chains were verified)"
	case Verified:
		return "verified against the roots browsers trust, up to " + r.AnchorLabel()
	case PrivateCA:
		return "verified only against a root this server's operator trusts, " + r.AnchorLabel() + "; browsers do not trust it"
	case Unverified:
		return "unverified: no path leads to a trusted root, and the issuer's name is only what the certificate claims"
	case BrokenChain:
		return "broken chain: the certificates sent do not link up"
	case SelfSigned:
		return "self-signed: signed by its own key"
	case Expired:
		return "expired, or a certificate of its chain was"
	}
	return string(r.TrustState)
}

func feedContent(r Record) string {
	var b strings.Builder
	line := func(k, v string) { b.WriteString(k + ": " + v + "\n") }
	names := r.Subject
	if len(r.SANs) > 0 {
		names = strings.Join(r.SANs, ", ")
	}
	line("Names", names)
	if r.State != SelfSigned {
		issuer := r.Issuer
		if r.IssuerOrganization != "" && r.IssuerOrganization != r.Issuer {
			issuer += " (organisation: " + r.IssuerOrganization + ")"
		}
		line("Issued by", issuer)
	}
	line("Trust", r.trustText())
	line("Valid", "from "+atomTime(r.NotBefore)+" until "+atomTime(r.NotAfter))
	line("Key", r.KeyType)
	line("SHA-256", r.SHA256)
	line("Serial number", r.Serial)
	line("First served", atomTime(r.FirstServed))
	if len(r.Changes) == 0 {
		line("Changes", "none")
	} else {
		cs := make([]string, len(r.Changes))
		for i, c := range r.Changes {
			cs[i] = c.String()
		}
		line("Changes", strings.Join(cs, "; "))
	}
	return strings.TrimSuffix(b.String(), "\n")
}
