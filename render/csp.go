package render

import (
	"net/url"
	"strings"
)

// A policy is a Content-Security-Policy, parsed to tell what it would
// block on the site's pages: the header `site serve` sends
// (content.Config.ContentSecurityPolicy).
type policy struct {
	self       *url.URL // the site's origin
	directives map[string][]string
}

func parsePolicy(header string, self *url.URL) *policy {
	p := &policy{self: self, directives: map[string][]string{}}
	for _, d := range strings.Split(header, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		name := strings.ToLower(f[0])
		if _, dup := p.directives[name]; !dup { // the first of two wins
			p.directives[name] = f[1:]
		}
	}
	return p
}

// fallbacks are the directives a fetch directive falls back to when the
// policy lacks it, in order (CSP Level 3).
var fallbacks = map[string][]string{
	"script-src-elem": {"script-src", "default-src"},
	"script-src-attr": {"script-src", "default-src"},
	"style-src-elem":  {"style-src", "default-src"},
	"style-src-attr":  {"style-src", "default-src"},
	"frame-src":       {"child-src", "default-src"},
	"worker-src":      {"child-src", "script-src", "default-src"},
}

// sources returns the source list that governs directive d, and the
// name of the directive it comes from; ok is false when nothing governs
// it, as for a directive that does not fall back to default-src.
func (p *policy) sources(d string) (list []string, from string, ok bool) {
	if list, ok := p.directives[d]; ok {
		return list, d, true
	}
	chain := fallbacks[d]
	if chain == nil && strings.HasSuffix(d, "-src") {
		chain = []string{"default-src"}
	}
	for _, f := range chain {
		if list, ok := p.directives[f]; ok {
			return list, f, true
		}
	}
	return nil, "", false
}

// allowsInline reports whether inline code governed by d runs: its source
// list has 'unsafe-inline', which a nonce or hash in the list disables.
func (p *policy) allowsInline(d string) bool {
	list, _, ok := p.sources(d)
	if !ok {
		return true
	}
	inline := false
	for _, s := range list {
		switch {
		case s == "'unsafe-inline'":
			inline = true
		case strings.HasPrefix(s, "'nonce-"), strings.HasPrefix(s, "'sha"), s == "'strict-dynamic'":
			return false
		}
	}
	return inline
}

// allowsURL reports whether the resource at u (absolute) loads under d.
func (p *policy) allowsURL(d string, u *url.URL) bool {
	list, _, ok := p.sources(d)
	if !ok {
		return true
	}
	for _, s := range list {
		if p.matches(s, u) {
			return true
		}
	}
	return false
}

// matches reports whether the source expression s matches u.
func (p *policy) matches(s string, u *url.URL) bool {
	scheme := strings.ToLower(u.Scheme)
	network := scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss"
	switch {
	case s == "*":
		return network || scheme == "ftp"
	case s == "'self'":
		return p.self != nil && sameOrigin(p.self, u)
	case strings.HasPrefix(s, "'"):
		return false
	case strings.HasSuffix(s, ":") && !strings.Contains(s, "/"):
		want := strings.ToLower(strings.TrimSuffix(s, ":"))
		return scheme == want || want == "http" && scheme == "https" || want == "ws" && scheme == "wss"
	}
	// A host source: [scheme://]host[:port][/path].
	rest := s
	srcScheme := ""
	if i := strings.Index(rest, "://"); i >= 0 {
		srcScheme, rest = strings.ToLower(rest[:i]), rest[i+3:]
	}
	switch srcScheme {
	case "":
		if scheme != "http" && scheme != "https" {
			return false
		}
	case scheme:
	case "http":
		if scheme != "https" {
			return false
		}
	case "ws":
		if scheme != "wss" {
			return false
		}
	default:
		return false
	}
	path := ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest, path = rest[:i], rest[i:]
	}
	host, port := rest, ""
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		host, port = rest[:i], rest[i+1:]
	}
	uhost := strings.ToLower(u.Hostname())
	host = strings.ToLower(host)
	switch {
	case host == "*":
	case strings.HasPrefix(host, "*."):
		if !strings.HasSuffix(uhost, host[1:]) {
			return false
		}
	case host != uhost:
		return false
	}
	uport := effectivePort(u)
	switch port {
	case "*":
	case "":
		want := defaultPort(srcScheme)
		if srcScheme == "" {
			want = defaultPort(scheme)
		}
		if uport != want && !(want == "80" && uport == "443") {
			return false
		}
	default:
		if port != uport {
			return false
		}
	}
	if path != "" && path != "/" {
		upath := u.Path
		if strings.HasSuffix(path, "/") {
			return strings.HasPrefix(upath, path)
		}
		return upath == path
	}
	return true
}

// sameOrigin reports whether u is of the site's origin self, counting an
// upgrade from http to https as CSP's 'self' does.
func sameOrigin(self, u *url.URL) bool {
	if !strings.EqualFold(self.Hostname(), u.Hostname()) {
		return false
	}
	s, us := strings.ToLower(self.Scheme), strings.ToLower(u.Scheme)
	if s == us {
		return effectivePort(self) == effectivePort(u)
	}
	return s == "http" && us == "https" && (effectivePort(self) == "80" && effectivePort(u) == "443" || self.Port() == u.Port())
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	return defaultPort(strings.ToLower(u.Scheme))
}

func defaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	case "ftp":
		return "21"
	}
	return ""
}
