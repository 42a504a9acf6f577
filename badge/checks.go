package badge

import (
	"fmt"
	"strings"

	"github.com/siteblog/site/tlsinfo"
)

// CTSentence says in one sentence, for the badge's accessible text, which
// Certificate Transparency logs recorded a certificate, when, and whether
// their signatures verified (checks as tlsinfo.CheckSCTs returns them):
//
//	Recorded by 2 Certificate Transparency logs: Google 'Argon2026h1' on
//	2026-01-02 and Let's Encrypt 'Oak2026h1' on 2026-01-02; both
//	signatures verified.
//
// A log not in the log list is named by the start of its ID. No checks:
// "No Certificate Transparency log records are embedded in this
// certificate."
func CTSentence(checks []tlsinfo.SCTCheck) string {
	if len(checks) == 0 {
		return "No Certificate Transparency log records are embedded in this certificate."
	}
	logs := make([]string, len(checks))
	var valid, invalid, noList, unlisted, unchecked int
	for i, c := range checks {
		logs[i] = SCTLogName(c)
		if !c.Timestamp.IsZero() {
			logs[i] += " on " + day(c.Timestamp)
		}
		switch {
		case c.Status == tlsinfo.SCTValid:
			valid++
		case c.Status == tlsinfo.SCTInvalid:
			invalid++
		case c.Status == tlsinfo.SCTUnknownLog && c.Log == "" && c.Err == "no log list":
			noList++
		case c.Status == tlsinfo.SCTUnknownLog:
			unlisted++
		default:
			unchecked++
		}
	}
	var b strings.Builder
	b.WriteString("Recorded by " + count(len(checks), "Certificate Transparency log", "Certificate Transparency logs") + ": ")
	b.WriteString(andList(logs))
	b.WriteString("; ")
	n := len(checks)
	switch {
	case valid == n && n == 1:
		b.WriteString("its signature verified")
	case valid == n && n == 2:
		b.WriteString("both signatures verified")
	case valid == n:
		b.WriteString("all " + fmt.Sprint(n) + " signatures verified")
	case noList == n:
		b.WriteString("not verified: no log list")
	default:
		var parts []string
		if valid > 0 {
			parts = append(parts, count(valid, "signature", "signatures")+" verified")
		}
		if invalid > 0 {
			parts = append(parts, count(invalid, "signature does not verify", "signatures do not verify"))
		}
		if noList > 0 {
			parts = append(parts, count(noList, "is", "are")+" not verified: no log list")
		}
		if unlisted > 0 {
			parts = append(parts, count(unlisted, "is from a log", "are from logs")+" not in the log list, not verified")
		}
		if unchecked > 0 {
			parts = append(parts, count(unchecked, "signature", "signatures")+" could not be checked")
		}
		b.WriteString(strings.Join(parts, ", "))
	}
	b.WriteString(".")
	return b.String()
}

// SCTLogName names the log of an SCT for a reader: its description in the
// log list without the trailing " log" ("Google 'Argon2026h1'"), else
// "log" and the first 8 characters of its base64 ID.
func SCTLogName(c tlsinfo.SCTCheck) string {
	if c.Log != "" {
		return strings.TrimSuffix(c.Log, " log")
	}
	if c.LogID == "" {
		return "a log of an unknown SCT version"
	}
	id := c.LogID
	if len(id) > 8 {
		id = id[:8] + "…"
	}
	return "log " + id
}

// count is n with the singular or plural, "one" for 1.
func count(n int, one, many string) string {
	if n == 1 {
		return "one " + one
	}
	return fmt.Sprint(n) + " " + many
}

// andList joins items as "a", "a and b", "a, b and c".
func andList(items []string) string {
	if len(items) <= 2 {
		return strings.Join(items, " and ")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// CAAState says how far the CAA check of a certificate's names is.
type CAAState string

// The states of a CAA check.
const (
	// CAANotChecked: the server was not configured to check CAA.
	CAANotChecked CAAState = "not-checked"
	// CAAChecking: the lookups have not finished yet.
	CAAChecking CAAState = "checking"
	// CAAChecked: every name was looked up (some lookups may have failed:
	// see CAAName.Err).
	CAAChecked CAAState = "checked"
)

// CAA is what the CAA records (RFC 8659) of a certificate's DNS names say
// about the CA that issued it, as /tls/ and /tls.json show it.
type CAA struct {
	State CAAState `json:"state"`
	// Identities are the CA's issuer domain names looked for in the
	// records ("letsencrypt.org"); empty when not known.
	Identities []string `json:"ca_identities,omitempty"`
	// Account is the ACME account (RFC 8657 accounturi) checked; "" when
	// none is known. AccountErr says why it is not known, when asking
	// for it failed.
	Account    string `json:"account,omitempty"`
	AccountErr string `json:"account_error,omitempty"`
	// Names are the leaf's DNS names, each with what its records say.
	Names []CAAName `json:"names,omitempty"`
}

// CAAName is the CAA check of one DNS name.
type CAAName struct {
	// Domain is the name checked ("*.example.com" for a wildcard).
	Domain string `json:"domain"`
	// Check is the verdict on the name's relevant records; nil when they
	// could not be looked up.
	Check *tlsinfo.CAACheck `json:"check,omitempty"`
	// Err says why the records could not be looked up (a DNS failure,
	// a timeout); "" when they were.
	Err string `json:"error,omitempty"`
}

// Verdict is the check's verdict in a reader's words: the CAACheck's, or
// "could not be checked: " and the error. A failed lookup is never shown
// as allowed.
func (n CAAName) Verdict() string {
	if n.Check == nil {
		return "could not be checked: " + n.Err
	}
	return n.Check.Verdict
}
