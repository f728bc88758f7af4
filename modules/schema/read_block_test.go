package schema

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules/loader/loadertest"
)

// TestOptionAttributesInSourceOrder: the attributes an option block does
// not take (a map, walked in no set order) are reported in the order
// they stand, every time, among the blocks it does not take either.
func TestOptionAttributesInSourceOrder(t *testing.T) {
	var src strings.Builder
	src.WriteString("option \"o\" {\n  type = str\n")
	for i := range 8 {
		fmt.Fprintf(&src, "  x%d = %d\n", i, i)
		if i == 3 {
			src.WriteString("  nested {\n  }\n")
		}
	}
	src.WriteString("}\n")
	set := loadertest.Source(t, src.String())
	want := []int{3, 4, 5, 6, 7, 9, 10, 11, 12} // x0 to x3, nested, x4 to x7
	for range 20 {
		_, diags := Declare(set)
		var got []int
		for _, d := range diags {
			got = append(got, d.Subject.Start.Line)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("reported at lines %v, want %v: %v", got, want, diags)
		}
	}
}
