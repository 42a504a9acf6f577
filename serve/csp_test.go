package serve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The production server sends the site's Content-Security-Policy on the
// site's responses; a server without one sends the base policy.
func TestServerCSP(t *testing.T) {
	files := buildSite(t)
	const site = "default-src 'self'; frame-src 'self' https://www.youtube-nocookie.com"
	for _, tt := range []struct{ cfg, want string }{{"", CSP}, {site, site}} {
		srv, err := New(Config{Files: files, CSP: tt.cfg})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{longPost, "/no-such-page/", "/healthz"} {
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if got := rec.Header().Get("Content-Security-Policy"); got != tt.want {
				t.Errorf("Config.CSP %q: %s: Content-Security-Policy %q, want %q", tt.cfg, path, got, tt.want)
			}
		}
	}
}

// The preview sends the policy of the site's [csp], and follows a change
// of site.toml.
func TestPreviewCSP(t *testing.T) {
	files := testSite(t)
	files["site.toml"] += "\n[csp]\nframe-src = [\"https://www.youtube-nocookie.com\"]\n"
	e := startPreview(t, files)
	e.waitServed("first build")
	if resp, _ := e.get("/"); resp.Header.Get("Content-Security-Policy") != "default-src 'self'; frame-src 'self' https://www.youtube-nocookie.com" {
		t.Errorf("Content-Security-Policy %q", resp.Header.Get("Content-Security-Policy"))
	}
	e.drain(BuildResult{})
	e.write(map[string]string{"site.toml": strings.Replace(files["site.toml"], "frame-src", "media-src", 1)})
	e.nextBuild("[csp] changed")
	const want = "default-src 'self'; media-src 'self' https://www.youtube-nocookie.com"
	if resp, _ := e.get("/"); resp.Header.Get("Content-Security-Policy") != want {
		t.Fatalf("after a change of [csp]: Content-Security-Policy %q, want %q", resp.Header.Get("Content-Security-Policy"), want)
	}
}
