// Package hugo expands Hugo shortcodes in a page's body before Markdown,
// so that a Hugo blog moves in unchanged. Expand is one of the renderer's
// expanders (see package expand); it applies to any page holding "{{<" or
// "{{%", and costs other pages one search for them.
//
// # Syntax
//
//	{{< name args >}}                 a shortcode whose output is HTML
//	{{< name args >}}inner{{< /name >}} with inner text
//	{{< name args />}}                self-closing
//	{{% name args %}}inner{{% /name %}} output is Markdown, rendered with the page
//	{{</* name args */>}}             a comment: shows {{< name args >}} as written
//
// Arguments are positional (a b) or named (k=v k2="v 2"), as Hugo has
// them; a value is a bare word, a "quoted string" (with \" and \\
// escapes) or a `raw string`. A shortcode is paired when a closing tag of
// its name follows (nesting of the same name counts), else standalone.
// Nested shortcodes are expanded first, and their output is the parent's
// .Inner. Shortcodes nest at most MaxNesting (100) deep: deeper ones are
// left unpaired, with a warning at the first. Pairing takes time linear
// in the number of tags. Shortcodes are found everywhere in the body, code blocks
// included, as Hugo finds them; inside a fenced code block the output
// goes in as text, and a comment there shows as written.
//
// # Output
//
// The HTML output of {{< >}} (built-in or user template) goes in as a
// placeholder, so goldmark neither reads it as Markdown nor applies the
// site's raw_html setting to it; alone in a paragraph it replaces the
// paragraph. The output of {{% %}} user shortcodes is Markdown, rendered
// with the page (since Hugo 0.55). ref, relref and param give Markdown
// text (a URL fits in [text](…)); gist, x, tweet and instagram give a
// Markdown link. A comment outside code shows as written, quotes
// straight. A shortcode standing alone on lines it spans keeps the
// following lines' numbers.
//
// # Built-in shortcodes
//
//	figure     src link target rel alt title caption class width height
//	           loading attr attrlink: the HTML of Hugo's embedded template
//	           (of Debian's Hugo 0.111), caption and attr rendered as Markdown
//	highlight  {{< highlight LANG "OPTIONS" >}}code{{< /highlight >}}: the
//	           site's code listing (Env.Listing); OPTIONS are Hugo's linenos
//	           (table, inline, true: on; false: off; absent: the site's
//	           line_numbers), hl_lines ("8 15-17", counted from the first line
//	           as Hugo counts them), linenostart, title
//	details    summary (Markdown, default "Details") open class name title;
//	           the inner text is Markdown: Hugo 0.140's template
//	ref        the absolute URL of a page; relref its path (with the base
//	           URL's path); a #fragment is kept, "#frag" alone is this page.
//	           Pages are found as Env.Ref finds them
//	param      a front matter key of the page, else a [params] key of
//	           site.toml; "a.b" looks into tables
//	youtube    id (or the first argument) autoplay start end playlist title
//	           class loading: an iframe from www.youtube-nocookie.com in
//	           <div class="video"> (or class), without Hugo's style
//	           attributes, which the site's Content-Security-Policy forbids
//	vimeo      id title class loading: the same from player.vimeo.com
//	gist       user id [file]: a link to gist.github.com/user/id, not the
//	           script embed
//	x, tweet, twitter
//	           user id (or the id alone): a link to x.com/user/status/id
//	instagram  id: a link to www.instagram.com/p/id/
//
// A user template of the same name replaces a built-in, as in Hugo.
// Also: comment (its inner text is left out); vimeo_simple, youtube_simple,
// x_simple, twitter_simple, instagram_simple (links, as above).
//
// Embed runs youtube, vimeo, gist, x, tweet and instagram for other
// engines' shortcodes of the same purpose (Zola's), and streamable, which
// Hugo lacks: the same iframe from streamable.com/e/ID (title "Streamable
// video").
//
// # Inline shortcodes
//
// {{< name.inline >}}TEMPLATE{{< /name.inline >}} runs TEMPLATE as a
// shortcode template in place, and a later {{< name.inline />}} on the
// same page runs it again, as Hugo does with enableInlineShortcodes.
//
// # User shortcodes
//
// A site's own shortcodes are Go html/template files: NAME.html (or
// SUB/NAME.html for SUB/NAME) in themes/THEME/shortcodes/ of the site's
// theme, then in Hugo's layouts/shortcodes/ and layouts/_shortcodes/,
// then in themes/THEME/layouts/shortcodes/ and _shortcodes/ (a Hugo theme
// moved in whole); the first found wins. The
// renderer parses them once (ParseTemplates). The same templates serve
// Liquid tags of the same name through Env.Shortcode (Templates.Run).
// A template's dot is a *Shortcode:
//
//	.Get 0, .Get "name"   an argument, "" when absent; written without
//	                      quotes, true, false and numbers are typed
//	.Inner .InnerDeindent the inner text (HTML-safe); without common indentation
//	.Params .IsNamedParams the arguments ([]string or map[string]string)
//	.Name .Ordinal .Parent .Position
//	.Store (.Scratch)     the shortcode's own scratchpad, as .Page.Scratch
//	.Page                 .Title .Params .Date .Lastmod .Draft .Permalink
//	                      .RelPermalink .File .Site .Param "key"
//	                      .Scratch (.Store): .Get .Set .Add .SetInMap .Delete
//	                      .Values, shared by the page's shortcodes in order
//	                      (a Liquid tag run as a shortcode has its own)
//	                      .RenderString [(dict "display" "block")] TEXT
//	                      .Resources: the bundle's files, with .Get NAME,
//	                      .GetMatch GLOB, .Match GLOB, .ByType "image"; each
//	                      has .Name .RelPermalink .Permalink .MediaType
//	                      .ResourceType .Width .Height (GIF, JPEG, PNG)
//	                      .Content, and image methods (.Resize "600x",
//	                      .Fit, .Fill, .Crop, .Process, .Filter) that give
//	                      the image unchanged: images are not processed
//	.Site                 .Title .BaseURL .LanguageCode .Params
//
// Functions, with Hugo's meaning:
//
//	logic, lists   eq ne (values of different types are unequal, as in
//	               Hugo, not an error) default cond slice dict in isset
//	               first last after seq
//	               split delimit len index int float string
//	arithmetic     add sub mul div mod
//	strings        lower upper title trim chomp humanize replace replaceRE
//	               findRE hasPrefix hasSuffix urlize printf print println,
//	               and strings.Contains
//	               .ContainsAny .HasPrefix .HasSuffix .TrimPrefix .TrimSuffix
//	               .TrimLeft .TrimRight .TrimSpace .Trim .Split .ToLower
//	               .ToUpper .Title .Repeat .Count .Replace .FirstUpper .RuneCount
//	HTML           safeHTML safeHTMLAttr safeURL safeCSS safeJS htmlEscape
//	               htmlUnescape plainify markdownify jsonify emojify (text
//	               kept as it is)
//	URLs, pages    relURL absURL relLangURL absLangURL ref relref (as
//	               ref . "page.md") readFile (a file of the site directory)
//	               site anchorize, path.Base .BaseName .Dir .Ext .Clean .Join,
//	               urls.Parse, hugo.Version .Environment .IsProduction
//	               .IsServer (a production build of Hugo 0.111.3)
//	listings       highlight CODE LANG ["OPTIONS"]: a listing, as the
//	               highlight shortcode makes
//	time           now dateFormat time.Format time.Now time.AsTime
//	errors         errorf (fails the shortcode), warnf (a build warning)
//	i18n           i18n and T (i18n "k" [COUNT|DATA]): the message k of the
//	               site's i18n/LANG.toml (then the theme's) in the site's
//	               language, read as the theme's messages are (plural
//	               forms by CLDR's rules); a number, or a dict's Count,
//	               is {{ .Count }}, and other template actions run with
//	               the argument as data. A message no file has gives ""
//	               (so {{ i18n "k" | default "text" }} shows the text), as
//	               in Hugo, and a warning
//
// Not supported: partial and partialCached, where (each fails when
// called), resources (the global assets), image processing and the rest
// of Hugo's functions (a template using one fails to parse); either is
// reported where the shortcode is used. now makes output depend on the
// time of the build.
//
// # Warnings
//
// Nothing stops the build. Each of these is a warning naming the line of
// the file and the construct, and the shortcode is left out: an unknown
// shortcode (no built-in, no template), a template that fails to parse or
// to run, a ref or relref to no page, a param with no value, a built-in
// given bad arguments, a closing tag without an opening one. An unknown
// shortcode with a closing tag ({{% notice %}}text{{% /notice %}} of a
// theme not moved in) loses its tags but keeps its inner text, as
// Markdown. A tag that cannot be read (unclosed, an unterminated string)
// is shown as code up to the end of its line.
package hugo
