package eval

import (
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// All evaluates the whole configuration, then the assert and warn
// blocks. It returns the configuration object; failed asserts are
// errors and true warns are warnings in Diagnostics.
func (e *Evaluator) All() cty.Value {
	v, _ := e.value(e.node(optpath.Path{}), nil)
	if e.checked {
		return v
	}
	e.checked = true
	for _, c := range e.coll.Checks {
		cond, ok := e.evalExpr(c.Condition, c.Module)
		if !ok {
			continue
		}
		if cond.IsNull() || cond.Type() != cty.Bool {
			rng := c.Condition.Range()
			e.errorf(&rng, "Invalid condition", "The condition of an %s block must be true or false, not %s.", kind(c.Warn), describe(cond))
			continue
		}
		if cond.True() != c.Warn {
			continue
		}
		msg, ok := e.evalExpr(c.Message, c.Module)
		if !ok {
			continue
		}
		if msg.IsNull() || msg.Type() != cty.String {
			rng := c.Message.Range()
			e.errorf(&rng, "Invalid message", "The message of an %s block must be a string, not %s.", kind(c.Warn), describe(msg))
			continue
		}
		d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Assertion failed", Detail: msg.AsString(), Subject: c.Condition.Range().Ptr()}
		if c.Warn {
			d.Severity, d.Summary = hcl.DiagWarning, "Warning from the configuration"
		}
		e.diags = append(e.diags, d)
	}
	return v
}

func kind(warn bool) string {
	if warn {
		return "warn"
	}
	return "assert"
}
