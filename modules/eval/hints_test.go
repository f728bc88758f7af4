package eval

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// TestAddHints: an unknown function or variable that a NixOS or
// Terraform user would reach for gets a hint naming what gocfg has.
func TestAddHints(t *testing.T) {
	for src, want := range map[string]string{
		`mkIf(true, 1)`:          `hint: NixOS's mkIf is when(condition, value) in gocfg (docs/language.md, "Priorities and order wrappers")`,
		`mkDefault([22])`:        "hint: NixOS's mkDefault is default(value)",
		`mkForce("UTC")`:         "hint: NixOS's mkForce is force(value)",
		`mkOverride(10, 1)`:      "hint: NixOS's mkOverride is override(priority, value)",
		`mkBefore(["a"])`:        "hint: NixOS's mkBefore is before(value)",
		`mkAfter(["a"])`:         "hint: NixOS's mkAfter is after(value)",
		`mkMerge([{}])`:          "hint: NixOS's mkMerge is merge_all([value, value])",
		`optional(true, "a")`:    "hint: NixOS's optional is condition ? [value] : [] in gocfg",
		`optionals(true, ["a"])`: "hint: NixOS's optionals is condition ? list : [] in gocfg",
		`fileexists("/x")`:       `hint: gocfg leaves fileexists out on purpose: docs/functions.md, "Left out", says why`,
		`nosuch(1)`:              "hint: the functions a module can call are listed in docs/functions.md",
		`[pkgs.vim]`:             `hint: gocfg has no pkgs: packages are strings in environment.system_packages, "vim" for pkgs.vim`,
		`pkgs`:                   `hint: gocfg has no pkgs: packages are strings in environment.system_packages: ["vim", "git"]`,
		`lib.mkDefault[22]`:      "hint: gocfg has no lib and calls its functions by their names alone: NixOS's mkDefault is default(value)",
		`lib.types.str`:          "hint: gocfg has no lib; its functions are called by their names alone (docs/functions.md)",
		`builtins.toJSON`:        "hint: gocfg has no builtins and calls its functions by their names alone: NixOS's toJSON is jsonencode(value)",
		`var.x`:                  "hint: gocfg has no input variables",
		`other.x`:                "",
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "m.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags.Error())
		}
		_, diags = expr.Value(&hcl.EvalContext{Variables: map[string]cty.Value{"host": cty.EmptyObjectVal}, Functions: map[string]function.Function{}})
		if len(diags) != 1 {
			t.Fatalf("%s: %d diagnostics: %s", src, len(diags), diags.Error())
		}
		addHints(diags)
		detail := diags[0].Detail
		switch {
		case want == "" && strings.Contains(detail, "hint:"):
			t.Errorf("%s: %q, want no hint", src, detail)
		case !strings.Contains(detail, want):
			t.Errorf("%s: %q\nwant %q in it", src, detail, want)
		}
	}
}
