package funcs

import (
	"errors"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// stringList is the type join's lists have in go-cty's stdlib.
var stringList = cty.List(cty.String)

// joinFunc is go-cty's join (same results, same errors), in linear time.
// go-cty declares its lists as list(string), so HCL converts each
// argument before the call, and converting a tuple (every list written
// in a module is one) sorts its element types pairwise: 160,000
// elements took over two minutes. Here the lists arrive as they are and
// each element is converted on its own.
var joinFunc = function.New(&function.Spec{
	Description: "Concatenates together the elements of all given lists with a delimiter, producing a single string.",
	Params: []function.Parameter{{
		Name:        "separator",
		Description: "Delimiter to insert between the given strings.",
		Type:        cty.String,
	}},
	VarParam: &function.Parameter{
		Name:             "lists",
		Description:      "One or more lists of strings to join.",
		Type:             cty.DynamicPseudoType,
		AllowDynamicType: true,
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		sep := args[0].AsString()
		lists := args[1:]
		if len(lists) < 1 {
			return cty.UnknownVal(cty.String), errors.New("at least one list is required")
		}
		// Convert every list first, as HCL did before calling go-cty's.
		elems := make([][]cty.Value, len(lists))
		for ai, list := range lists {
			var err error
			if elems[ai], err = stringElements(list); err != nil {
				return cty.UnknownVal(cty.String), function.NewArgError(ai+1, err)
			}
		}
		size := 0
		for _, es := range elems {
			for _, e := range es {
				if !e.IsKnown() {
					return cty.UnknownVal(cty.String), nil
				}
				if !e.IsNull() {
					size += len(e.AsString()) + len(sep)
				}
			}
		}
		var b strings.Builder
		b.Grow(size)
		first := true
		for ai, es := range elems {
			for ei, e := range es {
				if e.IsNull() {
					if len(lists) > 1 {
						return cty.UnknownVal(cty.String), function.NewArgErrorf(ai+1, "element %d of list %d is null; cannot concatenate null values", ei, ai+1)
					}
					return cty.UnknownVal(cty.String), function.NewArgErrorf(ai+1, "element %d is null; cannot concatenate null values", ei)
				}
				if !first {
					b.WriteString(sep)
				}
				first = false
				b.WriteString(e.AsString())
			}
		}
		return cty.StringVal(b.String()), nil
	},
})

// stringElements converts a join argument to its string elements, as
// converting it to list(string) would, with the same error when it
// cannot be, but a tuple element by element.
func stringElements(v cty.Value) ([]cty.Value, error) {
	if !v.Type().IsTupleType() {
		l, err := convert.Convert(v, stringList)
		if err != nil {
			return nil, err
		}
		if !l.IsKnown() {
			return []cty.Value{cty.UnknownVal(cty.String)}, nil
		}
		return l.AsValueSlice(), nil
	}
	out := make([]cty.Value, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, err := convert.Convert(e, cty.String)
		if err != nil {
			return nil, errors.New(convert.MismatchMessage(v.Type(), stringList))
		}
		out = append(out, s)
	}
	return out, nil
}
