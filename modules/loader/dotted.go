package loader

import (
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// dottedNames rewrites the parser's "Argument or block definition
// required" where the line sets a dotted name, as a NixOS module writes
// an option path (services.openssh.enable = true), to say how HCL
// writes that path: as nested blocks or as one object. The error's
// range grows to the whole name.
func dottedNames(diags hcl.Diagnostics, src []byte) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError || d.Summary != "Argument or block definition required" || d.Subject == nil || d.Subject.Start.Byte >= len(src) {
			continue
		}
		segs, n := dottedName(src[d.Subject.Start.Byte:])
		if segs == nil {
			continue
		}
		name := strings.Join(segs, ".")
		rng := *d.Subject
		name0 := src[rng.Start.Byte : rng.Start.Byte+n]
		rng.End = hcl.Pos{Line: rng.Start.Line, Column: rng.Start.Column + utf8.RuneCount(name0), Byte: rng.Start.Byte + n}
		d.Summary = "Option paths are not written with dots"
		d.Detail = "HCL has no dotted names. Write " + name + " as one object, " + nestedObject(segs)
		if blocks := nestedBlocks(segs); blocks != "" {
			d.Detail += ", or as nested blocks, each on lines of its own (a block on one line holds one attribute, no block):\n" + blocks
		}
		d.Detail += "\n(docs/language.md, \"Setting values\")."
		d.Subject = &rng
	}
}

// nestedBlocks writes the path segs as blocks around its last part's
// attribute, a quoted part as a label of the block before it, one block
// a line, indented as HCL is:
//
//	macos {
//	  defaults "com.apple.dock" {
//	    autohide = …
//	  }
//	}
//
// "" when the last part is quoted (a block's attribute is a name).
func nestedBlocks(segs []string) string {
	last := segs[len(segs)-1]
	if strings.HasPrefix(last, `"`) {
		return ""
	}
	var heads []string
	for _, s := range segs[:len(segs)-1] {
		if strings.HasPrefix(s, `"`) && len(heads) > 0 {
			heads[len(heads)-1] += " " + s
			continue
		}
		heads = append(heads, s)
	}
	var b strings.Builder
	for i, h := range heads {
		b.WriteString(strings.Repeat("  ", i) + h + " {\n")
	}
	b.WriteString(strings.Repeat("  ", len(heads)) + last + " = …\n")
	for i := len(heads) - 1; i >= 0; i-- {
		b.WriteString(strings.Repeat("  ", i) + "}")
		if i > 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// nestedObject writes the path segs as objects, one in another:
// services = { openssh = { enable = … } }.
func nestedObject(segs []string) string {
	var b strings.Builder
	for _, s := range segs[:len(segs)-1] {
		b.WriteString(s + " = { ")
	}
	b.WriteString(segs[len(segs)-1] + " = …")
	b.WriteString(strings.Repeat(" }", len(segs)-1))
	return b.String()
}

// dottedName reads a name of two or more dot-separated parts followed
// by "=" (and not "=="): identifiers or quoted strings, with spaces
// only before the "=". It returns the parts as written and the length
// of the name; nil when b does not start with one.
func dottedName(b []byte) ([]string, int) {
	var segs []string
	i := 0
	for {
		start := i
		if i < len(b) && b[i] == '"' {
			i++
			for i < len(b) && b[i] != '"' && b[i] != '\n' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(b) || b[i] != '"' {
				return nil, 0
			}
			i++
		} else {
			for i < len(b) && (b[i] == '_' || b[i] >= 'a' && b[i] <= 'z' || b[i] >= 'A' && b[i] <= 'Z' ||
				i > start && (b[i] == '-' || b[i] >= '0' && b[i] <= '9')) {
				i++
			}
		}
		if i == start {
			return nil, 0
		}
		segs = append(segs, string(b[start:i]))
		if i < len(b) && b[i] == '.' {
			i++
			continue
		}
		break
	}
	n := i
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if len(segs) < 2 || i >= len(b) || b[i] != '=' || i+1 < len(b) && b[i+1] == '=' {
		return nil, 0
	}
	return segs, n
}
