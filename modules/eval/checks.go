package eval

import (
	"fmt"
	"maps"
	"strings"

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
		e.runCheck(c)
	}
}

// CheckUnder runs the assert and warn blocks whose at attribute names
// options under prefix only (deployment: gocfg deploy's inventory,
// which evaluates those options alone, reports them before it
// connects). All runs them again: modules.Evaluation returns each
// diagnostic once.
func (e *Evaluator) CheckUnder(prefix string) {
	for _, c := range e.coll.Checks {
		if c.At == nil {
			continue
		}
		at, ok := e.checkAt(c)
		if !ok || len(at.Paths) == 0 {
			continue
		}
		under := true
		for _, p := range at.Paths {
			if p != prefix && !strings.HasPrefix(p, prefix+".") {
				under = false
			}
		}
		if under {
			e.runCheck(c)
		}
	}
}

// runCheck runs the assert or warn block c.
func (e *Evaluator) runCheck(c *defs.Check) {
	cond, ok := e.checkPart(c, c.Condition, "condition", cty.Bool, "true or false")
	if !ok || cond.True() != c.Warn {
		return
	}
	msg, ok := e.checkPart(c, c.Message, "message", cty.String, "a string")
	if !ok {
		return
	}
	detail := msg.AsString()
	if detail == "" {
		// An empty message would print an error without a word.
		detail = fmt.Sprintf("The condition is %t, and the message of this %s block is empty.", c.Warn, kind(c.Warn))
	}
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Assertion failed", Detail: detail, Subject: c.Condition.Range().Ptr()}
	if c.Warn {
		d.Severity, d.Summary = hcl.DiagWarning, "Warning from the configuration"
	}
	if c.At != nil {
		// An invalid at is reported; the block's own diagnostic
		// then stays at its condition.
		if at, ok := e.checkAt(c); ok && len(at.Paths) > 0 {
			d.Extra = at
		}
	}
	e.diags = append(e.diags, d)
}

// An At is the Extra of the diagnostic of an assert or warn block with
// an at attribute: the option paths it names, as written, and where
// the attribute is. The evaluation's caller (modules.Evaluation) makes
// of it one diagnostic a path, each pointing at where its value is
// defined; the evaluator itself does not know the definitions' ranges
// until the whole configuration is evaluated.
type At struct {
	Paths []string
	Range hcl.Range
}

// checkAt evaluates the at attribute of the block c: an option path, a
// list of them, or null for none. It is false when the value is none of
// these (reported).
func (e *Evaluator) checkAt(c *defs.Check) (At, bool) {
	at := At{Range: c.At.Range()}
	v, ok := e.evalExpr(c.At, c.Module)
	if !ok {
		return at, false
	}
	switch {
	case !v.IsWhollyKnown():
		// Not expected of an evaluated configuration; refused below.
	case v.IsNull():
		return at, true
	case v.Type() == cty.String:
		at.Paths = []string{v.AsString()}
		return at, true
	case v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType():
		for it := v.ElementIterator(); it.Next(); {
			_, x := it.Element()
			if x.IsNull() || x.Type() != cty.String {
				at.Paths = nil
				break
			}
			at.Paths = append(at.Paths, x.AsString())
		}
		if at.Paths != nil || v.LengthInt() == 0 {
			return at, true
		}
	}
	e.errorf(&at.Range, "Invalid at", "The at of %s block must be an option path such as \"users.alice.shell\", a list of them, or null, not %s.", withArticle(kind(c.Warn)), describe(v))
	return at, false
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
		e.errorf(&rng, "Invalid "+part, "The %s of %s block must be %s, not %s.", part, withArticle(kind(c.Warn)), what, describe(v))
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
