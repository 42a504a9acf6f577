// Package corpus writes deterministic blog sites for benchmarks and tests:
// posts with front matter, prose, tables, footnotes and code listings in
// several languages, much like ../shared/bench/gen_corpus.py.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing/fstest"
	"time"
)

var words = strings.Fields(`the a of to and in is it that for on with as was by this be are from at or an not
server request build page feed post markdown render template theme cache certificate issuer domain browser
trust root chain key deploy static site blog engine code listing highlight syntax token lexer parser output
file directory watch reload change time date tag archive index summary draft publish author latency memory`)

var listings = []struct{ lang, code string }{
	{"go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := 0; i < %d; i++ {\n\t\tfmt.Println(\"hello\", i)\n\t}\n}\n"},
	{"python", "def handler(request, n=%d):\n    \"\"\"Answer a request.\"\"\"\n    if not request:\n        return None\n    return [x * 2 for x in range(n)]\n"},
	{"rust", "fn main() {\n    let v: Vec<u32> = (0..%d).collect();\n    println!(\"{:?}\", v.iter().sum::<u32>());\n}\n"},
	{"javascript", "const total = [1, 2, %d].reduce((a, b) => a + b, 0);\nconsole.log(`total: ${total}`);\n"},
	{"bash", "#!/bin/sh\nfor f in *.md; do\n  echo \"$f\" | wc -c  # %d\ndone\n"},
	{"yaml", "server:\n  port: %d\n  hosts: [a, b]\n  tls: true\n"},
}

// Site returns a site of n posts as a file system: site.toml and
// content/posts/post-N.md. The same n gives the same bytes.
func Site(n int) fstest.MapFS {
	fsys := fstest.MapFS{"site.toml": {Data: []byte("title = \"Benchmark Blog\"\nbase_url = \"https://blog.example.com/\"\n")}}
	for i := range n {
		fsys[fmt.Sprintf("content/posts/post-%d.md", i)] = &fstest.MapFile{Data: Post(i)}
	}
	return fsys
}

// Post returns the Markdown of post i.
func Post(i int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 1))
	sentence := func(n int) string {
		w := make([]string, n)
		for j := range w {
			w[j] = words[r.IntN(len(words))]
		}
		return strings.ToUpper(w[0][:1]) + strings.Join(w, " ")[1:] + "."
	}
	date := time.Date(2015, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Hour)
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: \"Post %d: %s\"\ndate: %s\ntags: [%s, %s]\nsummary: \"%s\"\n---\n\n",
		i, strings.TrimSuffix(sentence(4), "."), date.Format(time.RFC3339), words[r.IntN(20)], words[20+r.IntN(20)], sentence(12))
	for p := range 4 {
		fmt.Fprintf(&b, "%s %s %s[^%d]\n\n", sentence(14), sentence(10), sentence(8), p)
		if p == 1 {
			b.WriteString("| key | value |\n|-----|------:|\n| a | 1 |\n| b | 2 |\n\n> " + sentence(9) + "\n\n")
		}
		l := listings[(i+p)%len(listings)]
		fmt.Fprintf(&b, "## %s\n\n```%s\n%s```\n\n", strings.TrimSuffix(sentence(3), "."), l.lang, fmt.Sprintf(l.code, i+p))
	}
	for p := range 4 {
		fmt.Fprintf(&b, "[^%d]: %s\n", p, sentence(6))
	}
	return []byte(b.String())
}
