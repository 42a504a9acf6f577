package l10n

import (
	"html/template"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// defaultTheme is the default theme's messages.
var defaultTheme = Source{FS: os.DirFS("../../themes/default"), Dir: Dir, Name: "i18n (default theme)"}

func load(t *testing.T, lang string, ov Overrides, sources ...Source) (*Catalog, []Warning) {
	t.Helper()
	c, w, err := Load(lang, "site.toml", 4, ov, append(sources, defaultTheme)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, w
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		lang, id string
		args     []any
		want     string
	}{
		{"en", "read_more", nil, "Read more"},
		{"fr", "read_more", nil, "Lire la suite"},
		{"de", "skip_to_content", nil, "Zum Inhalt springen"},
		{"es", "archive", nil, "Archivo"},
		{"pt", "home", nil, "Início"},
		{"it", "page_not_found", nil, "Pagina non trovata"},
		{"nl", "subscribe", nil, "Abonneren:"},
		{"ja", "read_more", nil, "続きを読む"},
		{"zh", "tags", nil, "标签"},
		// Plurals follow CLDR's rules of the site's language.
		{"en", "min_read", []any{1}, "1 min read"},
		{"en", "posts_count", []any{1}, "1 post"},
		{"en", "posts_count", []any{0}, "0 posts"},
		{"en", "posts_count", []any{2}, "2 posts"},
		{"fr", "posts_count", []any{0}, "0 article"}, // French: 0 and 1 are "one"
		{"fr", "posts_count", []any{1}, "1 article"},
		{"fr", "posts_count", []any{2}, "2 articles"},
		{"fr", "min_read", []any{1}, "1 min de lecture"},
		{"de", "posts_count", []any{0}, "0 Beiträge"},
		{"de", "posts_count", []any{1}, "1 Beitrag"},
		{"pt-BR", "posts_count", []any{0}, "0 post"},  // Brazilian Portuguese: 0 and 1 are "one"
		{"pt-PT", "posts_count", []any{0}, "0 posts"}, // European Portuguese: only 1 is
		{"ja", "posts_count", []any{1}, "1 件の記事"},
		{"ja", "min_read", []any{5}, "5 分で読めます"},
		{"zh", "min_read", []any{5}, "阅读约需 5 分钟"},
		// A form without its number.
		{"en", "posts_word", []any{1}, "post"},
		{"en", "posts_word", []any{3}, "posts"},
		{"ja", "posts_word", []any{3}, "件の記事"},
		// Numbers are written the language's way; arguments may be reordered.
		{"de", "posts_count", []any{1234}, "1.234 Beiträge"},
		{"en", "posts_count", []any{1234}, "1,234 posts"},
		{"en", "page_of", []any{2, 5}, "page 2 of 5"},
		{"ja", "page_of", []any{2, 5}, "5 ページ中 2 ページ目"},
		{"ja", "tag_description", []any{"go", "Blog"}, "Blog のタグ「go」の記事"},
		// Fallback: a region takes its language, an unknown language English.
		{"pt-BR", "read_more", nil, "Continuar lendo"},
		{"de-AT", "read_more", nil, "Weiterlesen"},
		{"fr-CA", "home", nil, "Accueil"},
		{"zh-Hans-CN", "home", nil, "首页"},
		{"sv", "read_more", nil, "Read more"},
		{"en-US", "read_more", nil, "Read more"},
	} {
		c, _ := load(t, tc.lang, Overrides{})
		got, err := c.T(tc.id, tc.args...)
		if err != nil || got != tc.want {
			t.Errorf("%s: T(%q, %v) = %q, %v; want %q", tc.lang, tc.id, tc.args, got, err, tc.want)
		}
	}
}

// TestCatalogues checks that every catalogue of the default theme has
// every message of en.toml and no other, with the same plural-ness, and
// that each formats with the arguments its English message takes.
func TestCatalogues(t *testing.T) {
	read := func(lang string) map[string]any {
		data, err := os.ReadFile("../../themes/default/i18n/" + lang + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s.toml: %v", lang, err)
		}
		return m
	}
	en := read("en")
	verb := regexp.MustCompile(`%(\[(\d)\])?[ds]`)
	args := func(id string) []any {
		s, ok := en[id].(string)
		if !ok {
			return []any{2} // plural forms take a number
		}
		var a []any
		for _, m := range verb.FindAllStringSubmatch(s, -1) {
			if m[0][len(m[0])-1] == 'd' {
				a = append(a, 3)
			} else {
				a = append(a, "x")
			}
		}
		return a
	}
	for _, lang := range []string{"en", "fr", "de", "es", "pt", "it", "nl", "ja", "zh"} {
		m := read(lang)
		for id := range en {
			if _, ok := m[id]; !ok {
				t.Errorf("%s.toml: no %s", lang, id)
			}
			_, plain := en[id].(string)
			if _, p := m[id].(string); p != plain {
				t.Errorf("%s.toml: %s is %T, en.toml's is %T", lang, id, m[id], en[id])
			}
		}
		for id := range m {
			if _, ok := en[id]; !ok {
				t.Errorf("%s.toml: %s is not in en.toml", lang, id)
			}
		}
		c, w := load(t, lang, Overrides{})
		if len(w) > 0 {
			t.Errorf("%s: warnings %v", lang, w)
		}
		for _, id := range c.IDs() {
			if _, err := c.T(id, args(id)...); err != nil {
				t.Errorf("%s: %v", lang, err)
			}
		}
	}
}

func TestOverrides(t *testing.T) {
	site := Source{FS: fstest.MapFS{
		"i18n/fr.toml":          {Data: []byte("read_more = \"Lire l’article\"\nhome = \"Maison\"\n")},
		"i18n/en.toml":          {Data: []byte("feed = \"Atom\"\narchive = \"Old posts\"\n")},
		"themes/t/i18n/fr.toml": {Data: []byte("home = \"Accueil du thème\"\ndraft = \"Ébauche\"\n")},
		"themes/t/i18n/en.toml": {Data: []byte("extra = \"Extra\"\n[extra_count]\none = \"%d thing\"\nother = \"%d things\"\n")},
		"i18n/pt-BR.toml":       {Data: []byte("[posts_count]\ndescription = \"Hugo's go-i18n keeps notes\"\none = \"{{ .Count }} postagem\"\nother = \"{{.Count}} postagens\"\n")},
	}}
	theme := Source{FS: site.FS, Dir: "themes/t/i18n", Name: "themes/t/i18n"}
	site.Dir, site.Name = Dir, Dir
	ov := Overrides{File: "site.toml", Messages: map[string]any{
		"read_more": "Continuer",
		"min_read":  map[string]any{"one": "%d minute", "other": "%d minutes"},
	}, Line: func(string) int { return 9 }}
	for _, tc := range []struct {
		lang string
		ov   Overrides
		id   string
		args []any
		want string
	}{
		{"fr", ov, "read_more", nil, "Continuer"},               // site.toml first
		{"fr", Overrides{}, "read_more", nil, "Lire l’article"}, // then the site's i18n/fr.toml
		{"fr", ov, "home", nil, "Maison"},                       // the site's over the theme's
		{"fr", ov, "draft", nil, "Ébauche"},                     // the theme's over the default theme's
		{"fr", ov, "tags", nil, "Étiquettes"},                   // the default theme's
		{"fr", ov, "archive", nil, "Archives"},                  // French of the default theme over English of the site
		{"fr", ov, "extra", nil, "Extra"},                       // a theme's own message, English only
		{"fr", ov, "min_read", []any{2}, "2 minutes"},
		{"en", ov, "archive", nil, "Old posts"},
		{"en", ov, "read_more", nil, "Continuer"},
		{"pt-BR", Overrides{}, "posts_count", []any{2}, "2 postagens"}, // pt-BR first,
		{"pt-BR", Overrides{}, "read_more", nil, "Continuar lendo"},    // then pt,
		{"pt-BR", Overrides{}, "extra", nil, "Extra"},                  // then English
		// An English plural shown in a language whose numbers are all "other".
		{"ja", Overrides{}, "extra_count", []any{1}, "1 things"},
		{"fr", Overrides{}, "extra_count", []any{0}, "0 thing"},
	} {
		c, _ := load(t, tc.lang, tc.ov, site, theme)
		if got, err := c.T(tc.id, tc.args...); err != nil || got != tc.want {
			t.Errorf("%s: T(%q) = %q, %v; want %q", tc.lang, tc.id, got, err, tc.want)
		}
	}
	// What the catalogue holds makes its digest.
	a, _ := load(t, "fr", Overrides{})
	b, _ := load(t, "fr", ov)
	if a.Digest() == b.Digest() {
		t.Error("overrides do not change the digest")
	}
	if c, _ := load(t, "fr", Overrides{}); c.Digest() != a.Digest() {
		t.Error("the digest is not stable")
	}
}

func TestWarnings(t *testing.T) {
	partial := Source{FS: fstest.MapFS{"i18n/sv.toml": {Data: []byte("read_more = \"Läs mer\"\n")}}, Dir: Dir, Name: Dir}
	for _, tc := range []struct {
		lang    string
		ov      Overrides
		sources []Source
		want    []string // "file:line: text in the message"
	}{
		{"fr", Overrides{}, nil, nil},
		{"pt-BR", Overrides{}, nil, nil},
		{"en-GB", Overrides{}, nil, nil},
		{"sv", Overrides{}, nil, []string{`site.toml:4: language "sv": the theme's words have no catalogue in it (there are de, en, es, fr, it, ja, nl, pt, zh): they are English; add i18n/sv.toml`}},
		{"tlh", Overrides{}, nil, []string{`site.toml:4: language "tlh"`}},
		{"not a tag", Overrides{}, nil, []string{`site.toml:4: language "not a tag" is not a BCP 47 language tag`}},
		{"sv", Overrides{}, []Source{partial}, []string{"i18n/sv.toml:0: no sv message for all_tags, archive,"}},
		{"fr", Overrides{}, []Source{{FS: fstest.MapFS{"i18n/fr.toml": {Data: []byte("home = \"x\"\n[min_read]\nsome = \"%d\"\nother = \"%d\"\n\n[draft]\none = \"%d\"\n[tags]\nx = 1\n")}}, Dir: Dir, Name: Dir}},
			[]string{`i18n/fr.toml:6: draft: plural forms need "other"; left out`, `i18n/fr.toml:2: min_read: "some" is not a plural form`, `i18n/fr.toml:8: tags: "x" is not a plural form`}},
		{"fr", Overrides{File: "site.toml", Messages: map[string]any{"readmore": "Suite"}, Line: func(string) int { return 12 }}, nil,
			[]string{"site.toml:12: [translations] readmore: the theme has no message of this ID"}},
	} {
		_, w := load(t, tc.lang, tc.ov, tc.sources...)
		var got []string
		for _, w := range w {
			got = append(got, w.File+":"+strconv.Itoa(w.Line)+": "+w.Msg)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: warnings %q, want %d", tc.lang, got, len(tc.want))
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tc.want[i]) {
				t.Errorf("%s: warning %q, want it to start %q", tc.lang, got[i], tc.want[i])
			}
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files fstest.MapFS
		ov    map[string]any
		want  string
	}{
		{"syntax", fstest.MapFS{"i18n/fr.toml": {Data: []byte("home = \"x\"\nread_more = \n")}}, nil, `i18n/fr.toml:2: `},
		{"file name", fstest.MapFS{"i18n/french.toml": {Data: []byte("")}}, nil, `i18n/french.toml: the name is not a BCP 47 language tag`},
		{"value", fstest.MapFS{}, map[string]any{"home": int64(3)}, `site.toml:7: [translations] home: want a string or a table of plural forms`},
	} {
		src := Source{FS: tc.files, Dir: Dir, Name: Dir}
		_, _, err := Load("fr", "site.toml", 1, Overrides{File: "site.toml", Messages: tc.ov, Line: func(string) int { return 7 }}, src, defaultTheme)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to start %q", tc.name, err, tc.want)
		}
	}
	if _, _, err := Load("fr", "site.toml", 1, Overrides{}, Source{FS: fstest.MapFS{"i18n/fr.toml": {Data: []byte("")}}, Dir: Dir, Name: "theme"}); err == nil || !strings.Contains(err.Error(), "no en.toml") {
		t.Errorf("a theme without English: %v", err)
	}

	c, _ := load(t, "en", Overrides{File: "site.toml", Messages: map[string]any{"read_more": "100% more"}})
	for _, tc := range []struct {
		id   string
		args []any
		want string
	}{
		{"nothing", nil, `T: no message "nothing"`},
		{"read_more", nil, `T "read_more" []: site.toml:0: the message does not fit its arguments`},
		{"page_of", []any{1}, `T "page_of" [1]: i18n (default theme)/en.toml:`},
	} {
		if _, err := c.T(tc.id, tc.args...); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("T(%q, %v): %v, want %q", tc.id, tc.args, err, tc.want)
		}
	}
	if got := c.MustT("nothing"); got != "nothing" {
		t.Errorf("MustT of a missing message = %q", got)
	}
	if !slices.Contains(c.IDs(), "min_read") {
		t.Errorf("IDs: %v", c.IDs())
	}
}

// TestArgumentsWithPercent checks that an argument's own "%!" (a title
// "Up 100%!") is text, not fmt's note of a message that does not fit its
// arguments, while a message that does not fit still fails.
func TestArgumentsWithPercent(t *testing.T) {
	c, _ := load(t, "en", Overrides{File: "site.toml", Messages: map[string]any{"atom_feed_for": "the feed"}})
	for _, tc := range []struct {
		id   string
		args []any
		want string
	}{
		{"read_more_of", []any{"Up 100%!"}, " of “Up 100%!”"},
		{"tag_description", []any{"50%!", "Rates %!(EXTRA x)"}, "Posts tagged 50%! on Rates %!(EXTRA x)"},
		{"atom_feed_for", []any{"50%!"}, "the feed"}, // a message that leaves its argument out
		{"page_of", []any{1, 2}, "page 1 of 2"},
	} {
		if got, err := c.T(tc.id, tc.args...); err != nil || got != tc.want {
			t.Errorf("T(%q, %q) = %q, %v; want %q", tc.id, tc.args, got, err, tc.want)
		}
	}
	if got, err := c.HTML("tls_verified", "A&B 100%!", "Root"); err != nil || !strings.Contains(string(got), "A&amp;B 100%!") {
		t.Errorf("HTML: %q, %v", got, err)
	}
	for _, args := range [][]any{{"100%!"}, {1, "T"}} { // an argument missing, one of the wrong type
		if _, err := c.T("tag_description", args...); err == nil {
			t.Errorf("T(tag_description, %q) fits", args)
		}
	}
}

// TestHTMLEscapesStringTypes checks that Catalog.HTML escapes an
// argument of any string type but template.HTML: a named one (a
// certificate field's type) or template.URL is text, not markup.
func TestHTMLEscapesStringTypes(t *testing.T) {
	c, _ := load(t, "en", Overrides{})
	type issuer string
	for _, tc := range []struct {
		arg  any
		want string
	}{
		{"<b>", "&lt;b&gt;"},
		{issuer("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;"},
		{template.URL(`/x?a=1&b="2"`), "/x?a=1&amp;b=&#34;2&#34;"},
		{template.HTML("<time>t</time>"), "<time>t</time>"},
	} {
		got, err := c.HTML("tls_follow", tc.arg)
		if err != nil || !strings.Contains(string(got), tc.want) {
			t.Errorf("HTML(tls_follow, %#v) = %q, %v; want it to hold %q", tc.arg, got, err, tc.want)
		}
	}
}

// TestConcurrent uses one catalogue from many goroutines, as a build's
// pages do (go test -race).
func TestConcurrent(t *testing.T) {
	c, _ := load(t, "fr", Overrides{})
	done := make(chan string)
	for i := range 8 {
		go func() {
			s, _ := c.T("posts_count", i)
			done <- s + c.Dates.Long(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
		}()
	}
	for range 8 {
		if s := <-done; !strings.Contains(s, "article") || !strings.HasSuffix(s, "2 janvier 2026") {
			t.Error(s)
		}
	}
}

// TestTranslate checks Hugo's i18n function on a site's own messages,
// which a French site may keep in fr.toml alone.
func TestTranslate(t *testing.T) {
	site := Source{FS: fstest.MapFS{
		"i18n/fr.toml": {Data: []byte("lireLaSuite = \"Lire la suite\"\nsalut = \"Salut {{ .Name }}\"\n" +
			"remise = \"20% de remise\"\nlu = \"{{ .Count }} % lu\"\n[minutes]\none = \"{{ .Count }} minute\"\nother = \"{{ .Count }} minutes\"\n[notes]\none = \"{{ .Count }} note sur 100%\"\nother = \"{{ .Count }} notes sur 100%\"\n")},
		"i18n/en.toml": {Data: []byte("onlyEnglish = \"In English\"\n")},
	}, Dir: Dir, Name: Dir, Site: true}
	c, _ := load(t, "fr", Overrides{}, site)
	for _, tc := range []struct {
		id    string
		count any
		want  string
		ok    bool
	}{
		{"lireLaSuite", nil, "Lire la suite", true},
		{"minutes", 0, "0 minute", true}, // French: 0 is "one"
		{"minutes", 2, "2 minutes", true},
		{"onlyEnglish", nil, "In English", true},
		{"salut", nil, "Salut {{ .Name }}", true}, // the caller runs the template
		{"read_more", nil, "Lire la suite", true}, // the theme's
		{"missing", nil, "", false},
		{"minutes", nil, "", false}, // the message needs its count
		// Hugo's messages are text with {{ .Count }} in it: a % is a %.
		{"remise", nil, "20% de remise", true},
		{"lu", 50, "50 % lu", true},
		{"notes", 1, "1 note sur 100%", true},
		{"notes", 3, "3 notes sur 100%", true},
		// The theme's words are read as T reads them.
		{"posts_count", 3, "3 articles", true},
		{"posts_count", nil, "", false},
	} {
		got, ok := c.Translate(tc.id, tc.count)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Translate(%q, %v) = %q, %t; want %q, %t", tc.id, tc.count, got, ok, tc.want, tc.ok)
		}
	}
	var none *Catalog
	if s, ok := none.Translate("x", nil); s != "" || ok {
		t.Errorf("nil catalogue: %q, %t", s, ok)
	}
}
