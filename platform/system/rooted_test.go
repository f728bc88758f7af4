package system

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newRootedTest returns a Rooted over a new temporary root holding the
// folder /home/alice.
func newRootedTest(t *testing.T) (*Rooted, string) {
	t.Helper()
	root := t.TempDir()
	r := NewRooted(root, NewReal())
	if err := r.MkdirAll("/home/alice", 0o755); err != nil {
		t.Fatal(err)
	}
	return r, root
}

// assertMachineError checks that err's text is want and does not name
// the host root.
func assertMachineError(t *testing.T, err error, root, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if strings.Contains(err.Error(), root) {
		t.Errorf("err = %q names the host root %s", err, root)
	}
	if err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestRootedRelocates(t *testing.T) {
	r, root := newRootedTest(t)
	rootedHostPaths(t, r, root)
	rootedWrites(t, r, root)
	rootedLinks(t, r, root)
	rootedReads(t, r)

	if err := r.Remove("/home/alice/hard2"); err != nil {
		t.Fatal(err)
	}
	if err := r.RemoveAll("/home/alice/d"); err != nil {
		t.Fatal(err)
	}
	assertNames(t, filepath.Join(root, "home/alice"), "abs", "obj", "rel", "x")
}

// rootedHostPaths checks that r maps machine paths into root, and never
// out of it.
func rootedHostPaths(t *testing.T, r *Rooted, root string) {
	if r.Root() != root {
		t.Errorf("Root() = %q, want %q", r.Root(), root)
	}
	if got, want := r.HostPath("/home/alice/x"), root+"/home/alice/x"; got != want {
		t.Errorf("HostPath = %q, want %q", got, want)
	}
	if got := r.HostPath("/"); got != root {
		t.Errorf("HostPath(/) = %q, want %q", got, root)
	}
	if got := r.HostPath("/../../etc"); got != root+"/etc" {
		t.Errorf("HostPath(/../../etc) = %q, want it inside the root", got)
	}
}

// rootedWrites writes a file, creates one and makes a folder through r,
// and checks them in root.
func rootedWrites(t *testing.T, r *Rooted, root string) {
	if err := r.WriteFile("/home/alice/x", []byte("hello"), 0o640); err != nil {
		t.Fatal(err)
	}
	assertFile(t, filepath.Join(root, "home/alice/x"), "hello", 0o640)
	if err := r.CreateFile("/home/alice/obj", strings.NewReader("obj"), 0o444); err != nil {
		t.Fatal(err)
	}
	assertFile(t, filepath.Join(root, "home/alice/obj"), "obj", 0o444)
	if err := r.Mkdir("/home/alice/d", 0o700); err != nil {
		t.Fatal(err)
	}
	assertMode(t, filepath.Join(root, "home/alice/d"), fs.ModeDir|0o700)
}

// rootedLinks: symlink targets are stored unchanged; hard links relocate
// both paths, as do Rename, Chmod and Lchown.
func rootedLinks(t *testing.T, r *Rooted, root string) {
	if err := r.Symlink("/etc/passwd", "/home/alice/abs"); err != nil {
		t.Fatal(err)
	}
	if err := r.ReplaceSymlink("x", "/home/alice/rel"); err != nil {
		t.Fatal(err)
	}
	if err := r.ReplaceSymlink("obj", "/home/alice/rel"); err != nil {
		t.Fatal(err)
	}
	for link, want := range map[string]string{"abs": "/etc/passwd", "rel": "obj"} {
		got, err := os.Readlink(filepath.Join(root, "home/alice", link))
		if err != nil || got != want {
			t.Errorf("host link %s -> %q, %v, want %q", link, got, err, want)
		}
		got, err = r.Readlink("/home/alice/" + link)
		if err != nil || got != want {
			t.Errorf("Readlink(%s) = %q, %v, want %q", link, got, err, want)
		}
	}
	if err := r.Link("/home/alice/x", "/home/alice/hard"); err != nil {
		t.Fatal(err)
	}
	if err := r.Rename("/home/alice/hard", "/home/alice/hard2"); err != nil {
		t.Fatal(err)
	}
	if err := r.Chmod("/home/alice/hard2", 0o600); err != nil {
		t.Fatal(err)
	}
	if err := r.Lchown("/home/alice/abs", os.Getuid(), os.Getgid()); err != nil {
		t.Fatal(err)
	}
	assertFile(t, filepath.Join(root, "home/alice/x"), "hello", 0o600)
	assertNames(t, filepath.Join(root, "home/alice"), "abs", "d", "hard2", "obj", "rel", "x")
}

// rootedReads reads through r what rootedWrites and rootedLinks left.
func rootedReads(t *testing.T, r *Rooted) {
	if b, err := r.ReadFile("/home/alice/rel"); err != nil || string(b) != "obj" {
		t.Errorf("ReadFile(rel) = %q, %v", b, err)
	}
	f, err := r.Open("/home/alice/x")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(f); err != nil || string(b) != "hello" {
		t.Errorf("Open(x) reads %q, %v", b, err)
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
	if fi, err := r.Lstat("/home/alice/abs"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat(abs) = %v, %v, want a symlink", fi, err)
	}
	if fi, err := r.Stat("/home/alice/rel"); err != nil || fi.Size() != 3 {
		t.Errorf("Stat(rel) = %v, %v, want the 3-byte file", fi, err)
	}
	des, err := r.ReadDir("/home")
	if err != nil || len(des) != 1 || des[0].Name() != "alice" {
		t.Errorf("ReadDir(/home) = %v, %v", des, err)
	}
	if err := r.Sync("/home/alice/x"); err != nil {
		t.Error(err)
	}
}

func TestRootedErrorsNameMachinePaths(t *testing.T) {
	r, root := newRootedTest(t)
	if err := r.WriteFile("/home/alice/x", []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}

	_, err := r.ReadFile("/home/alice/missing")
	assertMachineError(t, err, root, "open /home/alice/missing: no such file or directory")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(err, fs.ErrNotExist) = false for %v", err)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != "/home/alice/missing" {
		t.Errorf("err = %#v, want an *fs.PathError on the machine path", err)
	}

	err = r.WriteFile("/home/alice/x/y", []byte("no"), 0o644)
	assertMachineError(t, err, root, "write /home/alice/x/y: not a directory")

	err = r.CreateFile("/home/alice/x", strings.NewReader("no"), 0o644)
	assertMachineError(t, err, root, "open /home/alice/x: file exists")

	err = r.MkdirAll("/home/alice/x/sub", 0o755)
	assertMachineError(t, err, root, "mkdir /home/alice/x: not a directory")

	_, err = r.Lstat("/home/alice/nope")
	assertMachineError(t, err, root, "lstat /home/alice/nope: no such file or directory")

	_, err = r.Open("/home/alice/nope")
	assertMachineError(t, err, root, "open /home/alice/nope: no such file or directory")

	// Link errors: both paths are relocated for Rename and Link, the
	// target of a symlink is left as it is.
	err = r.Rename("/home/alice/nope", "/home/alice/x2")
	assertMachineError(t, err, root, "rename /home/alice/nope /home/alice/x2: no such file or directory")
	err = r.Link("/home/alice/nope", "/home/alice/x2")
	assertMachineError(t, err, root, "link /home/alice/nope /home/alice/x2: no such file or directory")
	err = r.Symlink("target", "/home/alice/x")
	assertMachineError(t, err, root, "symlink target /home/alice/x: file exists")
	err = r.ReplaceSymlink("target", "/home/bob/x")
	if err == nil || !strings.HasSuffix(err.Error(), "symlink target /home/bob/x: no such file or directory") ||
		strings.Contains(err.Error(), root) {
		t.Errorf("ReplaceSymlink err = %v, want it on the machine path", err)
	}

	// Reading a folder through Open fails on Read, on the machine path.
	f, err := r.Open("/home/alice")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Read(make([]byte, 10))
	f.Close()
	assertMachineError(t, err, root, "read /home/alice: is a directory")

	_, err = r.Run(context.Background(), Command{Path: "/bin/true", Dir: "/home/nobody", UID: -1, GID: -1, ReadOnly: true})
	assertMachineError(t, err, root, "run /bin/true: chdir /home/nobody: no such file or directory")
}

func TestRootedRelativePathRefused(t *testing.T) {
	r, root := newRootedTest(t)
	err := r.WriteFile("home/alice/x", []byte("x"), 0o644)
	assertMachineError(t, err, root, "write home/alice/x: not an absolute path")
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		t.Errorf("err = %#v, want an *fs.PathError", err)
	}
	if _, err := r.Stat("x"); err == nil || !strings.Contains(err.Error(), "not an absolute path") {
		t.Errorf("Stat(relative) err = %v", err)
	}
	if err := r.Symlink("/ok/target", "rel/link"); err == nil || !strings.Contains(err.Error(), "not an absolute path") {
		t.Errorf("Symlink(_, relative) err = %v", err)
	}
	if err := r.Rename("/home/alice", "./alice"); err == nil || !strings.Contains(err.Error(), "not an absolute path") {
		t.Errorf("Rename(_, relative) err = %v", err)
	}
	if _, err := r.Run(context.Background(), Command{Path: "/bin/true", Dir: "tmp", UID: -1, GID: -1, ReadOnly: true}); err == nil ||
		!strings.Contains(err.Error(), "not an absolute path") {
		t.Errorf("Run in a relative folder: err = %v", err)
	}
	assertNames(t, root, "home")
	assertNames(t, filepath.Join(root, "home/alice"))
}

func TestRootedEvalSymlinks(t *testing.T) {
	r, root := newRootedTest(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("s"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct{ target, link string }{
		{"x", "/home/alice/rel"},
		{"../bob", "/home/alice/bob"},
		{outside, "/home/alice/abs"},
		{"../../../../../../../../..", "/home/alice/up"},
		{"/etc", "/home/alice/etc"},
	} {
		if err := r.Symlink(l.target, l.link); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.MkdirAll("/home/bob", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"/home/alice/x", "/home/bob/f"} {
		if err := r.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	for name, want := range map[string]string{
		"/":                  "/",
		"/home/alice/rel":    "/home/alice/x",
		"/home/alice/bob/f":  "/home/bob/f",
		"/home/alice/../bob": "/home/bob",
	} {
		got, err := r.EvalSymlinks(name)
		if err != nil || got != want {
			t.Errorf("EvalSymlinks(%s) = %q, %v, want %q", name, got, err, want)
		}
	}

	for _, name := range []string{"/home/alice/abs", "/home/alice/abs/secret", "/home/alice/up", "/home/alice/etc"} {
		_, err := r.EvalSymlinks(name)
		if !errors.Is(err, ErrEscapes) {
			t.Errorf("EvalSymlinks(%s): err = %v, want ErrEscapes", name, err)
			continue
		}
		assertMachineError(t, err, root, "evalsymlinks "+name+": leads outside the root")
	}
	// A missing file reached through a link out of the root escapes too.
	if _, err := r.EvalSymlinks("/home/alice/abs/missing"); !errors.Is(err, ErrEscapes) {
		t.Errorf("EvalSymlinks(abs/missing): err = %v, want ErrEscapes", err)
	}

	_, err := r.EvalSymlinks("/home/alice/missing")
	assertMachineError(t, err, root, "lstat /home/alice/missing: no such file or directory")
}

func TestRootedEvalSymlinksRootBehindLink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(dir, "root")); err != nil {
		t.Fatal(err)
	}
	r := NewRooted(filepath.Join(dir, "root"), NewReal())
	if err := r.WriteFile("/f", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.Symlink("f", "/l"); err != nil {
		t.Fatal(err)
	}
	if got, err := r.EvalSymlinks("/l"); err != nil || got != "/f" {
		t.Errorf("EvalSymlinks(/l) = %q, %v, want /f", got, err)
	}
}

func TestRootedLock(t *testing.T) {
	r, root := newRootedTest(t)
	u, err := r.Lock("/home/alice/lock", 42)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Lock("/home/alice/lock", 43)
	assertMachineError(t, err, root, "/home/alice/lock: locked by another gocfg (pid 42)")
	var le *LockedError
	if !errors.As(err, &le) || le.Path != "/home/alice/lock" || le.PID != 42 || !errors.Is(err, ErrLocked) {
		t.Errorf("err = %#v, want a *LockedError on the machine path", err)
	}
	if err := u.Unlock(); err != nil {
		t.Fatal(err)
	}
	assertFile(t, filepath.Join(root, "home/alice/lock"), "42\n", 0o600)
}

func TestRootedRun(t *testing.T) {
	r, root := newRootedTest(t)
	for _, c := range []Command{
		{Path: "/bin/pwd", Dir: "/home/alice", UID: -1, GID: -1, ReadOnly: true},
		{Path: "/bin/pwd", Dir: "/home/alice", UID: -1, GID: -1, Tree: true},
	} {
		out, err := r.Run(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		if want := root + "/home/alice\n"; string(out) != want {
			t.Errorf("output = %q, want %q", out, want)
		}
	}
}

// TestRootedRunRefusesHostCommands: a command neither ReadOnly nor Tree
// would change the host, not the tree; it is refused before it starts.
func TestRootedRunRefusesHostCommands(t *testing.T) {
	r, root := newRootedTest(t)
	marker := filepath.Join(t.TempDir(), "ran")
	out, err := r.Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", "touch " + marker}, Dir: "/home/alice", UID: -1, GID: -1})
	if !errors.Is(err, ErrHostCommand) || out != nil {
		t.Fatalf("Run = %q, %v; want ErrHostCommand", out, err)
	}
	if want := "run /bin/sh -c 'touch " + marker + "' (in /home/alice): " + ErrHostCommand.Error(); err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if strings.Contains(err.Error(), root) {
		t.Errorf("err = %q names the host root", err)
	}
	if _, err := os.Lstat(marker); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the command ran: %v", err)
	}
}

func TestNewRootedRelativePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewRooted with a relative root did not panic")
		}
	}()
	NewRooted("relative/root", NewReal())
}

func TestRootedSlash(t *testing.T) {
	dir := t.TempDir()
	r := NewRooted("/", NewReal())
	if err := r.WriteFile(dir+"/f", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := r.ReadFile(dir + "/missing")
	if want := "open " + dir + "/missing: no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if err := r.Symlink("/etc", dir+"/l"); err != nil {
		t.Fatal(err)
	}
	if got, err := r.EvalSymlinks(dir + "/l"); err != nil || got != "/etc" {
		t.Errorf("EvalSymlinks = %q, %v, want /etc", got, err)
	}
}
