package files

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// A program that opened a managed copy before a switch replaced it (or
// removed it from the configuration) still holds the file gocfg moved
// aside: what it writes after the switch checked the aside lands there.
// The aside is therefore kept while any program has it open for writing,
// and deleted once none has (see system.System.RemoveUnshared).

// openForAppend opens a managed copy as an editor or a logger would,
// before the switch.
func openForAppend(t *testing.T, fx *fixture, machine string) *os.File {
	t.Helper()
	f, err := os.OpenFile(fx.Host(machine), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// homeHolds reports whether some regular file of alice's home holds s.
func homeHolds(t *testing.T, fx *fixture, s string) bool {
	t.Helper()
	found := false
	err := filepath.Walk(fx.Host(aliceHome), func(p string, fi os.FileInfo, err error) error {
		if err != nil || !fi.Mode().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if strings.Contains(string(b), s) {
			found = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func needLeases(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("open files are seen through leases, which only Linux has")
	}
}

// movedAside is where the switch to generation n moves .a aside.
func movedAside(n int) string { return fmt.Sprintf("/home/alice/.a.gocfg-%d~", n) }

// switchHoldingOpen switches to cfg while a program holds .a open for
// writing: the switch stands but says that .a, moved aside (what), is
// kept because it is open. It returns the aside.
func switchHoldingOpen(t *testing.T, fx *fixture, cfg *Config, what string) string {
	t.Helper()
	p, l, err := fx.plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = fx.applyErr(p, l.Current, l.To)
	if err == nil || !strings.Contains(err.Error(), "kept") || !strings.Contains(err.Error(), "open") {
		t.Errorf("switch: %v; want the %s kept because it is open", err, what)
	}
	if fx.Current() != l.To {
		t.Errorf("current = %d, want the switch to stand (%d)", fx.Current(), l.To)
	}
	return movedAside(l.To)
}

// checkEditKept: the program writes through f, opened before the switch,
// after it: its edit must be in the aside, after the old content.
func checkEditKept(t *testing.T, fx *fixture, f *os.File, aside string) {
	t.Helper()
	if _, err := f.WriteString("edit after the switch\n"); err != nil {
		t.Fatal(err)
	}
	if !homeHolds(t, fx, "edit after the switch\n") {
		t.Error("lost: the edit made through the file opened before the switch")
	}
	if got := fx.Read(aside); got != "v0\nedit after the switch\n" {
		t.Errorf("aside = %q, want the old content and the edit", got)
	}
}

// switchLeavingNoAside switches to cfg, which must leave no aside of .a.
func switchLeavingNoAside(t *testing.T, fx *fixture, cfg *Config) {
	t.Helper()
	aside := movedAside(fx.Sw.Next())
	fx.switchTo(cfg)
	if fx.Exists(aside) {
		t.Errorf("%s is still there", aside)
	}
}

func TestReplacedFileHeldOpenIsKept(t *testing.T) {
	needLeases(t)
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{".a": copyText("v0\n")}))
	f := openForAppend(t, fx, "/home/alice/.a")
	aside := switchHoldingOpen(t, fx, home(map[string]HomeFile{".a": copyText("v1\n")}), "aside")
	if got := fx.Read("/home/alice/.a"); got != "v1\n" {
		t.Errorf(".a = %q, want the new content", got)
	}
	checkEditKept(t, fx, f, aside)
}

func TestReplacedFileNotOpenIsRemoved(t *testing.T) {
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{".a": copyText("v0\n")}))
	// Opened and closed again: nothing holds it.
	f := openForAppend(t, fx, "/home/alice/.a")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	switchLeavingNoAside(t, fx, home(map[string]HomeFile{".a": copyText("v1\n")}))
	if got := fx.Read("/home/alice/.a"); got != "v1\n" {
		t.Errorf(".a = %q", got)
	}
}

// A file opened for reading only cannot be written through: it does not
// keep the aside.
func TestReplacedFileOpenForReadingIsRemoved(t *testing.T) {
	needLeases(t)
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{".a": copyText("v0\n")}))
	f, err := os.Open(fx.Host("/home/alice/.a"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	switchLeavingNoAside(t, fx, home(map[string]HomeFile{".a": copyText("v1\n")}))
}

// A copy removed from the configuration while a program holds it open
// for writing is moved aside and kept (the switch stands and says so);
// the next switch that finds it closed deletes it.
func TestRemovedFileHeldOpenIsKept(t *testing.T) {
	needLeases(t)
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{".a": copyText("v0\n"), ".b": copyText("b\n")}))
	f := openForAppend(t, fx, "/home/alice/.a")
	aside := switchHoldingOpen(t, fx, home(map[string]HomeFile{".b": copyText("b\n")}), "removed file")
	if fx.Exists("/home/alice/.a") {
		t.Error(".a is still there")
	}
	checkEditKept(t, fx, f, aside)
}

func TestRemovedFileNotOpenIsRemoved(t *testing.T) {
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{".a": copyText("v0\n"), ".b": copyText("b\n")}))
	switchLeavingNoAside(t, fx, home(map[string]HomeFile{".b": copyText("b\n")}))
	if fx.Exists("/home/alice/.a") {
		t.Error(".a is still there")
	}
}

// renameHook runs before once, just before the first Rename of the
// machine path at, or Exchange of it with its aside.
type renameHook struct {
	system.System
	at     string
	before func()
	done   bool
}

func (h *renameHook) Rename(oldpath, newpath string) error {
	if !h.done && oldpath == h.at {
		h.done = true
		h.before()
	}
	return h.System.Rename(oldpath, newpath)
}

func (h *renameHook) Exchange(a, b string) error {
	if !h.done && b == h.at {
		h.done = true
		h.before()
	}
	return h.System.Exchange(a, b)
}

// A switch that is undone deletes the copies it wrote: one a program
// opened meanwhile is left in place, with what the program writes.
func TestUndoneCopyHeldOpenIsKept(t *testing.T) {
	needLeases(t)
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{".a": copyText("a0\n"), ".b": copyText("b0\n")}))
	p, l, err := fx.plan(home(map[string]HomeFile{".a": copyText("a1\n"), ".b": copyText("b1\n")}))
	if err != nil {
		t.Fatal(err)
	}
	// .b is edited after the plan: its op stops the switch, and .a's,
	// applied before it, is undone.
	if err := os.WriteFile(fx.Host("/home/alice/.b"), []byte("b0\nedited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var f *os.File
	sys := &renameHook{System: fx.Sys, at: "/home/alice/.b", before: func() {
		// A program opens .a, as the switch wrote it, before the undo.
		if got := fx.Read("/home/alice/.a"); got != "a1\n" {
			t.Fatalf(".a = %q when .b's op starts, want .a's op applied", got)
		}
		f = openForAppend(t, fx, "/home/alice/.a")
	}}
	res, err := p.EncodeRecords()
	if err != nil {
		t.Fatal(err)
	}
	gen := &generations.NewGeneration{
		Meta:   generations.Meta{Number: l.To, Time: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), Version: "test", Host: "atlas", Summary: p.Summary(), Command: "switch"},
		Config: []byte("{}"), Resources: res, Files: p.Contents(), Areas: p.Areas,
	}
	eng := &platform.Engine{Sys: sys, Store: fx.Store}
	_, err = eng.Switch(context.Background(), platform.Switch{From: l.Current, To: l.To, Generation: gen, Plan: p, Command: "switch"})
	if err == nil {
		t.Fatal("the switch went through; want it stopped by the edit of .b")
	}
	if f == nil {
		t.Fatal("the hook did not run")
	}
	if _, err := f.WriteString("edit after the undo\n"); err != nil {
		t.Fatal(err)
	}
	if !homeHolds(t, fx, "edit after the undo\n") {
		t.Errorf("lost: the edit made through the copy opened during the switch (switch: %v)", err)
	}
	if got := fx.Read("/home/alice/.b"); got != "b0\nedited\n" {
		t.Errorf(".b = %q", got)
	}
}
