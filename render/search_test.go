package render

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/testenv"
)

func TestSearchWords(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Hello, World!", []string{"hello", "world"}},
		{"max_age = 3600", []string{"max", "age", "max_age", "3600"}},
		{"_private __init__", []string{"private", "init"}},
		{"a__b", []string{"a", "b", "a_b"}},
		{"ca-certificates", []string{"ca", "certificates"}},
		{"Café naïve ÜBERSICHT", []string{"café", "naïve", "übersicht"}},
		{"Cafe\u0301", []string{"café"}}, // NFC
		{"東京都に住む", []string{"東京", "京都", "都に", "に住", "住む"}},
		{"Go语言 x", []string{"go", "语言", "x"}},
		{"中", []string{"中"}},
		{"Привет мир", []string{"привет", "мир"}},
		{strings.Repeat("x", 41) + " ok", []string{"ok"}},
		{"", nil},
	} {
		var got []string
		searchWords(tt.text, func(w string) { got = append(got, w) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("searchWords(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestStemmer(t *testing.T) {
	for _, tt := range []struct {
		lang, word, want string
	}{
		{"en", "certificates", "certif"},
		{"en", "certificate", "certif"},
		{"en", "deploying", "deploy"},
		{"en-GB", "deployed", "deploy"},
		{"en", "the", "the"},
		{"en", "max_age", "max_age"},
		{"en", "3600", "3600"},
		{"en", "東京", "東京"},
		{"fr", "continuellement", "continuel"},
		{"fr_CA", "résumés", "résum"},
		{"es", "corriendo", "corr"},
		{"ru", "книгами", "книг"},
		{"sv", "klokheten", "klok"},
		{"nb", "hus", "hus"},
		{"de", "häuser", "haus"},
		{"de-AT", "zeitungen", "zeitung"},
		{"pt", "certificados", "certific"},
		{"it", "certificati", "certific"},
		{"nl", "certificaten", "certificat"},
		{"el", "πιστοποιητικά", "πιστοποιητικά"}, // no stemmer: the word as written
		{"ja", "東京", "東京"},
	} {
		if got := newStemmer(tt.lang).of(tt.word); got != tt.want {
			t.Errorf("%s: stem of %q = %q, want %q", tt.lang, tt.word, got, tt.want)
		}
	}
}

func TestShardOf(t *testing.T) {
	for _, tt := range []struct{ word, want string }{
		{"certificate", "ce"},
		{"a", "a"},
		{"3600", "36"},
		{"x_y", "x"},
		{"café", "ca"},
		{"ça", "ue7"},
		{"東京", "u6771"},
		{"c語", "c"},
	} {
		if got := shardOf(tt.word); got != tt.want {
			t.Errorf("shardOf(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestEncodeIDsShorter checks on random lists that encodeIDs writes the
// gaps when they are no longer than the bitmap, and the bitmap otherwise.
func TestEncodeIDsShorter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + r.IntN(3000)
		var ids []docID
		p := r.Float64()
		for id := range n {
			if r.Float64() < p*p {
				ids = append(ids, docID(id))
			}
		}
		got := encodeIDs(ids, n)
		var gaps []string
		prev := docID(0)
		for _, id := range ids {
			gaps = append(gaps, strconv.FormatInt(int64(id-prev), 36))
			prev = id
		}
		want := strings.Join(gaps, ",")
		if bitmapLen := 1 + base64.StdEncoding.EncodedLen((n+7)/8); len(want) > bitmapLen {
			if !strings.HasPrefix(got, "~") || len(got) != bitmapLen {
				t.Fatalf("encodeIDs(%d ids, %d) = %.20q… (%d bytes), want a bitmap of %d", len(ids), n, got, len(got), bitmapLen)
			}
		} else if got != want {
			t.Fatalf("encodeIDs(%v, %d) = %q, want %q", ids, n, got, want)
		}
		if back := decodeIDs(t, got); !slices.Equal(back, ids) {
			t.Fatalf("encodeIDs(%d ids, %d) = %.20q…, which decodes to %d ids", len(ids), n, got, len(back))
		}
	}
}

// decodeIDs reads what encodeIDs wrote, as search.js does.
func decodeIDs(t *testing.T, s string) []docID {
	var out []docID
	if rest, ok := strings.CutPrefix(s, "~"); ok {
		bits, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range bits {
			for j := range 8 {
				if c>>j&1 == 1 {
					out = append(out, docID(i*8+j))
				}
			}
		}
		return out
	}
	id := docID(0)
	for _, gap := range strings.Split(s, ",") {
		if gap == "" {
			continue
		}
		n, err := strconv.ParseInt(gap, 36, 64)
		if err != nil {
			t.Fatal(err)
		}
		id += docID(n)
		out = append(out, id)
	}
	return out
}

func TestEncodeIDs(t *testing.T) {
	every := make([]docID, 100)
	for i := range every {
		every[i] = docID(i)
	}
	for _, tt := range []struct {
		ids    []docID
		n      int
		want   string // "" to check only the round trip and the form
		bitmap bool
	}{
		{nil, 10, "", false},
		{[]docID{0}, 10, "0", false},
		{[]docID{3, 4, 14}, 20, "3,1,a", false},
		{[]docID{36, 1332}, 2000, "10,100", false},
		{every, 100, "", true},
		{every[:90:90], 10000, "", false},
		// The bitmap of 48 documents is 1+8 characters: gaps as long
		// stay gaps, one longer is a bitmap.
		{[]docID{0, 1, 2, 3, 4}, 48, "0,1,1,1,1", false},
		{[]docID{0, 1, 2, 3, 4, 5}, 48, "", true},
		// The bitmap of 3 documents is "~" and 4 characters with base64's
		// padding, longer than the gaps.
		{[]docID{0, 1, 2}, 3, "0,1,1", false},
	} {
		got := encodeIDs(tt.ids, tt.n)
		if tt.want != "" && got != tt.want {
			t.Errorf("encodeIDs(%v, %d) = %q, want %q", tt.ids, tt.n, got, tt.want)
		}
		if strings.HasPrefix(got, "~") != tt.bitmap {
			t.Errorf("encodeIDs(%v…, %d) = %.20q…: bitmap %v, want %v", tt.ids[:min(3, len(tt.ids))], tt.n, got, !tt.bitmap, tt.bitmap)
		}
		if back := decodeIDs(t, got); !slices.Equal(back, tt.ids) {
			t.Errorf("encodeIDs(%v, %d) = %q, which decodes to %v", tt.ids, tt.n, got, back)
		}
	}
}

// searchSite is a small site whose posts a query ranks in a known order.
var searchSite = fstest.MapFS{
	"site.toml": {Data: []byte("title = \"Search Test\"\nbase_url = \"https://example.org/blog/\"\n")},
	"content/posts/title.md": {Data: []byte("---\ntitle: Deploying certificates\ndate: 2024-01-01\ntags: [ops]\n---\n\n" +
		"How a server gets its keys.\n")},
	"content/posts/tag.md": {Data: []byte("---\ntitle: Notes on servers\ndate: 2024-02-01\ntags: [certificate, deploy]\n---\n\n" +
		"Nothing here but words: config, max_age.\n")},
	"content/posts/body.md": {Data: []byte("---\ntitle: A long story\ndate: 2024-03-01\n---\n\n" +
		"We deployed a certificate to the server, then another certificate.\n\n```go\nvar max_age = 3600\n```\n")},
	"content/posts/newest.md": {Data: []byte("---\ntitle: Unrelated\ndate: 2024-04-01\n---\n\n" +
		"The deploy went fine. Café au lait.\n")},
	"content/about.md": {Data: []byte("---\ntitle: About certificates\n---\n\nA page, not a post.\n")},
}

// buildSearchSite builds searchSite and writes its search index to a
// directory, returning it.
func buildSearchSite(t *testing.T) string {
	t.Helper()
	out, err := BuildInMemory(searchSite, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range out.Files() {
		if rest, ok := strings.CutPrefix(name, searchIndexDir); ok {
			p := filepath.Join(dir, filepath.FromSlash(rest))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func TestSearchFiles(t *testing.T) {
	out, err := BuildInMemory(searchSite, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var m searchManifest
	if err := json.Unmarshal(out.Files()[searchIndexDir+"manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	if m.Docs != 4 {
		t.Errorf("manifest: %d documents, want the 4 posts", m.Docs)
	}
	for _, s := range m.Shards {
		if _, ok := out.Files()[searchIndexDir+s+".json"]; !ok {
			t.Errorf("manifest lists shard %s, which is not written", s)
		}
	}
	var doc searchDoc
	if err := json.Unmarshal(out.Files()[searchIndexDir+"doc/0.json"], &doc); err != nil {
		t.Fatal(err)
	}
	want := searchDoc{Title: "Deploying certificates", URL: "/blog/2024/01/deploying-certificates/", Date: "1 January 2024",
		ISO: "2024-01-01T00:00:00Z", Tags: []string{"ops"}, Text: "How a server gets its keys."}
	if doc.Title != want.Title || doc.URL != want.URL || doc.Date != want.Date || doc.ISO != want.ISO ||
		!slices.Equal(doc.Tags, want.Tags) || doc.Text != want.Text {
		t.Errorf("doc/0.json (the oldest post) = %+v, want %+v", doc, want)
	}
	if _, ok := out.Files()["search/index.html"]; !ok {
		t.Error("no search page")
	}
	var sh searchShard
	if err := json.Unmarshal(out.Files()[searchIndexDir+"ce.json"], &sh); err != nil {
		t.Fatal(err)
	}
	if sh.Words["certificate"] != sh.Words["certificates"] || sh.Stems[sh.Words["certificate"]][0] != "certif" {
		t.Errorf("ce.json: certificate and certificates do not share the stem certif: %+v", sh)
	}

	off := fstest.MapFS{"site.toml": {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n[search]\nenabled = false\n")}}
	out, err = BuildInMemory(off, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name := range out.Files() {
		if strings.HasPrefix(name, "search/") {
			t.Errorf("[search] enabled = false still writes %s", name)
		}
	}
	if strings.Contains(string(out.Files()["index.html"]), "/search/") {
		t.Error("[search] enabled = false: the navigation still links /search/")
	}
}

// TestSearchScript runs the default theme's search.js under node on
// searchSite's index: the words it cuts are the build's, and queries rank
// posts as the package doc says (title, then tags, then text; every word
// before some; newest first).
func TestSearchScript(t *testing.T) {
	node := testenv.Node(t)
	dir := buildSearchSite(t)
	script, err := filepath.Abs("../themes/default/assets/search.js")
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"Hello, World!", "max_age = 3600", "Café naïve ÜBERSICHT", "Cafe\u0301", "東京都に住む", "Go语言 x", "a__b _x_", strings.Repeat("y", 41) + " ok"}
	queries := []struct {
		q    string
		want []string // titles, best first
	}{
		// A title match, then a tag, then the text; every inflection.
		{"certificates", []string{"Deploying certificates", "Notes on servers", "A long story"}},
		{"certificate", []string{"Deploying certificates", "Notes on servers", "A long story"}},
		// deploying, deploy and deployed share a stem; ties: newest first.
		{"deploy", []string{"Deploying certificates", "Notes on servers", "Unrelated", "A long story"}},
		// Every word before some; the sum of the fields' weights: a
		// title and a tag (server, certificate) beat a title and the text.
		{"certificate server", []string{"Notes on servers", "Deploying certificates", "A long story"}},
		{"deploy café", []string{"Unrelated"}},
		// No post holds both: those holding either.
		{"keys lait", []string{"Unrelated", "Deploying certificates"}},
		// An inflection no post holds: the stem it starts with.
		{"deploys", []string{"Deploying certificates", "Notes on servers", "Unrelated", "A long story"}},
		// A word begun: the words it starts.
		{"certif", []string{"Deploying certificates", "Notes on servers", "A long story"}},
		// Identifiers whole and by parts; numbers.
		{"max_age", []string{"A long story", "Notes on servers"}},
		{"3600", []string{"A long story"}},
		{"zzz qqq", nil},
		{"", nil},
	}
	var qs []string
	for _, q := range queries {
		qs = append(qs, q.q)
	}
	input, _ := json.Marshal(map[string]any{"texts": texts, "queries": qs, "dir": dir})
	const driver = `
const fs = require("fs"), path = require("path");
const s = require(process.env.SCRIPT);
const { texts, queries, dir } = JSON.parse(fs.readFileSync(0, "utf8"));
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json")));
const shard = (w) => manifest.shards.includes(s.shardOf(w)) ? JSON.parse(fs.readFileSync(path.join(dir, s.shardOf(w) + ".json"))) : { w: {}, s: [] };
const doc = (id) => JSON.parse(fs.readFileSync(path.join(dir, "doc", id + ".json"))).t;
console.log(JSON.stringify({
  words: texts.map((t) => s.words(t)),
  found: queries.map((q) => s.rank(s.words(q).map((w) => s.match(shard(w), w))).map(doc)),
}));`
	cmd := exec.Command(node, "-e", driver)
	cmd.Env = append(os.Environ(), "SCRIPT="+script)
	cmd.Stdin = strings.NewReader(string(input))
	cmd.Stderr = os.Stderr
	data, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got struct {
		Words [][]string
		Found [][]string
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	for i, text := range texts {
		seen := map[string]bool{}
		var want []string
		searchWords(text, func(w string) {
			if !seen[w] {
				seen[w] = true
				want = append(want, w)
			}
		})
		if !slices.Equal(got.Words[i], want) {
			t.Errorf("search.js cuts %q into %q, the build into %q", text, got.Words[i], want)
		}
	}
	for i, q := range queries {
		if !slices.Equal(got.Found[i], q.want) {
			t.Errorf("search.js: %q finds %q, want %q", q.q, got.Found[i], q.want)
		}
	}
}

// TestBodyText checks bodyText against plainText, which it stands in
// for, on hand-made HTML and on every body of the example site.
func TestBodyText(t *testing.T) {
	bodies := []string{
		"<p>Hello, <em>world</em>!</p>\n<p>Two\n  lines &amp; more &lt;tags&gt; &#233; &eacute;</p>",
		`<p><a href="/x?a=1&amp;b=2" title="a > b">link</a> and <img alt='it>s' src="i.png"></p>`,
		`<pre class="chroma"><code><span class="line" id="code-1-L1"><a class="ln" href="#code-1-L1" data-n="1"></a><span class="cl">x := 1</span></span></code></pre>`,
		"<p>a comment <!-- hidden > still --> after</p>",
		"<p>text</p><script>var x = '<p>';</script><p>more</p>",
		"<p>unquoted <a title=it's>x</a> y</p>",
		"no tags at all",
		"",
		"<p>unclosed <a href='x",
		"<p>x</p><SCRIPT>var y = '<p>';</SCRIPT><p>z</p>", // raw text elements in any case
		"<p>a</p><Title>t <b>b</b></Title><NoScript><p>n</p></NoScript>",
		"<p>a</p><ſcript>s</ſcript><span>t</span>", // "<ſ" is text: ſ is no ASCII letter
		"<div>a < b and c<3 d</div> x <",           // a "<" that opens no tag is text
		"<p>1 </ 2> 3 <?php x ?> 4 </></p>",
		"x<b<p>y <a:b>z</a:b> <em-x>w</em-x> <B>v</B>",      // a tag's name runs to white space, / or >
		"<p>x&nbsp;y\vz\u0085a\u2003b\u3000 c&#x2028;d</p>", // Unicode white space, as strings.Fields tells it
	}
	out, err := BuildInMemory(os.DirFS("../examples/blog"), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range out.Files() {
		if strings.HasSuffix(name, "index.html") {
			if _, body, ok := strings.Cut(string(data), `<div class="content e-content">`); ok {
				body, _, _ = strings.Cut(body, "</div>\n</article>")
				bodies = append(bodies, body)
			}
		}
	}
	if len(bodies) < 15 {
		t.Fatalf("found %d bodies, want the example's posts too", len(bodies))
	}
	for _, h := range bodies {
		if got, want := bodyText([]byte(h)), plainText(template.HTML(h)); got != want {
			t.Errorf("bodyText(%.80q…)\n= %.200q\nwant %.200q", h, got, want)
		}
	}
}

// TestBodyTextRandom checks bodyText against plainText on random runs of
// tags, attributes, character references and text, where a stray "<",
// quote or "=" could read differently.
func TestBodyTextRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	parts := []string{"<p>", "</p>", "<em>", "</em>", `<a href="x>y">`, "</a>", "a", "b c", " ", "\n", "&amp;",
		"&nbsp;", "<", ">", "<br>", "\u00a0", "x<y", "<b<p>", "é", "<code>", "</code>", `<span class="k">`, "</span>",
		"=", "'", `"`, "/", "<img src=x alt='a b'>", "<p =x>", "</ p>", "\t"}
	for range 50000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		h := b.String()
		if got, want := bodyText([]byte(h)), plainText(template.HTML(h)); got != want {
			t.Errorf("bodyText(%q) = %q, want %q", h, got, want)
		}
	}
}

// TestSearchIndexRebuilt edits posts under one renderer, as a preview
// does: the index, made with the terms kept from the build before for the
// posts that did not change, is a fresh build's.
func TestSearchIndexRebuilt(t *testing.T) {
	fsys := fstest.MapFS{}
	maps.Copy(fsys, searchSite)
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out *MemOutput
	for _, edit := range []map[string]string{
		nil,
		{"content/posts/body.md": "---\ntitle: A long story\ndate: 2024-03-01\n---\n\nNow about zebras.\n"},
		{"content/posts/tag.md": "---\ntitle: Notes on servers\ndate: 2024-02-01\ntags: [zebra]\n---\n\nNothing here.\n"},
		{"content/posts/new.md": "---\ntitle: Zebra crossing\ndate: 2024-05-01\n---\n\nA new post.\n"},
	} {
		for name, text := range edit {
			fsys[name] = &fstest.MapFile{Data: []byte(text)}
		}
		site, err := content.Load(fsys, cfg, content.Options{})
		if err != nil {
			t.Fatal(err)
		}
		out = NewMemOutput(out)
		if _, err := r.Build(site, out); err != nil {
			t.Fatal(err)
		}
		fresh, err := BuildInMemory(fsys, content.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range fresh.Files() {
			if strings.HasPrefix(name, "search/") && !bytes.Equal(out.Files()[name], data) {
				t.Errorf("after editing %v: %s differs from a fresh build's", slices.Collect(maps.Keys(edit)), name)
			}
		}
		if len(r.searchTerms) != len(site.Posts) {
			t.Errorf("the renderer keeps the terms of %d posts, want the %d of the last build", len(r.searchTerms), len(site.Posts))
		}
	}
}

// TestSearchIndexFromCache builds a site, edits it, and builds it again
// with a new renderer on the same cache directory, as `site build` run
// twice does: the index, made from the terms the cache kept for the posts
// that did not change, is a fresh build's, and the build read the body of
// no post whose page it did not render again.
func TestSearchIndexFromCache(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml": {Data: []byte("title = \"Search Test\"\nbase_url = \"https://example.org/\"\n")},
	}
	const posts = 30 // more than a page of the home page and of the feeds
	// The posts have no tags: a tag's page shows the newest posts too.
	for i := range posts {
		fsys[fmt.Sprintf("content/posts/p%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: Post %d on servers\ndate: 2024-01-%02dT00:00:00Z\n---\n\nWords of post %d: certificate%d deploying.\n", i, i+1, i, i))}
	}
	dir := t.TempDir()
	var out *MemOutput
	for round, edit := range []map[string]string{
		nil,
		nil, // nothing changed
		{"content/posts/p00.md": "---\ntitle: Post 0 on servers\ndate: 2024-01-01T00:00:00Z\n---\n\nNow about zebras and deploying.\n"},
		{"content/posts/p01.md": "---\ntitle: Post 1 on zebras\ndate: 2024-01-02T00:00:00Z\n---\n\nWords of post 1.\n"},
		{"content/posts/new.md": "---\ntitle: Zebra crossing\ndate: 2024-02-01T00:00:00Z\n---\n\nA new post about certificates.\n"},
	} {
		for name, text := range edit {
			fsys[name] = &fstest.MapFile{Data: []byte(text)}
		}
		var r *Renderer
		var site *content.Site
		r, site, out = buildOnCache(t, fsys, dir, out) // the last build's files, reused when their inputs did not change
		fresh, err := BuildInMemory(fsys, content.Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := checkSearchFiles(t, out, fresh, fmt.Sprintf("after editing %v", slices.Collect(maps.Keys(edit))))
		if n < posts+2 {
			t.Errorf("a fresh build wrote %d search files, want its manifest, shards and a document per post", n)
		}
		if round == 0 {
			continue
		}
		// The posts of the home page's first page, the newest, are shown
		// by no page an edit of an older post renders again.
		read := 0
		for _, pg := range site.Posts[:5] {
			if _, ok := r.opts.bodies.mem[r.bodyKey(pg)]; ok {
				read++
			}
		}
		if read > 0 && edit["content/posts/new.md"] == "" {
			t.Errorf("after editing %v: the build read the bodies of %d of the 5 newest posts, which no page it rendered shows", slices.Collect(maps.Keys(edit)), read)
		}
	}
}

// buildOnCache builds fsys with a new renderer whose body cache is in
// dir, as `site build` run again does, into an output over prev (nil for
// none), flushes the cache, and returns the site it loaded.
func buildOnCache(t *testing.T, fsys fstest.MapFS, dir string, prev *MemOutput) (*Renderer, *content.Site, *MemOutput) {
	t.Helper()
	cache := NewBodyCache(dir)
	r, site := newRenderer(t, fsys, WithBodyCache(cache))
	out := NewMemOutput(prev)
	if _, err := r.Build(site, out); err != nil {
		t.Fatal(err)
	}
	cache.Flush()
	return r, site, out
}

// checkSearchFiles reports each file under search/ that got does not
// have as want has it, the build named by what, and returns how many
// want has.
func checkSearchFiles(t *testing.T, got, want *MemOutput, what string) int {
	t.Helper()
	n := 0
	for name, data := range want.Files() {
		if strings.HasPrefix(name, "search/") {
			n++
			if !bytes.Equal(got.Files()[name], data) {
				t.Errorf("%s: %s differs", what, name)
			}
		}
	}
	return n
}

// TestSearchIndexInRuns builds the index of a site a few posts at a
// time (searchRun), as searchIndex does a large site's: the index is the
// one made of every post at once, a renderer used again (a preview) keeps
// every post's terms, and the terms a build put in the cache make the
// same index again when a new post makes the next build on that cache
// index the site anew.
func TestSearchIndexInRuns(t *testing.T) {
	const posts = 11
	site := func(extra int) fstest.MapFS {
		fsys := fstest.MapFS{
			"site.toml": {Data: []byte("title = \"Runs\"\nbase_url = \"https://example.org/\"\n")},
		}
		for i := range posts + extra {
			fsys[fmt.Sprintf("content/posts/p%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
				"---\ntitle: Post %d on servers\ndate: 2024-01-%02dT00:00:00Z\ntags: [t%d]\n---\n\nWords of post %d: certificate%d deploying zebra%d.\n", i, i+1, i%3, i, i, i%4))}
		}
		return fsys
	}
	defer func(n int) { searchRun = n }(searchRun)
	for _, run := range []int{1, 3, posts - 1, posts, 100} {
		dir := t.TempDir()
		for extra := range 2 { // the second build reads the terms of the first's posts from the cache
			fsys := site(extra)
			searchRun = 1 << 30
			whole, err := BuildInMemory(fsys, content.Options{})
			if err != nil {
				t.Fatal(err)
			}
			searchRun = run
			r, _, out := buildOnCache(t, fsys, dir, nil)
			n := checkSearchFiles(t, out, whole, fmt.Sprintf("in runs of %d posts, of %d posts", run, posts+extra))
			if n < posts+extra+2 {
				t.Fatalf("the index has %d files, want its manifest, shards and a document per post", n)
			}
			if len(r.searchTerms) != posts+extra {
				t.Errorf("runs of %d posts, %d posts: the renderer keeps the terms of %d posts, want %d", run, posts+extra, len(r.searchTerms), posts+extra)
			}
		}
	}
}

// TestSearchTermsEncoding: the terms a post's text gives come back from
// the cache as they were, and a damaged entry does not decode as them.
func TestSearchTermsEncoding(t *testing.T) {
	st := newStemmer("en")
	for _, tt := range []struct {
		title string
		tags  []string
		text  string
	}{
		{"", nil, ""},
		{"Deploying certificates", []string{"ops", "TLS setup"}, "We deployed a certificate; max_age = 3600."},
		{"東京都", nil, "Café au lait, naïve façade, 東京都 and Привет мир."},
		{"x", nil, strings.Repeat("word", 100) + " " + strings.Repeat("long ", 300)},
	} {
		terms := st.terms(tt.title, tt.tags, tt.text)
		data := terms.encode()
		got, ok := decodeSearchTerms(data)
		if !ok || !reflect.DeepEqual(got, terms) && len(terms) > 0 {
			t.Errorf("%q: decoded %v (ok %v), want %v", tt.title, got, ok, terms)
		}
		for n := range len(data) {
			if got, ok := decodeSearchTerms(data[:n]); ok && reflect.DeepEqual(got, terms) {
				t.Errorf("%q: %d of %d bytes decode as the whole", tt.title, n, len(data))
			}
		}
	}
	// A word's length past 64 bits does not decode, as mergePacked,
	// which merges what decodes, does not read it.
	overlong := []byte("\x01s\x04\x01\x81\x80\x80\x80\x80\x80\x80\x80\x80\x02w\x01t\x04\x00")
	if got, ok := decodeSearchTerms(overlong); ok {
		t.Errorf("terms with a length past 64 bits decode, as %v", got)
	}
}

// TestSearchIndexParts holds the index merged on all cores from packed
// terms (newSearchIndex) equal to the one merged in order on one from
// unpacked terms (newSearchIndexOf), over posts whose stems share words
// and fields at random.
func TestSearchIndexParts(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var docs [][]byte
	var terms []searchTerms
	for range 700 {
		var d searchTerms
		for s := range rng.IntN(40) {
			ts := termStem{stem: fmt.Sprintf("s%d", (s*7+rng.IntN(300))%300), fields: uint8(1 + rng.IntN(7))}
			for range 1 + rng.IntN(3) {
				ts.words = append(ts.words, fmt.Sprintf("%sw%d", ts.stem, rng.IntN(4)))
			}
			d = append(d, ts)
		}
		terms = append(terms, d)
		docs = append(docs, d.encode())
	}
	got, want := newSearchIndex(docs).files(), newSearchIndexOf(terms).files()
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("the index merged on all cores differs from the one merged on one")
	}
	// Terms cut short merge what precedes the cut, and nothing else.
	longest := 0
	for i := range docs {
		if len(docs[i]) > len(docs[longest]) {
			longest = i
		}
	}
	for n := range len(docs[longest]) {
		ix := newSearchIndex([][]byte{docs[longest][:n]})
		for stem := range ix.stems {
			if !slices.ContainsFunc(terms[longest], func(ts termStem) bool { return ts.stem == stem }) {
				t.Fatalf("%d bytes of the terms merge stem %q, which they do not have", n, stem)
			}
		}
	}
}

// TestToLower holds toLower equal to strings.ToLower on random texts of
// ASCII, letters with case, letters without, and invalid UTF-8.
func TestToLower(t *testing.T) {
	pieces := []string{"a", "Z", "Hello", " ", "\n", "É", "é", "Σ", "ς", "İ", "K", "\u212a", "ß", "ẞ", "日本", "\xff", "\xe6\x97", "\ufffd", "ǅ", "Ω"}
	rng := rand.New(rand.NewPCG(11, 12))
	for range 100000 {
		var b strings.Builder
		for range rng.IntN(10) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		if got, want := toLower(b.String()), strings.ToLower(b.String()); got != want {
			t.Fatalf("toLower(%q) = %q, strings.ToLower gives %q", b.String(), got, want)
		}
	}
}

// TestPackedTerms holds packedTerms, which reuses its maps and slices
// from post to post, equal to terms packed, over posts long and short in
// turn (in any order of stems and words: both follow a map's).
func TestPackedTerms(t *testing.T) {
	canon := func(ts searchTerms) map[string]string {
		m := map[string]string{}
		for _, s := range ts {
			w := slices.Clone(s.words)
			slices.Sort(w)
			m[s.stem] = fmt.Sprint(s.fields, w)
		}
		return m
	}
	st := newStemmer("en")
	words := strings.Fields("deploy deployed deploying certificate certificates Café café naïve 東京都 run running ran build builds")
	rng := rand.New(rand.NewPCG(15, 16))
	for i := range 300 {
		var text strings.Builder
		for range rng.IntN(1 + 400*(i%3)) {
			text.WriteString(words[rng.IntN(len(words))] + " ")
		}
		tags := []string{words[rng.IntN(len(words))]}
		title := words[rng.IntN(len(words))]
		got, ok := decodeSearchTerms(st.packedTerms(title, tags, text.String()))
		want := st.terms(title, tags, text.String())
		if !ok || !maps.Equal(canon(got), canon(want)) {
			t.Fatalf("post %d: packedTerms gives %v, terms %v", i, canon(got), canon(want))
		}
	}
}
