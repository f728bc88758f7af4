package files

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// editStored does to the stored file behind a link what `chmod u+w` and
// vim's :w! do: the same file, new content, the mode put back.
func (fx *fixture) editStored(n int, root, rel, content string) {
	fx.t.Helper()
	p := fx.Host(fx.Store.FilePath(n, root, rel))
	if err := os.Chmod(p, 0o644); err != nil {
		fx.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		fx.t.Fatal(err)
	}
	if err := os.Chmod(p, 0o444); err != nil {
		fx.t.Fatal(err)
	}
}

// An ordinary user's plan shows the stored contents of the current
// generation that were edited in place as updates; the switch restores
// them and keeps the edits beside the links, never over an earlier
// copy. Before, the plan had no changes and the edits stayed in every
// generation using the object.
func TestPlanEditedStoredContent(t *testing.T) {
	fx := newFixture(t)
	fx.source("nvim/init.lua", "-- init\n")
	fx.source("nvim/lua/plug.lua", "-- plug\n")
	cfg := home(map[string]HomeFile{
		".bashrc":      text("# bashrc\n"),
		".profile":     text("# profile\n"),
		".config/nvim": {Source: ptr(filepath.Join(fx.src, "nvim"))},
	})
	fx.switchTo(cfg)
	if plan, _, err := fx.plan(cfg); err != nil || !plan.Empty() {
		t.Fatalf("plan after the switch: %+v, %v", plan, err)
	}

	fx.editStored(1, "home/alice", ".bashrc", "edited\n")
	fx.editStored(1, "home/alice", ".config/nvim/lua/plug.lua", "edited plug\n")
	plan, _, err := fx.plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range plan.Shown() {
		got = append(got, c.ID+" | "+string(c.Action.Symbol())+" | "+c.After+" | "+c.Note)
	}
	slices.Sort(got)
	want := []string{
		"file:~alice/.bashrc | ~ | stored content edited in place; will be restored | edits kept as /home/alice/.bashrc.gocfg-edited",
		"file:~alice/.config/nvim | ~ | stored content edited in place; will be restored | edits kept in /home/alice/.config/nvim.gocfg-edited/",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("plan:\n%q\nwant\n%q", got, want)
	}
	if c, _ := changeByID(plan.Changes, "file:~alice/.bashrc"); !slices.Equal(opsOf(c), []string{"file.keep-edited"}) {
		t.Errorf("ops %q, want file.keep-edited", opsOf(c))
	}

	fx.switchTo(cfg)
	for p, content := range map[string]string{
		"/home/alice/.bashrc":                                           "# bashrc\n",
		"/home/alice/.config/nvim/lua/plug.lua":                         "-- plug\n",
		"/home/alice/.bashrc.gocfg-edited":                              "edited\n",
		"/home/alice/.config/nvim.gocfg-edited/lua/plug.lua":            "edited plug\n",
		fx.Store.FilePath(1, "home/alice", ".bashrc"):                   "# bashrc\n",
		fx.Store.FilePath(1, "home/alice", ".config/nvim/lua/plug.lua"): "-- plug\n",
	} {
		if got := fx.Read(p); got != content {
			t.Errorf("%s = %q, want %q", p, got, content)
		}
	}
	if plan, _, err := fx.plan(cfg); err != nil || !plan.Empty() {
		t.Errorf("plan after the repair: %+v, %v", plan.Changes, err)
	}

	// Edited again: the first copy is kept, the new one goes beside it.
	fx.editStored(2, "home/alice", ".bashrc", "edited again\n")
	plan = fx.switchTo(cfg)
	if c, _ := changeByID(plan.Changes, "file:~alice/.bashrc"); c.Note != "edits kept as /home/alice/.bashrc.gocfg-edited.1" {
		t.Errorf("note %q", c.Note)
	}
	if got := fx.Read("/home/alice/.bashrc.gocfg-edited"); got != "edited\n" {
		t.Errorf(".bashrc.gocfg-edited = %q", got)
	}
	if got := fx.Read("/home/alice/.bashrc.gocfg-edited.1"); got != "edited again\n" {
		t.Errorf(".bashrc.gocfg-edited.1 = %q", got)
	}

	// Only made writable: restored, nothing to keep.
	if err := os.Chmod(fx.Host(fx.Store.FilePath(3, "home/alice", ".profile")), 0o644); err != nil {
		t.Fatal(err)
	}
	plan, _, err = fx.plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := changeByID(plan.Changes, "file:~alice/.profile"); !ok || c.After != "stored content made writable (mode 0644, not 0444); will be restored" || len(c.Ops) != 0 {
		t.Errorf("plan: %+v", plan.Changes)
	}
	fx.switchTo(cfg)
	if fi, err := os.Stat(fx.Host("/home/alice/.profile")); err != nil || fi.Mode().Perm() != 0o444 {
		t.Errorf(".profile: %v, %v; want mode 0444", fi, err)
	}
}

// Root's plan does not check: the store areas are root's, a user cannot
// change them.
func TestPlanEditedNotWhenPrivileged(t *testing.T) {
	fx := newFixture(t)
	cfg := home(map[string]HomeFile{".bashrc": text("# bashrc\n")})
	fx.switchTo(cfg)
	fx.editStored(1, "home/alice", ".bashrc", "edited\n")
	fx.edit = func(l *machine.Machine) { l.Privileged = true }
	plan, _, err := fx.plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Empty() {
		t.Errorf("root's plan: %+v", plan.Changes)
	}
}

// KeepEditedOp reads the first source with the content, never writes
// over an existing file, and leaves its copy on Undo; it survives the
// journal.
func TestKeepEditedOp(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	fx.Write("/src/damaged", "fresh\n")
	fx.Write("/src/kept", "edited\n")
	fx.Write("/home/alice/.bashrc.gocfg-edited", "earlier\n")
	op := &KeepEditedOp{Path: "/home/alice/.bashrc", Dest: "/home/alice/.bashrc.gocfg-edited", Hash: hashBytes([]byte("edited\n")),
		Sources: []string{"/src/damaged", "/src/kept"}, UID: -1, GID: -1}
	data, err := json.Marshal(op)
	if err != nil {
		t.Fatal(err)
	}
	back := &KeepEditedOp{}
	if err := json.Unmarshal(data, back); err != nil || !reflect.DeepEqual(op, back) {
		t.Fatalf("journal round trip: %+v, %v", back, err)
	}
	if err := op.Apply(ctx, fx.Sys); err != nil {
		t.Fatal(err)
	}
	if got := fx.Read("/home/alice/.bashrc.gocfg-edited"); got != "earlier\n" {
		t.Errorf("the earlier copy became %q", got)
	}
	if got := fx.Read("/home/alice/.bashrc.gocfg-edited.1"); got != "edited\n" {
		t.Errorf(".gocfg-edited.1 = %q", got)
	}
	if fi, err := os.Lstat(fx.Host("/home/alice/.bashrc.gocfg-edited.1")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode: %v, %v; want 0600", fi, err)
	}
	if err := op.Undo(ctx, fx.Sys); err != nil || !fx.Exists("/home/alice/.bashrc.gocfg-edited.1") {
		t.Errorf("Undo: %v; the copy must stay", err)
	}
	missing := &KeepEditedOp{Path: "/home/alice/.bashrc", Dest: "/home/alice/.bashrc.gocfg-edited", Hash: hashBytes([]byte("gone\n")),
		Sources: []string{"/src/damaged"}, UID: -1, GID: -1}
	if err := missing.Apply(ctx, fx.Sys); err == nil || !errors.Is(err, platform.ErrUnchanged) {
		t.Errorf("Apply without the content: %v, want ErrUnchanged", err)
	}
}
