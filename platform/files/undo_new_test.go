package files

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// newWrite is the op that makes zshrc, where nothing was, with content.
func newWrite(fx *fixture, content string) *WriteOp {
	return &WriteOp{Path: zshrc, Object: fx.object("new", content, 0o444), Hash: hashBytes([]byte(content)), Mode: 0o644, UID: -1, GID: -1}
}

// TestUndoNewFileAddedToSaysSo (tester BI): the undo of a new file (no
// aside: nothing was there) that was added to since gocfg made it keeps
// it, and says so, naming it and what to do (platform.ErrKept), instead
// of counting it undone while the next plan finds it in the way.
func TestUndoNewFileAddedToSaysSo(t *testing.T) {
	fx := newFixture(t)
	w := newWrite(fx, "x\n")
	if err := w.Apply(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	f := openForAppend(t, fx, zshrc)
	if _, err := f.WriteString("mine\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	err := w.Undo(t.Context(), fx.Sys)
	if !errors.Is(err, platform.ErrKept) {
		t.Fatalf("undo of a new file added to: %v, want it kept and said so", err)
	}
	for _, want := range []string{zshrc + ": gocfg made it where nothing was", "added to since", "move it away"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("undo: %q, want %q in it", err, want)
		}
	}
	if got := fx.Read(zshrc); got != "x\nmine\n" {
		t.Errorf("after the undo: %q, want it as edited", got)
	}
	if fx.Exists(undoTrash(zshrc)) {
		t.Error("the undo's trash is left")
	}
}

// TestUndoNewFileUnchangedRemoves: the new file as gocfg made it goes,
// silently.
func TestUndoNewFileUnchangedRemoves(t *testing.T) {
	fx := newFixture(t)
	w := newWrite(fx, "x\n")
	if err := w.Apply(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	if err := w.Undo(t.Context(), fx.Sys); err != nil {
		t.Fatalf("undo: %v", err)
	}
	if fx.Exists(zshrc) {
		t.Errorf("%s is still there", zshrc)
	}
}

// TestUndoNewFileNeverRanClaimsNothing: the undo of an op that never ran
// (it refused, or a switch was killed before it and undone after a
// restart) finds a file someone made at the path: it is hers, left
// silently, and not called gocfg's. Nor is a file that holds more than
// an empty content (which every file starts with).
func TestUndoNewFileNeverRanClaimsNothing(t *testing.T) {
	for _, tc := range []struct{ name, content, hers string }{
		{"her own content", "x\n", "hers\n"},
		{"her content, shorter than gocfg's", "x\nand more\n", "x\n"},
		{"an empty content", "", "hers\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			w := newWrite(fx, tc.content)
			fx.Write(zshrc, tc.hers)
			if err := w.Apply(t.Context(), fx.Sys); !errors.Is(err, platform.ErrUnchanged) {
				t.Fatalf("apply over her file: %v, want it refused", err)
			}
			if err := w.Undo(t.Context(), fx.Sys); err != nil {
				t.Errorf("undo: %v, want her file left silently", err)
			}
			if got := fx.Read(zshrc); got != tc.hers {
				t.Errorf("after the undo: %q, want hers", got)
			}
		})
	}
	t.Run("nothing there", func(t *testing.T) {
		fx := newFixture(t)
		if err := newWrite(fx, "x\n").Undo(t.Context(), fx.Sys); err != nil || fx.Exists(zshrc) {
			t.Errorf("undo: %v, %s there %v; want nothing done", err, zshrc, fx.Exists(zshrc))
		}
	})
}

// TestUndoNewFileHeldOpenSaysSo: the new file as gocfg made it, which a
// program has open for writing, stays (it may still write to it), and
// the undo says so.
func TestUndoNewFileHeldOpenSaysSo(t *testing.T) {
	needLeases(t)
	fx := newFixture(t)
	w := newWrite(fx, "x\n")
	if err := w.Apply(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(fx.Host(zshrc), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = w.Undo(t.Context(), fx.Sys)
	if !errors.Is(err, platform.ErrKept) || !strings.Contains(err.Error(), zshrc+": gocfg made it where nothing was, and a program has it open for writing") {
		t.Fatalf("undo of a new file held open: %v, want it kept and said so", err)
	}
	if got := fx.Read(zshrc); got != "x\n" {
		t.Errorf("after the undo: %q", got)
	}
}
