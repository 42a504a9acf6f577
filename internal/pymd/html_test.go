package pymd_test

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	n, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return class == "" || strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

// findAll lists the elements named tag with class (any when "") below n.
func findAll(n *html.Node, tag, class string) []*html.Node {
	var out []*html.Node
	if n == nil {
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == tag && hasClass(c, class) {
			out = append(out, c)
		}
		out = append(out, findAll(c, tag, class)...)
	}
	return out
}

func find(n *html.Node, tag, class string) *html.Node {
	if all := findAll(n, tag, class); len(all) > 0 {
		return all[0]
	}
	return nil
}

func byID(n *html.Node, id string) *html.Node {
	if n.Type == html.ElementNode && attr(n, "id") == id {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := byID(c, id); f != nil {
			return f
		}
	}
	return nil
}

// textOf is the text of n, without the anchor links the renderer adds to
// headings.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.Data == "a" && hasClass(n, "anchor") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// tocTree writes a table of contents' names, indented by depth.
func tocTree(n *html.Node) string {
	var b strings.Builder
	var list func(ul *html.Node, depth int)
	list = func(ul *html.Node, depth int) {
		for li := ul.FirstChild; li != nil; li = li.NextSibling {
			if li.Type != html.ElementNode || li.Data != "li" {
				continue
			}
			for c := li.FirstChild; c != nil; c = c.NextSibling {
				switch {
				case c.Type == html.ElementNode && c.Data == "a":
					b.WriteString(strings.Repeat("  ", depth) + textOf(c) + "\n")
				case c.Type == html.ElementNode && c.Data == "ul":
					list(c, depth+1)
				}
			}
		}
	}
	if n == nil {
		return "(none)"
	}
	if ul := find(n, "ul", ""); ul != nil {
		list(ul, 0)
	}
	return b.String()
}

// paragraphs are the <p> elements outside tables of contents.
func paragraphs(n *html.Node) []*html.Node { return findAll(n, "p", "") }

// links are the href and src of the links and images of n.
func links(n *html.Node) []string {
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "a":
				out = append(out, attr(n, "href"))
			case "img":
				out = append(out, attr(n, "src"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}
