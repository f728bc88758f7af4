package optpath

import (
	"slices"
	"testing"
)

func TestArena(t *testing.T) {
	var a Arena
	var paths []Path
	p := Path{"users"}
	for i := range 3000 {
		q := a.Append(p, string(rune('a'+i%26)))
		if len(q) != 2 || cap(q) != 2 || q[0] != "users" || q[1] != string(rune('a'+i%26)) {
			t.Fatalf("Append %d: got %q (cap %d)", i, q, cap(q))
		}
		paths = append(paths, q)
	}
	// Appending to a path copies: the next path is left alone.
	first, second := paths[0], paths[1]
	grown := append(first, "x")
	if !slices.Equal(second, Path{"users", "b"}) || !slices.Equal(grown, Path{"users", "a", "x"}) {
		t.Fatalf("append to an arena path changed another: %q %q", second, grown)
	}
	for i, q := range paths {
		if q[1] != string(rune('a'+i%26)) {
			t.Fatalf("path %d changed: %q", i, q)
		}
	}
	long := make(Path, 2000)
	if q := a.Append(long, "k"); len(q) != 2001 || q[2000] != "k" {
		t.Fatalf("long path: len %d", len(q))
	}
}
