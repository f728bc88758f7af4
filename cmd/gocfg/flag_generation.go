package main

import (
	"errors"
	"strconv"
)

// A generationFlag is a flag whose value is a generation number (1 or
// more), such as rollback --to: pflag's own int flag would accept 0,
// which rollback reads as "not given", and print strconv's error for
// "abc". Unset, the value stays 0.
type generationFlag struct{ n *int }

func (f generationFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return errors.New("not a generation number (1 or more; see gocfg generations list)")
	}
	*f.n = n
	return nil
}

func (f generationFlag) String() string {
	if f.n == nil || *f.n == 0 {
		return ""
	}
	return strconv.Itoa(*f.n)
}

func (f generationFlag) Type() string { return "int" }
