package content

import (
	"bytes"
)

// Kind tells posts from standalone pages.
type Kind int

const (
	// Post is a dated entry in a section directory (content/posts/ unless
	// site.toml names other sections).
	Post Kind = iota
	// Standalone is any other page, such as content/about.md.
	Standalone
)

// A Page is one Markdown file of the site.
type Page struct {
	Kind Kind
	// Path is the source file, slash-separated, relative to the site
	// directory ("content/posts/hello.md").
	Path string
	Meta
	// Body is the Markdown after the front matter, which is replaced by
	// empty lines so that line numbers in the body are those of the file.
	// A <!--more--> line is emptied too.
	Body []byte
	// SummarySource is the Markdown of the summary when front matter or
	// <!--more--> gives one; nil means the summary is the first paragraph.
	SummarySource []byte
	// URL is the page's path on the site, relative to the base URL's path,
	// starting with "/": "/2024/05/hello/". It ends in "/" (its file is
	// URL+"index.html") unless a permalink or front matter says otherwise:
	// "/blog/hello" is published as blog/hello.html, "/2024/05/hello.html"
	// as that file. FileOf maps a URL to its file.
	URL string
	// Section is the section directory of a post ("posts"); "" for a
	// standalone page.
	Section string
	// Resources are the other files of a page bundle (a directory whose
	// page is index.md), as paths of the site directory. Each is published
	// at ResourceDir(URL) plus its path relative to the bundle directory.
	Resources []string
	// Tags are the page's tags as found in Site.Tags, in front matter order.
	Tags []*Tag
	// Digest is the SHA-256 of the file as read. Whatever is computed from
	// the file alone may be kept under it.
	Digest [32]byte

	// urlFromTitle marks a post whose URL comes from its title's slug
	// alone, and which may move if another post has it. Its permalink
	// values are made again then (newPermalinkVars), not kept for every
	// post.
	urlFromTitle bool
	// aliasesAsWritten are the aliases before they were resolved.
	aliasesAsWritten []string
	// writtenAliasLines are the lines of aliasesAsWritten.
	writtenAliasLines []int
}

// A Tag groups the posts that carry it.
type Tag struct {
	// Name is the tag as first written.
	Name string
	// Slug is the tag's URL segment: /tags/<slug>/.
	Slug string
	// Posts carry the tag, newest first.
	Posts []*Page
}

// moreSeparator ends the summary part of a post.
var moreSeparator = []byte("<!--more-->")

// splitMore returns the Markdown before a <!--more--> line, and the body
// with the separator taken out; or nil and the body unchanged. A separator
// alone on its line leaves as many spaces (the line stays blank, columns
// kept); one followed by text on its line is removed, as Hugo removes it,
// so that text is not pushed right into an indented code block.
func splitMore(body []byte) (summary, rest []byte) {
	i := bytes.Index(body, moreSeparator)
	if i < 0 {
		return nil, body
	}
	summary = bytes.TrimSpace(body[:i])
	after := body[i+len(moreSeparator):]
	line, _, _ := bytes.Cut(after, []byte("\n"))
	var fill []byte
	if len(bytes.Trim(line, " \t\r")) == 0 { // Markdown's blank, not Unicode's
		fill = bytes.Repeat([]byte(" "), len(moreSeparator))
	}
	rest = append(append(append([]byte{}, body[:i]...), fill...), after...)
	return summary, rest
}
