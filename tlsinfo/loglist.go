package tlsinfo

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// LogList is a list of Certificate Transparency logs in the v3 JSON format
// browsers use (https://www.gstatic.com/ct/log_list/v3/log_list.json). It
// is not changed after ParseLogList and is safe for concurrent use.
type LogList struct {
	// Version and Timestamp are the list's version and log_list_timestamp;
	// empty and zero when the list has none.
	Version   string
	Timestamp time.Time
	// Logs are every log of the list, RFC 6962 logs ("logs") and
	// static-ct-api logs ("tiled_logs"), in the order of the file.
	Logs []Log

	byID map[[32]byte]int
}

// Log is one log of a LogList.
type Log struct {
	// Description is the log's name ("Google 'Argon2026h1' log") and
	// Operator the name of the operator that runs it ("Google").
	Description string
	Operator    string
	// ID is the log ID: the SHA-256 hash of the DER encoding of Key.
	ID [32]byte
	// Key is the log's public key (an *ecdsa.PublicKey or *rsa.PublicKey).
	Key crypto.PublicKey
	// URL is where certificates are submitted: the url of an RFC 6962 log,
	// the submission_url of a tiled log. MonitoringURL is a tiled log's
	// monitoring_url.
	URL           string
	MonitoringURL string
	// Tiled reports whether the log is in tiled_logs (static-ct-api).
	Tiled bool
	// MMD is the log's maximum merge delay.
	MMD time.Duration
	// State is the log's state: "pending", "qualified", "usable",
	// "readonly", "retired" or "rejected"; StateSince is when it entered
	// it. Empty and zero when the list gives no state.
	State      string
	StateSince time.Time
	// NotBefore and NotAfter are the log's temporal interval: it takes
	// only certificates that expire at or after NotBefore and before
	// NotAfter. Zero when the log takes certificates of any expiry.
	NotBefore, NotAfter time.Time
}

// Lookup returns the log with the given log ID, or nil when the list has
// no such log or the list is nil.
func (l *LogList) Lookup(id [32]byte) *Log {
	if l == nil {
		return nil
	}
	i, ok := l.byID[id]
	if !ok {
		return nil
	}
	return &l.Logs[i]
}

// ReadLogList reads a log list file in the v3 JSON format; see
// ParseLogList.
func ReadLogList(file string) (*LogList, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading CT log list: %w", err)
	}
	list, err := ParseLogList(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return list, nil
}

type logListJSON struct {
	Version          string     `json:"version"`
	LogListTimestamp *time.Time `json:"log_list_timestamp"`
	Operators        []struct {
		Name      string    `json:"name"`
		Logs      []logJSON `json:"logs"`
		TiledLogs []logJSON `json:"tiled_logs"`
	} `json:"operators"`
}

type logJSON struct {
	Description   string `json:"description"`
	LogID         string `json:"log_id"`
	Key           string `json:"key"`
	URL           string `json:"url"`
	SubmissionURL string `json:"submission_url"`
	MonitoringURL string `json:"monitoring_url"`
	MMD           int64  `json:"mmd"`
	State         map[string]struct {
		Timestamp time.Time `json:"timestamp"`
	} `json:"state"`
	TemporalInterval *struct {
		StartInclusive time.Time `json:"start_inclusive"`
		EndExclusive   time.Time `json:"end_exclusive"`
	} `json:"temporal_interval"`
}

// ParseLogList parses a log list in the v3 JSON format: operators[] with a
// name, logs[] and tiled_logs[], each log with a description, log_id
// (base64), key (base64 DER SubjectPublicKeyInfo), url or submission_url
// and monitoring_url, mmd (seconds), state (one of pending, qualified,
// usable, readonly, retired, rejected, with its timestamp) and an optional
// temporal_interval. Other fields are ignored. A list with no log, a log
// whose key does not parse or whose log_id is not the SHA-256 hash of its
// key, and a log ID listed twice are errors: such a list cannot be
// trusted to say which log signed an SCT.
func ParseLogList(data []byte) (*LogList, error) {
	var raw logListJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("CT log list: %w", err)
	}
	list := &LogList{Version: raw.Version, byID: map[[32]byte]int{}}
	if raw.LogListTimestamp != nil {
		list.Timestamp = raw.LogListTimestamp.UTC()
	}
	for _, op := range raw.Operators {
		for i, lj := range append(op.Logs, op.TiledLogs...) {
			lg, err := lj.log(op.Name, i >= len(op.Logs))
			if err != nil {
				return nil, fmt.Errorf("CT log list: operator %q: %w", op.Name, err)
			}
			if j, dup := list.byID[lg.ID]; dup {
				return nil, fmt.Errorf("CT log list: log ID %s of %q is also %q's",
					base64.StdEncoding.EncodeToString(lg.ID[:]), lg.Description, list.Logs[j].Description)
			}
			list.byID[lg.ID] = len(list.Logs)
			list.Logs = append(list.Logs, lg)
		}
	}
	if len(list.Logs) == 0 {
		return nil, errors.New("CT log list: no logs")
	}
	return list, nil
}

func (lj logJSON) log(operator string, tiled bool) (Log, error) {
	lg := Log{
		Description:   lj.Description,
		Operator:      operator,
		URL:           lj.URL,
		MonitoringURL: lj.MonitoringURL,
		Tiled:         tiled,
		MMD:           time.Duration(lj.MMD) * time.Second,
	}
	if tiled {
		lg.URL = lj.SubmissionURL
	}
	name := fmt.Sprintf("log %q", lj.Description)
	der, err := base64.StdEncoding.DecodeString(lj.Key)
	if err != nil {
		return lg, fmt.Errorf("%s: key: %w", name, err)
	}
	if lg.Key, err = x509.ParsePKIXPublicKey(der); err != nil {
		return lg, fmt.Errorf("%s: key: %w", name, err)
	}
	lg.ID = sha256.Sum256(der)
	id, err := base64.StdEncoding.DecodeString(lj.LogID)
	if err != nil {
		return lg, fmt.Errorf("%s: log_id: %w", name, err)
	}
	if !bytes.Equal(id, lg.ID[:]) {
		return lg, fmt.Errorf("%s: log_id %s is not the SHA-256 hash of its key (%s)",
			name, lj.LogID, base64.StdEncoding.EncodeToString(lg.ID[:]))
	}
	if len(lj.State) > 1 {
		return lg, fmt.Errorf("%s: %d states, want one", name, len(lj.State))
	}
	for state, v := range lj.State {
		lg.State, lg.StateSince = state, v.Timestamp.UTC()
	}
	if ti := lj.TemporalInterval; ti != nil {
		lg.NotBefore, lg.NotAfter = ti.StartInclusive.UTC(), ti.EndExclusive.UTC()
	}
	return lg, nil
}
