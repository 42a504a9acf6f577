package badge

import (
	"encoding/hex"
	"html"
	"html/template"
	"strings"
	"time"

	"github.com/siteblog/site/tlsinfo"
)

// State is what a badge says about a connection; its value is the badge
// element's data-state. See the package documentation for each.
type State string

// The states of a badge. The first six come from verifying the served
// chain (tlsinfo.Verify).
const (
	Verified     State = State(tlsinfo.Verified)
	PrivateCA    State = State(tlsinfo.PrivateCA)
	Unverified   State = State(tlsinfo.Unverified)
	BrokenChain  State = State(tlsinfo.BrokenChain)
	SelfSigned   State = State(tlsinfo.SelfSigned)
	Expired      State = State(tlsinfo.Expired)
	Proxied      State = "proxied"
	NotEncrypted State = "not-encrypted"
	Recorded     State = "recorded"
)

// The markers around the badge slot of every HTML page.
const (
	Start = "<!--tls-badge-->"
	End   = "<!--/tls-badge-->"
)

// The paths of a production server that describe the connection.
const (
	PagePath = tlsinfo.PagePath
	JSONPath = tlsinfo.JSONPath
	FeedPath = tlsinfo.FeedPath
)

// Report is everything a server knows about one certificate it serves:
// the chain as sent, what verifying it established, and what the
// Certificate Transparency and CAA checks found. The badge and /tls/ are
// made from it.
type Report struct {
	Chain *tlsinfo.Chain `json:"chain"`
	Trust *tlsinfo.Trust `json:"trust"`
	// CT is one sentence for the badge's accessible text on the
	// Certificate Transparency logs that recorded the certificate
	// (CTSentence); empty when there is nothing to say.
	CT string `json:"-"`
	// SCTs are the signed certificate timestamps embedded in the leaf,
	// each checked against the server's CT log list (tlsinfo.CheckSCTs);
	// nil when none are embedded or they cannot be read.
	SCTs []tlsinfo.SCTCheck `json:"-"`
	// SCTError says why the leaf's embedded SCT list cannot be read; ""
	// when it can or there is none.
	SCTError string `json:"-"`
}

// Fingerprint returns the first 8 hex digits of the leaf's SHA-256, upper
// case, as certificate viewers show them.
func (r *Report) Fingerprint() string {
	fp := r.Chain.LeafSHA256()
	return strings.ToUpper(hex.EncodeToString(fp[:4]))
}

// statement is a badge's text: a label, the main value, and details, each
// shown in full (the bar wraps), plus text for screen readers only.
type statement struct {
	state  State
	href   bool // links to PagePath
	label  string
	value  string
	detail []string
	sr     string // read by screen readers after the visible text
	title  string
	attrs  [][2]string
}

// Served is the badge of a connection served with r's certificate.
func Served(r *Report) []byte { return served(r).html() }

// Text is the visible statement of Served's badge, in plain text:
// "Verified: Let's Encrypt R3 · under ISRG Root X1, US · SHA-256 1A2B3C4D".
func Text(r *Report) string { return served(r).text() }

func served(r *Report) statement {
	t, c := r.Trust, r.Chain
	leaf := c.Leaf()
	s := statement{state: State(t.State), href: true}
	fp := "SHA-256 " + r.Fingerprint()
	fpFull := r.Chain.LeafSHA256()
	s.attrs = [][2]string{{"data-key", leaf.KeyType}, {"data-sha256", hex.EncodeToString(fpFull[:])}}
	for_ := " for " + names(leaf)
	switch s.state {
	case Verified:
		s.label, s.value = "Verified", t.Issuer
		s.detail = []string{"under " + t.AnchorLabel(), fp}
		s.title = "Your connection uses an " + leaf.KeyType + " certificate" + for_ + " issued by " + t.Issuer +
			"; this server verified its chain up to " + t.AnchorLabel() + ", a root browsers trust."
	case PrivateCA:
		s.label, s.value = "Private CA", t.Anchor
		if t.Issuer != t.Anchor {
			s.value = t.Issuer + " under " + t.AnchorLabel()
		}
		s.detail = []string{t.Why, fp}
		s.title = "The certificate" + for_ + " verifies only with certificates this server's operator chose to trust; browsers do not trust it unless you installed them."
	case Unverified:
		s.label, s.value = "Unverified", "claims "+c.Issuer
		s.detail = []string{t.Why, fp}
		s.title = "The certificate" + for_ + " names " + c.Issuer + " as its issuer, but it does not verify (" + t.Reason + "): the name is only a claim."
	case BrokenChain:
		s.label, s.value = "Broken chain", "claims "+c.Issuer
		s.detail = []string{t.Why, fp}
		s.title = "The certificates this server sends do not form a chain: " + t.Reason + "."
	case SelfSigned:
		s.label, s.value = "Self-signed", t.Why
		s.detail = []string{fp}
		if leaf.NotAfter.Before(t.Checked) {
			s.detail = []string{"ended " + day(leaf.NotAfter), fp}
		}
		s.title = "The certificate" + for_ + " is signed by its own key: no certificate authority vouches for it."
	case Expired:
		s.label, s.value = "Expired", t.Why
		if leaf.NotBefore.After(t.Checked) {
			s.label = "Not yet valid"
		}
		s.detail = []string{"claims " + c.Issuer, fp}
		s.title = "The certificate" + for_ + " is not valid now: " + t.Reason + "."
	}
	s.sr = r.CT
	return s
}

// ProxiedBadge is the badge of a request that came through a proxy or
// CDN this server does not trust to pass its certificate on.
func ProxiedBadge() []byte {
	return statement{state: Proxied, href: true, label: "Through a proxy",
		value: "this server's certificate is not the one your browser checked",
		title: "This page reached you through a proxy or CDN. Your browser checked the proxy's certificate, which this server cannot see: select the padlock in your address bar to see it."}.html()
}

// NotEncryptedBadge is the badge of a page served over plain HTTP.
func NotEncryptedBadge() []byte {
	return statement{state: NotEncrypted, href: true, label: "Not encrypted", value: "plain HTTP, no certificate",
		title: "This page came over plain HTTP: it is not encrypted and no certificate vouches for it."}.html()
}

// PreviewBadge is the badge of pages of `site serve`'s local preview.
func PreviewBadge() []byte {
	return statement{state: NotEncrypted, label: "Not encrypted", value: "local preview over plain HTTP",
		title: "This page came from site serve, a local preview over plain HTTP: it is not encrypted and no certificate vouches for it."}.html()
}

// Recording is what `site build --issuer-from HOST` found: the verified
// chain HOST presented when the site was built.
type Recording struct {
	Host    string
	Report  *Report
	Checked time.Time
}

// RecordedBadge is the badge `site build --issuer-from HOST` writes: the
// issuer, anchor, fingerprint and expiry of the certificate HOST
// presented when checked. Its data-sha256 and data-not-after let `site tls
// --check-badge` compare it with the live certificate.
func RecordedBadge(rec Recording) []byte {
	t, leaf := rec.Report.Trust, rec.Report.Chain.Leaf()
	fpFull := rec.Report.Chain.LeafSHA256()
	s := statement{state: Recorded, label: "Checked " + day(rec.Checked), value: t.Issuer,
		detail: []string{"under " + t.AnchorLabel(), "SHA-256 " + rec.Report.Fingerprint()},
		attrs: [][2]string{
			{"data-checked", day(rec.Checked)}, {"data-host", rec.Host},
			{"data-sha256", hex.EncodeToString(fpFull[:])}, {"data-not-after", leaf.NotAfter.UTC().Format(time.RFC3339)},
			{"data-key", leaf.KeyType},
		},
		sr: "This is the certificate " + rec.Host + " presented when the site was built; it expires on " + day(leaf.NotAfter) +
			". Your connection may use another: compare the fingerprint with your browser's certificate viewer.",
	}
	s.title = "When this site was built on " + day(rec.Checked) + ", " + rec.Host + " presented an " + leaf.KeyType +
		" certificate issued by " + t.Issuer + ", verified up to " + t.AnchorLabel() + ", valid until " + day(leaf.NotAfter) +
		". The certificate of your connection may differ."
	return s.html()
}

// StaticNote is the slot of pages written by `site build` without
// --issuer-from: no badge bar (nothing known about the reader's
// connection is worth a badge), a footer line saying how to check.
const StaticNote = `<p class="tls-note">Who vouches for this site? Your browser shows it: select the padlock or site information icon next to the address.</p>`

// Slot returns markup between the markers, as templates place it.
func Slot(markup []byte) template.HTML {
	return template.HTML(Start + string(markup) + End)
}

// StaticSlot is the badge slot of pages written by `site build`.
var StaticSlot = Slot([]byte(StaticNote))

func (s statement) text() string {
	return s.label + ": " + strings.Join(append([]string{s.value}, s.detail...), " · ")
}

func (s statement) html() []byte {
	var b strings.Builder
	b.WriteString(`<div class="badge-bar">`)
	if s.href {
		b.WriteString(`<a class="tls-badge" href="` + PagePath + `"`)
	} else {
		b.WriteString(`<span class="tls-badge"`)
	}
	b.WriteString(` data-state="` + string(s.state) + `"`)
	for _, a := range s.attrs {
		b.WriteString(" " + a[0] + `="` + esc(a[1]) + `"`)
	}
	if s.title != "" {
		b.WriteString(` title="` + esc(s.title) + `"`)
	}
	// The separators are text, not CSS, so that copying the badge and
	// reading it aloud keep them; a no-break space keeps each detail
	// whole when the bar wraps.
	b.WriteString(`><span class="tls-badge-label">` + esc(s.label) + `:</span> <span class="tls-badge-value">` + esc(s.value) + `</span>`)
	for _, d := range s.detail {
		b.WriteString(` <span class="tls-badge-detail">·` + "\u00a0" + esc(d) + `</span>`)
	}
	if s.sr != "" {
		b.WriteString(` <span class="visually-hidden">` + esc(s.sr) + `</span>`)
	}
	if s.href {
		b.WriteString(`</a>`)
	} else {
		b.WriteString(`</span>`)
	}
	b.WriteString(`</div>`)
	return []byte(b.String())
}

// names lists the names a certificate is for: its DNS names and IP
// addresses, else its common name.
func names(c *tlsinfo.Certificate) string {
	var ns []string
	for _, s := range c.SANs {
		if n, ok := strings.CutPrefix(s, "DNS:"); ok {
			ns = append(ns, n)
		} else if n, ok := strings.CutPrefix(s, "IP:"); ok {
			ns = append(ns, n)
		}
	}
	if len(ns) == 0 {
		if c.CommonName != "" {
			return c.CommonName
		}
		return "no name"
	}
	return strings.Join(ns, ", ")
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

func esc(s string) string { return html.EscapeString(s) }

// PageData is what the theme's "tls" page shows about a reader's
// connection (render.PageData.TLS).
type PageData struct {
	// State is the badge's state for the connection.
	State State
	// Badge is the badge's markup, as in the page's badge slot.
	Badge template.HTML
	// Report describes the certificate; nil when the page came over plain
	// HTTP or through a proxy.
	Report *Report
	// History lists every certificate the server has served, most
	// recently first served first.
	History []tlsinfo.Record
	// Alerts are problems shown prominently: a mismatch with the issuer
	// the operator expects (--expect-issuer), and what is weak on a path
	// that verifies (tlsinfo.Trust.Warnings).
	Alerts []string
	// CAA is what the CAA records of the certificate's names say about
	// its CA; nil when Report is.
	CAA *CAA
	// JSONURL and FeedURL are the same data for programs, and the
	// certificate history as an Atom feed.
	JSONURL, FeedURL string
}
