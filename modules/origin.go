package modules

import (
	"slices"

	"github.com/gocfg/gocfg/modules/defs"
	"github.com/hashicorp/hcl/v2"
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
}

// Subject is the range an error about the value points at: the first
// of Ranges in a user's module, or the first of all when every one is
// in a built-in. Of a value that built-in modules and the user's make
// together (networking.firewall.allowed_tcp_ports, where
// services.openssh adds its ports; home_files.alice.".config/git/config",
// which programs.git makes and the user forces), the user's line is the
// one they can change.
func (o Origin) Subject() hcl.Range {
	for _, r := range o.Ranges {
		if !IsBuiltinFile(r.Filename) {
			return r
		}
	}
	return o.Ranges[0]
}

// Origin looks up where the value at path (an option path such as
// users.alice.shell or environment.etc."../evil") is defined. Call it
// after the configuration has been evaluated. ok is false when path is
// not a path of the configuration, or nothing defines it or any of its
// ancestors.
func (e *Evaluation) Origin(path string) (o Origin, ok bool) {
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
		return o, true
	}
	return Origin{}, false
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
