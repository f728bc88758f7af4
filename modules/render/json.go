package render

import (
	"encoding/base64"
	"strconv"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/zclconf/go-cty/cty"
)

// Skip says whether the member at path (keys from the value's root;
// list elements as their index) is left out of the output. path is
// valid only during the call: its array is reused for the next member.
type Skip func(path []string) bool

// JSON returns plain JSON data for v: objects, arrays, strings, numbers,
// booleans and null. Members for which skip (may be nil) says so are left
// out.
func JSON(v cty.Value, skip Skip) any {
	// The paths of members share this array (deeper ones grow it).
	return toJSON(v, make([]string, 0, 16), skip)
}

func toJSON(v cty.Value, path []string, skip Skip) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Number:
		return json.Number(Number(v.AsBigFloat()))
	case t == cty.Bool:
		return v.True()
	case t.Equals(plistval.RealType):
		f, _ := plistval.AsReal(v)
		return json.Number(plistval.FormatReal(f))
	case t.Equals(plistval.DateType):
		d, _ := plistval.AsDate(v)
		return d.Format(time.RFC3339)
	case t.Equals(plistval.DataType):
		d, _ := plistval.AsData(v)
		return base64.StdEncoding.EncodeToString(d)
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		out := make([]any, 0, v.LengthInt())
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			var p []string
			if et := ev.Type(); !et.IsPrimitiveType() && !et.IsCapsuleType() {
				// Only what has members asks skip about paths.
				p = append(path, strconv.Itoa(i))
			}
			out = append(out, toJSON(ev, p, skip))
		}
		return out
	case t.IsObjectType() || t.IsMapType():
		keys := sortedKeys(v)
		out := make(map[string]any, len(keys))
		for _, k := range keys {
			// The members' paths share one array, each written over
			// the last's: skip keeps none of them.
			p := append(path, k)
			if skip != nil && skip(p) {
				continue
			}
			out[k] = toJSON(index(v, k), p, skip)
		}
		return out
	}
	return v.GoString()
}
