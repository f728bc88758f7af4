package plistval

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// ToGo returns v as the Go value a plist encoder writes with the type
// the configuration meant:
//
//	bool → bool                     string → string
//	whole number → int64 (uint64 above int64)   other number → float64
//	real(x) → float64 (always <real>)           date(...) → time.Time
//	data(...) → []byte              list, tuple, set → []any
//	object, map → map[string]any    null → nil
//
// A member or element that is null stays nil, for the caller to treat as
// unset (a plist has no null). An unknown value is an error naming where
// it is.
func ToGo(v cty.Value) (any, error) { return toGo(v, "") }

func toGo(v cty.Value, at string) (any, error) {
	if v.IsNull() {
		return nil, nil
	}
	if !v.IsKnown() {
		return nil, fmt.Errorf("%svalue is not known", where(at))
	}
	t := v.Type()
	switch {
	case t == cty.Bool:
		return v.True(), nil
	case t == cty.String:
		return v.AsString(), nil
	case t == cty.Number:
		return number(v.AsBigFloat(), at)
	case t.Equals(RealType):
		f, _ := AsReal(v)
		return f, nil
	case t.Equals(DateType):
		d, _ := AsDate(v)
		return d.UTC().Truncate(time.Second), nil
	case t.Equals(DataType):
		d, _ := AsData(v)
		return d, nil
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		out := make([]any, 0, v.LengthInt())
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			g, err := toGo(ev, at+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			out = append(out, g)
		}
		return out, nil
	case t.IsObjectType() || t.IsMapType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			key := k.AsString()
			g, err := toGo(ev, join(at, key))
			if err != nil {
				return nil, err
			}
			out[key] = g
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s%s values have no plist type", where(at), t.FriendlyName())
}

// number is a whole number as int64 (or uint64 when too big for it),
// anything else as float64.
func number(f *big.Float, at string) (any, error) {
	if f.IsInt() {
		if i, acc := f.Int64(); acc == big.Exact {
			return i, nil
		}
		if u, acc := f.Uint64(); acc == big.Exact {
			return u, nil
		}
		return nil, fmt.Errorf("%snumber %s is too big for a plist integer", where(at), f.Text('g', -1))
	}
	g, _ := f.Float64()
	if math.IsInf(g, 0) {
		return nil, fmt.Errorf("%snumber %s is too big for a plist real", where(at), f.Text('g', -1))
	}
	return g, nil
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

func where(at string) string {
	if at == "" {
		return ""
	}
	return at + ": "
}
