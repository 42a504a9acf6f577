package siteimport

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/testenv"
)

func TestJekyllPermalink(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"date", "/:categories/:year/:month/:day/:title:output_ext", ""},
		{"pretty", "/:categories/:year/:month/:day/:title/", ""},
		{"none", "/:categories/:title:output_ext", ""},
		{"/blog/:year/:slug", "/blog/:year/:title", ""},
		{":year/:month/:name:output_ext", "/:year/:month/:filename:output_ext", ""},
		{"ordinal", "", ":y_day"},
		{"/:year/:i_month/:title/", "", ":i_month"},
		{"/:year/:month/", "", "no :title"},
	} {
		got, err := jekyllPermalink(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one saying %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestHugoPermalink(t *testing.T) {
	for _, tc := range []struct {
		in        string
		ugly      bool
		want, err string
	}{
		{"/:year/:month/:title/", false, "/:year/:month/:hugo_title/", ""},
		{"/:year/:month/:slug/", false, "/:year/:month/:hugo_slug/", ""},
		{"/:section/:filename", false, "/:section/:hugo_filename/", ""},
		{":sections/:slugorfilename/", false, "/:section/:hugo_slugorfilename/", ""},
		{"/:contentbasename/", false, "/:hugo_filename/", ""},
		{"/:slugorcontentbasename/", false, "/:hugo_slugorfilename/", ""},
		{"/:year/:slug/", true, "/:year/:hugo_slug.html", ""},
		{"/:year/:monthname/:slug/", false, "", ":monthname"},
		{"/:year/", false, "", "no :title"},
	} {
		got, err := hugoPermalink(tc.in, tc.ugly)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one saying %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestPelicanPermalink(t *testing.T) {
	for _, tc := range []struct{ url, source, want, err string }{
		{"{slug}.html", "title", "/:slug.html", ""},
		{"{date:%Y}/{date:%m}/{slug}.html", "title", "/:year/:month/:slug.html", ""},
		{"posts/{date:%Y}/{date:%m}/{date:%d}/{slug}/", "title", "/posts/:year/:month/:day/:slug/", ""},
		{"{slug}/", "basename", "/:slugorfilename/", ""},
		{"posts/{category}/{slug}.html", "title", "/posts/:pelican_category/:slug.html", ""},
		{"{author}/{slug}.html", "title", "", "{author}"},
		{"{date:%b}/{slug}", "title", "", "{date:%b}"},
		{"{date:%Y}/", "title", "", "no {slug}"},
	} {
		got, err := pelicanPermalink(tc.url, tc.source)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one saying %q", tc.url, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %q, %v; want %q", tc.url, got, err, tc.want)
		}
	}
}

func TestParsePy(t *testing.T) {
	src := `# settings
import os
from x import *
A = 'single'
B = "double \"quoted\"\n"
C = 12
D = -1.5
E = True
F = None
G = ['a', "b",
     'c',]
H = ('x', ('y', 2))
I = {'k': 'v', "n": {'m': 1}}
J = r'raw\d'
K = 'adjacent ' 'strings'
L = """triple
quoted"""
M = os.path.join('a', 'b')
N = A + 'x'
O = f'{A}'
lower = 1
if A:
    P = 1
    R = 2
def f(x):
    return x
Q = 'after'
S = A + ' and ' + Q
T = ['x'] + G
U = Z
V = A.upper()
`
	want := []pyAssign{
		{Name: "A", Line: 4, Value: "single"},
		{Name: "B", Line: 5, Value: "double \"quoted\"\n"},
		{Name: "C", Line: 6, Value: int64(12)},
		{Name: "D", Line: 7, Value: -1.5},
		{Name: "E", Line: 8, Value: true},
		{Name: "F", Line: 9, Value: nil},
		{Name: "G", Line: 10, Value: []any{"a", "b", "c"}},
		{Name: "H", Line: 12, Value: []any{"x", []any{"y", int64(2)}}},
		{Name: "I", Line: 13, Value: map[string]any{"k": "v", "n": map[string]any{"m": int64(1)}}},
		{Name: "J", Line: 14, Value: `raw\d`},
		{Name: "K", Line: 15, Value: "adjacent strings"},
		{Name: "L", Line: 16, Value: "triple\nquoted"},
		{Name: "M", Line: 18, Err: errAny},
		{Name: "N", Line: 19, Value: "singlex"},
		{Name: "O", Line: 20, Err: errAny},
		{Name: "lower", Line: 21, Value: int64(1)},
		{Line: 22, Err: errAny},
		{Line: 25, Err: errAny},
		{Name: "Q", Line: 27, Value: "after"},
		{Name: "S", Line: 28, Value: "single and after"},
		{Name: "T", Line: 29, Value: []any{"x", "a", "b", "c"}},
		{Name: "U", Line: 30, Err: errAny},
		{Name: "V", Line: 31, Err: errAny},
	}
	got := parsePy(src)
	if len(got) != len(want) {
		t.Fatalf("got %d assignments, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || g.Line != w.Line || (g.Err != nil) != (w.Err != nil) || !reflect.DeepEqual(g.Value, w.Value) {
			t.Errorf("assignment %d: got %+v, want %+v", i, g, w)
		}
	}
}

var errAny = os.ErrInvalid // marks an assignment that must fail

// writeTree writes files (slash paths → contents) below a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, files)
	return dir
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		want  Engine
		file  string
	}{
		{map[string]string{"config.toml": "base_url = \"https://a.org\"\n[extra]\n"}, Zola, "config.toml"},
		{map[string]string{"config.toml": "baseURL = \"https://a.org\"\n"}, Hugo, "config.toml"},
		{map[string]string{"config.toml": "title = \"x\"\n"}, Hugo, "config.toml"},
		{map[string]string{"hugo.toml": "", "config.toml": "base_url = 'x'"}, Hugo, "hugo.toml"},
		{map[string]string{"config.yaml": "baseURL: x\n"}, Hugo, "config.yaml"},
		{map[string]string{"_config.yml": "title: x\n"}, Jekyll, "_config.yml"},
		{map[string]string{"pelicanconf.py": "SITENAME = 'x'\n"}, Pelican, "pelicanconf.py"},
		{map[string]string{"config/_default/hugo.toml": "title = 'x'\n"}, Hugo, "config/_default/hugo.toml"},
	} {
		dir := writeTree(t, tc.files)
		engine, file, err := Detect(dir)
		if err != nil || engine != tc.want || file != tc.file {
			t.Errorf("%v: %s %s %v, want %s %s", tc.files, engine, file, err, tc.want, tc.file)
		}
	}
	if _, _, err := Detect(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no site configuration") {
		t.Errorf("an empty directory: %v", err)
	}
}

// TestErrors: a configuration that cannot be read, or a key of the wrong
// type, is an error naming the file and the line.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"_config.yml": "title: x\nurl: [a\nb: 1\n"}, "_config.yml:3: "},
		{map[string]string{"_config.yml": "title: x\npaginate: ten\n"}, "_config.yml:2: paginate: want a whole number"},
		{map[string]string{"_config.yml": "title:\n  - a\n"}, "_config.yml:1: title: want a string"},
		{map[string]string{"hugo.toml": "title = 'x'\n[markup.goldmark.renderer]\nunsafe = 'yes'\n"}, "hugo.toml:3: markup.goldmark.renderer.unsafe: want true or false"},
		{map[string]string{"hugo.toml": "title = 'x\n"}, "hugo.toml:1: "},
		{map[string]string{"config.toml": "base_url = 'https://a.org'\ntitle = 3\n"}, "config.toml:2: title: want a string"},
		{map[string]string{"pelicanconf.py": "SITENAME = 'x'\nDEFAULT_PAGINATION = 'ten'\n"}, "pelicanconf.py:2: DEFAULT_PAGINATION: want a number"},
		{map[string]string{"pelicanconf.py": "SITENAME = get_name()\n"}, "pelicanconf.py:1: SITENAME: "},
		{map[string]string{"pelicanconf.py": "STATIC_PATHS = 'images'\n"}, "pelicanconf.py:1: STATIC_PATHS: want a list"},
	} {
		dir := writeTree(t, tc.files)
		_, err := Read(dir)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one starting %q", tc.files, err, tc.want)
		}
	}
}

func TestImportRefuses(t *testing.T) {
	src := writeTree(t, map[string]string{"_config.yml": "title: x\nurl: https://a.org\n", "_posts/2024-01-01-a.md": "---\ntitle: a\n---\n"})
	full := writeTree(t, map[string]string{"keep.txt": "mine"})
	if _, err := Import(src, full); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a non-empty output: %v", err)
	}
	if data, err := os.ReadFile(filepath.Join(full, "keep.txt")); err != nil || string(data) != "mine" {
		t.Errorf("the output's file changed: %q %v", data, err)
	}
	if _, err := os.Stat(filepath.Join(full, "site.toml")); err == nil {
		t.Errorf("site.toml written into a non-empty directory")
	}
	if _, err := Import(src, filepath.Join(src, "new")); err == nil || !strings.Contains(err.Error(), "inside the source") {
		t.Errorf("an output inside the source: %v", err)
	}
	empty := t.TempDir()
	if _, err := Import(src, empty); err != nil {
		t.Errorf("an empty output: %v", err)
	}
}

// TestDefaults: what a site's configuration leaves out, or gives in a
// form site.toml cannot take, is named, and placeholders stand in.
func TestDefaults(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		tz    string
		notes []string
	}{
		{map[string]string{"_config.yml": "baseurl: /blog\n"}, "UTC", []string{"_config.yml: no title", "_config.yml: no base URL", "_config.yml:1: baseurl: not mapped without url", "_config.yml: timezone: not set, so Jekyll converted dates"}},
		{map[string]string{"hugo.toml": "title = 'x'\nbaseURL = '/'\ntimeZone = 'Mars/Olympus'\n"}, "", []string{`hugo.toml: base URL "/" is not an absolute`, "hugo.toml: no base URL", `hugo.toml:3: timezone: "Mars/Olympus" is not a known IANA time zone`}},
		{map[string]string{"pelicanconf.py": "SITENAME = 'x'\nSITEURL = ''\n"}, "", []string{"pelicanconf.py: no base URL"}},
	} {
		p, err := Read(writeTree(t, tc.files))
		if err != nil {
			t.Fatal(err)
		}
		if p.Config.Title == "" || p.Config.BaseURL != "https://example.org/" || p.Config.Timezone != tc.tz {
			t.Errorf("%v: title %q, base_url %q, timezone %q: want placeholders and timezone %q", tc.files, p.Config.Title, p.Config.BaseURL, p.Config.Timezone, tc.tz)
		}
		var notes []string
		for _, n := range p.Notes {
			notes = append(notes, n.String())
		}
		all := strings.Join(notes, "\n")
		for _, want := range tc.notes {
			if !strings.Contains(all, want) {
				t.Errorf("%v: notes lack %q:\n%s", tc.files, want, all)
			}
		}
	}
}

// TestBaseURLScheme: a base URL written as a host and path gets https://.
func TestBaseURLScheme(t *testing.T) {
	p, err := Read(writeTree(t, map[string]string{"hugo.toml": "title = 'x'\nbaseURL = 'blog.example.org/'\n"}))
	if err != nil {
		t.Fatal(err)
	}
	if p.Config.BaseURL != "https://blog.example.org/" {
		t.Errorf("base_url %q, want https://blog.example.org/", p.Config.BaseURL)
	}
}

func TestDated(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"a.md":                  "---\ntitle: a\ndate: 2024-01-01\n---\n",
		"b.md":                  "+++\ntitle = 'b'\n+++\n",
		"2024-01-02-c.md":       "---\ntitle: c\n---\n",
		"2024-01-03_d/index.md": "+++\ntitle = 'd'\n+++\n",
		"e.md":                  "\n\n+++\ntitle = 'e'\ndate = 2024-11-26T15:44:23+01:00\n+++\n",
		"f.md":                  "---\ntitle: f\nPublishDate: 2024-01-01\n---\n",
		"g.md":                  "+++\ntitle = 'g'\n[extra]\ndate = 2024-01-01\n+++\n",
		"h.md":                  "Just prose. date: never\n",
		"i.md":                  "\n+++\ntitle = 'i'\npath = \"inside-rust/2024/04/12/i\"\n+++\n",
		"j.md":                  "---\ntitle: j\nurl: /2019/1/9/j/\n---\n",
		"k.md":                  "+++\ntitle = 'k'\npath = \"about/k\"\n+++\n",
		"l.md":                  "{\n  \"title\": \"l\",\n  \"date\": \"2019-01-09\"\n}\n",
		"m.md":                  "{\n  \"title\": \"m\",\n  \"url\": \"/2019/1/9/m/\",\n  \"draft\": false\n}\n",
		"n.md":                  "{\"title\": \"n\"}\n",
	})
	for name, want := range map[string]bool{"a.md": true, "b.md": false, "2024-01-02-c.md": true, "2024-01-03_d/index.md": true, "e.md": true, "f.md": true, "g.md": false, "h.md": false, "i.md": true, "j.md": true, "k.md": false, "l.md": true, "m.md": true, "n.md": false} {
		if got, err := dated(dir, name); err != nil || got != want {
			t.Errorf("dated(%s) = %t, %v; want %t", name, got, err, want)
		}
	}
	if l := content.FrontMatterKeys([]byte("\n\n+++\ntitle = 'e'\ndate = 2024-11-26\n+++\n"))["date"]; l != 5 {
		t.Errorf("date of e.md on line %d, want 5", l)
	}
}

// TestPlanPosts counts the posts a plan copies: in named sections at any
// depth, in the root section only the files directly under content/ and
// the index.md of a bundle directly below it.
func TestPlanPosts(t *testing.T) {
	files := func(tos ...string) []Copy {
		var out []Copy
		for _, to := range tos {
			out = append(out, Copy{To: to})
		}
		return out
	}
	tests := []struct {
		sections []string
		files    []Copy
		want     int
	}{
		{nil, files("content/posts/a.md", "content/posts/2020/b/index.md", "content/posts/_index.md", "content/about.md", "content/posts/x.png"), 2},
		{[]string{"blog"}, files("content/blog/a.md", "content/posts/b.md"), 1},
		{[]string{"/"}, files("content/a.md", "content/2019-01-02--b/index.md", "content/2019-01-02--b/help.md", "content/_index.md", "content/pages/about/index.md", "content/c/x.png", "static/d.md"), 2},
		{[]string{"/", "blog"}, files("content/a.md", "content/blog/b.md", "content/blog/c/index.md"), 3},
	}
	for _, tt := range tests {
		p := &Plan{Config: Config{Sections: tt.sections}, Files: tt.files}
		if got := p.Posts(); got != tt.want {
			t.Errorf("sections %q: %d posts, want %d", tt.sections, got, tt.want)
		}
	}
}

// TestPelicanLiquidTags: a Pelican site keeps liquid = false (its tags
// are internal/pymd's); with the liquid_tags plugin a note says what
// becomes of its tags.
func TestPelicanLiquidTags(t *testing.T) {
	tests := []struct {
		plugins string
		note    bool
	}{
		{"", false},
		{"PLUGINS = ['render_math']", false},
		{"PLUGINS = ['summary', 'liquid_tags.img', 'liquid_tags.video']", true},
		{"PLUGINS = ('liquid_tags',)", true},
		{"PLUGINS = ['pelican.plugins.liquid_tags']", true},
		{"PLUGINS = ['my_liquid_tagsx']", false},
	}
	for _, tt := range tests {
		dir := writeTree(t, map[string]string{
			"pelicanconf.py":   "SITENAME = 'x'\nSITEURL = 'https://example.org'\n" + tt.plugins + "\n",
			"content/a.md":     "Title: a\nDate: 2024-01-01\n\n{% img a.png %}\n",
			"content/images/x": "",
		})
		p, err := Read(dir)
		if err != nil {
			t.Fatalf("%q: %v", tt.plugins, err)
		}
		if p.Config.Liquid == nil || *p.Config.Liquid {
			t.Errorf("%q: liquid %v, want false", tt.plugins, p.Config.Liquid)
		}
		note := false
		for _, n := range p.Notes {
			if strings.Contains(n.Msg, "liquid_tags: a {% tag %} runs the shortcode") {
				note = n.Line == 3
			}
		}
		if note != tt.note {
			t.Errorf("%q: liquid_tags note on line 3 %v, want %v (notes %v)", tt.plugins, note, tt.note, p.Notes)
		}
	}
}

// TestPelicanStaticLinks: the files a Markdown file links with {static}
// or {attach}, as Pelican's get_static_links reads them.
func TestPelicanStaticLinks(t *testing.T) {
	tests := []struct {
		rel, src string
		want     []string
	}{
		{"blog/a.md", "[x]({attach}files/a.py) ![y]({static}/images/b.png?w=300#f)", []string{"blog/files/a.py", "images/b.png"}},
		{"a.md", "[x](\n{static}/x%20y.pdf \"t\") [z](|static|z.txt)", []string{"x y.pdf", "z.txt"}},
		{"a.md", "<img src='{attach}a b.png'> [w](<{static}/c d.pdf>)", []string{"a b.png", "c d.pdf"}},
		{"a/b.md", "[up]({static}../c.txt) [out]({static}../../d.txt) [p]({filename}x.md) [q]({static})", []string{"c.txt"}},
	}
	for _, tt := range tests {
		if got := pelicanStaticLinks([]byte(tt.src), tt.rel); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s %q: %q, want %q", tt.rel, tt.src, got, tt.want)
		}
	}
}

// TestAutolinkImport: [markdown] autolink = false where the engine's
// Markdown leaves bare URLs as text.
func TestAutolinkImport(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  bool
	}{
		{"Jekyll's kramdown", map[string]string{"_config.yml": "title: x\n"}, false},
		{"Jekyll's kramdown with GFM input", map[string]string{"_config.yml": "title: x\nmarkdown: kramdown\nkramdown:\n  input: GFM\n"}, false},
		{"jekyll-commonmark-ghpages", map[string]string{"_config.yml": "title: x\nmarkdown: CommonMarkGhPages\n"}, true},
		{"jekyll-commonmark with autolink", map[string]string{"_config.yml": "title: x\nmarkdown: CommonMark\ncommonmark:\n  extensions: [strikethrough, autolink]\n"}, true},
		{"jekyll-commonmark without", map[string]string{"_config.yml": "title: x\nmarkdown: CommonMark\n"}, false},
		{"Hugo", map[string]string{"hugo.toml": "title = 'x'\n"}, true},
		{"Hugo without linkify", map[string]string{"hugo.toml": "title = 'x'\n[markup.goldmark.extensions]\nlinkify = false\n"}, false},
		{"Zola", map[string]string{"config.toml": "title = 'x'\nbase_url = 'https://example.org'\n"}, false},
		{"Pelican", map[string]string{"pelicanconf.py": "SITENAME = 'x'\n"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Read(writeTree(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			data, err := p.SiteTOML()
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := content.ParseConfig(data, "")
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if got := cfg.Markdown.Autolinks(); got != tt.want {
				t.Errorf("autolink %v, want %v; site.toml:\n%s", got, tt.want, data)
			}
		})
	}
}
