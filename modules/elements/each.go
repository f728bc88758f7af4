package elements

import "github.com/zclconf/go-cty/cty"

// Each calls f with the position and the value of each element of v, a
// known, unmarked list, tuple or set, in order, until f returns false;
// it returns whether f never did.
func Each(v cty.Value, f func(i int, ev cty.Value) bool) bool {
	if v.Type().IsSetType() {
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			if _, ev := it.Element(); !f(i, ev) {
				return false
			}
		}
		return true
	}
	for i := range v.LengthInt() {
		if !f(i, At(v, i)) {
			return false
		}
	}
	return true
}
