package schema

import (
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/hashicorp/hcl/v2"
)

// resolveRefs replaces every type_of("a.b") with option a.b's type, once
// all declarations are read, so a submodule can be declared once and
// used in several places (as NixOS modules share a submodule value).
// The referring and referred options then share one type: sub-options
// united into one are seen by both.
func (t *Tree) resolveRefs() hcl.Diagnostics {
	r := &refResolver{tree: t, state: map[*Type]int{}}
	// In List's order, without its paths: resolving an option's type
	// resolves its sub-options' first, which List would name next.
	walkOptions(t.root, func(o *Option) { r.resolve(o.Type) })
	return r.diags
}

type refResolver struct {
	tree  *Tree
	state map[*Type]int // 1 resolving, 2 done
	diags hcl.Diagnostics
}

func (r *refResolver) resolve(typ *Type) {
	if typ == nil || r.state[typ] == 2 {
		return
	}
	if r.state[typ] == 1 {
		return
	}
	r.state[typ] = 1
	if typ.Kind == TypeOf {
		target := r.lookup(typ.Ref)
		if target == nil {
			detail := fmt.Sprintf("No module declares an option %s.", typ.Ref)
			if s := r.tree.Suggest(typ.Ref); len(s) > 0 {
				detail += " Did you mean " + strings.Join(s, ", ") + "?"
			}
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown option in type_of", Detail: detail, Subject: typ.RefRange.Ptr()})
			typ.Kind = Anything
			r.state[typ] = 2
			return
		}
		if r.state[target.Type] == 1 {
			// The option's own type is being resolved: a recursive type.
			r.diags = append(r.diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Type refers to itself",
				Detail:   fmt.Sprintf("type_of(%q) is inside the type of %s itself; types cannot be recursive.", typ.Ref.String(), typ.Ref),
				Subject:  typ.RefRange.Ptr(),
			})
			typ.Kind = Anything
			r.state[typ] = 2
			return
		}
		r.resolve(target.Type)
		*typ = *target.Type
	}
	r.resolve(typ.Elem)
	if typ.Options != nil {
		walkOptions(typ.Options, func(o *Option) { r.resolve(o.Type) })
	}
	r.state[typ] = 2
}

// lookup finds a declared top-level option.
func (r *refResolver) lookup(p optpath.Path) *Option {
	n := r.tree.root
	for _, k := range p {
		if n.Option != nil {
			return nil
		}
		if n = n.Children[k]; n == nil {
			return nil
		}
	}
	return n.Option
}
