package par

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestDoN(t *testing.T) {
	for _, tc := range []struct {
		name       string
		workers, n int
		maxAtOnce  int // the most jobs that may run at once
	}{
		{"no jobs", 4, 0, 0},
		{"one worker", 1, 10, 1},
		{"more workers than jobs", 8, 3, 3},
		{"no workers asked: one", 0, 5, 1},
		{"four workers", 4, 100, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			ran := make([]int, tc.n)
			var running, most atomic.Int64
			DoN(tc.workers, tc.n, func(i int) {
				now := running.Add(1)
				for {
					m := most.Load()
					if now <= m || most.CompareAndSwap(m, now) {
						break
					}
				}
				mu.Lock()
				ran[i]++
				mu.Unlock()
				running.Add(-1)
			})
			for i, k := range ran {
				if k != 1 {
					t.Errorf("job %d ran %d times, want once", i, k)
				}
			}
			if m := most.Load(); m > int64(tc.maxAtOnce) {
				t.Errorf("%d jobs ran at once, want at most %d", m, tc.maxAtOnce)
			}
		})
	}
}
