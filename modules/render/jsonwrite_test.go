package render

import (
	"bytes"
	"math/big"
	"reflect"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/zclconf/go-cty/cty"
)

// encodeTree is what AppendJSON replaces: JSON's tree, encoded by
// go-json as Evaluation.JSON encoded it.
func encodeTree(v cty.Value, skip Skip) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(JSON(v, skip)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func checkSameJSON(t *testing.T, v cty.Value, skip Skip) {
	t.Helper()
	want, wantErr := encodeTree(v, skip)
	got, err := AppendJSON(nil, v, skip)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("AppendJSON error %v, go-json's %v", err, wantErr)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("AppendJSON =\n%s\nwant (go-json)\n%s", got, want)
	}
}

// TestAppendJSONSameText compares AppendJSON with go-json's encoding of
// JSON's tree on values with every kind of member, strings that need
// escapes, and numbers of every shape.
func TestAppendJSONSameText(t *testing.T) {
	checkSameJSON(t, sample(), nil)
	var strs []cty.Value
	for _, s := range []string{"", "plain", "<a href=\"x\">&amp;</a>", "tab\there", "nl\n", "\x00\x01\x1f\x7f", "back\\slash",
		"caf\u00e9", "\u2028\u2029", "emoji \U0001F600", "'single'", "/slash/"} {
		strs = append(strs, cty.StringVal(s))
	}
	var nums []cty.Value
	for _, s := range []string{"0", "-0", "1", "-1", "0.5", "-0.5", "10", "123456789012345678901234567890", "1e300", "1.5e-300", "3.14159", "0.000001", "1e21"} {
		nums = append(nums, cty.MustParseNumberVal(s))
	}
	nums = append(nums, cty.NumberFloatVal(1.0/3), cty.NumberVal(new(big.Float).SetPrec(512).Quo(big.NewFloat(2), big.NewFloat(3))))
	keys := map[string]cty.Value{}
	for _, k := range []string{"b", "a", "B", "A", "_", "a.b", "é", "\u00e9\u0301", "z", "10", "9", "", "a b", "\"q\""} {
		keys[k] = cty.StringVal(k)
	}
	v := cty.ObjectVal(map[string]cty.Value{
		"strs":   cty.TupleVal(strs),
		"nums":   cty.TupleVal(nums),
		"keys":   cty.ObjectVal(keys),
		"map":    cty.MapVal(keys),
		"emap":   cty.MapValEmpty(cty.String),
		"elist":  cty.ListValEmpty(cty.String),
		"etuple": cty.EmptyTupleVal,
		"set":    cty.SetVal([]cty.Value{cty.StringVal("y"), cty.StringVal("x")}),
		"null":   cty.NullVal(cty.String),
		"unk":    cty.UnknownVal(cty.String),
		"bools":  cty.ListVal([]cty.Value{cty.True, cty.False}),
		"nested": cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"x": cty.EmptyObjectVal, "y": cty.ListValEmpty(cty.Number)})}),
		"real":   cty.TupleVal([]cty.Value{plistval.RealVal(0), plistval.RealVal(1.5), plistval.RealVal(1e100), plistval.RealVal(-2)}),
		"dyn":    cty.DynamicVal,
		"caps":   cty.CapsuleVal(cty.Capsule("c", reflect.TypeOf(0)), new(int)),
	})
	checkSameJSON(t, v, nil)

	// skip sees every member's path, list indexes included, and leaves
	// members out; an object left empty is {}.
	var seen []string
	skip := func(p []string) bool {
		seen = append(seen, strings.Join(p, "/"))
		return p[len(p)-1] == "a" || strings.Join(p, "/") == "nested/0/x"
	}
	checkSameJSON(t, v, skip)
	seen = nil
	JSON(v, skip)
	n := len(seen)
	_, _ = AppendJSON(nil, v, skip)
	if len(seen) != 2*n || !slicesEqual(seen[:n], seen[n:]) {
		t.Errorf("AppendJSON asked skip about %d paths, JSON about %d:\n%q\n%q", len(seen)-n, n, seen[n:], seen[:n])
	}
	checkSameJSON(t, cty.ObjectVal(map[string]cty.Value{"only": cty.True}), func([]string) bool { return true })

	if _, err := AppendJSON(nil, cty.ObjectVal(map[string]cty.Value{"inf": cty.PositiveInfinity}), nil); err == nil {
		t.Error("AppendJSON of an infinite number: no error")
	}
	checkSameJSON(t, cty.NullVal(cty.DynamicPseudoType), nil)
	checkSameJSON(t, cty.StringVal("top"), nil)
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
