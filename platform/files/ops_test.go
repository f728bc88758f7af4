package files

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
)

const (
	zshrc = "/home/alice/.zshrc"
	// uid and gid of alice in these tests (the tests run as root).
	alice = 1000
)

// object makes a content-store-like file /objects/<name> on the machine.
func (fx *fixture) object(name, content string, mode fs.FileMode) string {
	fx.t.Helper()
	p := "/objects/" + name
	fx.Write(p, content)
	fx.chmod(p, mode)
	return p
}

func (fx *fixture) chmod(machine string, mode fs.FileMode) {
	fx.t.Helper()
	if err := os.Chmod(fx.Host(machine), mode); err != nil {
		fx.t.Fatal(err)
	}
}

func (fx *fixture) chown(machine string, uid, gid int) {
	fx.t.Helper()
	if err := os.Lchown(fx.Host(machine), uid, gid); err != nil {
		fx.t.Fatal(err)
	}
}

// gocfgCopy puts at p a copy gocfg wrote of content, alice's and of
// mode, its object in the store: what an op that replaces it records as
// Prev.
func (fx *fixture) gocfgCopy(p, content string, mode fs.FileMode) *Prev {
	fx.t.Helper()
	fx.Write(p, content)
	fx.chmod(p, mode)
	fx.chown(p, alice, alice)
	return &Prev{Object: fx.object(content, content, 0o444), Mode: mode, UID: alice, GID: alice}
}

// killedAfterMove is a kill of an op's Apply once it moved p aside.
func killedAfterMove(p, aside string) func(fx *fixture) {
	return func(fx *fixture) {
		if err := fx.Sys.Rename(p, aside); err != nil {
			fx.t.Fatal(err)
		}
	}
}

// asideGone checks that the commit deleted aside.
func asideGone(aside string) func(t *testing.T, fx *fixture) {
	return func(t *testing.T, fx *fixture) {
		if fx.Exists(aside) {
			t.Error("the aside is still there after the commit")
		}
	}
}

type opCase struct {
	name  string
	setup func(fx *fixture) platform.Op
	// applied checks the machine after Apply.
	applied func(t *testing.T, fx *fixture)
	// partial, when set, does part of what Apply does (a kill midway).
	partial func(fx *fixture)
	// committed checks the machine after Apply and Commit.
	committed func(t *testing.T, fx *fixture)
}

func opCases() []opCase {
	return []opCase{
		{
			name:  "link: create",
			setup: func(fx *fixture) platform.Op { return &LinkOp{Path: zshrc, Target: "t", UID: -1, GID: -1} },
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.readlink(zshrc); got != "t" {
					t.Errorf("link → %q", got)
				}
			},
		},
		{
			name:  "link: create, owned by alice",
			setup: func(fx *fixture) platform.Op { return &LinkOp{Path: zshrc, Target: "t", UID: alice, GID: alice} },
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.snapshot("/home")[zshrc]; got != "link 1000:1000 → t" {
					t.Errorf("%s: %s", zshrc, got)
				}
			},
		},
		{
			name: "link: replace gocfg's link",
			setup: func(fx *fixture) platform.Op {
				fx.symlink("old", zshrc)
				return &LinkOp{Path: zshrc, Target: "new", UID: -1, GID: -1, Prev: &Prev{Target: "old"}}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.readlink(zshrc); got != "new" {
					t.Errorf("link → %q", got)
				}
			},
		},
		{
			name: "link: replace gocfg's copy",
			setup: func(fx *fixture) platform.Op {
				return &LinkOp{Path: zshrc, Target: "new", UID: -1, GID: -1, Prev: fx.gocfgCopy(zshrc, "old", 0o600)}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.readlink(zshrc); got != "new" {
					t.Errorf("link → %q", got)
				}
			},
		},
		{
			name: "link: a file in the way moved aside",
			setup: func(fx *fixture) platform.Op {
				fx.Write(zshrc, "mine")
				return &LinkOp{Path: zshrc, Target: "t", UID: -1, GID: -1, Aside: &Aside{Path: zshrc + ".gocfg-2~"}}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.readlink(zshrc); got != "t" || fx.Read(zshrc+".gocfg-2~") != "mine" {
					t.Errorf("link → %q, aside %v", got, fx.Exists(zshrc+".gocfg-2~"))
				}
			},
			partial:   killedAfterMove(zshrc, zshrc+".gocfg-2~"),
			committed: asideGone(zshrc + ".gocfg-2~"),
		},
		{
			name: "link: a folder in the way kept as a backup",
			setup: func(fx *fixture) platform.Op {
				fx.Write(zshrc+"/inside", "mine")
				return &LinkOp{Path: zshrc, Target: "t", UID: -1, GID: -1, Aside: &Aside{Path: zshrc + ".bak", Keep: true}}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.readlink(zshrc); got != "t" || fx.Read(zshrc+".bak/inside") != "mine" {
					t.Errorf("link → %q", got)
				}
			},
			partial: killedAfterMove(zshrc, zshrc+".bak"),
			committed: func(t *testing.T, fx *fixture) {
				if fx.Read(zshrc+".bak/inside") != "mine" {
					t.Error("the backup is gone after the commit")
				}
			},
		},
		{
			name: "write: create",
			setup: func(fx *fixture) platform.Op {
				obj := fx.object("new", "new", 0o444)
				return &WriteOp{Path: zshrc, Object: obj, Hash: hashBytes([]byte("new")), Mode: 0o640, UID: alice, GID: alice}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.snapshot("/home")[zshrc]; got != `file -rw-r----- 1000:1000 "new"` {
					t.Errorf("%s: %s", zshrc, got)
				}
			},
		},
		{
			name: "write: replace gocfg's copy",
			setup: func(fx *fixture) platform.Op {
				prev := fx.gocfgCopy(zshrc, "old", 0o755)
				obj := fx.object("new", "new", 0o444)
				return &WriteOp{Path: zshrc, Object: obj, Hash: hashBytes([]byte("new")), Mode: 0o644, UID: alice, GID: alice, Prev: prev}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.snapshot("/home")[zshrc]; got != `file -rw-r--r-- 1000:1000 "new"` {
					t.Errorf("%s: %s", zshrc, got)
				}
			},
		},
		{
			name: "write: replace gocfg's link",
			setup: func(fx *fixture) platform.Op {
				fx.symlink("old", zshrc)
				obj := fx.object("new", "new", 0o444)
				return &WriteOp{Path: zshrc, Object: obj, Hash: hashBytes([]byte("new")), Mode: 0o644, UID: -1, GID: -1, Prev: &Prev{Target: "old"}}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.Read(zshrc); got != "new" {
					t.Errorf("content %q", got)
				}
			},
		},
		{
			name: "write: a link in the way moved aside",
			setup: func(fx *fixture) platform.Op {
				fx.symlink("theirs", zshrc)
				obj := fx.object("new", "new", 0o444)
				return &WriteOp{Path: zshrc, Object: obj, Hash: hashBytes([]byte("new")), Mode: 0o644, UID: -1, GID: -1, Aside: &Aside{Path: zshrc + ".gocfg-2~"}}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.Read(zshrc); got != "new" || fx.readlink(zshrc+".gocfg-2~") != "theirs" {
					t.Errorf("content %q", got)
				}
			},
			partial:   killedAfterMove(zshrc, zshrc+".gocfg-2~"),
			committed: asideGone(zshrc + ".gocfg-2~"),
		},
		{
			name: "remove: gocfg's link",
			setup: func(fx *fixture) platform.Op {
				fx.symlink("t", zshrc)
				return &RemoveOp{Path: zshrc, Target: "t"}
			},
			applied: func(t *testing.T, fx *fixture) {
				if fx.Exists(zshrc) {
					t.Error("still there")
				}
			},
		},
		{
			name: "remove: gocfg's copy",
			setup: func(fx *fixture) platform.Op {
				return &RemoveOp{Path: zshrc, Hash: hashBytes([]byte("c")), Prev: fx.gocfgCopy(zshrc, "c", 0o600)}
			},
			applied: func(t *testing.T, fx *fixture) {
				if fx.Exists(zshrc) {
					t.Error("still there")
				}
			},
		},
		{
			name: "remove: gocfg's link, backup put back",
			setup: func(fx *fixture) platform.Op {
				fx.symlink("t", zshrc)
				fx.Write(zshrc+".bak", "mine")
				return &RemoveOp{Path: zshrc, Target: "t", Backup: zshrc + ".bak"}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.Read(zshrc); got != "mine" || fx.Exists(zshrc+".bak") {
					t.Errorf("content %q, backup there %v", got, fx.Exists(zshrc+".bak"))
				}
			},
			partial: func(fx *fixture) { fx.remove(zshrc) },
		},
		{
			name: "restore: the backup of a path removed by hand",
			setup: func(fx *fixture) platform.Op {
				fx.Write(zshrc+".bak", "mine")
				return &RestoreOp{Path: zshrc, Backup: zshrc + ".bak"}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.Read(zshrc); got != "mine" || fx.Exists(zshrc+".bak") {
					t.Errorf("content %q", got)
				}
			},
		},
		{
			name: "attr: mode and owner",
			setup: func(fx *fixture) platform.Op {
				fx.Write(zshrc, "c")
				return &AttrOp{Path: zshrc, Mode: 0o600 | fs.ModeSetgid, UID: alice, GID: alice, PrevMode: 0o644, PrevUID: 0, PrevGID: 0}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.snapshot("/home")[zshrc]; got != `file grw------- 1000:1000 "c"` {
					t.Errorf("%s: %s", zshrc, got)
				}
			},
		},
		{
			name: "mkdir",
			setup: func(fx *fixture) platform.Op {
				return &MkdirOp{Path: "/home/alice/.config", Mode: 0o750, UID: alice, GID: alice}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.snapshot("/home")["/home/alice/.config"]; got != "dir drwxr-x--- 1000:1000" {
					t.Errorf(".config: %s", got)
				}
			},
		},
		{
			name: "mkdir: a home folder with its parents there",
			setup: func(fx *fixture) platform.Op {
				return &MkdirOp{Path: "/home/bob", Mode: 0o700, UID: -1, GID: -1, Parents: true}
			},
			applied: func(t *testing.T, fx *fixture) {
				if got := fx.snapshot("/home")["/home/bob"]; got != "dir drwx------ 0:0" {
					t.Errorf("/home/bob: %s", got)
				}
			},
		},
		{
			name: "rmdir: an empty folder",
			setup: func(fx *fixture) platform.Op {
				fx.mkdir("/home/alice/.config")
				fx.chmod("/home/alice/.config", 0o750)
				fx.chown("/home/alice/.config", alice, alice)
				return &RmdirOp{Path: "/home/alice/.config", Mode: 0o750, UID: alice, GID: alice}
			},
			applied: func(t *testing.T, fx *fixture) {
				if fx.Exists("/home/alice/.config") {
					t.Error("still there")
				}
			},
		},
	}
}

// sameHome checks that /home is as before after what.
func sameHome(t *testing.T, fx *fixture, before map[string]string, what string) {
	t.Helper()
	if d := diffSnapshots(before, fx.snapshot("/home")); d != "" {
		t.Errorf("%s changed /home:\n%s", what, d)
	}
}

// undoTo undoes op, which must succeed and leave /home as before (what
// says when, for the messages).
func undoTo(t *testing.T, fx *fixture, op platform.Op, before map[string]string, what string) {
	t.Helper()
	if err := op.Undo(t.Context(), fx.Sys); err != nil {
		t.Fatalf("%s: undo: %v", what, err)
	}
	sameHome(t, fx, before, what)
}

// eachOp runs test on the op of each case, as a subtest with a new
// fixture where the case set the op up.
func eachOp(t *testing.T, test func(t *testing.T, fx *fixture, tc opCase, op platform.Op)) {
	t.Helper()
	for _, tc := range opCases() {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			test(t, fx, tc, tc.setup(fx))
		})
	}
}

// TestOpApplyUndo: Apply then Undo leaves the machine exactly as it was;
// Undo without Apply, or twice, changes nothing.
func TestOpApplyUndo(t *testing.T) {
	ctx := t.Context()
	eachOp(t, func(t *testing.T, fx *fixture, tc opCase, op platform.Op) {
		before := fx.snapshot("/home")

		undoTo(t, fx, op, before, "undo without apply")

		if err := op.Apply(ctx, fx.Sys); err != nil {
			t.Fatalf("apply: %v", err)
		}
		tc.applied(t, fx)
		undoTo(t, fx, op, before, "apply then undo")
		undoTo(t, fx, op, before, "a second undo")

		// Applied again after the undo, the op does the same.
		if err := op.Apply(ctx, fx.Sys); err != nil {
			t.Fatalf("apply after undo: %v", err)
		}
		tc.applied(t, fx)
	})
}

// TestOpUndoPartial: Undo after a kill in the middle of Apply puts the
// machine back.
func TestOpUndoPartial(t *testing.T) {
	eachOp(t, func(t *testing.T, fx *fixture, tc opCase, op platform.Op) {
		if tc.partial == nil {
			t.Skip("no partial apply to undo")
		}
		before := fx.snapshot("/home")
		tc.partial(fx)
		undoTo(t, fx, op, before, "undo after a partial apply")
	})
}

// TestOpCommit: Commit deletes what was moved aside unless it is a
// backup, and is safe twice; the ops with nothing to commit change
// nothing.
func TestOpCommit(t *testing.T) {
	ctx := t.Context()
	eachOp(t, func(t *testing.T, fx *fixture, tc opCase, op platform.Op) {
		if err := op.Apply(ctx, fx.Sys); err != nil {
			t.Fatalf("apply: %v", err)
		}
		applied := fx.snapshot("/home")
		if c, ok := op.(platform.Committer); ok {
			for range 2 {
				if err := c.Commit(ctx, fx.Sys); err != nil {
					t.Fatalf("commit: %v", err)
				}
			}
		}
		if tc.committed != nil {
			tc.committed(t, fx)
			return
		}
		if d := diffSnapshots(applied, fx.snapshot("/home")); d != "" {
			t.Errorf("commit changed:\n%s", d)
		}
	})
}

// TestOpJournalRoundTrip: every op survives the journal's JSON encoding.
func TestOpJournalRoundTrip(t *testing.T) {
	want := []string{"dir.make", "dir.remove", "file.attr", "file.check", "file.keep-edited", "file.link", "file.remove", "file.restore", "file.write"}
	var have []string
	for _, typ := range platform.OpTypes() {
		if strings.HasPrefix(typ, "file.") || strings.HasPrefix(typ, "dir.") {
			have = append(have, typ)
		}
	}
	if !slices.Equal(have, want) {
		t.Errorf("registered op types %q, want %q", have, want)
	}
	for _, tc := range opCases() {
		fx := newFixture(t)
		op := tc.setup(fx)
		back := providertest.JournalRoundTrip(t, op)
		if platform.OpName(back) == "" || !strings.Contains(back.Describe(), "/home/") {
			t.Errorf("%s: type %q, describe %q", tc.name, platform.OpName(back), back.Describe())
		}
	}
}

func TestRemoveOpRefusesAChangedPath(t *testing.T) {
	tests := []struct {
		name  string
		setup func(fx *fixture) platform.Op
	}{
		{"a link pointed elsewhere", func(fx *fixture) platform.Op {
			fx.symlink("elsewhere", zshrc)
			return &RemoveOp{Path: zshrc, Target: "t"}
		}},
		{"a link replaced by a file", func(fx *fixture) platform.Op {
			fx.Write(zshrc, "t")
			return &RemoveOp{Path: zshrc, Target: "t"}
		}},
		{"a copy edited", func(fx *fixture) platform.Op {
			fx.Write(zshrc, "edited")
			return &RemoveOp{Path: zshrc, Hash: hashBytes([]byte("c")), Prev: &Prev{Object: fx.object("c", "c", 0o444), Mode: 0o644, UID: -1, GID: -1}}
		}},
		{"a copy replaced by a link", func(fx *fixture) platform.Op {
			fx.symlink("/objects/c", zshrc)
			return &RemoveOp{Path: zshrc, Hash: hashBytes([]byte("c")), Prev: &Prev{Object: fx.object("c", "c", 0o444), Mode: 0o644, UID: -1, GID: -1}}
		}},
		{"a copy replaced by a folder", func(fx *fixture) platform.Op {
			fx.mkdir(zshrc)
			return &RemoveOp{Path: zshrc, Hash: hashBytes([]byte("c"))}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.Write(zshrc+".bak", "backup")
			op := tt.setup(fx)
			before := fx.snapshot("/home")
			err := op.Apply(t.Context(), fx.Sys)
			if err == nil || !strings.Contains(err.Error(), "changed since the plan was made") || !strings.Contains(err.Error(), zshrc) {
				t.Errorf("apply: %v, want a refusal naming the path", err)
			}
			undoTo(t, fx, op, before, "a refused remove, undone")
		})
	}
}

func TestRmdirOpLeavesANonEmptyFolder(t *testing.T) {
	fx := newFixture(t)
	fx.Write("/home/alice/.config/mine", "mine")
	op := &RmdirOp{Path: "/home/alice/.config", Mode: 0o755, UID: -1, GID: -1}
	before := fx.snapshot("/home")
	if err := op.Apply(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	undoTo(t, fx, op, before, "rmdir of a non-empty folder, undone")
	// Not a folder any more: left alone too.
	fx.Write("/home/alice/.cache", "a file")
	if err := (&RmdirOp{Path: "/home/alice/.cache"}).Apply(t.Context(), fx.Sys); err != nil || fx.Read("/home/alice/.cache") != "a file" {
		t.Errorf("rmdir of a file: %v", err)
	}
}

func TestMkdirOpUndoLeavesParents(t *testing.T) {
	fx := newFixture(t)
	op := &MkdirOp{Path: "/srv/homes/bob", Mode: 0o700, UID: -1, GID: -1, Parents: true}
	if err := op.Apply(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	if err := op.Undo(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	if fx.Exists("/srv/homes/bob") || !fx.Exists("/srv/homes") {
		t.Errorf("after undo: bob there %v, /srv/homes there %v; want the folder gone, its parents kept", fx.Exists("/srv/homes/bob"), fx.Exists("/srv/homes"))
	}
	// A folder that is no longer empty is not removed by the undo.
	if err := op.Apply(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	fx.Write("/srv/homes/bob/file", "x")
	if err := op.Undo(t.Context(), fx.Sys); err != nil || !fx.Exists("/srv/homes/bob/file") {
		t.Errorf("undo of a filled folder: %v", err)
	}
}

func TestOpRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(fx *fixture) platform.Op
		want  string
	}{
		{"link: the aside path is taken", func(fx *fixture) platform.Op {
			fx.Write(zshrc, "mine")
			fx.Write(zshrc+".bak", "older")
			return &LinkOp{Path: zshrc, Target: "t", UID: -1, GID: -1, Aside: &Aside{Path: zshrc + ".bak", Keep: true}}
		}, "already exists; not overwriting it"},
		{"link: something appeared at the path", func(fx *fixture) platform.Op {
			fx.Write(zshrc, "mine")
			return &LinkOp{Path: zshrc, Target: "t", UID: -1, GID: -1}
		}, "something appeared there"},
		{"write: the aside path is taken", func(fx *fixture) platform.Op {
			fx.Write(zshrc, "mine")
			fx.Write(zshrc+".gocfg-2~", "older")
			return &WriteOp{Path: zshrc, Object: fx.object("new", "new", 0o444), Hash: hashBytes([]byte("new")), Mode: 0o644, UID: -1, GID: -1, Aside: &Aside{Path: zshrc + ".gocfg-2~"}}
		}, "already exists"},
		{"restore: the path is taken", func(fx *fixture) platform.Op {
			fx.Write(zshrc, "new")
			fx.Write(zshrc+".bak", "mine")
			return &RestoreOp{Path: zshrc, Backup: zshrc + ".bak"}
		}, "exists; not putting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			op := tt.setup(fx)
			before := fx.snapshot("/home")
			err := op.Apply(t.Context(), fx.Sys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("apply: %v, want %q", err, tt.want)
			}
			sameHome(t, fx, before, "a refused op")
			undoTo(t, fx, op, before, "a refused op, undone")
		})
	}
}

// TestUndoDoesNotTouchWhatChangedSince: Undo reverses only what the op
// left; a path changed after the op is left alone.
func TestUndoDoesNotTouchWhatChangedSince(t *testing.T) {
	ctx := t.Context()
	fx := newFixture(t)
	link := &LinkOp{Path: zshrc, Target: "t", UID: -1, GID: -1}
	if err := link.Apply(ctx, fx.Sys); err != nil {
		t.Fatal(err)
	}
	fx.remove(zshrc)
	fx.symlink("mine", zshrc)
	if err := link.Undo(ctx, fx.Sys); err != nil {
		t.Fatal(err)
	}
	if got := fx.readlink(zshrc); got != "mine" {
		t.Errorf("undo removed a link it did not make: → %q", got)
	}

	fx.remove(zshrc)
	w := &WriteOp{Path: zshrc, Object: fx.object("new", "new", 0o444), Hash: hashBytes([]byte("new")), Mode: 0o644, UID: -1, GID: -1}
	if err := w.Apply(ctx, fx.Sys); err != nil {
		t.Fatal(err)
	}
	fx.Write(zshrc, "edited")
	if err := w.Undo(ctx, fx.Sys); err != nil {
		t.Fatal(err)
	}
	if got := fx.Read(zshrc); got != "edited" {
		t.Errorf("undo removed an edited file: %q", got)
	}

	// An aside whose place was taken again is reported, not overwritten.
	fx.remove(zshrc)
	fx.Write(zshrc, "theirs")
	fi, err := fx.Sys.Lstat(zshrc)
	if err != nil {
		t.Fatal(err)
	}
	a := &LinkOp{Path: zshrc, Target: "t", UID: -1, GID: -1, Aside: &Aside{Path: zshrc + ".bak", Keep: true, Seen: seenInfo(fi)}}
	if err := a.Apply(ctx, fx.Sys); err != nil {
		t.Fatal(err)
	}
	fx.remove(zshrc)
	fx.Write(zshrc, "newer")
	if err := a.Undo(ctx, fx.Sys); err == nil || !strings.Contains(err.Error(), "the path is taken") {
		t.Errorf("undo: %v, want the path reported taken", err)
	}
	if fx.Read(zshrc) != "newer" || fx.Read(zshrc+".bak") != "theirs" {
		t.Error("undo overwrote a file")
	}
}

// TestAttrUndoOnlyItsOwn (tester BD, reviewer R24): the undo of a chmod
// sets the mode back only where the file has the op's mode, the owner
// only where it has the op's owner; a mode she set since (the op never
// ran), an admin's chown, or a link in the file's place, is left as it
// is, silently.
func TestAttrUndoOnlyItsOwn(t *testing.T) {
	ctx := t.Context()
	fx := newFixture(t)
	for _, tc := range []struct {
		op                    *AttrOp
		since                 func()
		keptSince, undoneHave string
	}{
		{&AttrOp{Path: zshrc, Mode: 0o755, UID: -1, GID: -1, PrevMode: 0o644, PrevUID: -1, PrevGID: -1},
			func() { fx.chmod(zshrc, 0o600) }, "file -rw------- ", "file -rw-r--r-- "},
		{&AttrOp{Path: zshrc, Mode: 0o644, UID: alice, GID: alice, PrevMode: 0o644, PrevUID: 0, PrevGID: 0},
			func() { fx.chown(zshrc, 0, alice) }, " 0:1000 ", " 0:0 "},
		// setuid: Apply sets it after the owner, so it sticks; the undo
		// of an op that changes no owner chowns nothing, which would
		// clear hers (reviewer R26)
		{&AttrOp{Path: zshrc, Mode: fs.ModeSetuid | 0o755, UID: 0, GID: 0, PrevMode: 0o755, PrevUID: 0, PrevGID: 0},
			func() { fx.chmod(zshrc, fs.ModeSetuid|0o700) }, "file urwx------ ", "file -rwxr-xr-x "},
	} {
		fx.Write(zshrc, "c")
		fx.chmod(zshrc, 0o644)
		fx.chown(zshrc, 0, 0)
		tc.since() // the op never ran
		for _, want := range []string{tc.keptSince, tc.undoneHave} {
			if err := tc.op.Undo(ctx, fx.Sys); err != nil {
				t.Fatal(err)
			}
			if got := fx.snapshot("/home")[zshrc]; !strings.Contains(got, want) {
				t.Errorf("%s: %s, want %q", tc.op.Describe(), got, want)
			}
			if err := tc.op.Apply(ctx, fx.Sys); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Given to alice, then given back: no setuid or setgid bit goes back
	// on what she may have written into it, hers or the earlier mode's
	// (reviewer R28).
	for _, tc := range []struct {
		op    *AttrOp
		since fs.FileMode
	}{
		{&AttrOp{Path: zshrc, Mode: 0o755, UID: alice, GID: alice, PrevMode: 0o755, PrevUID: 0, PrevGID: 0}, fs.ModeSetuid | fs.ModeSetgid | 0o755},
		{&AttrOp{Path: zshrc, Mode: 0o755, UID: alice, GID: alice, PrevMode: fs.ModeSetuid | 0o755, PrevUID: 0, PrevGID: 0}, 0o755},
	} {
		fx.Write(zshrc, "c")
		fx.chown(zshrc, 0, 0)
		fx.chmod(zshrc, tc.op.PrevMode)
		if err := tc.op.Apply(ctx, fx.Sys); err != nil {
			t.Fatal(err)
		}
		fx.Write(zshrc, "her program")
		fx.chmod(zshrc, tc.since)
		if err := tc.op.Undo(ctx, fx.Sys); err != nil {
			t.Fatal(err)
		}
		if got := fx.snapshot("/home")[zshrc]; !strings.HasPrefix(got, "file -rwxr-xr-x 0:0 ") {
			t.Errorf("given back from %04o: %s, want root's without setuid or setgid", tc.op.PrevMode, got)
		}
	}

	fx.remove(zshrc)
	fx.symlink("elsewhere", zshrc)
	if err := (&AttrOp{Path: zshrc, Mode: 0o755, UID: -1, GID: -1, PrevMode: 0o644}).Undo(ctx, fx.Sys); err != nil {
		t.Errorf("a link in its place: %v, want it left silently", err)
	}
}

// TestUndoKeepsEditSaysSo: a copy that replaced another (moved aside as
// the plan saw it) and was edited before the undo is kept as edited,
// and the undo says so with where the earlier content is
// (platform.ErrKept), instead of counting it undone (tester H).
func TestUndoKeepsEditSaysSo(t *testing.T) {
	ctx := t.Context()
	fx := newFixture(t)
	fx.Write(zshrc, "old")
	fi, err := fx.Sys.Lstat(zshrc)
	if err != nil {
		t.Fatal(err)
	}
	w := &WriteOp{Path: zshrc, Object: fx.object("new", "new", 0o444), Hash: hashBytes([]byte("new")), Mode: 0o644, UID: -1, GID: -1,
		Aside: &Aside{Path: zshrc + ".gocfg-2~", Seen: seenInfo(fi)}}
	if err := w.Apply(ctx, fx.Sys); err != nil {
		t.Fatal(err)
	}
	fx.Write(zshrc, "edited")
	err = w.Undo(ctx, fx.Sys)
	if !errors.Is(err, platform.ErrKept) || !strings.Contains(err.Error(), "beside it as "+zshrc+".gocfg-2~") {
		t.Fatalf("undo of an edited copy: %v, want it kept and said so", err)
	}
	if fx.Read(zshrc) != "edited" || fx.Read(zshrc+".gocfg-2~") != "old" {
		t.Errorf("after the undo: %q, beside it %q", fx.Read(zshrc), fx.Read(zshrc+".gocfg-2~"))
	}
}

// TestRemoveOpUndoLinkOwner (tester BE): the undo of a link's removal
// makes it again with its owner (the user's, in her home), not root's.
func TestRemoveOpUndoLinkOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving a link to another uid needs root")
	}
	fx := newFixture(t)
	fx.symlink("t", zshrc)
	op := &RemoveOp{Path: zshrc, Target: "t", Prev: &Prev{Target: "t", UID: 4242, GID: 4343, LinkOwned: true}}
	if err := op.Apply(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	if err := op.Undo(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(fx.Host(zshrc))
	if err != nil || fx.readlink(zshrc) != "t" {
		t.Fatalf("%s after the undo: %v, %v", zshrc, fi, err)
	}
	if uid, gid := filestat.Owner(fi); uid != 4242 || gid != 4343 {
		t.Errorf("%s after the undo is %d:%d, want 4242:4343", zshrc, uid, gid)
	}
}

// TestRemoveOpOfALinkCarriesItsOwner (reviewer R30): the plan's removal
// of a link in a home gives its op the link's owner (Prev), which the
// undo puts back (TestRemoveOpUndoLinkOwner).
func TestRemoveOpOfALinkCarriesItsOwner(t *testing.T) {
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{".x": text("x")}))
	plan, _, err := fx.plan(home(nil))
	if err != nil {
		t.Fatal(err)
	}
	c := providertest.Change(t, plan, "file:~alice/.x")
	op, ok := c.Ops[0].(*RemoveOp)
	if !ok || op.Target == "" || op.Prev == nil || op.Prev.Target != op.Target || !op.Prev.LinkOwned {
		t.Fatalf("the removal of ~/.x: %#v (Prev %+v), want its owner in Prev", c.Ops[0], op.Prev)
	}
}
