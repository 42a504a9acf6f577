package tlsinfo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// HistoryFile is the name of the history inside the cache directory. The
// underscore keeps it apart from autocert's files, which are named after
// host names.
const HistoryFile = "tls_history.json"

// Record is one certificate a server has served.
type Record struct {
	// SHA256 is the leaf's fingerprint, as Certificate.SHA256.
	SHA256    string    `json:"sha256"`
	State     State     `json:"state"`
	Subject   string    `json:"subject"`
	SANs      []string  `json:"sans,omitempty"`
	Issuer    string    `json:"issuer"`
	Top       string    `json:"top"`
	KeyType   string    `json:"key_type"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	// FirstServed is when a handshake first used the certificate.
	FirstServed time.Time `json:"first_served"`
}

// History is the list of certificates a server has served, kept in a JSON
// file that survives restarts. It is safe for concurrent use.
type History struct {
	path string

	mu      sync.Mutex
	records []Record // oldest first
	gen     uint64
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
	data, err := os.ReadFile(h.path)
	if errors.Is(err, fs.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading certificate history: %w", err)
	}
	var file struct {
		Certificates []Record `json:"certificates"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil || !validRecords(file.Certificates) {
		if err == nil {
			err = errors.New("a record has no fingerprint")
		}
		moved := h.path + ".corrupt"
		if rerr := os.Rename(h.path, moved); rerr != nil {
			return nil, fmt.Errorf("%s: corrupt certificate history (%v), and moving it aside failed: %w", h.path, err, rerr)
		}
		return h, &CorruptError{Path: h.path, MovedTo: moved, Err: err}
	}
	h.records = file.Certificates
	return h, nil
}

func validRecords(rs []Record) bool {
	for _, r := range rs {
		if r.SHA256 == "" {
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

// Add records that c was served at t, unless its leaf is already recorded,
// and saves the history. It reports whether c was new.
func (h *History) Add(c *Chain, t time.Time) (bool, error) {
	leaf := c.Leaf()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.records {
		if r.SHA256 == leaf.SHA256 {
			return false, nil
		}
	}
	h.records = append(h.records, Record{
		SHA256:      leaf.SHA256,
		State:       c.State,
		Subject:     leaf.Subject,
		SANs:        leaf.SANs,
		Issuer:      c.Issuer,
		Top:         c.Top,
		KeyType:     leaf.KeyType,
		Serial:      leaf.Serial,
		NotBefore:   leaf.NotBefore,
		NotAfter:    leaf.NotAfter,
		FirstServed: t.UTC().Truncate(time.Second),
	})
	h.gen++
	return true, h.saveLocked()
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
	return nil
}
