package files

import (
	"runtime"
	"sync"
)

// parallel calls do(i) for i in [0, n) on a few goroutines: hashing
// sources and reading live state are many small system calls.
func parallel(n int, do func(i int)) {
	parallelRanges(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			do(i)
		}
	})
}

// parallelRanges calls do(lo, hi) for consecutive ranges that together
// cover [0, n), one per goroutine as parallel splits them, for work that
// shares something between neighbours (readLives: the links of one
// folder).
func parallelRanges(n int, do func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0) * 2
	if n < 64 || workers < 2 {
		if n > 0 {
			do(0, n)
		}
		return
	}
	if workers > 16 {
		workers = 16
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			do(lo, hi)
		}()
	}
	wg.Wait()
}
