package schema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/syntax"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

var ctyString = cty.String

const typeHelp = "Types are bool, str, int, float, path, lines, anything, list_of(t), attrs_of(t), null_or(t), uniq(t), enum([...]), submodule({ ... }) and type_of(\"option.path\")."

// parseType reads a type expression from its syntax.
func (t *Tree) parseType(m *loader.Module, e hclsyntax.Expression) (*Type, hcl.Diagnostics) {
	bad := func(summary, detail string, rng hcl.Range) (*Type, hcl.Diagnostics) {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}}
	}
	switch e := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if len(e.Traversal) == 1 {
			if k, ok := scalarNames[e.Traversal.RootName()]; ok {
				return &Type{Kind: k}, nil
			}
		}
		name := string(e.SrcRange.SliceBytes(m.Source))
		return bad("Unknown type", fmt.Sprintf("%q is not a type. %s%s", name, typeHelp, otherTypeHint(name)), e.SrcRange)
	case *hclsyntax.FunctionCallExpr:
		one := func(k Kind) (*Type, hcl.Diagnostics) {
			if len(e.Args) != 1 {
				return bad("Wrong number of type arguments", fmt.Sprintf("%s takes exactly one type.", e.Name), e.Range())
			}
			elem, diags := t.parseType(m, e.Args[0])
			if elem == nil {
				return nil, diags
			}
			return &Type{Kind: k, Elem: elem}, diags
		}
		switch e.Name {
		case "list_of":
			return one(ListOf)
		case "attrs_of":
			return one(AttrsOf)
		case "null_or":
			return one(NullOr)
		case "uniq":
			return one(Uniq)
		case "enum":
			return t.parseEnum(e)
		case "type_of":
			if len(e.Args) == 1 {
				if name, ok := syntax.QuotedString(e.Args[0]); ok {
					if p, err := optpath.Parse(name); err == nil && len(p) > 0 {
						return &Type{Kind: TypeOf, Ref: p, RefRange: e.Args[0].Range()}, nil
					}
				}
			}
			return bad("Invalid type_of", `type_of takes the name of a declared option, written out: type_of("systemd.services").`, e.Range())
		case "submodule":
			if len(e.Args) != 1 {
				return bad("Wrong number of type arguments", "submodule takes one object of sub-option declarations: submodule({ name = str, ... }).", e.Range())
			}
			obj, ok := e.Args[0].(*hclsyntax.ObjectConsExpr)
			if !ok {
				return bad("Invalid submodule", "submodule takes one object of sub-option declarations, written out: submodule({ name = str, ... }).", e.Args[0].Range())
			}
			return t.parseSubmodule(m, obj)
		}
		return bad("Unknown type", fmt.Sprintf("%s(...) is not a type. %s%s", e.Name, typeHelp, otherTypeHint(e.Name)), e.NameRange)
	}
	return bad("Invalid type", "A type is a name or a type constructor, written out (types are never computed). "+typeHelp, e.Range())
}

// otherTypes are the names Terraform's and Nix's type systems give to
// what gocfg names otherwise, and gocfg's name for each (tester U:
// `type = string` got only the list of types).
var otherTypes = map[string]string{
	"string": "str", "number": "int or float", "list": "list_of(t)", "set": "list_of(t)",
	"map": "attrs_of(t)", "object": "submodule({ ... })", "any": "anything", "tuple": "list_of(t)",
	"optional": "null_or(t)", "attrsOf": "attrs_of(t)", "listOf": "list_of(t)", "nullOr": "null_or(t)",
	"submodule": "submodule({ ... })", "boolean": "bool", "integer": "int",
}

// otherTypeHint is the hint for the type name that Terraform or Nix
// uses, "" for another name.
func otherTypeHint(name string) string {
	if ours, ok := otherTypes[name]; ok && name != ours {
		return fmt.Sprintf("\nhint: %s is %s in gocfg", name, ours)
	}
	return ""
}

func (t *Tree) parseEnum(e *hclsyntax.FunctionCallExpr) (*Type, hcl.Diagnostics) {
	bad := hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid enum",
		Detail:   `enum takes one list of literal values: enum(["link", "copy"]).`,
		Subject:  e.Range().Ptr(),
	}}
	if len(e.Args) != 1 {
		return nil, bad
	}
	v, diags := e.Args[0].Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || !(v.Type().IsTupleType() || v.Type().IsListType()) || v.LengthInt() == 0 {
		return nil, bad
	}
	var vals []cty.Value
	for it := v.ElementIterator(); it.Next(); {
		_, ev := it.Element()
		if ev.IsNull() || !ev.Type().IsPrimitiveType() {
			return nil, bad
		}
		vals = append(vals, ev)
	}
	return &Type{Kind: Enum, Values: vals}, nil
}

// parseSubmodule reads the sub-option declarations of submodule({...}):
// each key is a sub-option (dots make nested groups), each value a type
// or an object { type, default, description, example }.
func (t *Tree) parseSubmodule(m *loader.Module, obj *hclsyntax.ObjectConsExpr) (*Type, hcl.Diagnostics) {
	sub := newGroup()
	var diags hcl.Diagnostics
	for _, item := range obj.Items {
		key, ok := staticKey(item.KeyExpr)
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid sub-option name",
				Detail:   "Sub-option names are written out: a name, or a quoted dotted path.",
				Subject:  item.KeyExpr.Range().Ptr(),
			})
			continue
		}
		p, err := optpath.Parse(key)
		if err != nil {
			p = optpath.Path{key}
		}
		attrs := map[string]hclsyntax.Expression{"type": item.ValueExpr}
		if decl, ok := item.ValueExpr.(*hclsyntax.ObjectConsExpr); ok {
			attrs = map[string]hclsyntax.Expression{}
			for _, di := range decl.Items {
				name, _ := staticKey(di.KeyExpr)
				diags = append(diags, declAttr(attrs, name, di.ValueExpr, di.KeyExpr.Range(), "Unsupported attribute in a sub-option declaration")...)
			}
		}
		opt, d := t.readDecl(m, p, attrs, item.KeyExpr.Range())
		diags = append(diags, d...)
		if opt != nil {
			diags = append(diags, t.insert(sub, nil, opt, item.KeyExpr.Range())...)
		}
	}
	return &Type{Kind: Submodule, Options: sub}, diags
}

// staticKey reads an object key written as a name or a literal string.
func staticKey(e hclsyntax.Expression) (string, bool) {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if name := hcl.ExprAsKeyword(k.Wrapped); name != "" && !k.ForceNonLiteral {
			return name, true
		}
		e = k.Wrapped
	}
	return syntax.QuotedString(e)
}

// StaticKey reads an object-constructor key that is written out (a bare
// name or a literal string), as definitions use them.
func StaticKey(e hclsyntax.Expression) (string, bool) { return staticKey(e) }

// Suggest returns up to three names close to key among the group's
// members, nearest first.
func Suggest(n *Node, key string) []string {
	type cand struct {
		name string
		d    int
	}
	var cands []cand
	lk := strings.ToLower(key)
	for name := range n.Children {
		d := distance(lk, strings.ToLower(name))
		limit := len(key)/3 + 1
		if limit < 2 {
			limit = 2
		}
		if d <= limit || strings.Contains(strings.ToLower(name), lk) && len(lk) >= 3 {
			cands = append(cands, cand{name, d})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		return cands[i].name < cands[j].name
	})
	var out []string
	for i := 0; i < len(cands) && i < 3; i++ {
		out = append(out, cands[i].name)
	}
	return out
}
