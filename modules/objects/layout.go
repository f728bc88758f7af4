package objects

import (
	"unsafe"

	"github.com/zclconf/go-cty/cty"
)

// value mirrors cty.Value: its type and its inner value.
type value struct {
	ty cty.Type
	v  any
}

// typeObject mirrors go-cty's object type (cty's typeObject, whose first
// field, a sigil, has no size).
type typeObject struct {
	attrTypes    map[string]cty.Type
	attrOptional map[string]struct{}
}

// iface is the two words of a Go interface value: cty.Type holds its
// kind of type as one.
type iface struct {
	tab  unsafe.Pointer
	data unsafe.Pointer
}

// objectTab is the interface table of go-cty's object type, taken from
// one.
var objectTab = (*iface)(unsafe.Pointer(&cty.EmptyObject)).tab

// makeValue returns the cty.Value of type ty and inner value v.
func makeValue(ty cty.Type, v any) cty.Value {
	return *(*cty.Value)(unsafe.Pointer(&value{ty: ty, v: v}))
}

// parts returns v's type and inner value.
func parts(v *cty.Value) *value {
	return (*value)(unsafe.Pointer(v))
}

// makeObjectType returns the object type whose attribute types are
// types, which it keeps.
func makeObjectType(types map[string]cty.Type) cty.Type {
	var t cty.Type
	w := (*iface)(unsafe.Pointer(&t))
	w.tab = objectTab
	w.data = unsafe.Pointer(&typeObject{attrTypes: types})
	return t
}

// identical reports whether a and b are one type: the same kind of type
// and the same data (a primitive type, or one object type shared).
func identical(a, b cty.Type) bool {
	return *(*iface)(unsafe.Pointer(&a)) == *(*iface)(unsafe.Pointer(&b))
}

// plainObject reports whether t is an object type with no optional
// attributes, as a value's type is (optional attributes are for type
// constraints), and returns its attribute types.
func plainObject(t cty.Type) (map[string]cty.Type, bool) {
	w := (*iface)(unsafe.Pointer(&t))
	if w.tab != objectTab {
		return nil, false
	}
	o := (*typeObject)(w.data)
	return o.attrTypes, o.attrOptional == nil
}
