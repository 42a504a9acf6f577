package render

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/yuin/goldmark/ast"

	"github.com/siteblog/site/internal/fastlex"

	"github.com/siteblog/site/content"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/ with the current output")

// golden compares got with the file at path, or rewrites the file with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update and review the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestMarkdownGolden renders each testdata/markdown/NAME.md and compares the
// HTML with NAME.html. NAME.escape.md and NAME.omit.md are rendered with
// raw_html set so; the others with the default, pass. NAME.raw.md is
// rendered in each mode, to NAME.pass.html, NAME.escape.html and
// NAME.omit.html. NAME.noautolink.md is rendered with [markdown]
// autolink = false.
func TestMarkdownGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/markdown/*.md")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	render := func(t *testing.T, src []byte, mode, goldenPath string) {
		autolink := !strings.HasSuffix(goldenPath, ".noautolink.html")
		md := newMarkdown(&Listings{LineNumbers: true}, mode, autolink)
		out, err := md.Render(&content.Page{Body: src})
		if err != nil {
			t.Fatal(err)
		}
		golden(t, goldenPath, out.Content)
	}
	modes := []string{content.RawHTMLPass, content.RawHTMLEscape, content.RawHTMLOmit}
	for _, path := range cases {
		name := strings.TrimSuffix(filepath.Base(path), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if base, ok := strings.CutSuffix(path, ".raw.md"); ok {
				for _, m := range modes {
					t.Run(m, func(t *testing.T) { render(t, src, m, base+"."+m+".html") })
				}
				return
			}
			mode := content.RawHTMLPass
			for _, m := range modes {
				if strings.HasSuffix(name, "."+m) {
					mode = m
				}
			}
			render(t, src, mode, strings.TrimSuffix(path, ".md")+".html")
		})
	}
}

func TestSummary(t *testing.T) {
	md := NewMarkdown(&Listings{LineNumbers: true}, content.RawHTMLPass)
	tests := []struct {
		name          string
		body, summary string
		want          string
	}{
		{"first paragraph", "# Title\n\nFirst *para*.\n\nSecond.\n", "", "<p>First <em>para</em>.</p>\n"},
		{"given", "First.\n", "Given **summary**.", "<p>Given <strong>summary</strong>.</p>\n"},
		{"given headings have no ids", "x", "## Intro\n\nText.", "<h2>Intro</h2>\n<p>Text.</p>\n"},
		{"given listings have no anchors", "x", "```go\nx := 1\n```", "<figure class=\"listing\">\n<figcaption class=\"listing-lang\">go</figcaption>\n<pre class=\"chroma\" tabindex=\"0\" role=\"group\" aria-label=\"Code listing, go\" data-digits=\"1\"><code class=\"language-go\" data-lang=\"go\"><span class=\"line\"><a class=\"ln\" data-n=\"1\" aria-hidden=\"true\" tabindex=\"-1\"></a><span class=\"cl\"><span class=\"nx\">x</span> <span class=\"o\">:=</span> <span class=\"mi\">1</span>\n</span></span></code></pre>\n</figure>\n"},
		{"no paragraph", "```\ncode\n```\n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pg := &content.Page{Body: []byte(tt.body)}
			if tt.summary != "" {
				pg.SummarySource = []byte(tt.summary)
			}
			out, err := md.Render(pg)
			if err != nil {
				t.Fatal(err)
			}
			if string(out.Summary) != tt.want {
				t.Errorf("summary = %q\nwant      %q", out.Summary, tt.want)
			}
		})
	}
}

func TestParseInfo(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		in   string
		want Info
	}{
		{"", Info{LineNoStart: 1}},
		{"go", Info{Language: "go", LineNoStart: 1}},
		{`go {hl_lines=[2,"4-6"], linenostart=10}`, Info{Language: "go", Highlight: [][2]int{{2, 2}, {4, 6}}, LineNoStart: 10}},
		{`Python {hl_lines=[3]}`, Info{Language: "python", Highlight: [][2]int{{3, 3}}, LineNoStart: 1}},
		{`sh {linenos=false title="run.sh"}`, Info{Language: "sh", LineNoStart: 1, LineNumbers: &no, Title: "run.sh"}},
		{`sh {linenos=true}`, Info{Language: "sh", LineNoStart: 1, LineNumbers: &yes}},
		{`go {hl_lines="3-1"}`, Info{Language: "go", LineNoStart: 1}},
		{`go {broken`, Info{Language: "go", LineNoStart: 1}},
		{"\x00", Info{LineNoStart: 1}},
		{"go\x01x", Info{Language: "go", LineNoStart: 1}},
		{"sh {title=\"run\x7f.sh\"}", Info{Language: "sh", LineNoStart: 1, Title: "run.sh"}},
	}
	for _, tt := range tests {
		got := ParseInfo([]byte(tt.in))
		if got.Language != tt.want.Language || got.LineNoStart != tt.want.LineNoStart || got.Title != tt.want.Title ||
			!equalRanges(got.Highlight, tt.want.Highlight) || (got.LineNumbers == nil) != (tt.want.LineNumbers == nil) ||
			(got.LineNumbers != nil && *got.LineNumbers != *tt.want.LineNumbers) {
			t.Errorf("ParseInfo(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func equalRanges(a, b [][2]int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestStylesheet(t *testing.T) {
	css, err := Stylesheet("github", "github-dark")
	if err != nil {
		t.Fatal(err)
	}
	s := string(css)
	light := strings.Index(s, "@media (prefers-color-scheme: light)")
	dark := strings.Index(s, "@media (prefers-color-scheme: dark)")
	if light != 0 || dark < 0 || !strings.Contains(s[:dark], ".chroma .k ") || !strings.Contains(s[dark:], ".chroma .k ") {
		t.Errorf("stylesheet lacks light rules, then dark rules in a media query:\n%s", s)
	}
	if strings.Contains(s, "style=") {
		t.Error("stylesheet mentions inline styles")
	}
	if _, err := Stylesheet("github", "no-such-style"); err == nil || !strings.Contains(err.Error(), `"no-such-style"`) {
		t.Errorf("unknown style: err = %v", err)
	}
}

// TestLexerAliases checks that a language chroma lacks but Rouge or
// Pygments knows is highlighted with its alias, and keeps its own name.
func TestLexerAliases(t *testing.T) {
	l := &Listings{}
	for lang := range lexerAliases {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		l.Write(w, "{% if x %}{{ y }}{% endif %}\n", Info{Language: lang}, 0)
		_ = w.Flush()
		out := buf.String()
		if !strings.Contains(out, `class="language-`+lang+`"`) {
			t.Errorf("%s: the listing does not keep its language: %s", lang, out)
		}
		if !strings.Contains(out, `<figcaption class="listing-lang">`) {
			t.Errorf("%s: not highlighted (no caption, as for an unknown language): %s", lang, out)
		}
	}
}

// TestWriteEscaped: writeEscaped writes what html.EscapeString returns.
func TestWriteEscaped(t *testing.T) {
	for _, s := range []string{"", "plain", `<a href="x">&amp;'</a>`, "é<中>", "&&", `"`, "x'", ">"} {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		writeEscaped(w, s)
		w.Flush()
		if got, want := b.String(), html.EscapeString(s); got != want {
			t.Errorf("writeEscaped(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestSplitLines holds splitLines equal to chroma's SplitTokensIntoLines
// over random tokens: empty ones, newlines alone, at either end or inside
// a token, several in a row, and real listings lexed; in an array of its
// own or one used before.
func TestSplitLines(t *testing.T) {
	pieces := []string{"", "a", "\n", "ab\ncd", "\n\n", "x\n", "\ny", "é\n\nz", "  "}
	rng := rand.New(rand.NewPCG(13, 14))
	// The array of the last call, its tokens left in it, is used again,
	// as a listing's is after the one before it; now and then none is
	// given.
	var reused []chroma.Token
	check := func(tokens []chroma.Token, n int) {
		t.Helper()
		i := 0
		it := func() chroma.Token {
			if i == len(tokens) {
				return chroma.EOF
			}
			i++
			return tokens[i-1]
		}
		if rng.IntN(4) == 0 {
			reused = nil
		}
		var got [][]chroma.Token
		got, reused = splitLines(it, n, reused)
		want := chroma.SplitTokensIntoLines(tokens)
		if len(got) != len(want) || len(want) > 0 && !reflect.DeepEqual(got, want) {
			t.Fatalf("splitLines(%q) = %q, chroma gives %q", tokens, got, want)
		}
	}
	for range 20000 {
		var tokens []chroma.Token
		n := 0
		for range rng.IntN(8) {
			v := pieces[rng.IntN(len(pieces))]
			types := []chroma.TokenType{chroma.Text, chroma.Keyword, chroma.Comment} // never EOFType: an empty one is chroma.EOF
			tokens = append(tokens, chroma.Token{Type: types[rng.IntN(len(types))], Value: v})
			n += len(v)
		}
		check(tokens, n)
	}
	for _, code := range []string{"package main\n\nfunc main() {\n\tprintln(\"hi\")\n}\n", "a = 1\nb = 2", "\n\n\n"} {
		it, err := chroma.Coalesce(fastlex.Get("go")).Tokenise(nil, code)
		if err != nil {
			t.Fatal(err)
		}
		check(it.Tokens(), len(code))
	}
}

// TestReleaseListings checks that once a document is rendered, the token
// arrays of its listings, at the top and inside a list and a quote, are
// emptied and given back: a pooled array keeps no listing's text alive.
// A page rendered in both forms, its summary too, gives back every array
// it took.
func TestReleaseListings(t *testing.T) {
	md := NewMarkdown(&Listings{}, content.RawHTMLPass)
	before := listingArrays.Load()
	page, feed, _, err := md.renderBoth(&content.Page{
		Body:          []byte("```go\npackage a\n```\n\n- item\n\n  ```sh\n  ls\n  ```\n"),
		SummarySource: []byte("Summed up:\n\n```python\nc = 2\n```\n"),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Rendered{page, feed} {
		if !strings.Contains(string(r.Content), `<span class="kn">package</span>`) || !strings.Contains(string(r.Summary), `<span class="mi">2</span>`) {
			t.Fatalf("listings not highlighted:\n%s\n%s", r.Content, r.Summary)
		}
	}
	if n := listingArrays.Load() - before; n != 0 {
		t.Errorf("rendering a page in both forms kept %d token arrays, want 0", n)
	}

	src := []byte("```go\npackage a\n```\n\n- item\n\n  ```go\n  var b = 1\n  ```\n\n> ```python\n> c = 2\n> ```\n\nText with `code`.\n")
	doc := md.parse(src)
	if err := md.page.md.Renderer().Render(bufferWriter{&bytes.Buffer{}}, src, doc); err != nil {
		t.Fatal(err)
	}
	type held struct {
		l      *lexed
		tokens []chroma.Token
	}
	var listings []held
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if v, ok := n.AttributeString(string(listingTokens)); ok && entering {
			l := v.(*lexed)
			listings = append(listings, held{l, *l.array})
		}
		return ast.WalkContinue, nil
	})
	if len(listings) != 3 {
		t.Fatalf("%d listings lexed, want 3", len(listings))
	}
	releaseListings(doc)
	for i, h := range listings {
		if h.l.array != nil || h.l.lines != nil {
			t.Errorf("listing %d: still holds its tokens after releaseListings", i)
		}
		for _, tok := range h.tokens {
			if tok != (chroma.Token{}) {
				t.Errorf("listing %d: token %q left in its array", i, tok.Value)
				break
			}
		}
	}
}

// TestListingsLexedAtOnce lexes listings of Raku, whose lexer writes its
// own rules as it lexes (fastlex.WritesRules), from several goroutines,
// as a build renders posts: each of these, whose constructs all close,
// must come out as lexed alone. Without the lock, about a fifth of them
// came out lexed with another listing's rules.
func TestListingsLexedAtOnce(t *testing.T) {
	listings := []string{
		"my $x ~~ s/foo/bar/;\nsay 'a';\n$y ~~ tr/a..z/A..Z/;\n",
		"my $s = q{abc};\n$t ~~ s{a}{b};\nsay m<x+>;\n",
		"rule name { <ident>+ }\nsay $/.Str ~~ m:g/\\d+/;\n",
	}
	alone := make([]string, len(listings))
	for i, code := range listings {
		lines, _, _ := tokenLines(code, "raku", nil)
		alone[i] = fmt.Sprint(lines)
	}
	var wg sync.WaitGroup
	var differ atomic.Int64
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 300 {
				i := (g + j) % len(listings)
				if lines, _, _ := tokenLines(listings[i], "raku", nil); fmt.Sprint(lines) != alone[i] {
					differ.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := differ.Load(); n > 0 {
		t.Errorf("%d of 2400 Raku listings lexed at the same time as others came out otherwise than lexed alone", n)
	}
}
