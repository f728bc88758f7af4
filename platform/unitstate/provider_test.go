package unitstate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/packages"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/unitstate"
)

// A tree is a --root machine with unit files in /lib/systemd/system.
type tree struct {
	t    *testing.T
	root string
	sys  system.System
}

const (
	installed = "[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"
	static    = "[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n"
)

func newTree(t *testing.T) *tree {
	t.Helper()
	tr := &tree{t: t, root: t.TempDir()}
	tr.sys = system.NewRooted(tr.root, system.NewReal())
	tr.write("lib/systemd/system/cron.service", installed)
	tr.write("lib/systemd/system/ssh.service", installed)
	tr.write("lib/systemd/system/boot-check.service", static)
	return tr
}

func (tr *tree) write(rel, content string) {
	tr.t.Helper()
	testfs.Write(tr.t, filepath.Join(tr.root, rel), content)
}

// enable enables a unit by hand, as systemctl --root does.
func (tr *tree) enable(name string) {
	tr.t.Helper()
	u, err := tr.sys.Units(context.Background(), system.UnitScope{UID: -1, GID: -1})
	if err != nil {
		tr.t.Fatal(err)
	}
	if err := u.Enable(context.Background(), []string{name}); err != nil {
		tr.t.Fatal(err)
	}
}

// state is a unit's UnitFileState in the tree.
func (tr *tree) state(name string) string {
	tr.t.Helper()
	u, err := tr.sys.Units(context.Background(), system.UnitScope{UID: -1, GID: -1})
	if err != nil {
		tr.t.Fatal(err)
	}
	st, err := u.State(context.Background(), name)
	if err != nil {
		tr.t.Fatal(err)
	}
	return st.UnitFileState
}

func (tr *tree) linked(rel string) bool {
	_, err := os.Lstat(filepath.Join(tr.root, rel))
	return err == nil
}

func (tr *tree) machine() *machine.Machine {
	return &machine.Machine{Sys: tr.sys, Offline: true, Privileged: true, OS: "linux"}
}

func (tr *tree) plan(p *unitstate.Provider, applied json.RawMessage) (*platform.Part, error) {
	part, err := p.Plan(context.Background(), applied)
	if err == nil {
		if u := platform.UnknownDeps(part.Changes); len(u) > 0 {
			tr.t.Errorf("unknown deps: %v", u)
		}
	}
	return part, err
}

// apply runs every op of the part, as the engine does.
func (tr *tree) apply(part *platform.Part) {
	tr.t.Helper()
	for _, c := range part.Changes {
		for _, op := range c.Ops {
			if err := op.Apply(context.Background(), tr.sys); err != nil {
				tr.t.Fatal(err)
			}
		}
	}
}

func records(t *testing.T, part *platform.Part) string {
	t.Helper()
	b, err := json.Marshal(part.Records)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func unit(enable bool, wantedBy ...string) unitstate.Unit {
	u := unitstate.Unit{Enable: enable}
	if len(wantedBy) > 0 {
		u.WantedBy = wantedBy
	}
	return u
}

const (
	cronLink = "etc/systemd/system/multi-user.target.wants/cron.service"
	bootLink = "etc/systemd/system/default.target.wants/boot-check.service"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*tree)
		units   map[string]unitstate.Unit
		applied string
		// change: "<action> <before> → <after>" of the one change; ""
		// for none.
		change  string
		ops     int
		records string
		warning string
		// after: links that are there after the apply, and gone: not.
		after, gone []string
	}{
		{name: "nothing", records: `{}`},
		{name: "enable a disabled unit records its state", units: map[string]unitstate.Unit{"cron.service": unit(true)},
			change: "update disabled → enabled (starts at boot)", ops: 1,
			records: `{"units":{"cron.service":{"enable":true,"original":{"enabled":false,"active":false}}}}`, after: []string{cronLink}},
		{name: "an enabled unit is adopted", setup: func(tr *tree) { tr.enable("cron.service") }, units: map[string]unitstate.Unit{"cron.service": unit(true)},
			change:  "update  → enabled (starts at boot)",
			records: `{"units":{"cron.service":{"enable":true,"original":{"enabled":true,"active":true}}}}`, after: []string{cronLink}},
		{name: "disable an enabled unit", setup: func(tr *tree) { tr.enable("cron.service") }, units: map[string]unitstate.Unit{"cron.service": unit(false)},
			change: "update enabled (starts at boot) → disabled", ops: 1,
			records: `{"units":{"cron.service":{"enable":false,"original":{"enabled":true,"active":true}}}}`, gone: []string{cronLink}},
		{name: "managed and as set: nothing", setup: func(tr *tree) { tr.enable("cron.service") }, units: map[string]unitstate.Unit{"cron.service": unit(true)},
			applied: `{"units":{"cron.service":{"enable":true,"original":{"enabled":false,"active":false}}}}`,
			records: `{"units":{"cron.service":{"enable":true,"original":{"enabled":false,"active":false}}}}`},
		{name: "disabled by hand is drift, enabled again", units: map[string]unitstate.Unit{"cron.service": unit(true)},
			applied: `{"units":{"cron.service":{"enable":true,"original":{"enabled":false,"active":false}}}}`,
			change:  "update disabled → enabled (starts at boot)", ops: 1,
			records: `{"units":{"cron.service":{"enable":true,"original":{"enabled":false,"active":false}}}}`, after: []string{cronLink}},
		{name: "removed: the earlier state is back", setup: func(tr *tree) { tr.enable("cron.service") },
			applied: `{"units":{"cron.service":{"enable":true,"original":{"enabled":false,"active":false}}}}`,
			change:  "restore enabled (starts at boot) → disabled", ops: 1, records: `{}`, gone: []string{cronLink}},
		{name: "removed after disabling: enabled again", applied: `{"units":{"cron.service":{"enable":false,"original":{"enabled":true,"active":true}}}}`,
			change: "restore disabled → enabled (starts at boot)", ops: 1, records: `{}`, after: []string{cronLink}},
		{name: "removed after a hand change: left alone", applied: `{"units":{"cron.service":{"enable":true,"original":{"enabled":false,"active":false}}}}`,
			records: `{}`, warning: "changed by hand"},
		{name: "removed when already as before", applied: `{"units":{"cron.service":{"enable":false,"original":{"enabled":false,"active":false}}}}`,
			change: "restore disabled → ", records: `{}`},
		{name: "removed and gone from the machine: forgotten", applied: `{"units":{"gone.service":{"enable":true,"original":{"enabled":false,"active":false}}}}`,
			records: `{}`, warning: "no longer on the machine"},
		{name: "wanted_by links a static unit", units: map[string]unitstate.Unit{"boot-check.service": unit(true, "default.target")},
			change: "update disabled → enabled (starts at boot)", ops: 3,
			records: `{"units":{"boot-check.service":{"enable":true,"wanted_by":["default.target"],"links":["/etc/systemd/system/default.target.wants/boot-check.service"],"original":{"enabled":false,"active":false}}}}`,
			after:   []string{bootLink}},
		{name: "wanted_by removed: gocfg's link goes", setup: func(tr *tree) {
			if err := os.MkdirAll(filepath.Join(tr.root, filepath.Dir(bootLink)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("/lib/systemd/system/boot-check.service", filepath.Join(tr.root, bootLink)); err != nil {
				t.Fatal(err)
			}
		}, applied: `{"units":{"boot-check.service":{"enable":true,"wanted_by":["default.target"],"links":["/etc/systemd/system/default.target.wants/boot-check.service"],"original":{"enabled":false,"active":false}}}}`,
			change: "restore enabled (starts at boot) → disabled", ops: 3, records: `{}`, gone: []string{bootLink, "etc/systemd/system/default.target.wants"}},
		{name: "wanted_by changed: the old link goes, the new one comes", setup: func(tr *tree) {
			tr.write("etc/systemd/system/.keep", "")
			if err := os.MkdirAll(filepath.Join(tr.root, filepath.Dir(bootLink)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("/lib/systemd/system/boot-check.service", filepath.Join(tr.root, bootLink)); err != nil {
				t.Fatal(err)
			}
		}, units: map[string]unitstate.Unit{"boot-check.service": unit(true, "multi-user.target")},
			applied: `{"units":{"boot-check.service":{"enable":true,"wanted_by":["default.target"],"links":["/etc/systemd/system/default.target.wants/boot-check.service"],"original":{"enabled":false,"active":false}}}}`,
			change:  "update enabled (starts at boot) → enabled (starts at boot)", ops: 4,
			records: `{"units":{"boot-check.service":{"enable":true,"wanted_by":["multi-user.target"],"links":["/etc/systemd/system/multi-user.target.wants/boot-check.service"],"original":{"enabled":false,"active":false}}}}`,
			after:   []string{"etc/systemd/system/multi-user.target.wants/boot-check.service"}, gone: []string{bootLink}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTree(t)
			if tt.setup != nil {
				tt.setup(tr)
			}
			cfg := &unitstate.Config{Units: tt.units}
			part, err := tr.plan(&unitstate.Provider{Machine: tr.machine(), Config: cfg}, json.RawMessage(tt.applied))
			if err != nil {
				t.Fatal(err)
			}
			if got := records(t, part); got != tt.records {
				t.Errorf("records = %s\nwant      %s", got, tt.records)
			}
			var shown []platform.Change
			ops := 0
			for _, c := range part.Changes {
				ops += len(c.Ops)
				if !c.Hidden {
					shown = append(shown, c)
				}
			}
			switch {
			case tt.change == "" && len(shown) > 0:
				t.Errorf("changes = %+v, want none", shown)
			case tt.change != "" && len(shown) != 1:
				t.Errorf("changes = %+v, want one", shown)
			case tt.change != "":
				c := shown[0]
				if got := string(c.Action) + " " + c.Before + " → " + c.After; got != tt.change {
					t.Errorf("change = %q, want %q", got, tt.change)
				}
				// A unit put back goes before the packages of the
				// switch are removed (while its package is there).
				if c.Action == platform.Restore && !slices.Contains(c.Deps, packages.RemoveID) {
					t.Errorf("deps %q: the restore must run before %s", c.Deps, packages.RemoveID)
				}
			}
			if ops != tt.ops {
				t.Errorf("%d ops, want %d: %+v", ops, tt.ops, part.Changes)
			}
			if tt.warning != "" && (len(part.Warnings) != 1 || !strings.Contains(part.Warnings[0], tt.warning)) {
				t.Errorf("warnings = %q, want one with %q", part.Warnings, tt.warning)
			}
			tr.apply(part)
			for _, l := range tt.after {
				if !tr.linked(l) {
					t.Errorf("after the apply %s is missing", l)
				}
			}
			for _, l := range tt.gone {
				if tr.linked(l) {
					t.Errorf("after the apply %s is there", l)
				}
			}
			// A second plan from the new records changes nothing.
			again, err := tr.plan(&unitstate.Provider{Machine: tr.machine(), Config: cfg}, json.RawMessage(records(t, part)))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range again.Changes {
				if !c.Hidden {
					t.Errorf("second plan: %+v", c)
				}
			}
		})
	}
}

func TestRollback(t *testing.T) {
	tr := newTree(t)
	// Generation 1 did not manage cron; generation 2 enables it.
	gen2, err := tr.plan(&unitstate.Provider{Machine: tr.machine(), Config: &unitstate.Config{Units: map[string]unitstate.Unit{"cron.service": unit(true)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr.apply(gen2)
	if got := tr.state("cron.service"); got != "enabled" {
		t.Fatalf("after generation 2 cron is %s", got)
	}
	back, err := tr.plan(&unitstate.Provider{Machine: tr.machine(), Records: &unitstate.Records{}}, json.RawMessage(records(t, gen2)))
	if err != nil {
		t.Fatal(err)
	}
	tr.apply(back)
	if got := tr.state("cron.service"); got != "disabled" || records(t, back) != `{}` {
		t.Errorf("after the rollback cron is %s, records %s", got, records(t, back))
	}
	// Forward again from generation 2's records.
	r2, err := unitstate.DecodeRecords(json.RawMessage(records(t, gen2)))
	if err != nil {
		t.Fatal(err)
	}
	fwd, err := tr.plan(&unitstate.Provider{Machine: tr.machine(), Records: r2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr.apply(fwd)
	if got := tr.state("cron.service"); got != "enabled" || records(t, fwd) != records(t, gen2) {
		t.Errorf("forward again: cron is %s, records %s", got, records(t, fwd))
	}
}

func TestConfigErrors(t *testing.T) {
	tr := newTree(t)
	tr.write("etc/systemd/system/masked.service", "")
	if err := os.Remove(filepath.Join(tr.root, "etc/systemd/system/masked.service")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/null", filepath.Join(tr.root, "etc/systemd/system/masked.service")); err != nil {
		t.Fatal(err)
	}
	cfg := &unitstate.Config{
		Units: map[string]unitstate.Unit{
			"nope.service":       unit(true),
			"boot-check.service": unit(true),
			"masked.service":     unit(true),
			"getty@.service":     unit(true),
			"cron":               unit(true),
			"web.service":        unit(true),
			"ssh.service":        unit(true, "multi-user"),
			"off.service":        unit(true),
		},
		// systemd.services.off is left out (enable = false): gocfg
		// does not write it, so the unit a package ships may be
		// managed here.
		Services: map[string]unitstate.Written{"web": {}, "off": {Enable: new(false)}},
	}
	_, err := tr.plan(&unitstate.Provider{Machine: tr.machine(), Config: cfg}, nil)
	want := map[string]string{
		`systemd.units.cron`:                    "not a unit name",
		`systemd.units."getty@.service"`:        "is a template",
		`systemd.units."web.service"`:           "gocfg writes this unit itself (systemd.services.web)",
		`systemd.units."ssh.service".wanted_by`: "not a unit name",
	}
	checkErrors(t, err, want)
	delete(cfg.Units, "cron")
	delete(cfg.Units, "getty@.service")
	delete(cfg.Units, "web.service")
	delete(cfg.Units, "ssh.service")
	_, err = tr.plan(&unitstate.Provider{Machine: tr.machine(), Config: cfg}, nil)
	checkErrors(t, err, map[string]string{
		`systemd.units."nope.service"`:       "there is no unit nope.service in the tree",
		`systemd.units."boot-check.service"`: "is static: its [Install] section does not say how to enable it",
		`systemd.units."masked.service"`:     "is masked",
		`systemd.units."off.service"`:        "there is no unit off.service in the tree",
	})
}

func checkErrors(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	got := map[string]string{}
	for _, e := range errs {
		var ce *platform.ConfigError
		if !errors.As(e, &ce) {
			t.Errorf("not a ConfigError: %v", e)
			continue
		}
		got[ce.Option] = ce.Msg
	}
	for opt, msg := range want {
		if !strings.Contains(got[opt], msg) {
			t.Errorf("%s: error %q, want one with %q", opt, got[opt], msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("errors: %q, want %d", got, len(want))
	}
}

func TestUnprivileged(t *testing.T) {
	tr := newTree(t)
	m := &machine.Machine{Sys: tr.sys, OS: "linux", User: "alice"}
	applied := `{"units":{"cron.service":{"enable":true,"original":{"enabled":false,"active":false}}}}`
	part, err := tr.plan(&unitstate.Provider{Machine: m, Config: &unitstate.Config{Units: map[string]unitstate.Unit{"ssh.service": unit(true)}}}, json.RawMessage(applied))
	if err != nil {
		t.Fatal(err)
	}
	if len(part.Changes) != 0 || len(part.Notes) != 1 || !strings.Contains(part.Notes[0], "needs root") || records(t, part) != applied {
		t.Errorf("unprivileged: changes %+v, notes %q, records %s", part.Changes, part.Notes, records(t, part))
	}
}

// TestConfigErrorsInKeyOrder: the errors about several units come in
// the order of their names, the same in every run (they came in map
// order).
func TestConfigErrorsInKeyOrder(t *testing.T) {
	tr := newTree(t)
	cfg := &unitstate.Config{Units: map[string]unitstate.Unit{
		"e f": unit(true), "a b": unit(true), "c d": unit(true), "g h": unit(true), "ssh.service": unit(true, "i j"),
	}}
	want := []string{`systemd.units."a b"`, `systemd.units."c d"`, `systemd.units."e f"`, `systemd.units."g h"`, `systemd.units."ssh.service".wanted_by`}
	for range 20 {
		_, err := tr.plan(&unitstate.Provider{Machine: tr.machine(), Config: cfg}, nil)
		if got := errorOptions(t, err); !slices.Equal(got, want) {
			t.Fatalf("errors about %q, want %q", got, want)
		}
	}
}

// errorOptions lists the options of err's ConfigErrors, in order.
func errorOptions(t *testing.T, err error) []string {
	t.Helper()
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("not joined errors: %v", err)
	}
	var opts []string
	for _, e := range j.Unwrap() {
		var ce *platform.ConfigError
		if !errors.As(e, &ce) {
			t.Fatalf("not a ConfigError: %v", e)
		}
		opts = append(opts, ce.Option)
	}
	return opts
}

// TestDecodeRecordsFirstErrorInKeyOrder: of several damaged units, the
// error names the first by name, in every run.
func TestDecodeRecordsFirstErrorInKeyOrder(t *testing.T) {
	data := json.RawMessage(`{"units": {"d.service": null, "b.service": null, "c.service": null, "a b": {}}}`)
	for range 20 {
		_, err := unitstate.DecodeRecords(data)
		if err == nil || !strings.Contains(err.Error(), `"a b"`) {
			t.Fatalf("error %v, want the one about \"a b\"", err)
		}
	}
}
