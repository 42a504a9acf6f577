package tlsinfo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/siteblog/site/internal/dirlock"
	"github.com/siteblog/site/internal/testcert"
)

// TestHistoryAddDoesNotWaitForLock: while another process holds the
// history's lock, Add records at once (a handshake calls it) and the
// history shows the records; they are saved once the lock is free.
func TestHistoryAddDoesNotWaitForLock(t *testing.T) {
	for _, tc := range []struct {
		name string
		adds int
	}{
		{"one certificate", 1},
		{"several certificates, saved together", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			h, err := OpenHistory(dir)
			if err != nil {
				t.Fatal(err)
			}
			other, err := dirlock.Acquire(context.Background(), filepath.Join(dir, "locks"), historyLock, dirlock.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer other.Release()
			for i := 0; i < tc.adds; i++ {
				c := chainOf(t, testcert.NewPKI(t, testcert.ECDSA))
				done := make(chan error, 1)
				go func() {
					rec, err := h.Add(c, nil, time.Now())
					if rec == nil && err == nil {
						t.Error("Add recorded nothing")
					}
					done <- err
				}()
				select {
				case err := <-done:
					if err != nil {
						t.Errorf("Add: %v", err)
					}
				case <-time.After(2 * time.Second):
					t.Fatal("Add waits for the lock another process holds")
				}
			}
			if got := len(h.Records()); got != tc.adds {
				t.Errorf("%d records shown while the lock is held, want %d", got, tc.adds)
			}
			if records, _ := h.readFile(); len(records) != 0 {
				t.Errorf("%d records saved while another process held the lock", len(records))
			}
			other.Release()
			deadline := time.Now().Add(10 * time.Second)
			for {
				records, _ := h.readFile()
				if len(records) == tc.adds {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d records saved after the lock was released, want %d", len(records), tc.adds)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}
