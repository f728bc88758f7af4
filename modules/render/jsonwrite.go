package render

import (
	"bytes"
	"encoding/base64"
	"sort"
	"strconv"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/zclconf/go-cty/cty"
)

// AppendJSON appends to dst the text that encoding JSON(v, skip) with
// github.com/goccy/go-json gives, indented by two spaces, HTML characters
// not escaped, with its final newline, byte for byte, and returns it. It
// writes the text as it walks v, without JSON's tree of maps and slices
// and the second sort of every object's keys that encoding it takes;
// strings and numbers beyond plain ASCII and decimal notation are still
// written by go-json, one at a time.
//
// skip may keep the path it is given only for the call: the path's
// slice is reused. The error is go-json's, for a value it cannot encode
// (an infinite number).
func AppendJSON(dst []byte, v cty.Value, skip Skip) ([]byte, error) {
	w := &jsonWriter{buf: dst, skip: skip}
	w.value(v, nil, 0)
	if w.err != nil {
		return nil, w.err
	}
	return append(w.buf, '\n'), nil
}

type jsonWriter struct {
	buf  []byte
	skip Skip
	err  error
}

func (w *jsonWriter) indent(depth int) {
	w.buf = append(w.buf, '\n')
	for range depth {
		w.buf = append(w.buf, ' ', ' ')
	}
}

func (w *jsonWriter) value(v cty.Value, path []string, depth int) {
	if v.IsNull() || !v.IsKnown() {
		w.buf = append(w.buf, "null"...)
		return
	}
	t := v.Type()
	switch {
	case t == cty.String:
		w.str(v.AsString())
	case t == cty.Number:
		w.number(Number(v.AsBigFloat()))
	case t == cty.Bool:
		w.buf = strconv.AppendBool(w.buf, v.True())
	case t.Equals(plistval.RealType):
		f, _ := plistval.AsReal(v)
		w.number(plistval.FormatReal(f))
	case t.Equals(plistval.DateType):
		d, _ := plistval.AsDate(v)
		w.str(d.Format(time.RFC3339))
	case t.Equals(plistval.DataType):
		d, _ := plistval.AsData(v)
		w.str(base64.StdEncoding.EncodeToString(d))
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		if v.LengthInt() == 0 {
			w.buf = append(w.buf, "[]"...)
			return
		}
		w.buf = append(w.buf, '[')
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			w.indent(depth + 1)
			w.value(ev, append(path, strconv.Itoa(i)), depth+1)
		}
		w.indent(depth)
		w.buf = append(w.buf, ']')
	case t.IsObjectType() || t.IsMapType():
		w.object(v, path, depth)
	default:
		w.str(v.GoString())
	}
}

func (w *jsonWriter) object(v cty.Value, path []string, depth int) {
	var keys []string
	var vals map[string]cty.Value
	if v.Type().IsObjectType() {
		keys = make([]string, 0, len(v.Type().AttributeTypes()))
		for k := range v.Type().AttributeTypes() {
			keys = append(keys, k)
		}
	} else {
		vals = v.AsValueMap()
		keys = make([]string, 0, len(vals))
		for k := range vals {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	n := 0
	for _, k := range keys {
		p := append(path, k)
		if w.skip != nil && w.skip(p) {
			continue
		}
		if n == 0 {
			w.buf = append(w.buf, '{')
		} else {
			w.buf = append(w.buf, ',')
		}
		n++
		w.indent(depth + 1)
		w.str(k)
		w.buf = append(w.buf, ':', ' ')
		if vals != nil {
			w.value(vals[k], p, depth+1)
		} else {
			w.value(v.GetAttr(k), p, depth+1)
		}
	}
	if n == 0 {
		w.buf = append(w.buf, "{}"...)
		return
	}
	w.indent(depth)
	w.buf = append(w.buf, '}')
}

// str writes a string: plain printable ASCII as it is, anything else
// as go-json escapes it.
func (w *jsonWriter) str(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			w.encoded(s)
			return
		}
	}
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '"')
}

// number writes a number's text: an integer or a plain decimal as it
// is, anything else (an exponent) as go-json writes a json.Number.
func (w *jsonWriter) number(s string) {
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '-' && i == 0:
		case c == '.' && !dot && digits > 0 && i+1 < len(s):
			dot = true
		default:
			w.encoded(json.Number(s))
			return
		}
	}
	if digits == 0 || (len(s) > 1 && s[0] == '0' && s[1] != '.') || (len(s) > 2 && s[0] == '-' && s[1] == '0' && s[2] != '.') {
		w.encoded(json.Number(s))
		return
	}
	w.buf = append(w.buf, s...)
}

// encoded writes x as go-json encodes it with JSON's settings.
func (w *jsonWriter) encoded(x any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		if w.err == nil {
			w.err = err
		}
		return
	}
	w.buf = append(w.buf, bytes.TrimSuffix(b.Bytes(), []byte{'\n'})...)
}
