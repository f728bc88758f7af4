//go:build linux || darwin

package filestat

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestInfoAsOS: an Info describes a file as os.Lstat does (name, size,
// mode with its type, modification time, the syscall.Stat_t behind it)
// for a regular file with special bits, a folder, a link and a FIFO.
func TestInfoAsOS(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	if err := os.WriteFile(f, []byte("twelve bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f, 0o755|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "l")
	if err := os.Symlink("f", link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "p")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{f, dir, link, fifo} {
		want, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		var st unix.Stat_t
		if err := unix.Lstat(p, &st); err != nil {
			t.Fatal(err)
		}
		got := NewInfo(filepath.Base(p), &st)
		if got.Name() != want.Name() || got.Size() != want.Size() || got.Mode() != want.Mode() || got.IsDir() != want.IsDir() || !got.ModTime().Equal(want.ModTime()) {
			t.Errorf("%s: %s %d %v %v, want %s %d %v %v", p, got.Name(), got.Size(), got.Mode(), got.ModTime(), want.Name(), want.Size(), want.Mode(), want.ModTime())
		}
		if sys, ok := got.Sys().(*syscall.Stat_t); !ok || sys.Ino != want.Sys().(*syscall.Stat_t).Ino {
			t.Errorf("%s: Sys() = %#v, want the syscall.Stat_t", p, got.Sys())
		}
	}
}

// TestSyscallMode: the permission and special bits go to chmod(2)'s and
// back.
func TestSyscallMode(t *testing.T) {
	for _, m := range []fs.FileMode{0, 0o644, 0o7777 & fs.ModePerm, 0o755 | fs.ModeSetuid, 0o2750&fs.ModePerm | fs.ModeSetgid, 0o1777&fs.ModePerm | fs.ModeSticky} {
		bits := SyscallMode(m)
		if back := FileMode(bits); back != m {
			t.Errorf("%v: %o, back %v", m, bits, back)
		}
	}
	if got := SyscallMode(0o755 | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky | fs.ModeDir); got != 0o7755 {
		t.Errorf("SyscallMode of every special bit and a folder = %o, want 7755 (no type bits)", got)
	}
}
