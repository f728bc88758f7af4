package elements

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestKey(t *testing.T) {
	for _, i := range []int{0, 1, keyBlock - 1, keyBlock, 500, cachedKeys - 1, cachedKeys, 5000} {
		k := Key(i)
		if !k.Equals(cty.NumberIntVal(int64(i))).True() {
			t.Errorf("Key(%d) = %#v", i, k)
		}
	}
}

func TestAt(t *testing.T) {
	vals := make([]cty.Value, cachedKeys+500)
	for i := range vals {
		vals[i] = cty.StringVal(string(rune('a' + i%26)))
	}
	list, tuple := cty.ListVal(vals), cty.TupleVal(append([]cty.Value{cty.True}, vals...))
	for i := range vals {
		if got := At(list, i); !got.RawEquals(vals[i]) {
			t.Fatalf("list element %d = %#v, want %#v", i, got, vals[i])
		}
		if got := At(tuple, i+1); !got.RawEquals(vals[i]) {
			t.Fatalf("tuple element %d = %#v, want %#v", i+1, got, vals[i])
		}
	}
	if got := At(tuple, 0); !got.RawEquals(cty.True) {
		t.Errorf("tuple element 0 = %#v, want true", got)
	}
}

// TestAtAllocates: reading a cached position allocates nothing.
func TestAtAllocates(t *testing.T) {
	list := cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b"), cty.StringVal("c")})
	At(list, 0)
	if n := testing.AllocsPerRun(100, func() {
		for i := range 3 {
			At(list, i)
		}
	}); n != 0 {
		t.Errorf("%v allocations for three elements, want 0", n)
	}
}

func TestEach(t *testing.T) {
	abc := []cty.Value{cty.StringVal("a"), cty.StringVal("b"), cty.StringVal("c")}
	for _, v := range []cty.Value{cty.ListVal(abc), cty.TupleVal(abc), cty.SetVal(abc)} {
		var got []string
		all := Each(v, func(i int, ev cty.Value) bool {
			if i != len(got) {
				t.Errorf("%#v: position %d, want %d", v, i, len(got))
			}
			got = append(got, ev.AsString())
			return true
		})
		if !all || len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "c" {
			t.Errorf("%#v: elements %v (all %v), want [a b c]", v, got, all)
		}
		n := 0
		if Each(v, func(int, cty.Value) bool { n++; return n < 2 }) || n != 2 {
			t.Errorf("%#v: went on after false (%d calls)", v, n)
		}
	}
}
