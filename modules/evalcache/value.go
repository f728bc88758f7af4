package evalcache

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// EncodeValue encodes a plist-typed Go value as plistval.ToGo makes it
// (nil, bool, string, int64, uint64, float64, time.Time, []byte, []any,
// map[string]any) for an Entry's Outputs; DecodeValue gives it back.
func EncodeValue(v any) ([]byte, error) {
	var w writer
	if err := w.value(v); err != nil {
		return nil, err
	}
	return w.b, nil
}

// DecodeValue decodes what EncodeValue made.
func DecodeValue(b []byte) (any, error) {
	r := reader{b: b}
	v := r.value(0)
	if r.err != nil || len(r.b) != 0 {
		return nil, errDamaged
	}
	return v, nil
}

const (
	tagNil = iota
	tagFalse
	tagTrue
	tagString
	tagInt
	tagUint
	tagFloat
	tagDate
	tagData
	tagList
	tagMap
)

func (w *writer) value(v any) error {
	switch v := v.(type) {
	case nil:
		w.uint(tagNil)
	case bool:
		if v {
			w.uint(tagTrue)
		} else {
			w.uint(tagFalse)
		}
	case string:
		w.uint(tagString)
		w.str(v)
	case int64:
		w.uint(tagInt)
		w.int(v)
	case uint64:
		w.uint(tagUint)
		w.uint(v)
	case float64:
		w.uint(tagFloat)
		w.uint(math.Float64bits(v))
	case time.Time:
		w.uint(tagDate)
		w.int(v.Unix())
		w.int(int64(v.Nanosecond()))
	case []byte:
		w.uint(tagData)
		w.bytes(v)
	case []any:
		w.uint(tagList)
		w.uint(uint64(len(v)))
		for _, e := range v {
			if err := w.value(e); err != nil {
				return err
			}
		}
	case map[string]any:
		w.uint(tagMap)
		w.uint(uint64(len(v)))
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			w.str(k)
			if err := w.value(v[k]); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("evalcache: cannot encode a %T", v)
	}
	return nil
}

// maxDepth bounds the nesting DecodeValue accepts.
const maxDepth = 1000

func (r *reader) value(depth int) any {
	if depth > maxDepth {
		r.err = errDamaged
	}
	if r.err != nil {
		return nil
	}
	switch r.uint() {
	case tagNil:
		return nil
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagString:
		return r.str()
	case tagInt:
		return r.int()
	case tagUint:
		return r.uint()
	case tagFloat:
		return math.Float64frombits(r.uint())
	case tagDate:
		sec, ns := r.int(), r.int()
		return time.Unix(sec, ns).UTC()
	case tagData:
		return append([]byte{}, r.take(r.count())...)
	case tagList:
		n := r.count()
		l := make([]any, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			l = append(l, r.value(depth+1))
		}
		return l
	case tagMap:
		n := r.count()
		m := make(map[string]any, n)
		for i := 0; i < n && r.err == nil; i++ {
			k := r.str()
			m[k] = r.value(depth + 1)
		}
		return m
	}
	r.err = errDamaged
	return nil
}
