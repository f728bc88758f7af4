package funcs

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// TestConversionsAsGoCty: tolist, toset and tomap give what go-cty's
// conversion functions give, values and whether they fail.
func TestConversionsAsGoCty(t *testing.T) {
	ours := map[string]function.Function{}
	addConversions(ours)
	theirs := map[string]function.Function{
		"tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset":  stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tomap":  stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	}
	str, num := cty.StringVal, cty.NumberIntVal
	tup, obj := cty.TupleVal, cty.ObjectVal
	values := []cty.Value{
		tup(nil),
		tup([]cty.Value{str("a"), str("b")}),
		tup([]cty.Value{str("a"), str("b"), num(3)}),
		tup([]cty.Value{str("a"), cty.True, num(3)}),
		tup([]cty.Value{str("a"), tup(nil)}),
		tup([]cty.Value{tup(nil), tup([]cty.Value{str("a")})}),
		tup([]cty.Value{tup([]cty.Value{str("a"), num(1)}), tup([]cty.Value{str("b")})}),
		tup([]cty.Value{tup([]cty.Value{str("a"), num(1)}), cty.ListVal([]cty.Value{str("b")})}),
		tup([]cty.Value{obj(map[string]cty.Value{"a": num(1)}), obj(map[string]cty.Value{"a": str("x")})}),
		tup([]cty.Value{obj(map[string]cty.Value{"a": num(1)}), obj(map[string]cty.Value{"b": str("x")})}),
		tup([]cty.Value{obj(map[string]cty.Value{"a": tup([]cty.Value{num(1)})}), obj(map[string]cty.Value{"a": tup([]cty.Value{str("x"), str("y")})})}),
		tup([]cty.Value{obj(map[string]cty.Value{"a": num(1)}), str("x")}),
		tup([]cty.Value{cty.NullVal(cty.String), str("x")}),
		tup([]cty.Value{cty.NullVal(cty.DynamicPseudoType), num(2)}),
		tup([]cty.Value{str("a"), str("a")}),
		cty.ListVal([]cty.Value{str("b"), str("a")}),
		cty.SetVal([]cty.Value{str("b"), str("a")}),
		cty.MapVal(map[string]cty.Value{"k": str("v")}),
		obj(nil),
		obj(map[string]cty.Value{"a": num(1), "b": str("x")}),
		obj(map[string]cty.Value{"a": num(1), "b": cty.True}),
		obj(map[string]cty.Value{"a": tup([]cty.Value{num(1)}), "b": tup([]cty.Value{str("x"), num(2)})}),
		obj(map[string]cty.Value{"a": num(1), "b": tup(nil)}),
		str("x"),
		num(1),
		cty.NullVal(cty.DynamicPseudoType),
		cty.NullVal(cty.List(cty.String)),
	}
	for name, theirs := range theirs {
		for _, v := range values {
			want, wantErr := theirs.Call([]cty.Value{v})
			got, err := ours[name].Call([]cty.Value{v})
			if (err != nil) != (wantErr != nil) {
				t.Errorf("%s(%#v): error %v, go-cty's %v", name, v, err, wantErr)
				continue
			}
			if err != nil {
				continue
			}
			if !got.RawEquals(want) {
				t.Errorf("%s(%#v) =\n  %#v\ngo-cty's\n  %#v", name, v, got, want)
			}
		}
	}
}

// TestConversionsLinear: tolist, toset and tomap take a list literal of
// 50,000 elements (an object of as many attributes) in a second or two,
// mostly parsing it; go-cty's conversions took 87 s for 40,000. Elements of
// different types too large to unify quickly are an error, at once.
func TestConversionsLinear(t *testing.T) {
	const n = 50000
	var obj strings.Builder
	obj.WriteString("{")
	for i := range n {
		fmt.Fprintf(&obj, "k%d = %d, ", i, i%2)
	}
	obj.WriteString(`x = "y"}`)
	checkFuncCases(t, []funcCase{
		{src: "length(tolist([" + strings.Repeat(`"a",`, n) + "]))", want: "50000"},
		{src: "length(toset([" + strings.Repeat(`"a", 1,`, n) + "]))", want: "2"},
		{src: "length(tolist([[" + strings.Repeat(`"a",`, n) + "], [" + strings.Repeat(`"a",`, n) + "]]))", want: "2"},
		{src: "length(tolist([[" + strings.Repeat(`"a",`, n) + "], [1]]))", err: "too large to find one type for"},
		{src: "length(tomap(" + obj.String() + "))", want: "50001"},
		{src: "length(tolist([" + strings.Repeat(`{a = 1}, {a = "x"}, {a = true}, {a = 2}, {a = "y"},`, n/5) + "]))", want: "50000"},
	})
}

// TestConversions: what Terraform's documentation says of them.
func TestConversions(t *testing.T) {
	checkFuncCases(t, []funcCase{
		{src: `tostring("hello")`, want: `"hello"`},
		{src: `tostring(1)`, want: `"1"`},
		{src: `tostring(true)`, want: `"true"`},
		{src: `tostring(null)`, want: `null`},
		{src: `tostring([])`, err: `cannot convert tuple to string`},
		{src: `tonumber("1")`, want: `1`},
		{src: `tonumber("no")`, err: `cannot convert "no" to number`},
		{src: `tobool("true")`, want: `true`},
		{src: `tobool("no")`, err: `cannot convert "no" to bool`},
		{src: `tobool(1)`, err: `cannot convert number to bool`},
		{src: `tolist(["a", "b", 3])`, want: `["a", "b", "3"]`},
		{src: `tolist(toset(["b", "a", "b"]))`, want: `["a", "b"]`},
		{src: `tolist({a = 1})`, err: `tolist(): `},
		{src: `tolist(["a", {}])`, err: `tolist(): `},
		{src: `tolist([[1], ["a", {}]])`, err: `tolist(): `},
		{src: `toset(["c", "b", "b"])`, want: `["b", "c"]`},
		{src: `tomap({a = 1, b = "x"})`, want: `{ a = "1", b = "x" }`},
	})
}

// TestConversionsAsGoCtyRandom compares tolist, toset and tomap with
// go-cty's on 3,000 small values made at random (the same each run):
// tuples, objects, lists, sets and maps of strings, numbers, bools,
// nulls and each other.
func TestConversionsAsGoCtyRandom(t *testing.T) {
	ours := map[string]function.Function{}
	addConversions(ours)
	theirs := map[string]function.Function{
		"tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset":  stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tomap":  stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var random func(depth int) cty.Value
	random = func(depth int) cty.Value {
		k := rng.IntN(9)
		if depth == 0 {
			k = rng.IntN(5)
		}
		switch k {
		case 0:
			return cty.StringVal([]string{"a", "1", "true"}[rng.IntN(3)])
		case 1:
			return cty.NumberIntVal(int64(rng.IntN(3)))
		case 2:
			return cty.BoolVal(rng.IntN(2) == 0)
		case 3:
			return cty.NullVal(cty.DynamicPseudoType)
		case 4:
			return cty.NullVal(cty.String)
		case 5:
			elems := make([]cty.Value, rng.IntN(4))
			for i := range elems {
				elems[i] = random(depth - 1)
			}
			return cty.TupleVal(elems)
		case 6, 7:
			// A list, set or map, as go-cty makes one of a tuple or object.
			conv := theirs[[]string{"tolist", "toset", "tomap"}[rng.IntN(3)]]
			if c, err := conv.Call([]cty.Value{random(depth - 1)}); err == nil {
				return c
			}
			return cty.EmptyTupleVal
		}
		attrs := map[string]cty.Value{}
		for range rng.IntN(3) {
			attrs[[]string{"a", "b"}[rng.IntN(2)]] = random(depth - 1)
		}
		return cty.ObjectVal(attrs)
	}
	for range 3000 {
		v := random(3)
		for name, theirs := range theirs {
			want, wantErr := theirs.Call([]cty.Value{v})
			got, err := ours[name].Call([]cty.Value{v})
			if (err != nil) != (wantErr != nil) {
				t.Errorf("%s(%#v): error %v, go-cty's %v", name, v, err, wantErr)
				continue
			}
			if err == nil && !got.RawEquals(want) {
				t.Errorf("%s(%#v) =\n  %#v\ngo-cty's\n  %#v", name, v, got, want)
			}
		}
	}
}
