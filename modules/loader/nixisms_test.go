package loader

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestNixSyntax: the parser's errors at what a NixOS module writes
// become one error at the Nix construct, saying what gocfg writes;
// other errors stay as they are.
func TestNixSyntax(t *testing.T) {
	for _, tc := range []struct {
		src, summary, at string
		detail           []string // words of the detail ("" summary: the parser's error stays)
	}{
		{"imports = [ ../modules/base.hcl ]\n", "Paths are strings", "../modules/base.hcl",
			[]string{"HCL has no path literals", `hint: write the path in quotes: "../modules/base.hcl"`}},
		{"imports = [\n  ./base.hcl\n  ./other.hcl\n]\n", "Paths are strings", "./base.hcl", nil},
		{"x = [ \"a\" ./b ]\n", "Paths are strings", "./b", nil},
		{"x = /etc/foo\n", "Paths are strings", "/etc/foo", nil},
		{"x = ~/foo\n", "Paths are strings", "~/foo", nil},
		{"x = 1 / / 2\n", "", "", nil},

		{"time {\n  time_zone = lib.mkForce(\"UTC\")\n}\n", `Functions are called without "lib."`, "lib.mkForce",
			[]string{"lib.mkForce is a function of NixOS's library; gocfg has no lib and calls its functions by their names alone.",
				"hint: NixOS's mkForce is force(value) in gocfg (docs/language.md"}},
		{"time { time_zone = lib.mkDefault(\"UTC\") }\n", `Functions are called without "lib."`, "lib.mkDefault",
			[]string{"hint: NixOS's mkDefault is default(value)"}},
		{"services {\n  openssh = lib.mkIf true { enable = true }\n}\n", `Functions are called without "lib."`, "lib.mkIf",
			[]string{"with parentheses and commas: name(argument, argument)", "hint: NixOS's mkIf is when(condition, value)"}},
		{"x = lib.strings.concatStringsSep(\",\", [])\n", `Functions are called without "lib."`, "lib.strings.concatStringsSep",
			[]string{"hint: NixOS's concatStringsSep is join(separator, list) in gocfg"}},
		{"x = lib.foo(1)\n", `Functions are called without "lib."`, "lib.foo",
			[]string{"hint: gocfg's functions are listed in docs/functions.md"}},
		{"x = builtins.readFile(\"a\")\n", `Functions are called without "builtins."`, "builtins.readFile",
			[]string{"a function of Nix's builtins; gocfg has no builtins", "hint: NixOS's readFile is file(path) in gocfg"}},
		{"services {\n  openssh = mkIf true {\n    enable = true\n  }\n}\n", "Functions are called with parentheses", "mkIf",
			[]string{"mkIf followed by its arguments is how Nix calls a function; HCL writes name(argument, argument).", "hint: NixOS's mkIf is when(condition, value)"}},
		{"x = foo.bar(1)\n", "", "", nil},
		{"x = foo 1\n", "", "", nil},

		{"environment {\n  system_packages = with pkgs; [vim git]\n}\n", "No with in gocfg", "with pkgs;",
			[]string{"gocfg has no with and no pkgs", `hint: packages are strings in environment.system_packages: ["vim", "git"]`}},
		{"environment {\n  system_packages = with pkgs; [\n    vim\n    python3.pkgs.requests\n  ]\n}\n", "No with in gocfg", "with pkgs;",
			[]string{`["vim", "python3.pkgs.requests"]`}},
		{"environment {\n  system_packages = with pkgs; [ (vim) ]\n}\n", "No with in gocfg", "with pkgs;",
			[]string{`["vim", "git"]`}},
		{"x = with lib; mkForce 1\n", "No with in gocfg", "with lib;",
			[]string{"hint: gocfg's functions are called by their names alone"}},
		{"x = 1; y = 2\n", "", "", nil},
	} {
		_, diags := hclsyntax.ParseConfig([]byte(tc.src), "m.hcl", hcl.InitialPos)
		if !diags.HasErrors() {
			t.Fatalf("%q parses", tc.src)
		}
		before := diags[0].Summary
		diags = nixSyntax(diags, []byte(tc.src))
		d := diags[0]
		if tc.summary == "" {
			if d.Summary != before {
				t.Errorf("%q: %s: %s, want the parser's error", tc.src, d.Summary, d.Detail)
			}
			continue
		}
		if d.Summary != tc.summary {
			t.Errorf("%q: %s: %s\nwant %s", tc.src, d.Summary, d.Detail, tc.summary)
			continue
		}
		if len(diags) != 1 {
			t.Errorf("%q: %d errors, want 1: %s", tc.src, len(diags), diags.Error())
		}
		for _, w := range tc.detail {
			if !strings.Contains(d.Detail, w) {
				t.Errorf("%q: detail %q\nwant %q in it", tc.src, d.Detail, w)
			}
		}
		if got := tc.src[d.Subject.Start.Byte:d.Subject.End.Byte]; got != tc.at {
			t.Errorf("%q: at %q, want %q", tc.src, got, tc.at)
		}
		line := strings.Split(tc.src, "\n")[d.Subject.Start.Line-1]
		if col := strings.Index(line, tc.at) + 1; d.Subject.Start.Column != col || d.Subject.End.Column != col+len(tc.at) {
			t.Errorf("%q: columns %d-%d, want %d-%d", tc.src, d.Subject.Start.Column, d.Subject.End.Column, col, col+len(tc.at))
		}
	}
}

// TestNixEquivalent: each wrapper of NixOS's library names gocfg's.
func TestNixEquivalent(t *testing.T) {
	for nix, gocfg := range map[string]string{
		"mkIf": "when(", "mkDefault": "default(", "mkForce": "force(", "mkOverride": "override(",
		"mkBefore": "before(", "mkAfter": "after(", "mkMerge": "merge_all(",
		"optional": "? [value] : []", "optionals": "? list : []",
	} {
		if got := NixEquivalent(nix); !strings.HasPrefix(got, "NixOS's "+nix+" is ") || !strings.Contains(got, gocfg) {
			t.Errorf("NixEquivalent(%q) = %q, want %s", nix, got, gocfg)
		}
	}
	if got := NixEquivalent("concat"); got != "" {
		t.Errorf("NixEquivalent(concat) = %q", got)
	}
}
