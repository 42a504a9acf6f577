// Package siteimport turns a Hugo, Jekyll, Zola or Pelican site into a
// site: it writes site.toml from the old configuration, copies posts,
// pages and static files to where the page model reads them, and names
// everything it could not map. After an import, `site build` needs
// nothing else. It is `site import SRC [-o DIR]`.
//
// Import refuses an output directory that holds anything, or that lies
// inside the source. It never changes the source, and it copies files as
// they are (the one exception: a Jekyll draft gains draft: true).
//
// # Engines
//
// The engine is told by the configuration file, looked for in this order:
//
//	_config.yml, _config.yaml       Jekyll
//	pelicanconf.py                  Pelican (plain assignments only; see below)
//	hugo.toml, hugo.yaml, hugo.yml  Hugo
//	config.toml                     Zola if it sets base_url, else Hugo (baseURL)
//	config.yaml, config.yml         Hugo
//	config/_default/hugo.* or config.*  Hugo, with the files beside it
//	                                (params.toml, permalinks.toml, menus.toml …)
//	                                read as the top-level key of their name
//
// Hugo's keys are read without regard to case, as Hugo reads them.
//
// # site.toml
//
//	site.toml         Hugo                    Jekyll              Zola               Pelican
//	title             title                   title               title              SITENAME
//	base_url          baseURL                 url + baseurl       base_url           SITEURL (else publishconf.py's)
//	description       params.description      description         description        SITESUBTITLE
//	language          languageCode            lang                default_language   DEFAULT_LANG
//	timezone          -                       timezone            -                  -
//	default_timezone  timeZone                -                   -                  TIMEZONE
//	default_date      -                       -                   -                  "file" for DEFAULT_DATE = 'fs'
//	paginate          pagination.pagerSize,   paginate            paginate_by of a   DEFAULT_PAGINATION
//	                  paginate                                    section's _index.md
//	permalink         [permalinks]            permalink           /:zola_sections/:zola_slug/  ARTICLE_URL
//	sections          see below               -                   sections with pages  -
//	author            author, params.author   author              author, extra.author  AUTHOR
//	params            [params]                every other key     [extra]            other UPPERCASE settings
//	taxonomies        tags, categories        -                   [[taxonomies]]     tags, category
//	raw_html          "pass" with markup.goldmark.renderer.unsafe, else "omit" (Hugo only)
//	relative_aliases  "section" (Hugo only: its aliases are relative to the section)
//	liquid            true for Jekyll (every post runs through Liquid),
//	                  false for the others (a {{ site.url }} in their posts is text;
//	                  Pelican's liquid_tags tags are run by internal/pymd, and a
//	                  note names the plugin when PLUGINS lists it)
//	highlight         markup.highlight.style (light) and lineNos (line_numbers), Hugo only
//	markdown          toc_start_level and toc_end_level from markup.tableOfContents
//	                  startLevel and endLevel (Hugo's 2 and 3 for the one not given),
//	                  toc = true from PaperMod's params.ShowToc = true; Hugo only.
//	                  autolink = false where the engine leaves a bare URL as text:
//	                  Jekyll's kramdown (its default, GFM input included; not
//	                  jekyll-commonmark-ghpages, nor jekyll-commonmark with the
//	                  autolink extension), Pelican, Zola, and Hugo with
//	                  markup.goldmark.extensions.linkify = false
//
// Tags and categories (Hugo's and Zola's taxonomies of those names) are
// both tags; other taxonomies are named as not mapped. A Pelican setting
// becomes a param when it is a string, a number, True/False or a list of
// strings and is not one of Pelican's own settings; its name is
// lower-cased. A Jekyll site without timezone gets "UTC", with a note:
// Jekyll converts every date into the zone of the machine that builds,
// which is UTC on GitHub Pages. Hugo's timeZone and Pelican's TIMEZONE
// only place dates written without a zone, so they become
// default_timezone, which converts nothing. A zone that is not a known IANA zone
// is named and left out. A base URL written without scheme (example.org/blog/) gets
// https://. Without a title or an absolute base URL, site.toml gets a
// placeholder and the report says so.
//
// # Permalinks
//
// Hugo: the pattern of the sections of posts ([permalinks] or
// [permalinks.page]; a section's name in it becomes :section). :year
// :month :day :section :filename :slugorfilename keep their names; Hugo's
// :title and :slug are :hugo_title and :hugo_slug, :contentbasename is
// :filename, :slugorcontentbasename is :slugorfilename, :sections is
// :section. Without [permalinks], Hugo's default: the file's directories
// under content/, nested ones too, then the slug or file name,
// /:hugo_sections/:hugo_slugorfilename/. It ends in "/", or in ".html" with
// uglyURLs: true.
//
// Jekyll: the posts collection's permalink, else one that front matter
// defaults give posts, else the site's, else Jekyll's default, date. The
// styles date, pretty, none, ordinal and weekdate are written as their
// patterns; :year :month :day :title :categories :output_ext are read as
// Jekyll reads them, :slug is :title, :name is :filename.
//
// Zola: /:zola_sections/:zola_slug/, Zola's section path (nested
// sections too) and slug, for the sections (directories under content/
// holding pages) of posts.
//
// Pelican: ARTICLE_URL (default {slug}.html); {slug} is :slug (:filename
// with SLUGIFY_SOURCE = 'basename'), {date:%Y} {date:%m} {date:%d} are
// :year :month :day.
//
// Any other token is named, and the default permalink is kept. Front
// matter url (Hugo), path (Zola) and permalink (Jekyll) are read by the
// page model as they are.
//
// # Files
//
// Hugo: content/** to content/**, static/** to static/, shortcodes
// (layouts/shortcodes/, layouts/_shortcodes/, and those of the theme that
// the site does not override) to layouts/shortcodes/. The candidate
// sections of posts are params.mainSections, else the sections
// [permalinks] names, else the directory of content/ with the most dated
// Markdown files. Content that is not Markdown (Org, AsciiDoc,
// reStructuredText, Pandoc) is named.
//
// Hugo and Zola: a candidate section is a section of posts when one of
// its pages is dated (a date, publishDate or pubdate key, or a date
// starting its file or bundle name). One with no dated page holds
// standalone pages, published at /SECTION/NAME/ as those engines publish
// them, and is named; in a section of posts, each page without a date is
// named, as site build refuses it.
//
// Jekyll: _posts/** (also CATEGORY/_posts/**, whose category is named as
// not kept) to content/posts/, Markdown only (a post whose front matter
// says draft: true is named: Jekyll reads no draft key and published it,
// site leaves it out); _drafts/** to content/posts/ with draft: true and, when it has no
// date, the file's modification time as Jekyll dates drafts (which moves
// the lines of its body down by one or two); _includes/** as it is (Liquid
// includes read it); Markdown pages with front matter to content/ at the
// same path; every other file without front matter to static/ at the same
// path. Not imported, each named: _layouts, _sass, _data, _plugins and
// other collections; other files whose names start with _ (_config_dev.yml
// and the like, which Jekyll does not publish); Markdown without front matter; other files with
// front matter (Liquid templates, Sass); the home page and the 404 page.
// Files that exclude lists, Gemfile, vendor/, node_modules/ and _site/
// are skipped.
//
// Zola: content/** to content/**, static/** to static/.
//
// Pelican: under PATH (default content), STATIC_PATHS (default images)
// and the other files a post or page links with {static} or {attach}
// (which Pelican publishes too) to the same path under content/ (so
// {static} links resolve, and the files are published at the same path),
// or to static/PATH when EXTRA_PATH_METADATA gives them a path; Markdown
// in PAGE_PATHS (default pages) to content/; Markdown in ARTICLE_PATHS
// (default all) to content/posts/, keeping its directories (the one a
// post is in is its category when it names none, as in Pelican).
// reStructuredText and files Pelican did not publish are named.
//
// Everywhere, a file that would be published where the build writes one
// of its own (/index.html, /404.html, /robots.txt, /sitemap.xml,
// /feed.xml, /rss.xml, /feed.json) is named and left out; files and
// directories whose names start with "." are skipped, and two files for one place keep the first (by path) and name
// the second.
//
// # Report
//
// Every configuration key not mapped is named with its file and line and
// why: themes, plugins, menus, outputs, feeds settings, Markdown engine
// settings, build options. So are files not imported.
//
// # Pelican settings
//
// pelicanconf.py is not run. Its top-level assignments NAME = value are
// read when value is a string (quoted either way, raw, triple-quoted,
// adjacent literals joined), a number, True, False, None, a list, tuple
// or dict of those, the name of an earlier such assignment, or strings
// (or lists) joined with "+" (META = SITEURL + "/a.jpg"). Imports and
// comments are skipped; any other value (a call, another expression) and
// any other top-level statement (a def or if block, with its indented
// body) is named with its line. Lower-case names are Python variables and are ignored,
// as Pelican ignores them.
//
// # Errors
//
// A configuration that does not parse, and a mapped key of the wrong type,
// are errors naming file and line: "_config.yml:4: paginate: want a whole
// number, not ten".
package siteimport
