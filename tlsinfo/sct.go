package tlsinfo

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// OIDSCTList is the certificate extension that carries a list of embedded
// signed certificate timestamps (RFC 6962 §3.3).
var OIDSCTList = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}

// SCTVersion1 is how version v1 of an SCT, the only one RFC 6962 defines, is
// encoded in SCT.Version.
const SCTVersion1 = 0

// Algorithms of an SCT's digitally-signed struct (RFC 5246 §7.4.1.4.1), the
// only ones RFC 6962 allows.
const (
	SCTHashSHA256 uint8 = 4
	SCTSigRSA     uint8 = 1
	SCTSigECDSA   uint8 = 3
)

// SCT is a signed certificate timestamp: a CT log's promise that it has
// recorded a certificate (RFC 6962 §3.2).
type SCT struct {
	// Version is as encoded: SCTVersion1 (0) for v1. An SCT of another
	// version has only Version set; its other fields are unknown.
	Version int
	// LogID is the SHA-256 hash of the log's public key (DER
	// SubjectPublicKeyInfo).
	LogID [32]byte
	// Timestamp is when the log recorded the certificate, in UTC, to the
	// millisecond.
	Timestamp time.Time
	// Extensions are the SCT's extensions, opaque; empty in practice.
	Extensions []byte
	// HashAlg and SigAlg are the algorithms of the signature:
	// SCTHashSHA256 with SCTSigECDSA or SCTSigRSA.
	HashAlg, SigAlg uint8
	// Signature is the log's signature: an ASN.1 ECDSA signature, or an
	// RSASSA-PKCS1-v1_5 signature.
	Signature []byte
}

// LogIDString is the log ID in standard base64, as log lists and browsers
// write it ("6D7Q2j71BjUy51covIlryQPTy9ERa+zraeF3fW0GvW4=").
func (s SCT) LogIDString() string {
	return base64.StdEncoding.EncodeToString(s.LogID[:])
}

// ParseSCTs returns the SCTs embedded in a certificate, in the order of the
// certificate's list. It returns nil, nil when the certificate has no SCT
// list extension, and an error when the extension is malformed: the whole
// list is rejected then, since its lengths cannot be trusted. An SCT of an
// unknown version is returned with only its Version.
func ParseSCTs(leaf *x509.Certificate) ([]SCT, error) {
	ext, ok := sctExtension(leaf)
	if !ok {
		return nil, nil
	}
	// The extension's value is an OCTET STRING holding the TLS encoding.
	val := cryptobyte.String(ext)
	var list cryptobyte.String
	if !val.ReadASN1(&list, cbasn1.OCTET_STRING) || !val.Empty() {
		return nil, errors.New("SCT list extension: not a DER OCTET STRING")
	}
	scts, err := parseSCTList(list)
	if err != nil {
		return nil, fmt.Errorf("SCT list extension: %w", err)
	}
	return scts, nil
}

func sctExtension(leaf *x509.Certificate) ([]byte, bool) {
	for _, e := range leaf.Extensions {
		if e.Id.Equal(OIDSCTList) {
			return e.Value, true
		}
	}
	return nil, false
}

// parseSCTList parses a TLS-encoded SignedCertificateTimestampList
// (RFC 6962 §3.3): SerializedSCT sct_list<1..2^16-1>, each
// SerializedSCT being opaque<1..2^16-1>.
func parseSCTList(data []byte) ([]SCT, error) {
	s := cryptobyte.String(data)
	var list cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&list) {
		return nil, fmt.Errorf("list of %d bytes is shorter than its length says", len(data))
	}
	if !s.Empty() {
		return nil, errors.New("trailing data after the list")
	}
	if list.Empty() {
		return nil, errors.New("empty list")
	}
	var scts []SCT
	for i := 0; !list.Empty(); i++ {
		var raw cryptobyte.String
		if !list.ReadUint16LengthPrefixed(&raw) {
			return nil, fmt.Errorf("SCT %d: shorter than its length says", i+1)
		}
		sct, err := parseSCT(raw)
		if err != nil {
			return nil, fmt.Errorf("SCT %d: %w", i+1, err)
		}
		scts = append(scts, sct)
	}
	return scts, nil
}

// parseSCT parses one SerializedSCT.
func parseSCT(s cryptobyte.String) (SCT, error) {
	var sct SCT
	var version uint8
	if !s.ReadUint8(&version) {
		return sct, errors.New("empty")
	}
	sct.Version = int(version)
	if version != SCTVersion1 {
		// Only v1 has a known layout: report the version, skip the rest.
		return sct, nil
	}
	var logID []byte
	var ts uint64
	var exts, sig cryptobyte.String
	switch {
	case !s.ReadBytes(&logID, 32):
		return sct, errors.New("truncated log ID")
	case !s.ReadUint64(&ts):
		return sct, errors.New("truncated timestamp")
	case !s.ReadUint16LengthPrefixed(&exts):
		return sct, errors.New("extensions shorter than their length says")
	case !s.ReadUint8(&sct.HashAlg) || !s.ReadUint8(&sct.SigAlg):
		return sct, errors.New("truncated signature algorithm")
	case !s.ReadUint16LengthPrefixed(&sig):
		return sct, errors.New("signature shorter than its length says")
	case !s.Empty():
		return sct, errors.New("trailing data after the signature")
	case ts > math.MaxInt64:
		return sct, fmt.Errorf("timestamp %d out of range", ts)
	}
	copy(sct.LogID[:], logID)
	sct.Timestamp = time.UnixMilli(int64(ts)).UTC()
	sct.Extensions = bytes.Clone(exts)
	sct.Signature = bytes.Clone(sig)
	return sct, nil
}

// SCTStatus says what checking an SCT against a log list found.
type SCTStatus string

const (
	// SCTValid: the log is in the list and the SCT's signature verifies
	// with its key over the certificate's precertificate entry.
	SCTValid SCTStatus = "valid"
	// SCTInvalid: the log is in the list, but the signature does not
	// verify: the certificate is not the one the log signed for, the
	// issuer given is not the certificate's, or the SCT is forged.
	SCTInvalid SCTStatus = "invalid"
	// SCTUnknownLog: no log list was given, or the log is not in it. The
	// SCT is unverified: its log ID and timestamp are only claims.
	SCTUnknownLog SCTStatus = "unknown-log"
	// SCTUnchecked: the signature could not be checked: the issuer's
	// certificate is not known, the SCT's version is not v1, or the log's
	// key is of a type CT does not use. Err says which.
	SCTUnchecked SCTStatus = "unchecked"
)

// SCTCheck is what CheckSCTs found about one embedded SCT.
type SCTCheck struct {
	// LogID is the log's ID in standard base64, as log lists write it;
	// empty for an SCT of an unknown version.
	LogID string `json:"log_id"`
	// Log and Operator are the log's description and its operator's name
	// in the log list ("Google 'Argon2026h1' log", "Google"); empty when
	// the log is not in the list.
	Log      string `json:"log,omitempty"`
	Operator string `json:"operator,omitempty"`
	// LogState is the log's state in the list ("usable", "retired", …).
	LogState string `json:"log_state,omitempty"`
	// Timestamp is when the log says it recorded the certificate (UTC).
	Timestamp time.Time `json:"timestamp"`
	Status    SCTStatus `json:"status"`
	// Err says why the status is not SCTValid, when there is more to say.
	Err string `json:"error,omitempty"`
}

// CheckSCTs checks each SCT embedded in leaf against list: whether the log
// is listed, and whether its signature verifies over the precertificate
// entry made from leaf and issuer, the certificate that issued leaf. list
// and issuer may be nil; the SCTs are then unknown-log or unchecked. It
// returns nil, nil when leaf has no embedded SCTs ("none embedded"), and an
// error when the SCT list or the certificate cannot be parsed.
func CheckSCTs(leaf, issuer *x509.Certificate, list *LogList) ([]SCTCheck, error) {
	scts, err := ParseSCTs(leaf)
	if err != nil || scts == nil {
		return nil, err
	}
	var tbs []byte // the precertificate's TBSCertificate, made once
	checks := make([]SCTCheck, 0, len(scts))
	for _, sct := range scts {
		c := SCTCheck{Status: SCTUnknownLog}
		if sct.Version != SCTVersion1 {
			c.Status = SCTUnchecked
			c.Err = fmt.Sprintf("SCT version %d is not v1", sct.Version+1)
			checks = append(checks, c)
			continue
		}
		c.LogID = sct.LogIDString()
		c.Timestamp = sct.Timestamp
		entry := list.Lookup(sct.LogID)
		switch {
		case list == nil:
			c.Err = "no log list"
		case entry == nil:
			c.Err = "log not in the log list"
		case issuer == nil:
			c.Status = SCTUnchecked
			c.Err = "issuer certificate not known"
		}
		if entry != nil {
			c.Log, c.Operator, c.LogState = entry.Description, entry.Operator, entry.State
		}
		if entry == nil || issuer == nil {
			checks = append(checks, c)
			continue
		}
		if tbs == nil {
			if tbs, err = precertTBS(leaf.RawTBSCertificate); err != nil {
				return nil, err
			}
		}
		c.Status, c.Err = SCTInvalid, ""
		if err := sct.verify(entry.Key, tbs, issuer.RawSubjectPublicKeyInfo); err != nil {
			var u unsupportedKeyError
			if errors.As(err, &u) {
				c.Status = SCTUnchecked
			}
			c.Err = err.Error()
		} else {
			c.Status = SCTValid
		}
		checks = append(checks, c)
	}
	return checks, nil
}

type unsupportedKeyError struct{ key crypto.PublicKey }

func (e unsupportedKeyError) Error() string {
	return fmt.Sprintf("log key of type %T is neither ECDSA nor RSA", e.key)
}

// verify checks the SCT's signature with the log's key over a
// precertificate entry (RFC 6962 §3.2).
func (s SCT) verify(key crypto.PublicKey, tbs, issuerSPKI []byte) error {
	if s.HashAlg != SCTHashSHA256 {
		return fmt.Errorf("hash algorithm %d is not SHA-256", s.HashAlg)
	}
	msg, err := s.signedEntry(tbs, issuerSPKI)
	if err != nil {
		return err
	}
	digest := sha256.Sum256(msg)
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		if s.SigAlg != SCTSigECDSA {
			return fmt.Errorf("signature algorithm %d does not match the log's ECDSA key", s.SigAlg)
		}
		if !ecdsa.VerifyASN1(k, digest[:], s.Signature) {
			return errors.New("ECDSA signature does not verify")
		}
	case *rsa.PublicKey:
		if s.SigAlg != SCTSigRSA {
			return fmt.Errorf("signature algorithm %d does not match the log's RSA key", s.SigAlg)
		}
		if err := rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], s.Signature); err != nil {
			return errors.New("RSA signature does not verify")
		}
	default:
		return unsupportedKeyError{key}
	}
	return nil
}

// signedEntry is the digitally-signed struct of a v1 SCT over a
// precertificate entry:
//
//	Version sct_version; SignatureType signature_type = certificate_timestamp;
//	uint64 timestamp; LogEntryType entry_type = precert_entry;
//	opaque issuer_key_hash[32]; opaque tbs_certificate<1..2^24-1>;
//	CtExtensions extensions<0..2^16-1>;
func (s SCT) signedEntry(tbs, issuerSPKI []byte) ([]byte, error) {
	const (
		certificateTimestamp = 0
		precertEntry         = 1
	)
	keyHash := sha256.Sum256(issuerSPKI)
	b := cryptobyte.NewFixedBuilder(make([]byte, 0, 1+1+8+2+32+3+len(tbs)+2+len(s.Extensions)))
	b.AddUint8(uint8(s.Version))
	b.AddUint8(certificateTimestamp)
	b.AddUint64(uint64(s.Timestamp.UnixMilli()))
	b.AddUint16(precertEntry)
	b.AddBytes(keyHash[:])
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(tbs) })
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.Extensions) })
	msg, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("encoding the signed entry: %w", err)
	}
	return msg, nil
}

// precertTBS returns the TBSCertificate a CT log signed for a certificate
// with embedded SCTs: the certificate's DER TBSCertificate without the SCT
// list extension (RFC 6962 §3.2). Every other field and extension is kept
// byte for byte; only the lengths around the extensions are re-encoded.
// A TBSCertificate without the extension is returned unchanged.
func precertTBS(rawTBS []byte) ([]byte, error) {
	in := cryptobyte.String(rawTBS)
	var tbs cryptobyte.String
	if !in.ReadASN1(&tbs, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, errors.New("TBSCertificate: not a DER SEQUENCE")
	}
	extsTag := cbasn1.Tag(3).Constructed().ContextSpecific()
	var b cryptobyte.Builder
	removed := false
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for !tbs.Empty() {
			var elem cryptobyte.String
			var tag cbasn1.Tag
			if !tbs.ReadAnyASN1Element(&elem, &tag) {
				b.SetError(errors.New("TBSCertificate: malformed field"))
				return
			}
			if tag != extsTag {
				b.AddBytes(elem)
				continue
			}
			kept, n, err := withoutExtension(elem, OIDSCTList)
			if err != nil {
				b.SetError(err)
				return
			}
			if n > 1 {
				b.SetError(fmt.Errorf("TBSCertificate: %d SCT list extensions", n))
				return
			}
			removed = n == 1
			if len(kept) == 0 {
				continue // Extensions is SIZE (1..MAX): leave it out.
			}
			b.AddASN1(extsTag, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddBytes(kept) })
			})
		}
	})
	out, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	if !removed {
		return rawTBS, nil
	}
	return out, nil
}

// withoutExtension reads the [3] EXPLICIT Extensions element of a
// TBSCertificate and returns the concatenated DER of every extension but
// those with the given OID, and how many it left out.
func withoutExtension(elem cryptobyte.String, oid asn1.ObjectIdentifier) ([]byte, int, error) {
	var explicit, exts cryptobyte.String
	if !elem.ReadASN1(&explicit, cbasn1.Tag(3).Constructed().ContextSpecific()) ||
		!explicit.ReadASN1(&exts, cbasn1.SEQUENCE) || !explicit.Empty() {
		return nil, 0, errors.New("TBSCertificate: malformed extensions")
	}
	var kept []byte
	n := 0
	for !exts.Empty() {
		var ext, body cryptobyte.String
		if !exts.ReadASN1Element(&ext, cbasn1.SEQUENCE) {
			return nil, 0, errors.New("TBSCertificate: malformed extension")
		}
		var id asn1.ObjectIdentifier
		body = ext
		if !body.ReadASN1(&body, cbasn1.SEQUENCE) || !body.ReadASN1ObjectIdentifier(&id) {
			return nil, 0, errors.New("TBSCertificate: malformed extension ID")
		}
		if id.Equal(oid) {
			n++
			continue
		}
		kept = append(kept, ext...)
	}
	return kept, n, nil
}
