package render

import (
	"bytes"
	"net/url"
	"regexp"
)

// embeddedURL finds resources a Markdown source embeds by absolute URL:
// images, and the src, href, data and poster of HTML elements that load
// something (not links a reader follows).
var embeddedURL = regexp.MustCompile(`!\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>]+)` +
	`|<(?:img|script|iframe|video|audio|source|track|embed|object|link)\b[^>]*?\b(?:src|href|data|poster)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)`)

// inlineCode matches code spans, whose text is shown, not loaded.
var inlineCode = regexp.MustCompile("`+[^`]*`+")

// foreignResources returns the URLs of resources that Markdown embeds from
// other origins than base's. Such a resource is not covered by the issuer
// badge of the page it appears on. Code (fenced or inline) is ignored.
func foreignResources(md []byte, base *url.URL) []string {
	if !bytes.Contains(md, []byte("//")) {
		return nil // no absolute URL at all: the common case, decided fast
	}
	var found []string
	fence := ""
	for _, line := range bytes.Split(md, []byte("\n")) {
		trimmed := string(bytes.TrimLeft(line, " "))
		if fence != "" {
			if len(trimmed) >= len(fence) && trimmed[:len(fence)] == fence {
				fence = ""
			}
			continue
		}
		if len(trimmed) >= 3 && (trimmed[:3] == "```" || trimmed[:3] == "~~~") {
			fence = trimmed[:3]
			continue
		}
		if !bytes.Contains(line, []byte("//")) {
			continue
		}
		line = inlineCode.ReplaceAll(line, nil)
		for _, m := range embeddedURL.FindAllSubmatch(line, -1) {
			raw := string(m[1])
			if raw == "" {
				raw = string(m[2])
			}
			u, err := url.Parse(raw)
			if err != nil || u.Host == base.Host && (u.Scheme == "" || u.Scheme == base.Scheme) {
				continue
			}
			found = append(found, raw)
		}
	}
	return found
}
