package objects

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// attrSets are objects' attributes of every kind of value the
// evaluation makes, and some it does not.
var attrSets = map[string]map[string]cty.Value{
	"none": {},
	"primitives": {
		"enable": cty.True,
		"label":  cty.StringVal("m1"),
		"uid":    cty.NumberIntVal(1000),
	},
	"nested": {
		"users": cty.ObjectVal(map[string]cty.Value{
			"alice": cty.ObjectVal(map[string]cty.Value{"uid": cty.NumberIntVal(1000)}),
		}),
		"groups": cty.ListVal([]cty.Value{cty.StringVal("wheel")}),
		"tags":   cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.True}),
		"env":    cty.MapVal(map[string]cty.Value{"EDITOR": cty.StringVal("vi")}),
		"set":    cty.SetVal([]cty.Value{cty.NumberIntVal(1)}),
	},
	"null, unknown and marked": {
		"null":    cty.NullVal(cty.String),
		"dynamic": cty.NullVal(cty.DynamicPseudoType),
		"unknown": cty.UnknownVal(cty.Number),
		"marked":  cty.StringVal("secret").Mark("sensitive"),
	},
	"names that need no normalising": {
		"":        cty.True,
		"a.b":     cty.True,
		"with sp": cty.True,
	},
	"a name that is not ASCII": {
		"cafe\u0301": cty.True, // NFC makes it "café"
		"plain":      cty.False,
	},
}

func TestVal(t *testing.T) {
	for name, attrs := range attrSets {
		t.Run(name, func(t *testing.T) {
			want := cty.ObjectVal(attrs)
			got := Val(attrs)
			if !got.RawEquals(want) {
				t.Fatalf("Val = %#v; cty.ObjectVal = %#v", got, want)
			}
			if !got.Type().Equals(want.Type()) || !want.Type().Equals(got.Type()) {
				t.Fatalf("Val's type %#v; cty.ObjectVal's %#v", got.Type(), want.Type())
			}
			if got.Type().FriendlyName() != want.Type().FriendlyName() {
				t.Errorf("Val's type is %s; cty.ObjectVal's %s", got.Type().FriendlyName(), want.Type().FriendlyName())
			}
			for k := range want.Type().AttributeTypes() {
				if !got.Type().HasAttribute(k) || !got.GetAttr(k).RawEquals(want.GetAttr(k)) {
					t.Errorf("attribute %q: Val's %#v; cty.ObjectVal's %#v", k, got.GetAttr(k), want.GetAttr(k))
				}
			}
			// The value converts and compares as go-cty's own does.
			if c, err := convert.Convert(got, want.Type()); err != nil || !c.RawEquals(want) {
				t.Errorf("converting Val's value to cty.ObjectVal's type: %#v, %v", c, err)
			}
			if eq := got.Equals(want); eq.IsKnown() && eq.False() {
				t.Errorf("Val's value Equals cty.ObjectVal's: false")
			}
		})
	}
}

// TestValKeepsNotAttrs checks that the caller may reuse the map it
// passed.
func TestValKeepsNotAttrs(t *testing.T) {
	attrs := map[string]cty.Value{"a": cty.True}
	got := Val(attrs)
	attrs["a"] = cty.False
	attrs["b"] = cty.True
	if !got.RawEquals(cty.ObjectVal(map[string]cty.Value{"a": cty.True})) {
		t.Fatalf("after the map was changed, Val's value is %#v", got)
	}
}
