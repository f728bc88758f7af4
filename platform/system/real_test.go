package system

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func TestRealWriteFileExactMode(t *testing.T) {
	strictUmask(t)

	dir := t.TempDir()
	name := filepath.Join(dir, "motd")
	s := NewReal()
	if err := s.WriteFile(name, []byte("hello\n"), 0o664); err != nil {
		t.Fatal(err)
	}
	assertFile(t, name, "hello\n", 0o664)

	// Replacing does not keep the old mode.
	if err := s.WriteFile(name, []byte("bye\n"), 0o400); err != nil {
		t.Fatal(err)
	}
	assertFile(t, name, "bye\n", 0o400)
}

func TestRealWriteFileAtomicReplace(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	if err := os.WriteFile(name, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	// A reader holding the old file keeps seeing the old content: the
	// file is replaced by rename, not rewritten in place.
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	if err := NewReal().WriteFile(name, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	assertFile(t, name, "new", 0o644)
	buf := make([]byte, 10)
	n, _ := f.Read(buf)
	if got := string(buf[:n]); got != "old" {
		t.Errorf("old open file reads %q, want %q", got, "old")
	}
	after, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(before, after) {
		t.Error("file was rewritten in place, want a new inode renamed over it")
	}
	assertNames(t, dir, "f") // no temporary file left
}

func TestRealWriteFileError(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "missing", "f")
	err := NewReal().WriteFile(name, []byte("x"), 0o644)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want not exist", err)
	}
	if want := "write " + name + ": no such file or directory"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestRealCreateFile(t *testing.T) {
	strictUmask(t)

	dir := t.TempDir()
	name := filepath.Join(dir, "obj")
	s := NewReal()
	if err := s.CreateFile(name, strings.NewReader("content"), 0o444); err != nil {
		t.Fatal(err)
	}
	assertFile(t, name, "content", 0o444)

	err := s.CreateFile(name, strings.NewReader("other"), 0o644)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("CreateFile over an existing file: err = %v, want exist", err)
	}
	assertFile(t, name, "content", 0o444)
}

// failingReader returns some bytes and then an error.
type failingReader struct{ done bool }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.done {
		return 0, errors.New("source broke")
	}
	r.done = true
	return copy(p, "partial"), nil
}

func TestRealCreateFileRemovesPartial(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "obj")
	err := NewReal().CreateFile(name, &failingReader{}, 0o444)
	if err == nil || !strings.Contains(err.Error(), "source broke") {
		t.Fatalf("err = %v, want the reader's error", err)
	}
	if want := "create " + name + ": source broke"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	assertNames(t, dir)
}

func TestRealMkdirExactMode(t *testing.T) {
	strictUmask(t)

	dir := t.TempDir()
	s := NewReal()
	if err := s.Mkdir(filepath.Join(dir, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	assertMode(t, filepath.Join(dir, "a"), fs.ModeDir|0o755)

	if err := os.Mkdir(filepath.Join(dir, "b"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := s.MkdirAll(filepath.Join(dir, "b", "c", "d"), 0o751); err != nil {
		t.Fatal(err)
	}
	assertMode(t, filepath.Join(dir, "b"), fs.ModeDir|0o700) // existing: unchanged
	assertMode(t, filepath.Join(dir, "b", "c"), fs.ModeDir|0o751)
	assertMode(t, filepath.Join(dir, "b", "c", "d"), fs.ModeDir|0o751)

	if err := s.MkdirAll(filepath.Join(dir, "b", "c"), 0o700); err != nil {
		t.Fatalf("MkdirAll of an existing folder: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.MkdirAll(filepath.Join(dir, "file", "x"), 0o755); !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("MkdirAll under a file: err = %v, want ENOTDIR", err)
	}
}

func TestRealReplaceSymlink(t *testing.T) {
	dir := t.TempDir()
	s := NewReal()
	link := filepath.Join(dir, "l")

	// Over nothing, over a file, over a symlink.
	for _, target := range []string{"a", "b", "c"} {
		switch target {
		case "b":
			if err := os.Remove(link); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(link, []byte("file in the way"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.ReplaceSymlink(target, link); err != nil {
			t.Fatalf("ReplaceSymlink(%q): %v", target, err)
		}
		got, err := os.Readlink(link)
		if err != nil {
			t.Fatal(err)
		}
		if got != target {
			t.Errorf("link -> %q, want %q", got, target)
		}
	}
	assertNames(t, dir, "l") // no temporary folder left

	// A folder in the way is not replaced.
	d := filepath.Join(dir, "d")
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	err := s.ReplaceSymlink("x", d)
	if err == nil {
		t.Fatal("ReplaceSymlink over a folder succeeded")
	}
	if !strings.HasPrefix(err.Error(), "symlink x "+d+": ") {
		t.Errorf("err = %q, want it to name the link", err)
	}
}

func TestRealSymlinkExisting(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "l")
	s := NewReal()
	if err := s.Symlink("a", link); err != nil {
		t.Fatal(err)
	}
	if err := s.Symlink("b", link); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Symlink over a link: err = %v, want exist", err)
	}
}

// makeReadOnlyTree makes a tree of read-only folders under dir, as the
// content store does, and returns its top.
func makeReadOnlyTree(t *testing.T, dir string) string {
	t.Helper()
	top := filepath.Join(dir, "tree")
	for _, d := range []string{"a/b/c", "a/d", "e"} {
		if err := os.MkdirAll(filepath.Join(top, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"a/b/c/f", "a/d/g", "e/h", "i"} {
		if err := os.WriteFile(filepath.Join(top, f), []byte(f), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("../i", filepath.Join(top, "a", "link")); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"a/b/c", "a/b", "a/d", "a", "e", "."} {
		if err := os.Chmod(filepath.Join(top, d), 0o555); err != nil {
			t.Fatal(err)
		}
	}
	return top
}

func testRemoveAllReadOnly(t *testing.T) {
	dir := t.TempDir()
	top := makeReadOnlyTree(t, dir)
	s := NewReal()
	if err := s.RemoveAll(top); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(top); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("tree still there: %v", err)
	}
	if err := s.RemoveAll(top); err != nil {
		t.Errorf("RemoveAll of a missing path: %v", err)
	}
}

// asNobody is set in the environment of the test binary run again as
// nobody by TestRealRemoveAllReadOnly.
const asNobody = "GOCFG_SYSTEM_TEST_AS_NOBODY"

func TestRealRemoveAllReadOnly(t *testing.T) {
	testRemoveAllReadOnly(t)
	if os.Getuid() != 0 || os.Getenv(asNobody) != "" {
		return
	}
	// root may remove anything: run the test again as nobody, whom the
	// read-only folders stop.
	t.Run("nobody", func(t *testing.T) {
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		dir, err := os.MkdirTemp("", "gocfg-system-test-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.RemoveAll(dir) })
		if err := os.Chmod(dir, 0o777|fs.ModeSticky); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(dir, "system.test")
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "-test.run=^TestRealRemoveAllReadOnly$", "-test.v")
		cmd.Env = append(os.Environ(), asNobody+"=1", "TMPDIR="+dir)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("test as nobody: %v\n%s", err, out)
		}
	})
}

func TestRealLock(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "lock")
	s := NewReal()

	u1, err := s.Lock(name, 111)
	if err != nil {
		t.Fatal(err)
	}
	assertFile(t, name, "111\n", 0o600)

	// flock locks belong to an open file description: a second Lock in
	// this process opens the file again and is refused.
	_, err = s.Lock(name, 222)
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("second Lock: err = %v, want a *LockedError", err)
	}
	if !errors.Is(err, ErrLocked) {
		t.Error("errors.Is(err, ErrLocked) = false")
	}
	if le.PID != 111 || le.Path != name {
		t.Errorf("LockedError = %+v, want pid 111 on %s", le, name)
	}
	if want := name + ": locked by another gocfg (pid 111)"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	assertFile(t, name, "111\n", 0o600)

	if err := u1.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := u1.Unlock(); err != nil {
		t.Errorf("second Unlock: %v", err)
	}
	assertFile(t, name, "111\n", 0o600) // kept after Unlock

	u3, err := s.Lock(name, 333)
	if err != nil {
		t.Fatalf("Lock after Unlock: %v", err)
	}
	defer u3.Unlock()
	assertFile(t, name, "333\n", 0o600)
}

func TestRealLockNoPID(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "lock")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	_, err = NewReal().Lock(name, 1)
	// The holder wrote no pid: on Linux the kernel names it (this
	// process); elsewhere it is unknown.
	want := name + ": locked by another gocfg"
	if runtime.GOOS == "linux" {
		want += fmt.Sprintf(" (pid %d)", os.Getpid())
	}
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

// TestRealLockOthersKeptOut: nothing Lock flocks can be opened by
// another account, which could otherwise hold a shared flock on it and
// keep root's gocfg out: the lock file is 0600 and the lock folder 0700,
// also when they were found wider.
func TestRealLockOthersKeptOut(t *testing.T) {
	name := filepath.Join(t.TempDir(), "lock")
	if err := os.WriteFile(name, []byte("7\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(name+".d", 0o755); err != nil {
		t.Fatal(err)
	}
	u, err := NewReal().Lock(name, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer u.Unlock()
	for p, want := range map[string]os.FileMode{name: 0o600, name + ".d": 0o700 | os.ModeDir} {
		if fi, err := os.Stat(p); err != nil || fi.Mode() != want {
			t.Errorf("%s: %v %v, want %v", p, fi.Mode(), err, want)
		}
	}
}

func TestRealSync(t *testing.T) {
	dir := t.TempDir()
	s := NewReal()
	if err := s.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(dir); err != nil {
		t.Errorf("Sync(folder): %v", err)
	}
	if err := s.Sync(filepath.Join(dir, "f")); err != nil {
		t.Errorf("Sync(file): %v", err)
	}
	if err := s.Sync(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Sync(missing): err = %v, want not exist", err)
	}
}

func TestRealThinWrappers(t *testing.T) {
	dir := t.TempDir()
	s := NewReal()
	f := filepath.Join(dir, "f")
	if err := s.WriteFile(f, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Link(f, filepath.Join(dir, "hard")); err != nil {
		t.Fatal(err)
	}
	if err := s.Symlink("f", filepath.Join(dir, "soft")); err != nil {
		t.Fatal(err)
	}
	if err := s.Rename(filepath.Join(dir, "hard"), filepath.Join(dir, "hard2")); err != nil {
		t.Fatal(err)
	}
	if err := s.Chmod(f, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Lchown(filepath.Join(dir, "soft"), os.Getuid(), os.Getgid()); err != nil {
		t.Fatal(err)
	}
	assertNames(t, dir, "f", "hard2", "soft")
	assertFile(t, filepath.Join(dir, "hard2"), "data", 0o600)

	if got, err := s.Readlink(filepath.Join(dir, "soft")); err != nil || got != "f" {
		t.Errorf("Readlink = %q, %v", got, err)
	}
	if fi, err := s.Lstat(filepath.Join(dir, "soft")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat(soft) = %v, %v, want a symlink", fi, err)
	}
	if fi, err := s.Stat(filepath.Join(dir, "soft")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("Stat(soft) = %v, %v, want a file", fi, err)
	}
	if got, err := s.EvalSymlinks(filepath.Join(dir, "soft")); err != nil || filepath.Base(got) != "f" {
		t.Errorf("EvalSymlinks(soft) = %q, %v", got, err)
	}
	if b, err := s.ReadFile(filepath.Join(dir, "soft")); err != nil || string(b) != "data" {
		t.Errorf("ReadFile(soft) = %q, %v", b, err)
	}
	rc, err := s.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if err := s.Remove(filepath.Join(dir, "hard2")); err != nil {
		t.Fatal(err)
	}
	assertNames(t, dir, "f", "soft")
}

func TestRealRun(t *testing.T) {
	s := NewReal()
	out, err := s.Run(context.Background(), Command{Path: "echo", Args: []string{"hi"}, UID: -1, GID: -1})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "hi\n" {
		t.Errorf("output = %q, want %q", out, "hi\n")
	}

	dir := t.TempDir()
	out, err = s.Run(context.Background(), Command{
		Path: "/bin/sh", Args: []string{"-c", "pwd; echo $GREETING"},
		Env: []string{"GREETING=hello"}, Dir: dir, UID: -1, GID: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := dir + "\nhello\n"; string(out) != want {
		t.Errorf("output = %q, want %q", out, want)
	}

	out, err = s.Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", "tr a-z A-Z </dev/stdin"}, Stdin: []byte("piped"), UID: -1, GID: -1})
	if err != nil || string(out) != "PIPED" {
		t.Errorf("with Stdin: output %q, err %v; want %q", out, err, "PIPED")
	}
}

func TestRealRunFails(t *testing.T) {
	s := NewReal()
	script := "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line $i; done; echo oops >&2; exit 3"
	out, err := s.Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", script}, UID: -1, GID: -1})
	if err == nil {
		t.Fatal("no error")
	}
	if !strings.HasSuffix(string(out), "line 12\noops\n") {
		t.Errorf("output = %q, want the whole output", out)
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Errorf("err = %v, want an *exec.ExitError with code 3", err)
	}
	want := "run /bin/sh: exit status 3\n\tline 4\n\tline 5\n\tline 6\n\tline 7\n\tline 8\n\tline 9\n\tline 10\n\tline 11\n\tline 12\n\toops"
	if err.Error() != want {
		t.Errorf("err =\n%s\nwant\n%s", err, want)
	}

	_, err = s.Run(context.Background(), Command{Path: "/no/such/program", UID: -1, GID: -1})
	if want := "run /no/such/program: fork/exec /no/such/program: no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

func TestRealRunAs(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can run a command as another user")
	}
	out, err := NewReal().Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", "id -u; id -g"}, UID: 65534, GID: 65534})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "65534\n65534\n" {
		t.Errorf("output = %q, want nobody's ids", out)
	}
}

func TestRealRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewReal().Run(ctx, Command{Path: "/bin/sleep", Args: []string{"10"}, UID: -1, GID: -1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// strictUmask sets the process's umask to 077 until the test ends: the
// modes a System is asked for must be what it makes, whatever the umask.
func strictUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	t.Cleanup(func() { syscall.Umask(old) })
}

func assertFile(t *testing.T, name, content string, perm fs.FileMode) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != content {
		t.Errorf("%s: content %q, want %q", name, b, content)
	}
	assertMode(t, name, perm)
}

func assertMode(t *testing.T, name string, mode fs.FileMode) {
	t.Helper()
	fi, err := os.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != mode {
		t.Errorf("%s: mode %v, want %v", name, fi.Mode(), mode)
	}
}

// assertNames checks that dir holds exactly names.
func assertNames(t *testing.T, dir string, names ...string) {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, de := range des {
		got = append(got, de.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}
