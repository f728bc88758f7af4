package systemd

import (
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// accountBound names the system units whose jobs may wait on a process
// of an ordinary account: those that run as a login account
// (runsAsLogin: she may stop their processes, SIGSTOP, and a oneshot's
// start has no timeout of its own: tester AA), and those ordered after
// one of them, transitively (tester AB: a root service with After= her
// stopped oneshot held root's switch without end). A job of such a unit
// is bounded (JobOp.AsAccount).
//
// Only ordering makes a job wait: X waits for Y when X's [Unit] names Y
// in After=, or Y's names X in Before= (Requires= or Wants= without
// ordering start both at once: reviewer). The units seen are the
// configuration's and the current generation's (the undo starts the
// previous versions again: reviewer); a unit of the machine's own that a
// configured one is ordered after is not.
//
// An instance of a configured template (her@alice.service of
// her@.service) is the template's with its instance for %i and %I
// (reviewer: a root unit After= her@alice.service, User=%i, waited
// without a bound); any other specifier left in User= counts as a login
// account (the bound is the safe side).
func accountBound(units []*Unit, login func(user string) bool) map[string]bool {
	// A unit's desired and current versions both count.
	type version struct {
		name string
		f    unit.File
	}
	var files []version
	for _, u := range units {
		if u.Scope != "system" || len(u.text) == 0 {
			continue
		}
		if f, err := unit.Parse(u.text); err == nil {
			files = append(files, version{u.Name, f})
		}
	}
	names := func(vs []string) []string {
		var out []string
		for _, v := range vs {
			out = append(out, strings.Fields(v)...)
		}
		return out
	}
	waitsFor := map[string][]string{}
	bound := map[string]bool{}
	templates := map[string][]unit.File{}
	order := func(name string, f unit.File, instance string) {
		if runsAsLogin(f, instance, login) {
			bound[name] = true
		}
		waitsFor[name] = append(waitsFor[name], names(f["Unit"]["After"])...)
		for _, x := range names(f["Unit"]["Before"]) {
			waitsFor[x] = append(waitsFor[x], name)
		}
	}
	for _, v := range files {
		if _, instance, ok := templateOf(v.name); ok && instance == "" {
			templates[v.name] = append(templates[v.name], v.f)
			continue
		}
		order(v.name, v.f, "")
	}
	// The instances named in an ordering, of a configured template (its
	// own ordering may name more).
	seen := map[string]bool{}
	for grew := true; grew; {
		grew = false
		var instances []string
		for x, ys := range waitsFor {
			for _, name := range append([]string{x}, ys...) {
				t, instance, ok := templateOf(name)
				if ok && instance != "" && !seen[name] && len(templates[t]) > 0 {
					seen[name] = true
					instances = append(instances, name)
				}
			}
		}
		for _, name := range instances {
			t, instance, _ := templateOf(name)
			for _, f := range templates[t] {
				order(name, f, instance)
			}
			grew = true
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

// templateOf splits an instance's name (her@alice.service) into its
// template's (her@.service) and its instance (alice); a template's
// instance is "", and ok is false for a unit that is neither.
func templateOf(name string) (template, instance string, ok bool) {
	prefix, rest, ok := strings.Cut(name, "@")
	if !ok {
		return "", "", false
	}
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 {
		return "", "", false
	}
	return prefix + "@" + rest[dot:], rest[:dot], true
}

// runsAsLogin reports whether a system unit's processes run as an
// account login says is an ordinary one (User=; not with DynamicUser=,
// whose uid no one logs in as). instance is a template's, for %i and %I
// in User= ("" for a unit that is not one).
func runsAsLogin(f unit.File, instance string, login func(user string) bool) bool {
	s := f["Service"]
	users := s["User"]
	if len(users) == 0 {
		return false
	}
	if d := s["DynamicUser"]; len(d) > 0 {
		switch strings.ToLower(d[len(d)-1]) {
		case "yes", "true", "on", "1":
			return false
		}
	}
	who := users[len(users)-1]
	if instance != "" {
		who = strings.NewReplacer("%i", instance, "%I", unescapeInstance(instance), "%%", "%").Replace(who)
	}
	return who != "" && login(who)
}

// unescapeInstance is an instance as %I gives it (systemd.unit(5)): "-"
// is "/", and \xNN the byte NN.
func unescapeInstance(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '-':
			b.WriteByte('/')
		case s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x':
			if n, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
			b.WriteByte(s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// loginAccount reports whether user (a name or a uid) is an account
// people log in as: a uid in login.defs' range of ordinary users
// (UID_MIN and up; 1000 on Debian), not a service's account such as
// postgres, whose processes no ordinary user may stop. An account
// unknown to db counts as one (the bound is the safe side).
func loginAccount(db *accounts.Database, defs accounts.LoginDefs) func(string) bool {
	return func(user string) bool {
		uid, err := strconv.Atoi(user)
		if err != nil {
			a, ok := accounts.Account{}, false
			if db != nil {
				a, ok = db.User(user)
			}
			if !ok {
				return true
			}
			uid = a.UID
		}
		return uid >= defs.UIDMin
	}
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
