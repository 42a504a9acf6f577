package tlsinfo

import (
	"bytes"
	"encoding/hex"
	"html"
	"strings"
	"time"
)

// The markers around the badge in every HTML page (render.BuildBadge).
const (
	BadgeStart = "<!--tls-badge-->"
	BadgeEnd   = "<!--/tls-badge-->"
)

// The paths a server answers with the chain of the connection.
const (
	PagePath = "/tls/"
	JSONPath = "/tls.json"
)

// Badge returns the badge for a connection served with chain c: state
// issued or self-signed, linking to PagePath. It returns the markup that
// goes between the markers, not the markers.
func Badge(c *Chain) []byte {
	leaf := c.Leaf()
	fp := c.LeafSHA256()
	var b strings.Builder
	b.WriteString(`<a class="tls-badge" data-state="`)
	b.WriteString(string(c.State))
	b.WriteString(`" href="`)
	b.WriteString(PagePath)
	b.WriteString(`" data-key="`)
	b.WriteString(esc(leaf.KeyType))
	b.WriteString(`" data-sha256="`)
	b.WriteString(hex.EncodeToString(fp[:]))
	b.WriteString(`" title="`)
	if c.State == SelfSigned {
		b.WriteString(esc("This connection uses a self-signed " + leaf.KeyType + " certificate for " + names(leaf) +
			": no certificate authority vouches for it. Select for the certificate."))
		b.WriteString(`"><span class="tls-badge-label">Self-signed certificate</span> <span class="tls-badge-value">nobody vouches for this site</span></a>`)
		return []byte(b.String())
	}
	title := "This connection uses a " + leaf.KeyType + " certificate for " + names(leaf) + " issued by " + c.Issuer
	if c.Top != c.Issuer && c.Top != c.IssuerCommonName {
		title += ", chain sent up to " + c.Top
	}
	b.WriteString(esc(title + ". Select for the whole chain."))
	b.WriteString(`"><span class="tls-badge-label">Issued by</span> <span class="tls-badge-value">`)
	b.WriteString(esc(c.Issuer))
	b.WriteString(`</span>`)
	writeTop(&b, c)
	b.WriteString(`</a>`)
	return []byte(b.String())
}

// HTTPBadge is the badge of a page served over plain HTTP.
func HTTPBadge() []byte {
	return []byte(`<a class="tls-badge" data-state="http" href="` + PagePath + `" title="This page came over plain HTTP: it is not encrypted and no certificate vouches for it."><span class="tls-badge-label">Not encrypted</span> <span class="tls-badge-value">plain HTTP, no certificate</span></a>`)
}

// Proxied is the state of a page that came through a proxy or CDN: the
// reader's browser checked the proxy's certificate, which the server that
// made the page cannot see.
const Proxied State = "proxied"

// ProxiedBadge is the badge of a page that came through a proxy or CDN.
func ProxiedBadge() []byte {
	return []byte(`<a class="tls-badge" data-state="` + string(Proxied) + `" href="` + PagePath + `" title="This page came through a proxy or CDN: your browser checked the proxy's certificate, which this server cannot see. Select for what this server knows."><span class="tls-badge-label">Through a proxy</span> <span class="tls-badge-value">this server's certificate is not the one your browser checked</span></a>`)
}

// RecordedBadge is the badge `site build --issuer-from HOST` puts in pages
// for static hosting: state build, naming the issuer that host presented
// when checked (the date is written in UTC).
func RecordedBadge(c *Chain, host string, checked time.Time) []byte {
	day := checked.UTC().Format("2006-01-02")
	var b strings.Builder
	b.WriteString(`<span class="tls-badge" data-state="build" data-checked="`)
	b.WriteString(day)
	b.WriteString(`" title="`)
	what := "issued by " + c.Issuer
	if c.State == SelfSigned {
		what = "self-signed: no certificate authority vouched for it"
	}
	b.WriteString(esc("When this site was built on " + day + ", " + host + " presented a certificate " + what +
		". The certificate of your connection may differ."))
	b.WriteString(`"><span class="tls-badge-label">Issuer, checked `)
	b.WriteString(day)
	b.WriteString(`</span> <span class="tls-badge-value">`)
	if c.State == SelfSigned {
		b.WriteString(`self-signed, nobody vouches for it</span></span>`)
		return []byte(b.String())
	}
	b.WriteString(esc(c.Issuer))
	b.WriteString(`</span>`)
	writeTop(&b, c)
	b.WriteString(`</span>`)
	return []byte(b.String())
}

func writeTop(b *strings.Builder, c *Chain) {
	if c.Top == "" || c.Top == c.Issuer || c.Top == c.IssuerCommonName {
		return
	}
	b.WriteString(` <span class="tls-badge-top">under `)
	b.WriteString(esc(c.Top))
	b.WriteString(`</span>`)
}

// names lists the names a certificate is for: its DNS names, else its
// common name.
func names(c *Certificate) string {
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

func esc(s string) string { return html.EscapeString(s) }

// SplitBadge cuts an HTML page at its badge: prefix ends with BadgeStart,
// suffix starts with BadgeEnd, and the badge between them is dropped. ok is
// false when the page has no complete badge slot.
func SplitBadge(page []byte) (prefix, suffix []byte, ok bool) {
	i := bytes.Index(page, []byte(BadgeStart))
	if i < 0 {
		return nil, nil, false
	}
	i += len(BadgeStart)
	j := bytes.Index(page[i:], []byte(BadgeEnd))
	if j < 0 {
		return nil, nil, false
	}
	return page[:i], page[i+j:], true
}

// ReplaceBadge returns page with the markup between its badge markers
// replaced by badge, and whether the page had a badge slot.
func ReplaceBadge(page, badge []byte) ([]byte, bool) {
	prefix, suffix, ok := SplitBadge(page)
	if !ok {
		return page, false
	}
	out := make([]byte, 0, len(prefix)+len(badge)+len(suffix))
	out = append(append(append(out, prefix...), badge...), suffix...)
	return out, true
}

// Output is where a built site goes; render.Output has this method set.
type Output interface {
	WriteFile(name string, data []byte) error
}

// BadgeOutput passes a built site on to Next with the badge of every HTML
// page replaced by Badge, as `site build --issuer-from` does.
type BadgeOutput struct {
	Next  Output
	Badge []byte
}

// WriteFile implements render.Output.
func (o BadgeOutput) WriteFile(name string, data []byte) error {
	if strings.HasSuffix(name, ".html") {
		data, _ = ReplaceBadge(data, o.Badge)
	}
	return o.Next.WriteFile(name, data)
}
