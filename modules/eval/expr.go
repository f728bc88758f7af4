package eval

import (
	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/funcs"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/objects"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// refSite is where a value is referenced from, for cycle reports.
type refSite struct{ rng hcl.Range }

func (r *refSite) rangePtr() *hcl.Range {
	if r == nil {
		return nil
	}
	return r.rng.Ptr()
}

// moduleCtx is the evaluation context of a module: the shared functions
// and `host` from the root, plus file() and path() for its folder.
func (e *Evaluator) moduleCtx(m *loader.Module) *hcl.EvalContext {
	if ctx, ok := e.modCtx[m]; ok {
		return ctx
	}
	ctx := e.root.NewChild()
	ctx.Functions = funcs.ForModule(m.Dir, e.set.ReadFunc())
	e.modCtx[m] = ctx
	return ctx
}

// evalExpr evaluates an expression of module m, computing first what it
// references. ok is false when the value is unusable because of errors
// (reported already).
func (e *Evaluator) evalExpr(expr hcl.Expression, m *loader.Module) (cty.Value, bool) {
	if v, ok := constant(expr); ok {
		return v, true
	}
	ctx := e.moduleCtx(m)
	if refs := expr.Variables(); len(refs) > 0 {
		cfg := &partial{}
		var locals map[string]cty.Value
		for _, tr := range refs {
			switch tr.RootName() {
			case "config":
				e.resolveConfig(tr, cfg)
			case "local":
				if locals == nil {
					locals = map[string]cty.Value{}
				}
				e.resolveLocal(tr, m, locals)
			}
		}
		ctx = ctx.NewChild()
		ctx.Variables = map[string]cty.Value{"config": cfg.value()}
		if locals != nil {
			ctx.Variables["local"] = objects.Val(locals)
		}
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		addHints(diags)
		e.diags = append(e.diags, diags...)
		return cty.DynamicVal, false
	}
	return v, v.IsWhollyKnown()
}

// resolveConfig computes what a `config.a.b...` reference reads, as deep
// as the reference and the schema allow, and puts it into cfg.
func (e *Evaluator) resolveConfig(tr hcl.Traversal, cfg *partial) {
	n := e.node(nil)
	site := &refSite{rng: tr.SourceRange()}
	for _, step := range tr[1:] {
		var key string
		switch s := step.(type) {
		case hcl.TraverseAttr:
			key = s.Name
		case hcl.TraverseIndex:
			if !s.Key.IsKnown() || s.Key.IsNull() || s.Key.Type() != cty.String {
				goto done
			}
			key = s.Key.AsString()
		default:
			goto done
		}
		child := e.child(n, key)
		switch {
		case child.pos.Kind == schema.None:
			if n.pos.Kind == schema.Group || (n.pos.Kind == schema.Value && n.pos.Type.Base().Kind == schema.Submodule) {
				e.diags = append(e.diags, defs.Undeclared(e.tree, n.pos, child.path, tr.SourceRange()))
				cfg.put(child.path, cty.DynamicVal)
				return
			}
			goto done
		case child.pos.Kind == schema.Value && child.pos.Option == nil:
			// A key of an attribute set (or of an anything value): it
			// exists only if definitions reach it.
			if len(e.filtered(child)) == 0 {
				cfg.ensure(n.path)
				return
			}
		}
		n = child
		if n.pos.Kind == schema.Value && n.pos.Type.IsScalar() {
			break
		}
	}
done:
	v, _ := e.value(n, site)
	cfg.put(n.path, v)
}

// resolveLocal computes the locals a `local.x` reference reads (all of
// the module's for a bare `local`).
func (e *Evaluator) resolveLocal(tr hcl.Traversal, m *loader.Module, out map[string]cty.Value) {
	exprs := e.coll.Locals[m]
	if len(tr) > 1 {
		if a, ok := tr[1].(hcl.TraverseAttr); ok {
			if _, exists := exprs[a.Name]; exists {
				out[a.Name] = e.local(m, a.Name, tr.SourceRange())
			}
			return
		}
	}
	// In name order, so that their problems come in the same order
	// every run.
	for _, name := range appendSortedKeys(nil, exprs) {
		out[name] = e.local(m, name, tr.SourceRange())
	}
}

func (e *Evaluator) local(m *loader.Module, name string, rng hcl.Range) cty.Value {
	ls := e.locals[m]
	if ls == nil {
		ls = map[string]*slot{}
		e.locals[m] = ls
	}
	if s, ok := ls[name]; ok && s.done {
		return s.value
	}
	t := task{kind: 'l', m: m, local: name}
	if !e.enter(t, rng.Ptr()) {
		return cty.DynamicVal
	}
	v, _ := e.evalExpr(e.coll.Locals[m][name], m)
	e.leave(t)
	ls[name] = &slot{value: v, done: true}
	return v
}

// partial is the part of `config` one expression reads.
type partial struct {
	whole *cty.Value
	kids  map[string]*partial
}

func (p *partial) walk(path optpath.Path) *partial {
	for _, k := range path {
		if p.whole != nil {
			return nil
		}
		if p.kids == nil {
			p.kids = map[string]*partial{}
		}
		next := p.kids[k]
		if next == nil {
			next = &partial{}
			p.kids[k] = next
		}
		p = next
	}
	return p
}

func (p *partial) put(path optpath.Path, v cty.Value) {
	if q := p.walk(path); q != nil && q.whole == nil {
		q.whole, q.kids = &v, nil
	}
}

func (p *partial) ensure(path optpath.Path) { p.walk(path) }

func (p *partial) value() cty.Value {
	if p.whole != nil {
		return *p.whole
	}
	attrs := make(map[string]cty.Value, len(p.kids))
	for k, c := range p.kids {
		attrs[k] = c.value()
	}
	return objects.Val(attrs)
}
