package serve

import (
	"encoding/json"
	"testing"

	"github.com/siteblog/site/internal/testcert"
)

// TestTLSJSONIssuer: /tls.json's "issuer" names the CA only when a
// verified path vouches for it; otherwise the name the leaf gives is
// "issuer_claimed".
func TestTLSJSONIssuer(t *testing.T) {
	for _, tc := range []struct {
		name          string
		trustRoot     bool
		state         string
		issuer        string
		issuerClaimed string
	}{
		{"verified", true, "verified", "Example Trust ET R1", ""},
		{"unverified", false, "unverified", "", "Example Trust ET R1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
			src := &switchable{}
			src.set(pki.TLS())
			public := pki.Pool()
			if !tc.trustRoot {
				public = nil // the system's roots
			}
			r, _, _ := newTLSServer(t, src, public)
			_, js := get(t, client(r.httpsAddr, "blog.test", pki.Pool(), nil), "https://blog.test/tls.json")
			var doc map[string]any
			if err := json.Unmarshal(js, &doc); err != nil {
				t.Fatalf("/tls.json: %v\n%s", err, js)
			}
			str := func(k string) string { s, _ := doc[k].(string); return s }
			if str("state") != tc.state || str("issuer") != tc.issuer || str("issuer_claimed") != tc.issuerClaimed {
				t.Errorf("state %q, issuer %q, issuer_claimed %q; want %q, %q, %q", str("state"), str("issuer"), str("issuer_claimed"),
					tc.state, tc.issuer, tc.issuerClaimed)
			}
			if _, ok := doc["issuer"]; ok != (tc.issuer != "") {
				t.Errorf("issuer present: %v", ok)
			}
		})
	}
}
