package render

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// TestTagCollisionsRendered checks the tag pages and the tags index of
// tags whose names share letters: each its own page, each post once.
func TestTagCollisionsRendered(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":          {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n")},
		"content/posts/a.md": {Data: []byte("---\ntitle: A\ndate: 2024-01-01\ntags: [C, C++, C#]\n---\nx\n")},
		"content/posts/b.md": {Data: []byte("---\ntitle: B\ndate: 2024-01-02\ntags: [c, Go, go]\ncategories: [C++]\n---\nx\n")},
		"content/posts/c.md": {Data: []byte("---\ntitle: C\ndate: 2024-01-03\ntags: [go lang, go-lang]\n---\nx\n")},
	}
	out, _ := build(t, fsys, nil)
	count := regexp.MustCompile(`href="(/tags/[^"]*/)">([^<]*) <span class="tag-count">(\d+)<`)
	var got []string
	for _, m := range count.FindAllStringSubmatch(string(out.Files()["tags/index.html"]), -1) {
		got = append(got, m[1]+" "+m[2]+" "+m[3])
	}
	want := []string{"/tags/c/ C 2", "/tags/c-sharp/ C# 1", "/tags/c-plus-plus/ C&#43;&#43; 2", "/tags/go/ Go 1", "/tags/go-lang/ go lang 1"} // by name
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tags index:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for page, titles := range map[string][]string{
		"tags/c/index.html":           {"B", "A"},
		"tags/c-plus-plus/index.html": {"B", "A"},
		"tags/c-sharp/index.html":     {"A"},
		"tags/go/index.html":          {"B"},
		"tags/go-lang/index.html":     {"C"},
	} {
		html := string(out.Files()[page])
		var listed []string
		for _, m := range regexp.MustCompile(`<h2 class="summary-title p-name"><a class="u-url" href="[^"]*">([^<]*)</a>`).FindAllStringSubmatch(html, -1) {
			listed = append(listed, m[1])
		}
		if strings.Join(listed, ",") != strings.Join(titles, ",") {
			t.Errorf("%s lists %q, want %q", page, listed, titles)
		}
	}
	// Each post shows each of its tags once.
	b := string(out.Files()["2024/01/b/index.html"])
	if n := strings.Count(b, `href="/tags/c/"`); n != 1 {
		t.Errorf("post B links /tags/c/ %d times, want 1", n)
	}
}

// TestParamsAndSections checks what templates see of site.toml's params,
// of front matter keys and of _index.md files.
func TestParamsAndSections(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":               {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"mine\"\n[params]\ntagline = \"Notes\"\n[params.social]\nmastodon = \"@me\"\n")},
		"content/posts/a.md":      {Data: []byte("---\ntitle: A\ndate: 2024-01-01\nSubtitle: The first\ncover-image: a.png\nextra: {mood: calm}\n---\nx\n")},
		"content/posts/_index.md": {Data: []byte("+++\ntitle = \"The blog\"\ndescription = \"All posts\"\n[extra]\nicon = \"b.svg\"\n+++\n")},
		"themes/mine/templates/post.html": {Data: []byte(`{{define "main"}}` +
			`[site:{{.Site.Params.tagline}}/{{.Site.Params.social.mastodon}}]` +
			`[post:{{.Post.Params.subtitle}}/{{index .Post.Params "cover-image"}}/{{.Post.Params.extra.mood}}]` +
			`{{with index .Site.Sections "posts"}}[section:{{.Title}}/{{.Summary}}/{{.Params.extra.icon}}]{{end}}` +
			`{{end}}`)},
	}
	out, _ := build(t, fsys, nil)
	html := string(out.Files()["2024/01/a/index.html"])
	for _, want := range []string{"[site:Notes/@me]", "[post:The first/a.png/calm]", "[section:The blog/All posts/b.svg]"} {
		if !strings.Contains(html, want) {
			t.Errorf("post page lacks %s", want)
		}
	}
	if _, ok := out.Files()["posts/index.html"]; ok {
		t.Error("_index.md was published as a page")
	}
}

// TestDatesShownAsWritten checks that a date keeps its offset on the page
// and in the URL unless the site sets a timezone.
func TestDatesShownAsWritten(t *testing.T) {
	for _, tt := range []struct {
		timezone, page, shown, iso string
	}{
		{"", "2016/12/a/index.html", "1 December 2016", "2016-12-01T09:00:00+10:00"},
		{"UTC", "2016/11/a/index.html", "30 November 2016", "2016-11-30T23:00:00Z"},
	} {
		conf := "title = \"T\"\nbase_url = \"https://example.org/\"\n"
		if tt.timezone != "" {
			conf += "timezone = \"" + tt.timezone + "\"\n"
		}
		fsys := fstest.MapFS{
			"site.toml":          {Data: []byte(conf)},
			"content/posts/a.md": {Data: []byte("---\ntitle: A\ndate: 2016-12-01T09:00:00+10:00\n---\nx\n")},
		}
		out, _ := build(t, fsys, nil)
		html := string(out.Files()[tt.page])
		attr := strings.ReplaceAll(tt.iso, "+", "&#43;") // as html/template escapes it
		if !strings.Contains(html, `datetime="`+attr+`">`+tt.shown+`</time>`) {
			t.Errorf("timezone %q: %s does not show %s (%s)", tt.timezone, tt.page, tt.shown, tt.iso)
		}
		if !strings.Contains(string(out.Files()["feed.xml"]), "<published>"+tt.iso+"</published>") {
			t.Errorf("timezone %q: feed.xml lacks <published>%s</published>", tt.timezone, tt.iso)
		}
		archive := string(out.Files()["archive/index.html"])
		if !strings.Contains(archive, tt.shown[len(tt.shown)-4:]) {
			t.Errorf("timezone %q: the archive lacks the year", tt.timezone)
		}
	}
}
