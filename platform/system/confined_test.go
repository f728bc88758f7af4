//go:build linux

package system

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// confinedRig is a home folder confined on a Real, and an outside folder
// with a victim file that nothing done in the home may touch.
type confinedRig struct {
	sys     *Real
	home    string
	outside string
	victim  string
}

func newConfinedRig(t *testing.T) *confinedRig {
	t.Helper()
	dir := t.TempDir()
	rig := &confinedRig{sys: NewReal(), home: filepath.Join(dir, "home"), outside: filepath.Join(dir, "outside")}
	rig.victim = filepath.Join(rig.outside, "victim")
	for _, d := range []string{rig.home, rig.outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(rig.victim, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rig.sys.Confine(rig.home)
	return rig
}

// untouched fails t when the outside folder changed: its listing, the
// victim's mode and content.
func (rig *confinedRig) untouched(t *testing.T) {
	t.Helper()
	des, err := os.ReadDir(rig.outside)
	if err != nil {
		t.Fatal(err)
	}
	if len(des) != 1 || des[0].Name() != "victim" {
		var names []string
		for _, de := range des {
			names = append(names, de.Name())
		}
		t.Errorf("outside holds %v, want only victim", names)
	}
	fi, err := os.Lstat(rig.victim)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != 0o600 {
		t.Errorf("victim mode = %v, want -rw-------", fi.Mode())
	}
	if b, _ := os.ReadFile(rig.victim); string(b) != "secret\n" {
		t.Errorf("victim content = %q", b)
	}
}

func (rig *confinedRig) symlink(t *testing.T, target, rel string) {
	t.Helper()
	p := filepath.Join(rig.home, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// TestConfinedParentLeadingOut: a folder on the way that is a symlink
// out of the home (absolute or climbing with ..) refuses every operation
// below it with ErrOutside, and nothing outside changes.
func TestConfinedParentLeadingOut(t *testing.T) {
	for _, target := range []string{"ABS", "../outside", "../../" + "x/../outside"} {
		t.Run(target, func(t *testing.T) {
			rig := newConfinedRig(t)
			if target == "ABS" {
				target = rig.outside
			}
			if strings.Contains(target, "x/..") {
				target = "../" + filepath.Base(rig.outside)
			}
			rig.symlink(t, target, ".config")
			p := filepath.Join(rig.home, ".config", "victim")
			ops := map[string]func() error{
				"lstat":     func() error { _, err := rig.sys.Lstat(p); return err },
				"stat":      func() error { _, err := rig.sys.Stat(p); return err },
				"readlink":  func() error { _, err := rig.sys.Readlink(p); return err },
				"readfile":  func() error { _, err := rig.sys.ReadFile(p); return err },
				"open":      func() error { _, err := rig.sys.Open(p); return err },
				"readdir":   func() error { _, err := rig.sys.ReadDir(filepath.Dir(p)); return err },
				"write":     func() error { return rig.sys.WriteFile(p, []byte("x"), 0o644) },
				"create":    func() error { return rig.sys.CreateFile(p+"2", strings.NewReader("x"), 0o644) },
				"append":    func() error { _, err := rig.sys.OpenAppend(p, 0o644); return err },
				"mkdir":     func() error { return rig.sys.Mkdir(p+"d", 0o755) },
				"mkdirall":  func() error { return rig.sys.MkdirAll(p+"d/e", 0o755) },
				"symlink":   func() error { return rig.sys.Symlink("x", p+"l") },
				"replace":   func() error { return rig.sys.ReplaceSymlink("x", p) },
				"rename":    func() error { return rig.sys.Rename(p, filepath.Join(rig.home, "stolen")) },
				"renameto":  func() error { return rig.sys.Rename(filepath.Join(rig.home, "none"), p) },
				"exchange":  func() error { return rig.sys.Exchange(filepath.Join(rig.home, "mine"), p) },
				"link":      func() error { return rig.sys.Link(p, filepath.Join(rig.home, "hard")) },
				"remove":    func() error { return rig.sys.Remove(p) },
				"removeall": func() error { return rig.sys.RemoveAll(p) },
				"chmod":     func() error { return rig.sys.Chmod(p, 0o644) },
				"lchown":    func() error { return rig.sys.Lchown(p, os.Getuid(), os.Getgid()) },
			}
			for name, op := range ops {
				err := op()
				if err == nil {
					t.Errorf("%s below a link out of the home succeeded", name)
					continue
				}
				if !errors.Is(err, ErrOutside) && !(name == "renameto" && errors.Is(err, fs.ErrNotExist)) {
					t.Errorf("%s: err = %v, want ErrOutside", name, err)
				}
			}
			rig.untouched(t)
			if _, err := os.Lstat(filepath.Join(rig.home, "stolen")); err == nil {
				t.Error("the victim was moved into the home")
			}
		})
	}
}

// TestConfinedParentInside: a folder on the way that is a symlink inside
// the home is followed (with openat2), as a symlinked ~/.config is.
func TestConfinedParentInside(t *testing.T) {
	rig := newConfinedRig(t)
	if err := os.MkdirAll(filepath.Join(rig.home, "dotfiles", "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	rig.symlink(t, "dotfiles/config", ".config")
	p := filepath.Join(rig.home, ".config", "app.conf")
	if err := rig.sys.WriteFile(p, []byte("v1"), 0o640); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(rig.home, "dotfiles", "config", "app.conf"))
	if err != nil || string(b) != "v1" {
		t.Fatalf("content = %q, %v", b, err)
	}
	fi, err := rig.sys.Lstat(p)
	if err != nil || fi.Mode() != 0o640 || fi.Size() != 2 || fi.Name() != "app.conf" {
		t.Fatalf("Lstat = %v %v", fi, err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Nlink != 1 {
		t.Fatalf("Sys() = %#v", fi.Sys())
	}
	des, err := rig.sys.ReadDir(filepath.Join(rig.home, ".config"))
	if err != nil || len(des) != 1 || des[0].Name() != "app.conf" || !des[0].Type().IsRegular() {
		t.Fatalf("ReadDir = %v %v", des, err)
	}
	// Leftover temporary files: none.
	assertNoTemps(t, filepath.Join(rig.home, "dotfiles", "config"))
	rig.untouched(t)
}

// TestConfinedNoOpenat2: where the kernel has no openat2, no link on the
// way is followed, not even one inside.
func TestConfinedNoOpenat2(t *testing.T) {
	noOpenat2.Store(true)
	t.Cleanup(func() { noOpenat2.Store(false) })
	rig := newConfinedRig(t)
	if err := os.MkdirAll(filepath.Join(rig.home, "real", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := rig.sys.WriteFile(filepath.Join(rig.home, "real", "sub", "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	rig.symlink(t, "real", "in")
	rig.symlink(t, rig.outside, "out")
	for _, p := range []string{"in/sub/f", "out/victim"} {
		if _, err := rig.sys.ReadFile(filepath.Join(rig.home, p)); !errors.Is(err, ErrOutside) {
			t.Errorf("ReadFile(%s) err = %v, want ErrOutside", p, err)
		}
		if err := rig.sys.Chmod(filepath.Join(rig.home, p), 0o644); !errors.Is(err, ErrOutside) {
			t.Errorf("Chmod(%s) err = %v, want ErrOutside", p, err)
		}
	}
	rig.untouched(t)
}

// TestConfinedLastElement: the last element of a path is never followed
// out: a link in place of a file is replaced, removed, or refused, never
// written through; a FIFO is not read; a hard-linked file keeps its mode.
func TestConfinedLastElement(t *testing.T) {
	rig := newConfinedRig(t)
	p := filepath.Join(rig.home, ".netrc")
	rig.symlink(t, rig.victim, ".netrc")

	if _, err := rig.sys.ReadFile(p); !errors.Is(err, ErrOutside) {
		t.Errorf("ReadFile through a link out: err = %v, want ErrOutside", err)
	}
	if err := rig.sys.Chmod(p, 0o644); !errors.Is(err, ErrIsSymlink) {
		t.Errorf("Chmod of a link: err = %v, want ErrIsSymlink", err)
	}
	if err := rig.sys.Lchown(p, os.Getuid(), os.Getgid()); err != nil {
		t.Errorf("Lchown of a link: %v (it changes the link itself)", err)
	}
	if _, err := rig.sys.OpenAppend(p, 0o644); err == nil {
		t.Error("OpenAppend through a link succeeded")
	}
	if err := rig.sys.CreateFile(p, strings.NewReader("x"), 0o644); !errors.Is(err, fs.ErrExist) {
		t.Errorf("CreateFile over a link: err = %v, want ErrExist", err)
	}
	if err := rig.sys.WriteFile(p, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("WriteFile did not replace the link: %v %v", fi, err)
	}
	rig.symlink(t, rig.outside, "dirlink")
	if err := rig.sys.RemoveAll(filepath.Join(rig.home, "dirlink")); err != nil {
		t.Fatal(err)
	}
	rig.untouched(t)

	// A FIFO is refused at once instead of blocking the read.
	fifo := filepath.Join(rig.home, "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := rig.sys.ReadFile(fifo); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadFile(fifo) err = %v, want ErrNotRegular", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadFile of a FIFO blocked")
	}

	// A hard link to a file outside (possible where
	// fs.protected_hardlinks is off, or for a file the user owns): its
	// mode is not changed through the home.
	hard := filepath.Join(rig.home, "hard")
	if err := os.Link(rig.victim, hard); err != nil {
		t.Fatal(err)
	}
	if err := rig.sys.Chmod(hard, 0o644); !errors.Is(err, ErrHardLinked) {
		t.Errorf("Chmod of a hard link: err = %v, want ErrHardLinked", err)
	}
	if os.Getuid() == 0 {
		if err := rig.sys.Lchown(hard, 4242, 4242); !errors.Is(err, ErrHardLinked) {
			t.Errorf("Lchown of a hard link: err = %v, want ErrHardLinked", err)
		}
	}
	if err := os.Remove(hard); err != nil {
		t.Fatal(err)
	}
	rig.untouched(t)
}

// TestConfinedHomeReplacedByLink: a home that is itself replaced by a
// link (a home in a sticky folder such as /tmp, whose entry its user may
// rename) is refused, not followed.
func TestConfinedHomeReplacedByLink(t *testing.T) {
	rig := newConfinedRig(t)
	if err := os.Rename(rig.home, rig.home+".away"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(rig.outside, rig.home); err != nil {
		t.Fatal(err)
	}
	if os.Getuid() != 0 {
		t.Skip("needs root to give the link to another user")
	}
	if err := os.Lchown(rig.home, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(rig.home, "victim")
	if err := rig.sys.Chmod(p, 0o644); !errors.Is(err, ErrOutside) {
		t.Fatalf("Chmod through a home replaced by a user's link: err = %v, want ErrOutside", err)
	}
	rig.untouched(t)
}

// TestConfinedHomeAbsent: below a confined home that does not exist yet
// (a first switch plans before it makes the home), every path is absent;
// once the home is made, it is opened and used; and a user's link put
// where the home was missing is refused as before, not taken for absent.
func TestConfinedHomeAbsent(t *testing.T) {
	rig := newConfinedRig(t)
	if err := os.Remove(rig.home); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(rig.home, ".config", "app", "file")
	for range 3 {
		if _, err := rig.sys.Readlink(p); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Readlink below a missing home: err = %v, want fs.ErrNotExist", err)
		}
		if _, err := rig.sys.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Lstat below a missing home: err = %v, want fs.ErrNotExist", err)
		}
	}
	if err := rig.sys.MkdirAll(filepath.Dir(p), 0o755); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("MkdirAll below a missing home: err = %v, want fs.ErrNotExist", err)
	}

	if err := os.Mkdir(rig.home, 0o755); err != nil {
		t.Fatal(err)
	}
	rig.symlink(t, "target", ".config/app/file")
	if got, err := rig.sys.Readlink(p); err != nil || got != "target" {
		t.Fatalf("Readlink once the home exists = %q, %v; want target", got, err)
	}

	if os.Getuid() != 0 {
		t.Skip("needs root to give the link to another user")
	}
	rig2 := newConfinedRig(t)
	if err := os.Remove(rig2.home); err != nil {
		t.Fatal(err)
	}
	if _, err := rig2.sys.Readlink(filepath.Join(rig2.home, "victim")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Readlink below a missing home: err = %v, want fs.ErrNotExist", err)
	}
	if err := os.Symlink(rig2.outside, rig2.home); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(rig2.home, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(rig2.home, "victim")
	if err := rig2.sys.Chmod(victim, 0o644); !errors.Is(err, ErrOutside) {
		t.Fatalf("Chmod through a user's link where the home was missing: err = %v, want ErrOutside", err)
	}
	if _, err := rig2.sys.ReadFile(victim); !errors.Is(err, ErrOutside) {
		t.Fatalf("ReadFile through a user's link where the home was missing: err = %v, want ErrOutside", err)
	}
	rig2.untouched(t)
}

// TestConfinedRace: a folder on the way swapped with a link out, as fast
// as the kernel allows, while files are written, chmod'ed and removed
// below it: nothing outside is ever touched. The loop is bounded.
func TestConfinedRace(t *testing.T) {
	rig := newConfinedRig(t)
	app := filepath.Join(rig.home, "app")
	if err := os.Mkdir(app, 0o755); err != nil {
		t.Fatal(err)
	}
	swap := filepath.Join(rig.home, "swap")
	if err := os.Symlink(rig.outside, swap); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = unix.Renameat2(unix.AT_FDCWD, app, unix.AT_FDCWD, swap, unix.RENAME_EXCHANGE)
		}
	})
	deadline := time.Now().Add(time.Second)
	for i := 0; time.Now().Before(deadline) && i < 20000; i++ {
		_ = rig.sys.WriteFile(filepath.Join(app, "victim"), []byte("pwned"), 0o644)
		_ = rig.sys.Chmod(filepath.Join(app, "victim"), 0o666)
		_ = rig.sys.Lchown(filepath.Join(app, "victim"), os.Getuid(), os.Getgid())
		_ = rig.sys.Mkdir(filepath.Join(app, "made"), 0o755)
		_ = rig.sys.Rename(filepath.Join(app, "victim"), filepath.Join(app, "aside"))
		_ = rig.sys.Remove(filepath.Join(app, "aside"))
		_ = rig.sys.RemoveAll(filepath.Join(app, "made"))
	}
	close(stop)
	wg.Wait()
	rig.untouched(t)
}

func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		if strings.HasPrefix(de.Name(), TempPrefix) {
			t.Errorf("temporary file left: %s", filepath.Join(dir, de.Name()))
		}
	}
}

// TestConfinedLookup: the nearest confined folder strictly above a path
// takes it; the folder itself and paths elsewhere are ordinary. The
// same with a few confined folders (compared one by one) and with many
// (each parent looked up).
func TestConfinedLookup(t *testing.T) {
	var c confinement
	c.add("/home/alice")
	c.add("/home/alice/shared/bob")
	c.add("/")
	c.add("relative")
	if l := c.list(); len(l) != 2 {
		t.Errorf("list = %v", l)
	}
	checkLookup(t, &c)
	for i := range lookupScan {
		c.add(fmt.Sprintf("/srv/home%d", i))
	}
	checkLookup(t, &c)
	_ = bytes.MinRead
}

func checkLookup(t *testing.T, c *confinement) {
	t.Helper()
	for _, tc := range []struct{ name, dir, rel string }{
		{"/home/alice/.zshrc", "/home/alice", ".zshrc"},
		{"/home/alice/a/b/../c", "/home/alice", "a/c"},
		{"/home/alice", "", ""},
		{"/home/alicex/y", "", ""},
		{"/home/alice/shared/bob/x", "/home/alice/shared/bob", "x"},
		{"/home/alice/../bob/x", "", ""},
		{"/etc/passwd", "", ""},
		{"relative/x", "", ""},
		{"/", "", ""},
		{"/home/alice/", "", ""},
		{"//home//alice///x/", "/home/alice", "x"},
		{"/home/alice/shared/bob", "/home/alice", "shared/bob"},
	} {
		d, rel := c.lookup(tc.name)
		got := ""
		if d != nil {
			got = d.path
		}
		if got != tc.dir || rel != tc.rel {
			t.Errorf("%d folders: lookup(%s) = %q %q, want %q %q", len(c.list()), tc.name, got, rel, tc.dir, tc.rel)
		}
	}
}

// TestReadRefusesSpecialFiles: reading a device or a FIFO anywhere (a
// store object a user pointed at /dev/zero, a FIFO in a source folder)
// is refused at once instead of never ending or blocking.
func TestReadRefusesSpecialFiles(t *testing.T) {
	sys := NewReal()
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/dev/zero", "/dev/urandom", fifo} {
		done := make(chan error, 2)
		go func() {
			_, err := sys.ReadFile(p)
			done <- err
			_, err = sys.Open(p)
			done <- err
		}()
		for range 2 {
			select {
			case err := <-done:
				if !errors.Is(err, ErrNotRegular) {
					t.Errorf("%s: err = %v, want ErrNotRegular", p, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: the read did not return", p)
			}
		}
	}
	if b, err := sys.ReadFile("/proc/self/stat"); err != nil || !bytes.Contains(b, []byte("(")) {
		t.Errorf("a /proc file: %q %v", b, err)
	}
}

// TestWriteNewFile: the complete file appears at once, and nothing that
// is at the name is replaced (confined or not); no temporary file stays.
func TestWriteNewFile(t *testing.T) {
	rig := newConfinedRig(t)
	for _, dir := range []string{rig.home, rig.outside} {
		p := filepath.Join(dir, "new")
		if err := rig.sys.WriteNewFile(p, []byte("v1"), 0o640); err != nil {
			t.Fatal(err)
		}
		if err := rig.sys.WriteNewFile(p, []byte("v2"), 0o640); !errors.Is(err, fs.ErrExist) {
			t.Errorf("over an existing file: err = %v, want ErrExist", err)
		}
		b, err := os.ReadFile(p)
		fi, _ := os.Stat(p)
		if err != nil || string(b) != "v1" || fi.Mode() != 0o640 {
			t.Errorf("%s = %q %v %v", p, b, fi.Mode(), err)
		}
		assertNoTemps(t, dir)
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
}

// list returns the confined folders, for the tests.
func (c *confinement) list() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, 0, len(c.dirs))
	for p := range c.dirs {
		out = append(out, p)
	}
	return out
}

// TestConfinedReadFileBounded: a file below a confined folder is read
// whole only up to maxConfinedRead: a sparse file of a terabyte (its
// stat size) is refused before a buffer is made for it, where a buffer
// sized from the stat killed gocfg (out of memory is fatal in Go); a
// file at the bound is read.
func TestConfinedReadFileBounded(t *testing.T) {
	rig := newConfinedRig(t)
	huge := filepath.Join(rig.home, "id_ed25519")
	if err := os.WriteFile(huge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 1<<40); err != nil {
		t.Fatal(err)
	}
	if _, err := rig.sys.ReadFile(huge); err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("ReadFile of a 1 TiB sparse file: %v, want refused as larger than 64 MiB", err)
	}
	if err := os.Truncate(huge, maxConfinedRead); err != nil {
		t.Fatal(err)
	}
	if b, err := rig.sys.ReadFile(huge); err != nil || len(b) != maxConfinedRead {
		t.Errorf("ReadFile of a file of maxConfinedRead bytes: %d bytes, %v", len(b), err)
	}
}
