package eval

import (
	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/schema"
)

// Definitions returns the definitions that make the value at p, as
// merging counts them: those whose conditions hold and, at an option or
// a value inside one, only those with the lowest priority number (the
// option's default among them when nothing else defines it). They
// include definitions of keys below p, and the parts of an object
// defined above p that reach it (with that object's Range). Call it
// after evaluation: it evaluates the conditions it needs, and any error
// doing so is kept with the evaluator's diagnostics.
func (e *Evaluator) Definitions(p optpath.Path) []*defs.Def {
	n := e.node(p)
	if n.pos.Kind == schema.Value {
		return e.filtered(n)
	}
	var out []*defs.Def
	for _, d := range e.defsAt(n) {
		if e.condsHold(d) {
			out = append(out, d)
		}
	}
	return out
}
