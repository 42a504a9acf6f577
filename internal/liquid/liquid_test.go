package liquid

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/render"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
)

func TestWants(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name   string
		body   string
		params map[string]any
		liquid *bool
		want   bool
	}{
		{"plain prose", "Just text, 50% off {and} {{braces}}.", nil, nil, false},
		{"a tag", "{% highlight go %}\nx\n{% endhighlight %}", nil, nil, true},
		{"a trimmed tag", "{%- raw -%}x{%- endraw -%}", nil, nil, true},
		{"a site variable", "Repo: {{ site.repository }}", nil, nil, true},
		{"a trimmed page variable", "{{-page.title-}}", nil, nil, true},
		{"a site variable in a fenced block, as Jekyll", "```\n{{ site.url }}\n```", nil, nil, true},
		{"another variable alone", "{{ title }}", nil, nil, false},
		{"Hugo shortcode", "{{< figure src=\"a.jpg\" >}}", nil, nil, false},
		{"Hugo markdown shortcode", "{{% note %}}x{{% /note %}}", nil, nil, false},
		{"Go template page", "{{code \"a.go\" `/start/` `/end/`}}", map[string]any{"template": true}, nil, false},
		{"Go template page with a site variable", "{{ site.x }}", map[string]any{"template": true}, nil, false},
		{"a tag without end", "{% photo", nil, nil, false},
		{"Zola body shortcode", "{% note(kind=\"info\") %}\nBody\n{% end %}", nil, nil, false},
		{"Zola body shortcode, spaced", "{%note (kind='a')%}x{%end%}", nil, nil, false},
		{"Zola body shortcode, then a Liquid tag", "{% note() %}x{% end %} {% raw %}y{% endraw %}", nil, nil, true},
		{"Zola escaped shortcode", "{%/* note() */%}x{%/* end */%}", nil, nil, false},
		{"opt out", "{% raw %}x{% endraw %}", map[string]any{"liquid": false}, nil, false},
		{"opt out as a string", "{{ site.x }}", map[string]any{"liquid": "false"}, nil, false},
		{"site says yes", "{{ title }}", nil, &yes, true},
		{"site says yes, nothing to do", "no braces", nil, &yes, false},
		{"site says yes, page opts out", "{{ title }}", map[string]any{"liquid": false}, &yes, false},
		{"site says no", "{% raw %}x{% endraw %}", nil, &no, false},
		{"site says no, page opts in", "{{ title }}", map[string]any{"liquid": true}, &no, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := &content.Page{Meta: content.Meta{Params: tt.params}}
			cfg := &content.Config{Liquid: tt.liquid}
			if got := Wants([]byte(tt.body), page, cfg); got != tt.want {
				t.Errorf("Wants(%q) = %v, want %v", tt.body, got, tt.want)
			}
		})
	}
}

// filterSite is a site for the filter tests, at a base path.
var filterSite = map[string]string{
	"site.toml":                     "title = \"T\"\nbase_url = \"https://example.org/blog/\"\n",
	"content/posts/2016-07-26-a.md": "---\ntitle: A\ndate: 2016-07-26 09:05:00 +1000\n---\n{{ x }}\n",
	"content/posts/2017-01-02-b.md": "---\ntitle: B\ntags: [go]\n---\nB\n",
}

// expandString expands body as the page content/posts/2016-07-26-a.md.
func expandString(t *testing.T, files map[string]string, body string) *expand.Doc {
	t.Helper()
	env := newFakeEnv(t, files, "content/posts/2016-07-26-a.md")
	doc := &expand.Doc{Src: []byte(body)}
	newExpander(doc, env).run()
	return doc
}

func TestFilters(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{{ "/a b/é" | relative_url }}`, "/blog/a%20b/%C3%A9"},
		{`{{ "a" | relative_url }}`, "/blog/a"},
		{`{{ "https://x.org/a" | relative_url }}`, "https://x.org/a"},
		{`{{ "/a/" | absolute_url }}`, "https://example.org/blog/a/"},
		{`{{ page.url | absolute_url }}`, "https://example.org/blog/2016/07/a/"},
		{`{{ "/a/index.html" | strip_index }}`, "/a/"},
		{`{{ page.date | date_to_xmlschema }}`, "2016-07-26T09:05:00+10:00"},
		{`{{ page.date | date_to_rfc822 }}`, "Tue, 26 Jul 2016 09:05:00 +1000"},
		{`{{ page.date | date_to_string }}`, "26 Jul 2016"},
		{`{{ "2008-11-07" | date_to_string: "ordinal" }}`, "7th Nov 2008"},
		{`{{ "2008-11-01" | date_to_string: "ordinal", "US" }}`, "Nov 1st, 2008"},
		{`{{ "2008-11-12" | date_to_long_string: "ordinal" }}`, "12th November 2008"},
		{`{{ "2008-11-03" | date_to_long_string }}`, "03 November 2008"},
		{`{{ "" | date_to_string }}`, ""},
		{`{{ page.date | date: "%b %-d, %Y" }}`, "Jul 26, 2016"},
		{`{{ 'foo "bar" <baz> & q' | xml_escape }}`, "foo &quot;bar&quot; &lt;baz&gt; &amp; q"},
		{`{{ "foo,bar;baz? é" | cgi_escape }}`, "foo%2Cbar%3Bbaz%3F+%C3%A9"},
		{`{{ "foo, bar \baz?" | uri_escape }}`, "foo,%20bar%20%5Cbaz?"},
		{`{{ "a%20b c" | uri_escape }}`, "a%20b%20c"},
		{"{% capture s %}  a \n\t b  {% endcapture %}{{ s | normalize_whitespace }}", "a b"},
		{`{{ "one two  three" | number_of_words }}`, "3"},
		{`{{ "hello 你好" | number_of_words: "cjk" }}`, "3"},
		{`{{ "hello 你好" | number_of_words: "auto" }}`, "3"},
		{`{{ "hello 你好" | number_of_words }}`, "2"},
		{`{{ "a,b,c" | split: "," | array_to_sentence_string }}`, "a, b, and c"},
		{`{{ "a,b" | split: "," | array_to_sentence_string: "or" }}`, "a or b"},
		{`{{ "a" | split: "," | array_to_sentence_string }}`, "a"},
		{`{{ "**x**" | markdownify }}`, "<md>**x**</md>"},
		{`{{ site.posts | map: "title" | jsonify }}`, `["B","A"]`},
		{`{{ "<a>" | jsonify }}`, `"<a>"`},
		{`{{ "The _config.yml file" | slugify }}`, "the-config-yml-file"},
		{`{{ "The _config.yml file" | slugify: "pretty" }}`, "the-_config.yml-file"},
		{`{{ "The _cönfig.yml file" | slugify: "ascii" }}`, "the-c-nfig-yml-file"},
		{`{{ "The _cönfig.yml file" | slugify: "latin" }}`, "the-config-yml-file"},
		{`{{ "The  file" | slugify: "raw" }}`, "the-file"},
		{`{{ "Ünïcode Tïtle" | slugify }}`, "ünïcode-tïtle"},
		{`{% capture s %}He said "hi" -- it's...{% endcapture %}{{ s | smartify }}`, "He said “hi” – it’s…"},
		{`{{ site.posts | where: "title", "A" | map: "url" | first }}`, "/2016/07/a/"},
		{`{{ site.posts | where: "tags", "go" | size }}`, "1"},
		{`{{ site.posts | where_exp: "p", "p.title == 'B'" | map: "title" | first }}`, "B"},
		{`{% assign p = site.posts | find: "title", "B" %}{{ p.title }}`, "B"},
		{`{% assign p = site.posts | find_exp: "p", "p.title contains 'A'" %}{{ p.title }}`, "A"},
		{`{% assign g = site.posts | group_by: "title" %}{% for x in g %}{{ x.name }}={{ x.size }};{% endfor %}`, "B=1;A=1;"},
		{`{% assign g = site.posts | group_by_exp: "p", "p.title | downcase" %}{{ g | map: "name" | join: "," }}`, "b,a"},
		{`{{ site.posts | sort: "title" | map: "title" | join: "," }}`, "A,B"},
		{`{{ site.posts | sort: "date" | map: "title" | join: "," }}`, "A,B"},
		{`{{ site.posts | sort: "nothing", "last" | size }}`, "2"},
		{`{{ "c,a,b" | split: "," | sort | join }}`, "a b c"},
		{`{% assign a = "x" | split: "," | sample %}{{ a }}`, "x"},
		{`{{ "a,b" | split: "," | push: "c" | join }}`, "a b c"},
		{`{{ "a,b" | split: "," | unshift: "c" | join }}`, "c a b"},
		{`{{ "a,b,c" | split: "," | pop | join }}`, "a b"},
		{`{{ "a,b,c" | split: "," | shift: 2 | join }}`, "c"},
		{`{{ "12abc" | to_integer | plus: 1 }}`, "13"},
		{`{{ true | to_integer }}`, "1"},
		{`{{ 3 | at_least: 5 }} {{ 3 | at_most: 5 }}`, "5 3"},
		{`{{ "<p>x</p>" | strip_html }}`, "x"},
		{`{{ nil | relative_url }}|`, "|"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			doc := expandString(t, filterSite, tt.in)
			if got := string(doc.Src); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if len(doc.Warnings) > 0 {
				t.Errorf("warnings: %v", doc.Warnings)
			}
		})
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		in    string
		pos   []string
		named map[string]string
	}{
		{`a.jpg "A caption"`, []string{"a.jpg", "A caption"}, nil},
		{`'single \'q\''`, []string{"single 'q'"}, nil},
		{`width=300 alt="The alt" title:"T" class: wide`, nil, map[string]string{"width": "300", "alt": "The alt", "title": "T", "class": "wide"}},
		{`https://x.org/a?b=c`, []string{"https://x.org/a?b=c"}, nil},
		{`x.jpg?a=b`, []string{"x.jpg?a=b"}, nil},
		{"", nil, nil},
	}
	for _, tt := range tests {
		pos, named := parseArgs(tt.in)
		if !reflect.DeepEqual(pos, tt.pos) || !reflect.DeepEqual(named, tt.named) {
			t.Errorf("parseArgs(%q) = %q %q, want %q %q", tt.in, pos, named, tt.pos, tt.named)
		}
	}
}

func TestHighlightInfo(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ruby", "ruby", true},
		{"Ruby linenos", "ruby {linenos=true}", true},
		{`go linenos=table hl_lines="2 3"`, "go {linenos=true, hl_lines=[2,3]}", true},
		{`c++ mark_lines="4"`, "c++ {hl_lines=[4]}", true},
		{"sh linenostart=10", "sh {linenostart=10}", true},
		{"html+erb cssclass=x", "html+erb", true},
		{"go hl_lines=2-3", "go", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := highlightInfo(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("highlightInfo(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestLinesKept checks that text after multi-line tags stays on its line
// of the file, so later warnings name the right line.
func TestLinesKept(t *testing.T) {
	files := map[string]string{
		"site.toml":                     filterSite["site.toml"],
		"content/posts/2016-07-26-a.md": "---\ntitle: A\n---\nx\n",
		"shortcodes/note":               "<div>{{.Inner}}</div>",
		"shortcodes/em":                 "<em>{{.Inner}}</em>",
	}
	body := "a\n{% highlight go %}\n1\n2\n{% endhighlight %}\nb\n{% raw %}\n{{ x }}\n{% endraw %}\nc\n{% note %}\nin\nside\n{% endnote %}\nd\n{% em %}x{% endem %}\ne\n"
	doc := expandString(t, files, body)
	out := string(doc.Src)
	for _, word := range []string{"b", "c", "d", "e"} {
		if got, want := lineOfWord(out, word), lineOfWord(body, word); got != want {
			t.Errorf("%q on line %d, want %d\n%s", word, got, want, out)
		}
	}
}

func lineOfWord(s, word string) int {
	for i, l := range strings.Split(s, "\n") {
		if l == word {
			return i + 1
		}
	}
	return -1
}

// TestOptOut checks a page with liquid: false is left as it is.
func TestOptOut(t *testing.T) {
	body := "{{ site.title }} {% raw %}x{% endraw %}"
	files := map[string]string{
		"site.toml":                     filterSite["site.toml"] + "liquid = true\n",
		"content/posts/2016-07-26-a.md": "---\ntitle: A\nliquid: false\n---\n" + body,
	}
	env := newFakeEnv(t, files, "content/posts/2016-07-26-a.md")
	doc := &expand.Doc{Src: []byte(body)}
	Expand(doc, env)
	if string(doc.Src) != body || len(doc.Warnings) > 0 {
		t.Errorf("got %q %v, want the body unchanged", doc.Src, doc.Warnings)
	}
}

// TestFallback checks that a page whose errors cannot be isolated keeps
// its text, raw blocks included, with every Liquid construct left out.
func TestFallback(t *testing.T) {
	src := "a {{ x }} b\n{% if %}{% comment %}gone{% endcomment %}{% raw %}{{ kept }}{% endraw %}\nc"
	if got, want := stripLiquid(src), "a  b\n{{ kept }}\nc"; got != want {
		t.Errorf("stripLiquid = %q, want %q", got, want)
	}
}

// TestConcurrent expands the pages of one site at once, as a build does.
func TestConcurrent(t *testing.T) {
	env := newFakeEnv(t, filterSite, "content/posts/2016-07-26-a.md")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc := &expand.Doc{Src: []byte(`{{ site.posts | map: "title" | join: "," }} {% highlight go %}x{% endhighlight %}`)}
			Expand(doc, env)
			if got := show(doc); got != "B,A \n⟦<listing info=\"go\">x</listing>⟧\n" {
				t.Errorf("got %q", got)
			}
		}()
	}
	wg.Wait()
}

// The tests below pin behaviour of github.com/osteele/liquid this package
// relies on; each fails the day the library changes it.

// TestEngineErrors: errors carry the line of the file (counted from the
// location's line) and read "Liquid error (line N): MESSAGE in PATH".
func TestEngineErrors(t *testing.T) {
	e := liquid.NewEngine()
	_, err := e.ParseTemplateLocation([]byte("a\n\n{{ x | nofilter }}"), "p.md", 1)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	tpl, _ := e.ParseTemplateLocation([]byte("a\n\n{% if true %}\n{{ x | nofilter }}{% endif %}"), "p.md", 1)
	_, err = tpl.Render(nil)
	if err == nil || err.LineNumber() != 4 || err.Error() != `Liquid error (line 4): undefined filter "nofilter" in p.md` {
		t.Errorf("render error %v (line %d); want line 4, the filter, the path", err, err.LineNumber())
	}
	_, err = e.ParseTemplateLocation([]byte("x\n{% nosuchtag %}"), "p.md", 1)
	if err == nil || err.LineNumber() != 2 || !strings.Contains(err.Error(), `undefined tag "nosuchtag"`) {
		t.Errorf("parse error %v; want undefined tag on line 2", err)
	}
}

// TestKnownTags: every tag the rewriting of unknown tags takes as known
// is defined by the engine.
func TestKnownTags(t *testing.T) {
	env := newFakeEnv(t, filterSite, "content/posts/2016-07-26-a.md")
	e := newExpander(&expand.Doc{}, env).engine
	for name := range knownTags {
		_, err := e.ParseString("{% " + name + " %}")
		if err != nil && strings.Contains(err.Error(), "undefined tag") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestTagLine: a tag learns its line from the location of an error it
// makes, inside blocks too.
func TestTagLine(t *testing.T) {
	e := liquid.NewEngine()
	var lines []int
	e.RegisterTag("where", func(ctx render.Context) (string, error) {
		lines = append(lines, lineOf(ctx))
		return "", nil
	})
	e.RegisterBlock("blk", func(ctx render.Context) (string, error) {
		lines = append(lines, lineOf(ctx))
		return ctx.InnerString()
	})
	tpl, err := e.ParseTemplateLocation([]byte("\n{% where %}\n{% if true %}\n\n{% blk %}\n{% where %}{% endblk %}{% endif %}"), "p.md", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Render(nil); err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 5, 6}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines %v, want %v", lines, want)
	}
}

// BenchmarkExpand measures one post with a few tags, variables and filters.
func BenchmarkExpand(b *testing.B) {
	t := &testing.T{}
	env := newFakeEnv(t, filterSite, "content/posts/2016-07-26-a.md")
	body := []byte("Title {{ page.title }} on {{ page.date | date_to_string }}.\n\n{% highlight go %}\nx := 1\n{% endhighlight %}\n\n[B]({% post_url 2017-01-02-b %}) {{ site.posts | size }}\n")
	for b.Loop() {
		Expand(&expand.Doc{Src: body}, env)
	}
}

// panicEnv is an environment whose listings fail badly.
type panicEnv struct{ *fakeEnv }

func (panicEnv) Listing(code, info string) string { panic("listing broke") }

// TestUnlocatedError checks that an error the engine cannot place leaves
// the page with its text and no Liquid, and says why.
func TestUnlocatedError(t *testing.T) {
	env := newFakeEnv(t, filterSite, "content/posts/2016-07-26-a.md")
	doc := &expand.Doc{Src: []byte("Hello {{ page.title }}.\n{% raw %}{{ kept }}{% endraw %}\n{% highlight go %}\nx\n{% endhighlight %}\nEnd.\n")}
	Expand(doc, panicEnv{env})
	if got, want := string(doc.Src), "Hello .\n{{ kept }}\n\nx\n\nEnd.\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := warnings(doc), "1: Liquid: listing broke; every Liquid tag and variable of the page left out\n"; got != want {
		t.Errorf("warnings %q, want %q", got, want)
	}
}

// TestMarkdownInHTMLWhen checks when markdown="1" is read: with liquid =
// true and raw HTML passed, not when the site omits raw HTML, leaves
// Liquid to its default, or the page says liquid: false.
func TestMarkdownInHTMLWhen(t *testing.T) {
	body := "<div markdown=\"1\">\n*x*\n</div>\n"
	tests := []struct {
		name, site, front string
		read              bool
	}{
		{"liquid on", "liquid = true\n", "", true},
		{"raw html passed", "liquid = true\nraw_html = \"pass\"\n", "", true},
		{"raw html omitted", "liquid = true\nraw_html = \"omit\"\n", "", false},
		{"liquid by default", "", "", false},
		{"page opts out", "liquid = true\n", "liquid: false\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{
				"site.toml":                     filterSite["site.toml"] + tt.site,
				"content/posts/2016-07-26-a.md": "---\ntitle: A\n" + tt.front + "---\n" + body,
			}
			env := newFakeEnv(t, files, "content/posts/2016-07-26-a.md")
			doc := &expand.Doc{Src: []byte(body)}
			Expand(doc, env)
			if read := len(doc.HTML) == 1 && doc.HTML[0] == "<div>\n<md>*x*</md>\n</div>"; read != tt.read {
				t.Errorf("got %q %q; want markdown=\"1\" read: %v", doc.Src, doc.HTML, tt.read)
			}
		})
	}
}
