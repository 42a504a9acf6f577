package tlsinfo

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestBadgeIssued(t *testing.T) {
	p := testcert.NewPKI(t, testcert.RSA)
	c, err := Describe([]*x509.Certificate{p.Leaf.Cert, p.Intermediate.Cert})
	if err != nil {
		t.Fatal(err)
	}
	b := string(Badge(c))
	fp := c.LeafSHA256()
	for _, want := range []string{
		`<a class="tls-badge" data-state="issued" href="/tls/"`,
		`data-key="RSA 2048"`,
		`data-sha256="` + hex.EncodeToString(fp[:]) + `"`,
		`<span class="tls-badge-label">Issued by</span> <span class="tls-badge-value">Example Trust ET R1</span>`,
		`<span class="tls-badge-top">under Example Trust Root X1</span></a>`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("badge lacks %s:\n%s", want, b)
		}
	}
	// Only the leaf sent: the top is the issuer, named once.
	c, _ = Describe([]*x509.Certificate{p.Leaf.Cert})
	if b := string(Badge(c)); strings.Contains(b, "tls-badge-top") {
		t.Errorf("top shown although it is the issuer:\n%s", b)
	}
}

func TestBadgeEscapes(t *testing.T) {
	evil := `<script>alert("x")</script> & 'co'`
	ca := testcert.New(t, testcert.Options{CommonName: evil, Organization: "O\"rg<", CA: true}, nil)
	leaf := testcert.New(t, testcert.Options{CommonName: "a<b", Names: []string{"x.example"}}, ca)
	c, err := Describe([]*x509.Certificate{leaf.Cert})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"Badge":         Badge(c),
		"RecordedBadge": RecordedBadge(c, `h"ost<`, time.Date(2025, 1, 2, 23, 0, 0, 0, time.UTC)),
	} {
		s := string(b)
		if strings.Contains(s, "<script") || strings.Contains(s, `"x"`) || strings.Contains(s, `O"rg`) ||
			strings.Contains(s, "'co'") || strings.Contains(s, `h"ost`) {
			t.Errorf("%s does not escape certificate names:\n%s", name, s)
		}
		if !strings.Contains(s, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;co&#39;") {
			t.Errorf("%s: escaped name missing:\n%s", name, s)
		}
		if strings.Count(s, "<") != strings.Count(s, ">") {
			t.Errorf("%s: unbalanced markup:\n%s", name, s)
		}
	}
}

func TestBadgeStates(t *testing.T) {
	self := testcert.New(t, testcert.Options{CommonName: "localhost", Names: []string{"localhost"}}, nil)
	c, _ := Describe([]*x509.Certificate{self.Cert})
	if b := string(Badge(c)); !strings.Contains(b, `data-state="self-signed"`) || !strings.Contains(b, "nobody vouches") {
		t.Errorf("self-signed badge:\n%s", b)
	}
	if b := string(HTTPBadge()); !strings.Contains(b, `data-state="http"`) || !strings.Contains(b, "Not encrypted") {
		t.Errorf("http badge:\n%s", b)
	}
	p := testcert.NewPKI(t, testcert.ECDSA)
	c, _ = Describe([]*x509.Certificate{p.Leaf.Cert, p.Intermediate.Cert})
	b := string(RecordedBadge(c, "blog.example.com", time.Date(2025, 3, 4, 23, 30, 0, 0, time.FixedZone("", -3600))))
	for _, want := range []string{
		`<span class="tls-badge" data-state="build" data-checked="2025-03-05"`,
		`Issuer, checked 2025-03-05</span> <span class="tls-badge-value">Example Trust ET R1</span>`,
		`blog.example.com presented a certificate issued by Example Trust ET R1`,
		`may differ`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("recorded badge lacks %q:\n%s", want, b)
		}
	}
}

func TestBuildBadgeHasMarkers(t *testing.T) {
	if !strings.HasPrefix(render.BuildBadge, BadgeStart) || !strings.HasSuffix(render.BuildBadge, BadgeEnd) {
		t.Fatalf("render.BuildBadge is not delimited by %s … %s: %s", BadgeStart, BadgeEnd, render.BuildBadge)
	}
}

type memOut map[string][]byte

func (m memOut) WriteFile(name string, data []byte) error { m[name] = data; return nil }

func TestBadgeOutput(t *testing.T) {
	out := memOut{}
	o := BadgeOutput{Next: out, Badge: []byte("<b>NEW</b>")}
	page := "<p>x</p><div>" + render.BuildBadge + "</div>"
	files := map[string]string{
		"index.html":     page,
		"feed.xml":       page, // not HTML: untouched
		"alias.html":     "<p>no badge</p>",
		"broken.html":    "<p>" + BadgeStart + " unterminated</p>",
		"a/b/index.html": page,
	}
	for name, data := range files {
		if err := o.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	want := "<p>x</p><div>" + BadgeStart + "<b>NEW</b>" + BadgeEnd + "</div>"
	if got := string(out["index.html"]); got != want {
		t.Errorf("index.html = %q, want %q", got, want)
	}
	if got := string(out["a/b/index.html"]); got != want {
		t.Errorf("a/b/index.html = %q", got)
	}
	for _, name := range []string{"feed.xml", "alias.html", "broken.html"} {
		if string(out[name]) != files[name] {
			t.Errorf("%s changed: %q", name, out[name])
		}
	}
}

// TestProxiedBadge parses the proxied badge: one link to the page with
// the whole story, in the shape of the other badges.
func TestProxiedBadge(t *testing.T) {
	nodes, err := html.ParseFragment(bytes.NewReader(ProxiedBadge()), &html.Node{Type: html.ElementNode, Data: "footer", DataAtom: atom.Footer})
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 1 || nodes[0].Data != "a" {
		t.Fatalf("want one <a>, got %d nodes: %s", len(nodes), ProxiedBadge())
	}
	a := nodes[0]
	attrs := map[string]string{}
	for _, at := range a.Attr {
		attrs[at.Key] = at.Val
	}
	if attrs["class"] != "tls-badge" || attrs["data-state"] != string(Proxied) || attrs["href"] != PagePath ||
		!strings.Contains(attrs["title"], "proxy's certificate, which this server cannot see") {
		t.Errorf("attributes: %v", attrs)
	}
	spans := map[string]string{}
	for c := a.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "span" && c.FirstChild != nil {
			spans[c.Attr[0].Val] = c.FirstChild.Data
		}
	}
	if spans["tls-badge-label"] != "Through a proxy" || spans["tls-badge-value"] != "this server's certificate is not the one your browser checked" {
		t.Errorf("spans: %v", spans)
	}
}
