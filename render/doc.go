// Package render turns a loaded site (package content) into the files of a
// static site: HTML pages through the theme's templates, feeds, sitemap and
// assets. It writes through the Output interface only, so a build to disk
// (Publish) and a preview in memory (MemOutput) share every step.
//
// # The pipeline
//
// One type, Pipeline (pipeline.go), runs every build: `site build`
// (cmd/site/build.go), the production server (`site serve --https-addr`,
// one build in memory) and the preview (package serve, a build after
// every change). A build is four steps, each in one place:
//
//  1. Load (Pipeline.Build): site.toml (content.LoadConfig), then the
//     pages (content.Loader, which reads again only the files
//     Pipeline.Changed named since the last build).
//  2. Plan (Renderer.build, site.go): the theme's assets, every post's
//     data and body key (preparePosts), the site's data, then one planned
//     file per output file (plan.go: pages, lists, tags, feeds, sitemap,
//     search, copied files), each with a key over everything it is made
//     from (keys.go) and how to make it (builder.fileKey and makeFile:
//     a page from its data with the theme, a search document from its
//     post, any other file by its own functions).
//  3. Emit (builder.emit, plan.go): the keys, then each file either kept
//     from the previous build (an Output that is a Reuser and holds the
//     same key) or made and written (Output.WriteFile); bodies are
//     rendered, or read from the BodyCache, only when something that
//     shows them is made: a file, or (in step 2) the search index,
//     which needs every post's text. A build into an output that
//     holds no previous build (a first build, a cold `site build`)
//     makes every file; when it makes the search index (search enabled,
//     the index not in the body cache), it makes each post's page and
//     search document in step 2 too, as soon as the index has rendered
//     the post's body (makeWithBodies), so that no body waits in
//     memory, or in the cache, for its page. Emit takes those as made.
//  4. Publish: Pipeline.Publish hands step 3 a directory Output (Publish,
//     below: a new tree swapped in when the whole build succeeded);
//     Pipeline.BuildMem a MemOutput holding the last good build, whose
//     files are reused.
//
// So `site build -o public` is: runBuild → Pipeline.Publish → Publish
// (lock, staging tree) → Pipeline.Build → content.Loader.Load →
// Renderer.build → builder.emit → builder.makeFile (makePage for a
// page, made in a buffer used again for the next; searchDoc for a search
// document; planned.make for any other file) → dirOutput.WriteFile,
// which writes the file into the staging tree;
// Publish then swaps the tree in.
//
// Every build returns a Report: its Stats, and the output files it
// added, changed (made again with other bytes; on disk, with another
// key) and removed, relative to the build the Output held (a MemOutput's
// Prev, a directory's manifest). The servers act on the report alone:
// nothing else in the engine decides what changed. Report.Assets names
// each theme asset's fingerprinted file, and Report.Page the source of a
// page's file, so no server derives either itself.
//
// A save that changes the text of posts and pages but not their front
// matter (so not the site's shape: the lists, tags, pagination, URLs) is
// not planned again, when the changes told are of Markdown files only
// (a path of content/ or static/ that came and went since the site was
// last loaded, an editor's temporary file, need not be told:
// Pipeline.Transient tells them): the pipeline reads the changed files
// again (content.Loader.Reread) and the Renderer brings its last good build up
// to date (rebuildBodies, incremental.go): the changed posts' body keys,
// the keys of the files that show them (their pages, the lists and feeds
// that show their bodies, their search documents; the lists that show
// only their metadata when that changed, a reading time say), the search
// index updated in place (the postings of the stems whose fields
// changed between the post's old and new terms, the counts of the words
// that came or went, and the shards and manifest those touch), and it
// makes only the files whose key changed, in two steps as for front
// matter below: the changed pages' own files first, then the rest. Its
// link check looks again at
// the changed pages only, and at those that looked up a shard of the
// search index that came or went. The MemOutput it writes shares the last
// build's maps of files and keys and holds over them only the files it
// made (internal/layered), and the preview (package serve) does the same
// with the files it serves.
//
// A save that changes the front matter of one post (its title, date,
// summary, draft flag when drafts are shown, slug or URL, the targets of
// its aliases, its parameters, image, authors, tags) is not planned
// again either, when the post stays a post of the site and keeps its
// number of aliases and its bundle's files where they were:
// content.Loader.Update reads the file again, checks its URL and aliases
// against an index of the site's files, and changes the post's Page in
// place, moving it in Site.Posts and in its tags' lists (a tag may come
// or go); Renderer.rebuildFrontMatter (incremental.go) then brings the
// last build up to date: the post's data, the Prev and Next links of its
// old and new neighbours, its page and aliases (under new names when its
// URL changed), the pages of the index and of its tags' lists whose posts
// are others (a list that gains or loses a page is planned again whole,
// since every page's pager changed; a tag that comes or goes gains or
// loses its pages, page/1/ redirect and feed, and the page of tags and
// the tags' counts change), the feeds that carry it, the archive, the
// sitemap when a URL, date or tag changed, the search documents numbered
// anew (those of the posts between its old and new place) and the search
// index by difference (the post's terms, and the documents whose number
// changed). Files that come take the places in the plan of files gone,
// or go after the others, so that no other file moves. It keys again the
// files that show a post whose data changed and makes those whose key
// changed. It does so in two steps, each a build of its own into a
// MemOutput over the last: first the post's page, its aliases and the
// pages of its old and new neighbours (whose links name it), once what
// they show is settled (the post's data, its neighbours' links, the
// tags and their counts, the page of tags planned); then the rest, most
// of it planned only then, is made (the lists, tags, feeds, archive,
// sitemap, search index, and the pages of posts whose data changed with
// a tag's count), and the site checked. Pipeline.BuildMemShown hands the
// first to a server between the two, so that the post's page is shown
// before files whose number grows with the site (every page of a tag's
// list after a post takes the tag, all moved on by one); if the second
// step then fails, the first's output, which the server may be showing,
// is the last good build. BuildMem reports the two as one, and keeps
// the build before them if the second fails. The archive is made by years (archive.go): where its templates
// walk the years, in HTML text, with {{range .Years}} bodies that use
// nothing but the year, each year's section is kept with its key and only the years that
// changed are executed again; within a year's body, one {{range .Posts}}
// of the same kind is kept by post, so only the changed posts' entries
// are executed again; the whole is checked once against the archive
// made whole. The archive is then assembled: its templates executed
// with the years' sections left out, which are copied in where the
// execution noted them, and scrubbed only when a part needs it; the
// years the post left and took are found among the posts by halving,
// the others kept (all made again when the years do not go down in the
// posts' order: a site without a time zone shows each post's year in
// its own offset), and the archive's key takes each year's digest of
// its posts' keys, kept and compared rather than hashed again: a year
// the save did not touch (the same list of posts, and none of them with
// its keys made anew: the saved post, its neighbours, the posts of a tag
// whose count changed) is kept without looking at its posts. The
// sitemap is kept as parts (sitemap.go): each post's entry, made and
// scrubbed once, in blocks of 64 posts whose bytes and digest are kept;
// a save makes again the changed post's entry, moves it when its date
// moved it, and makes again the blocks whose entries are others, and the
// sitemap's key is a digest of the blocks' digests, not of its bytes.
// The link check looks again at the changed post and at the
// pages that looked up a file that came or went (each page's check notes
// the names it looked up), and the check of share card images at the
// post whose image changed and at the images whose file came or went. A post whose file changed stays found by its
// old file in the last build's Report (Report.Page), whose Site holds
// the Page changed in place.
//
// So a save costs in proportion to what it touches, not to the site.
// What still grows with the site: a few passes over the site's posts
// (one pointer or one key each: the lists compared, the sitemap's
// blocks); the archive and the sitemap, which name
// every post, copied whole from their parts when a title, URL or date
// changes (and, in the preview, hashed whole for their ETag when a
// browser asks for them); the
// section of the year a post left or took, and its entries joined;
// every page of a tag's list, which the default theme's tag page shows
// its count on, when a post takes the tag on or off (with its posts'
// cards kept, but for the saved post's); the shard of the search index
// that holds a new word, and the shards that hold the posts numbered
// anew when a date moved a post past others; and the garbage
// collector's work on a larger heap. Of a save of a post's front
// matter, all of that but the collector's work is in the second step,
// after the post's page is shown; the first still takes a pass over the
// plan (a flag a file) and its share of the collector's.
// Anything else is a full build: a file added or removed, static files,
// the theme, site.toml, several posts' front matter in one save, a page's
// (not a post's) front matter, a post that comes or goes (a draft when
// drafts are not shown, one dated in the future), its URL or an alias on
// another file or on a URL the site writes itself, any post's front
// matter on a site where a post was moved off the URL its title gives
// (another page has it), a tag renamed (as its oldest post writes it), a theme whose every page shows the site's tags, a
// page another engine's syntax expands, a post dated in the future that
// has come due since the last build (a site with scheduled posts takes
// the fast paths until the earliest is due, content.Site.NextFuture), a
// build after one that failed.
//
// A Renderer used for build after build (a preview's) keeps per-post
// state between builds: what preparePosts computes from a page's source
// (its body key, reading time, front matter parameters as keys write
// them) once per version of the file, each post's checked links, feed
// entries and search terms, and the fragments the template function
// cached made of it (a list's post cards: fragments.go), each with the
// key of what its partial can show of the post (the post's digest, or
// its metadata key where the partial shows no body), so that a save
// that remakes a tag's list pages executes the card of the saved post
// only. After a good build each holds what that build used and no more
// (one fragment a post and partial, of its last key), and the
// BodyCache's memory the bodies of that build only (BodyCache.Retain),
// so a preview's memory follows the site, not the number of saves.
//
// A failed build leaves the last good build in memory as it was (the
// one the next build is compared with and reuses files of:
// Pipeline.BuildMem), but not the state kept beside it: builds write
// into that as they go, and a file may fail after others were made. A
// save that fails in place (rebuildFrontMatter, rebuildBodies) has by
// then changed the saved post's preparation, its feed entry (the old
// one dropped, the new one made), its search terms (the old ones
// dropped), the fragments cached made of the posts whose data changed,
// the archive's year sections (archive.go), the BodyCache's memory
// (the old version's bodies dropped, the new one's put),
// content.Loader's files read and its index, and the last good build's
// content.Site, which that build's Report holds: Loader.Update changes
// the post's Page and the site's lists in place (as for a good build),
// rebuildBodies the Page's body; that Report's Page still finds the post
// by the file it had there. A full build that fails has changed the
// preparations, feed entries, search terms and fragments of what it
// reached. Only a good build writes the pages' checks.
//
// The builds after a failed one are still right. Everything kept is
// found by the key of what it was made from (a preparation by its
// file's digest, a feed entry by its body's key and permalink, search
// terms and bodies by their keys, a fragment or a year's section by
// its posts' keys and the templates'), so a build uses only what its
// own keys find and makes the rest again. What a build in place changes
// besides, the builder it keeps of the last good build (the plan, the
// posts' data, the search index's postings, the years' keys, the
// sitemap's parts), it forgets first (Renderer.last), so the build
// after a failed one is a full one, which reads the failed save's file
// again (the files told Pipeline.Changed stay pending until a build
// succeeds) into a site of its own.
//
// Nor does memory grow with failed saves. What is kept by page (a
// preparation, a page's checks, a fragment a post and partial) or
// swapped (the archive's years) holds one entry a page or a year
// whatever fails. A post's search terms are swapped too, and made
// again whole, of the site's posts only, by a full build that indexes
// the site or, when it finds the index in the body cache, by the
// PrepareRebuild after it (which a failed build's terms may otherwise
// outlive: a save that failed in place, then undone). Feed entries, icons,
// fragments of an old key and the bodies a failed build put in memory
// are dropped by the next good build, a full one (forgetStale,
// fragments.forget, BodyCache.Retain: a failed build calls
// BodyCache.Abandon, so that its bodies are not counted the next
// build's). A run of failed saves holds the versions it saved until
// the next good build, no longer.
//
// What the builds in place keep of the last full build and bring up to
// date (the search index's per-post terms, postings and word counts, the
// archive's year sections, the sitemap's parts, the pages that looked
// up each file name, and content.Loader's index of the site's files) is
// not made by the full build, so that `site build` and the production
// server, which build once, do not pay for it. Pipeline.PrepareRebuild
// makes it from the last good build; the preview calls it after each
// build, in the background, so that the first save after a full build
// costs what the later ones do. Without it, the first build in place
// makes what it needs (incremental.go, "Kept state").
//
// `site build` and the production server keep less still
// (PipelineOptions.OneBuild): neither the pages the loader read nor the
// posts' search terms outlive the step that uses them, nor does what was
// prepared of each page's source or which planned files show each post
// (so a next build of such a pipeline is a whole build), the BodyCache
// keeps none of the bodies it reads back from its directory in memory,
// no fragment of a post is kept for a next build, and each page's
// Markdown (content.Page.Body and SummarySource) is let go once its body
// is in the BodyCache (rendered, or found there), which gives it back to
// every file that shows it; the lines of the file that the page's
// warnings name are counted from what was prepared (PostData.lead), not
// from the Markdown. A cold build of 100,000 posts so holds about 0.7 GB
// less while it makes its files. A body, feed form or scan the cache
// then fails to give back is made again from the page's file, read again
// (builder.source); a file changed since the build loaded it fails the
// build, naming it, as the lists and feeds already show the version
// loaded.
//
// Past its Pipeline, a build's Report holds its files and the function
// that makes its tls page (Stats.TLSPage), which holds the templates and
// the site's data and nothing else of the build: a production server
// that has built a site of 10,000 posts holds about 320 MB, its files'
// 293 MB and a little, not twice that.
//
// # Markdown
//
// CommonMark with GitHub's extensions (tables, strikethrough, task lists,
// autolinks: a bare URL in text is a link unless site.toml's [markdown]
// autolink is false), footnotes, definition lists and smart punctuation. Headings
// get Unicode-aware IDs, unique within a page, and an empty
// <a class="anchor"> link to themselves, named "Link to this section" for
// screen readers (in the site's language: message heading_anchor).
// Table alignment is written as align attributes, never style
// attributes, so a strict Content-Security-Policy holds. A table is wrapped in
// <div class="table-wrap" tabindex="0" role="group" aria-label="Table">,
// which scrolls sideways when the table is wider than the page and, taking
// the focus, lets a reader without a mouse scroll it. A task list item's
// checkbox, <input type="checkbox" [checked] disabled aria-label="TEXT">,
// is named by the item's text (its plain text, without markup; "Task",
// message task, when the item has none).
//
// Raw HTML in Markdown, blocks and inline tags alike, follows site.toml's
// raw_html: "pass" (the default, as Jekyll, Zola and the Go blog do) writes
// it as it is, comments included; "escape" shows it as text, a block as a
// paragraph of its own, and drops HTML comments; "omit" leaves each block
// and each inline tag out with <!-- raw HTML omitted --> in its place, as
// Hugo does, keeping the text between inline tags (<sup>2</sup> gives 2).
// HTML inside code listings and code spans is code whatever the mode.
//
// # Table of contents
//
// Rendering a body collects its headings (the document's own, not those
// in block quotes or list items) from the parsed Markdown into a table
// of contents (toc.go), for PostData.TOC: a nested <ol> of links to the
// headings' IDs, levels [markdown] toc_start_level to toc_end_level
// (2 to 4 by default). An entry's text is the heading's as shown, as
// plain text: inline code stays <code>, links and emphasis keep only
// their text, raw HTML and footnote references are dropped, an image
// gives its alternative text, and another engine's placeholder its HTML
// when that holds no element. A heading whose text is then empty is left
// out, and so is one followed on the next line by a paragraph that is
// only kramdown's {: .no_toc} (Jekyll's way to keep a heading out; the
// paragraph is removed, as kramdown shows nothing of it). Nesting
// follows levels: a skipped level (an h4 right after an h2) is an entry
// without a link holding the deeper list, as Hugo writes it, and a first
// heading deeper than the start level sits in such entries too. A body
// with fewer than two entries has no table: one link is no contents.
// The table is kept with the body in BodyCache, and its levels are part
// of the body's key.
//
// A page shows the table when its front matter says toc: true, or
// site.toml says [markdown] toc = true and the front matter does not say
// toc: false. A body that places its own table has none beside it: a
// list of one item followed by kramdown's {:toc} (Jekyll's "* TOC" then
// "{:toc}", or a numbered list) becomes, where it stands, a
// <ul id="markdown-toc"> (<ol> for a numbered one) of the same entries,
// as kramdown writes it (the ID on the first such list only; a summary
// leaves the marker out); and Python-Markdown's [TOC] (package pymd)
// writes its own. Hugo's .TableOfContents is a template variable: a Hugo
// theme moved in uses .Post.TOC instead.
//
// # Warnings
//
// Once every file of a build is planned, each page's body is checked, and
// what is wrong is a warning naming the source file and line (Stats.Warnings,
// sorted); the build goes on. Only what the page emits is checked: Markdown
// links and images always, raw HTML elements when raw_html is "pass",
// never code.
//
//   - A local URL that names no file of the site. Markdown links and images,
//     and the href, src, srcset, poster and data attributes of raw HTML (a,
//     img, source, video, audio, track, iframe, embed, object, script, link),
//     are resolved against the page's URL as a browser resolves them (on a
//     page at /2024/05/slug/, img.png is /2024/05/slug/img.png; with a base
//     URL path /blog/, /blog/x/ is the site's /x/), and looked up among
//     everything the build writes: pages, aliases, lists, tags, feeds, static
//     files, bundle resources, assets. "/x/" must be x/index.html; "/x" may
//     be the file x, x/index.html or x.html. Queries and fragments are
//     ignored; so are links to other hosts, mailto: and the like, and paths
//     `site serve` answers itself (/tls/, /tls, /tls.json, /tls/feed.xml,
//     /healthz). A link to a path outside the base URL's path leads to
//     another part of the host and is not checked; a resource loaded from
//     there (an image) names nothing of the site and is a warning.
//   - What the site's Content-Security-Policy (default-src 'self' with
//     site.toml's [csp]; see content.Config.ContentSecurityPolicy) blocks:
//     a <script> without src (one whose type is not JavaScript, such as
//     JSON-LD, runs nothing and is fine), a <style> element, a style
//     attribute, an on* event handler attribute, a javascript: URL, a data:
//     URL, and a resource from another origin unless the directive that
//     governs it allows its source: frame-src for iframes, img-src for
//     images and posters, media-src for video, audio and tracks,
//     object-src for embed and object, script-src for scripts, style-src for
//     stylesheets, each falling back as CSP does (frame-src to child-src,
//     all to default-src). The warning names the source to add to [csp].
//     A page's style attributes are one warning, at the first, with how
//     many more there are.
//   - A resource from another origin that the policy allows: the issuer
//     badge of the page does not cover it.
//
// The scan of a body (its URLs and inline code, with lines) is made as the
// body is rendered, and kept in BodyCache beside it, so a build that
// reuses every page checks every page without parsing a post again. A
// body's key leaves out the empty lines that stand for its front matter,
// so a save that changes other front matter than the summary may keep
// the body's key, its scan and (in a preview) what its check found while
// the body moves down or up the file: these hold lines of the body,
// counted from the line after those empty lines, and the line of the
// file is made when the warning is, from the front matter as it is now.
// A warning names the line a cold build names, after any sequence of
// saves in a preview and with any body cache on disk.
//
// # Other engines' syntax
//
// Before goldmark, a page's body (and its summary source) goes through the
// expanders of expand.go in order: the Go blog's template: true, Liquid,
// Hugo shortcodes (package internal/hugo documents what is supported),
// Python-Markdown habits, Zola's @/ links and shortcodes (package
// internal/zola). Each decides whether a page is its own; a page
// none of them changes costs a look at its body. HTML an expander makes
// goes in as a placeholder (package internal/expand) and is put back after
// goldmark. The expanders' listings are the listings above, numbered with
// the page's fenced ones in page order. A page is found for Hugo's ref, or
// Jekyll's link, by content path ("posts/a.md", "/posts/a.md",
// "content/posts/a.md", a bundle's "posts/a"), relative to the page's
// directory, or by a file or bundle name only one page has ("a", "a.md",
// "2024-01-02-a"). User shortcodes come from themes/THEME/shortcodes/ and
// layouts/shortcodes/. What an expander cannot do is a build warning
// "FILE:LINE: message", and the build goes on. The body's key covers the
// expanded Markdown and its placeholders, and a page that an expander
// changed is expanded again at every build, since a page it links to or a
// file it includes may have changed.
//
// # Code listings
//
// Fenced and indented code blocks are highlighted with chroma, each token
// marked by a CSS class (chroma's short names: .k keyword, .s string, …).
// chroma's lexers run through internal/fastlex, which gives the same
// tokens (checked against chroma in every regex lexer it has) in about a
// seventh of the time, and ends where a chroma lexer would loop for ever.
// chroma runs on regexp2 v2.13.3 (see internal/fastlex), which reads a few
// listings differently from chroma's own tests: a number such as 50 in
// GraphQL is a number, not a name. Where chroma takes a pattern that runs
// over 250 ms for no match, which a loaded machine makes happen to any
// pattern, fastlex tries it again with 2 s first, so a listing is
// highlighted the same whatever the load. One stylesheet holds the light
// style's rules and, inside @media (prefers-color-scheme: dark), the dark
// style's. A listing is
//
//	<figure class="listing" id="code-N">
//	<figcaption class="listing-lang">go</figcaption>
//	<pre class="chroma" tabindex="0" role="group" aria-label="Code listing, go" data-digits="2"><code class="language-go" data-lang="go">
//	<span class="line[ hl]" id="code-N-L12"><a class="ln" href="#code-N-L12" data-n="12"></a><span class="cl">…</span></span>
//	…</code></pre></figure>
//
// where N counts the page's listings from 1 and 12 is the shown line
// number. The theme shows a number with CSS generated content from
// data-n, so copying a listing never copies its numbers, and sizes the
// gutter from data-digits, the digits of the widest number (present only
// with line numbers). The pre takes the focus, so a listing wider than the
// page scrolls with the keyboard too; its name is "Code listing" (in the
// site's language: message code_listing; a table's box is "Table",
// message table) and the
// title, else the language. Each colour scheme's chroma rules also set
// --listing-bg on .chroma, the style's background, in which the theme
// paints the covers of its scroll shadows. The info string
// may carry attributes:
//
//	```go {hl_lines=[2,"4-6"], linenostart=10, linenos=false, title="main.go"}
//
// hl_lines counts from the listing's first line whatever linenostart says;
// linenos overrides the site's line_numbers; title replaces the language
// as the caption. Control characters in the info string separate words
// and are dropped from the title. A language that Rouge or Pygments knows and chroma does
// not (liquid, irb, pycon, psql, …: lexerAliases) is highlighted as the
// closest one. An unknown language is plain, escaped text without a
// caption. Summaries are rendered without element IDs, since a list page
// shows many. A language is looked up once (internal/fastlex keeps the
// answers), and one chroma does not know costs what "text" does.
//
// Feeds carry listings in their feed form (Listings.Feed), made from the
// same tokens: the token spans inside a plain
//
//	<pre><code class="language-go">…</code></pre>
//
// with no line numbers, line wrappers or anchors, no figure, language
// caption, tabindex or data-lang, all of which serve only the site's
// stylesheet and script. A highlighted line is marked with <mark>, which
// feed readers show without a stylesheet; a title stays, as the caption
// of a plain <figure>. In feeds, headings have no anchor link, a table
// is not wrapped in its scrolling group, and kramdown's table of contents
// marker writes nothing (the page's table links to the page's anchors).
// The feed
// form of a post (its body and summary) is rendered only for the posts in
// feeds, from the parse and the tokens of the page's form when both are
// made, and kept in the body cache beside the page's form.
//
// # Limits
//
// Any page renders in time linear in its size. Where goldmark's cost, in
// time or memory, grows faster than a page or by hundreds of bytes for a
// byte, a page past these limits is refused before goldmark sees it, with
// an error at its file and line
// ("content/posts/x.md:106: lists and block quotes nested more than 100
// deep"); a build then fails. Lines inside fenced code blocks (``` or ~~~
// at the start of a line) are not counted; a fence indented by some spaces
// ends at the first line that is not blank and indented by fewer, which
// ends the list item it may be in. A fence where an HTML block may be open
// (after a line with "<" and no blank line since, or after "<pre",
// "<!--" and the like until their end) may be the HTML's text: its lines
// are counted.
//
//   - A body (after other engines' syntax is expanded) is at most
//     MaxBodySize (16 MiB): goldmark holds a body's whole syntax tree,
//     tens of bytes for each byte of Markdown. A 50 MB post is refused at
//     line 1 in a fraction of a second and under 200 MB of memory.
//   - A page opens at most MaxContainers (1,000,000) list items and block
//     quotes, and holds at most MaxListings (20,000) fenced code blocks.
//   - Its text outside fenced code blocks holds at most MaxInlineMarks
//     (1,000,000) of the characters that start inline syntax ([ < * _ `
//     & \ !): each that opens nothing still becomes a node of goldmark's
//     tree, and 15 MB of "[" took 4.6 GB. A 12.6 MB post of dense links,
//     emphasis and code spans just under the limit builds in 2 s and
//     850 MB.
//   - Lists and block quotes nest at most MaxNesting (100) deep. A line
//     that starts a list item or quote counts as deep as the markers
//     before its text (each >, -, +, *, 1. or 1)) plus its indentation
//     over two (a tab reaching the next multiple of four columns): a list
//     indented by two columns a level may nest 100 deep, one indented by
//     three (1. items) or four 67 or 50 deep.
//   - On one line, the bytes goldmark reads looking for the ends of link
//     destinations ("](" to white space or its closing parenthesis, "](<"
//     to ">") are at most 16 times the line's length plus 4,096:
//     "[a](b" repeated is refused, links written out in full never are.
//   - In a paragraph, the number of "]" times the number of lines is at
//     most 256 times its length plus 2^20: tens of thousands of lines of
//     links without a blank line between are refused. Paragraphs are
//     goldmark's: a list item's text, a heading, a table cell is one of
//     its own, and a line that opens no block (one indented four columns
//     more than the paragraph's, one without the quote's ">") continues
//     the paragraph before it. Lists and tables of links of any length
//     (within the other limits) pass. The lines of a paragraph that start
//     with "[" (after spaces; no more than its "]") times its lines are
//     bounded the same way, counting the link reference definitions it
//     starts with, which
//     goldmark takes out of it line by line: tens of thousands of
//     definitions without a blank line between are refused. goldmark's
//     block parsers find the paragraphs, without its inline parsers, and
//     only for a page with a run of lines that are not blank whose "]"
//     times lines pass 2^20.
//   - A page holds at most MaxFootnotes (2,000) footnote references and
//     definitions ("[^").
//
// Hugo shortcodes nest at most 100 deep (package internal/hugo); deeper
// ones are a warning. What a page's templates write (Liquid, a Go blog
// template: true body, Hugo shortcodes all told) stops at
// expand.OutputLimit, 8 MiB plus four times the body, since a loop in a
// loop can write gigabytes from a line: past it the page's Liquid or Go
// template actions are left out, or each further shortcode, with a
// warning at the file and line. Emphasis, brackets, code spans, raw HTML, tables,
// autolinks and Liquid need no limit: their cost is linear.
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
//	/search/index.html              the search page, and its index:
//	/search/index/manifest.json,    (see Search; none with site.toml's
//	/search/index/SHARD.json,       [search] enabled = false)
//	/search/index/doc/N.json
//	/assets/NAME.HASH.EXT           the theme's assets, named by content
//	/assets/favicon.HASH.png        a 48×48 PNG favicon and a 180×180
//	/assets/apple-touch-icon.HASH.png
//	                                apple-touch-icon drawn from the theme's
//	                                favicon.svg, unless the site has its
//	                                own (see Share cards and search engines)
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
// page (noindex) with a meta refresh and a link to its target, and a
// canonical link to the target's absolute URL: for a page of the site (an
// alias's page, a redirect's site path with its query and fragment, a
// list's first page for its page/1/) the target is site-relative, under
// base_url's path (/2024/01/post/, or /blog/2024/01/post/ for base_url
// https://example.org/blog/), so that a preview on localhost stays there;
// an absolute URL is as given (one starting with "//" takes base_url's
// scheme). The aliases of a redirect page lead straight to its target.
// Stats.Redirects (and MemOutput.Redirects) maps every redirect page's
// file to its target, for servers to answer 301 (package serve). Redirect
// pages are in no list, feed or sitemap. Warnings of the loader
// (content.Site.Warnings) are among Stats.Warnings, which are sorted by
// file and line.
//
// Feeds hold the newest feed.limit posts with absolute URLs (relative
// links and images in content are resolved against the post), entry IDs
// that are the posts' permalinks, RFC 3339 dates in Atom and JSON Feed and
// RFC 1123 dates in RSS, and the whole post unless [feed] full_text is
// false (then the summary alone: Atom's summary without content, RSS's
// description and JSON Feed's content_html). Their HTML is the feed form
// of the post (see "Code listings").
// Every author a post credits is in each feed: one <author> each in Atom,
// one dc:creator each in RSS (whose <author> takes a single email address,
// written when the one author has one: the site's author), and the item's
// authors in JSON Feed. A post that credits nobody is the site author's:
// the feed's own author in Atom and JSON Feed, its dc:creator and author in
// RSS. Dates are written in the zone the post's date is shown in.
// No page, feed, sitemap or redirect page holds a control character other
// than tab, line feed and carriage return, a Unicode noncharacter
// (content.NotText) or a byte that is not UTF-8. Package content warns of
// them in a page's text and refuses them in front matter values and
// site.toml, at file and line; each that reaches an output (from a page's
// text, a theme's template, a data file, an include) is replaced with
// U+FFFD in the made file, and in the JSON
// feed's strings before encoding (encoding/json would write a control
// character as a \u escape). Atom and RSS text goes through encoding/xml,
// which replaces characters XML forbids the same way. Files copied as
// they are and theme assets are written unchanged.
//
// Two files of one name, or a file where another needs a directory (an
// alias /feed.xml/ beside the feed), fail the build with an error at the
// page, alias, redirect page or copied file that asked for it, naming
// the other ("static/feed.xml: copied as feed.xml, which the site's feed
// feed.xml writes too; change or remove it"). Package content reports
// most such clashes first; these are the ones with files only the
// renderer makes.
//
// The same input always gives byte-identical output: nothing depends on
// the time of the build or on map order, but for what a page asks of it
// in another engine's syntax (Hugo's now, Liquid's site.time), as in
// that engine.
//
// # Share cards and search engines
//
// Every page's data says what share cards (Open Graph, X) and search
// engines read from its head; the default theme writes it all:
//
//	PageData.Description  the meta description and og:description: a
//	                      post's or page's summary as plain text, cut to
//	                      DescriptionLength (160) characters at a word
//	                      boundary (in Chinese and Japanese, between
//	                      characters) with "…"; a tag page's "Posts tagged
//	                      TAG on TITLE"; the archive's and the tag list's
//	                      own; an index page's site.toml description, else
//	                      "Posts by AUTHOR on TITLE: " and the titles of
//	                      the posts it lists ("Posts by AUTHOR on TITLE"
//	                      alone on a site without posts; as PaperMod and Zola's themes
//	                      fall back to the site's own words, never to
//	                      nothing). The 404 page has none of its own.
//	PageData.Image        og:image and og:image:alt, and the JSON-LD's
//	                      image: a post's or page's front matter image
//	                      (content's image, Hugo's images, PaperMod's
//	                      cover: relative to its bundle when the bundle
//	                      holds that file, else to the site root), else
//	                      the first <img> of its body that the site
//	                      publishes (on the base URL's host and path, not
//	                      from elsewhere) in a format cards show (PNG,
//	                      JPEG, GIF, WebP: no SVG), with its alt; else, and
//	                      on every other page, site.toml's image and
//	                      image_alt. Always an absolute URL. With an image
//	                      twitter:card is summary_large_image, else summary.
//	                      A front matter or site.toml image on the site
//	                      that is no file of it is a warning
//	                      ("content/posts/x.md:4: image card.png not
//	                      found (looked for /card.png)"; site.toml's
//	                      at its line too)
//	SiteData.OGLocale     og:locale: site.toml's language in Open Graph's
//	                      ll_CC form, the language's most likely country
//	                      when the tag names none (golang.org/x/text's
//	                      likely subtags): en is en_US, fr fr_FR, pt pt_BR,
//	                      zh-Hant zh_TW, de-CH de_CH
//	.Post                 on a post: article:published_time,
//	                      article:modified_time (when updated), one
//	                      article:author per author and article:tag per tag
//	StructuredData        the page's JSON-LD (schema.org): on a post a
//	                      BlogPosting (headline, description, url and
//	                      mainEntityOfPage, datePublished, dateModified,
//	                      author as Person, with the site's URL for the
//	                      site's author, publisher, image, keywords from
//	                      the tags, inLanguage, isPartOf the Blog); on the
//	                      first index page a WebSite (name, url,
//	                      description, inLanguage, author), with a
//	                      SearchAction when SiteData.SearchURL names a
//	                      search page; nothing elsewhere
//
// The theme writes StructuredData as
// <script type="application/ld+json">{{.StructuredData}}</script>:
// html/template encodes it as JSON and escapes "<", ">" and "&" in it, so
// no title ("</script>" and all) can end the element. A JSON-LD script
// is data, not code: browsers run none, so the site's
// Content-Security-Policy (script-src 'self') neither blocks nor needs to
// allow it, and the build's check of what the policy blocks counts only
// scripts of a JavaScript type.
//
// The 404 page is noindex, with no canonical link and no og:url: its
// address is any URL that was not found, not /404.html. The "tls" page is
// noindex too. Two theme-color metas give the theme's page background,
// light and dark (style.css's --bg), for browsers that colour their
// toolbar.
//
// Icons: besides the theme's favicon.svg, pages link a PNG favicon
// (IconSize, 48 pixels square, as search results want a multiple of 48)
// and an apple-touch-icon (TouchIconSize, 180 pixels, opaque: the SVG
// drawn over its own most common colour, since iOS fills transparency
// with black). A site's static/favicon.png or static/apple-touch-icon.png
// (any file published at that name) is linked instead of drawing that
// icon. The icons are drawn from the theme's assets/favicon.svg with
// oksvg (which reads SVG's shapes, paths, gradients and opacity, but not
// text, filters or CSS; a rounded rect needs both rx and ry), only when
// the file is made: their key and name come from the SVG, so a rebuild
// that keeps the previous files draws nothing, and a renderer used for
// build after build draws each version once. An SVG that cannot be read,
// or has no size (a viewBox, or width and height), is a warning naming
// the theme's file, and pages link no PNG icon; one that draws nothing
// fails the build, naming it.
//
// # Templates
//
// A theme's templates/ holds base.html (defining "base"), partials named
// _*.html, and one template per kind of page: post, page, list, tag, tags,
// archive, 404, search. A page is rendered by parsing base.html, the partials and
// its kind's file together and executing "base" with a *PageData. Template
// functions: isodate (RFC 3339); T, the theme's messages in the site's
// language ({{T "read_more"}}, {{T "min_read" .ReadingMinutes}}), and
// Thtml, those written in HTML, their string arguments escaped; date,
// mediumdate and daymonth, a date in the site's language from CLDR ("2
// January 2006", "2. Januar 2006", "2006年1月2日"; package themes);
// datetime (a long date and the time in UTC), timetag (a <time> element
// of it), day (UTC, "2006-01-02") and join (", "), for the tls page;
// cached, a partial's fragment of a post made once and kept while what
// it can show of the post is the same, or of another value (.Site) made
// once per build (package themes; fragments.go). The
// pages' own titles and descriptions (Tags, Archive, Page not found,
// "(page N)", the tls page's) are messages too, and so is the footer note
// of built pages (tls_note), the badge slot's content; the badges a
// server makes per connection are English (package badge). A post's
// ReadingMinutes counts 220 words or 500 Chinese and Japanese characters
// a minute (internal/l10n.CountText). The messages' digest is part of
// every page's key. PageData and the types it holds document every
// field; besides the page's own, a template reaches:
//
//	.Site.HomeURL         "/", or "/blog/" for base_url https://example.org/blog/
//	.Site.ArchiveURL      "/archive/" ("/blog/archive/"), and .Site.TagsURL
//	                      "/tags/": a theme links to these, and to the
//	                      URLs of PageData, never to a path it writes
//	                      itself, so that its links work under any base
//	                      URL's path
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
//	.Post.TOC             the table of contents (see Table of contents),
//	                      empty unless the page shows one; the template
//	                      gives it its <nav> and title
//
// The default theme's post page names every author in its byline unless
// the site's author alone wrote the post. A Pager lists
// only the page links to show (first, last, current and its neighbours,
// gaps), so a page of a long list costs what a page of a short one does.
//
// # Search
//
// Unless site.toml says [search] enabled = false, a build writes a search
// page at /search/ (the theme's search.html; /search/?q=WORDS shows the
// posts for WORDS) and an index of the posts (standalone pages are not
// in it) under /search/index/, which the default theme's search.js reads
// with no other help: no server, no library, no WebAssembly, so
// default-src 'self' holds.
//
// Words. A post's title, its tags and its body's text (code listings
// included) are cut into words (searchWords): text in Unicode NFC,
// lower-cased, is cut at every character that is not a letter, digit,
// combining mark or underscore; the parts of an identifier are words,
// and so is the identifier whole (max_age gives max, age and max_age).
// Chinese and Japanese text, which has no spaces, gives each pair of
// neighbouring characters (東京都 gives 東京 and 京都), in any language;
// a query is cut the same way, so 東京 finds it. Words are indexed under
// their Snowball stem for the site's language (its primary subtag): ar,
// da, de, en, es, fi, fr, ga, hu, it, nl, no (nb, nn), pt, ro, ru, sv, ta
// and tr (github.com/blevesearch/snowballstem, the Snowball project's Go
// stemmers); every other language's words are indexed as they are
// written.
//
// Files. The index is sharded by word, so a query downloads a small
// manifest, one shard per word and a document per result shown, never
// the whole index:
//
//	manifest.json   {"v":1,"n":POSTS,"shards":["ab","ac",…]}
//	SHARD.json      {"w":{"certificate":0,"certificates":0},
//	                 "s":[["certif",TITLE,TAGS,BODY]]}
//	doc/N.json      {"t":title,"u":URL,"d":"2 January 2006","i":RFC 3339 date,
//	                 "g":[tags],"x":the post's text}
//
// A word's shard is its first two characters when both are ASCII letters
// or digits ("ce"), else its first character, as "u" and its code point
// in hex ("ue9" for é, "u6771" for 東). A shard maps each word as written
// in the posts to its stem, and each stem to the posts holding it in
// their title, tags and text: so every form of a word finds the stem's
// posts and the browser needs no stemmer. Posts are numbered from the
// oldest (doc/0.json), so a new post changes no other post's number. A
// posting list is the gaps between numbers in base 36, comma-separated
// ("3,1,a" is 3, 4, 14), or, when shorter, "~" and a base64 bitmap (bit
// i%8 of byte i/8 for post i). A document holds at most 32 KiB of the
// post's text, for the excerpt: the text of its rendered body as the HTML
// tokenizer reads it, with every run of white space (no-break spaces
// among it) one space, and a space for each tag but inline ones.
//
// Matching and ranking (search.js). Each word of a query is looked up in
// its shard: as written; else, for an inflection no post holds, every
// word that shares all of it but its last three characters (and at least
// three) and whose stem it starts with ("deploys" finds deploy's posts);
// else every word it begins ("certif" finds certificate, certificates).
// A post scores, for a query word, 100 if the word is in its title, plus
// 10 if in a tag, plus 1 if in its text (the best of the stems the word
// matched), and the posts that hold every word of the query are ranked by
// the sum of their scores, ties newest first; if no post holds every
// word, the posts holding any are. So titles come first, then tags, then
// the text. The first ten results show their title, date and about 220
// characters of text from a little before the first word matched, with
// every matched form in <mark>; more load on demand.
//
// Rebuilding. A post's document is remade when what it shows changes.
// The manifest and shards are made from every post's words: they are kept
// in the body cache under a key over the posts' digests, so a build that
// changes no post reads them from there, and a build that changes one
// makes them again but writes only the shards whose bytes changed. Each
// post's terms (its stems, the fields each is found in, and the words as
// written that have it) are kept in the body cache too, under a key over
// the engine version, the language, the post's title and tags and the key
// of its body, so such a build cuts into words only the posts that
// changed, reads no other post's body, and assembles the shards from the
// kept terms; a preview also keeps them in memory from the build before.
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
// Summary, Content or TOC lists posts by their metadata alone, so editing a
// post's text does not remake the archive of the default theme. The
// site's tags (SiteData.Tags, with their counts) are keyed apart from the
// rest of the site's data, for the kinds whose templates may show them,
// and a post's metadata covers the counts of its tags only when a
// template may show them: tmpluse.go follows each kind's templates from
// "base" by the Go types of their values (the page's own tag, a post's
// tags, the site's), erring towards showing. So a post that takes a tag
// on remakes the page of tags and that tag's pages, not every page.
// Rendered
// bodies are kept by BodyCache, which `site build` and the preview keep
// in .site-cache/bodies (pack.go describes its files).
//
// A build holds a post's rendered body only while it uses it: a post
// keeps its summary and table of contents, for the lists and feeds that
// show them. Its body, made for the search index, is held until the
// post's page is made, and its text until its search document takes it
// (or the build ends, where the file was kept from the last build),
// within 192 MB for the build (handOffMax, about 10,000 posts); past
// that, a body cache with a directory reads them back from the pack it
// is writing rather than keeping them in memory, once for the page
// however often its template asks. A build into an output that holds
// no previous build makes the pages and search documents of each run of
// the search index's posts (searchRun, 4,096) once the run's bodies are
// made, so it holds the bodies of one run at most, and reads none back
// while a run's bodies and texts fit the bound (about 48 KB a post).
// Each post's search terms are held packed, and merged into the index
// from their packed form. So the memory of a cold build grows with the
// posts' sources and metadata, not with their HTML: 100,000 posts hold
// about 1.0–1.2 GB live, and with GOGC at 200 and the soft memory limit
// of 3.5 GiB that `site build` sets, the process peaks at about
// 3.1–3.4 GB.
//
// # The issuer badge
//
// Every page holds SiteData.Badge, the badge slot of package badge (the
// default theme places it last, right after the footer; see package
// themes). For `site build` it holds badge.StaticNote, a footer line saying
// how to check the certificate, and no badge bar: the certificate of a
// reader's connection is not known at build time. It is delimited by
// <!--tls-badge--> and <!--/tls-badge--> so a server can fill it per
// connection without executing a template. The page kind "tls", which a
// production server shows at /tls/, is rendered only on demand
// (Stats.TLSPage), never written by a build; its URL and Permalink are
// /tls/ at the root of the host, where the server answers it, whatever
// base_url's path (its links to the site carry that path).
//
// # Publishing
//
// Publish builds into a new directory, .NAME.new-PID-TIME/site-TIME,
// beside the output directory, and swaps it in only when the whole build
// succeeded, in one step (renameat2 RENAME_EXCHANGE on Linux). So a build
// that fails, or a process killed at any moment (SIGKILL, a crash; a
// power cut aside: nothing is synced), leaves the output directory
// exactly the previous site or exactly the new one, with no file of the
// build inside it; readers of the directory never see it missing or half
// written. This holds with the cache and with --no-cache. With the cache,
// a file whose key did not change is a hard link to the published one,
// so it keeps its inode and costs a link, not a write; a build that
// changes nothing writes nothing and swaps nothing. On Linux,
// .NAME.new-PID-TIME is marked as the top of a directory hierarchy
// (chattr +T), so ext2/3/4 place the new tree in a block group of its own
// choosing, not beside the last output: on ext4 without a journal an
// output just removed (`rm -rf public`) leaves inodes that every
// allocation near them skips one by one for minutes.
//
// The tree a swap takes out, the previous site, is kept beside the output
// directory as .NAME.prev, and the next build that changes something
// builds in it rather than in an empty directory: its directories are
// there already, a file that is already a link to the published one
// stays, any other is replaced (unlinked first, never written through,
// since it may be a link to a published file), and what the build does
// not make is pruned before the swap. So a build costs about what it
// changes, not a directory and a link for each file of the site. The
// spare tree takes the disk space of the files that changed in the last
// build; `site clean` removes it with the output.
//
// One build at a time publishes into an output directory: Publish takes
// an exclusive flock(2) on .NAME.lock beside it before anything else and
// holds it for the whole build, until the new tree is swapped in or
// removed (a killed build's lock goes with its process). A second build
// into the same directory, from this machine or another sharing the file
// system, waits for the first, and warns "another build is publishing
// into the same directory (it holds DIR/.NAME.lock): waiting for it to
// finish". The lock file stays after the build and after `site clean`
// (removing it would let two builds lock two different files); a lock
// file that is a symbolic link is refused, not followed. Where flock is
// missing (not Unix), builds do not lock. RemoveOutput (site clean)
// takes the lock too, so it waits for a build rather than remove the
// tree that build is writing.
//
// Each build, holding the lock, first removes what killed builds left:
// staging trees and old trees beside the output directory, named
// .NAME.new-PID-TIME and .NAME.new-PID-TIME.old exactly (the lock, spare
// and staging trees of an output named NAME.new-N are left to it).
// Since every build holds the lock while it has such a tree, every one
// found then is a killed build's, whatever process now has the ID in its name (which
// may be a process of another container or machine, so process IDs are
// not trusted; only where builds do not lock is a tree whose process is
// running left alone). A killed build's tree may have been the spare
// one, and the build after it then starts from an empty directory; where
// a build was killed between the two renames that stand in for the
// exchange off Linux, the old tree is put back. It also removes
// temporary files of the cache (new-PID-….tmp) whose process is gone,
// and NAME.site-new files that earlier engines staged inside the output
// directory.
//
// A spare tree that holds a file where the build makes a directory has
// the file replaced by the directory once, under the output's mutex,
// however many writers of files inside it find the file at once.
//
// Names of the output with a part ending in .site-new are reserved for
// the files Publish stages in place, so that none can be taken for a file
// of the site: a build refuses them at the file that asks for one
// ("static/x.site-new: copied as x.site-new, a name ending in
// ".site-new", which is reserved for files being published; rename it"),
// and every Output refuses to write one.
//
// An output directory that is a symbolic link is resolved: the directory
// it leads to is swapped, beside its target, and the link stays;
// RemoveOutput (site clean) empties that directory and keeps it and the
// link, so the next build publishes there again (site clean refuses a
// default output, SITE/public, that leads outside the site, as site build
// does). One that
// is a mount point (another device than its parent's, or a bind mount
// listed in /proc/self/mountinfo, both checked on the path with every
// symbolic link in it resolved, so a directory reached through a link to
// another file system is not taken for a mount point) cannot be swapped
// by rename: Publish
// warns "DIR is a mount point, which cannot be replaced in one step:
// publishing file by file, …" and writes each new or changed file beside
// its place as NAME.site-new, renamed into place once the build has
// succeeded; a build killed then may leave a mix, and the next one
// removes the stray NAME.site-new files. Publish into a directory inside
// the mount for all-or-nothing publishing.
//
// An error of the file system while writing (a full disk) fails the
// build with one error, "DIR: writing NAME: no space left on device",
// however many files fail after it, and the staged tree is removed.
//
// Publish refuses an output directory that holds or lies inside the
// site's sources, and one that is not empty and holds no built site;
// RemoveOutput (site clean) refuses both too, so a site directory with
// index.html and sitemap.xml of its own is never removed as an output.
//
// A build never writes or removes files through a symbolic link in the
// cache: a site checked out from a repository (a pull request built by
// CI) may commit .site-cache, .site-cache/bodies or .site-cache/published
// as links to anywhere. `site build` refuses such a link
// (CheckCacheDirs: "SITE/.site-cache/bodies: the cache directory is a
// symbolic link (to TARGET); refusing to write through it: remove the
// link (site clean does)"), Publish refuses a record directory that is
// one, and NewBodyCache keeps bodies in memory only when its directory or
// the one above is one. Likewise `site build` without -o refuses a
// public/ that is a symbolic link leading outside the site ("SITE/public:
// symlink to TARGET leads outside the site; refusing to publish through
// it (give -o to publish there, or --follow-symlinks)"): the site must
// not choose which directory of the machine a build replaces. A link
// inside the site is followed, and so is any link with --follow-symlinks;
// an output given with -o is the user's choice and may be a link
// anywhere (its target is swapped, as above).
package render
