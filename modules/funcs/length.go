package funcs

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// lengthFunc is length as Terraform has it: the number of elements of a
// list, set, tuple or map, of attributes of an object, or of characters
// of a string. go-cty's own refuses objects, which `for` expressions
// over objects produce.
var lengthFunc = function.New(&function.Spec{
	Description: "The number of elements, attributes or characters.",
	Params: []function.Parameter{{
		Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true,
	}},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		t := v.Type()
		switch {
		case t == cty.String:
			return stdlib.Strlen(v)
		case t.IsObjectType():
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			return cty.NumberIntVal(int64(len(t.AttributeTypes()))), nil
		case t.IsListType() || t.IsSetType() || t.IsTupleType() || t.IsMapType():
			return v.Length(), nil
		case t == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number), nil
		}
		return cty.NilVal, function.NewArgErrorf(0, "length() takes a string, list, set, tuple, map or object, not %s", t.FriendlyName())
	},
})
