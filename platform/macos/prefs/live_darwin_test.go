//go:build darwin

package prefs_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/user"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/macos/prefs"
	"github.com/gocfg/gocfg/platform/system"
	"howett.net/plist"
)

// liveRig runs the provider against this Mac's own `defaults`, in one
// throwaway domain of the user running the test (the user behind sudo
// when run as root). It never touches another domain: the domain has no
// process to restart, so a switch runs only `activateSettings -u`.
type liveRig struct {
	t      *testing.T
	sys    *system.Real
	sw     *providertest.Switcher
	self   string
	user   macos.User
	priv   bool
	domain string
}

func newLiveRig(t *testing.T) *liveRig {
	t.Helper()
	if os.Getenv("GOCFG_MACOS_LIVE") != "1" {
		t.Skip("writes this Mac's preferences (a throwaway org.gocfg.test.* domain); set GOCFG_MACOS_LIVE=1 to run it")
	}
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	r := &liveRig{t: t, sys: system.NewReal(), self: me.Username, priv: os.Geteuid() == 0}
	primary := me.Username
	if r.priv {
		primary = os.Getenv("SUDO_USER")
		if primary == "" || primary == "root" {
			t.Skip("run as root without SUDO_USER: no user whose preferences to write")
		}
	}
	if r.user, err = macos.LookupUser(context.Background(), r.sys, primary); err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	r.domain = "org.gocfg.test." + hex.EncodeToString(b[:])
	if p := prefs.ProcessOf(r.domain); p != "" {
		t.Fatalf("%s would restart %s", r.domain, p)
	}
	// Registered before anything is written: the domain goes whatever
	// happens.
	t.Cleanup(func() {
		if out, err := r.defaults("delete", r.domain); err != nil && !strings.Contains(string(out), "not found") {
			t.Errorf("defaults delete %s: %v\n%s", r.domain, err, out)
		}
		if err := os.Remove(prefs.UserFile(r.user.Home, r.domain)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("remove the domain's file: %v", err)
		}
	})
	r.sw = &providertest.Switcher{T: t, Sys: r.sys, Store: generations.New(r.sys, t.TempDir()), Host: "live",
		Now: func() time.Time { return time.Now().UTC() }}
	return r
}

// defaults runs `defaults args...` as the primary user, as gocfg does.
func (r *liveRig) defaults(args ...string) ([]byte, error) {
	return r.sys.Run(context.Background(), macos.AsUser(macos.Command(macos.Defaults, args...), r.user, r.priv))
}

// export reads the throwaway domain with `defaults export`.
func (r *liveRig) export() map[string]any {
	r.t.Helper()
	out, err := r.defaults("export", r.domain, "-")
	if err != nil {
		r.t.Fatalf("defaults export %s: %v\n%s", r.domain, err, out)
	}
	var v any
	if _, err := plist.Unmarshal(out, &v); err != nil {
		r.t.Fatalf("defaults export %s: %v\n%s", r.domain, err, out)
	}
	m, _ := prefs.Normalize(v).(map[string]any)
	return m
}

func (r *liveRig) layout() *machine.Machine {
	// Lookup nil: dscl, as gocfg does.
	return &machine.Machine{Sys: r.sys, Query: r.sys, Privileged: r.priv, User: r.self}
}

func (r *liveRig) config(keys map[string]any) *prefs.Config {
	r.t.Helper()
	var user any
	if keys != nil {
		user = map[string]any{r.domain: keys}
	}
	c, err := prefs.NewConfig(r.user.Name, user, nil, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

func (r *liveRig) plan(p *prefs.Provider) *platform.Plan {
	r.t.Helper()
	p.Machine = r.layout()
	return r.sw.Plan(p)
}

// run applies p as a new generation, or as a rollback to rollbackTo > 0.
func (r *liveRig) run(p *platform.Plan, rollbackTo int) {
	r.t.Helper()
	if err := r.sw.Apply(r.sw.SwitchFor(p, rollbackTo)); err != nil {
		r.t.Fatal(err)
	}
}

func (r *liveRig) switchTo(keys map[string]any) {
	r.t.Helper()
	r.run(r.plan(&prefs.Provider{Config: r.config(keys)}), 0)
}

func (r *liveRig) rollback(n int) {
	r.t.Helper()
	recs, err := prefs.DecodeRecords(r.sw.Records(n, "defaults"))
	if err != nil {
		r.t.Fatal(err)
	}
	r.run(r.plan(&prefs.Provider{Records: recs}), n)
}

// check compares the live domain with want, types included: an
// <integer> 42 is not a <real> 42 here.
func (r *liveRig) check(when string, want map[string]any) {
	r.t.Helper()
	got := r.export()
	for k := range mergedKeys(got, want) {
		if !reflect.DeepEqual(got[k], prefs.Normalize(want[k])) {
			r.t.Errorf("%s: %s = %#v, want %#v", when, k, got[k], want[k])
		}
	}
}

func TestLiveDefaultsSwitchRestoreRollback(t *testing.T) {
	r := newLiveRig(t)
	// What the domain held before gocfg: one key gocfg replaces and puts
	// back, one it never sets.
	for _, args := range [][]string{
		{"write", r.domain, "greeting", "-string", "before gocfg"},
		{"write", r.domain, "untouched", "-int", "7"},
	} {
		if out, err := r.defaults(args...); err != nil {
			t.Fatalf("defaults %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	before := map[string]any{"greeting": "before gocfg", "untouched": int64(7)}
	r.check("seeded", before)

	gen1 := map[string]any{
		"greeting": "hello from gocfg",
		"enabled":  true,
		"count":    int64(42),
		"ratio":    0.75,
		"whole":    float64(2), // real(2): a <real>, not an <integer>
		"nested":   map[string]any{"inner": map[string]any{"level": int64(3), "name": "deep"}, "on": false},
		"list":     []any{"a", int64(2), 3.5, map[string]any{"k": "v"}},
	}
	r.switchTo(gen1)
	want1 := map[string]any{"untouched": int64(7)}
	for k, v := range gen1 {
		want1[k] = v
	}
	r.check("after the switch", want1)
	if p := r.plan(&prefs.Provider{Config: r.config(gen1)}); !p.Empty() {
		t.Fatalf("second plan not empty:\n%s", strings.Join(shown(p), "\n"))
	}

	// Generation 2 lets go of greeting (put back), count and nested
	// (deleted: they did not exist), and changes list.
	gen2 := map[string]any{"enabled": true, "ratio": 0.75, "whole": float64(2), "list": []any{"b"}}
	r.switchTo(gen2)
	want2 := map[string]any{"untouched": int64(7), "greeting": "before gocfg"}
	for k, v := range gen2 {
		want2[k] = v
	}
	r.check("after removing keys", want2)

	// Back to generation 1, then letting go of everything.
	r.rollback(1)
	r.check("after the rollback to generation 1", want1)
	r.switchTo(nil)
	r.check("after letting go", before)
	if p := r.plan(&prefs.Provider{Config: r.config(nil)}); !p.Empty() {
		t.Fatalf("plan after letting go:\n%s", strings.Join(shown(p), "\n"))
	}
}
