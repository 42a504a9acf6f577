package tlsinfo

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// ctPKI is a CA, two test CT logs (ECDSA P-256 and RSA 2048) and
// certificates with SCTs the logs signed, all made in the test.
type ctPKI struct {
	ca, otherCA      *x509.Certificate
	caKey            crypto.Signer
	ecLog, rsaLog    crypto.Signer
	ecSCT, rsaSCT    []byte // SerializedSCTs over the precertificate of tmpl
	tsEC, tsRSA      time.Time
	tmpl             *x509.Certificate
	leafKey          crypto.Signer
	pre              *x509.Certificate // tmpl issued without SCTs
	list             *LogList          // both logs
	ecOnly           *LogList          // only the ECDSA log
	ecID, rsaID      string            // base64 log IDs
	extensionOID     asn1.ObjectIdentifier
	extensionPayload []byte
}

func newCTPKI(t testing.TB) *ctPKI {
	t.Helper()
	p := &ctPKI{
		caKey:            newECKey(t),
		ecLog:            newECKey(t),
		leafKey:          newECKey(t),
		tsEC:             time.Date(2026, 3, 1, 12, 0, 0, 123e6, time.UTC),
		tsRSA:            time.Date(2026, 3, 1, 12, 0, 1, 456e6, time.UTC),
		extensionOID:     asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 55555, 1},
		extensionPayload: []byte{0x05, 0x00},
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p.rsaLog = rsaKey
	p.ca = selfSignedCA(t, "Test CT CA", p.caKey)
	p.otherCA = selfSignedCA(t, "Test CT CA", newECKey(t)) // same name, other key
	p.tmpl = &x509.Certificate{
		SerialNumber: big.NewInt(1001),
		Subject:      pkix.Name{CommonName: "blog.example.com"},
		DNSNames:     []string{"blog.example.com"},
		NotBefore:    time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	p.pre = p.issue(t, p.tmpl)
	tbs := p.pre.RawTBSCertificate
	p.ecSCT = serializeSCT(t, testSCT{key: p.ecLog, sigAlg: SCTSigECDSA, ts: p.tsEC}, tbs, p.ca)
	p.rsaSCT = serializeSCT(t, testSCT{key: p.rsaLog, sigAlg: SCTSigRSA, ts: p.tsRSA}, tbs, p.ca)
	p.ecID, p.rsaID = testLogID(t, p.ecLog), testLogID(t, p.rsaLog)
	p.list = parseTestLogList(t, logListJSONText(t, []testLog{
		{operator: "Test Operator", description: "Test 'EC2026' log", key: p.ecLog, state: "usable"},
		{operator: "Other Operator", description: "Test 'RSA2026' log", key: p.rsaLog, state: "retired", tiled: true},
	}))
	p.ecOnly = parseTestLogList(t, logListJSONText(t, []testLog{
		{operator: "Test Operator", description: "Test 'EC2026' log", key: p.ecLog, state: "usable"},
	}))
	return p
}

// issue issues tmpl from the CA with extra extensions after the standard
// ones.
func (p *ctPKI) issue(t testing.TB, tmpl *x509.Certificate, extra ...pkix.Extension) *x509.Certificate {
	t.Helper()
	c := *tmpl
	c.ExtraExtensions = extra
	der, err := x509.CreateCertificate(rand.Reader, &c, p.ca, p.leafKey.Public(), p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func (p *ctPKI) customExtension() pkix.Extension {
	return pkix.Extension{Id: p.extensionOID, Value: p.extensionPayload}
}

func newECKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func selfSignedCA(t testing.TB, name string, key crypto.Signer) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"Test"}},
		NotBefore:             time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func testLogID(t testing.TB, key crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	id := sha256.Sum256(der)
	return base64.StdEncoding.EncodeToString(id[:])
}

// testSCT describes an SCT for serializeSCT to make. The zero version is
// v1; hashAlg 0 means SHA-256.
type testSCT struct {
	version uint8
	key     crypto.Signer
	hashAlg uint8
	sigAlg  uint8
	ts      time.Time
	exts    []byte
}

// serializeSCT makes a SerializedSCT whose signature covers the
// precertificate entry of tbs issued by issuer, encoded here independently
// of the package (RFC 6962 §3.2).
func serializeSCT(t testing.TB, s testSCT, tbs []byte, issuer *x509.Certificate) []byte {
	t.Helper()
	if s.hashAlg == 0 {
		s.hashAlg = SCTHashSHA256
	}
	keyHash := sha256.Sum256(issuer.RawSubjectPublicKeyInfo)
	var signed cryptobyte.Builder
	signed.AddUint8(s.version)
	signed.AddUint8(0) // certificate_timestamp
	signed.AddUint64(uint64(s.ts.UnixMilli()))
	signed.AddUint16(1) // precert_entry
	signed.AddBytes(keyHash[:])
	signed.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(tbs) })
	signed.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.exts) })
	digest := sha256.Sum256(signed.BytesOrPanic())
	sig, err := s.key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(s.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	logID := sha256.Sum256(der)
	return encodeSCT(SCT{
		Version: int(s.version), LogID: logID, Timestamp: s.ts, Extensions: s.exts,
		HashAlg: s.hashAlg, SigAlg: s.sigAlg, Signature: sig,
	})
}

// encodeSCT is the SerializedSCT of a v1 SCT.
func encodeSCT(s SCT) []byte {
	var b cryptobyte.Builder
	b.AddUint8(uint8(s.Version))
	b.AddBytes(s.LogID[:])
	b.AddUint64(uint64(s.Timestamp.UnixMilli()))
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.Extensions) })
	b.AddUint8(s.HashAlg)
	b.AddUint8(s.SigAlg)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.Signature) })
	return b.BytesOrPanic()
}

// sctList is the TLS encoding of a SignedCertificateTimestampList.
func sctList(scts ...[]byte) []byte {
	var b cryptobyte.Builder
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, s := range scts {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s) })
		}
	})
	return b.BytesOrPanic()
}

// sctListExtension is the certificate extension carrying scts.
func sctListExtension(t testing.TB, scts ...[]byte) pkix.Extension {
	t.Helper()
	val, err := asn1.Marshal(sctList(scts...))
	if err != nil {
		t.Fatal(err)
	}
	return pkix.Extension{Id: OIDSCTList, Value: val}
}

type testLog struct {
	operator, description string
	key                   crypto.Signer
	state                 string
	tiled                 bool
	logID                 string // default: the right one
}

// logListJSONText writes logs as a v3 log list.
func logListJSONText(t testing.TB, logs []testLog) string {
	t.Helper()
	type op struct {
		Name      string           `json:"name"`
		Email     []string         `json:"email"`
		Logs      []map[string]any `json:"logs"`
		TiledLogs []map[string]any `json:"tiled_logs"`
	}
	var ops []*op
	byName := map[string]*op{}
	for _, l := range logs {
		o := byName[l.operator]
		if o == nil {
			o = &op{Name: l.operator, Email: []string{"ct@example.com"}, Logs: []map[string]any{}, TiledLogs: []map[string]any{}}
			byName[l.operator] = o
			ops = append(ops, o)
		}
		der, err := x509.MarshalPKIXPublicKey(l.key.Public())
		if err != nil {
			t.Fatal(err)
		}
		id := l.logID
		if id == "" {
			id = testLogID(t, l.key)
		}
		m := map[string]any{
			"description": l.description,
			"log_id":      id,
			"key":         base64.StdEncoding.EncodeToString(der),
			"mmd":         86400,
			"state":       map[string]any{l.state: map[string]any{"timestamp": "2025-06-01T00:00:00Z"}},
			"temporal_interval": map[string]any{
				"start_inclusive": "2026-01-01T00:00:00Z",
				"end_exclusive":   "2027-01-01T00:00:00Z",
			},
		}
		if l.tiled {
			m["submission_url"] = "https://ct.example.com/submit/"
			m["monitoring_url"] = "https://ct.example.com/monitor/"
			o.TiledLogs = append(o.TiledLogs, m)
		} else {
			m["url"] = "https://ct.example.com/log/"
			o.Logs = append(o.Logs, m)
		}
	}
	data, err := json.Marshal(map[string]any{
		"version":            "1.0",
		"log_list_timestamp": "2026-03-02T00:00:00Z",
		"operators":          ops,
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func parseTestLogList(t testing.TB, text string) *LogList {
	t.Helper()
	list, err := ParseLogList([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func flipLastByte(b []byte) []byte {
	b = bytes.Clone(b)
	b[len(b)-1] ^= 0x01
	return b
}

func TestCheckSCTs(t *testing.T) {
	p := newCTPKI(t)
	tbs := p.pre.RawTBSCertificate

	preWithExt := p.issue(t, p.tmpl, p.customExtension())
	extSCT := serializeSCT(t, testSCT{key: p.ecLog, sigAlg: SCTSigECDSA, ts: p.tsEC}, preWithExt.RawTBSCertificate, p.ca)
	otherSerial := *p.tmpl
	otherSerial.SerialNumber = big.NewInt(1002)

	// A log whose key type CT does not use (RFC 6962 allows only ECDSA
	// and RSA): its SCTs cannot be checked.
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edID := testLogID(t, edKey)
	edList := parseTestLogList(t, logListJSONText(t, []testLog{
		{operator: "Test Operator", description: "Test 'Ed2026' log", key: edKey, state: "usable"},
	}))
	edSCT := encodeSCT(SCT{LogID: edList.Logs[0].ID, Timestamp: p.tsEC, HashAlg: SCTHashSHA256, SigAlg: SCTSigECDSA,
		Signature: ed25519.Sign(edKey, []byte("anything"))})

	ecValid := SCTCheck{LogID: p.ecID, Log: "Test 'EC2026' log", Operator: "Test Operator", LogState: "usable", Timestamp: p.tsEC, Status: SCTValid}
	rsaValid := SCTCheck{LogID: p.rsaID, Log: "Test 'RSA2026' log", Operator: "Other Operator", LogState: "retired", Timestamp: p.tsRSA, Status: SCTValid}
	with := func(c SCTCheck, s SCTStatus, err string) SCTCheck {
		c.Status, c.Err = s, err
		return c
	}
	unlisted := func(id string, ts time.Time, err string) SCTCheck {
		return SCTCheck{LogID: id, Timestamp: ts, Status: SCTUnknownLog, Err: err}
	}

	tests := []struct {
		name   string
		leaf   *x509.Certificate
		issuer *x509.Certificate
		list   *LogList
		want   []SCTCheck // nil: none embedded
	}{
		{"valid ECDSA and RSA logs", p.issue(t, p.tmpl, sctListExtension(t, p.ecSCT, p.rsaSCT)), p.ca, p.list,
			[]SCTCheck{ecValid, rsaValid}},
		{"flipped signature byte", p.issue(t, p.tmpl, sctListExtension(t, flipLastByte(p.ecSCT), p.rsaSCT)), p.ca, p.list,
			[]SCTCheck{with(ecValid, SCTInvalid, "ECDSA signature does not verify"), rsaValid}},
		{"flipped RSA signature byte", p.issue(t, p.tmpl, sctListExtension(t, p.ecSCT, flipLastByte(p.rsaSCT))), p.ca, p.list,
			[]SCTCheck{ecValid, with(rsaValid, SCTInvalid, "RSA signature does not verify")}},
		{"other serial, same SCTs", p.issue(t, &otherSerial, sctListExtension(t, p.ecSCT, p.rsaSCT)), p.ca, p.list,
			[]SCTCheck{with(ecValid, SCTInvalid, "does not verify"), with(rsaValid, SCTInvalid, "does not verify")}},
		{"issuer with another key", p.issue(t, p.tmpl, sctListExtension(t, p.ecSCT)), p.otherCA, p.list,
			[]SCTCheck{with(ecValid, SCTInvalid, "does not verify")}},
		{"SCT list before another extension", p.issue(t, p.tmpl, sctListExtension(t, extSCT), p.customExtension()), p.ca, p.list,
			[]SCTCheck{ecValid}},
		{"no log list", p.issue(t, p.tmpl, sctListExtension(t, p.ecSCT, p.rsaSCT)), p.ca, nil,
			[]SCTCheck{unlisted(p.ecID, p.tsEC, "no log list"), unlisted(p.rsaID, p.tsRSA, "no log list")}},
		{"log not in the list", p.issue(t, p.tmpl, sctListExtension(t, p.ecSCT, p.rsaSCT)), p.ca, p.ecOnly,
			[]SCTCheck{ecValid, unlisted(p.rsaID, p.tsRSA, "log not in the log list")}},
		{"issuer not known", p.issue(t, p.tmpl, sctListExtension(t, p.ecSCT)), nil, p.list,
			[]SCTCheck{with(ecValid, SCTUnchecked, "issuer certificate not known")}},
		{"SCT version 2 next to a v1", p.issue(t, p.tmpl, sctListExtension(t, []byte{1, 0xAA, 0xBB}, p.ecSCT)), p.ca, p.list,
			[]SCTCheck{{Status: SCTUnchecked, Err: "SCT version 2 is not v1"}, ecValid}},
		{"SHA-1 hash", p.issue(t, p.tmpl, sctListExtension(t, serializeSCT(t, testSCT{key: p.ecLog, hashAlg: 2, sigAlg: SCTSigECDSA, ts: p.tsEC}, tbs, p.ca))), p.ca, p.list,
			[]SCTCheck{with(ecValid, SCTInvalid, "hash algorithm 2 is not SHA-256")}},
		{"RSA algorithm from an ECDSA log", p.issue(t, p.tmpl, sctListExtension(t, serializeSCT(t, testSCT{key: p.ecLog, sigAlg: SCTSigRSA, ts: p.tsEC}, tbs, p.ca))), p.ca, p.list,
			[]SCTCheck{with(ecValid, SCTInvalid, "does not match the log's ECDSA key")}},
		{"SCT extensions signed", p.issue(t, p.tmpl, sctListExtension(t, serializeSCT(t, testSCT{key: p.ecLog, sigAlg: SCTSigECDSA, ts: p.tsEC, exts: []byte{0, 0, 5, 1, 2, 3, 4, 5}}, tbs, p.ca))), p.ca, p.list,
			[]SCTCheck{ecValid}},
		{"log with an Ed25519 key", p.issue(t, p.tmpl, sctListExtension(t, edSCT)), p.ca, edList,
			[]SCTCheck{{LogID: edID, Log: "Test 'Ed2026' log", Operator: "Test Operator", LogState: "usable", Timestamp: p.tsEC,
				Status: SCTUnchecked, Err: "log key of type ed25519.PublicKey is neither ECDSA nor RSA"}}},
		{"none embedded", p.pre, p.ca, p.list, nil},
		{"none embedded, no list", p.pre, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckSCTs(tt.leaf, tt.issuer, tt.list)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if got != nil {
					t.Fatalf("got %+v, want nil (none embedded)", got)
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d checks %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if !strings.Contains(g.Err, w.Err) || (w.Err == "" && g.Err != "") {
					t.Errorf("SCT %d: Err = %q, want it to contain %q", i, g.Err, w.Err)
				}
				g.Err, w.Err = "", ""
				if g != w {
					t.Errorf("SCT %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

func TestSCTCheckJSON(t *testing.T) {
	c := SCTCheck{LogID: "6D7Q2j71BjUy51covIlryQPTy9ERa+zraeF3fW0GvW4=", Log: "Google 'Argon2023' log", Operator: "Google",
		LogState: "usable", Timestamp: time.Date(2023, 1, 2, 9, 19, 20, 52e6, time.UTC), Status: SCTValid}
	got, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"log_id":"6D7Q2j71BjUy51covIlryQPTy9ERa+zraeF3fW0GvW4=","log":"Google 'Argon2023' log","operator":"Google","log_state":"usable","timestamp":"2023-01-02T09:19:20.052Z","status":"valid"}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestPrecertTBS(t *testing.T) {
	p := newCTPKI(t)
	preWithExt := p.issue(t, p.tmpl, p.customExtension())
	tests := []struct {
		name string
		leaf *x509.Certificate
		want []byte
	}{
		{"SCT list last", p.issue(t, p.tmpl, sctListExtension(t, p.ecSCT)), p.pre.RawTBSCertificate},
		{"SCT list before another extension", p.issue(t, p.tmpl, sctListExtension(t, p.ecSCT), p.customExtension()), preWithExt.RawTBSCertificate},
		{"no SCT list", preWithExt, preWithExt.RawTBSCertificate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := precertTBS(tt.leaf.RawTBSCertificate)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("got  %x\nwant %x", got, tt.want)
			}
		})
	}

	// A TBSCertificate whose only extension is the SCT list: the
	// precertificate's has no extensions field at all.
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(1)
		b.AddASN1(cbasn1.Tag(3).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(OIDSCTList)
					b.AddASN1OctetString(mustOctets(t, sctList(p.ecSCT)))
				})
			})
		})
	})
	got, err := precertTBS(b.BytesOrPanic())
	if want := []byte{0x30, 0x03, 0x02, 0x01, 0x01}; err != nil || !bytes.Equal(got, want) {
		t.Errorf("SCT list the only extension: got %x, %v; want %x", got, err, want)
	}

	for _, bad := range [][]byte{nil, {0x30}, {0x30, 0x00, 0x00}, {0x04, 0x00}, {0x30, 0x03, 0xa3, 0x01, 0x00}} {
		if _, err := precertTBS(bad); err == nil {
			t.Errorf("precertTBS(%x): no error", bad)
		}
	}
}

func readTestCert(t testing.TB, name string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "ct", name))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s: no PEM block", name)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cert
}

// realSCTs are the SCTs of public certificates in testdata/ct, as
// `openssl x509 -noout -text` prints them (log IDs converted from hex to
// base64), with the logs Google's log list names.
var realSCTs = []struct {
	leaf, issuer string
	want         []SCTCheck
}{
	{"www.google.com.pem", "gts-ca-1c3.pem", []SCTCheck{
		{LogID: "ejKMVNi3LbYg6jjgUh7phBZwMhOFTTvSK8E6V6NS61I=", Log: "Cloudflare 'Nimbus2023' Log", Operator: "Cloudflare",
			Timestamp: time.Date(2023, 1, 2, 9, 19, 20, 101e6, time.UTC)},
		{LogID: "6D7Q2j71BjUy51covIlryQPTy9ERa+zraeF3fW0GvW4=", Log: "Google 'Argon2023' log", Operator: "Google",
			Timestamp: time.Date(2023, 1, 2, 9, 19, 20, 52e6, time.UTC)},
	}},
	{"tm.cn.pem", "trustasia-ecc-ov-tls-pro-ca.pem", []SCTCheck{
		{LogID: "7ku9t3XOYLrhQmkfq+GeZqMPfl+wctiDAMR7iXqo/cs=", Log: "Google 'Rocketeer' log", Operator: "Google",
			Timestamp: time.Date(2019, 5, 17, 6, 3, 8, 575e6, time.UTC)},
		{LogID: "h3W/51l8+IxDmV+9827/Vo1HVjb/SrVgwbTq/16ggw8=", Log: "DigiCert Log Server 2", Operator: "DigiCert",
			Timestamp: time.Date(2019, 5, 17, 6, 3, 8, 866e6, time.UTC)},
	}},
}

func TestParseSCTsRealCertificates(t *testing.T) {
	for _, tt := range realSCTs {
		t.Run(tt.leaf, func(t *testing.T) {
			scts, err := ParseSCTs(readTestCert(t, tt.leaf))
			if err != nil {
				t.Fatal(err)
			}
			if len(scts) != len(tt.want) {
				t.Fatalf("got %d SCTs, want %d", len(scts), len(tt.want))
			}
			for i, s := range scts {
				w := tt.want[i]
				if s.LogIDString() != w.LogID || !s.Timestamp.Equal(w.Timestamp) || s.Timestamp.Location() != time.UTC {
					t.Errorf("SCT %d: log %s at %v, want %s at %v", i, s.LogIDString(), s.Timestamp, w.LogID, w.Timestamp)
				}
				if s.Version != SCTVersion1 || s.HashAlg != SCTHashSHA256 || s.SigAlg != SCTSigECDSA || len(s.Extensions) != 0 {
					t.Errorf("SCT %d: version %d, algorithms %d/%d, %d extension bytes; want v1, ECDSA/SHA-256, none",
						i, s.Version, s.HashAlg, s.SigAlg, len(s.Extensions))
				}
				if _, err := asn1.Unmarshal(s.Signature, &struct{ R, S *big.Int }{}); err != nil {
					t.Errorf("SCT %d: signature is not an ECDSA signature: %v", i, err)
				}
			}
		})
	}
}

func TestCheckSCTsRealCertificates(t *testing.T) {
	list, err := ReadLogList(filepath.Join("testdata", "ct", "log_list.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range realSCTs {
		leaf, issuer := readTestCert(t, tt.leaf), readTestCert(t, tt.issuer)
		// The other certificate's issuer: a real CA, but not this one.
		wrongIssuer := readTestCert(t, realSCTs[0].issuer)
		if tt.issuer == realSCTs[0].issuer {
			wrongIssuer = readTestCert(t, realSCTs[1].issuer)
		}
		for _, c := range []struct {
			name   string
			issuer *x509.Certificate
			list   *LogList
			status SCTStatus
		}{
			{"listed", issuer, list, SCTValid},
			{"wrong issuer", wrongIssuer, list, SCTInvalid},
			{"no list", issuer, nil, SCTUnknownLog},
		} {
			t.Run(tt.leaf+"/"+c.name, func(t *testing.T) {
				got, err := CheckSCTs(leaf, c.issuer, c.list)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %d checks, want %d", len(got), len(tt.want))
				}
				for i, w := range tt.want {
					g := got[i]
					if c.list == nil {
						w.Log, w.Operator = "", ""
					} else if g.LogState == "" {
						t.Errorf("SCT %d: no log state", i)
					}
					if g.LogID != w.LogID || g.Log != w.Log || g.Operator != w.Operator || !g.Timestamp.Equal(w.Timestamp) || g.Status != c.status {
						t.Errorf("SCT %d: got %+v\nwant %+v with status %s", i, g, w, c.status)
					}
				}
			})
		}
	}
}

func TestParseSCTsMalformed(t *testing.T) {
	p := newCTPKI(t)
	good := p.ecSCT
	// good is version(1) log ID(32) timestamp(8) extensions(2+0)
	// hash(1) sig(1) signature(2+n).
	const sigAt = 1 + 32 + 8 + 2
	bigTS := bytes.Clone(good)
	copy(bigTS[33:41], []byte{0x80, 0, 0, 0, 0, 0, 0, 0})
	extLies := bytes.Clone(good)
	extLies[42] = 0xFF
	sigLies := bytes.Clone(good)
	sigLies[sigAt+2] = 0xFF

	tests := []struct {
		name  string
		value []byte // the extension's value, DER
		want  string
	}{
		{"not an OCTET STRING", []byte{0x30, 0x00}, "not a DER OCTET STRING"},
		{"bytes after the OCTET STRING", append(mustOctets(t, sctList(good)), 0), "not a DER OCTET STRING"},
		{"empty", mustOctets(t, nil), "shorter than its length says"},
		{"one byte", mustOctets(t, []byte{0}), "shorter than its length says"},
		{"list longer than the data", mustOctets(t, sctList(good)[:len(good)]), "shorter than its length says"},
		{"bytes after the list", mustOctets(t, append(sctList(good), 0, 1)), "trailing data after the list"},
		{"empty list", mustOctets(t, []byte{0, 0}), "empty list"},
		{"SCT length lies", mustOctets(t, []byte{0, 3, 0, 5, 0}), "SCT 1: shorter than its length says"},
		{"empty SCT", mustOctets(t, sctList(good, nil)), "SCT 2: empty"},
		{"truncated log ID", mustOctets(t, sctList(good[:20])), "truncated log ID"},
		{"truncated timestamp", mustOctets(t, sctList(good[:37])), "truncated timestamp"},
		{"extensions length lies", mustOctets(t, sctList(extLies)), "extensions shorter"},
		{"truncated algorithm", mustOctets(t, sctList(good[:sigAt+1])), "truncated signature algorithm"},
		{"signature length lies", mustOctets(t, sctList(sigLies)), "signature shorter"},
		{"truncated signature", mustOctets(t, sctList(good[:len(good)-1])), "signature shorter"},
		{"bytes after the signature", mustOctets(t, sctList(append(bytes.Clone(good), 7))), "trailing data after the signature"},
		{"timestamp out of range", mustOctets(t, sctList(bigTS)), "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf := p.issue(t, p.tmpl, pkix.Extension{Id: OIDSCTList, Value: tt.value})
			scts, err := ParseSCTs(leaf)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, %v; want error containing %q", scts, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "SCT list extension: ") {
				t.Errorf("error %q does not name the extension", err)
			}
			if checks, err := CheckSCTs(leaf, p.ca, p.list); err == nil {
				t.Errorf("CheckSCTs: got %v, no error", checks)
			}
		})
	}
}

func mustOctets(t testing.TB, b []byte) []byte {
	t.Helper()
	der, err := asn1.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestParseLogList(t *testing.T) {
	p := newCTPKI(t)
	if len(p.list.Logs) != 2 {
		t.Fatalf("got %d logs, want 2", len(p.list.Logs))
	}
	ec, rsaLog := p.list.Logs[0], p.list.Logs[1]
	if p.list.Version != "1.0" || !p.list.Timestamp.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("list version %q, timestamp %v", p.list.Version, p.list.Timestamp)
	}
	wantEC := Log{Description: "Test 'EC2026' log", Operator: "Test Operator", URL: "https://ct.example.com/log/",
		MMD: 24 * time.Hour, State: "usable", StateSince: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	if base64.StdEncoding.EncodeToString(ec.ID[:]) != p.ecID {
		t.Errorf("EC log ID %x, want %s", ec.ID, p.ecID)
	}
	if k, ok := ec.Key.(*ecdsa.PublicKey); !ok || !k.Equal(p.ecLog.Public()) {
		t.Errorf("EC log key %T, not the log's", ec.Key)
	}
	ec.Key, ec.ID = nil, [32]byte{}
	if ec != wantEC {
		t.Errorf("EC log:\n got %+v\nwant %+v", ec, wantEC)
	}
	if !rsaLog.Tiled || rsaLog.URL != "https://ct.example.com/submit/" || rsaLog.MonitoringURL != "https://ct.example.com/monitor/" ||
		rsaLog.Operator != "Other Operator" || rsaLog.State != "retired" {
		t.Errorf("tiled RSA log: %+v", rsaLog)
	}
	if k, ok := rsaLog.Key.(*rsa.PublicKey); !ok || !k.Equal(p.rsaLog.Public()) {
		t.Errorf("RSA log key %T, not the log's", rsaLog.Key)
	}
	if got := p.list.Lookup(rsaLog.ID); got == nil || got.Description != "Test 'RSA2026' log" {
		t.Errorf("Lookup(RSA log ID) = %+v", got)
	}
	if got := p.ecOnly.Lookup(rsaLog.ID); got != nil {
		t.Errorf("Lookup of an unlisted log = %+v", got)
	}
	if got := (*LogList)(nil).Lookup(rsaLog.ID); got != nil {
		t.Errorf("nil list: Lookup = %+v", got)
	}

	ecLog := testLog{operator: "Op", description: "EC", key: p.ecLog, state: "usable"}
	wrongID := ecLog
	wrongID.logID = p.rsaID
	badID := ecLog
	badID.logID = "not base64!"
	tests := []struct {
		name, text, want string
	}{
		{"not JSON", "{", "CT log list: unexpected end of JSON input"},
		{"no operators", "{}", "no logs"},
		{"no logs", `{"operators":[{"name":"Op","logs":[],"tiled_logs":[]}]}`, "no logs"},
		{"wrong log ID", logListJSONText(t, []testLog{wrongID}), `operator "Op": log "EC": log_id ` + p.rsaID + " is not the SHA-256 hash of its key (" + p.ecID + ")"},
		{"log ID not base64", logListJSONText(t, []testLog{badID}), `log "EC": log_id: illegal base64`},
		{"key not base64", `{"operators":[{"name":"Op","logs":[{"description":"EC","log_id":"","key":"@@"}]}]}`, `log "EC": key: illegal base64`},
		{"key not a public key", `{"operators":[{"name":"Op","logs":[{"description":"EC","log_id":"","key":"AAAA"}]}]}`, `log "EC": key: `},
		{"same log twice", logListJSONText(t, []testLog{ecLog, {operator: "Other", description: "EC again", key: p.ecLog, state: "usable"}}), `is also "EC"'s`},
		{"two states", strings.Replace(logListJSONText(t, []testLog{ecLog}), `"state":{`, `"state":{"retired":{"timestamp":"2026-01-01T00:00:00Z"},`, 1), "2 states"},
		{"bad state time", strings.Replace(logListJSONText(t, []testLog{ecLog}), `2025-06-01T00:00:00Z`, `yesterday`, 1), "CT log list: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := ParseLogList([]byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, %v; want error containing %q", list, err, tt.want)
			}
		})
	}

	dir := t.TempDir()
	if _, err := ReadLogList(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLogList(bad); err == nil || !strings.Contains(err.Error(), bad+": CT log list: no logs") {
		t.Errorf("bad file: %v", err)
	}
}

// FuzzParseSCTList checks that no input makes the parser panic, and that
// whatever it accepts re-encodes to the bytes it read.
func FuzzParseSCTList(f *testing.F) {
	p := newCTPKI(f)
	f.Add(sctList(p.ecSCT))
	f.Add(sctList(p.ecSCT, p.rsaSCT))
	f.Add(sctList([]byte{1, 2, 3}, p.ecSCT))
	for _, tt := range realSCTs {
		leaf := readTestCert(f, tt.leaf)
		for _, e := range leaf.Extensions {
			if e.Id.Equal(OIDSCTList) {
				var list []byte
				if _, err := asn1.Unmarshal(e.Value, &list); err != nil {
					f.Fatal(err)
				}
				f.Add(list)
			}
		}
	}
	f.Add([]byte{})
	f.Add([]byte{0, 0})
	f.Add([]byte{0, 5, 0, 3, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		scts, err := parseSCTList(data)
		if err != nil {
			if scts != nil {
				t.Fatalf("error %v with %d SCTs", err, len(scts))
			}
			return
		}
		if len(scts) == 0 {
			t.Fatal("no error and no SCT")
		}
		var encoded [][]byte
		for _, s := range scts {
			if s.Version != SCTVersion1 {
				// Only its version is known; the bytes after it are opaque.
				if !bytes.Contains(data, []byte{byte(s.Version)}) {
					t.Fatalf("version %d not in the input", s.Version)
				}
				return
			}
			encoded = append(encoded, encodeSCT(s))
		}
		if got := sctList(encoded...); !bytes.Equal(got, data) {
			t.Fatalf("re-encoded %x\n       from %x", got, data)
		}
	})
}
