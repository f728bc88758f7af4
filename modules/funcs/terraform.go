package funcs

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gocfg/gocfg/modules/render"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// addTerraform adds to f the functions Terraform has and go-cty's
// standard library does not, with Terraform's meaning, and index as
// Terraform has it (the position of a value; go-cty's index looks an
// element up, which a module writes as list[i]). They are made here,
// when an evaluation starts, not when the program does: `gocfg
// version` and the commands that never evaluate do not pay for them.
//
// A function that takes a list takes any sequence (a list, set or
// tuple) and converts its elements one by one, as join does and for
// the same reason: declaring the parameter as list(bool) would convert
// a module's tuple in quadratic time (doc.go).
func addTerraform(f map[string]function.Function) {
	f["startswith"] = stringTest("string", "prefix", "Whether the string starts with the prefix.", strings.HasPrefix)
	f["endswith"] = stringTest("string", "suffix", "Whether the string ends with the suffix.", strings.HasSuffix)
	f["strcontains"] = stringTest("string", "substr", "Whether the string contains the substring.", strings.Contains)
	f["alltrue"] = boolsFunc(true)
	f["anytrue"] = boolsFunc(false)
	f["one"] = oneFunc()
	f["sum"] = sumFunc()
	f["index"] = indexFunc()
	f["base64encode"] = stringFunc("The Base64 (RFC 4648, standard alphabet) of the string's UTF-8 bytes.", func(s string) (string, error) {
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	})
	f["base64decode"] = stringFunc("The text whose UTF-8 bytes the Base64 string encodes.", base64Decode)
	f["md5"] = hashFunc("The MD5 hash of the string's UTF-8 bytes, in lowercase hexadecimal.", md5.New)
	f["sha1"] = hashFunc("The SHA-1 hash of the string's UTF-8 bytes, in lowercase hexadecimal.", sha1.New)
	f["sha256"] = hashFunc("The SHA-256 hash of the string's UTF-8 bytes, in lowercase hexadecimal.", sha256.New)
	f["urlencode"] = stringFunc("The string escaped for a URL's query: a space is +, reserved and non-ASCII bytes are %XX.", func(s string) (string, error) {
		return url.QueryEscape(s), nil
	})
}

// stringTest is a function of two strings that returns test(a, b).
func stringTest(a, b, description string, test func(a, b string) bool) function.Function {
	return function.New(&function.Spec{
		Description: description,
		Params:      []function.Parameter{{Name: a, Type: cty.String}, {Name: b, Type: cty.String}},
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(test(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

// stringFunc is a function of one string that returns f's string.
func stringFunc(description string, f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Description: description,
		Params:      []function.Parameter{{Name: "string", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := f(args[0].AsString())
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.StringVal(s), nil
		},
	})
}

// hashFunc is a function of one string that returns its hash by h in
// lowercase hexadecimal, as Terraform's md5, sha1 and sha256 do.
func hashFunc(description string, h func() hash.Hash) function.Function {
	return stringFunc(description, func(s string) (string, error) {
		w := h()
		w.Write([]byte(s))
		return hex.EncodeToString(w.Sum(nil)), nil
	})
}

// base64Decode is base64decode: Terraform's, which decodes to text and
// refuses bytes that are not UTF-8.
func base64Decode(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		var at base64.CorruptInputError
		if errors.As(err, &at) {
			return "", fmt.Errorf("not Base64 (RFC 4648, standard alphabet): a bad character or end at byte %d", int64(at))
		}
		return "", err
	}
	if !utf8.Valid(b) {
		return "", errors.New("the decoded bytes are not UTF-8 text; keep binary data in Base64 (data() makes a plist <data> of it)")
	}
	return string(b), nil
}

// elements returns the elements of a list, set or tuple, for the
// function name; an error for another value.
func elements(name string, v cty.Value) ([]cty.Value, error) {
	t := v.Type()
	if !(t.IsListType() || t.IsSetType() || t.IsTupleType()) {
		return nil, fmt.Errorf("%s() takes a list, set or tuple, not %s", name, t.FriendlyName())
	}
	return v.AsValueSlice(), nil
}

// sequenceParam is the parameter of a function of one sequence, which
// converts its elements itself.
func sequenceParam(name string) []function.Parameter {
	return []function.Parameter{{Name: name, Type: cty.DynamicPseudoType}}
}

// boolsFunc is alltrue (all) or anytrue: whether every (some) element
// is true or "true". Terraform's take a list(bool), so a null element
// counts as not true, and alltrue([]) is true, anytrue([]) false.
func boolsFunc(all bool) function.Function {
	name, description := "anytrue", "Whether any element is true (or \"true\"); false for an empty list."
	if all {
		name, description = "alltrue", "Whether every element is true (or \"true\"); true for an empty list."
	}
	return function.New(&function.Spec{
		Description: description,
		Params:      sequenceParam("list"),
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			elems, err := elements(name, args[0])
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			unknown := false
			for i, e := range elems {
				b, err := convert.Convert(e, cty.Bool)
				switch {
				case err != nil:
					return cty.NilVal, function.NewArgErrorf(0, "element %d: %s", i, err)
				case !b.IsKnown():
					unknown = true
				case b.IsNull():
					if all {
						return cty.False, nil
					}
				case b.True() && !all:
					return cty.True, nil
				case b.False() && all:
					return cty.False, nil
				}
			}
			if unknown {
				return cty.UnknownVal(cty.Bool), nil
			}
			return cty.BoolVal(all), nil
		},
	})
}

// oneFunc is Terraform's one: the element of a list, set or tuple of
// one, null for an empty one, an error for more.
func oneFunc() function.Function {
	const msg = "one() takes a list, set or tuple of zero or one elements, not %s"
	return function.New(&function.Spec{
		Description: "The only element of a list of one; null for an empty list.",
		Params:      sequenceParam("list"),
		Type: func(args []cty.Value) (cty.Type, error) {
			t := args[0].Type()
			switch {
			case t.IsListType() || t.IsSetType():
				return t.ElementType(), nil
			case t.IsTupleType() && len(t.TupleElementTypes()) == 0:
				return cty.DynamicPseudoType, nil
			case t.IsTupleType() && len(t.TupleElementTypes()) == 1:
				return t.TupleElementTypes()[0], nil
			case t.IsTupleType():
				return cty.NilType, function.NewArgErrorf(0, msg, fmt.Sprintf("%d elements", len(t.TupleElementTypes())))
			}
			return cty.NilType, function.NewArgErrorf(0, msg, t.FriendlyName())
		},
		Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
			elems := args[0].AsValueSlice()
			switch len(elems) {
			case 0:
				return cty.NullVal(ret), nil
			case 1:
				return elems[0], nil
			}
			return cty.NilVal, function.NewArgErrorf(0, msg, fmt.Sprintf("%d elements", len(elems)))
		},
	})
}

// sumFunc is Terraform's sum: the sum of a list of numbers (or strings
// of numbers); an empty list and a null element are errors.
func sumFunc() function.Function {
	return function.New(&function.Spec{
		Description: "The sum of a list of numbers; an empty list is an error.",
		Params:      sequenceParam("list"),
		Type:        function.StaticReturnType(cty.Number),
		Impl: func(args []cty.Value, _ cty.Type) (ret cty.Value, err error) {
			elems, err := elements("sum", args[0])
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			if len(elems) == 0 {
				return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
			}
			// big.Float panics adding infinities of opposite signs.
			defer func() {
				if r := recover(); r != nil {
					if _, ok := r.(big.ErrNaN); !ok {
						panic(r)
					}
					ret, err = cty.NilVal, function.NewArgErrorf(0, "cannot sum infinities of opposite signs")
				}
			}()
			total := new(big.Float)
			for i, e := range elems {
				n, err := convert.Convert(e, cty.Number)
				switch {
				case err != nil:
					return cty.NilVal, function.NewArgErrorf(0, "element %d: %s", i, err)
				case n.IsNull():
					return cty.NilVal, function.NewArgErrorf(0, "element %d is null; sum() adds numbers", i)
				case !n.IsKnown():
					return cty.UnknownVal(cty.Number), nil
				}
				total.Add(total, n.AsBigFloat())
			}
			return cty.NumberVal(total), nil
		},
	})
}

// indexFunc is Terraform's index: the position of the first element of
// a list or tuple equal to the value; an error when there is none.
func indexFunc() function.Function {
	return function.New(&function.Spec{
		Description: "The position (from 0) of the first element equal to the value; an error when none is.",
		Params: []function.Parameter{
			{Name: "list", Type: cty.DynamicPseudoType},
			{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true},
		},
		Type: function.StaticReturnType(cty.Number),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			t := args[0].Type()
			if !(t.IsListType() || t.IsTupleType()) {
				return cty.NilVal, function.NewArgErrorf(0, "index() takes a list or tuple, not %s; an element is list[i], an attribute object.name or object[\"name\"]", t.FriendlyName())
			}
			for i, e := range args[0].AsValueSlice() {
				eq, err := stdlib.Equal(e, args[1])
				if err != nil {
					return cty.NilVal, err
				}
				if !eq.IsKnown() {
					return cty.UnknownVal(cty.Number), nil
				}
				if eq.True() {
					return cty.NumberIntVal(int64(i)), nil
				}
			}
			return cty.NilVal, function.NewArgErrorf(1, "%s is not an element of the list", render.Inline(args[1], 40))
		},
	})
}
