package render

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/net/html"
)

// plainText returns the text of an HTML fragment, with runs of white space
// folded, for meta descriptions and feed summaries. Elements that are not
// inline (paragraphs, list items, line breaks, …) part words; inline
// ones (code, emphasis, links) do not, so "<code>site</code>, and" is
// "site, and".
func plainText(h template.HTML) string {
	z := html.NewTokenizer(strings.NewReader(string(h)))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); !inlineElements[string(name)] {
				b.WriteByte(' ')
			}
		}
	}
}

// inlineElements are the HTML elements that do not part the words around
// them.
var inlineElements = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true,
	"data": true, "del": true, "dfn": true, "em": true, "i": true, "ins": true, "kbd": true,
	"mark": true, "q": true, "s": true, "samp": true, "small": true, "span": true, "strong": true,
	"sub": true, "sup": true, "time": true, "u": true, "var": true,
}

// urlAttributes are the attributes whose values resolveURLs rewrites.
var urlAttributes = map[string]bool{"href": true, "src": true, "poster": true}

// resolveURLs makes the relative URLs of an HTML fragment's links and
// images absolute against base, so the fragment can be shown away from its
// page: in a list of summaries or a feed reader. Everything else is copied
// byte for byte.
func resolveURLs(fragment []byte, base *url.URL) []byte {
	if base == nil || !bytes.Contains(fragment, []byte("href=")) && !bytes.Contains(fragment, []byte("src=")) && !bytes.Contains(fragment, []byte("poster=")) {
		return fragment
	}
	var out bytes.Buffer
	z := html.NewTokenizer(bytes.NewReader(fragment))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out.Bytes()
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			out.Write(z.Raw())
			continue
		}
		raw := append([]byte{}, z.Raw()...)
		tok := z.Token()
		changed := false
		for i, a := range tok.Attr {
			if !urlAttributes[a.Key] || a.Namespace != "" {
				continue
			}
			ref, err := url.Parse(a.Val)
			if err != nil || ref.IsAbs() || strings.HasPrefix(a.Val, "//") {
				continue
			}
			tok.Attr[i].Val = base.ResolveReference(ref).String()
			changed = true
		}
		if changed {
			out.WriteString(tok.String())
		} else {
			out.Write(raw)
		}
	}
}

// buffers are reused for making files: a file grows its buffer by
// doubling, and a build makes thousands, so fresh buffers would be most
// of what a build allocates.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// buffered returns what write writes, in a slice of its own exact size.
func buffered(write func(*bytes.Buffer) error) ([]byte, error) {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer buffers.Put(buf)
	if err := write(buf); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}
