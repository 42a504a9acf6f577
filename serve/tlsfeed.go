package serve

import (
	"fmt"
	"net/http"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/tlsinfo"
)

// cachedFeed is a made /tls/feed.xml and what it was made from.
type cachedFeed struct {
	site, history uint64
	base          string // the origin its links name
	body          *body
}

// feedCacheControl lets a feed reader keep the feed but ask again each
// time: it changes with every new certificate.
const feedCacheControl = "no-cache"

// serveFeed answers /tls/feed.xml: the certificate history as Atom, its
// links on the origin the request came to.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
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
	s.files.serve(w, r, b, feedCacheControl, http.StatusOK)
}

// feedBody returns the feed for the request's origin, made again only
// when the site, the history or the origin changes.
func (s *Server) feedBody(r *http.Request) (*body, error) {
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	base := scheme + "://" + r.Host
	site, hist := s.siteGen.Load(), s.historyGen()
	if f := s.feed.Load(); f != nil && f.site == site && f.history == hist && f.base == base {
		return f.body, nil
	}
	data, err := tlsinfo.HistoryFeed(s.records(), tlsinfo.FeedOptions{BaseURL: base, SiteTitle: s.cfg.SiteTitle})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", badge.FeedPath, err)
	}
	b := makeBody(data, "application/atom+xml; charset=utf-8")
	s.feed.Store(&cachedFeed{site: site, history: hist, base: base, body: b})
	return b, nil
}
