package serve

import (
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"
)

// The error log of the HTTP servers (net/http's ErrorLog: failed
// handshakes, accept errors, panics) under attack: every line of it can
// be caused by a client, so it is deduplicated.
//
// Each message is normalised first (normalizeErrorLog): client addresses
// are dropped, and text the client chose (server names, paths, header
// values, numbers) is replaced, so that one kind of error is one key
// whatever the client sent. The first occurrence of a key is logged at
// once; later ones are counted and logged as one line a minute later,
// "… (N more in the last minute)", again each minute while the error
// recurs. A key quiet for a minute is forgotten; at most errorLogKinds keys
// are kept, the errors of any other kind being counted together under
// one line of their own.

const (
	// errorLogWindow is the least time between two lines of one kind.
	errorLogWindow = time.Minute
	// errorLogKinds bounds the kinds of error told apart at once.
	errorLogKinds = 256
	// errorLogMaxKey bounds the length of a normalised message.
	errorLogMaxKey = 300
)

// errorLogOther is the key of the errors beyond errorLogKinds kinds.
const errorLogOther = "errors of other kinds (too many kinds to tell apart)"

// errorLog is an io.Writer for net/http's ErrorLog that logs to an
// slog.Logger as described above.
type errorLog struct {
	log    *slog.Logger
	window time.Duration
	kinds  int

	mu    sync.Mutex
	seen  map[string]*errorKind
	timer *time.Timer // flushes counts when due; nil until needed
	due   time.Time   // when timer fires; zero when it is not armed
}

// errorKind is one normalised message: when its last line was logged and
// how many occurrences since are not yet in a line.
type errorKind struct {
	logged time.Time
	more   int
}

func newErrorLog(log *slog.Logger) *errorLog {
	return &errorLog{log: log, window: errorLogWindow, kinds: errorLogKinds, seen: map[string]*errorKind{}}
}

func (e *errorLog) Write(p []byte) (int, error) {
	e.write(string(p), time.Now())
	return len(p), nil
}

// errorLine is a line to log: a normalised message, the occurrences it
// stands for beyond the first (more), and for a first occurrence the rest
// of a message of several lines (a panic's stack), addresses removed.
type errorLine struct {
	msg, detail string
	more        int
}

func (e *errorLog) emit(lines []errorLine) {
	for _, l := range lines {
		switch {
		case l.more > 0:
			e.log.Warn("http server", "err", fmt.Sprintf("%s (%d more in the last %s)", l.msg, l.more, windowName(e.window)))
		case l.detail != "":
			e.log.Warn("http server", "err", l.msg, "detail", l.detail)
		default:
			e.log.Warn("http server", "err", l.msg)
		}
	}
}

// windowName says a window as "minute" (the default) or a duration.
func windowName(d time.Duration) string {
	if d == time.Minute {
		return "minute"
	}
	return d.String()
}

// write takes one message at now.
func (e *errorLog) write(msg string, now time.Time) {
	key, detail := normalizeErrorLog(msg)
	e.mu.Lock()
	k := e.seen[key]
	if k == nil && len(e.seen) >= e.kinds {
		e.sweepLocked(now)
		if len(e.seen) >= e.kinds {
			key, detail = errorLogOther, ""
			k = e.seen[key]
		}
	}
	var line *errorLine
	switch {
	case k == nil:
		e.seen[key] = &errorKind{logged: now}
		line = &errorLine{msg: key, detail: detail}
	case now.Sub(k.logged) >= e.window: // due: its line goes now, with this one
		line = &errorLine{msg: key}
		if k.more > 0 {
			line.more = k.more + 1
		} else {
			line.detail = detail
		}
		k.logged, k.more = now, 0
	default:
		k.more++
		e.armLocked(k.logged.Add(e.window), now)
	}
	e.mu.Unlock()
	if line != nil {
		e.emit([]errorLine{*line})
	}
}

// sweepLocked forgets the kinds quiet for a window: nothing counted and
// their last line a window ago.
func (e *errorLog) sweepLocked(now time.Time) {
	for key, k := range e.seen {
		if k.more == 0 && now.Sub(k.logged) >= e.window {
			delete(e.seen, key)
		}
	}
}

// armLocked has flush run at t, or earlier if it is armed for earlier.
func (e *errorLog) armLocked(t, now time.Time) {
	if !e.due.IsZero() && !t.Before(e.due) {
		return
	}
	e.due = t
	if e.timer == nil {
		e.timer = time.AfterFunc(t.Sub(now), func() { e.flush(time.Now(), false) })
	} else {
		e.timer.Reset(t.Sub(now))
	}
}

// flush logs the counts that are due at now (all of them with all),
// forgets the quiet kinds and arms the timer for the next count due.
func (e *errorLog) flush(now time.Time, all bool) {
	var lines []errorLine
	e.mu.Lock()
	e.due = time.Time{}
	var next time.Time
	for key, k := range e.seen {
		due := now.Sub(k.logged) >= e.window
		switch {
		case k.more > 0 && (due || all):
			lines = append(lines, errorLine{msg: key, more: k.more})
			k.logged, k.more = now, 0
		case k.more > 0:
			if t := k.logged.Add(e.window); next.IsZero() || t.Before(next) {
				next = t
			}
		case due:
			delete(e.seen, key)
		}
	}
	if !next.IsZero() && !all {
		e.armLocked(next, now)
	} else if e.timer != nil {
		e.timer.Stop()
	}
	e.mu.Unlock()
	e.emit(lines)
}

// close logs every count not yet logged and stops the timer: the server
// has stopped.
func (e *errorLog) close() { e.flush(time.Now(), true) }

var (
	// A client's address (IPv4 or bracketed IPv6, with its port), or a
	// connection's pair of them as net.OpError prints it, with " from"
	// or " client" before it.
	logAddrRE = regexp.MustCompile(`(?: from)?(?: client)? ?(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.%\w-]*\]):\d+(?:->(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.%\w-]*\]):\d+)?`)
	// Quoted text as %q prints it.
	logQuotedRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	// A list as %v prints a slice.
	logListRE = regexp.MustCompile(`\[[^\]]*\]`)
	// A number, or a duration as time.Duration prints it.
	logNumberRE = regexp.MustCompile(`\b\d+(?:\.\d+)*(?:ns|µs|us|ms|s|m|h)?\b`)
	// A hexadecimal number as %x prints it (a record's version, a
	// cipher suite): a word of hex digits with a digit in it, or of four
	// or more hex letters.
	logHexRE = regexp.MustCompile(`\b(?:0x)?(?:[0-9a-fA-F]*\d[0-9a-fA-F]*|[a-fA-F]{4,})\b`)
)

// normalizeErrorLog returns the key of a message of net/http's error log:
// its first line without client addresses, with quoted text, lists and
// numbers, decimal or hexadecimal (the parts a client chooses) replaced by "…", "[…]" and "N",
// and at most errorLogMaxKey bytes long; and the rest of the message (a
// panic's stack), with addresses removed.
func normalizeErrorLog(msg string) (key, detail string) {
	msg = strings.TrimSpace(msg)
	first, rest, _ := strings.Cut(msg, "\n")
	key = logAddrRE.ReplaceAllString(first, "")
	key = logQuotedRE.ReplaceAllString(key, `"…"`)
	key = logListRE.ReplaceAllString(key, "[…]")
	key = logNumberRE.ReplaceAllString(key, "N")
	key = logHexRE.ReplaceAllString(key, "N")
	key = strings.ToValidUTF8(key, "\uFFFD")
	if len(key) > errorLogMaxKey {
		key = strings.ToValidUTF8(key[:errorLogMaxKey], "") + "…"
	}
	if rest != "" {
		detail = logAddrRE.ReplaceAllString(rest, "")
	}
	return key, detail
}
