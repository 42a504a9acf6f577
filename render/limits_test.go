package render

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
)

// limitsBuildErr builds a site of one post with body after four lines of
// front matter and a blank line, so the body's first line is line 6, and
// returns the build's error, "" for none.
func limitsBuildErr(t *testing.T, body string) string {
	t.Helper()
	fsys := fstest.MapFS{
		"site.toml":          {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n")},
		"content/posts/p.md": {Data: []byte("---\ntitle: P\ndate: 2024-05-02\n---\n\n" + body)},
	}
	r, site := newRenderer(t, fsys)
	if _, err := r.Build(site, NewMemOutput(nil)); err != nil {
		return err.Error()
	}
	return ""
}

// nestedList is a list nested depth deep, each item indented under the
// one before.
func nestedList(depth int, marker string) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat(" ", i*(len(marker)+1)) + marker + " item\n")
	}
	return b.String()
}

func TestMarkdownLimits(t *testing.T) {
	deep := "content/posts/p.md:%d: lists and block quotes nested more than 100 deep"
	links := "content/posts/p.md:6: too many unclosed link destinations on one line"
	tests := []struct {
		name, body string
		want       string // the error's start, with %d for a line; "" for none
		line       int
	}{
		{"16 MiB body", strings.Repeat("Some words.\n", MaxBodySize/12-1), "", 0},
		{"16 MiB and a byte", strings.Repeat("x", MaxBodySize-4) + "\n\n\n\n\n", "content/posts/p.md:1: the body is 16777222 bytes, more than the 16777216 (16 MiB) a page may have", 0},
		{"a million marks", strings.Repeat("[<*_`&\\!a ", 1_000_000/8) + "\n", "", 0},
		{"a million and one marks", strings.Repeat("[<*_`&\\!a ", 1_000_000/8) + "x\n\n<", "content/posts/p.md:8: more than 1000000 of the characters that start inline syntax", 0},
		{"marks in a listing", "```\n" + strings.Repeat("[[[[[[[[\n", 200_000) + "```\n", "", 0},
		{"list 100 deep", nestedList(100, "-"), "", 0},
		{"list 101 deep", nestedList(101, "-"), deep, 106},
		{"list 2000 deep", nestedList(2000, "-"), deep, 106},
		// Three columns a level count one and a half: item 68, at line
		// 73, is counted 1 + 67×3/2 = 101 deep.
		{"ordered list", nestedList(101, "1."), deep, 73},
		// A tab is four columns, two levels: item 51, at line 58, is
		// counted 1 + 50×4/2 = 101 deep.
		{"tab-indented list", "text\n\n" + nestedListTabs(60), deep, 58},
		{"quote 100 deep", strings.Repeat(">", 100) + " a\n", "", 0},
		{"quote 101 deep", "a\n\n" + strings.Repeat(">", 101) + " a\n", deep, 8},
		{"quotes and lists", strings.Repeat("> - ", 51) + "a\n", deep, 6},
		{"one line of markers", strings.Repeat("- ", 101) + "a\n", deep, 6},
		{"thematic break", strings.Repeat("- ", 500) + "\n", "", 0},
		{"deep indentation in a fence", "```yaml\n" + strings.Repeat(" ", 1000) + "- a\n```\n", "", 0},
		{"deep indentation in a tilde fence", "~~~~\n```\n" + strings.Repeat(" ", 1000) + "> a\n~~~~\n", "", 0},
		{"deep indentation after a fence", "```\nx\n```\n" + nestedList(101, "*"), deep, 109},
		// A list item's fence ends with the item.
		{"deep list after a list item's fence", "- a\n  ```\n" + nestedList(101, "-"), deep, 108},
		{"deep list in a list item's fence", "- a\n  ```\n" + strings.Repeat(" ", 2) + nestedList(101, "-"), "", 0},
		// A fence in an HTML block is its text; the fence's lines are
		// checked where an HTML block may be open.
		{"deep list after a comment's fence", "<!--\n```\n-->\n" + nestedList(101, "-"), deep, 109},
		{"deep list after a div's fence", "<div>\n```\n\n" + nestedList(101, "-"), deep, 109},
		{"deep list after a list item's pre", "- <pre>\n  ```\n  </pre>\n" + nestedList(101, "  -"), deep, 59},
		{"deep indentation in a fence after HTML", "<p>a</p>\n\n```yaml\n" + strings.Repeat(" ", 1000) + "- a\n```\n", "", 0},
		{"indented code", strings.Repeat(" ", 1000) + "a\n", "", 0},
		{"glued links", strings.Repeat("[a](/b)", 5000) + "\n", "", 0},
		{"links with spaces", strings.Repeat("[a]( ", 5000) + "\n", "", 0},
		{"unclosed destinations", strings.Repeat("[a](b", 10000) + "\n", links, 0},
		{"unclosed image destinations", strings.Repeat("![a](", 10000) + "\n", links, 0},
		{"unclosed angle destinations", strings.Repeat("[a](<", 10000) + "\n", links, 0},
		{"nested parentheses", strings.Repeat("[a](((", 10000) + "\n", links, 0},
		{"long paragraph of links", "a\n\n" + strings.Repeat("[a]: /u\n[a]\n", 20000), "content/posts/p.md:8: paragraph of 40000 lines holds 40000 \"]\"", 0},
		{"long paragraphs of links, apart", strings.Repeat("[a]: /u\n[a]\n\n", 20000), "", 0},
		// A list's items, a table's cells, headings are paragraphs of
		// their own: long lists and tables of links are no paragraph.
		{"20000-item list of links", linkList(20000, "- "), "", 0},
		{"20000-item ordered list of links", linkList(20000, "1. "), "", 0},
		{"nested list of links", "- Blogs\n" + linkList(20000, "  - "), "", 0},
		{"list of links in a quote", linkList(20000, "> - "), "", 0},
		{"list of references", strings.Repeat("[a]: /u\n", 1) + strings.Repeat("- [a]\n", 40000), "", 0},
		{"headings of links", linkList(20000, "## "), "", 0},
		{"table of links", "| a | b |\n| - | - |\n" + strings.Repeat("| [a](/x) | [b](/y) |\n", 20000), "", 0},
		// Lines that open no block continue the paragraph before them,
		// a list item's or a quote's.
		{"paragraph of links after a list", linkList(100, "- ") + "- a\n" + strings.Repeat("[a]: /u\n[a]\n", 20000), "content/posts/p.md:106: paragraph of 40001 lines holds 40000 \"]\"", 0},
		{"paragraph of links in a quote", "a\n\n" + strings.Repeat("> [a]: /u\n> [a]\n", 20000), "content/posts/p.md:8: paragraph of 40000 lines holds 40000 \"]\"", 0},
		{"lazy paragraph of links in a quote", linkList(100, "- ") + "> x\n" + strings.Repeat("[a]: /u\n[a]\n", 20000), "content/posts/p.md:106: paragraph of 40001 lines holds 40000 \"]\"", 0},
		{"indented markers continue a paragraph", "# T\na\n" + strings.Repeat("    - [a]\n", 40000), "content/posts/p.md:7: paragraph of 40001 lines holds 40000 \"]\"", 0},
		// goldmark takes link reference definitions out of a paragraph
		// in time the definitions times its lines.
		{"20000 link reference definitions", linkList(100, "- ") + "# T\n" + refDefs(20000), "content/posts/p.md:107: paragraph of 20000 lines holds 20000 \"]\"", 0},
		{"link reference definitions apart", refDefs(20000) + "\n" + refDefs(20000), "content/posts/p.md:6: paragraph of 20000 lines holds 20000 \"]\"", 0},
		{"lines that start with brackets", strings.Repeat("[a]\n", 100) + strings.Repeat("[a\n", 100000), "", 0},
		// A long line after the paragraph is no part of its length.
		{"paragraph of links and a long list item", strings.Repeat("[a]\n", 40000) + "- " + strings.Repeat("x", 7<<20) + "\n", "content/posts/p.md:6: paragraph of 40000 lines holds 40000 \"]\"", 0},
		{"long fenced code of brackets", "```\n" + strings.Repeat("[a]\n", 40000) + "```\n", "", 0},
		{"2000 footnotes", footnotes(1000), "", 0},
		{"2001 footnotes", footnotes(1000) + "x[^a]\n", "content/posts/p.md:4006: more than 2000 footnote references and definitions", 0},
		{"20000 listings", strings.Repeat("```zz\nx\n```\n", 20000), "", 0},
		{"20001 listings", strings.Repeat("```zz\nx\n```\n", 20001), "content/posts/p.md:60006: more than 20000 code listings", 0},
		{"a million quotes", strings.Repeat(">>>>>>>>>> a\n\n", 100000), "", 0},
		{"a million quotes and one", strings.Repeat(">>>>>>>>>> a\n\n", 100000) + "- a\n", "content/posts/p.md:200006: more than 1000000 list items and block quotes", 0},
		{"footnotes in code", "```\n" + footnotes(3000) + "```\n", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := limitsBuildErr(t, tt.body)
			want := tt.want
			if strings.Contains(want, "%d") {
				want = fmt.Sprintf(want, tt.line)
			}
			switch {
			case want == "" && got != "":
				t.Errorf("build failed: %s", got)
			case want != "" && !strings.HasPrefix(got, want):
				t.Errorf("error %q, want %q…", got, want)
			}
		})
	}
}

// linkList is n lines of links, each after prefix.
func linkList(n int, prefix string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s[Bookmark number %d](https://example.com/%d)\n", prefix, i, i)
	}
	return b.String()
}

// refDefs is n link reference definitions.
func refDefs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[r%d]: https://example.com/%d \"Title %d\"\n", i, i, i)
	}
	return b.String()
}

// footnotes is n footnote references and their definitions, four lines
// each.
func footnotes(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "x[^%d]\n\n[^%d]: note\n\n", i, i)
	}
	return b.String()
}

func nestedListTabs(depth int) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat("\t", i) + "- item\n")
	}
	return b.String()
}

// TestLinkScanCost: linkScanCost, in one pass, sums what a scan from each
// "](" reads, as goldmark's parseLinkDestination reads it, on random
// lines.
func TestLinkScanCost(t *testing.T) {
	alphabet := []byte("]]((()) <>\\a")
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		line := make([]byte, r.IntN(24))
		for i := range line {
			line[i] = alphabet[r.IntN(len(alphabet))]
		}
		if got, want := linkScanCost(line), scanCostSlow(line); got != want {
			t.Fatalf("linkScanCost(%q) = %d, want %d", line, got, want)
		}
	}
}

// scanCostSlow reads from each "](" as parseLinkDestination does.
func scanCostSlow(line []byte) int {
	cost := 0
	for s := 2; s <= len(line); s++ {
		if line[s-2] != ']' || line[s-1] != '(' {
			continue
		}
		k := s
		if k < len(line) && line[k] == '<' {
			for k < len(line) && line[k] != '>' {
				k++
			}
			cost += k - s
			continue
		}
		open := 0
	scan:
		for k < len(line) {
			switch c := line[k]; {
			case c == '\\' && k+1 < len(line) && line[k+1] != ' ':
				k += 2
				continue
			case c == '(':
				open++
			case c == ')':
				open--
				if open < 0 {
					break scan
				}
			case c == ' ' || c == '\t' || c == '\r':
				break scan
			}
			k++
		}
		cost += min(k, len(line)) - s
	}
	return cost
}

// TestTemplateOutputLimit: a page's Liquid or Go template that writes
// more than expand.OutputLimit stops there, with a warning at the file
// and line, and its tags are left out.
func TestTemplateOutputLimit(t *testing.T) {
	tests := []struct {
		name, frontMatter, body, want string
	}{
		{"liquid loops", "liquid: true", "Before.\n\n{% for i in (1..100) %}{% for j in (1..1000) %}" + strings.Repeat("x", 1000) + "{% endfor %}{% endfor %}\n",
			"content/posts/p.md:8: Liquid: the template writes more than 8392952 bytes; every Liquid tag and variable of the page left out"},
		{"go template loops", "template: true", "Before.\n\n{{range 100}}{{range 1000}}" + strings.Repeat("x", 1000) + "{{end}}{{end}}\n",
			"content/posts/p.md:6: Go template not run: output limit reached: the template writes more than 8392832 bytes; its {{…}} actions are left out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"site.toml":          {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n")},
				"content/posts/p.md": {Data: []byte("---\ntitle: P\ndate: 2024-05-02\n" + tt.frontMatter + "\n---\n" + tt.body)},
			}
			out, stats := build(t, fsys, nil)
			var got []string
			for _, w := range stats.Warnings {
				got = append(got, w.String())
			}
			checkWarnings(t, got, []string{tt.want})
			page, ok := out.Files()["2024/05/p/index.html"]
			if !ok {
				t.Fatal("no page")
			}
			if len(page) > 1<<20 {
				t.Errorf("the page is %d bytes", len(page))
			}
		})
	}
}
