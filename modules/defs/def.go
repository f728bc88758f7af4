package defs

import (
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Priorities, as in the NixOS module system: the lowest number wins.
const (
	PriorityForce         = 50
	PriorityPlain         = 100
	PriorityDefault       = 1000
	PriorityOptionDefault = 1500
)

// List orders: before() < plain < after().
const (
	OrderBefore = 500
	OrderPlain  = 1000
	OrderAfter  = 1500
)

// A Def is one definition of the value at Path.
type Def struct {
	// Path is where the definition goes, every key in Unicode NFC, as
	// go-cty keeps object keys and strings.
	Path optpath.Path
	// Spelled is Path as written, when a key in it was written in
	// another Unicode normalization (".cafe\u0301" for ".caf\u00e9");
	// nil otherwise. Two spellings of one key are an error.
	Spelled optpath.Path
	// Expr is the value's expression; nil when Value is set instead
	// (a definition split off an evaluated object).
	Expr  hcl.Expression
	Value cty.Value
	// Module is where the definition is written (its locals and folder
	// apply).
	Module *loader.Module
	// Range is the value's source range.
	Range hcl.Range
	// Keys is where the last key of Path is written for this
	// definition, linked to the keys before it (see KeyRange); nil for
	// an option's default and for a definition split off an evaluated
	// object, whose keys come out of the value at Range.
	Keys *Key
	// OptionDefault is set for the definition evaluation adds for an
	// option's default; Range is then the default's expression.
	OptionDefault bool
	// Levels are the priorities and orders the wrappers gave, each at
	// the depth (length of path) where it applies: a wrapper around a
	// whole option value applies at that option, not to the keys inside
	// it (NixOS filters priorities per option and per key). At any other
	// depth the definition counts as plain.
	Levels []Level
	// Conds must all be true for the definition to count.
	Conds []Cond
	// Marker is set for the empty-object definition a block or object
	// constructor leaves at an attribute set or submodule.
	Marker bool
	// Seq orders definitions: module order, then source order.
	Seq int
}

// A Key is where one key of a definition's path is written: a block's
// type or label, an attribute's name, an object constructor's key. It
// links to the key before it, so the definitions of one block share
// their keys' ranges.
type Key struct {
	Range hcl.Range
	// Depth is the key's position in the path, from 1.
	Depth  int
	Parent *Key
}

// KeyRange returns where the definition writes the key at depth n of its
// path (1 for the first key); false when it writes no such key.
func (d *Def) KeyRange(n int) (hcl.Range, bool) {
	for k := d.Keys; k != nil; k = k.Parent {
		if k.Depth == n {
			return k.Range, true
		}
	}
	return hcl.Range{}, false
}

// A Level is a priority and an order at one depth.
type Level struct {
	Depth    int
	Priority int
	Order    int
}

// PriorityAt is the definition's priority at a depth.
func (d *Def) PriorityAt(depth int) int {
	for _, l := range d.Levels {
		if l.Depth == depth {
			return l.Priority
		}
	}
	return PriorityPlain
}

// OrderAt is the definition's list order at a depth.
func (d *Def) OrderAt(depth int) int {
	for _, l := range d.Levels {
		if l.Depth == depth {
			return l.Order
		}
	}
	return OrderPlain
}

// A Cond is a condition (`when`) and the module it is written in.
type Cond struct {
	Expr   hcl.Expression
	Module *loader.Module
}

// A Check is an assert or warn block.
type Check struct {
	Warn      bool
	Condition hcl.Expression
	Message   hcl.Expression
	Module    *loader.Module
}

// A Collection is everything the modules define.
type Collection struct {
	Defs []*Def
	// Locals are each module's `locals` attributes by name.
	Locals map[*loader.Module]map[string]hcl.Expression
	Checks []*Check
}
