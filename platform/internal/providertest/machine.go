package providertest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/system"
)

// StateDir is the state folder of the machines NewMachine makes.
const StateDir = "/var/lib/gocfg"

// A Machine is a machine under a temporary root, as with --root: the
// real system rooted there, a generations store in StateDir that Sw
// switches, and the account database of the root's /etc.
type Machine struct {
	// Dir is the temporary folder; Root is Dir/root, and the test may
	// keep other folders beside it.
	Dir   string
	Root  string
	Real  *system.Real
	Sys   *system.Rooted
	Store *generations.Store
	Sw    *Switcher
	DB    *accounts.Database
}

// NewMachine makes a Machine with StateDir and the folders dirs (machine
// paths) made. The test's cleanup removes it with the real system, which
// removes what a switch left read-only too.
func NewMachine(t testing.TB, dirs ...string) *Machine {
	t.Helper()
	dir := t.TempDir()
	m := &Machine{Dir: dir, Root: filepath.Join(dir, "root"), Real: system.NewReal()}
	t.Cleanup(func() {
		if err := m.Real.RemoveAll(dir); err != nil {
			t.Error(err)
		}
	})
	m.Sys = system.NewRooted(m.Root, m.Real)
	m.Store = generations.New(m.Sys, StateDir)
	m.Sw = &Switcher{T: t, Sys: m.Sys, Store: m.Store, Host: "atlas"}
	for _, p := range append([]string{StateDir}, dirs...) {
		if err := os.MkdirAll(m.Sys.HostPath(p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	db, err := accounts.Read(m.Sys)
	if err != nil {
		t.Fatal(err)
	}
	m.DB = db
	return m
}
