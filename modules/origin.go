package modules

import (
	"slices"

	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// An Origin is where a value of the configuration is written: what an
// error about the value, found after evaluation (a provider refusing a
// target or a shell), points at, the way Terraform's
// tfdiags.AttributeValue points at an attribute's expression.
type Origin struct {
	// Path is the path whose definitions Ranges are: the one asked
	// for or, when nothing defines it, its nearest ancestor that is
	// defined.
	Path string
	// Ranges are the most specific source range of each definition
	// that makes the value (after `when` and priorities), in module
	// order and without repeats. A value that is a single thing (a
	// string, a list) is pointed at by its expression; one made of keys
	// (a group, an attribute set, a submodule) by the key naming it: the
	// block's type or label, the attribute's name or the object
	// constructor's key. A value that comes out of an expression defining
	// something above it (users = local.people) is that expression.
	Ranges []hcl.Range
	// Default is set when no module defines the value and it is the
	// option's default: Ranges then holds the default's expression in
	// the option's declaration.
	Default bool
	// Via is set when only built-in modules define the value, from
	// options the user sets (groups.docker.members, which the docker
	// module sets to virtualisation.docker.users; the sudoers file,
	// made from security.sudo's options through a local): their paths,
	// in the order the definitions read them, and ViaRange the user's
	// line that sets the first. ViaWhen says that they are read by the
	// definitions' `when` conditions only: the options that make the
	// definitions count (systemd.units."ssh.service", which the openssh
	// module defines when services.openssh.enable is on).
	Via      []string
	ViaRange hcl.Range
	ViaWhen  bool
}

// Subject is the range an error about the value points at: the first
// of Ranges in a user's module, or the first of all when every one is
// in a built-in. Of a value that built-in modules and the user's make
// together (networking.firewall.allowed_tcp_ports, where
// services.openssh adds its ports; home_files.alice.".config/git/config",
// which programs.git makes and the user forces), the user's line is the
// one they can change. A value only built-in modules define, from an
// option the user sets, points at where the user sets that one (Via).
func (o Origin) Subject() hcl.Range {
	for _, r := range o.Ranges {
		if !IsBuiltinFile(r.Filename) {
			return r
		}
	}
	if len(o.Via) > 0 {
		return o.ViaRange
	}
	return o.Ranges[0]
}

// Others are the ranges of o other than its Subject: the user's modules'
// first, then the built-in modules', each in module order; what an
// error adds as "also defined at".
func (o Origin) Others() (user, builtin []hcl.Range) {
	subject := o.Subject()
	for _, r := range o.Ranges {
		switch {
		case r == subject:
		case IsBuiltinFile(r.Filename):
			builtin = append(builtin, r)
		default:
			user = append(user, r)
		}
	}
	return user, builtin
}

// Origin looks up where the value at path (an option path such as
// users.alice.shell or environment.etc."../evil") is defined. Call it
// after the configuration has been evaluated. ok is false when path is
// not a path of the configuration, or nothing defines it or any of its
// ancestors.
func (e *Evaluation) Origin(path string) (o Origin, ok bool) {
	return e.origin(path, true)
}

// origin is Origin; via says whether to look for Via (not when looking
// for the Via of another value: one step back is enough to reach the
// user's option, and no definition chain can loop).
func (e *Evaluation) origin(path string, via bool) (o Origin, ok bool) {
	if e.ev == nil {
		return Origin{}, false
	}
	p, err := e.ParsePath(path)
	if err != nil {
		return Origin{}, false
	}
	for ; len(p) > 0; p = p[:len(p)-1] {
		ds := slices.Clone(e.ev.Definitions(p))
		if len(ds) == 0 {
			continue
		}
		slices.SortStableFunc(ds, func(a, b *defs.Def) int { return a.Seq - b.Seq })
		keyed := e.ev.Position(p).HasKeys()
		o := Origin{Path: p.String()}
		for _, d := range ds {
			o.Default = o.Default || d.OptionDefault
			r := definitionRange(d, len(p), keyed)
			if !slices.Contains(o.Ranges, r) {
				o.Ranges = append(o.Ranges, r)
			}
		}
		if via && !o.Default && !slices.ContainsFunc(o.Ranges, func(r hcl.Range) bool { return !IsBuiltinFile(r.Filename) }) {
			o.Via, o.ViaRange, o.ViaWhen = e.userOptionsRead(ds)
		}
		return o, true
	}
	return Origin{}, false
}

// userOptionsRead are the options that the built-in definitions ds
// read, directly or through their modules' locals (as far as a path's
// keys are written as names or constants), whose values a user's module
// sets, and where the first is set: the options a user changes to
// change a value those definitions make from them. When their values
// read none, the options their `when` conditions read (when is true).
func (e *Evaluation) userOptionsRead(ds []*defs.Def) (paths []string, first hcl.Range, when bool) {
	r := optionsReader{e: e, seen: map[hcl.Expression]bool{}}
	for _, d := range ds {
		if d.Expr != nil && !d.OptionDefault {
			r.read(d.Expr, d.Module)
		}
	}
	if len(r.paths) > 0 {
		return r.paths, r.first, false
	}
	for _, d := range ds {
		for _, c := range d.Conds() {
			r.read(c.Expr, c.Module)
		}
	}
	return r.paths, r.first, len(r.paths) > 0
}

// An optionsReader collects the user-set options expressions read.
type optionsReader struct {
	e     *Evaluation
	seen  map[hcl.Expression]bool // each expression read once: locals can refer to one another
	paths []string
	first hcl.Range
}

// read adds the user-set options x reads, and those of the locals of m
// that it reads.
func (r *optionsReader) read(x hcl.Expression, m *loader.Module) {
	if r.seen[x] {
		return
	}
	r.seen[x] = true
	for _, t := range x.Variables() {
		if t.RootName() == "local" && len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				if lx := r.e.coll.Locals[m][a.Name]; lx != nil {
					r.read(lx, m)
				}
			}
			continue
		}
		p := configPath(t)
		if p == nil {
			continue
		}
		// Only where the path read is itself defined: an unset
		// option's nearest defined ancestor (the user's networking
		// block, for networking.host_name) is another option.
		path := p.String()
		o, ok := r.e.origin(path, false)
		if !ok || o.Path != path || IsBuiltinFile(o.Subject().Filename) || slices.Contains(r.paths, o.Path) {
			continue
		}
		if len(r.paths) == 0 {
			r.first = o.Subject()
		}
		r.paths = append(r.paths, o.Path)
	}
}

// configPath is the option path a traversal of config reads, as far as
// its steps are names and constant keys; nil for another variable.
func configPath(t hcl.Traversal) optpath.Path {
	if t.RootName() != "config" {
		return nil
	}
	var p optpath.Path
	for _, step := range t[1:] {
		switch s := step.(type) {
		case hcl.TraverseAttr:
			p = append(p, s.Name)
		case hcl.TraverseIndex:
			if !s.Key.IsKnown() || s.Key.IsNull() || s.Key.Type() != cty.String {
				return p
			}
			p = append(p, s.Key.AsString())
		default:
			return p
		}
	}
	return p
}

// definitionRange is the most specific range of d for the path of depth
// n it reaches; keyed tells whether the value there is made of keys.
func definitionRange(d *defs.Def, n int, keyed bool) hcl.Range {
	key, ok := d.KeyRange(n)
	if !ok {
		// An option's default, or a part of an evaluated object.
		return d.Range()
	}
	if len(d.Path) > n || keyed || d.Marker {
		return key
	}
	switch d.Expr.(type) {
	case *defs.BlockExpr, *defs.ListOfOne:
		return key
	}
	return d.Range()
}
