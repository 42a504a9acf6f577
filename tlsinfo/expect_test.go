package tlsinfo

import "testing"

func TestCheckExpectedIssuer(t *testing.T) {
	le := &Trust{State: Verified, Issuer: "Let's Encrypt R3", IssuerOrganization: "Let's Encrypt", Anchor: "ISRG Root X1"}
	pebble := &Trust{State: Unverified, Issuer: "Pebble Intermediate CA 1a2b3c"}
	for _, tc := range []struct {
		name     string
		t        *Trust
		expected string
		want     string
	}{
		{"organisation", le, "Let's Encrypt", ""},
		{"case and spaces", le, "  let's encrypt ", ""},
		{"display name", le, "LET'S ENCRYPT R3", ""},
		{"nothing expected", pebble, "", ""},
		{"another CA", le, "DigiCert Inc", "expected a certificate issued by DigiCert Inc, but this one was issued by Let's Encrypt R3"},
		{"a part of the name is not the name", le, "Let's", "expected a certificate issued by Let's, but this one was issued by Let's Encrypt R3"},
		{"private CA", &Trust{State: PrivateCA, Issuer: "Home CA", IssuerOrganization: "Home"}, "home", ""},
		{"unverified", pebble, "Let's Encrypt",
			"expected a certificate issued by Let's Encrypt, but this one was issued by Pebble Intermediate CA 1a2b3c (unverified claim)"},
		{"unverified claim of the expected name", &Trust{State: Unverified, Issuer: "Let's Encrypt R3", IssuerOrganization: "Let's Encrypt"}, "Let's Encrypt",
			"expected a certificate issued by Let's Encrypt, but this one was issued by Let's Encrypt R3 (unverified claim)"},
		{"broken chain", &Trust{State: BrokenChain, Issuer: "Let's Encrypt R3", IssuerOrganization: "Let's Encrypt"}, "Let's Encrypt",
			"expected a certificate issued by Let's Encrypt, but this one was issued by Let's Encrypt R3 (unverified claim: the chain is broken)"},
		{"expired", &Trust{State: Expired, Issuer: "Let's Encrypt R3", IssuerOrganization: "Let's Encrypt"}, "Let's Encrypt",
			"expected a certificate issued by Let's Encrypt, but this one was issued by Let's Encrypt R3 (unverified claim: the chain is expired)"},
		{"self-signed", &Trust{State: SelfSigned, Issuer: "Let's Encrypt", IssuerOrganization: "Let's Encrypt"}, "Let's Encrypt",
			"expected a certificate issued by Let's Encrypt, but this one is self-signed: no certificate authority issued it"},
		{"not verified at all", nil, "Let's Encrypt", "expected a certificate issued by Let's Encrypt, but this certificate's chain could not be verified"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CheckExpectedIssuer(tc.t, tc.expected); got != tc.want {
				t.Errorf("CheckExpectedIssuer = %q\nwant                 %q", got, tc.want)
			}
		})
	}
}
