package systemd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// silentManagers is a System whose users' managers never answer (a user
// listening on her manager's socket herself, and saying nothing).
type silentManagers struct{ system.System }

func (s silentManagers) Units(ctx context.Context, scope system.UnitScope) (system.Units, error) {
	if scope.User == "" {
		return s.System.Units(ctx, scope)
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestUserManagerTimeout: a user's manager that never answers stops
// asking it after userManagerTimeout, instead of holding root's plan
// (and the state lock) for ever. The user's units are then held, with a
// conflict that says why, and the system's still plan; with --fail-fast
// the plan fails instead.
func TestUserManagerTimeout(t *testing.T) {
	saved := userManagerTimeout
	userManagerTimeout = 200 * time.Millisecond
	t.Cleanup(func() { userManagerTimeout = saved })
	for _, failFast := range []bool{false, true} {
		sys := silentManagers{system.NewRooted(t.TempDir(), system.NewReal())}
		l := &machine.Machine{Sys: sys, Host: system.NewReal(), Store: generations.New(sys, "/var/lib/gocfg"), To: 1,
			Offline: true, Privileged: true, User: "root", OS: "linux", Accounts: &accounts.Database{}, Switch: machine.Switch{FailFast: failFast}}
		cfg := &Config{Services: map[string]unit.Service{"web": service("/usr/bin/true")},
			Users: map[string]UserUnits{"alice": {Services: map[string]unit.Service{"sync": service("/usr/bin/true")}}}}
		p, err := platform.MakePlan(t.Context(), nil, &Provider{Machine: l, Config: cfg})
		if failFast {
			if err == nil || !strings.Contains(err.Error(), "the manager did not answer within 200ms") {
				t.Errorf("--fail-fast plan: %v, want the user's manager named as not answering", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("plan: %v", err)
		}
		var ids []string
		for _, ch := range p.Changes {
			if !ch.Hidden {
				ids = append(ids, ch.ID)
			}
		}
		if strings.Join(ids, " ") != "unit:system:web.service" {
			t.Errorf("changes %q, want the system unit's alone", ids)
		}
		if len(p.Conflicts) != 1 || !p.Conflicts[0].Held || !strings.Contains(p.Conflicts[0].Problem, "the manager did not answer within 200ms") {
			t.Fatalf("conflicts %+v, want alice's units held because her manager did not answer", p.Conflicts)
		}
		if u, _ := platform.HomeOf(p.Conflicts[0].ID); u != "alice" {
			t.Errorf("held conflict %q is not alice's", p.Conflicts[0].ID)
		}
	}
}

// TestUserJobTimeout: a job on a user's manager that never answers
// fails after userJobTimeout, saying so, instead of holding root's
// switch for ever.
func TestUserJobTimeout(t *testing.T) {
	saved := userJobTimeout
	userJobTimeout = 200 * time.Millisecond
	t.Cleanup(func() { userJobTimeout = saved })
	sys := silentManagers{system.NewRooted(t.TempDir(), system.NewReal())}
	op := &JobOp{Scope: system.UnitScope{User: "alice", UID: 1000, GID: 1000}, Job: jobStart, Units: []string{"sync.service"}}
	done := make(chan error, 1)
	go func() { done <- op.Apply(t.Context(), sys) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "the user manager of alice did not finish within 200ms") {
			t.Errorf("Apply: %v, want the user's manager named as not finishing", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Apply did not return")
	}
}

// TestCheckpointUndoTimeout: the undo of a user's checkpoint on a
// manager that never answers fails after userJobTimeout, saying so,
// though its caller (an abort, a recovery) never cancels: before, it
// held root's undo and the state lock for ever (tester Y).
func TestCheckpointUndoTimeout(t *testing.T) {
	saved := userJobTimeout
	userJobTimeout = 200 * time.Millisecond
	t.Cleanup(func() { userJobTimeout = saved })
	sys := silentManagers{system.NewRooted(t.TempDir(), system.NewReal())}
	op := &CheckpointOp{Scope: system.UnitScope{User: "alice", UID: 1000, GID: 1000}, Units: []Before{{Name: "sync.service", Exists: true}}}
	done := make(chan error, 1)
	go func() { done <- op.Undo(context.WithoutCancel(t.Context()), sys) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "the user manager of alice did not finish within 200ms") {
			t.Errorf("Undo: %v, want the user's manager named as not finishing", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Undo did not return")
	}
}

// silentSystem is a System whose system manager never answers (a job
// for a unit whose processes its account stopped, tester AA).
type silentSystem struct{ system.System }

func (s silentSystem) Units(ctx context.Context, scope system.UnitScope) (system.Units, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestAccountJobTimeout (tester AA): a system service that runs as an
// ordinary account (User=) is hers to stop (SIGSTOP), and a oneshot's
// start job then never ends: root's switch held the state lock without
// end. Its jobs, and the undo of its scope's checkpoint, are bounded as
// a user manager's are; a unit that runs as root, or with DynamicUser,
// is not, nor one of a service's account (postgres), nor one that is
// not ordered after such a unit; one ordered after it (After=, its
// Before=, transitively, in its desired or current version: tester AB
// and the reviewer) is.
func TestAccountJobTimeout(t *testing.T) {
	saved := userJobTimeout
	userJobTimeout = 200 * time.Millisecond
	t.Cleanup(func() { userJobTimeout = saved })

	t.Run("planned", func(t *testing.T) {
		sleep := service("/bin/sleep 15")
		withDeps := func(s unit.Service, set func(*unit.Service)) unit.Service { set(&s); return s }
		units := map[string]unit.Service{
			"her.service":      withUser(sleep, "mallory", false),
			"root.service":     sleep,
			"asroot.service":   withUser(sleep, "root", false),
			"dynamic.service":  withUser(sleep, "mallory", true),
			"postgres.service": withUser(sleep, "postgres", false),
			"needs.service":    withDeps(sleep, func(s *unit.Service) { s.Requires = []string{"her.service"} }),
			"after.service":    withDeps(sleep, func(s *unit.Service) { s.After = []string{"her.service"} }),
			"chain.service":    withDeps(sleep, func(s *unit.Service) { s.After = []string{"after.service"} }),
			"afterpg.service":  withDeps(sleep, func(s *unit.Service) { s.After = []string{"postgres.service"} }),
			"before.service":   sleep, // her2 is Before= it
			"her2.service":     withDeps(withUser(sleep, "mallory", false), func(s *unit.Service) { s.UnitConfig = map[string]string{"Before": "before.service"} }),
			"was.service":      sleep, // its current version: After= her
			// Tester AC: a target her unit is wanted by; a unit that goes
			// with (PartOf=) a root unit, which a restart stops first.
			"prep.service":      withDeps(withUser(sleep, "mallory", false), func(s *unit.Service) { s.WantedBy = []string{"network-online.target"} }),
			"app.service":       withDeps(sleep, func(s *unit.Service) { s.After = []string{"network-online.target"} }),
			"aftermine.service": withDeps(sleep, func(s *unit.Service) { s.After = []string{"mine.target"} }),
			"afterbare.service": withDeps(sleep, func(s *unit.Service) { s.After = []string{"bare.target"} }),
			"x.service":         sleep,
			"herpart.service":   withDeps(withUser(sleep, "mallory", false), func(s *unit.Service) { s.UnitConfig = map[string]string{"After": "x.service", "PartOf": "x.service"} }),
			"y.service":         sleep,
			"herafter.service":  withDeps(withUser(sleep, "mallory", false), func(s *unit.Service) { s.After = []string{"y.service"} }),
			// An alias of hers is hers (tester AD).
			"aliased.service":    withDeps(withUser(sleep, "mallory", false), func(s *unit.Service) { s.InstallConfig = map[string]string{"Alias": "worker.service"} }),
			"afteralias.service": withDeps(sleep, func(s *unit.Service) { s.After = []string{"worker.service"} }),
			// Her failure fails a start that needs hers and is after it.
			"needsafter.service": withDeps(sleep, func(s *unit.Service) { s.Requires, s.After = []string{"her.service"}, []string{"her.service"} }),
			"needsonly.service":  withDeps(sleep, func(s *unit.Service) { s.Requires = []string{"her.service"} }),
		}
		var all []*Unit
		for name, svc := range units {
			all = append(all, &Unit{Scope: "system", Name: name, text: []byte(rendered(t, name, svc))})
		}
		all = append(all, &Unit{Scope: "system", Name: "was.service", text: []byte(rendered(t, "was.service", withDeps(sleep, func(s *unit.Service) { s.After = []string{"her.service"} })))},
			&Unit{Scope: "system", Name: "mine.target", text: []byte("[Unit]\nWants=her.service\n")},
			&Unit{Scope: "system", Name: "bare.target", text: []byte("[Unit]\nWants=her.service\nDefaultDependencies=no\n")})
		login := func(u string) bool { return u == "mallory" }
		got := accountBound(all, login)
		for name, bound := range map[string]bool{
			"her.service": true, "her2.service": true, "after.service": true, "chain.service": true, "before.service": true, "was.service": true,
			"root.service": false, "asroot.service": false, "postgres.service": false, "afterpg.service": false,
			"needs.service": false,
			// DynamicUser= with an account that exists runs as it.
			"dynamic.service": true,
			"prep.service":    true, "network-online.target": true, "app.service": true, "mine.target": true, "aftermine.service": true,
			"bare.target": false, "afterbare.service": false,
			"herpart.service": true, "x.service": true, "herafter.service": true, "y.service": false,
			"aliased.service": true, "afteralias.service": true,
		} {
			if (got[name] != 0) != bound {
				t.Errorf("%s: bound %v, want %v", name, got[name] != 0, bound)
			}
		}
		// Only those that run as her, or need one that does and are
		// after it, fail by her doing (second reviewer).
		for name, fails := range map[string]bool{
			"her.service": true, "her2.service": true, "dynamic.service": true, "prep.service": true, "herpart.service": true,
			"after.service": false, "app.service": false, "x.service": false, "mine.target": false,
			"needsafter.service": true, "needsonly.service": false, "afteralias.service": false,
		} {
			if got[name]&failsWithAccount != 0 != fails {
				t.Errorf("%s: fails with her %v, want %v", name, !fails, fails)
			}
		}
		// Only those that run as her are watched in the manager's queue
		// (JobOp.Watch; reviewer: a target after hers is not hers once
		// her job is done).
		for name, runs := range map[string]bool{
			"her.service": true, "dynamic.service": true, "aliased.service": true,
			"after.service": false, "network-online.target": false, "app.service": false, "needsafter.service": false,
		} {
			if got[name]&runsAsAccount != 0 != runs {
				t.Errorf("%s: runs as her %v, want %v", name, !runs, runs)
			}
		}
		// login.defs' range: a service's account is not a login.
		isLogin := accounts.LoginAccount(nil, accounts.DefaultLoginDefs)
		for user, want := range map[string]bool{"1000": true, "999": false, "0": false, "someone": true} {
			if isLogin(user) != want {
				t.Errorf("LoginAccount(%q) = %v, want %v", user, !want, want)
			}
		}
	})

	sys := silentSystem{system.NewRooted(t.TempDir(), system.NewReal())}
	run := func(t *testing.T, what string, f func() error) error {
		t.Helper()
		done := make(chan error, 1)
		go func() { done <- f() }()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatalf("%s did not return", what)
		}
		return nil
	}
	scope := system.UnitScope{UID: -1, GID: -1}
	t.Run("job", func(t *testing.T) {
		op := &JobOp{Scope: scope, Job: jobStart, Units: []string{"web.service"}, AsAccount: true}
		err := run(t, "Apply", func() error { return op.Apply(t.Context(), sys) })
		if err == nil || !strings.Contains(err.Error(), "systemctl start web.service did not finish within 200ms (its unit runs as an ordinary account, or waits for one") {
			t.Errorf("Apply: %v, want the job named as not finishing", err)
		}
	})
	t.Run("undo", func(t *testing.T) {
		op := &CheckpointOp{Scope: scope, Units: []Before{{Name: "web.service", Exists: true}}, AsAccount: true}
		err := run(t, "Undo", func() error { return op.Undo(context.WithoutCancel(t.Context()), sys) })
		if err == nil || !strings.Contains(err.Error(), "the system manager did not finish within 200ms") {
			t.Errorf("Undo: %v, want the system manager named as not finishing", err)
		}
	})
}

// withUser is s run as user (User=), with DynamicUser= when dynamic.
func withUser(s unit.Service, user string, dynamic bool) unit.Service {
	s.User = &user
	if dynamic {
		s.ServiceConfig = map[string]string{"DynamicUser": "yes"}
	}
	return s
}
