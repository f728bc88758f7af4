package platform

import (
	"reflect"
	"testing"
)

// TestSplitApplied: a resources.json as gocfg writes it is split without
// json.Unmarshal, into the records json.Unmarshal finds; anything else is
// left to it.
func TestSplitApplied(t *testing.T) {
	for _, data := range []string{
		`{"version":1,"records":{"files":{"files":[],"dirs":[]},"hostname":{},"names":null}}`,
		`{"version":1,"records":{}}`,
		" {\n \"records\" : { \"a\" : { \"x\" : [ 1 , \"}\\\"]\\\\\" , { } ] } , \"b\" : null } ,\n\"version\" : 1 }\n",
		`{"version":1,"records":{"files":{"s":"\\","t":"\"{"},"users":{"u":[{"a":true,"b":false,"c":-1.5e3}]}}}`,
	} {
		got, ok := splitApplied([]byte(data))
		want, err := decodeApplied("r", []byte(data))
		if !ok || err != nil {
			t.Errorf("splitApplied(%q): ok %v, json: %v", data, ok, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("splitApplied(%q) = %q, want %q", data, got, want)
		}
	}
	for _, data := range []string{
		``,
		`{"version":1,"records":{"files":{}}`, // truncated
		`{"version":1,"records":{"files":{}},"version":1}`,         // twice
		`{"version":1,"records":{"a":{},"a":{}}}`,                  // twice
		`{"version":1,"records":{"a\u0062":{}}}`,                   // escaped name
		`{"Version":1,"records":{}}`,                               // json matches it
		`{"version":1,"records":{},"more":2}`,                      // ignored by json
		`{"version":2,"records":{}}`,                               // another version
		`{"version":1.0,"records":{}}`,                             // not an integer
		`{"version":1,"records":{"files":[]}}`,                     // not an object
		`{"version":1,"records":{"files":"x"}}`,                    //
		`{"version":1,"records":null}`,                             //
		`{"version":1}`,                                            //
		`{"version":1,"records":{"files":{"a":1}}} {}`,             // two values
		`{"version":1,"records":{"files":{"a":"` + "\x01" + `"}}}`, // invalid JSON
	} {
		if a, ok := splitApplied([]byte(data)); ok {
			t.Errorf("splitApplied(%q) = %q, want it left to json.Unmarshal", data, a)
		}
	}
}

// TestSplitInvalid: split, which runs while json.Valid checks the file,
// stops on anything that is not JSON without reading out of it: every
// prefix of a resources.json, and bytes of it changed.
func TestSplitInvalid(t *testing.T) {
	doc := []byte(`{"version":1,"records":{"files":{"files":[{"path":"/a\\\"b","uid":-1}],"dirs":[]},"hostname":{},"x":null}} `)
	for i := range doc {
		split(doc[:i])
		for _, c := range []byte(`{}[]":,\ x1`) {
			b := append([]byte(nil), doc...)
			b[i] = c
			split(b)
		}
	}
}

// FuzzSplitApplied: what splitApplied accepts, json.Unmarshal reads the
// same.
func FuzzSplitApplied(f *testing.F) {
	f.Add([]byte(`{"version":1,"records":{"files":{"files":[{"path":"a\"b"}],"dirs":[]},"hostname":{},"names":null}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := splitApplied(data)
		if !ok {
			return
		}
		want, err := decodeApplied("r", data)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("splitApplied(%q) = %q; json: %q, %v", data, got, want, err)
		}
	})
}
