package longjson

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	json "github.com/goccy/go-json"
)

type item struct {
	Path  string          `json:"path"`
	Hash  string          `json:"hash,omitempty"`
	N     int             `json:"n"`
	Sig   *sig            `json:"sig,omitempty"`
	Data  json.RawMessage `json:"data,omitempty"`
	Flags map[string]bool `json:"flags,omitempty"`
}

type sig struct {
	Size int64 `json:"size"`
}

type records struct {
	Items []*item `json:"items"`
	Tail  []int   `json:"tail"`
}

type sparse struct {
	Items []*item `json:"items,omitempty"`
}

// strs are strings that go-json escapes or rewrites: HTML characters,
// quotes, control characters, line separators, invalid UTF-8.
var strs = []string{"", "a", "<a href=\"x\">&amp;</a>", "tab\tnew\nline", "\u2028\u2029", "\xff\xfe bad", "ünï", `back\slash`, "\x00\x1f"}

func randItem(r *rand.Rand) *item {
	it := &item{Path: strs[r.IntN(len(strs))] + fmt.Sprint(r.IntN(1000)), N: r.IntN(2000) - 1000}
	if r.IntN(2) == 0 {
		it.Hash = strs[r.IntN(len(strs))]
	}
	if r.IntN(3) == 0 {
		it.Sig = &sig{Size: r.Int64()}
	}
	if r.IntN(4) == 0 {
		it.Data = json.RawMessage(`{ "x" : [1, 2,  "<&>"] }`)
	}
	if r.IntN(5) == 0 {
		it.Flags = map[string]bool{"b": true, "a": false, strs[r.IntN(len(strs))]: true}
	}
	return it
}

// doc is a document whose list of n items is nested in a map, as
// resources.json's files records are.
func doc(r *rand.Rand, n int) Doc {
	items := make([]*item, n)
	for i := range items {
		items[i] = randItem(r)
	}
	tail := []int{1, 2, 3}
	top := func(items []*item) any {
		return struct {
			Version int            `json:"version"`
			Records map[string]any `json:"records"`
		}{1, map[string]any{"b": &records{Items: items, Tail: tail}, "a": []string{"<x>"}, "c": nil}}
	}
	return Doc{Whole: top(items), Nil: top(nil), Empty: top([]*item{}), Len: n,
		Part: func(lo, hi int) any { return items[lo:hi] }}
}

func TestMarshalSameAsJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, partLen - 1, partLen, partLen + 1, 2 * partLen, 3*partLen + 7, 20*partLen + 100} {
		for range 3 {
			d := doc(r, n)
			want, err := json.Marshal(d.Whole)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Marshal(d)
			if err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("n=%d: Marshal differs from json.Marshal:\n got %.300s\nwant %.300s", n, got, want)
			}
		}
	}
}

func TestMarshalTopLevelList(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	items := make([]*item, 5*partLen+3)
	for i := range items {
		items[i] = randItem(r)
	}
	d := Doc{Whole: items, Nil: []*item(nil), Empty: []*item{}, Len: len(items), Part: func(lo, hi int) any { return items[lo:hi] }}
	want, _ := json.Marshal(items)
	got, err := Marshal(d)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("a document that is the list: err %v, same %v", err, bytes.Equal(got, want))
	}
}

// A list omitted when empty has no place in the small encodings: the
// document is encoded whole.
func TestMarshalOmittedList(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	items := make([]*item, 2*partLen+1)
	for i := range items {
		items[i] = randItem(r)
	}
	d := Doc{Whole: sparse{items}, Nil: sparse{}, Empty: sparse{[]*item{}}, Len: len(items), Part: func(lo, hi int) any { return items[lo:hi] }}
	want, _ := json.Marshal(d.Whole)
	got, err := Marshal(d)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("omitempty list: err %v, same %v", err, bytes.Equal(got, want))
	}
	if _, ok := place([]byte(`{}`), []byte(`{}`)); ok {
		t.Error("place found a list in two equal encodings")
	}
}

type failing struct{}

func (failing) MarshalJSON() ([]byte, error) { return nil, fmt.Errorf("no") }

func TestMarshalError(t *testing.T) {
	list := make([]any, 3*partLen)
	for i := range list {
		list[i] = i
	}
	list[2*partLen+5] = failing{}
	d := Doc{Whole: list, Nil: []any(nil), Empty: []any{}, Len: len(list), Part: func(lo, hi int) any { return list[lo:hi] }}
	if _, err := Marshal(d); err == nil {
		t.Fatal("an element that cannot be encoded: no error")
	}
	if _, err := json.Marshal(list); err == nil {
		t.Fatal("json.Marshal encoded it")
	}
}

// BenchmarkMarshal compares with json.Marshal on a 2.5 MB document; the
// difference that matters is in a fresh process (see the package
// documentation), where every byte of go-json's growing buffer is a page
// fault.
func BenchmarkMarshal(b *testing.B) {
	d := doc(rand.New(rand.NewPCG(7, 8)), 20000)
	b.Run("longjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Marshal(d); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(d.Whole); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestMarshalGrowingElements: a list whose elements grow along it (as
// the journal's do: short folder ops first, longer link ops after) is
// encoded into one buffer sized for it, not one that append regrows:
// the bytes allocated stay under 3 times the document: 1.3 times (1.9
// under -race), where regrowing a buffer sized from the first part
// alone allocated 4.7 times.
func TestMarshalGrowingElements(t *testing.T) {
	list := make([]string, 20*partLen)
	for i := range list {
		list[i] = "s"
		if i >= partLen {
			list[i] = strings.Repeat("l", 60)
		}
	}
	d := Doc{Whole: list, Nil: []string(nil), Empty: []string{}, Len: len(list), Part: func(lo, hi int) any { return list[lo:hi] }}
	want, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Marshal(d); err != nil { // go-json's caches and pools, once
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := Marshal(d)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Marshal differs from json.Marshal:\n got %.300s\nwant %.300s", got, want)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d-byte document, %d bytes allocated", len(want), alloc)
	if float64(alloc) > 3*float64(len(want)) {
		t.Errorf("Marshal of a %d-byte document allocated %d bytes (%.1f times): its buffer was regrown", len(want), alloc, float64(alloc)/float64(len(want)))
	}
}
