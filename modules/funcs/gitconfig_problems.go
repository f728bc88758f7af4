package funcs

import (
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// gitProblemType is an element of gitconfig_problems' result: kind is
// what one assert reports ("section", "subsection", "key", "value",
// "nul", "case", "twice"), at the option path, name the setting as
// written ("init.defaultBranch", "url.git@host:.insteadOf"), setting the
// setting as git compares it (section and key names in lower case: the
// key of a table of typed options), and group, for "case", the names of
// every entry of that setting ("init.defaultBranch and
// init.defaultbranch").
var gitProblemType = cty.Object(map[string]cty.Type{
	"kind": cty.String, "at": cty.String, "name": cty.String, "setting": cty.String, "group": cty.String,
})

// gitconfigProblemsFunc is gitconfig_problems(config, at, also): what in
// config, an object of section → { key → value } as gitconfig_encode
// takes it, git-config(1) refuses or git would read otherwise than
// meant, each with its option path under at, so that the asserts of
// core/git.hcl and core/home_git.hcl point at the user's line (an error
// of gitconfig_encode would point at its call) and both modules check
// the same things in one place:
//   - a section name not letters, digits, - and . ("section": the
//     subsection written inside the section's name, as git writes it,
//     is the usual mistake);
//   - a subsection name holding a newline or NUL ("subsection");
//   - a key not a letter then letters, digits and - ("key");
//   - a value not a string, number, bool, null or a list of them, or an
//     object anywhere but directly in a section ("value");
//   - a value holding a NUL ("nul");
//   - one setting written twice, names differing in case only, which git
//     reads as one, keeping the last value ("case");
//   - a setting also in also, the settings written beside config by
//     typed options ("twice").
//
// A setting whose value is null is not written, and counts for neither
// "case" nor "twice". Problems come in config's order (sorted names).
var gitconfigProblemsFunc = function.New(&function.Spec{
	Description: "What gitconfig_encode refuses, or git would read otherwise than meant, in a git config object, as a list of { kind, at, name, setting, group }, at the option path under the prefix at; also is the settings written beside it (typed options), which config must not set again.",
	Params: []function.Parameter{
		{Name: "config", Type: cty.DynamicPseudoType, AllowNull: true, AllowDynamicType: true},
		{Name: "at", Type: cty.String},
		{Name: "also", Type: cty.DynamicPseudoType, AllowNull: true, AllowDynamicType: true},
	},
	Type: function.StaticReturnType(cty.List(gitProblemType)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() || !args[2].IsWhollyKnown() {
			return cty.UnknownVal(cty.List(gitProblemType)), nil
		}
		ps := gitProblems(args[0], args[1].AsString(), args[2])
		if len(ps) == 0 {
			return cty.ListValEmpty(gitProblemType), nil
		}
		out := make([]cty.Value, len(ps))
		for i, p := range ps {
			out[i] = cty.ObjectVal(map[string]cty.Value{
				"kind": cty.StringVal(p.kind), "at": cty.StringVal(p.at), "name": cty.StringVal(p.name),
				"setting": cty.StringVal(p.setting), "group": cty.StringVal(p.group),
			})
		}
		return cty.ListVal(out), nil
	},
})

type gitProblem struct{ kind, at, name, setting, group string }

// gitEntry is one key of a git config object, in a section or a
// subsection.
type gitEntry struct {
	at, name, key, setting string
	value                  cty.Value
}

// gitProblems does gitconfig_problems' work.
func gitProblems(config cty.Value, at string, also cty.Value) []gitProblem {
	var ps []gitProblem
	entries := gitEntries(config, at, func(p gitProblem) { ps = append(ps, p) })
	for _, e := range entries {
		if !checkGitKeyName(e.key) {
			ps = append(ps, gitProblem{kind: "key", at: e.at, name: e.name, setting: e.setting})
		}
	}
	for _, e := range entries {
		switch gitValueKind(e.value) {
		case "value":
			ps = append(ps, gitProblem{kind: "value", at: e.at, name: e.name, setting: e.setting})
		case "nul":
			ps = append(ps, gitProblem{kind: "nul", at: e.at, name: e.name, setting: e.setting})
		}
	}
	// One setting, its names differing in case.
	names := map[string][]string{}
	for _, e := range entries {
		if !e.value.IsNull() {
			names[e.setting] = append(names[e.setting], e.name)
		}
	}
	for _, e := range entries {
		if n := names[e.setting]; !e.value.IsNull() && len(n) > 1 {
			ps = append(ps, gitProblem{kind: "case", at: e.at, name: e.name, setting: e.setting, group: strings.Join(n, " and ")})
		}
	}
	// Settings also written by the typed options.
	typed := map[string]bool{}
	for _, e := range gitEntries(also, "", func(gitProblem) {}) {
		if !e.value.IsNull() {
			typed[e.setting] = true
		}
	}
	for _, e := range entries {
		if typed[e.setting] && !e.value.IsNull() {
			ps = append(ps, gitProblem{kind: "twice", at: e.at, name: e.name, setting: e.setting})
		}
	}
	return ps
}

// gitEntries lists config's keys, sections and subsections sorted by
// name (as HCL's for iterates), reporting bad section and subsection
// names (and a section that is not an object, as a "value") to bad.
func gitEntries(config cty.Value, at string, bad func(gitProblem)) []gitEntry {
	if config.IsNull() || !isMapLike(config.Type()) {
		return nil
	}
	var out []gitEntry
	for _, s := range sortedElements(config) {
		sat := sshPath(at, s.name, true)
		if !checkGitSectionName(s.name) {
			bad(gitProblem{kind: "section", at: sat, name: s.name})
		}
		if s.value.IsNull() {
			continue
		}
		if !isMapLike(s.value.Type()) {
			bad(gitProblem{kind: "value", at: sat, name: s.name})
			continue
		}
		for _, k := range sortedElements(s.value) {
			kat := sshPath(sat, k.name, true)
			if k.value.IsNull() || !isMapLike(k.value.Type()) {
				out = append(out, gitEntry{at: kat, name: s.name + "." + k.name, key: k.name,
					setting: strings.ToLower(s.name) + "." + strings.ToLower(k.name), value: k.value})
				continue
			}
			if strings.ContainsAny(k.name, "\n\x00") {
				bad(gitProblem{kind: "subsection", at: kat, name: s.name + "." + k.name})
			}
			for _, kk := range sortedElements(k.value) {
				out = append(out, gitEntry{at: sshPath(kat, kk.name, true), name: s.name + "." + k.name + "." + kk.name, key: kk.name,
					setting: strings.ToLower(s.name) + "." + k.name + "." + strings.ToLower(kk.name), value: kk.value})
			}
		}
	}
	return out
}

type namedValue struct {
	name  string
	value cty.Value
}

// sortedElements are a map's or object's elements by name.
func sortedElements(v cty.Value) []namedValue {
	var out []namedValue
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		out = append(out, namedValue{k.AsString(), e})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// gitValueKind is "" for a value gitconfig_encode writes, "value" for
// one of a type it refuses (an object inside a subsection, a list of
// lists), "nul" for a string holding a NUL.
func gitValueKind(v cty.Value) string {
	if v.IsNull() {
		return ""
	}
	t := v.Type()
	if t.IsListType() || t.IsTupleType() || t.IsSetType() {
		kind := ""
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if e.IsNull() {
				continue
			}
			switch k := gitScalarKind(e); k {
			case "value":
				return k
			case "nul":
				kind = k
			}
		}
		return kind
	}
	return gitScalarKind(v)
}

func gitScalarKind(v cty.Value) string {
	switch v.Type() {
	case cty.String:
		if strings.ContainsRune(v.AsString(), 0) {
			return "nul"
		}
		return ""
	case cty.Number, cty.Bool:
		return ""
	}
	return "value"
}

// checkGitSectionName and checkGitKeyName are checkGitSection's and
// checkGitKey's rules as a yes or no.
func checkGitSectionName(name string) bool { return checkGitSection(name) == nil }

func checkGitKeyName(key string) bool { return checkGitKey("", key) == nil }
