package platform_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/treesnap"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

const (
	stateDir  = providertest.StateDir
	storeDir  = stateDir + "/store"
	aliceHome = "/home/alice"
)

// A machine is a temporary --root with a real generations store (which sw
// switches), planned by the files provider.
type testMachine struct {
	*providertest.Machine
	t *testing.T
}

func newMachine(t *testing.T) *testMachine {
	t.Helper()
	return &testMachine{Machine: providertest.NewMachine(t, aliceHome), t: t}
}

// plan plans cfg from the current generation to the next one; the plan
// must have no conflicts.
func (m *testMachine) plan(cfg *files.Config, backupExt string) (*platform.Plan, platform.Switch) {
	m.t.Helper()
	l := &machine.Machine{Sys: m.Sys, Host: m.Real, Store: m.Store, Current: m.Current(), To: m.Sw.Next(), Offline: true, OS: "linux", Accounts: m.DB, Switch: machine.Switch{BackupExt: backupExt}}
	p := m.Sw.Plan(&files.Provider{Machine: l, Config: cfg})
	providertest.NoConflicts(m.t, p)
	return p, m.Sw.SwitchTo(p, l.Current, l.To)
}

func (m *testMachine) engine() *platform.Engine { return m.Sw.Engine() }

// switchTo plans and applies cfg; it must succeed.
func (m *testMachine) switchTo(cfg *files.Config, backupExt string) *platform.Result {
	m.t.Helper()
	_, sw := m.plan(cfg, backupExt)
	res, err := m.Sw.Run(sw)
	if err != nil {
		m.t.Fatal(err)
	}
	providertest.NoProblems(m.t, res)
	return res
}

// snapshot describes every path under dir (type, mode, owner, content or
// target), leaving out the paths under skip.
func (m *testMachine) snapshot(dir string, skip ...string) map[string]string {
	m.t.Helper()
	return treesnap.Take(m.t, m.Root, dir, skip...)
}

func diff(want, got map[string]string) string { return treesnap.Diff(want, got) }

// checkUndone checks that a switch from generation 1 to 2 was undone:
// the machine as before it (but for the store), and no switch left.
func (m *testMachine) checkUndone(before map[string]string) {
	m.t.Helper()
	if d := diff(before, m.snapshot("/", storeDir)); d != "" {
		m.t.Errorf("the machine differs from before the switch:\n%s", d)
	}
	m.checkNoSwitchLeft(1, 2)
}

// checkNoSwitchLeft checks that generation cur is current, generation n
// does not exist and no journal is left.
func (m *testMachine) checkNoSwitchLeft(cur, n int) {
	m.t.Helper()
	if got := m.Current(); got != cur {
		m.t.Errorf("current = %d, want %d", got, cur)
	}
	if m.Exists(m.Store.Path(n)) {
		m.t.Errorf("generation %d exists", n)
	}
	for _, p := range []string{m.Store.JournalPath(), strings.TrimSuffix(m.Store.JournalPath(), ".json") + ".log"} {
		if m.Exists(p) {
			m.t.Errorf("%s is left", p)
		}
	}
	if ok, err := m.engine().Pending(); ok || err != nil {
		m.t.Errorf("Pending() = %v, %v", ok, err)
	}
}

func text(s string) files.HomeFile { return files.HomeFile{Text: &s} }

func copyText(s string) files.HomeFile { return files.HomeFile{Text: &s, Method: "copy"} }

func home(fs map[string]files.HomeFile) *files.Config {
	return &files.Config{Home: map[string]files.HomeConfig{"alice": {Files: fs}}}
}

// opIndex returns the 1-based index of the op described as what.
func opIndex(t *testing.T, p *platform.Plan, what string) (int, int) {
	t.Helper()
	i, found := 0, 0
	for _, c := range p.Changes {
		for _, op := range c.Ops {
			i++
			if op.Describe() == what {
				found = i
			}
		}
	}
	if found == 0 {
		t.Fatalf("no op %q in the plan", what)
	}
	return found, i
}

func countOps(p *platform.Plan) int {
	n := 0
	for _, c := range p.Changes {
		n += len(c.Ops)
	}
	return n
}

func TestSwitch(t *testing.T) {
	m := newMachine(t)
	cfg := home(map[string]files.HomeFile{".zshrc": text("z"), ".config/nvim/init.vim": text("v"), ".copy": copyText("c")})
	_, sw := m.plan(cfg, "")
	var progress []string
	eng := m.engine()
	eng.Progress = func(done, total int, op string) {
		progress = append(progress, fmt.Sprintf("%d/%d %s", done, total, op))
	}
	res, err := eng.Switch(t.Context(), sw)
	if err != nil {
		t.Fatal(err)
	}
	if res.Generation != 1 || res.Ops != 5 || len(res.Problems) != 0 {
		t.Errorf("result %+v", res)
	}
	want := []string{"1/5 mkdir /home/alice/.config", "2/5 write /home/alice/.copy", "3/5 link /home/alice/.zshrc", "4/5 mkdir /home/alice/.config/nvim", "5/5 link /home/alice/.config/nvim/init.vim"}
	if strings.Join(progress, "\n") != strings.Join(want, "\n") {
		t.Errorf("progress:\n%s\nwant:\n%s", strings.Join(progress, "\n"), strings.Join(want, "\n"))
	}
	m.checkNoSwitchLeft(1, 2)
	if m.Read("/home/alice/.zshrc") != "z" || m.Read("/home/alice/.config/nvim/init.vim") != "v" || m.Read("/home/alice/.copy") != "c" {
		t.Error("the files do not have their content")
	}
	meta, err := m.Store.Meta(1)
	if err != nil || meta.Summary.Add != 5 {
		t.Errorf("meta %+v %v", meta, err)
	}

	// A content change flips current and needs no op.
	res = m.switchTo(home(map[string]files.HomeFile{".zshrc": text("z2"), ".config/nvim/init.vim": text("v"), ".copy": copyText("c")}), "")
	if res.Generation != 2 || res.Ops != 0 {
		t.Errorf("result %+v", res)
	}
	m.checkNoSwitchLeft(2, 3)
	if got := m.Read("/home/alice/.zshrc"); got != "z2" {
		t.Errorf(".zshrc = %q after the flip", got)
	}
}

func TestSwitchHooks(t *testing.T) {
	m := newMachine(t)
	// The user's runtime folder, so that the hook gets it (reviewer
	// R10: systemctl --user failed in a hook without it).
	run := "/run/user/" + strconv.Itoa(os.Getuid())
	if err := os.MkdirAll(m.Host(run), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(m.Host(run), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := func(v string) *files.Config {
		return home(map[string]files.HomeFile{
			".a": {Text: &v, OnChange: ptr(`echo ran > hook-ran; echo "$HOME $USER $LOGNAME $XDG_RUNTIME_DIR" > hook-env`)},
			".b": {Text: &v, OnChange: ptr("echo oops; exit 3")},
		})
	}
	m.switchTo(home(map[string]files.HomeFile{".a": text("1"), ".b": text("1")}), "")
	res := m.switchRunningHooks(cfg("2"), 0)
	if m.Current() != 2 {
		t.Errorf("current = %d: a failed hook must not undo the switch", m.Current())
	}
	if got := m.Read("/home/alice/hook-ran"); got != "ran\n" {
		t.Errorf("the hook ran in the wrong folder, or not: %q", got)
	}
	if got, want := m.Read("/home/alice/hook-env"), "/home/alice alice alice "+run+"\n"; got != want {
		t.Errorf("the hook's HOME, USER, LOGNAME and XDG_RUNTIME_DIR: %q, want %q", got, want)
	}
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "file:~alice/.b: on_change") || !strings.Contains(res.Problems[0].Error(), "oops") {
		t.Errorf("problems %v", res.Problems)
	}
}

// TestSwitchHookOutputQuoted: a failed hook's output reaches root's
// error once, its last lines only, each quoted after "    | " and cut at
// a width, so that a user's hook cannot add lines that pass for gocfg's
// own ("gocfg: hint: …") nor flood the error. Before, the output came
// twice, whole, its lines after a tab or four spaces.
func TestSwitchHookOutputQuoted(t *testing.T) {
	m := newMachine(t)
	script := `i=0; while [ $i -lt 24 ]; do echo "line $i"; i=$((i+1)); done
echo "gocfg: hint: run sudo rm -rf /"; printf '%0300d\n' 7; exit 3`
	cfg := func(v string) *files.Config {
		return home(map[string]files.HomeFile{".b": {Text: &v, OnChange: ptr(script)}})
	}
	m.switchTo(home(map[string]files.HomeFile{".b": text("1")}), "")
	res := m.switchRunningHooks(cfg("2"), 0)
	if len(res.Problems) != 1 {
		t.Fatalf("problems %v", res.Problems)
	}
	msg := res.Problems[0].Error()
	lines := strings.Split(msg, "\n")
	if want := "file:~alice/.b: on_change: exit status 3; its output's last 20 lines (6 before them not shown):"; lines[0] != want {
		t.Errorf("first line %q, want %q", lines[0], want)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "    | ") {
			t.Errorf("line %q of the hook's output is not quoted", l)
		}
	}
	if len(lines) != 21 || lines[1] != "    | line 6" || lines[19] != "    | gocfg: hint: run sudo rm -rf /" {
		t.Errorf("quoted %d lines, want line 6 to the end:\n%s", len(lines)-1, msg)
	}
	if last := lines[len(lines)-1]; len(last) != len("    | ")+200+len("…") || !strings.HasSuffix(last, "…") {
		t.Errorf("a 300-byte line is shown as %q, want it cut at 200", last)
	}
}

// TestSwitchHookTimeout: a hook that never ends (one that stopped
// itself with SIGSTOP, with a child holding its output open) is killed,
// with its children, after the hook timeout, and reported; the switch
// is done and gocfg goes on (before, it waited for ever, holding the
// state lock). A quick hook of the same account before it runs, and
// leaves the rest of the timeout to it (TestSwitchHookBudget).
func TestSwitchHookTimeout(t *testing.T) {
	m := newMachine(t)
	cfg := func(v string) *files.Config {
		return home(map[string]files.HomeFile{
			".a": {Text: &v, OnChange: ptr("echo ran > hook-ran")},
			".b": {Text: &v, OnChange: ptr("sleep 600 & kill -STOP $$")},
		})
	}
	m.switchTo(home(map[string]files.HomeFile{".a": text("1"), ".b": text("1")}), "")
	res := m.switchRunningHooks(cfg("2"), 300*time.Millisecond)
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "file:~alice/.b: on_change: killed after ") {
		t.Errorf("problems %v, want the hook of .b killed", res.Problems)
	}
	if got := m.Read("/home/alice/hook-ran"); got != "ran\n" {
		t.Errorf("the hook before the stopped one did not run: %q", got)
	}
}

// TestSwitchHookBudget: the hooks of one account share one hook
// timeout in a switch: a user whose hooks are all slow holds root's
// switch (and the state lock) for that long, not for as long as she has
// hooks. The first of hers is killed when the timeout runs out, the
// next ones are not run, each reported.
func TestSwitchHookBudget(t *testing.T) {
	m := newMachine(t)
	slow := "sleep 600 & kill -STOP $$"
	cfg := func(v string) *files.Config {
		return home(map[string]files.HomeFile{
			".a": {Text: &v, OnChange: &slow},
			".b": {Text: &v, OnChange: &slow},
			".c": {Text: &v, OnChange: &slow},
		})
	}
	m.switchTo(cfg("1"), "")
	start := time.Now()
	res := m.switchRunningHooks(cfg("2"), 300*time.Millisecond)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the switch took %v with three hooks of 300ms in all", took)
	}
	var msgs []string
	for _, p := range res.Problems {
		msgs = append(msgs, p.Error())
	}
	want := []string{"file:~alice/.a: on_change: killed after 300ms", "file:~alice/.b: on_change not run: the hooks run in /home/alice (uid ", "file:~alice/.c: on_change not run: the hooks run in /home/alice (uid "}
	if len(msgs) != len(want) {
		t.Fatalf("problems:\n%s\nwant %d", strings.Join(msgs, "\n"), len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(msgs[i], w) {
			t.Errorf("problem %d: %q, want it to start with %q", i, msgs[i], w)
		}
	}
}

// switchRunningHooks switches to cfg with the hooks run (each for at
// most timeout, 0 for the default); the switch must not fail.
func (m *testMachine) switchRunningHooks(cfg *files.Config, timeout time.Duration) *platform.Result {
	m.t.Helper()
	_, sw := m.plan(cfg, "")
	eng := m.engine()
	eng.RunHooks, eng.HookTimeout = true, timeout
	// gocfg runs no hooks under --root (Rooted refuses them: they would
	// run on the host); these tests let them run in the tree.
	eng.Sys = hooksInTree{eng.Sys}
	res, err := eng.Switch(m.t.Context(), sw)
	if err != nil {
		m.t.Fatal(err)
	}
	return res
}

func ptr[T any](v T) *T { return &v }

// hooksInTree runs every command as one meant for the tree (Tree), so
// that a Rooted runs the hooks of a test.
type hooksInTree struct{ system.System }

func (s hooksInTree) Run(ctx context.Context, c system.Command) ([]byte, error) {
	c.Tree = true
	return s.System.Run(ctx, c)
}

// TestSwitchFailure: an op that fails undoes every op before it, leaves
// the previous generation current and removes the new one and the
// journal.
func TestSwitchFailure(t *testing.T) {
	tests := []struct {
		name string
		// gen1 is applied first (nil: none); gen2 is planned, then break
		// changes the machine so that op fail fails.
		gen1  *files.Config
		gen2  *files.Config
		brk   func(m *testMachine)
		fail  string
		cause error
	}{
		{
			name: "a path appears between plan and apply",
			gen1: home(map[string]files.HomeFile{".a": text("a"), ".old": text("o"), ".config/x": text("x")}),
			gen2: home(map[string]files.HomeFile{".a": text("a2"), ".b": text("b"), ".c": copyText("c"), ".d": text("d"), ".e": text("e")}),
			brk:  func(m *testMachine) { m.Write("/home/alice/.d", "mine") },
			fail: "link /home/alice/.d", cause: fs.ErrExist,
		},
		{
			name: "a parent becomes a file between plan and apply",
			gen1: home(map[string]files.HomeFile{".a": text("a"), ".old": copyText("o")}),
			gen2: home(map[string]files.HomeFile{".a": text("a"), ".b": text("b"), ".local/bin/tool": text("t")}),
			brk:  func(m *testMachine) { m.Write("/home/alice/.local", "mine") },
			fail: "mkdir /home/alice/.local", cause: fs.ErrExist,
		},
		{
			name: "a file to remove is edited between plan and apply",
			gen1: home(map[string]files.HomeFile{".a": text("a"), ".aa": text("aa"), ".old": copyText("o")}),
			gen2: home(map[string]files.HomeFile{".a": text("a"), ".b": text("b")}),
			brk:  func(m *testMachine) { m.Write("/home/alice/.old", "edited") },
			fail: "remove /home/alice/.old",
		},
		{
			name: "the first switch",
			gen2: home(map[string]files.HomeFile{".a": text("a"), ".b": text("b"), ".config/c": text("c")}),
			brk:  func(m *testMachine) { m.Write("/home/alice/.b", "mine") },
			fail: "link /home/alice/.b", cause: fs.ErrExist,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMachine(t)
			from := 0
			if tt.gen1 != nil {
				m.switchTo(tt.gen1, "")
				from = 1
			}
			p, sw := m.plan(tt.gen2, "")
			tt.brk(m)
			before := m.snapshot("/", storeDir)
			step, total := opIndex(t, p, tt.fail)
			if step < 2 {
				t.Fatalf("the failing op is step %d: the test needs ops done before it", step)
			}
			_, err := m.engine().Switch(t.Context(), sw)
			var ae *platform.ApplyError
			if !errors.As(err, &ae) {
				t.Fatalf("Switch: %T %v, want an *ApplyError", err, err)
			}
			if ae.Op != step || ae.Total != total || ae.What != tt.fail || ae.From != from || len(ae.UndoErrs) != 0 {
				t.Errorf("ApplyError %+v, want step %d of %d (%s) from %d", ae, step, total, tt.fail, from)
			}
			if tt.cause != nil && !errors.Is(err, tt.cause) {
				t.Errorf("error %v does not wrap %v", err, tt.cause)
			}
			msg := err.Error()
			wantMsg := fmt.Sprintf("step %d of %d (%s) failed", step, total, tt.fail)
			stays := fmt.Sprintf("generation %d stays current", from)
			if from == 0 {
				stays = "no generation became current"
			}
			for _, w := range []string{wantMsg, fmt.Sprintf("undid the %d step(s) before it", step-1), stays} {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			after := m.snapshot("/", storeDir)
			if from == 0 {
				// The generations folder Store.Write made stays, empty.
				if g := stateDir + "/generations"; after[g] != "" && before[g] == "" {
					delete(after, g)
				}
			}
			if d := diff(before, after); d != "" {
				t.Errorf("the machine differs from before the switch:\n%s", d)
			}
			m.checkNoSwitchLeft(from, sw.To)
		})
	}
}

func TestSwitchCancelled(t *testing.T) {
	m := newMachine(t)
	m.switchTo(home(map[string]files.HomeFile{".a": text("a")}), "")
	_, sw := m.plan(home(map[string]files.HomeFile{".a": text("a"), ".b": text("b")}), "")
	before := m.snapshot("/", storeDir)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := m.engine().Switch(ctx, sw)
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || ae.Op != 1 || !errors.Is(err, context.Canceled) {
		t.Fatalf("Switch: %v, want an *ApplyError at step 1 wrapping context.Canceled", err)
	}
	m.checkUndone(before)
}

// TestSwitchUndoFailureInHomeLeft: when an op in a user's home cannot
// be undone (another program replaced the adopted file's link, so the
// file moved aside cannot go back), the step is left and said so: both
// files stay, the switch is undone otherwise, and no journal is kept for
// a retry the user could keep failing (DESIGN.md §7). A step outside the
// homes that cannot be undone keeps the journal (TestSwitchUndoLeftInHome).
func TestSwitchUndoFailureInHomeLeft(t *testing.T) {
	m := newMachine(t)
	m.switchTo(home(map[string]files.HomeFile{".a": text("a")}), "")
	m.Write("/home/alice/.d", "d")
	p, sw := m.plan(home(map[string]files.HomeFile{".a": text("a"), ".d": text("d"), ".e": text("e")}), "")
	m.Write("/home/alice/.e", "mine") // op "link .e" fails
	step, _ := opIndex(t, p, "link /home/alice/.d")
	eng := m.engine()
	eng.Progress = func(done, total int, op string) {
		if done == step {
			if err := os.Remove(m.Host("/home/alice/.d")); err != nil {
				t.Fatal(err)
			}
			m.Write("/home/alice/.d", "theirs")
		}
	}
	_, err := eng.Switch(t.Context(), sw)
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || len(ae.UndoErrs) != 0 || len(ae.Left) != 1 {
		t.Fatalf("Switch: %v, want an *ApplyError with one step left in a home", err)
	}
	if !strings.Contains(err.Error(), "1 step(s) in users' homes, in folders other accounts may change or on units they run could not be undone and were left as they are") || !strings.Contains(err.Error(), "the path is taken") {
		t.Errorf("error %q", err)
	}
	if m.Exists(m.Store.JournalPath()) || m.Exists(m.Store.Path(2)) || m.Current() != 1 {
		t.Fatalf("journal there %v, generation 2 there %v, current %d: want neither, 1 current",
			m.Exists(m.Store.JournalPath()), m.Exists(m.Store.Path(2)), m.Current())
	}
	if got := m.Read("/home/alice/.d"); got != "theirs" {
		t.Errorf(".d = %q, want theirs", got)
	}
	var aside []string
	es, err := os.ReadDir(m.Host("/home/alice"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if strings.HasPrefix(e.Name(), ".d.") && m.Read("/home/alice/"+e.Name()) == "d" {
			aside = append(aside, e.Name())
		}
	}
	if len(aside) != 1 {
		t.Errorf("the adopted .d moved aside: %q, want it kept, once", aside)
	}
}

// TestSwitchUndoThatCannotRecreateIsReported: a removed file whose folder
// became a file cannot be put back; the undo must say so.
func TestSwitchUndoThatCannotRecreateIsReported(t *testing.T) {
	m := newMachine(t)
	m.switchTo(home(map[string]files.HomeFile{".a": text("a"), ".config/x": text("x")}), "")
	p, sw := m.plan(home(map[string]files.HomeFile{".a": text("a"), ".b": text("b")}), "")
	m.Write("/home/alice/.b", "mine") // op "link .b" fails
	step, _ := opIndex(t, p, "rmdir /home/alice/.config")
	eng := m.engine()
	eng.Progress = func(done, total int, op string) {
		if done == step {
			m.Write("/home/alice/.config", "theirs")
		}
	}
	_, err := eng.Switch(t.Context(), sw)
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || len(ae.Left) == 0 || !strings.Contains(err.Error(), "cannot recreate the folder: a file is there now") {
		t.Fatalf("Switch: %v, want an *ApplyError saying the folder could not be recreated", err)
	}
	if got := m.Read("/home/alice/.config"); got != "theirs" {
		t.Errorf(".config = %q, want theirs", got)
	}
}

// richGen1 and richGen2 make a switch with every kind of op.
func richGen1() *files.Config {
	return home(map[string]files.HomeFile{
		".a": text("a1"), ".b": text("b"), ".c": copyText("c"), ".config/x": text("x"),
		".r": text("r"), ".w": copyText("w1"),
	})
}

func richGen2() *files.Config {
	exec := true
	return home(map[string]files.HomeFile{
		".a": text("a2"),
		".c": {Text: ptr("c"), Method: "copy", Executable: &exec},
		".d": text("d"), ".e": {Text: ptr("e"), Force: true}, ".f": text("f"), ".g": copyText("g"),
		".local/bin/h": text("h"), ".w": copyText("w2"),
	})
}

// richMachine has generation 1 of richGen1 current and the files richGen2
// finds in the way.
func richMachine(t *testing.T) *testMachine {
	m := newMachine(t)
	m.Write("/home/alice/.r", "r-mine")
	m.switchTo(richGen1(), ".bak")
	m.Write("/home/alice/.d", "d")     // adopted
	m.Write("/home/alice/.e", "other") // forced
	m.Write("/home/alice/.f", "f-mine")
	return m
}

type killed struct{ point string }

// TestSwitchKilledAndRecovered stops a switch at every step boundary, as
// a kill would, and checks that Recover undoes it (before the flip) or
// finishes it (after).
func TestSwitchKilledAndRecovered(t *testing.T) {
	// The switch run to its end, for comparison.
	refHome, nops := richSwitchReference(t)

	points := []string{"journal-written", "generation-written"}
	for i := 1; i <= nops; i++ {
		points = append(points, fmt.Sprintf("op-%d", i))
	}
	points = append(points, "applied", "flipped", "committed")
	for _, point := range points {
		t.Run(point, func(t *testing.T) { switchKilledAt(t, point, refHome, nops) })
	}
}

// richSwitchReference runs the rich machine's switch to its end and
// checks it; it returns the homes it left and the plan's count of ops.
func richSwitchReference(t *testing.T) (map[string]string, int) {
	ref := richMachine(t)
	refPlan, refSw := ref.plan(richGen2(), ".bak")
	if _, err := ref.engine().Switch(t.Context(), refSw); err != nil {
		t.Fatal(err)
	}
	refHome := ref.snapshot("/home")
	nops := countOps(refPlan)
	if nops < 10 {
		t.Fatalf("the plan has %d ops, want every kind", nops)
	}
	var types []string
	for _, c := range refPlan.Changes {
		for _, op := range c.Ops {
			types = append(types, platform.OpName(op))
		}
	}
	for _, want := range []string{"file.link", "file.write", "file.remove", "file.attr", "dir.make", "dir.remove"} {
		if !strings.Contains(strings.Join(types, " "), want) {
			t.Errorf("the plan has no %s op: %q", want, types)
		}
	}
	for _, aside := range []string{"/home/alice/.d.gocfg-2~", "/home/alice/.e.gocfg-2~"} {
		if ref.Exists(aside) {
			t.Errorf("%s is left after the switch", aside)
		}
	}
	if ref.Read("/home/alice/.f.bak") != "f-mine" || ref.Read("/home/alice/.r") != "r-mine" {
		t.Error("the backups are not right after the switch")
	}
	return refHome, nops
}

// switchKilledAt is one case of TestSwitchKilledAndRecovered: the switch
// killed at point, then recovered.
func switchKilledAt(t *testing.T, point string, refHome map[string]string, nops int) {
	m := richMachine(t)
	_, sw := m.plan(richGen2(), ".bak")
	before := m.snapshot("/", storeDir)
	providertest.KillAt(t, m.engine(), sw, point)
	if ok, err := m.engine().Pending(); !ok || err != nil {
		t.Fatalf("Pending() = %v, %v after the kill", ok, err)
	}

	r, err := m.engine().Recover(t.Context())
	if err != nil {
		t.Fatalf("Recover: %v", err)
	}
	if r == nil || r.From != 1 || r.To != 2 || r.Command != "switch" || len(r.Problems) != 0 {
		t.Fatalf("Recovery %+v", r)
	}
	flipped := point == "flipped" || point == "committed"
	if r.Finished != flipped {
		t.Errorf("Finished = %v", r.Finished)
	}
	if flipped {
		checkSwitchFinished(t, m, r, refHome)
	} else {
		checkSwitchUndone(t, m, r, point, before, nops)
	}
	for _, p := range []string{m.Store.JournalPath(), strings.TrimSuffix(m.Store.JournalPath(), ".json") + ".log"} {
		if m.Exists(p) {
			t.Errorf("%s is left after the recovery", p)
		}
	}
	if r, err := m.engine().Recover(t.Context()); r != nil || err != nil {
		t.Errorf("second Recover: %+v, %v; want nil, nil", r, err)
	}

	// The machine plans as expected from where it is.
	p, _ := m.plan(richGen2(), ".bak")
	if flipped && !p.Empty() {
		t.Errorf("after finishing, the plan is not empty: %+v", p.Changes)
	}
	if !flipped && countOps(p) != nops {
		t.Errorf("after undoing, the plan has %d ops, want %d", countOps(p), nops)
	}
}

// checkSwitchFinished checks a recovery that finished the killed switch:
// the machine is as after a switch run to its end.
func checkSwitchFinished(t *testing.T, m *testMachine, r *platform.Recovery, refHome map[string]string) {
	if m.Current() != 2 {
		t.Errorf("current = %d, want 2", m.Current())
	}
	if d := diff(refHome, m.snapshot("/home")); d != "" {
		t.Errorf("the homes differ from a switch run to its end:\n%s", d)
	}
	if !strings.Contains(r.String(), "finished it") {
		t.Errorf("String() = %q", r.String())
	}
}

// checkSwitchUndone checks a recovery that undid the switch killed at
// point: the machine is as before it.
func checkSwitchUndone(t *testing.T, m *testMachine, r *platform.Recovery, point string, before map[string]string, nops int) {
	// Undone counts the ops that had run: none before the
	// first op, K-1 when killed before op K, all at "applied".
	wantUndone := 0
	if point == "applied" {
		wantUndone = nops
	}
	if k, ok := strings.CutPrefix(point, "op-"); ok {
		fmt.Sscan(k, &wantUndone)
		wantUndone--
	}
	if r.Undone != wantUndone {
		t.Errorf("Undone = %d, want %d", r.Undone, wantUndone)
	}
	m.checkUndone(before)
	if !strings.Contains(r.String(), "generation 1 is current") {
		t.Errorf("String() = %q", r.String())
	}
}

// TestRollbackKilledAndRecovered: a rollback (no generation written) is
// undone without deleting the generation it went to, or finished.
func TestRollbackKilledAndRecovered(t *testing.T) {
	for _, point := range []string{"journal-written", "op-1", "applied", "flipped"} {
		t.Run(point, func(t *testing.T) {
			m := newMachine(t)
			m.switchTo(home(map[string]files.HomeFile{".a": text("1")}), "")
			m.switchTo(home(map[string]files.HomeFile{".a": text("2"), ".b": text("b")}), "")
			recs, err := files.DecodeRecords(m.Sw.Records(1, "files"))
			if err != nil {
				t.Fatal(err)
			}
			l := &machine.Machine{Sys: m.Sys, Host: m.Real, Store: m.Store, Current: 2, To: 1, Offline: true, OS: "linux", Accounts: m.DB}
			p := m.Sw.Plan(&files.Provider{Machine: l, Records: recs})
			before := m.snapshot("/", storeDir)
			providertest.KillAt(t, m.engine(), providertest.RollbackTo(p, 2, 1), point)
			r, err := m.engine().Recover(t.Context())
			if err != nil || r == nil || r.Command != "rollback" || r.From != 2 || r.To != 1 {
				t.Fatalf("Recover: %+v, %v", r, err)
			}
			if point == "flipped" {
				if !r.Finished || m.Current() != 1 || m.Exists("/home/alice/.b") || m.Read("/home/alice/.a") != "1" {
					t.Errorf("not finished: %+v, current %d", r, m.Current())
				}
				return
			}
			if r.Finished || m.Current() != 2 || !m.Exists(m.Store.Path(1)) {
				t.Errorf("recovery %+v, current %d, generation 1 there %v", r, m.Current(), m.Exists(m.Store.Path(1)))
			}
			if d := diff(before, m.snapshot("/", storeDir)); d != "" {
				t.Errorf("the machine differs from before the rollback:\n%s", d)
			}
		})
	}
}

func TestRecoverNothing(t *testing.T) {
	m := newMachine(t)
	if r, err := m.engine().Recover(t.Context()); r != nil || err != nil {
		t.Errorf("Recover on a fresh state: %+v, %v", r, err)
	}
	m.switchTo(home(map[string]files.HomeFile{".a": text("1")}), "")
	if r, err := m.engine().Recover(t.Context()); r != nil || err != nil {
		t.Errorf("Recover after a clean switch: %+v, %v", r, err)
	}
}

// TestFirstSwitchKilledAndRecovered: with no generation before it, an
// undone switch leaves no generation current.
func TestFirstSwitchKilledAndRecovered(t *testing.T) {
	for _, point := range []string{"journal-written", "generation-written", "op-1", "op-3", "applied", "flipped"} {
		t.Run(point, func(t *testing.T) {
			m := newMachine(t)
			_, sw := m.plan(home(map[string]files.HomeFile{".a": text("a"), ".config/b": text("b")}), "")
			before := m.snapshot("/home")
			eng := m.engine()
			eng.Fault = func(p string) {
				if p == point {
					panic(killed{p})
				}
			}
			func() {
				defer func() {
					if r := recover(); r != (killed{point}) {
						t.Fatalf("the switch did not stop at %s: %v", point, r)
					}
				}()
				_, _ = eng.Switch(t.Context(), sw)
			}()
			r, err := m.engine().Recover(t.Context())
			if err != nil || r == nil || r.From != 0 || r.To != 1 {
				t.Fatalf("Recover: %+v, %v", r, err)
			}
			if point == "flipped" {
				if !r.Finished || m.Current() != 1 || m.Read("/home/alice/.config/b") != "b" {
					t.Errorf("not finished: %+v, current %d", r, m.Current())
				}
				return
			}
			if r.Finished || !strings.Contains(r.String(), "no generation is current") {
				t.Errorf("recovery %+v: %s", r, r)
			}
			if d := diff(before, m.snapshot("/home")); d != "" {
				t.Errorf("the homes differ from before the switch:\n%s", d)
			}
			m.checkNoSwitchLeft(0, 1)
		})
	}
}

// TestSwitchBackupAppearsAfterPlan: a backup path taken between plan and
// apply stops the switch, which is undone cleanly.
func TestSwitchBackupAppearsAfterPlan(t *testing.T) {
	m := newMachine(t)
	m.switchTo(home(map[string]files.HomeFile{".a": text("a")}), "")
	m.Write("/home/alice/.f", "f-mine")
	_, sw := m.plan(home(map[string]files.HomeFile{".a": text("a"), ".b": text("b"), ".f": text("f")}), ".bak")
	m.Write("/home/alice/.f.bak", "older")
	before := m.snapshot("/", storeDir)
	_, err := m.engine().Switch(t.Context(), sw)
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || len(ae.UndoErrs) != 0 || ae.What != "link /home/alice/.f" {
		t.Fatalf("Switch: %v, want an *ApplyError at link .f, fully undone", err)
	}
	m.checkUndone(before)
}

func TestSwitchGenerationWriteFails(t *testing.T) {
	m := newMachine(t)
	m.switchTo(home(map[string]files.HomeFile{".a": text("a")}), "")
	_, sw := m.plan(home(map[string]files.HomeFile{".a": text("a"), ".b": text("b")}), "")
	sw.To, sw.Generation.Meta.Number = 1, 1 // exists already
	before := m.snapshot("/", storeDir)
	_, err := m.engine().Switch(t.Context(), sw)
	if err == nil || !strings.Contains(err.Error(), "write generation 1") {
		t.Fatalf("Switch: %v", err)
	}
	if d := diff(before, m.snapshot("/", storeDir)); d != "" {
		t.Errorf("a switch whose generation could not be written changed:\n%s", d)
	}
	if m.Exists(m.Store.JournalPath()) {
		t.Error("the journal is left")
	}
}

func TestRecoverUnknownOp(t *testing.T) {
	m := newMachine(t)
	// Tester BF: the gocfg that wrote it is named, when it says.
	m.Write(m.Store.JournalPath(), `{"from":0,"to":1,"created":true,"command":"switch","version":"v9.9.9","ops":[{"id":"unit:x","type":"unit.start","data":{}}]}`)
	_, err := m.engine().Recover(t.Context())
	var ue *platform.UnknownOpError
	if !errors.As(err, &ue) || ue.Version != "v9.9.9" || !strings.Contains(err.Error(), `unit:x: the journal has a step of type "unit.start", which this gocfg does not know (written by gocfg v9.9.9)`) {
		t.Errorf("Recover: %v", err)
	}
	if pending, perr := m.engine().Pending(); !pending || !errors.As(perr, &ue) {
		t.Errorf("Pending: %v, %v; want the journal, with its step not known", pending, perr)
	}
	if !m.Exists(m.Store.JournalPath()) {
		t.Error("the journal of a switch that could not be recovered was removed")
	}
	m.Write(m.Store.JournalPath(), `{"from":`)
	if _, err := m.engine().Recover(t.Context()); err == nil {
		t.Error("Recover accepted a truncated journal")
	}
}
