package tlsinfo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/siteblog/site/internal/dirlock"
)

// historyLock is the name of the history's lock in the locks directory of
// the cache directory (see package dirlock), and historyLockWait how long
// a background save waits for it at a time: longer than a lock left by a
// killed process stays fresh.
const (
	historyLock     = "tls_history"
	historyLockWait = dirlock.DefaultStale + 10*time.Second
)

// HistoryFile is the name of the history inside the cache directory. The
// underscore keeps it apart from autocert's files, which are named after
// host names.
const HistoryFile = "tls_history.json"

// Record is one certificate a server has served, with what verifying its
// chain established when it was first served. Fields added since the first
// version of the file are optional, so older history files still read.
type Record struct {
	// SHA256 is the leaf's fingerprint, as Certificate.SHA256.
	SHA256  string   `json:"sha256"`
	State   State    `json:"state"`
	Subject string   `json:"subject"`
	SANs    []string `json:"sans,omitempty"`
	// Issuer names the CA that issued the leaf (Chain.Issuer, or
	// Trust.Issuer when the chain was verified).
	Issuer    string    `json:"issuer"`
	Top       string    `json:"top"`
	KeyType   string    `json:"key_type"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	// FirstServed is when a handshake first used the certificate.
	FirstServed time.Time `json:"first_served"`

	// TrustState is Trust.State when the certificate was first served:
	// Verified, PrivateCA, Unverified, BrokenChain, SelfSigned or Expired.
	// Empty in records written before chains were verified.
	TrustState State `json:"trust_state,omitempty"`
	// IssuerOrganization is the issuing CA's organisation.
	IssuerOrganization string `json:"issuer_organization,omitempty"`
	// Anchor and AnchorCountry name the trust anchor the preferred
	// verified path reached, AnchorSHA256 is its fingerprint (as
	// Certificate.SHA256); empty unless TrustState is Verified or
	// PrivateCA.
	Anchor        string `json:"anchor,omitempty"`
	AnchorCountry string `json:"anchor_country,omitempty"`
	AnchorSHA256  string `json:"anchor_sha256,omitempty"`
	// Changes are what differs from the certificate recorded before it
	// for the same names (see History.Add); empty for the first
	// certificate of its names and when nothing a reader is told about
	// changed.
	Changes []Change `json:"changes,omitempty"`
}

// ChangeKind is what changed between two certificates of the same names.
type ChangeKind string

// The changes History.Add records.
const (
	// IssuerChanged: the issuing CA's name differs.
	IssuerChanged ChangeKind = "issuer changed"
	// RootChanged: the trust anchor differs (another name, or another
	// certificate of the same name), or one of the two certificates
	// reached no trust anchor.
	RootChanged ChangeKind = "root changed"
	// KeyTypeChanged: the names had not been served with this key type
	// before.
	KeyTypeChanged ChangeKind = "key type changed"
)

// Change is one difference from the certificate recorded before.
type Change struct {
	Kind ChangeKind `json:"kind"`
	From string     `json:"from"`
	To   string     `json:"to"`
}

// String says the change for a reader: "issuer changed from Let's Encrypt
// R3 to Let's Encrypt R10".
func (c Change) String() string {
	return string(c.Kind) + " from " + c.From + " to " + c.To
}

// NewRecord makes the record of chain c, verified as t (nil when it was
// not verified), first served at firstServed. Its Changes are left empty:
// History.Add fills them in.
func NewRecord(c *Chain, t *Trust, firstServed time.Time) Record {
	leaf := c.Leaf()
	r := Record{
		SHA256:             leaf.SHA256,
		State:              c.State,
		Subject:            leaf.Subject,
		SANs:               leaf.SANs,
		Issuer:             c.Issuer,
		IssuerOrganization: c.IssuerOrganization,
		Top:                c.Top,
		KeyType:            leaf.KeyType,
		Serial:             leaf.Serial,
		NotBefore:          leaf.NotBefore,
		NotAfter:           leaf.NotAfter,
		FirstServed:        firstServed.UTC().Truncate(time.Second),
	}
	if t == nil {
		return r
	}
	r.TrustState = t.State
	if t.Issuer != "" {
		r.Issuer, r.IssuerOrganization = t.Issuer, t.IssuerOrganization
	}
	r.Anchor, r.AnchorCountry = t.Anchor, t.AnchorCountry
	if len(t.Paths) > 0 && len(t.Paths[0].Certificates) > 0 {
		r.AnchorSHA256 = t.Paths[0].Anchor().SHA256
	}
	return r
}

// AnchorLabel is the anchor's name with its country: "ISRG Root X1, US".
func (r Record) AnchorLabel() string { return anchorLabel(r.Anchor, r.AnchorCountry) }

// PageID is the id of the record's row on the /tls/ page (PagePath):
// "sha256-" and the leaf's fingerprint in lower-case hex.
func (r Record) PageID() string {
	return "sha256-" + r.hexSHA256()
}

func (r Record) hexSHA256() string {
	return strings.ToLower(strings.ReplaceAll(r.SHA256, ":", ""))
}

// History is the list of certificates a server has served, kept in a JSON
// file that survives restarts. It is safe for concurrent use, and for use
// by several processes sharing the directory: Add takes the directory's
// history lock, reads the file again and adds to what it holds, or, when
// another holds the lock, records in memory and saves in the background
// (see Add); call Flush before the process exits.
type History struct {
	path string

	mu      sync.Mutex
	records []Record // oldest first
	gen     uint64
	unsaved bool  // records are in memory only
	saving  bool  // a background save is under way
	saveErr error // the last background save's failure, for the next Add
}

// CorruptError reports a history file that could not be read and was moved
// aside; the History returned with it starts empty and works.
type CorruptError struct {
	Path, MovedTo string
	Err           error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s: corrupt certificate history (%v): moved to %s and started anew", e.Path, e.Err, e.MovedTo)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// OpenHistory opens the history in dir, creating dir with mode 0700 if
// needed (and tightening an existing one to 0700, as it holds private
// keys). A corrupt file gives a working, empty History and a *CorruptError.
func OpenHistory(dir string) (*History, error) {
	if err := PrivateDir(dir); err != nil {
		return nil, err
	}
	h := &History{path: filepath.Join(dir, HistoryFile)}
	records, err := h.readFile()
	if errors.Is(err, fs.ErrNotExist) {
		return h, nil
	}
	var corrupt *CorruptError
	if errors.As(err, &corrupt) {
		moved := h.path + ".corrupt"
		if rerr := os.Rename(h.path, moved); rerr != nil {
			return nil, fmt.Errorf("%s: corrupt certificate history (%v), and moving it aside failed: %w", h.path, corrupt.Err, rerr)
		}
		corrupt.MovedTo = moved
		return h, corrupt
	}
	if err != nil {
		return nil, err
	}
	h.records = records
	return h, nil
}

// readFile reads the history file: an error wrapping fs.ErrNotExist when
// there is none, a *CorruptError (without MovedTo) when it does not parse.
func (h *History) readFile() ([]Record, error) {
	data, err := os.ReadFile(h.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("reading certificate history: %w", err)
	}
	var file struct {
		Certificates []Record `json:"certificates"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err = dec.Decode(&file)
	if err == nil {
		err = validRecords(file.Certificates)
	}
	if err != nil {
		return nil, &CorruptError{Path: h.path, Err: err}
	}
	return file.Certificates, nil
}

// mergeFileLocked adds to the records in memory those another process
// added to the file, keeping the file's order; records only in memory (a
// save that failed) follow. A file that is missing or corrupt adds
// nothing. It reports whether records were added.
func (h *History) mergeFileLocked() bool {
	file, err := h.readFile()
	if err != nil {
		return false
	}
	inFile := make(map[string]bool, len(file))
	for _, r := range file {
		inFile[r.SHA256] = true
	}
	merged := file
	for _, r := range h.records {
		if !inFile[r.SHA256] {
			merged = append(merged, r)
		}
	}
	added := len(merged) > len(h.records)
	h.records = merged
	return added
}

// validRecords checks that every record has its leaf's fingerprint, as
// Certificate.SHA256 writes it: 32 bytes in hex, separated by colons.
func validRecords(rs []Record) error {
	for i, r := range rs {
		if r.SHA256 == "" {
			return fmt.Errorf("record %d has no fingerprint", i+1)
		}
		if !isColonSHA256(r.SHA256) {
			return fmt.Errorf("record %d: the fingerprint %q is not 32 bytes in hex separated by colons", i+1, r.SHA256)
		}
	}
	return nil
}

// isColonSHA256 reports whether s is a SHA-256 fingerprint written as
// colonHex writes it ("AB:CD:…", either case).
func isColonSHA256(s string) bool {
	if len(s) != 32*3-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i%3 == 2:
			if c != ':' {
				return false
			}
		case (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F'):
			return false
		}
	}
	return true
}

// PrivateDir creates dir with mode 0700, or makes an existing dir 0700.
func PrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if info.Mode().Perm() != 0o700 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

// Path returns the history file's path.
func (h *History) Path() string { return h.path }

// Add records that chain c, verified as t (nil when it was not
// verified), was first served at at, unless its leaf is already recorded,
// and saves the history. It returns the record added, with its Changes,
// or nil when the leaf was recorded before. When saving fails, the record
// is kept in memory and returned with the error.
//
// Changes compare the new certificate with the certificate recorded last
// for any of its names (SANs, else its subject) with the same key type,
// else with any key type: a site served with an ECDSA and an RSA
// certificate, whose issuing CAs differ by key type, is compared ECDSA to
// ECDSA and RSA to RSA. Certificates for other names do not count. The
// root is compared only when both certificates were verified when
// recorded (TrustState is set), by the anchor's fingerprint, else its name.
//
// Add never waits for the history's lock (dirlock, in the locks
// directory beside the file), as handshakes call it: when the lock is
// free, Add takes it, reads the file again, adds the record and saves,
// so that processes sharing the directory lose none of each other's
// records. When another holds it (another process saving, or one that
// died holding it, until it is stale), the record is added in memory at
// once, shown by Records, and saved in the background as soon as the
// lock is free, after merging the file again; Flush saves what is left
// at shutdown. The error of a background save that failed is returned by
// the next Add, and the save retried.
func (h *History) Add(c *Chain, t *Trust, at time.Time) (*Record, error) {
	r := NewRecord(c, t, at)
	lock, lerr := dirlock.TryAcquire(h.lockDir(), historyLock, dirlock.Options{})
	if lerr == nil {
		defer lock.Release()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if lerr == nil && h.mergeFileLocked() {
		h.gen++
	}
	for _, old := range h.records {
		if old.SHA256 == r.SHA256 {
			if lerr == nil && h.unsaved {
				return nil, h.saveLocked()
			}
			return nil, nil
		}
	}
	if prev := previousOf(h.records, &r); prev != nil {
		r.Changes = changes(prev, &r)
	}
	h.records = append(h.records, r)
	h.gen++
	h.unsaved = true
	if lerr != nil {
		if !errors.Is(lerr, dirlock.ErrHeld) {
			return &r, fmt.Errorf("saving certificate history: %w", lerr)
		}
		if !h.saving {
			h.saving = true
			go h.saveInBackground()
		}
		err := h.saveErr
		h.saveErr = nil
		return &r, err
	}
	return &r, h.saveLocked()
}

func (h *History) lockDir() string { return filepath.Join(filepath.Dir(h.path), "locks") }

// saveInBackground saves the records Add kept in memory, waiting for the
// lock, and tries again after a failure (30 seconds, doubling up to 10
// minutes) until they are saved.
func (h *History) saveInBackground() {
	retry := 30 * time.Second
	for {
		ctx, cancel := context.WithTimeout(context.Background(), historyLockWait)
		err := h.Flush(ctx)
		cancel()
		h.mu.Lock()
		if err == nil || !h.unsaved {
			h.saving = false
			h.mu.Unlock()
			return
		}
		h.saveErr = err
		h.mu.Unlock()
		time.Sleep(retry)
		retry = min(2*retry, 10*time.Minute)
	}
}

// Flush saves the records Add kept in memory (the lock was held by
// another), waiting for the history's lock until ctx is done. `site
// serve` calls it when it stops.
func (h *History) Flush(ctx context.Context) error {
	h.mu.Lock()
	unsaved := h.unsaved
	h.mu.Unlock()
	if !unsaved {
		return nil
	}
	lock, err := dirlock.Acquire(ctx, h.lockDir(), historyLock, dirlock.Options{})
	if err != nil {
		return fmt.Errorf("saving certificate history: %w", err)
	}
	defer lock.Release()
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.unsaved {
		return nil
	}
	if h.mergeFileLocked() {
		h.gen++
	}
	return h.saveLocked()
}

// previousOf returns the record r is compared with: the last recorded for
// any of its names with its key type, else with any key type.
func previousOf(records []Record, r *Record) *Record {
	var other *Record
	for i := len(records) - 1; i >= 0; i-- {
		p := &records[i]
		if !sharesName(p, r) {
			continue
		}
		if p.KeyType == r.KeyType {
			return p
		}
		if other == nil {
			other = p
		}
	}
	return other
}

func sharesName(a, b *Record) bool {
	if len(a.SANs) == 0 || len(b.SANs) == 0 {
		return len(a.SANs) == len(b.SANs) && a.Subject == b.Subject
	}
	for _, x := range a.SANs {
		for _, y := range b.SANs {
			if strings.EqualFold(x, y) {
				return true
			}
		}
	}
	return false
}

// changes lists what differs from prev to r.
func changes(prev, r *Record) []Change {
	var out []Change
	if prev.Issuer != r.Issuer {
		out = append(out, Change{Kind: IssuerChanged, From: prev.Issuer, To: r.Issuer})
	}
	if prev.TrustState != "" && r.TrustState != "" {
		if prevKey, key := prev.anchorKey(), r.anchorKey(); prevKey != key {
			from, to := prev.rootLabel(), r.rootLabel()
			if from == to {
				to += " (another certificate of that name)"
			}
			out = append(out, Change{Kind: RootChanged, From: from, To: to})
		}
	}
	if prev.KeyType != r.KeyType {
		out = append(out, Change{Kind: KeyTypeChanged, From: prev.KeyType, To: r.KeyType})
	}
	return out
}

// anchorKey identifies the trust anchor: its fingerprint, else its name.
func (r Record) anchorKey() string {
	if r.AnchorSHA256 != "" {
		return r.AnchorSHA256
	}
	return r.AnchorLabel()
}

// rootLabel names the trust anchor for a reader, or says there is none.
func (r Record) rootLabel() string {
	if r.Anchor == "" {
		return "no verified root"
	}
	return r.AnchorLabel()
}

// Records returns the history, most recently first served first.
func (h *History) Records() []Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Record, len(h.records))
	for i, r := range h.records {
		out[len(out)-1-i] = r // later additions first among equal times
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].FirstServed.After(out[j].FirstServed) })
	return out
}

// Generation changes whenever a record is added, so that pages showing the
// history know when to be remade.
func (h *History) Generation() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gen
}

// saveLocked writes the file atomically with mode 0600.
func (h *History) saveLocked() error {
	data, err := json.MarshalIndent(struct {
		Certificates []Record `json:"certificates"`
	}{h.records}, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	tmp, err := os.CreateTemp(filepath.Dir(h.path), "."+HistoryFile+".*")
	if err != nil {
		return fmt.Errorf("saving certificate history: %w", err)
	}
	_, werr := tmp.Write(data)
	if err := errors.Join(werr, tmp.Chmod(0o600), tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saving certificate history: %w", err)
	}
	if err := os.Rename(tmp.Name(), h.path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saving certificate history: %w", err)
	}
	h.unsaved = false
	return nil
}
