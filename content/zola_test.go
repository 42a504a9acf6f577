package content

import (
	"strings"
	"testing"
	"time"
)

// TestZolaSlug checks ZolaSlug against the outputs of Zola (its tests of
// slugify_paths and of page slugs), of the Rust slug crate's documented
// examples, and of deunicode's tests (ported from Text::Unidecode).
func TestZolaSlug(t *testing.T) {
	tests := []struct {
		in, want string
		exact    bool
	}{
		// The slug crate's examples.
		{"My Test String!!!1!1", "my-test-string-1-1", true},
		{"test\nit   now!", "test-it-now", true},
		{"  --test_-_cool", "test-cool", true},
		{"Æúű--cool?", "aeuu-cool", true},
		{"You & Me", "you-me", true},
		{"user@example.com", "user-example-com", true},
		// Zola's slugify_paths tests and page tests.
		{"input", "input", true},
		{"test ", "test", true},
		{"tes t", "tes-t", true},
		{"dot. ", "dot", true},
		{"héhé", "hehe", true},
		{"test (hey)", "test-hey", true},
		{" file with space", "file-with-space", true},
		{"hello-&-world", "hello-world", true},
		// deunicode's tests, slugified.
		{"Æneid", "aeneid", true},
		{"étude", "etude", true},
		{"✓", "ok", true},
		{"ᔕᓇᓇ", "shanana", true},
		{"ᏔᎵᏆ", "taliqua", true},
		{"ܦܛܽܐܺ", "ptu-i", true},
		{"अभिजीत", "abhijiit", true},
		{"অভিজীত", "abhijiit", true},
		{"മലയാലമ്", "mlyaalm", true},
		// File names as blogs write them.
		{"My_Post", "my-post", true},
		{"Café Crème", "cafe-creme", true},
		{"Go1.22 Release Notes", "go1-22-release-notes", true},
		{"Straße über Łódź", "strasse-uber-lodz", true},
		{"Привет, мир", "privet-mir", true},
		{"naïve — résumé…", "naive-resume", true},
		{"C++ & C#", "c-c", true},
		{"Ｆｕｌｌwidth", "fullwidth", true},
		// Beyond deunicode's table here: kept, and not exact.
		{"日本", "日本", false},
		{"2024 日本 Trip", "2024-日本-trip", false},
		{"🦄 party", "party", false},
		{"Ᶎ0", "z0", false}, // Ᶎ is not in the table, its lower case ᶎ is
		{"", "", true},
		{"!!!", "", true},
	}
	for _, tt := range tests {
		got, exact := ZolaSlug(tt.in)
		if got != tt.want || exact != tt.exact {
			t.Errorf("ZolaSlug(%q) = %q, %v; want %q, %v", tt.in, got, exact, tt.want, tt.exact)
		}
	}
}

func TestDeunicodeTable(t *testing.T) {
	if n := len(deunicodeTable()); n != deunicodeLast-deunicodeFirst+1 {
		t.Fatalf("table holds %d code points, want %d", n, deunicodeLast-deunicodeFirst+1)
	}
	for r, want := range map[rune]string{'Æ': "AE", 'ß': "ss", 'Ж': "Zh", 'Ω': "O", '€': "EUR", '—': "--", '\u00a0': " "} {
		if got, ok := transliterate(r); !ok || got != want {
			t.Errorf("transliterate(%q) = %q, %v; want %q", r, got, ok, want)
		}
	}
}

func TestZolaURLs(t *testing.T) {
	const zola = "sections = [\"blog\"]\npermalink = \"/:zola_sections/:zola_slug/\"\n"
	tests := []struct {
		name, file, src, want string
		date                  string // the post's day, when the file name gives it
	}{
		{"file name", "content/blog/My_Post.md", "+++\ntitle = \"T\"\ndate = 2024-05-01\n+++\n", "/blog/my-post/", ""},
		{"accents", "content/blog/Café Crème.md", "+++\ntitle = \"T\"\ndate = 2024-05-01\n+++\n", "/blog/cafe-creme/", ""},
		{"slug given, slugified", "content/blog/x.md", "+++\ntitle = \"T\"\nslug = \"Hello & World\"\ndate = 2024-05-01\n+++\n", "/blog/hello-world/", ""},
		{"nested directories", "content/blog/2024/notes.md", "+++\ntitle = \"T\"\ndate = 2024-05-01\n+++\n", "/blog/2024/notes/", ""},
		{"a bundle", "content/blog/2024/Big Trip/index.md", "+++\ntitle = \"T\"\ndate = 2024-05-01\n+++\n", "/blog/2024/big-trip/", ""},
		{"dated with _", "content/blog/2018-10-08_hello.md", "+++\ntitle = \"T\"\n+++\n", "/blog/hello/", "2018-10-08"},
		{"dated with a space and -", "content/blog/2018-10-08 - hello.md", "+++\ntitle = \"T\"\n+++\n", "/blog/hello/", "2018-10-08"},
		{"dated with a time", "content/blog/2018-10-02T15:00:00Z-hello.md", "+++\ntitle = \"T\"\n+++\n", "/blog/hello/", "2018-10-02"},
		{"only a date", "content/blog/2018-10-08.md", "+++\ntitle = \"T\"\n+++\n", "/blog/2018-10-08/", "2018-10-08"},
		{"a dated bundle", "content/blog/2018-10-08_trip/index.md", "+++\ntitle = \"T\"\n+++\n", "/blog/trip/", "2018-10-08"},
		{"front matter date wins", "content/blog/2018-10-08_hello.md", "+++\ntitle = \"T\"\ndate = 2018-09-09\n+++\n", "/blog/hello/", "2018-09-09"},
		{"path wins", "content/blog/x.md", "+++\ntitle = \"T\"\ndate = 2024-05-01\npath = \"Kept/Case\"\n+++\n", "/Kept/Case/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, siteWith(zola, map[string]string{tt.file: tt.src}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			pg := s.Posts[0]
			if pg.URL != tt.want {
				t.Errorf("URL = %q, want %q", pg.URL, tt.want)
			}
			if tt.date != "" && pg.Date.Format(time.DateOnly) != tt.date {
				t.Errorf("date = %s, want %s", pg.Date.Format(time.DateOnly), tt.date)
			}
			if len(s.Warnings) > 0 {
				t.Errorf("warnings: %v", s.Warnings)
			}
		})
	}
}

func TestZolaSlugWarnings(t *testing.T) {
	const zola = "sections = [\"blog\"]\npermalink = \"/:zola_sections/:zola_slug/\"\n"
	tests := []struct {
		name, file, src, url, warning string
	}{
		{"file name", "content/blog/日本.md", "+++\ntitle = \"T\"\ndate = 2024-05-01\n+++\n", "/blog/日本/",
			`content/blog/日本.md:1: the file name gives the slug "日本", keeping characters Zola transliterates`},
		{"slug", "content/blog/x.md", "+++\ntitle = \"T\"\ndate = 2024-05-01\nslug = \"東京\"\n+++\n", "/blog/東京/",
			`content/blog/x.md:4: the slug gives the slug "東京"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, siteWith(zola, map[string]string{tt.file: tt.src}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Posts[0].URL; got != tt.url {
				t.Errorf("URL = %q, want %q", got, tt.url)
			}
			if len(s.Warnings) != 1 || !strings.HasPrefix(s.Warnings[0].Error(), tt.warning) {
				t.Errorf("warnings = %v, want one starting %q", s.Warnings, tt.warning)
			}
		})
	}
	_, err := load(t, siteWith(zola, map[string]string{"content/blog/x.md": "+++\ntitle = \"T\"\ndate = 2024-05-01\nslug = \"_\"\n+++\n"}), Options{})
	if want := `content/blog/x.md:4: front matter: slug: "_" gives an empty slug (:zola_slug)`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
}

// TestFrontMatterAfterWhiteSpace checks that white space before the
// opening line is allowed, as Zola allows it, and that lines keep their
// numbers.
func TestFrontMatterAfterWhiteSpace(t *testing.T) {
	tests := []struct {
		name, src string
		titleLine int
		err       string
	}{
		{"a space before +++", " +++\ntitle = \"T\"\ndate = 2024-05-01\n+++\nBody.\n", 2, ""},
		{"blank lines before ---", "\n \n---\ntitle: T\ndate: 2024-05-01\n---\nBody.\n", 4, ""},
		{"TOML error", "\n+++\ntitle = \"T\"\ndate = \n+++\n", 0, "content/posts/x.md:4: front matter:"},
		{"YAML error", "\n\n---\ntitle: T\ndate: [\n---\n", 0, "content/posts/x.md:5: front matter:"},
		{"unclosed", "\n\n+++\ntitle = \"T\"\n", 0, "content/posts/x.md:3: front matter: no closing +++ line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, site(map[string]string{"content/posts/x.md": tt.src}), Options{})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pg := s.Posts[0]
			if pg.Title != "T" || pg.Lines["title"] != tt.titleLine {
				t.Errorf("title %q on line %d, want T on line %d", pg.Title, pg.Lines["title"], tt.titleLine)
			}
			bodyLine := func(s string) int { return strings.Count(s[:strings.Index(s, "Body.")], "\n") + 1 }
			if got, want := bodyLine(string(pg.Body)), bodyLine(tt.src); got != want {
				t.Errorf("body text on line %d, want %d", got, want)
			}
		})
	}
}
