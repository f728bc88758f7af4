// Command timeit runs a command once and prints its wall time in
// microseconds and its peak resident set size in KB, on one line
// ("1234 5678"), for bench/peers.sh; with -f, also the page faults it
// took without reading the disk (rusage's minor faults: "1234 5678 590"),
// for bench/pagecache.sh:
//
//	timeit [-f] [-o FILE] -- COMMAND [ARG...]
//
// It starts the command itself (no shell, no /usr/bin/time between), so
// what it measures is the command: starting a program from bash and
// through /usr/bin/time costs about 3 ms on the benchmark machine, more
// than a whole cached `gocfg eval`. The command's standard output is
// discarded and its standard error is kept in FILE (default: discarded);
// a command that fails makes timeit fail with its exit status, after
// printing that error output.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

func main() {
	errFile := flag.String("o", "", "keep the command's standard error in `FILE`")
	faults := flag.Bool("f", false, "also print the command's minor page faults")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: timeit [-f] [-o FILE] -- COMMAND [ARG...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	if *errFile != "" {
		f, err := os.Create(*errFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "timeit:", err)
			os.Exit(2)
		}
		defer f.Close()
		cmd.Stderr = f
	}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		if *errFile != "" {
			if b, rerr := os.ReadFile(*errFile); rerr == nil {
				os.Stderr.Write(b)
			}
		}
		fmt.Fprintf(os.Stderr, "timeit: %s: %v\n", flag.Arg(0), err)
		if ee, ok := err.(*exec.ExitError); ok {
			os.Exit(ee.ExitCode())
		}
		os.Exit(1)
	}
	kb, minflt := "-", "-"
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss := int64(ru.Maxrss) // KB on Linux
		if runtime.GOOS == "darwin" {
			rss /= 1024 // bytes there
		}
		kb, minflt = fmt.Sprint(rss), fmt.Sprint(ru.Minflt)
	}
	if *faults {
		fmt.Println(wall.Microseconds(), kb, minflt)
		return
	}
	fmt.Println(wall.Microseconds(), kb)
}
