package deploy

import (
	"context"
	"sync"
)

// Fleet runs one for each host, parallel of them at a time (at least
// one), in the hosts' order, each with its own prefixed writer on out,
// and returns their results in that order. Once maxFail hosts (> 0) have
// failed, the hosts not started yet are skipped; those under way finish.
// A host fails when its Result is not OK.
func Fleet(ctx context.Context, hosts []Host, parallel, maxFail int, out *Output,
	one func(ctx context.Context, h Host, w *Prefixed) Result) []Result {
	parallel = max(parallel, 1)
	results := make([]Result, len(hosts))
	slots := make(chan struct{}, parallel)
	var mu sync.Mutex
	failed := 0
	var wg sync.WaitGroup
	for i, h := range hosts {
		slots <- struct{}{}
		mu.Lock()
		stop := maxFail > 0 && failed >= maxFail
		mu.Unlock()
		if stop || ctx.Err() != nil {
			<-slots
			why := "--max-fail reached"
			if !stop {
				why = "interrupted"
			}
			results[i] = Result{Host: h.Name, Outcome: Skipped, Why: why}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := out.Host(h.Name)
			r := one(ctx, h, w)
			w.Flush()
			r.Host = h.Name
			results[i] = r
			// Counted before the slot is given back, so that the next
			// host sees this failure.
			mu.Lock()
			if !r.OK {
				failed++
			}
			mu.Unlock()
			<-slots
		}()
	}
	wg.Wait()
	return results
}
