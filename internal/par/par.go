// Package par runs independent jobs on all cores.
package par

import (
	"runtime"
	"sync"
)

// Do runs f(0)…f(n-1), as many at once as there are cores, and returns
// when all have returned.
func Do(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
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
