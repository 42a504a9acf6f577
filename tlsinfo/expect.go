package tlsinfo

import "strings"

// CheckExpectedIssuer compares the CA that issued a certificate with the
// one the server's operator expects (`site serve --expect-issuer ORG`). It
// returns "" when they match, else a sentence for a reader saying what
// was expected and what was found. expected matches, ignoring case and
// surrounding spaces, the issuing CA's organisation or its display name
// ("Let's Encrypt" or "Let's Encrypt R3"). A chain that did not verify
// (unverified, broken, self-signed, expired) never matches: its issuer's
// name is only a claim. An empty expected matches everything; a nil t (no
// verification) matches nothing.
//
// It is an alert, not a pin: nothing is refused.
func CheckExpectedIssuer(t *Trust, expected string) string {
	expected = strings.TrimSpace(expected)
	if expected == "" {
		return ""
	}
	want := "expected a certificate issued by " + expected + ", but "
	switch {
	case t == nil:
		return want + "this certificate's chain could not be verified"
	case t.State == SelfSigned:
		return want + "this one is self-signed: no certificate authority issued it"
	case t.State != Verified && t.State != PrivateCA:
		return want + "this one was issued by " + t.Issuer + " (" + claimNote(t.State) + ")"
	case strings.EqualFold(t.IssuerOrganization, expected) || strings.EqualFold(t.Issuer, expected):
		return ""
	}
	return want + "this one was issued by " + t.Issuer
}

// claimNote says why an issuer's name is only a claim.
func claimNote(s State) string {
	switch s {
	case BrokenChain:
		return "unverified claim: the chain is broken"
	case Expired:
		return "unverified claim: the chain is expired"
	}
	return "unverified claim"
}
