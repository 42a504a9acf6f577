package certs

import (
	"fmt"
	"time"

	"github.com/siteblog/site/tlsinfo"
)

// ExpiryWarning is how close to its expiry a chain about to be served
// makes Check warn.
const ExpiryWarning = 14 * 24 * time.Hour

// Check verifies a chain about to be served (DER, leaf first) with
// tlsinfo.Verify and returns what its operator must be told, for the log:
// that it does not verify (any state but tlsinfo.Verified, and
// tlsinfo.PrivateCA, which verifies against opts.PrivateRoots), and that
// it expires within ExpiryWarning (tlsinfo.Trust.NotAfter: the first
// expiry along the verified path). A chain with nothing to report gives
// no warning.
func Check(der [][]byte, opts tlsinfo.VerifyOptions) (*tlsinfo.Trust, []string, error) {
	trust, err := tlsinfo.VerifyDER(der, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("checking the certificate: %w", err)
	}
	now := trust.Checked
	var warnings []string
	if trust.State != tlsinfo.Verified && trust.State != tlsinfo.PrivateCA {
		warnings = append(warnings, fmt.Sprintf("the certificate chain does not verify (%s): %s", trust.State, trust.Reason))
	}
	if left := trust.NotAfter.Sub(now); left >= 0 && left < ExpiryWarning {
		warnings = append(warnings, fmt.Sprintf("the certificate chain expires on %s, in %s",
			trust.NotAfter.Format(time.RFC3339), daysLeft(left)))
	}
	return trust, warnings, nil
}

func daysLeft(d time.Duration) string {
	switch days := int(d.Hours() / 24); days {
	case 0:
		return "less than a day"
	case 1:
		return "1 day"
	default:
		return fmt.Sprintf("%d days", days)
	}
}
