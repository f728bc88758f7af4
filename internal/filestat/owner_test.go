//go:build linux || darwin

package filestat

import (
	"io/fs"
	"os"
	"testing"
	"time"
)

func TestOwner(t *testing.T) {
	fi, err := os.Lstat(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if uid, gid := Owner(fi); uid != os.Geteuid() || gid < 0 {
		t.Errorf("Owner(a folder of ours) = %d, %d; want uid %d", uid, gid, os.Geteuid())
	}
	if uid, gid := Owner(madeByHand{}); uid != -1 || gid != -1 {
		t.Errorf("Owner(a FileInfo without stat) = %d, %d; want -1, -1", uid, gid)
	}
}

// madeByHand is a FileInfo with no stat behind it.
type madeByHand struct{}

func (madeByHand) Name() string       { return "x" }
func (madeByHand) Size() int64        { return 0 }
func (madeByHand) Mode() fs.FileMode  { return 0 }
func (madeByHand) ModTime() time.Time { return time.Time{} }
func (madeByHand) IsDir() bool        { return false }
func (madeByHand) Sys() any           { return nil }
