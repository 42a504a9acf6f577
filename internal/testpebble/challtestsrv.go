package testpebble

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testenv"
)

// ChallTestSrv is Debian's pebble-challtestsrv alone, answering DNS over
// UDP and TCP on 127.0.0.1 with records a test sets through its
// management API. It answers every name with NOERROR (never NXDOMAIN),
// follows one CNAME it serves and includes the target's records, and
// serves CAA records with flags 0 only (its API has no flags).
type ChallTestSrv struct {
	t testing.TB
	// DNSAddr is the DNS server's "127.0.0.1:port".
	DNSAddr string
	mgmt    string
	Log     *testenv.Buffer
}

// CAAPolicy is one CAA record for ChallTestSrv.AddCAA.
type CAAPolicy struct {
	Tag   string `json:"tag"`
	Value string `json:"value"`
}

// StartChallTestSrv starts pebble-challtestsrv with only its DNS server
// and management API, and waits until both accept connections.
func StartChallTestSrv(t testing.TB) *ChallTestSrv {
	t.Helper()
	_, challBin := testenv.Pebble(t)
	c := &ChallTestSrv{
		t:       t,
		DNSAddr: fmt.Sprintf("127.0.0.1:%d", FreePort(t)),
		mgmt:    fmt.Sprintf("127.0.0.1:%d", FreePort(t)),
		Log:     &testenv.Buffer{},
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("pebble-challtestsrv log:\n%s", c.Log)
		}
	})
	_, exited := startProcess(t, c.Log, nil, challBin,
		"-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
		"-dns01", c.DNSAddr, "-http01", "", "-https01", "", "-tlsalpn01", "",
		"-management", c.mgmt)
	WaitFor(t, 10*time.Second, "pebble-challtestsrv listening", func() error {
		select {
		case <-exited:
			t.Fatalf("pebble-challtestsrv exited:\n%s", c.Log)
		default:
		}
		for _, addr := range []string{c.mgmt, c.DNSAddr} {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				return err
			}
			conn.Close()
		}
		return nil
	})
	return c
}

// AddCAA adds CAA records (flags 0) for host.
func (c *ChallTestSrv) AddCAA(host string, policies ...CAAPolicy) {
	c.t.Helper()
	c.post("/add-caa", map[string]any{"host": host, "policies": policies})
}

// SetCNAME makes host an alias of target.
func (c *ChallTestSrv) SetCNAME(host, target string) {
	c.t.Helper()
	c.post("/set-cname", map[string]any{"host": host, "target": target})
}

// SetServFail makes every query about host answer SERVFAIL.
func (c *ChallTestSrv) SetServFail(host string) {
	c.t.Helper()
	c.post("/set-servfail", map[string]any{"host": host})
}

// ClearServFail makes queries about host answered again.
func (c *ChallTestSrv) ClearServFail(host string) {
	c.t.Helper()
	c.post("/clear-servfail", map[string]any{"host": host})
}

func (c *ChallTestSrv) post(path string, body any) {
	c.t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		c.t.Fatal(err)
	}
	res, err := http.Post("http://"+c.mgmt+path, "application/json", bytes.NewReader(data))
	if err != nil {
		c.t.Fatalf("pebble-challtestsrv %s: %v", path, err)
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("pebble-challtestsrv %s %s: %s %s", path, data, res.Status, msg)
	}
}
