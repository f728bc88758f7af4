package gencli

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// Main runs the command name: -<countFlag> N (default def; countHelp
// says what it counts) and -o DIR (outHelp), then write(DIR, N), which
// writes the workload (making DIR when missing) and returns its entry
// module, printed. Wrong arguments exit with 2, a failed write with 1.
func Main(name, countFlag string, def int, countHelp, outHelp string, write func(dir string, n int) (entry string, err error)) {
	n := flag.Int(countFlag, def, countHelp)
	out := flag.String("o", "", outHelp)
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "usage: %s [-%s %s] -o DIR\n", name, countFlag, strings.ToUpper(countFlag))
		os.Exit(2)
	}
	entry, err := write(*out, *n)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: error: %v\n", name, err)
		os.Exit(1)
	}
	fmt.Println(entry)
}
