package platform_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

var _ platform.Op = (*busyOp)(nil)

// busyOp is a step during which the switch is interrupted (its Apply
// cancels the switch's context, as SIGINT would), and which, like a
// command run with exec.CommandContext, gives up when its own context is
// cancelled. It writes Path when it runs to its end.
type busyOp struct {
	Path      string `json:"path"`
	interrupt func()
	ran       bool
}

func init() { platform.RegisterOp("test.busy", func() platform.Op { return &busyOp{} }) }

func (o *busyOp) Describe() string { return "busy " + o.Path }

func (o *busyOp) Apply(ctx context.Context, sys system.System) error {
	o.interrupt()
	if err := ctx.Err(); err != nil {
		return err
	}
	o.ran = true
	return sys.WriteFile(o.Path, []byte("busy\n"), 0o644)
}

func (o *busyOp) Undo(_ context.Context, sys system.System) error {
	if err := sys.Remove(o.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// checkInterrupted checks that err is an interrupted switch from
// generation 1 whose done steps were undone, and that the machine is as
// before it.
func checkInterrupted(t *testing.T, m *testMachine, before map[string]string, err error, done int) {
	t.Helper()
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Switch: %v, want an *ApplyError wrapping context.Canceled", err)
	}
	want := fmt.Sprintf("interrupted: the %d step(s) done were undone; generation 1 is still current", done)
	if done == 0 {
		want = "interrupted before the first step: nothing was changed; generation 1 is still current"
	}
	if err.Error() != want {
		t.Errorf("error %q\nwant    %q", err, want)
	}
	if !ae.Interrupted || ae.Op != done+1 || len(ae.UndoErrs) != 0 {
		t.Errorf("ApplyError %+v, want Interrupted with %d step(s) done", ae, done)
	}
	m.checkUndone(before)
}

// TestSwitchInterrupted: a context cancelled during a switch (SIGINT,
// SIGTERM) stops it at the next step boundary and undoes every step done,
// even when it comes during the last step; the machine is then exactly as
// before, generation 1 current and no journal left.
func TestSwitchInterrupted(t *testing.T) {
	ref, _ := richMachine(t).plan(richGen2(), ".bak")
	nops := countOps(ref)
	for _, after := range []int{0, 1, 3, nops - 1, nops} {
		t.Run(fmt.Sprintf("after op %d of %d", after, nops), func(t *testing.T) {
			m := richMachine(t)
			_, sw := m.plan(richGen2(), ".bak")
			before := m.snapshot("/", storeDir)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			eng := m.engine()
			eng.Fault = func(p string) {
				if after == 0 && p == "journal-written" {
					cancel()
				}
			}
			eng.Progress = func(done, total int, _ string) {
				if done == after {
					cancel()
				}
			}
			_, err := eng.Switch(ctx, sw)
			checkInterrupted(t, m, before, err, after)
		})
	}
}

// TestSwitchInterruptedFinishesTheStep: the step in progress when the
// interrupt comes runs to its end (its context is not cancelled), then it
// and the steps before it are undone.
func TestSwitchInterruptedFinishesTheStep(t *testing.T) {
	m := richMachine(t)
	_, sw := m.plan(richGen2(), ".bak")
	before := m.snapshot("/", storeDir)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	busy := &busyOp{Path: "/home/alice/.busy", interrupt: cancel}
	// The busy step is the second change's first op.
	step := len(sw.Plan.Changes[0].Ops) + 1
	cs := sw.Plan.Changes
	sw.Plan.Changes = append(cs[:1:1], append([]platform.Change{{ID: "test:busy", Kind: "test", Action: platform.Create, Ops: []platform.Op{busy}}}, cs[1:]...)...)
	_, err := m.engine().Switch(ctx, sw)
	if !busy.ran {
		t.Error("the step in progress was cut short by the interrupt")
	}
	checkInterrupted(t, m, before, err, step)
}

// TestSwitchInterruptedAfterTheFlip: once `current` points at the new
// generation the switch stands; the commits still run, and the
// on_change hooks not yet started are left in the journal, which the
// next recovery runs (tester BI: they were dropped for good, and status
// said "No drift").
func TestSwitchInterruptedAfterTheFlip(t *testing.T) {
	m := richMachine(t)
	cfg := richGen2()
	hf := cfg.Home["alice"].Files
	for _, name := range []string{".a", ".g"} {
		f := hf[name]
		f.OnChange = ptr("echo ran > hook-ran" + name)
		hf[name] = f
	}
	_, sw := m.plan(cfg, ".bak")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	eng := m.engine()
	eng.RunHooks = true
	eng.Fault = func(p string) {
		if p == "flipped" {
			cancel()
		}
	}
	res, err := eng.Switch(ctx, sw)
	if err != nil {
		t.Fatalf("Switch: %v; want the switch to stand", err)
	}
	if res.Generation != 2 || m.Current() != 2 || res.HooksPending != 2 {
		t.Errorf("result %+v, current %d; want generation 2 current, 2 hooks pending", res, m.Current())
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.Error())
	}
	want := []string{
		"interrupted after generation 2 became current: the switch stands, but the on_change of file:~alice/.a, file:~alice/.g did not run: the next gocfg command that changes the machine (switch, rollback, generations gc or delete) runs it",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range []string{"/home/alice/hook-ran.a", "/home/alice/hook-ran.g"} {
		if m.Exists(p) {
			t.Errorf("%s: a hook ran after the interrupt", p)
		}
	}
	// The commits ran: the files moved aside are gone.
	for _, aside := range []string{"/home/alice/.d.gocfg-2~", "/home/alice/.e.gocfg-2~"} {
		if m.Exists(aside) {
			t.Errorf("%s is left: the commits did not run", aside)
		}
	}
	if ok, err := m.engine().Pending(); !ok || err != nil {
		t.Fatalf("Pending() = %v, %v; want the hooks left for the next command", ok, err)
	}
	// The next command's recovery finishes the switch and runs the
	// hooks (this test's tree refuses to run them: it says it tried
	// each), and generation 2 stays current.
	rec := m.engine()
	rec.RunHooks = true
	r, err := rec.Recover(t.Context())
	if err != nil || r == nil || !r.Finished {
		t.Fatalf("Recover = %+v, %v; want the switch finished", r, err)
	}
	var ran []string
	for _, p := range r.Problems {
		ran = append(ran, p.Error())
	}
	if len(ran) != 2 || !strings.Contains(ran[0], "file:~alice/.a: on_change: run /bin/sh -c 'echo ran > hook-ran.a'") || !strings.Contains(ran[1], "file:~alice/.g: on_change: run /bin/sh -c 'echo ran > hook-ran.g'") {
		t.Errorf("the recovery ran the hooks:\n%s\nwant .a's and .g's", strings.Join(ran, "\n"))
	}
	m.checkNoSwitchLeft(2, 3)
	if p, _ := m.plan(richGen2(), ".bak"); !p.Empty() {
		t.Errorf("after the switch the plan is not empty: %+v", p.Changes)
	}
}
