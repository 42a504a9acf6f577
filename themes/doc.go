// Package themes holds the default theme, embedded in the binary, and
// finds the theme a site uses.
//
// A theme is a directory with
//
//	templates/base.html     the page skeleton, defining the template "base"
//	templates/_*.html       partials shared by every page template
//	templates/KIND.html     one per kind of page: post, page, list, tag,
//	                        tags, archive, 404, search, and tls (the certificate
//	                        of a reader's connection, which a production
//	                        server renders at /tls/) (each defines "main")
//	i18n/LANG.toml          the theme's words in the language LANG (below)
//	assets/**               files published under /assets/ with a content
//	                        hash in their names; style.css is the site's
//	                        stylesheet, to which the code listings' rules
//	                        are appended; favicon.svg is the icon, from
//	                        which the build draws the PNG favicon and
//	                        apple-touch-icon
//
// Besides html/template's functions and the words and dates below,
// templates have cached: {{cached "NAME" VALUE}} shows what
// {{template "NAME" VALUE}} shows, executing the partial NAME (defined in
// base.html or a _*.html file) once per build for each VALUE, which must
// be a pointer (a post, or .Site): the default theme's list and tag pages
// show each post's card (the post-summary partial) with it, so a post's
// card is made once, not once per page that lists it, and its base.html
// shows the parts of every page that show the site alone (base:site-links:
// the stylesheet and icons; base:site-feeds: the RSS and JSON Feed links;
// base:site-footer) with it, given .Site, so they are made once per build.
// The names that start with "base:" are base.html's own: a partial of
// such a name in a _*.html file would replace it, as a later {{define}}
// of a name does, so a theme's partials take other names. A partial
// given to cached shows only what its value holds, is the one base.html
// or a _*.html file defines (even where a page kind's file defines one
// of the same name), cannot use cached itself, and is escaped as HTML
// text: cached belongs where the page's HTML text is, not in an
// attribute or a script. In a preview, a post's card is kept from build
// to build while what it can show of the post is the same (its fields
// and body, the theme's words), so a save that remakes every page of a
// tag's list makes again the card of the saved post only. That holds for a partial that shows its post's
// fields, and what the template functions make of them; one that prints
// a value whole ({{.}}, {{printf "%v" .Tags}}) or passes one that is not
// a string, number, time or front matter value to a function is made
// again in every build that shows it, which is slower but shows the
// same.
//
// A template writes no site path of its own: it links to .Site.HomeURL,
// .Site.ArchiveURL, .Site.TagsURL and the URLs of the page data (package
// render), which carry base_url's path, so that a site published at
// https://example.org/blog/ links to /blog/archive/. cmd/site's
// TestBuildBasePath builds the example site there and at the root and
// checks that every URL the build writes is under the base URL's path and
// names a file of the output.
//
// A site with theme = "NAME" in site.toml overrides the default theme file
// by file: a file at themes/NAME/PATH replaces the default theme's PATH,
// and every other file comes from the default theme. So a site can change
// one template, or add an asset, without copying the rest. Message files
// (i18n/) are merged message by message rather than file by file: a
// theme's fr.toml need hold only the messages it changes or adds.
//
// The default theme places the badge slot (render.SiteData.Badge) last in
// the body, right after the footer, in an aside labelled "Certificate of
// this connection". A badge bar there sticks to the bottom of the screen
// at every width and, scrolled to the end, sits below the footer, so it
// never covers the end of a page however many lines its statement wraps
// onto; the static build's note reads as one more footer line. Each state
// of the badge (its data-state) has its own colours, light and dark, with
// text at 4.5:1 or more: green only for verified. The "tls" page shows
// the badge again in its text and lets the certificate history scroll
// sideways in a region reached with Tab. serve's TestBadgeBrowser checks
// all of this in Chromium, with axe-core, at 320, 375 and 1280 px.
//
// Code listings and tables scroll sideways inside themselves, each in a
// box that takes the focus. A listing wider than its box shows a shadow at
// each edge beyond which there is more code (CSS only: covers in the
// listing's background, --listing-bg, scroll with the code over shadows
// that stay put), and its line-number gutter is as wide as its widest
// number (data-digits) and one character more. Line numbers and every
// token colour of the default chroma styles (github, github-dark) are
// 4.5:1 or more on the listing's background, a highlighted line's and a
// target line's: where a chroma colour falls short, style.css replaces it
// (Python's .bp in github), which render's TestListingContrast checks from
// the built stylesheet. serve's TestAxe runs axe-core (WCAG 2.0 and 2.1 A
// and AA, best practices) over every page of the example site and of a
// fixture site of tables, task lists, footnotes and listings, /tls/
// included, at 320, 375 and 1280 px in light and dark colours.
//
// A post's tags (the tag-list partial) are a <ul class="tags"> of links
// inside <div class="tag-group" role="group" aria-label="Tags"> (message
// tags): the group names the list, which cannot carry a name of its own
// that every screen reader announces, and a list page's many tag lists
// add no landmarks. cmd/site's TestMarkupValid checks every page the
// default theme writes for the example and fixture sites with
// html-validate.
//
// The default theme's post and page templates show .Post.TOC, the table
// of contents (render's "Table of contents"), when it is not empty,
// between the page's header and its text: a
// <nav class="toc" aria-labelledby="toc-title"> titled by an
// <h2 id="toc-title">Contents</h2> (message contents; heading IDs avoid
// toc-title). It is
// a plain list, open at every width, with no script and no <details>:
// a reader on a phone scrolls past it as past the header, and a screen
// reader finds it among the landmarks and headings. Its entries are
// unnumbered, each deeper level indented behind a rule, their links a
// finger's height (at least 24 px) and wrapped anywhere in a long word.
// It is as wide as its longest entry, at most the column. serve's
// TestTOCBrowser checks it in Chromium, with axe-core, at 320, 375 and
// 1280 px, light and dark.
//
// The default theme uses no inline script or style and no resource from
// another origin, so `Content-Security-Policy: default-src 'self'` holds
// for every page it renders. The head's JSON-LD (type application/ld+json)
// is data that no browser runs. Its one script, assets/search.js, runs on the
// search page only (search.html loads it, deferred, from its
// fingerprinted URL) and reads the index package render writes under
// /search/index/: it builds its results with DOM methods, never HTML
// strings, eval or WebAssembly. Without JavaScript the search page is a
// form and links to the archive and tags. The navigation links to it
// unless site.toml's [search] enabled is false. serve's TestSearchBrowser
// checks it in Chromium under the policy, with axe-core; render's
// TestSearchScript runs its matching and ranking under node.
//
// search.js is written for the index rather than built on a search
// library. lunr, MiniSearch and FlexSearch each load one whole serialised
// index (lunr.Index.load, MiniSearch.loadJSON, FlexSearch's import of all
// its exported parts) and stem queries in the browser, which takes the
// whole index for every query (megabytes for 4,000 posts) plus a stemmer
// per language in JavaScript. The sharded index gives one small shard per
// query word, whose words map to their stems already, and needs about
// 250 lines to read: on the 4,000-post benchmark a query downloads about
// 25 KB, an eighth of what Pagefind takes (scripts/search-compare.sh).
//
// Its base.html head carries what share cards and search engines read
// (render's package doc lists each value): the meta description,
// canonical link (none on the 404 page, which is noindex), Open Graph
// (og:title, og:type, og:url, og:description, og:locale, og:image and
// og:image:alt, article:published_time, article:modified_time,
// article:author, article:tag), twitter:card, the JSON-LD of
// .StructuredData, the SVG, PNG and apple-touch icons, and two
// theme-color metas, light and dark, which must equal style.css's --bg
// in :root and in its prefers-color-scheme: dark block (render's
// TestThemeColor checks it): a theme that changes --bg changes them too.
//
// # Words and dates in the site's language
//
// The theme's words are messages, by ID, in i18n/LANG.toml files (LANG a
// BCP 47 tag: fr.toml, pt-BR.toml), as Hugo's i18n files: each ID a
// string, or a table of CLDR plural forms (zero, one, two, few, many,
// other). Templates show them with {{T "read_more"}} and
// {{T "min_read" .ReadingMinutes}}: arguments are formatted as fmt does
// (%d, %s, %[2]d), and plural forms choose by the first, with the CLDR
// rules of the site's language. A message written in HTML is shown with
// {{Thtml "tls_verified" .Issuer .Root}}, which escapes its string
// arguments and keeps the message's markup. The tls page's messages
// (tls_*) are translated; the statements package badge makes (reasons,
// verdicts, alerts) are English. The default theme has catalogues in
// English, French, German, Spanish, Portuguese, Italian, Dutch, Japanese
// and Chinese (simplified). For site.toml's language, a message is looked
// up in site.toml's [translations], then in i18n/LANG.toml beside
// site.toml, in the site theme's themes/NAME/i18n/LANG.toml, and in the
// default theme's; then the same for the language's CLDR parents (pt-BR
// takes pt, de-AT de, zh-TW zh-Hant), then for English. So a site changes
// one word with [translations], a theme adds a language or its own
// messages with i18n/LANG.toml (an ID in a file of the site's language
// or of English is known; a theme's en.toml must hold every ID it adds),
// and a language without a catalogue is English, with a warning at
// site.toml's language line. Hugo shortcodes read the same messages with
// i18n and T (package internal/hugo), so a moved-in Hugo site's own
// i18n/ files keep working. Package internal/l10n documents the details
// and the warnings.
//
// Dates are shown with the template functions date (long: "2 January
// 2026", "2 janvier 2026", "2. Januar 2026", "2026年1月2日"), mediumdate
// ("2 Jan 2026", "02.01.2026") and daymonth ("2 Jan", "2. Jan.", "1月2日"),
// from CLDR's month names and patterns for the site's language (CLDR
// covers far more languages than the catalogues: a Swedish site's dates
// are Swedish). <time datetime> stays RFC 3339. Reading time counts the
// characters of Chinese and Japanese (500 a minute) as well as words (220
// a minute).
//
// The default theme's message IDs, with their English text (quoted: mind
// the spaces) and where the theme shows them:
//
//	skip_to_content      "Skip to content"
//	                       (base: the skip link)
//	nav_main             "Main"
//	                       (base: the main navigation's label)
//	home                 "Home"
//	                       (base: navigation)
//	archive              "Archive"
//	                       (base: navigation; the archive's title)
//	tags                 "Tags"
//	                       (base: navigation; tags page title; tag list label)
//	feed                 "Feed"
//	                       (base: navigation)
//	built_with           "Built with site"
//	                       (base: footer)
//	subscribe            "Subscribe:"
//	                       (base: footer, before the feed links)
//	tls_slot             "Certificate of this connection"
//	                       (base: the badge aside's label)
//	tls_note             "Who vouches for this site? Your browser shows it: select the padlock or site information icon next to the address."
//	                       (the footer note of built pages (badge.StaticNote))
//	updated              "Updated"
//	                       (post-meta: before the updated date)
//	draft                "Draft"
//	                       (post-meta, archive: draft label)
//	read_more            "Read more"
//	                       (post-summary: the link)
//	read_more_of         " of “%s”"
//	                       (post-summary: hidden after read_more; %s the title)
//	byline               "By"
//	                       (post: before the authors)
//	more_posts           "More posts"
//	                       (post: the newer/older navigation's label)
//	newer                "Newer"
//	                       (pager, post: link to newer)
//	older                "Older"
//	                       (pager, post: link to older)
//	pager_posts          " posts"
//	                       (pager: hidden after newer and older)
//	pages                "Pages"
//	                       (pager: its label)
//	page_hidden          "Page "
//	                       (pager: hidden before a page number)
//	page_title           "%s (page %d)"
//	                       (title of page N of a list: %s the title, %d N)
//	contents             "Contents"
//	                       (post, page: the table of contents' heading)
//	code_listing         "Code listing"
//	                       (a listing's name for screen readers, before its language or title)
//	table                "Table"
//	                       (a table's scroll box's name for screen readers)
//	heading_anchor       "Link to this section"
//	                       (a heading's anchor link's name for screen readers)
//	task                 "Task"
//	                       (a task list item's checkbox's name when the item has no text)
//	years                "Years"
//	                       (archive: the years' label)
//	no_posts             "No posts yet."
//	                       (list, archive: no post)
//	list_description     "Posts on %s:"
//	                       (an index page's meta description without site.toml's, before the titles; %s the site title)
//	list_description_by  "Posts by %s on %s:"
//	                       (the same with an author: %s the author, %s the site title)
//	archive_description  "Every post of %s, by year"
//	                       (archive: meta description; %s the site title)
//	posts_tagged         "Posts tagged "
//	                       (tag: title, before the tag name)
//	posts_tagged_after   ""
//	                       (tag: title, after the tag name)
//	tag_description      "Posts tagged %s on %s"
//	                       (tag: meta description; %s the tag, %s the site)
//	page_of              "page %d of %d"
//	                       (tag: page %d of %d)
//	atom_feed            "Atom feed"
//	                       (tag: feed link)
//	atom_feed_for        " for posts tagged %s"
//	                       (tag: hidden after atom_feed; %s the tag)
//	all_tags             "All tags"
//	                       (tag: link to the tags page)
//	no_tagged_posts      "No posts with this tag."
//	                       (tag: no post)
//	tags_description     "All tags of %s"
//	                       (tags: meta description; %s the site title)
//	no_tags              "No tags yet."
//	                       (tags: no tag)
//	page_not_found       "Page not found"
//	                       (404: title)
//	not_found_lead       "Sorry, there is nothing at this address. The page may have moved, or the link may have a typo."
//	                       (404: the lead)
//	go_home              "Go to the home page"
//	                       (404: link)
//	browse_archive       "Browse the archive"
//	                       (404: link)
//	browse_archive_rest  " of every post"
//	                       (404: after browse_archive)
//	look_tags            "Look through the tags"
//	                       (404: link)
//	redirecting          "Redirecting…"
//	                       (an alias's redirect page: title)
//	moved_to             "This page has moved to %s."
//	                       (an alias's redirect page: %s is the link)
//	tls_title            "The certificate of this connection"
//	                       (tls)
//	tls_alert            "Alert:"
//	                       (tls)
//	tls_not_encrypted    "This page came over plain HTTP. Nothing on it is encrypted, and no certificate vouches for the site: anyone on the way could read or change it."
//	                       (tls)
//	tls_proxied          "This page reached you through a proxy or CDN. Your browser checked the proxy's certificate, not this server's: this server cannot see which certificate that was. Select the padlock or site information icon next to the address to see it."
//	                       (tls)
//	tls_verified         "This connection is encrypted with a certificate issued by <strong>%s</strong>. This server verified its chain up to <strong>%s</strong>, a root that browsers trust."
//	                       (tls, HTML (Thtml))
//	tls_private_ca       "This connection is encrypted with a certificate issued by <strong>%s</strong>, which verifies only against <strong>%s</strong>, a root this server's operator chose to trust. Browsers do not trust it unless you installed that root yourself."
//	                       (tls, HTML (Thtml))
//	tls_self_signed      "This connection is encrypted with a <strong>self-signed</strong> certificate: the site signed it with its own key, and no certificate authority vouches for it."
//	                       (tls, HTML (Thtml))
//	tls_expired          "This connection is encrypted with a certificate that is <strong>not valid now</strong>: %s. It names %s as its issuer."
//	                       (tls, HTML (Thtml))
//	tls_broken_chain     "The certificates this server sends <strong>do not form a chain</strong>: %s. The certificate names %s as its issuer, which could not be verified."
//	                       (tls, HTML (Thtml))
//	tls_unverified       "This connection is encrypted with a certificate that names <strong>%s</strong> as its issuer, but <strong>nothing verifies that claim</strong>: %s."
//	                       (tls, HTML (Thtml))
//	tls_badge_copy       "The badge of this connection, as at the foot of every page:"
//	                       (tls)
//	tls_programs         "The same data, for programs: <a href=\"%[1]s\">%[1]s</a>. Every certificate this site has served, as a feed: <a href=\"%[2]s\">%[2]s</a>."
//	                       (tls, HTML (Thtml))
//	tls_paths            "Verified paths to a trusted root"
//	                       (tls)
//	tls_not_sent         "(not sent by the server: trusted here)"
//	                       (tls)
//	tls_private_root     "— a root only this server's operator trusts"
//	                       (tls)
//	tls_chain            "The chain as sent"
//	                       (tls)
//	tls_problem          "Problem:"
//	                       (tls)
//	tls_cert_site        "Certificate of the site"
//	                       (tls)
//	tls_cert_n           "Certificate %d"
//	                       (tls)
//	tls_subject          "Subject"
//	                       (tls)
//	tls_sans             "Names (SANs)"
//	                       (tls)
//	tls_issuer           "Issuer"
//	                       (tls)
//	tls_valid            "Valid"
//	                       (tls)
//	tls_valid_range      "from %s until %s"
//	                       (tls, HTML (Thtml))
//	tls_serial           "Serial number"
//	                       (tls)
//	tls_fingerprint      "SHA-256 fingerprint"
//	                       (tls)
//	tls_key              "Key"
//	                       (tls)
//	tls_may_issue        ", may issue certificates"
//	                       (tls)
//	tls_key_self_signed  ", self-signed"
//	                       (tls)
//	tls_signature        "Signature"
//	                       (tls)
//	tls_ct               "Certificate Transparency"
//	                       (tls)
//	tls_log              "Log"
//	                       (tls)
//	tls_operator         "Operator"
//	                       (tls)
//	tls_recorded         "Recorded at"
//	                       (tls)
//	tls_status           "Status"
//	                       (tls)
//	tls_unknown_log      "unknown log, ID <code>%s</code>"
//	                       (tls, HTML (Thtml))
//	tls_unknown          "unknown"
//	                       (tls)
//	tls_sig_verified     "signature verified"
//	                       (tls)
//	tls_sig_invalid      "signature does not verify"
//	                       (tls)
//	tls_not_verified     "not verified"
//	                       (tls)
//	tls_not_checked      "not checked"
//	                       (tls)
//	tls_caa              "CAA: the CAs the domain allows"
//	                       (tls)
//	tls_caa_not_checked  "CAA records not checked: this server was not set up to look them up."
//	                       (tls)
//	tls_caa_checking     "Checking the CAA records of the certificate's names: reload this page in a moment."
//	                       (tls)
//	tls_caa_intro        "The CAA records of each name of the certificate (RFC 8659), and whether they allow its CA"
//	                       (tls)
//	tls_caa_identities   " (%s)"
//	                       (tls)
//	tls_caa_no_identity  ", whose CAA identifier is not known"
//	                       (tls)
//	tls_caa_account      " and this server's ACME account, <code>%s</code>"
//	                       (tls, HTML (Thtml))
//	tls_caa_end          "."
//	                       (tls)
//	tls_caa_account_err  " This server's ACME account is not known: %s."
//	                       (tls)
//	tls_verdict          "Verdict"
//	                       (tls)
//	tls_records          "Records"
//	                       (tls)
//	tls_found_at         "found at %s"
//	                       (tls)
//	tls_alias_of         " (an alias of %s)"
//	                       (tls)
//	tls_records_colon    ":"
//	                       (tls)
//	tls_records_none     "none at this name or any parent"
//	                       (tls)
//	tls_caa_no_domain    "The certificate names no domain, only addresses: there are no CAA records to check."
//	                       (tls)
//	tls_history          "Certificates this site has served"
//	                       (tls)
//	tls_follow           "Follow new certificates in a feed reader: <a href=\"%[1]s\" type=\"application/atom+xml\">%[1]s</a>."
//	                       (tls, HTML (Thtml))
//	tls_first_served     "First served"
//	                       (tls)
//	tls_root             "Root"
//	                       (tls)
//	tls_valid_until      "Valid until"
//	                       (tls)
//	tls_issuer_self_signed "%s (self-signed)"
//	                       (tls)
//	tls_claims           "claims %s"
//	                       (tls)
//	tls_no_cert          "No certificate yet."
//	                       (tls)
//	search               "Search"
//	                       (base: navigation; search: title and button)
//	search_description   "Search the posts of %s"
//	                       (search: meta description; %s the site title)
//	search_label         "Search the posts"
//	                       (search: the query's label)
//	search_results       "Results for “%s”"
//	                       (search: the status line, %s the query, filled by search.js)
//	search_none          "No post found for “%s”"
//	                       (search: the status line when nothing is found)
//	search_failed        "The search index could not be loaded."
//	                       (search: the status line when the index fails to load)
//	search_more          "Show more results"
//	                       (search: the button under the first ten)
//	search_browse        "Every post is also in the <a href=\"%[1]s\">archive</a>, by year, and under <a href=\"%[2]s\">tags</a>."
//	                       (search, HTML (Thtml): %[1]s the archive, %[2]s the tags page)
//	min_read             one: "%d min read", other: "%d min read"
//	                       (post-meta: reading time; %d minutes)
//	posts_count          one: "%d post", other: "%d posts"
//	                       (archive, tag: %d posts)
//	posts_word           one: "post", other: "posts"
//	                       (tags: hidden after a count)
//	tags_count           one: "%d tag, by name", other: "%d tags, by name"
//	                       (tags: %d tags)
package themes
