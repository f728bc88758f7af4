package forexpr

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Ordinary is e.ordinary, for the tests of package forexpr_test (which
// use gocfg's functions: package funcs imports the loader, which
// imports forexpr).
func Ordinary(e *Expr, ctx *hcl.EvalContext) (cty.Value, bool) { return e.ordinary(ctx) }

// AttrOf is attrOf, for the tests.
func AttrOf(tr hcl.Traversal, vars map[string]cty.Value) (cty.Value, bool) { return attrOf(tr, vars) }
