//go:build linux

package system

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"golang.org/x/sys/unix"
)

// unsharedFile writes a file of content in dir.
func unsharedFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	testfs.Write(t, p, content)
	return p
}

// holdOpen opens p as another program would (its own open file
// description), until the test ends.
func holdOpen(t *testing.T, p string, flag int) *os.File {
	t.Helper()
	f, err := os.OpenFile(p, flag, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func fileHolds(t *testing.T, p, want string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	if string(b) != want {
		t.Errorf("%s holds %q, want %q", p, b, want)
	}
}

func gone(t *testing.T, p string) {
	t.Helper()
	if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s: lstat err = %v, want it gone", p, err)
	}
}

// checkRecorder is a check that records what it was given.
type checkRecorder struct {
	calls   int
	size    int64
	content string
	err     error
}

func (c *checkRecorder) check(fi fs.FileInfo, content io.Reader) error {
	c.calls++
	c.size = fi.Size()
	b, err := io.ReadAll(content)
	if err != nil {
		return err
	}
	c.content = string(b)
	return c.err
}

// removeUnsharedCases runs the cases every Real, confined or not, must
// pass, in dir (below a confined folder or not).
func removeUnsharedCases(t *testing.T, sys System, dir string) {
	t.Run("not open: removed after the check", func(t *testing.T) {
		p := unsharedFile(t, dir, "a", "abc\n")
		var c checkRecorder
		if err := sys.RemoveUnshared(p, c.check); err != nil {
			t.Fatal(err)
		}
		gone(t, p)
		if c.calls != 1 || c.size != 4 || c.content != "abc\n" {
			t.Errorf("check saw %+v, want one call with the file", c)
		}
	})
	t.Run("nil check", func(t *testing.T) {
		p := unsharedFile(t, dir, "a", "abc\n")
		if err := sys.RemoveUnshared(p, nil); err != nil {
			t.Fatal(err)
		}
		gone(t, p)
	})
	t.Run("open for writing: kept", func(t *testing.T) {
		p := unsharedFile(t, dir, "a", "abc\n")
		f := holdOpen(t, p, os.O_WRONLY|os.O_APPEND)
		var c checkRecorder
		err := sys.RemoveUnshared(p, c.check)
		if !errors.Is(err, ErrShared) {
			t.Fatalf("err = %v, want ErrShared", err)
		}
		if !strings.Contains(err.Error(), p) {
			t.Errorf("err = %q, want it to name %s", err, p)
		}
		if c.calls != 0 {
			t.Errorf("check called %d times for a shared file", c.calls)
		}
		// What the program writes now is not lost.
		if _, err := f.WriteString("more\n"); err != nil {
			t.Fatal(err)
		}
		fileHolds(t, p, "abc\nmore\n")
	})
	t.Run("open for reading only: removed", func(t *testing.T) {
		p := unsharedFile(t, dir, "a", "abc\n")
		holdOpen(t, p, os.O_RDONLY)
		if err := sys.RemoveUnshared(p, nil); err != nil {
			t.Fatal(err)
		}
		gone(t, p)
	})
	t.Run("check fails: kept, its error returned as it is", func(t *testing.T) {
		p := unsharedFile(t, dir, "a", "abc\n")
		mine := errors.New("not what I made")
		c := checkRecorder{err: mine}
		if err := sys.RemoveUnshared(p, c.check); err != mine {
			t.Fatalf("err = %v, want check's own", err)
		}
		fileHolds(t, p, "abc\n")
	})
	t.Run("opened for writing while checked: waits, and the file is kept", func(t *testing.T) {
		p := unsharedFile(t, dir, "a", "abc\n")
		var openErr error
		err := sys.RemoveUnshared(p, func(fs.FileInfo, io.Reader) error {
			// Another program opens it for writing now: held back (a
			// non-blocking open says so at once), and the lease starts
			// to break.
			fd, err := unix.Open(p, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
			if err == nil {
				_ = unix.Close(fd)
			}
			openErr = err
			return nil
		})
		if openErr != unix.EWOULDBLOCK {
			t.Errorf("open for writing during the check: err = %v, want EWOULDBLOCK (held back)", openErr)
		}
		if !errors.Is(err, ErrShared) {
			t.Errorf("err = %v, want ErrShared", err)
		}
		fileHolds(t, p, "abc\n")
	})
	t.Run("link: refused, not followed", func(t *testing.T) {
		target := unsharedFile(t, dir, "target", "t\n")
		p := filepath.Join(dir, "link")
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		if err := sys.RemoveUnshared(p, nil); !errors.Is(err, ErrNotRegular) {
			t.Errorf("err = %v, want ErrNotRegular", err)
		}
		if _, err := os.Lstat(p); err != nil {
			t.Error(err)
		}
		fileHolds(t, target, "t\n")
	})
	t.Run("folder: refused", func(t *testing.T) {
		p := filepath.Join(dir, "folder")
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := sys.RemoveUnshared(p, nil); !errors.Is(err, ErrNotRegular) {
			t.Errorf("err = %v, want ErrNotRegular", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		if err := sys.RemoveUnshared(filepath.Join(dir, "missing"), nil); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v, want fs.ErrNotExist", err)
		}
	})
}

func TestRealRemoveUnshared(t *testing.T) {
	removeUnsharedCases(t, NewReal(), t.TempDir())
}

func TestConfinedRemoveUnshared(t *testing.T) {
	rig := newConfinedRig(t)
	removeUnsharedCases(t, rig.sys, filepath.Join(rig.home, "sub"))
	t.Run("link to a file outside: refused, not followed", func(t *testing.T) {
		rig.symlink(t, rig.victim, ".a")
		if err := rig.sys.RemoveUnshared(filepath.Join(rig.home, ".a"), nil); !errors.Is(err, ErrNotRegular) {
			t.Errorf("err = %v, want ErrNotRegular", err)
		}
		rig.untouched(t)
	})
	t.Run("folder on the way leads outside: refused", func(t *testing.T) {
		rig.symlink(t, rig.outside, "out")
		err := rig.sys.RemoveUnshared(filepath.Join(rig.home, "out", "victim"), nil)
		if !errors.Is(err, ErrOutside) {
			t.Errorf("err = %v, want ErrOutside", err)
		}
		rig.untouched(t)
	})
}

func TestRootedRemoveUnshared(t *testing.T) {
	root := t.TempDir()
	sys := NewRooted(root, NewReal())
	p := unsharedFile(t, root, "home/alice/.a", "abc\n")

	holder := holdOpen(t, p, os.O_WRONLY)
	err := sys.RemoveUnshared("/home/alice/.a", nil)
	if !errors.Is(err, ErrShared) {
		t.Fatalf("err = %v, want ErrShared", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "remove /home/alice/.a: ") || strings.Contains(msg, root) {
		t.Errorf("err = %q, want it to name the machine path", msg)
	}
	_ = holder.Close()

	// check's own error is passed back untouched, even a path error
	// naming a host path.
	mine := &fs.PathError{Op: "check", Path: p, Err: errors.New("no")}
	if err := sys.RemoveUnshared("/home/alice/.a", func(fs.FileInfo, io.Reader) error { return mine }); err != mine || mine.Path != p {
		t.Errorf("err = %v, want check's own, unchanged", err)
	}

	var c checkRecorder
	if err := sys.RemoveUnshared("/home/alice/.a", c.check); err != nil {
		t.Fatal(err)
	}
	if c.content != "abc\n" {
		t.Errorf("check read %q", c.content)
	}
	gone(t, p)
	if err := sys.RemoveUnshared("home/alice/.a", nil); !errors.Is(err, errNotAbsolute) {
		t.Errorf("relative path: err = %v", err)
	}
}

func TestReadOnlyRemoveUnsharedRefuses(t *testing.T) {
	p := unsharedFile(t, t.TempDir(), "a", "abc\n")
	var c checkRecorder
	err := NewReadOnly(NewReal()).RemoveUnshared(p, c.check)
	if !errors.Is(err, ErrReadOnly) || !strings.HasPrefix(err.Error(), "remove "+p+": refused") {
		t.Errorf("err = %v, want a refusal", err)
	}
	if c.calls != 0 {
		t.Error("check called")
	}
	fileHolds(t, p, "abc\n")
}

func TestDryRunRemoveUnsharedRecords(t *testing.T) {
	p := unsharedFile(t, t.TempDir(), "a", "abc\n")
	d := NewDryRun(NewReal())
	var c checkRecorder
	if err := d.RemoveUnshared(p, c.check); err != nil {
		t.Fatal(err)
	}
	if got, want := d.Log(), []string{"remove " + p + " (unless open for writing)"}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("log = %q, want %q", got, want)
	}
	if c.calls != 0 {
		t.Error("check called")
	}
	fileHolds(t, p, "abc\n")
}

// Where no lease can be had and the file cannot be read (an owner's file
// of mode 0200), the check gets its description and content that fails
// to read, and the file is removed after it.
func TestRemoveCheckedWithoutLease(t *testing.T) {
	p := unsharedFile(t, t.TempDir(), "a", "abc\n")
	var c checkRecorder
	err := removeChecked(ordinaryPlace(p), c.check, unix.EACCES)
	if !errors.Is(err, fs.ErrPermission) || c.calls != 1 || c.size != 4 {
		t.Errorf("err = %v, check %+v: want the read's error from a check that saw the file", err, c)
	}
	fileHolds(t, p, "abc\n")
	if err := removeChecked(ordinaryPlace(p), func(fi fs.FileInfo, _ io.Reader) error {
		if fi.Size() != 4 {
			return errors.New("wrong file")
		}
		return nil
	}, unix.EACCES); err != nil {
		t.Fatal(err)
	}
	gone(t, p)
}
