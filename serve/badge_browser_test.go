package serve

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"testing"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/tlsinfo"
)

// badgeCase is one state of the badge, shown by a real server, as
// testdata/badge.js reads it (JSON).
type badgeCase struct {
	State string `json:"state"`
	// URL is the server's base URL, "https://127.0.0.1:PORT".
	URL string `json:"url"`
	// Text is the whole statement the server made: badge.Text of the
	// served certificate, or the fixed text of the proxied and plain HTTP
	// badges.
	Text string `json:"text"`
	// Headers are sent with every request of the case's pages.
	Headers map[string]string `json:"headers,omitempty"`
}

// badgePKI is a public-looking CA (Let's Encrypt R10 under ISRG Root X1),
// a private CA with long names, and the certificates the states need, all
// for 127.0.0.1 and a long blog name.
type badgePKI struct {
	isrg, r10, leaf               *testcert.Cert
	privRoot, privInter, privLeaf *testcert.Cert
	unrelated, self, expired      *testcert.Cert
	names                         []string
}

func newBadgePKI(t *testing.T) *badgePKI {
	t.Helper()
	p := &badgePKI{names: []string{"127.0.0.1", "notes-from-a-rather-long-blog-name.example.org"}}
	leaf := func(parent *testcert.Cert, o testcert.Options) *testcert.Cert {
		o.CommonName, o.Names = p.names[1], p.names
		return testcert.New(t, o, parent)
	}
	p.isrg = testcert.New(t, testcert.Options{CommonName: "ISRG Root X1", Organization: "Internet Security Research Group", Country: "US", CA: true}, nil)
	p.r10 = testcert.New(t, testcert.Options{CommonName: "R10", Organization: "Let's Encrypt", Country: "US", CA: true}, p.isrg)
	p.leaf = leaf(p.r10, testcert.Options{})
	const priv = "Stadtwerke Musterstadt-Nordwest Versorgungsgesellschaft"
	p.privRoot = testcert.New(t, testcert.Options{CommonName: priv + " Internal Root CA 2024", Organization: priv, Country: "DE", CA: true, KeyType: testcert.RSA}, nil)
	p.privInter = testcert.New(t, testcert.Options{CommonName: priv + " Issuing CA G2", Organization: priv, Country: "DE", CA: true}, p.privRoot)
	p.privLeaf = leaf(p.privInter, testcert.Options{})
	p.unrelated = testcert.New(t, testcert.Options{CommonName: "Unrelated Example Certification Authority Root R46", Organization: "Unrelated Example Trust Services Limited", Country: "GB", CA: true}, nil)
	p.self = leaf(nil, testcert.Options{})
	now := time.Now()
	p.expired = leaf(p.r10, testcert.Options{NotBefore: now.Add(-90 * 24 * time.Hour), NotAfter: now.Add(-24 * time.Hour)})
	return p
}

// served is a state that comes from the certificate served: the chain
// sent, leaf first, and whether the private CA's root is trusted.
type served struct {
	state   badge.State
	chain   []*testcert.Cert
	private bool // the private CA's root is a --ca-root (PrivateRoots)
}

// startBadgeServers starts one production server per state of the badge
// and returns the cases testdata/badge.js checks.
func startBadgeServers(t *testing.T) []badgeCase {
	t.Helper()
	p := newBadgePKI(t)
	public := x509.NewCertPool()
	public.AddCert(p.isrg.Cert)
	site := buildSiteOut(t)
	newServer := func(get func(*tls.ClientHelloInfo) (*tls.Certificate, error), private []*x509.Certificate) *running {
		hist, err := tlsinfo.OpenHistory(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		log, _ := testLogger(t)
		srv, err := New(Config{Files: site.Files(), TLSPage: site.TLSPage, SiteTitle: "Badge Test", GetCertificate: get,
			History: hist, Log: log, PublicRoots: public, PrivateRoots: private})
		if err != nil {
			t.Fatal(err)
		}
		return start(t, srv)
	}

	var cases []badgeCase
	for _, s := range []served{
		{badge.Verified, []*testcert.Cert{p.leaf, p.r10}, false},
		{badge.PrivateCA, []*testcert.Cert{p.privLeaf, p.privInter}, true},
		{badge.Unverified, []*testcert.Cert{p.leaf}, false},
		{badge.BrokenChain, []*testcert.Cert{p.leaf, p.unrelated}, false},
		{badge.SelfSigned, []*testcert.Cert{p.self}, false},
		{badge.Expired, []*testcert.Cert{p.expired, p.r10}, false},
	} {
		certs := make([]*x509.Certificate, len(s.chain))
		pair := &tls.Certificate{PrivateKey: s.chain[0].Key, Leaf: s.chain[0].Cert}
		for i, c := range s.chain {
			certs[i] = c.Cert
			pair.Certificate = append(pair.Certificate, c.Cert.Raw)
		}
		var private []*x509.Certificate
		if s.private {
			private = []*x509.Certificate{p.privRoot.Cert}
		}
		text, state := statementOf(t, certs, tlsinfo.VerifyOptions{PublicRoots: public, PrivateRoots: private})
		if state != s.state {
			t.Fatalf("the chain meant to be %s verifies as %s", s.state, state)
		}
		r := newServer(func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return pair, nil }, private)
		cases = append(cases, badgeCase{State: string(s.state), URL: "https://" + r.httpsAddr, Text: text})
	}

	// A request through a proxy, on the server of the verified chain.
	cases = append(cases, badgeCase{State: string(badge.Proxied), URL: cases[0].URL,
		Text:    "Through a proxy: this server's certificate is not the one your browser checked",
		Headers: map[string]string{"X-Forwarded-For": "203.0.113.7"}})

	// Plain HTTP: a server without a certificate source.
	r := newServer(nil, nil)
	cases = append(cases, badgeCase{State: string(badge.NotEncrypted), URL: "http://" + r.httpAddr,
		Text: "Not encrypted: plain HTTP, no certificate"})
	return cases
}

// statementOf is the statement of the badge of a server sending certs:
// badge.Text of the chain verified as the server verifies it.
func statementOf(t *testing.T, certs []*x509.Certificate, opts tlsinfo.VerifyOptions) (string, badge.State) {
	t.Helper()
	chain, err := tlsinfo.Describe(certs)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := tlsinfo.Verify(certs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return badge.Text(&badge.Report{Chain: chain, Trust: trust}), badge.State(trust.State)
}

// TestBadgeBrowser shows every state of the badge on real servers to
// headless Chromium (testdata/badge.js, with playwright-core and
// axe-core) at 320, 375 and 1280 px. On a long post the badge is inside
// the viewport, overflows nothing, shows the whole statement the server
// made with no part of it clipped, carries its state, has the statement
// in its accessible name and leaves the end of the page readable above the
// bar, which takes at most a quarter of the screen. On /tls/, in light and
// dark colours, axe-core finds no violation and the certificate history's
// scroll region is reached with Tab. With SITE_SCREENSHOTS set to a
// directory, the script saves the bar of each state and width, and /tls/
// at 375 px, as PNG files there.
func TestBadgeBrowser(t *testing.T) {
	cases := startBadgeServers(t)
	data, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}

	run := runBrowserScript(t, "badge.js", 2*time.Minute, data,
		"POST="+longPost,
		"LAST_PARAGRAPH=The last paragraph of the long post.")
	// Each case at each of three widths.
	if want := 3 * len(cases); run.checked != want {
		t.Errorf("the script checked %d pages, want %d", run.checked, want)
	}
}
