package system

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// exchangeOrSkip swaps a and b with sys, skipping the test where the
// temporary folder's file system cannot swap.
func exchangeOrSkip(t *testing.T, sys System, a, b string) {
	t.Helper()
	err := sys.Exchange(a, b)
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("the file system of %s cannot swap names: %v", a, err)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestRealExchange: two names swap what they hold, whatever it is (a
// file, a link, a folder), keeping every inode; a missing name is an
// error that is not ErrUnsupported, and changes nothing.
func TestRealExchange(t *testing.T) {
	dir := t.TempDir()
	sys := NewReal()
	a, b, l, d := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "l"), filepath.Join(dir, "d")
	if err := os.WriteFile(a, []byte("A"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("B"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("target", l); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	inoA := inode(t, a)
	exchangeOrSkip(t, sys, a, b)
	assertFile(t, a, "B", 0o644)
	assertFile(t, b, "A", 0o600)
	if inode(t, b) != inoA {
		t.Error("the file did not keep its inode")
	}
	exchangeOrSkip(t, sys, b, l)
	if got, err := os.Readlink(b); err != nil || got != "target" {
		t.Errorf("b -> %q, %v, want the link", got, err)
	}
	assertFile(t, l, "A", 0o600)
	exchangeOrSkip(t, sys, l, d)
	if fi, err := os.Lstat(l); err != nil || !fi.IsDir() {
		t.Errorf("l = %v, %v, want the folder", fi, err)
	}
	assertFile(t, d, "A", 0o600)

	err := sys.Exchange(a, filepath.Join(dir, "missing"))
	var le *os.LinkError
	if !errors.As(err, &le) || le.Op != "exchange" || le.Old != a || !errors.Is(err, fs.ErrNotExist) || errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Exchange with a missing name: %#v, want an *os.LinkError about exchange wrapping ENOENT", err)
	}
	assertFile(t, a, "B", 0o644)
}

// TestExchangeUnsupported: the errnos of a file system or kernel that
// cannot swap wrap errors.ErrUnsupported, and still say which errno.
func TestExchangeUnsupported(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.EINVAL, syscall.ENOSYS, syscall.ENOTSUP, syscall.EOPNOTSUPP} {
		err := exchangeError(errno)
		if !errors.Is(err, errors.ErrUnsupported) || !errors.Is(err, errno) {
			t.Errorf("%v: %v, want ErrUnsupported and the errno", errno, err)
		}
	}
	for _, errno := range []syscall.Errno{syscall.ENOENT, syscall.EXDEV, syscall.EPERM} {
		if err := exchangeError(errno); errors.Is(err, errors.ErrUnsupported) || err != errno {
			t.Errorf("%v: %v, want the errno as it is", errno, err)
		}
	}
}

// TestConfinedExchange: below a confined folder the names swap on the
// folders' descriptors, across two folders of the home.
func TestConfinedExchange(t *testing.T) {
	home := t.TempDir()
	sys := NewReal()
	sys.Confine(home)
	a, b := filepath.Join(home, "a"), filepath.Join(home, "sub", "b")
	if err := os.Mkdir(filepath.Dir(b), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(a, []byte("A"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("B"), 0o644); err != nil {
		t.Fatal(err)
	}
	exchangeOrSkip(t, sys, a, b)
	assertFile(t, a, "B", 0o644)
	assertFile(t, b, "A", 0o600)
	if err := sys.Exchange(a, filepath.Join(home, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Exchange with a missing name: %v, want ENOENT", err)
	}
}

// TestRootedExchange: both names are relocated under the root.
func TestRootedExchange(t *testing.T) {
	root := t.TempDir()
	r := NewRooted(root, NewReal())
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"motd": "old", "motd.gocfg-3~": "new"} {
		if err := os.WriteFile(filepath.Join(root, "etc", name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exchangeOrSkip(t, r, "/etc/motd.gocfg-3~", "/etc/motd")
	assertFile(t, filepath.Join(root, "etc/motd"), "new", 0o644)
	assertFile(t, filepath.Join(root, "etc/motd.gocfg-3~"), "old", 0o644)
	var le *os.LinkError
	if err := r.Exchange("/etc/motd", "/etc/none"); !errors.As(err, &le) || le.Old != "/etc/motd" || le.New != "/etc/none" {
		t.Errorf("Exchange err = %#v, want an *os.LinkError naming machine paths", err)
	}
}

func inode(t *testing.T, name string) uint64 {
	t.Helper()
	fi, err := os.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	return uint64(fi.Sys().(*syscall.Stat_t).Ino)
}
