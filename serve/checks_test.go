package serve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/internal/testpebble"
	"github.com/siteblog/site/tlsinfo"
)

// checksPKI is a root and an intermediate ("Example Trust ET R1") that
// issue leaves for the tests of this file.
type checksPKI struct {
	root, inter *testcert.Cert
	roots       *x509.CertPool
}

func newChecksPKI(t *testing.T) *checksPKI {
	t.Helper()
	root := testcert.New(t, testcert.Options{CommonName: "Example Trust Root X1", Organization: "Example Trust", CA: true}, nil)
	inter := testcert.New(t, testcert.Options{CommonName: "ET R1", Organization: "Example Trust", CA: true}, root)
	pool := x509.NewCertPool()
	pool.AddCert(root.Cert)
	return &checksPKI{root: root, inter: inter, roots: pool}
}

// leaf issues a leaf for name with SCTs from logs, as a server sends it.
func (p *checksPKI) leaf(t *testing.T, name string, logs ...*testcert.SCTLog) tls.Certificate {
	t.Helper()
	leaf := testcert.New(t, testcert.Options{CommonName: name, Names: []string{name}, SCTLogs: logs,
		SCTTime: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, p.inter)
	return tls.Certificate{Certificate: [][]byte{leaf.Cert.Raw, p.inter.Cert.Raw}, PrivateKey: leaf.Key, Leaf: leaf.Cert}
}

// tlsDoc is the part of /tls.json these tests read.
type tlsDoc struct {
	SCTs       []tlsinfo.SCTCheck `json:"scts"`
	SCTSummary string             `json:"sct_summary"`
	CAA        *badge.CAA         `json:"caa"`
}

func getTLSJSON(t *testing.T, c *http.Client, host string) tlsDoc {
	t.Helper()
	res, body := get(t, c, "https://"+host+badge.JSONPath)
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d %s", badge.JSONPath, res.StatusCode, body)
	}
	var doc tlsDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("%s: %v\n%s", badge.JSONPath, err, body)
	}
	return doc
}

// TestCertificateTransparency serves certificates whose leaf embeds SCTs
// signed by test logs named in the server's log list: the badge's
// screen-reader text, /tls/ and /tls.json say whether each verifies.
func TestCertificateTransparency(t *testing.T) {
	p := newChecksPKI(t)
	good := testcert.NewSCTLog(t, "Test Operator", "Test 'Good2026' log")
	flipped := testcert.NewSCTLog(t, "Other Operator", "Test 'Flip2026' log")
	flipped.Corrupt = true // one byte of its signatures is flipped
	list, err := tlsinfo.ParseLogList(testcert.LogListJSON(t, good, flipped))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		logs     []*testcert.SCTLog
		list     *tlsinfo.LogList
		sentence string
		status   []tlsinfo.SCTStatus
		cell     string // in the table of /tls/
	}{
		{"valid", []*testcert.SCTLog{good}, list,
			"Recorded by one Certificate Transparency log: Test 'Good2026' on 2026-01-02; its signature verified.",
			[]tlsinfo.SCTStatus{tlsinfo.SCTValid}, "<td>signature verified</td>"},
		{"flipped", []*testcert.SCTLog{good, flipped}, list,
			"Recorded by 2 Certificate Transparency logs: Test 'Good2026' on 2026-01-02 and Test 'Flip2026' on 2026-01-02; one signature verified, one signature does not verify.",
			[]tlsinfo.SCTStatus{tlsinfo.SCTValid, tlsinfo.SCTInvalid}, "<strong>signature does not verify</strong>: "},
		{"no list", []*testcert.SCTLog{good}, nil,
			"; not verified: no log list.",
			[]tlsinfo.SCTStatus{tlsinfo.SCTUnknownLog}, "<td>not verified: no log list</td>"},
		{"none", nil, list,
			"No Certificate Transparency log records are embedded in this certificate.", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &switchable{}
			src.set(p.leaf(t, "blog.test", tt.logs...))
			log, _ := testLogger(t)
			srv, err := New(withSite(t, Config{GetCertificate: src.get, Log: log, PublicRoots: p.roots, CTLogList: tt.list}))
			if err != nil {
				t.Fatal(err)
			}
			r := start(t, srv)
			c := client(r.httpsAddr, "blog.test", p.roots, nil)

			_, body := get(t, c, "https://blog.test"+longPost)
			b := badgeOf(t, body)
			_, hidden, _ := strings.Cut(b, `<span class="visually-hidden">`)
			hidden, _, _ = strings.Cut(hidden, "</span>")
			if hidden = html.UnescapeString(hidden); !strings.HasSuffix(hidden, tt.sentence) {
				t.Errorf("badge's screen-reader text %q, want it to end in %q", hidden, tt.sentence)
			}

			_, page := get(t, c, "https://blog.test"+badge.PagePath)
			text := html.UnescapeString(string(page))
			for _, want := range []string{`<h2 id="ct">Certificate Transparency</h2>`, tt.sentence, tt.cell,
				"CAA records not checked"} {
				if !strings.Contains(text, want) {
					t.Errorf("/tls/ lacks %q", want)
				}
			}
			hasTable := strings.Contains(text, `<div class="table-scroll" tabindex="0" role="region" aria-labelledby="ct">`)
			if hasTable != (len(tt.logs) > 0) {
				t.Errorf("/tls/ has the SCT table: %v, want %v", hasTable, len(tt.logs) > 0)
			}
			for i, l := range tt.logs {
				if tt.list != nil && !strings.Contains(text, "<td>"+l.Description+" (usable)</td><td>"+l.Operator+"</td>") {
					t.Errorf("/tls/ lacks the row of log %d, %s", i, l.Description)
				}
			}

			doc := getTLSJSON(t, c, "blog.test")
			if !strings.HasSuffix(doc.SCTSummary, tt.sentence) || len(doc.SCTs) != len(tt.status) {
				t.Fatalf("/tls.json: sct_summary %q, %d scts; want %q, %d", doc.SCTSummary, len(doc.SCTs), tt.sentence, len(tt.status))
			}
			for i, s := range doc.SCTs {
				id, _ := tt.logs[i].ID(t)
				if s.Status != tt.status[i] || s.LogID != base64ID(id) || !s.Timestamp.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
					t.Errorf("/tls.json scts[%d] = %+v, want status %s from log %s", i, s, tt.status[i], base64ID(id))
				}
			}
			if doc.CAA == nil || doc.CAA.State != badge.CAANotChecked {
				t.Errorf("/tls.json caa = %+v, want not-checked", doc.CAA)
			}
		})
	}
}

// TestCAA checks the CAA records of the served certificates' names
// against pebble-challtestsrv's DNS: none, issue ";", the CA allowed,
// allowed for this account and for another one only, and a DNS failure.
func TestCAA(t *testing.T) {
	dns := testpebble.StartChallTestSrv(t)
	const account, other = "https://ca.test/acct/1", "https://ca.test/acct/2"
	dns.AddCAA("forbid.blog.test", testpebble.CAAPolicy{Tag: "issue", Value: ";"})
	dns.AddCAA("allowed.blog.test", testpebble.CAAPolicy{Tag: "issue", Value: "ca.test"})
	dns.AddCAA("mine.blog.test", testpebble.CAAPolicy{Tag: "issue", Value: "ca.test; accounturi=" + account})
	dns.AddCAA("theirs.blog.test", testpebble.CAAPolicy{Tag: "issue", Value: "ca.test; accounturi=" + other})
	dns.SetServFail("fail.blog.test")

	p := newChecksPKI(t)
	release := make(chan struct{})
	var identityCalls, accountCalls atomic.Int64
	src := &switchable{}
	log, buf := testLogger(t)
	srv, err := New(withSite(t, Config{GetCertificate: src.get, Log: log, PublicRoots: p.roots, CAA: &CAAConfig{
		Resolver: dns.DNSAddr,
		Identities: func(ctx context.Context) ([]string, error) {
			identityCalls.Add(1)
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return []string{"ca.test"}, nil
		},
		AccountURI: func(context.Context) (string, error) {
			accountCalls.Add(1)
			return account, nil
		},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, srv)

	// waitChecked fetches /tls.json of name until its CAA check is done.
	waitChecked := func(c *http.Client, name string) tlsDoc {
		t.Helper()
		var doc tlsDoc
		testpebble.WaitFor(t, 30*time.Second, "CAA check of "+name, func() error {
			if doc = getTLSJSON(t, c, name); doc.CAA == nil || doc.CAA.State != badge.CAAChecked {
				return fmt.Errorf("caa %+v", doc.CAA)
			}
			return nil
		})
		return doc
	}

	// Until the check is done, /tls/ and /tls.json say "checking".
	src.set(p.leaf(t, "none.blog.test"))
	c := client(r.httpsAddr, "none.blog.test", p.roots, nil)
	_, page := get(t, c, "https://none.blog.test"+badge.PagePath)
	if !strings.Contains(string(page), "Checking the CAA records") {
		t.Errorf("/tls/ before the CAA check is done does not say it is checking")
	}
	if doc := getTLSJSON(t, c, "none.blog.test"); doc.CAA == nil || doc.CAA.State != badge.CAAChecking {
		t.Errorf("/tls.json caa before the check is done: %+v", doc.CAA)
	}
	close(release)

	tests := []struct {
		name    string
		status  tlsinfo.CAAStatus // "" for a failed lookup
		verdict string
		logged  bool
	}{
		{"none.blog.test", tlsinfo.CAANone, "no CAA records: any CA may issue", false},
		{"forbid.blog.test", tlsinfo.CAANotAllowed, `not allowed: the CAA records at forbid.blog.test forbid all issuance (issue ";")`, true},
		{"allowed.blog.test", tlsinfo.CAAAllowed, `allowed: the CAA record issue "ca.test" at allowed.blog.test names this CA`, false},
		{"mine.blog.test", tlsinfo.CAAAllowed, "names this CA and this ACME account", false},
		{"theirs.blog.test", tlsinfo.CAAOtherAccount, "allowed for this CA, but not for this account: the CAA records at theirs.blog.test name only the ACME account " + other, true},
		{"fail.blog.test", "", "could not be checked: CAA lookup for fail.blog.test: asking " + dns.DNSAddr + " about fail.blog.test: ", false},
	}
	for i, tt := range tests {
		if i > 0 { // the first is the certificate served above
			src.set(p.leaf(t, tt.name))
		}
		c := client(r.httpsAddr, tt.name, p.roots, nil)
		doc := waitChecked(c, tt.name)
		if len(doc.CAA.Names) != 1 || doc.CAA.Names[0].Domain != tt.name {
			t.Errorf("%s: /tls.json caa names %+v", tt.name, doc.CAA.Names)
			continue
		}
		n := doc.CAA.Names[0]
		switch {
		case tt.status == "" && (n.Check != nil || n.Err == ""):
			t.Errorf("%s: a failed lookup in /tls.json: %+v", tt.name, n)
		case tt.status != "" && (n.Check == nil || n.Check.Status != tt.status):
			t.Errorf("%s: /tls.json caa %+v %+v, want %s", tt.name, n, n.Check, tt.status)
		case !strings.Contains(n.Verdict(), tt.verdict):
			t.Errorf("%s: verdict %q, want %q", tt.name, n.Verdict(), tt.verdict)
		}
		if doc.CAA.Account != account || strings.Join(doc.CAA.Identities, ",") != "ca.test" {
			t.Errorf("%s: /tls.json caa account %q, identities %q", tt.name, doc.CAA.Account, doc.CAA.Identities)
		}
		_, page := get(t, c, "https://"+tt.name+badge.PagePath)
		text := html.UnescapeString(string(page))
		for _, want := range []string{`<h2 id="caa">`, "<h3>" + tt.name + "</h3>", tt.verdict} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: /tls/ lacks %q", tt.name, want)
			}
		}
		if n.Check != nil && len(n.Check.Records) > 0 && !strings.Contains(text, "found at "+tt.name+":<br><code>"+n.Check.Records[0].String()+"</code>") {
			t.Errorf("%s: /tls/ does not show the records and where they were found", tt.name)
		}
		// Many connections and requests: a mismatch is logged once.
		for range 3 {
			get(t, client(r.httpsAddr, tt.name, p.roots, nil), "https://"+tt.name+"/")
		}
		if got, want := strings.Count(buf.String(), "CAA records do not allow the certificate's CA\" name="+tt.name), map[bool]int{true: 1}[tt.logged]; got != want {
			t.Errorf("%s: the mismatch was logged %d times, want %d", tt.name, got, want)
		}
	}
	if ic, ac := identityCalls.Load(), accountCalls.Load(); ic != int64(len(tests)) || ac != int64(len(tests)) {
		t.Errorf("Identities called %d times, AccountURI %d times, want once per certificate (%d)", ic, ac, len(tests))
	}

	// A renewal of a certificate for a forbidden name is a new
	// certificate: it is checked, and its mismatch logged, again.
	src.set(p.leaf(t, "forbid.blog.test"))
	waitChecked(client(r.httpsAddr, "forbid.blog.test", p.roots, nil), "forbid.blog.test")
	if n := strings.Count(buf.String(), "CAA records do not allow the certificate's CA\" name=forbid.blog.test"); n != 2 {
		t.Errorf("after a renewal, the mismatch of forbid.blog.test was logged %d times, want twice", n)
	}
}

func base64ID(id [32]byte) string { return base64.StdEncoding.EncodeToString(id[:]) }
