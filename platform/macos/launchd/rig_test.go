package launchd_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/macos/launchd"
	"github.com/gocfg/gocfg/platform/system"
	"howett.net/plist"
)

// The paths the tests look at.
const (
	agentLabel  = "org.example.sync"
	daemonLabel = "org.example.backup"
	agentPath   = "/Users/alice/Library/LaunchAgents/org.example.sync.plist"
	daemonPath  = "/Library/LaunchDaemons/org.example.backup.plist"
	agentID     = "launchd:agent:alice:org.example.sync"
	daemonID    = "launchd:daemon:org.example.backup"
	stateDir    = "/var/lib/gocfg"
)

// A rig is a fake Mac in a temporary folder: alice (uid 501) is the
// primary user, with a home and ~/Library but no LaunchAgents folder yet;
// /Library/LaunchDaemons exists. Switches go through the engine with a
// real generations store (sw), as `gocfg switch` does.
type rig struct {
	*providertest.Rig[*launchd.Config]
	t     *testing.T
	root  string
	fake  *macfake.Fake
	store *generations.Store
	sw    *providertest.Switcher
	// self is who gocfg runs as ("root": privileged).
	self    string
	offline bool
	// hold is the plans' machine.Switch.Hold.
	hold map[string]string
}

// newRig makes a fake Mac where gocfg runs as self. A run as root sets
// file owners, which needs the tests to run as root too.
func newRig(t *testing.T, self string) *rig {
	t.Helper()
	if self == "root" && os.Geteuid() != 0 {
		t.Skip("gocfg run as root gives the plists their owners (alice, root), which needs the tests to run as root")
	}
	r := &rig{t: t, root: t.TempDir(), self: self}
	r.fake = macfake.New(system.NewRooted(r.root, system.NewReal()), self)
	if err := r.fake.AddUser(macfake.UserRecord{Name: "alice", UID: 501, GID: 20}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"/Library/LaunchDaemons", stateDir} {
		if err := r.fake.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	r.store = generations.New(r.fake, stateDir)
	r.sw = &providertest.Switcher{T: t, Sys: r.fake, Store: r.store, Host: "mbp", NoConflicts: true}
	r.Rig = &providertest.Rig[*launchd.Config]{Sw: r.sw, Name: "launchd", Layout: r.layout, Text: planText,
		Provider: func(l *machine.Machine, cfg *launchd.Config) platform.Provider {
			return &launchd.Provider{Machine: l, Config: cfg}
		},
		Restorer: func(l *machine.Machine, recs json.RawMessage) (platform.Provider, error) {
			rs, err := launchd.DecodeRecords(recs)
			return &launchd.Provider{Machine: l, Records: rs}, err
		},
	}
	return r
}

// lookup reads the fake's directory without running dscl.
func (r *rig) lookup(_ context.Context, name string) (macos.User, error) {
	us, err := r.fake.Users()
	if err != nil {
		return macos.User{}, err
	}
	u, ok := us[name]
	if !ok {
		return macos.User{}, errors.New("user " + name + ": no such user in the local directory")
	}
	return macos.User{Name: u.Name, UID: u.UID, GID: u.GID, Home: u.Home}, nil
}

func (r *rig) current() int {
	r.t.Helper()
	return r.sw.Current()
}

func (r *rig) layout(to int) *machine.Machine {
	return &machine.Machine{Sys: r.fake, Store: r.store, Current: r.current(), To: to,
		Offline: r.offline, Privileged: r.self == "root", User: r.self, LookupMac: r.lookup, Switch: machine.Switch{Hold: r.hold}}
}

// applied reads the records of generation n (none for 0).
func (r *rig) applied(n int) platform.Applied {
	r.t.Helper()
	return r.sw.Applied(n)
}

func (r *rig) engine() *platform.Engine { return r.sw.Engine() }

// apply runs sw, whose plan must have no conflicts; a successful switch
// must report no problems.
func (r *rig) apply(sw platform.Switch) error {
	r.t.Helper()
	return r.sw.Apply(sw)
}

// commands returns the commands run since the last call, dropping the
// read-only `launchctl print` ones unless all is set.
func (r *rig) commands(all bool) []string {
	r.t.Helper()
	lines := providertest.TakeLog(r.t, r.fake)
	var out []string
	for _, l := range lines {
		if all || !strings.Contains(l, "launchctl print") {
			out = append(out, l)
		}
	}
	return out
}

// jobs returns the jobs loaded in domain: label → plist path.
func (r *rig) jobs(domain string) map[string]string {
	r.t.Helper()
	j, err := r.fake.LaunchdJobs(domain)
	if err != nil {
		r.t.Fatal(err)
	}
	return j
}

// read returns a machine file's content ("" when missing).
func (r *rig) read(p string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.root, p))
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

// write puts a file on the machine, as a user would.
func (r *rig) write(p, content string) {
	r.t.Helper()
	testfs.Write(r.t, filepath.Join(r.root, p), content)
}

// run runs a command on the fake, as a user at a Terminal would.
func (r *rig) run(args ...string) {
	r.t.Helper()
	if out, err := r.fake.Run(context.Background(), macos.Command(macos.Launchctl, args...)); err != nil {
		r.t.Fatalf("launchctl %v: %v\n%s", args, err, out)
	}
}

// owner returns a machine file's mode and owner.
func (r *rig) owner(p string) (fs.FileMode, int, int) {
	r.t.Helper()
	return testfs.Owner(r.t, filepath.Join(r.root, p))
}

// decode reads a plist file.
func decode(t *testing.T, data string) map[string]any {
	t.Helper()
	var m map[string]any
	format, err := plist.Unmarshal([]byte(data), &m)
	if err != nil {
		t.Fatalf("not a plist: %v\n%s", err, data)
	}
	if format != plist.XMLFormat {
		t.Errorf("plist format %d, want XML", format)
	}
	return m
}

// config makes a Config for alice.
func config(t *testing.T, agents, daemons map[string]any) *launchd.Config {
	t.Helper()
	c, err := launchd.NewConfig("alice", agents, daemons)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// job is one job's options as plistval.ToGo gives them.
func job(args ...string) map[string]any {
	list := make([]any, len(args))
	for i, a := range args {
		list[i] = a
	}
	return map[string]any{"program_arguments": list, "run_at_load": true, "keep_alive": nil,
		"environment": map[string]any{}, "extra": map[string]any{}}
}

func planText(p *platform.Plan) string {
	var b strings.Builder
	for _, c := range p.Changes {
		js, _ := json.Marshal(c)
		b.WriteString(string(js))
		for _, op := range c.Ops {
			b.WriteString("\n    " + op.Describe())
		}
		b.WriteString("\n")
	}
	for _, n := range p.Notes {
		b.WriteString("note: " + n + "\n")
	}
	for _, w := range p.Warnings {
		b.WriteString("warning: " + w + "\n")
	}
	return b.String()
}
