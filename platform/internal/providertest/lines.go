package providertest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// Lines shows changes one line each, as tests compare them:
//
//	<mark> <ID> <before> → <after> [<ops>] after <deps> drift: <drift>
//
// where the ops are their names, and the deps and the drift are there only
// when the change has some (and Deps asks for them).
type Lines struct {
	// Describe shows each op as its name and its description, the ops
	// joined by "; " (else their names joined by spaces).
	Describe bool
	// Deps shows the IDs the change comes after.
	Deps bool
	// Hidden keeps the hidden changes (else they are left out).
	Hidden bool
}

// Line shows one change.
func (f Lines) Line(c platform.Change) string {
	var ops []string
	sep := " "
	for _, op := range c.Ops {
		if f.Describe {
			ops = append(ops, platform.OpName(op)+" "+op.Describe())
			sep = "; "
		} else {
			ops = append(ops, platform.OpName(op))
		}
	}
	s := fmt.Sprintf("%s %s %s → %s [%s]", c.Action.Symbol(), c.ID, c.Before, c.After, strings.Join(ops, sep))
	if f.Deps && len(c.Deps) > 0 {
		s += " after " + strings.Join(c.Deps, " ")
	}
	if c.Drift != "" {
		s += " drift: " + c.Drift
	}
	return s
}

// Of shows the changes, leaving out the hidden ones unless f.Hidden.
func (f Lines) Of(cs []platform.Change) []string {
	var out []string
	for _, c := range cs {
		if c.Hidden && !f.Hidden {
			continue
		}
		out = append(out, f.Line(c))
	}
	return out
}

// EqualLines reports (t.Errorf) lines that are not the ones wanted, both
// listed one a line under what they are ("changes", "commands").
func EqualLines(t testing.TB, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
