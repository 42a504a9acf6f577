package render

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPagerNumbers(t *testing.T) {
	for _, tc := range []struct {
		n, total int
		want     []int // 0 is a gap
	}{
		{1, 1, nil},
		{1, 2, []int{1, 2}},
		{2, 2, []int{1, 2}},
		{1, 3, []int{1, 2, 3}},
		{1, 4, []int{1, 2, 3, 4}}, // 3 alone between 2 and 4: shown
		{1, 5, []int{1, 2, 0, 5}},
		{3, 5, []int{1, 2, 3, 4, 5}}, // one page each side: shown, not elided
		{1, 400, []int{1, 2, 0, 400}},
		{5, 400, []int{1, 0, 4, 5, 6, 0, 400}},
		{4, 400, []int{1, 2, 3, 4, 5, 0, 400}},
		{397, 400, []int{1, 0, 396, 397, 398, 399, 400}},
		{400, 400, []int{1, 0, 399, 400}},
	} {
		if got := pagerNumbers(tc.n, tc.total); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("pagerNumbers(%d, %d) = %v, want %v", tc.n, tc.total, got, tc.want)
		}
	}
}

// TestPagerOfLongList checks the pager a list page gets: its links and
// gaps, and that its size does not grow with the list.
func TestPagerOfLongList(t *testing.T) {
	fsys := fstest.MapFS{"site.toml": {Data: []byte("title = \"T\"\nbase_url = \"https://example.com/\"\npaginate = 2\n")}}
	for i := range 40 {
		fsys[fmt.Sprintf("content/posts/p%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: P%d\ndate: 2024-01-%02d\n---\nBody.\n", i, 1+i%28))}
	}
	out, _ := build(t, fsys, nil)
	page := string(out.Files()["page/7/index.html"])
	var hrefs []string
	for _, li := range strings.Split(page[strings.Index(page, `<ul class="pager-pages">`):strings.Index(page, "</ul>\n<a class=\"pager-next\"")], "<li")[1:] {
		if strings.Contains(li, "pager-gap") {
			hrefs = append(hrefs, "…")
			continue
		}
		href := li[strings.Index(li, `href="`)+6:]
		hrefs = append(hrefs, href[:strings.Index(href, `"`)])
	}
	want := []string{"/", "…", "/page/6/", "/page/7/", "/page/8/", "…", "/page/20/"}
	if !reflect.DeepEqual(hrefs, want) {
		t.Errorf("pager of page 7 of 20 links %q, want %q", hrefs, want)
	}
	if !strings.Contains(page, `<a href="/page/7/" aria-current="page">`) {
		t.Error("the current page is not marked aria-current")
	}
}
