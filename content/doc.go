// Package content reads a site directory into the page model: the
// configuration, posts, standalone pages, tags and the files copied as
// they are. It knows what a post is, not how it looks: it produces no HTML.
//
// # Site directory
//
//	site.toml              configuration (see Config)
//	content/posts/**/*.md  posts
//	content/**/*.md        standalone pages (anything outside posts/)
//	content/**/index.md    a page bundle: the directory's other files are
//	                       published beside the page
//	content/**/_index.md   a section's metadata (Hugo, Zola): read, not
//	                       published; Site.Sections holds it
//	content/**             other files: copied to the same path in the output
//	static/**              copied to the output root as they are
//	themes/NAME/           a theme overriding the default one file by file
//
// Markdown is any file ending .md, .markdown, .mdown, .mkd or .mkdn (in
// any case), wherever *.md is written here: under content/ a Markdown file
// is always a page (or a section's _index), never copied as a file, so its
// source is never published. Files under static/ are copied as they are.
// Files and directories whose names start with "." or end with "~" are
// ignored under content/ (editor and system files); under static/ only
// names ending in "~" and .DS_Store are.
//
// An _index.md (or _index.markdown, …) in any directory under content/ is
// that section's metadata, as in Hugo and Zola: its front matter is read
// (no key is required) and it is neither a post nor a page. Site.Sections
// maps its directory under content/ ("posts", "" for content/_index.md) to
// it, for templates.
//
// # Configuration
//
// site.toml is TOML; Config documents every key and its default. Unknown
// keys are errors naming their line. title and base_url are required.
//
// # Front matter
//
// Every Markdown file starts with front matter, in one of three forms:
//
//	---                 +++                   Title: Hello
//	title: Hello        title = "Hello"       Date: 2024-05-01
//	date: 2024-05-01    date = 2024-05-01     Tags: go, web
//	---                 +++                   (ends at the first blank line)
//
// YAML between "---" lines, TOML between "+++" lines, or Pelican-style
// "Key: value" lines (an indented line continues a value). Keys match
// without regard to case in all three forms (Title, DATE, tags). The
// Pelican form is recognised only when the first line's key is one of the
// keys below, so a post beginning "Note: …" stays prose. The front matter
// is replaced by empty lines, so positions in the body are positions in
// the file.
//
// Keys (other engines' names in parentheses are accepted too, so existing
// blogs move in unchanged):
//
//	title        required for posts and pages; the page's title
//	date         required for posts unless the file name starts with a
//	             date (2024-05-01-name.md, 2024-5-1-name.md) or a path or
//	             url key starts with one (2026/03/26/slug, /2026/03/26/);
//	             front matter wins over both, as in Jekyll. Any form of
//	             the list below, a TOML date, or seconds since 1970
//	updated      (lastmod, modified) the date of the last significant change
//	draft        true keeps the page out of every output unless --drafts;
//	             (published: false and Pelican's status: draft|hidden too)
//	tags         (categories, category) a list, or one comma-separated
//	             string; see Tags below
//	summary      (description) Markdown shown in lists and feeds
//	slug         the URL segment; default: from the title for posts, from
//	             the file (or bundle directory) name for standalone pages
//	author       (authors; by, as the Go blog writes it) the people
//	             credited instead of the site's author. Each key holds a
//	             comma-separated string ("Ada, Bob" is two) or a list of
//	             names, each whole ("Russ Cox, for the Go team" is one),
//	             or of tables with a name key; all keys add up, each name
//	             once. Meta.Authors holds them all, Meta.Author the first
//	aliases      old URL paths, each published as a page redirecting here
//
// Every key, these and any other (template, liquid, url, path, extra, …),
// is kept lower-cased with its value in Meta.Params, for templates
// (.Post.Params) and other engines' syntax.
//
// # Dates
//
// A date with a numeric offset or a zone abbreviation keeps it: the day
// shown and the post's /YYYY/MM/ are those of the date as written
// (2016-12-01T09:00:00+10:00 is 1 December), as in Hugo and Zola. When
// site.toml sets timezone, every date is converted into that zone first,
// as Jekyll does (the same date is then 30 November in UTC). A date
// without a zone is in timezone when set, else in UTC.
//
// These forms are read (the forms of Hugo's cast.ToTime, Ruby's
// Time.parse as Jekyll uses it, Zola's and Pelican's dateutil that blogs
// use; dateForms in dates.go is the table, one test per row):
//
//	2024-03-10                      2024-4-9, 2024/03/10, 2024.03.10 too
//	2024-03-10 23:30                and 23:30:00, 23:30:00.123 (any form)
//	2024-03-10T23:30:00             T or t or a space between date and time
//	2024-03-10T23:30+01:00
//	2024-03-10T23:30:00Z            RFC 3339; +01:00 or Z
//	2024-03-10T23:30:00+0100
//	2024-03-10 23:30:00.123 +01:00
//	2024-03-10 23:30:00 +0100       Jekyll's usual form
//	2024-03-10 23:30 +01:00
//	2024-03-10 23:30 +0100
//	2024-03-10 23:30:00 +0000 UTC   Go's time.String
//	2024-03-10 23:30:00 PST
//	2024-03-10 23:30 EST
//	2023-01-29 18:30:22 2023 -0800  a repeated year: the offset is
//	                                ignored, as Ruby's Time.parse does
//	2024-03-10 11:30 PM             and 11:30:00 pm
//	20240310
//	10 March 2024                   10 Mar 2024, 02 Jan 2006 (Hugo)
//	10 Mar 2024 23:30               and 23:30:00
//	Sun, 10 Mar 2024 23:30:00 GMT   RFC 1123
//	Sun, 10 Mar 2024 23:30:00 +0100 RFC 1123Z, RFC 2822
//	Sun, 10 Mar 2024 23:30 GMT      and with +0100
//	10 Mar 24 23:30 EST             RFC 822, and 822Z, both with seconds too
//	Sunday, 10-Mar-24 23:30:00 UTC  RFC 850
//	10-Mar-2024                     and 10-Mar-2024 23:30:00
//	10 March 2024 11:30 PM
//	March 10, 2024                  Mar 10 2024, March 10th, 2024
//	Mar 10 2024 23:30               and 23:30:00, 11:30 PM, 11:30:00 PM
//	March 10, 2024 at 11:30 PM
//	Sun Mar 10 23:30:00 2024        ANSI C
//	Sun Mar 10 23:30:00 PST 2024    Unix date
//	Sun Mar 10 23:30:00 -0800 2024  Ruby's date
//	March 10, 2024 23:30:00 CET     and with +0100
//	1710113400                      seconds since 1970 (Hugo), as does a
//	                                TOML or YAML whole number
//
// A weekday name in front is skipped, month names may be written in full
// or in three letters in any case, an offset in whole hours after a time
// (YAML's 21:59:43.10 -5, PostgreSQL's +01) is read as -05:00, and runs of
// spaces count as one. The
// zone abbreviations read at their offset are UTC, UT, GMT, Z, the North
// American ones (EST, EDT, CST, CDT, MST, MDT, PST, PDT, AKST, HST, AST,
// NST, …), WET, WEST, BST, CET, CEST, MET, EET, EEST, MSK, IST (India),
// SGT, HKT, JST, KST, AWST, ACST, AEST, AEDT, NZST, NZDT and a few more
// (zoneAbbrevs); another abbreviation leaves the date in the site's zone,
// as Ruby and dateutil do. Numeric dates with the day or month first
// (03/10/2024) are refused: Ruby reads them day first, dateutil month
// first. Times without a date (3:04PM) are refused too.
//
// A key given twice is an error, as are values of the wrong type and dates
// that cannot be read; each error names the file and the key's line.
//
// # Tags
//
// A tag's URL is /tags/SLUG/ where SLUG is TagSlug of its name: Slugify,
// after a "+" or "#" that follows a letter or digit is spelled as a word
// and a "." that starts a word as "dot", so C, C++, C# and .NET are the
// tags c, c-plus-plus, c-sharp and dotnet. Tags with one slug (Go, go,
// "go lang" and go-lang) are one tag, named as the oldest post wrote it,
// and a post is listed once under it however many spellings it carries.
//
// # Summaries
//
// A page's summary is its front matter summary; else the Markdown before a
// <!--more--> line; else its first paragraph (found by the renderer).
//
// # Slugs and URLs
//
// Slugify keeps letters and digits of every script, lower-cased and in
// Unicode normal form C; each other run of characters becomes one hyphen;
// apostrophes vanish ("Don't panic" → "dont-panic"). A post's URL is the
// site's permalink pattern (default /:year/:month/:slug/, the date taken as
// the Dates section says); a standalone page's is /<directory>/<slug>/. Two
// pages, or a page and an alias, with one URL are an error naming both
// files, as is a page at a URL the site publishes itself (/tags/, /page/,
// /archive/, /assets/, /tls/).
//
// # Drafts and future posts
//
// Drafts, and posts dated after the build's moment, are left out of every
// output — pages, lists, tags, feeds, sitemap — unless Options say
// otherwise. The resources of a left-out bundle are left out with it.
//
// # Errors
//
// Load reads every file before it reports, and returns all problems as
// Errors, sorted by file and line, each formatted "path:line: message".
package content
