package files

import (
	"os"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestWriteOpChecksTheStoredContent: a copy's stored content whose bytes
// do not match the recorded hash (an object changed behind gocfg's back)
// is never copied into the home, on apply nor on undo.
func TestWriteOpChecksTheStoredContent(t *testing.T) {
	fx := newFixture(t)
	obj := fx.object("c", "not what was stored", 0o444)
	op := &WriteOp{Path: zshrc, Object: obj, Hash: hashBytes([]byte("c")), Mode: 0o600, UID: -1, GID: -1}
	err := op.Apply(t.Context(), fx.Sys)
	if err == nil || !strings.Contains(err.Error(), "not copying it") {
		t.Fatalf("apply: %v, want a refusal", err)
	}
	if _, err := os.Lstat(fx.Host(zshrc)); err == nil {
		t.Error("the content was written")
	}
	fx.Write(zshrc, "mine")
	rm := &RemoveOp{Path: zshrc, Hash: hashBytes([]byte("x")), Prev: &Prev{Object: obj, Hash: hashBytes([]byte("c")), Mode: 0o644, UID: -1, GID: -1}}
	if err := os.Remove(fx.Host(zshrc)); err != nil {
		t.Fatal(err)
	}
	if err := rm.Undo(t.Context(), fx.Sys); err == nil || !strings.Contains(err.Error(), "not copying it") {
		t.Errorf("undo: %v, want a refusal", err)
	}
}

// TestWriteOpUndoRemovesTemps: a write killed before its rename leaves a
// .gocfg-tmp-* file beside the path (with the content, perhaps a
// secret); the undo that recovery runs removes it, and leaves other
// files alone.
func TestWriteOpUndoRemovesTemps(t *testing.T) {
	fx := newFixture(t)
	obj := fx.object("c", "c", 0o444)
	op := &WriteOp{Path: zshrc, Object: obj, Hash: hashBytes([]byte("c")), Mode: 0o600, UID: -1, GID: -1}
	fx.Write("/home/alice/"+system.TempPrefix+"0123456789abcdef", "secret")
	fx.Write("/home/alice/.gocfg-mine", "mine")
	if err := op.Undo(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(fx.Host("/home/alice/" + system.TempPrefix + "0123456789abcdef")); err == nil {
		t.Error("the temporary file is still there")
	}
	if _, err := os.Lstat(fx.Host("/home/alice/.gocfg-mine")); err != nil {
		t.Errorf("another file was removed: %v", err)
	}
	// A write leaves none of its own.
	if err := op.Apply(t.Context(), fx.Sys); err != nil {
		t.Fatal(err)
	}
	des, err := os.ReadDir(fx.Host("/home/alice"))
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		if strings.HasPrefix(de.Name(), system.TempPrefix) {
			t.Errorf("left %s", de.Name())
		}
	}
}
