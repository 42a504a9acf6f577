package badge

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// RecordedFacts are what a page's recorded badge (RecordedBadge) says
// about the certificate its host presented at build time.
type RecordedFacts struct {
	Host     string
	SHA256   string // lower-case hex
	NotAfter time.Time
	Checked  string // the day of the check, 2006-01-02
}

// ReadRecorded reads the recorded badge in a built page's slot (the one
// Cut finds, which Filled filled). It fails when
// the page has no badge slot or the slot holds no recorded badge (the
// site was built without --issuer-from), or when the badge lacks its
// host, fingerprint (64 lower-case hex digits) or expiry (RFC 3339).
func ReadRecorded(page []byte) (*RecordedFacts, error) {
	i, j, ok := slot(page)
	if !ok && bytes.Contains(page, []byte(Start)) {
		return nil, errors.New("the page's badge slot is not closed")
	}
	if !ok {
		return nil, errors.New("the page has no badge slot")
	}
	nodes, err := html.ParseFragment(bytes.NewReader(page[i:j]), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return nil, fmt.Errorf("the badge slot: %w", err)
	}
	for _, n := range nodes {
		for d := range n.Descendants() {
			if d.Type != html.ElementNode || attr(d, "data-state") != string(Recorded) {
				continue
			}
			f := &RecordedFacts{Host: attr(d, "data-host"), SHA256: attr(d, "data-sha256"), Checked: attr(d, "data-checked")}
			if f.NotAfter, err = time.Parse(time.RFC3339, attr(d, "data-not-after")); err != nil || f.SHA256 == "" || f.Host == "" {
				return nil, errors.New("the recorded badge lacks its host, fingerprint or expiry: build the site again with --issuer-from")
			}
			if !isSHA256Hex(f.SHA256) {
				return nil, fmt.Errorf("the recorded badge's fingerprint %q is not 64 lower-case hex digits: build the site again with --issuer-from", f.SHA256)
			}
			return f, nil
		}
	}
	return nil, errors.New("the page has no recorded badge: the site was built without --issuer-from")
}

// isSHA256Hex reports whether s is a SHA-256 digest in lower-case hex.
func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
