package eval

import (
	"sort"
	"strconv"

	"github.com/gocfg/gocfg/modules/defs"
)

// checkSpellings finds, among the definitions of n's keys (by key, as
// childDefs sorts them), a key written in two Unicode spellings that
// are the same name after NFC normalization (".café" with é, and with e
// and a combining accent). go-cty keeps object keys in NFC, and macOS
// file names are normalized too, so without this check the definitions
// would be merged (or one dropped) without a word. Each spelling after
// the first defined is reported at its first definition, and its
// definitions are left out, so that one mistake gives one error.
func (e *Evaluator) checkSpellings(n *node, byKey *children) {
	depth := len(n.path)
	spelling := func(d *defs.Def, key string) string {
		if sp := d.Spelled(); len(sp) > depth {
			return sp[depth]
		}
		return key
	}
	for _, key := range byKey.appendSortedKeys(nil) {
		ds := byKey.get(key)
		first := -1 // index in ds of the first definition in module order
		mixed := false
		for i, d := range ds {
			if first < 0 || d.Seq < ds[first].Seq {
				first = i
			}
			if spelling(d, key) != spelling(ds[0], key) {
				mixed = true
			}
		}
		if !mixed {
			continue
		}
		want := spelling(ds[first], key)
		reported := map[string]bool{}
		for _, d := range byDefOrder(ds) {
			if s := spelling(d, key); s != want && !reported[s] {
				reported[s] = true
				e.errorf(d.Range().Ptr(), "Same name in two Unicode spellings",
					"The key %s of %s here and %s at %s are the same name after Unicode NFC normalization, which gocfg applies to keys (as macOS does to file names), so the definitions would silently be merged into one.\nhint: use one spelling for both, best the normalized one: %s.",
					strconv.QuoteToASCII(s), label(n.path), strconv.QuoteToASCII(want), e.set.Ref(ds[first].Range()), strconv.QuoteToASCII(key))
			}
		}
		kept := make([]*defs.Def, 0, len(ds))
		for _, d := range ds {
			if spelling(d, key) == want {
				kept = append(kept, d)
			}
		}
		byKey.put(key, kept)
	}
}

// byDefOrder returns ds sorted by module order, leaving ds as it is.
func byDefOrder(ds []*defs.Def) []*defs.Def {
	out := append([]*defs.Def(nil), ds...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}
