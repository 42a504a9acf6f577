package certs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// caTransport watches the ACME client's traffic: it logs what the CA
// refuses and when it cannot be reached (once per distinct error), and
// notices when the CA says the account does not exist.
type caTransport struct {
	base    http.RoundTripper
	acme    *ACME
	owner   *manager
	retired atomic.Bool // replaced: fail at once
	lost    atomic.Bool // the CA said the account does not exist
}

var errRetired = errors.New("acme: this ACME client was replaced after the CA forgot its account")

const (
	problemBadNonce  = "urn:ietf:params:acme:error:badNonce"
	problemNoAccount = "urn:ietf:params:acme:error:accountDoesNotExist"
)

func (t *caTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.retired.Load() {
		return nil, errRetired
	}
	res, err := t.base.RoundTrip(req)
	if err != nil {
		t.acme.once.warn("acme: the CA cannot be reached", err)
		return nil, err
	}
	if res.StatusCode < 400 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		return res, nil
	}
	body, rerr := io.ReadAll(io.LimitReader(res.Body, 1<<16))
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return res, nil
	}
	var p struct{ Type, Detail string }
	_ = json.Unmarshal(body, &p)
	switch p.Type {
	case problemBadNonce:
		// The client retries with a fresh nonce.
	case problemNoAccount:
		if !t.lost.Swap(true) {
			go t.acme.replace(t.owner)
		}
	default:
		t.acme.once.warn("acme: the CA refused a request", fmt.Errorf("%s %s: %s: %s", req.Method, req.URL.Path, p.Type, p.Detail))
	}
	return res, nil
}

// onceLog logs each distinct error once (again after six hours if it
// persists), so a CA that is down does not flood the log.
type onceLog struct {
	log  *slog.Logger
	mu   sync.Mutex
	seen map[string]time.Time
}

func newOnceLog(l *slog.Logger) *onceLog { return &onceLog{log: l, seen: map[string]time.Time{}} }

func (o *onceLog) warn(msg string, err error) {
	key := msg + "\x00" + err.Error()
	now := time.Now()
	o.mu.Lock()
	if t, ok := o.seen[key]; ok && now.Sub(t) < 6*time.Hour {
		o.mu.Unlock()
		return
	}
	if len(o.seen) > 1000 {
		clear(o.seen)
	}
	o.seen[key] = now
	o.mu.Unlock()
	o.log.Warn(msg, "err", err)
}
