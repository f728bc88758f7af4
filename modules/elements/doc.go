// Package elements reads the elements of a go-cty list or tuple by
// position without allocating. go-cty's ElementIterator allocates the
// iterator and, for every element, its index as a number (a big.Float):
// about a megabyte that a cold evaluation of 1,000 modules threw away,
// mostly in merging lists and writing them as JSON. Value.Index with a
// key it is handed allocates nothing, so At hands it keys made once per
// process (Key). Sets have no positions: their elements are still read
// with ElementIterator, which gives each element as its own key.
package elements
