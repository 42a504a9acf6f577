package serve

import (
	"crypto/x509"
	"net/http"
	"net/netip"
	"strings"
	"sync"
)

// Requests through proxies and CDNs
//
// A reader behind a reverse proxy or CDN checked the proxy's certificate,
// which this server never sees: the certificate of the connection a
// request came on is that of the proxy's hop, not the reader's. A request
// that shows signs of a proxy therefore gets the proxied badge, unless it
// comes from an address the operator listed as a proxy that presents this
// server's own certificate (Config.TrustedProxies). Headers can only make
// the badge more cautious: a reader who forges them sees "proxied" (or
// "not encrypted") about their own request, never a stronger claim.

// proxyHeader is a request header that proxies and CDNs add on the way
// to the origin, and that a browser does not send by itself.
type proxyHeader struct {
	name    string // as documented
	addedBy string // who adds it
	doc     string // where that is documented
}

// proxyHeaders are the headers that mark a request as proxied, each
// checked against the documentation it names.
//
// X-Cloud-Trace-Context is deliberately absent: Google Cloud adds it to
// requests that reach Cloud Run, Cloud Functions or App Engine directly
// too, and any client may send it for tracing, so it says nothing about a
// proxy; Google's load balancers are recognised by the X-Forwarded-For
// and X-Forwarded-Proto they add.
var proxyHeaders = []proxyHeader{
	{"Forwarded", "any proxy", "RFC 7239"},
	{"X-Forwarded-For", "proxies, load balancers and CDNs: Squid, nginx, Apache mod_proxy, AWS ELB, CloudFront, Fastly, Fly.io, Google Cloud",
		"MDN X-Forwarded-For; AWS ELB x-forwarded-headers; CloudFront RequestAndResponseBehaviorCustomOrigin; Fastly X-Forwarded-For; fly.io/docs/networking/request-headers; httpd mod_proxy x-headers"},
	{"X-Forwarded-Proto", "load balancers and CDNs: AWS ELB, Google Cloud, Vercel", "MDN; AWS ELB x-forwarded-headers; Google Cloud Functions request headers; vercel.com/docs/headers/request-headers"},
	{"X-Forwarded-Host", "Apache mod_proxy, Fastly, Vercel, Go's httputil.ReverseProxy", "httpd mod_proxy x-headers; Fastly X-Forwarded-Host; Vercel request headers; net/http/httputil"},
	{"X-Forwarded-Port", "AWS Elastic Load Balancing", "AWS ELB x-forwarded-headers"},
	{"X-Forwarded-Server", "Apache mod_proxy, Fastly", "httpd mod_proxy x-headers; Fastly X-Forwarded-Server"},
	{"X-Real-IP", "nginx set-ups (proxy_set_header X-Real-IP), Vercel", "nginx ngx_http_realip_module; Vercel request headers"},
	{"Via", "proxies: Azure Front Door (Via: 1.1 Azure), and any proxy that follows HTTP", "RFC 9110 §7.6.3; Azure Front Door HTTP headers protocol"},
	{"CDN-Loop", "CDNs: Fastly, and others that follow RFC 8586", "RFC 8586; Fastly CDN-Loop"},
	{"CF-Connecting-IP", "Cloudflare", "developers.cloudflare.com/fundamentals/reference/http-headers"},
	{"CF-Ray", "Cloudflare", "developers.cloudflare.com/fundamentals/reference/http-headers"},
	{"Fastly-Client-IP", "Fastly", "Fastly Fastly-Client-IP"},
	{"Fastly-SSL", "Fastly", "Fastly Fastly-SSL; docs.fastly.com/en/guides/tls-termination"},
	{"True-Client-IP", "Akamai; Cloudflare Enterprise (true_client_ip_header)", "Akamai client request headers; Cloudflare zone settings API"},
	{"Akamai-Origin-Hop", "Akamai", "Akamai client request headers (developer.akamai.com/legacy/introduction/Client_Request_Headers.html)"},
	{"X-Amz-Cf-Id", "Amazon CloudFront (its request ID, also sent to the origin)", "CloudFront request IDs; http.dev/x-amz-cf-id"},
	{"X-Azure-FDID", "Azure Front Door", "Azure Front Door HTTP headers protocol"},
	{"X-Azure-ClientIP", "Azure Front Door", "Azure Front Door HTTP headers protocol"},
	{"Fly-Client-IP", "Fly.io", "fly.io/docs/networking/request-headers"},
	{"X-Vercel-Id", "Vercel", "vercel.com/docs/headers/request-headers"},
}

// proxyHeaderKeys maps the names of proxyHeaders as net/http keys them
// to the names as documented.
var proxyHeaderKeys = func() map[string]string {
	keys := make(map[string]string, len(proxyHeaders))
	for _, p := range proxyHeaders {
		keys[http.CanonicalHeaderKey(p.name)] = p.name
	}
	return keys
}()

// proxyHeaderIn returns the name of a proxy header h carries (even with an
// empty value), or "". It looks up each header of the request, usually
// fewer than the proxy headers.
func proxyHeaderIn(h http.Header) string {
	for k := range h {
		if name, ok := proxyHeaderKeys[k]; ok {
			return name
		}
	}
	return ""
}

// trustedPeer reports whether the peer address of a request (its
// RemoteAddr, "ip:port") is inside one of the prefixes. An IPv4 address
// that reaches a dual-stack listener as ::ffff:a.b.c.d is matched as
// a.b.c.d.
func trustedPeer(remoteAddr string, prefixes []netip.Prefix) bool {
	if len(prefixes) == 0 {
		return false
	}
	ap, err := netip.ParseAddrPort(remoteAddr)
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap().WithZone("")
	for _, p := range prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// forwardedProto returns the protocol the nearest proxy says its client
// used, lower-case: the last X-Forwarded-Proto value, else the proto
// parameter of the last Forwarded element; "" when neither says. The last
// value is the one the proxy that connected to this server added; values
// before it came from further away, where a reader may have written them.
func forwardedProto(h http.Header) string {
	if vs := h["X-Forwarded-Proto"]; len(vs) > 0 {
		v := vs[len(vs)-1]
		if i := strings.LastIndexByte(v, ','); i >= 0 {
			v = v[i+1:]
		}
		return strings.ToLower(strings.TrimSpace(v))
	}
	if vs := h["Forwarded"]; len(vs) > 0 {
		v := vs[len(vs)-1]
		if i := strings.LastIndexByte(v, ','); i >= 0 {
			v = v[i+1:]
		}
		for pair := range strings.SplitSeq(v, ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "proto") {
				return strings.ToLower(strings.Trim(strings.TrimSpace(val), `"`))
			}
		}
	}
	return ""
}

// requestInfo returns what the badge of a request shows: the certificate
// of its connection, or the proxied or plain HTTP state (see the package
// documentation); nil when the certificate of the connection is unknown.
func (s *Server) requestInfo(r *http.Request) *certInfo {
	if trustedPeer(r.RemoteAddr, s.cfg.TrustedProxies) {
		switch forwardedProto(r.Header) {
		case "http":
			return s.httpInfo // the reader reached the proxy over plain HTTP
		case "https":
			if r.TLS == nil {
				return s.proxiedInfo // encrypted with a certificate this server lacks
			}
		}
		return s.connInfo(r)
	}
	if proxyHeaderIn(r.Header) != "" {
		return s.proxiedInfo
	}
	return s.connInfo(r)
}

// hostName returns the host of a Host header as a certificate names it:
// without the port and the brackets of an IPv6 literal, without a
// trailing dot, in lower case. It returns "" for a malformed IPv6 literal.
func hostName(host string) string {
	if strings.HasPrefix(host, "[") {
		i := strings.IndexByte(host, ']')
		if i < 0 || (i+1 < len(host) && host[i+1] != ':') {
			return ""
		}
		return strings.ToLower(host[1:i])
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.IndexByte(host, ':') == i {
		host = host[:i] // one colon: a port (more are a bare IPv6 address)
	}
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// hostCache remembers, for one certificate, which host names it covers,
// so that a request costs a map lookup. It keeps at most maxHosts names
// (the first asked), so that requests with made-up Hosts cannot grow it.
type hostCache struct {
	mu     sync.RWMutex
	covers map[string]bool
}

const maxHosts = 64

// covered reports whether leaf is valid for host (a hostName result):
// x509's VerifyHostname, which matches DNS names, wildcards and, for an IP
// address, the IP SANs.
func (c *hostCache) covered(leaf *x509.Certificate, host string) bool {
	c.mu.RLock()
	ok, known := c.covers[host]
	c.mu.RUnlock()
	if known {
		return ok
	}
	ok = host != "" && leaf.VerifyHostname(host) == nil
	c.mu.Lock()
	if c.covers == nil {
		c.covers = map[string]bool{}
	}
	if len(c.covers) < maxHosts {
		c.covers[host] = ok
	}
	c.mu.Unlock()
	return ok
}

// misdirected reports whether a request over HTTPS names a host that the
// certificate of its connection does not cover. Plain HTTP requests and
// connections whose certificate is not known are never misdirected.
func (s *Server) misdirected(r *http.Request) bool {
	if r.TLS == nil {
		return false
	}
	info := s.connInfo(r)
	if info == nil || info.leaf == nil {
		return false
	}
	return !info.hosts.covered(info.leaf, hostName(r.Host))
}

var misdirectedBody = []byte("421 misdirected request: the certificate of this connection does not cover the host asked for\n")

// serveMisdirected answers 421 Misdirected Request (RFC 9110 §15.5.20): a
// client retries on a new connection, for which it negotiates the right
// certificate. The connection stays open for the requests it does serve
// (HTTP/2 coalescing sends several hosts over one connection).
func serveMisdirected(w http.ResponseWriter) {
	h := w.Header()
	h["Content-Type"] = textPlainValue
	h["Cache-Control"] = noStoreValue
	w.WriteHeader(http.StatusMisdirectedRequest)
	w.Write(misdirectedBody)
}
