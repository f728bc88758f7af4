package plistval

import (
	"encoding/base64"
	"fmt"
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Functions returns the HCL functions real(x), date(s) and data(s).
func Functions() map[string]function.Function {
	return map[string]function.Function{
		"real": realFunc,
		"date": dateFunc,
		"data": dataFunc,
	}
}

var realFunc = function.New(&function.Spec{
	Description: "A number that is always written as a plist <real>; real(null) is null.",
	Params: []function.Parameter{{
		Name: "number", Type: cty.DynamicPseudoType, AllowNull: true, AllowDynamicType: true,
	}},
	Type: function.StaticReturnType(RealType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if v.IsNull() {
			return cty.NullVal(RealType), nil
		}
		if v.Type().Equals(RealType) {
			return v, nil
		}
		if !v.Type().Equals(cty.Number) {
			return cty.NilVal, function.NewArgErrorf(0, "real() takes a number, not %s", v.Type().FriendlyName())
		}
		f, _ := v.AsBigFloat().Float64()
		return RealVal(f), nil
	},
})

var dateFunc = stringFunc("A plist <date> from an RFC 3339 timestamp.", "rfc3339", DateType, func(s string) (cty.Value, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return cty.NilVal, fmt.Errorf("date() wants an RFC 3339 timestamp such as \"2024-01-02T03:04:05Z\": %s", err)
	}
	return DateVal(t), nil
})

var dataFunc = stringFunc("A plist <data> from base64 text.", "base64", DataType, func(s string) (cty.Value, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return cty.NilVal, fmt.Errorf("data() wants standard base64: %w", err)
	}
	return DataVal(b), nil
})

// stringFunc is a function of one string, the parameter param, to a
// value of type ret that conv makes of it; conv's error is the
// argument's.
func stringFunc(description, param string, ret cty.Type, conv func(s string) (cty.Value, error)) function.Function {
	return function.New(&function.Spec{
		Description: description,
		Params:      []function.Parameter{{Name: param, Type: cty.String}},
		Type:        function.StaticReturnType(ret),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, err := conv(args[0].AsString())
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return v, nil
		},
	})
}
