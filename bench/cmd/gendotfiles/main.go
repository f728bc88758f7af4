// Command gendotfiles writes the dotfile benchmark workload (package
// bench/dotgen) to a folder: a configuration that links N generated files
// under ~bench/.config, for trying `gocfg switch` on it by hand or for
// timing other tools on the same files:
//
//	go run ./bench/cmd/gendotfiles -n 10000 -o /tmp/dots
//	gocfg switch -c /tmp/dots --root /tmp/root > /dev/null
package main

import (
	"github.com/gocfg/gocfg/bench/dotgen"
	"github.com/gocfg/gocfg/bench/gencli"
)

func main() {
	gencli.Main("gendotfiles", "n", 1000, "number of dotfiles to generate",
		"folder to write the configuration to (created when missing)", dotgen.Write)
}
