package serve

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/tlsinfo"
)

// proxyServer starts an HTTPS server with pki's certificate that trusts
// the given proxies.
func proxyServer(t *testing.T, pki *testcert.PKI, trusted ...netip.Prefix) *running {
	t.Helper()
	log, _ := testLogger(t)
	src := &switchable{}
	src.set(pki.TLS())
	srv, err := New(withSite(t, Config{GetCertificate: src.get, Log: log, TrustedProxies: trusted, PublicRoots: pki.Pool()}))
	if err != nil {
		t.Fatal(err)
	}
	return start(t, srv)
}

// reverseProxy starts an HTTPS reverse proxy (httputil.ReverseProxy, with
// httptest's own certificate, as a CDN presents its own) in front of the
// HTTPS server at addr, which it reaches as serverName trusting pki's
// root. It passes the reader's Host on and adds X-Forwarded-For.
func reverseProxy(t *testing.T, addr, serverName string, pki *testcert.PKI) *httptest.Server {
	t.Helper()
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "https", Host: addr})
	rp.Transport = &http.Transport{
		TLSClientConfig:   &tls.Config{ServerName: serverName, RootCAs: pki.Pool()},
		ForceAttemptHTTP2: true,
	}
	front := httptest.NewTLSServer(rp)
	t.Cleanup(front.Close)
	return front
}

// getVia fetches path from the front proxy with Host host and headers h.
func getVia(t *testing.T, front *httptest.Server, host, path string, h map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", front.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for k, v := range h {
		req.Header.Set(k, v)
	}
	res, err := front.Client().Do(req)
	if err != nil {
		t.Fatalf("GET %s through the proxy: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// doWith sends one request with headers h (and the Host "Host") over c.
func doWith(t *testing.T, c *http.Client, method, u string, h map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// connBadge returns the badge of pki's leaf as the server made it, after
// one request that makes the server serve it.
func connBadge(t *testing.T, r *running, pki *testcert.PKI) string {
	t.Helper()
	get(t, client(r.httpsAddr, "blog.test", pki.Pool(), nil), "https://blog.test/healthz")
	info := r.srv.certs.byFingerprint(sha256Of(pki.Leaf.Cert.Raw))
	if info == nil {
		t.Fatal("the server has not served the leaf")
	}
	return string(info.badge.html)
}

func sha256Of(b []byte) []byte {
	sum := sha256.Sum256(b)
	return sum[:]
}

// TestReverseProxy puts a reverse proxy with its own certificate in
// front of the server: through it every page says "proxied" and is
// private; direct requests keep the badge of their certificate and are
// private too, with other ETags, so no cache mixes the two.
func TestReverseProxy(t *testing.T) {
	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	r := proxyServer(t, pki)
	front := reverseProxy(t, r.httpsAddr, "blog.test", pki)
	direct := client(r.httpsAddr, "blog.test", pki.Pool(), nil)
	proxied := string(badge.ProxiedBadge())

	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/", 200}, {longPost, 200}, {"/about/", 200}, {"/no/such/page/", 404}, {"/tls/", 200},
	} {
		res, body := getVia(t, front, "blog.test", tc.path, nil)
		if res.StatusCode != tc.status {
			t.Errorf("%s through the proxy: status %d, want %d", tc.path, res.StatusCode, tc.status)
			continue
		}
		if b := badgeOf(t, body); b != proxied {
			t.Errorf("%s through the proxy: badge %s, want the proxied badge", tc.path, b)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "private, no-cache" {
			t.Errorf("%s through the proxy: Cache-Control %q", tc.path, cc)
		}

		dres, dbody := get(t, direct, "https://blog.test"+tc.path)
		if dres.StatusCode != tc.status {
			t.Errorf("%s direct: status %d", tc.path, dres.StatusCode)
			continue
		}
		db := badgeOf(t, dbody)
		if db != connBadge(t, r, pki) || strings.Contains(db, `data-state="proxied"`) || badgeFP(db) != fingerprint(pki.Leaf.Cert) {
			t.Errorf("%s direct: badge %s, want the badge of the certificate", tc.path, db)
		}
		if cc := dres.Header.Get("Cache-Control"); cc != "private, no-cache" {
			t.Errorf("%s direct: Cache-Control %q", tc.path, cc)
		}
		// One URL, two badges, two ETags: a browser that revalidates a
		// direct copy through the proxy gets the proxied page, not 304.
		detag, petag := dres.Header.Get("ETag"), res.Header.Get("ETag")
		if detag == "" || detag == petag {
			t.Errorf("%s: ETag %q direct and %q through the proxy", tc.path, detag, petag)
		}
		if tc.status != 200 {
			continue
		}
		res, body = getVia(t, front, "blog.test", tc.path, map[string]string{"If-None-Match": detag})
		if res.StatusCode != 200 || badgeOf(t, body) != proxied {
			t.Errorf("%s through the proxy with the direct ETag: %d", tc.path, res.StatusCode)
		}
		if res, _ := getVia(t, front, "blog.test", tc.path, map[string]string{"If-None-Match": petag}); res.StatusCode != http.StatusNotModified {
			t.Errorf("%s through the proxy with its own ETag: %d, want 304", tc.path, res.StatusCode)
		}
	}

	// /tls/ and /tls.json say so, without this server's chain.
	_, page := getVia(t, front, "blog.test", "/tls/", nil)
	if !strings.Contains(string(page), "reached you through a proxy or CDN") || strings.Contains(string(page), "Certificate of the site") {
		t.Errorf("/tls/ through the proxy does not explain the proxy:\n%s", page)
	}
	res, js := getVia(t, front, "blog.test", "/tls.json", nil)
	var doc struct {
		State string
		Chain *tlsinfo.Chain
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatalf("/tls.json: %v", err)
	}
	if doc.State != "proxied" || doc.Chain != nil || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("/tls.json through the proxy: %s, Cache-Control %q", js, res.Header.Get("Cache-Control"))
	}
	res, js = get(t, direct, "https://blog.test/tls.json")
	if err := json.Unmarshal(js, &doc); err != nil || doc.State == "proxied" || doc.Chain == nil || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("/tls.json direct: %s", js)
	}
}

// TestProxyHeaders checks that each documented proxy header alone, in
// any case, makes a request proxied, over HTTPS and over plain HTTP, and
// that trace headers do not.
func TestProxyHeaders(t *testing.T) {
	headers := []struct{ name, value string }{
		{"Forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43"},
		{"X-Forwarded-For", "192.0.2.60"},
		{"x-forwarded-proto", "https"},
		{"X-Forwarded-Host", "blog.test"},
		{"X-Forwarded-Port", "443"},
		{"X-Forwarded-Server", "proxy.example"},
		{"X-Real-IP", "192.0.2.60"},
		{"Via", "1.1 Azure"},
		{"CDN-Loop", "Fastly, Fastly"},
		{"cf-connecting-ip", "192.0.2.60"},
		{"CF-Ray", "8c1f2a3b4c5d6e7f-AMS"},
		{"Fastly-Client-IP", "192.0.2.60"},
		{"Fastly-SSL", "1"},
		{"True-Client-IP", "192.0.2.60"},
		{"Akamai-Origin-Hop", "2"},
		{"X-Amz-Cf-Id", "rEZ41zHijmTaPJrLdiavv7oU8giHtH8HQXvabc2QPAly_Btvu5C2Dw"},
		{"X-Azure-FDID", "55ce4ed1-4b06-4bf1-b40e-4638452104da"},
		{"X-Azure-ClientIP", "192.0.2.60"},
		{"Fly-Client-IP", "192.0.2.60"},
		{"X-Vercel-Id", "cdg1::abcde-1700000000000-0123456789ab"},
		{"X-Forwarded-For", ""}, // present, though empty
	}
	documented := map[string]bool{}
	for _, h := range headers {
		documented[http.CanonicalHeaderKey(h.name)] = true
	}
	for _, p := range proxyHeaders {
		if !documented[http.CanonicalHeaderKey(p.name)] {
			t.Errorf("%s is in the table but not tested", p.name)
		}
	}
	if len(documented) != len(proxyHeaders) {
		t.Errorf("%d headers tested, %d in the table", len(documented), len(proxyHeaders))
	}
	notProxies := []struct{ name, value string }{
		{"X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1"},
		{"Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
		{"X-Requested-With", "XMLHttpRequest"},
	}

	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	r := proxyServer(t, pki)
	c := client(r.httpsAddr, "blog.test", pki.Pool(), nil)
	plainSrv, err := New(withSite(t, Config{}))
	if err != nil {
		t.Fatal(err)
	}
	plain := start(t, plainSrv)
	proxied := string(badge.ProxiedBadge())
	over := []struct {
		name, url string
		c         *http.Client
		conn      string // the badge without proxy headers
	}{
		{"HTTPS", "https://blog.test/about/", c, connBadge(t, r, pki)},
		{"HTTP", "http://" + plain.httpAddr + "/about/", http.DefaultClient, string(badge.NotEncryptedBadge())},
	}
	for _, o := range over {
		for _, h := range headers {
			_, body := doWith(t, o.c, "GET", o.url, map[string]string{h.name: h.value})
			if got := badgeOf(t, body); got != proxied {
				t.Errorf("%s with %s: %q: badge %s, want proxied", o.name, h.name, h.value, got)
			}
		}
		for _, h := range notProxies {
			_, body := doWith(t, o.c, "GET", o.url, map[string]string{h.name: h.value})
			if got := badgeOf(t, body); got != o.conn {
				t.Errorf("%s with %s: badge %s, want the connection's", o.name, h.name, got)
			}
		}
		_, body := doWith(t, o.c, "GET", o.url, nil)
		if got := badgeOf(t, body); got != o.conn {
			t.Errorf("%s without proxy headers: badge %s", o.name, got)
		}
	}
}

// TestTrustedProxy checks --trusted-proxy: requests from a trusted
// address get the badge of their connection, or "not encrypted" when
// that proxy says its client used plain HTTP; the same headers from an
// untrusted address are proxied.
func TestTrustedProxy(t *testing.T) {
	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	loopback := netip.MustParsePrefix("127.0.0.1/32")
	r := proxyServer(t, pki, netip.MustParsePrefix("10.0.0.0/8"), loopback)
	conn := connBadge(t, r, pki)
	httpBadge := string(badge.NotEncryptedBadge())
	proxied := string(badge.ProxiedBadge())

	// Through a reverse proxy at 127.0.0.1 (which here is trusted to
	// present the same certificate; in this test it does not).
	front := reverseProxy(t, r.httpsAddr, "blog.test", pki)
	_, body := getVia(t, front, "blog.test", longPost, nil)
	if got := badgeOf(t, body); got != conn {
		t.Errorf("through a trusted proxy: badge %s, want the connection's %s", got, conn)
	}
	_, page := getVia(t, front, "blog.test", "/tls/", nil)
	if !strings.Contains(string(page), "Certificate of the site") {
		t.Errorf("/tls/ through a trusted proxy lacks the chain:\n%s", page)
	}

	c := client(r.httpsAddr, "blog.test", pki.Pool(), nil)
	untrusted := proxyServer(t, pki, netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128"))
	uc := client(untrusted.httpsAddr, "blog.test", pki.Pool(), nil)
	for _, tc := range []struct {
		name       string
		h          map[string]string
		trusted    string // the badge from a trusted address
		notTrusted string // from any other address
	}{
		{"no headers", nil, conn, conn},
		{"X-Forwarded-For", map[string]string{"X-Forwarded-For": "192.0.2.1"}, conn, proxied},
		{"CF-Connecting-IP", map[string]string{"CF-Connecting-IP": "192.0.2.1"}, conn, proxied},
		{"proto http", map[string]string{"X-Forwarded-Proto": "http"}, httpBadge, proxied},
		{"proto HTTP", map[string]string{"X-Forwarded-Proto": "HTTP"}, httpBadge, proxied},
		{"proto https", map[string]string{"X-Forwarded-Proto": "https"}, conn, proxied},
		{"proto https, http", map[string]string{"X-Forwarded-Proto": "https, http"}, httpBadge, proxied},
		{"proto http, https", map[string]string{"X-Forwarded-Proto": "http, https"}, conn, proxied},
		{"Forwarded proto=http", map[string]string{"Forwarded": `for=192.0.2.1;proto=http`}, httpBadge, proxied},
		{"Forwarded last https", map[string]string{"Forwarded": `for=192.0.2.9;proto=http, for="[2001:db8::1]";proto=https`}, conn, proxied},
	} {
		_, body := doWith(t, c, "GET", "https://blog.test/", tc.h)
		if got := badgeOf(t, body); got != tc.trusted {
			t.Errorf("%s from a trusted address: badge %s, want %s", tc.name, got, tc.trusted)
		}
		_, body = doWith(t, uc, "GET", "https://blog.test/", tc.h)
		want := tc.notTrusted
		if want == conn {
			want = connBadge(t, untrusted, pki)
		}
		if got := badgeOf(t, body); got != want {
			t.Errorf("%s from an untrusted address: badge %s, want %s", tc.name, got, want)
		}
	}
	// /tls.json follows the badge.
	_, js := doWith(t, c, "GET", "https://blog.test/tls.json", map[string]string{"X-Forwarded-Proto": "http"})
	if !strings.Contains(string(js), `"state": "not-encrypted"`) {
		t.Errorf("/tls.json from a trusted proxy for a plain HTTP reader: %s", js)
	}

	// Plain HTTP mode: a trusted proxy that says its reader used HTTPS
	// encrypted with a certificate this server does not have.
	plainSrv, err := New(withSite(t, Config{TrustedProxies: []netip.Prefix{loopback}}))
	if err != nil {
		t.Fatal(err)
	}
	plain := start(t, plainSrv)
	for _, tc := range []struct {
		h    map[string]string
		want string
	}{
		{nil, httpBadge},
		{map[string]string{"X-Forwarded-For": "192.0.2.1"}, httpBadge},
		{map[string]string{"X-Forwarded-Proto": "http"}, httpBadge},
		{map[string]string{"X-Forwarded-Proto": "https"}, proxied},
	} {
		_, body := doWith(t, http.DefaultClient, "GET", "http://"+plain.httpAddr+"/", tc.h)
		if got := badgeOf(t, body); got != tc.want {
			t.Errorf("plain HTTP from a trusted proxy with %v: badge %s, want %s", tc.h, got, tc.want)
		}
	}
}

// TestMisdirected checks 421 for a Host the certificate does not cover,
// in every spelling of a Host, over HTTP/2 and HTTP/1.1.
func TestMisdirected(t *testing.T) {
	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test", "*.blog.test", "127.0.0.1", "::1")
	r := proxyServer(t, pki)
	cases := []struct {
		host   string
		status int
	}{
		{"blog.test", 200},
		{"BLOG.Test", 200},
		{"blog.test.", 200},
		{"blog.test:443", 200},
		{"blog.test.:8443", 200},
		{"www.blog.test", 200},
		{"a.b.blog.test", 421},
		{"other.test", 421},
		{"evilblog.test", 421},
		{"blog.test.evil", 421},
		{"127.0.0.1", 200},
		{"127.0.0.1:8443", 200},
		{"[::1]", 200},
		{"[::1]:443", 200},
		{"[::2]:443", 421},
		{"10.0.0.1", 421},
	}
	for _, proto := range []string{"h2", "http/1.1"} {
		c := client(r.httpsAddr, "blog.test", pki.Pool(), &tls.Config{NextProtos: []string{proto}})
		if proto == "http/1.1" {
			c.Transport.(*http.Transport).ForceAttemptHTTP2 = false
		}
		for _, tc := range cases {
			res, body := doWith(t, c, "GET", "https://blog.test/about/", map[string]string{"Host": tc.host})
			if res.StatusCode != tc.status {
				t.Errorf("%s, Host %q: status %d, want %d", proto, tc.host, res.StatusCode, tc.status)
				continue
			}
			if tc.status == 421 {
				if !strings.HasPrefix(string(body), "421 misdirected request") || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
					t.Errorf("%s, Host %q: 421 body %q", proto, tc.host, body)
				}
			} else if !strings.Contains(string(body), badge.Start) {
				t.Errorf("%s, Host %q: not the page", proto, tc.host)
			}
		}
		// /tls/ is checked too; /healthz is answered whatever the Host.
		if res, _ := doWith(t, c, "GET", "https://blog.test/tls/", map[string]string{"Host": "other.test"}); res.StatusCode != 421 {
			t.Errorf("%s: /tls/ for another host: %d", proto, res.StatusCode)
		}
		if res, body := doWith(t, c, "GET", "https://blog.test/healthz", map[string]string{"Host": "10.0.0.1:443"}); res.StatusCode != 200 || string(body) != "ok\n" {
			t.Errorf("%s: /healthz for an address: %d %q", proto, res.StatusCode, body)
		}
		// The connection stays usable for the hosts it covers.
		if res, _ := doWith(t, c, "GET", "https://blog.test/", nil); res.StatusCode != 200 {
			t.Errorf("%s: after a 421: %d", proto, res.StatusCode)
		}
	}

	// Plain HTTP is not checked: the redirect listener, and the site in
	// plain HTTP mode.
	httpc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, _ := doWith(t, httpc, "GET", "http://"+r.httpAddr+"/about/", map[string]string{"Host": "other.test"}); res.StatusCode != 301 {
		t.Errorf("HTTP redirect for another host: %d", res.StatusCode)
	}
	plainSrv, err := New(withSite(t, Config{}))
	if err != nil {
		t.Fatal(err)
	}
	plain := start(t, plainSrv)
	if res, _ := doWith(t, httpc, "GET", "http://"+plain.httpAddr+"/about/", map[string]string{"Host": "other.test"}); res.StatusCode != 200 {
		t.Errorf("plain HTTP mode, another host: %d", res.StatusCode)
	}
}

func TestHostName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"blog.test", "blog.test"},
		{"Blog.TEST", "blog.test"},
		{"blog.test.", "blog.test"},
		{"blog.test:8443", "blog.test"},
		{"blog.test.:443", "blog.test"},
		{"127.0.0.1:443", "127.0.0.1"},
		{"[::1]", "::1"},
		{"[::1]:443", "::1"},
		{"[2001:DB8::1]:443", "2001:db8::1"},
		{"::1", "::1"}, // bare IPv6, not valid in a Host but not a port either
		{"[::1", ""},
		{"[::1]x", ""},
		{"", ""},
	} {
		if got := hostName(tc.in); got != tc.want {
			t.Errorf("hostName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTrustedPeer(t *testing.T) {
	prefixes := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	for _, tc := range []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:5000", true},
		{"127.0.0.2:5000", false},
		{"10.200.3.4:1", true},
		{"11.0.0.1:1", false},
		{"[::ffff:10.1.2.3]:443", true}, // IPv4 on a dual-stack listener
		{"[2001:db8::5]:443", true},
		{"[2001:db9::5]:443", false},
		{"[fe80::1%eth0]:443", false},
		{"[::1]:443", false},
		{"127.0.0.1", false}, // no port: not a peer address
		{"", false},
		{"garbage", false},
	} {
		if got := trustedPeer(tc.addr, prefixes); got != tc.want {
			t.Errorf("trustedPeer(%q) = %v, want %v", tc.addr, got, tc.want)
		}
	}
	if trustedPeer("127.0.0.1:5000", nil) {
		t.Error("trusted with no prefixes")
	}
}

func TestForwardedProto(t *testing.T) {
	for _, tc := range []struct {
		h    http.Header
		want string
	}{
		{http.Header{}, ""},
		{http.Header{"X-Forwarded-Proto": {"https"}}, "https"},
		{http.Header{"X-Forwarded-Proto": {" HTTP "}}, "http"},
		{http.Header{"X-Forwarded-Proto": {"https, http"}}, "http"},
		{http.Header{"X-Forwarded-Proto": {"http", "https"}}, "https"},
		{http.Header{"Forwarded": {"for=192.0.2.1;proto=http;by=203.0.113.43"}}, "http"},
		{http.Header{"Forwarded": {`for=192.0.2.1;proto=http, for="[2001:db8::1]";Proto="https"`}}, "https"},
		{http.Header{"Forwarded": {"for=192.0.2.1;proto=https", "for=192.0.2.2"}}, ""},
		{http.Header{"Forwarded": {"proto=https"}, "X-Forwarded-Proto": {"http"}}, "http"},
	} {
		if got := forwardedProto(tc.h); got != tc.want {
			t.Errorf("forwardedProto(%v) = %q, want %q", tc.h, got, tc.want)
		}
	}
}
