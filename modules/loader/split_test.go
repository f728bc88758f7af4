package loader

import (
	"reflect"
	"testing"
)

func TestSplitBySize(t *testing.T) {
	const least = 1000
	mods := make([]*Module, 10)
	for i := range mods {
		mods[i] = &Module{Source: make([]byte, least/4)}
	}
	for _, c := range []struct{ n, want int }{{1, 1}, {2, 2}, {3, 2}, {8, 2}} {
		parts := SplitBySize(mods, c.n, least)
		var joined []*Module
		for _, p := range parts {
			joined = append(joined, p...)
		}
		if len(parts) != c.want || len(joined) != len(mods) {
			t.Errorf("n=%d: %d parts of %d modules, want %d parts of %d", c.n, len(parts), len(joined), c.want, len(mods))
			continue
		}
		for i := range mods {
			if joined[i] != mods[i] {
				t.Errorf("n=%d: module %d out of order", c.n, i)
			}
		}
	}
	// Sizes far apart: a large first module is a part of its own.
	mods[0] = &Module{Source: make([]byte, 10*least)}
	if parts := SplitBySize(mods, 2, least); len(parts) != 2 || len(parts[0]) != 1 {
		t.Errorf("large first module: parts of %d, %d modules", len(parts[0]), len(parts[len(parts)-1]))
	}
	if parts := SplitBySize(nil, 4, least); len(parts) != 1 || len(parts[0]) != 0 {
		t.Errorf("no modules: %v", parts)
	}
}

// TestEachPart: every part is handed to f once, with its index, and
// EachPart returns only when all are done.
func TestEachPart(t *testing.T) {
	mods := make([]*Module, 9)
	for i := range mods {
		mods[i] = &Module{Source: make([]byte, 100)}
	}
	parts := SplitBySize(mods, 3, 100)
	got := make([][]*Module, len(parts))
	EachPart(parts, func(i int, part []*Module) { got[i] = part })
	if len(parts) != 3 || !reflect.DeepEqual(got, parts) {
		t.Errorf("EachPart handed %v for parts %v", got, parts)
	}
}
