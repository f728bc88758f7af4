package plistval

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// Real is a number that is always a plist <real>.
type Real float64

// Date is a plist <date>.
type Date time.Time

// Data is a plist <data>.
type Data []byte

// RealType, DateType and DataType are the cty capsule types of the values.
var (
	RealType = cty.CapsuleWithOps("real", reflect.TypeOf(Real(0)), &cty.CapsuleOps{
		Equals: func(a, b any) cty.Value {
			return cty.BoolVal(*a.(*Real) == *b.(*Real))
		},
		RawEquals: func(a, b any) bool { return *a.(*Real) == *b.(*Real) },
		GoString: func(v any) string {
			return fmt.Sprintf("plistval.RealVal(%v)", float64(*v.(*Real)))
		},
		TypeGoString: func(reflect.Type) string { return "plistval.RealType" },
	})
	DateType = cty.CapsuleWithOps("date", reflect.TypeOf(Date{}), &cty.CapsuleOps{
		Equals: func(a, b any) cty.Value {
			return cty.BoolVal(time.Time(*a.(*Date)).Equal(time.Time(*b.(*Date))))
		},
		RawEquals: func(a, b any) bool {
			return time.Time(*a.(*Date)).Equal(time.Time(*b.(*Date)))
		},
		GoString: func(v any) string {
			return fmt.Sprintf("plistval.DateVal(%q)", time.Time(*v.(*Date)).Format(time.RFC3339))
		},
		TypeGoString: func(reflect.Type) string { return "plistval.DateType" },
	})
	DataType = cty.CapsuleWithOps("data", reflect.TypeOf(Data(nil)), &cty.CapsuleOps{
		Equals: func(a, b any) cty.Value {
			return cty.BoolVal(bytes.Equal(*a.(*Data), *b.(*Data)))
		},
		RawEquals: func(a, b any) bool { return bytes.Equal(*a.(*Data), *b.(*Data)) },
		GoString: func(v any) string {
			return fmt.Sprintf("plistval.DataVal(%q)", base64.StdEncoding.EncodeToString(*v.(*Data)))
		},
		TypeGoString: func(reflect.Type) string { return "plistval.DataType" },
	})
)

// RealVal makes a real value.
func RealVal(f float64) cty.Value {
	r := Real(f)
	return cty.CapsuleVal(RealType, &r)
}

// DateVal makes a date value.
func DateVal(t time.Time) cty.Value {
	d := Date(t.UTC())
	return cty.CapsuleVal(DateType, &d)
}

// DataVal makes a data value.
func DataVal(b []byte) cty.Value {
	d := Data(append([]byte(nil), b...))
	return cty.CapsuleVal(DataType, &d)
}

// AsReal returns the float of a real value.
func AsReal(v cty.Value) (float64, bool) {
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(RealType) {
		return 0, false
	}
	return float64(*v.EncapsulatedValue().(*Real)), true
}

// AsDate returns the time of a date value.
func AsDate(v cty.Value) (time.Time, bool) {
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(DateType) {
		return time.Time{}, false
	}
	return time.Time(*v.EncapsulatedValue().(*Date)), true
}

// AsData returns the bytes of a data value.
func AsData(v cty.Value) ([]byte, bool) {
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(DataType) {
		return nil, false
	}
	return []byte(*v.EncapsulatedValue().(*Data)), true
}

// FormatReal prints a real so that it reads as one: 0.5, 1.0, 1e+21.
func FormatReal(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	for _, c := range s {
		if c == '.' || c == 'e' || c == 'n' || c == 'I' {
			return s
		}
	}
	return s + ".0"
}
