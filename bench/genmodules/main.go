// Command genmodules writes the module-evaluation benchmark workload
// (package bench/modgen) to a folder, for trying gocfg on it by hand or
// for timing other tools on the same shape of input:
//
//	go run ./bench/genmodules -m 1000 -o /tmp/mods
//	gocfg eval --json --config /tmp/mods
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/gocfg/gocfg/bench/modgen"
)

func main() {
	m := flag.Int("m", 1000, "number of modules to generate")
	out := flag.String("o", "", "folder to write them to (created when missing)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: genmodules [-m M] -o DIR")
		os.Exit(2)
	}
	entry, err := modgen.Write(*out, *m)
	if err != nil {
		fmt.Fprintf(os.Stderr, "genmodules: error: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(entry)
}
