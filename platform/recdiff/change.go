package recdiff

import (
	"strings"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
)

// A Change is one resource whose records differ between two generations.
type Change struct {
	// ID is the resource's ID, as plans name it ("user:alice").
	ID string `json:"id"`
	// Kind is the resource kind ("user", "unit", "defaults").
	Kind string `json:"kind"`
	// Action is platform.Create (only b records it), platform.Delete
	// (only a) or platform.Update (both, differently).
	Action platform.Action `json:"action"`
	// Fields are what differs (Update), or what the one generation
	// records, in After (Create) or Before (Delete); none is fine.
	Fields []Field `json:"fields"`
}

// A Field is one recorded value of a resource, as text for people.
type Field struct {
	// Name is the field ("shell", "exec_start", "environment.PORT"); ""
	// for a resource that is one value (a host name, a preference).
	Name string `json:"name,omitempty"`
	// Before is a's value and After b's; None when a side has no value.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Sensitive: the values looked secret and were replaced with
	// Hidden.
	Sensitive bool `json:"sensitive,omitempty"`
}

// None is the value of a field one side does not have.
const None = "(none)"

// Hidden replaces a value that looks secret.
const Hidden = "(sensitive)"

// NewField makes the field name with values before and after (None for
// an absent one), hiding the values that look secret (LooksSecret): both
// when the name is a secret's, else each value that looks secret itself
// (exec_start: /usr/bin/app → (sensitive)).
func NewField(name, before, after string) Field {
	return valueField(name, name, before, after)
}

// Value makes the field of a resource that is one value (no name), whose
// secrecy is judged with key, what names the value (a preference's key).
func Value(key, before, after string) Field {
	return valueField("", key, before, after)
}

func valueField(name, key, before, after string) Field {
	f := Field{Name: name, Before: before, After: after}
	if LooksSecret(key, "") {
		return Hide(f)
	}
	if LooksSecret("", before) {
		f.Sensitive, f.Before = true, Hidden
	}
	if LooksSecret("", after) {
		f.Sensitive, f.After = true, Hidden
	}
	return f
}

// Hide returns f with its values replaced with Hidden (None stays None),
// for values a provider knows or judges secret.
func Hide(f Field) Field {
	f.Sensitive = true
	if f.Before != "" && f.Before != None {
		f.Before = Hidden
	}
	if f.After != "" && f.After != None {
		f.After = Hidden
	}
	return f
}

// Fields collects the fields of one resource that differ.
type Fields []Field

// Add appends NewField(name, before, after) when before and after
// differ.
func (fs *Fields) Add(name, before, after string) {
	if before != after {
		*fs = append(*fs, NewField(name, before, after))
	}
}

// Created is the Change of a resource only b records; fields describe it
// (their After, or a Value's).
func Created(id, kind string, fields ...Field) Change {
	return Change{ID: id, Kind: kind, Action: platform.Create, Fields: fields}
}

// Deleted is the Change of a resource only a records; fields describe it
// (their Before).
func Deleted(id, kind string, fields ...Field) Change {
	return Change{ID: id, Kind: kind, Action: platform.Delete, Fields: fields}
}

// Updated appends the Change of a resource both record to cs when fields
// is not empty, and returns cs.
func Updated(cs []Change, id, kind string, fields Fields) []Change {
	if len(fields) == 0 {
		return cs
	}
	return append(cs, Change{ID: id, Kind: kind, Action: platform.Update, Fields: fields})
}

// OneValue appends to cs the Change of a resource that is one value (a
// host name, a setting) when a and b record it differently, and returns
// cs. A nil value is a generation that does not manage the resource.
func OneValue(cs []Change, id, kind string, a, b *string) []Change {
	switch {
	case a == nil && b == nil:
		return cs
	case a == nil:
		return append(cs, Created(id, kind, Value("", "", *b)))
	case b == nil:
		return append(cs, Deleted(id, kind, Value("", *a, "")))
	case *a == *b:
		return cs
	}
	return Updated(cs, id, kind, Fields{Value("", *a, *b)})
}

// List shows a list of values in a field: "a, b"; None when empty.
func List(vs []string) string {
	if len(vs) == 0 {
		return None
	}
	return strings.Join(vs, ", ")
}

// Short is the first 8 characters of a hash, as plans show contents.
func Short(hash string) string {
	if len(hash) > 8 {
		return hash[:8]
	}
	if hash == "" {
		return None
	}
	return hash
}

// Summary counts changes as the plan's summary line does.
func Summary(cs []Change) generations.Summary {
	var s generations.Summary
	for _, c := range cs {
		switch c.Action {
		case platform.Create:
			s.Add++
		case platform.Update:
			s.Change++
		case platform.Delete, platform.Restore:
			s.Remove++
		}
	}
	return s
}
