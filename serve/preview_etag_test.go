package serve

import (
	"fmt"
	"testing"
)

// After saves built in place (a post's title, its date into another
// year, back), the preview serves each page, the sitemap and the feed
// with the bytes and the ETag a preview started afresh on the saved
// files serves, and a page whose bytes changed gets another ETag.
func TestPreviewSavesServeFreshETags(t *testing.T) {
	files := testSite(t)
	files["site.toml"] = "title = \"Preview Test\"\nbase_url = \"https://blog.example.org/blog/\"\ntheme = \"mine\"\npaginate = 2\n"
	e := startPreview(t, files)
	e.waitServed("first build")
	paths := []string{"/blog/", "/blog/archive/", "/blog/sitemap.xml", "/blog/feed.xml", "/blog/tags/go/", "/blog/page/2/", "/blog/page/3/"}
	before := map[string]string{}
	for _, p := range paths {
		resp, _ := e.get(p)
		before[p] = resp.Header.Get("ETag")
	}
	saves := []string{
		"---\ntitle: Post number 2, retitled\ndate: 2024-02-10\ntags: [go, tls]\n---\n\nThe body of post 2.\n",
		"---\ntitle: Post number 2, retitled\ndate: 2023-12-31T23:00:00-05:00\ntags: [go, tls]\n---\n\nThe body of post 2.\n",
		"---\ntitle: Post number 2\ndate: 2024-06-10\nupdated: 2024-07-01T10:00:00+02:00\ntags: [go]\n---\n\nThe body of post 2.\n",
	}
	for i, data := range saves {
		e.write(map[string]string{"content/posts/post-2.md": data})
		e.waitServed(fmt.Sprintf("save %d", i))
		fresh := previewSiteDir(t, e.dir)
		fresh.waitServed(fmt.Sprintf("save %d, fresh", i))
		for _, p := range paths {
			resp, body := e.get(p)
			want, wantBody := fresh.get(p)
			if resp.StatusCode != want.StatusCode || body != wantBody {
				t.Errorf("save %d: %s: %d, %d bytes; a fresh preview: %d, %d bytes", i, p, resp.StatusCode, len(body), want.StatusCode, len(wantBody))
			}
			if got, w := resp.Header.Get("ETag"), want.Header.Get("ETag"); got != w || got == "" {
				t.Errorf("save %d: %s: ETag %q, a fresh preview's %q", i, p, got, w)
			}
		}
		fresh.stop()
	}
	for _, p := range []string{"/blog/archive/", "/blog/sitemap.xml"} {
		if resp, _ := e.get(p); resp.Header.Get("ETag") == before[p] {
			t.Errorf("%s: the ETag of the first build after saves that changed it", p)
		}
	}
}
