package l10n

import (
	"testing"
	"time"

	"golang.org/x/text/language"
)

func TestDates(t *testing.T) {
	jan2 := time.Date(2026, 1, 2, 23, 30, 0, 0, time.UTC)
	sep14 := time.Date(2024, 9, 14, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	for _, tc := range []struct {
		lang                   string
		at                     time.Time
		tag                    string // the CLDR locale taken
		known                  bool
		long, medium, dayMonth string
	}{
		{"en", jan2, "en-001", true, "2 January 2026", "2 Jan 2026", "2 Jan"},
		{"en-GB", sep14, "en-001", true, "14 September 2024", "14 Sept 2024", "14 Sept"},
		{"en-US", jan2, "en", true, "January 2, 2026", "Jan 2, 2026", "Jan 2"},
		{"fr", jan2, "fr", true, "2 janvier 2026", "2 janv. 2026", "2 janv."},
		{"fr-CA", jan2, "fr-CA", true, "2 janvier 2026", "2 janv. 2026", "2 janv."},
		{"de", jan2, "de", true, "2. Januar 2026", "02.01.2026", "2. Jan."},
		{"de-AT", jan2, "de-AT", true, "2. Jänner 2026", "02.01.2026", "2. Jän."},
		{"de-CH", jan2, "de", true, "2. Januar 2026", "02.01.2026", "2. Jan."},
		{"es", jan2, "es", true, "2 de enero de 2026", "2 ene 2026", "2 ene"},
		{"pt", jan2, "pt", true, "2 de janeiro de 2026", "2 de jan. de 2026", "2 de jan."},
		{"pt-BR", jan2, "pt", true, "2 de janeiro de 2026", "2 de jan. de 2026", "2 de jan."},
		{"pt-PT", jan2, "pt-PT", true, "2 de janeiro de 2026", "02/01/2026", "2/01"},
		{"it", jan2, "it", true, "2 gennaio 2026", "2 gen 2026", "2 gen"},
		{"nl", jan2, "nl", true, "2 januari 2026", "2 jan. 2026", "2 jan."},
		{"ja", jan2, "ja", true, "2026年1月2日", "2026/01/02", "1月2日"},
		{"zh", jan2, "zh", true, "2026年1月2日", "2026年1月2日", "1月2日"},
		{"zh-TW", jan2, "zh-Hant", true, "2026年1月2日", "2026年1月2日", "1月2日"},
		// Genitive month names: the format context, as in a sentence.
		{"ru", jan2, "ru", true, "2 января 2026 г.", "2 янв. 2026 г.", "2 янв."},
		{"pl", jan2, "pl", true, "2 stycznia 2026", "2 sty 2026", "2 sty"},
		// An era in the pattern.
		{"th", jan2, "th", true, "2 มกราคม ค.ศ. 2026", "2 ม.ค. 2026", "2 ม.ค."},
		// Deprecated and legacy tags are canonicalized.
		{"nb", jan2, "no", true, "2. januar 2026", "2. jan. 2026", "2. jan."},
		{"iw", jan2, "he", true, "2 בינואר 2026", "2 בינו׳ 2026", "2 בינו׳"},
		// A language CLDR does not cover: English.
		{"tlh", jan2, "en-001", false, "2 January 2026", "2 Jan 2026", "2 Jan"},
	} {
		d, known := DatesFor(language.Make(tc.lang))
		if d.Tag.String() != tc.tag || known != tc.known {
			t.Errorf("%s: locale %s (%v), want %s (%v)", tc.lang, d.Tag, known, tc.tag, tc.known)
		}
		if got := d.Long(tc.at); got != tc.long {
			t.Errorf("%s: Long = %q, want %q", tc.lang, got, tc.long)
		}
		if got := d.Medium(tc.at); got != tc.medium {
			t.Errorf("%s: Medium = %q, want %q", tc.lang, got, tc.medium)
		}
		if got := d.DayMonth(tc.at); got != tc.dayMonth {
			t.Errorf("%s: DayMonth = %q, want %q", tc.lang, got, tc.dayMonth)
		}
	}
}

func TestFormatDate(t *testing.T) {
	loc := &dateLocale{
		wide:      [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		abbr:      [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		standWide: [12]string{"JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"},
		eras:      [2]string{"BC", "AD"},
	}
	at := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ pattern, want string }{
		{"d MMMM y", "5 March 2026"},
		{"dd.MM.yy", "05.03.26"},
		{"d 'de' MMM 'de' y", "5 de Mar de 2026"},
		{"'o''clock' d", "o'clock 5"},
		{"LLLL y", "MARCH 2026"},
		{"y G", "2026 AD"},
		{"yyyy", "2026"},
		{"M/d", "3/5"},
		{"d 'unterminated", "5 unterminated"},
	} {
		if got := formatDate(loc, tc.pattern, at); got != tc.want {
			t.Errorf("formatDate(%q) = %q, want %q", tc.pattern, got, tc.want)
		}
	}
	if got := formatDate(loc, "y G", time.Date(-43, 3, 15, 0, 0, 0, 0, time.UTC)); got != "44 BC" {
		t.Errorf("44 BC is %q", got)
	}
}
