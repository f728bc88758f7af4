package memareas

import (
	"testing"
	"unsafe"
)

// TestReadFindsTheHeap checks that the area holding a heap object is
// read, readable and writable, and that the areas come in order.
func TestReadFindsTheHeap(t *testing.T) {
	obj := new([4096]byte)
	p := uintptr(unsafe.Pointer(obj))
	areas, err := Read()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, a := range areas {
		if a.Start >= a.End || i > 0 && a.Start < areas[i-1].End {
			t.Fatalf("area %d %x-%x: not after %x", i, a.Start, a.End, areas[max(i-1, 0)].End)
		}
		if a.Start <= p && p < a.End {
			found = true
			if !a.Flags["rd"] || !a.Flags["wr"] {
				t.Errorf("the heap's area %x-%x has flags %v, want rd and wr", a.Start, a.End, a.Flags)
			}
		}
	}
	if !found {
		t.Errorf("no area holds the heap object at %x", p)
	}
}
