package funcs

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// gitconfigFunc is gitconfig_encode(config, ...): the text of a git
// config file (git-config(1) "CONFIGURATION FILE") from objects of
// section → { key → value }. A value is a string, number or bool (one
// line), a list of them (the key repeated, a multi-valued variable),
// null (left out), or an object: a subsection, `[section "name"]`,
// whose values are written the same way. Several arguments are merged
// section by section; a key set by two of them is an error, so typed
// options and a free-form map cannot silently override each other.
// Sections, subsections and keys come out sorted, except that include
// and includeIf sections come last: git takes a variable's last value,
// and an included file is read where its section is, so a file included
// earlier would be overridden by the sections after it (home-manager
// writes its includes at the end for the same reason). A section with
// nothing in it is left out.
var gitconfigFunc = function.New(&function.Spec{
	Description: "The text of a git config file from objects of section → { key → value } (an object value is a subsection); include and includeIf sections come last, so what the included files set wins.",
	VarParam: &function.Parameter{
		Name:             "config",
		Type:             cty.DynamicPseudoType,
		AllowNull:        true,
		AllowDynamicType: true,
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		for _, a := range args {
			if !a.IsWhollyKnown() {
				return cty.UnknownVal(cty.String), nil
			}
		}
		var g gitConfig
		for i, a := range args {
			if err := g.add(a); err != nil {
				return cty.UnknownVal(cty.String), function.NewArgError(i, err)
			}
		}
		return cty.StringVal(g.encode()), nil
	},
})

// gitSection is one `[section]` or `[section "sub"]`: each key's values
// (more than one for a multi-valued variable).
type gitSection map[string][]string

// gitConfig holds sections by "name" or "name\x00sub".
type gitConfig map[string]gitSection

func (g *gitConfig) section(name, sub string, hasSub bool) gitSection {
	if *g == nil {
		*g = gitConfig{}
	}
	id := name
	if hasSub {
		id += "\x00" + sub
	}
	s := (*g)[id]
	if s == nil {
		s = gitSection{}
		(*g)[id] = s
	}
	return s
}

// add merges one argument into g.
func (g *gitConfig) add(v cty.Value) error {
	if v.IsNull() {
		return nil
	}
	if !isMapLike(v.Type()) {
		return fmt.Errorf("a git config is an object of sections, not %s", v.Type().FriendlyName())
	}
	for it := v.ElementIterator(); it.Next(); {
		k, sv := it.Element()
		name := k.AsString()
		if err := checkGitSection(name); err != nil {
			return err
		}
		if sv.IsNull() {
			continue
		}
		if !isMapLike(sv.Type()) {
			return fmt.Errorf("section %s: an object of keys, not %s", name, sv.Type().FriendlyName())
		}
		for it := sv.ElementIterator(); it.Next(); {
			kk, vv := it.Element()
			key := kk.AsString()
			if !vv.IsNull() && isMapLike(vv.Type()) {
				// A subsection.
				if err := checkGitSubsection(name, key); err != nil {
					return err
				}
				for it := vv.ElementIterator(); it.Next(); {
					sk, sval := it.Element()
					if err := g.put(name, key, true, sk.AsString(), sval); err != nil {
						return err
					}
				}
				continue
			}
			if err := g.put(name, "", false, key, vv); err != nil {
				return err
			}
		}
	}
	return nil
}

// put sets key of the section (name, sub) to v.
func (g *gitConfig) put(name, sub string, hasSub bool, key string, v cty.Value) error {
	where := name + "." + key
	if hasSub {
		where = name + "." + sub + "." + key
	}
	if err := checkGitKey(where, key); err != nil {
		return err
	}
	if v.IsNull() {
		return nil
	}
	var vals []string
	t := v.Type()
	if t.IsListType() || t.IsTupleType() || t.IsSetType() {
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if e.IsNull() {
				continue
			}
			s, err := gitScalar(where, e)
			if err != nil {
				return err
			}
			vals = append(vals, s)
		}
		if len(vals) == 0 {
			return nil
		}
	} else {
		s, err := gitScalar(where, v)
		if err != nil {
			return err
		}
		vals = []string{s}
	}
	sec := g.section(name, sub, hasSub)
	if _, dup := sec[key]; dup {
		return fmt.Errorf("%s is set twice", where)
	}
	sec[key] = vals
	return nil
}

func isMapLike(t cty.Type) bool { return t.IsObjectType() || t.IsMapType() }

// gitScalar is the text of one value.
func gitScalar(where string, v cty.Value) (string, error) {
	switch v.Type() {
	case cty.String:
		s := v.AsString()
		if strings.ContainsRune(s, 0) {
			return "", fmt.Errorf("%s: a git config value cannot hold a NUL character", where)
		}
		return s, nil
	case cty.Bool:
		if v.True() {
			return "true", nil
		}
		return "false", nil
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), nil
	}
	return "", fmt.Errorf("%s: a value is a string, number, bool or a list of them, not %s", where, v.Type().FriendlyName())
}

// checkGitSection: "section names are case-insensitive. Only
// alphanumeric characters, - and . are allowed in section names."
func checkGitSection(name string) error {
	if name == "" {
		return errors.New("a section name cannot be empty")
	}
	for _, r := range name {
		if !isASCIIAlnum(r) && r != '-' && r != '.' {
			return fmt.Errorf("section name %q: only letters, digits, - and . are allowed (a subsection is an object inside the section)", name)
		}
	}
	return nil
}

// checkGitSubsection: a subsection may hold any character but newline
// and NUL; " and \ are escaped when written.
func checkGitSubsection(section, sub string) error {
	if strings.ContainsAny(sub, "\n\x00") {
		return fmt.Errorf("subsection %q of %s: cannot hold a newline or NUL", sub, section)
	}
	return nil
}

// checkGitKey: "The variable names are case-insensitive, allow only
// alphanumeric characters and -, and must start with an alphabetic
// character."
func checkGitKey(where, key string) error {
	if key == "" {
		return fmt.Errorf("%s: a key cannot be empty", where)
	}
	for i, r := range key {
		if !isASCIIAlnum(r) && (r != '-' || i == 0) || i == 0 && r >= '0' && r <= '9' {
			return fmt.Errorf("%s: a key starts with a letter and holds only letters, digits and -", where)
		}
	}
	return nil
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// encode writes g: sections sorted by name then subsection, include
// and includeIf last (sorted the same way), keys sorted, each line as
// git itself writes it (a tab, "key = value").
func (g gitConfig) encode() string {
	ids := make([]string, 0, len(g))
	for id, sec := range g {
		if len(sec) > 0 {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		if a, b := isGitInclude(ids[i]), isGitInclude(ids[j]); a != b {
			return b
		}
		return ids[i] < ids[j]
	})
	var b strings.Builder
	for _, id := range ids {
		name, sub, hasSub := strings.Cut(id, "\x00")
		if hasSub {
			fmt.Fprintf(&b, "[%s \"%s\"]\n", name, quoteGitSubsection(sub))
		} else {
			fmt.Fprintf(&b, "[%s]\n", name)
		}
		sec := g[id]
		keys := make([]string, 0, len(sec))
		for k := range sec {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, v := range sec[k] {
				fmt.Fprintf(&b, "\t%s = %s\n", k, quoteGitValue(v))
			}
		}
	}
	return b.String()
}

// isGitInclude says whether the section id (name, or name NUL sub) is
// an include or includeIf section (names are case-insensitive).
func isGitInclude(id string) bool {
	name, _, _ := strings.Cut(id, "\x00")
	return strings.EqualFold(name, "include") || strings.EqualFold(name, "includeIf")
}

// quoteGitSubsection escapes " and \ ("Double quotes " and backslash
// can be included by escaping them as \" and \\").
func quoteGitSubsection(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

// quoteGitValue writes a value so git reads back exactly v: in double
// quotes when leading or trailing whitespace would be dropped or # or ;
// would start a comment (as git's own writer decides), with \, ", and
// the newline, tab and backspace escaped.
func quoteGitValue(v string) string {
	quote := v != strings.TrimSpace(v) || strings.ContainsAny(v, "#;")
	var b strings.Builder
	if quote {
		b.WriteByte('"')
	}
	for _, r := range v {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		default:
			b.WriteRune(r)
		}
	}
	if quote {
		b.WriteByte('"')
	}
	return b.String()
}
