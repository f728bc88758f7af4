package plistval

import (
	"reflect"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
)

func TestToGo(t *testing.T) {
	when := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   cty.Value
		want any
	}{
		{"bool", cty.True, true},
		{"string", cty.StringVal("Nlsv"), "Nlsv"},
		{"whole number is an integer", cty.NumberIntVal(48), int64(48)},
		{"negative", cty.NumberIntVal(-3), int64(-3)},
		{"above int64 is a uint64", cty.MustParseNumberVal("18446744073709551615"), uint64(18446744073709551615)},
		{"fraction is a real", cty.NumberFloatVal(0.5), 0.5},
		{"real(8) stays a real", RealVal(8), float64(8)},
		{"date", DateVal(when), when},
		{"data", DataVal([]byte{0, 1}), []byte{0, 1}},
		{"null", cty.NullVal(cty.String), nil},
		{"tuple", cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.StringVal("a")}), []any{int64(1), "a"}},
		{"object with a null member", cty.ObjectVal(map[string]cty.Value{
			"a": cty.NumberIntVal(1), "b": cty.NullVal(cty.Bool),
			"c": cty.ObjectVal(map[string]cty.Value{"d": RealVal(0.25)}),
		}), map[string]any{"a": int64(1), "b": nil, "c": map[string]any{"d": 0.25}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ToGo(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ToGo = %#v (%T), want %#v (%T)", got, got, tt.want, tt.want)
			}
		})
	}
}

func TestToGoErrors(t *testing.T) {
	_, err := ToGo(cty.ObjectVal(map[string]cty.Value{"a": cty.ListVal([]cty.Value{cty.UnknownVal(cty.String)})}))
	if err == nil || err.Error() != "a[0]: value is not known" {
		t.Fatalf("err = %v", err)
	}
	_, err = ToGo(cty.MustParseNumberVal("1e30"))
	if err == nil {
		t.Fatal("1e30 as an integer: no error")
	}
}
