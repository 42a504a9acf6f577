package serve

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/tlsinfo"
)

// cachedFeed is a made /tls/feed.xml and what it was made from.
type cachedFeed struct {
	site, history uint64
	body          *body
	used          uint64 // feedCache.clock when last served
}

// maxFeedOrigins bounds the feeds kept: one per origin (scheme and Host)
// asked for, the least recently served dropped first.
const maxFeedOrigins = 8

// feedCache keeps the feed made for each origin its links name.
type feedCache struct {
	mu     sync.Mutex
	clock  uint64
	origin map[string]*cachedFeed
}

// get returns the feed kept for base if it was made from site and hist.
func (c *feedCache) get(base string, site, hist uint64) *body {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.origin[base]
	if f == nil || f.site != site || f.history != hist {
		return nil
	}
	c.clock++
	f.used = c.clock
	return f.body
}

// put keeps the feed made for base, dropping the least recently served
// origin's when maxFeedOrigins are kept.
func (c *feedCache) put(base string, f *cachedFeed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.origin == nil {
		c.origin = map[string]*cachedFeed{}
	}
	if _, ok := c.origin[base]; !ok && len(c.origin) >= maxFeedOrigins {
		oldest := ""
		for b, of := range c.origin {
			if oldest == "" || of.used < c.origin[oldest].used {
				oldest = b
			}
		}
		delete(c.origin, oldest)
	}
	c.clock++
	f.used = c.clock
	c.origin[base] = f
}

// feedCacheControl lets a feed reader keep the feed but ask again each
// time: it changes with every new certificate.
const feedCacheControl = "no-cache"

// serveFeed answers /tls/feed.xml: the certificate history as Atom, its
// links on the origin the request came to.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request) {
	if !allowGetHead(w, r) {
		return
	}
	if r.Host == "" {
		http.Error(w, "no Host header", http.StatusBadRequest)
		return
	}
	b, err := s.feedBody(r)
	if err != nil {
		s.log.Error("serving "+r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	serveBody(w, r, b, feedCacheControl, http.StatusOK)
}

// feedBody returns the feed for the request's origin, made again only
// when the site or the history changes, or the origin's feed was dropped.
func (s *Server) feedBody(r *http.Request) (*body, error) {
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	base := scheme + "://" + r.Host
	site, hist := s.siteGen.Load(), s.historyGen()
	if b := s.feed.get(base, site, hist); b != nil {
		return b, nil
	}
	data, err := tlsinfo.HistoryFeed(s.records(), tlsinfo.FeedOptions{BaseURL: base, SiteTitle: s.cfg.SiteTitle})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", badge.FeedPath, err)
	}
	b := makeBody(data, "application/atom+xml; charset=utf-8")
	s.feed.put(base, &cachedFeed{site: site, history: hist, body: b})
	return b, nil
}
