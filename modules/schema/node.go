package schema

import (
	"sort"

	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/hashicorp/hcl/v2"
)

// A Node is a group of options, or an option. The root of a Tree and the
// Options of a submodule type are groups.
type Node struct {
	// Children are the group's members, by key. Empty for an option.
	Children map[string]*Node
	// Option is set when the node is an option.
	Option *Option
}

// An Option is one declared option.
type Option struct {
	// Path is where it was declared: from the root for top-level
	// options, from the submodule for sub-options.
	Path optpath.Path
	Type *Type
	// Default is the default's expression, nil when there is none.
	Default hcl.Expression
	// Example is the example's expression, nil when there is none.
	Example     hcl.Expression
	Description string
	// Module is the module that declared the option (defaults are
	// evaluated there).
	Module *loader.Module
	// Decls are the declaring ranges: more than one when submodule
	// declarations were united.
	Decls []hcl.Range
}

// SortedKeys returns the group's keys in order.
func (n *Node) SortedKeys() []string {
	keys := make([]string, 0, len(n.Children))
	for k := range n.Children {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func newGroup() *Node { return &Node{Children: map[string]*Node{}} }
