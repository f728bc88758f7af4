package systemd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// TestEditedUnitFileIsNotReplaced: the unit file gocfg wrote is edited
// by hand between the plan that changes it and the switch. The switch
// stops and is undone: the edit is still there, the service runs on as
// it did, no file is left beside the unit file.
func TestEditedUnitFileIsNotReplaced(t *testing.T) {
	r, _ := runningRig(t)
	before := r.state("svc.service")

	_, sw := r.Plan(svcConfig(service("/bin/sleep 301")))
	edited := r.readUnit("svc.service") + "# edited by hand\n"
	if err := os.WriteFile(r.unitPath("svc.service"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	err := r.apply(sw)
	checkStopped(t, r, err, edited)
	if st := r.state("svc.service"); st.Active != "active" || st.PID != before.PID || !strings.Contains(st.ExecStart, "/bin/sleep 300") {
		t.Errorf("state %+v, want the service running as before (pid %d)", st, before.PID)
	}
}

// TestEditedUnitFileIsNotRemoved: the unit file of a dropped unit is
// edited at the last moment, after any check of it in place and just
// before gocfg moves or deletes it. The removal is refused and the
// switch undone: the edit is still there, the unit enabled and running.
func TestEditedUnitFileIsNotRemoved(t *testing.T) {
	r, _ := runningRig(t)

	p, sw := r.Plan(userConfig(map[string]unit.Service{}, nil))
	if c := providertest.Change(t, p, svcID); c.Action != platform.Delete {
		t.Fatalf("change %s, want a delete", c.Action)
	}
	path := r.unitPath("svc.service")
	edited := r.readUnit("svc.service") + "# edited by hand\n"
	sys := &providertest.EditingSys{System: r.sys, Path: path, Edit: func() {
		if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			t.Error(err)
		}
	}}
	_, err := (&platform.Engine{Sys: sys, Store: r.store}).Switch(context.Background(), sw)
	if !sys.Done {
		t.Fatal("the switch never moved or removed the unit file")
	}
	checkStopped(t, r, err, edited)
	if st := r.state("svc.service"); st.Active != "active" || st.FileState != "enabled" {
		t.Errorf("state %+v, want the service enabled and running again", st)
	}
}

// checkStopped checks a switch that found the unit file edited: refused
// and undone, generation 1 current, the edit in the unit file, nothing
// left beside it.
func checkStopped(t *testing.T, r *rig, err error, edited string) {
	t.Helper()
	providertest.WantChangedSincePlan(t, err, "unit file")
	if r.current() != 1 {
		t.Errorf("current generation %d, want 1", r.current())
	}
	if got := r.readUnit("svc.service"); got != edited {
		t.Errorf("unit file after the switch:\n%s\nwant the edited one:\n%s", got, edited)
	}
	left, _ := filepath.Glob(r.unitPath("svc.service") + ".*")
	if len(left) > 0 {
		t.Errorf("left beside the unit file: %v", left)
	}
}
