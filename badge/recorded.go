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

// ReadRecorded reads the recorded badge in a built page. It fails when
// the page has no badge slot or the slot holds no recorded badge (the
// site was built without --issuer-from).
func ReadRecorded(page []byte) (*RecordedFacts, error) {
	i := bytes.Index(page, []byte(Start))
	if i < 0 {
		return nil, errors.New("the page has no badge slot")
	}
	j := bytes.Index(page[i:], []byte(End))
	if j < 0 {
		return nil, errors.New("the page's badge slot is not closed")
	}
	nodes, err := html.ParseFragment(bytes.NewReader(page[i+len(Start):i+j]), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
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
			return f, nil
		}
	}
	return nil, errors.New("the page has no recorded badge: the site was built without --issuer-from")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
