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
//	content/**             other files: copied to the same path in the output
//	static/**              copied to the output root as they are
//	themes/NAME/           a theme overriding the default one file by file
//
// Files and directories whose names start with "." or end with "~" are
// ignored under content/ (editor and system files); under static/ only
// names ending in "~" and .DS_Store are.
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
// "Key: value" lines (keys case-insensitive, an indented line continues a
// value). The Pelican form is recognised only when the first line's key is
// one of the keys below, so a post beginning "Note: …" stays prose. The
// front matter is replaced by empty lines, so positions in the body are
// positions in the file.
//
// Keys (other engines' names in parentheses are accepted too, so existing
// blogs move in unchanged; unknown keys are ignored):
//
//	title        required; the page's title
//	date         required for posts unless the file name starts with a
//	             date (2024-05-01-name.md); RFC 3339, "2006-01-02",
//	             "2006-01-02 15:04" (with or without seconds or a numeric
//	             zone); a date without a zone is in the site's timezone
//	updated      (lastmod, modified) the date of the last significant change
//	draft        true keeps the page out of every output unless --drafts;
//	             (published: false and Pelican's status: draft|hidden too)
//	tags         (categories, category) a list, or one comma-separated
//	             string; tags that differ only in case are one tag
//	summary      (description) Markdown shown in lists and feeds
//	slug         the URL segment; default: from the title for posts, from
//	             the file (or bundle directory) name for standalone pages
//	author       (authors: the first) credited instead of the site's author
//	aliases      old URL paths, each published as a page redirecting here
//
// A key given twice is an error, as are values of the wrong type and dates
// that cannot be read; each error names the file and the key's line.
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
// site's permalink pattern (default /:year/:month/:slug/, the date taken in
// the site's timezone); a standalone page's is /<directory>/<slug>/. Two
// pages, or a page and an alias, with one URL are an error naming both
// files, as is a page at a URL the site publishes itself (/tags/, /page/,
// /archive/, /assets/, /tls/).
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
