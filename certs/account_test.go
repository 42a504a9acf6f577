package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/acme"

	"github.com/siteblog/site/internal/testpebble"
)

func TestCAAIdentitiesFromDirectory(t *testing.T) {
	for _, tc := range []struct {
		name string
		meta string
		want []string
	}{
		{"listed", `{"caaIdentities": ["letsencrypt.org", "Example.NET"]}`, []string{"letsencrypt.org", "Example.NET"}},
		{"none listed", `{"termsOfService": "https://ca.test/tos"}`, nil},
		{"no meta", `null`, nil},
	} {
		ca := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"newNonce": "/nonce", "newAccount": "/account", "newOrder": "/order", "meta": ` + tc.meta + `}`))
		}))
		a, err := NewACME(ACMEConfig{Domains: []string{"blog.example.com"}, DirectoryURL: ca.URL + "/dir", CacheDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.CAAIdentities(context.Background())
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: CAAIdentities() = %q, %v; want %q", tc.name, got, err, tc.want)
		}
		a.Close()
		ca.Close()
	}
	dir, _ := countingCA(t) // answers 404
	a, err := NewACME(ACMEConfig{Domains: []string{"blog.example.com"}, DirectoryURL: dir, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.CAAIdentities(context.Background()); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("CAAIdentities() from a missing directory: %v", err)
	}
	if _, err := a.AccountURI(context.Background()); !errors.Is(err, ErrNoAccount) {
		t.Errorf("AccountURI() before any order: %v, want ErrNoAccount", err)
	}
}

// TestACMEWithPebble obtains certificates from Pebble, then asks for what
// a CAA check needs: the account URI (the one autocert's orders are made
// with) and the CA's CAA identities (what its directory says).
func TestACMEWithPebble(t *testing.T) {
	t.Parallel()
	p, httpsLn, httpLn := startPebble(t)

	var mu sync.Mutex
	stored := map[string][]string{} // domain → key types of the leaves stored
	a, err := NewACME(ACMEConfig{
		Domains: []string{"blog.test"}, Email: "admin@blog.test", DirectoryURL: p.Directory(),
		Roots: []*x509.Certificate{p.APIRoot}, CacheDir: filepath.Join(t.TempDir(), "acme"),
		OnCertificate: func(domain string, der [][]byte) {
			leaf, err := x509.ParseCertificate(der[0])
			if err != nil || len(der) < 2 || !slices.Contains(leaf.DNSNames, "blog.test") {
				t.Errorf("OnCertificate(%s): %d certificates, %v", domain, len(der), err)
				return
			}
			mu.Lock()
			stored[domain] = append(stored[domain], leaf.PublicKeyAlgorithm.String())
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// The CA validates over TLS-ALPN-01 or HTTP-01 on these listeners.
	answerChallenges(t, a, httpsLn, httpLn)

	ctx := context.Background()
	if _, err := a.AccountURI(ctx); !errors.Is(err, ErrNoAccount) {
		t.Errorf("AccountURI() before any order: %v, want ErrNoAccount", err)
	}
	for _, rsa := range []bool{false, true} {
		if _, err := a.GetCertificate(helloFor("blog.test", rsa)); err != nil {
			t.Fatalf("certificate from Pebble (RSA %v): %v", rsa, err)
		}
	}
	testpebble.WaitFor(t, 10*time.Second, "both certificates reported", func() error {
		mu.Lock()
		defer mu.Unlock()
		if got := strings.Join(stored["blog.test"], " "); got != "ECDSA RSA" || len(stored) != 1 {
			return errors.New("reported: " + strings.Join(stored["blog.test"], " "))
		}
		return nil
	})

	uri, err := a.AccountURI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(p.Directory(), "https://"), "/dir")
	if !strings.HasPrefix(uri, "https://"+host+"/my-account/") {
		t.Errorf("AccountURI() = %q, not one of Pebble's accounts", uri)
	}
	if kid := string(a.cur.Load().m.Client.KID); uri != kid {
		t.Errorf("AccountURI() = %q, but autocert's orders were made by %q", uri, kid)
	}

	// What Pebble's directory really lists (Pebble 2.4: nothing).
	res, err := (&http.Client{Transport: a.transport}).Get(p.Directory())
	if err != nil {
		t.Fatal(err)
	}
	var dir struct {
		Meta struct {
			CAA []string `json:"caaIdentities"`
		} `json:"meta"`
	}
	err = json.NewDecoder(res.Body).Decode(&dir)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	ids, err := a.CAAIdentities(ctx)
	if err != nil || !slices.Equal(ids, dir.Meta.CAA) {
		t.Errorf("CAAIdentities() = %q, %v; the directory lists %q", ids, err, dir.Meta.CAA)
	}
	t.Logf("Pebble's directory lists CAA identities %q", ids)

	// Both are kept: the CA going down does not take them away.
	p.Stop()
	if again, err := a.AccountURI(ctx); again != uri || err != nil {
		t.Errorf("AccountURI() with the CA down = %q, %v", again, err)
	}
	if again, err := a.CAAIdentities(ctx); err != nil || !slices.Equal(again, ids) {
		t.Errorf("CAAIdentities() with the CA down = %q, %v", again, err)
	}

	// A new CA (Pebble restarted) does not know the account: once that is
	// noticed (an order refused with accountDoesNotExist replaces the
	// ACME client), the account is looked up afresh.
	p.Start()
	a.replace(a.cur.Load())
	if got, err := a.AccountURI(ctx); !errors.Is(err, ErrNoAccount) {
		t.Errorf("AccountURI() from a CA that forgot the account = %q, %v; want ErrNoAccount", got, err)
	}
}

// startPebble starts Pebble validating on two fresh listeners, for
// answerChallenges.
func startPebble(t *testing.T) (p *testpebble.Pebble, httpsLn, httpLn net.Listener) {
	httpsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	httpLn, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p = testpebble.New(t, httpLn.Addr().(*net.TCPAddr).Port, httpsLn.Addr().(*net.TCPAddr).Port, 3600)
	return p, httpsLn, httpLn
}

// answerChallenges answers the CA's TLS-ALPN-01 and HTTP-01 validations
// for a on these listeners until the test ends.
func answerChallenges(t *testing.T, a *ACME, httpsLn, httpLn net.Listener) {
	tlsLn := tls.NewListener(httpsLn, &tls.Config{GetCertificate: a.GetCertificate, NextProtos: []string{acme.ALPNProto}})
	go func() {
		for {
			c, err := tlsLn.Accept()
			if err != nil {
				return
			}
			go func() { c.(*tls.Conn).Handshake(); c.Close() }()
		}
	}()
	httpSrv := &http.Server{Handler: a.HTTPHandler(http.NotFoundHandler())}
	go httpSrv.Serve(httpLn)
	t.Cleanup(func() { tlsLn.Close(); httpSrv.Close() })
}
