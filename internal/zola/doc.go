// Package zola renders the Zola habits of a page body, so a Zola blog
// moves into content/ unchanged: its internal links and its shortcodes.
//
// # When it applies
//
// The links pass, to every page whose body holds "@/" just after "(",
// "<", ":", "=" or a quote, with spaces or tabs between them allowed
// (Applies, a cheap test): the start of a Markdown destination, a
// reference definition or an attribute value. The shortcodes pass (after
// the links, so that links in a shortcode's body are resolved), to every
// page whose body holds "{{" or "{%" followed by a name and "(" (spaces
// between allowed), or Zola's escape "{{/*" or "{%/*" (HasShortcode). Other
// pages cost these two searches.
//
// # Internal links
//
// Zola links pages by their file's path under content/, after "@/":
//
//	[the post](@/blog/path-date.md)
//	[a part](@/blog/path-date.md#anchor)
//	[ref]: @/blog/bundle/index.md
//	<a href="@/blog/post.md">…</a>
//
// Such a URL is replaced by the page's URL (with the base URL's path;
// Zola writes the permalink, with its host: the same page) where Zola
// replaces it, at the start of a Markdown link destination or link
// reference definition, and here also at the start of an image
// destination and of an HTML attribute that holds a URL (href, src, …;
// see expand.LinkSyntax), which Zola leaves as written and so broken.
// Code (listings, code spans) is left alone. The anchor after "#" is
// kept as written; the path is percent-decoded, as Zola decodes it.
//
// The path is looked up (env.Ref) in content/, then in each posts
// section of site.toml sections (default ["posts"]), with and without
// its first directory, so a blog moved from content/blog/ into
// content/posts/ keeps its links (expand.MovedPaths). A section's
// _index.md (Zola's section page) found there means the page that lists
// that section's posts: the site's home page, for content/_index.md and
// for the _index.md of a posts section. The _index.md of another
// directory, and a path that finds no page, are warnings naming the line
// (Zola stops the build), and the link stays as written.
//
// # Shortcodes
//
// Zola's shortcodes, as its grammar reads them:
//
//	{{ youtube(id="dQw4w9WgXcQ", autoplay=true) }}
//	{% note(kind="info") %}
//	A **Markdown** body.
//	{% end %}
//
// A name is a letter or "_" then letters, digits and "_"; arguments are
// name=value, separated by commas (none after the last), spaces and line
// breaks allowed around them. A value is a string in "…", '…' or `…`
// (no escapes: a string holds the other quotes), true or false, a number
// (-1, 2.5), or an array of those ([1, "a"]). The template gets each
// argument as a string: a string without its quotes, a boolean as true or
// false, a number as written, an array's elements joined by commas
// (split (.Get "images") "," gives them back).
//
// Each call runs the site's user shortcode template of its name
// (expand.Env.Shortcode: themes/THEME/shortcodes/NAME.html or
// layouts/shortcodes/NAME.html, the Go html/template files Hugo's
// shortcodes use; a writer ports Zola's Tera templates there, .Get "id"
// for {{ id }}, .Inner for {{ body }}). Its HTML goes in as a placeholder;
// alone in a paragraph it replaces the paragraph. Output without "<" or
// "&" right after "](" or `="` (a URL in a link or an attribute) goes in
// as text.
//
// A body shortcode's body runs up to its {% end %} (body shortcodes nest),
// is trimmed as Zola trims it, and has its own shortcodes expanded first;
// the template gets it raw, as .Inner. Zola gives the template the body
// unrendered too (a template renders it with Tera's markdown filter):
// here the template renders it with markdownify ({{ .Inner | markdownify
// }}), or writes it as it is.
//
// Zola's built-in shortcodes (removed in Zola 0.18, still used by older
// blogs), when the site has no template of the name, render as this
// project's Hugo built-ins of the same purpose (hugo.Embed):
//
//	youtube     id playlist autoplay class: an iframe from
//	            www.youtube-nocookie.com in <div class="video"> (or
//	            class), without style attributes
//	vimeo       id class: the same from player.vimeo.com
//	streamable  id class: the same from streamable.com
//	gist        url (https://gist.github.com/USER/ID) file: a link to
//	            the gist, not the script embed
//
// Zola's escape prints a call as written without the /* */:
// {{/* youtube(id="x") */}} shows {{ youtube(id="x") }}, and
// {%/* note() */%}…{%/* end */%} shows {% note() %}…{% end %}, the body
// left as it is (Markdown; shortcodes in it are not run). In prose the
// printed calls are escaped so that they show as written.
//
// Code (fenced and indented listings, code spans) is left as written, the
// escape aside, which is removed there too. Zola itself runs shortcodes
// in code (its writers show a call in a listing with the escape); here a
// call in code is taken for the writer's text, as the Hugo and Liquid
// expanders' users expect of code.
//
// What cannot run is a warning naming the line and the call as written,
// and the rest of the page renders:
//
//	an unknown name (no template, no built-in)
//	                    left out; a body shortcode's tags are left out,
//	                    its body kept as Markdown
//	a template that fails, a malformed id or gist URL
//	                    left out
//	a malformed call ({{ a(x=) }}, escaped or not) or a body without
//	{% end %}           left as written (Zola prints it, or stops)
//	an {% end %} with no shortcode to end
//	                    left out
//
// Liquid, which runs before, does not take {% name(…) %} and {% end %}
// for its tags (package internal/liquid).
package zola
