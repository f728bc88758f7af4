//go:build linux

package system

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// folderEntries makes a file and a link in the folder dir of sys through
// OpenFolder and checks what they are on disk.
func folderEntries(t *testing.T, sys System, dir, hostDir string) {
	t.Helper()
	f, err := OpenFolder(sys, dir)
	if err != nil {
		t.Fatal(err)
	}
	uid, gid := os.Getuid(), os.Getgid()
	fi, err := f.CreateFile("conf", strings.NewReader("content\n"), 0o444, uid, gid)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Symlink("../elsewhere", "sub", uid, gid); err != nil {
		t.Fatal(err)
	}
	// Modes are exact: the umask takes nothing.
	if fi, err := f.CreateFile("open", strings.NewReader(""), 0o777, -1, -1); err != nil || fi == nil || fi.Mode() != 0o777 {
		t.Errorf("CreateFile 0777: %v, %v; want -rwxrwxrwx", fi, err)
	}
	// An entry that exists is refused, and left as it is.
	if _, err := f.CreateFile("conf", strings.NewReader("other\n"), 0o444, -1, -1); !errors.Is(err, fs.ErrExist) {
		t.Errorf("CreateFile over a file: %v, want fs.ErrExist", err)
	}
	if err := f.Symlink("x", "sub", -1, -1); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Symlink over a link: %v, want fs.ErrExist", err)
	}
	if _, err := f.CreateFile("a/b", strings.NewReader(""), 0o444, -1, -1); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("CreateFile a/b: %v, want EINVAL", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(hostDir, "conf")
	got, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "content\n" || got.Mode() != 0o444 {
		t.Errorf("conf = %q, %v; want \"content\\n\", -r--r--r--", b, got.Mode())
	}
	// What CreateFile returned is the file as it is now: the stat
	// signature the store's cache records.
	if fi == nil || fi.Sys().(*syscall.Stat_t).Ino != got.Sys().(*syscall.Stat_t).Ino || fi.Size() != got.Size() || fi.Mode() != got.Mode() ||
		fi.Sys().(*syscall.Stat_t).Ctim != got.Sys().(*syscall.Stat_t).Ctim {
		t.Errorf("CreateFile returned %+v, want the file's stat %+v", fi, got)
	}
	if target, err := os.Readlink(filepath.Join(hostDir, "sub")); err != nil || target != "../elsewhere" {
		t.Errorf("sub -> %q, %v; want ../elsewhere", target, err)
	}
}

// A Real holds a folder open (confined or not), a Rooted over it too,
// and any other System makes the entries by path: each makes the same.
func TestOpenFolder(t *testing.T) {
	t.Run("real", func(t *testing.T) {
		dir := t.TempDir()
		folderEntries(t, NewReal(), dir, dir)
	})
	t.Run("confined", func(t *testing.T) {
		rig := newConfinedRig(t)
		dir := filepath.Join(rig.home, ".config")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		folderEntries(t, rig.sys, dir, dir)
		rig.untouched(t)
	})
	t.Run("rooted", func(t *testing.T) {
		root := t.TempDir()
		if err := os.Mkdir(filepath.Join(root, "store"), 0o755); err != nil {
			t.Fatal(err)
		}
		sys := NewRooted(root, NewReal())
		if _, ok := any(sys).(FolderOpener); !ok {
			t.Fatal("a Rooted over a Real cannot hold a folder open")
		}
		folderEntries(t, sys, "/store", filepath.Join(root, "store"))
	})
	t.Run("by path", func(t *testing.T) {
		root := t.TempDir()
		sys := NewRooted(root, struct{ System }{NewReal()})
		f, err := OpenFolder(sys, "/")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := f.(*pathFolder); !ok {
			t.Fatalf("OpenFolder over a System that cannot hold a folder: %T, want a *pathFolder", f)
		}
		folderEntries(t, sys, "/", root)
	})
}

// A folder a confined folder reaches through a link that leads out is
// refused, as every operation below it is.
func TestOpenFolderConfinedRefusesLinkOut(t *testing.T) {
	rig := newConfinedRig(t)
	rig.symlink(t, rig.outside, ".config")
	_, err := rig.sys.OpenFolder(filepath.Join(rig.home, ".config"))
	if !errors.Is(err, ErrOutside) {
		t.Errorf("OpenFolder through a link out: %v, want ErrOutside", err)
	}
	rig.untouched(t)
}

// The errors of a Folder opened through a Rooted name machine paths.
func TestFolderErrorsNameMachinePaths(t *testing.T) {
	root := t.TempDir()
	sys := NewRooted(root, NewReal())
	if _, err := sys.OpenFolder("/missing"); err == nil || !strings.Contains(err.Error(), " /missing:") || strings.Contains(err.Error(), root) {
		t.Errorf("OpenFolder /missing: %v, want an error naming /missing only", err)
	}
	f, err := sys.OpenFolder("/")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.CreateFile("x", strings.NewReader("x"), 0o644, -1, -1); err != nil {
		t.Fatal(err)
	}
	_, err = f.CreateFile("x", strings.NewReader("x"), 0o644, -1, -1)
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != "/x" {
		t.Errorf("CreateFile over /x: %v, want a path error about /x", err)
	}
}

// A failing read leaves no partial file behind.
func TestFolderCreateFileRemovesPartial(t *testing.T) {
	dir := t.TempDir()
	f, err := NewReal().OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bad := io.MultiReader(strings.NewReader("half"), errReader{errors.New("disk gone")})
	if _, err := f.CreateFile("half", bad, 0o444, -1, -1); err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Errorf("CreateFile from a failing reader: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "half")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("partial file left: %v", err)
	}
}

// Open reads a regular file to its end and closes once, as *os.File
// does; ReadFile reads it whole.
func TestOpenReadsToEnd(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	data := bytes.Repeat([]byte("0123456789"), 10000)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rc, err := NewReal().Open(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("read %d bytes, %v; want %d", len(got), err, len(data))
	}
	if n, err := rc.Read(make([]byte, 8)); n != 0 || err != io.EOF {
		t.Errorf("read at the end: %d, %v; want 0, EOF", n, err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("second Close: %v, want os.ErrClosed", err)
	}
	if _, err := rc.Read(make([]byte, 8)); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Read after Close: %v, want os.ErrClosed", err)
	}
	if b, err := NewReal().ReadFile(p); err != nil || !bytes.Equal(b, data) {
		t.Errorf("ReadFile: %d bytes, %v", len(b), err)
	}
}
