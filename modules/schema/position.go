package schema

// PosKind says what a configuration path is.
type PosKind int

// The kinds of positions.
const (
	// None: nothing is declared there.
	None PosKind = iota
	// Group: a group of options (no value of its own).
	Group
	// Value: an option, or a value inside one.
	Value
)

// A Position is what the schema says about one configuration path.
type Position struct {
	Kind PosKind
	// Node is the group, for Group positions.
	Node *Node
	// Type is the value's type, for Value positions.
	Type *Type
	// Option is set when an option (or sub-option) is declared exactly
	// here; its default applies.
	Option *Option
}

// Root is the position of the whole configuration.
func (t *Tree) Root() Position { return Position{Kind: Group, Node: t.root} }

// Child returns the position of key inside p.
func (t *Tree) Child(p Position, key string) Position {
	switch p.Kind {
	case Group:
		return groupChild(p.Node, key)
	case Value:
		base := p.Type.Base()
		switch base.Kind {
		case AttrsOf:
			return Position{Kind: Value, Type: base.Elem}
		case Submodule:
			return groupChild(base.Options, key)
		case Anything:
			return Position{Kind: Value, Type: base}
		}
	}
	return Position{}
}

func groupChild(n *Node, key string) Position {
	c := n.Children[key]
	switch {
	case c == nil:
		return Position{}
	case c.Option != nil:
		return Position{Kind: Value, Type: c.Option.Type, Option: c.Option}
	default:
		return Position{Kind: Group, Node: c}
	}
}

// HasKeys reports whether values at the position are made of keys that
// definitions may set one by one: groups, attribute sets, submodules.
func (p Position) HasKeys() bool {
	if p.Kind == Group {
		return true
	}
	if p.Kind != Value {
		return false
	}
	switch p.Type.Base().Kind {
	case AttrsOf, Submodule:
		return true
	}
	return false
}
