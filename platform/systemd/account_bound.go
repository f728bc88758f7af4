package systemd

import (
	"maps"
	"strings"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// accountBound names the system units whose jobs may wait on a process
// of an ordinary account: those that run as a login account
// (runsAsLogin: she may stop their processes, SIGSTOP, and a oneshot's
// start has no timeout of its own: tester AA), and those whose jobs wait
// for one of them, transitively. A job of such a unit is bounded
// (JobOp.AsAccount), and its undo's failure is left
// (Before.AsAccount).
//
// Only ordering makes a job wait (Requires= or Wants= without ordering
// start both at once: reviewer). X is ordered after Y when X's [Unit]
// names Y in After=, Y's names X in Before=, or X is a target that Y's
// [Install] WantedBy=, RequiredBy= or UpheldBy= names, or that names Y
// in Wants=, Requires= or Upholds= (a target is ordered after the units
// it pulls in unless DefaultDependencies=no: tester AC, a root unit
// After= network-online.target, which her oneshot was wanted by, waited
// for it without a bound). Then
//   - X's start waits for Y's (X bound when Y is), and
//   - Y's stop, and so its restart, waits for X's when X goes with Y
//     (X's Requires=, BindsTo= or PartOf= names Y: tester AC, a root
//     unit's restart waited for her PartOf= unit's ExecStop).
//
// The units seen are the configuration's and the current generation's
// (the undo starts the previous versions again: reviewer); a unit of the
// machine's own is seen only as a name others are ordered after.
//
// Apart from that, a unit's job may fail by her doing (failsWith): one
// that runs as her, and one that needs such a unit (Requires=, BindsTo=,
// Requisite=) and is ordered after it, whose start fails with hers. Only
// a failure of those is hers; a unit that merely waits for hers fails
// for its own reasons (second reviewer: root's own failures were left,
// unretried, for any unit ordered after hers).
func accountBound(units []*Unit, login func(user string) bool) map[string]accountRole {
	g := unitGraph{after: map[string][]string{}, goesWith: map[string]map[string]bool{}, needs: map[string]map[string]bool{}, alias: map[string]string{}}
	type parsed struct {
		name string
		f    unit.File
	}
	var files []parsed
	for _, u := range units {
		if u.Scope != "system" || len(u.text) == 0 {
			continue
		}
		f, err := unit.Parse(u.text)
		if err != nil {
			continue
		}
		files = append(files, parsed{u.Name, f})
		// Another name of the same unit (tester AD: a root unit
		// After= her unit's Alias= waited without a bound).
		for _, a := range fields(f["Install"]["Alias"]) {
			g.alias[a] = u.Name
		}
	}
	bound := map[string]bool{}
	for _, p := range files {
		if runsAsLogin(p.f, login) {
			bound[p.name] = true
		}
		g.add(p.name, p.f)
	}
	if len(bound) == 0 {
		return nil
	}
	// fails: what needs a unit that fails by her doing, and is after it.
	fails := maps.Clone(bound)
	g.grow(func(x, y string) bool {
		if fails[y] && !fails[x] && g.needs[x][y] {
			fails[x] = true
			return true
		}
		return false
	})
	// bound: x's start waits for y's; y's stop waits for x's when x
	// goes with y.
	g.grow(func(x, y string) bool {
		switch {
		case bound[y] && !bound[x]:
			bound[x] = true
		case bound[x] && !bound[y] && g.goesWith[x][y]:
			bound[y] = true
		default:
			return false
		}
		return true
	})
	roles := map[string]accountRole{}
	for name := range bound {
		roles[name] = waitsOnAccount
		if fails[name] {
			roles[name] |= failsWithAccount
		}
	}
	for _, p := range files {
		if runsAsLogin(p.f, login) {
			roles[p.name] |= runsAsAccount
		}
	}
	return roles
}

// fields are the names a unit file's setting lists, in all its values.
func fields(vs []string) []string {
	var out []string
	for _, v := range vs {
		out = append(out, strings.Fields(v)...)
	}
	return out
}

// A unitGraph is how system units depend on one another (accountBound),
// each by its own name: an alias (Alias=) is the unit it names.
type unitGraph struct {
	alias map[string]string
	// after[x]: the units x is ordered after; goesWith[x]: the units
	// whose stop or restart stops or restarts x too; needs[x]: the units
	// whose failure to start fails x's start when x is after them.
	after    map[string][]string
	goesWith map[string]map[string]bool
	needs    map[string]map[string]bool
}

// add adds the dependencies of unit name, whose file is f.
func (g *unitGraph) add(name string, f unit.File) {
	names := func(vs []string) []string {
		out := fields(vs)
		for i, n := range out {
			if real, ok := g.alias[n]; ok {
				out[i] = real
			}
		}
		return out
	}
	us := f["Unit"]
	g.after[name] = append(g.after[name], names(us["After"])...)
	for _, x := range names(us["Before"]) {
		g.after[x] = append(g.after[x], name)
	}
	for _, key := range []string{"WantedBy", "RequiredBy", "UpheldBy"} {
		for _, t := range names(f["Install"][key]) {
			if strings.HasSuffix(t, ".target") {
				g.after[t] = append(g.after[t], name)
			}
		}
	}
	if strings.HasSuffix(name, ".target") && !no(us["DefaultDependencies"]) {
		for _, key := range []string{"Wants", "Requires", "Upholds"} {
			g.after[name] = append(g.after[name], names(us[key])...)
		}
	}
	set := func(m map[string]map[string]bool, y string) {
		if m[name] == nil {
			m[name] = map[string]bool{}
		}
		m[name][y] = true
	}
	for _, key := range []string{"Requires", "BindsTo", "PartOf", "Requisite"} {
		for _, y := range names(us[key]) {
			if key != "Requisite" {
				set(g.goesWith, y)
			}
			if key != "PartOf" {
				set(g.needs, y)
			}
		}
	}
}

// grow calls mark for every pair of units x ordered after y until no
// call marks anything new (mark reports whether it did).
func (g *unitGraph) grow(mark func(x, y string) bool) {
	for grew := true; grew; {
		grew = false
		for x, ys := range g.after {
			for _, y := range ys {
				grew = mark(x, y) || grew
			}
		}
	}
}

// An accountRole says how a system unit's jobs depend on an ordinary
// account's processes (accountBound).
type accountRole uint8

const (
	// waitsOnAccount: its jobs may wait on her processes; they are
	// bounded, and a timeout of them is hers.
	waitsOnAccount accountRole = 1 << iota
	// failsWithAccount: its jobs may fail by her doing.
	failsWithAccount
	// runsAsAccount: it runs as her: a job of root's queued behind one
	// of its jobs waits on her (JobOp.Watch).
	runsAsAccount
)

// no reports whether a unit file's boolean setting (its last value) is
// false.
func no(vs []string) bool {
	if len(vs) == 0 {
		return false
	}
	switch strings.ToLower(vs[len(vs)-1]) {
	case "no", "false", "off", "0":
		return true
	}
	return false
}

// runsAsLogin reports whether a system unit's processes run as an
// account login says is an ordinary one (User=). With DynamicUser= too,
// systemd runs it as that account when the account exists (tester AC: a
// static mallory's processes were hers to stop), so it counts as well;
// a name no account has counts as a login (the bound is the safe side).
func runsAsLogin(f unit.File, login func(user string) bool) bool {
	users := f["Service"]["User"]
	if len(users) == 0 {
		return false
	}
	who := users[len(users)-1]
	return who != "" && login(who)
}

// appliedTexts are the current generation's system units with their
// stored files (the versions an undo starts again), for accountBound;
// a file that cannot be read is left out.
func (pl *planner) appliedTexts() []*Unit {
	l := pl.p.Machine
	if l.Current == 0 || l.Store == nil {
		return nil
	}
	var us []*Unit
	for _, a := range pl.applied.Units {
		if a.Scope != "system" {
			continue
		}
		text, err := l.Reader().ReadFile(l.Store.FilePath(l.Current, a.Root, a.Rel))
		if err != nil {
			continue
		}
		c := *a
		c.text = text
		us = append(us, &c)
	}
	return us
}
