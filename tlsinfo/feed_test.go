package tlsinfo

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/feedcheck"
	"github.com/siteblog/site/internal/testenv"
)

// feedRecords are three certificates of blog.test, oldest first as a
// History holds them: the first one recorded before chains were verified.
func feedRecords() []Record {
	day := func(d int) time.Time { return time.Date(2025, 1, d, 10, 0, 0, 0, time.UTC) }
	return []Record{{
		SHA256: "01:02", State: Issued, Subject: "CN=blog.test", SANs: []string{"DNS:blog.test"},
		Issuer: "Test Encrypt R3", Top: "Test Root X1", KeyType: "ECDSA P-256", Serial: "0A",
		NotBefore: day(1), NotAfter: day(1).AddDate(0, 3, 0), FirstServed: day(1),
	}, {
		SHA256: "AB:CD", State: Issued, Subject: "CN=blog.test", SANs: []string{"DNS:blog.test", "DNS:www.blog.test"},
		Issuer: "Test Encrypt R3", IssuerOrganization: "Test Encrypt", Top: "Test Encrypt R3", KeyType: "ECDSA P-256", Serial: "0B",
		NotBefore: day(2), NotAfter: day(2).AddDate(0, 3, 0), FirstServed: day(2),
		TrustState: Verified, Anchor: "Test Root X1", AnchorCountry: "US", AnchorSHA256: "EE:EE",
	}, {
		SHA256: "EF:01", State: Issued, Subject: "CN=blog.test", SANs: []string{"DNS:blog.test"},
		Issuer: "Pebble <Intermediate> & Co", Top: "Pebble <Intermediate> & Co", KeyType: "RSA 2048", Serial: "0C",
		NotBefore: day(3), NotAfter: day(3).AddDate(0, 3, 0), FirstServed: day(3),
		TrustState: Unverified,
		Changes: []Change{
			{IssuerChanged, "Test Encrypt R3", "Pebble <Intermediate> & Co"},
			{RootChanged, "Test Root X1, US", "no verified root"},
			{KeyTypeChanged, "ECDSA P-256", "RSA 2048"},
		},
	}}
}

// parsedFeed is what the tests read back from a feed.
type parsedFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Author  string `xml:"author>name"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Link      struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func TestHistoryFeed(t *testing.T) {
	data, err := HistoryFeed(feedRecords(), FeedOptions{BaseURL: "https://blog.test/", SiteTitle: "Badge & Test"})
	if err != nil {
		t.Fatal(err)
	}
	var f parsedFeed
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatalf("the feed is not XML: %v\n%s", err, data)
	}
	if f.ID != "https://blog.test/tls/feed.xml" || f.Title != "Certificates of Badge & Test" || f.Author != "Badge & Test" ||
		f.Updated != "2025-01-03T10:00:00Z" || len(f.Links) != 2 ||
		f.Links[0].Rel != "self" || f.Links[0].Href != "https://blog.test/tls/feed.xml" ||
		f.Links[1].Rel != "alternate" || f.Links[1].Href != "https://blog.test/tls/" {
		t.Errorf("feed head: %+v", f)
	}
	wantTitles := []string{
		"Issuer changed, root changed, key type changed: issued by Pebble <Intermediate> & Co (unverified claim)",
		"New certificate: issued by Test Encrypt R3, under Test Root X1, US",
		"New certificate: issued by Test Encrypt R3",
	}
	wantIDs := []string{"urn:sha256:ef01", "urn:sha256:abcd", "urn:sha256:0102"}
	if len(f.Entries) != 3 {
		t.Fatalf("%d entries, want 3:\n%s", len(f.Entries), data)
	}
	for i, e := range f.Entries {
		if e.Title != wantTitles[i] || e.ID != wantIDs[i] {
			t.Errorf("entry %d: %q %q, want %q %q", i, e.ID, e.Title, wantIDs[i], wantTitles[i])
		}
		day := "2025-01-0" + string(rune('3'-i)) + "T10:00:00Z"
		if e.Published != day || e.Updated != day {
			t.Errorf("entry %d: published %s, updated %s; want %s", i, e.Published, e.Updated, day)
		}
		if want := "https://blog.test/tls/#sha256-" + strings.TrimPrefix(wantIDs[i], "urn:sha256:"); e.Link.Href != want {
			t.Errorf("entry %d: link %q, want %q", i, e.Link.Href, want)
		}
		if e.Content.Type != "text" {
			t.Errorf("entry %d: content type %q", i, e.Content.Type)
		}
	}
	for i, want := range [][]string{{
		"Names: DNS:blog.test\n", "Issued by: Pebble <Intermediate> & Co\n",
		"Trust: unverified: no path leads to a trusted root",
		"Valid: from 2025-01-03T10:00:00Z until 2025-04-03T10:00:00Z\n", "Key: RSA 2048\n", "SHA-256: EF:01\n",
		"Changes: issuer changed from Test Encrypt R3 to Pebble <Intermediate> & Co; root changed from Test Root X1, US to no verified root; key type changed from ECDSA P-256 to RSA 2048",
	}, {
		"Names: DNS:blog.test, DNS:www.blog.test\n", "Issued by: Test Encrypt R3 (organisation: Test Encrypt)\n",
		"Trust: verified against the roots browsers trust, up to Test Root X1, US\n", "Changes: none",
	}, {
		"Trust: not recorded", "Key: ECDSA P-256\n",
	}} {
		for _, w := range want {
			if !strings.Contains(f.Entries[i].Content.Text, w) {
				t.Errorf("entry %d's content lacks %q:\n%s", i, w, f.Entries[i].Content.Text)
			}
		}
	}
	// The markup is escaped by the encoder, never spliced in.
	if strings.Contains(string(data), "<Intermediate>") || !strings.HasPrefix(string(data), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("feed:\n%s", data)
	}

	// feedparser, which many feed readers use, takes it as valid Atom.
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := feedcheck.Check(testenv.Python(t), []string{path})
	if err != nil {
		t.Fatalf("feedparser: %v\n%s", err, data)
	}
	if res[0].Version != "atom10" || res[0].Entries != 3 || res[0].Title != "Certificates of Badge & Test" {
		t.Errorf("feedparser found %+v", res[0])
	}
}

func TestHistoryFeedEmptyAndDefaults(t *testing.T) {
	now := time.Date(2025, 6, 1, 8, 0, 0, 0, time.FixedZone("X", 7200))
	data, err := HistoryFeed(nil, FeedOptions{BaseURL: "https://blog.test:8443", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var f parsedFeed
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Title != "Certificates of blog.test:8443" || f.Updated != "2025-06-01T06:00:00Z" || len(f.Entries) != 0 ||
		f.ID != "https://blog.test:8443/tls/feed.xml" {
		t.Errorf("empty feed: %+v", f)
	}
	for _, base := range []string{"", "blog.test", "/tls/", "ftp://blog.test", "https://", "http://%zz"} {
		if _, err := HistoryFeed(nil, FeedOptions{BaseURL: base}); err == nil {
			t.Errorf("base URL %q: no error", base)
		}
	}
}

func TestFeedTitleStates(t *testing.T) {
	for _, tc := range []struct {
		r    Record
		want string
	}{
		{Record{State: Issued, Issuer: "X R1", TrustState: Verified, Anchor: "Root", AnchorCountry: "US"}, "New certificate: issued by X R1, under Root, US"},
		{Record{State: Issued, Issuer: "X R1", TrustState: PrivateCA, Anchor: "Home Root"}, "New certificate: issued by X R1, under Home Root (a private root)"},
		{Record{State: Issued, Issuer: "X R1", TrustState: Unverified}, "New certificate: issued by X R1 (unverified claim)"},
		{Record{State: Issued, Issuer: "X R1", TrustState: BrokenChain}, "New certificate: issued by X R1 (unverified claim: broken chain)"},
		{Record{State: Issued, Issuer: "X R1", TrustState: Expired}, "New certificate: issued by X R1 (expired)"},
		{Record{State: SelfSigned, Issuer: "blog.test", TrustState: SelfSigned}, "New certificate: self-signed, no certificate authority vouches for it"},
		{Record{State: SelfSigned, Issuer: "blog.test"}, "New certificate: self-signed, no certificate authority vouches for it"},
		{Record{State: Issued, Issuer: "X R1"}, "New certificate: issued by X R1"},
		{Record{State: Issued, Issuer: "Y R2", TrustState: Verified, Anchor: "Root",
			Changes: []Change{{IssuerChanged, "X R1", "Y R2"}}}, "Issuer changed: issued by Y R2, under Root"},
		{Record{State: Issued, Issuer: "X R1", TrustState: Verified, Anchor: "Root",
			Changes: []Change{{KeyTypeChanged, "RSA 2048", "ECDSA P-256"}}}, "Key type changed: issued by X R1, under Root"},
	} {
		if got := FeedTitle(tc.r); got != tc.want {
			t.Errorf("FeedTitle(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}
