package eval

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestBranchKids: members added in key order stay a sorted slice
// however many; added out of order, they do until more than
// maxSortedKids are there, then move to a map. Every member is found
// again, and no key is added twice.
func TestBranchKids(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n       int
		shuffle bool
		wantMap bool
	}{
		{"a few, out of order", maxSortedKids, true, false},
		{"many, in order", 4 * maxSortedKids, false, false},
		{"many, out of order", 4 * maxSortedKids, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys := make([]string, tc.n)
			for i := range keys {
				keys[i] = fmt.Sprintf("k%05d", i)
			}
			if tc.shuffle {
				r := rand.New(rand.NewPCG(1, 2))
				r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
			}
			var b branch
			nodes := map[string]*node{}
			for _, k := range keys {
				if _, _, ok := b.find(k); ok {
					t.Fatalf("%s found before it was added", k)
				}
				_, i, _ := b.find(k)
				nodes[k] = &node{}
				b.addKid(i, k, nodes[k])
			}
			if (b.byKey != nil) != tc.wantMap {
				t.Errorf("members in a map: %v, want %v", b.byKey != nil, tc.wantMap)
			}
			for k, want := range nodes {
				if got, _, ok := b.find(k); !ok || got != want {
					t.Errorf("%s: found %v (%p), want %p", k, ok, got, want)
				}
			}
			for i := 1; i < len(b.kids); i++ {
				if b.kids[i-1].key >= b.kids[i].key {
					t.Fatalf("kids not sorted at %d: %q, %q", i, b.kids[i-1].key, b.kids[i].key)
				}
			}
		})
	}
}
