package longjson

import (
	"bytes"
	"errors"
	"fmt"

	json "github.com/goccy/go-json"
)

// partLen is how many elements of the list are encoded at a time: the
// buffer go-json encodes a part into stays small (about 120 KB for 256
// records of files).
const partLen = 256

// A Doc is a document with one long list.
type Doc struct {
	// Whole is the document; Nil and Empty are the same document with the
	// list nil (encoded null) and empty (encoded []). They are encoded
	// once each: only their list differs from Whole's.
	Whole, Nil, Empty any
	// Len is the length of the list, and Part(lo, hi) its elements lo to
	// hi as a slice of its type.
	Len  int
	Part func(lo, hi int) any
}

// errShape says that an encoding is not of the shape Marshal splices.
var errShape = errors.New("longjson: unexpected encoding")

// Marshal returns json.Marshal(d.Whole).
func Marshal(d Doc) ([]byte, error) {
	if d.Len <= partLen {
		return json.Marshal(d.Whole)
	}
	withNil, err := json.Marshal(d.Nil)
	if err != nil {
		return nil, err
	}
	withEmpty, err := json.Marshal(d.Empty)
	if err != nil {
		return nil, err
	}
	at, ok := place(withNil, withEmpty)
	if !ok {
		return json.Marshal(d.Whole)
	}
	// The first and the last part are encoded first: the larger of their
	// sizes per element sizes the buffer, which a list whose elements
	// grow along it (the journal: folders first, links after) would
	// otherwise outgrow, and append's regrowth copies it a few times
	// over (4.5 MB for the journal of 10,000 dotfiles). The last part is
	// the same one the loop would have encoded: the parts stay aligned
	// to partLen.
	first, err := json.Marshal(d.Part(0, partLen))
	if err != nil {
		return nil, err
	}
	lastLo := (d.Len - 1) / partLen * partLen
	last, err := json.Marshal(d.Part(lastLo, d.Len))
	if err != nil {
		return nil, err
	}
	perElem := max(len(first)/partLen, len(last)/(d.Len-lastLo)) + 1
	size := len(withEmpty) + perElem*d.Len
	// An eighth more (room never written to costs no memory).
	s := &sink{buf: make([]byte, 0, size+size/8)}
	s.buf = append(s.buf, withEmpty[:at]...)
	s.buf = append(s.buf, '[')
	if err := s.add(first, false); err != nil {
		return json.Marshal(d.Whole)
	}
	enc := json.NewEncoder(s)
	for lo := partLen; lo < lastLo; lo += partLen {
		if err := enc.Encode(d.Part(lo, lo+partLen)); err != nil {
			if errors.Is(err, errShape) {
				return json.Marshal(d.Whole)
			}
			return nil, err
		}
	}
	if err := s.add(last, true); err != nil { // lastLo >= partLen: d.Len > partLen
		return json.Marshal(d.Whole)
	}
	s.buf = append(s.buf, ']')
	return append(s.buf, withEmpty[at+2:]...), nil
}

// place returns where the list is in the two encodings of a document,
// withNil (its list null) and withEmpty (its list []): the offset of the
// list in both, which they share everything before and after.
func place(withNil, withEmpty []byte) (int, bool) {
	at := 0
	for at < len(withNil) && at < len(withEmpty) && withNil[at] == withEmpty[at] {
		at++
	}
	ok := bytes.HasPrefix(withNil[at:], []byte("null")) && bytes.HasPrefix(withEmpty[at:], []byte("[]")) &&
		bytes.Equal(withNil[at+4:], withEmpty[at+2:])
	return at, ok
}

// A sink takes the encodings of the list's parts, from json.Marshal or
// json.Encoder (which ends each with a newline), and appends their
// elements to buf.
type sink struct {
	buf  []byte
	more bool // an element is in buf already
}

func (s *sink) Write(p []byte) (int, error) {
	if err := s.add(bytes.TrimSuffix(p, []byte("\n")), s.more); err != nil {
		return 0, err
	}
	return len(p), nil
}

// add appends the elements of the array a, after a comma when more.
func (s *sink) add(a []byte, more bool) error {
	if len(a) < 3 || a[0] != '[' || a[len(a)-1] != ']' {
		return fmt.Errorf("%w: %.20q", errShape, a)
	}
	if more {
		s.buf = append(s.buf, ',')
	}
	s.buf = append(s.buf, a[1:len(a)-1]...)
	s.more = true
	return nil
}
