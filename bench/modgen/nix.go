package modgen

import (
	"bufio"
	"fmt"
	"path/filepath"
)

// NixEntryFile is the name of the entry file WriteNix creates.
const NixEntryFile = "default.nix"

// WriteNix writes the same workload as Write for Nix's lib.evalModules in
// dir (created when missing) and returns the path of its entry file,
// default.nix. It evaluates to the merged config:
//
//	nix-instantiate --eval --strict --json -I nixpkgs-lib=$NIXPKGS_LIB default.nix
//
// where $NIXPKGS_LIB is nixpkgs' lib folder. base.nix declares what
// gocfg's built-in modules declare for the workload (networking.hostName,
// environment.systemPackages, users.users as an attribute set of
// submodules, defaults as nested attribute sets of strings) and defines
// the shared user; modules/m<i>.nix is module i of Write, option for
// option: bench.m<i>.enable and .label, three packages, user u<i>, a group
// on the shared user, defaults.domain_<i%10>.key_<i>, bench.m<i+1>.enable;
// module 0 sets the host name with mkDefault, module m-1 plainly.
func WriteNix(dir string, m int) (entry string, err error) {
	names, err := writeModules(dir, m, "nix", writeNixModule)
	if err != nil {
		return "", err
	}
	if err := writeFile(filepath.Join(dir, "base.nix"), writeNixBase); err != nil {
		return "", err
	}
	entry = filepath.Join(dir, NixEntryFile)
	err = writeFile(entry, func(w *bufio.Writer) {
		fmt.Fprintf(w, "# Entry of a generated benchmark workload (bench/modgen), for Nix's lib.evalModules.\nlet\n  lib = import <nixpkgs-lib>;\nin\n(lib.evalModules {\n  modules = [\n    ./base.nix\n")
		for _, n := range names {
			fmt.Fprintf(w, "    ./%s/%s\n", ModulesDir, n)
		}
		fmt.Fprintf(w, "  ];\n}).config\n")
	})
	if err != nil {
		return "", err
	}
	return entry, nil
}

func writeNixBase(w *bufio.Writer) {
	fmt.Fprintf(w, `# The options the generated modules set (bench/modgen), as gocfg's
# built-in modules declare them, and the shared user.
{ lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options = {
    networking.hostName = mkOption { type = types.str; default = ""; description = "The host name."; };
    environment.systemPackages = mkOption { type = types.listOf types.str; default = [ ]; description = "Packages."; };
    users.users = mkOption {
      default = { };
      description = "Users.";
      type = types.attrsOf (types.submodule {
        options = {
          uid = mkOption { type = types.nullOr types.int; default = null; description = "User ID."; };
          description = mkOption { type = types.str; default = ""; description = "Full name."; };
          shell = mkOption { type = types.str; default = "/bin/sh"; description = "Login shell."; };
          groups = mkOption { type = types.listOf types.str; default = [ ]; description = "Groups."; };
        };
      });
    };
    defaults = mkOption { type = types.attrsOf (types.attrsOf types.str); default = { }; description = "Preferences by domain."; };
  };
  config.users.users.%[1]s = {
    uid = 5000;
    description = "Shared by every generated module";
    shell = "/bin/sh";
  };
}
`, SharedUser)
}

// writeNixModule writes module i of m. Keep it in step with writeModule.
func writeNixModule(w *bufio.Writer, i, m int) {
	fmt.Fprintf(w, `# Generated module %[1]d of %[2]d (bench/modgen).
{ lib, ... }:
{
  options.bench.m%[1]d = {
    enable = lib.mkOption { type = lib.types.bool; default = false; description = "Whether generated module %[1]d is enabled."; };
    label = lib.mkOption { type = lib.types.str; default = "m%[1]d"; description = "Label of generated module %[1]d."; };
  };
  config = {
    environment.systemPackages = [ "pkg%[1]d-a" "pkg%[1]d-b" "pkg%[1]d-c" ];
    users.users.u%[1]d = {
      uid = %[3]d;
      description = "Generated user %[1]d";
      shell = "/bin/sh";
      groups = [ "g%[1]d" "users" ];
    };
    users.users.%[4]s.groups = [ "g%[1]d" ];
    defaults.domain_%[5]d.key_%[1]d = "v%[1]d";
`, i, m, 10000+i, SharedUser, i%10)
	if i+1 < m {
		fmt.Fprintf(w, "    bench.m%d.enable = true;\n", i+1)
	}
	switch {
	case i == m-1:
		fmt.Fprintf(w, "    networking.hostName = \"final\";\n")
	case i == 0:
		fmt.Fprintf(w, "    networking.hostName = lib.mkDefault \"m0\";\n")
	}
	fmt.Fprintf(w, "  };\n}\n")
}
