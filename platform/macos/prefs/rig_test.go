package prefs_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/macos/prefs"
	"github.com/gocfg/gocfg/platform/system"
	"howett.net/plist"
)

// rig is a fake Mac in a temporary folder: alice (uid 501) is the
// primary user, gocfg runs as root, and switches go through the engine
// with a real generations store (sw), as `gocfg switch` does.
type rig struct {
	t       *testing.T
	root    string
	fake    *macfake.Fake
	sw      *providertest.Switcher
	offline bool
	// hold is the plans' machine.Switch.Hold.
	hold map[string]string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, root: t.TempDir()}
	r.fake = macfake.New(system.NewRooted(r.root, system.NewReal()), "root")
	if err := r.fake.AddUser(macfake.UserRecord{Name: "alice", UID: 501, GID: 20, RealName: "Alice"}); err != nil {
		t.Fatal(err)
	}
	if err := r.fake.MkdirAll("/var/lib/gocfg", 0o755); err != nil {
		t.Fatal(err)
	}
	r.sw = &providertest.Switcher{T: t, Sys: r.fake, Store: generations.New(r.fake, "/var/lib/gocfg"), Host: "mbp"}
	return r
}

func (r *rig) layout() *machine.Machine {
	return &machine.Machine{Sys: r.fake, Query: r.fake, Offline: r.offline, Privileged: true, Switch: machine.Switch{Hold: r.hold},
		LookupMac: func(_ context.Context, name string) (macos.User, error) {
			us, err := r.fake.Users()
			if err != nil {
				return macos.User{}, err
			}
			u := us[name]
			return macos.User{Name: u.Name, UID: u.UID, GID: u.GID, Home: u.Home}, nil
		}}
}

// config builds a Config for alice from the three options' values.
func (r *rig) config(user, host, sys map[string]any) *prefs.Config {
	r.t.Helper()
	c, err := prefs.NewConfig("alice", anyOrNil(user), anyOrNil(host), anyOrNil(sys))
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

func anyOrNil(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}

func (r *rig) current() int {
	r.t.Helper()
	return r.sw.Current()
}

// plan plans cfg against the current generation.
func (r *rig) plan(cfg *prefs.Config) *platform.Plan {
	r.t.Helper()
	return r.sw.Plan(&prefs.Provider{Machine: r.layout(), Config: cfg})
}

// rollbackPlan plans a return to generation n from its records.
func (r *rig) rollbackPlan(n int) *platform.Plan {
	r.t.Helper()
	recs, err := prefs.DecodeRecords(r.sw.Records(n, "defaults"))
	if err != nil {
		r.t.Fatal(err)
	}
	return r.sw.Plan(&prefs.Provider{Machine: r.layout(), Records: recs})
}

// apply runs p as the next generation (or as a rollback to n > 0).
func (r *rig) apply(p *platform.Plan, rollbackTo int) error {
	r.t.Helper()
	return r.sw.Apply(r.sw.SwitchFor(p, rollbackTo))
}

// switchTo plans cfg and applies it; it must succeed.
func (r *rig) switchTo(cfg *prefs.Config) *platform.Plan {
	r.t.Helper()
	p := r.plan(cfg)
	if err := r.apply(p, 0); err != nil {
		r.t.Fatal(err)
	}
	return p
}

// file is the host path of a machine path in the fake Mac.
func (r *rig) file(p string) string { return filepath.Join(r.root, filepath.FromSlash(p)) }

// read decodes a plist file of the fake Mac (any format); format is what
// it was written in.
func (r *rig) read(p string) (m map[string]any, format int) {
	r.t.Helper()
	data, err := os.ReadFile(r.file(p))
	if err != nil {
		r.t.Fatal(err)
	}
	var v any
	format, err = plist.Unmarshal(data, &v)
	if err != nil {
		r.t.Fatalf("%s: %v", p, err)
	}
	return prefs.Normalize(v).(map[string]any), format
}

// seed writes a plist file into the fake Mac in format.
func (r *rig) seed(p string, m map[string]any, format int) {
	r.t.Helper()
	data, err := plist.Marshal(m, format)
	if err != nil {
		r.t.Fatal(err)
	}
	r.copyIn(p, data)
}

// copyIn writes data at the machine path p, owned by alice when under
// her home.
func (r *rig) copyIn(p string, data []byte) {
	r.t.Helper()
	h := r.file(p)
	if err := os.MkdirAll(filepath.Dir(h), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(h, data, 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// log returns the commands the fake ran, then forgets them.
func (r *rig) log() []string {
	r.t.Helper()
	return providertest.TakeLog(r.t, r.fake)
}

// writes returns the `defaults write|delete` commands of a log, without
// the asuser wrapper: "write com.apple.dock autohide <true/>".
func writes(log []string) []string {
	var out []string
	for _, l := range log {
		_, cmd, ok := strings.Cut(l, macos.Defaults+" ")
		if !ok {
			continue
		}
		if strings.Contains(cmd, " export ") || strings.HasPrefix(cmd, "export ") {
			continue
		}
		out = append(out, compactXML(cmd))
	}
	return out
}

// compactXML drops the XML declaration, doctype and plist element of a
// logged value.
func compactXML(s string) string {
	for _, junk := range []string{`<?xml version="1.0" encoding="UTF-8"?>\n`, `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n`, `<plist version="1.0">`, `</plist>`} {
		s = strings.ReplaceAll(s, junk, "")
	}
	return s
}

// shown lists a plan's visible changes as "action id: before -> after".
func shown(p *platform.Plan) []string {
	var out []string
	for _, c := range p.Shown() {
		out = append(out, string(c.Action)+" "+c.ID+": "+c.Before+" -> "+c.After)
	}
	return out
}
