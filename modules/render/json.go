package render

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules/elements"
	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/zclconf/go-cty/cty"
)

// Skip says whether the member at path (keys from the value's root;
// list elements as their index) is left out of the output. path is
// valid only during the call: its array is reused for the next member.
type Skip func(path []string) bool

// AppendJSON appends v to dst as indented JSON (two spaces, a newline
// at the end: what encoding/json's Encoder writes with SetIndent("",
// "  ") and SetEscapeHTML(false)): objects, arrays, strings, numbers,
// booleans and null, object keys sorted. Members for which skip (may be
// nil) says so are left out.
//
// It writes the value as it walks it, instead of building a map and
// handing it to an encoder, which then sorts the keys again: for an
// evaluation of 1,000 modules that was a tenth of `gocfg eval --json`.
// A string that needs escaping is quoted by the JSON library. A number
// that JSON cannot hold (a plist real that is NaN or infinite) is an
// error, as the encoder's.
//
// The output is written in chunks and copied once into a slice of its
// exact size: growing one slice by append, for the half a megabyte of a
// large configuration, allocated four times that (append grows a large
// slice by a quarter at a time, and every step is a new array).
func AppendJSON(dst []byte, v cty.Value, skip Skip) ([]byte, error) {
	w := jsonWriter{buf: dst, skip: skip}
	// The paths of members share this array (deeper ones grow it).
	if err := w.value(v, make([]string, 0, 16), 0); err != nil {
		return dst, err
	}
	w.writeByte('\n')
	return w.bytes(), nil
}

// A jsonWriter appends one value as JSON to buf.
type jsonWriter struct {
	// buf is the chunk being written; full is the chunks before it
	// (the first one starts with dst), of fullLen bytes in all.
	buf     []byte
	full    [][]byte
	fullLen int
	skip    Skip
	// quote quotes the strings that need escaping (encoding to quoted).
	quote  *json.Encoder
	quoted bytes.Buffer
	// keys holds the sorted keys of the objects being written, the
	// innermost last, so that one array serves every object.
	keys []string
}

// Chunks start small, for the short values of one option path, and
// double up to maxChunk, which bounds the room left unused at the end.
const (
	minChunk = 512
	maxChunk = 32 << 10
)

// room makes room in buf for n more bytes: while it has the room,
// appends write in place; else buf is set aside as full and a new chunk
// started (never smaller than n, so that no append in it reallocates).
func (w *jsonWriter) room(n int) {
	if len(w.buf)+n <= cap(w.buf) {
		return
	}
	size := min(max(2*cap(w.buf), minChunk), maxChunk)
	if len(w.buf) > 0 {
		w.full = append(w.full, w.buf)
		w.fullLen += len(w.buf)
	}
	w.buf = make([]byte, 0, max(size, n))
}

// bytes returns what was written, in one slice: buf itself if it is the
// only chunk (dst, appended to in place, or the first chunk).
func (w *jsonWriter) bytes() []byte {
	if len(w.full) == 0 {
		return w.buf
	}
	out := make([]byte, 0, w.fullLen+len(w.buf))
	for _, c := range w.full {
		out = append(out, c...)
	}
	return append(out, w.buf...)
}

// chunks returns what was written, in the chunks it was written in.
func (w *jsonWriter) chunks() [][]byte {
	if len(w.buf) == 0 {
		return w.full
	}
	return append(w.full, w.buf)
}

// write appends s to buf.
func (w *jsonWriter) write(s string) {
	w.room(len(s))
	w.buf = append(w.buf, s...)
}

// writeByte appends c to buf.
func (w *jsonWriter) writeByte(c byte) {
	w.room(1)
	w.buf = append(w.buf, c)
}

func (w *jsonWriter) value(v cty.Value, path []string, depth int) error {
	if v.IsNull() || !v.IsKnown() {
		w.write("null")
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return w.string(v.AsString())
	case t == cty.Number:
		return w.number(v.AsBigFloat())
	case t == cty.Bool:
		w.room(len("false"))
		w.buf = strconv.AppendBool(w.buf, v.True())
		return nil
	case t.Equals(plistval.RealType):
		f, _ := plistval.AsReal(v)
		s := plistval.FormatReal(f)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("json: invalid number literal %q", s)
		}
		w.write(s)
		return nil
	case t.Equals(plistval.DateType):
		d, _ := plistval.AsDate(v)
		return w.string(d.Format(time.RFC3339))
	case t.Equals(plistval.DataType):
		d, _ := plistval.AsData(v)
		return w.string(base64.StdEncoding.EncodeToString(d))
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		if v.LengthInt() == 0 {
			w.write("[]")
			return nil
		}
		w.writeByte('[')
		var err error
		elements.Each(v, func(i int, ev cty.Value) bool {
			var p []string
			if et := ev.Type(); !et.IsPrimitiveType() && !et.IsCapsuleType() {
				// Only what has members asks skip about paths.
				p = append(path, strconv.Itoa(i))
			}
			if i > 0 {
				w.writeByte(',')
			}
			w.newline(depth + 1)
			err = w.value(ev, p, depth+1)
			return err == nil
		})
		if err != nil {
			return err
		}
		w.newline(depth)
		w.writeByte(']')
		return nil
	case t.IsObjectType() || t.IsMapType():
		w.writeByte('{')
		// This object's keys go on top of keys, above those of the
		// objects it is in; its members' go above them and are gone
		// when each returns, so one array serves the whole value.
		base := len(w.keys)
		w.keys = appendSortedKeys(w.keys, v)
		n, err := w.members(v, base, len(w.keys), path, depth, true)
		if err != nil {
			return err
		}
		w.keys = w.keys[:base]
		if n > 0 {
			w.newline(depth)
		}
		w.writeByte('}')
		return nil
	}
	return w.string(v.GoString())
}

// members writes the members of object or map v (at path and depth)
// whose keys are w.keys[from:to], but those skip leaves out, each on a
// line of its own after a comma (none before the first one written
// when first), and returns how many it wrote.
func (w *jsonWriter) members(v cty.Value, from, to int, path []string, depth int, first bool) (int, error) {
	n := 0
	for i := from; i < to; i++ {
		k := w.keys[i]
		// The members' paths share one array, each written over the
		// last's: skip keeps none of them.
		p := append(path, k)
		if w.skip != nil && w.skip(p) {
			continue
		}
		if n > 0 || !first {
			w.writeByte(',')
		}
		n++
		w.newline(depth + 1)
		if err := w.string(k); err != nil {
			return n, err
		}
		w.write(": ")
		if err := w.value(index(v, k), p, depth+1); err != nil {
			return n, err // (an error ends the whole writing)
		}
	}
	return n, nil
}

// newline starts a line indented for depth.
func (w *jsonWriter) newline(depth int) {
	w.room(1 + 2*depth)
	w.buf = append(w.buf, '\n')
	for range depth {
		w.buf = append(w.buf, "  "...)
	}
}

// number writes f as an integer when it is one, else in the shortest
// form that reads back the same (Number).
func (w *jsonWriter) number(f *big.Float) error {
	if f.IsInf() {
		return fmt.Errorf("json: invalid number literal %q", Number(f))
	}
	if f.IsInt() {
		if i, acc := f.Int64(); acc == big.Exact {
			w.room(len("-9223372036854775808"))
			w.buf = strconv.AppendInt(w.buf, i, 10)
			return nil
		}
	}
	w.write(Number(f))
	return nil
}

// string writes s quoted. Printable ASCII other than the quote and the
// backslash is written as it is; anything else is quoted by the JSON
// library, so escapes are its own (control characters, U+2028 and
// U+2029, invalid UTF-8).
func (w *jsonWriter) string(s string) error {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		w.room(len(s) + 2)
		w.buf = append(w.buf, '"')
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, '"')
		return nil
	}
	if w.quote == nil {
		w.quote = json.NewEncoder(&w.quoted)
		w.quote.SetEscapeHTML(false)
	}
	w.quoted.Reset()
	if err := w.quote.Encode(s); err != nil {
		return err
	}
	q := bytes.TrimSuffix(w.quoted.Bytes(), []byte{'\n'})
	w.room(len(q))
	w.buf = append(w.buf, q...)
	return nil
}
