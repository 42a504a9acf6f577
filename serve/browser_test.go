package serve

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testenv"
)

// TestBrowserLiveReload opens a post of the preview in headless Chromium
// (testdata/livereload.js, with playwright-core) and changes the site's
// files while the page stays open, untouched: the page shows the new text;
// a stylesheet change applies without a reload; a broken post shows an
// overlay naming file and line, which goes when the post is fixed; after a
// restart of the server the page reconnects and reloads; a retitled post's
// page follows it to its new URL. The page must cause no
// Content-Security-Policy violation.
func TestBrowserLiveReload(t *testing.T) {
	chromium := testenv.Chromium(t)
	nodeModules := testenv.NodeModules(t)
	node := testenv.Node(t)
	script, err := filepath.Abs("testdata/livereload.js")
	if err != nil {
		t.Fatal(err)
	}

	e := startPreview(t, testSite(t))
	const post, newPost = "/2024/03/post-number-3/", "/2024/03/post-three-retitled/"

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(os.Environ(),
		"NODE_PATH="+nodeModules,
		"CHROMIUM="+chromium,
		"SITE_URL="+e.url,
		"POST="+post,
		"NEW_POST="+newPost,
	)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr previewLog
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	// waitStreams waits until n pages listen to the preview.
	waitStreams := func(p *Preview, n int) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for p.hub.clientCount() < n {
			if time.Now().After(deadline) {
				t.Fatalf("no page is listening to the preview after 15s")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	steps := map[string]func(){
		"edit-text": func() {
			waitStreams(e.p, 1)
			e.edit("content/posts/post-3.md", "The body of post 3.", "Edited while the browser looks.")
		},
		"edit-css": func() {
			data, err := os.ReadFile(filepath.Join(e.dir, "themes/mine/assets/style.css"))
			if err != nil {
				t.Fatal(err)
			}
			e.saveByRename("themes/mine/assets/style.css", string(data)+"\nh1.post-title.p-name { color: rgb(1, 2, 3); }\n")
		},
		"break": func() {
			e.edit("content/posts/post-3.md", "title: Post number 3", "title: [Post number 3")
		},
		"fix": func() {
			e.edit("content/posts/post-3.md", "title: [Post number 3", "title: Post number 3")
		},
		"restart": func() {
			addr := strings.TrimPrefix(e.url, "http://")
			e.stop()
			e.edit("content/posts/post-3.md", "Edited while the browser looks.", "Changed while the server was down.")
			time.Sleep(300 * time.Millisecond) // the page retries meanwhile
			e = previewAt(t, e.dir, addr)
		},
		"retitle": func() {
			waitStreams(e.p, 1)
			e.edit("content/posts/post-3.md", "title: Post number 3", "title: Post three, retitled")
		},
	}
	sc := bufio.NewScanner(stdout)
	done := false
	for sc.Scan() {
		line := sc.Text()
		name, isStep := strings.CutPrefix(line, "STEP ")
		switch {
		case isStep:
			do, ok := steps[name]
			if !ok {
				t.Fatalf("unknown step %q", name)
			}
			t.Logf("step %s", name)
			do()
			if _, err := fmt.Fprintln(stdin, "GO"); err != nil {
				t.Fatalf("step %s: %v", name, err)
			}
		case line == "DONE":
			done = true
			stdin.Close()
		default:
			t.Logf("browser: %s", line)
		}
	}
	err = cmd.Wait()
	if err != nil || !done {
		t.Fatalf("the browser test failed (%v):\n%s", err, stderr.String())
	}
}
