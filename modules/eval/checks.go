package eval

import (
	"maps"

	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// All evaluates the whole configuration, then the assert and warn
// blocks. It returns the configuration object; failed asserts are
// errors and true warns are warnings in Diagnostics.
func (e *Evaluator) All() cty.Value {
	v, _ := e.value(e.node(optpath.Path{}), nil)
	e.check()
	return v
}

// AllBeside is All, with use called on the configuration object on
// another goroutine while the assert and warn blocks run (the output
// written while they are checked): it returns once both are done. use
// may call Unset: what the blocks' work finds unset meanwhile is kept
// aside until then. What the blocks report is in Diagnostics, as with
// All; use's work is for nothing if they report an error.
func (e *Evaluator) AllBeside(use func(cty.Value)) cty.Value {
	v, _ := e.value(e.node(optpath.Path{}), nil)
	e.unsetLate = map[string]bool{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		use(v)
	}()
	e.check()
	<-done
	maps.Copy(e.unset, e.unsetLate)
	e.unsetLate = nil
	return v
}

// check runs the assert and warn blocks, once.
func (e *Evaluator) check() {
	if e.checked {
		return
	}
	e.checked = true
	for _, c := range e.coll.Checks {
		cond, ok := e.checkPart(c, c.Condition, "condition", cty.Bool, "true or false")
		if !ok || cond.True() != c.Warn {
			continue
		}
		msg, ok := e.checkPart(c, c.Message, "message", cty.String, "a string")
		if !ok {
			continue
		}
		d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Assertion failed", Detail: msg.AsString(), Subject: c.Condition.Range().Ptr()}
		if c.Warn {
			d.Severity, d.Summary = hcl.DiagWarning, "Warning from the configuration"
		}
		e.diags = append(e.diags, d)
	}
}

// checkPart evaluates expr, the part (condition, message) of the assert
// or warn block c, which must be a value of type want (what says so in
// words); false when it did not evaluate or is not one (reported).
func (e *Evaluator) checkPart(c *defs.Check, expr hcl.Expression, part string, want cty.Type, what string) (cty.Value, bool) {
	v, ok := e.evalExpr(expr, c.Module)
	if !ok {
		return v, false
	}
	if v.IsNull() || v.Type() != want {
		rng := expr.Range()
		e.errorf(&rng, "Invalid "+part, "The %s of an %s block must be %s, not %s.", part, kind(c.Warn), what, describe(v))
		return v, false
	}
	return v, true
}

func kind(warn bool) string {
	if warn {
		return "warn"
	}
	return "assert"
}
