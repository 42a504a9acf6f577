package badge

import (
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/tlsinfo"
)

func TestCTSentence(t *testing.T) {
	day1 := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	argon := tlsinfo.SCTCheck{LogID: "6D7Q2j71BjUy51covIlryQPTy9ERa+zraeF3fW0GvW4=", Log: "Google 'Argon2026h1' log", Operator: "Google", Timestamp: day1, Status: tlsinfo.SCTValid}
	oak := tlsinfo.SCTCheck{LogID: "GYbUxyiqb/66A294Kk0BkarOLXIxD67OXXBBLSVMx9Q=", Log: "Let's Encrypt 'Oak2026h1' log", Operator: "Let's Encrypt", Timestamp: day1, Status: tlsinfo.SCTValid}
	with := func(c tlsinfo.SCTCheck, status tlsinfo.SCTStatus, err string) tlsinfo.SCTCheck {
		c.Status, c.Err = status, err
		return c
	}
	unlisted := func(c tlsinfo.SCTCheck, err string) tlsinfo.SCTCheck {
		c.Log, c.Operator, c.Status, c.Err = "", "", tlsinfo.SCTUnknownLog, err
		return c
	}
	tests := []struct {
		name   string
		checks []tlsinfo.SCTCheck
		want   string
	}{
		{"none", nil, "No Certificate Transparency log records are embedded in this certificate."},
		{"one valid", []tlsinfo.SCTCheck{argon},
			"Recorded by one Certificate Transparency log: Google 'Argon2026h1' on 2026-01-02; its signature verified."},
		{"two valid", []tlsinfo.SCTCheck{argon, oak},
			"Recorded by 2 Certificate Transparency logs: Google 'Argon2026h1' on 2026-01-02 and Let's Encrypt 'Oak2026h1' on 2026-01-02; both signatures verified."},
		{"three valid", []tlsinfo.SCTCheck{argon, oak, argon},
			"Recorded by 3 Certificate Transparency logs: Google 'Argon2026h1' on 2026-01-02, Let's Encrypt 'Oak2026h1' on 2026-01-02 and Google 'Argon2026h1' on 2026-01-02; all 3 signatures verified."},
		{"no list", []tlsinfo.SCTCheck{unlisted(argon, "no log list"), unlisted(oak, "no log list")},
			"Recorded by 2 Certificate Transparency logs: log 6D7Q2j71… on 2026-01-02 and log GYbUxyiq… on 2026-01-02; not verified: no log list."},
		{"one invalid", []tlsinfo.SCTCheck{argon, with(oak, tlsinfo.SCTInvalid, "crypto/ecdsa: verification error")},
			"Recorded by 2 Certificate Transparency logs: Google 'Argon2026h1' on 2026-01-02 and Let's Encrypt 'Oak2026h1' on 2026-01-02; one signature verified, one signature does not verify."},
		{"only invalid", []tlsinfo.SCTCheck{with(oak, tlsinfo.SCTInvalid, "bad")},
			"Recorded by one Certificate Transparency log: Let's Encrypt 'Oak2026h1' on 2026-01-02; one signature does not verify."},
		{"unlisted and unchecked", []tlsinfo.SCTCheck{unlisted(argon, "log not in the log list"), with(oak, tlsinfo.SCTUnchecked, "issuer certificate not known"), {Status: tlsinfo.SCTUnchecked, Err: "SCT version 2 is not v1"}},
			"Recorded by 3 Certificate Transparency logs: log 6D7Q2j71… on 2026-01-02, Let's Encrypt 'Oak2026h1' on 2026-01-02 and a log of an unknown SCT version; one is from a log not in the log list, not verified, 2 signatures could not be checked."},
	}
	for _, tt := range tests {
		if got := CTSentence(tt.checks); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// TestCTSentenceOfTestCertificates checks the sentence of certificates
// whose SCTs testcert's logs signed, as the server makes it.
func TestCTSentenceOfTestCertificates(t *testing.T) {
	good := testcert.NewSCTLog(t, "Test Operator", "Test 'Good2026' log")
	bad := testcert.NewSCTLog(t, "Other Operator", "Test 'Bad2026' log")
	bad.Corrupt = true
	list, err := tlsinfo.ParseLogList(testcert.LogListJSON(t, good, bad))
	if err != nil {
		t.Fatal(err)
	}
	ca := testcert.New(t, testcert.Options{CommonName: "CT CA", Organization: "Test", CA: true}, nil)
	ts := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	tests := []struct {
		logs []*testcert.SCTLog
		list *tlsinfo.LogList
		want string
	}{
		{[]*testcert.SCTLog{good}, list, "Recorded by one Certificate Transparency log: Test 'Good2026' on 2026-03-04; its signature verified."},
		{[]*testcert.SCTLog{good, bad}, list, "Recorded by 2 Certificate Transparency logs: Test 'Good2026' on 2026-03-04 and Test 'Bad2026' on 2026-03-04; one signature verified, one signature does not verify."},
		{[]*testcert.SCTLog{good}, nil, "; not verified: no log list."},
		{nil, list, "No Certificate Transparency log records are embedded in this certificate."},
	}
	for i, tt := range tests {
		leaf := testcert.New(t, testcert.Options{CommonName: "blog.test", Names: []string{"blog.test"}, SCTLogs: tt.logs, SCTTime: ts}, ca)
		checks, err := tlsinfo.CheckSCTs(leaf.Cert, ca.Cert, tt.list)
		if err != nil {
			t.Fatal(err)
		}
		got := CTSentence(checks)
		if tt.list == nil {
			if !strings.HasSuffix(got, tt.want) {
				t.Errorf("%d: %q does not end in %q", i, got, tt.want)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("%d:\n got %q\nwant %q", i, got, tt.want)
		}
	}
}
