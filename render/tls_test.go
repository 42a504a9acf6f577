package render

import (
	"crypto/x509"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/tlsinfo"
)

// TestTLSPage renders the theme's "tls" page as a production server does,
// for each state of the badge, and checks that it is the site's page (its
// header, stylesheet and badge slot) with what the state says.
func TestTLSPage(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":          {Data: []byte("title = \"Field Notes\"\nbase_url = \"https://example.org/\"\n")},
		"content/posts/a.md": {Data: []byte("---\ntitle: A\ndate: 2024-01-02\n---\nText.\n")},
	}
	_, stats := build(t, fsys, nil)
	if stats.TLSPage == nil {
		t.Fatal("Stats.TLSPage not set")
	}
	root := testcert.New(t, testcert.Options{CommonName: "ISRG Root X1", Country: "US", CA: true}, nil)
	r3 := testcert.New(t, testcert.Options{CommonName: "R3", Organization: "Let's Encrypt", CA: true}, root)
	leaf := testcert.New(t, testcert.Options{CommonName: "example.org", Names: []string{"example.org"}}, r3)
	self := testcert.New(t, testcert.Options{CommonName: "example.org", Names: []string{"example.org"}}, nil)
	pool := x509.NewCertPool()
	pool.AddCert(root.Cert)
	report := func(certs ...*testcert.Cert) *badge.Report {
		var cs []*x509.Certificate
		for _, c := range certs {
			cs = append(cs, c.Cert)
		}
		chain, err := tlsinfo.Describe(cs)
		if err != nil {
			t.Fatal(err)
		}
		trust, err := tlsinfo.Verify(cs, tlsinfo.VerifyOptions{PublicRoots: pool})
		if err != nil {
			t.Fatal(err)
		}
		return &badge.Report{Chain: chain, Trust: trust}
	}
	history := []tlsinfo.Record{{SHA256: "AB:CD:EF:01:23:45:67:89:AB", State: "issued", TrustState: "verified", Issuer: "Let's Encrypt R3",
		Anchor: "ISRG Root X1", AnchorCountry: "US", KeyType: "ECDSA P-256",
		NotAfter: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), FirstServed: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)},
		{SHA256: "01:23:45:67:89:AB:CD:EF:01", State: "issued", TrustState: "unverified", Issuer: "Pebble Intermediate CA 1a2b3c", KeyType: "RSA 2048",
			NotAfter: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), FirstServed: time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)}}
	tests := []struct {
		name string
		data badge.PageData
		want []string
	}{
		{"verified", badge.PageData{State: badge.Verified, Report: report(leaf, r3), History: history},
			[]string{"verified its chain up to <strong>ISRG Root X1, US</strong>", "Verified paths to a trusted root",
				"example.org → R3 → ISRG Root X1 (US) <small>(not sent by the server: trusted here)</small>",
				"Certificate of the site: example.org", `<div class="table-scroll" tabindex="0" role="region" aria-labelledby="history">`,
				"<td>2024-12-01</td><td>Let&#39;s Encrypt R3</td><td>ISRG Root X1, US</td>",
				"<td>2024-11-01</td><td>claims Pebble Intermediate CA 1a2b3c</td><td><em>not verified</em></td>"}},
		{"self-signed", badge.PageData{State: badge.SelfSigned, Report: report(self)},
			[]string{"<strong>self-signed</strong>", "No certificate yet."}},
		{"not encrypted", badge.PageData{State: badge.NotEncrypted}, []string{"came over plain HTTP"}},
		{"proxied", badge.PageData{State: badge.Proxied, Alerts: []string{"expected Let's Encrypt"}},
			[]string{"through a proxy or CDN", `<p class="tls-alert" role="alert"><strong>Alert:</strong> expected Let&#39;s Encrypt</p>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.data.JSONURL, tt.data.FeedURL = badge.JSONPath, badge.FeedPath
			page, err := stats.TLSPage(&tt.data)
			if err != nil {
				t.Fatal(err)
			}
			s := string(page)
			for _, w := range append(tt.want,
				"<title>The certificate of this connection · Field Notes</title>",
				`<meta name="robots" content="noindex">`,
				`<body class="kind-tls">`,
				badge.Start, badge.End,
				`<a href="/tls.json">/tls.json</a>`, `<a href="/tls/feed.xml">/tls/feed.xml</a>`,
			) {
				if !strings.Contains(s, w) {
					t.Errorf("page lacks %s", w)
				}
			}
			if t.Failed() {
				t.Log(s)
			}
		})
	}
}

// TestTLSPageBasePath: under a base URL's path, the "tls" page links to
// the site under it, and names itself at the root of the host, where the
// server answers it.
func TestTLSPageBasePath(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":          {Data: []byte("title = \"Field Notes\"\nbase_url = \"https://example.org/blog/\"\n")},
		"content/posts/a.md": {Data: []byte("---\ntitle: A\ndate: 2024-01-02\n---\nText.\n")},
	}
	_, stats := build(t, fsys, nil)
	page, err := stats.TLSPage(&badge.PageData{State: badge.NotEncrypted, JSONURL: badge.JSONPath, FeedURL: badge.FeedPath})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<link rel="canonical" href="https://example.org/tls/">`,
		`<a class="site-title" href="/blog/">`,
		`<a href="/blog/archive/">`,
		`<a href="/blog/tags/">`,
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the tls page has no %s:\n%s", want, page)
		}
	}
}
