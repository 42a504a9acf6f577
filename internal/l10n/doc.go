// Package l10n gives a site's theme its words and dates in the site's
// language (site.toml's language): message catalogues with CLDR plural
// rules, CLDR month names and date patterns, and reading time that counts
// what a reader reads in languages written without spaces.
//
// It lives under internal/ because it is the engine's: themes reach it
// through the template functions of package render (T, date, mediumdate,
// daymonth), and the catalogues themselves are theme files, i18n/LANG.toml
// (package themes documents their IDs and the order they are looked up
// in).
//
// # Messages
//
// A message file, i18n/LANG.toml with LANG a BCP 47 tag (fr.toml,
// pt-BR.toml), maps message IDs to a string, or to a table of CLDR plural
// forms (zero, one, two, few, many, other; other is required), as Hugo's
// i18n files do:
//
//	read_more = "Lire la suite"
//
//	[min_read]
//	one = "%d min de lecture"
//	other = "%d min de lecture"
//
// Messages are formatted by golang.org/x/text/message as fmt formats
// (%d, %s, %[2]d for the second argument, %% for a literal %), numbers
// written the language's way (1,234 in English, 1.234 in German, 1 234
// in French). Plural forms choose by the first argument, a number, with
// the CLDR rules of the site's language (golang.org/x/text/feature/plural):
// French and Brazilian Portuguese put 0 with 1, European Portuguese and
// German do not, Japanese and Chinese have one form. A form may leave its
// number out ("post" / "posts" beside a count shown elsewhere). A form the
// language does not have (English "one" in a Japanese site) is ignored.
// Hugo's {{ .Count }} stands for the first argument. Hugo's i18n
// function in shortcodes (Catalog.Translate) reads the site's own
// messages, those of IDs no theme has, as Hugo does: text with
// {{ .Count }} in it, a % a % ("20% off").
//
// Load takes the site's language, site.toml's [translations] (Overrides)
// and the Sources in order: the site's i18n/, the site theme's
// themes/NAME/i18n/, the default theme's i18n/. The catalogue chain is the
// language's own catalogue, or that of its nearest CLDR parent that any
// source has (language.Tag.Parent: pt-BR takes pt, de-AT de, zh-TW
// zh-Hant), then each further parent with a catalogue, then English. Each
// message is looked up language by language, and within a language in
// [translations] (for the site's language only) and then source by
// source: a French message of the default theme wins over an English one
// of the site, and a site's French message over the default theme's.
// English must have every message: a theme's en.toml defines its IDs.
//
// Warnings (a build's, at their file and line): a language that is not
// a BCP 47 tag, or one with no catalogue in its chain but English (one
// warning at site.toml's language line; English-speaking regions are
// English and warn of nothing), a chain whose first catalogue lacks
// messages (listed, shown in English), a [translations] key that is no
// message ID, and in a file a value that is neither a string nor plural
// forms, or a plural form that is not CLDR's (the message is left out). A
// file that is not TOML or whose name is not a tag, and such a value in
// [translations], are errors at file and line. A message that does not
// fit its arguments ("100% sure" with no argument) fails the template that
// uses it, naming the message's file and line; an argument's own text (a
// title "Up 100%!") is only text.
//
// Hugo's i18n files read as they are: go-i18n's description and hash
// keys are ignored, and {{ .Count }} is the first argument. Their IDs are
// the Hugo theme's, which the default theme does not show.
//
// # Dates
//
// cldr_dates.go holds, for the 154 locales CLDR covers at the modern or
// moderate level and those of their regional and script variants whose
// dates read differently, the Gregorian month names (format context: the
// forms used in a date, genitive where the language has one, as Russian
// "2 января"), wide and abbreviated, and the long, medium and day-month
// (MMMd) date patterns, with era and stand-alone names where a pattern
// uses them. It is written by gen_months.go (go generate) from CLDR's
// XML as Debian's unicode-cldr-core installs it, read with
// golang.org/x/text/unicode/cldr and resolved through CLDR's
// parentLocales; CLDRVersion records the version. golang.org/x/text has
// this data, but no public API to format a date with it.
//
// DatesFor finds a language's locale: its canonical tag (nb is no, iw
// he), or its nearest CLDR parent in the tables. English without a region
// takes CLDR's en-001 ("2 January 2026", as the default theme always
// wrote dates); en-US writes "January 2, 2026". A language CLDR does not
// cover gets en-001's. Digits are ASCII.
//
// # Reading time
//
// CountText counts words (runs of text between spaces) and, apart, Han,
// Hiragana and Katakana characters, since Chinese and Japanese put no
// spaces between words; CJK punctuation separates and is not counted.
// Count.Minutes reads WordsPerMinute (220) words and CharsPerMinute (500)
// characters a minute, rounded, at least 1: a 2,500-character Japanese
// post is 5 minutes, where counting space-separated words would make it
// one.
package l10n
