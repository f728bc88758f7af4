package systemd

import (
	"strings"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// accountBound names the desired system units whose jobs may wait on a
// process of an ordinary account: those that run as one (runsAsAccount),
// and those whose start waits for one of them, transitively (tester
// AB: a root service with Requires= and After= her stopped oneshot held
// root's switch without end). A job of such a unit is bounded
// (JobOp.AsAccount).
//
// A unit X waits for Y when X's [Unit] names Y in After=, Requires=,
// Wants=, BindsTo=, Requisite= or Upholds=, or Y's names X in Before=,
// or Y's [Install] names X in RequiredBy=, WantedBy= or UpheldBy= (the
// links enabling makes). Only the units of the configuration are seen:
// a unit of the machine's own that runs as an ordinary account, which a
// configured one waits for, is not.
func accountBound(want []*Unit) map[string]bool {
	files := map[string]unit.File{}
	for _, u := range want {
		if u.Scope != "system" {
			continue
		}
		if f, err := unit.Parse(u.text); err == nil {
			files[u.Name] = f
		}
	}
	waitsFor := map[string][]string{}
	names := func(vs []string) []string {
		var out []string
		for _, v := range vs {
			out = append(out, strings.Fields(v)...)
		}
		return out
	}
	bound := map[string]bool{}
	for name, f := range files {
		if runsAsAccount(f) {
			bound[name] = true
		}
		for _, k := range []string{"After", "Requires", "Wants", "BindsTo", "Requisite", "Upholds"} {
			waitsFor[name] = append(waitsFor[name], names(f["Unit"][k])...)
		}
		for _, x := range names(f["Unit"]["Before"]) {
			waitsFor[x] = append(waitsFor[x], name)
		}
		for _, k := range []string{"RequiredBy", "WantedBy", "UpheldBy"} {
			for _, x := range names(f["Install"][k]) {
				waitsFor[x] = append(waitsFor[x], name)
			}
		}
	}
	if len(bound) == 0 {
		return nil
	}
	for grew := true; grew; {
		grew = false
		for x, ys := range waitsFor {
			if bound[x] {
				continue
			}
			for _, y := range ys {
				if bound[y] {
					bound[x], grew = true, true
					break
				}
			}
		}
	}
	return bound
}

// runsAsAccount reports whether a system unit's processes run as an
// account other than root (User=, not DynamicUser=): that account may
// stop them (SIGSTOP), and a start job of Type=oneshot, which has no
// start timeout, would then never end (tester AA).
func runsAsAccount(f unit.File) bool {
	s := f["Service"]
	users := s["User"]
	if len(users) == 0 {
		return false
	}
	if d := s["DynamicUser"]; len(d) > 0 && d[len(d)-1] == "yes" {
		return false
	}
	who := users[len(users)-1]
	return who != "" && who != "root" && who != "0"
}
