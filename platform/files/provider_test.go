package files

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
)

// aliceLink is where gocfg links alice's rel under --root.
func aliceLink(rel string) string {
	up := strings.Repeat("../", 2+strings.Count(rel, "/"))
	return up + "var/lib/gocfg/current/files/home/alice/" + rel
}

type wantChange struct {
	id     string
	action platform.Action
	drift  bool     // Drift is set
	note   string   // substring of Note; "" means no note
	ops    []string // op types, in order
}

type wantConflict struct {
	id       string
	problem  string   // substring of Problem
	remedies []string // substrings, each in some remedy
	without  string   // substring no remedy has ("" for none)
}

type planCase struct {
	name  string
	setup func(fx *fixture)
	cfg   func(fx *fixture) *Config
	// backupExt and edit adjust the Layout of the plan under test.
	backupExt string
	edit      func(l *machine.Machine)
	changes   []wantChange
	// ordered: the changes come in the order listed, the apply order.
	ordered bool
	// dirs are the folders recorded after the plan (nil: not checked).
	dirs []string
	// apply: the plan is then applied, from generation 1 to 2, before
	// check; it must succeed.
	apply     bool
	conflicts []wantConflict
	warnings  []string // substrings, one per warning
	notes     []string // substrings, one per note
	check     func(t *testing.T, fx *fixture, p *platform.Plan)
}

func runPlanCases(t *testing.T, cases []planCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			if tc.setup != nil {
				tc.setup(fx)
			}
			fx.backupExt, fx.edit = tc.backupExt, tc.edit
			p, _, err := fx.plan(tc.cfg(fx))
			if err != nil {
				t.Fatalf("plan: %v", err)
			}
			checkPlan(t, p, tc)
			if tc.apply {
				if err := fx.apply(p, 1, 2); err != nil {
					t.Fatal(err)
				}
			}
			if tc.check != nil {
				tc.check(t, fx, p)
			}
		})
	}
}

func checkPlan(t *testing.T, p *platform.Plan, tc planCase) {
	t.Helper()
	var want []string
	for _, w := range tc.changes {
		want = append(want, w.id)
	}
	got := ids(p.Changes)
	if !sameSet(got, want) {
		t.Errorf("changes %q, want %q", got, want)
	} else if tc.ordered && !slices.Equal(got, want) {
		t.Errorf("apply order %q, want %q", got, want)
	}
	for _, w := range tc.changes {
		c, ok := changeByID(p.Changes, w.id)
		if !ok {
			continue
		}
		if c.Action != w.action {
			t.Errorf("%s: action %s, want %s", w.id, c.Action, w.action)
		}
		if (c.Drift != "") != w.drift {
			t.Errorf("%s: drift %q, want drift: %v", w.id, c.Drift, w.drift)
		}
		if w.note == "" && c.Note != "" || !strings.Contains(c.Note, w.note) {
			t.Errorf("%s: note %q, want %q", w.id, c.Note, w.note)
		}
		if ops := opsOf(c); !slices.Equal(ops, w.ops) {
			t.Errorf("%s: ops %q, want %q", w.id, ops, w.ops)
		}
	}
	if len(p.Conflicts) != len(tc.conflicts) {
		t.Errorf("conflicts %+v, want %d", p.Conflicts, len(tc.conflicts))
	}
	for _, w := range tc.conflicts {
		i := slices.IndexFunc(p.Conflicts, func(c platform.Conflict) bool { return c.ID == w.id })
		if i < 0 {
			t.Errorf("no conflict for %s", w.id)
			continue
		}
		c := p.Conflicts[i]
		if !strings.Contains(c.Problem, w.problem) {
			t.Errorf("%s: problem %q, want %q", w.id, c.Problem, w.problem)
		}
		if c.Path == "" {
			t.Errorf("%s: the conflict names no path", w.id)
		}
		var texts []string
		for _, r := range c.Remedies {
			texts = append(texts, r.Text)
		}
		all := strings.Join(texts, "\n")
		for _, r := range w.remedies {
			if !strings.Contains(all, r) {
				t.Errorf("%s: remedies %q lack %q", w.id, c.Remedies, r)
			}
		}
		if w.without != "" && strings.Contains(all, w.without) {
			t.Errorf("%s: remedies %q offer %q", w.id, c.Remedies, w.without)
		}
	}
	if got := dirRecords(p); tc.dirs != nil && !slices.Equal(got, tc.dirs) {
		t.Errorf("dir records %q, want %q", got, tc.dirs)
	}
	checkLines(t, "warnings", p.Warnings, tc.warnings)
	checkLines(t, "notes", p.Notes, tc.notes)
}

func checkLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s %q, want %d matching %q", what, got, len(want), want)
		return
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("%s[%d] = %q, want %q", what, i, got[i], want[i])
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// op returns the first op of change id.
func op[T platform.Op](t *testing.T, p *platform.Plan, id string) T {
	t.Helper()
	c, ok := changeByID(p.Changes, id)
	if !ok || len(c.Ops) == 0 {
		t.Fatalf("no op for %s", id)
	}
	o, ok := c.Ops[0].(T)
	if !ok {
		t.Fatalf("%s: op is %T", id, c.Ops[0])
	}
	return o
}

// record returns the plan's record of path.
func record(t *testing.T, p *platform.Plan, path string) *File {
	t.Helper()
	for _, f := range p.Records["files"].(*Records).Files {
		if f.Path == path {
			return f
		}
	}
	return nil
}

func dirRecords(p *platform.Plan) []string {
	var out []string
	for _, d := range p.Records["files"].(*Records).Dirs {
		out = append(out, d.Path)
	}
	return out
}

// switched runs a first switch of cfg.
func switched(cfg func(fx *fixture) *Config) func(fx *fixture) {
	return func(fx *fixture) { fx.switchTo(cfg(fx)) }
}

// homeOf is the configuration of alice's files fs.
func homeOf(fs map[string]HomeFile) func(*fixture) *Config {
	return func(*fixture) *Config { return home(fs) }
}

func one(rel string, f HomeFile) func(*fixture) *Config { return homeOf(map[string]HomeFile{rel: f}) }

func copyText(s string) HomeFile { return HomeFile{Text: &s, Method: "copy"} }

func TestPlanFile(t *testing.T) {
	zshrc := one(".zshrc", text("x"))
	var cases []planCase
	cases = append(cases, planFileAdoptCases(t, zshrc)...)
	cases = append(cases, planFileConflictCases(zshrc)...)
	cases = append(cases, planFileContentCases(zshrc)...)
	runPlanCases(t, cases)
}

// planFileAdoptCases: the plain cases of TestPlanFile: create, no change, and adopting what is there already.
func planFileAdoptCases(t *testing.T, zshrc func(*fixture) *Config) []planCase {
	return []planCase{
		{
			name:    "create",
			cfg:     zshrc,
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Create, ops: []string{"file.link"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				o := op[*LinkOp](t, p, "file:~alice/.zshrc")
				if o.Path != "/home/alice/.zshrc" || o.Target != aliceLink(".zshrc") || o.Prev != nil || o.Aside != nil {
					t.Errorf("op %+v", o)
				}
				if r := record(t, p, "/home/alice/.zshrc"); r == nil || r.Method != "link" || r.Hash != hashBytes([]byte("x")) {
					t.Errorf("record %+v", r)
				}
				if len(p.Contents()) != 1 || p.Contents()[0].Root != "home/alice" || p.Contents()[0].Rel != ".zshrc" {
					t.Errorf("contents %+v", p.Contents())
				}
			},
		},
		{
			name:  "no change",
			setup: switched(zshrc),
			cfg:   zshrc,
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if !p.Empty() {
					t.Errorf("plan not empty")
				}
			},
		},
		{
			name:    "link content change: update, no op",
			setup:   switched(zshrc),
			cfg:     one(".zshrc", text("y")),
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				c, _ := changeByID(p.Changes, "file:~alice/.zshrc")
				if c.Before != "content "+short(hashBytes([]byte("x"))) || c.After != "content "+short(hashBytes([]byte("y"))) {
					t.Errorf("before %q after %q", c.Before, c.After)
				}
			},
		},
		{
			name:  "link exec toggle: update, no op",
			setup: switched(zshrc),
			cfg: func(*fixture) *Config {
				f := text("x")
				f.Executable = ptr(true)
				return home(map[string]HomeFile{".zshrc": f})
			},
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update}},
		},
		{
			name:    "adopt a link already right",
			setup:   func(fx *fixture) { fx.symlink(aliceLink(".zshrc"), "/home/alice/.zshrc") },
			cfg:     zshrc,
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update, note: "already as desired: adopted"}},
		},
		{
			name:    "adopt a file with the same content",
			setup:   func(fx *fixture) { fx.Write("/home/alice/.zshrc", "x") },
			cfg:     zshrc,
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update, note: "same content: adopted", ops: []string{"file.link"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				o := op[*LinkOp](t, p, "file:~alice/.zshrc")
				if o.Aside == nil || o.Aside.Path != "/home/alice/.zshrc.gocfg-1~" || o.Aside.Keep {
					t.Errorf("aside %+v", o.Aside)
				}
			},
		},
		{
			name:    "adopt a copy with the same content and mode",
			setup:   func(fx *fixture) { fx.Write("/home/alice/.zshrc", "x") },
			cfg:     one(".zshrc", copyText("x")),
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update, note: "already as desired: adopted"}},
		},
		{
			name: "a copy with the wrong mode: chmod",
			setup: func(fx *fixture) {
				fx.Write("/home/alice/.zshrc", "x")
				if err := os.Chmod(fx.Host("/home/alice/.zshrc"), 0o600); err != nil {
					t.Fatal(err)
				}
			},
			cfg:     one(".zshrc", copyText("x")),
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update, note: "same content: adopted", ops: []string{"file.attr"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				o := op[*AttrOp](t, p, "file:~alice/.zshrc")
				if o.Mode != 0o644 || o.PrevMode != 0o600 {
					t.Errorf("op %+v", o)
				}
			},
		},
	}
}

// planFileConflictCases: the cases of TestPlanFile where something is in the way or was changed by hand.
func planFileConflictCases(zshrc func(*fixture) *Config) []planCase {
	return []planCase{
		{
			name:  "an unmanaged file in the way: conflict with remedies",
			setup: func(fx *fixture) { fx.Write("/home/alice/.zshrc", "mine") },
			cfg:   zshrc,
			conflicts: []wantConflict{{id: "file:~alice/.zshrc", problem: "a file is in the way",
				remedies: []string{"--backup-ext EXT", "/home/alice/.zshrc.EXT", `force = true on home.alice.files.".zshrc"`}}},
		},
		{
			name:  "an unmanaged symlink in the way: conflict",
			setup: func(fx *fixture) { fx.symlink("elsewhere", "/home/alice/.zshrc") },
			cfg:   zshrc,
			conflicts: []wantConflict{{id: "file:~alice/.zshrc", problem: "a symlink (→ elsewhere) is in the way",
				remedies: []string{"--backup-ext", "force = true"}}},
		},
		{
			name:  "force replaces a file",
			setup: func(fx *fixture) { fx.Write("/home/alice/.zshrc", "mine") },
			cfg:   one(".zshrc", HomeFile{Text: ptr("x"), Force: true}),
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update,
				note: "replaces what is there (force = true; kept, and put back when gocfg lets go)", ops: []string{"file.link"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if o := op[*LinkOp](t, p, "file:~alice/.zshrc"); o.Aside == nil || o.Aside.Keep {
					t.Errorf("aside %+v: want one deleted at commit", o.Aside)
				}
			},
		},
		{
			// tester R: root's gocfg and alice's own manage one path.
			// Each took the other's link for a hand edit; force on
			// both sides flipped it at every switch, and --backup-ext
			// kept the other's link to put back, dangling, later.
			name: "another gocfg's link is neither forced nor backed up",
			setup: func(fx *fixture) {
				fx.symlink("/home/alice/.local/state/gocfg/current/files/home/alice/.zshrc", "/home/alice/.zshrc")
			},
			cfg: one(".zshrc", HomeFile{Text: ptr("x"), Force: true}),
			conflicts: []wantConflict{{id: "file:~alice/.zshrc", problem: "a link of another gocfg (state folder /home/alice/.local/state/gocfg) is here: both would write this path at every switch",
				remedies: []string{"in one of the two configurations only"}, without: "--backup-ext"}},
		},
		{
			name: "another gocfg's link into one of its generations",
			setup: func(fx *fixture) {
				fx.symlink("/srv/gocfg/generations/7/files/home/alice/.zshrc", "/home/alice/.zshrc")
			},
			cfg: one(".zshrc", HomeFile{Text: ptr("x"), Force: true}),
			conflicts: []wantConflict{{id: "file:~alice/.zshrc", problem: "a link of another gocfg (state folder /srv/gocfg)",
				remedies: []string{"in one of the two configurations only"}, without: "force"}},
		},
		{
			name:  "a link into a folder named gocfg that is no state folder",
			setup: func(fx *fixture) { fx.symlink("/srv/gocfg/notes/x", "/home/alice/.zshrc") },
			cfg:   one(".zshrc", HomeFile{Text: ptr("x"), Force: true}),
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update,
				note: "replaces what is there (force = true; kept, and put back when gocfg lets go)", ops: []string{"file.link"}}},
		},
		{
			name: "force does not replace a folder",
			setup: func(fx *fixture) {
				fx.Write("/home/alice/.zshrc/inside", "mine")
			},
			cfg: one(".zshrc", HomeFile{Text: ptr("x"), Force: true}),
			conflicts: []wantConflict{{id: "file:~alice/.zshrc", problem: "a folder is in the way",
				remedies: []string{"--backup-ext"}, without: "force"}},
		},
		{
			name:      "backup-ext moves a file in the way to the backup",
			setup:     func(fx *fixture) { fx.Write("/home/alice/.zshrc", "mine") },
			cfg:       zshrc,
			backupExt: ".bak",
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update,
				note: "backup to /home/alice/.zshrc.bak", ops: []string{"file.link"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if o := op[*LinkOp](t, p, "file:~alice/.zshrc"); o.Aside == nil || !o.Aside.Keep || o.Aside.Path != "/home/alice/.zshrc.bak" {
					t.Errorf("aside %+v", o.Aside)
				}
				if r := record(t, p, "/home/alice/.zshrc"); r == nil || r.Backup != "/home/alice/.zshrc.bak" {
					t.Errorf("record %+v: want the backup recorded", r)
				}
			},
		},
		{
			name:      "backup-ext moves a folder in the way",
			setup:     func(fx *fixture) { fx.Write("/home/alice/.zshrc/inside", "mine") },
			cfg:       zshrc,
			backupExt: ".bak",
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update,
				note: "backup to /home/alice/.zshrc.bak", ops: []string{"file.link"}}},
		},
		{
			name: "backup-ext never clobbers an existing backup",
			setup: func(fx *fixture) {
				fx.Write("/home/alice/.zshrc", "mine")
				fx.Write("/home/alice/.zshrc.bak", "older")
			},
			cfg:       zshrc,
			backupExt: ".bak",
			conflicts: []wantConflict{{id: "file:~alice/.zshrc", problem: "its backup path /home/alice/.zshrc.bak exists already",
				remedies: []string{"another --backup-ext"}}},
		},
		{
			name: "a managed link removed by hand: create with drift",
			setup: func(fx *fixture) {
				fx.switchTo(zshrc(fx))
				fx.remove("/home/alice/.zshrc")
			},
			cfg:     zshrc,
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Create, drift: true, ops: []string{"file.link"}}},
		},
		{
			name: "a managed link pointed elsewhere by hand: conflict",
			setup: func(fx *fixture) {
				fx.switchTo(zshrc(fx))
				fx.remove("/home/alice/.zshrc")
				fx.symlink("mine", "/home/alice/.zshrc")
			},
			cfg:       zshrc,
			conflicts: []wantConflict{{id: "file:~alice/.zshrc", problem: "gocfg's file was changed by hand (link → mine)", remedies: []string{"force = true"}}},
		},
		{
			name: "a copy edited by hand and still wanted: conflict",
			setup: func(fx *fixture) {
				fx.switchTo(one(".zshrc", copyText("x"))(fx))
				fx.Write("/home/alice/.zshrc", "edited")
			},
			cfg: one(".zshrc", copyText("x")),
			conflicts: []wantConflict{{id: "file:~alice/.zshrc", problem: "gocfg's file was changed by hand (file " + short(hashBytes([]byte("edited"))) + ")",
				remedies: []string{"--backup-ext", "force = true"}}},
		},
		{
			name: "a copy edited by hand, forced: update with drift",
			setup: func(fx *fixture) {
				fx.switchTo(one(".zshrc", copyText("x"))(fx))
				fx.Write("/home/alice/.zshrc", "edited")
			},
			cfg: one(".zshrc", HomeFile{Text: ptr("x"), Method: "copy", Force: true}),
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update, drift: true,
				note: "force = true", ops: []string{"file.write"}}},
		},
	}
}

// planFileContentCases: the cases of TestPlanFile on content and method changes, sources, and on_change.
func planFileContentCases(zshrc func(*fixture) *Config) []planCase {
	return []planCase{
		{
			name:    "a copy whose content changes: write over gocfg's own, undoable",
			setup:   switched(one(".zshrc", copyText("x"))),
			cfg:     one(".zshrc", copyText("y")),
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update, ops: []string{"file.write"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				o := op[*WriteOp](t, p, "file:~alice/.zshrc")
				// gocfg's own copy is moved aside and checked against what
				// the plan saw, then deleted at commit.
				if o.Prev != nil || o.Aside == nil || o.Aside.Path != "/home/alice/.zshrc.gocfg-2~" || o.Aside.Keep ||
					o.Aside.Seen == nil || o.Aside.Seen.Kind != "file" || o.Aside.Seen.Size != 1 {
					t.Errorf("op %+v aside %+v", o, o.Aside)
				}
				if o.Object != fx.Store.FilePath(2, "home/alice", ".zshrc") || o.Hash != hashBytes([]byte("y")) {
					t.Errorf("op %+v", o)
				}
			},
		},
		{
			name:    "method link to copy: write over gocfg's link",
			setup:   switched(zshrc),
			cfg:     one(".zshrc", copyText("x")),
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update, ops: []string{"file.write"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if o := op[*WriteOp](t, p, "file:~alice/.zshrc"); o.Aside == nil || o.Aside.Seen == nil || o.Aside.Seen.Target != aliceLink(".zshrc") {
					t.Errorf("aside %+v", o.Aside)
				}
			},
		},
		{
			name: "live links straight to the source",
			cfg: func(fx *fixture) *Config {
				return home(map[string]HomeFile{".zshrc": {Source: ptr(fx.source("zshrc", "x")), Method: "live"}})
			},
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Create, ops: []string{"file.link"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				src := fx.src + "/zshrc"
				if o := op[*LinkOp](t, p, "file:~alice/.zshrc"); o.Target != src {
					t.Errorf("target %q, want the source %q", o.Target, src)
				}
				if c, _ := changeByID(p.Changes, "file:~alice/.zshrc"); c.After != "link → "+src {
					t.Errorf("after %q", c.After)
				}
				if len(p.Contents()) != 0 {
					t.Errorf("a live file stores content: %+v", p.Contents())
				}
			},
		},
		{
			name: "live folder links straight to the source folder",
			cfg: func(fx *fixture) *Config {
				fx.source("nvim/init.vim", "x")
				return home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim"), Method: "live"}})
			},
			changes: []wantChange{
				{id: "dir:~alice/.config", action: platform.Create, ops: []string{"dir.make"}},
				{id: "file:~alice/.config/nvim", action: platform.Create, ops: []string{"file.link"}},
			},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if o := op[*LinkOp](t, p, "file:~alice/.config/nvim"); o.Target != fx.src+"/nvim" {
					t.Errorf("target %q", o.Target)
				}
			},
		},
		{
			name: "a source folder without recursive is linked whole",
			cfg: func(fx *fixture) *Config {
				fx.source("nvim/init.vim", "x")
				fx.source("nvim/lua/a.lua", "y")
				return home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim")}})
			},
			changes: []wantChange{
				{id: "dir:~alice/.config", action: platform.Create, ops: []string{"dir.make"}},
				{id: "file:~alice/.config/nvim", action: platform.Create, ops: []string{"file.link"}},
			},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if c, _ := changeByID(p.Changes, "file:~alice/.config/nvim"); c.After != "link to folder (2 files)" {
					t.Errorf("after %q", c.After)
				}
				if len(p.Contents()) != 2 {
					t.Errorf("contents %+v", p.Contents())
				}
			},
		},
		{
			name:    "on_change runs when a linked file's content changes",
			setup:   switched(homeOf(map[string]HomeFile{".zshrc": {Text: ptr("x"), OnChange: ptr("echo changed")}})),
			cfg:     homeOf(map[string]HomeFile{".zshrc": {Text: ptr("y"), OnChange: ptr("echo changed")}}),
			changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				c, _ := changeByID(p.Changes, "file:~alice/.zshrc")
				if len(c.Hooks) != 1 || c.Hooks[0].Script != "echo changed" || c.Hooks[0].Home != "/home/alice" || c.Hooks[0].UID != -1 {
					t.Errorf("hooks %+v", c.Hooks)
				}
			},
		},
	}
}

func TestPlanRemoval(t *testing.T) {
	both := func(*fixture) *Config { return home(map[string]HomeFile{".zshrc": text("x"), ".old": text("o")}) }
	zshrc := one(".zshrc", text("x"))
	// backedUp switches to both over alice's own .old, which the switch
	// moves to .old.bak: the backup that removing .old puts back.
	backedUp := func(fx *fixture) {
		fx.Write("/home/alice/.old", "mine")
		fx.backupExt = ".bak"
		fx.switchTo(both(fx))
	}
	runPlanCases(t, []planCase{
		{
			name:    "own link: delete",
			setup:   switched(both),
			cfg:     zshrc,
			changes: []wantChange{{id: "file:~alice/.old", action: platform.Delete, ops: []string{"file.remove"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				o := op[*RemoveOp](t, p, "file:~alice/.old")
				if o.Target != aliceLink(".old") || o.Backup != "" || o.Hash != "" {
					t.Errorf("op %+v", o)
				}
				if record(t, p, "/home/alice/.old") != nil {
					t.Error("the removed file is still recorded")
				}
			},
		},
		{
			name:    "own copy: delete, undoable from the current generation",
			setup:   switched(homeOf(map[string]HomeFile{".zshrc": text("x"), ".old": copyText("o")})),
			cfg:     zshrc,
			changes: []wantChange{{id: "file:~alice/.old", action: platform.Delete, ops: []string{"file.remove"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				o := op[*RemoveOp](t, p, "file:~alice/.old")
				if o.Target != "" || o.Hash != hashBytes([]byte("o")) || o.Prev == nil || o.Prev.Object != fx.Store.FilePath(1, "home/alice", ".old") {
					t.Errorf("op %+v", o)
				}
			},
		},
		{
			name:  "with a backup: restore",
			setup: backedUp,
			cfg:   zshrc,
			changes: []wantChange{{id: "file:~alice/.old", action: platform.Restore,
				note: "puts back /home/alice/.old.bak", ops: []string{"file.remove"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if o := op[*RemoveOp](t, p, "file:~alice/.old"); o.Backup != "/home/alice/.old.bak" {
					t.Errorf("op %+v", o)
				}
			},
		},
		{
			name: "removed by hand, backup there: restore with drift",
			setup: func(fx *fixture) {
				backedUp(fx)
				fx.remove("/home/alice/.old")
			},
			cfg: zshrc,
			changes: []wantChange{{id: "file:~alice/.old", action: platform.Restore, drift: true,
				note: "puts back /home/alice/.old.bak", ops: []string{"file.restore"}}},
		},
		{
			name: "removed by hand: delete with drift, no op",
			setup: func(fx *fixture) {
				fx.switchTo(both(fx))
				fx.remove("/home/alice/.old")
			},
			cfg:     zshrc,
			changes: []wantChange{{id: "file:~alice/.old", action: platform.Delete, drift: true}},
		},
		{
			name: "a hand-edited copy: warning, only the record goes",
			setup: func(fx *fixture) {
				fx.switchTo(home(map[string]HomeFile{".zshrc": text("x"), ".old": copyText("o")}))
				fx.Write("/home/alice/.old", "edited")
			},
			cfg:      zshrc,
			changes:  []wantChange{{id: "file:~alice/.old", action: platform.Delete, note: "no longer managed"}},
			warnings: []string{"/home/alice/.old: changed by hand since gocfg wrote it (file " + short(hashBytes([]byte("edited"))) + "); left alone and no longer managed"},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if record(t, p, "/home/alice/.old") != nil {
					t.Error("the file is still recorded")
				}
			},
		},
		{
			name: "a link pointed elsewhere by hand, with a backup: warning names the backup",
			setup: func(fx *fixture) {
				backedUp(fx)
				fx.remove("/home/alice/.old")
				fx.symlink("mine", "/home/alice/.old")
			},
			cfg:      zshrc,
			changes:  []wantChange{{id: "file:~alice/.old", action: platform.Delete, note: "no longer managed"}},
			warnings: []string{"left alone and no longer managed; the backup /home/alice/.old.bak is kept"},
		},
	})
}

func TestPlanDirs(t *testing.T) {
	nested := one(".config/nvim/init.vim", text("x"))
	runPlanCases(t, []planCase{
		{
			name: "missing parents are created, each after its parent",
			cfg:  nested,
			changes: []wantChange{
				{id: "dir:~alice/.config", action: platform.Create, ops: []string{"dir.make"}},
				{id: "dir:~alice/.config/nvim", action: platform.Create, ops: []string{"dir.make"}},
				{id: "file:~alice/.config/nvim/init.vim", action: platform.Create, ops: []string{"file.link"}},
			},
			ordered: true,
			dirs:    []string{"/home/alice/.config", "/home/alice/.config/nvim"},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				// Each waits for alice's account too (the users provider).
				deps := map[string][]string{
					"dir:~alice/.config":                {"user:alice", "dir:~alice"},
					"dir:~alice/.config/nvim":           {"user:alice", "dir:~alice/.config"},
					"file:~alice/.config/nvim/init.vim": {"user:alice", "dir:~alice/.config/nvim"},
				}
				for id, want := range deps {
					if c, _ := changeByID(p.Changes, id); !slices.Equal(c.Deps, want) {
						t.Errorf("%s: deps %q, want %q", id, c.Deps, want)
					}
				}
				o := op[*MkdirOp](t, p, "dir:~alice/.config")
				if o.Mode != 0o755 || o.Parents || o.UID != -1 {
					t.Errorf("mkdir %+v", o)
				}
			},
		},
		{
			name:  "a missing home folder is created under --root, with its parents",
			setup: func(fx *fixture) { fx.remove("/home/alice") },
			cfg:   one(".zshrc", text("x")),
			changes: []wantChange{
				{id: "dir:~alice", action: platform.Create, ops: []string{"dir.make"}},
				{id: "file:~alice/.zshrc", action: platform.Create, ops: []string{"file.link"}},
			},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if o := op[*MkdirOp](t, p, "dir:~alice"); o.Mode != 0o700 || !o.Parents {
					t.Errorf("mkdir %+v", o)
				}
			},
		},
		{
			name:      "a missing home folder outside --root: conflict",
			setup:     func(fx *fixture) { fx.remove("/home/alice") },
			cfg:       nested,
			edit:      func(l *machine.Machine) { l.Offline, l.User, l.Switch.FailFast = false, "alice", true },
			conflicts: []wantConflict{{id: "dir:~alice", problem: "the home folder does not exist", remedies: []string{"users.alice"}}},
			changes:   []wantChange{{id: "file:~alice/.config/nvim/init.vim", action: platform.Create, ops: []string{"file.link"}}},
		},
		{
			name:      "a file where a folder is needed: conflict",
			setup:     func(fx *fixture) { fx.Write("/home/alice/.config", "mine") },
			cfg:       nested,
			edit:      func(l *machine.Machine) { l.Switch.FailFast = true },
			conflicts: []wantConflict{{id: "dir:~alice/.config", problem: "a file is where a folder is needed", remedies: []string{"move it away"}}},
			changes:   []wantChange{{id: "file:~alice/.config/nvim/init.vim", action: platform.Create, ops: []string{"file.link"}}},
		},
		{
			name:  "empty folders gocfg created are removed, deepest first",
			setup: switched(homeOf(map[string]HomeFile{".config/nvim/init.vim": text("x"), ".zshrc": text("z")})),
			cfg:   one(".zshrc", text("z")),
			changes: []wantChange{
				{id: "file:~alice/.config/nvim/init.vim", action: platform.Delete, ops: []string{"file.remove"}},
				{id: "dir:~alice/.config/nvim", action: platform.Delete, ops: []string{"dir.remove"}},
				{id: "dir:~alice/.config", action: platform.Delete, ops: []string{"dir.remove"}},
			},
			ordered: true,
			dirs:    []string{},
		},
		{
			name: "a folder holding a user's file is kept, and stays recorded",
			setup: func(fx *fixture) {
				fx.switchTo(home(map[string]HomeFile{".config/nvim/init.vim": text("x"), ".zshrc": text("z")}))
				fx.Write("/home/alice/.config/mine", "mine")
			},
			cfg: one(".zshrc", text("z")),
			changes: []wantChange{
				{id: "file:~alice/.config/nvim/init.vim", action: platform.Delete, ops: []string{"file.remove"}},
				{id: "dir:~alice/.config/nvim", action: platform.Delete, ops: []string{"dir.remove"}},
			},
			dirs: []string{"/home/alice/.config"},
		},
		{
			name:  "a folder gocfg created and still needs stays recorded",
			setup: switched(homeOf(map[string]HomeFile{".config/a": text("a"), ".config/b": text("b")})),
			cfg:   one(".config/a", text("a")),
			changes: []wantChange{
				{id: "file:~alice/.config/b", action: platform.Delete, ops: []string{"file.remove"}},
			},
			dirs: []string{"/home/alice/.config"},
		},
		{
			name: "a symlinked folder inside the home is used as it is",
			setup: func(fx *fixture) {
				fx.mkdir("/home/alice/dotfiles/config")
				fx.symlink("dotfiles/config", "/home/alice/.config")
			},
			cfg: one(".config/app.conf", text("x")),
			changes: []wantChange{
				{id: "file:~alice/.config/app.conf", action: platform.Create, ops: []string{"file.link"}},
			},
		},
		becomesFolder("copy", copyText("c")),
		becomesFolder("link", text("c")),
		{
			name: "a linked folder becomes recursive: unlink, mkdir, link each file",
			setup: func(fx *fixture) {
				fx.source("nvim/init.vim", "x")
				fx.switchTo(home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim")}}))
			},
			cfg: func(fx *fixture) *Config {
				return home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim"), Recursive: true}})
			},
			changes: []wantChange{
				{id: "file:~alice/.config/nvim", action: platform.Delete, ops: []string{"file.remove"}},
				{id: "dir:~alice/.config/nvim", action: platform.Create, ops: []string{"dir.make"}},
				{id: "file:~alice/.config/nvim/init.vim", action: platform.Create, ops: []string{"file.link"}},
			},
			apply: true,
		},
		{
			name: "a recursive folder becomes a linked folder: unlink each file, rmdir, link",
			setup: func(fx *fixture) {
				fx.source("nvim/init.vim", "x")
				fx.switchTo(home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim"), Recursive: true}}))
			},
			cfg: func(fx *fixture) *Config {
				return home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim")}})
			},
			changes: []wantChange{
				{id: "file:~alice/.config/nvim/init.vim", action: platform.Delete, ops: []string{"file.remove"}},
				{id: "dir:~alice/.config/nvim", action: platform.Delete, ops: []string{"dir.remove"}},
				{id: "file:~alice/.config/nvim", action: platform.Create, ops: []string{"file.link"}},
			},
			apply: true,
		},
	})
}

// becomesFolder is the case of a managed file (kind) that becomes a
// folder: deleted, then the folder made, then its files linked.
func becomesFolder(kind string, was HomeFile) planCase {
	return planCase{
		name:  "a managed " + kind + " becomes a folder: delete, then mkdir, then its files",
		setup: switched(one(".config", was)),
		cfg:   one(".config/x", text("x")),
		changes: []wantChange{
			{id: "file:~alice/.config", action: platform.Delete, ops: []string{"file.remove"}},
			{id: "dir:~alice/.config", action: platform.Create, ops: []string{"dir.make"}},
			{id: "file:~alice/.config/x", action: platform.Create, ops: []string{"file.link"}},
		},
		ordered: true,
		apply:   true,
		check: func(t *testing.T, fx *fixture, p *platform.Plan) {
			if got := fx.readlink("/home/alice/.config/x"); got != aliceLink(".config/x") {
				t.Errorf("link %q", got)
			}
		},
	}
}

func TestPlanUnprivileged(t *testing.T) {
	cfg := func(fx *fixture) *Config {
		return &Config{
			Home: map[string]HomeConfig{
				"alice": {Files: map[string]HomeFile{".zshrc": text("a")}},
				"bob":   {Files: map[string]HomeFile{".zshrc": text("b")}},
			},
			Etc: map[string]EtcFile{"motd": {Text: ptr("hello")}},
		}
	}
	unprivileged := func(l *machine.Machine) { l.Offline, l.Privileged, l.User = false, false, "alice" }
	runPlanCases(t, []planCase{
		{
			name: "only the invoking user's files, with notes for the rest",
			cfg:  cfg,
			edit: unprivileged,
			changes: []wantChange{
				{id: "file:~alice/.zshrc", action: platform.Create, ops: []string{"file.link"}},
			},
			notes: []string{
				"home.bob: the files of user bob need root; skipped",
				"environment.etc: files under /etc need root; skipped",
			},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				o := op[*LinkOp](t, p, "file:~alice/.zshrc")
				if o.Target != "/var/lib/gocfg/current/files/home/alice/.zshrc" || o.UID != -1 || o.GID != -1 {
					t.Errorf("op %+v: want an absolute link, ownership left alone", o)
				}
				if _, ok := p.Areas["home/bob"]; ok {
					t.Error("bob's area is planned")
				}
			},
		},
		{
			// tester R: users.alice.home moved her files into bob's
			// home, which she could write to; her run changes no
			// account, so her files go in her account's home.
			name:  "users.<her>.home is not where her own run puts her files",
			setup: func(fx *fixture) { fx.mkdir("/home/bob") },
			cfg: func(*fixture) *Config {
				return &Config{Home: map[string]HomeConfig{"alice": {Files: map[string]HomeFile{".zshrc": text("a")}}},
					Users: map[string]UserConfig{"alice": {Home: ptr("/home/bob")}}}
			},
			edit: unprivileged,
			changes: []wantChange{
				{id: "file:~alice/.zshrc", action: platform.Create, ops: []string{"file.link"}},
			},
			notes: []string{"users.alice.home is /home/bob, neither $HOME nor the account's home, and changing the account needs root: her files go in /home/alice, the account's home"},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if o := op[*LinkOp](t, p, "file:~alice/.zshrc"); o.Path != "/home/alice/.zshrc" {
					t.Errorf("the link goes to %s, want /home/alice/.zshrc", o.Path)
				}
			},
		},
		{
			name: "other scopes' records are carried, not removed",
			setup: func(fx *fixture) {
				fx.mkdir("/home/bob")
				fx.switchTo(cfg(fx))
			},
			cfg:  func(*fixture) *Config { return &Config{} },
			edit: unprivileged,
			changes: []wantChange{
				{id: "file:~alice/.zshrc", action: platform.Delete, ops: []string{"file.remove"}},
			},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				for _, path := range []string{"/home/bob/.zshrc", "/etc/motd"} {
					if record(t, p, path) == nil {
						t.Errorf("%s is no longer recorded", path)
					}
				}
			},
		},
	})
}

func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(fx *fixture)
		cfg   func(fx *fixture) *Config
		check func(t *testing.T, err error)
	}{
		{
			name:  "a symlinked parent leading outside the root",
			setup: func(fx *fixture) { fx.symlink("/", "/home/alice/.config") },
			cfg:   one(".config/x", text("x")),
			check: pathError("/home/alice/.config", "does not lead to a folder inside /home/alice"),
		},
		{
			name:  "a symlinked parent climbing out of the root",
			setup: func(fx *fixture) { fx.symlink("../../../..", "/home/alice/.config") },
			cfg:   one(".config/x", text("x")),
			check: pathError("/home/alice/.config", "does not lead to a folder inside /home/alice"),
		},
		{
			name: "a symlinked parent leading out of the home",
			setup: func(fx *fixture) {
				fx.mkdir("/srv/config")
				fx.symlink("../../srv/config", "/home/alice/.config")
			},
			cfg:   one(".config/x", text("x")),
			check: pathError("/home/alice/.config", "is a symlink to /srv/config, outside /home/alice"),
		},
		{
			name: "a deeper symlinked parent leading out of the home",
			setup: func(fx *fixture) {
				fx.mkdir("/srv/config")
				fx.mkdir("/home/alice/.config")
				fx.symlink("/srv", "/home/alice/.config/app")
			},
			cfg:   one(".config/app/x", text("x")),
			check: pathError("/home/alice/.config/app", "does not lead to a folder inside /home/alice"),
		},
		{
			name:  "a dangling symlinked parent",
			setup: func(fx *fixture) { fx.symlink("nowhere", "/home/alice/.config") },
			cfg:   one(".config/x", text("x")),
			check: pathError("/home/alice/.config", "does not lead to a folder inside /home/alice"),
		},
		{
			name:  "a target with ..",
			cfg:   one("../bob/.zshrc", text("x")),
			check: configError(`home.alice.files."../bob/.zshrc"`, `".."`),
		},
		{
			name:  "an absolute target",
			cfg:   func(*fixture) *Config { return &Config{Etc: map[string]EtcFile{"/etc/motd": {Text: ptr("x")}}} },
			check: configError(`environment.etc."/etc/motd"`, "absolute"),
		},
		{
			name:  "the same file defined twice",
			cfg:   homeOf(map[string]HomeFile{".zshrc": text("x"), "./.zshrc": text("y")}),
			check: configError(`home.alice.files.".zshrc"`, `~alice/.zshrc is also defined by home.alice.files."./.zshrc"`),
		},
		{
			name: "two users sharing a home define the same file",
			cfg: func(*fixture) *Config {
				return &Config{
					Home: map[string]HomeConfig{
						"alice": {Files: map[string]HomeFile{".zshrc": text("a")}},
						"bob":   {Files: map[string]HomeFile{".zshrc": text("b")}},
					},
					Users: map[string]UserConfig{"bob": {Home: ptr("/home/alice")}},
				}
			},
			check: configError(`home.bob.files.".zshrc"`, "also defined by home.alice.files"),
		},
		{
			name: "a file inside a linked folder",
			cfg: func(fx *fixture) *Config {
				fx.source("nvim/init.vim", "x")
				return home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim")}, ".config/nvim/extra.vim": text("y")})
			},
			check: configError(`home.alice.files.".config/nvim/extra.vim"`, "inside /home/alice/.config/nvim"),
		},
		{
			// .config is checked first, for .config/a: the folders above
			// the file are still looked at up to a checked one.
			name: "a file inside a linked folder, beside a file checked first",
			cfg: func(fx *fixture) *Config {
				fx.source("nvim/init.vim", "x")
				return home(map[string]HomeFile{".config/a": text("a"), ".config/nvim": {Source: ptr(fx.src + "/nvim")}, ".config/nvim/sub/extra.vim": text("y")})
			},
			check: configError(`home.alice.files.".config/nvim/sub/extra.vim"`, "inside /home/alice/.config/nvim"),
		},
		{
			name: "a recursive folder's file also defined alone",
			cfg: func(fx *fixture) *Config {
				fx.source("nvim/init.vim", "x")
				return home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim"), Recursive: true}, ".config/nvim/init.vim": text("y")})
			},
			check: configError(`home.alice.files.".config/nvim/init.vim"`, "also defined by"),
		},
		{
			name: "method copy on a folder without recursive",
			cfg: func(fx *fixture) *Config {
				fx.source("nvim/init.vim", "x")
				return home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim"), Method: "copy"}})
			},
			check: configError(`home.alice.files.".config/nvim"`, `method = "copy" copies single files`),
		},
		{
			name:  "text and source together",
			cfg:   one(".zshrc", HomeFile{Text: ptr("x"), Source: ptr("/nowhere")}),
			check: configError(`home.alice.files.".zshrc"`, "set exactly one of text and source"),
		},
		{
			name:  "neither text nor source",
			cfg:   one(".zshrc", HomeFile{}),
			check: configError(`home.alice.files.".zshrc"`, "set exactly one of text and source"),
		},
		{
			name:  "live with text",
			cfg:   one(".zshrc", HomeFile{Text: ptr("x"), Method: "live"}),
			check: configError(`home.alice.files.".zshrc"`, `method = "live" links to a source file`),
		},
		{
			name: "a missing source",
			cfg: func(fx *fixture) *Config {
				return home(map[string]HomeFile{".zshrc": {Source: ptr(fx.src + "/missing")}})
			},
			check: configError(`home.alice.files.".zshrc"`, "no such file or directory"),
		},
		{
			name: "a mode that is not octal",
			cfg: func(*fixture) *Config {
				return &Config{Etc: map[string]EtcFile{"motd": {Text: ptr("x"), Mode: ptr("rw-r--r--")}}}
			},
			check: configError(`environment.etc."motd".mode`, "is not an octal file mode"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			if tt.setup != nil {
				tt.setup(fx)
			}
			// Refused whole: a home is not held (see TestPlanHeld).
			fx.edit = func(l *machine.Machine) { l.Switch.FailFast = true }
			before := fx.snapshot("/")
			p, _, err := fx.plan(tt.cfg(fx))
			if err == nil {
				t.Fatalf("plan succeeded: %+v", p.Changes)
			}
			tt.check(t, err)
			if d := diffSnapshots(before, fx.snapshot("/")); d != "" {
				t.Errorf("a failed plan changed the machine:\n%s", d)
			}
		})
	}
}

func pathError(path, problem string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var pe *PathError
		if !errors.As(err, &pe) {
			t.Fatalf("error %T %v, want a *PathError", err, err)
		}
		if pe.Path != path || !strings.Contains(pe.Problem, problem) || pe.Hint == "" {
			t.Errorf("error %+v, want path %s and problem %q", pe, path, problem)
		}
	}
}

// wantPlanError checks the error of a plan that must fail: as check
// says, with hint in its Hint when it is a *platform.ConfigError.
func wantPlanError(t *testing.T, err error, check func(t *testing.T, err error), hint string) {
	t.Helper()
	if err == nil {
		t.Fatal("plan succeeded")
	}
	check(t, err)
	var ce *platform.ConfigError
	if errors.As(err, &ce) && !strings.Contains(ce.Hint, hint) {
		t.Errorf("hint %q, want %q", ce.Hint, hint)
	}
}

func configError(option, msg string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ce *platform.ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("error %T %v, want a *platform.ConfigError", err, err)
		}
		if ce.Option != option || !strings.Contains(ce.Msg, msg) {
			t.Errorf("error %+v, want option %s and message %q", ce, option, msg)
		}
	}
}

func TestCleanRel(t *testing.T) {
	tests := []struct {
		in, want, why string
	}{
		{in: ".zshrc", want: ".zshrc"},
		{in: ".config/nvim/init.vim", want: ".config/nvim/init.vim"},
		{in: "./.zshrc", want: ".zshrc"},
		{in: "a//b", want: "a/b"},
		{in: "a/./b/", want: "a/b"},
		{in: "..foo", want: "..foo"},
		{in: "a/..b", want: "a/..b"},
		{in: "", why: "empty"},
		{in: "/etc/motd", why: "absolute"},
		{in: "..", why: `".."`},
		{in: "../x", why: `".."`},
		{in: "a/../b", why: `".."`},
		{in: "a/..", why: `".."`},
		{in: "a/b/../../..", why: `".."`},
		{in: ".", why: "the folder itself"},
		{in: "./", why: "the folder itself"},
		{in: "./.", why: "the folder itself"},
	}
	for _, tt := range tests {
		got, why := cleanRel(tt.in)
		if tt.why == "" {
			if why != "" || got != tt.want {
				t.Errorf("cleanRel(%q) = %q, %q; want %q", tt.in, got, why, tt.want)
			}
			continue
		}
		if got != "" || !strings.Contains(why, tt.why) {
			t.Errorf("cleanRel(%q) = %q, %q; want a reason with %q", tt.in, got, why, tt.why)
		}
	}
}

// TestPlanFromRecords plans a rollback: the desired state is an older
// generation's records, and applying it writes no generation.
func TestPlanFromRecords(t *testing.T) {
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{".a": text("1"), ".config/c": copyText("c1")}))
	fx.switchTo(home(map[string]HomeFile{".a": text("2"), ".b": text("b"), ".config/c": copyText("c2")}))
	recs, err := DecodeRecords(fx.Sw.Records(1, "files"))
	if err != nil {
		t.Fatal(err)
	}
	l := &machine.Machine{Sys: fx.Sys, Host: fx.Real, Store: fx.Store, Current: 2, To: 1, Offline: true, OS: "linux", Accounts: fx.DB}
	p := fx.Sw.Plan(&Provider{Machine: l, Records: recs})
	checkPlan(t, p, planCase{changes: []wantChange{
		{id: "file:~alice/.b", action: platform.Delete, ops: []string{"file.remove"}},
		{id: "file:~alice/.a", action: platform.Update},
		{id: "file:~alice/.config/c", action: platform.Update, ops: []string{"file.write"}},
	}})
	if len(p.Contents()) != 0 {
		t.Errorf("a rollback stores contents: %+v", p.Contents())
	}
	o := op[*WriteOp](t, p, "file:~alice/.config/c")
	if o.Object != fx.Store.FilePath(1, "home/alice", ".config/c") {
		t.Errorf("write from %s, want generation 1's copy", o.Object)
	}
	if _, err := fx.Sw.Run(providertest.RollbackTo(p, 2, 1)); err != nil {
		t.Fatal(err)
	}
	if fx.Current() != 1 || fx.Exists("/home/alice/.b") || fx.Read("/home/alice/.a") != "1" || fx.Read("/home/alice/.config/c") != "c1" {
		t.Errorf("after the rollback: current %d, .b there %v, .a %q, .config/c %q", fx.Current(), fx.Exists("/home/alice/.b"), fx.Read("/home/alice/.a"), fx.Read("/home/alice/.config/c"))
	}
	// And the rolled-back machine plans clean against generation 1.
	p = fx.Sw.Plan(&Provider{Machine: fx.layout(), Records: recs})
	if !p.Empty() || len(p.Conflicts) > 0 {
		t.Errorf("plan after the rollback: %q %+v", ids(p.Changes), p.Conflicts)
	}
}

// TestSwitchEndToEnd applies a plan of every kind of change and plans
// again: the machine then matches, and the plan is empty.
func TestSwitchEndToEnd(t *testing.T) {
	fx := newFixture(t)
	fx.Write("/home/alice/.kept", "mine")
	fx.backupExt = ".bak"
	first := func(fx *fixture) *Config {
		return home(map[string]HomeFile{
			".zshrc": text("z1"), ".kept": text("k"), ".config/nvim/init.vim": text("v"),
			".copy": copyText("c1"), ".bin/tool": {Text: ptr("#!/bin/sh\n"), Executable: ptr(true), Method: "copy"},
		})
	}
	fx.switchTo(first(fx))
	fx.backupExt = ""
	if got := fx.Read("/home/alice/.kept.bak"); got != "mine" {
		t.Errorf(".kept.bak = %q", got)
	}
	if fi, err := os.Lstat(fx.Host("/home/alice/.bin/tool")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf(".bin/tool: %v %v", fi, err)
	}
	if got := fx.Read("/home/alice/.zshrc"); got != "z1" {
		t.Errorf(".zshrc = %q", got)
	}
	if p, _, err := fx.plan(first(fx)); err != nil || !p.Empty() {
		t.Fatalf("second plan: %v %q", err, ids(p.Changes))
	}
	fx.switchTo(home(map[string]HomeFile{".zshrc": text("z2"), ".copy": copyText("c2")}))
	if got := fx.Read("/home/alice/.zshrc"); got != "z2" {
		t.Errorf(".zshrc = %q", got)
	}
	if got := fx.Read("/home/alice/.copy"); got != "c2" {
		t.Errorf(".copy = %q", got)
	}
	if got := fx.Read("/home/alice/.kept"); got != "mine" || fx.Exists("/home/alice/.kept.bak") {
		t.Errorf(".kept = %q, want the backup put back", got)
	}
	for _, gone := range []string{"/home/alice/.config", "/home/alice/.bin"} {
		if fx.Exists(gone) {
			t.Errorf("%s is still there", gone)
		}
	}
	if _, err := os.Stat(fx.Host("/home/alice/.zshrc")); errors.Is(err, fs.ErrNotExist) {
		t.Error(".zshrc dangles")
	}
}

// TestRecursiveToLinkedFolderWithBackupExt: with --backup-ext, turning a
// recursive folder into a linked one must not back up gocfg's own folder
// (which the same plan empties and removes).
func TestRecursiveToLinkedFolderWithBackupExt(t *testing.T) {
	fx := newFixture(t)
	fx.source("nvim/init.vim", "x")
	fx.switchTo(home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim"), Recursive: true}}))
	fx.backupExt = ".bak"
	p, l, err := fx.plan(home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim")}}))
	if err != nil {
		t.Fatal(err)
	}
	if err := fx.apply(p, l.Current, l.To); err != nil {
		t.Fatal(err)
	}
	if fx.Exists("/home/alice/.config/nvim.bak") || fx.Read("/home/alice/.config/nvim/init.vim") != "x" {
		t.Error("want .config/nvim linked, no backup")
	}
}

// TestPlanPrivileged: run as root, files get their owners from the
// machine's user database, and a user's store area is private to them.
func TestPlanPrivileged(t *testing.T) {
	fx := newFixture(t)
	fx.SetAccounts("root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n", "root:x:0:\nstaff:x:50:alice\n")
	fx.edit = func(l *machine.Machine) { l.Privileged = true }
	cfg := &Config{
		Home: map[string]HomeConfig{"alice": {Files: map[string]HomeFile{".zshrc": text("z"), ".netrc": copyText("secret"), ".config/app": text("a")}}},
		Etc:  map[string]EtcFile{"motd": {Text: ptr("hello"), Method: "copy", Mode: ptr("0640"), User: "alice", Group: ptr("staff")}, "issue": {Text: ptr("hi")}},
	}
	p, l, err := fx.plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if o := op[*LinkOp](t, p, "file:~alice/.zshrc"); o.UID != 1000 || o.GID != 1000 {
		t.Errorf("link owner %d:%d", o.UID, o.GID)
	}
	if o := op[*WriteOp](t, p, "file:/etc/motd"); o.UID != 1000 || o.GID != 50 || o.Mode != 0o640 {
		t.Errorf("motd %+v", o)
	}
	if o := op[*MkdirOp](t, p, "dir:~alice/.config"); o.UID != 1000 || o.GID != 1000 {
		t.Errorf("mkdir owner %d:%d", o.UID, o.GID)
	}
	if a := p.Areas["home/alice"]; a.UID != 0 || a.Reader != 1000 || !a.Private {
		t.Errorf("alice's area %+v", a)
	}
	if a := p.Areas["etc"]; a.UID != 0 || a.Private {
		t.Errorf("etc's area %+v", a)
	}
	if err := fx.apply(p, l.Current, l.To); err != nil {
		t.Fatal(err)
	}
	snap := fx.snapshot("/")
	for path, want := range map[string]string{
		"/etc/motd":           `file -rw-r----- 1000:50 "hello"`,
		"/home/alice/.netrc":  `file -rw-r--r-- 1000:1000 "secret"`,
		"/home/alice/.config": `dir drwxr-xr-x 1000:1000`,
		// Root's, read by alice alone through an ACL (the mask shows as
		// the group bits).
		"/var/lib/gocfg/store/home-alice": `dir drwxr-x--- 0:0`,
	} {
		if snap[path] != want {
			t.Errorf("%s: %s, want %s", path, snap[path], want)
		}
	}
	if !strings.HasPrefix(snap["/home/alice/.zshrc"], "link 1000:1000 → ") {
		t.Errorf(".zshrc: %s", snap["/home/alice/.zshrc"])
	}
	// A second plan finds everything in place, owners included.
	if p, _, err := fx.plan(cfg); err != nil || !p.Empty() {
		t.Errorf("second plan: %v %q", err, ids(p.Changes))
	}
	// An owner that does not exist is a configuration error.
	cfg.Etc["motd"] = EtcFile{Text: ptr("hello"), User: "nobody-here"}
	if _, _, err := fx.plan(cfg); err == nil || !strings.Contains(err.Error(), "user nobody-here does not exist") {
		t.Errorf("plan: %v", err)
	}
	cfg.Etc["motd"] = EtcFile{Text: ptr("hello"), Group: ptr("nogroup-here")}
	if _, _, err := fx.plan(cfg); err == nil || !strings.Contains(err.Error(), "group nogroup-here does not exist") {
		t.Errorf("plan: %v", err)
	}
}

// TestPlanSourceHashes: a source's hash is recorded with its stat
// signature once it is older than a second, and a changed source is seen.
func TestPlanSourceHashes(t *testing.T) {
	fx := newFixture(t)
	src := fx.source("zshrc", "one")
	fx.source("nvim/init.vim", "v")
	cfg := home(map[string]HomeFile{".zshrc": {Source: &src}, ".config/nvim": {Source: ptr(fx.src + "/nvim")}})
	p := fx.switchTo(cfg)
	if r := record(t, p, "/home/alice/.zshrc"); r == nil || r.Sig != nil {
		t.Errorf("a source changed just now is recorded with a signature: %+v", r)
	}
	fx.now = func() time.Time { return time.Now().Add(time.Hour) }
	p, l, err := fx.plan(home(map[string]HomeFile{".zshrc": {Source: &src, Method: "copy"}, ".config/nvim": {Source: ptr(fx.src + "/nvim")}}))
	if err != nil {
		t.Fatal(err)
	}
	if r := record(t, p, "/home/alice/.zshrc"); r == nil || r.Sig == nil || r.Hash != hashBytes([]byte("one")) {
		t.Fatalf("record %+v: want the signature recorded", r)
	}
	if r := record(t, p, "/home/alice/.config/nvim"); r == nil || len(r.Files) != 1 || r.Files[0].Sig == nil {
		t.Fatalf("record %+v: want the folder's file signatures recorded", r)
	}
	if err := fx.apply(p, l.Current, l.To); err != nil {
		t.Fatal(err)
	}
	cfg2 := home(map[string]HomeFile{".zshrc": {Source: &src, Method: "copy"}, ".config/nvim": {Source: ptr(fx.src + "/nvim")}})
	if p, _, err := fx.plan(cfg2); err != nil || !p.Empty() {
		t.Fatalf("plan with unchanged sources: %v %q", err, ids(p.Changes))
	}
	fx.source("zshrc", "two") // same size, new signature
	p, _, err = fx.plan(cfg2)
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, p, planCase{changes: []wantChange{{id: "file:~alice/.zshrc", action: platform.Update, ops: []string{"file.write"}}}})
	if r := record(t, p, "/home/alice/.zshrc"); r == nil || r.Hash != hashBytes([]byte("two")) {
		t.Errorf("record %+v", r)
	}
}

func TestSameParent(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"a", "b", true},
		{".config/a", ".config/b", true},
		{"/home/x/.config/a", "/home/x/.config/bb", true},
		{".config/a", ".configx/a", false},
		{".config/a", "a", false},
		{".config/a/b", ".config/b", false},
		{"x/a", "y/a", false},
	} {
		if got := sameParent(tc.a, tc.b); got != tc.want {
			t.Errorf("sameParent(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestLinkTargetUnder: the target of a recursive folder's file, made from
// its folder's store path, is linkTarget's, with and without --root.
func TestLinkTargetUnder(t *testing.T) {
	fx := newFixture(t)
	for _, offline := range []bool{true, false} {
		m := fx.layout()
		m.Offline = offline
		l := newSite(m, platform.Facts{})
		for _, tc := range []struct{ dir, root, rel, name string }{
			{"/home/alice", "home/alice", ".config", "a"},
			{"/home/alice", "home/alice", ".config/nvim", "lua/init.lua"},
			{"/etc", "etc", "ssh", "sshd_config.d/10.conf"},
			{"/", "home/root", "x", "y"},
		} {
			p := tc.dir + "/" + tc.rel + "/" + tc.name
			want := l.linkTarget(p, tc.root, tc.rel+"/"+tc.name)
			got := l.linkTargetUnder(p, l.Store.CurrentFilePath(tc.root, tc.rel), tc.name)
			if !cleanName(tc.name) || got != want {
				t.Errorf("offline %v: linkTargetUnder(%q) = %q, linkTarget %q", offline, p, got, want)
			}
		}
	}
	for _, name := range []string{"", ".", "..", "a//b", "a/./b", "a/../b", "a/", "/a"} {
		if cleanName(name) {
			t.Errorf("cleanName(%q) = true", name)
		}
	}
}
