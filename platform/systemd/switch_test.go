package systemd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// TestSwitchFailsAndUndoes: a running service changed into one that cannot
// start fails the switch; the undo puts the previous unit file back,
// reloads the manager and restarts the previous version.
func TestSwitchFailsAndUndoes(t *testing.T) {
	r, good := runningRig(t)
	before := r.readUnit("svc.service")

	bad := good
	bad.Type, bad.ExecStart = "exec", ptr("/nonexistent/bin")
	_, sw := r.Plan(svcConfig(bad))
	err := r.apply(sw)
	var ae *platform.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("switch: %v, want an *platform.ApplyError", err)
	}
	t.Logf("the error:\n%v", err)
	msg := err.Error()
	for _, want := range []string{"restart svc.service", "unit svc.service: restart failed", "svc.service is failed", "generation 1 stays current"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not say %q", want)
		}
	}
	if ae.From != 1 || len(ae.UndoErrs) > 0 {
		t.Errorf("ApplyError From %d, undo errors %v", ae.From, ae.UndoErrs)
	}
	if r.current() != 1 {
		t.Errorf("current generation %d, want 1", r.current())
	}
	if ns, _ := r.store.Numbers(); !slices.Equal(ns, []int{1}) {
		t.Errorf("generations %v, want [1]", ns)
	}
	if got := r.readUnit("svc.service"); got != before {
		t.Errorf("unit file after the undo:\n%s\nwant the previous one:\n%s", got, before)
	}
	st := r.state("svc.service")
	if st.Active != "active" || st.PID == 0 || !strings.Contains(st.ExecStart, "/bin/sleep") || st.NeedReload || st.FileState != "enabled" {
		t.Errorf("state %+v, want the previous version running", st)
	}
	r.WantEmptyPlan(svcConfig(good))
}

// TestNewUnitFailsAndUndoes: a new unit that fails to start fails the
// switch; the undo stops it, disables it, removes its file and clears its
// failure, which would otherwise keep the manager "degraded".
func TestNewUnitFailsAndUndoes(t *testing.T) {
	r, good := runningRig(t)
	pid := r.state("svc.service").PID

	bad := service("/bin/false")
	bad.Type = "oneshot"
	_, sw := r.Plan(userConfig(map[string]unit.Service{"svc": good, "bad": bad}, nil))
	err := r.apply(sw)
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "bad.service") {
		t.Fatalf("switch: %v, want an *platform.ApplyError naming bad.service", err)
	}
	if r.current() != 1 {
		t.Errorf("current generation %d, want 1", r.current())
	}
	absent(t, r.unitPath("bad.service"))
	absent(t, r.wantsLink("default.target", "bad.service"))
	if st := r.state("bad.service"); st.Active != "inactive" || st.FileState == "enabled" {
		t.Errorf("bad.service: %+v, want inactive (not failed) and not enabled", st)
	}
	if out, err := r.mgr.Systemctl("is-system-running"); strings.TrimSpace(out) != "running" {
		t.Errorf("systemctl is-system-running: %q, %v; want running", out, err)
	}
	if st := r.state("svc.service"); st.Active != "active" || st.PID != pid {
		t.Errorf("svc.service: %+v, want untouched (main PID %d)", st, pid)
	}
	r.WantEmptyPlan(svcConfig(good))
}

// TestUndoKeepsEarlierFailure: a unit that was failed before a switch
// that fails stays failed after the undo: that failure is not the
// switch's to clear.
func TestUndoKeepsEarlierFailure(t *testing.T) {
	r, svc := runningRig(t)
	if out, err := r.mgr.Systemctl("kill", "--signal=KILL", "svc.service"); err != nil {
		t.Fatalf("systemctl kill: %v\n%s", err, out)
	}
	if !waitFor(5*time.Second, func() bool { return r.state("svc.service").Active == "failed" }) {
		t.Fatalf("svc.service: %+v, want failed after SIGKILL", r.state("svc.service"))
	}

	// svc's file changes with no job (a new description), and a new
	// unit fails.
	svc.Description = "a sleeping service"
	bad := service("/bin/false")
	bad.Type = "oneshot"
	_, sw := r.Plan(userConfig(map[string]unit.Service{"svc": svc, "bad": bad}, nil))
	if err := r.apply(sw); err == nil || !strings.Contains(err.Error(), "bad.service") {
		t.Fatalf("switch: %v, want bad.service's failure", err)
	}
	if st := r.state("svc.service"); st.Active != "failed" {
		t.Errorf("svc.service: %+v, want still failed", st)
	}
	if st := r.state("bad.service"); st.Active != "inactive" {
		t.Errorf("bad.service: %+v, want inactive", st)
	}
}

// TestRollback: generation 1, then 2 with the service edited and another
// added; rolling back to 1 puts the first file back, restarts the service
// and removes the other.
func TestRollback(t *testing.T) {
	r, v1 := runningRig(t)
	file1 := r.readUnit("svc.service")
	v2 := service("/bin/sleep 301")
	r.Switch(userConfig(map[string]unit.Service{"svc": v2, "extra": service("/bin/sleep 302")}, nil))
	pid2 := r.state("svc.service").PID

	p := r.Rollback(1)
	if c := providertest.Change(t, p, svcID); c.Action != platform.Update || c.After != "unit file changed; restart" {
		t.Errorf("plan line %s %q, want update %q", c.Action, c.After, "unit file changed; restart")
	}
	if c := providertest.Change(t, p, "unit:user:root:extra.service"); c.Action != platform.Delete || c.After != "stop, disable" {
		t.Errorf("plan line %s %q, want delete %q", c.Action, c.After, "stop, disable")
	}
	if r.current() != 1 {
		t.Errorf("current generation %d, want 1", r.current())
	}
	if got := r.readUnit("svc.service"); got != file1 {
		t.Errorf("unit file:\n%s\nwant generation 1's:\n%s", got, file1)
	}
	st := r.state("svc.service")
	if st.Active != "active" || st.PID == pid2 || !strings.Contains(st.ExecStart, "sleep 300") {
		t.Errorf("state %+v, want restarted running sleep 300", st)
	}
	absent(t, r.unitPath("extra.service"))
	absent(t, r.wantsLink("default.target", "extra.service"))
	if st := r.state("extra.service"); st.Active != "inactive" {
		t.Errorf("extra.service: %+v, want stopped", st)
	}
	r.WantEmptyPlan(svcConfig(v1))
}

// TestKilledAndRecovered stops a switch that edits a running service at
// every step boundary, as a kill would, and checks that a fresh Recover
// undoes it (the previous file back, the previous version running) or,
// once `current` flipped, finishes it.
func TestKilledAndRecovered(t *testing.T) {
	r, v1 := runningRig(t)
	file1 := r.readUnit("svc.service")
	v2 := service("/bin/sleep 301")
	cfg2 := svcConfig(v2)

	p, _ := r.Plan(cfg2)
	nops := 0
	for _, c := range p.Changes {
		nops += len(c.Ops)
	}
	points := []string{"journal-written", "generation-written"}
	for k := 1; k <= nops; k++ {
		points = append(points, fmt.Sprintf("op-%d", k))
	}
	points = append(points, "applied", "flipped")
	t.Logf("%d ops: %q", nops, jobs(p))

	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			pid := r.state("svc.service").PID
			_, sw := r.Plan(cfg2)
			providertest.KillAt(t, r.engine(), sw, point)
			rec, err := r.engine().Recover(context.Background())
			if err != nil || rec == nil {
				t.Fatalf("Recover: %+v, %v", rec, err)
			}
			st := r.state("svc.service")
			if point == "flipped" {
				if !rec.Finished || r.current() != 2 {
					t.Errorf("recovery %v; current %d, want 2 finished", rec, r.current())
				}
				if !strings.Contains(st.ExecStart, "sleep 301") || st.Active != "active" {
					t.Errorf("state %+v, want the new version running", st)
				}
				r.WantEmptyPlan(cfg2)
				return
			}
			if rec.Finished || r.current() != 1 {
				t.Errorf("recovery %v; current %d, want 1 after an undo", rec, r.current())
			}
			if got := r.readUnit("svc.service"); got != file1 {
				t.Errorf("unit file:\n%s\nwant generation 1's:\n%s", got, file1)
			}
			if st.Active != "active" || !strings.Contains(st.ExecStart, "sleep 300") || st.NeedReload || st.FileState != "enabled" {
				t.Errorf("state %+v, want the previous version running", st)
			}
			// The unit is restarted only if the switch had restarted it.
			if restarted := st.PID != pid; restarted != (point == "applied") {
				t.Errorf("main PID %d → %d after the recovery; want a restart only when the switch had restarted it", pid, st.PID)
			}
			r.WantEmptyPlan(svcConfig(v1))
		})
	}
}

// TestReloadFailsAndUndoes: a reload that fails fails the switch; the
// units reloaded are reloaded again with their previous files, not
// restarted.
func TestReloadFailsAndUndoes(t *testing.T) {
	r := newRig(t)
	log := r.mgr.Home() + "/reloads"
	a := service("/bin/sleep 300")
	a.ReloadIfChanged, a.ExecReload = true, ptr("/bin/sh -c 'echo $GREETING >> "+log+"'")
	a.Environment = map[string]string{"GREETING": "old"}
	b := service("/bin/sleep 300")
	b.ReloadIfChanged, b.ExecReload = true, ptr("/bin/true")
	r.Switch(userConfig(map[string]unit.Service{"a": a, "b": b}, nil))
	pidA, pidB := r.state("a.service").PID, r.state("b.service").PID

	a.Environment = map[string]string{"GREETING": "new"}
	b.ExecReload = ptr("/bin/false")
	p, sw := r.Plan(userConfig(map[string]unit.Service{"a": a, "b": b}, nil))
	if got, want := jobs(p), []string{"daemon-reload", "reload a.service b.service"}; !slices.Equal(got, want) {
		t.Fatalf("jobs %q, want %q", got, want)
	}
	err := r.apply(sw)
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "unit b.service: reload failed") || len(ae.UndoErrs) > 0 {
		t.Fatalf("switch: %v, want an *platform.ApplyError for b.service's reload, undone", err)
	}
	if got := testfs.Read(t, log); got != "new\nold\n" {
		t.Errorf("a's reloads: %q, want the switch's then the undo's", got)
	}
	if st := r.state("a.service"); st.PID != pidA || st.Active != "active" || st.NeedReload {
		t.Errorf("a.service: %+v, want running as PID %d", st, pidA)
	}
	if st := r.state("b.service"); st.PID != pidB || st.Active != "active" {
		t.Errorf("b.service: %+v, want running as PID %d", st, pidB)
	}
	if env := r.show("a.service", "Environment")["Environment"]; env != "GREETING=old" {
		t.Errorf("a.service Environment=%q, want the previous file loaded", env)
	}
}
