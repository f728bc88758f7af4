// Command genmodules writes the module-evaluation benchmark workload
// (package bench/modgen) to a folder, for trying gocfg on it by hand or
// for timing other tools on the same shape of input:
//
//	go run ./bench/genmodules -m 1000 -o /tmp/mods
//	gocfg eval --json --config /tmp/mods
package main

import (
	"github.com/gocfg/gocfg/bench/gencli"
	"github.com/gocfg/gocfg/bench/modgen"
)

func main() {
	gencli.Main("genmodules", "m", 1000, "number of modules to generate",
		"folder to write them to (created when missing)", modgen.Write)
}
