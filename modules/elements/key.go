package elements

import (
	"sync"

	"github.com/zclconf/go-cty/cty"
)

// cachedKeys is how many index keys are kept, made a block of
// keyBlock at a time on first use (a block never used costs no memory:
// its pages are never written). Lists of thousands are common: the
// system packages of a fleet's modules, a group's members.
const (
	cachedKeys = 1 << 14
	keyBlock   = 64
)

var keyBlocks [cachedKeys / keyBlock]struct {
	once sync.Once
	keys [keyBlock]cty.Value
}

// Key returns the index i as a cty number: the same value every time
// for the first cachedKeys (safe to share: go-cty never changes a
// value), a new one beyond.
func Key(i int) cty.Value {
	if i < 0 || i >= cachedKeys {
		return cty.NumberIntVal(int64(i))
	}
	b := &keyBlocks[i/keyBlock]
	b.once.Do(func() {
		first := i / keyBlock * keyBlock
		for j := range b.keys {
			b.keys[j] = cty.NumberIntVal(int64(first + j))
		}
	})
	return b.keys[i%keyBlock]
}

// At returns element i of v, a known, unmarked list or tuple with more
// than i elements.
func At(v cty.Value, i int) cty.Value { return v.Index(Key(i)) }
