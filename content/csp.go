package content

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// What becomes of raw HTML in Markdown (Config.RawHTML).
const (
	RawHTMLPass   = "pass"
	RawHTMLEscape = "escape"
	RawHTMLOmit   = "omit"
)

// BaseCSP is the Content-Security-Policy of a site without [csp]: every
// resource from the site's own origin, nothing inline, nothing else.
const BaseCSP = "default-src 'self'"

// cspDirectives are the directives [csp] may name: the fetch directives,
// which fall back to default-src, and the navigation and document ones
// that take sources.
var cspDirectives = map[string]bool{
	"default-src": true, "child-src": true, "connect-src": true, "font-src": true,
	"frame-src": true, "img-src": true, "manifest-src": true, "media-src": true,
	"object-src": true, "script-src": true, "script-src-elem": true, "script-src-attr": true,
	"style-src": true, "style-src-elem": true, "style-src-attr": true, "worker-src": true,
	"base-uri": true, "form-action": true, "frame-ancestors": true,
}

// cspKeywords are the keywords a source list may hold, quoted.
var cspKeywords = map[string]bool{
	"self": true, "none": true, "unsafe-inline": true, "unsafe-eval": true, "unsafe-hashes": true,
	"strict-dynamic": true, "report-sample": true, "wasm-unsafe-eval": true, "inline-speculation-rules": true,
}

// cspSource matches a scheme source ("https:", "data:") or a host source
// ("https://*.example.com:443/path/", "cdn.example.com", "*").
var cspSource = regexp.MustCompile(`^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?(?:\*|(?:\*\.)?[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)(?::(?:[0-9]+|\*))?(?:/[^\s;,]*)?)$`)

// checkCSP checks the sources [csp] gives a directive.
func checkCSP(name string, sources []string) error {
	if !cspDirectives[name] {
		return fmt.Errorf("not a directive that takes sources (want one of %s)", strings.Join(sortedKeys(cspDirectives), ", "))
	}
	for _, s := range sources {
		quoted := len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\''
		switch {
		case quoted:
			kw := s[1 : len(s)-1]
			if !cspKeywords[kw] && !strings.HasPrefix(kw, "nonce-") && !strings.HasPrefix(kw, "sha256-") &&
				!strings.HasPrefix(kw, "sha384-") && !strings.HasPrefix(kw, "sha512-") {
				return fmt.Errorf("%s is not a keyword, nonce or hash", s)
			}
		case cspKeywords[s]:
			return fmt.Errorf("%s is a keyword: write it in single quotes, \"'%s'\"", s, s)
		case !cspSource.MatchString(s):
			return fmt.Errorf("%q is not a source (want a scheme like \"https:\", a host like \"https://www.youtube-nocookie.com\", or a quoted keyword like \"'self'\")", s)
		}
	}
	return nil
}

// ContentSecurityPolicy is the Content-Security-Policy header of the
// site: BaseCSP, then each directive [csp] names, in alphabetical order,
// with its sources. A fetch directive (NAME-src) replaces default-src for
// its kind of resource, so it starts with 'self' unless its sources name
// 'self' or 'none' already; default-src adds to BaseCSP's.
//
//	[csp]
//	frame-src = ["https://www.youtube-nocookie.com"]
//
// gives "default-src 'self'; frame-src 'self' https://www.youtube-nocookie.com".
func (c *Config) ContentSecurityPolicy() string {
	if len(c.CSP) == 0 {
		return BaseCSP
	}
	var b strings.Builder
	b.WriteString(BaseCSP)
	for _, s := range c.CSP["default-src"] {
		if s != "'self'" && s != "'none'" {
			b.WriteString(" " + s)
		}
	}
	for _, name := range sortedKeys(c.CSP) {
		if name == "default-src" {
			continue
		}
		sources := c.CSP[name]
		b.WriteString("; " + name)
		if strings.HasSuffix(name, "-src") && !containsAny(sources, "'self'", "'none'") {
			b.WriteString(" 'self'")
		}
		if len(sources) == 0 && !strings.HasSuffix(name, "-src") {
			b.WriteString(" 'none'")
		}
		for _, s := range sources {
			b.WriteString(" " + s)
		}
	}
	return b.String()
}

func containsAny(list []string, values ...string) bool {
	for _, s := range list {
		for _, v := range values {
			if s == v {
				return true
			}
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
