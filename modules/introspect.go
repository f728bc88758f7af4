package modules

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/gocfg/gocfg/modules/builtin"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/hashicorp/hcl/v2"
)

// OptionInfo describes one declared option, for `gocfg options` and the
// generated reference.
type OptionInfo struct {
	// Path is the option's path, with <name> for attribute-set keys and
	// * for list elements: users.<name>.shell.
	Path        string `json:"path"`
	Type        string `json:"type"`
	Description string `json:"description"`
	// Default and Example are the expressions' source text; empty when
	// there is none.
	Default string `json:"default,omitempty"`
	Example string `json:"example,omitempty"`
	// Declared lists where it is declared, as file:line:column; built-in
	// modules as <builtin>/...
	Declared []string `json:"declared"`
	Builtin  bool     `json:"builtin"`
}

// LoadDeclarations parses the modules and declares their options,
// without collecting their definitions: enough to list and look up the
// declared options (Options, ParsePath) of a configuration whose
// definitions have errors, such as the undeclared option whose hint
// points at `gocfg options`. Nothing else may be asked of it.
func LoadDeclarations(opts Options) (*Evaluation, hcl.Diagnostics) {
	fsys := opts.Builtins
	if fsys == nil && !opts.NoBuiltins {
		fsys = builtin.FS
	}
	entry := opts.Entry
	if entry != "" {
		// Module folders must be absolute: path values and path() are.
		if abs, err := filepath.Abs(entry); err == nil {
			entry = abs
		}
	}
	set, diags := loader.Load(entry, fsys, opts.WorkDir, opts.Reader)
	e := &Evaluation{set: set}
	if diags.HasErrors() {
		return e, diags
	}
	tree, d := schema.Declare(set)
	diags = append(diags, d...)
	if d.HasErrors() {
		return e, diags
	}
	e.tree = tree
	return e, diags
}

// Options lists the declared options under prefix (a dotted path; ""
// for all), sorted by path. A key of an attribute set or a list in prefix
// matches the declaration's <name> or *: users.daniel lists
// users.<name> and users.<name>.shell. A prefix inside an option's value
// that declares nothing below it (a key of a free-form value) lists that
// option.
func (e *Evaluation) Options(prefix string) []OptionInfo {
	if e.tree == nil {
		return nil
	}
	want, err := optpath.Parse(prefix)
	if err != nil {
		want = nil
	}
	listed := e.tree.List()
	var out []OptionInfo
	for _, l := range listed {
		if p := l.Path.String(); prefix != "" && p != prefix && !strings.HasPrefix(p, prefix+".") && (want == nil || !underDeclared(l.Path, want)) {
			continue
		}
		out = append(out, e.optionInfo(l))
	}
	if len(out) == 0 && len(want) > 0 {
		// The deepest option whose value holds prefix.
		var deepest *schema.Listed
		for i, l := range listed {
			if underDeclared(want, l.Path) && (deepest == nil || len(l.Path) > len(deepest.Path)) {
				deepest = &listed[i]
			}
		}
		if deepest != nil {
			out = append(out, e.optionInfo(*deepest))
		}
	}
	return out
}

// underDeclared reports whether the path p is prefix or below it,
// where a <name> or * segment of either stands for any key.
func underDeclared(p, prefix optpath.Path) bool {
	if len(p) < len(prefix) {
		return false
	}
	for i, k := range prefix {
		if k != p[i] && !isWildcard(k) && !isWildcard(p[i]) {
			return false
		}
	}
	return true
}

func isWildcard(seg string) bool { return seg == "<name>" || seg == "*" }

// optionInfo describes one listed option.
func (e *Evaluation) optionInfo(l schema.Listed) OptionInfo {
	o := l.Option
	info := OptionInfo{
		Path: l.Path.String(), Type: o.Type.String(), Description: o.Description,
		Default: e.sourceText(o.Default), Example: e.sourceText(o.Example),
		Builtin: o.Module != nil && o.Module.Builtin,
	}
	for _, d := range o.Decls {
		info.Declared = append(info.Declared, e.set.Ref(d))
	}
	return info
}

func (e *Evaluation) sourceText(x hcl.Expression) string {
	if x == nil {
		return ""
	}
	r := x.Range()
	src := e.set.Source(r.Filename)
	if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
		return ""
	}
	text := string(src[r.Start.Byte:r.End.Byte])
	// Continuation lines carry the indentation of the line the
	// expression starts on; remove it so the text stands on its own.
	lineStart := r.Start.Byte
	for lineStart > 0 && src[lineStart-1] != '\n' {
		lineStart--
	}
	indent := 0
	for lineStart+indent < len(src) && (src[lineStart+indent] == ' ' || src[lineStart+indent] == '\t') {
		indent++
	}
	if indent == 0 || !strings.Contains(text, "\n") {
		return text
	}
	pad := string(src[lineStart : lineStart+indent])
	lines := strings.Split(text, "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.TrimPrefix(lines[i], pad)
	}
	return strings.Join(lines, "\n")
}

// SetCount counts the top-level declared options that have a value
// (sub-options of attribute sets and lists are not counted). Call it
// after All.
func (e *Evaluation) SetCount() int {
	if e.tree == nil {
		return 0
	}
	n := 0
	for _, l := range e.tree.List() {
		if l.Option.Path.String() != l.Path.String() {
			continue // a sub-option, listed as users.<name>.shell
		}
		if v, set := e.ev.Value(l.Path); set && !v.IsNull() {
			n++
		}
	}
	return n
}

// Complete returns the option paths one level below the last dot of
// prefix that start with what follows it. more is true for each path
// that has members of its own (a group, an attribute set, a submodule).
func (e *Evaluation) Complete(prefix string) (paths []string, more []bool) {
	if e.tree == nil {
		return nil, nil
	}
	head, partial := "", prefix
	if i := strings.LastIndex(prefix, "."); i >= 0 {
		head, partial = prefix[:i], prefix[i+1:]
	}
	p, err := optpath.Parse(head)
	if err != nil {
		return nil, nil
	}
	pos := e.tree.Root()
	for _, k := range p {
		if pos = e.tree.Child(pos, k); pos.Kind == schema.None {
			return nil, nil
		}
	}
	var keys []string
	switch {
	case pos.Kind == schema.Group:
		keys = pos.Node.SortedKeys()
	case pos.Kind == schema.Value && pos.Type.Base().Kind == schema.Submodule:
		keys = pos.Type.Base().Options.SortedKeys()
	case pos.HasKeys() || (pos.Kind == schema.Value && pos.Type.Base().Kind == schema.Anything):
		v, _ := e.ev.Value(p)
		if v.IsKnown() && !v.IsNull() && v.Type().IsObjectType() {
			for k := range v.Type().AttributeTypes() {
				keys = append(keys, k)
			}
			sort.Strings(keys)
		}
	}
	for _, k := range keys {
		seg := optpath.Segment(k)
		if !strings.HasPrefix(seg, partial) && !strings.HasPrefix(k, partial) {
			continue
		}
		child := e.tree.Child(pos, k)
		full := seg
		if head != "" {
			full = head + "." + seg
		}
		paths = append(paths, full)
		more = append(more, child.HasKeys())
	}
	return paths, more
}

// IsBuiltinFile reports whether a file name is a built-in module's.
func IsBuiltinFile(name string) bool { return strings.HasPrefix(name, loader.BuiltinPrefix) }

// Declares reports whether an option or a group of options is declared
// exactly at path, rather than it being a key inside an option's value.
func (e *Evaluation) Declares(path string) bool {
	p, err := e.ParsePath(path)
	if err != nil {
		return false
	}
	pos := e.ev.Position(p)
	return pos.Kind == schema.Group || pos.Option != nil
}
