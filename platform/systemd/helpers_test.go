package systemd

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/systemdtest"
	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// A rig is a live machine for the provider: a real systemd user manager
// running as root (the harness's), whose user is root from the real
// /etc/passwd with its home moved to the manager's temporary one, and a
// generations store in a temporary state folder, which sw switches.
type rig struct {
	*providertest.Rig[*Config]
	t     testing.TB
	mgr   *systemdtest.Manager
	sys   system.System
	store *generations.Store
	sw    *providertest.Switcher
	db    *accounts.Database
	fcfg  *files.Config
}

func newRig(t testing.TB) *rig {
	t.Helper()
	mgr := systemdtest.StartUserManager(t)
	if mgr.User() != "root" {
		t.Fatalf("the manager runs as %q, want root", mgr.User())
	}
	sys := system.NewReal()
	db, err := accounts.Read(sys)
	if err != nil {
		t.Fatal(err)
	}
	home := mgr.Home()
	r := &rig{t: t, mgr: mgr, db: db, fcfg: &files.Config{Users: map[string]files.UserConfig{"root": {Home: &home}}}}
	return r.on(sys, generations.New(sys, t.TempDir()))
}

// on makes the rig switch sys, with generations in store.
func (r *rig) on(sys system.System, store *generations.Store) *rig {
	r.sys, r.store = sys, store
	r.sw = &providertest.Switcher{T: r.t, Sys: sys, Store: store, Host: "atlas", NoConflicts: true}
	r.Rig = &providertest.Rig[*Config]{Sw: r.sw, Name: "systemd", Layout: r.layout, Text: planText,
		Provider: func(l *machine.Machine, cfg *Config) platform.Provider {
			return &Provider{Machine: l, FilesConfig: r.fcfg, Config: cfg}
		},
		Restorer: func(l *machine.Machine, recs json.RawMessage) (platform.Provider, error) {
			rs, err := DecodeRecords(recs)
			return &Provider{Machine: l, Records: rs}, err
		},
	}
	return r
}

func (r *rig) current() int {
	r.t.Helper()
	return r.sw.Current()
}

// layout describes a switch from the current generation to to, run by
// root on the live machine.
func (r *rig) layout(to int) *machine.Machine {
	return &machine.Machine{Sys: r.sys, Host: r.sys, Store: r.store, Current: r.current(), To: to,
		Privileged: true, User: "root", OS: "linux", Accounts: r.db, RuntimeDir: r.runtimeDir}
}

func (r *rig) runtimeDir(string, int) string { return r.mgr.RuntimeDir() }

// apply runs sw, whose plan must have no conflicts; a successful switch
// must report no problems.
func (r *rig) apply(sw platform.Switch) error {
	r.t.Helper()
	return r.sw.Apply(sw)
}

func (r *rig) engine() *platform.Engine { return r.sw.Engine() }

// show reads properties of a unit with systemctl --user show.
func (r *rig) show(name string, props ...string) map[string]string {
	r.t.Helper()
	args := []string{"show"}
	for _, p := range props {
		args = append(args, "-p", p)
	}
	out, err := r.mgr.Systemctl(append(args, name)...)
	if err != nil {
		r.t.Fatalf("systemctl show %s: %v\n%s", name, err, out)
	}
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

// state is what the manager says of a service.
type state struct {
	Active, Sub, FileState string
	PID                    int
	ExecStart              string
	NeedReload             bool
}

func (r *rig) state(name string) state {
	r.t.Helper()
	m := r.show(name, "ActiveState", "SubState", "UnitFileState", "MainPID", "ExecStart", "NeedDaemonReload")
	pid, _ := strconv.Atoi(m["MainPID"])
	return state{Active: m["ActiveState"], Sub: m["SubState"], FileState: m["UnitFileState"], PID: pid,
		ExecStart: m["ExecStart"], NeedReload: m["NeedDaemonReload"] == "yes"}
}

// wants reports whether the manager's target wants name (it knows the
// links enabling made).
func (r *rig) wants(target, name string) bool {
	r.t.Helper()
	return slices.Contains(strings.Fields(r.show(target, "Wants")["Wants"]), name)
}

// unitPath is a unit file's path in the manager's unit folder.
func (r *rig) unitPath(name string) string { return filepath.Join(r.mgr.UnitDir(), name) }

// wantsLink is the link enabling name into default.target.
func (r *rig) wantsLink(target, name string) string {
	return filepath.Join(r.mgr.UnitDir(), target+".wants", name)
}

func (r *rig) readUnit(name string) string {
	r.t.Helper()
	return testfs.Read(r.t, r.unitPath(name))
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func absent(t testing.TB, p string) {
	t.Helper()
	if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s is there (%v), want it gone", p, err)
	}
}

// waitFor polls cond every 20 ms until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// userConfig is root's units.
// svcConfig is the configuration of root's one service, svc.
func svcConfig(s unit.Service) *Config { return userConfig(map[string]unit.Service{"svc": s}, nil) }

// runningRig is a rig whose first switch started svc, a service running
// /bin/sleep 300, which it returns too.
func runningRig(t *testing.T) (*rig, unit.Service) {
	t.Helper()
	r := newRig(t)
	s := service("/bin/sleep 300")
	r.Switch(svcConfig(s))
	return r, s
}

func userConfig(services map[string]unit.Service, timers map[string]unit.Timer) *Config {
	return &Config{Users: map[string]UserUnits{"root": {Services: services, Timers: timers}}}
}

// service is a service with the options' defaults (enable,
// restart_if_changed, stop_on_removal), wanted by default.target.
func service(exec string) unit.Service {
	return unit.Service{ExecStart: &exec, WantedBy: []string{"default.target"},
		Enable: true, RestartIfChanged: true, StopOnRemoval: true}
}

func ptr[T any](v T) *T { return &v }

// rendered is the unit file RenderService writes for s.
func rendered(t testing.TB, name string, s unit.Service) string {
	t.Helper()
	b, err := unit.RenderService(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jobs lists the job ops of the plan ("restart svc.service", ...).
func jobs(p *platform.Plan) []string {
	var out []string
	for _, c := range p.Changes {
		for _, op := range c.Ops {
			if j, ok := op.(*JobOp); ok {
				out = append(out, strings.TrimSpace(j.Job+" "+strings.Join(j.Units, " ")))
			}
		}
	}
	return out
}

// planText prints the plan as gocfg shows it, hidden changes' ops too.
func planText(p *platform.Plan) string {
	var b strings.Builder
	_ = platform.View{Out: &b}.Plan(p, "changes:")
	for _, c := range p.Changes {
		if c.Hidden {
			for _, op := range c.Ops {
				b.WriteString("  (hidden) " + c.ID + ": " + op.Describe() + "\n")
			}
		}
	}
	return b.String()
}

const svcID = "unit:user:root:svc.service"
