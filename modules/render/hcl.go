package render

import (
	"encoding/base64"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gocfg/gocfg/modules/objects"
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
	writeMembers(&b, obj, sortedKeys(obj), 0)
	return strings.TrimPrefix(b.String(), "\n") + "\n"
}

// maxLine is the width past which a list is written one element a line.
const maxLine = 80

// writeMembers writes one `key = value` line per key, each on a new line
// at indent, aligning the = of consecutive one-line values as terraform
// fmt does.
func writeMembers(b *strings.Builder, v cty.Value, keys []string, indent int) {
	pad := strings.Repeat("  ", indent)
	vals := make([]string, len(keys))
	for i, k := range keys {
		var vb strings.Builder
		writeValue(&vb, index(v, k), indent)
		vals[i] = vb.String()
	}
	for i := 0; i < len(keys); {
		// A run of one-line values shares one alignment.
		j, width := i, 0
		for j < len(keys) && !strings.Contains(vals[j], "\n") {
			if w := len(key(keys[j])); w > width {
				width = w
			}
			j++
		}
		if j == i {
			j = i + 1
		}
		for ; i < j; i++ {
			k := key(keys[i])
			if !strings.Contains(vals[i], "\n") {
				k += strings.Repeat(" ", width-len(k))
			}
			b.WriteString("\n" + pad + k + " = " + vals[i])
		}
	}
}

func inlineList(v cty.Value) string {
	var b strings.Builder
	b.WriteByte('[')
	i := 0
	for it := v.ElementIterator(); it.Next(); i++ {
		_, ev := it.Element()
		if i > 0 {
			b.WriteString(", ")
		}
		writeValue(&b, ev, -1)
	}
	b.WriteByte(']')
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
		if indent < 0 || allScalars(v) {
			line := inlineList(v)
			if indent < 0 || len(line)+2*indent <= maxLine {
				b.WriteString(line)
				return
			}
		}
		b.WriteByte('[')
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			b.WriteString("\n" + strings.Repeat("  ", indent+1))
			writeValue(b, ev, indent+1)
			b.WriteByte(',')
		}
		b.WriteString("\n" + strings.Repeat("  ", indent) + "]")
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
		writeMembers(b, v, keys, indent+1)
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
		return objects.Attr(v, k)
	}
	return v.Index(cty.StringVal(k))
}

func sortedKeys(v cty.Value) []string {
	return appendSortedKeys(nil, v)
}

// appendSortedKeys appends the keys of object or map v to dst, sorted
// (dst's own elements stay as they are).
func appendSortedKeys(dst []string, v cty.Value) []string {
	base := len(dst)
	if v.Type().IsObjectType() {
		atys := v.Type().AttributeTypes()
		dst = slices.Grow(dst, len(atys))
		for k := range atys {
			dst = append(dst, k)
		}
	} else {
		for it := v.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			dst = append(dst, k.AsString())
		}
	}
	sort.Strings(dst[base:])
	return dst
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
