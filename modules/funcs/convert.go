package funcs

import (
	"errors"
	"fmt"
	"slices"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// maxUnified is how many types tolist, toset and tomap look for a
// common type of, counting the types inside tuples and objects:
// go-cty's unification compares each with every other, and a module
// whose elements all have different types (or one of them a tuple of
// 100,000 elements) would stall the evaluation.
const maxUnified = 1024

// addConversions adds Terraform's type conversion functions to f:
// tostring, tonumber and tobool are go-cty's (a primitive's conversion
// takes constant time); tolist, toset and tomap give what go-cty's
// conversion to list(any), set(any) and map(any) gives, but in time
// linear in the value's size: go-cty unifies the types of all the
// elements of a tuple, pairwise, which took 87 s for a list literal of
// 40,000 strings. Here the types are told apart first and only the
// different ones unified, and nested tuples and objects are converted
// the same way.
func addConversions(f map[string]function.Function) {
	f["tostring"] = stdlib.MakeToFunc(cty.String)
	f["tonumber"] = stdlib.MakeToFunc(cty.Number)
	f["tobool"] = stdlib.MakeToFunc(cty.Bool)
	f["tolist"] = toCollection("tolist", cty.List(cty.DynamicPseudoType), "Converts a list, set or tuple to a list, its elements to one type.")
	f["toset"] = toCollection("toset", cty.Set(cty.DynamicPseudoType), "Converts a list, set or tuple to a set (no duplicates, sorted), its elements to one type.")
	f["tomap"] = toCollection("tomap", cty.Map(cty.DynamicPseudoType), "Converts an object or map to a map, its values to one type.")
}

// toCollection is the function name converting its argument to want, a
// list, set or map of any one element type.
func toCollection(name string, want cty.Type, description string) function.Function {
	return function.New(&function.Spec{
		Description: description,
		Params: []function.Parameter{{
			Name: "v", Type: cty.DynamicPseudoType, AllowNull: true, AllowDynamicType: true,
		}},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, err := convertLinear(args[0], want, nil)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "%s(): %s", name, err)
			}
			return v, nil
		},
	})
}

// convertLinear converts v to the type want as convert.Convert does
// (its unsafe conversions: "1" to a number), in time linear in v's size
// where convert.Convert would take quadratic time: a tuple to a list or
// set, an object to a map, and tuples and objects with those inside.
// Other conversions are convert.Convert's. path is where v is, for
// errors.
func convertLinear(v cty.Value, want cty.Type, path cty.Path) (cty.Value, error) {
	have := v.Type()
	switch {
	case want == cty.DynamicPseudoType || have.Equals(want):
		return v, nil
	case v.IsNull() || !v.IsKnown():
	case (want.IsListType() || want.IsSetType()) && have.IsTupleType():
		return tupleToCollection(v, want, path)
	case want.IsMapType() && have.IsObjectType():
		return objectToMap(v, want, path)
	case want.IsTupleType() && have.IsTupleType() && len(want.TupleElementTypes()) == v.LengthInt():
		ets := want.TupleElementTypes()
		elems := v.AsValueSlice()
		for i, e := range elems {
			c, err := convertLinear(e, ets[i], indexPath(path, cty.NumberIntVal(int64(i))))
			if err != nil {
				return cty.NilVal, err
			}
			elems[i] = c
		}
		return cty.TupleVal(elems), nil
	case want.IsObjectType() && have.IsObjectType() && sameAttributes(want, have):
		attrs := make(map[string]cty.Value, len(want.AttributeTypes()))
		for name, at := range want.AttributeTypes() {
			c, err := convertLinear(v.GetAttr(name), at, append(path[:len(path):len(path)], cty.GetAttrStep{Name: name}))
			if err != nil {
				return cty.NilVal, err
			}
			attrs[name] = c
		}
		return cty.ObjectVal(attrs), nil
	}
	c, err := convert.Convert(v, want)
	if err != nil {
		return cty.NilVal, atPath(path, err)
	}
	return c, nil
}

// tupleToCollection converts the tuple v to the list or set type want,
// as go-cty does: to the common type of its elements when want's is
// any, which must not be any itself unless every element's type is; a
// list's elements unified once more after they are converted.
func tupleToCollection(v cty.Value, want cty.Type, path cty.Path) (cty.Value, error) {
	ety := want.ElementType()
	elems := v.AsValueSlice()
	list := want.IsListType()
	if len(elems) == 0 {
		if list {
			return cty.ListValEmpty(ety), nil
		}
		return cty.SetValEmpty(ety), nil
	}
	if ety == cty.DynamicPseudoType {
		var err error
		if ety, err = commonType(elems); err != nil {
			return cty.NilVal, atPath(path, err)
		}
		if ety == cty.DynamicPseudoType && slices.ContainsFunc(elems, notDynamic) {
			return cty.NilVal, atPath(path, errors.New(noOneType))
		}
	}
	elems, err := convertAll(elems, ety, path, func(i int) cty.Value { return cty.NumberIntVal(int64(i)) })
	if err != nil {
		return cty.NilVal, err
	}
	if list {
		if elems, err = unifyAll(elems, path, func(i int) cty.Value { return cty.NumberIntVal(int64(i)) }); err != nil {
			return cty.NilVal, err
		}
		if !cty.CanListVal(elems) {
			return cty.NilVal, atPath(path, errors.New(noOneType))
		}
		return cty.ListVal(elems), nil
	}
	if !cty.CanSetVal(elems) {
		return cty.NilVal, atPath(path, errors.New(noOneType))
	}
	return cty.SetVal(elems), nil
}

// objectToMap converts the object v to the map type want, as go-cty
// does: to the common type of its attributes when want's element type
// is any, unified once more after they are converted when that is a
// collection or object type.
func objectToMap(v cty.Value, want cty.Type, path cty.Path) (cty.Value, error) {
	ety := want.ElementType()
	n := v.LengthInt()
	if n == 0 {
		return cty.MapValEmpty(ety), nil
	}
	keys := make([]cty.Value, 0, n)
	vals := make([]cty.Value, 0, n)
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		keys = append(keys, k)
		vals = append(vals, e)
	}
	key := func(i int) cty.Value { return keys[i] }
	if ety == cty.DynamicPseudoType {
		var err error
		if ety, err = commonType(vals); err != nil {
			return cty.NilVal, atPath(path, err)
		}
	}
	vals, err := convertAll(vals, ety, path, key)
	if err != nil {
		return cty.NilVal, err
	}
	if ety.IsCollectionType() || ety.IsObjectType() {
		if vals, err = unifyAll(vals, path, key); err != nil {
			return cty.NilVal, err
		}
	}
	m := make(map[string]cty.Value, n)
	for i, k := range keys {
		m[k.AsString()] = vals[i]
	}
	if !cty.CanMapVal(m) {
		return cty.NilVal, atPath(path, errors.New(noOneType))
	}
	return cty.MapVal(m), nil
}

// noOneType is the error of elements that no collection can hold.
const noOneType = "the elements have no one type they all convert to"

// notDynamic tells whether v's type is not any (a null written as
// null is of type any).
func notDynamic(v cty.Value) bool { return v.Type() != cty.DynamicPseudoType }

// convertAll converts each of elems to ety; key is element i's key or
// index, for errors.
func convertAll(elems []cty.Value, ety cty.Type, path cty.Path, key func(i int) cty.Value) ([]cty.Value, error) {
	out := make([]cty.Value, len(elems))
	for i, e := range elems {
		c, err := convertLinear(e, ety, indexPath(path, key(i)))
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// unifyAll converts elems to their common type, as go-cty does once
// more after converting a tuple's elements to a list's element type (it
// matters when that type has any inside).
func unifyAll(elems []cty.Value, path cty.Path, key func(i int) cty.Value) ([]cty.Value, error) {
	t, err := commonType(elems)
	if err != nil {
		return nil, atPath(path, err)
	}
	for i, e := range elems {
		if e.Type().Equals(t) {
			continue
		}
		if elems[i], err = convertLinear(e, t, indexPath(path, key(i))); err != nil {
			return nil, err
		}
	}
	return elems, nil
}

// indexPath is path and then the index (or key) k, in a new slice.
func indexPath(path cty.Path, k cty.Value) cty.Path {
	return append(path[:len(path):len(path)], cty.IndexStep{Key: k})
}

// commonType is the type all of elems convert to, as go-cty unifies
// them: the different types are found first (usually one), and only
// those are unified, if they are small enough (maxUnified).
func commonType(elems []cty.Value) (cty.Type, error) {
	var types []cty.Type
	size := 0
	last := cty.NilType
	for _, e := range elems {
		t := e.Type()
		if last != cty.NilType && t.Equals(last) {
			continue
		}
		last = t
		if slices.ContainsFunc(types, t.Equals) {
			continue
		}
		types = append(types, t)
		if size += typeSize(t, maxUnified+1); size > maxUnified && len(types) > 1 {
			return cty.NilType, errors.New("the elements are of different types, too large to find one type for (convert them to one type first, with tostring(), tolist(), ...)")
		}
	}
	if len(types) == 1 {
		return types[0], nil
	}
	t, _ := convert.UnifyUnsafe(types)
	if t == cty.NilType {
		return cty.NilType, fmt.Errorf("%s (%s, %s, ...)", noOneType, types[0].FriendlyName(), types[1].FriendlyName())
	}
	return t, nil
}

// typeSize is the number of types t is made of (itself, its elements'
// and its attributes', at every depth), counted up to max.
func typeSize(t cty.Type, max int) int {
	n := 1
	switch {
	case t.IsListType() || t.IsSetType() || t.IsMapType():
		n += typeSize(t.ElementType(), max-n)
	case t.IsTupleType():
		for _, et := range t.TupleElementTypes() {
			if n >= max {
				break
			}
			n += typeSize(et, max-n)
		}
	case t.IsObjectType():
		for _, at := range t.AttributeTypes() {
			if n >= max {
				break
			}
			n += typeSize(at, max-n)
		}
	}
	return n
}

// sameAttributes tells whether the object types a and b have the same
// attribute names.
func sameAttributes(a, b cty.Type) bool {
	at, bt := a.AttributeTypes(), b.AttributeTypes()
	if len(at) != len(bt) {
		return false
	}
	for name := range at {
		if _, ok := bt[name]; !ok {
			return false
		}
	}
	return true
}

// atPath prefixes err with where in the value it is, "" at the top.
func atPath(path cty.Path, err error) error {
	if len(path) == 0 {
		return err
	}
	return fmt.Errorf("%s: %w", formatPath(path), err)
}

// formatPath writes path as an index expression: [2]["key"].name.
func formatPath(path cty.Path) string {
	s := ""
	for _, step := range path {
		switch st := step.(type) {
		case cty.IndexStep:
			if st.Key.Type() == cty.String {
				s += fmt.Sprintf("[%q]", st.Key.AsString())
			} else {
				s += "[" + st.Key.AsBigFloat().Text('f', -1) + "]"
			}
		case cty.GetAttrStep:
			s += "." + st.Name
		}
	}
	return s
}
