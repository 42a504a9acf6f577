package render

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestZolaShortcodes builds a Zola page: a body shortcode through the
// site's template (its body rendered by markdownify), a built-in youtube,
// an unknown shortcode as a warning, and Liquid left out though the page
// holds {% … %}.
func TestZolaShortcodes(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml": {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"t\"\n")},
		"content/posts/z.md": {Data: []byte(`+++
title = "Z"
date = 2024-01-01
+++

{% note(kind="info") %}
A *note* with {{ kbd(key='Ctrl') }}.
{% end %}

{{ youtube(id="dQw4w9WgXcQ") }}

Before {{ gone(x=1) }} after.

` + "`{{/* youtube(id=\"x\") */}}`" + ` is the escape.
`)},
		"themes/t/shortcodes/note.html": {Data: []byte(`<aside class="{{ .Get "kind" }}">{{ .Inner | markdownify }}</aside>`)},
		"themes/t/shortcodes/kbd.html":  {Data: []byte(`<kbd>{{ .Get "key" }}</kbd>`)},
	}
	out, stats := build(t, fsys, nil)
	z := string(out.Files()["2024/01/z/index.html"])
	for _, want := range []string{
		`<aside class="info">A <em>note</em> with <kbd>Ctrl</kbd>.</aside>`,
		`<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="YouTube Video" allowfullscreen></iframe>`,
		`<p>Before  after.</p>`,
		`<code>{{ youtube(id=&quot;x&quot;) }}</code> is the escape.`,
	} {
		if !strings.Contains(z, want) {
			t.Errorf("z.md's page lacks %q:\n%s", want, z)
		}
	}
	if strings.Contains(z, "{%") || strings.Contains(z, "gone") || strings.ContainsAny(z, "\uE000\uE001") {
		t.Errorf("z.md's page shows a shortcode or a placeholder:\n%s", z)
	}
	var warnings []string
	for _, w := range stats.Warnings {
		if strings.Contains(w.String(), "Zola") || strings.Contains(w.String(), "Liquid") {
			warnings = append(warnings, w.String())
		}
	}
	if want := "content/posts/z.md:12: unknown Zola shortcode {{ gone(x=1) }}"; len(warnings) != 1 || !strings.HasPrefix(warnings[0], want) {
		t.Errorf("warnings %q, want one %q", warnings, want)
	}
}
