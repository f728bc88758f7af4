package platform_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/system"
)

// A diskFull is a System whose disk fills up while a switch appends to
// its progress log: the first `writes` appends succeed, the next ones
// fail with ENOSPC (writing half their bytes first when torn, as a write
// cut short does). With kill, the process is killed (a panic) as soon as
// the switch looks at or removes anything but the log after the failure:
// an engine that stops there is killed while it undoes, one that ignores
// the failure while it goes on.
type diskFull struct {
	system.System
	writes int
	torn   bool
	kill   bool
	failed bool
}

var _ system.System = (*diskFull)(nil)

func (d *diskFull) OpenAppend(name string, perm fs.FileMode) (io.WriteCloser, error) {
	w, err := d.System.OpenAppend(name, perm)
	if err != nil {
		return nil, err
	}
	return &fullWriter{WriteCloser: w, d: d, name: name}, nil
}

type fullWriter struct {
	io.WriteCloser
	d    *diskFull
	name string
}

func (w *fullWriter) Write(p []byte) (int, error) {
	if w.d.writes > 0 {
		w.d.writes--
		return w.WriteCloser.Write(p)
	}
	w.d.failed = true
	n := 0
	if w.d.torn {
		n, _ = w.WriteCloser.Write(p[:len(p)/2])
	}
	return n, &fs.PathError{Op: "write", Path: w.name, Err: syscall.ENOSPC}
}

// killed panics when the disk filled up and kill is set.
func (d *diskFull) killed(name string) {
	if d.kill && d.failed {
		panic(killed{"disk full, then " + name})
	}
}

func (d *diskFull) Remove(name string) error {
	if filepath.Base(name) != "journal.log" {
		d.killed(name)
	}
	return d.System.Remove(name)
}

func (d *diskFull) Lstat(name string) (fs.FileInfo, error) {
	d.killed(name)
	return d.System.Lstat(name)
}

func (d *diskFull) Readlink(name string) (string, error) {
	d.killed(name)
	return d.System.Readlink(name)
}

// unsync makes m's journal one of a gocfg before journal.Synced.
func unsync(t *testing.T, m *testMachine) {
	t.Helper()
	jp := m.Host(m.Store.JournalPath())
	data, err := os.ReadFile(jp)
	if err != nil {
		t.Fatal(err)
	}
	old := bytes.Replace(data, []byte(`"log_synced":true,`), nil, 1)
	if bytes.Equal(old, data) {
		t.Fatalf("the journal does not say it is synced: %s", data)
	}
	if err := os.WriteFile(jp, old, 0o600); err != nil {
		t.Fatal(err)
	}
}

func logPath(m *testMachine) string {
	return strings.TrimSuffix(m.Store.JournalPath(), ".json") + ".log"
}

// TestSwitchStopsWhenProgressCannotBeRecorded: a switch whose progress
// log cannot be written (a full disk) used to go on regardless, leaving
// a log that recovery then trusted. It now fails at once and undoes what
// it did: the machine is as before, no journal, log or generation is
// left. After the flip, the switch stands and the failure is a problem
// it reports.
func TestSwitchStopsWhenProgressCannotBeRecorded(t *testing.T) {
	nops := countOps(func() *platform.Plan { p, _ := richMachine(t).plan(richGen2(), ".bak"); return p }())
	for writes := 0; writes <= nops; writes++ {
		for _, torn := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d writes, torn %v", writes, torn), func(t *testing.T) {
				m := richMachine(t)
				_, sw := m.plan(richGen2(), ".bak")
				before := m.snapshot("/", storeDir)
				eng := m.engine()
				eng.Sys = &diskFull{System: m.Sys, writes: writes, torn: torn}
				res, err := eng.Switch(t.Context(), sw)
				if writes == nops {
					// Every "done" line was written; "flipped" was not.
					if err != nil || res.Generation != 2 || len(res.Problems) != 1 ||
						!strings.Contains(res.Problems[0].Error(), "record the flip in the progress log (the switch is complete, and this needs nothing done): write /var/lib/gocfg/journal.log: no space left on device") {
						t.Fatalf("Switch = %+v, %v; want generation 2 with the flip's log failure as a problem", res, err)
					}
					if m.Current() != 2 || m.Exists(m.Store.JournalPath()) || m.Exists(logPath(m)) {
						t.Errorf("current %d, journal left %v, log left %v", m.Current(), m.Exists(m.Store.JournalPath()), m.Exists(logPath(m)))
					}
					return
				}
				var ae *platform.ApplyError
				if !errors.As(err, &ae) || len(ae.UndoErrs) != 0 || ae.Op != writes+1 {
					t.Fatalf("Switch = %+v, %v; want an *ApplyError at step %d, fully undone", res, err, writes+1)
				}
				// The step ran and was undone too (tester BB: "undid the
				// 0 step(s) before it" after step 1 had run).
				want := fmt.Sprintf("failed: it ran, but its progress could not be recorded: write /var/lib/gocfg/journal.log: no space left on device; undid it and the %d step(s) before it; generation 1 stays current", writes)
				if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), want) {
					t.Errorf("error %q, want …%q", err, want)
				}
				m.checkUndone(before)
			})
		}
	}
}

// TestSwitchDiskFullKilledAndRecovered is issue 10's case: with the disk
// full, a switch was killed well after its log stopped growing, and
// recovery, trusting the short log, undid only the first steps and left
// the others (dangling links) for status and switch never to see again.
// Now the switch stops at the first line it cannot write; killed while
// it undoes, it leaves its log as it is: short of that line, or torn,
// which recovery does not believe, and every step that ran is undone.
func TestSwitchDiskFullKilledAndRecovered(t *testing.T) {
	for _, torn := range []bool{false, true} {
		t.Run(fmt.Sprintf("torn %v", torn), func(t *testing.T) {
			m := richMachine(t)
			p, sw := m.plan(richGen2(), ".bak")
			nops := countOps(p)
			before := m.snapshot("/", storeDir)
			eng := m.engine()
			eng.Sys = &diskFull{System: m.Sys, writes: 1, torn: torn, kill: true}
			kill := fmt.Sprintf("op-%d", nops-1)
			eng.Fault = func(point string) {
				if point == kill {
					panic(killed{point})
				}
			}
			func() {
				defer func() {
					r := recover()
					if k, ok := r.(killed); !ok || !strings.HasPrefix(k.point, "disk full, then ") {
						t.Fatalf("the switch was not killed while it undid (recovered %v)", r)
					}
				}()
				res, err := eng.Switch(t.Context(), sw)
				t.Fatalf("Switch returned %+v, %v; want it killed", res, err)
			}()
			if !m.Exists(logPath(m)) {
				t.Error("the progress log that could not be written is gone")
			}
			r, err := m.engine().Recover(t.Context())
			if err != nil || r == nil || r.Finished {
				t.Fatalf("Recover = %+v, %v", r, err)
			}
			m.checkUndone(before)
		})
	}
}

// TestRecoverDistrustsLog: a progress log that is not whole is not
// believed: recovery undoes every op of the journal, says why, and the
// machine is as before the switch, which here had run all its ops. The
// journal is one of an older gocfg (no "log_synced"): a log that says fewer
// ops than ran before the last synced one cannot be (TestSwitchLogIsMapped
// and TestRecoverAfterPowerLoss have the synced journals).
func TestRecoverDistrustsLog(t *testing.T) {
	lines := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "done %d\n", i)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name     string
		log      func(nops int) string // nil: a folder, which cannot be read
		distrust string
	}{
		{"torn last line", func(int) string { return "done 0\ndone 1\ndo" }, "ends in a torn line"},
		{"torn number", func(int) string { return "done 0\ndone 1" }, "ends in a torn line"},
		{"NUL bytes after a power loss", func(int) string { return "done 0\n\x00\x00\x00\x00\x00\x00\x00\n" }, `is damaged at line 2 ("\x00\x00\x00\x00\x00\x00\x00")`},
		{"only NUL bytes", func(int) string { return "\x00\x00\x00\x00\x00\x00\x00\x00" }, "ends in a torn line"},
		{"a gap", func(int) string { return "done 0\ndone 2\n" }, `is damaged at line 2 ("done 2")`},
		{"out of order", func(int) string { return "done 1\ndone 0\n" }, `is damaged at line 1 ("done 1")`},
		{"twice", func(int) string { return "done 0\ndone 0\n" }, `is damaged at line 2 ("done 0")`},
		{"not a number", func(int) string { return "done 0\ndone one\n" }, `is damaged at line 2 ("done one")`},
		{"leading zero", func(int) string { return "done 0\ndone 01\n" }, `is damaged at line 2 ("done 01")`},
		{"beyond the journal", func(n int) string { return lines(n + 1) }, "is damaged at line"},
		{"done after flipped", func(int) string { return "done 0\nflipped\ndone 1\n" }, `is damaged at line 3 ("done 1")`},
		{"another line", func(int) string { return "done 0\nundone 1\n" }, `is damaged at line 2 ("undone 1")`},
		{"an empty line", func(int) string { return "done 0\n\ndone 1\n" }, `is damaged at line 2 ("")`},
		{"unreadable", nil, "could not be read ("},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := richMachine(t)
			p, sw := m.plan(richGen2(), ".bak")
			nops := countOps(p)
			before := m.snapshot("/", storeDir)
			providertest.KillAt(t, m.engine(), sw, "applied")
			unsync(t, m)
			lp := m.Host(logPath(m))
			if err := os.Remove(lp); err != nil {
				t.Fatal(err)
			}
			if tc.log == nil {
				if err := os.Mkdir(lp, 0o700); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(lp, []byte(tc.log(nops)), 0o600); err != nil {
				t.Fatal(err)
			}

			r, err := m.engine().Recover(t.Context())
			if err != nil || r == nil || r.Finished {
				t.Fatalf("Recover = %+v, %v", r, err)
			}
			if !strings.Contains(r.Distrust, tc.distrust) || r.Undone != nops {
				t.Errorf("Distrust %q, Undone %d; want %q, %d", r.Distrust, r.Undone, tc.distrust, nops)
			}
			if want := fmt.Sprintf("(its progress log %s, so all %d step(s) were undone); generation 1 is current", r.Distrust, nops); r.Checked || !strings.Contains(r.String(), want) {
				t.Errorf("String() = %q, want …%q", r.String(), want)
			}
			m.checkUndone(before)
		})
	}
}

// TestRecoverShortLog (tester BB): after a restart, a log that is whole
// but says less than the disk holds (its last page lost in a power loss,
// the fill of a mapped log left) is not believed: every op is undone, in
// a journal of an older gocfg, which did not sync its log (a synced
// journal's: TestRecoverAfterPowerLoss).
// Undone up to its end, the later files stayed as the new generation had
// them, under the old one made current again. Within the same boot, a
// whole log is what ran (a kill leaves it in the page cache), and ops
// after it are not undone: an undo cannot tell an op's work from what a
// user did since the plan (tester BD, reviewer R24: her chmod of a file
// a later op was to change was reverted).
func TestRecoverShortLog(t *testing.T) {
	for _, log := range []string{"", "done 0\ndone 1\n", "done 0\ndone 1\n" + strings.Repeat(" ", 254)} {
		m := richMachine(t)
		p, sw := m.plan(richGen2(), ".bak")
		before := m.snapshot("/", storeDir)
		providertest.KillAt(t, m.engine(), sw, "applied")
		unsync(t, m)
		if err := os.WriteFile(m.Host(logPath(m)), []byte(log), 0o600); err != nil {
			t.Fatal(err)
		}
		eng := m.engine()
		eng.Boot = func() string { return "a boot after a power loss" }
		r, err := eng.Recover(t.Context())
		if err != nil || r == nil || r.Finished || r.Distrust != "" || !r.Restarted {
			t.Fatalf("log %q: Recover = %+v, %v", log, r, err)
		}
		if nops := countOps(p); r.Undone != nops || r.Checked || !strings.Contains(r.String(), fmt.Sprintf("(the machine may have restarted since, or gocfg cannot tell, and its progress log may then have lost its last lines, so all %d step(s) were undone where they had run)", nops)) {
			t.Errorf("log %q: %d undone, %q; want all %d", log, r.Undone, r, nops)
		}
		m.checkUndone(before)
	}

	// A boot that cannot be told, at the switch or at the recovery
	// (reviewer R28): every op undone, as after a restart.
	for _, boots := range [][2]string{{"", "this boot"}, {"this boot", ""}} {
		m := richMachine(t)
		_, sw := m.plan(richGen2(), ".bak")
		before := m.snapshot("/", storeDir)
		eng := m.engine()
		eng.Boot = func() string { return boots[0] }
		providertest.KillAt(t, eng, sw, "applied")
		unsync(t, m)
		if err := os.WriteFile(m.Host(logPath(m)), []byte("done 0\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		eng = m.engine()
		eng.Boot = func() string { return boots[1] }
		// An older gocfg's journal is read by its time: this boot
		// began after it was written.
		eng.BootTime = func() time.Time { return time.Now().Add(time.Hour) }
		r, err := eng.Recover(t.Context())
		if err != nil || r == nil || !r.Restarted {
			t.Fatalf("boots %q: Recover = %+v, %v; want every op undone", boots, r, err)
		}
		m.checkUndone(before)
	}

	// The same boot, killed before its first op (also while the
	// generation was written: reviewer R26): her chmod since, and a file
	// she deleted since (which the undo of its removal, had it run,
	// would put back), are hers.
	for _, point := range []string{"journal-written", "generation-written", "op-1"} {
		m := richMachine(t)
		_, sw := m.plan(richGen2(), ".bak")
		providertest.KillAt(t, m.engine(), sw, point)
		if err := os.Chmod(m.Host("/home/alice/.c"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(m.Host("/home/alice/.r")); err != nil {
			t.Fatal(err)
		}
		r, err := m.engine().Recover(t.Context())
		if err != nil || r == nil || r.Restarted || r.Undone != 0 {
			t.Fatalf("%s: Recover = %+v, %v; want nothing run, the same boot", point, r, err)
		}
		if fi, err := os.Lstat(m.Host("/home/alice/.c")); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: ~/.c: %v, %v; want her 0600 kept", point, fi.Mode(), err)
		}
		if m.Exists("/home/alice/.r") {
			t.Errorf("%s: ~/.r, which she deleted, is back", point)
		}
	}
}

// TestRecoverDamagedJournal: a journal that is damaged or empty is an
// error naming it, and nothing is undone or deleted: it is never read as
// a switch from and to generation 0 with no steps (which made recovery
// say "no generation is current" while one was).
func TestRecoverDamagedJournal(t *testing.T) {
	for _, tc := range []struct{ name, journal, want string }{
		{"empty file", "", "the file is empty"},
		{"empty object", "{}", `its command is "", not switch, rollback or secrets activate`},
		{"NUL bytes", "\x00\x00\x00\x00", "only NUL bytes"},
		{"white space", "\n", "only white space"},
		{"truncated", `{"from":1,"to":2,"created":true,"command":"switch","ops":[{"id":"file:~alice/.a","type":"file.link","da`, "truncated or not the JSON gocfg writes"},
		{"array", `[]`, "not a JSON object"},
		{"null", `null`, "not a JSON object"},
		{"no generation", `{"from":1,"command":"switch","ops":[]}`, "it goes to generation 0"},
		{"from and to the same", `{"from":1,"to":1,"command":"rollback","ops":[]}`, "it goes from generation 1 to 1"},
		{"another command", `{"from":1,"to":2,"command":"dance","ops":[]}`, `its command is "dance"`},
		{"an empty step", `{"from":1,"to":2,"command":"switch","ops":[{}]}`, "step 1 has no id, type or data"},
		{"wrong types", `{"from":"1","to":2,"command":"switch"}`, "truncated or not the JSON gocfg writes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMachine(t)
			m.switchTo(home(map[string]files.HomeFile{".a": text("a")}), "")
			before := m.snapshot("/")
			m.Write(m.Store.JournalPath(), tc.journal)
			m.Write(logPath(m), "done 0\n")
			for _, call := range []string{"Recover", "Pending"} {
				var err error
				if call == "Recover" {
					var r *platform.Recovery
					r, err = m.engine().Recover(t.Context())
					if r != nil {
						t.Errorf("Recover returned %+v", r)
					}
				} else {
					var ok bool
					ok, err = m.engine().Pending()
					if !ok {
						t.Error("Pending() = false with a damaged journal there")
					}
				}
				var de *generations.DamagedError
				if !errors.As(err, &de) || de.Path != m.Store.JournalPath() {
					t.Fatalf("%s: %v; want a *generations.DamagedError for %s", call, err, m.Store.JournalPath())
				}
				if want := m.Store.JournalPath() + ": damaged: "; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: %q, want %q…%q", call, err, want, tc.want)
				}
			}
			if m.Current() != 1 || !m.Exists(m.Store.JournalPath()) || !m.Exists(logPath(m)) {
				t.Errorf("current %d, journal there %v, log there %v; want 1 and both kept", m.Current(), m.Exists(m.Store.JournalPath()), m.Exists(logPath(m)))
			}
			if err := os.Remove(m.Host(m.Store.JournalPath())); err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(m.Host(logPath(m))); err != nil {
				t.Fatal(err)
			}
			if d := diff(before, m.snapshot("/")); d != "" {
				t.Errorf("the machine changed:\n%s", d)
			}
		})
	}
}
