package startheap

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Budget is how much heap a gocfg process fills before its first
// collection: more than a cold evaluation of 3,000 modules or a first
// switch of 10,000 dotfiles allocates (about 160 and 85 MB), and as
// much as cmd/gocfg reserves in huge pages (internal/hugeheap), so the
// first collection comes when that range is full. At 128 MiB the
// evaluation of 3,000 modules collected once: 219 ms instead of 202
// (cold, medians of 21 interleaved runs), for 8 MB less.
const Budget = 256 << 20

// minimumHeap is the Go runtime's heap goal for a process that has not
// collected yet, at GOGC=100 (4 MiB; it scales with GOGC, which is what
// Start uses: https://go.dev/doc/gc-guide).
const minimumHeap = 4 << 20

// automaticCycles names the runtime's count of the collections it
// started itself, not asked for with runtime.GC.
const automaticCycles = "/gc/cycles/automatic:gc-cycles"

// Start holds off the garbage collector until the heap reaches budget
// bytes (at most an eighth of the machine's memory, where known), then
// puts its target back to what it was, at the end of that first
// automatic collection. It does nothing and returns false when getenv
// has GOGC or GOMEMLIMIT set, or when the budget is not above the
// runtime's own first goal. Call it once, at the start of the process.
func Start(getenv func(string) string, budget uint64) bool {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return false
	}
	if total := physicalMemory(); total > 0 {
		budget = min(budget, total/8)
	}
	percent := int(budget / minimumHeap * 100)
	if percent <= 100 {
		return false
	}
	before := debug.SetGCPercent(percent)
	started := cycles()
	afterEachCollection(func() bool {
		seen.Add(1)
		if cycles() == started {
			return true // asked for: the start goes on
		}
		debug.SetGCPercent(before)
		return false
	})
	return true
}

// seen counts the collections a Start has seen end, for the tests.
var seen atomic.Int64

// cycles returns how many collections the runtime has started itself.
func cycles() uint64 {
	s := []metrics.Sample{{Name: automaticCycles}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// afterEachCollection calls fn after each collection (from the
// finalizer goroutine) until fn returns false: an object that nothing
// refers to is freed by each collection, and its finalizer makes the
// next one.
func afterEachCollection(fn func() bool) {
	type sentinel struct{ _ [16]*byte } // pointers: not the tiny allocator's
	var finalize func(*sentinel)
	finalize = func(*sentinel) {
		if fn() {
			runtime.SetFinalizer(new(sentinel), finalize)
		}
	}
	runtime.SetFinalizer(new(sentinel), finalize)
}
