package recdiff

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// TestValues: one value a key, in two maps: created, deleted, updated,
// or nothing, in key order.
func TestValues(t *testing.T) {
	a := map[string]int{"bob": 1, "carol": 2, "dave": 3}
	b := map[string]int{"alice": 1, "carol": 2, "dave": 4}
	cs := Values(nil, "user", func(k string) string { return "x:" + k }, a, b, func(v int) string { return strings.Repeat("*", v) })
	var got []string
	for _, c := range cs {
		got = append(got, string(c.Action)+" "+c.ID+" "+c.Fields[0].Before+">"+c.Fields[0].After)
	}
	want := []string{
		string(platform.Create) + " x:alice >*",
		string(platform.Delete) + " x:bob *>",
		string(platform.Update) + " x:dave ***>****",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if cs := Values[int](nil, "user", func(k string) string { return k }, nil, nil, nil); len(cs) != 0 {
		t.Errorf("nil maps: %v", cs)
	}
}
