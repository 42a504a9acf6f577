package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"time"

	"github.com/siteblog/site/tlsinfo"
)

// The /tls/ page shows the chain of the reader's connection and the
// certificates the site has served. It is the site's own 404 page with its
// <main> replaced, so it has the theme's header, footer, stylesheet and
// badge. It is made once per certificate, and again only when the site or
// the history changes.

// cachedPage is a made page and what it was made from.
type cachedPage struct {
	site, history uint64
	body          *body
}

// shell is a page of the site cut around the content of its <main>.
type shell struct {
	head, tail []byte // head ends inside <main …>, tail starts at </main>
	ok         bool
}

var (
	titleRE     = regexp.MustCompile(`(?s)<title>(.*?)</title>`)
	mainOpenRE  = regexp.MustCompile(`<main\b[^>]*>`)
	canonicalRE = regexp.MustCompile(`(?m)^<link rel="canonical"[^>]*>\n?|^<meta property="og:(?:url|title)"[^>]*>\n?`)
)

// newShell cuts the site's 404 page around its main content and retitles
// it; without a usable 404 page the /tls/ page is a bare document.
func newShell(page []byte) shell {
	open := mainOpenRE.FindIndex(page)
	if open == nil {
		return shell{}
	}
	closeAt := bytes.LastIndex(page, []byte("</main>"))
	if closeAt < open[1] {
		return shell{}
	}
	head := append([]byte(nil), page[:open[1]]...)
	if m := titleRE.FindSubmatchIndex(head); m != nil {
		site := head[m[2]:m[3]]
		if i := bytes.LastIndex(site, []byte(" · ")); i >= 0 {
			site = site[i+len(" · "):]
		}
		title := append([]byte("The certificate of this connection · "), site...)
		head = append(head[:m[2]:m[2]], append(title, head[m[3]:]...)...)
	}
	head = canonicalRE.ReplaceAll(head, nil)
	head = bytes.Replace(head, []byte(`class="kind-404"`), []byte(`class="kind-tls"`), 1)
	return shell{head: head, tail: append([]byte(nil), page[closeAt:]...), ok: true}
}

type tlsPageData struct {
	State   tlsinfo.State
	Chain   *tlsinfo.Chain
	History []tlsinfo.Record
	Now     time.Time
}

var tlsPageTmpl = template.Must(template.New("tls").Funcs(template.FuncMap{
	"date": func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") },
	"day":  func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"inc":  func(i int) int { return i + 1 },
}).Parse(`
<article class="page tls-page">
<header class="post-header">
<h1 class="post-title">The certificate of this connection</h1>
</header>
<div class="content">
{{- if eq .State "proxied"}}
<p class="lead">This page came through a <strong>proxy or CDN</strong>. Your browser checked the certificate of that proxy, which this server cannot see: this server's certificate is not the one your browser checked. To see who vouches for your connection, open your browser's certificate viewer.</p>
{{- else if eq .State "http"}}
<p class="lead">This page came over plain HTTP. Nothing on it is encrypted, and no certificate vouches for the site: anyone on the way could read or change it.</p>
{{- else if eq .State "self-signed"}}
<p class="lead">This connection is encrypted with a <strong>self-signed</strong> certificate: the site signed it with its own key, and no certificate authority vouches for it.</p>
{{- else}}
<p class="lead">This connection is encrypted with a certificate issued by <strong>{{.Chain.Issuer}}</strong>{{if and (ne .Chain.Top .Chain.Issuer) (ne .Chain.Top .Chain.IssuerCommonName)}}; the chain the server sends goes up to <strong>{{.Chain.Top}}</strong>{{end}}.</p>
{{- end}}
<p>The same data, for programs: <a href="/tls.json">/tls.json</a>.</p>
{{- with .Chain}}
<h2 id="chain">The chain as sent</h2>
{{- range .Problems}}
<p><strong>Problem:</strong> {{.}}</p>
{{- end}}
{{- range $i, $c := .Certificates}}
<h3 id="cert-{{inc $i}}">{{if eq $i 0}}Certificate of the site{{else}}Certificate {{inc $i}}{{end}}: {{or $c.CommonName $c.Subject}}</h3>
<dl class="tls-cert">
<dt>Subject</dt><dd>{{$c.Subject}}</dd>
{{- with $c.SANs}}
<dt>Names (SANs)</dt><dd>{{range $j, $n := .}}{{if $j}}, {{end}}{{$n}}{{end}}</dd>
{{- end}}
<dt>Issuer</dt><dd>{{$c.Issuer}}</dd>
<dt>Valid</dt><dd>from <time datetime="{{$c.NotBefore.Format "2006-01-02T15:04:05Z07:00"}}">{{date $c.NotBefore}}</time> until <time datetime="{{$c.NotAfter.Format "2006-01-02T15:04:05Z07:00"}}">{{date $c.NotAfter}}</time></dd>
<dt>Serial number</dt><dd><code>{{$c.Serial}}</code></dd>
<dt>SHA-256 fingerprint</dt><dd><code>{{$c.SHA256}}</code></dd>
<dt>Key</dt><dd>{{$c.KeyType}}{{if $c.CA}}, may issue certificates{{end}}{{if $c.SelfSigned}}, self-signed{{end}}</dd>
<dt>Signature</dt><dd>{{$c.SignatureAlgorithm}}</dd>
</dl>
{{- end}}
{{- end}}
<h2 id="history">Certificates this site has served</h2>
{{- if .History}}
<table>
<thead><tr><th>First served</th><th>Issuer</th><th>Key</th><th>Valid until</th><th>SHA-256</th></tr></thead>
<tbody>
{{- range .History}}
<tr><td>{{day .FirstServed}}</td><td>{{.Issuer}}{{if eq .State "self-signed"}} (self-signed){{end}}</td><td>{{.KeyType}}</td><td>{{day .NotAfter}}</td><td><code>{{slice .SHA256 0 23}}…</code></td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p>No certificate yet.</p>
{{- end}}
</div>
</article>
`))

// tlsJSON is the document at /tls.json.
type tlsJSON struct {
	State   tlsinfo.State    `json:"state"`
	Issuer  string           `json:"issuer,omitempty"`
	Top     string           `json:"top,omitempty"`
	Chain   *tlsinfo.Chain   `json:"chain"`
	History []tlsinfo.Record `json:"history"`
}

// tlsPage returns the /tls/ page for a connection's certificate.
func (s *Server) tlsPage(info *certInfo) (*body, error) {
	site, hist := s.siteGen.Load(), s.historyGen()
	if p := info.page.Load(); p != nil && p.site == site && p.history == hist {
		return p.body, nil
	}
	data := tlsPageData{State: info.state(), Chain: info.chain, History: s.records()}
	var main bytes.Buffer
	if err := tlsPageTmpl.Execute(&main, data); err != nil {
		return nil, fmt.Errorf("the /tls/ page: %w", err)
	}
	sh := s.shell.Load()
	var page []byte
	if sh.ok {
		page = append(append(append([]byte(nil), sh.head...), main.Bytes()...), sh.tail...)
		page, _ = tlsinfo.ReplaceBadge(page, info.badge.html)
	} else {
		page = append([]byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>The certificate of this connection</title></head><body><main>`), main.Bytes()...)
		page = append(page, `<footer>`+tlsinfo.BadgeStart...)
		page = append(page, info.badge.html...)
		page = append(page, tlsinfo.BadgeEnd+`</footer></main></body></html>`...)
	}
	b := makeBody(page, "text/html; charset=utf-8")
	info.page.Store(&cachedPage{site: site, history: hist, body: b})
	return b, nil
}

// tlsJSONBody returns /tls.json for a connection's certificate.
func (s *Server) tlsJSONBody(info *certInfo) (*body, error) {
	hist := s.historyGen()
	if p := info.json.Load(); p != nil && p.history == hist {
		return p.body, nil
	}
	doc := tlsJSON{State: info.state(), Chain: info.chain, History: s.records()}
	if c := info.chain; c != nil {
		doc.Issuer, doc.Top = c.Issuer, c.Top
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("/tls.json: %w", err)
	}
	b := makeBody(append(data, '\n'), "application/json; charset=utf-8")
	info.json.Store(&cachedPage{history: hist, body: b})
	return b, nil
}

func (s *Server) historyGen() uint64 {
	if s.history == nil {
		return 0
	}
	return s.history.Generation()
}

func (s *Server) records() []tlsinfo.Record {
	if s.history == nil {
		return []tlsinfo.Record{}
	}
	return s.history.Records()
}
