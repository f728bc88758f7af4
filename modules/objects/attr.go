package objects

import "github.com/zclconf/go-cty/cty"

// Attr returns object v's attribute name, as v.GetAttr(name) does (and
// it panics where that panics: v is not an object, or has no such
// attribute).
func Attr(v cty.Value, name string) cty.Value {
	if v.IsMarked() || !v.IsKnown() || v.IsNull() || !v.Type().IsObjectType() || !ascii(name) {
		return v.GetAttr(name)
	}
	p := parts(&v)
	return makeValue(p.ty.AttributeType(name), p.v.(map[string]any)[name])
}
