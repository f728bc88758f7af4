package prefs

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	json "github.com/goccy/go-json"

	"howett.net/plist"
)

// A Value is a plist value (see Normalize) that records and journals keep
// as its plist XML, the one text form that loses none of its types.
type Value struct{ V any }

// MarshalJSON writes the value as a plist XML document in a JSON string.
func (v Value) MarshalJSON() ([]byte, error) {
	x, err := EncodeXML(v.V)
	if err != nil {
		return nil, err
	}
	return json.Marshal(string(x))
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (v *Value) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	var x any
	if _, err := plist.Unmarshal([]byte(s), &x); err != nil {
		return fmt.Errorf("plist value: %w", err)
	}
	v.V = Normalize(x)
	return nil
}

// EncodeXML returns v as a plist XML document, as `defaults write` takes
// it.
func EncodeXML(v any) ([]byte, error) {
	out, err := plist.Marshal(v, plist.XMLFormat)
	if err != nil {
		return nil, fmt.Errorf("encode %s as a plist: %w", Show(v), err)
	}
	return out, nil
}

// Normalize turns a decoded plist value into the forms this package
// compares and writes: int64 (uint64 only above int64), float64 (a
// float32 widened), bool, string, time.Time (UTC), []byte, []any and
// map[string]any. Nil members of maps (unset in the configuration) are
// dropped.
func Normalize(v any) any {
	switch x := v.(type) {
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint32:
		return int64(x)
	case float32:
		return float64(x)
	case time.Time:
		return x.UTC()
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			out = append(out, Normalize(e))
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if e == nil {
				continue
			}
			out[k] = Normalize(e)
		}
		return out
	}
	return v
}

// Equal reports whether two plist values are the same preference:
// numbers by value whatever their types (a real that went through a
// float32 compares at float32 precision), dates to the second, arrays in
// order, dicts by keys.
func Equal(a, b any) bool {
	a, b = Normalize(a), Normalize(b)
	if an, ok := num(a); ok {
		bn, ok := num(b)
		return ok && numEqual(an, bn)
	}
	switch x := a.(type) {
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Truncate(time.Second).Equal(y.Truncate(time.Second))
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !Equal(xv, yv) {
				return false
			}
		}
		return true
	case nil:
		return b == nil
	}
	return false
}

// number is a plist number: exact for integers, float for reals.
type number struct {
	isInt bool
	i     int64
	u     uint64 // above MaxInt64
	big   bool
	f     float64
}

func num(v any) (number, bool) {
	switch x := v.(type) {
	case int64:
		return number{isInt: true, i: x, f: float64(x)}, true
	case uint64:
		return number{isInt: true, u: x, big: true, f: float64(x)}, true
	case float64:
		return number{f: x}, true
	}
	return number{}, false
}

func numEqual(a, b number) bool {
	if a.isInt && b.isInt {
		return a.big == b.big && a.i == b.i && a.u == b.u
	}
	if a.f == b.f {
		return true
	}
	// A real stored as a 4-byte float reads back as float32: 0.15 is then
	// 0.15000000596046448. The same value at float32 precision is the
	// same preference.
	return float32(a.f) == float32(b.f) && !math.IsInf(float64(float32(a.f)), 0)
}

// Show describes a value for a plan line, at most about 60 characters:
// true, 48, 0.5 (a real always with a point: 8.0), "Nlsv", a date, data
// by size, and arrays and dicts written out when short.
func Show(v any) string {
	s := show(Normalize(v))
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "(absent)"
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eIN") {
			s += ".0"
		}
		return s
	case string:
		return strconv.Quote(x)
	case time.Time:
		return "date " + x.UTC().Format(time.RFC3339)
	case []byte:
		if len(x) <= 8 {
			return "data " + base64.StdEncoding.EncodeToString(x)
		}
		return fmt.Sprintf("data (%d bytes)", len(x))
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = show(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := slices.Sorted(maps.Keys(x))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + " = " + show(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprintf("%v", v)
}

// Check reports why v cannot be a preference value, or nil: a plist has
// no null inside arrays, and dict keys are strings.
func Check(v any) error {
	switch x := v.(type) {
	case nil:
		return fmt.Errorf("null has no plist type")
	case bool, int64, uint64, float64, string, time.Time, []byte:
		return nil
	case []any:
		for i, e := range x {
			if e == nil {
				return fmt.Errorf("[%d]: a plist array cannot hold null", i)
			}
			if err := Check(e); err != nil {
				return fmt.Errorf("[%d]%w", i, err)
			}
		}
		return nil
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) { // the first error in key order
			e := x[k]
			if e == nil {
				continue
			}
			if err := Check(e); err != nil {
				return fmt.Errorf(".%s: %w", k, err)
			}
		}
		return nil
	}
	return fmt.Errorf("%T has no plist type", v)
}
