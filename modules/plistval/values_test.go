package plistval

import (
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
)

func TestFunctions(t *testing.T) {
	f := Functions()
	r, err := f["real"].Call([]cty.Value{cty.NumberIntVal(0)})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := AsReal(r); !ok || got != 0 {
		t.Errorf("real(0) = %#v", r)
	}
	if !r.Equals(RealVal(0)).True() || r.Equals(RealVal(1)).True() {
		t.Errorf("real equality is wrong")
	}
	n, err := f["real"].Call([]cty.Value{cty.NullVal(cty.Number)})
	if err != nil || !n.IsNull() {
		t.Errorf("real(null) = %#v, %v", n, err)
	}
	if _, err := f["real"].Call([]cty.Value{cty.StringVal("x")}); err == nil {
		t.Errorf("real(\"x\") did not fail")
	}
	d, err := f["date"].Call([]cty.Value{cty.StringVal("2024-01-02T03:04:05Z")})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := AsDate(d); !got.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("date = %v", got)
	}
	if _, err := f["date"].Call([]cty.Value{cty.StringVal("yesterday")}); err == nil {
		t.Errorf("date(yesterday) did not fail")
	}
	b, err := f["data"].Call([]cty.Value{cty.StringVal("aGk=")})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := AsData(b); string(got) != "hi" {
		t.Errorf("data = %q", got)
	}
	if _, err := f["data"].Call([]cty.Value{cty.StringVal("!!")}); err == nil {
		t.Errorf("data(!!) did not fail")
	}
}

func TestFormatReal(t *testing.T) {
	for in, want := range map[float64]string{0: "0.0", 0.5: "0.5", 48: "48.0", 1e21: "1e+21"} {
		if got := FormatReal(in); got != want {
			t.Errorf("FormatReal(%v) = %s, want %s", in, got, want)
		}
	}
}
