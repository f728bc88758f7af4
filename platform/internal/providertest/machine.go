package providertest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/system"
)

// StateDir is the state folder of the machines NewMachine makes.
const StateDir = "/var/lib/gocfg"

// A Machine is a machine under a temporary root, as with --root: the
// real system rooted there, a generations store in StateDir that Sw
// switches, and the account database of the root's /etc.
type Machine struct {
	T testing.TB
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
	m := &Machine{T: t, Dir: dir, Root: filepath.Join(dir, "root"), Real: system.NewReal()}
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

// Host is the host path of the machine path p.
func (m *Machine) Host(p string) string { return m.Sys.HostPath(p) }

// Write makes a regular file at the machine path p, its parents too.
func (m *Machine) Write(p, content string) {
	m.T.Helper()
	testfs.Write(m.T, m.Host(p), content)
}

// SetAccounts writes the machine's /etc/passwd and /etc/group and reads
// them back into DB.
func (m *Machine) SetAccounts(passwd, group string) {
	m.T.Helper()
	m.Write("/etc/passwd", passwd)
	m.Write("/etc/group", group)
	db, err := accounts.Read(m.Sys)
	if err != nil {
		m.T.Fatal(err)
	}
	m.DB = db
}

// Read returns the content of the file at the machine path p.
func (m *Machine) Read(p string) string {
	m.T.Helper()
	return testfs.Read(m.T, m.Host(p))
}

// Exists reports whether the machine path p is there (a dangling
// symlink is).
func (m *Machine) Exists(p string) bool {
	_, err := os.Lstat(m.Host(p))
	return err == nil
}

// Current is the current generation (0: none).
func (m *Machine) Current() int {
	m.T.Helper()
	return m.Sw.Current()
}
