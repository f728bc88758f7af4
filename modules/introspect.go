package modules

import (
	"sort"
	"strings"

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

// Options lists the declared options under prefix (a dotted path; ""
// for all), sorted by path.
func (e *Evaluation) Options(prefix string) []OptionInfo {
	if e.tree == nil {
		return nil
	}
	var out []OptionInfo
	for _, l := range e.tree.List() {
		p := l.Path.String()
		if prefix != "" && p != prefix && !strings.HasPrefix(p, prefix+".") {
			continue
		}
		o := l.Option
		info := OptionInfo{
			Path: p, Type: o.Type.String(), Description: o.Description,
			Default: e.sourceText(o.Default), Example: e.sourceText(o.Example),
			Builtin: o.Module != nil && o.Module.Builtin,
		}
		for _, d := range o.Decls {
			info.Declared = append(info.Declared, e.set.Ref(d))
		}
		out = append(out, info)
	}
	return out
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
