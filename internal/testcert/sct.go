package testcert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// oidSCTList is the certificate extension of embedded SCTs (RFC 6962
// §3.3).
var oidSCTList = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}

// SCTLog is a Certificate Transparency log made in a test: an ECDSA P-256
// key that signs SCTs (Options.SCTLogs), and the names a log list gives
// it (LogListJSON).
type SCTLog struct {
	Operator, Description string
	Key                   *ecdsa.PrivateKey
	// Corrupt makes the SCTs it signs carry a signature with its last
	// byte flipped, which does not verify.
	Corrupt bool
}

// NewSCTLog makes a log with a new key.
func NewSCTLog(t testing.TB, operator, description string) *SCTLog {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &SCTLog{Operator: operator, Description: description, Key: key}
}

// ID returns the log ID, the SHA-256 hash of its public key's DER, and
// the key's DER.
func (l *SCTLog) ID(t testing.TB) (id [32]byte, keyDER []byte) {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(l.Key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(der), der
}

// LogListJSON returns a log list in the v3 JSON format naming logs, each
// "usable", one operator per distinct Operator.
func LogListJSON(t testing.TB, logs ...*SCTLog) []byte {
	t.Helper()
	type operator struct {
		Name  string           `json:"name"`
		Email []string         `json:"email"`
		Logs  []map[string]any `json:"logs"`
	}
	var ops []*operator
	byName := map[string]*operator{}
	for _, l := range logs {
		op := byName[l.Operator]
		if op == nil {
			op = &operator{Name: l.Operator, Email: []string{"ct@example.com"}}
			byName[l.Operator] = op
			ops = append(ops, op)
		}
		id, der := l.ID(t)
		op.Logs = append(op.Logs, map[string]any{
			"description": l.Description,
			"log_id":      base64.StdEncoding.EncodeToString(id[:]),
			"key":         base64.StdEncoding.EncodeToString(der),
			"url":         "https://ct.example.com/" + base64.RawURLEncoding.EncodeToString(id[:4]) + "/",
			"mmd":         86400,
			"state":       map[string]any{"usable": map[string]any{"timestamp": "2025-01-01T00:00:00Z"}},
		})
	}
	data, err := json.Marshal(map[string]any{"version": "1.0", "log_list_timestamp": time.Now().UTC(), "operators": ops})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// sctListExtension returns the SCT list extension of the certificate
// tmpl becomes when issuer (with signer) signs it for pub: each log of
// logs signs, at ts, the precertificate entry of tmpl as it is, which is
// that certificate without the extension (RFC 6962 §3.2).
func sctListExtension(t testing.TB, logs []*SCTLog, ts time.Time, tmpl, issuer *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) pkix.Extension {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	pre, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	issuerSPKI, err := x509.MarshalPKIXPublicKey(signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	keyHash := sha256.Sum256(issuerSPKI)
	var list cryptobyte.Builder
	list.AddUint16LengthPrefixed(func(list *cryptobyte.Builder) {
		for _, l := range logs {
			var signed cryptobyte.Builder
			signed.AddUint8(0) // v1
			signed.AddUint8(0) // certificate_timestamp
			signed.AddUint64(uint64(ts.UnixMilli()))
			signed.AddUint16(1) // precert_entry
			signed.AddBytes(keyHash[:])
			signed.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(pre.RawTBSCertificate) })
			signed.AddUint16(0) // no extensions
			digest := sha256.Sum256(signed.BytesOrPanic())
			sig, err := l.Key.Sign(rand.Reader, digest[:], crypto.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			if l.Corrupt {
				sig[len(sig)-1] ^= 1
			}
			id, _ := l.ID(t)
			list.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddUint8(0)
				b.AddBytes(id[:])
				b.AddUint64(uint64(ts.UnixMilli()))
				b.AddUint16(0) // no extensions
				b.AddUint8(4)  // SHA-256
				b.AddUint8(3)  // ECDSA
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sig) })
			})
		}
	})
	val, err := asn1.Marshal(list.BytesOrPanic())
	if err != nil {
		t.Fatal(err)
	}
	return pkix.Extension{Id: oidSCTList, Value: val}
}
