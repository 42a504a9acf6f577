package serve

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/siteblog/site/tlsinfo"
)

// TestFeedPerOrigin: the feed made for each origin is kept, up to
// maxFeedOrigins, so that alternating Hosts do not make it again each
// time; past that, the origin served least recently is dropped.
func TestFeedPerOrigin(t *testing.T) {
	hist, err := tlsinfo.OpenHistory(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(withSite(t, Config{History: hist}))
	if err != nil {
		t.Fatal(err)
	}
	feed := func(host string) *body {
		t.Helper()
		b, err := srv.feedBody(httptest.NewRequest("GET", "http://"+host+"/tls/feed.xml", nil))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := feed("a.test"), feed("b.test")
	if feed("a.test") != a || feed("b.test") != b {
		t.Error("alternating origins made the feed again")
	}
	if a == b {
		t.Error("two origins share one feed")
	}
	for i := range maxFeedOrigins - 1 { // a.test is now the least recently served
		feed(fmt.Sprintf("h%d.test", i))
	}
	if feed("b.test") != b {
		t.Error("b.test's feed was dropped")
	}
	if feed("a.test") == a {
		t.Errorf("%d origins kept, want at most %d", maxFeedOrigins+1, maxFeedOrigins)
	}
}
