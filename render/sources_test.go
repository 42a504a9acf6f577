package render

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/siteblog/site/content"
)

// buildErr loads and renders fsys, and returns the build's error.
func buildErr(t *testing.T, fsys fstest.MapFS) error {
	t.Helper()
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	site, err := content.Load(fsys, cfg, content.Options{Now: now})
	if err != nil {
		return err
	}
	r, err := New(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Build(site, NewMemOutput(nil))
	return err
}

// A file the renderer writes twice, or where another needs a directory,
// is reported at the page, alias or file that asked for it.
func TestPlanClashesNameTheirSource(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"static file at the index", map[string]string{"static/index.html": "<p>x</p>"},
			"static/index.html: copied as index.html, which the site's index page / writes too; change or remove it"},
		{"static file at the tag index", map[string]string{"static/tags/index.html": "<p>x</p>"},
			"static/tags/index.html: copied as tags/index.html, which the site's tags page /tags/ writes too"},
		{"static file at a tag's page", map[string]string{"static/tags/x/index.html": "<p>x</p>"},
			"static/tags/x/index.html: copied as tags/x/index.html, which the site's tag page /tags/x/ writes too"},
		{"static file at the feed", map[string]string{"static/feed.xml": "<feed/>"},
			"static/feed.xml: copied as feed.xml, which the site's feed feed.xml writes too"},
		{"content file at the sitemap", map[string]string{"content/sitemap.xml": "<urlset/>"},
			"content/sitemap.xml: copied as sitemap.xml, which the site itself"},
		{"static file at the 404 page", map[string]string{"static/404.html": "<p>x</p>"},
			"static/404.html: copied as 404.html, which the site's 404 page /404.html writes too"},
		{"alias inside the feed", map[string]string{"content/posts/e.md": "---\ntitle: E\ndate: 2024-05-01\n\naliases: [/feed.xml/]\n---\n"},
			"content/posts/e.md:5: alias /feed.xml/ writes feed.xml/index.html inside feed.xml, which the site's feed feed.xml writes as a file"},
		{"relative alias inside the JSON feed", map[string]string{"content/posts/e.md": "---\ntitle: E\ndate: 2024-05-01\naliases: [feed.json]\n---\n"},
			"content/posts/e.md:4: alias /feed.json/ writes feed.json/index.html inside feed.json"},
		{"redirect page inside robots.txt", map[string]string{"content/r.md": "---\nurl: /robots.txt/\nredirect: /about/\n---\n"},
			"content/r.md:3: redirect writes robots.txt/index.html inside robots.txt, which the site itself"},
		{"page inside the sitemap", map[string]string{"content/s.md": "---\ntitle: S\nurl: /sitemap.xml/x/\n---\n"},
			"content/s.md:3: page writes sitemap.xml/x/index.html inside sitemap.xml"},
		{"static file where the site writes a directory", map[string]string{"static/tags/x": "a file"},
			"static/tags/x: copied as tags/x as a file, where the site's feed tags/x/feed.xml writes tags/x/feed.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testSite()
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			err := buildErr(t, fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestScrub(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain <b>text</b>\t\r\n", "plain <b>text</b>\t\r\n"},
		{"a\x00b\x1bc\x7f", "a\ufffdb\ufffdc\ufffd"},
		{"é\u0085\u009f日本", "é\ufffd\ufffd日本"},
		{"\ufdd0\ufdef\ufdcf\ufdf0", "\ufffd\ufffd\ufdcf\ufdf0"},
		{"\ufffe\uffff\ufffd\U0001fffe\U0010ffff\U0001f600", "\ufffd\ufffd\ufffd\ufffd\ufffd\U0001f600"},
		{"caf\xe9 \x93quoted\x94 \xed\xa0\x80 é", "caf\ufffd \ufffdquoted\ufffd \ufffd\ufffd\ufffd é"},
	} {
		if got := string(scrub([]byte(tt.in))); got != tt.want {
			t.Errorf("scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := scrubString(tt.in); got != tt.want {
			t.Errorf("scrubString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// jsonControl is an escaped control character in JSON text.
var jsonControl = regexp.MustCompile(`\\u00[01][0-9a-fA-F]|\\u007[fF]|\\u008[0-9a-fA-F]|\\u009[0-9a-fA-F]|\\u[fF][dD][dDeE][0-9a-fA-F]|\\u[fF]{3}[eEfF]`)

// No made file holds a control character or a noncharacter, even when
// the site's data holds them (here put into a loaded site by hand, since
// content refuses them in files).
func TestOutputsHoldOnlyText(t *testing.T) {
	fsys := testSite()
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	site, err := content.Load(fsys, cfg, content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	bad := "x\x00\x01\x1b\u0085\ufffe\uffff\ufdd0y"
	cfg.Title += bad
	cfg.Description = bad
	cfg.Author.Name = bad
	for _, pg := range site.All() {
		pg.Title += bad
		pg.Authors = []string{bad}
		pg.Body = append(pg.Body, "\n\nMore "+bad+".\n"...)
	}
	for _, tag := range site.Tags {
		tag.Name += bad
	}
	r, err := New(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := NewMemOutput(nil)
	if _, err := r.Build(site, out); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for name, data := range out.Files() {
		if strings.HasPrefix(name, "assets/") || strings.HasPrefix(name, "robots") {
			continue
		}
		checked++
		if i := firstNotText(data); i >= 0 {
			r, _ := utf8.DecodeRune(data[i:])
			t.Errorf("%s holds %U at byte %d: %q", name, r, i, data[max(0, i-20):min(len(data), i+20)])
		}
		if m := jsonControl.Find(data); m != nil && strings.HasSuffix(name, ".json") {
			t.Errorf("%s holds the escape %s", name, m)
		}
		words := strings.HasPrefix(name, searchIndexDir) && !strings.HasPrefix(name, searchIndexDir+"doc/") // the search index's words, cut at U+FFFD
		if !bytes.Contains(data, []byte("x\ufffd")) && (strings.HasSuffix(name, ".json") && !words || strings.HasSuffix(name, ".xml") && name != "sitemap.xml") {
			t.Errorf("%s does not show the replaced text", name)
		}
	}
	if checked < 10 {
		t.Errorf("only %d files checked", checked)
	}
}

// firstNotTextByByte is firstNotText reading one byte at a time, as it
// did before it read eight.
func firstNotTextByByte(data []byte) int {
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c >= 0x20 && c < 0x7F || c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if c < 0x80 {
			return i
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 || content.NotText(r) {
			return i
		}
		i += size - 1
	}
	return -1
}

// TestFirstNotTextRandom holds firstNotText, of bytes and of strings,
// equal to reading one byte at a time, on random texts where a refused
// character may stand at any place of an eight-byte word.
func TestFirstNotTextRandom(t *testing.T) {
	pieces := []string{"a", "Z", " ", "~", "\t", "\n", "\r", "\x00", "\x01", "\x1f", "\x7f", "\x80", "\xff", "é", "日本", "\ufffe", "\U0010ffff", "\u200b", "\xe6\x97", "<p>", "0123456789abcdef"}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 100000 {
		var b []byte
		for range rng.IntN(24) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		want := firstNotTextByByte(b)
		if got := firstNotText(b); got != want {
			t.Fatalf("firstNotText(%q) = %d, want %d", b, got, want)
		}
		if got := firstNotText(string(b)); got != want {
			t.Fatalf("firstNotText(string %q) = %d, want %d", b, got, want)
		}
	}
}
