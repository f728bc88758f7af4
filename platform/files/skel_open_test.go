package files

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestSkelCommitKeepsOpenCopy: the copy of a skeleton file that useradd
// made and gocfg set aside is deleted at commit only while it is still
// the skeleton's and no program has it open for writing (a shell started
// in the new home may already have opened its .bashrc).
func TestSkelCommitKeepsOpenCopy(t *testing.T) {
	dir := t.TempDir()
	sys := system.NewReal()
	aside := filepath.Join(dir, ".bashrc.gocfg-2~")
	skel := "skel bashrc\n"
	reset := func(content string) {
		t.Helper()
		if err := os.WriteFile(aside, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	op := &SkelOp{Path: filepath.Join(dir, ".bashrc"), Skel: "/etc/skel/.bashrc", Hash: hashBytes([]byte(skel)), Aside: aside}
	ctx := context.Background()

	reset(skel)
	f, err := os.OpenFile(aside, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := op.Commit(ctx, sys); err == nil || !strings.Contains(err.Error(), "kept: a program has it open for writing") {
		t.Errorf("open for writing: %v, want it kept", err)
	}
	if _, err := f.WriteString("echo mine\n"); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	if b, err := os.ReadFile(aside); err != nil || string(b) != skel+"echo mine\n" {
		t.Errorf("the write after the commit: %q, %v", b, err)
	}
	if err := op.Commit(ctx, sys); err == nil || !strings.Contains(err.Error(), "kept: its content is no longer") {
		t.Errorf("changed copy: %v, want it kept", err)
	}

	reset(skel)
	if err := op.Commit(ctx, sys); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(aside); !os.IsNotExist(err) {
		t.Errorf("the skeleton's copy is still there: %v", err)
	}
	if err := op.Commit(ctx, sys); err != nil {
		t.Errorf("a second commit: %v", err)
	}
}
