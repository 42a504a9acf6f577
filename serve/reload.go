package serve

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Live reload
//
// Every previewed page loads /_site/reload.js, which opens an event stream
// (server-sent events) at /_site/events?path=PATH&key=KEY: the page's URL
// path and the key of the version of the page it shows. The server keeps
// one client per stream and, when the stream opens and after every build,
// tells it what became of its page:
//
//	event: reload       data: {}                  the page changed: reload
//	event: reload       data: {"url": "/new/"}    the page is gone: go to its
//	                                              new URL (same source file,
//	                                              or the one it was renamed
//	                                              to) or else to the index
//	event: css          data: {"swaps": [{"from": "/assets/style.1.css",
//	                                      "to": "/assets/style.2.css"}]}
//	                                              only stylesheets changed:
//	                                              swap them, do not reload
//	event: build-error  data: {"message": "content/posts/a.md:3: …"}
//	                                              show the error over the page
//	event: build-ok     data: {}                  the site builds again: hide it
//
// (The error events are not named "error", which EventSource uses for
// its own connection errors.) A page whose key matches the current build
// is told nothing. Since the check runs whenever a stream opens, a page
// that loaded just before a build, or outlived a restart of the server,
// reloads at once if it is out of date, and only then; after a restart
// the browser reconnects by itself (the stream asks it to retry every
// half second).

//go:embed reload.js
var reloadJS []byte

//go:embed reload.css
var reloadCSS []byte

var (
	reloadScript = makeBody(reloadJS, "text/javascript; charset=utf-8")
	previewCSS   = makeBody(reloadCSS, "text/css; charset=utf-8")
)

// Event stream timing.
const (
	// sseRetry is the reconnection delay the stream asks browsers for.
	sseRetry = 500 * time.Millisecond
	// ssePing keeps idle streams open through proxies and finds dead ones.
	ssePing = 15 * time.Second
	// sseBuffer is how many events may wait for a client; one that falls
	// further behind is disconnected, and catches up when it reconnects.
	sseBuffer = 16
)

// sseHub holds the preview's current snapshot and the pages listening.
type sseHub struct {
	mu      sync.Mutex
	cur     *snapshot
	clients map[*sseClient]bool
	closed  bool
}

// sseClient is one open page.
type sseClient struct {
	path     string // the page's URL path
	key      string // the version of the page it shows
	errShown bool   // it shows a build error
	send     chan sseEvent
	gone     chan struct{} // closed when the hub drops the client
}

type sseEvent struct {
	name string
	data any
}

func newSSEHub() *sseHub {
	return &sseHub{cur: &snapshot{base: "/"}, clients: map[*sseClient]bool{}}
}

// current returns the snapshot being served.
func (h *sseHub) current() *snapshot {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cur
}

// publish makes s the current snapshot and tells every page.
func (h *sseHub) publish(s *snapshot) {
	h.mu.Lock()
	defer h.mu.Unlock()
	old := h.cur
	h.cur = s
	u := &update{old: old, cur: s}
	for c := range h.clients {
		h.update(c, u)
	}
}

// update is one transition from old to cur, with what is worked out
// once for all clients.
type update struct {
	old, cur *snapshot // old is nil when a stream opens
	swaps    []cssSwap
	swapsSet bool
}

func (u *update) cssSwaps() []cssSwap {
	if !u.swapsSet {
		u.swapsSet = true
		if u.old != nil && u.old.out != nil && u.cur.out != nil {
			u.swaps = u.cur.cssSwaps(u.old)
		}
	}
	return u.swaps
}

// update brings one client up to date with u.cur. h.mu is held.
func (h *sseHub) update(c *sseClient, u *update) {
	cur := u.cur
	switch {
	case cur.err != "" && (!c.errShown || u.old == nil || u.old.err != cur.err):
		c.errShown = true
		h.send(c, sseEvent{"build-error", map[string]string{"message": cur.err}})
	case cur.err == "" && c.errShown:
		c.errShown = false
		h.send(c, sseEvent{"build-ok", struct{}{}})
	}
	name, key := cur.lookup(c.path)
	if key == c.key {
		return
	}
	shown := c.key
	c.key = key // told once; the page's own stream says if it did not follow
	if name == "" {
		// No such page now. If there was one, follow it or go home
		// rather than show the 404 page; if there was not, the 404
		// page changed.
		wasPage, to := shown != noKey, cur.base
		if u.old != nil {
			oldName, _ := u.old.lookup(c.path)
			wasPage = oldName != ""
			if wasPage {
				to = cur.movedTo(u.old, oldName)
			}
		}
		if wasPage {
			h.send(c, sseEvent{"reload", map[string]string{"url": to}})
			return
		}
		h.send(c, sseEvent{"reload", struct{}{}})
		return
	}
	if u.old != nil {
		if oldName, oldKey := u.old.lookup(c.path); oldName == name && oldKey == shown {
			if swaps := u.cssSwaps(); cssOnly(u.old, cur, name, swaps) {
				h.send(c, sseEvent{"css", map[string][]cssSwap{"swaps": swaps}})
				return
			}
		}
	}
	h.send(c, sseEvent{"reload", struct{}{}})
}

// send queues an event, dropping a client that cannot keep up. h.mu is
// held.
func (h *sseHub) send(c *sseClient, ev sseEvent) {
	select {
	case c.send <- ev:
	default:
		h.drop(c)
	}
}

// drop forgets a client and ends its stream. h.mu is held.
func (h *sseHub) drop(c *sseClient) {
	if h.clients[c] {
		delete(h.clients, c)
		close(c.gone)
	}
}

// add registers a client and tells it what became of its page; false
// when the hub is closed.
func (h *sseHub) add(c *sseClient) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.clients[c] = true
	h.update(c, &update{cur: h.cur})
	return true
}

func (h *sseHub) remove(c *sseClient) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.drop(c)
}

// close ends every stream, for shutdown.
func (h *sseHub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		h.drop(c)
	}
}

// clientCount returns the number of open streams.
func (h *sseHub) clientCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// ServeHTTP serves one event stream.
func (h *sseHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	c := &sseClient{path: q.Get("path"), key: q.Get("key"), send: make(chan sseEvent, sseBuffer), gone: make(chan struct{})}
	if c.path == "" {
		c.path = "/"
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives any write timeout
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "retry: %d\n\n", sseRetry.Milliseconds())
	if !h.add(c) {
		return
	}
	defer h.remove(c)
	if rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(ssePing)
	defer ping.Stop()
	for {
		select {
		case ev := <-c.send:
			if writeEvent(w, ev) != nil {
				return
			}
			for more := true; more; { // write what else is waiting, then flush once
				select {
				case ev := <-c.send:
					if writeEvent(w, ev) != nil {
						return
					}
				default:
					more = false
				}
			}
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
		case <-c.gone:
			return
		case <-r.Context().Done():
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, ev sseEvent) error {
	data, err := json.Marshal(ev.data)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, data)
	return err
}
