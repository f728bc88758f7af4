package loader

import "sync"

// SplitBySize cuts mods into at most n runs, in order, of about the same
// source size, each of at least least bytes (one run when they are
// fewer): the parts of a pass over the modules that goroutines can take
// one each.
func SplitBySize(mods []*Module, n, least int) [][]*Module {
	total := 0
	for _, m := range mods {
		total += len(m.Source)
	}
	n = max(1, min(n, total/max(1, least)))
	parts := make([][]*Module, 0, n)
	start, size := 0, 0
	for i, m := range mods {
		size += len(m.Source)
		if len(parts) < n-1 && size >= total*(len(parts)+1)/n {
			parts = append(parts, mods[start:i+1])
			start = i + 1
		}
	}
	return append(parts, mods[start:])
}

// EachPart runs f on every part, one goroutine each (the last part on
// the caller's), and returns when all are done. f gets the part's index.
func EachPart(parts [][]*Module, f func(i int, part []*Module)) {
	var wg sync.WaitGroup
	for i, part := range parts[:len(parts)-1] {
		wg.Go(func() { f(i, part) })
	}
	f(len(parts)-1, parts[len(parts)-1])
	wg.Wait()
}
