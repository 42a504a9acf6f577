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
//	slug         the URL segment (:slug); default: from the title for
//	             posts, from the file (or bundle directory) name for
//	             standalone pages; see Slugs and URLs
//	url          (Hugo, Pelican) the page's URL path exactly, case kept
//	path         (Zola) the same; relative to the site root
//	permalink    (Jekyll) the same, kept without a trailing "/" if written
//	             so; in a post it may hold the permalink tokens
//	author       (authors: the first) credited instead of the site's author
//	aliases      (redirect_from) old URL paths, each published as a page
//	             redirecting here; see Slugs and URLs
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
// A post is a Markdown file in a section: a directory directly under
// content/ that site.toml sections names (default ["posts"]; a Hugo or
// Zola blog keeping content/blog/ sets ["blog"]). Its section is that
// directory's name, at any depth below it. Markdown files elsewhere are
// standalone pages.
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
//	:year :month :day  the post's date in the site's timezone
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
//	:hugo_title        Hugo's :title: the title made a URL segment as Hugo
//	                   makes it (kept as a given slug is, below:
//	                   "Go 1.22 is out" → go-1.22-is-out)
//	:hugo_slug         Hugo's :slug: the front matter slug, else :hugo_title
//
// and a standalone page's is /<directory under content>/<slug>/, the slug
// being the front matter slug or the file (or bundle directory) name.
//
// A permalink pattern must hold :slug, :filename, :title, :slugorfilename,
// :hugo_slug or :hugo_title. Jekyll's default, "date", is
// /:categories/:year/:month/:day/:title:output_ext; its "pretty" is
// /:categories/:year/:month/:day/:title/. A Hugo site's :title and :slug
// are :hugo_title and :hugo_slug here, its :filename and :slugorfilename
// the same.
//
// Slugs come in two kinds. A slug given in front matter, and one taken
// from a file name (:filename, :slugorfilename, standalone pages), is
// kept as Hugo keeps it: letters, digits and marks of every script and
// . _ ~ - @ + stay, lower-cased; a run of white space becomes one hyphen;
// other characters are dropped ("Go1.22 Notes" → "go1.22-notes"). A slug
// given in front matter that is not one URL segment — holding "/", "\",
// "..", "?", "#" or a control character — is an error naming its line.
// A slug made from a title is fully normalized by Slugify: letters and
// digits of every script, lower-cased and in Unicode normal form C; each
// other run of characters becomes one hyphen; apostrophes vanish ("Don't
// panic" → "dont-panic").
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
// Two pages, or a page and an alias, written to one file are an error
// naming both files, as is a page at a URL the site publishes itself
// (/tags/, /page/, /archive/, /assets/, /tls/, the index, /404.html) —
// with one exception. When a post's URL comes from its title's slug alone
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
