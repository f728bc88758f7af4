//go:build linux

package system

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"
)

// TestLstats: Lstats answers, name for name, what Lstat answers (the
// same file, name, mode and size, or an error of the same text and
// cause), on the paths of the batch rig.
func TestLstats(t *testing.T) {
	rig := newBatchRig(t)
	rig.agrees(t, "Lstat", func(sys System, names []string) ([]string, []error) {
		infos, errs := Lstats(sys, names)
		described := make([]string, len(infos))
		for i, fi := range infos {
			described[i] = describeInfo(fi)
		}
		return described, errs
	}, func(sys System, name string) (string, error) {
		fi, err := sys.Lstat(name)
		return describeInfo(fi), err
	})
	if _, errs := Lstats(rig.sys, rig.names[11:12]); !errors.Is(errs[0], ErrOutside) {
		t.Errorf("Lstats through a link leading out: err = %v, want ErrOutside", errs[0])
	}
}

// describeInfo tells what fi says of its file: name, mode, size and
// inode ("<nil>" for none).
func describeInfo(fi fs.FileInfo) string {
	if fi == nil {
		return "<nil>"
	}
	ino := uint64(0)
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ino = st.Ino
	}
	return fmt.Sprintf("%s %v %d bytes inode %d", fi.Name(), fi.Mode(), fi.Size(), ino)
}
