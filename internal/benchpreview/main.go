// Command benchpreview measures live-reload latency: the time from saving
// one post to the reload message reaching a browser's connection, for
// `site serve` and for `hugo server` on the same content. It stands in for
// the browser with the connection each one's page script opens:
//
//   - site serve: the event stream /_site/events?path=P&key=K that
//     /_site/reload.js opens (K from the page's script tag); the message is
//     the "reload" event.
//   - hugo server: the WebSocket ws://HOST/livereload that Hugo's
//     livereload.js opens, after the LiveReload "hello" handshake; the
//     message is {"command":"reload",…}. The post's page is fetched first,
//     so Hugo's fast render mode counts it as visited, as a browser tab
//     showing it would.
//
// Each edit appends a line to the post's Markdown file (-edit body),
// puts a tag of the corpus on the post and takes it off again by turns
// (-edit tag: the tag's list shows the post, and on a paginated list
// every page after it changes), adds a word to its title and takes it
// off (-edit title: every list, feed and neighbour's page that names the
// post changes), or moves its date a day and a half later and back
// (-edit date: the post changes places in the lists and the archive when
// a neighbour's date lies in between); the file is written in place and
// the clock starts just before the write. Edits are spaced so that each is
// its own rebuild. Scripts/bench-preview.sh prepares the sites and runs it:
//
//	benchpreview -site BIN -site-dir DIR -hugo BIN -hugo-dir DIR [-edits 20] [-post newest|middle] [-edit body|tag|title|date]
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/websocket"

	"github.com/siteblog/site/content"
)

func main() {
	siteBin := flag.String("site", "", "the site binary (empty: skip site serve)")
	siteDir := flag.String("site-dir", "", "the site directory (site.toml and content/)")
	hugoBin := flag.String("hugo", "", "the hugo binary (empty: skip hugo server)")
	hugoDir := flag.String("hugo-dir", "", "the Hugo site directory (hugo.toml and content/)")
	edits := flag.Int("edits", 20, "edits to time")
	which := flag.String("post", "newest", "the post to edit: newest (on the index and in the feeds) or middle")
	gap := flag.Duration("gap", 700*time.Millisecond, "pause after each reload, for the server to settle")
	what := flag.String("edit", "body", "the edit: body (a line appended), tag (a tag of the corpus put on and taken off), title (a word added and taken off) or date (a day and a half later and back)")
	flag.Parse()
	switch *what {
	case "body":
	case "tag":
		edit = editTag
	case "title":
		edit = editTitle
	case "date":
		edit = editDate
	default:
		fmt.Fprintf(os.Stderr, "benchpreview: -edit %s: want body, tag, title or date\n", *what)
		os.Exit(2)
	}
	if *siteBin == "" && *hugoBin == "" {
		fmt.Fprintln(os.Stderr, "benchpreview: give -site and -site-dir, or -hugo and -hugo-dir, or both")
		os.Exit(2)
	}
	var results []string
	if *siteBin != "" {
		d, err := benchSite(*siteBin, *siteDir, *which, *edits, *gap)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchpreview: site serve:", err)
			os.Exit(1)
		}
		results = append(results, summary("site serve", d))
	}
	if *hugoBin != "" {
		d, err := benchHugo(*hugoBin, *hugoDir, *which, *edits, *gap)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchpreview: hugo server:", err)
			os.Exit(1)
		}
		results = append(results, summary("hugo server", d))
	}
	fmt.Printf("\nsave → reload message, %s post, %d edits of its %s:\n", *which, *edits, map[string]string{"body": "body", "tag": "tags", "title": "title", "date": "date"}[*what])
	for _, r := range results {
		fmt.Println(r)
	}
}

func summary(name string, d []time.Duration) string {
	s := slices.Clone(d)
	slices.Sort(s)
	ms := func(x time.Duration) string { return fmt.Sprintf("%.1f ms", float64(x.Microseconds())/1000) }
	return fmt.Sprintf("  %-12s median %s  min %s  max %s", name, ms(s[len(s)/2]), ms(s[0]), ms(s[len(s)-1]))
}

// server is a running preview server.
type server struct {
	cmd    *exec.Cmd
	exited chan struct{}
	lines  chan string
	out    strings.Builder
}

func start(dir, bin string, args ...string) (*server, error) {
	s := &server{cmd: exec.Command(bin, args...), exited: make(chan struct{}), lines: make(chan string, 1000)}
	s.cmd.Dir = dir
	r, w := io.Pipe()
	s.cmd.Stdout, s.cmd.Stderr = w, w
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			select {
			case s.lines <- sc.Text():
			default:
			}
		}
	}()
	go func() { s.cmd.Wait(); w.Close(); close(s.exited) }()
	return s, nil
}

// waitLine waits for an output line matching re.
func (s *server) waitLine(re string, timeout time.Duration) error {
	rx := regexp.MustCompile(re)
	deadline := time.After(timeout)
	for {
		select {
		case l := <-s.lines:
			if os.Getenv("BENCH_VERBOSE") != "" {
				fmt.Fprintln(os.Stderr, "  |", l)
			}
			if rx.MatchString(l) {
				return nil
			}
		case <-s.exited:
			return fmt.Errorf("exited: %v", s.cmd.ProcessState)
		case <-deadline:
			return fmt.Errorf("no line matching %s within %s", re, timeout)
		}
	}
}

// drain logs (with BENCH_VERBOSE) or discards the server's output.
func (s *server) drain() {
	for {
		select {
		case l := <-s.lines:
			if os.Getenv("BENCH_VERBOSE") != "" {
				fmt.Fprintln(os.Stderr, "  |", l)
			}
		default:
			return
		}
	}
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// pickPost returns the post to edit, as a path of the site directory
// (the content/ of the site and of the Hugo site are the same), and its
// URL path in `site serve`: the newest post, which is on the index page and
// in the feeds, or one in the middle, which is on neither.
func pickPost(dir, which string) (string, string, error) {
	cfg, err := content.ParseConfig([]byte("title = \"x\"\nbase_url = \"https://blog.example.com/\"\n"), "")
	if err != nil {
		return "", "", err
	}
	site, err := content.Load(os.DirFS(dir), cfg, content.Options{})
	if err != nil {
		return "", "", err
	}
	if len(site.Posts) == 0 {
		return "", "", fmt.Errorf("no posts in %s", dir)
	}
	pg := site.Posts[0]
	if which == "middle" {
		pg = site.Posts[len(site.Posts)/2]
	}
	return filepath.FromSlash(pg.Path), (&url.URL{Path: pg.URL}).EscapedPath(), nil
}

// edit is the edit timed: appendLine, editTag, editTitle or editDate.
var edit = appendLine

// appendLine appends a line to a post and returns the moment just before
// the write.
func appendLine(path string, n int) (time.Time, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return time.Time{}, err
	}
	data = fmt.Appendf(data, "\nEdit number %d, saved at %s.\n", n, time.Now().Format(time.RFC3339Nano))
	t0 := time.Now()
	return t0, os.WriteFile(path, data, 0o644)
}

// editTag puts on the post a tag of the corpus (../shared/bench/
// gen_corpus.py's) that it does not have, at even n, and takes it off at
// odd n, and returns the moment just before the write.
func editTag(path string, n int) (time.Time, error) {
	return editLine(path, `(?m)^tags: \[(.*)\]$`, func(list string) (string, error) {
		tags := strings.Split(list, ", ")
		if n%2 == 1 {
			return strings.Join(tags[1:], ", "), nil
		}
		for _, t := range []string{"tools", "linux", "web"} {
			if !slices.Contains(tags, t) {
				tags = append([]string{t}, tags...)
				break
			}
		}
		return strings.Join(tags, ", "), nil
	})
}

// editTitle adds a word to the post's title at even n and takes it off
// at odd n, and returns the moment just before the write.
func editTitle(path string, n int) (time.Time, error) {
	return editLine(path, `(?m)^title: "(.*)"$`, func(title string) (string, error) {
		if n%2 == 0 {
			return title + " Revisited", nil
		}
		return strings.TrimSuffix(title, " Revisited"), nil
	})
}

// editDate moves the post's date 36 hours later at even n and back at
// odd n, and returns the moment just before the write.
func editDate(path string, n int) (time.Time, error) {
	return editLine(path, `(?m)^date: (.*)$`, func(date string) (string, error) {
		t, err := time.Parse(time.RFC3339, date)
		if err != nil {
			return "", fmt.Errorf("%s: date: %w", path, err)
		}
		shift := 36 * time.Hour
		if n%2 == 1 {
			shift = -shift
		}
		return t.Add(shift).Format(time.RFC3339), nil
	})
}

// editLine replaces the first group of the first match of pattern in
// the file at path by what change makes of it, writes the file, and
// returns the moment just before the write.
func editLine(path, pattern string, change func(string) (string, error)) (time.Time, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return time.Time{}, err
	}
	m := regexp.MustCompile(pattern).FindSubmatchIndex(data)
	if m == nil {
		return time.Time{}, fmt.Errorf("%s: no line matching %s", path, pattern)
	}
	v, err := change(string(data[m[2]:m[3]]))
	if err != nil {
		return time.Time{}, err
	}
	data = slices.Concat(data[:m[2]], []byte(v), data[m[3]:])
	t0 := time.Now()
	return t0, os.WriteFile(path, data, 0o644)
}

func benchSite(bin, dir, which string, edits int, gap time.Duration) ([]time.Duration, error) {
	rel, postURL, err := pickPost(dir, which)
	if err != nil {
		return nil, err
	}
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "site serve: starting on %s (first build)…\n", addr)
	srv, err := start(dir, bin, "serve", "-s", ".", "--addr", addr)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	if err := srv.waitLine(`^serving http://`, 5*time.Minute); err != nil {
		return nil, err
	}
	base := "http://" + addr
	page, err := get(base + postURL)
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`data-key="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("%s has no reload script", postURL)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	q := url.Values{"path": {postURL}, "key": {m[1]}}
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/_site/events?"+q.Encode(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- name
			}
		}
		close(events)
	}()
	fmt.Fprintf(os.Stderr, "site serve: editing %s (%s) %d times\n", rel, postURL, edits)
	var took []time.Duration
	for i := range edits {
		t0, err := edit(filepath.Join(dir, rel), i)
		if err != nil {
			return nil, err
		}
		select {
		case name, ok := <-events:
			if !ok {
				return nil, errors.New("the event stream ended")
			}
			if name != "reload" {
				return nil, fmt.Errorf("edit %d: event %q, want reload", i, name)
			}
			took = append(took, time.Since(t0))
		case <-time.After(30 * time.Second):
			return nil, fmt.Errorf("edit %d: no reload within 30s", i)
		}
		fmt.Fprintf(os.Stderr, "  edit %2d: %6.1f ms\n", i, float64(took[i].Microseconds())/1000)
		time.Sleep(gap)
		srv.drain()
	}
	return took, nil
}

func benchHugo(bin, dir, which string, edits int, gap time.Duration) ([]time.Duration, error) {
	rel, _, err := pickPost(dir, which)
	if err != nil {
		return nil, err
	}
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	host, port, _ := net.SplitHostPort(addr)
	fmt.Fprintf(os.Stderr, "hugo server: starting on %s (first build)…\n", addr)
	srv, err := start(dir, bin, "server", "--bind", host, "--port", port, "--baseURL", "http://"+addr+"/", "--appendPort=false")
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	if err := srv.waitLine(`Web Server is available at`, 5*time.Minute); err != nil {
		return nil, err
	}
	base := "http://" + addr
	// Hugo's URL of content/posts/NAME.md.
	postURL := "/posts/" + strings.ToLower(strings.TrimSuffix(filepath.Base(rel), ".md")) + "/"
	if _, err := get(base + postURL); err != nil {
		return nil, fmt.Errorf("%s: %w", postURL, err)
	}
	cfg, err := websocket.NewConfig("ws://"+addr+"/livereload", base+"/")
	if err != nil {
		return nil, err
	}
	ws, err := websocket.DialConfig(cfg)
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	hello := map[string]any{"command": "hello", "protocols": []string{"http://livereload.com/protocols/official-7"}}
	if err := websocket.JSON.Send(ws, hello); err != nil {
		return nil, err
	}
	msgs := make(chan map[string]any, 16)
	go func() {
		for {
			var m map[string]any
			if err := websocket.JSON.Receive(ws, &m); err != nil {
				close(msgs)
				return
			}
			msgs <- m
		}
	}()
	select {
	case m := <-msgs:
		if m["command"] != "hello" {
			return nil, fmt.Errorf("handshake: %v", m)
		}
	case <-time.After(10 * time.Second):
		return nil, errors.New("no hello from hugo's livereload")
	}
	fmt.Fprintf(os.Stderr, "hugo server: editing %s (%s) %d times\n", rel, postURL, edits)
	var took []time.Duration
	for i := range edits {
		t0, err := edit(filepath.Join(dir, rel), i)
		if err != nil {
			return nil, err
		}
	wait:
		for {
			select {
			case m, ok := <-msgs:
				if !ok {
					return nil, errors.New("the websocket closed")
				}
				if m["command"] == "reload" {
					took = append(took, time.Since(t0))
					break wait
				}
			case <-time.After(60 * time.Second):
				return nil, fmt.Errorf("edit %d: no reload within 60s", i)
			}
		}
		fmt.Fprintf(os.Stderr, "  edit %2d: %6.1f ms\n", i, float64(took[i].Microseconds())/1000)
		time.Sleep(gap)
		for drained := false; !drained; { // further messages of the same rebuild
			select {
			case <-msgs:
			default:
				drained = true
			}
		}
		srv.drain()
		if _, err := get(base + postURL); err != nil { // the tab reloads: visited again
			return nil, err
		}
	}
	return took, nil
}

func get(u string) (string, error) {
	resp, err := http.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return string(body), nil
}
