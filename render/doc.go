// Package render turns a loaded site (package content) into the files of a
// static site: HTML pages through the theme's templates, feeds, sitemap and
// assets. It writes through the Output interface only, so a build to disk
// (Publish) and a preview in memory (MemOutput) share every step.
//
// # Markdown
//
// CommonMark with GitHub's extensions (tables, strikethrough, task lists,
// autolinks), footnotes, definition lists and smart punctuation. Headings
// get Unicode-aware IDs, unique within a page, and an empty
// <a class="anchor"> link to themselves. Raw HTML in Markdown is shown as
// text, and HTML comments are dropped, unless the site sets unsafe_html.
// Table alignment is written as align attributes, never style attributes,
// so a strict Content-Security-Policy holds.
//
// # Code listings
//
// Fenced and indented code blocks are highlighted with chroma, each token
// marked by a CSS class (chroma's short names: .k keyword, .s string, …).
// chroma's lexers run through internal/fastlex, which gives the same
// tokens in about half the time.
// One stylesheet holds the light style's rules and, inside
// @media (prefers-color-scheme: dark), the dark style's. A listing is
//
//	<figure class="listing" id="code-N">
//	<figcaption class="listing-lang">go</figcaption>
//	<pre class="chroma"><code class="language-go" data-lang="go">
//	<span class="line[ hl]" id="code-N-L12"><a class="ln" href="#code-N-L12" data-n="12"></a><span class="cl">…</span></span>
//	…</code></pre></figure>
//
// where N counts the page's listings from 1 and 12 is the shown line
// number. The theme shows a number with CSS generated content from
// data-n, so copying a listing never copies its numbers. The info string
// may carry attributes:
//
//	```go {hl_lines=[2,"4-6"], linenostart=10, linenos=false, title="main.go"}
//
// hl_lines counts from the listing's first line whatever linenostart says;
// linenos overrides the site's line_numbers; title replaces the language
// as the caption. An unknown language is plain, escaped text without a
// caption. Summaries are rendered without element IDs, since a list page
// shows many.
//
// # Outputs
//
// With the default permalink, a build writes:
//
//	/YYYY/MM/SLUG/index.html        each post, with its bundle's files beside it
//	/SLUG/index.html                each standalone page
//	/index.html, /page/N/index.html the posts, newest first, paginate a page
//	/tags/index.html                every tag with its count
//	/tags/TAG/index.html            a tag's posts, paginated at /tags/TAG/page/N/
//	/tags/TAG/feed.xml              a tag's Atom feed
//	/archive/index.html             every post by year
//	/feed.xml, /rss.xml, /feed.json Atom 1.0, RSS 2.0, JSON Feed 1.1
//	/sitemap.xml, /robots.txt, /404.html
//	/assets/NAME.HASH.EXT           the theme's assets, named by content
//	ALIAS, /page/1/, /tags/TAG/page/1/
//	                                pages redirecting to the canonical URL
//	REDIRECT'S URL                  a page whose front matter gives
//	                                redirect or redirect_to (the Go blog's
//	                                stubs, Jekyll's): a page redirecting
//	                                to that target (content.Site.Redirects)
//
// A page's file is content.FileOf(URL): URL/index.html for a URL ending
// in "/", the URL itself for one ending in ".html", else URL.html, so the
// permalink "/blog/:filename" writes /blog/NAME.html (static hosts, and
// `site serve`, answer it at /blog/NAME) and "/:year/:month/:day/:title.html"
// writes that file. A bundle's other files go under
// content.ResourceDir(URL): the URL, or for a URL not ending in "/" the
// URL without ".html" plus "/". An alias ending in ".html" is written as
// that file, any other as ALIAS/index.html. A redirect page is an HTML
// page with a meta refresh and a canonical link to the absolute target:
// an absolute URL as given (one starting with "//" takes base_url's
// scheme), a site path under base_url with its query and fragment. The
// aliases of a redirect page lead straight to its target. Redirect pages
// are in no list, feed or sitemap. Warnings of the loader
// (content.Site.Warnings) come first in Stats.Warnings.
//
// Feeds hold the newest feed.limit posts with absolute URLs (relative
// links and images in content are resolved against the post), entry IDs
// that are the posts' permalinks, RFC 3339 dates in Atom and JSON Feed and
// RFC 1123 dates in RSS, and the whole post unless feed.full is false.
// Every author a post credits is in each feed: one <author> each in Atom,
// one dc:creator each in RSS (whose <author> takes a single email address,
// written when the one author has one: the site's author), and the item's
// authors in JSON Feed. A post that credits nobody is the site author's:
// the feed's own author in Atom and JSON Feed, its dc:creator and author in
// RSS. Dates are written in the zone the post's date is shown in.
// The same input always gives byte-identical output: nothing depends on
// the time of the build or on map order.
//
// # Templates
//
// A theme's templates/ holds base.html (defining "base"), partials named
// _*.html, and one template per kind of page: post, page, list, tag, tags,
// archive, 404. A page is rendered by parsing base.html, the partials and
// its kind's file together and executing "base" with a *PageData. Template
// functions: isodate (RFC 3339) and date ("2 January 2006"). PageData and
// the types it holds document every field; besides the page's own, a
// template reaches:
//
//	.Site.Params          site.toml's [params] as read: .Site.Params.tagline
//	.Site.Sections        the _index.md files by directory under content/
//	                      ("posts", "" for content/_index.md): Title,
//	                      Summary, Params
//	.Post.Params          every front matter key of the post, lower-cased
//	                      (Subtitle: is .Post.Params.subtitle), with its
//	                      value as written; index .Post.Params "cover-image"
//	                      for keys that are not identifiers
//	.Post.Authors         every author the post credits (author, authors,
//	                      by), or the site's author; .Post.Author is the first
//	.Post.Date            in the zone it was written in, or in site.toml's
//	                      timezone when one is set
//
// The default theme's post page names every author in its byline unless
// the site's author alone wrote the post. A Pager lists
// only the page links to show (first, last, current and its neighbours,
// gaps), so a page of a long list costs what a page of a short one does.
//
// # Rebuilding
//
// Every file has a key: a SHA-256 over everything it is made from (the
// engine version, site.toml and the site data, its kind's template
// sources, its page data, and for each post it shows the post's metadata
// and rendered body). A build given the previous build's keys (a Reuser:
// the published directory's manifest, or a preview's MemOutput) keeps the
// files whose key is unchanged and makes only the others. A kind whose
// templates, followed through the templates they invoke, never name
// Summary or Content lists posts by their metadata alone, so editing a
// post's text does not remake the archive of the default theme. Rendered
// bodies are kept by BodyCache, which `site build` and the preview keep
// in .site-cache/bodies (pack.go describes its files).
//
// # The issuer badge
//
// Every page's footer holds SiteData.Badge. For `site build` it is
// BuildBadge, saying the issuer is not known at build time. It is delimited
// by <!--tls-badge--> and <!--/tls-badge--> so a server can replace it per
// connection without executing a template.
//
// # Publishing
//
// Publish builds into a new directory beside the output directory and
// swaps it in only when the whole build succeeded (atomically on Linux),
// so a failed build leaves the previous site as it was. It refuses an
// output directory that holds or lies inside the site's sources, and one
// that is not empty and holds no built site.
package render
