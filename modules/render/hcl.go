package render

import (
	"encoding/base64"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/zclconf/go-cty/cty"
)

// Inline prints a value on one line, shortened to about max characters
// (0 = no limit).
func Inline(v cty.Value, max int) string {
	var b strings.Builder
	writeValue(&b, v, -1)
	s := b.String()
	if max > 0 && len(s) > max {
		s = s[:max-3] + "..."
	}
	return s
}

// Block prints a value over several lines, indented from indent, as the
// right-hand side of an HCL attribute.
func Block(v cty.Value, indent int) string {
	var b strings.Builder
	writeValue(&b, v, indent)
	return b.String()
}

// Attributes prints an object as the body of an HCL file: one attribute
// per key, in key order.
func Attributes(obj cty.Value) string {
	var b strings.Builder
	for _, k := range sortedKeys(obj) {
		b.WriteString(key(k))
		b.WriteString(" = ")
		writeValue(&b, obj.GetAttr(k), 0)
		b.WriteByte('\n')
	}
	return b.String()
}

// writeValue prints v; indent < 0 means on one line.
func writeValue(b *strings.Builder, v cty.Value, indent int) {
	if !v.IsKnown() {
		b.WriteString("(unknown)")
		return
	}
	if v.IsNull() {
		b.WriteString("null")
		return
	}
	t := v.Type()
	switch {
	case t == cty.String:
		b.WriteString(quote(v.AsString()))
	case t == cty.Number:
		b.WriteString(Number(v.AsBigFloat()))
	case t == cty.Bool:
		b.WriteString(strconv.FormatBool(v.True()))
	case t.Equals(plistval.RealType):
		f, _ := plistval.AsReal(v)
		b.WriteString("real(" + plistval.FormatReal(f) + ")")
	case t.Equals(plistval.DateType):
		d, _ := plistval.AsDate(v)
		b.WriteString("date(" + quote(d.Format(time.RFC3339)) + ")")
	case t.Equals(plistval.DataType):
		d, _ := plistval.AsData(v)
		b.WriteString("data(" + quote(base64.StdEncoding.EncodeToString(d)) + ")")
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		if v.LengthInt() == 0 {
			b.WriteString("[]")
			return
		}
		simple := indent < 0 || allScalars(v)
		b.WriteByte('[')
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			if simple {
				if i > 0 {
					b.WriteString(", ")
				}
				writeValue(b, ev, indent)
				continue
			}
			b.WriteString("\n" + strings.Repeat("  ", indent+1))
			writeValue(b, ev, indent+1)
			b.WriteByte(',')
		}
		if !simple {
			b.WriteString("\n" + strings.Repeat("  ", indent))
		}
		b.WriteByte(']')
	case t.IsObjectType() || t.IsMapType():
		keys := sortedKeys(v)
		if len(keys) == 0 {
			b.WriteString("{}")
			return
		}
		if indent < 0 {
			b.WriteString("{ ")
			for i, k := range keys {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(key(k) + " = ")
				writeValue(b, index(v, k), -1)
			}
			b.WriteString(" }")
			return
		}
		b.WriteByte('{')
		for _, k := range keys {
			b.WriteString("\n" + strings.Repeat("  ", indent+1) + key(k) + " = ")
			writeValue(b, index(v, k), indent+1)
		}
		b.WriteString("\n" + strings.Repeat("  ", indent) + "}")
	default:
		b.WriteString(v.GoString())
	}
}

func allScalars(v cty.Value) bool {
	for it := v.ElementIterator(); it.Next(); {
		_, ev := it.Element()
		t := ev.Type()
		if t.IsObjectType() || t.IsMapType() || t.IsListType() || t.IsTupleType() || t.IsSetType() {
			return false
		}
	}
	return true
}

func index(v cty.Value, k string) cty.Value {
	if v.Type().IsObjectType() {
		return v.GetAttr(k)
	}
	return v.Index(cty.StringVal(k))
}

func sortedKeys(v cty.Value) []string {
	var keys []string
	if v.Type().IsObjectType() {
		for k := range v.Type().AttributeTypes() {
			keys = append(keys, k)
		}
	} else {
		for it := v.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			keys = append(keys, k.AsString())
		}
	}
	sort.Strings(keys)
	return keys
}

func key(k string) string {
	if optpath.IsIdentifier(k) {
		return k
	}
	return quote(k)
}

// quote writes an HCL string literal: Go escapes, plus ${ and %{ escaped.
func quote(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

// Number prints a number exactly, as an integer when it is one.
func Number(f *big.Float) string {
	if f.IsInt() {
		i, _ := f.Int(nil)
		return i.String()
	}
	return f.Text('g', -1)
}
