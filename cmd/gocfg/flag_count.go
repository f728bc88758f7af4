package main

import (
	"errors"
	"strconv"
)

// A countFlag is a flag whose value is a count, 0 or more, such as
// generations gc --keep; unset, the value stays -1. pflag's own int
// flag would take a negative count as "unset" without a word, and print
// strconv's error for "abc".
type countFlag struct{ n *int }

func (f countFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return errors.New("not a count (0 or more)")
	}
	*f.n = n
	return nil
}

func (f countFlag) String() string {
	if f.n == nil || *f.n < 0 {
		return ""
	}
	return strconv.Itoa(*f.n)
}

func (f countFlag) Type() string { return "int" }
