package eval

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/loader/loadertest"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/zclconf/go-cty/cty"
)

// forkDecls declares an attribute set of submodules, as users is.
const forkDecls = `
option "people" {
  type = attrs_of(submodule({
    uid   = { type = int }
    shell = { type = str, default = "/bin/sh" }
    home  = { type = null_or(str), default = null }
    peer  = { type = null_or(str), default = null }
    note  = { type = str }
  }))
  default = {}
}
option "count" {
  type    = int
  default = 0
}
`

// people writes n members of people, p000 to p<n-1>, with the lines
// each member adds (extra, by index) after its uid.
func people(n int, extra map[int]string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "people \"p%03d\" {\n  uid = %d\n%s}\n", i, 1000+i, extra[i])
	}
	return b.String()
}

// newEvaluators loads src as the only module, without the built-in
// ones, and returns two evaluators of it: one that makes no fork, and
// one that shares out objects of members or more among workers
// goroutines.
func newEvaluators(t *testing.T, src string, members, workers int) (one, forked *Evaluator) {
	t.Helper()
	set := loadertest.Source(t, src)
	tree, diags := schema.Declare(set)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	coll, diags := defs.Collect(set, tree)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	getenv := func(string) string { return "" }
	one = New(set, tree, coll, cty.EmptyObjectVal, getenv)
	one.SetForking(0, 1)
	forked = New(set, tree, coll, cty.EmptyObjectVal, getenv)
	forked.SetForking(members, workers)
	return one, forked
}

// diagText is every diagnostic of e, one a line, with its place.
func diagText(e *Evaluator) string {
	var b strings.Builder
	for _, d := range e.Diagnostics() {
		fmt.Fprintf(&b, "%v %s: %s\n", d.Subject, d.Summary, d.Detail)
	}
	return b.String()
}

// TestFork evaluates configurations on one goroutine and with the 12
// members of people shared out among three (the evaluator p000 to p003,
// a fork each p004 to p007 and p008 to p011): the values, the unset
// options and the diagnostics are the same, and the members a fork
// computed are taken where it reported nothing, and only then.
func TestFork(t *testing.T) {
	for _, tc := range []struct {
		name   string
		src    string
		joined int // members taken from the forks
	}{
		{"members alone", people(12, nil), 8},
		{"a member reads another's value", people(12, map[int]string{
			0: "  home = \"/home/${config.people.p011.uid}\"\n", // main reads a fork's member first
			9: "  home = config.people.p001.shell\n",            // a fork reads main's member
		}), 7},
		{"a member reads another option", people(12, map[int]string{
			10: "  peer = \"n${config.count}\"\n",
		}) + "count = 3\n", 8},
		{"an error in a fork's member", people(12, map[int]string{
			11: "  shell = 5 + \"x\"\n",
		}), 4},
		{"a cycle through the whole object", people(12, map[int]string{
			7: "  peer = keys(config.people)[0]\n",
		}), 4},
		{"a cycle between two members", people(12, map[int]string{
			5: "  home = config.people.p009.home\n",
			9: "  home = config.people.p005.home\n",
		}), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			one, forked := newEvaluators(t, forkDecls+tc.src, 12, 3)
			v1, v2 := one.All(), forked.All()
			if !v1.RawEquals(v2) {
				t.Errorf("with forks:\n%#v\nwithout:\n%#v", v2, v1)
			}
			if got, want := diagText(forked), diagText(one); got != want {
				t.Errorf("diagnostics with forks:\n%s\nwithout:\n%s", got, want)
			}
			for i := range 12 {
				for _, opt := range []string{"", ".shell", ".home", ".peer", ".note"} {
					p, _ := optpath.Parse(fmt.Sprintf("people.p%03d%s", i, opt))
					if one.Unset(p) != forked.Unset(p) {
						t.Errorf("%s: unset %v with forks, %v without", p, forked.Unset(p), one.Unset(p))
					}
				}
			}
			if p, _ := optpath.Parse("people.p010.note"); !forked.Unset(p) {
				t.Errorf("%s is not unset with forks", p)
			}
			if forked.joined != tc.joined {
				t.Errorf("%d members taken from forks, want %d", forked.joined, tc.joined)
			}
			if one.joined != 0 {
				t.Errorf("%d members taken from forks without forks", one.joined)
			}
		})
	}
}

// TestForkNotUnderway: an object with fewer members than the threshold,
// or an evaluator with one worker, makes no fork; a fork makes none of
// its own, and none is made while one is under way.
func TestForkNotUnderway(t *testing.T) {
	for _, tc := range []struct {
		name             string
		members, workers int
	}{
		{"fewer members than the threshold", 13, 3},
		{"one worker", 2, 1},
		{"never", 0, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, e := newEvaluators(t, forkDecls+people(12, nil), tc.members, tc.workers)
			e.All()
			if e.joined != 0 {
				t.Errorf("%d members taken from forks", e.joined)
			}
		})
	}
	_, e := newEvaluators(t, forkDecls+people(12, nil), 2, 3)
	n := e.node(optpath.Path{"people"})
	e.childDefs(n)
	keys := []string{"a", "b", "c"}
	forks, mine := e.startForks(n, keys)
	if len(forks) != 2 || mine != 1 {
		t.Fatalf("%d forks, the evaluator's share %d; want 2 and 1", len(forks), mine)
	}
	if more, _ := e.startForks(n, keys); more != nil {
		t.Error("a fork was made while two were under way")
	}
	if inner, _ := forks[0].f.startForks(n, keys); inner != nil {
		t.Error("a fork made a fork")
	}
	e.joinAll(forks, n)
	if e.forking != 0 {
		t.Errorf("%d forks under way after joining them all", e.forking)
	}
}
