package serve

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/siteblog/site/internal/feedcheck"
	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/internal/testenv"
	"github.com/siteblog/site/tlsinfo"
)

// feedOf reads the entries of /tls/feed.xml.
type feedOf struct {
	Title   string `xml:"title"`
	Entries []struct {
		ID    string `xml:"id"`
		Title string `xml:"title"`
		Link  struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

// TestProductionFeedAndExpectedIssuer serves two certificates in turn,
// from two CAs, with Let's-Encrypt-like "Example Trust" expected: the
// feed gets an entry per certificate, the second flagged "Issuer
// changed", and the second certificate is logged once and shown on /tls/
// as unexpected.
func TestProductionFeedAndExpectedIssuer(t *testing.T) {
	a := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	otherRoot := testcert.New(t, testcert.Options{CommonName: "Other Root", Organization: "Other", Country: "GB", CA: true}, nil)
	otherCA := testcert.New(t, testcert.Options{CommonName: "OC R2", Organization: "Other CA", CA: true}, otherRoot)
	bLeaf := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}}, otherCA)
	b := bLeaf.TLS()
	b.Certificate = append(b.Certificate, otherCA.Cert.Raw)
	roots := a.Pool()
	roots.AddCert(otherRoot.Cert)

	src := &switchable{}
	src.set(a.TLS())
	hist, err := tlsinfo.OpenHistory(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	log, logs := testLogger(t)
	srv, err := New(withSite(t, Config{GetCertificate: src.get, History: hist, Log: log,
		PublicRoots: roots, ExpectIssuer: "example trust"}))
	if err != nil {
		t.Fatal(err)
	}
	var minutes atomic.Int64 // each certificate first served a minute after the one before
	t0 := time.Now()
	srv.certs.now = func() time.Time { return t0.Add(time.Duration(minutes.Add(1)) * time.Minute) }
	r := start(t, srv)

	c1 := client(r.httpsAddr, "blog.test", roots, nil)
	res, feed1 := get(t, c1, "https://blog.test/tls/feed.xml")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" ||
		res.Header.Get("Cache-Control") != "no-cache" || res.Header.Get("Etag") == "" {
		t.Fatalf("feed: %d %v", res.StatusCode, res.Header)
	}
	var f feedOf
	if err := xml.Unmarshal(feed1, &f); err != nil {
		t.Fatalf("feed: %v\n%s", err, feed1)
	}
	if f.Title != "Certificates of Badge Test" || len(f.Entries) != 1 ||
		f.Entries[0].Title != "New certificate: issued by Example Trust ET R1, under Example Trust Root X1" ||
		f.Entries[0].ID != "urn:sha256:"+fingerprint(a.Leaf.Cert) ||
		f.Entries[0].Link.Href != "https://blog.test/tls/#sha256-"+fingerprint(a.Leaf.Cert) {
		t.Errorf("feed with one certificate:\n%s", feed1)
	}
	_, page1 := get(t, c1, "https://blog.test/tls/")
	if strings.Contains(string(page1), "tls-alert") {
		t.Error("/tls/ shows an alert for the expected issuer")
	}
	for _, want := range []string{`<a href="/tls/feed.xml" type="application/atom+xml">`, `<tr id="sha256-` + fingerprint(a.Leaf.Cert) + `">`} {
		if !strings.Contains(string(page1), want) {
			t.Errorf("/tls/ lacks %q", want)
		}
	}

	// The certificate changes to one from another CA.
	src.set(b)
	for range 3 { // several connections: it is logged once
		get(t, client(r.httpsAddr, "blog.test", roots, nil), "https://blog.test/")
	}
	c2 := client(r.httpsAddr, "blog.test", roots, nil)
	res, feed2 := get(t, c2, "https://blog.test/tls/feed.xml")
	f = feedOf{}
	if err := xml.Unmarshal(feed2, &f); err != nil {
		t.Fatalf("feed: %v\n%s", err, feed2)
	}
	if len(f.Entries) != 2 || f.Entries[1].ID != "urn:sha256:"+fingerprint(a.Leaf.Cert) || f.Entries[0].ID != "urn:sha256:"+fingerprint(bLeaf.Cert) {
		t.Fatalf("feed with two certificates:\n%s", feed2)
	}
	if got, want := f.Entries[0].Title, "Issuer changed, root changed: issued by Other CA OC R2, under Other Root, GB"; got != want ||
		!strings.Contains(strings.ToLower(got), "issuer changed") {
		t.Errorf("new entry's title %q, want %q", got, want)
	}
	if !strings.Contains(f.Entries[0].Content, "Changes: issuer changed from Example Trust ET R1 to Other CA OC R2; root changed from Example Trust Root X1 to Other Root, GB") {
		t.Errorf("new entry's content:\n%s", f.Entries[0].Content)
	}
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, feed2, 0o644); err != nil {
		t.Fatal(err)
	}
	if res, err := feedcheck.Check(testenv.Python(t), []string{path}); err != nil || res[0].Version != "atom10" || res[0].Entries != 2 {
		t.Errorf("feedparser: %+v, %v", res, err)
	}

	// Made once per history: the same ETag, and 304 to a reader that has it.
	etag := res.Header.Get("Etag")
	req, _ := http.NewRequest("GET", "https://blog.test/tls/feed.xml", nil)
	req.Header.Set("If-None-Match", etag)
	if res, err := c1.Do(req); err != nil || res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: %v, %v", res, err)
	} else {
		res.Body.Close()
	}
	if res, err := c1.Post("https://blog.test/tls/feed.xml", "text/plain", nil); err != nil || res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %v, %v", res, err)
	} else {
		res.Body.Close()
	}

	// The alert: on /tls/ and in /tls.json for the new certificate's
	// connections, not for the old one's; logged once.
	const alert = "expected a certificate issued by example trust, but this one was issued by Other CA OC R2"
	_, page2 := get(t, c2, "https://blog.test/tls/")
	if !strings.Contains(string(page2), `<p class="tls-alert" role="alert"><strong>Alert:</strong> `+alert+`</p>`) {
		t.Errorf("/tls/ lacks the alert:\n%s", page2)
	}
	if !strings.Contains(string(page2), "<strong>issuer changed from Example Trust ET R1 to Other CA OC R2</strong>") {
		t.Error("/tls/'s history does not say the issuer changed")
	}
	var doc struct{ Alert string }
	if _, js := get(t, c2, "https://blog.test/tls.json"); json.Unmarshal(js, &doc) != nil || doc.Alert != alert {
		t.Errorf("/tls.json: %s", js)
	}
	if _, page := get(t, c1, "https://blog.test/tls/"); strings.Contains(string(page), "tls-alert") {
		t.Error("the first certificate's connection shows the second's alert")
	}
	if n := strings.Count(logs.String(), "unexpected certificate issuer"); n != 1 {
		t.Errorf("the mismatch was logged %d times, want once:\n%s", n, logs)
	}
	if !strings.Contains(logs.String(), "certificate changed") {
		t.Errorf("the change is not logged:\n%s", logs)
	}

	// The server keeps what verification established for each certificate.
	for _, tc := range []struct {
		cert   *x509.Certificate
		anchor string
	}{{a.Leaf.Cert, "Example Trust Root X1"}, {bLeaf.Cert, "Other Root, GB"}} {
		fp := sha256.Sum256(tc.cert.Raw)
		info := srv.certs.byFingerprint(fp[:])
		if info == nil || info.report.Trust == nil || info.report.Trust.State != tlsinfo.Verified || info.report.Trust.AnchorLabel() != tc.anchor {
			t.Errorf("certificate %s: trust %+v", tc.anchor, info)
		}
	}
}

// Over plain HTTP, with no history, the feed is valid Atom without
// entries, its links on http://.
func TestPlainHTTPFeed(t *testing.T) {
	srv, err := New(withSite(t, Config{}))
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)
	res, data := get(t, http.DefaultClient, "http://"+r.httpAddr+"/tls/feed.xml")
	var f struct {
		ID      string     `xml:"id"`
		Title   string     `xml:"title"`
		Entries []struct{} `xml:"entry"`
	}
	if err := xml.Unmarshal(data, &f); err != nil || res.StatusCode != 200 {
		t.Fatalf("feed: %d %v\n%s", res.StatusCode, err, data)
	}
	if f.ID != "http://"+r.httpAddr+"/tls/feed.xml" || f.Title != "Certificates of Badge Test" || len(f.Entries) != 0 {
		t.Errorf("feed: %s", data)
	}
}
