package badge

import (
	"crypto/x509"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/tlsinfo"
)

// report describes and verifies a chain against roots (public) and
// private roots.
func report(t *testing.T, chain []*testcert.Cert, public []*testcert.Cert, private ...*testcert.Cert) *Report {
	t.Helper()
	var certs []*x509.Certificate
	for _, c := range chain {
		certs = append(certs, c.Cert)
	}
	pool := x509.NewCertPool()
	for _, c := range public {
		pool.AddCert(c.Cert)
	}
	var priv []*x509.Certificate
	for _, c := range private {
		priv = append(priv, c.Cert)
	}
	c, err := tlsinfo.Describe(certs)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := tlsinfo.Verify(certs, tlsinfo.VerifyOptions{PublicRoots: pool, PrivateRoots: priv})
	if err != nil {
		t.Fatal(err)
	}
	return &Report{Chain: c, Trust: tr}
}

func TestServed(t *testing.T) {
	root := testcert.New(t, testcert.Options{CommonName: "ISRG Root X1", Organization: "Internet Security Research Group", Country: "US", CA: true}, nil)
	r3 := testcert.New(t, testcert.Options{CommonName: "R3", Organization: "Let's Encrypt", Country: "US", CA: true}, root)
	leaf := testcert.New(t, testcert.Options{CommonName: "blog.example.com", Names: []string{"blog.example.com"}}, r3)
	fake := testcert.New(t, testcert.Options{CommonName: "R3", Organization: "Let's Encrypt", CA: true}, nil)
	forged := testcert.New(t, testcert.Options{CommonName: "blog.example.com", Names: []string{"blog.example.com"}}, fake)
	other := testcert.New(t, testcert.Options{CommonName: "Other Root", CA: true}, nil)
	home := testcert.New(t, testcert.Options{CommonName: "Home Lab Root", Country: "DE", CA: true}, nil)
	homeLeaf := testcert.New(t, testcert.Options{CommonName: "nas.home.arpa", Names: []string{"nas.home.arpa"}}, home)
	self := testcert.New(t, testcert.Options{CommonName: "localhost", Names: []string{"localhost"}}, nil)
	old := testcert.New(t, testcert.Options{CommonName: "old.example.com", Names: []string{"old.example.com"},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)}, r3)

	future := testcert.New(t, testcert.Options{CommonName: "new.example.com", Names: []string{"new.example.com"},
		NotBefore: time.Now().Add(48 * time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour)}, r3)
	clientOnly := testcert.New(t, testcert.Options{CommonName: "blog.example.com", Names: []string{"blog.example.com"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, r3)
	tests := []struct {
		state State
		r     *Report
		text  string // with FP for the fingerprint
		title string
	}{
		{Verified, report(t, []*testcert.Cert{leaf, r3}, []*testcert.Cert{root}),
			"Verified: Let's Encrypt R3 · under ISRG Root X1, US · SHA-256 FP", "verified its chain up to ISRG Root X1, US"},
		{PrivateCA, report(t, []*testcert.Cert{homeLeaf}, []*testcert.Cert{root}, home),
			"Private CA: Home Lab Root · trusted by this server's operator, not by browsers · SHA-256 FP", "browsers do not trust it"},
		{Unverified, report(t, []*testcert.Cert{forged}, []*testcert.Cert{root}),
			"Unverified: claims Let's Encrypt R3 · no path to a trusted root · SHA-256 FP", "only a claim"},
		{BrokenChain, report(t, []*testcert.Cert{leaf, other}, []*testcert.Cert{root}),
			"Broken chain: claims Let's Encrypt R3 · the certificates sent do not link up · SHA-256 FP", "intermediate is missing"},
		{SelfSigned, report(t, []*testcert.Cert{self}, []*testcert.Cert{root}),
			"Self-signed: nobody vouches for this site · SHA-256 FP", "signed by its own key"},
		{Expired, report(t, []*testcert.Cert{old, r3}, []*testcert.Cert{root}),
			"Expired: ended 2020-04-01 · claims Let's Encrypt R3 · SHA-256 FP", "expired on 2020-04-01"},
		{Expired, report(t, []*testcert.Cert{future, r3}, []*testcert.Cert{root}),
			"Not yet valid: not valid until " + time.Now().Add(48*time.Hour).UTC().Format("2006-01-02") + " · claims Let's Encrypt R3 · SHA-256 FP", "not valid until"},
		{Unverified, report(t, []*testcert.Cert{clientOnly, r3}, []*testcert.Cert{root}),
			"Unverified: claims Let's Encrypt R3 · not a certificate for web servers · SHA-256 FP", "not issued for web servers"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			fp := tt.r.Chain.LeafSHA256()
			want := strings.ReplaceAll(tt.text, "FP", strings.ToUpper(hex.EncodeToString(fp[:4])))
			if got := Text(tt.r); got != want {
				t.Errorf("text %q\nwant %q", got, want)
			}
			b := string(Served(tt.r))
			for _, part := range []string{
				`<div class="badge-bar"><a class="tls-badge" href="/tls/" data-state="` + string(tt.state) + `"`,
				`data-sha256="` + hex.EncodeToString(fp[:]) + `"`,
				esc(tt.title),
			} {
				if !strings.Contains(b, part) {
					t.Errorf("badge lacks %s:\n%s", part, b)
				}
			}
			// Every word of the statement is visible, in order.
			if got := visibleText(b); got != want {
				t.Errorf("visible text %q\nwant %q", got, want)
			}
		})
	}
}

// visibleText is the text of badge markup without the screen-reader-only
// part and the detail separators CSS adds, as Text gives it.
func visibleText(b string) string {
	b = strings.ReplaceAll(b, "\u00a0", " ")
	if i := strings.Index(b, ` <span class="visually-hidden">`); i >= 0 {
		b = b[:i]
	}
	var out strings.Builder
	in := false
	for _, r := range b {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			out.WriteRune(r)
		}
	}
	return strings.NewReplacer("&#39;", "'", "&amp;", "&").Replace(out.String())
}

func TestEscapes(t *testing.T) {
	evil := `<script>alert("x")</script> & 'co'`
	ca := testcert.New(t, testcert.Options{CommonName: evil, Organization: `O"rg<`, CA: true}, nil)
	leaf := testcert.New(t, testcert.Options{CommonName: "a<b", Names: []string{"x.example"}}, ca)
	r := report(t, []*testcert.Cert{leaf}, []*testcert.Cert{ca})
	for name, b := range map[string][]byte{
		"Served":        Served(r),
		"RecordedBadge": RecordedBadge(Recording{Host: `h"ost<`, Report: r, Checked: time.Date(2025, 1, 2, 23, 0, 0, 0, time.UTC)}),
	} {
		s := string(b)
		if strings.Contains(s, "<script") || strings.Contains(s, `"x"`) || strings.Contains(s, `O"rg`) ||
			strings.Contains(s, "'co'") || strings.Contains(s, `h"ost`) {
			t.Errorf("%s does not escape certificate names:\n%s", name, s)
		}
		if !strings.Contains(s, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;co&#39;") {
			t.Errorf("%s: escaped name missing:\n%s", name, s)
		}
	}
}

func TestFixedBadges(t *testing.T) {
	tests := []struct {
		name  string
		b     []byte
		state State
		link  bool
		text  string
	}{
		{"proxied", ProxiedBadge(), Proxied, true, "Through a proxy: this server's certificate is not the one your browser checked"},
		{"plain HTTP", NotEncryptedBadge(), NotEncrypted, true, "Not encrypted: plain HTTP, no certificate"},
		{"preview", PreviewBadge(), NotEncrypted, false, "Not encrypted: local preview over plain HTTP"},
	}
	for _, tt := range tests {
		s := string(tt.b)
		if !strings.Contains(s, `data-state="`+string(tt.state)+`"`) {
			t.Errorf("%s: state:\n%s", tt.name, s)
		}
		if got := strings.Contains(s, `href="/tls/"`); got != tt.link {
			t.Errorf("%s: links to /tls/: %v, want %v", tt.name, got, tt.link)
		}
		if got := visibleText(s); got != tt.text {
			t.Errorf("%s: text %q, want %q", tt.name, got, tt.text)
		}
	}
	if strings.Contains(string(StaticSlot), "badge-bar") || !strings.Contains(string(StaticSlot), `<p class="tls-note">`) ||
		!strings.HasPrefix(string(StaticSlot), Start) || !strings.HasSuffix(string(StaticSlot), End) {
		t.Errorf("static slot: %s", StaticSlot)
	}
}

func TestRecorded(t *testing.T) {
	p := testcert.NewPKI(t, testcert.ECDSA, "blog.example.com")
	r := report(t, []*testcert.Cert{p.Leaf, p.Intermediate}, []*testcert.Cert{p.Root})
	checked := time.Date(2025, 3, 4, 23, 30, 0, 0, time.FixedZone("", -3600))
	b := RecordedBadge(Recording{Host: "blog.example.com", Report: r, Checked: checked})
	fp := r.Chain.LeafSHA256()
	want := "Checked 2025-03-05: Example Trust ET R1 · under Example Trust Root X1 · SHA-256 " + strings.ToUpper(hex.EncodeToString(fp[:4]))
	if got := visibleText(string(b)); got != want {
		t.Errorf("text %q\nwant %q", got, want)
	}
	page := append(append([]byte("<html><body><footer>"+Start), b...), End+"</footer></body></html>"...)
	f, err := ReadRecorded(page)
	if err != nil {
		t.Fatal(err)
	}
	if f.Host != "blog.example.com" || f.SHA256 != hex.EncodeToString(fp[:]) || f.Checked != "2025-03-05" ||
		!f.NotAfter.Equal(p.Leaf.Cert.NotAfter.Truncate(time.Second)) {
		t.Errorf("read back %+v", f)
	}
	for name, page := range map[string]string{
		"no slot":    "<p>x</p>",
		"static":     "<footer>" + string(StaticSlot) + "</footer>",
		"unclosed":   Start + "<span>",
		"no expiry":  Start + `<span class="tls-badge" data-state="recorded" data-host="h" data-sha256="ab"></span>` + End,
		"other kind": Start + string(ProxiedBadge()) + End,
	} {
		if _, err := ReadRecorded([]byte(page)); err == nil {
			t.Errorf("%s: read a recorded badge", name)
		}
	}
}

type memOut map[string][]byte

func (m memOut) WriteFile(name string, data []byte) error { m[name] = data; return nil }

func TestFilled(t *testing.T) {
	out := memOut{}
	o := Filled{Next: out, Badge: []byte("<b>NEW</b>")}
	page := "<p>x</p><div>" + string(StaticSlot) + "</div>"
	files := map[string]string{
		"index.html":     page,
		"feed.xml":       page, // not HTML: untouched
		"alias.html":     "<p>no badge</p>",
		"broken.html":    "<p>" + Start + " unterminated</p>",
		"a/b/index.html": page,
	}
	for name, data := range files {
		if err := o.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	want := "<p>x</p><div>" + Start + "<b>NEW</b>" + End + "</div>"
	for _, name := range []string{"index.html", "a/b/index.html"} {
		if got := string(out[name]); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for _, name := range []string{"feed.xml", "alias.html", "broken.html"} {
		if string(out[name]) != files[name] {
			t.Errorf("%s changed: %q", name, out[name])
		}
	}
}
