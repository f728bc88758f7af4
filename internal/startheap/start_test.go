package startheap

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// gogc returns the collector's target without changing it.
func gogc(t *testing.T) int {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Fatalf("%s: not reported by this runtime", s[0].Name)
	}
	return int(s[0].Value.Uint64())
}

// keepPercent puts the collector's target back after the test.
func keepPercent(t *testing.T) {
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })
}

// waitSeen waits until the Start callbacks have seen more than n
// collections end.
func waitSeen(t *testing.T, n int64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); seen.Load() <= n; {
		if time.Now().After(deadline) {
			t.Fatalf("no collection seen by Start's callback in 10 s (seen %d)", seen.Load())
		}
		time.Sleep(time.Millisecond)
	}
}

func noEnv(string) string { return "" }

func TestStartGoesOnAfterAskedForCollection(t *testing.T) {
	// First in the file: the test process has made no garbage yet that
	// an automatic collection could come for during this test.
	keepPercent(t)
	runtime.GC()
	if !Start(noEnv, 64<<20) {
		t.Fatal("Start: did nothing with no GOGC or GOMEMLIMIT")
	}
	n := seen.Load()
	runtime.GC() // what internal/hugeheap asks for
	waitSeen(t, n)
	if got := gogc(t); got != 1600 {
		t.Fatalf("target after a runtime.GC = %d%%, want 1600%% still (the start goes on)", got)
	}
}

func TestStartHoldsOffUntilBudgetThenCollectsAsBefore(t *testing.T) {
	keepPercent(t)
	runtime.GC()
	const budget = 64 << 20
	if !Start(noEnv, budget) {
		t.Fatal("Start: did nothing with no GOGC or GOMEMLIMIT")
	}
	if got, want := gogc(t), budget/minimumHeap*100; got != want {
		t.Fatalf("target during the start = %d%%, want %d%%", got, want)
	}
	// Half the budget, kept live: no collection of the runtime's own.
	before := cycles()
	var kept [][]byte
	for range 32 {
		kept = append(kept, make([]byte, 1<<20))
	}
	if after := cycles(); after != before {
		t.Fatalf("%d automatic collections while the heap filled half the budget, want none", after-before)
	}
	// Past the budget: the runtime collects, and the target is put back.
	n := seen.Load()
	for range 96 {
		kept = append(kept, make([]byte, 1<<20))
	}
	if cycles() == before {
		t.Fatal("no automatic collection after the heap passed the budget")
	}
	runtime.KeepAlive(kept)
	for deadline := time.Now().Add(10 * time.Second); gogc(t) != 100; {
		if time.Now().After(deadline) {
			t.Fatalf("target after the first automatic collection = %d%%, want 100%% back (seen %d, was %d)", gogc(t), seen.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestStartLeavesTheUsersChoice(t *testing.T) {
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(name, func(t *testing.T) {
			keepPercent(t)
			env := func(k string) string {
				if k == name {
					return "200"
				}
				return ""
			}
			if Start(env, 64<<20) {
				t.Fatalf("Start with %s set: changed the collector", name)
			}
			if got := gogc(t); got != 100 {
				t.Fatalf("target with %s set = %d%%, want 100%% unchanged", name, got)
			}
		})
	}
}

func TestStartNeedsABudgetAboveTheRuntimesOwn(t *testing.T) {
	keepPercent(t)
	if Start(noEnv, minimumHeap) {
		t.Fatal("Start with a budget of the runtime's minimum heap: changed the collector")
	}
	if got := gogc(t); got != 100 {
		t.Fatalf("target = %d%%, want 100%% unchanged", got)
	}
}
