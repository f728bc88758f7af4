package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/platform"
)

// gcConfig is generations.gc (modules/builtin/hcl/core/generations.hcl).
type gcConfig struct {
	Automatic bool    `json:"automatic"`
	Keep      *int    `json:"keep"`
	OlderThan *string `json:"older_than"`
}

// autoGC runs generations.gc after a switch made generation p.next
// current (tester BE: nothing ever removed a generation, 75 KB each
// here): the generations its keep and older_than select, as gocfg
// generations gc does, then the stored contents no generation uses. A
// failure is a warning: the switch stands. What it did goes to stderr,
// so that switch --json's output stays one document.
func autoGC(env *Env, p *prepared) {
	if p.config == nil {
		return
	}
	gc, err := platform.ConfigAt[gcConfig](p.config, "generations.gc")
	if err != nil || !gc.Automatic || gc.Keep == nil && gc.OlderThan == nil {
		return // the configuration's asserts refuse the last case
	}
	warn := func(err error) {
		fmt.Fprintf(env.Stderr, "gocfg: warning: generations.gc: %s; the switch stands (gocfg generations gc tries again)\n", diagnostics.Escaped(err.Error()))
	}
	keep, olderThan := -1, ""
	if gc.Keep != nil {
		keep = *gc.Keep
	}
	if gc.OlderThan != nil {
		olderThan = *gc.OlderThan
	}
	age, err := optionalAge(olderThan)
	if err != nil {
		warn(err)
		return
	}
	nums, cur, err := p.m.generations()
	if err != nil {
		warn(err)
		return
	}
	doomed, err := oldGenerations(p.m, env.Now(), cur, nums, keep, olderThan != "", age)
	if err != nil {
		warn(err)
		return
	}
	var deleted []string
	for _, n := range doomed {
		if err := p.m.store.Delete(n); err != nil {
			warn(err)
			return
		}
		deleted = append(deleted, strconv.Itoa(n))
	}
	st, err := p.m.store.GC()
	if err != nil {
		warn(err)
		return
	}
	if len(deleted) == 0 && st.Objects == 0 {
		return
	}
	what := "no generation"
	if len(deleted) > 0 {
		what = "generation " + strings.Join(deleted, ", ")
		if len(deleted) > 1 {
			what = "generations " + strings.Join(deleted, ", ")
		}
	}
	fmt.Fprintf(env.Stderr, "gocfg: generations.gc: deleted %s; removed %d stored object(s), %s\n", what, st.Objects, humanBytes(st.Bytes))
}

// optionalAge is parseAge of s, 0 for "".
func optionalAge(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return parseAge(s)
}
