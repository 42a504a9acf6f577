package certs

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/acme/autocert"

	"github.com/siteblog/site/internal/testenv"
)

func testLogger() (*slog.Logger, *testenv.Buffer) {
	buf := &testenv.Buffer{}
	return slog.New(slog.NewTextHandler(buf, nil)), buf
}

func TestNewACMEConfig(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for _, bad := range [][]string{nil, {"localhost"}, {"blog.example.com:443"}, {"https://blog.example.com"}} {
		if _, err := NewACME(ACMEConfig{Domains: bad}); err == nil {
			t.Errorf("NewACME(%q) succeeded", bad)
		}
	}
	a, err := NewACME(ACMEConfig{Domains: []string{"blog.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	want := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "site", "acme")
	if a.CacheDir() != want {
		t.Errorf("default cache dir = %q, want %q", a.CacheDir(), want)
	}
	if info, err := os.Stat(want); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache dir: %v, %v; want mode 0700", info, err)
	}
	if got := a.cur.Load().m.Client.DirectoryURL; got != autocert.DefaultACMEDirectory {
		t.Errorf("directory = %q, want Let's Encrypt's", got)
	}
}

// countingCA is an ACME directory that counts requests and answers none
// (with 404: a 5xx would be retried by the ACME client for minutes).
func countingCA(t *testing.T) (string, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/dir", &n
}

// TestACMENames checks which handshakes reach the CA: names outside the
// configured domains never do, in any spelling, and are not logged; the
// configured names do in every spelling autocert accepts, and the CA's
// failure is logged under the name's canonical form.
func TestACMENames(t *testing.T) {
	domains := []string{"blog.example.com", "Bücher.example."}
	for _, tc := range []struct {
		name      string
		canonical string // the CA is asked for it; "" for none
		err       error  // else: the error before the CA
	}{
		{"evil.example.com", "", errUnknownName},
		{"www.blog.example.com", "", errUnknownName},
		{"example.com", "", errUnknownName},
		{"localhost", "", errUnknownName},
		{"blog.example.com.evil.test", "", errUnknownName},
		{"blog_example com", "", nil},
		{"", "", errNoServerName},
		{"blog.example.com", "blog.example.com", nil},
		{"BLOG.Example.COM", "blog.example.com", nil},
		{"blog.example.com.", "blog.example.com", nil},
		{"xn--bcher-kva.example", "xn--bcher-kva.example", nil},
		{"BÜCHER.example", "xn--bcher-kva.example", nil},
	} {
		dir, requests := countingCA(t)
		log, buf := testLogger()
		a, err := NewACME(ACMEConfig{Domains: domains, DirectoryURL: dir, CacheDir: t.TempDir(), Log: log})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(a.Domains(), " "); got != "blog.example.com xn--bcher-kva.example" {
			t.Errorf("Domains() = %s", got)
		}
		hello := helloFor(tc.name, false)
		_, err = a.GetCertificate(hello)
		a.Close()
		if err == nil {
			t.Errorf("GetCertificate(%q) succeeded", tc.name)
		}
		if hello.ServerName != tc.name {
			t.Errorf("GetCertificate(%q) changed the hello to %q", tc.name, hello.ServerName)
		}
		if asked := requests.Load() > 0; asked != (tc.canonical != "") {
			t.Errorf("GetCertificate(%q): CA asked %v (err %v)", tc.name, asked, err)
		}
		if tc.err != nil && !errors.Is(err, tc.err) {
			t.Errorf("GetCertificate(%q) = %v, want %v", tc.name, err, tc.err)
		}
		logged := buf.String()
		if tc.canonical == "" && logged != "" {
			t.Errorf("GetCertificate(%q): a name refused before the CA was logged:\n%s", tc.name, logged)
		}
		if tc.canonical != "" && strings.Count(logged, "no certificate for "+tc.canonical+`"`) != 1 {
			t.Errorf("GetCertificate(%q): the CA's failure not logged once under %s:\n%s", tc.name, tc.canonical, logged)
		}
	}
}

func TestACMEErrorsLoggedOnce(t *testing.T) {
	log, buf := testLogger()
	// Unreachable: a port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String() + "/dir"
	ln.Close()
	a, err := NewACME(ACMEConfig{Domains: []string{"blog.example.com"}, DirectoryURL: down, CacheDir: t.TempDir(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	tr := a.cur.Load().tr
	for range 5 {
		req, _ := http.NewRequest("GET", down, nil)
		if _, err := tr.RoundTrip(req); err == nil {
			t.Fatal("RoundTrip to a closed port succeeded")
		}
	}
	if n := strings.Count(buf.String(), "the CA cannot be reached"); n != 1 {
		t.Errorf("unreachable CA logged %d times, want once:\n%s", n, buf)
	}

	// Refusals: each distinct problem once; bad nonces never.
	var problem atomic.Value
	problem.Store("urn:ietf:params:acme:error:rateLimited")
	ca := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"type": "` + problem.Load().(string) + `", "detail": "too many certificates"}`))
	}))
	defer ca.Close()
	post := func() {
		req, _ := http.NewRequest("POST", ca.URL+"/new-order", nil)
		res, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body := new(bytes.Buffer)
		body.ReadFrom(res.Body)
		if !strings.Contains(body.String(), "too many") {
			t.Errorf("the transport ate the problem document: %q", body)
		}
	}
	for range 3 {
		post()
	}
	problem.Store(problemBadNonce)
	post()
	if n := strings.Count(buf.String(), "rateLimited"); n != 1 {
		t.Errorf("refusal logged %d times, want once:\n%s", n, buf)
	}
	if strings.Contains(buf.String(), "badNonce") {
		t.Errorf("a bad nonce was logged:\n%s", buf)
	}

	// The CA forgot the account: a fresh manager takes over, the old
	// client is cut off.
	problem.Store(problemNoAccount)
	old := a.cur.Load()
	post()
	deadline := time.Now().Add(5 * time.Second)
	for a.cur.Load() == old && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if a.cur.Load() == old {
		t.Fatal("no new manager after accountDoesNotExist")
	}
	req, _ := http.NewRequest("GET", ca.URL, nil)
	if _, err := old.tr.RoundTrip(req); !errors.Is(err, errRetired) {
		t.Errorf("the replaced client still talks to the CA: %v", err)
	}
	if !strings.Contains(buf.String(), "registering the account key again") {
		t.Errorf("replacement not logged:\n%s", buf)
	}
}
