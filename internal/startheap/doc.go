// Package startheap lets a gocfg process fill the first part of its
// heap without collecting garbage, and then collect as usual.
//
// Why: a gocfg process is short, and most of what it allocates stays
// live until it exits (the parsed modules and the evaluated values, the
// records and the plan of every managed path). The Go runtime starts
// collecting when the heap reaches 4 MiB (its minimum heap at GOGC=100)
// and again each time it doubles, so a cold evaluation of 1,000 modules
// or a first switch of 1,000 dotfiles runs five to eight collections
// that free almost nothing, on a machine with two cores that the work
// itself wants. Measured on this project's bench machine (bench/peers.sh
// workloads, medians of 7): a first switch of 1,000 dotfiles took 80 ms
// with those collections and 65 ms without, a cold evaluation of 1,000
// modules 95 ms (with the earlier 400% target during evaluation) and
// 87 ms; the peak resident size grew by 0 to 20 MB.
//
// [Start] is what the Go compiler does for the same reason
// (cmd/compile's AdjustStartingHeap, golang.org/issue/56546): it raises
// the collector's target so that the first collection comes when the
// heap reaches the budget, and puts the target back (GOGC=100) at the
// end of that first automatic collection, so that a process that goes
// on to allocate more than the budget collects as any Go program does,
// with a heap of at most twice what it keeps. A collection asked for
// (runtime.GC, as internal/hugeheap runs one) does not end the start.
//
// What a user chooses wins: with GOGC or GOMEMLIMIT set in the
// environment, Start changes nothing. The budget is at most an eighth
// of the machine's memory where the system says how much it has
// (Linux), so a small machine is not asked for more than it can spare.
//
// It changes only the process's own collector, as GOGC does, so it does
// not go through the System seam: it is no side effect on the machine.
package startheap
