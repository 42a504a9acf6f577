package content

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// zoneKind says where a date form's time zone comes from.
type zoneKind int

const (
	zoneNone    zoneKind = iota // no zone: the date is in the site's time zone
	zoneOffset                  // a numeric offset (or Z), which is kept
	zoneName                    // an abbreviation (PST, CET, UTC): see zoneAbbrevs
	zoneIgnored                 // an offset Ruby's Time.parse ignores: read as zoneNone
)

// dateForms are the date forms front matter may use: every form that
// Hugo (cast.ToTime), Jekyll (Ruby's Time.parse), Zola (TOML dates, RFC
// 3339, YYYY-MM-DD) and Pelican (dateutil) read in the blogs they build.
// Each layout (Go's reference time) is tried, in order, on the date after
// normalizeDate, which drops a leading weekday name, commas, "at" and
// ordinal suffixes, shortens month names to three letters, reads "/" and
// "." in a year-first date as "-", a "T" between date and time as a
// space, and an offset in hours after the time (-5, +01) as -05:00. Layouts with "1" and "2" read one or two digits, so 2024-4-9 is
// 2024-04-09; seconds may carry a fraction (23:30:00.123) in every form.
// content/doc.go lists the same examples; TestDateForms checks each row.
var dateForms = []struct {
	layout  string
	zone    zoneKind
	example string
}{
	// Year first: ISO 8601 and RFC 3339, YAML timestamps, Jekyll's.
	{"2006-1-2", zoneNone, "2024-03-10"},
	{"2006-1-2 15:4", zoneNone, "2024-03-10 23:30"},
	{"2006-1-2 15:4:5", zoneNone, "2024-03-10T23:30:00"},
	{"2006-1-2 15:4Z07:00", zoneOffset, "2024-03-10T23:30+01:00"},
	{"2006-1-2 15:4:5Z07:00", zoneOffset, "2024-03-10T23:30:00Z"},
	{"2006-1-2 15:4:5Z0700", zoneOffset, "2024-03-10T23:30:00+0100"},
	{"2006-1-2 15:4:5 Z07:00", zoneOffset, "2024-03-10 23:30:00.123 +01:00"},
	{"2006-1-2 15:4:5 Z0700", zoneOffset, "2024-03-10 23:30:00 +0100"},
	{"2006-1-2 15:4 Z07:00", zoneOffset, "2024-03-10 23:30 +01:00"},
	{"2006-1-2 15:4 Z0700", zoneOffset, "2024-03-10 23:30 +0100"},
	{"2006-1-2 15:4:5 -0700 MST", zoneOffset, "2024-03-10 23:30:00 +0000 UTC"}, // Go's Time.String
	{"2006-1-2 15:4:5 MST", zoneName, "2024-03-10 23:30:00 PST"},
	{"2006-1-2 15:4 MST", zoneName, "2024-03-10 23:30 EST"},
	{"2006-1-2 15:4:5 2006 Z0700", zoneIgnored, "2023-01-29 18:30:22 2023 -0800"}, // Ruby ignores the zone after a second year
	{"2006-1-2 3:4 PM", zoneNone, "2024-03-10 11:30 PM"},
	{"2006-1-2 3:4:5 PM", zoneNone, "2024-03-10 11:30:00 pm"},
	{"20060102", zoneNone, "20240310"},
	// Day first, month named.
	{"2 Jan 2006", zoneNone, "10 March 2024"},
	{"2 Jan 2006 15:4", zoneNone, "10 Mar 2024 23:30"},
	{"2 Jan 2006 15:4:5", zoneNone, "10 Mar 2024 23:30:00"},
	{"2 Jan 2006 15:4:5 MST", zoneName, "Sun, 10 Mar 2024 23:30:00 GMT"},       // RFC 1123
	{"2 Jan 2006 15:4:5 Z0700", zoneOffset, "Sun, 10 Mar 2024 23:30:00 +0100"}, // RFC 1123Z, RFC 2822
	{"2 Jan 2006 15:4 MST", zoneName, "Sun, 10 Mar 2024 23:30 GMT"},            // RFC 2822 without seconds
	{"2 Jan 2006 15:4 Z0700", zoneOffset, "10 Mar 2024 23:30 +0100"},           // RFC 2822 without seconds
	{"2 Jan 06 15:4 MST", zoneName, "10 Mar 24 23:30 EST"},                     // RFC 822
	{"2 Jan 06 15:4 Z0700", zoneOffset, "10 Mar 24 23:30 +0100"},               // RFC 822Z
	{"2 Jan 06 15:4:5 MST", zoneName, "10 Mar 24 23:30:00 EST"},                // RFC 822 with seconds
	{"2 Jan 06 15:4:5 Z0700", zoneOffset, "10 Mar 24 23:30:00 +0100"},          // RFC 822Z with seconds
	{"2-Jan-06 15:4:5 MST", zoneName, "Sunday, 10-Mar-24 23:30:00 UTC"},        // RFC 850
	{"2-Jan-2006", zoneNone, "10-Mar-2024"},                                    //
	{"2-Jan-2006 15:4:5", zoneNone, "10-Mar-2024 23:30:00"},                    //
	{"2 Jan 2006 3:4 PM", zoneNone, "10 March 2024 11:30 PM"},                  //
	// Month first, month named.
	{"Jan 2 2006", zoneNone, "March 10, 2024"},
	{"Jan 2 2006 15:4", zoneNone, "Mar 10 2024 23:30"},
	{"Jan 2 2006 15:4:5", zoneNone, "Mar 10 2024 23:30:00"},
	{"Jan 2 2006 3:4 PM", zoneNone, "March 10, 2024 at 11:30 PM"},
	{"Jan 2 2006 3:4:5 PM", zoneNone, "March 10th, 2024 11:30:00 PM"},
	{"Jan 2 15:4:5 2006", zoneNone, "Sun Mar 10 23:30:00 2024"},               // ANSI C
	{"Jan 2 15:4:5 MST 2006", zoneName, "Sun Mar 10 23:30:00 PST 2024"},       // Unix date
	{"Jan 2 15:4:5 Z0700 2006", zoneOffset, "Sun Mar 10 23:30:00 -0800 2024"}, // Ruby's Time#to_s of old
	{"Jan 2 2006 15:4:5 MST", zoneName, "March 10, 2024 23:30:00 CET"},        //
	{"Jan 2 2006 15:4:5 Z0700", zoneOffset, "March 10, 2024 23:30:00 +0100"},  //
}

// zoneAbbrevs are the offsets of the time zone abbreviations Ruby's
// Time.parse knows (and dateutil's usual tzinfos): a date written with
// one is at that offset. An abbreviation not listed leaves the date in
// the site's time zone, as Ruby and dateutil do.
var zoneAbbrevs = map[string]int{
	"UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600, "HAST": -10 * 3600, "HADT": -9 * 3600,
	"AST": -4 * 3600, "ADT": -3 * 3600, "NST": -(3*3600 + 1800), "NDT": -(2*3600 + 1800),
	"WEST": 3600, "BST": 3600, "CET": 3600, "MET": 3600, "WAT": 3600,
	"CEST": 2 * 3600, "MEST": 2 * 3600, "EET": 2 * 3600, "CAT": 2 * 3600, "SAST": 2 * 3600,
	"EEST": 3 * 3600, "MSK": 3 * 3600, "EAT": 3 * 3600,
	"IST": 5*3600 + 1800, "SGT": 8 * 3600, "HKT": 8 * 3600, "AWST": 8 * 3600, "CCT": 8 * 3600,
	"JST": 9 * 3600, "KST": 9 * 3600, "ACST": 9*3600 + 1800, "ACDT": 10*3600 + 1800,
	"AEST": 10 * 3600, "AEDT": 11 * 3600, "NZST": 12 * 3600, "NZDT": 13 * 3600,
}

var (
	weekdayPrefix = regexp.MustCompile(`(?i)^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+`)
	monthName     = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(\s|-|$)`)
	ordinalSuffix = regexp.MustCompile(`(?i)\b(\d{1,2})(st|nd|rd|th)\b`)
	atWord        = regexp.MustCompile(`(?i)\s+at\s+`)
	meridiem      = regexp.MustCompile(`\b(am|pm|a\.m\.|p\.m\.)$`)
	yearFirst     = regexp.MustCompile(`^(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b`)
	dateTimeT     = regexp.MustCompile(`^(\d{4}-\d{1,2}-\d{1,2})[Tt](\d)`)
	spaces        = regexp.MustCompile(`\s+`)
	unixSeconds   = regexp.MustCompile(`^-?\d{9,11}$`)
	hoursOffset   = regexp.MustCompile(`(:\d\d(?:\.\d+)?) ?([+-])(\d{1,2})$`)
)

// normalizeDate rewrites the spellings the layouts of dateForms leave out.
func normalizeDate(s string) string {
	// Each rewrite runs only where its expression can match: most dates
	// are written as 2024-03-10 or 2024-03-10T23:30:00Z, and a build reads
	// thousands. A character past ASCII may be a case fold of a letter
	// (ſ of s), so it lets every rewrite that ignores case run.
	s = strings.TrimSpace(s)
	wide := !isASCII(s)
	if s != "" && (wide || isASCIILetter(s[0])) {
		s = weekdayPrefix.ReplaceAllString(s, "")
	}
	s = strings.ReplaceAll(s, ",", " ")
	if s = strings.TrimSpace(s); strings.ContainsAny(s, "\t\n\f\r") || strings.Contains(s, "  ") {
		s = spaces.ReplaceAllString(s, " ")
	}
	if strings.ContainsAny(s, "aA") {
		s = atWord.ReplaceAllString(s, " ")
	}
	if wide || hasOrdinal(s) {
		s = ordinalSuffix.ReplaceAllString(s, "$1")
	}
	if wide || strings.ContainsAny(s, "JjFfMmAaSsOoNnDd") {
		s = monthName.ReplaceAllStringFunc(s, func(m string) string {
			end := strings.TrimLeft(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
			return strings.ToUpper(m[:1]) + strings.ToLower(m[1:3]) + end
		})
	}
	if strings.HasSuffix(s, "m") || strings.HasSuffix(s, ".") {
		s = meridiem.ReplaceAllStringFunc(s, func(m string) string {
			return strings.ToUpper(strings.ReplaceAll(m, ".", ""))
		})
	}
	if len(s) > 4 && (s[4] == '/' || s[4] == '.') {
		s = yearFirst.ReplaceAllString(s, "$1-$2-$3")
	}
	if strings.ContainsAny(s, "Tt") {
		s = dateTimeT.ReplaceAllString(s, "$1 $2")
	}
	if !strings.ContainsAny(s, "+-") || !strings.Contains(s, ":") {
		return s
	}
	if m := hoursOffset.FindStringSubmatchIndex(s); m != nil { // +1, -05: YAML's and PostgreSQL's offsets in hours
		hours := s[m[6]:m[7]]
		if len(hours) == 1 {
			hours = "0" + hours
		}
		s = s[:m[3]] + " " + s[m[4]:m[5]] + hours + ":00"
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// hasOrdinal reports whether an ASCII s may hold what ordinalSuffix
// matches: a digit and two letters of st, nd, rd or th.
func hasOrdinal(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' && strings.IndexByte("sSnNrRtT", s[i+1]) >= 0 && strings.IndexByte("tTdDhH", s[i+2]) >= 0 {
			return true
		}
	}
	return false
}

// dateHint is what an unreadable date's message suggests.
const dateHint = "want a date such as 2024-03-10, 2024-03-10 23:30, " +
	"2024-03-10T23:30:00+01:00, 2024-03-10 23:30:00 +0100, 10 March 2024, " +
	"March 10, 2024 or Sun, 10 Mar 2024 23:30:00 GMT " +
	"(the content package documentation lists every form)"

// ParseDate reads a date in one of the forms of dateForms (content/doc.go
// lists them), or a whole number of seconds since 1970 as Hugo does. A
// date with a numeric offset or a known zone abbreviation keeps it; one
// without a zone is in loc.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	t, _, err := parseDateForm(s, loc)
	return t, err
}

// parseDateForm is ParseDate that also says which row of dateForms read
// the date (-1 for seconds since 1970).
func parseDateForm(s string, loc *time.Location) (time.Time, int, error) {
	n := normalizeDate(s)
	if len(n) >= 9 && len(n) <= 12 && unixSeconds.MatchString(n) {
		sec, err := strconv.ParseInt(n, 10, 64)
		if err == nil {
			return time.Unix(sec, 0).In(loc), -1, nil
		}
	}
	for i, f := range dateForms {
		// Parsed in UTC, so that an offset or abbreviation never takes the
		// build machine's local zone.
		t, err := time.ParseInLocation(f.layout, n, time.UTC)
		if err != nil {
			continue
		}
		switch f.zone {
		case zoneNone, zoneIgnored:
			t = wallClock(t, loc)
		case zoneName:
			name, _ := t.Zone()
			if off, ok := zoneAbbrevs[strings.ToUpper(name)]; ok {
				if off == 0 {
					t = wallClock(t, time.UTC)
				} else {
					t = wallClock(t, time.FixedZone(strings.ToUpper(name), off))
				}
			} else if !strings.HasPrefix(name, "GMT") { // GMT+3: Go read the offset
				t = wallClock(t, loc)
			}
		}
		return t, i, nil
	}
	return time.Time{}, 0, fmt.Errorf("cannot read %q as a date: %s", strings.TrimSpace(s), dateHint)
}

// wallClock is t's date and clock reading in loc.
func wallClock(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}

// parseDate reads a front matter date value: a string (ParseDate), a TOML
// date or date-time, or a number of seconds since 1970 (Hugo).
func parseDate(v any, loc *time.Location) (time.Time, error) {
	switch v := v.(type) {
	case string:
		return ParseDate(v, loc)
	case time.Time: // TOML offset date-time
		return v, nil
	case toml.LocalDate:
		return time.Date(v.Year, time.Month(v.Month), v.Day, 0, 0, 0, 0, loc), nil
	case toml.LocalDateTime:
		return time.Date(v.Year, time.Month(v.Month), v.Day, v.Hour, v.Minute, v.Second, v.Nanosecond, loc), nil
	case int64:
		return time.Unix(v, 0).In(loc), nil
	}
	return time.Time{}, fmt.Errorf("want a date, found %s", describe(v))
}

// datedName is a Jekyll-style file name date, "2024-05-01-hello" (Jekyll
// takes one or two digits for month and day), or Zola's "2024-05-01_hello".
var datedName = regexp.MustCompile(`^(\d{4}-\d{1,2}-\d{1,2})[-_]`)

// DatePrefix returns the date that starts a Jekyll or Zola post's file
// name with its separator ("2024-05-01-" of "2024-05-01-hello"), or "".
func DatePrefix(name string) string {
	if m := datedName.FindStringIndex(name); m != nil {
		return name[:m[1]]
	}
	return ""
}

// dateFromName reads the date at the start of a file name: Jekyll's, or
// any Zola reads (zolaDatedName: a name that is only a date, a date and
// time with an offset, a space before the "_" or "-").
func dateFromName(name string, loc *time.Location) (time.Time, bool) {
	if m := datedName.FindStringSubmatch(name); m != nil {
		t, err := time.ParseInLocation("2006-1-2", m[1], loc)
		return t, err == nil
	}
	if m := zolaDatedName.FindStringSubmatch(name); m != nil {
		t, err := ParseDate(m[1], loc)
		return t, err == nil
	}
	return time.Time{}, false
}

// datedPath is a URL path that holds a date as three whole segments,
// "2026/03/26/slug" or "inside-rust/2024/04/12/slug", as Zola's path and
// Hugo's url keys may give it: the first such date.
var datedPath = regexp.MustCompile(`(?:^|/)(\d{4}/\d{1,2}/\d{1,2})(?:/|$)`)

// PathDate reads the first date a URL path holds as whole segments
// ("inside-rust/2024/04/12/slug" is 12 April 2024), in loc.
func PathDate(s string, loc *time.Location) (time.Time, bool) {
	m := datedPath.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006/1/2", m[1], loc)
	return t, err == nil
}

// dateFromPath reads the date in a path or url front matter value.
func dateFromPath(params map[string]any, loc *time.Location) (time.Time, bool) {
	for _, key := range []string{"path", "url"} {
		if v, ok := params[key].(string); ok {
			if t, ok := PathDate(v, loc); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}
