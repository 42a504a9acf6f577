package hugo_test

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"github.com/siteblog/site/internal/hugo"
	"github.com/siteblog/site/render"
)

// listingEnv renders listings as the site does; nothing else is asked.
type listingEnv struct{ expand.Env }

func (listingEnv) Page() *content.Page { return &content.Page{Path: "content/posts/p.md"} }
func (listingEnv) Site() *content.Site {
	return &content.Site{Config: &content.Config{BaseURL: "https://example.org/"}}
}
func (listingEnv) Shortcode(string, expand.Call) (string, bool, error) {
	return "", false, nil
}
func (listingEnv) Listing(code, info string) string {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	(&render.Listings{LineNumbers: false}).Write(w, code, render.ParseInfo([]byte(info)), 1)
	w.Flush()
	return buf.String()
}

var (
	hugoLine = regexp.MustCompile(`<span class="line( hl)?"><span class="ln">(\d+)</span>`)
	ourLine  = regexp.MustCompile(`<span class="line( hl)?" id="code-1-L\d+">(?:<a class="ln"[^>]*data-n="(\d+)")?`)
)

// TestHighlightMatchesHugo checks that the highlight shortcode numbers and
// highlights the lines Debian's hugo does. Without hugo it is skipped,
// unless CI=true, where hugo is required (see BuildWithHugo).
func TestHighlightMatchesHugo(t *testing.T) {
	code := "package main\n\nfunc a() {}\nfunc b() {}\nfunc c() {}\nfunc d() {}\n"
	cases := []string{
		`linenos=inline`,
		`linenos=table,hl_lines=2 4-5,linenostart=10`,
		`linenos=inline,hl_lines=1 6`,
		`linenos=true, linenostart=57, hl_lines=3`,
	}
	bodies := make([]string, len(cases))
	for i, c := range cases {
		bodies[i] = fmt.Sprintf("{{< highlight go %q >}}\n%s{{< /highlight >}}", strings.NewReplacer("table", "inline", "true", "inline").Replace(c), code)
	}
	built := hugo.BuildWithHugo(t, "[markup.highlight]\nnoClasses = false\n", bodies)
	for i, c := range cases {
		theirs := built[i]
		var want []string
		for _, m := range hugoLine.FindAllStringSubmatch(theirs, -1) {
			want = append(want, m[2]+m[1])
		}
		doc := &expand.Doc{Src: []byte(fmt.Sprintf("{{< highlight go %q >}}\n%s{{< /highlight >}}\n", c, code))}
		hugo.Expand(doc, listingEnv{})
		ours := string(expand.Restore(doc.Src, doc.HTML))
		var got []string
		for _, m := range ourLine.FindAllStringSubmatch(ours, -1) {
			got = append(got, m[2]+m[1])
		}
		if strings.Join(got, ",") != strings.Join(want, ",") || len(want) == 0 {
			t.Errorf("%s: lines %q, hugo %q", c, got, want)
		}
	}
}
