package platform_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/system"
)

// ranOps records which test.count ops applied and which were undone,
// across the switch and the recovery (which decodes new ops from the
// journal).
var ranOps = struct {
	sync.Mutex
	applied, undone map[int]bool
	// events are the applies and the syncs, in order ("apply 0",
	// "sync the file system", "sync the log").
	events []string
}{applied: map[int]bool{}, undone: map[int]bool{}}

func resetRanOps() {
	ranOps.Lock()
	defer ranOps.Unlock()
	clear(ranOps.applied)
	clear(ranOps.undone)
	ranOps.events = nil
}

func ranEvent(e string) {
	ranOps.Lock()
	defer ranOps.Unlock()
	ranOps.events = append(ranOps.events, e)
}

// countOp is an op whose undo cannot tell whether it ran (as an
// account's group membership); checkedCountOp is a SelfChecking one.
type countOp struct {
	N int `json:"n"`
}

type checkedCountOp struct{ countOp }

func (*checkedCountOp) UndoChecksItself() {}

func init() {
	platform.RegisterOp("test.count", func() platform.Op { return &countOp{} })
	platform.RegisterOp("test.count-checked", func() platform.Op { return &checkedCountOp{} })
}

func (o *countOp) Describe() string { return fmt.Sprintf("count %d", o.N) }

func (o *countOp) Apply(context.Context, system.System) error {
	ranOps.Lock()
	defer ranOps.Unlock()
	ranOps.applied[o.N] = true
	ranOps.events = append(ranOps.events, fmt.Sprintf("apply %d", o.N))
	return nil
}

func (o *countOp) Undo(context.Context, system.System) error {
	ranOps.Lock()
	defer ranOps.Unlock()
	ranOps.undone[o.N] = true
	return nil
}

// powerLoss is a System whose progress log keeps, beside what was
// written, what a power loss would leave of it: what it held at its last
// sync (its own, or a Sync of its file system).
type powerLoss struct {
	system.System
	log *syncedLog
}

type syncedLog struct {
	io.WriteCloser
	written, durable []byte
	syncs            int
}

func (l *syncedLog) Write(p []byte) (int, error) {
	l.written = append(l.written, p...)
	return l.WriteCloser.Write(p)
}

func (l *syncedLog) Sync() error {
	l.durable = bytes.Clone(l.written)
	l.syncs++
	ranEvent("sync the log")
	return nil
}

func (p *powerLoss) OpenAppend(name string, perm os.FileMode) (io.WriteCloser, error) {
	w, err := p.System.OpenAppend(name, perm)
	if err != nil || !strings.HasSuffix(name, ".log") {
		return w, err
	}
	p.log = &syncedLog{WriteCloser: w}
	return p.log, nil
}

func (p *powerLoss) Sync(name string) error {
	if p.log != nil {
		p.log.durable = bytes.Clone(p.log.written)
	}
	ranEvent("sync the file system")
	return p.System.Sync(name)
}

// countPlan has ops that cannot tell (at 0, 3, 5) and ops that check
// (at 1, 2, 4, 6).
func countPlan() *platform.Plan {
	var ops []platform.Op
	for i := range 7 {
		if i == 0 || i == 3 || i == 5 {
			ops = append(ops, &countOp{N: i})
		} else {
			ops = append(ops, &checkedCountOp{countOp{N: i}})
		}
	}
	return &platform.Plan{Changes: []platform.Change{{ID: "file:/etc/x", Kind: "file", Action: platform.Create, Ops: ops}}}
}

// TestRecoverAfterPowerLoss: after a restart, recovery undoes every op
// that ran, whatever of its progress log the disk lost, and of the ops
// whose undo cannot tell whether they ran, none that never started but
// the one after the last the log shows (tester BD: an admin's `gpasswd
// -d` put back by the undo of a membership that was never added). The
// log is made durable before each such op, and only then.
func TestRecoverAfterPowerLoss(t *testing.T) {
	points := []string{"journal-written", "generation-written"}
	for i := 1; i <= 7; i++ {
		points = append(points, fmt.Sprintf("op-%d", i))
	}
	points = append(points, "applied")
	// A boot that differs, or one that cannot be told (reviewer R28).
	boots := []string{"the boot after the power loss", ""}
	for i, point := range points {
		for _, damage := range []string{"", "\x00\x00\x00\x00\n", "do"} {
			boot := boots[i%2]
			t.Run(fmt.Sprintf("%s %q boot %q", point, damage, boot), func(t *testing.T) {
				resetRanOps()
				m := newMachine(t)
				eng := m.engine()
				pl := &powerLoss{System: eng.Sys}
				eng.Sys = pl
				providertest.KillAt(t, eng, m.Sw.SwitchNext(countPlan()), point)
				if pl.log == nil {
					t.Fatal("no progress log was opened")
				}
				// The power goes: the log holds what it held at its
				// last sync, and what the disk made of the rest.
				lost := append(bytes.Clone(pl.log.durable), damage...)
				if err := os.WriteFile(m.Host(logPath(m)), lost, 0o600); err != nil {
					t.Fatal(err)
				}
				eng = m.engine()
				eng.Boot = func() string { return boot }
				r, err := eng.Recover(t.Context())
				if err != nil || r == nil || r.Finished || !r.Restarted || !r.Checked {
					t.Fatalf("Recover = %+v, %v; want it undone, checked", r, err)
				}
				ranOps.Lock()
				defer ranOps.Unlock()
				firstNotRun := 0
				for ranOps.applied[firstNotRun] {
					firstNotRun++
				}
				for n := range 7 {
					blind := n == 0 || n == 3 || n == 5
					switch {
					case ranOps.applied[n] && !ranOps.undone[n]:
						t.Errorf("op %d ran and was not undone (log %q, synced %d times)", n, lost, pl.log.syncs)
					case blind && !ranOps.applied[n] && ranOps.undone[n] && n != firstNotRun:
						t.Errorf("op %d, whose undo cannot tell, never started and was undone (log %q)", n, lost)
					case !blind && !ranOps.undone[n]:
						t.Errorf("op %d, which checks, was not undone", n)
					}
				}
				if want := "so every step that may have run was undone)"; !strings.Contains(r.String(), want) {
					t.Errorf("String() = %q, want …%q", r, want)
				}
			})
		}
	}

	// The log is synced before each op that cannot tell, and not before
	// the others: once at the start (the file system), then before ops 3
	// and 5 (op 0 follows the start's sync).
	resetRanOps()
	m := newMachine(t)
	eng := m.engine()
	pl := &powerLoss{System: eng.Sys}
	eng.Sys = pl
	if _, err := eng.Switch(t.Context(), m.Sw.SwitchNext(countPlan())); err != nil {
		t.Fatal(err)
	}
	ranOps.Lock()
	defer ranOps.Unlock()
	// The file system before the first op (the journal and the log
	// durable: reviewer R29), the log before ops 3 and 5, the file system
	// before the flip.
	want := []string{"sync the file system", "apply 0", "apply 1", "apply 2", "sync the log", "apply 3", "apply 4", "sync the log", "apply 5", "apply 6", "sync the file system"}
	if !slices.Equal(ranOps.events, want) {
		t.Errorf("events %q, want %q", ranOps.events, want)
	}
}

// TestRecoverLogMissingOrUnreadable (reviewer R29): a synced journal
// whose log is missing (made before the journal, it can only have been
// removed by hand or lost by a damaged file system) or cannot be read
// (an I/O error where a power loss tore a sector) says nothing of what
// ran: every op is undone, in the same boot or another.
func TestRecoverLogMissingOrUnreadable(t *testing.T) {
	for _, missing := range []bool{true, false} {
		for _, restart := range []bool{false, true} {
			resetRanOps()
			m := newMachine(t)
			providertest.KillAt(t, m.engine(), m.Sw.SwitchNext(countPlan()), "op-5") // ops 0 to 3 ran
			lp := m.Host(logPath(m))
			if err := os.Remove(lp); err != nil {
				t.Fatal(err)
			}
			why := "is missing"
			if !missing {
				why = "could not be read ("
				if err := os.Mkdir(lp, 0o700); err != nil {
					t.Fatal(err)
				}
			}
			eng := m.engine()
			if restart {
				eng.Boot = func() string { return "the boot after the power loss" }
			}
			r, err := eng.Recover(t.Context())
			if err != nil || r == nil || !r.Checked || r.Undone != 7 || !strings.Contains(r.String(), "(its progress log "+why) {
				t.Fatalf("missing %v, restart %v: Recover = %v, %v; want every op undone, and why", missing, restart, r, err)
			}
			ranOps.Lock()
			if len(ranOps.undone) != 7 {
				t.Errorf("missing %v, restart %v: undone %v, want all 7", missing, restart, ranOps.undone)
			}
			ranOps.Unlock()
		}
	}
}

// TestRecoverAfterPowerLossOldJournal: a journal of an older gocfg (no
// "log_synced") after a restart has every op undone, as that gocfg did;
// so has one of c925535, which said "synced" but marked no op Checked
// and synced before none of the ops it counted as checking (reviewer
// R30: an op that ran was left).
func TestRecoverAfterPowerLossOldJournal(t *testing.T) {
	for _, synced := range [][]byte{nil, []byte(`"synced":true,`)} {
		resetRanOps()
		m := newMachine(t)
		providertest.KillAt(t, m.engine(), m.Sw.SwitchNext(countPlan()), "op-3")
		editJournal(t, m, func(data []byte) []byte {
			old := bytes.ReplaceAll(bytes.Replace(data, []byte(`"log_synced":true,`), synced, 1), []byte(`,"checked":true`), nil)
			if bytes.Contains(old, []byte(`"log_synced"`)) || bytes.Contains(old, []byte(`"checked"`)) {
				t.Fatalf("the journal is not an older gocfg's: %s", old)
			}
			return old
		})
		r, err := recoverAfterPowerLoss(t, m)
		if err != nil || r == nil || r.Checked || r.Undone != 7 {
			t.Fatalf("%s: Recover = %+v, %v; want all 7 undone", synced, r, err)
		}
		if want := "(the machine may have restarted since, or gocfg cannot tell, and its progress log may then have lost its last lines, so all 7 step(s) were undone where they had run)"; !strings.Contains(r.String(), want) {
			t.Errorf("String() = %q, want …%q", r, want)
		}
		ranOps.Lock()
		if len(ranOps.undone) != 7 {
			t.Errorf("%s: undone %v; want all 7", synced, ranOps.undone)
		}
		ranOps.Unlock()
	}
}

// editJournal rewrites m's journal with edit.
func editJournal(t *testing.T, m *testMachine, edit func([]byte) []byte) {
	t.Helper()
	jp := m.Host(m.Store.JournalPath())
	data, err := os.ReadFile(jp)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jp, edit(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// recoverAfterPowerLoss recovers m in another boot, its log as a power
// loss may leave it: nothing written since the switch began.
func recoverAfterPowerLoss(t *testing.T, m *testMachine) (*platform.Recovery, error) {
	t.Helper()
	if err := os.WriteFile(m.Host(logPath(m)), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	eng := m.engine()
	eng.Boot = func() string { return "the boot after the power loss" }
	return eng.Recover(t.Context())
}

// TestRecoverFollowsTheJournalsChecked (reviewer R30): which ops were
// synced before is the journal's to say (encodedOp.Checked), not the op
// types this gocfg knows: a later gocfg may count a type otherwise.
func TestRecoverFollowsTheJournalsChecked(t *testing.T) {
	resetRanOps()
	m := newMachine(t)
	providertest.KillAt(t, m.engine(), m.Sw.SwitchNext(countPlan()), "op-3") // ops 0 and 1 ran
	// The journal says op 1 was not checking and op 5 was.
	editJournal(t, m, func(data []byte) []byte {
		var j map[string]any
		if err := json.Unmarshal(data, &j); err != nil {
			t.Fatal(err)
		}
		ops := j["ops"].([]any)
		delete(ops[1].(map[string]any), "checked")
		ops[5].(map[string]any)["checked"] = true
		data, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		return data
	})
	if r, err := recoverAfterPowerLoss(t, m); err != nil || r == nil || !r.Checked {
		t.Fatalf("Recover = %+v, %v", r, err)
	}
	ranOps.Lock()
	defer ranOps.Unlock()
	// Op 0 (the one after none done), and those the journal marks.
	want := map[int]bool{0: true, 2: true, 4: true, 5: true, 6: true}
	if !maps.Equal(ranOps.undone, want) {
		t.Errorf("undone %v, want %v", ranOps.undone, want)
	}
}

// TestSwitchLogBeforeJournal (reviewer R30): the log is made before the
// journal, so that a journal without its log is never a switch's own
// doing; a journal that cannot be written takes its log with it.
func TestSwitchLogBeforeJournal(t *testing.T) {
	m := newMachine(t)
	eng := m.engine()
	order := &createOrder{System: eng.Sys}
	eng.Sys = order
	if _, err := eng.Switch(t.Context(), m.Sw.SwitchNext(countPlan())); err != nil {
		t.Fatal(err)
	}
	if want := []string{"journal.log", "journal.json"}; !slices.Equal(order.made, want) {
		t.Errorf("made %q, want %q", order.made, want)
	}
	order.made, order.failJournal = nil, true
	if _, err := eng.Switch(t.Context(), m.Sw.SwitchNext(countPlan())); err == nil || !strings.Contains(err.Error(), "write journal") {
		t.Fatalf("Switch with a journal that cannot be written: %v", err)
	}
	if m.Exists(logPath(m)) || m.Exists(m.Store.JournalPath()) {
		t.Error("a log or journal is left")
	}
}

// createOrder records the journal's and the log's creation, in order,
// and can fail the journal's.
type createOrder struct {
	system.System
	made        []string
	failJournal bool
}

func (c *createOrder) OpenAppend(name string, perm os.FileMode) (io.WriteCloser, error) {
	c.made = append(c.made, filepath.Base(name))
	return c.System.OpenAppend(name, perm)
}

func (c *createOrder) WriteFile(name string, data []byte, perm os.FileMode) error {
	if filepath.Base(name) == "journal.json" {
		c.made = append(c.made, "journal.json")
		if c.failJournal {
			return errors.New("no space left on device")
		}
	}
	return c.System.WriteFile(name, data, perm)
}

// TestRecoverAfterPowerLossPastTheFlip: a switch whose plan flips
// `current` early (Change.AfterFlip) and then again at its end makes its
// "flipped" line durable, the only thing that tells the two apart: after
// a power loss past the end, recovery finishes the switch rather than
// undoing all of it.
func TestRecoverAfterPowerLossPastTheFlip(t *testing.T) {
	resetRanOps()
	m := newMachine(t)
	eng := m.engine()
	pl := &powerLoss{System: eng.Sys}
	eng.Sys = pl
	p := countPlan()
	p.Changes = append(p.Changes, platform.Change{ID: "file:/etc/y", Kind: "file", Action: platform.Create, AfterFlip: true,
		Ops: []platform.Op{&checkedCountOp{countOp{N: 7}}}})
	providertest.KillAt(t, eng, m.Sw.SwitchNext(p), "flipped")
	if !bytes.HasSuffix(pl.log.durable, []byte("flipped\n")) {
		t.Fatalf("the durable log is %q; want it to end in flipped", pl.log.durable)
	}
	if err := os.WriteFile(m.Host(logPath(m)), pl.log.durable, 0o600); err != nil {
		t.Fatal(err)
	}
	eng = m.engine()
	eng.Boot = func() string { return "the boot after the power loss" }
	if r, err := eng.Recover(t.Context()); err != nil || r == nil || !r.Finished {
		t.Fatalf("Recover = %+v, %v; want the switch finished", r, err)
	}
}

// TestRecoverOldJournalThisBoot (tester BF): a journal of a gocfg that
// recorded no boot (and synced no log), written in this boot, has its
// whole log believed, as that gocfg did: upgraded after a kill, gocfg
// undid every op, and so deleted the account an admin had made since
// with the name of one whose creation never ran. Written before this
// boot began, every op is undone, as before.
func TestRecoverOldJournalThisBoot(t *testing.T) {
	for _, tc := range []struct {
		name    string
		bootAgo time.Duration // this boot began so long before now (< 0: after)
		future  bool          // the journal dated in the future: a clock set back
		synced  bool          // log_synced kept: not an older gocfg's
		restart bool
		undone  int
	}{
		{"written in this boot", time.Hour, false, false, false, 3}, // ops 0, 1 and the one after
		{"written before this boot", -time.Hour, false, false, true, 7},
		{"dated in the future (reviewer R31)", time.Hour, true, false, true, 7},
		// This gocfg's journal on a machine whose boot cannot be told:
		// not an older gocfg's, its per-step rule (reviewer R31, N1).
		{"synced, no boot", time.Hour, false, true, true, 5},
	} {
		resetRanOps()
		m := newMachine(t)
		eng := m.engine()
		eng.Boot = func() string { return "" }                            // a gocfg before the boot was recorded
		providertest.KillAt(t, eng, m.Sw.SwitchNext(countPlan()), "op-3") // ops 0 and 1 ran
		if !tc.synced {
			editJournal(t, m, func(data []byte) []byte {
				old := bytes.ReplaceAll(bytes.Replace(data, []byte(`"log_synced":true,`), nil, 1), []byte(`,"checked":true`), nil)
				if bytes.Contains(old, []byte(`"boot"`)) || bytes.Contains(old, []byte(`"log_synced"`)) || bytes.Contains(old, []byte(`"checked"`)) {
					t.Fatalf("the journal is not an older gocfg's: %s", old)
				}
				return old
			})
		}
		if tc.future {
			later := time.Now().Add(time.Hour)
			if err := os.Chtimes(m.Host(m.Store.JournalPath()), later, later); err != nil {
				t.Fatal(err)
			}
		}
		eng = m.engine()
		eng.Boot = func() string { return "this boot" }
		eng.BootTime = func() time.Time { return time.Now().Add(-tc.bootAgo) }
		r, err := eng.Recover(t.Context())
		if err != nil || r == nil || r.Restarted != tc.restart || r.Checked != tc.synced {
			t.Fatalf("%s: Recover = %v, %v", tc.name, r, err)
		}
		ranOps.Lock()
		if len(ranOps.undone) != tc.undone {
			t.Errorf("%s: undone %v, want %d ops", tc.name, ranOps.undone, tc.undone)
		}
		ranOps.Unlock()
	}
}

// TestRecoverSecretsActivate (reviewer R31): `gocfg secrets activate`
// journals its steps from and to the current generation; killed (a
// power loss while the boot unit ran), its journal was "damaged", and
// every later switch and rollback stopped. It is recovered as a switch
// is, and the generation stays current.
func TestRecoverSecretsActivate(t *testing.T) {
	resetRanOps()
	m := newMachine(t)
	if _, err := m.engine().Switch(t.Context(), m.Sw.SwitchNext(&platform.Plan{})); err != nil {
		t.Fatal(err)
	}
	resetRanOps()
	providertest.KillAt(t, m.engine(), platform.Switch{From: 1, To: 1, Plan: countPlan(), Command: "secrets activate"}, "op-3") // ops 0 and 1 ran
	r, err := m.engine().Recover(t.Context())
	if err != nil || r == nil || r.Finished || r.Undone != 2 {
		t.Fatalf("Recover = %+v, %v; want the 2 steps that ran undone", r, err)
	}
	if cur, err := m.Store.Current(); err != nil || cur != 1 {
		t.Errorf("current %d, %v; want 1", cur, err)
	}
	for _, bad := range []string{`{"from":1,"to":2,"command":"secrets activate","ops":[]}`, `{"from":1,"to":1,"command":"switch","ops":[]}`} {
		m.Write(m.Store.JournalPath(), bad)
		if _, err := m.engine().Recover(t.Context()); err == nil || !strings.Contains(err.Error(), "damaged: it goes from generation") {
			t.Errorf("journal %s: %v, want it damaged", bad, err)
		}
	}
}
