package files

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/internal/treesnap"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
)

// stateDir is the state folder inside the test machine's root.
const stateDir = providertest.StateDir

// aliceHome is alice's home folder on the test machine.
const aliceHome = "/home/alice"

// A fixture is a machine under a temporary root (as with --root), with a
// real generations store and a folder of dotfiles sources on the host.
type fixture struct {
	*providertest.Machine
	t   *testing.T
	src string // host folder of the sources
	// backupExt and edit adjust the Machine of the next plan; newHomes
	// are the homes it learns the users provider creates (platform.Facts).
	backupExt string
	edit      func(*machine.Machine)
	newHomes  map[string]bool
	// installs are the packages the plan installs (platform.Facts).
	installs []string
	// now, when set, is the provider's clock.
	now func() time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pm := providertest.NewMachine(t, aliceHome)
	fx := &fixture{Machine: pm, t: t, src: filepath.Join(pm.Dir, "src")}
	if err := os.Mkdir(fx.src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(fx.Host(aliceHome), 0o700); err != nil {
		t.Fatal(err)
	}
	return fx
}

func (fx *fixture) mkdir(machine string) {
	fx.t.Helper()
	if err := os.MkdirAll(fx.Host(machine), 0o755); err != nil {
		fx.t.Fatal(err)
	}
}

// symlink makes a symlink on the machine.
func (fx *fixture) symlink(target, machine string) {
	fx.t.Helper()
	if err := os.Symlink(target, fx.Host(machine)); err != nil {
		fx.t.Fatal(err)
	}
}

func (fx *fixture) remove(machine string) {
	fx.t.Helper()
	if err := os.Remove(fx.Host(machine)); err != nil {
		fx.t.Fatal(err)
	}
}

func (fx *fixture) readlink(machine string) string {
	fx.t.Helper()
	t, err := os.Readlink(fx.Host(machine))
	if err != nil {
		fx.t.Fatal(err)
	}
	return t
}

// source writes a source file (host path returned).
func (fx *fixture) source(rel, content string) string {
	fx.t.Helper()
	p := filepath.Join(fx.src, rel)
	testfs.Write(fx.t, p, content)
	return p
}

// applied reads the current generation's records.
func (fx *fixture) applied() platform.Applied {
	fx.t.Helper()
	return fx.Sw.Applied(fx.Current())
}

// layout describes the fixture's machine for a plan from the current
// generation to the next: a --root run by root, ownership left alone.
func (fx *fixture) layout() *machine.Machine {
	fx.t.Helper()
	l := &machine.Machine{Sys: fx.Sys, Host: fx.Real, Store: fx.Store, Current: fx.Current(), To: fx.Sw.Next(),
		Offline: true, OS: "linux", Accounts: fx.DB, Switch: machine.Switch{BackupExt: fx.backupExt}, Now: fx.now}
	if fx.edit != nil {
		fx.edit(l)
	}
	return l
}

// plan makes an ordered plan for cfg.
func (fx *fixture) plan(cfg *Config) (*platform.Plan, *machine.Machine, error) {
	fx.t.Helper()
	l := fx.layout()
	plan, err := fx.Sw.MakePlan(factsOf{platform.Facts{NewHomes: fx.newHomes, Installs: fx.installs}}, &Provider{Machine: l, Config: cfg})
	return plan, l, err
}

// switchTo plans cfg and applies it as the next generation; the plan must
// have no conflicts.
func (fx *fixture) switchTo(cfg *Config) *platform.Plan {
	fx.t.Helper()
	plan, l, err := fx.plan(cfg)
	if err != nil {
		fx.t.Fatal(err)
	}
	providertest.NoConflicts(fx.t, plan)
	if err := fx.apply(plan, l.Current, l.To); err != nil {
		fx.t.Fatal(err)
	}
	return plan
}

// apply writes generation to and switches to it; a switch that succeeds
// must report no problems.
func (fx *fixture) apply(plan *platform.Plan, from, to int) error {
	fx.t.Helper()
	return fx.Sw.Apply(fx.Sw.SwitchTo(plan, from, to))
}

// applyErr is apply for switches that may fail or report problems (a
// file kept aside because it was written to): both are returned.
func (fx *fixture) applyErr(plan *platform.Plan, from, to int) error {
	fx.t.Helper()
	r, err := fx.Sw.Run(fx.Sw.SwitchTo(plan, from, to))
	if err == nil && len(r.Problems) > 0 {
		err = fmt.Errorf("problems: %v", r.Problems)
	}
	return err
}

// snapshot describes every path under the machine folder dir (mode,
// content, link target), keyed by machine path; paths under skip are left
// out.
func (fx *fixture) snapshot(dir string, skip ...string) map[string]string {
	fx.t.Helper()
	return snapshotHost(fx.t, fx.Root, dir, skip...)
}

func snapshotHost(t *testing.T, root, dir string, skip ...string) map[string]string {
	t.Helper()
	return treesnap.Take(t, root, dir, skip...)
}

// diffSnapshots lists the differences between two snapshots.
func diffSnapshots(want, got map[string]string) string { return treesnap.Diff(want, got) }

// home is a Config with alice's files.
func home(files map[string]HomeFile) *Config {
	return &Config{Home: map[string]HomeConfig{"alice": {Files: files}}}
}

func text(s string) HomeFile { return HomeFile{Text: &s} }

func ptr[T any](v T) *T { return &v }

// opsOf lists the ops of a change by type.
func opsOf(c platform.Change) []string {
	var ts []string
	for _, op := range c.Ops {
		ts = append(ts, platform.OpName(op))
	}
	return ts
}

func changeByID(cs []platform.Change, id string) (platform.Change, bool) {
	for _, c := range cs {
		if c.ID == id {
			return c, true
		}
	}
	return platform.Change{}, false
}

func ids(cs []platform.Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// factsOf stands for the providers that plan before files: it plans
// nothing and tells the facts it holds.
type factsOf struct{ facts platform.Facts }

func (factsOf) Name() string { return "users" }

func (f factsOf) Plan(context.Context, json.RawMessage) (*platform.Part, error) {
	return &platform.Part{Facts: &f.facts}, nil
}
