package schema

import (
	"github.com/gocfg/gocfg/modules/optpath"
)

// A Listed option is an option with the path people use for it in docs:
// `users.<name>.shell` for a sub-option of an attribute set of
// submodules, `macos.keyboard.user_key_mapping.*.src` for one in a list.
type Listed struct {
	Path   optpath.Path
	Option *Option
}

// List returns every option, sub-options included, sorted by path.
func (t *Tree) List() []Listed {
	var out []Listed
	listGroup(t.root, optpath.Path{}, &out)
	return out
}

func listGroup(n *Node, base optpath.Path, out *[]Listed) {
	for _, k := range n.SortedKeys() {
		c := n.Children[k]
		p := base.Append(k)
		if c.Option == nil {
			listGroup(c, p, out)
			continue
		}
		*out = append(*out, Listed{Path: p, Option: c.Option})
		listType(c.Option.Type, p, out)
	}
}

func listType(t *Type, p optpath.Path, out *[]Listed) {
	for {
		t = t.Base()
		switch t.Kind {
		case AttrsOf:
			p, t = p.Append("<name>"), t.Elem
		case ListOf:
			p, t = p.Append("*"), t.Elem
		case Submodule:
			listGroup(t.Options, p, out)
			return
		default:
			return
		}
	}
}

// Suggest returns up to three declared option paths close to the
// undeclared path p: siblings with a similar name where p's parent
// exists, else options whose path ends like p.
func (t *Tree) Suggest(p optpath.Path) []string {
	if len(p) == 0 {
		return nil
	}
	pos := t.Root()
	for i, key := range p {
		next := t.Child(pos, key)
		if next.Kind != None {
			pos = next
			continue
		}
		var group *Node
		switch {
		case pos.Kind == Group:
			group = pos.Node
		case pos.Kind == Value && pos.Type.Base().Kind == Submodule:
			group = pos.Type.Base().Options
		}
		var out []string
		if group != nil {
			for _, name := range Suggest(group, key) {
				out = append(out, p[:i].Append(name).String())
			}
		}
		if len(out) == 0 {
			out = t.suffixMatches(p[i:])
		}
		return out
	}
	return nil
}

// suffixMatches finds options whose path ends with tail, such as
// macos.dock.autohide for dock.autohide.
func (t *Tree) suffixMatches(tail optpath.Path) []string {
	var out []string
	for _, l := range t.List() {
		if len(l.Path) <= len(tail) {
			continue
		}
		if l.Path[len(l.Path)-len(tail):].String() == tail.String() {
			out = append(out, l.Path.String())
			if len(out) == 3 {
				break
			}
		}
	}
	return out
}
