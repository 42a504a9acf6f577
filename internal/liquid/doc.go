// Package liquid runs Jekyll's Liquid over a page's body before Markdown,
// so Jekyll posts (and Pelican or other blogs using Liquid tags) move in
// unchanged. It uses github.com/osteele/liquid, a Go implementation of
// Shopify Liquid, with Jekyll's tags and filters added here. Expand is
// one of the body expanders of internal/expand; the renderer calls it
// after the Go blog's templates and before Hugo shortcodes.
//
// # When Liquid runs
//
// As Jekyll, Liquid runs over the whole body, fenced code blocks
// included (writers use {% raw %} to show Liquid as it is). A page runs
// through Liquid when (the first that applies decides):
//
//	front matter liquid: true    the page runs; liquid: false, it does not
//	site.toml liquid = true      every page runs (site import writes it
//	                             for a Jekyll site); liquid = false, none
//	front matter template: true  a Go blog template page: it does not
//	otherwise (the default)      the body holds a Liquid tag {% name … %}
//	                             or a {{ site.… }} or {{ page.… }} variable
//
// Hugo shortcodes ({{< >}}, {{% %}}) never make a page run, and pass
// through Liquid untouched for the Hugo expander. Nor do Zola's body
// shortcodes, {% name(…) %} … {% end %} (no Liquid tag's name is
// followed by "(", and Liquid has no tag end). A page without {{ or
// {% is left as it is whatever the settings say.
//
// # Variables
//
// site.* are site.toml's [params], at the top level as Jekyll's
// _config.yml keys are ({{ site.repository }}), and, taking precedence:
//
//	site.title, site.description   from site.toml
//	site.url                       base_url's scheme and host: "https://example.org"
//	site.baseurl                   base_url's path without a trailing
//	                               slash: "/blog", "" at the host's root
//	site.author.name, .email       from [author]
//	site.lang, site.timezone       language and timezone
//	site.time                      the moment of the build
//	site.posts                     the published posts, newest first
//	                               (posts of one date by file path, the
//	                               last first, as Jekyll sorts them)
//	site.pages                     the standalone pages
//	site.tags                      a hash from each tag, as written in the
//	                               posts' tags, to its posts, newest
//	                               first: site.tags.NAME, site.tags[name],
//	                               and {% for tag in site.tags %} gives
//	                               [name, posts] pairs (tag[0], tag[1])
//	site.categories                the same for categories: a post's
//	                               categories, then its category (one
//	                               name, spaces and all)
//	site.data.NAME                 _data/NAME.yml (.yaml, .json, .csv,
//	                               .tsv: a list of hashes by the header
//	                               row) of the site directory, read when
//	                               used; site.data.DIR.NAME reads
//	                               _data/DIR/NAME.yml and so on. A file
//	                               that cannot be read is a warning.
//
// page.* are the page's front matter keys (lower-cased, values as
// written), and, taking precedence:
//
//	page.title, page.date          title and date (date_to_* filters and
//	                               date take it); page.last_modified_at
//	                               is the updated date
//	page.url                       the page's path on the site, without
//	                               the base path, as Jekyll's: "/2016/07/hello/"
//	page.id                        page.url without its trailing slash
//	page.tags, page.categories     lists from front matter (a string is
//	                               split at commas, else at spaces)
//	page.slug                      the slug, else the file name without
//	                               date and extension
//	page.path, page.name           the file, and its name
//	page.author, page.draft        as front matter says
//	page.excerpt                   the summary's Markdown, else the first
//	                               paragraph's (Jekyll gives its HTML)
//
// # Order of hashes
//
// A Ruby hash keeps the order in which its keys were added, and Jekyll's
// Liquid goes through one in that order: {% for pair in hash %} (pair[0]
// the key, pair[1] the value), jsonify, where. So do these, the same in
// every build:
//
//	site.tags, site.categories     names in the order the posts, oldest
//	                               first (by date, then file path), name
//	                               them, each post's in the order written
//	front matter mappings          keys in the order written, at any
//	                               depth, in page.* and in site.posts
//	site.data files                keys in the order written; a CSV or
//	                               TSV row's in the header's order
//	include.NAME                   the include's parameters as written
//	group_by, group_by_exp         each group's name, items, size
//	site.author, jekyll            as listed above
//
// site.toml does not keep an order: its tables (site.social for
// [params.social]) go by key, sorted, as does a front matter mapping of
// a file whose front matter is TOML. Jekyll's sort filter given a hash
// (site.tags | sort) gives its [key, value] pairs sorted by key.
//
// Each post of site.posts has the same variables. jekyll.environment is
// "production". Liquid's own variables (assign, capture, for) work as in
// any Liquid.
//
// # Tags
//
// Liquid's: assign, capture, case/when/else, comment, cycle, for (with
// break, continue, limit, offset, reversed, forloop.*), if/elsif/else,
// unless, raw, tablerow, increment, decrement. Whitespace control with
// {%- -%} and {{- -}}. And Jekyll's:
//
//	{% highlight LANG [linenos] [hl_lines="2 3"] [mark_lines="2 3"] %}…{% endhighlight %}
//	    a listing, the same HTML a fenced code block ```LANG
//	    {linenos=true, hl_lines=[2,3]} gives: highlighted by the site's
//	    highlighter, not Rouge. linenos (also linenos=table or inline)
//	    numbers the lines; without it the site's line_numbers setting
//	    applies. Liquid inside runs first, as in Jekyll. The listing
//	    stands between blank lines, ending a paragraph or list, as
//	    kramdown makes it.
//	{% raw %}…{% endraw %}
//	    the text as it is.
//	{% link PATH %}
//	    the URL (with the base path, as Jekyll 4's) of the page at PATH of
//	    the Jekyll site: "_posts/2016-07-26-name.md" (read as
//	    content/posts/…), "about.md", a file or bundle name, or a file of
//	    static/ or content/ ("assets/doc.pdf"). PATH may hold {{ }}
//	    variables.
//	{% post_url [DIR/]2016-07-26-name %}
//	    the URL of the post of that file name (with the base path); failing
//	    that, as Jekyll, of the post of that day whose slug or file name is
//	    "name".
//	{% include FILE [name="value" name='value' name=variable …] %}
//	    _includes/FILE rendered with the page's variables and
//	    include.NAME for each parameter; FILE may be a {{ }} variable. Its
//	    output is Markdown of the page, as in Jekyll. Includes may include
//	    (ten deep at most).
//	{% include_relative FILE … %}
//	    the same, FILE relative to the page's directory (or to the
//	    including file's).
//	{% include_cached FILE … %}
//	    the jekyll-include-cache plugin's (allowed on GitHub Pages):
//	    {% include FILE … %}, its output rendered each time.
//
// Markdown inside HTML: as kramdown, Jekyll's Markdown, reads it, an HTML
// element whose start tag begins a line and says markdown="1" (or
// "block" or "span") holds Markdown: its content is rendered (as a span
// for the elements kramdown reads so: p, h1-h6, a, em, span, th …; as
// blocks for the others: div, li, details …) and the element, without
// the attribute, stands alone in its paragraph. markdown="0" only loses
// the attribute; HTML after the end tag on its line goes with it. An
// element with no end tag, or with text after its end tag on that line,
// is kept as it is, with a warning. This applies when site.toml says
// liquid = true (as site import writes for a Jekyll site) and raw_html is
// "pass" (the default), and the page does not say liquid: false.
//
// A link or post_url to a page the site does not have gives "#" and a
// warning; the build goes on. An include of a file the site does not have
// (a Jekyll theme's, such as {% include figure image_path="a.png" %})
// runs the user shortcode of the file's name (figure), given the
// parameters as named arguments; without one it is left out with a
// warning, as is an include with parameters or a file name Jekyll
// refuses.
//
// Any other tag is a Jekyll plugin's or a Pelican plugin's: it runs the
// site's user shortcode of the same name (themes/NAME/shortcodes/ or
// layouts/shortcodes/), as Hugo's shortcodes do, and its HTML stands in
// the page. {% photo a.jpg "A caption" width=300 alt:"Alt" %} calls
// photo with Positional ["a.jpg", "A caption"] and Named {width: 300,
// alt: Alt}: words and quoted strings are positional; name=value,
// name="value", name:"value" and name: value are named; {{ }} variables
// in the arguments are rendered first. {% note %}…{% endnote %} is a
// call with Inner, the block's text after Liquid. A tag with no shortcode,
// or whose shortcode fails, is left out with a warning naming it. Three
// plugins' tags work without a shortcode (a shortcode of their name
// replaces them):
//
//	{% gist [USER/]ID [FILE] %}    jekyll-gist's: a link to the gist (and file)
//	{% literal TAG ARGS %}         Pelican's liquid_tags: the text {% TAG ARGS %},
//	                               as written (in a listing too)
//	{% codeblock [TITLE] [lang:LANG] [URL] %}…{% endcodeblock %}
//	    Octopress's: a listing with the title as caption; without lang:,
//	    the title's file extension names the language
//
// # Filters
//
// Liquid's standard filters (abs, append, capitalize, ceil, compact,
// concat, date, default, divided_by, downcase, escape, escape_once, first,
// floor, join, last, lstrip, map, minus, modulo, newline_to_br, plus,
// prepend, remove, remove_first, replace, replace_first, reverse, round,
// rstrip, size, slice, sort_natural, split, strip, strip_html,
// strip_newlines, times, truncate, truncatewords, uniq, upcase,
// url_decode, url_encode, at_least, at_most), and Jekyll's:
//
//	relative_url, absolute_url      prefix the base path (and site URL)
//	strip_index                     "/a/index.html" → "/a/"
//	date_to_xmlschema               2008-11-07T13:07:54-08:00
//	date_to_rfc822                  Mon, 07 Nov 2008 13:07:54 -0800
//	date_to_string [, "ordinal"[, "US"]]       07 Nov 2008, 7th Nov 2008, Nov 7th, 2008
//	date_to_long_string [, "ordinal"[, "US"]]  07 November 2008, …
//	xml_escape, cgi_escape, uri_escape
//	normalize_whitespace, number_of_words [, "cjk"|"auto"]
//	array_to_sentence_string [, connector]
//	markdownify                     the site's Markdown renderer
//	smartify                        typographic quotes, dashes, ellipses
//	slugify [, "raw"|"default"|"pretty"|"ascii"|"latin"|"none"]
//	jsonify, inspect (JSON, escaped for HTML)
//	where, where_exp, find, find_exp, group_by, group_by_exp
//	sort [, property[, "first"|"last"]]  (items without the property first by default)
//	sample [, n], push, pop [, n], shift [, n], unshift, to_integer
//
// Dates are shown in the offset they carry (the site's timezone when
// site.toml sets one); Jekyll shows them in the machine's local time.
//
// # Errors
//
// Every problem is a warning naming the line of the file (the body keeps
// the front matter's lines, so lines match) and the construct; the build
// goes on. A tag or variable Liquid cannot parse or render (a syntax
// error, an unknown filter, an if without endif, a stray endfor) is left
// out and the page renders again without it: the rest of the page keeps
// its Liquid. A problem inside an include names the page's include line
// and the include file's line. A page whose problems cannot be isolated
// (more than 50) is shown with every Liquid tag and variable left out and
// raw blocks' text kept: Liquid is never shown as prose. A {% comment %}
// never closed is left out and the text after it kept; a {% raw %} never
// closed keeps the rest of the page as text (Jekyll refuses both).
//
// Listings and shortcode HTML are placeholders (see internal/expand).
// Tags on lines of their own (highlight, block shortcodes) keep the lines
// after them on their lines of the file, so later warnings name the
// right line; a multi-line comment, for loop or include may shift them.
//
// # Not supported
//
//   - site.static_files, site.collections, paginator, page.content and
//     page.next/previous are not defined: they print nothing. A for loop
//     over site.data itself (rather than one of its files) finds nothing.
//   - Comparing dates with < or > in if tags (compare their
//     "%s" date strings instead); Liquid 5 tags (render, echo, liquid).
//   - sassify and scssify; inspect writes JSON, not Ruby's form.
//   - site.tags and site.categories group posts by the name as written
//     ("Go" and "go" are two, as in Jekyll; the site's tag pages join
//     them); categories from directories above _posts are not known.
//   - first and last given a hash give its first and last value, where
//     Jekyll gives the first pair and nil.
//   - A for loop over page or site itself (not one of their hashes)
//     goes through their keys in no set order.
//   - Assignments inside an include do not reach the page.
package liquid
