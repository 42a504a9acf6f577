package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// sseMessage is one event of a stream.
type sseMessage struct {
	name string
	data map[string]any
}

// sseStream is an event stream of the preview, read as a page's script
// reads it.
type sseStream struct {
	t      *testing.T
	events chan sseMessage
	cancel context.CancelFunc
}

var dataKeyRE = regexp.MustCompile(`data-key="([^"]+)"`)

// openPage fetches a page and opens its event stream with the page's key.
func (e *previewEnv) openPage(path string) *sseStream {
	e.t.Helper()
	_, body := e.get(path)
	m := dataKeyRE.FindStringSubmatch(body)
	if m == nil {
		e.t.Fatalf("%s has no reload script key", path)
	}
	return e.openStream(path, m[1])
}

// openStream opens an event stream for a page at path showing version key.
func (e *previewEnv) openStream(path, key string) *sseStream {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	q := url.Values{"path": {path}, "key": {key}}
	req, _ := http.NewRequestWithContext(ctx, "GET", e.url+eventsPath+"?"+q.Encode(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		e.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		cancel()
		e.t.Fatalf("event stream: %d %q", resp.StatusCode, ct)
	}
	s := &sseStream{t: e.t, events: make(chan sseMessage, 64), cancel: cancel}
	e.t.Cleanup(cancel)
	go func() {
		defer resp.Body.Close()
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		var name, data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = strings.TrimPrefix(line, "data: ")
			case line == "" && name != "":
				m := sseMessage{name: name, data: map[string]any{}}
				if err := json.Unmarshal([]byte(data), &m.data); err != nil {
					m.data["!error"] = err.Error()
				}
				s.events <- m
				name, data = "", ""
			}
		}
	}()
	// The hub registers a stream before its headers are sent, so it is
	// registered now.
	return s
}

// next returns the stream's next event.
func (s *sseStream) next(what string) sseMessage {
	s.t.Helper()
	select {
	case m, ok := <-s.events:
		if !ok {
			s.t.Fatalf("%s: the stream ended", what)
		}
		return m
	case <-time.After(10 * time.Second):
		s.t.Fatalf("%s: no event within 10s", what)
	}
	return sseMessage{}
}

// nothingBefore checks that the streams were sent nothing since their
// last event: it breaks the site, which sends every page a build error,
// and checks that this is each stream's next event; then it mends the
// site (each stream's next event is build-ok) and waits until the
// preview serves it again. Events of one stream come in order, so this
// waits on events, not for a while.
func (e *previewEnv) nothingBefore(what string, streams ...*sseStream) {
	e.t.Helper()
	const broken = "content/posts/zz-sentinel.md"
	e.write(map[string]string{broken: "---\ntitle: [\n---\n"})
	for _, s := range streams {
		if m := s.next(what); m.name != "build-error" {
			e.t.Errorf("%s: unexpected event %s %v", what, m.name, m.data)
			s.next(what) // then the build error
		}
	}
	e.remove(broken)
	for _, s := range streams {
		if m := s.next(what + ", mended"); m.name != "build-ok" {
			e.t.Errorf("%s, mended: %s %v, want build-ok", what, m.name, m.data)
		}
	}
	e.waitServed(what + ", mended")
}

// A page is told to reload when it changes, and only then.
func TestReloadWhenThePageChanges(t *testing.T) {
	e := startPreview(t, testSite(t))
	post := e.openPage("/2024/03/post-number-3/")
	other := e.openPage("/2024/01/post-number-1/")
	e.nothingBefore("open on a current page", post, other)

	e.edit("content/posts/post-3.md", "The body of post 3.", "The body of post 3, edited.")
	if m := post.next("edited post"); m.name != "reload" || m.data["url"] != nil {
		t.Errorf("edited post: %s %v, want a plain reload", m.name, m.data)
	}
	// Post 1's page shows nothing of post 3 (its neighbour is post 2).
	e.nothingBefore("unrelated page", other)

	// A stream opened with an outdated key, as by a page loaded just
	// before a build, or kept open across a restart, reloads at once.
	stale := e.openStream("/2024/03/post-number-3/", "0123abcd")
	if m := stale.next("stale key"); m.name != "reload" {
		t.Errorf("stale key: %s, want reload", m.name)
	}
}

// A page whose post moved goes to its new URL; one whose post is gone
// goes to the index.
func TestReloadFollowsMovedPages(t *testing.T) {
	e := startPreview(t, testSite(t))

	retitled := e.openPage("/2024/04/post-number-4/")
	e.edit("content/posts/post-4.md", "title: Post number 4", "title: Post four")
	if m := retitled.next("retitled"); m.name != "reload" || m.data["url"] != "/2024/04/post-four/" {
		t.Errorf("retitled post: %s %v, want reload to /2024/04/post-four/", m.name, m.data)
	}

	// A file renamed (written under a new name, the old one removed, as
	// "save as" does), with a new date: the page follows the rename.
	e.write(map[string]string{"content/posts/dated.md": "---\ntitle: Dated\ndate: 2024-01-15\n---\n\nx\n"})
	e.waitServed("dated post")
	renamed := e.openPage("/2024/01/dated/")
	e.write(map[string]string{"content/posts/moved.md": "---\ntitle: Dated\ndate: 2024-02-07\n---\n\nx\n"})
	e.remove("content/posts/dated.md")
	if m := renamed.next("renamed file"); m.name != "reload" || m.data["url"] != "/2024/02/dated/" {
		t.Errorf("renamed file: %s %v, want reload to /2024/02/dated/", m.name, m.data)
	}

	deleted := e.openPage("/2024/02/post-number-2/")
	e.remove("content/posts/post-2.md")
	e.write(map[string]string{"content/posts/unrelated.md": "---\ntitle: Unrelated\ndate: 2020-01-01\n---\n"})
	if m := deleted.next("deleted"); m.name != "reload" || m.data["url"] != "/" {
		t.Errorf("deleted post: %s %v, want reload to /", m.name, m.data)
	}
}

// A page whose post was retitled by a save that failed, then by one that
// built, goes to the post's new URL: the failed build in place changed
// the last good build's site, which the preview still serves.
func TestReloadFollowsPagesAfterAFailedSave(t *testing.T) {
	e := startPreview(t, testSite(t))
	e.edit("themes/mine/templates/post.html", `<article class="post h-entry">`, `<article class="post h-entry">{{if eq .Title "Boom"}}{{index .Post.Tags 7}}{{end}}`)
	e.waitServed("theme that fails for Boom")
	page := e.openPage("/2024/04/post-number-4/")
	e.edit("content/posts/post-4.md", "title: Post number 4", "title: Boom")
	if m := page.next("failed save"); m.name != "build-error" {
		t.Fatalf("failed save: %s %v, want build-error", m.name, m.data)
	}
	e.edit("content/posts/post-4.md", "title: Boom", "title: Post four")
	if m := page.next("fixed"); m.name != "build-ok" {
		t.Fatalf("fixed: %s %v, want build-ok", m.name, m.data)
	}
	if m := page.next("fixed"); m.name != "reload" || m.data["url"] != "/2024/04/post-four/" {
		t.Errorf("fixed: %s %v, want reload to /2024/04/post-four/", m.name, m.data)
	}
}

// A save of a post's front matter shows the post's page first: the page
// is served, and its tabs told, before the pages that list the post are
// made. When those fail, the error shows over the post's new page, and
// the save that mends it brings the whole site back.
func TestReloadShowsThePostFirst(t *testing.T) {
	files := testSite(t)
	files["themes/mine/templates/tag.html"] = `{{define "main"}}{{range .Posts}}{{if eq .Title "Boom"}}{{index .Tags 7}}{{end}}<p class="listed">{{.Title}}</p>{{end}}{{end}}`
	e := startPreview(t, files)
	e.waitServed("first build")
	var page atomic.Pointer[sseStream] // the post's tab
	page.Store(e.openPage("/2024/04/post-number-4/"))
	list := e.openPage("/tags/feeds/") // post 4's tags: go, feeds

	// What the preview serves, and what the post's and the tag's tabs
	// were told, when the post's page is shown.
	type atShown struct {
		served  map[string][]byte
		told    sseMessage
		tagTold []sseMessage
	}
	shown := make(chan atShown, 4)
	hook := func() {
		var told sseMessage
		select {
		case told = <-page.Load().events:
		case <-time.After(5 * time.Second):
		}
		var tagTold []sseMessage
		for len(list.events) > 0 {
			tagTold = append(tagTold, <-list.events)
		}
		shown <- atShown{e.served(), told, tagTold}
	}
	e.p.afterShown.Store(&hook)
	whenShown := func(what string) atShown {
		t.Helper()
		select {
		case s := <-shown:
			return s
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the post's page was not shown first", what)
			return atShown{}
		}
	}

	e.edit("content/posts/post-4.md", "title: Post number 4", "title: Post four")
	s := whenShown("retitled")
	if s.told.name != "reload" || s.told.data["url"] != "/2024/04/post-four/" {
		t.Errorf("retitled, when shown: the post's tab was told %s %v, want reload to /2024/04/post-four/", s.told.name, s.told.data)
	}
	if !strings.Contains(string(s.served["2024/04/post-four/index.html"]), "Post four</h1>") {
		t.Errorf("retitled, when shown: the post's new page is not served")
	}
	if tags := string(s.served["tags/feeds/index.html"]); !strings.Contains(tags, `<p class="listed">Post number 4</p>`) {
		t.Errorf("retitled, when shown: the tag's page is made already:\n%s", tags)
	}
	if len(s.tagTold) > 0 {
		t.Errorf("retitled, when shown: the tag's tab was told %v already", s.tagTold)
	}
	if !strings.Contains(string(s.served["2024/03/post-number-3/index.html"]), "Post four") {
		t.Errorf("retitled, when shown: the page of post 3, which links to post 4, is not made again")
	}
	r := e.waitServed("retitled")
	if r.Shown <= 0 || r.Shown > r.Took {
		t.Errorf("retitled: shown after %v of %v", r.Shown, r.Took)
	}
	if m := list.next("retitled, the tag's page"); m.name != "reload" {
		t.Errorf("retitled: the tag's tab was told %s %v, want reload", m.name, m.data)
	}

	// The post's page is shown, and its tag's page fails.
	page.Store(e.openPage("/2024/04/post-four/"))
	e.edit("content/posts/post-4.md", "title: Post four", "title: Boom")
	s = whenShown("failing")
	if s.told.name != "reload" || s.told.data["url"] != "/2024/04/boom/" {
		t.Errorf("failing, when shown: the post's tab was told %s %v, want reload to /2024/04/boom/", s.told.name, s.told.data)
	}
	if !strings.Contains(string(s.served["2024/04/boom/index.html"]), "Boom</h1>") {
		t.Errorf("failing, when shown: the post's new page is not served")
	}
	e.waitError("tags/feeds/")
	if log := e.log.String(); !strings.Contains(log, "edited content/posts/post-4.md: build failed after its pages were made; serving those") {
		t.Errorf("failing: the log does not say the post's page is served:\n%s", log)
	}
	boom := e.openPage("/2024/04/boom/") // served, with the error over it
	if m := boom.next("failing"); m.name != "build-error" {
		t.Errorf("failing: the post's page shown was told %s %v, want build-error", m.name, m.data)
	}
	// Mended by the title it had before: its page is made again, as the
	// site's every other file.
	e.edit("content/posts/post-4.md", "title: Boom", "title: Post four")
	if r := e.waitServed("mended"); r.Shown != 0 || r.Err != nil {
		t.Errorf("mended: a full build after a failed one, shown first after %v, error %v", r.Shown, r.Err)
	}
	if m := boom.next("mended"); m.name != "build-ok" {
		t.Errorf("mended: %s %v, want build-ok", m.name, m.data)
	}
	if m := boom.next("mended"); m.name != "reload" || m.data["url"] != "/2024/04/post-four/" {
		t.Errorf("mended: the page shown was told %s %v, want reload to /2024/04/post-four/", m.name, m.data)
	}
}

// A change of the stylesheet alone swaps it in the page; a change of the
// page as well reloads.
func TestReloadSwapsStylesheets(t *testing.T) {
	e := startPreview(t, testSite(t))
	page := e.openPage("/2024/03/post-number-3/")
	before := stylesheetOf(t, e, "/2024/03/post-number-3/")

	e.edit("themes/mine/assets/style.css", "/*", "/* a new rule */\n.x { color: red; }\n/*")
	m := page.next("stylesheet edit")
	if m.name != "css" {
		t.Fatalf("stylesheet edit: %s %v, want css", m.name, m.data)
	}
	after := stylesheetOf(t, e, "/2024/03/post-number-3/")
	swaps, _ := m.data["swaps"].([]any)
	if len(swaps) != 1 {
		t.Fatalf("swaps %v", m.data)
	}
	sw := swaps[0].(map[string]any)
	if sw["from"] != before || sw["to"] != after || before == after {
		t.Errorf("swap %v, want from %s to %s", sw, before, after)
	}
	// A second edit swaps again, from the new stylesheet.
	e.edit("themes/mine/assets/style.css", "color: red", "color: blue")
	if m := page.next("second stylesheet edit"); m.name != "css" || m.data["swaps"].([]any)[0].(map[string]any)["from"] != after {
		t.Errorf("second stylesheet edit: %s %v", m.name, m.data)
	}
	// The stylesheet and the page together: reload.
	e.edit("themes/mine/assets/style.css", "color: blue", "color: green")
	e.edit("content/posts/post-3.md", "The body of post 3.", "Changed with the stylesheet.")
	if m := page.next("stylesheet and page"); m.name != "reload" {
		t.Errorf("stylesheet and page: %s, want reload", m.name)
	}
}

var stylesheetRE = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">`)

func stylesheetOf(t *testing.T, e *previewEnv, path string) string {
	t.Helper()
	_, body := e.get(path)
	m := stylesheetRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s has no stylesheet link", path)
	}
	return m[1]
}

// A build error reaches every page, with file and line, and is taken back
// when fixed; a page opened meanwhile is told at once.
func TestReloadBuildErrors(t *testing.T) {
	e := startPreview(t, testSite(t))
	page := e.openPage("/2024/03/post-number-3/")
	e.edit("content/posts/post-3.md", "title: Post number 3", "title: [Post number 3")
	m := page.next("broken front matter")
	if msg, _ := m.data["message"].(string); m.name != "build-error" || !regexp.MustCompile(`^content/posts/post-3\.md:\d+: front matter`).MatchString(msg) {
		t.Fatalf("broken front matter: %s %v", m.name, m.data)
	}
	late := e.openPage("/")
	if m := late.next("opened while broken"); m.name != "build-error" {
		t.Errorf("opened while broken: %s", m.name)
	}
	e.edit("content/posts/post-3.md", "title: [Post number 3", "title: Post number 3")
	if m := page.next("fixed"); m.name != "build-ok" {
		t.Errorf("fixed: %s, want build-ok", m.name)
	}
	if m := late.next("fixed"); m.name != "build-ok" {
		t.Errorf("fixed, late page: %s, want build-ok", m.name)
	}
	e.nothingBefore("fixed, unchanged page", page, late)
}

// Shutting down ends the streams, so the server does not wait on them.
func TestReloadShutdown(t *testing.T) {
	e := startPreview(t, testSite(t))
	s := e.openPage("/")
	e.p.hub.close()
	select {
	case _, ok := <-s.events:
		if ok {
			t.Error("an event after close")
		}
	case <-time.After(5 * time.Second):
		t.Error("the stream did not end on close")
	}
}
