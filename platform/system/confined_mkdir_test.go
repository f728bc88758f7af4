//go:build linux

package system

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestConfinedMkdirMode: a folder made below a confined folder has the
// mode asked for exactly, whatever the umask takes away or a setgid
// parent adds, in a folder held for links or not, and a folder that is
// there already is an error, as before mkdirAt left out setting the
// mode when the folder was made with it.
func TestConfinedMkdirMode(t *testing.T) {
	rig := newConfinedRig(t)
	sgid := filepath.Join(rig.home, "sgid")
	if err := os.Mkdir(sgid, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sgid, 0o755|fs.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	for _, umask := range []int{0o022, 0o077, 0o000} {
		old := syscall.Umask(umask)
		for i, tc := range []struct {
			parent string
			perm   fs.FileMode
		}{
			{"", 0o755}, {"", 0o700}, {"", 0o777}, {"", 0o750 | fs.ModeSticky},
			{"sgid", 0o755}, {"sgid", 0o700},
		} {
			p := filepath.Join(rig.home, tc.parent, fmt.Sprintf("d%d-%03o", i, umask))
			// A link made first holds the folder (heldFolder), as a
			// switch's links do before its folders.
			if err := rig.sys.Symlink("x", filepath.Join(filepath.Dir(p), "link"+filepath.Base(p))); err != nil {
				t.Fatal(err)
			}
			if err := rig.sys.Mkdir(p, tc.perm); err != nil {
				t.Fatalf("umask %03o: Mkdir(%s, %v): %v", umask, p, tc.perm, err)
			}
			fi, err := os.Lstat(p)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode() != tc.perm|fs.ModeDir {
				t.Errorf("umask %03o: %s has mode %v, want %v", umask, p, fi.Mode(), tc.perm|fs.ModeDir)
			}
			if err := rig.sys.Mkdir(p, tc.perm); !os.IsExist(err) {
				t.Errorf("umask %03o: Mkdir of an existing folder: %v, want it exists", umask, err)
			}
		}
		syscall.Umask(old)
	}
	rig.untouched(t)
}
