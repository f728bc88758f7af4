package eval

import (
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// addHints adds a hint to the errors of an expression that calls a
// function or reads a variable gocfg does not have, where a NixOS or
// Terraform user would expect one: NixOS's mkIf, mkForce, ... (gocfg's
// when, force, ...), a Terraform function gocfg leaves out on purpose,
// and the variables pkgs, lib, builtins and var.
func addHints(diags hcl.Diagnostics) {
	for _, d := range diags {
		var hint string
		switch d.Summary {
		case "Call to unknown function":
			if call, ok := d.Expression.(*hclsyntax.FunctionCallExpr); ok {
				hint = unknownFunctionHint(call.Name)
			}
		case "Unknown variable":
			if tr, ok := d.Expression.(*hclsyntax.ScopeTraversalExpr); ok {
				hint = unknownVariableHint(tr.Traversal)
			}
		}
		if hint != "" {
			d.Detail += "\nhint: " + hint
		}
	}
}

// unknownFunctionHint is the hint for a call of the function name,
// which gocfg does not have.
func unknownFunctionHint(name string) string {
	if h := loader.NixEquivalent(name); h != "" {
		return h
	}
	switch name {
	case "fileexists", "fileset", "filebase64", "filemd5", "filesha1", "filesha256", "filesha512",
		"filebase64sha256", "filebase64sha512", "templatefile", "abspath", "pathexpand",
		"timestamp", "plantimestamp", "uuid", "uuidv5", "bcrypt":
		return "gocfg leaves " + name + " out on purpose: docs/functions.md, \"Left out\", says why"
	}
	return "the functions a module can call are listed in docs/functions.md"
}

// unknownVariableHint is the hint for the traversal tr, whose root is
// not a variable gocfg has; "" when there is nothing to say.
func unknownVariableHint(tr hcl.Traversal) string {
	next := ""
	if len(tr) > 1 {
		if a, ok := tr[1].(hcl.TraverseAttr); ok {
			next = a.Name
		}
	}
	switch tr.RootName() {
	case "pkgs":
		if next == "" {
			return "gocfg has no pkgs: packages are strings in environment.system_packages: [\"vim\", \"git\"]"
		}
		return "gocfg has no pkgs: packages are strings in environment.system_packages, \"" + next + "\" for pkgs." + next
	case "lib", "builtins":
		if h := loader.NixEquivalent(next); h != "" {
			return "gocfg has no " + tr.RootName() + " and calls its functions by their names alone: " + h
		}
		return "gocfg has no " + tr.RootName() + "; its functions are called by their names alone (docs/functions.md)"
	case "var":
		return "gocfg has no input variables: a module's locals { x = ... } is local.x, an option's value config.<path>"
	}
	return ""
}
