package content

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode"
)

// redirectTarget reads a redirect or redirect_to front matter value: a
// URL, or a list of URLs of which the first is used (as Jekyll's
// jekyll-redirect-from does). An empty value is no redirect, as in both
// engines. The target is an absolute http(s) URL, one starting with "//",
// or a path with an optional query and fragment.
func redirectTarget(v any) (string, error) {
	if list, ok := v.([]any); ok {
		v = nil
		for _, e := range list {
			if e != nil {
				v = e
				break
			}
		}
		if v == nil {
			return "", nil
		}
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("want a URL, found %s", describe(v))
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if strings.ContainsRune(s, '\\') || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", fmt.Errorf("%q: want a URL without spaces, \\ or control characters", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q: want a URL: %v", s, errors.Unwrap(err))
	}
	switch {
	case u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%q: want an http or https URL, or a path on this site", s)
	case (u.Scheme != "" || strings.HasPrefix(s, "//")) && u.Host == "":
		return "", fmt.Errorf("%q: want a host after //", s)
	}
	return s, nil
}

// isAbsoluteURL reports whether a redirect target names another host:
// it has a scheme, or starts with "//".
func isAbsoluteURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "//") || strings.HasPrefix(l, "http:") || strings.HasPrefix(l, "https:")
}

// resolveRedirect returns where a page at pageURL redirects to: an
// absolute URL as it is, a path starting with "/" as it is (a path from
// the site root), and a relative path resolved as its engine resolved it:
// Jekyll's redirect_to against the site root, the Go blog's redirect
// against the page's own URL, as a browser (and Go's http.Redirect, which
// golang.org/x/website uses) resolves it: on /blog/old, "new" is /blog/new.
func resolveRedirect(target string, jekyll bool, pageURL string) (string, error) {
	if isAbsoluteURL(target) || strings.HasPrefix(target, "/") {
		return target, nil
	}
	p, rest := target, ""
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		p, rest = target[:i], target[i:]
	}
	base := "/"
	if !jekyll {
		base = pageURL[:strings.LastIndex(pageURL, "/")+1]
	}
	if p == "" {
		if jekyll {
			return "/" + rest, nil
		}
		return pageURL + rest, nil // "#top", "?x": the page's own URL
	}
	rel := path.Clean(strings.TrimPrefix(base, "/") + p)
	switch {
	case rel == ".":
		return "/" + rest, nil
	case rel == ".." || strings.HasPrefix(rel, "../"):
		return "", fmt.Errorf("%q: goes above the site's root", target)
	}
	u := "/" + rel
	if strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || p == "." || strings.HasSuffix(p, "..") {
		u += "/"
	}
	return u + rest, nil
}
