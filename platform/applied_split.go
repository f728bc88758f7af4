package platform

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	json "github.com/goccy/go-json"
)

// splitApplied reads a resources.json as gocfg writes it without copying
// it: json.Unmarshal into a map of json.RawMessage copied the whole file
// twice (5 MB each for 10,000 dotfiles, on every switch), and each
// provider's DecodeRecords decodes its part anyway. Each record is a
// slice of data. ok is false for anything but valid JSON holding exactly
// "version" (resourcesVersion) and "records" (an object of objects or
// nulls, its names ASCII without escapes, each once): DecodeAppliedFile then
// decodes it with json.Unmarshal, whose answer (or error) is the
// reference.
func splitApplied(data []byte) (a Applied, ok bool) {
	// The file is validated while it is split (the split is kept only
	// when it is valid JSON): two passes over 5 MB, on two cores.
	valid := make(chan bool, 1)
	go func() { valid <- json.Valid(data) }()
	a, ok = split(data)
	if !<-valid || !ok {
		return nil, false
	}
	return a, true
}

// split is splitApplied for valid JSON. Any other data gives a result
// (ok or not) that is not used.
func split(data []byte) (a Applied, ok bool) {
	s := &splitter{data: data}
	var version, records bool
	ok = s.object(func(key string) bool {
		switch {
		case key == "version" && !version:
			version = true
			v := s.value()
			n, err := strconv.Atoi(string(v))
			return err == nil && n == resourcesVersion
		case key == "records" && !records:
			records = true
			a = Applied{}
			return s.object(func(name string) bool {
				if _, dup := a[name]; dup {
					return false
				}
				v := s.value()
				if len(v) == 0 || v[0] != '{' && string(v) != "null" {
					return false
				}
				a[name] = v
				return true
			})
		}
		return false
	})
	if !ok || !version || !records {
		return nil, false
	}
	return a, true
}

// A splitter walks valid JSON; on anything else it stops (without
// reading out of data) with an answer that is not used.
type splitter struct {
	data []byte
	i    int
}

func (s *splitter) ws() {
	for s.i < len(s.data) && (s.data[s.i] == ' ' || s.data[s.i] == '\t' || s.data[s.i] == '\n' || s.data[s.i] == '\r') {
		s.i++
	}
}

// object reads an object whose keys are ASCII without escapes (as
// json.Unmarshal reads them: no U+FFFD for invalid UTF-8), calling field
// with s at each key's value.
func (s *splitter) object(field func(key string) bool) bool {
	s.ws()
	if s.i >= len(s.data) || s.data[s.i] != '{' {
		return false
	}
	s.i++
	for {
		s.ws()
		if s.i >= len(s.data) {
			return false
		}
		switch s.data[s.i] {
		case '}':
			s.i++
			return true
		case ',':
			s.i++
			s.ws()
		}
		if s.i >= len(s.data) || s.data[s.i] != '"' {
			return false
		}
		start := s.i + 1
		s.i = skipString(s.data, start)
		if s.i-1 < start {
			return false
		}
		key := s.data[start : s.i-1]
		for _, c := range key {
			if c == '\\' || c >= utf8.RuneSelf {
				return false
			}
		}
		s.ws()
		s.i++ // the colon
		s.ws()
		if !field(string(key)) {
			return false
		}
	}
}

// value returns the value at s.i and moves past it.
func (s *splitter) value() []byte {
	s.ws()
	start := s.i
	depth := 0
	for s.i < len(s.data) {
		switch c := s.data[s.i]; c {
		case '"':
			s.i = skipString(s.data, s.i+1)
			if depth == 0 {
				return s.data[start:s.i]
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return s.data[start:s.i]
			}
			depth--
			if depth == 0 {
				s.i++
				return s.data[start:s.i]
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return s.data[start:s.i]
			}
		}
		s.i++
	}
	return s.data[start:s.i]
}

// skipString returns the index after the closing quote of the string
// whose content starts at i.
func skipString(data []byte, i int) int {
	for {
		j := bytes.IndexByte(data[i:], '"')
		if j < 0 {
			return len(data)
		}
		k := i + j
		n := 0
		for k-1-n >= i && data[k-1-n] == '\\' {
			n++
		}
		i = k + 1
		if n%2 == 0 {
			return i
		}
	}
}
