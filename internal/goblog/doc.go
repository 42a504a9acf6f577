// Package goblog runs the bodies of Go blog posts (go.dev/blog, the
// golang.org/x/website repository's _content/blog) as that site does, so
// the blog moves into content/posts/ unchanged.
//
// # When it applies
//
// A page whose front matter says template: true (read from
// content.Meta.Params["template"], a boolean or the string "true") has a
// body that is a Go template, executed before it is read as Markdown.
// Other pages are left as they are: their {{…}} is text.
//
// # The template
//
// The body is parsed and executed with html/template, as go.dev does: a
// string an action prints is HTML-escaped ({{" < "}} gives "&lt;"), HTML
// comments in the body are dropped. The dot is the front matter (lower-
// case keys as written: title, by, tags, summary, …) with date as a
// time.Time, URL (the page's URL) and File (its path in the site).
//
// Functions, with go.dev's signatures and behaviour:
//
//	{{code "file" [start [end]] [n] ["HLxxx"]}}
//	    lines of a file as a highlighted listing (env.Listing, language
//	    from the file's extension). start and end are line numbers,
//	    "/regexp/" (the first matching line; for end, the first after
//	    start) or "$" (the end of the file); one line argument shows one
//	    line, none the whole file. Lines ending in "OMIT" are left out,
//	    blank lines at both ends trimmed, tabs become four spaces. A
//	    number as the last argument (before "HLxxx") numbers the lines
//	    from it, 0 from the excerpt's 0-based index in the file (so
//	    {{code "f.go" 5}} is the whole file numbered from 5): go.dev's
//	    reading, kept. Without it the site's line number setting applies.
//	    Lines ending in the comment "// HLxxx" (default "// HL") are
//	    highlighted (hl_lines) and every "// HL…" comment is removed.
//	{{play "file" …}}
//	    the same; go.dev shows a runnable playground, here it is a
//	    listing (no script). Its "// HL" comments are removed only when an
//	    "HLxxx" argument is given, as on go.dev.
//	{{raw "text"}}
//	    text put in the Markdown as it is (often an indented listing).
//	{{image "file" [width [height [alt]]]}}
//	    <div class="image"><img src=… width=… height=… alt=…></div>,
//	    the Go blog's image template.
//	{{video "url" [width [height]]}}
//	    <div class="iframe"><iframe src=… width=… height=…></iframe></div>
//	    (default 560×315), the Go blog's video template without its
//	    style attribute, which the site's Content-Security-Policy forbids.
//	    A host that site.toml [csp] frame-src (or child-src, default-src)
//	    does not list is a warning: browsers would block the frame.
//	{{markdown "text"}}  Markdown rendered to HTML (one paragraph: no <p>)
//	{{file "name"}}      a file's text
//	{{data "name"}}      a YAML file decoded; {{yaml "text"}} the same for text
//	{{first n list}}     the first n elements of a list
//	{{add a b}} {{sub a b}} {{mul a b}} {{div a b}}
//
// Not supported, each a warning when used: page, pages and go.dev's own
// templates (newest, by, …), which list other pages (the blog's index,
// not posts, uses them); path and strings; templates called as
// functions (rsc.io/tmplfunc) other than image and video.
//
// # Files
//
// A file name is relative to the page's directory: for
// content/posts/pipelines.md, "pipelines/parallel.go" is
// content/posts/pipelines/parallel.go, where the Go blog has
// _content/blog/pipelines/parallel.go beside pipelines.md. A name
// starting with "/" is looked up in content/, then in each posts section
// (site.toml sections), with and without its first segment (the old
// blog directory). Code is read with env.ReadFile. An image or video
// file gets the URL the site publishes it at (a file under content/ keeps
// its path, a bundle's file sits beside its page, with the base URL's
// path); one the site does not publish is a warning and keeps its name.
//
// # Output
//
// Listings, images, videos and Markdown are placeholders (expand.Doc),
// kept away from goldmark. A line holding only listings, images or
// videos stands as a block: consecutive ones become one placeholder (the
// lines after it left empty, so line numbers hold) and a blank line is
// added where text touches it, as go.dev's HTML output starts a block.
//
// # Errors
//
// Nothing stops the build. An action that fails (a missing file, a
// pattern that matches nothing, an unknown function, a parse error) is
// left out, with its whole {{range}}/{{if}}/{{with}} body, and a warning
// naming the line and the action; the rest executes again. A body
// html/template cannot escape (HTML left in a script or attribute
// context, where go.dev would fail the page) runs with text/template,
// with a warning. A body that still cannot run shows without its actions
// ({{raw}} of a literal keeps its text), with a warning. An action left
// out keeps its lines, so later positions stay those of the file.
package goblog
