package schema

import (
	"fmt"
	"runtime"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/syntax"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// A Tree is every option the modules declare.
type Tree struct {
	root *Node
	set  *loader.Set
}

// Declare collects the `option` blocks of every module, in module order.
// The blocks of a large configuration are read in parts, runs of
// modules, one goroutine each (reading a block touches nothing but it);
// the options then go into the tree one after the other, in module
// order, as when each block is read and placed in turn.
func Declare(set *loader.Set) (*Tree, hcl.Diagnostics) {
	t := &Tree{root: newGroup(), set: set}
	parts := loader.SplitBySize(set.Modules, runtime.GOMAXPROCS(0), declarePart)
	read := make([][]readBlock, len(parts))
	loader.EachPart(parts, func(i int, mods []*loader.Module) {
		// Counted first: grown by appending, the list left copies of
		// itself behind (the appends allocated 0.6 MB in a cold
		// evaluation of 1,000 modules, for lists of about 0.2 MB).
		n := 0
		for _, m := range mods {
			for j := range m.Body.Blocks {
				if m.Body.Blocks[j].Type == "option" {
					n++
				}
			}
		}
		read[i] = make([]readBlock, 0, n)
		for _, m := range mods {
			for j := range m.Body.Blocks {
				if b := &m.Body.Blocks[j]; b.Type == "option" {
					read[i] = append(read[i], t.readBlock(m, b))
				}
			}
		}
	})
	var diags hcl.Diagnostics
	for _, rs := range read {
		for _, r := range rs {
			diags = append(diags, r.diags...)
			if r.opt != nil {
				diags = append(diags, t.insert(t.root, optpath.Path{}, r.opt, r.rng)...)
			}
		}
	}
	diags = append(diags, t.resolveRefs()...)
	return t, diags
}

// declarePart is the least source, in bytes, worth a part of Declare of
// its own.
const declarePart = 256 << 10

// readBlock is an option block read: its option (nil when it has none
// for errors) to place at rng, and the errors.
type readBlock struct {
	opt   *Option
	rng   hcl.Range
	diags hcl.Diagnostics
}

// declAttr adds the attribute name of an option declaration, its value
// expr, to attrs, or returns an error, summary, at rng: name is not one
// an option declaration holds.
func declAttr(attrs map[string]hclsyntax.Expression, name string, expr hclsyntax.Expression, rng hcl.Range, summary string) hcl.Diagnostics {
	switch name {
	case "type", "default", "description", "example":
		attrs[name] = expr
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf("%q is not one of type, default, description, example.", name),
		Subject:  rng.Ptr(),
	}}
}

// readBlock reads an option block, without placing its option: it
// changes nothing in t.
func (t *Tree) readBlock(m *loader.Module, b *syntax.Block) readBlock {
	if len(b.Labels) != 1 {
		return readBlock{diags: hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "An option block takes one label",
			Detail:   `Name the option in one quoted label: option "networking.host_name" { ... }.`,
			Subject:  b.TypeRange(m.Path).Ptr(),
		}}}
	}
	labelRange := b.LabelRange(0, m.Path)
	p, err := optpath.Parse(b.Labels[0])
	if err != nil || len(p) == 0 {
		return readBlock{diags: hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid option name",
			Detail:   fmt.Sprintf("%q is not a dotted option path such as \"networking.host_name\".", b.Labels[0]),
			Subject:  labelRange.Ptr(),
		}}}
	}
	var diags hcl.Diagnostics
	for i := range b.Body.Blocks {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unexpected block in an option declaration",
			Detail:   "An option block holds the attributes type, default, description and example. Declare sub-options with type = submodule({ ... }).",
			Subject:  b.Body.Blocks[i].TypeRange(m.Path).Ptr(),
		})
	}
	attrs := map[string]hclsyntax.Expression{}
	for i := range b.Body.Attrs {
		a := &b.Body.Attrs[i]
		diags = append(diags, declAttr(attrs, a.Name, a.Expr, a.NameRange(m.Path), "Unsupported attribute in an option declaration")...)
	}
	// The blocks' errors and the attributes' go in source order.
	diagnostics.SortBySource(diags)
	opt, d := t.readDecl(m, p, attrs, labelRange)
	return readBlock{opt: opt, rng: labelRange, diags: append(diags, d...)}
}

// readDecl builds an Option from the attributes of a declaration (an
// option block, or an object in a submodule type).
func (t *Tree) readDecl(m *loader.Module, p optpath.Path, attrs map[string]hclsyntax.Expression, rng hcl.Range) (*Option, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	typeExpr, ok := attrs["type"]
	if !ok {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Option without a type",
			Detail:   fmt.Sprintf("Give %s a type, such as type = str or type = list_of(str).", p),
			Subject:  rng.Ptr(),
		}}
	}
	typ, d := t.parseType(m, typeExpr)
	diags = append(diags, d...)
	if typ == nil {
		return nil, diags
	}
	opt := &Option{Path: p, Type: typ, Module: m, Decls: []hcl.Range{rng}}
	if e, ok := attrs["default"]; ok {
		opt.Default = e
	}
	if e, ok := attrs["example"]; ok {
		opt.Example = e
	}
	if e, ok := attrs["description"]; ok {
		v, vd := literalValue(e)
		if vd.HasErrors() || v.IsNull() || !v.IsKnown() || !v.Type().Equals(ctyString) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Option description must be a literal string",
				Detail:   "Write the description as a quoted string or a heredoc, without interpolation.",
				Subject:  e.Range().Ptr(),
			})
		} else {
			opt.Description = v.AsString()
		}
	}
	return opt, diags
}

// literalValue is e.Value(nil), read straight from the syntax for a
// literal, such as a quoted string without interpolation (most
// descriptions; see syntax.QuotedString for its two forms).
func literalValue(e hclsyntax.Expression) (cty.Value, hcl.Diagnostics) {
	if lit, ok := e.(*hclsyntax.LiteralValueExpr); ok {
		return lit.Val, nil
	}
	if v, ok := syntax.QuotedValue(e); ok {
		return v, nil
	}
	return e.Value(nil)
}

// insert places opt under the group n (at path base) along opt.Path.
func (t *Tree) insert(n *Node, base optpath.Path, opt *Option, subject hcl.Range) hcl.Diagnostics {
	for i, key := range opt.Path {
		c := n.Children[key]
		last := i == len(opt.Path)-1
		if c == nil {
			c = newGroup()
			n.Children[key] = c
		}
		if c.Option == nil && (!last || len(c.Children) == 0) {
			// The common cases, without building the path for messages.
			if !last {
				n = c
				continue
			}
			c.Option = opt
			c.Children = nil
			return nil
		}
		here := base.Append(opt.Path[:i+1]...)
		if c.Option != nil && !last {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Option declared inside another option",
				Detail: fmt.Sprintf("%s is an option (declared at %s), so %s cannot be declared under it. Sub-options belong in a submodule type: type = attrs_of(submodule({ ... })).",
					here, t.set.Ref(c.Option.Decls[0]), base.Append(opt.Path...)),
				Subject: subject.Ptr(),
			}}
		}
		if !last {
			n = c
			continue
		}
		switch {
		case c.Option != nil && sameShape(c.Option.Type, opt.Type):
			return t.unite(c.Option, opt, here, subject)
		case c.Option != nil:
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Option declared twice",
				Detail: fmt.Sprintf("%s is declared at %s and again here. Only submodule declarations of the same shape may be repeated (their sub-options are united).",
					here, t.set.Ref(c.Option.Decls[0])),
				Subject: subject.Ptr(),
			}}
		case len(c.Children) > 0:
			var inner *Option
			walkOptions(c, func(o *Option) {
				if inner == nil {
					inner = o
				}
			})
			where := ""
			if inner != nil {
				where = fmt.Sprintf(" (for example %s, declared at %s)", base.Append(inner.Path...), t.set.Ref(inner.Decls[0]))
			}
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Option declared where a group of options is",
				Detail:   fmt.Sprintf("%s already holds other options%s; an option cannot also be a group.", here, where),
				Subject:  subject.Ptr(),
			}}
		}
		c.Option = opt
		c.Children = nil
	}
	return nil
}

// unite adds the sub-options of opt's submodule to old's.
func (t *Tree) unite(old, opt *Option, here optpath.Path, subject hcl.Range) hcl.Diagnostics {
	old.Decls = append(old.Decls, opt.Decls...)
	if old.Description == "" {
		old.Description = opt.Description
	}
	var diags hcl.Diagnostics
	if opt.Default != nil {
		if old.Default != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Option default declared twice",
				Detail:   fmt.Sprintf("%s already has a default, declared at %s. Submodule declarations may be repeated, but only one may give a default.", here, t.set.Ref(old.Decls[0])),
				Subject:  opt.Default.Range().Ptr(),
			})
		} else {
			old.Default, old.Module = opt.Default, opt.Module
		}
	}
	a, b := old.Type, opt.Type
	for a.Kind != Submodule {
		switch a.Kind {
		case AttrsOf:
			here = here.Append("<name>")
		case ListOf:
			here = here.Append("*")
		}
		a, b = a.Elem, b.Elem
	}
	var sub []*Option
	walkOptions(b.Options, func(o *Option) { sub = append(sub, o) })
	for _, o := range sub {
		diags = append(diags, t.insert(a.Options, here, o, o.Decls[0])...)
	}
	return diags
}

// walkOptions calls f for every option under n, in key order, without
// entering submodules.
func walkOptions(n *Node, f func(*Option)) {
	if n.Option != nil {
		f(n.Option)
		return
	}
	for _, k := range n.SortedKeys() {
		walkOptions(n.Children[k], f)
	}
}
