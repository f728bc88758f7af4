// Command genmodules writes the module-evaluation benchmark workload
// (package bench/modgen) to a folder, for trying gocfg on it by hand or
// for timing other tools on the same shape of input:
//
//	go run ./bench/genmodules -m 1000 -o /tmp/mods
//	gocfg eval --json --config /tmp/mods
//
// With -nix it writes the same workload for Nix's lib.evalModules
// (modgen.WriteNix) and prints its default.nix:
//
//	go run ./bench/genmodules -nix -m 1000 -o /tmp/nixmods
//	nix-instantiate --eval --strict --json -I nixpkgs-lib=$NIXPKGS_LIB /tmp/nixmods/default.nix
package main

import (
	"flag"

	"github.com/gocfg/gocfg/bench/gencli"
	"github.com/gocfg/gocfg/bench/modgen"
)

func main() {
	nix := flag.Bool("nix", false, "write the workload for Nix's lib.evalModules (default.nix) instead of gocfg's")
	write := func(dir string, m int) (string, error) {
		if *nix {
			return modgen.WriteNix(dir, m)
		}
		return modgen.Write(dir, m)
	}
	gencli.Main("genmodules", "m", 1000, "number of modules to generate",
		"folder to write them to (created when missing)", write)
}
