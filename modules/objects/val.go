package objects

import "github.com/zclconf/go-cty/cty"

// Val returns the object value whose attributes are attrs, as
// cty.ObjectVal(attrs) does, without keeping attrs: the caller may reuse
// it.
func Val(attrs map[string]cty.Value) cty.Value {
	if len(attrs) == 0 {
		return cty.EmptyObjectVal
	}
	types := make(map[string]cty.Type, len(attrs))
	vals := make(map[string]any, len(attrs))
	for name, v := range attrs {
		if !ascii(name) {
			return cty.ObjectVal(attrs)
		}
		p := parts(&v)
		types[name] = p.ty
		vals[name] = p.v
	}
	return makeValue(makeObjectType(types), vals)
}

// ascii reports whether s is all ASCII, and so already in the form
// cty.NormalizeString would give it.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
