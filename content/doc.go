// Package content reads a site directory into the page model: the
// configuration, posts, standalone pages, tags and the files copied as
// they are. It knows what a post is, not how it looks: it produces no HTML.
//
// # Site directory
//
//	site.toml              configuration (see Config)
//	content/posts/**/*.md  posts (content/SECTION/** for each directory
//	                       site.toml sections names; default ["posts"])
//	content/**/*.md        standalone pages (anything outside the sections)
//	content/**/index.md    a page bundle: the directory's other files are
//	                       published beside the page
//	content/**/_index.md   a section's metadata (Hugo, Zola): read, not
//	                       published; Site.Sections holds it
//	content/**             other files: copied to the same path in the output
//	static/**              copied to the output root as they are
//	themes/NAME/           a theme overriding the default one file by file
//	i18n/LANG.toml         the site's own words for the theme, per language
//	                       (package themes)
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
// # Symbolic links and special files
//
// A build reads the site directory through DirFS, so that a site cannot
// publish the files of the machine that builds it (a CI build of an
// untrusted change, say). Everything the build reads goes through it:
// site.toml, content/, static/, the theme's files under themes/, and the
// directories the body expanders read (layouts/, _includes/, _data/). A
// symbolic link there is followed, file or directory, when its target,
// with every link on the way resolved, is inside the site directory: a
// linked directory is walked as if it were there. These are errors naming
// the link, found before anything is opened:
//
//	static/passwd.txt: symlink to /etc/passwd leads outside the site
//	content/posts/ext: symlink to ../../../notes leads outside the site (/home/me/notes)
//	static/loop: symlink to .. makes a cycle
//	static/gone.txt: symlink to nothing.txt leads to no file
//
// A link leads outside when its resolved target is neither the site
// directory nor under it (a missing target outside is reported so too,
// not as missing). A link makes a cycle when its chain of links does not
// end (more than 255) or when it leads to a directory
// holding one already on its path, which a walk would enter forever
// (content/loop → ..; static/a/x → ../b with static/b/y → ../a). With
// DirOptions.FollowSymlinks (site build --follow-symlinks, site serve
// --follow-symlinks) links may lead anywhere; cycles stay errors. The
// site directory itself may be a link.
//
// A walk of a directory (content/, static/, the theme's assets/,
// layouts/shortcodes/; see WalkDir) enters each directory reached
// through a link once: a second link to a directory already walked
// through a link is an error naming it:
//
//	static/b: symlink to ../shared leads to a directory already walked through static/a
//
// Links that are no cycle can still lead to one directory along many
// ways (static/d0/x and static/d0/y both to ../d1, d1's two to ../d2, …:
// 30 links make 32,768 ways to static/d15), so a build would grow
// exponentially with them; with this rule no directory is read more than
// once by its own path and once for each link in the site. A directory
// walked both by its own path and through one link (static/photos/ and
// static/latest → photos) is published both ways; so are directories
// inside one another each reached through its own link (static/a →
// ../shared, static/b → ../shared/sub). A link to a directory holding
// links is walked once as well: with static/a/l → ../../shared, a link
// static/b → a is an error at static/b/l.
//
// Paths the build reads may not hold "\" on any system, nor ":" on
// Windows, which reads them as a path separator and a drive (a template's
// readFile "..\..\secret" would leave the site there): such a name in the
// site directory is an error naming it, and a template cannot read such
// a path (ErrBadName). Elsewhere a colon is an ordinary character.
//
//	static/a\b.txt: name holds \ or :, which Windows reads as a path separator or a drive
//
// Only regular files and directories are read. A FIFO, a socket or a
// device, or a link to one, is an error naming it, found from its type
// before it is opened (a FIFO opened for reading would wait forever for a
// writer):
//
//	content/posts/pipe.md: a named pipe (FIFO), not a regular file or directory
//
// A file replaced between that check and its opening (by a FIFO, a
// socket, a link) is refused too, with the same error ("a symlink, not a
// regular file or directory" for a link): on Unix it is opened with
// O_NONBLOCK, so that a FIFO does not wait, and O_NOFOLLOW, and what was
// opened is checked before it is read. Only the last part of the path is
// so guarded: a directory on the way replaced by a link in that moment
// is followed.
//
// Every such file under content/ and static/ is reported, one line each,
// with the build's other errors.
//
// # Configuration
//
// site.toml is TOML; Config documents every key and its default. Unknown
// keys are errors naming their line. title and base_url are required.
//
// raw_html is "pass" (the default), "escape" or "omit"; the older
// unsafe_html = true means "pass", and unsafe_html = false alone means
// "pass" too, as that is now the default. [csp] adds sources to the
// site's Content-Security-Policy, directive by directive
// (ContentSecurityPolicy): names other than the CSP directives that take
// sources, unquoted keywords (self rather than 'self') and values that are
// not one source are errors naming their line.
//
// language, a BCP 47 tag (default "en"), is the pages' lang attribute and
// the language of the theme's words and dates; [translations] replaces
// the theme's messages in that language by message ID, each a string or a
// table of plural forms (package themes lists the IDs; internal/l10n
// reads them, and warns at its line of an ID no theme has).
//
// [feed] full_text = false puts only each post's summary in the feeds
// (FullFeed); the default, true, puts the whole post. full is its older
// spelling, still read: given alone it stands for full_text, and given
// with it the two must agree, else an error names full_text's line.
//
// [markdown] toc = true gives every post and page with headings enough a
// table of contents (a page's toc: false turns it off there);
// toc_start_level and toc_end_level (defaults 2 and 4, each 1 to 6,
// start not deeper than end: Hugo's markup.tableOfContents startLevel
// and endLevel) are the heading levels it lists. A level outside 1 to 6,
// or a start deeper than the end, is an error naming its line.
// autolink = false leaves a bare URL in text (https://example.org,
// www.example.org) as text, as Jekyll's kramdown, Pelican's
// Python-Markdown and Zola do; the default, true, makes it a link, as
// GitHub and Hugo do. A URL in angle brackets is a link either way.
//
// # Front matter
//
// Every Markdown file starts with front matter, in one of four forms (a
// Markdown file without any is left out with a warning, as Jekyll renders
// none):
//
//	---                 +++                   Title: Hello
//	title: Hello        title = "Hello"       Date: 2024-05-01
//	date: 2024-05-01    date = 2024-05-01     Tags: go, web
//	---                 +++                   (ends at a blank line or
//	                                          at a line that is no key)
//
//	{
//	  "title": "Hello",
//	  "date": "2024-05-01"
//	}
//
// YAML between "---" lines, TOML between "+++" lines (blank lines may
// come before the opening line, and spaces before "---" or "+++" on it,
// as Hugo and Zola allow), Pelican-style "Key: value" lines (an indented
// line continues a value), or a JSON object, as Hugo reads it: the file's
// first character after blank space is "{" followed by a quoted key or
// "}", the front matter ends at the object's closing brace and one line
// break after it (text after the brace on its line begins the body), and a repeated key's last value is used (a file opening
// with a "{{< shortcode >}}" or "{% tag %}" has no front matter). Keys match
// without regard to case in all four forms (Title, DATE, tags). The
// Pelican form is recognised only when the first line's key is one of the
// keys below, so a post beginning "Note: …" stays prose, and only when
// that line is a key line as Python-Markdown reads one: at most three
// spaces before the key and none before the colon ("Title : x" is prose). The front matter
// is replaced by empty lines, so positions in the body are positions in
// the file. Lines are counted at line feeds, in messages about YAML
// front matter too, where the YAML parser also ends a line at a lone
// carriage return. The form is kept (Meta.Form): where engines differ, it tells
// which one wrote the page, and Pelican's form gets Pelican's slugs (see
// Slugs and URLs).
//
// Keys (other engines' names in parentheses are accepted too, so existing
// blogs move in unchanged):
//
//	title        the page's title; default: the file (or bundle) name's
//	             words, each capitalised, as Jekyll titles a page
//	             ("2024-01-02-go1.22-notes.md" is "Go1.22 Notes")
//	date         required for posts, except redirects, unless the file
//	             name starts with a date (2024-05-01-name.md,
//	             2024-5-1-name.md, and Zola's 2024-05-01_name.md,
//	             2024-05-01.md, 2024-05-01T10:00:00Z_name.md) or a path or
//	             url key holds one as three segments (2026/03/26/slug,
//	             /2026/03/26/, inside-rust/2024/04/12/slug: the first);
//	             front matter wins over both, as in Jekyll. Any form of
//	             the list below, a TOML date, or seconds since 1970.
//	             Without date, Hugo's publishDate, pubdate or a date
//	             under published stands for it; after the path and the
//	             file name, updated does; last, with site.toml
//	             default_date = "file", the file's modification time
//	updated      (lastmod, modified) the date of the last significant change
//	draft        true keeps the page out of every output unless --drafts;
//	             (published: false and Pelican's status: draft|hidden too)
//	tags         (categories, category; Zola's [taxonomies] tags and
//	             categories) a list, or one comma-separated string; see
//	             Tags below. site.toml taxonomies names the keys that
//	             hold tags (default tags, categories, category). A post
//	             in Pelican's form (Title: lines) that names no category
//	             and sits in a folder below its section gets that
//	             folder's name (the one it is in) as a tag when category
//	             is among them, as Pelican's USE_FOLDER_AS_CATEGORY
//	             makes the folder its category
//	summary      (description) Markdown shown in lists and feeds
//	slug         the URL segment (:slug); default: from the title for
//	             posts, from the file (or bundle directory) name for
//	             standalone pages; see Slugs and URLs
//	url          (Hugo, Pelican) the page's URL path exactly, case kept
//	path         (Zola) the same; relative to the site root
//	permalink    (Jekyll) the same, kept without a trailing "/" if written
//	             so; in a post it may hold the permalink tokens
//	author       (authors; by, as the Go blog writes it) the people
//	             credited instead of the site's author. Each key holds a
//	             comma-separated string ("Ada, Bob" is two) or a list of
//	             names, each whole ("Russ Cox, for the Go team" is one),
//	             or of tables with a name key; all keys add up, each name
//	             once. Meta.Authors holds them all, Meta.Author the first
//	aliases      (redirect_from) old URL paths, each published as a page
//	             redirecting here; see Slugs and URLs
//	image        the page's picture for share cards (og:image) and its
//	             JSON-LD: a URL, a site path ("/img/card.png"), or a path
//	             relative to the page's bundle when the bundle holds that
//	             file, else to the site root ("card.png"); or a table
//	             with path (url, src) and alt, as jekyll-seo-tag reads
//	             it. Hugo's images (a list: the first) and PaperMod's
//	             cover (image, alt) stand for it; image comes first,
//	             then images, then cover (Meta.Image, Meta.ImageAlt). A
//	             value that is neither text nor a table is an error at
//	             its line; images and cover of another shape are left
//	             to templates. Without one, the renderer takes the
//	             body's first picture, else site.toml's image
//	redirect     (redirect_to, Jekyll's) the page publishes, at its own
//	             URL, a page redirecting to this URL instead of its
//	             content; see Redirects
//	toc          (ShowToc, PaperMod's) true shows the page's table of
//	             contents, false hides it where site.toml's [markdown]
//	             toc = true shows it (package render: PostData.TOC);
//	             true or false, or the strings true, yes, on, false, no,
//	             off; anything else is an error naming the line
//
// Every key, these and any other (template, liquid, url, path, extra, …),
// is kept lower-cased with its value in Meta.Params, for templates
// (.Post.Params) and other engines' syntax.
//
// # Text
//
// A Markdown file (a page, a post, an _index.md) is UTF-8 text: bytes
// that are not UTF-8 are an error at the file and line of the first
// ("content/posts/x.md:7: invalid UTF-8: byte 0xe9 at column 4; save the
// file as UTF-8"). They are not replaced with U+FFFD: a file that is not
// UTF-8 is nearly always Latin-1 or Windows-1252, whose every accented
// letter would silently become "�" in the page, the feeds and the slug,
// while the error says at once which file to convert. A byte order mark
// at the start is allowed. No output holds a control character other
// than tab, line feed and carriage return (C0, DEL and C1), nor a Unicode
// noncharacter (U+FDD0–U+FDEF, and U+FFFE and U+FFFF in every plane):
// XML 1.0 forbids the C0 controls and U+FFFE and U+FFFF, so they would
// make the feeds invalid, and HTML calls all of them parse errors. In a
// Markdown file's text they are a warning at the first one's line and
// column, with how many more there are ("content/posts/x.md:75: control
// character U+009B at column 68, shown as U+FFFD; remove it"), and the
// renderer shows each as U+FFFD: blogs moving in do hold them (a hex dump
// in a listing), and the rest of the page is as its old engine published
// it. A form feed (U+000C) is read as a space without a warning: older
// text has it for page breaks, and CommonMark reads it as white space
// (the file is not changed). In an _index.md, which is read for its front
// matter only, such a character is an error. In the values front matter
// decodes to (YAML's "\0", TOML's "\u0000" write them without the file
// holding one) it is an error at the key's line, and so in the values of
// site.toml, at their line: these become titles, URLs and feed fields. The
// renderer replaces any that another way brings (see package render).
//
// # Dates
//
// A date with a numeric offset or a zone abbreviation keeps it: the day
// shown and the post's /YYYY/MM/ are those of the date as written
// (2016-12-01T09:00:00+10:00 is 1 December), as in Hugo and Zola. When
// site.toml sets timezone, every date is converted into that zone first,
// as Jekyll does (the same date is then 30 November in UTC). A date
// without a zone is in timezone when set, else in default_timezone (what
// Hugo's timeZone and Pelican's TIMEZONE mean: the zone of dates without
// one, converting nothing), else in UTC.
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
// A date, as written and in UTC, and after the conversion into the
// site's timezone, falls in the years 1 to 9999: every output writes a
// year with four digits (the :year of a URL, RFC 3339 and RFC 1123 dates
// in feeds and the sitemap), so another year would give URLs and feeds
// that disagree. A date outside (0000-06-01, 9999-12-31T23:00:00-05:00,
// which is 10000-01-01 in UTC, a number of seconds too large) is an error
// at the line of the key that gave it, or at line 1 for a file name's
// date. The same holds for updated.
//
// A YAML key written twice, spelled the same, takes its last value, as
// Hugo's and Jekyll's YAML readers do, with a warning naming the earlier
// line. Two keys that mean the same thing (Title and title, lastmod and
// modified) are an error, as are values of the wrong type and dates
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
// <!--more--> line; else its first paragraph (found by the renderer) that
// holds more than another engine's HTML ([TOC], a figure shortcode).
//
// # Slugs and URLs
//
// A post is a Markdown file in a section: a directory directly under
// content/ that site.toml sections names (default ["posts"]; a Hugo or
// Zola blog keeping content/blog/ sets ["blog"]). Its section is that
// directory's name, at any depth below it. "/" in sections names the root
// section, as Zola's: the Markdown files directly under content/ and the
// bundles directly below it are posts too, with an empty section.
// Markdown files elsewhere are standalone pages. A post written in
// another markup (reStructuredText, AsciiDoc, Org, Textile, Pandoc) is
// left out with a warning, never published as its source.
//
// A page's URL is the first of these that is given. Front matter url
// (Hugo, Pelican) or path (Zola) is the URL path exactly, case kept,
// relative to the site root (a leading "/" is optional), with a trailing
// "/" added, as those engines add it, unless it ends in ".html":
// url: /blog/2019/My-Post/, path = "2024/03/26/slug" (→ /2024/03/26/slug/),
// url: /old/page.html. Front matter permalink (Jekyll) is the same but
// kept as written, so permalink: /about publishes about.html, served at
// /about; in a post it may use the tokens below. Else a post's URL is the
// site's permalink pattern (default /:year/:month/:slug/) with these
// tokens:
//
//	:year :month :day  the post's date (see Dates)
//	:slug              the front matter slug, else the title's slug
//	:filename          the file name without extension and without a
//	                   leading YYYY-MM-DD- (or YYYY-MM-DD_) date; a
//	                   bundle's directory name (Hugo's :filename, Zola's
//	                   default)
//	:title             Jekyll's: the front matter slug, else that file
//	                   name, case kept, Jekyll's "pretty" slug of it
//	:slugorfilename    Hugo's: the front matter slug, else :filename
//	:section           the post's section directory
//	:categories        Jekyll's: the front matter categories (a list, or
//	                   names separated by white space), then category,
//	                   lower-cased, joined by "/"; without any, the
//	                   token and its "/" vanish
//	:output_ext        ".html" (Jekyll's)
//	:pelican_category  Pelican's {category}: the front matter category,
//	                   else the directory the post is in (its parent)
//	                   below its section, else "misc", as a Pelican slug
//	:hugo_title        Hugo's :title: the title made a URL segment as Hugo
//	                   makes it (kept as a given slug is, below:
//	                   "Go 1.22 is out" → go-1.22-is-out)
//	:hugo_slug         Hugo's :slug: the front matter slug, else :hugo_title
//	:hugo_filename     Hugo's :filename (and :contentbasename): the file
//	                   or bundle name, a leading date kept
//	:hugo_slugorfilename
//	                   Hugo's :slugorfilename: the front matter slug,
//	                   else :hugo_filename
//	:hugo_sections     the directories from content/ to the post (to a
//	                   bundle's directory), each lower-cased and made a
//	                   URL segment: post/tech for content/post/Tech/x.md.
//	                   Hugo's default URL of a page, whatever the depth,
//	                   is /:hugo_sections/:hugo_slugorfilename/
//	:zola_slug         Zola's slug: ZolaSlug of the front matter slug, else
//	                   of the file (or bundle directory) name without a
//	                   leading date as Zola reads it (2024-05-01-, 2024-05-01_,
//	                   2024-05-01T10:00:00Z_, with a space before the
//	                   separator too): ASCII, transliterated, lower-case
//	                   ("Café Crème.md" → cafe-creme, "My_Post.md" → my-post)
//	:zola_sections     the directories from content/ to the post (to a
//	                   bundle's directory): blog/2024 for
//	                   content/blog/2024/x.md, as Zola's URLs hold them
//
// and a standalone page's is /<directory under content>/<slug>/, the slug
// being the front matter slug or the file (or bundle directory) name.
//
// A permalink pattern must hold :slug, :filename, :title, :slugorfilename,
// a :hugo_ token or :zola_slug. Jekyll's default, "date", is
// /:categories/:year/:month/:day/:title:output_ext; its "pretty" is
// /:categories/:year/:month/:day/:title/. A Hugo site's :title, :slug,
// :filename and :slugorfilename are :hugo_title, :hugo_slug,
// :hugo_filename and :hugo_slugorfilename here; Hugo's default, the file's
// place under content/ with the slug in place of the file name, is
// /:hugo_sections/:hugo_slugorfilename/. Zola's default URL of a
// post, /SECTION/SLUG/ (its path front matter aside, which is read as it
// is), is "/:zola_sections/:zola_slug/", for Zola's default
// slugify.paths = "on"; with "safe" or "off", Zola keeps the file name's
// case, which no token here does, and with paths_keep_dates the date
// stays in the slug: write url or path then.
//
// Zola's slug is the Rust slug crate's: each character that is not ASCII
// becomes its transliteration by the deunicode crate (é is e, Æ is AE, ß
// is ss, Ł is L, Ж is Zh, α is a, — is --; deunicode's table up to U+2FFF
// is kept here, covering Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic,
// the scripts of India, punctuation and symbols); then ASCII letters and
// digits stay, lower-cased, and each run of other characters becomes one
// hyphen, none at either end. Above U+2FFF, a character whose
// compatibility decomposition is ASCII letters with marks takes those
// letters (fullwidth Ａ is a, ﬀ is ff). Chinese, Japanese, Korean, emoji
// and the rest above U+2FFF, which deunicode transliterates (日本 is
// ri-ben), are not: their letters and digits stay as they are,
// lower-cased (or, when the lower case has a transliteration, take it:
// Ᶎ is z), and a warning names the file (and the slug's line): set
// slug or path to the URL Zola gave.
//
// Slugs come in two kinds. A slug given in front matter, and one taken
// from a file name (:filename, :slugorfilename, standalone pages), is
// kept as Hugo keeps it: letters, digits and marks of every script and
// . _ ~ - @ + stay, lower-cased; a run of white space becomes one hyphen;
// other characters are dropped ("Go1.22 Notes" → "go1.22-notes"). A slug
// given in front matter that is not one URL segment — holding "/", "\",
// "..", "?", "#" or a control character, or making the segment "." or
// ".." once the characters dropped are gone (".€.") — is an error naming
// its line.
// A slug made from a title is fully normalized by Slugify: letters and
// digits of every script, lower-cased and in Unicode normal form C; each
// other run of characters becomes one hyphen; apostrophes vanish ("Don't
// panic" → "dont-panic").
//
// A page in Pelican's form ("Title: …" lines) gets Pelican's slugs. Its
// slug given in front matter keeps its case, as Pelican keeps it
// (Slug: Links.And.Dots → /2024/03/Links.And.Dots.html with permalink
// /:year/:month/:slug.html); the characters kept are those above, white
// space becoming a hyphen. Its slug made from the title is Pelican's
// slugify with its default settings: tags stripped, NFKC, transliterated
// to ASCII as Python's unidecode does, characters other than letters,
// digits, "_", white space and "-" dropped, runs of white space and "-"
// made one "-", lower-cased ("Go 1.22: Straße & C++" → go-122-strasse-c,
// "Привет мир" → privet-mir). Pelican settings that change slugs
// (SLUGIFY_SOURCE, SLUG_REGEX_SUBSTITUTIONS, plugins) are not read: a
// post whose URL came from them needs a Slug: line to keep it.
//
// A URL path written in front matter (url, path, permalink, aliases) is
// read as a URL: percent escapes are decoded, so url: /caf%C3%A9/
// publishes café/index.html, which a server answers at /caf%C3%A9/, and a
// "%" that starts no escape is an error. The decoded path may not hold
// ?, #, \, the characters file systems or HTML treat specially (< > " |
// *), control characters or noncharacters, and may not climb above the
// site's root ("/%2e%2e/x/" is "/../x/"); each is an error at the key's
// line. Empty and "." segments are dropped (/a//b/./ is /a/b/).
//
// A URL ending in "/" is published as URL + index.html. One ending in
// ".html" is published as that file ("/:year/:month/:day/:title.html",
// Jekyll's date style). Any other is published as URL + ".html" (the
// pattern "/blog/:filename" writes blog/NAME.html), which static hosts and
// `site serve` answer at /blog/NAME and /blog/NAME.html; FileOf maps a URL
// to its file. A bundle whose URL does not end in "/" puts its other files
// under the URL without ".html", plus "/" (ResourceDir), as Hugo does.
//
// Aliases (and Jekyll's redirect_from) are old URLs, each published as a
// page redirecting to the page. One starting with "/" is a path from the
// site root; one without is relative, as its engine resolved it: to the
// site root (relative_aliases = "root", the default, as Zola), or, with
// relative_aliases = "section", to the directory of the page's URL, as
// Hugo resolves it (on /blog/new/, "old" is /blog/old/; "../x" climbs, but
// not above the root). An alias ending in ".html" publishes that file;
// any other publishes ALIAS/index.html.
//
// Aliases obey the rules of pages' URLs: the path rules above, and no
// alias may take a URL the site publishes itself. Two pages, a page and
// an alias, two aliases, or a page or alias and a file copied as it is
// (static/, content/, a bundle's resources) written to one output file
// are an error, as is a file written where another needs a directory
// (static/2024 beside the post at /2024/01/x/); so is a page or an alias
// at a URL the site publishes itself (/tags/, /page/, /archive/,
// /assets/, /tls/, the index, /404.html), or one whose file `site serve`
// never serves because it answers the URL itself (/healthz, /tls,
// /tls.json: the files healthz.html, tls.html and tls.json.html). Each error
// is placed at what
// asked for the file, and names the other: a page at the line of the key
// that set its URL (url, path, permalink, slug, else title), an alias at
// the line of its aliases or redirect_from key, a copied file at its path
// ("content/posts/x.md:4: alias /tags/ is reserved for the site's own
// pages (/tags/); change aliases", "static/x.txt: file x.txt is also
// published by content/x.txt; remove or rename one of them"). A copied
// file is reported rather than the page or alias it clashes with; the
// renderer reports clashes with the files only it knows (the feeds, the
// sitemap, robots.txt, theme assets) the same way. All of this holds with
// one exception. When a post's URL comes from its title's slug alone
// (the pattern uses :slug or :hugo_slug and the post gives no slug, or
// it uses :hugo_title; and the post gives no url, path or permalink) and
// another page has that URL, the page whose URL was given keeps it, and
// of two posts named by their titles the older one keeps it; the other
// post moves to the URL its file name gives in place of the title's
// slug, else to the title's slug followed by -2, -3, …, and a warning (Site.Warnings)
// names its file, the title's line and both URLs. Hugo's and Zola's
// default URLs come from file names, which never collide this way; set
// slug to choose another URL.
//
// # Redirects
//
// A page whose front matter gives redirect (as the Go blog writes its
// stubs: "---\nredirect: /blog/heroku\n---") or redirect_to (Jekyll's
// jekyll-redirect-from) is published as a page redirecting to that
// target, at the URL the page would have: for the Go blog's permalink
// "/blog/:filename", content/blog/NAME.md writes blog/NAME.html. Such a
// page needs no title and no date; without a title, :slug and the Hugo
// tokens take its file name. Its body is not published. It is neither a
// post nor a standalone page: Site.Redirects holds it, and it is in no
// list, tag, feed or sitemap, even with a title and tags (Jekyll lists a
// post with redirect_to; here it is left out). Its aliases redirect
// straight to its target.
//
// The target is an http or https URL, one starting with "//", or a path
// with an optional query and fragment. A path starting with "/" is a path
// from the site root (under base_url's path). A relative path is resolved
// as its engine resolved it: the Go blog's redirect against the page's
// own URL, as a browser (and Go's http.Redirect) does ("new" on /blog/old
// is /blog/new), Jekyll's redirect_to against the site root. A list keeps
// its first URL, as Jekyll does; an empty value is no redirect. Another
// scheme, spaces, or a path above the root are errors naming the line.
// A redirect in a section whose URL needs a date (the permalink has
// :year, :month or :day) and that has none — no date, dated file name or
// dated path — is left out with a warning naming its file and line.
//
// # Drafts and future posts
//
// Drafts, and posts dated after the build's moment, are left out of every
// output — pages, lists, tags, feeds, sitemap — unless Options say
// otherwise. The resources of a left-out bundle are left out with it.
// Site.Drafts and Site.Future count what was left out (a future draft
// counts as a draft).
//
// # Errors
//
// Load reads every file before it reports, and returns all problems as
// Errors, sorted by file and line, each formatted "path:line: message".
package content
