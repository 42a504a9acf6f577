// Package par runs independent jobs on all cores.
package par

import (
	"runtime"
	"sync"
)

// Do runs f(0)…f(n-1), as many at once as there are cores, and returns
// when all have returned.
func Do(n int, f func(i int)) { DoN(runtime.GOMAXPROCS(0), n, f) }

// DoN is Do with workers at once: more than the cores for jobs that wait
// on the system (writing files), so that a core has work while a job
// waits.
func DoN(workers, n int, f func(i int)) {
	workers = min(max(workers, 1), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
