package loader

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// NixEquivalent says how a gocfg module writes what the function name
// of NixOS's library (lib.mkIf) or of Nix's builtins does, as a hint's
// words: "NixOS's mkIf is when(condition, value) in gocfg (...)". It
// is "" for a name it does not know. A switch rather than a map, so
// that nothing is built when the program starts.
func NixEquivalent(name string) string {
	var is string
	wrapper := false // a priority or order wrapper
	switch name {
	case "mkIf":
		is, wrapper = "when(condition, value)", true
	case "mkDefault":
		is, wrapper = "default(value)", true
	case "mkForce":
		is, wrapper = "force(value)", true
	case "mkOverride":
		is, wrapper = "override(priority, value)", true
	case "mkBefore":
		is, wrapper = "before(value)", true
	case "mkAfter":
		is, wrapper = "after(value)", true
	case "mkOrder":
		is, wrapper = "before(value) or after(value)", true
	case "mkMerge":
		is, wrapper = "merge_all([value, value])", true
	case "mkOption", "mkEnableOption", "mkPackageOption":
		is = `an option "a.b" { type = ..., default = ... } block`
	case "optional":
		is = "condition ? [value] : []"
	case "optionals":
		is = "condition ? list : []"
	case "optionalString":
		is = `condition ? string : ""`
	case "optionalAttrs":
		is = "condition ? object : {}"
	case "concatStringsSep":
		is = "join(separator, list)"
	case "concatMapStringsSep":
		is = "join(separator, [for x in list : ...])"
	case "concatStrings":
		is = `join("", list)`
	case "concatLists":
		is = "concat(list, list) or flatten(list_of_lists)"
	case "attrNames":
		is = "keys(object)"
	case "attrValues":
		is = "values(object)"
	case "hasAttr":
		is = "contains(keys(object), name)"
	case "getAttr", "attrByPath":
		is = `object[name], or lookup(object, name, default)`
	case "elem":
		is = "contains(list, value)"
	case "filter":
		is = "[for x in list : x if condition]"
	case "map":
		is = "[for x in list : ...]"
	case "mapAttrs":
		is = "{for k, v in object : k => ...}"
	case "mapAttrsToList":
		is = "[for k, v in object : ...]"
	case "filterAttrs":
		is = "{for k, v in object : k => v if condition}"
	case "genAttrs":
		is = "{for name in list : name => ...}"
	case "recursiveUpdate":
		is = "merge(a, b), or a definition in each module: option values merge"
	case "toString":
		is = "tostring(value)"
	case "readFile":
		is = "file(path)"
	case "fileContents":
		is = "trimspace(file(path))"
	case "toJSON":
		is = "jsonencode(value)"
	case "fromJSON":
		is = "jsondecode(string)"
	case "head":
		is = "list[0]"
	case "tail":
		is = "slice(list, 1, length(list))"
	case "hasPrefix":
		is = "startswith(string, prefix)"
	case "hasSuffix":
		is = "endswith(string, suffix)"
	case "hasInfix":
		is = "strcontains(string, substr)"
	case "splitString":
		is = "split(separator, string)"
	case "replaceStrings":
		is = "replace(string, from, to)"
	case "toLower":
		is = "lower(string)"
	case "toUpper":
		is = "upper(string)"
	case "stringLength":
		is = "length(string)"
	case "unique":
		is = "distinct(list)"
	default:
		return ""
	}
	s := "NixOS's " + name + " is " + is + " in gocfg"
	if wrapper {
		s += ` (docs/language.md, "Priorities and order wrappers")`
	}
	return s
}

// nixRegexps are the patterns of what a NixOS module writes, compiled
// the first time a module fails to parse (nixREs), not when the program
// starts.
type nixRegexps struct {
	// path is a path as Nix writes one, bare: ./a, ../a/b.hcl, /etc/x, ~/x.
	path *regexp.Regexp
	// with is the start of Nix's `with pkgs;`, up to the semicolon.
	with *regexp.Regexp
	// callee is the function before the argument of a Nix-style call,
	// lib.mkForce("UTC") or mkIf true {...}: lib., builtins. or a name.
	callee *regexp.Regexp
	// listNames is a Nix list of bare names: [ vim git ].
	listNames *regexp.Regexp
}

var (
	nixOnce sync.Once
	nixRE   *nixRegexps
)

// nixREs returns the patterns, compiling them the first time.
func nixREs() *nixRegexps {
	nixOnce.Do(func() {
		nixRE = &nixRegexps{
			path:      regexp.MustCompile(`^(?:\.\.?|~)?/[A-Za-z0-9._+-][A-Za-z0-9._+/-]*$`),
			with:      regexp.MustCompile(`(?:^|[\s=(\[,{])(with\s+([A-Za-z_][\w.]*)\s*)$`),
			callee:    regexp.MustCompile(`(?:^|[\s=(\[,{])((?:lib|builtins)(?:\.[A-Za-z_][\w'-]*)+|[A-Za-z_][\w'-]*)\s*$`),
			listNames: regexp.MustCompile(`^\s*\[((?:\s*[A-Za-z_][\w.+-]*)*)\s*\]`),
		}
	})
	return nixRE
}

// nixSyntax rewrites the parser's errors at what a NixOS module would
// write, to say what gocfg writes: a bare path (imports = [ ./base.hcl
// ]), `with pkgs;`, a function of lib. or builtins. (lib.mkForce("x"))
// and a call without parentheses (mkIf cond {...}). The parser reports
// several errors for one of these; the rewritten one is kept, at the
// whole construct, and the others inside it are dropped.
func nixSyntax(diags hcl.Diagnostics, src []byte) hcl.Diagnostics {
	var out hcl.Diagnostics
	var dropLine, dropFrom, dropTo int // errors starting in src[dropFrom:dropTo] go
	for _, d := range diags {
		if d.Severity != hcl.DiagError || d.Subject == nil || d.Subject.Start.Byte >= len(src) {
			out = append(out, d)
			continue
		}
		at := d.Subject.Start.Byte
		if d.Subject.Start.Line == dropLine && at >= dropFrom && at < dropTo {
			continue
		}
		from, to, ok := nixPathAt(d, src)
		if !ok {
			from, to, ok = nixWithAt(d, src)
		}
		if !ok {
			from, to, ok = nixCallAt(d, src)
		}
		if ok {
			dropLine, dropFrom, dropTo = d.Subject.Start.Line, from, to
		}
		out = append(out, d)
	}
	return out
}

// lineStart is the offset of the first byte of the line holding src[at].
func lineStart(src []byte, at int) int {
	return bytes.LastIndexByte(src[:at], '\n') + 1
}

// setSubject moves d's subject to src[from:to], on the subject's line.
func setSubject(d *hcl.Diagnostic, src []byte, from, to int) {
	rng := *d.Subject
	at := rng.Start.Byte
	col := rng.Start.Column - utf8.RuneCount(src[from:at])
	rng.Start = hcl.Pos{Line: rng.Start.Line, Column: col, Byte: from}
	rng.End = hcl.Pos{Line: rng.Start.Line, Column: col + utf8.RuneCount(src[from:to]), Byte: to}
	d.Subject = &rng
}

// nixPathAt rewrites d when it is at a bare path, and returns the
// path's place.
func nixPathAt(d *hcl.Diagnostic, src []byte) (int, int, bool) {
	switch d.Summary {
	case "Invalid expression", "Invalid attribute name", "Unsupported operator":
	default:
		return 0, 0, false
	}
	isPathByte := func(c byte) bool {
		return c == '.' || c == '/' || c == '~' || c == '_' || c == '-' || c == '+' ||
			c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	from, to := d.Subject.Start.Byte, d.Subject.Start.Byte
	for from > 0 && isPathByte(src[from-1]) {
		from--
	}
	for to < len(src) && isPathByte(src[to]) {
		to++
	}
	path := string(src[from:to])
	if !nixREs().path.MatchString(path) {
		return 0, 0, false
	}
	setSubject(d, src, from, to)
	d.Summary = "Paths are strings"
	d.Detail = "Nix writes a path bare; HCL has no path literals.\nhint: write the path in quotes: \"" + path + "\" (relative to this module's folder)"
	return from, to, true
}

// nixWithAt rewrites d when it is at the semicolon of Nix's `with
// pkgs;`, and returns the place of `with pkgs;`.
func nixWithAt(d *hcl.Diagnostic, src []byte) (int, int, bool) {
	at := d.Subject.Start.Byte
	if d.Summary != "Invalid character" || src[at] != ';' {
		return 0, 0, false
	}
	m := nixREs().with.FindSubmatchIndex(src[lineStart(src, at):at])
	if m == nil {
		return 0, 0, false
	}
	from, to := lineStart(src, at)+m[2], at+1
	name := string(src[lineStart(src, at)+m[4] : lineStart(src, at)+m[5]])
	setSubject(d, src, from, to)
	d.Summary = "No with in gocfg"
	if name == "pkgs" || strings.HasPrefix(name, "pkgs.") {
		example := `["vim", "git"]`
		if m := nixREs().listNames.FindSubmatch(src[to:]); m != nil && len(bytes.Fields(m[1])) > 0 {
			var names []string
			for _, f := range bytes.Fields(m[1]) {
				names = append(names, `"`+string(f)+`"`)
			}
			example = "[" + strings.Join(names, ", ") + "]"
		}
		d.Detail = "Nix's with brings the attributes of " + name + " into scope; gocfg has no with and no pkgs.\nhint: packages are strings in environment.system_packages: " + example
		return from, to, true
	}
	d.Detail = "Nix's with brings the attributes of " + name + " into scope; HCL has no with: name what you mean in full."
	if name == "lib" {
		d.Detail += "\nhint: gocfg's functions are called by their names alone, without lib. (docs/functions.md)"
	}
	return from, to, true
}

// nixCallAt rewrites d when it is at the argument of a call as Nix
// writes one, lib.mkForce("UTC") or mkIf cond {...}, and returns the
// function name's place.
func nixCallAt(d *hcl.Diagnostic, src []byte) (int, int, bool) {
	switch d.Summary {
	case "Missing newline after argument", "Invalid single-argument block definition":
	default:
		return 0, 0, false
	}
	at := d.Subject.Start.Byte
	ls := lineStart(src, at)
	m := nixREs().callee.FindSubmatchIndex(src[ls:at])
	if m == nil {
		return 0, 0, false
	}
	from, to := ls+m[2], ls+m[3]
	callee := string(src[from:to])
	fn := callee[strings.LastIndexByte(callee, '.')+1:]
	hint := NixEquivalent(fn)
	prefix, _, dotted := strings.Cut(callee, ".")
	if !dotted && hint == "" {
		return 0, 0, false
	}
	setSubject(d, src, from, to)
	if hint == "" {
		hint = "gocfg's functions are listed in docs/functions.md"
	}
	application := src[at] != '('
	if dotted {
		whose := "NixOS's library"
		if prefix == "builtins" {
			whose = "Nix's builtins"
		}
		d.Summary = `Functions are called without "` + prefix + `."`
		d.Detail = callee + " is a function of " + whose + "; gocfg has no " + prefix + " and calls its functions by their names alone"
		if application {
			d.Detail += ", with parentheses and commas: name(argument, argument)"
		}
		d.Detail += ".\nhint: " + hint
		return from, to, true
	}
	d.Summary = "Functions are called with parentheses"
	d.Detail = callee + " followed by its arguments is how Nix calls a function; HCL writes name(argument, argument).\nhint: " + hint
	return from, to, true
}
