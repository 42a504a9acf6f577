package content

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

var tokyo = mustLocation("Asia/Tokyo")

// dateWants is what each example of dateForms reads as, with the site's
// zone Asia/Tokyo (+09:00) for dates written without one.
var dateWants = map[string]string{
	"2024-03-10":                      "2024-03-10T00:00:00+09:00",
	"2024-03-10 23:30":                "2024-03-10T23:30:00+09:00",
	"2024-03-10T23:30:00":             "2024-03-10T23:30:00+09:00",
	"2024-03-10T23:30+01:00":          "2024-03-10T23:30:00+01:00",
	"2024-03-10T23:30:00Z":            "2024-03-10T23:30:00Z",
	"2024-03-10T23:30:00+0100":        "2024-03-10T23:30:00+01:00",
	"2024-03-10 23:30:00.123 +01:00":  "2024-03-10T23:30:00.123+01:00",
	"2024-03-10 23:30:00 +0100":       "2024-03-10T23:30:00+01:00",
	"2024-03-10 23:30 +01:00":         "2024-03-10T23:30:00+01:00",
	"2024-03-10 23:30 +0100":          "2024-03-10T23:30:00+01:00",
	"2024-03-10 23:30:00 +0000 UTC":   "2024-03-10T23:30:00Z",
	"2024-03-10 23:30:00 PST":         "2024-03-10T23:30:00-08:00",
	"2024-03-10 23:30 EST":            "2024-03-10T23:30:00-05:00",
	"2023-01-29 18:30:22 2023 -0800":  "2023-01-29T18:30:22+09:00",
	"2024-03-10 11:30 PM":             "2024-03-10T23:30:00+09:00",
	"2024-03-10 11:30:00 pm":          "2024-03-10T23:30:00+09:00",
	"20240310":                        "2024-03-10T00:00:00+09:00",
	"10 March 2024":                   "2024-03-10T00:00:00+09:00",
	"10 Mar 2024 23:30":               "2024-03-10T23:30:00+09:00",
	"10 Mar 2024 23:30:00":            "2024-03-10T23:30:00+09:00",
	"Sun, 10 Mar 2024 23:30:00 GMT":   "2024-03-10T23:30:00Z",
	"Sun, 10 Mar 2024 23:30:00 +0100": "2024-03-10T23:30:00+01:00",
	"Sun, 10 Mar 2024 23:30 GMT":      "2024-03-10T23:30:00Z",
	"10 Mar 2024 23:30 +0100":         "2024-03-10T23:30:00+01:00",
	"10 Mar 24 23:30 EST":             "2024-03-10T23:30:00-05:00",
	"10 Mar 24 23:30 +0100":           "2024-03-10T23:30:00+01:00",
	"10 Mar 24 23:30:00 EST":          "2024-03-10T23:30:00-05:00",
	"10 Mar 24 23:30:00 +0100":        "2024-03-10T23:30:00+01:00",
	"Sunday, 10-Mar-24 23:30:00 UTC":  "2024-03-10T23:30:00Z",
	"10-Mar-2024":                     "2024-03-10T00:00:00+09:00",
	"10-Mar-2024 23:30:00":            "2024-03-10T23:30:00+09:00",
	"10 March 2024 11:30 PM":          "2024-03-10T23:30:00+09:00",
	"March 10, 2024":                  "2024-03-10T00:00:00+09:00",
	"Mar 10 2024 23:30":               "2024-03-10T23:30:00+09:00",
	"Mar 10 2024 23:30:00":            "2024-03-10T23:30:00+09:00",
	"March 10, 2024 at 11:30 PM":      "2024-03-10T23:30:00+09:00",
	"March 10th, 2024 11:30:00 PM":    "2024-03-10T23:30:00+09:00",
	"Sun Mar 10 23:30:00 2024":        "2024-03-10T23:30:00+09:00",
	"Sun Mar 10 23:30:00 PST 2024":    "2024-03-10T23:30:00-08:00",
	"Sun Mar 10 23:30:00 -0800 2024":  "2024-03-10T23:30:00-08:00",
	"March 10, 2024 23:30:00 CET":     "2024-03-10T23:30:00+01:00",
	"March 10, 2024 23:30:00 +0100":   "2024-03-10T23:30:00+01:00",
}

// TestDateForms reads each example of dateForms and checks that its own
// row reads it, to the instant and the offset.
func TestDateForms(t *testing.T) {
	seen := map[string]bool{}
	for i, f := range dateForms {
		t.Run(f.example, func(t *testing.T) {
			if seen[f.example] {
				t.Fatalf("example %q given twice", f.example)
			}
			seen[f.example] = true
			want, ok := dateWants[f.example]
			if !ok {
				t.Fatalf("no wanted time for %q: add it to dateWants", f.example)
			}
			got, row, err := parseDateForm(f.example, tokyo)
			if err != nil {
				t.Fatal(err)
			}
			if row != i {
				t.Errorf("read by row %d (%q), want row %d (%q)", row, dateForms[row].layout, i, f.layout)
			}
			if s := got.Format(time.RFC3339Nano); s != want {
				t.Errorf("= %s, want %s", s, want)
			}
		})
	}
	if len(seen) != len(dateWants) {
		t.Errorf("dateWants has %d entries for %d rows", len(dateWants), len(seen))
	}
}

// TestParseDateSpellings checks the spellings normalizeDate folds into
// the rows, dates seen in real blogs that other engines read, and what
// stays an error.
func TestParseDateSpellings(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2024-4-09", "2024-04-09T00:00:00+09:00"},
		{"2024-3-9", "2024-03-09T00:00:00+09:00"},
		{"2024/03/10", "2024-03-10T00:00:00+09:00"},
		{"2024/3/9 8:05", "2024-03-09T08:05:00+09:00"},
		{"2024.03.10", "2024-03-10T00:00:00+09:00"},
		{"2024-03-10T23:30", "2024-03-10T23:30:00+09:00"},
		{"2024-03-10t23:30:00.5-05:00", "2024-03-10T23:30:00.5-05:00"}, // YAML's lower-case t
		{"2024-03-10T23:30:00.123456789+01:00", "2024-03-10T23:30:00.123456789+01:00"},
		{"2024-03-10 23:30:00Z", "2024-03-10T23:30:00Z"},
		{"2024-03-10 23:30:00 UTC", "2024-03-10T23:30:00Z"},
		{"2024-03-10 23:30 GMT", "2024-03-10T23:30:00Z"},
		{"2024-03-10 23:30:00 CEST", "2024-03-10T23:30:00+02:00"},
		{"2024-03-10 23:30:00 JST", "2024-03-10T23:30:00+09:00"},
		{"2024-03-10 23:30:00 XYZ", "2024-03-10T23:30:00+09:00"}, // unknown abbreviation: the site's zone, as Ruby
		{"2024-03-10 23:30:00.5 -0800 PST", "2024-03-10T23:30:00.5-08:00"},
		{"Sun, 10 Mar 2024 23:30:00 PST", "2024-03-10T23:30:00-08:00"},
		{"Mon, 02 Jan 2006 15:04:05 MST", "2006-01-02T15:04:05-07:00"}, // time.RFC1123
		{"Mon, 02 Jan 2006 15:04:05 -0700", "2006-01-02T15:04:05-07:00"},
		{"02 Jan 06 15:04 MST", "2006-01-02T15:04:00-07:00"},
		{"Monday, 02-Jan-06 15:04:05 MST", "2006-01-02T15:04:05-07:00"},
		{"Mon Jan  2 15:04:05 2006", "2006-01-02T15:04:05+09:00"},
		{"Mon Jan 2 15:04:05 MST 2006", "2006-01-02T15:04:05-07:00"},
		{"Mon Jan 02 15:04:05 -0700 2006", "2006-01-02T15:04:05-07:00"},
		{"March 10 2024", "2024-03-10T00:00:00+09:00"},
		{"Mar 10, 2024", "2024-03-10T00:00:00+09:00"},
		{"Mar 10 2024", "2024-03-10T00:00:00+09:00"},
		{"10 Mar 2024", "2024-03-10T00:00:00+09:00"},
		{"02 Jan 2006", "2006-01-02T00:00:00+09:00"},
		{"Sunday, March 10, 2024", "2024-03-10T00:00:00+09:00"},
		{"september 1st, 2023", "2023-09-01T00:00:00+09:00"},
		{"Sept. 1, 2023", "2023-09-01T00:00:00+09:00"},
		{"  2024-03-10   23:30  ", "2024-03-10T23:30:00+09:00"},
		{"2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43.1-05:00"}, // YAML 1.1's example
		{"2024-03-10 23:30:00+01", "2024-03-10T23:30:00+01:00"},
		{"2024-03-10T23:30:00 +13", "2024-03-10T23:30:00+13:00"},
		{"1710113400", "2024-03-11T08:30:00+09:00"}, // seconds since 1970, shown in the site's zone
	} {
		got, err := ParseDate(tt.in, tokyo)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		want, err := time.Parse(time.RFC3339Nano, tt.want)
		if err != nil {
			t.Fatal(err)
		}
		_, wantOff := want.Zone()
		if _, off := got.Zone(); !got.Equal(want) || off != wantOff {
			t.Errorf("ParseDate(%q) = %s, want %s", tt.in, got.Format(time.RFC3339Nano), tt.want)
		}
	}
	for _, bad := range []string{"yesterday", "2025-13-01", "14/03/2025", "03/10/2024", "2025-03-14T25:00:00Z", "", "3:04PM", "Jan 2 15:04:05", "2024-02-30"} {
		_, err := ParseDate(bad, tokyo)
		if err == nil {
			t.Errorf("ParseDate(%q) succeeded; want an error", bad)
		} else if !strings.Contains(err.Error(), "2024-03-10 23:30:00 +0100") {
			t.Errorf("ParseDate(%q): %v; want a message listing the forms", bad, err)
		}
	}
}

// TestLoadDates checks where a post's date comes from and in which zone
// it is shown and placed, with and without the site's timezone.
func TestLoadDates(t *testing.T) {
	files := map[string]string{
		// Shown and placed in its own offset unless timezone is set.
		"content/posts/offset.md": "---\ntitle: Offset\ndate: 2016-12-01T09:00:00+10:00\n---\nx\n",
		// TOML offset date-time: the same.
		"content/posts/toml.md": "+++\ntitle = \"Toml\"\ndate = 2016-12-01T09:00:00+10:00\n+++\nx\n",
		// No zone: in the site's timezone, UTC when none is set.
		"content/posts/plain.md": "---\ntitle: Plain\ndate: 2016-12-01 09:00\n---\nx\n",
		// The file name's date when front matter has none; front matter's when it has one.
		"content/posts/2020-5-1-named.md":       "---\ntitle: Named\n---\nx\n",
		"content/posts/2020-05-02-overruled.md": "---\ntitle: Overruled\ndate: 2021-07-08\n---\nx\n",
		// Zola keeps the date in path only; Hugo's url may start with one.
		"content/posts/zola.md": "+++\ntitle = \"Zola\"\npath = \"2026/03/26/zola-post\"\n+++\nx\n",
		"content/posts/hugo.md": "---\ntitle: Hugo\nurl: /2019/1/9/hugo-post/\n---\nx\n",
		// The Rust blog's: a date after the section; only whole segments are a date.
		"content/posts/inside.md":                "+++\ntitle = \"Inside\"\npath = \"inside-rust/2024/04/12/lead\"\n+++\nx\n",
		"content/posts/2020-06-07_zola-named.md": "+++\ntitle = \"Zola named\"\npath = \"v2024/04/12/x\"\n+++\nx\n",
		// A repeated year: Ruby reads the clock and ignores the offset.
		"content/posts/jekyll.md": "---\ntitle: Jekyll\ndate: 2023-01-29 18:30:22 2023 -0800\n---\nx\n",
		// Pelican's capitalised keys and a named month.
		"content/posts/pelican.md": "Title: Pelican\nDate: March 10, 2024 11:30 PM\n\nx\n",
	}
	type want struct{ url, shown string } // url "" is not checked
	for _, tt := range []struct {
		timezone string          // a line of site.toml: the zone alone is timezone = "…"
		want     map[string]want // by title: URL, and the date as shown
	}{
		{"", map[string]want{
			"Offset":     {"/2016/12/offset/", "2016-12-01 09:00 +1000"},
			"Toml":       {"/2016/12/toml/", "2016-12-01 09:00 +1000"},
			"Plain":      {"/2016/12/plain/", "2016-12-01 09:00 +0000"},
			"Named":      {"/2020/05/named/", "2020-05-01 00:00 +0000"},
			"Overruled":  {"/2021/07/overruled/", "2021-07-08 00:00 +0000"},
			"Zola":       {"", "2026-03-26 00:00 +0000"}, // path and url set the URL: not checked here
			"Hugo":       {"", "2019-01-09 00:00 +0000"},
			"Inside":     {"", "2024-04-12 00:00 +0000"},
			"Zola named": {"", "2020-06-07 00:00 +0000"},
			"Jekyll":     {"/2023/01/jekyll/", "2023-01-29 18:30 +0000"},
			"Pelican":    {"/2024/03/pelican/", "2024-03-10 23:30 +0000"},
		}},
		{"UTC", map[string]want{
			"Offset": {"/2016/11/offset/", "2016-11-30 23:00 +0000"},
			"Toml":   {"/2016/11/toml/", "2016-11-30 23:00 +0000"},
			"Plain":  {"/2016/12/plain/", "2016-12-01 09:00 +0000"},
			"Named":  {"/2020/05/named/", "2020-05-01 00:00 +0000"},
		}},
		{"America/New_York", map[string]want{
			"Offset":  {"/2016/11/offset/", "2016-11-30 18:00 -0500"},
			"Plain":   {"/2016/12/plain/", "2016-12-01 09:00 -0500"},
			"Zola":    {"", "2026-03-26 00:00 -0400"},
			"Jekyll":  {"/2023/01/jekyll/", "2023-01-29 18:30 -0500"},
			"Pelican": {"/2024/03/pelican/", "2024-03-10 23:30 -0400"},
		}},
		// Hugo's timeZone and Pelican's TIMEZONE: dates without a zone in
		// it, dates with an offset left as written.
		{`default_timezone = "America/New_York"`, map[string]want{
			"Offset":  {"/2016/12/offset/", "2016-12-01 09:00 +1000"},
			"Toml":    {"/2016/12/toml/", "2016-12-01 09:00 +1000"},
			"Plain":   {"/2016/12/plain/", "2016-12-01 09:00 -0500"},
			"Pelican": {"/2024/03/pelican/", "2024-03-10 23:30 -0400"},
		}},
	} {
		t.Run("timezone="+tt.timezone, func(t *testing.T) {
			conf := "title = \"T\"\nbase_url = \"https://example.org/\"\n"
			switch {
			case strings.Contains(tt.timezone, "="):
				conf += tt.timezone + "\n"
			case tt.timezone != "":
				conf += "timezone = \"" + tt.timezone + "\"\n"
			}
			fsys := site(files)
			fsys["site.toml"].Data = []byte(conf)
			s, err := load(t, fsys, Options{Future: true})
			if err != nil {
				t.Fatal(err)
			}
			byTitle := map[string]*Page{}
			for _, p := range s.Posts {
				byTitle[p.Title] = p
			}
			for title, w := range tt.want {
				p := byTitle[title]
				if p == nil {
					t.Errorf("no post %q", title)
					continue
				}
				if w.url != "" && p.URL != w.url {
					t.Errorf("%s: URL %s, want %s", title, p.URL, w.url)
				}
				if got := p.Date.Format("2006-01-02 15:04 -0700"); got != w.shown {
					t.Errorf("%s: date %s, want %s", title, got, w.shown)
				}
			}
		})
	}
}

// TestDateFallbacks checks where a post without a date key takes its date,
// as Hugo does (publishDate, pubdate, a date under published, lastmod), and
// that empty front matter is front matter: the post is titled and dated
// by its file name, as Jekyll does.
func TestDateFallbacks(t *testing.T) {
	s, err := load(t, site(map[string]string{
		"content/posts/publish.md":          "---\ntitle: Publish\npublishDate: 2021-02-03\n---\nx\n",
		"content/posts/pub.md":              "---\ntitle: Pub\npubdate: 2021-02-04\n---\nx\n",
		"content/posts/published.md":        "---\ntitle: Published\npublished: 2021-02-05\n---\nx\n",
		"content/posts/both.md":             "---\ntitle: Both\ndate: 2021-02-06\npublishDate: 2020-01-01\n---\nx\n",
		"content/posts/lastmod.md":          "---\ntitle: Lastmod\nlastmod: 2021-02-07\n---\nx\n",
		"content/posts/2021-02-08-empty.md": "---\n---\nx\n",
	}), Options{Future: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Publish": "2021-02-03", "Pub": "2021-02-04", "Published": "2021-02-05", "Both": "2021-02-06", "Lastmod": "2021-02-07", "Empty": "2021-02-08"}
	got := map[string]string{}
	for _, p := range s.Posts {
		got[p.Title] = p.Date.Format("2006-01-02")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dates %v, want %v", got, want)
	}
}

// normalizeDateEvery is normalizeDate running every rewrite, as it did
// before each was guarded by a test of whether it can match.
func normalizeDateEvery(s string) string {
	s = strings.TrimSpace(s)
	s = weekdayPrefix.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, ",", " ")
	s = spaces.ReplaceAllString(strings.TrimSpace(s), " ")
	s = atWord.ReplaceAllString(s, " ")
	s = ordinalSuffix.ReplaceAllString(s, "$1")
	s = monthName.ReplaceAllStringFunc(s, func(m string) string {
		end := strings.TrimLeft(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
		return strings.ToUpper(m[:1]) + strings.ToLower(m[1:3]) + end
	})
	s = meridiem.ReplaceAllStringFunc(s, func(m string) string {
		return strings.ToUpper(strings.ReplaceAll(m, ".", ""))
	})
	s = yearFirst.ReplaceAllString(s, "$1-$2-$3")
	s = dateTimeT.ReplaceAllString(s, "$1 $2")
	if m := hoursOffset.FindStringSubmatchIndex(s); m != nil {
		hours := s[m[6]:m[7]]
		if len(hours) == 1 {
			hours = "0" + hours
		}
		s = s[:m[3]] + " " + s[m[4]:m[5]] + hours + ":00"
	}
	return s
}

// TestNormalizeDateGuards holds normalizeDate, which skips the rewrites
// that cannot match, equal to running them all: on every example of the
// date forms, and on random dates spelt with the words, case folds (ſ of
// s, K of k), white space and punctuation the rewrites look for.
func TestNormalizeDateGuards(t *testing.T) {
	inputs := []string{"", " ", "2024-03-10", "1710113400", "-1710113400"}
	for _, f := range dateForms {
		inputs = append(inputs, f.example)
	}
	pieces := []string{
		"2024", "03", "3", "10", "1", "-", "/", ".", ":", ",", " ", "  ", "\t", "\n", "\f", "\r", "\v",
		"T", "t", "Z", "z", "+", "+01", "-05", "+0100", ":00", ".5", "1st", "2nd", "3rd", "4th", "1ST", "2ſt",
		"Mon", "mon", "Sunday", "ſun", "Sat.", "Mar", "march", "MAR", "Sept.", "ſep", "dec-", "at", "AT",
		"am", "pm", "a.m.", "p.m.", "AM", "PM", "GMT", "UTC", "K", "\u212a", "é", "x", "th", "st",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var b strings.Builder
		for range 1 + rng.IntN(9) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		if got, want := normalizeDate(in), normalizeDateEvery(in); got != want {
			t.Errorf("normalizeDate(%q) = %q, running every rewrite gives %q", in, got, want)
		}
	}
}
