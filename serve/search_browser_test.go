package serve

import (
	"os"
	"testing"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/render"
)

// TestSearchBrowser searches the example site in headless Chromium
// (testdata/search.js, with playwright-core and axe-core), served by a
// production server with its strict Content-Security-Policy: at
// /search/?q=WORDS the right post is first with its excerpt marked,
// typing another query shows its results, a button shows more than ten,
// nothing breaks the policy or logs an error, axe-core finds no violation
// at 320, 375 and 1280 px, light and dark, and without JavaScript the
// page still has the form and the archive link.
func TestSearchBrowser(t *testing.T) {
	site, err := render.BuildInMemory(os.DirFS("../examples/blog"), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	log, _ := testLogger(t)
	srv, err := New(Config{Files: site.Files(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)

	run := runBrowserScript(t, "search.js", 2*time.Minute, nil, "URL=http://"+r.httpAddr)
	if want := 6; run.checked != want {
		t.Errorf("the script made %d checks, want %d", run.checked, want)
	}
}
