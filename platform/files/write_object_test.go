package files

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// orderSystem records the mode writes, owner and mode changes of a
// Real.
type orderSystem struct {
	*system.Real
	calls []string
}

func (o *orderSystem) WriteNewFile(name string, data []byte, mode fs.FileMode) error {
	o.calls = append(o.calls, fmt.Sprintf("write %v", mode))
	return o.Real.WriteNewFile(name, data, mode)
}

func (o *orderSystem) Lchown(name string, uid, gid int) error {
	o.calls = append(o.calls, fmt.Sprintf("chown %d:%d", uid, gid))
	return nil
}

func (o *orderSystem) Chmod(name string, mode fs.FileMode) error {
	o.calls = append(o.calls, fmt.Sprintf("chmod %v", mode))
	return o.Real.Chmod(name, mode)
}

// TestWriteObjectOwnerBeforeSetuid (tester S): a file put back with a
// setuid mode is written without it, given its owner, and only then
// made setuid: never a moment root's setuid file with that content.
func TestWriteObjectOwnerBeforeSetuid(t *testing.T) {
	dir := t.TempDir()
	obj := filepath.Join(dir, "object")
	if err := os.WriteFile(obj, []byte("#!/bin/sh\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	sys := &orderSystem{Real: system.NewReal()}
	if err := writeObject(sys, obj, "", filepath.Join(dir, "tool"), fs.ModeSetuid|0o755, 4321, 4321, false); err != nil {
		t.Fatal(err)
	}
	want := []string{"write -rwxr-xr-x", "chown 4321:4321", "chmod urwxr-xr-x"}
	if !slices.Equal(sys.calls, want) {
		t.Errorf("calls %q, want %q", sys.calls, want)
	}
}
