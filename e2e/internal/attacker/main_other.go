//go:build !linux

// Command attacker is the ordinary user's side of the privilege boundary
// tests in e2e; it needs Linux (renameat2, inotify).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "attacker: Linux only")
	os.Exit(1)
}
