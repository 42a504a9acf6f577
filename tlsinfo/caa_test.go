package tlsinfo

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/siteblog/site/internal/testpebble"
)

// testNode is one name served by testDNS.
type testNode struct {
	caa   []CAARecord // Flags, Tag and Value are served
	cname string      // an alias of this name
	// cnameOnly answers with the alias alone, as an authoritative server
	// does for a target outside its zone.
	cnameOnly bool
	rcode     dnsmessage.RCode // answer every query with this code
	truncate  bool             // UDP answers are truncated
	forge     bool             // each UDP answer is preceded by one with another ID
}

// testDNS is a recursive resolver for a fixed zone on 127.0.0.1, over UDP
// and TCP on one port. Names not in the zone do not exist (NXDOMAIN).
type testDNS struct {
	Addr string
	zone map[string]*testNode

	mu      sync.Mutex
	queries []string // "udp name", "tcp name"
}

func startTestDNS(t *testing.T, zone map[string]*testNode) *testDNS {
	t.Helper()
	s := &testDNS{zone: zone}
	var pc net.PacketConn
	var ln net.Listener
	for range 20 {
		var err error
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if ln, err = net.Listen("tcp", pc.LocalAddr().String()); err == nil {
			break
		}
		pc.Close()
		pc = nil
	}
	if pc == nil {
		t.Fatal("no port free for both UDP and TCP")
	}
	s.Addr = pc.LocalAddr().String()
	var wg sync.WaitGroup
	t.Cleanup(func() { pc.Close(); ln.Close(); wg.Wait() })
	wg.Go(func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			for _, resp := range s.respond(buf[:n], "udp") {
				pc.WriteTo(resp, from)
			}
		}
	})
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer conn.Close()
				var n [2]byte
				if _, err := io.ReadFull(conn, n[:]); err != nil {
					return
				}
				msg := make([]byte, binary.BigEndian.Uint16(n[:]))
				if _, err := io.ReadFull(conn, msg); err != nil {
					return
				}
				for _, resp := range s.respond(msg, "tcp") {
					conn.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(resp))), resp...))
				}
			})
		}
	})
	return s
}

// sent reports whether a query for name went over network.
func (s *testDNS) sent(network, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range s.queries {
		if q == network+" "+name {
			return true
		}
	}
	return false
}

func (s *testDNS) respond(msg []byte, network string) [][]byte {
	var p dnsmessage.Parser
	h, err := p.Start(msg)
	if err != nil {
		return nil
	}
	q, err := p.Question()
	if err != nil {
		return nil
	}
	name := dnsName(q.Name)
	s.mu.Lock()
	s.queries = append(s.queries, network+" "+name)
	s.mu.Unlock()

	rh := dnsmessage.Header{ID: h.ID, Response: true, RecursionDesired: h.RecursionDesired, RecursionAvailable: true}
	var answers []func(*dnsmessage.Builder) error
	node := s.zone[name]
	switch {
	case node == nil:
		rh.RCode = dnsmessage.RCodeNameError
	case node.rcode != dnsmessage.RCodeSuccess:
		rh.RCode = node.rcode
	case node.truncate && network == "udp":
		rh.Truncated = true
	default:
		owner := name
		for hops := 0; node != nil && node.cname != "" && hops < 8; hops++ {
			alias, target := owner, node.cname
			answers = append(answers, func(b *dnsmessage.Builder) error {
				return b.CNAMEResource(testRRHeader(alias, dnsmessage.TypeCNAME), dnsmessage.CNAMEResource{CNAME: dnsmessage.MustNewName(target + ".")})
			})
			if node.cnameOnly {
				node = nil
				break
			}
			owner, node = target, s.zone[target]
			if node == nil {
				rh.RCode = dnsmessage.RCodeNameError
			}
		}
		if node != nil && q.Type == typeCAA {
			for _, r := range node.caa {
				data := append([]byte{r.Flags, byte(len(r.Tag))}, r.Tag+r.Value...)
				answers = append(answers, func(b *dnsmessage.Builder) error {
					return b.UnknownResource(testRRHeader(owner, typeCAA), dnsmessage.UnknownResource{Type: typeCAA, Data: data})
				})
			}
		}
	}
	build := func(h dnsmessage.Header) []byte {
		b := dnsmessage.NewBuilder(nil, h)
		b.StartQuestions()
		b.Question(q)
		b.StartAnswers()
		for _, a := range answers {
			if err := a(&b); err != nil {
				panic(err)
			}
		}
		resp, err := b.Finish()
		if err != nil {
			panic(err)
		}
		return resp
	}
	out := [][]byte{build(rh)}
	if node != nil && node.forge && network == "udp" {
		forged := rh
		forged.ID++
		forged.RCode = dnsmessage.RCodeServerFailure
		out = append([][]byte{build(forged)}, out...)
	}
	return out
}

func testRRHeader(name string, typ dnsmessage.Type) dnsmessage.ResourceHeader {
	return dnsmessage.ResourceHeader{Name: dnsmessage.MustNewName(name + "."), Type: typ, Class: dnsmessage.ClassINET, TTL: 60}
}

func issue(v string) CAARecord { return CAARecord{Tag: "issue", Value: v} }

const (
	acct1 = "https://acme.example/acct/1"
	acct2 = "https://acme.example/acct/2"
)

var le = []string{"letsencrypt.org"}

func testZone() map[string]*testNode {
	big := []CAARecord{issue("letsencrypt.org")}
	for i := range 40 {
		big = append(big, CAARecord{Tag: "iodef", Value: fmt.Sprintf("mailto:caa-reports-%02d@big.test", i)})
	}
	return map[string]*testNode{
		"test":               {},
		"xn--bcher-kva.test": {caa: []CAARecord{issue("letsencrypt.org")}},
		"none.test":          {},
		"www.none.test":      {},
		"forbid.test":        {caa: []CAARecord{issue(";")}},
		"acct.test":          {caa: []CAARecord{issue("letsencrypt.org; accounturi=" + acct1)}},
		"parent.test":        {caa: []CAARecord{issue("letsencrypt.org")}},
		"apex.test":          {cname: "cdn.provider.test"},
		"apex-only.test":     {cname: "cdn.provider.test", cnameOnly: true},
		"provider.test":      {caa: []CAARecord{issue(";")}},
		"cdn.provider.test":  {caa: []CAARecord{issue("pki.goog"), {Tag: "iodef", Value: "mailto:caa@provider.test"}}},
		"bare.provider.test": {},
		"alias.test":         {caa: []CAARecord{issue("digicert.com")}},
		"www.alias.test":     {cname: "bare.provider.test"},
		"wild.test":          {caa: []CAARecord{issue("digicert.com"), {Tag: "issuewild", Value: "letsencrypt.org"}}},
		"crit.test":          {caa: []CAARecord{{Flags: 128, Tag: "tbs", Value: "unknown"}, issue("letsencrypt.org")}},
		"fail.test":          {rcode: dnsmessage.RCodeServerFailure},
		"refused.test":       {rcode: dnsmessage.RCodeRefused},
		"big.test":           {truncate: true, caa: big},
		"forged.test":        {forge: true, caa: []CAARecord{issue("letsencrypt.org")}},
		"loop.test":          {cname: "loop2.test", cnameOnly: true},
		"loop2.test":         {cname: "loop.test", cnameOnly: true},
	}
}

func TestLookupCAA(t *testing.T) {
	dns := startTestDNS(t, testZone())
	opts := CAAOptions{Resolver: dns.Addr, Timeout: 2 * time.Second}
	for _, tc := range []struct {
		desc       string
		domain     string
		ids        []string
		account    string
		wantAt     string
		wantTarget string
		wantStatus CAAStatus
		wantMatch  *bool
		wantErr    string // substring; the lookup fails
		wantErrIs  error
		wantTCP    string // a name that must have been asked over TCP
	}{
		{desc: "no records anywhere", domain: "www.none.test", ids: le, wantStatus: CAANone},
		{desc: "no such name anywhere", domain: "nowhere.invalid", ids: le, wantStatus: CAANone},
		{desc: `issue ";" forbids all`, domain: "forbid.test", ids: le, wantAt: "forbid.test", wantStatus: CAANotAllowed},
		{desc: "accounturi names this account", domain: "acct.test", ids: le, account: acct1, wantAt: "acct.test", wantStatus: CAAAllowed, wantMatch: ptr(true)},
		{desc: "accounturi names another account", domain: "acct.test", ids: le, account: acct2, wantAt: "acct.test", wantStatus: CAAOtherAccount, wantMatch: ptr(false)},
		{desc: "accounturi, account unknown", domain: "acct.test", ids: le, wantAt: "acct.test", wantStatus: CAAAllowed},
		{desc: "accounturi, CA not named", domain: "acct.test", ids: []string{"pki.goog"}, account: acct1, wantAt: "acct.test", wantStatus: CAANotAllowed},
		{desc: "CA identifier unknown", domain: "acct.test", wantAt: "acct.test", wantStatus: CAAUnknownCA},
		{desc: "records at the parent only", domain: "blog.parent.test", ids: le, wantAt: "parent.test", wantStatus: CAAAllowed},
		{desc: "records two levels up, name in capitals", domain: "A.B.Parent.TEST.", ids: le, wantAt: "parent.test", wantStatus: CAAAllowed},
		{desc: "CNAME at the apex, target's records in the answer", domain: "apex.test", ids: []string{"pki.goog"}, wantAt: "apex.test", wantTarget: "cdn.provider.test", wantStatus: CAAAllowed},
		{desc: "CNAME at the apex names another CA", domain: "apex.test", ids: le, wantAt: "apex.test", wantTarget: "cdn.provider.test", wantStatus: CAANotAllowed},
		{desc: "CNAME-only answer: the target is asked", domain: "www.apex-only.test", ids: []string{"pki.goog"}, wantAt: "apex-only.test", wantTarget: "cdn.provider.test", wantStatus: CAAAllowed},
		{desc: "CNAME to a target without records: the alias's parent decides", domain: "www.alias.test", ids: []string{"digicert.com"}, wantAt: "alias.test", wantStatus: CAAAllowed},
		{desc: "issuewild allows a wildcard", domain: "*.wild.test", ids: le, wantAt: "wild.test", wantStatus: CAAAllowed},
		{desc: "issuewild does not apply to the bare name", domain: "wild.test", ids: le, wantAt: "wild.test", wantStatus: CAANotAllowed},
		{desc: "issuewild overrides issue for a wildcard", domain: "*.wild.test", ids: []string{"digicert.com"}, wantAt: "wild.test", wantStatus: CAANotAllowed},
		{desc: "critical unknown tag forbids", domain: "crit.test", ids: le, wantAt: "crit.test", wantStatus: CAANotAllowed},
		{desc: "SERVFAIL is an error", domain: "www.fail.test", ids: le, wantErr: "about fail.test", wantErrIs: ErrDNSServerFailure},
		{desc: "REFUSED is an error", domain: "refused.test", ids: le, wantErr: "answered Refused"},
		{desc: "truncated UDP answer is asked again over TCP", domain: "big.test", ids: le, wantAt: "big.test", wantStatus: CAAAllowed, wantTCP: "big.test"},
		{desc: "answer with another ID is ignored", domain: "forged.test", ids: le, wantAt: "forged.test", wantStatus: CAAAllowed},
		{desc: "CNAME loop is an error", domain: "loop.test", ids: le, wantErr: "CNAME loop"},
		{desc: "internationalised name", domain: "www.bücher.test", ids: le, wantAt: "xn--bcher-kva.test", wantStatus: CAAAllowed},
		{desc: "IP address", domain: "127.0.0.1", ids: le, wantErr: "IP address"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			records, at, err := LookupCAA(context.Background(), tc.domain, opts)
			if tc.wantErr != "" || tc.wantErrIs != nil {
				if err == nil {
					t.Fatalf("LookupCAA(%s) = %v at %q, want an error", tc.domain, records, at)
				}
				if !strings.Contains(err.Error(), tc.wantErr) || tc.wantErrIs != nil && !errors.Is(err, tc.wantErrIs) {
					t.Fatalf("LookupCAA(%s) error %q, want %q (is %v)", tc.domain, err, tc.wantErr, tc.wantErrIs)
				}
				return
			}
			if err != nil {
				t.Fatalf("LookupCAA(%s): %v", tc.domain, err)
			}
			if at != tc.wantAt {
				t.Errorf("found at %q, want %q", at, tc.wantAt)
			}
			for _, r := range records {
				if r.Domain != tc.wantAt || r.Target != tc.wantTarget {
					t.Errorf("record %v: domain %q target %q, want %q and %q", r, r.Domain, r.Target, tc.wantAt, tc.wantTarget)
				}
			}
			c := CheckCAA(records, tc.domain, tc.ids, tc.account)
			if c.Status != tc.wantStatus || c.Allowed != (tc.wantStatus == CAAAllowed || tc.wantStatus == CAANone) {
				t.Errorf("CheckCAA: status %q allowed %v, want %q (%s)", c.Status, c.Allowed, tc.wantStatus, c.Verdict)
			}
			if !reflect.DeepEqual(c.AccountMatch, tc.wantMatch) {
				t.Errorf("AccountMatch = %v, want %v", c.AccountMatch, tc.wantMatch)
			}
			if c.FoundAt != tc.wantAt {
				t.Errorf("CheckCAA FoundAt %q, want %q", c.FoundAt, tc.wantAt)
			}
			if tc.wantTCP != "" && !dns.sent("tcp", tc.wantTCP) {
				t.Errorf("%s was never asked over TCP", tc.wantTCP)
			}
		})
	}
	// The tree walk stops at the first record set and never asks the root.
	if dns.sent("udp", "") || !dns.sent("udp", "test") {
		t.Errorf("the walk should ask the top-level domain, never the root: %v", dns.queries)
	}
	if dns.sent("udp", "provider.test") {
		t.Errorf("the walk climbed the CNAME target's tree: %v", dns.queries)
	}
}

func ptr[T any](v T) *T { return &v }

func TestLookupCAATimeout(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0") // reads nothing, answers nothing
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	start := time.Now()
	_, _, err = LookupCAA(context.Background(), "example.com", CAAOptions{Resolver: pc.LocalAddr().String(), Timeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "no answer within 200ms") {
		t.Fatalf("error %v, want no answer within 200ms", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, _, err = LookupCAA(ctx, "example.com", CAAOptions{Resolver: pc.LocalAddr().String(), Timeout: 10 * time.Second})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestDefaultResolver(t *testing.T) {
	dir := t.TempDir()
	old := resolvConf
	t.Cleanup(func() { resolvConf = old })
	for _, tc := range []struct {
		conf, want, wantErr string
	}{
		{conf: "# generated\nsearch example.com\nnameserver 10.0.0.1\nnameserver 10.0.0.2\n", want: "10.0.0.1:53"},
		{conf: "nameserver ::1\n", want: "[::1]:53"},
		{conf: "search example.com\n", wantErr: "names no nameserver"},
	} {
		resolvConf = filepath.Join(dir, "resolv.conf")
		if err := os.WriteFile(resolvConf, []byte(tc.conf), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := defaultResolver()
		if got != tc.want || (err == nil) != (tc.wantErr == "") || err != nil && !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%q: defaultResolver() = %q, %v; want %q, %q", tc.conf, got, err, tc.want, tc.wantErr)
		}
	}
	resolvConf = filepath.Join(dir, "missing")
	if _, _, err := LookupCAA(context.Background(), "example.com", CAAOptions{}); err == nil || !strings.Contains(err.Error(), "no resolver given") {
		t.Errorf("LookupCAA without a resolver: %v", err)
	}
}

func TestParseCAARData(t *testing.T) {
	for _, tc := range []struct {
		data    []byte
		want    CAARecord
		wantErr bool
	}{
		{data: append([]byte{0, 5}, "issueletsencrypt.org"...), want: CAARecord{Tag: "issue", Value: "letsencrypt.org"}},
		{data: append([]byte{128, 3}, "tbs"...), want: CAARecord{Flags: 128, Tag: "tbs"}},
		{data: []byte{0}, wantErr: true},
		{data: append([]byte{0, 0}, "x"...), wantErr: true},
		{data: append([]byte{0, 9}, "issue"...), wantErr: true},
		{data: append([]byte{0, 5}, "iss-e;"...), wantErr: true},
	} {
		got, err := parseCAARData(tc.data)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("parseCAARData(%q) = %+v, %v; want %+v, error %v", tc.data, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestCAARecordString(t *testing.T) {
	r := CAARecord{Flags: 128, Tag: "issue", Value: `letsencrypt.org; accounturi="x"`}
	if got, want := r.String(), `128 issue "letsencrypt.org; accounturi=\"x\""`; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if !r.Critical() || (CAARecord{Flags: 1}).Critical() {
		t.Error("Critical() is not the flag 128")
	}
}

func TestParseCAAValue(t *testing.T) {
	for _, tc := range []struct {
		value  string
		ok     bool
		issuer string
		params map[string][]string
	}{
		{value: "letsencrypt.org", ok: true, issuer: "letsencrypt.org", params: map[string][]string{}},
		{value: " LetsEncrypt.ORG ", ok: true, issuer: "letsencrypt.org", params: map[string][]string{}},
		{value: ";", ok: true, params: map[string][]string{}},
		{value: "", ok: true, params: map[string][]string{}},
		{value: "letsencrypt.org; accounturi=" + acct1 + "; validationmethods=http-01,dns-01", ok: true, issuer: "letsencrypt.org",
			params: map[string][]string{"accounturi": {acct1}, "validationmethods": {"http-01,dns-01"}}},
		{value: "letsencrypt.org ;\taccounturi = " + acct1 + " ", ok: true, issuer: "letsencrypt.org", params: map[string][]string{"accounturi": {acct1}}},
		{value: "%%%%%", ok: false},
		{value: "-ca.example", ok: false},
		{value: "ca..example", ok: false},
		{value: "letsencrypt.org; accounturi", ok: false},
		{value: "letsencrypt.org; account uri=x", ok: false},
		{value: "letsencrypt.org; accounturi=a b", ok: false},
	} {
		v, ok := parseCAAValue(tc.value)
		if ok != tc.ok || ok && (v.issuer != tc.issuer || !reflect.DeepEqual(v.params, tc.params)) {
			t.Errorf("parseCAAValue(%q) = %+v, %v; want %q %v, %v", tc.value, v, ok, tc.issuer, tc.params, tc.ok)
		}
	}
}

func TestCheckCAA(t *testing.T) {
	at := func(rs ...CAARecord) []CAARecord {
		for i := range rs {
			rs[i].Domain = "example.com"
		}
		return rs
	}
	for _, tc := range []struct {
		desc        string
		records     []CAARecord
		domain      string
		ids         []string
		account     string
		want        CAAStatus
		wantBy      string // value of AllowedBy
		wantMatch   *bool
		wantMethods []string
		verdict     string // substring
	}{
		{desc: "none", domain: "example.com", ids: le, want: CAANone, verdict: "no CAA records: any CA may issue"},
		{desc: `issue ";"`, records: at(issue(";")), domain: "example.com", ids: le, want: CAANotAllowed, verdict: `forbid all issuance (issue ";")`},
		{desc: "empty issue", records: at(issue("")), domain: "example.com", ids: le, want: CAANotAllowed, verdict: "forbid all issuance"},
		{desc: "malformed issue forbids", records: at(issue("%%%%%")), domain: "example.com", ids: le, want: CAANotAllowed, verdict: "forbid all issuance"},
		{desc: "named, any case", records: at(issue("LetsEncrypt.ORG")), domain: "example.com", ids: le, want: CAAAllowed, wantBy: "LetsEncrypt.ORG",
			verdict: `allowed: the CAA record issue "LetsEncrypt.ORG" at example.com names this CA`},
		{desc: "another CA", records: at(issue("digicert.com"), issue("sectigo.com")), domain: "example.com", ids: le, want: CAANotAllowed,
			verdict: "allow only digicert.com, sectigo.com"},
		{desc: "one of several", records: at(issue("digicert.com"), issue("letsencrypt.org")), domain: "example.com", ids: le, want: CAAAllowed, wantBy: "letsencrypt.org"},
		{desc: "forbid plus a CA: the CA", records: at(issue(";"), issue("letsencrypt.org")), domain: "example.com", ids: le, want: CAAAllowed, wantBy: "letsencrypt.org"},
		{desc: "iodef only restricts nothing", records: at(CAARecord{Tag: "iodef", Value: "mailto:a@example.com"}), domain: "example.com", ids: le, want: CAAAllowed, verdict: "restrict no CA"},
		{desc: "issuewild only, plain name", records: at(CAARecord{Tag: "issuewild", Value: ";"}), domain: "www.example.com", ids: le, want: CAAAllowed, verdict: "no issue record"},
		{desc: "issuewild only, wildcard", records: at(CAARecord{Tag: "issuewild", Value: "digicert.com"}), domain: "*.example.com", ids: le, want: CAANotAllowed},
		{desc: "issue decides a wildcard without issuewild", records: at(issue("letsencrypt.org")), domain: "*.example.com", ids: le, want: CAAAllowed, wantBy: "letsencrypt.org"},
		{desc: "issuewild decides a wildcard", records: at(issue(";"), CAARecord{Tag: "ISSUEWILD", Value: "letsencrypt.org"}), domain: "*.example.com", ids: le, want: CAAAllowed, wantBy: "letsencrypt.org"},
		{desc: "critical unknown tag", records: at(CAARecord{Flags: 128, Tag: "tbs", Value: "x"}, issue("letsencrypt.org")), domain: "example.com", ids: le, want: CAANotAllowed, verdict: `critical tag "tbs"`},
		{desc: "critical known tag", records: at(CAARecord{Flags: 128, Tag: "issue", Value: "letsencrypt.org"}), domain: "example.com", ids: le, want: CAAAllowed, wantBy: "letsencrypt.org"},
		{desc: "unknown tag without the flag", records: at(CAARecord{Tag: "tbs", Value: "x"}, issue("letsencrypt.org")), domain: "example.com", ids: le, want: CAAAllowed, wantBy: "letsencrypt.org"},
		{desc: "accounturi this account", records: at(issue("letsencrypt.org; accounturi=" + acct1)), domain: "example.com", ids: le, account: acct1, want: CAAAllowed, wantMatch: ptr(true),
			wantBy: "letsencrypt.org; accounturi=" + acct1, verdict: "names this CA and this ACME account"},
		{desc: "accounturi another account", records: at(issue("letsencrypt.org; accounturi=" + acct1)), domain: "example.com", ids: le, account: acct2, want: CAAOtherAccount, wantMatch: ptr(false),
			verdict: "allowed for this CA, but not for this account: the CAA records at example.com name only the ACME account " + acct1},
		{desc: "accounturi, no account known", records: at(issue("letsencrypt.org; accounturi=" + acct1)), domain: "example.com", ids: le, want: CAAAllowed,
			wantBy: "letsencrypt.org; accounturi=" + acct1, verdict: "for the ACME account " + acct1 + " only"},
		{desc: "one record per account", records: at(issue("letsencrypt.org; accounturi="+acct1), issue("letsencrypt.org; accounturi="+acct2)), domain: "example.com", ids: le, account: acct2,
			want: CAAAllowed, wantMatch: ptr(true), wantBy: "letsencrypt.org; accounturi=" + acct2},
		{desc: "another account's record beside an open one", records: at(issue("letsencrypt.org; accounturi="+acct1), issue("letsencrypt.org")), domain: "example.com", ids: le, account: acct2,
			want: CAAAllowed, wantBy: "letsencrypt.org"},
		{desc: "two accounturi parameters", records: at(issue("letsencrypt.org; accounturi=" + acct1 + "; accounturi=" + acct2)), domain: "example.com", ids: le, account: acct1,
			want: CAANotAllowed, verdict: "more than one accounturi"},
		{desc: "validationmethods", records: at(issue("letsencrypt.org; validationmethods=http-01,tls-alpn-01")), domain: "example.com", ids: le, want: CAAAllowed,
			wantBy: "letsencrypt.org; validationmethods=http-01,tls-alpn-01", wantMethods: []string{"http-01", "tls-alpn-01"}, verdict: "by http-01 or tls-alpn-01 validation only"},
		{desc: "CA identifier unknown", records: at(issue("letsencrypt.org")), domain: "example.com", want: CAAUnknownCA, verdict: "this CA's CAA identifier is unknown"},
		{desc: "CA identifier unknown, all forbidden", records: at(issue(";")), domain: "example.com", want: CAANotAllowed},
		{desc: "through an alias", records: []CAARecord{{Tag: "issue", Value: "pki.goog", Domain: "example.com", Target: "cdn.example.net"}}, domain: "example.com", ids: []string{"pki.goog"},
			want: CAAAllowed, wantBy: "pki.goog", verdict: "at example.com (an alias of cdn.example.net)"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			c := CheckCAA(tc.records, tc.domain, tc.ids, tc.account)
			if c.Status != tc.want || c.Allowed != (tc.want == CAAAllowed || tc.want == CAANone) {
				t.Errorf("status %q allowed %v, want %q: %s", c.Status, c.Allowed, tc.want, c.Verdict)
			}
			by := ""
			if c.AllowedBy != nil {
				by = c.AllowedBy.Value
			}
			if by != tc.wantBy {
				t.Errorf("allowed by %q, want %q", by, tc.wantBy)
			}
			if !reflect.DeepEqual(c.AccountMatch, tc.wantMatch) {
				t.Errorf("AccountMatch = %v, want %v", c.AccountMatch, tc.wantMatch)
			}
			if !reflect.DeepEqual(c.ValidationMethods, tc.wantMethods) {
				t.Errorf("ValidationMethods = %q, want %q", c.ValidationMethods, tc.wantMethods)
			}
			if !strings.Contains(c.Verdict, tc.verdict) {
				t.Errorf("verdict %q, want it to contain %q", c.Verdict, tc.verdict)
			}
		})
	}
}

func TestCAACheckJSON(t *testing.T) {
	c := CheckCAA([]CAARecord{{Tag: "issue", Value: "letsencrypt.org; accounturi=" + acct1, Domain: "example.com"}}, "www.example.com", le, acct1)
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"domain", "found_at", "records", "ca_identities", "status", "allowed", "allowed_by", "account_match", "account_uris", "verdict"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON %s has no %q", data, k)
		}
	}
	if m["status"] != "allowed" || m["account_match"] != true {
		t.Errorf("JSON %s", data)
	}
}

func TestCAAIdentities(t *testing.T) {
	for _, tc := range []struct {
		org  string
		want []string
	}{
		{"Let's Encrypt", []string{"letsencrypt.org"}},
		{"(STAGING) Let's Encrypt", []string{"letsencrypt.org"}},
		{"Google Trust Services", []string{"pki.goog"}},
		{"Google Trust Services LLC", []string{"pki.goog"}},
		{"DigiCert Inc", []string{"digicert.com", "symantec.com", "geotrust.com", "thawte.com", "rapidssl.com"}},
		{"DigiCert, Inc.", []string{"digicert.com", "symantec.com", "geotrust.com", "thawte.com", "rapidssl.com"}},
		{"Sectigo Limited", []string{"sectigo.com", "comodoca.com"}},
		{"ZeroSSL", []string{"sectigo.com", "comodoca.com"}},
		{"COMODO CA Limited", []string{"sectigo.com", "comodoca.com"}},
		{"GlobalSign nv-sa", []string{"globalsign.com"}},
		{"Amazon", []string{"amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com"}},
		{"Buypass AS-983163327", []string{"buypass.com"}},
		{"SSL Corporation", []string{"ssl.com"}},
		{"Entrust, Inc.", []string{"entrust.net"}},
		{"GoDaddy.com, Inc.", []string{"godaddy.com", "starfieldtech.com"}},
		{"Pebble", nil},
		{"Amazonia Certs", nil},
		{"", nil},
	} {
		if got := CAAIdentities(tc.org); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("CAAIdentities(%q) = %q, want %q", tc.org, got, tc.want)
		}
	}
	// The result is the caller's to change.
	CAAIdentities("Let's Encrypt")[0] = "changed"
	if got := CAAIdentities("Let's Encrypt")[0]; got != "letsencrypt.org" {
		t.Errorf("the table changed: %q", got)
	}
}

// TestLookupCAAChalltestsrv asks Debian's pebble-challtestsrv, whose CAA
// records are set through its management API (/add-caa, /set-cname,
// /set-servfail). Its records always have flags 0 and it answers every
// name NOERROR, so critical tags and NXDOMAIN are covered by TestLookupCAA.
func TestLookupCAAChalltestsrv(t *testing.T) {
	srv := testpebble.StartChallTestSrv(t)
	srv.AddCAA("forbid.caa.test", testpebble.CAAPolicy{Tag: "issue", Value: ";"})
	srv.AddCAA("acct.caa.test", testpebble.CAAPolicy{Tag: "issue", Value: "letsencrypt.org; accounturi=" + acct1})
	srv.AddCAA("parent.caa.test", testpebble.CAAPolicy{Tag: "issue", Value: "letsencrypt.org"},
		testpebble.CAAPolicy{Tag: "iodef", Value: "mailto:caa@parent.caa.test"})
	srv.SetCNAME("apex.caa.test", "cdn.provider.caa.test")
	srv.AddCAA("cdn.provider.caa.test", testpebble.CAAPolicy{Tag: "issue", Value: "pki.goog"})
	srv.AddCAA("wild.caa.test", testpebble.CAAPolicy{Tag: "issue", Value: ";"}, testpebble.CAAPolicy{Tag: "issuewild", Value: "letsencrypt.org"})
	srv.SetServFail("fail.caa.test")

	opts := CAAOptions{Resolver: srv.DNSAddr, Timeout: 2 * time.Second}
	for _, tc := range []struct {
		desc, domain, account string
		ids                   []string
		wantAt, wantTarget    string
		want                  CAAStatus
		wantErrIs             error
	}{
		{desc: "none", domain: "www.none.caa.test", ids: le, want: CAANone},
		{desc: `issue ";"`, domain: "forbid.caa.test", ids: le, wantAt: "forbid.caa.test", want: CAANotAllowed},
		{desc: "right accounturi", domain: "acct.caa.test", ids: le, account: acct1, wantAt: "acct.caa.test", want: CAAAllowed},
		{desc: "wrong accounturi", domain: "acct.caa.test", ids: le, account: acct2, wantAt: "acct.caa.test", want: CAAOtherAccount},
		{desc: "parent", domain: "www.parent.caa.test", ids: le, wantAt: "parent.caa.test", want: CAAAllowed},
		{desc: "CNAME at the apex", domain: "apex.caa.test", ids: []string{"pki.goog"}, wantAt: "apex.caa.test", wantTarget: "cdn.provider.caa.test", want: CAAAllowed},
		{desc: "CNAME at the apex, another CA", domain: "apex.caa.test", ids: le, wantAt: "apex.caa.test", wantTarget: "cdn.provider.caa.test", want: CAANotAllowed},
		{desc: "issuewild", domain: "*.wild.caa.test", ids: le, wantAt: "wild.caa.test", want: CAAAllowed},
		{desc: "SERVFAIL", domain: "fail.caa.test", ids: le, wantErrIs: ErrDNSServerFailure},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			records, at, err := LookupCAA(context.Background(), tc.domain, opts)
			if tc.wantErrIs != nil {
				if !errors.Is(err, tc.wantErrIs) {
					t.Fatalf("LookupCAA(%s) = %v, %v; want %v", tc.domain, records, err, tc.wantErrIs)
				}
				return
			}
			if err != nil {
				t.Fatalf("LookupCAA(%s): %v", tc.domain, err)
			}
			if at != tc.wantAt {
				t.Errorf("found at %q, want %q", at, tc.wantAt)
			}
			for _, r := range records {
				if r.Target != tc.wantTarget || r.Flags != 0 {
					t.Errorf("record %+v, want target %q", r, tc.wantTarget)
				}
			}
			if c := CheckCAA(records, tc.domain, tc.ids, tc.account); c.Status != tc.want {
				t.Errorf("status %q, want %q: %s", c.Status, tc.want, c.Verdict)
			}
		})
	}
}
