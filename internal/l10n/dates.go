package l10n

//go:generate go run gen_months.go

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// dateLocale is one locale's Gregorian calendar data from CLDR
// (cldr_dates.go, written by gen_months.go).
type dateLocale struct {
	tag string
	// wide and abbr are the month names of the format context, the forms
	// a date uses (genitive where the language has one: Russian "января").
	wide, abbr [12]string
	// standWide and standAbbr are the stand-alone names, set only where a
	// pattern uses them (L).
	standWide, standAbbr [12]string
	// eras are the abbreviated names of BC and AD, set only where a
	// pattern uses them (G).
	eras [2]string
	// long, medium and dayMonth are CLDR date patterns: the long and
	// medium date formats and the MMMd skeleton (a day and a month).
	long, medium, dayMonth string
}

var (
	dateIndex = map[string]int{} // dateLocales by tag
	dateTags  []language.Tag
)

func init() {
	dateTags = make([]language.Tag, len(dateLocales))
	for i, d := range dateLocales {
		dateTags[i] = language.MustParse(d.tag)
		dateIndex[dateTags[i].String()] = i
	}
}

// internationalEnglish is the locale whose dates English without a
// region takes: CLDR's en-001, "2 January 2026", as the default theme
// has always written them. en-US (CLDR's en) writes "January 2, 2026".
var internationalEnglish = language.MustParse("en-001")

// Dates formats dates in one locale's words and order.
type Dates struct {
	loc *dateLocale
	// Tag is the CLDR locale the dates follow.
	Tag language.Tag
}

// DatesFor returns the date formats of the CLDR locale of tag,
// canonicalized (nb is no, iw is he, sh is sr-Latn): the locale itself or
// its nearest CLDR parent (pt-BR is pt, es-MX is es-419, zh-TW is
// zh-Hant); and whether there is one. When there is none, they are
// English's.
func DatesFor(tag language.Tag) (Dates, bool) {
	if c, err := language.All.Canonicalize(tag); err == nil {
		tag = c
	}
	if tag == language.English {
		tag = internationalEnglish
	}
	for t := tag; ; t = t.Parent() {
		if i, ok := dateIndex[t.String()]; ok {
			return Dates{loc: &dateLocales[i], Tag: dateTags[i]}, true
		}
		if t.IsRoot() {
			break
		}
	}
	i := dateIndex[internationalEnglish.String()]
	return Dates{loc: &dateLocales[i], Tag: dateTags[i]}, false
}

// Long formats t as a long date without a weekday: "2 January 2026",
// "2. Januar 2026", "2026年1月2日".
func (d Dates) Long(t time.Time) string { return formatDate(d.loc, d.loc.long, t) }

// Medium formats t as a medium date: "2 Jan 2026", "02.01.2026".
func (d Dates) Medium(t time.Time) string { return formatDate(d.loc, d.loc.medium, t) }

// DayMonth formats t's day and month without the year: "2 Jan",
// "2. Jan.", "1月2日".
func (d Dates) DayMonth(t time.Time) string { return formatDate(d.loc, d.loc.dayMonth, t) }

// formatDate formats t with a CLDR date pattern (UTS #35, Date Field
// Symbol Table) of the fields gen_months.go allows: d (day), M and L
// (month: 1 and 2 letters a number, 3 the abbreviated name, 4 or more
// the wide one), y (year; yy its last two digits) and G (era).
// Text in single quotes is literal; ” is a quote. Digits are ASCII.
func formatDate(loc *dateLocale, pattern string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch {
		case c == '\'':
			// A quoted literal, in which '' is a quote; '' outside one
			// is a quote too.
			i++
			if i < len(pattern) && pattern[i] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			for i < len(pattern) {
				if pattern[i] == '\'' {
					if i+1 < len(pattern) && pattern[i+1] == '\'' {
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(pattern[i])
				i++
			}
			continue
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			n := 1
			for i+n < len(pattern) && pattern[i+n] == c {
				n++
			}
			field(&b, loc, c, n, t)
			i += n
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func field(b *strings.Builder, loc *dateLocale, c byte, n int, t time.Time) {
	switch c {
	case 'd':
		pad(b, t.Day(), n)
	case 'M', 'L':
		m := int(t.Month()) - 1
		wide, abbr := loc.wide, loc.abbr
		if c == 'L' {
			wide, abbr = loc.standWide, loc.standAbbr
		}
		switch {
		case n <= 2:
			pad(b, m+1, n)
		case n == 3:
			b.WriteString(abbr[m])
		default:
			b.WriteString(wide[m])
		}
	case 'y':
		y := t.Year()
		if y <= 0 {
			y = 1 - y // the year of the era
		}
		if n == 2 {
			pad(b, y%100, 2)
		} else {
			pad(b, y, n)
		}
	case 'G':
		if t.Year() <= 0 {
			b.WriteString(loc.eras[0])
		} else {
			b.WriteString(loc.eras[1])
		}
	}
}

// pad writes n with at least width digits.
func pad(b *strings.Builder, n, width int) {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b.WriteByte('0')
	}
	b.WriteString(s)
}
