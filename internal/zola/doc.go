// Package zola renders the Zola habits of a page body, so a Zola blog
// moves into content/ unchanged: its internal links.
//
// # When it applies
//
// To every page whose body holds "@/" just after "(", "<", ":", "=" or a
// quote, with spaces or tabs between them allowed (Applies, a cheap
// test): the start of a Markdown destination, a reference definition or
// an attribute value.
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
package zola
