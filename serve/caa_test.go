package serve

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testpebble"
	"github.com/siteblog/site/tlsinfo"
)

// TestCAARetry: a CAA check that failed (SERVFAIL, no account yet) is
// tried again with backoff until it succeeds, the failure logged once;
// a mismatch found then is logged once; and the checks stop when the
// server does.
func TestCAARetry(t *testing.T) {
	dns := testpebble.StartChallTestSrv(t)
	const account = "https://ca.test/acct/1"
	dns.SetServFail("retry.blog.test")
	dns.SetServFail("stop.blog.test")

	p := newChecksPKI(t)
	var accountCalls atomic.Int64
	src := &switchable{}
	log, buf := testLogger(t)
	srv, err := New(withSite(t, Config{GetCertificate: src.get, Log: log, PublicRoots: p.roots, CAA: &CAAConfig{
		Resolver:   dns.DNSAddr,
		Identities: func(context.Context) ([]string, error) { return []string{"ca.test"}, nil },
		AccountURI: func(context.Context) (string, error) {
			if accountCalls.Add(1) < 3 {
				return "", errors.New("no ACME account yet")
			}
			return account, nil
		},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	srv.certs.caa.firstRetry, srv.certs.caa.maxRetry = 20*time.Millisecond, 80*time.Millisecond
	r := start(t, srv)

	src.set(p.leaf(t, "retry.blog.test"))
	c := client(r.httpsAddr, "retry.blog.test", p.roots, nil)
	get(t, c, "https://retry.blog.test/")
	testpebble.WaitFor(t, 30*time.Second, "the failed lookup logged", func() error {
		if !strings.Contains(buf.String(), `"CAA records could not be checked" name=retry.blog.test`) {
			return errors.New("not yet")
		}
		return nil
	})
	if doc := getTLSJSON(t, c, "retry.blog.test"); doc.CAA == nil || len(doc.CAA.Names) != 1 || doc.CAA.Names[0].Check != nil {
		t.Errorf("/tls.json caa after a failed lookup: %+v", doc.CAA)
	}
	time.Sleep(200 * time.Millisecond) // several retries, still failing
	dns.AddCAA("retry.blog.test", badgeCAAPolicy("ca.test; accounturi=https://ca.test/acct/2"))
	dns.ClearServFail("retry.blog.test")
	var doc tlsDoc
	testpebble.WaitFor(t, 30*time.Second, "the CAA check retried", func() error {
		doc = getTLSJSON(t, c, "retry.blog.test")
		if doc.CAA == nil || len(doc.CAA.Names) != 1 || doc.CAA.Names[0].Check == nil {
			return fmt.Errorf("caa %+v", doc.CAA)
		}
		return nil
	})
	if n := doc.CAA.Names[0]; n.Check.Status != tlsinfo.CAAOtherAccount || doc.CAA.Account != account || doc.CAA.AccountErr != "" {
		t.Errorf("after the retry: %+v, account %q (%q)", n.Check, doc.CAA.Account, doc.CAA.AccountErr)
	}
	time.Sleep(200 * time.Millisecond) // no more retries: nothing more logged
	logs := buf.String()
	if n := strings.Count(logs, `"CAA records could not be checked" name=retry.blog.test`); n != 1 {
		t.Errorf("the failure was logged %d times, want once", n)
	}
	if n := strings.Count(logs, `"CAA records do not allow the certificate's CA" name=retry.blog.test`); n != 1 {
		t.Errorf("the mismatch was logged %d times, want once", n)
	}
	if calls := accountCalls.Load(); calls != 3 {
		t.Errorf("AccountURI called %d times, want 3 (until it answered)", calls)
	}

	// A check still failing when the server stops: it stops too.
	src.set(p.leaf(t, "stop.blog.test"))
	get(t, client(r.httpsAddr, "stop.blog.test", p.roots, nil), "https://stop.blog.test/")
	testpebble.WaitFor(t, 30*time.Second, "the failed lookup logged", func() error {
		if !strings.Contains(buf.String(), `"CAA records could not be checked" name=stop.blog.test`) {
			return errors.New("not yet")
		}
		return nil
	})
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { srv.certs.caaRuns.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Error("CAA checks still run after Serve returned")
	}
	after := buf.String()
	time.Sleep(200 * time.Millisecond)
	if buf.String() != after {
		t.Errorf("logged after Serve returned:\n%s", strings.TrimPrefix(buf.String(), after))
	}
}

func badgeCAAPolicy(value string) testpebble.CAAPolicy {
	return testpebble.CAAPolicy{Tag: "issue", Value: value}
}
