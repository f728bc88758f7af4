package objects

import "github.com/zclconf/go-cty/cty"

// ValLike is Val(attrs), but where like is a value's object type with
// the same attributes as attrs, of the same types, the value has like as
// its type instead of a new one: objects of one shape (every user, every
// instance of a submodule) then share one type, which saves a map an
// object. An attribute's type counts as the same when it is the same
// type (a primitive, or an object type shared this way), or equal and
// not an object type (a list of strings built anew); an object type that
// is only equal, which would take a walk of both to tell, makes a new
// type.
func ValLike(attrs map[string]cty.Value, like cty.Type) cty.Value {
	types, ok := plainObject(like)
	if !ok || len(types) != len(attrs) || len(attrs) == 0 {
		return Val(attrs)
	}
	vals := make(map[string]any, len(attrs))
	for name, v := range attrs {
		p := parts(&v)
		t, ok := types[name]
		if !ok || !ascii(name) || !identical(t, p.ty) && (t.IsObjectType() || !t.Equals(p.ty)) {
			return Val(attrs)
		}
		vals[name] = p.v
	}
	return makeValue(like, vals)
}
