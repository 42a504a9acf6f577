package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/tlsinfo"
)

// The /tls/ page shows the certificate of the reader's connection and
// every certificate the site has served. It is the theme's "tls" page
// (Config.TLSPage) with the connection's badge in its slot, made once per
// certificate and again only when the site or the history changes, or the
// certificate's CAA check finishes.

// errNoTLSPage: the server was given no renderer for the "tls" page.
var errNoTLSPage = errors.New("no tls page")

// cachedPage is a made page and what it was made from.
type cachedPage struct {
	site, history uint64
	caa           *badge.CAA // the CAA check's result it shows, nil before
	body          *body
}

// pageData is what the theme's "tls" page shows for info.
func (s *Server) pageData(info *certInfo) *badge.PageData {
	var alerts []string
	if info.alert != "" {
		alerts = append(alerts, info.alert)
	}
	if info.report != nil {
		alerts = append(alerts, info.report.Trust.Warnings...)
	}
	return &badge.PageData{
		Alerts:  alerts,
		State:   info.state,
		Badge:   template.HTML(info.badge.html),
		Report:  info.report,
		CAA:     s.caaOf(info),
		History: s.records(),
		JSONURL: badge.JSONPath,
		FeedURL: badge.FeedPath,
	}
}

// tlsPage returns the /tls/ page for a connection's certificate.
func (s *Server) tlsPage(info *certInfo) (*body, error) {
	site, hist, caa := s.siteGen.Load(), s.historyGen(), info.caaResult()
	if p := info.page.Load(); p != nil && p.site == site && p.history == hist && p.caa == caa {
		return p.body, nil
	}
	render := s.tlsRender.Load()
	if render == nil || *render == nil {
		return nil, errNoTLSPage
	}
	page, err := (*render)(s.pageData(info))
	if err != nil {
		return nil, fmt.Errorf("the %s page: %w", badge.PagePath, err)
	}
	page, _ = badge.Replace(page, info.badge.html)
	b := makeBody(page, "text/html; charset=utf-8")
	info.page.Store(&cachedPage{site: site, history: hist, caa: caa, body: b})
	return b, nil
}

// tlsJSON is the document at /tls.json.
type tlsJSON struct {
	State badge.State `json:"state"`
	// Issuer names the CA that issued the leaf when a verified path
	// vouches for it (verified, private-ca); otherwise IssuerClaimed is
	// the name the leaf gives its issuer, which nothing checked.
	Issuer        string         `json:"issuer,omitempty"`
	IssuerClaimed string         `json:"issuer_claimed,omitempty"`
	Anchor        string         `json:"anchor,omitempty"`
	Chain         *tlsinfo.Chain `json:"chain"`
	Trust         *tlsinfo.Trust `json:"trust"`
	Alert         string         `json:"alert,omitempty"` // the --expect-issuer mismatch
	// SCTs are the leaf's embedded SCTs as checked; SCTSummary says it in
	// a sentence (the badge's) and SCTError why they cannot be read.
	SCTs       []tlsinfo.SCTCheck `json:"scts"`
	SCTSummary string             `json:"sct_summary,omitempty"`
	SCTError   string             `json:"sct_error,omitempty"`
	CAA        *badge.CAA         `json:"caa,omitempty"`
	History    []tlsinfo.Record   `json:"history"`
}

// tlsJSONBody returns /tls.json for a connection's certificate.
func (s *Server) tlsJSONBody(info *certInfo) (*body, error) {
	hist, caa := s.historyGen(), info.caaResult()
	if p := info.json.Load(); p != nil && p.history == hist && p.caa == caa {
		return p.body, nil
	}
	doc := tlsJSON{State: info.state, History: s.records(), Alert: info.alert, CAA: s.caaOf(info)}
	if r := info.report; r != nil {
		doc.Anchor, doc.Chain, doc.Trust = r.Trust.AnchorLabel(), r.Chain, r.Trust
		if st := r.Trust.State; st == tlsinfo.Verified || st == tlsinfo.PrivateCA {
			doc.Issuer = r.Trust.Issuer
		} else {
			doc.IssuerClaimed = r.Chain.Issuer
		}
		doc.SCTs, doc.SCTSummary, doc.SCTError = r.SCTs, r.CT, r.SCTError
		if doc.SCTs == nil {
			doc.SCTs = []tlsinfo.SCTCheck{}
		}
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", badge.JSONPath, err)
	}
	b := makeBody(append(data, '\n'), "application/json; charset=utf-8")
	info.json.Store(&cachedPage{history: hist, caa: caa, body: b})
	return b, nil
}

func (s *Server) historyGen() uint64 {
	if s.history == nil {
		return 0
	}
	return s.history.Generation()
}

func (s *Server) records() []tlsinfo.Record {
	if s.history == nil {
		return []tlsinfo.Record{}
	}
	return s.history.Records()
}
