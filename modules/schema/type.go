package schema

import (
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/hashicorp/hcl/v2"

	"github.com/zclconf/go-cty/cty"
)

// Kind names a type constructor.
type Kind int

// The kinds of option types.
const (
	Bool Kind = iota
	Str
	Int
	Float
	Path
	Lines
	Anything
	ListOf
	AttrsOf
	NullOr
	Uniq
	Enum
	Submodule
	// TypeOf is a reference, type_of("a.b"), replaced by option a.b's
	// type once every module's declarations are read.
	TypeOf
)

var scalarNames = map[string]Kind{
	"bool": Bool, "str": Str, "int": Int, "float": Float,
	"path": Path, "lines": Lines, "anything": Anything,
}

// A Type is an option type.
type Type struct {
	Kind Kind
	// Elem is the element type of list_of, attrs_of, null_or and uniq.
	Elem *Type
	// Values are the allowed values of an enum.
	Values []cty.Value
	// Options is the group of sub-options of a submodule.
	Options *Node
	// Ref is the option a TypeOf names, and where.
	Ref      optpath.Path
	RefRange hcl.Range
}

// String prints the type as it is written.
func (t *Type) String() string {
	switch t.Kind {
	case ListOf:
		return "list_of(" + t.Elem.String() + ")"
	case AttrsOf:
		return "attrs_of(" + t.Elem.String() + ")"
	case NullOr:
		return "null_or(" + t.Elem.String() + ")"
	case Uniq:
		return "uniq(" + t.Elem.String() + ")"
	case Submodule:
		return "submodule"
	case TypeOf:
		return "type_of(" + strconv.Quote(t.Ref.String()) + ")"
	case Enum:
		var parts []string
		for _, v := range t.Values {
			parts = append(parts, valueString(v))
		}
		return "enum([" + strings.Join(parts, ", ") + "])"
	}
	for name, k := range scalarNames {
		if k == t.Kind {
			return name
		}
	}
	return "?"
}

// Base strips null_or and uniq: the type whose shape the value has.
func (t *Type) Base() *Type {
	for t.Kind == NullOr || t.Kind == Uniq {
		t = t.Elem
	}
	return t
}

// IsScalar reports whether values of the type have no keys.
func (t *Type) IsScalar() bool {
	switch t.Base().Kind {
	case Bool, Str, Int, Float, Path, Lines, Enum, ListOf:
		return true
	}
	return false
}

// sameShape reports whether two types are the same constructors down to
// a submodule, so that their declarations can be united.
func sameShape(a, b *Type) bool {
	for a.Kind == b.Kind {
		switch a.Kind {
		case Submodule:
			return true
		case ListOf, AttrsOf, NullOr, Uniq:
			a, b = a.Elem, b.Elem
		default:
			return false
		}
	}
	return false
}

func valueString(v cty.Value) string {
	switch {
	case v.IsNull():
		return "null"
	case v.Type() == cty.String:
		return `"` + v.AsString() + `"`
	case v.Type() == cty.Number:
		return v.AsBigFloat().Text('g', -1)
	case v.Type() == cty.Bool:
		if v.True() {
			return "true"
		}
		return "false"
	}
	return v.GoString()
}
