package defs

import (
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/syntax"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// A BlockExpr is a block used as a value: an object of its attributes,
// with each nested block as a key (and its labels as nested keys). It is
// what a block becomes where a single value goes, such as an element of
// a list of submodules or a value of type anything.
type BlockExpr struct {
	Body *syntax.Body
	// SrcRange is the block's range; the body's ranges are in its file.
	SrcRange hcl.Range
}

var _ hcl.Expression = (*BlockExpr)(nil)

// Value evaluates the block's attributes and nested blocks.
func (b *BlockExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	root := tree{}
	file := b.SrcRange.Filename
	for _, it := range b.Body.AppendItems(nil) {
		var path []string
		var v cty.Value
		var d hcl.Diagnostics
		var rng hcl.Range
		if a := it.Attr; a != nil {
			path, rng = []string{a.Name}, a.NameRange(file)
			v, d = a.Expr.Value(ctx)
		} else {
			nb := it.Block
			path, rng = append([]string{nb.Type}, nb.Labels...), nb.TypeRange(file)
			v, d = (&BlockExpr{Body: &nb.Body, SrcRange: nb.Range(file)}).Value(ctx)
		}
		diags = append(diags, d...)
		if !root.put(path, v) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate key",
				Detail:   optpath.Path(path).String() + " is already set in this block.",
				Subject:  rng.Ptr(),
			})
		}
	}
	return root.value(), diags
}

// tree is an object being built: each entry a cty.Value or a nested tree.
type tree map[string]any

func (t tree) put(path []string, v cty.Value) bool {
	if len(path) == 1 {
		if _, dup := t[path[0]]; dup {
			return false
		}
		t[path[0]] = v
		return true
	}
	inner, ok := t[path[0]].(tree)
	if !ok {
		if _, dup := t[path[0]]; dup {
			return false
		}
		inner = tree{}
		t[path[0]] = inner
	}
	return inner.put(path[1:], v)
}

func (t tree) value() cty.Value {
	m := make(map[string]cty.Value, len(t))
	for k, e := range t {
		if sub, ok := e.(tree); ok {
			m[k] = sub.value()
		} else {
			m[k] = e.(cty.Value)
		}
	}
	return cty.ObjectVal(m)
}

// Variables lists the references of every attribute in the block, in
// source order (the evaluator computes what they read in that order, so
// its diagnostics come in the same order every time).
func (b *BlockExpr) Variables() []hcl.Traversal {
	var out []hcl.Traversal
	for _, it := range b.Body.AppendItems(nil) {
		if it.Attr != nil {
			out = append(out, hclsyntax.Variables(it.Attr.Expr)...)
		} else {
			out = append(out, (&BlockExpr{Body: &it.Block.Body}).Variables()...)
		}
	}
	return out
}

// Range is the block's range.
func (b *BlockExpr) Range() hcl.Range { return b.SrcRange }

// StartRange is the block's range.
func (b *BlockExpr) StartRange() hcl.Range { return b.SrcRange }

// ListOfOne is a one-element list around another expression: a block
// that adds one element to a list option.
type ListOfOne struct {
	Elem hcl.Expression
}

var _ hcl.Expression = (*ListOfOne)(nil)

// Value is the list of the one element.
func (l *ListOfOne) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, diags := l.Elem.Value(ctx)
	return cty.TupleVal([]cty.Value{v}), diags
}

// Variables are the element's.
func (l *ListOfOne) Variables() []hcl.Traversal { return l.Elem.Variables() }

// Range is the element's.
func (l *ListOfOne) Range() hcl.Range { return l.Elem.Range() }

// StartRange is the element's.
func (l *ListOfOne) StartRange() hcl.Range { return l.Elem.StartRange() }
