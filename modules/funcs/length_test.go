package funcs

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestLength(t *testing.T) {
	tests := []struct {
		in   cty.Value
		want int64
	}{
		{cty.StringVal("héllo"), 5},
		{cty.ObjectVal(map[string]cty.Value{"a": cty.True, "b": cty.NumberIntVal(1)}), 2},
		{cty.EmptyObjectVal, 0},
		{cty.TupleVal([]cty.Value{cty.True, cty.StringVal("x")}), 2},
		{cty.ListVal([]cty.Value{cty.StringVal("x")}), 1},
		{cty.MapVal(map[string]cty.Value{"k": cty.StringVal("x")}), 1},
	}
	for _, tt := range tests {
		got, err := lengthFunc.Call([]cty.Value{tt.in})
		if err != nil {
			t.Errorf("length(%#v): %v", tt.in, err)
			continue
		}
		if n, _ := got.AsBigFloat().Int64(); n != tt.want {
			t.Errorf("length(%#v) = %d, want %d", tt.in, n, tt.want)
		}
	}
	if _, err := lengthFunc.Call([]cty.Value{cty.True}); err == nil {
		t.Errorf("length(true) did not fail")
	}
}
