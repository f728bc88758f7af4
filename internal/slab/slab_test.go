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

func TestSlicesCopy(t *testing.T) {
	var s Slices[int]
	if got := s.Copy(nil); got != nil {
		t.Errorf("Copy(nil) = %v, want nil", got)
	}
	var all [][]int
	for n := range 2*chunk + 3 {
		src := make([]int, n%(chunk/2)+1)
		for i := range src {
			src[i] = n*1000 + i
		}
		got := s.Copy(src)
		if len(got) != len(src) || cap(got) != len(src) {
			t.Fatalf("copy %d: len %d cap %d, want both %d", n, len(got), cap(got), len(src))
		}
		src[0] = -1 // the copy does not share src's array
		all = append(all, got)
	}
	for n, got := range all {
		for i, v := range got {
			if v != n*1000+i {
				t.Fatalf("copy %d [%d] = %d, want %d: copies overlap", n, i, v, n*1000+i)
			}
		}
	}
	// An append to a copy takes a new array rather than the next copy's.
	a, b := s.Copy([]int{1}), s.Copy([]int{2})
	_ = append(a, 9)
	if b[0] != 2 {
		t.Errorf("appending to one copy changed the next: %v", b)
	}
}
