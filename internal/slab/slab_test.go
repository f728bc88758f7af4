package slab

import "testing"

// TestNew: every value New returns is zero and distinct from the others,
// across arrays, and writing one leaves the others as they were.
func TestNew(t *testing.T) {
	var s Slab[[2]int]
	seen := map[*[2]int]bool{}
	var all []*[2]int
	for i := range 3*chunk + 1 {
		p := s.New()
		if *p != [2]int{} {
			t.Fatalf("value %d is %v, not zero", i, *p)
		}
		if seen[p] {
			t.Fatalf("value %d was handed out before", i)
		}
		seen[p] = true
		*p = [2]int{i, -i}
		all = append(all, p)
	}
	for i, p := range all {
		if *p != [2]int{i, -i} {
			t.Fatalf("value %d is %v, want %v", i, *p, [2]int{i, -i})
		}
	}
}

// TestNewAllocates: New allocates once for chunk values.
func TestNewAllocates(t *testing.T) {
	var s Slab[int]
	allocs := testing.AllocsPerRun(10, func() {
		for range chunk {
			s.New()
		}
	})
	if allocs != 1 {
		t.Errorf("%v allocations for %d values, want 1", allocs, chunk)
	}
}
