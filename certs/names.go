package certs

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/net/idna"
)

// Why a handshake gets no certificate before the CA is asked.
var (
	errNoServerName = errors.New("acme: the client sent no server name (SNI); certificates are for named domains only")
	errUnknownName  = errors.New("not one of the configured domains")
)

// canonicalName returns a domain name as autocert compares it: in the
// lookup form of IDNA (ASCII, Punycode for other scripts, lower case),
// without a trailing dot.
func canonicalName(name string) (string, error) {
	ascii, err := idna.Lookup.ToASCII(name)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(ascii, "."), nil
}

// configured returns the canonical form of a handshake's server name when
// it is one of the configured domains, and an error otherwise.
func (a *ACME) configured(serverName string) (string, error) {
	if serverName == "" {
		return "", errNoServerName
	}
	name, err := canonicalName(serverName)
	if err != nil {
		return "", fmt.Errorf("acme: server name %q: %w", serverName, err)
	}
	if !a.domains[name] {
		return "", fmt.Errorf("acme: server name %q: %w", serverName, errUnknownName)
	}
	return name, nil
}
