// Command gendotfiles writes the dotfile benchmark workload (package
// bench/dotgen) to a folder: a configuration that links N generated files
// under ~bench/.config, for trying `gocfg switch` on it by hand or for
// timing other tools on the same files:
//
//	go run ./bench/cmd/gendotfiles -n 10000 -o /tmp/dots
//	gocfg switch -c /tmp/dots --root /tmp/root > /dev/null
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/gocfg/gocfg/bench/dotgen"
)

func main() {
	n := flag.Int("n", 1000, "number of dotfiles to generate")
	out := flag.String("o", "", "folder to write the configuration to (created when missing)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gendotfiles [-n N] -o DIR")
		os.Exit(2)
	}
	entry, err := dotgen.Write(*out, *n)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gendotfiles: error: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(entry)
}
