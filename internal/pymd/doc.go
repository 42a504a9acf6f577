// Package pymd renders the Python-Markdown habits of Pelican blogs, so a
// Pelican blog moves into content/posts/ unchanged.
//
// # When it applies
//
// To every page whose body holds one of ":::", "#!", "[TOC]",
// "{filename}", "{static}", "{attach}", "|filename|", "|static|",
// "|attach|", "{tag}", "{category}", "{index}" or "{author}" (Applies, a
// cheap test), or, in a page whose front matter is Pelican's, "{%"; the
// rewrites below then touch only the constructs they name, so a page of
// another engine that holds such text stays as it is unless it uses the
// construct.
//
// # CodeHilite headers
//
// An indented listing whose first line is a CodeHilite header (the
// regular expression of Python-Markdown's codehilite.py) becomes a fenced
// listing, so the renderer highlights it:
//
//	:::python          python; the line goes; line numbers as the site
//	                   sets them (CodeHilite leaves them as they are)
//	#!python           python with line numbers; the line goes
//	#!/usr/bin/python  python with line numbers; a real shebang line
//	                   (with a path) stays in the listing
//	:::ruby hl_lines="1 3"   lines 1 and 3 highlighted (hl_lines)
//	:::                no language; the line goes
//
// The header line becomes the opening fence and the blank line after the
// listing the closing one, so the listing's lines keep their numbers (a
// new line is added when no blank line follows, or before a real
// shebang). A listing in a list item or a block quote stays in it. In a
// list item, spaces beyond CommonMark's content column (an ordered item's
// is 3, Python-Markdown's 4) are dropped from every line. Fenced
// listings are left alone, as CodeHilite leaves them. A listing without
// a header stays as it is (Pelican guesses its language; the renderer
// shows it plain).
//
// # Links
//
// Pelican's intrasite links are replaced where Pelican replaces them: at
// the start of a Markdown link or image destination, of a link reference
// definition, or of an HTML attribute that holds a URL (href, src,
// poster, data, cite, formaction, action, content). Code is left alone.
// The value's query and fragment are kept.
//
//	{filename}path   the URL of the page of that Markdown file (env.Ref);
//	                 a published file too, as Pelican allows
//	{static}path     the URL of a published file: a file under content/
//	{attach}path     keeps its path, a bundle's file sits beside its
//	                 page, a static/ file is at the root
//	|filename|path   the old form of each of these
//	{tag}name        the tag's page, /tags/<slug>/ ({category} too:
//	{category}name   categories are tags here)
//	{index}          the site's home page
//
// A path starting with "/" is from Pelican's content root; another is
// relative to the page's file (as Pelican reads it), then from the
// content root. Both are looked up in content/, then in each posts
// section of site.toml sections (default ["posts"]), with and without the
// path's first directory, so a blog moved from content/ or content/blog/
// into content/posts/ keeps its links. URLs carry the base URL's path. A
// path that resolves to nothing, an unknown tag and {author} (no author
// pages here) are warnings naming the line; the link stays as written,
// as Pelican leaves it.
//
// # Tags of the liquid_tags plugin
//
// In a page whose front matter is Pelican's, the tags of pelican-plugins'
// liquid_tags are found as the plugin finds them ({% … %}, over lines,
// before Markdown) when Liquid has not run (site import writes liquid =
// false for a Pelican site):
//
//	{% literal TAG ARGS %}   the text {% TAG ARGS %}, in a listing too
//	{% NAME ARGS %}          outside code: the site's shortcode NAME
//	                         (themes/NAME/shortcodes/), given the arguments
//	                         as Positional (a quoted string is one)
//
// A tag of the plugin (audio, b64img, blockdiag, diag, flickr, generic,
// giphy, gram, graphviz, img, include_code, notebook, soundcloud,
// speakerdeck, spotify, video, vimeo, youtube) without a shortcode is a
// warning naming the line and stays as written. Any other {% … %}, and
// {{ … }}, is text, as the plugin leaves it: a Jinja template shown in a
// listing keeps its {% if %}.
//
// # Table of contents
//
// A paragraph that is only "[TOC]" (Python-Markdown's toc marker) is
// replaced, through a placeholder, by the table of contents of the
// page's headings, as Python-Markdown's toc extension writes it:
//
//	<div class="toc">
//	<ul>
//	<li><a href="#install">Install</a><ul>
//	<li><a href="#from-source">From source</a></li>
//	</ul>
//	</li>
//	</ul>
//	</div>
//
// Headings nest as its nest_toc_tokens nests them (a deeper heading is a
// child of the one before; a shallower one goes back up). The links go to
// the IDs the renderer gives headings (expand.HeadingIDs, which the
// renderer uses too: content.Slugify of the heading's source line,
// "section" when empty, unique in the page with -1, -2, …, avoiding the
// listings' code-N anchors), computed by parsing the page as the renderer
// does; an entry's text is the heading rendered inline, without its
// elements.
package pymd
