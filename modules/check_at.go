package modules

import (
	"strings"

	"github.com/gocfg/gocfg/modules/eval"
	"github.com/hashicorp/hcl/v2"
)

// pointAt makes the diagnostic d of an assert or warn block with an at
// attribute into one diagnostic for each option path at names, in its
// order. Each begins its detail with the path and points at where the
// path's value is defined (Origin: the user's line that set it, or the
// option's default), so that a user reading the error sees their own
// line rather than the block's condition; when the user's modules set
// it in other places too, a second line names them. A path that
// nothing defines (not even a default) keeps the condition as its
// place: its nearest defined ancestor would point at a line that is not
// the fault. A path the configuration does not have is an error at the
// at attribute; the block's diagnostic then stays at its condition.
func (e *Evaluation) pointAt(d *hcl.Diagnostic, at eval.At) hcl.Diagnostics {
	out := make(hcl.Diagnostics, 0, len(at.Paths))
	for _, s := range at.Paths {
		p, err := e.ParsePath(s)
		if err != nil {
			whole := *d
			whole.Extra = nil
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid at",
				Detail:   "The at of an assert or warn block names option paths of the configuration: " + err.Error() + ".",
				Subject:  at.Range.Ptr(),
			}, &whole}
		}
		name := p.String()
		x := *d
		x.Extra = nil
		x.Detail = name + ": " + d.Detail
		if o, ok := e.Origin(name); ok && o.Path == name {
			x.Subject = o.Subject().Ptr()
			// The user's other lines that set it: the fault may be in
			// their sum (text in one module, source in another).
			user, _ := o.Others()
			also := make([]string, len(user))
			for i, r := range user {
				also[i] = e.set.Ref(r)
			}
			if len(also) > 0 {
				x.Detail += "\n" + name + " is also defined at " + strings.Join(also, ", ") + "."
			}
		}
		out = append(out, &x)
	}
	return out
}
