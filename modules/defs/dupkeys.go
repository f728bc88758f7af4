package defs

import (
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// checkDuplicateKeys reports object constructors that name a key twice
// (HCL itself would keep the last one silently). It walks the syntax by
// hand: hclsyntax.VisitAll's generic walk cost a tenth of a large
// configuration's evaluation time.
func (c *collector) checkDuplicateKeys(m *loader.Module) {
	c.dupBody(m.Body)
}

func (c *collector) dupBody(b *hclsyntax.Body) {
	for _, a := range b.Attributes {
		c.dupExpr(a.Expr)
	}
	for _, bl := range b.Blocks {
		c.dupBody(bl.Body)
	}
}

func (c *collector) dupExpr(e hclsyntax.Expression) {
	switch e := e.(type) {
	case nil, *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr, *hclsyntax.AnonSymbolExpr:
	case *hclsyntax.ObjectConsExpr:
		c.dupObject(e)
		for _, it := range e.Items {
			c.dupExpr(it.KeyExpr)
			c.dupExpr(it.ValueExpr)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		c.dupExpr(e.Wrapped)
	case *hclsyntax.TupleConsExpr:
		for _, x := range e.Exprs {
			c.dupExpr(x)
		}
	case *hclsyntax.FunctionCallExpr:
		for _, x := range e.Args {
			c.dupExpr(x)
		}
	case *hclsyntax.TemplateExpr:
		for _, x := range e.Parts {
			c.dupExpr(x)
		}
	case *hclsyntax.TemplateWrapExpr:
		c.dupExpr(e.Wrapped)
	case *hclsyntax.TemplateJoinExpr:
		c.dupExpr(e.Tuple)
	case *hclsyntax.ConditionalExpr:
		c.dupExpr(e.Condition)
		c.dupExpr(e.TrueResult)
		c.dupExpr(e.FalseResult)
	case *hclsyntax.ForExpr:
		c.dupExpr(e.CollExpr)
		c.dupExpr(e.KeyExpr)
		c.dupExpr(e.ValExpr)
		c.dupExpr(e.CondExpr)
	case *hclsyntax.BinaryOpExpr:
		c.dupExpr(e.LHS)
		c.dupExpr(e.RHS)
	case *hclsyntax.UnaryOpExpr:
		c.dupExpr(e.Val)
	case *hclsyntax.ParenthesesExpr:
		c.dupExpr(e.Expression)
	case *hclsyntax.IndexExpr:
		c.dupExpr(e.Collection)
		c.dupExpr(e.Key)
	case *hclsyntax.SplatExpr:
		c.dupExpr(e.Source)
		c.dupExpr(e.Each)
	case *hclsyntax.RelativeTraversalExpr:
		c.dupExpr(e.Source)
	default:
		// Any other node: the generic walk.
		_ = hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
			if obj, ok := n.(*hclsyntax.ObjectConsExpr); ok {
				c.dupObject(obj)
			}
			return nil
		})
	}
}

func (c *collector) dupObject(obj *hclsyntax.ObjectConsExpr) {
	if len(obj.Items) < 2 {
		return
	}
	seen := make(map[string]hcl.Range, len(obj.Items))
	for _, it := range obj.Items {
		k, ok := schema.StaticKey(it.KeyExpr)
		if !ok {
			continue
		}
		if first, dup := seen[k]; dup {
			c.errorf(it.KeyExpr.Range(), "Duplicate key", "%s is already set at %s in this object; a key may appear once (merge several definitions with merge_all or separate blocks).", optpath.Segment(k), c.set.Ref(first))
			continue
		}
		seen[k] = it.KeyExpr.Range()
	}
}
