package main

import (
	"errors"
	"strconv"
)

// An intFlag is an int flag that refuses values below min, saying what
// it takes, and shows no default: rollback --to (a generation number, 1
// or more) and generations gc --keep (a count, 0 or more). pflag's own
// int flag would take 0 (--to's "not given") or -1 (--keep's) without a
// word, and print strconv's error for "abc". Unset, the value stays what
// it was (below min).
type intFlag struct {
	n    *int
	min  int
	what string // "a count (0 or more)", for "not a count (0 or more)"
}

func (f intFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < f.min {
		return errors.New("not " + f.what)
	}
	*f.n = n
	return nil
}

func (f intFlag) String() string {
	if f.n == nil || *f.n < f.min {
		return ""
	}
	return strconv.Itoa(*f.n)
}

func (f intFlag) Type() string { return "int" }
