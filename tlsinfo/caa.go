package tlsinfo

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/dns/dnsmessage"
	"golang.org/x/net/idna"
)

// DefaultCAATimeout bounds one DNS exchange of a CAA lookup (a UDP query
// and, when its answer is truncated, the TCP query after it) when
// CAAOptions.Timeout is zero.
const DefaultCAATimeout = 5 * time.Second

// ErrDNSServerFailure is wrapped by the error of a CAA lookup whose resolver
// answered SERVFAIL: the records cannot be known, and a CA must refuse to
// issue (RFC 8659 §3).
var ErrDNSServerFailure = errors.New("the DNS server answered SERVFAIL")

// typeCAA is the CAA resource record type (RFC 8659 §7.1), which
// dnsmessage does not name.
const typeCAA dnsmessage.Type = 257

// maxCNAMEs bounds the aliases followed for one name of the tree walk.
const maxCNAMEs = 8

// resolvConf is where the default resolver is read from.
var resolvConf = "/etc/resolv.conf"

// CAAOptions configures LookupCAA.
type CAAOptions struct {
	// Resolver is the DNS server asked, "host:port" or "host" (port 53).
	// Default: the first nameserver line of /etc/resolv.conf. It should
	// be a recursive resolver: queries ask for recursion and are sent to
	// it alone.
	Resolver string
	// Timeout bounds each DNS exchange. Default DefaultCAATimeout. The
	// context bounds the whole lookup.
	Timeout time.Duration
}

// CAARecord is one CAA resource record (RFC 8659 §4.1).
type CAARecord struct {
	// Flags is the flags byte; 128 is the issuer critical flag.
	Flags uint8 `json:"flags"`
	// Tag is the property tag ("issue", "issuewild", "iodef", ...) as
	// found; tags match case-insensitively.
	Tag string `json:"tag"`
	// Value is the property value, unquoted.
	Value string `json:"value"`
	// Domain is the name of the tree walk at which the record set was
	// found: the domain itself or one of its parents.
	Domain string `json:"domain"`
	// Target is the name that actually holds the record when Domain is
	// an alias (CNAME) of it, else "".
	Target string `json:"target,omitempty"`
}

// Critical reports whether the issuer critical flag (128) is set.
func (r CAARecord) Critical() bool { return r.Flags&128 != 0 }

// String gives the record in zone file presentation: `0 issue "letsencrypt.org"`.
func (r CAARecord) String() string {
	return fmt.Sprintf("%d %s %s", r.Flags, r.Tag, strconv.Quote(r.Value))
}

// LookupCAA finds the relevant CAA record set of domain (RFC 8659 §3):
// it asks for the CAA records of domain, then of each parent in turn
// (blog.example.com, example.com, com; never the root), and returns the
// first non-empty set with the name it was found at. A wildcard domain
// "*.example.com" is looked up as example.com. An alias (CNAME, at the
// apex too) is followed to its target's records, whether the resolver
// includes them in its answer or not; when the target has none, the walk
// goes on with the alias's parent, not the target's. A name that does
// not exist (NXDOMAIN) or has no CAA records continues the walk. No
// records anywhere returns nil, "" and no error: any CA may issue.
//
// A resolver that answers SERVFAIL (the error wraps ErrDNSServerFailure)
// or any other error code, does not answer in time, or answers malformed
// data gives an error: the records are unknown and a CA would refuse.
func LookupCAA(ctx context.Context, domain string, opts CAAOptions) (records []CAARecord, at string, err error) {
	name, err := caaLookupName(domain)
	if err != nil {
		return nil, "", fmt.Errorf("CAA lookup for %q: %w", domain, err)
	}
	r := dnsClient{addr: opts.Resolver, timeout: opts.Timeout}
	if r.addr == "" {
		if r.addr, err = defaultResolver(); err != nil {
			return nil, "", fmt.Errorf("CAA lookup for %s: %w", domain, err)
		}
	} else if _, _, err := net.SplitHostPort(r.addr); err != nil {
		r.addr = net.JoinHostPort(strings.Trim(r.addr, "[]"), "53")
	}
	if r.timeout <= 0 {
		r.timeout = DefaultCAATimeout
	}
	labels := strings.Split(name, ".")
	for i := range labels {
		node := strings.Join(labels[i:], ".")
		records, err := r.relevantAt(ctx, node)
		if err != nil {
			return nil, "", fmt.Errorf("CAA lookup for %s: asking %s about %s: %w", domain, r.addr, node, err)
		}
		if len(records) > 0 {
			return records, node, nil
		}
	}
	return nil, "", nil
}

// caaLookupName turns a certificate name into the ASCII, lower-case name
// the tree walk starts at, without the wildcard label and final dot.
func caaLookupName(domain string) (string, error) {
	name := strings.TrimSuffix(strings.TrimPrefix(domain, "*."), ".")
	if name == "" {
		return "", errors.New("empty domain name")
	}
	if net.ParseIP(name) != nil {
		return "", errors.New("an IP address has no CAA records")
	}
	ascii, err := idna.Lookup.ToASCII(name)
	if err != nil {
		return "", err
	}
	return strings.ToLower(ascii), nil
}

// defaultResolver reads the first nameserver of resolvConf.
func defaultResolver() (string, error) {
	data, err := os.ReadFile(resolvConf)
	if err != nil {
		return "", fmt.Errorf("no resolver given: %w", err)
	}
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "nameserver" {
			return net.JoinHostPort(f[1], "53"), nil
		}
	}
	return "", fmt.Errorf("no resolver given, and %s names no nameserver", resolvConf)
}

// dnsClient asks one resolver for CAA records.
type dnsClient struct {
	addr    string
	timeout time.Duration
}

// caaAnswer is what one response said about a question.
type caaAnswer struct {
	rcode     dnsmessage.RCode
	truncated bool
	cnames    map[string]string      // alias → target
	caa       map[string][]CAARecord // owner → records
}

// errMismatch marks a response to another query: its ID or question is
// not ours.
var errMismatch = errors.New("response does not match the query")

// relevantAt returns the CAA records of node, following aliases, with
// Domain set to node.
func (c dnsClient) relevantAt(ctx context.Context, node string) ([]CAARecord, error) {
	name := node
	seen := map[string]bool{node: true}
	for {
		ans, err := c.exchange(ctx, name)
		if err != nil {
			return nil, err
		}
		switch ans.rcode {
		case dnsmessage.RCodeSuccess, dnsmessage.RCodeNameError:
		case dnsmessage.RCodeServerFailure:
			return nil, ErrDNSServerFailure
		default:
			return nil, fmt.Errorf("the DNS server answered %s", strings.TrimPrefix(ans.rcode.String(), "RCode"))
		}
		end := name
		for {
			target, ok := ans.cnames[end]
			if !ok {
				break
			}
			if seen[target] {
				return nil, fmt.Errorf("CNAME loop at %s", target)
			}
			if len(seen) > maxCNAMEs {
				return nil, fmt.Errorf("more than %d CNAMEs from %s", maxCNAMEs, node)
			}
			seen[target] = true
			end = target
		}
		if records := ans.caa[end]; len(records) > 0 {
			for i := range records {
				records[i].Domain = node
				if end != node {
					records[i].Target = end
				}
			}
			return records, nil
		}
		if end == name || ans.rcode == dnsmessage.RCodeNameError {
			return nil, nil
		}
		// Only the alias was answered: ask about its target.
		name = end
	}
}

// exchange asks about name over UDP, and again over TCP when the UDP
// answer is truncated.
func (c dnsClient) exchange(ctx context.Context, name string) (*caaAnswer, error) {
	q, err := caaQuestion(name)
	if err != nil {
		return nil, err
	}
	ans, err := c.exchangeOver(ctx, "udp", q)
	if err == nil && ans.truncated {
		ans, err = c.exchangeOver(ctx, "tcp", q)
	}
	return ans, err
}

func caaQuestion(name string) (dnsmessage.Question, error) {
	n, err := dnsmessage.NewName(name + ".")
	if err != nil {
		return dnsmessage.Question{}, fmt.Errorf("%s: %w", name, err)
	}
	return dnsmessage.Question{Name: n, Type: typeCAA, Class: dnsmessage.ClassINET}, nil
}

// exchangeOver sends one query over network ("udp" or "tcp") and reads
// its answer. Over UDP, datagrams that answer another query are ignored.
func (c dnsClient) exchangeOver(ctx context.Context, network string, q dnsmessage.Question) (*caaAnswer, error) {
	id := uint16(rand.Uint32())
	query, err := buildQuery(id, q)
	if err != nil {
		return nil, err
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, c.addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	fail := func(err error) (*caaAnswer, error) {
		switch {
		case parent.Err() != nil:
			err = fmt.Errorf("%s: %w", network, context.Cause(parent))
		case ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded):
			err = fmt.Errorf("%s: no answer within %v: %w", network, c.timeout, context.DeadlineExceeded)
		}
		return nil, err
	}

	if network == "tcp" {
		msg := binary.BigEndian.AppendUint16(nil, uint16(len(query)))
		if _, err := conn.Write(append(msg, query...)); err != nil {
			return fail(err)
		}
		var n [2]byte
		if _, err := io.ReadFull(conn, n[:]); err != nil {
			return fail(fmt.Errorf("tcp: reading the answer: %w", err))
		}
		resp := make([]byte, binary.BigEndian.Uint16(n[:]))
		if _, err := io.ReadFull(conn, resp); err != nil {
			return fail(fmt.Errorf("tcp: reading the answer: %w", err))
		}
		ans, err := parseCAAResponse(resp, id, q)
		if err == nil && ans.truncated {
			err = errors.New("truncated answer")
		}
		if err != nil {
			return nil, fmt.Errorf("tcp: %w", err)
		}
		return ans, nil
	}

	if _, err := conn.Write(query); err != nil {
		return fail(err)
	}
	buf := make([]byte, 65535)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return fail(fmt.Errorf("udp: reading the answer: %w", err))
		}
		ans, err := parseCAAResponse(buf[:n], id, q)
		if errors.Is(err, errMismatch) {
			continue // a late or forged answer to another query
		}
		if err != nil {
			return nil, fmt.Errorf("udp: %w", err)
		}
		return ans, nil
	}
}

// buildQuery makes a recursive query for q, with an EDNS(0) record
// offering 1232-byte UDP answers (the size DNS Flag Day 2020 settled on).
func buildQuery(id uint16, q dnsmessage.Question) ([]byte, error) {
	b := dnsmessage.NewBuilder(make([]byte, 0, 512), dnsmessage.Header{ID: id, RecursionDesired: true})
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(q); err != nil {
		return nil, err
	}
	if err := b.StartAdditionals(); err != nil {
		return nil, err
	}
	var opt dnsmessage.ResourceHeader
	if err := opt.SetEDNS0(1232, dnsmessage.RCodeSuccess, false); err != nil {
		return nil, err
	}
	if err := b.OPTResource(opt, dnsmessage.OPTResource{}); err != nil {
		return nil, err
	}
	return b.Finish()
}

// parseCAAResponse reads a response to query id for q: its code, whether
// it is truncated, and the aliases and CAA records of its answer section.
func parseCAAResponse(msg []byte, id uint16, q dnsmessage.Question) (*caaAnswer, error) {
	var p dnsmessage.Parser
	h, err := p.Start(msg)
	if err != nil {
		return nil, fmt.Errorf("malformed answer: %w", err)
	}
	if !h.Response || h.ID != id {
		return nil, errMismatch
	}
	qs, err := p.AllQuestions()
	if err != nil {
		return nil, fmt.Errorf("malformed answer: %w", err)
	}
	if len(qs) != 1 || qs[0].Type != q.Type || qs[0].Class != q.Class || !strings.EqualFold(qs[0].Name.String(), q.Name.String()) {
		return nil, errMismatch
	}
	ans := &caaAnswer{rcode: h.RCode, truncated: h.Truncated, cnames: map[string]string{}, caa: map[string][]CAARecord{}}
	if h.Truncated {
		return ans, nil
	}
	for {
		rh, err := p.AnswerHeader()
		if err == dnsmessage.ErrSectionDone {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("malformed answer: %w", err)
		}
		owner := dnsName(rh.Name)
		switch {
		case rh.Class != dnsmessage.ClassINET:
			err = p.SkipAnswer()
		case rh.Type == dnsmessage.TypeCNAME:
			var r dnsmessage.CNAMEResource
			if r, err = p.CNAMEResource(); err == nil {
				ans.cnames[owner] = dnsName(r.CNAME)
			}
		case rh.Type == typeCAA:
			var r dnsmessage.UnknownResource
			if r, err = p.UnknownResource(); err == nil {
				var rec CAARecord
				if rec, err = parseCAARData(r.Data); err == nil {
					ans.caa[owner] = append(ans.caa[owner], rec)
				}
			}
		default:
			err = p.SkipAnswer()
		}
		if err != nil {
			return nil, fmt.Errorf("malformed answer record for %s: %w", owner, err)
		}
	}
	return ans, nil
}

// dnsName is n lower-cased without its final dot.
func dnsName(n dnsmessage.Name) string {
	return strings.ToLower(strings.TrimSuffix(n.String(), "."))
}

// parseCAARData reads CAA RDATA (RFC 8659 §4.1): a flags byte, a tag
// length, the tag (ASCII letters and digits; RFC 8659 allows 15, longer
// ones are accepted), and the value,
// which is the rest.
func parseCAARData(b []byte) (CAARecord, error) {
	if len(b) < 2 {
		return CAARecord{}, errors.New("CAA record shorter than 2 bytes")
	}
	n := int(b[1])
	if n == 0 || 2+n > len(b) {
		return CAARecord{}, fmt.Errorf("CAA record with tag length %d in %d bytes", n, len(b))
	}
	tag := string(b[2 : 2+n])
	for _, c := range tag {
		if !isAlnum(c) {
			return CAARecord{}, fmt.Errorf("CAA tag %q is not letters and digits", tag)
		}
	}
	return CAARecord{Flags: b[0], Tag: tag, Value: string(b[2+n:])}, nil
}

func isAlnum(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// CAAStatus says what CAA records allow; it is CAACheck.Status.
type CAAStatus string

const (
	// CAANone: the domain and its parents have no CAA records, so any CA
	// may issue.
	CAANone CAAStatus = "none"
	// CAAAllowed: the records allow the CA (or restrict no CA).
	CAAAllowed CAAStatus = "allowed"
	// CAANotAllowed: the records do not allow the CA.
	CAANotAllowed CAAStatus = "not-allowed"
	// CAAOtherAccount: the records allow the CA, but only for ACME
	// accounts other than this one (RFC 8657 accounturi).
	CAAOtherAccount CAAStatus = "other-account"
	// CAAUnknownCA: the records allow some CAs, and the CA's identifiers
	// are not known, so whether it is one of them cannot be said.
	CAAUnknownCA CAAStatus = "unknown-ca"
)

// CAACheck is what a domain's CAA records say about one CA.
type CAACheck struct {
	// Domain is the certificate name checked ("*.example.com" for a
	// wildcard).
	Domain string `json:"domain"`
	// FoundAt is the name the relevant record set was found at ("" when
	// there are no records).
	FoundAt string `json:"found_at,omitempty"`
	// Records is the relevant record set.
	Records []CAARecord `json:"records,omitempty"`
	// CAIdentities are the CA's issuer domain names the check looked for.
	CAIdentities []string `json:"ca_identities,omitempty"`
	// Status is the decision.
	Status CAAStatus `json:"status"`
	// Allowed reports whether the records let the CA issue for Domain
	// (for an account restricted by accounturi: for this account, or for
	// the one named when the check knew no account).
	Allowed bool `json:"allowed"`
	// AllowedBy is the record that allows the CA, when one does.
	AllowedBy *CAARecord `json:"allowed_by,omitempty"`
	// AccountMatch is set when an accounturi parameter decided: true
	// when it names the account checked, false when the records allow
	// the CA only for other accounts. Nil when no account restriction
	// applied, or no account was given.
	AccountMatch *bool `json:"account_match,omitempty"`
	// AccountURIs are the accounts named by the accounturi parameters of
	// the records naming the CA.
	AccountURIs []string `json:"account_uris,omitempty"`
	// ValidationMethods are the ACME validation methods the allowing
	// record restricts the CA to (RFC 8657 validationmethods), if any.
	ValidationMethods []string `json:"validation_methods,omitempty"`
	// Verdict says all of this in a reader's words.
	Verdict string `json:"verdict"`
}

// knownCAATags are the tags a critical flag does not make forbidding:
// RFC 8659's three and issuemail (RFC 9495), which concerns e-mail
// certificates only.
var knownCAATags = []string{"issue", "issuewild", "iodef", "issuemail"}

// CheckCAA evaluates a relevant record set, as LookupCAA returns it, for
// a certificate name and a CA known by its issuer domain names
// (caIdentities, such as "letsencrypt.org"; matched case-insensitively),
// optionally for one ACME account (accountURI, "" when unknown). It
// follows RFC 8659 §4 and RFC 8657:
//
//   - no records: any CA may issue;
//   - a record with the critical flag and a tag this check does not
//     know forbids issuance;
//   - a wildcard name is decided by the issuewild records when there are
//     any, else by the issue records; other names by the issue records
//     only;
//   - when no record has the deciding tag, the records restrict no CA;
//   - else a record allows the CA when its issuer domain name is one of
//     caIdentities and, with an accounturi parameter, that parameter is
//     accountURI (or accountURI is ""); a value without an issuer domain
//     name (issue ";") or not following the grammar allows no CA, nor
//     does a record with two accounturi parameters;
//   - iodef records do not take part in the decision.
func CheckCAA(records []CAARecord, domain string, caIdentities []string, accountURI string) CAACheck {
	c := CAACheck{Domain: domain, Records: records, CAIdentities: caIdentities}
	if len(records) == 0 {
		c.Status, c.Allowed = CAANone, true
		c.Verdict = "no CAA records: any CA may issue"
		return c
	}
	c.FoundAt = records[0].Domain
	where := c.FoundAt
	if t := records[0].Target; t != "" {
		where += " (an alias of " + t + ")"
	}
	for _, r := range records {
		if r.Critical() && !knownTag(r.Tag) {
			c.Status = CAANotAllowed
			c.Verdict = fmt.Sprintf("not allowed: the CAA records at %s carry the critical tag %q, which this check does not know, and that forbids issuance", where, r.Tag)
			return c
		}
	}
	tag := "issue"
	if strings.HasPrefix(domain, "*.") {
		for _, r := range records {
			if strings.EqualFold(r.Tag, "issuewild") {
				tag = "issuewild"
			}
		}
	}

	var (
		issuers                                   []string // every issuer named
		open, restricted, forAccount, tied, twice *CAARecord
		openP, restrictedP, forAccountP           caaValue
	)
	for i, r := range records {
		if !strings.EqualFold(r.Tag, tag) {
			continue
		}
		v, ok := parseCAAValue(r.Value)
		if !ok || v.issuer == "" {
			continue
		}
		issuers = appendNew(issuers, v.issuer)
		if !matchesIdentity(v.issuer, caIdentities) {
			continue
		}
		accounts := v.params["accounturi"]
		for _, a := range accounts {
			c.AccountURIs = appendNew(c.AccountURIs, a)
		}
		switch {
		case len(accounts) == 0:
			if open == nil {
				open, openP = &records[i], v
			}
		case len(accounts) > 1:
			// RFC 8657 §3: a property with more than one accounturi
			// cannot be satisfied.
			twice = &records[i]
		case accountURI == "":
			if restricted == nil {
				restricted, restrictedP = &records[i], v
			}
		case accounts[0] == accountURI:
			if forAccount == nil {
				forAccount, forAccountP = &records[i], v
			}
		default:
			tied = &records[i]
		}
	}

	allow := func(r *CAARecord, v caaValue, account *bool, how string) CAACheck {
		c.Status, c.Allowed, c.AllowedBy, c.AccountMatch = CAAAllowed, true, r, account
		if m := v.params["validationmethods"]; len(m) > 0 {
			c.ValidationMethods = strings.Split(m[0], ",")
			how += ", by " + strings.Join(c.ValidationMethods, " or ") + " validation only"
		}
		c.Verdict = fmt.Sprintf("allowed: the CAA record %s %s at %s names this CA%s", r.Tag, strconv.Quote(r.Value), where, how)
		return c
	}
	switch {
	case forAccount != nil:
		yes := true
		return allow(forAccount, forAccountP, &yes, " and this ACME account")
	case open != nil:
		return allow(open, openP, nil, "")
	case restricted != nil:
		return allow(restricted, restrictedP, nil, " for the ACME account "+restrictedP.params["accounturi"][0]+" only")
	case tied != nil:
		no := false
		c.Status, c.AccountMatch = CAAOtherAccount, &no
		c.Verdict = fmt.Sprintf("allowed for this CA, but not for this account: the CAA records at %s name only the ACME account %s", where, strings.Join(c.AccountURIs, ", "))
		return c
	case twice != nil:
		c.Status = CAANotAllowed
		c.Verdict = fmt.Sprintf("not allowed: the CAA record %s %s at %s names this CA with more than one accounturi, which allows no account", twice.Tag, strconv.Quote(twice.Value), where)
		return c
	}
	if !hasTag(records, tag) {
		c.Status, c.Allowed = CAAAllowed, true
		c.Verdict = fmt.Sprintf("allowed: the CAA records at %s restrict no CA (no %s record)", where, tag)
		return c
	}
	switch {
	case len(issuers) == 0:
		c.Status = CAANotAllowed
		c.Verdict = fmt.Sprintf("not allowed: the CAA records at %s forbid all issuance (%s)", where, describeTags(records, tag))
	case len(caIdentities) == 0:
		c.Status = CAAUnknownCA
		c.Verdict = fmt.Sprintf("the CAA records at %s allow only %s, and this CA's CAA identifier is unknown", where, strings.Join(issuers, ", "))
	default:
		c.Status = CAANotAllowed
		c.Verdict = fmt.Sprintf("not allowed: the CAA records at %s allow only %s", where, strings.Join(issuers, ", "))
	}
	return c
}

func knownTag(tag string) bool {
	for _, t := range knownCAATags {
		if strings.EqualFold(tag, t) {
			return true
		}
	}
	return false
}

func hasTag(records []CAARecord, tag string) bool {
	for _, r := range records {
		if strings.EqualFold(r.Tag, tag) {
			return true
		}
	}
	return false
}

func describeTags(records []CAARecord, tag string) string {
	var s []string
	for _, r := range records {
		if strings.EqualFold(r.Tag, tag) {
			s = append(s, r.Tag+" "+strconv.Quote(r.Value))
		}
	}
	return strings.Join(s, ", ")
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func matchesIdentity(issuer string, ids []string) bool {
	for _, id := range ids {
		if strings.EqualFold(issuer, strings.TrimSuffix(id, ".")) {
			return true
		}
	}
	return false
}

// caaValue is a parsed issue or issuewild value.
type caaValue struct {
	issuer string              // "" when the value names no issuer
	params map[string][]string // lower-case tag → values, in order
}

// parseCAAValue parses an issue or issuewild value (RFC 8659 §4.2):
//
//	issue-value = *WSP [issuer-domain-name *WSP] [";" *WSP [parameters *WSP]]
//	parameters  = (parameter *WSP ";" *WSP parameters) / parameter
//	parameter   = tag *WSP "=" *WSP value
//
// ok is false when the value does not follow the grammar.
func parseCAAValue(s string) (v caaValue, ok bool) {
	v.params = map[string][]string{}
	issuer, rest, hasParams := strings.Cut(s, ";")
	issuer = strings.Trim(issuer, " \t")
	if issuer != "" && !isLDHDomain(issuer) {
		return v, false
	}
	v.issuer = strings.ToLower(issuer)
	if !hasParams || strings.Trim(rest, " \t") == "" {
		return v, true
	}
	for p := range strings.SplitSeq(rest, ";") {
		tag, val, found := strings.Cut(p, "=")
		tag, val = strings.Trim(tag, " \t"), strings.Trim(val, " \t")
		if !found || !isLDHLabel(tag) {
			return v, false
		}
		for _, c := range []byte(val) {
			if c < 0x21 || c > 0x7e {
				return v, false
			}
		}
		key := strings.ToLower(tag)
		v.params[key] = append(v.params[key], val)
	}
	return v, true
}

// isLDHDomain reports whether s is labels of letters, digits and inner
// hyphens joined by dots.
func isLDHDomain(s string) bool {
	for l := range strings.SplitSeq(s, ".") {
		if !isLDHLabel(l) {
			return false
		}
	}
	return true
}

func isLDHLabel(l string) bool {
	if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, c := range l {
		if !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// caaIdentityTable maps the organisation names in the issuer of public
// CAs' certificates to the issuer domain names their CAA checks accept,
// as each CA documents them.
var caaIdentityTable = []struct {
	orgs []string // normalised organisation names or their first words
	ids  []string
}{
	// letsencrypt.org/docs/caa; the staging CA's intermediates are
	// "(STAGING) Let's Encrypt".
	{[]string{"lets encrypt", "staging lets encrypt"}, []string{"letsencrypt.org"}},
	// pki.goog: "CAA records must permit pki.goog".
	{[]string{"google trust services"}, []string{"pki.goog"}},
	// DigiCert's knowledge base: digicert.com, or the name of the brand
	// bought from Symantec, authorises all of them.
	{[]string{"digicert", "geotrust", "thawte", "rapidssl", "symantec"},
		[]string{"digicert.com", "symantec.com", "geotrust.com", "thawte.com", "rapidssl.com"}},
	// Sectigo and ZeroSSL (whose certificates Sectigo issues) document
	// sectigo.com; comodoca.com is Comodo's, Sectigo's earlier name.
	{[]string{"sectigo", "zerossl", "comodo"}, []string{"sectigo.com", "comodoca.com"}},
	// GlobalSign's support pages: globalsign.com.
	{[]string{"globalsign"}, []string{"globalsign.com"}},
	// AWS Certificate Manager's guide names the four.
	{[]string{"amazon"}, []string{"amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com"}},
	// Buypass: buypass.com, as commonly published; no page of Buypass's
	// own confirming it was found.
	{[]string{"buypass"}, []string{"buypass.com"}},
	// SSL.com's guide; its certificates' issuer is "SSL Corporation".
	{[]string{"ssl corporation", "ssl com"}, []string{"ssl.com"}},
	// Entrust's CAA guide: entrust.net.
	{[]string{"entrust"}, []string{"entrust.net"}},
	// GoDaddy's help: godaddy.com or starfieldtech.com.
	{[]string{"godaddy", "starfield"}, []string{"godaddy.com", "starfieldtech.com"}},
}

// CAAIdentities returns the issuer domain names that authorise, in CAA
// records, the CA whose certificates carry issuerOrganization as the
// issuer's organisation (x509 Issuer.Organization, such as "Let's
// Encrypt" or "DigiCert Inc"), from a table of the largest public CAs;
// nil when the organisation is not in it. An ACME CA states its own in its
// directory (meta.caaIdentities, RFC 8555 §7.1.1), which is better.
func CAAIdentities(issuerOrganization string) []string {
	org := normaliseOrg(issuerOrganization)
	if org == "" {
		return nil
	}
	for _, e := range caaIdentityTable {
		for _, o := range e.orgs {
			if org == o || strings.HasPrefix(org, o+" ") {
				return append([]string(nil), e.ids...)
			}
		}
	}
	return nil
}

// normaliseOrg lower-cases s, drops apostrophes and turns every other
// run of non-alphanumeric characters into one space.
func normaliseOrg(s string) string {
	var b strings.Builder
	space := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c == '\'' || c == '’':
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(c)
		default:
			space = true
		}
	}
	return b.String()
}
