package objects

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestAttr(t *testing.T) {
	obj := cty.ObjectVal(attrSets["nested"])
	for name, v := range map[string]cty.Value{
		"an object":            obj,
		"one Val made":         Val(attrSets["nested"]),
		"primitives":           cty.ObjectVal(attrSets["primitives"]),
		"with null and marked": cty.ObjectVal(attrSets["null, unknown and marked"]),
		"a marked object":      obj.Mark("sensitive"),
		"an unknown object":    cty.UnknownVal(obj.Type()),
		"not ASCII":            cty.ObjectVal(attrSets["a name that is not ASCII"]),
	} {
		t.Run(name, func(t *testing.T) {
			for k := range v.Type().AttributeTypes() {
				want := v.GetAttr(k)
				if got := Attr(v, k); !got.RawEquals(want) {
					t.Errorf("Attr(%q) = %#v; GetAttr = %#v", k, got, want)
				}
			}
		})
	}
	// A name in another normal form is read as GetAttr reads it.
	v := cty.ObjectVal(attrSets["a name that is not ASCII"])
	if got, want := Attr(v, "caf\u00e9"), v.GetAttr("caf\u00e9"); !got.RawEquals(want) {
		t.Errorf("Attr of the composed name = %#v; GetAttr = %#v", got, want)
	}
}

// TestAttrPanics checks that Attr panics where GetAttr does.
func TestAttrPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"no such attribute": func() { Attr(cty.ObjectVal(attrSets["primitives"]), "missing") },
		"a map":             func() { Attr(cty.MapVal(map[string]cty.Value{"a": cty.True}), "a") },
		"a null object":     func() { Attr(cty.NullVal(cty.EmptyObject), "a") },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Attr did not panic")
				}
			}()
			f()
		})
	}
}
