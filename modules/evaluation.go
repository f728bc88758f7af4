package modules

import (
	"fmt"
	"runtime"

	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/eval"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/render"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// An Evaluation is a loaded configuration whose values are computed on
// demand. It is not safe for concurrent use.
type Evaluation struct {
	set  *loader.Set
	tree *schema.Tree
	coll *defs.Collection
	ev   *eval.Evaluator
	seen int // diagnostics of ev already returned
	// returned holds the diagnostics returned (newDiags), to leave out
	// the same one found again.
	returned map[diagKey]bool
}

// Load parses the modules, declares their options and collects their
// definitions. The Evaluation is nil only when nothing could be loaded;
// with errors in the diagnostics it still serves Sources.
func Load(opts Options) (*Evaluation, hcl.Diagnostics) {
	e, diags := LoadDeclarations(opts)
	if diags.HasErrors() {
		return e, diags
	}
	tree := e.tree
	e.tree = nil // set only once the definitions are collected too
	coll, d := defs.Collect(e.set, tree)
	diags = append(diags, d...)
	if d.HasErrors() {
		return e, diags
	}
	host := cty.ObjectVal(map[string]cty.Value{
		"os":     cty.StringVal(opts.Host.OS),
		"arch":   cty.StringVal(opts.Host.Arch),
		"name":   cty.StringVal(opts.Host.Name),
		"user":   cty.StringVal(opts.Host.User),
		"distro": cty.StringVal(opts.Host.Distro),
	})
	e.tree, e.coll = tree, coll
	e.ev = eval.New(e.set, tree, coll, host, opts.getenv())
	if opts.forkWorkers != 0 {
		e.ev.SetForking(opts.forkMembers, opts.forkWorkers)
	}
	return e, diags
}

// Source returns a module file's content, for showing diagnostics.
func (e *Evaluation) Source(filename string) []byte { return e.set.Source(filename) }

// ModuleCount is the number of user modules loaded (built-ins excluded).
func (e *Evaluation) ModuleCount() int { return e.set.UserModules() }

// newDiags returns the evaluator's diagnostics not returned before,
// each once: the same error found again (the same words at the same
// place) is left out. A submodule's default is evaluated for every
// instance: an error in it was printed once for each user.
func (e *Evaluation) newDiags() hcl.Diagnostics {
	all := e.ev.Diagnostics()
	d := all[e.seen:]
	e.seen = len(all)
	if len(d) == 0 {
		return d
	}
	out := make(hcl.Diagnostics, 0, len(d))
	for _, x := range e.expandAt(d) {
		k := diagKey{severity: x.Severity, summary: x.Summary, detail: x.Detail}
		if x.Subject != nil {
			k.file, k.from, k.to = x.Subject.Filename, x.Subject.Start.Byte, x.Subject.End.Byte
		}
		if e.returned[k] {
			continue
		}
		if e.returned == nil {
			e.returned = map[diagKey]bool{}
		}
		e.returned[k] = true
		out = append(out, x)
	}
	return out
}

// expandAt replaces each diagnostic of an assert or warn block with an
// at attribute by the ones pointAt makes of it.
func (e *Evaluation) expandAt(d hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for i, x := range d {
		at, ok := x.Extra.(eval.At)
		if !ok {
			if out != nil {
				out = append(out, x)
			}
			continue
		}
		if out == nil {
			out = append(make(hcl.Diagnostics, 0, len(d)+len(at.Paths)), d[:i]...)
		}
		out = append(out, e.pointAt(x, at)...)
	}
	if out == nil {
		return d
	}
	return out
}

// A diagKey is what makes two diagnostics the same error for a user.
type diagKey struct {
	severity        hcl.DiagnosticSeverity
	summary, detail string
	file            string
	from, to        int
}

// ParsePath parses an option path and checks that the schema declares
// something there.
func (e *Evaluation) ParsePath(s string) (optpath.Path, error) {
	p, err := optpath.Parse(s)
	if err != nil {
		return nil, err
	}
	pos := e.tree.Root()
	for i, k := range p {
		next := e.tree.Child(pos, k)
		if next.Kind == schema.None {
			if pos.Kind == schema.Value && pos.Type.Base().Kind != schema.Submodule {
				return nil, fmt.Errorf("%s is of type %s and has no key %s", p[:i], pos.Type, optpath.Segment(k))
			}
			msg := fmt.Sprintf("the option %s is not declared", p[:i+1])
			if s := e.tree.Suggest(p[:i+1]); len(s) > 0 {
				msg += fmt.Sprintf(" (did you mean %s?)", joinOr(s))
			}
			return nil, fmt.Errorf("%s", msg)
		}
		pos = next
	}
	return p, nil
}

// Value computes the value at an option path (lazily: only what it
// needs). set is false when the option is unset.
func (e *Evaluation) Value(path string) (v cty.Value, set bool, diags hcl.Diagnostics) {
	p, err := e.ParsePath(path)
	if err != nil {
		return cty.NilVal, false, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid option path", Detail: err.Error()}}
	}
	v, set = e.ev.Value(p)
	return v, set, e.newDiags()
}

// All evaluates the whole configuration and runs the assert and warn
// blocks.
func (e *Evaluation) All() (cty.Value, hcl.Diagnostics) {
	v := e.ev.All()
	return v, e.newDiags()
}

// CheckUnder runs the assert and warn blocks whose at names options
// under prefix alone (see eval.Evaluator.CheckUnder) and returns what
// they report; All and JSON("") do not report it again.
func (e *Evaluation) CheckUnder(prefix string) hcl.Diagnostics {
	e.ev.CheckUnder(prefix)
	return e.newDiags()
}

// JSON returns plain JSON for the value at path ("" means the whole
// configuration, with the assert and warn blocks run), leaving unset
// options out. It returns "null" for an unset option.
func (e *Evaluation) JSON(path string) ([]byte, hcl.Diagnostics) {
	var out []byte
	var err error
	var diags hcl.Diagnostics
	if path == "" {
		// The whole configuration: written on every core while the
		// assert and warn blocks run, and kept only if they pass.
		e.ev.AllBeside(func(v cty.Value) {
			out, err = render.AppendJSONConcurrent(nil, v, e.skip(nil), runtime.GOMAXPROCS(0))
		})
		if diags = e.newDiags(); diags.HasErrors() {
			return nil, diags
		}
	} else {
		var v cty.Value
		var p optpath.Path
		if v, p, diags = e.valueFor(path); diags.HasErrors() {
			return nil, diags
		}
		out, err = render.AppendJSON(nil, v, e.skip(p))
	}
	if err != nil {
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot encode JSON", Detail: err.Error()})
	}
	return out, diags
}

// HCL returns the value at path as HCL text: attributes for the whole
// configuration, an expression otherwise. Unset options are left out.
func (e *Evaluation) HCL(path string) (string, hcl.Diagnostics) {
	v, p, diags := e.valueFor(path)
	if diags.HasErrors() {
		return "", diags
	}
	v = prune(v, p, e.ev.Unset)
	if len(p) == 0 {
		return render.Attributes(v), diags
	}
	return render.Block(v, 0) + "\n", diags
}

func (e *Evaluation) valueFor(path string) (cty.Value, optpath.Path, hcl.Diagnostics) {
	if path == "" {
		v, diags := e.All()
		return v, optpath.Path{}, diags
	}
	p, err := e.ParsePath(path)
	if err != nil {
		return cty.NilVal, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid option path", Detail: err.Error()}}
	}
	v, _ := e.ev.Value(p)
	return v, p, e.newDiags()
}

// skip leaves unset options out of output below base. It asks about
// every member written, so it reuses one path; below the root it is not
// safe for concurrent use (at the root it is Evaluator.Unset, which is).
func (e *Evaluation) skip(base optpath.Path) render.Skip {
	if len(base) == 0 {
		return e.ev.Unset
	}
	var p []string
	return func(rel []string) bool {
		p = append(append(p[:0], base...), rel...)
		return e.ev.Unset(p)
	}
}

// prune removes unset options (and groups left empty) from v.
func prune(v cty.Value, base optpath.Path, unset func([]string) bool) cty.Value {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return v
	}
	attrs := map[string]cty.Value{}
	for k := range v.Type().AttributeTypes() {
		p := base.Append(k)
		if unset(p) {
			continue
		}
		attrs[k] = prune(v.GetAttr(k), p, unset)
	}
	return cty.ObjectVal(attrs)
}

func joinOr(s []string) string {
	switch len(s) {
	case 1:
		return s[0]
	case 2:
		return s[0] + " or " + s[1]
	}
	return s[0] + ", " + s[1] + " or " + s[2]
}
