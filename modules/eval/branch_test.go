package eval

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gocfg/gocfg/modules/defs"
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

// TestChildrenKeys: the definitions of up to maxCounted keys are kept in
// a slice, of more in a map (an object of many keys set whole is split
// into them one by one), and every key's are found again, its keys
// listed in order.
func TestChildrenKeys(t *testing.T) {
	for _, n := range []int{maxCounted, 4 * maxCounted} {
		var c children
		want := map[string][]*defs.Def{}
		var keys []string
		for i := range n {
			k := fmt.Sprintf("k%05d", (i*7919)%n) // out of order
			want[k] = []*defs.Def{{Seq: i}}
			keys = append(keys, k)
			c.put(k, want[k])
		}
		if (c.many != nil) != (n > maxCounted) {
			t.Errorf("%d keys: in a map %v", n, c.many != nil)
		}
		if c.len() != n {
			t.Errorf("%d keys: len() = %d", n, c.len())
		}
		for k, ds := range want {
			if got := c.get(k); len(got) != 1 || got[0] != ds[0] {
				t.Errorf("%d keys: get(%s) = %v", n, k, got)
			}
		}
		slices.Sort(keys)
		if c.many != nil {
			if got := c.appendSortedKeys(nil); !slices.Equal(got, keys) {
				t.Errorf("%d keys: appendSortedKeys = %q…", n, got[:4])
			}
		}
	}
}
