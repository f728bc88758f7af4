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
//
// A configuration of a thousand modules has about 20,000 of them (the
// collected ones, and the option defaults an evaluation adds for every
// member of a submodule), so a Def holds only what most of them have,
// in 80 bytes; what few have (a value instead of an expression, a path
// spelled in another Unicode normalization, priorities, conditions)
// hangs off it in a [DefExtra]. Every MiB fewer is about a millisecond
// less of a cold evaluation where the host backs fresh memory anew
// (bench/README.md).
type Def struct {
	// Path is where the definition goes, every key in Unicode NFC, as
	// go-cty keeps object keys and strings.
	Path optpath.Path
	// Expr is the value's expression; nil for a marker and for a
	// definition split off an evaluated object (see Value).
	Expr hcl.Expression
	// Module is where the definition is written (its locals and folder
	// apply).
	Module *loader.Module
	// Keys is where the last key of Path is written for this
	// definition, linked to the keys before it (see KeyRange); nil for
	// an option's default and for a definition split off an evaluated
	// object, whose keys come out of the value at Range.
	Keys *Key
	// Seq orders definitions: module order, then source order.
	Seq int
	// extra is what few definitions have; nil for most.
	extra *DefExtra
	// OptionDefault is set for the definition evaluation adds for an
	// option's default; Expr is then the default's expression.
	OptionDefault bool
	// Marker is set for the empty-object definition a block or object
	// constructor leaves at an attribute set or submodule.
	Marker bool
}

// A DefExtra is what few definitions have. One may be shared by many
// definitions (every option default at one depth has the same levels),
// so it is never changed once a Def holds it.
type DefExtra struct {
	// Range is the source range of a definition without an expression
	// (a marker's block or object, the object a split-off definition
	// came from); a definition with one is at its expression's range.
	Range hcl.Range
	// Value is a split-off definition's value.
	Value cty.Value
	// Spelled is Path as written, when a key in it was written in
	// another Unicode normalization (".cafe\u0301" for ".caf\u00e9");
	// nil otherwise. Two spellings of one key are an error.
	Spelled optpath.Path
	// Levels are the priorities and orders the wrappers gave, each at
	// the depth (length of path) where it applies: a wrapper around a
	// whole option value applies at that option, not to the keys inside
	// it (NixOS filters priorities per option and per key). At any other
	// depth the definition counts as plain.
	Levels []Level
	// Conds must all be true for the definition to count.
	Conds []Cond
}

// WithExtra returns d holding x (nil: none) in place of what it held.
func (d *Def) WithExtra(x *DefExtra) *Def {
	d.extra = x
	return d
}

// more returns what d holds of what few definitions have: the zero
// DefExtra when it holds nothing. It is not to be changed.
func (d *Def) more() *DefExtra {
	if d.extra == nil {
		return &noExtra
	}
	return d.extra
}

// noExtra is the DefExtra of a definition that holds none.
var noExtra DefExtra

// Range is the definition's source range: its expression's, else the
// one it holds.
func (d *Def) Range() hcl.Range {
	if d.Expr != nil {
		return d.Expr.Range()
	}
	return d.more().Range
}

// Value is the value of a definition split off an evaluated object
// (cty.NilVal for others).
func (d *Def) Value() cty.Value { return d.more().Value }

// Spelled is Path as written, when a key in it was written in another
// Unicode normalization; nil otherwise.
func (d *Def) Spelled() optpath.Path { return d.more().Spelled }

// Levels are the priorities and orders the wrappers gave (see
// DefExtra.Levels).
func (d *Def) Levels() []Level { return d.more().Levels }

// Conds must all be true for the definition to count.
func (d *Def) Conds() []Cond { return d.more().Conds }

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
	for _, l := range d.Levels() {
		if l.Depth == depth {
			return l.Priority
		}
	}
	return PriorityPlain
}

// OrderAt is the definition's list order at a depth.
func (d *Def) OrderAt(depth int) int {
	for _, l := range d.Levels() {
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
	// At is the block's optional at attribute (nil without one): the
	// option paths at fault, so that its diagnostic points at where
	// they are set rather than at the condition.
	At     hcl.Expression
	Module *loader.Module
}

// A Collection is everything the modules define.
type Collection struct {
	Defs []*Def
	// Locals are each module's `locals` attributes by name.
	Locals map[*loader.Module]map[string]hcl.Expression
	Checks []*Check
}
