package serve

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/testenv"
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
	chromium := testenv.Chromium(t)
	nodeModules := testenv.NodeModules(t)
	axe := testenv.AxeCore(t)
	node := testenv.Node(t)
	script, err := filepath.Abs("testdata/search.js")
	if err != nil {
		t.Fatal(err)
	}
	site, err := render.BuildInMemory(os.DirFS("../examples/blog"), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	log, _ := testLogger(t)
	srv, err := New(Config{Files: site.Files, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodeModules, "CHROMIUM="+chromium, "AXE="+axe, "URL=http://"+r.httpAddr)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr previewLog
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	checked := 0
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "FAIL "):
			t.Error(strings.TrimPrefix(line, "FAIL "))
		case strings.HasPrefix(line, "CHECKED "):
			checked++
		default:
			t.Logf("browser: %s", line)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the browser script failed (%v):\n%s", err, stderr.String())
	}
	if want := 6; checked != want {
		t.Errorf("the script made %d checks, want %d", checked, want)
	}
}
