package system

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readOnlyTree is the tree the ReadOnly tests try to change.
var readOnlyTree = map[string]string{
	"/etc/hostname":                     "old-host\n",
	"/etc/motd":                         "hello\n",
	"/home/alice/.zshrc":                "->/etc/motd",
	"/home/alice/empty/.keep":           "",
	"/etc/systemd/system/x.service":     systemTree["/etc/systemd/system/x.service"],
	"/usr/lib/systemd/system/z.service": systemTree["/usr/lib/systemd/system/z.service"],
}

// TestReadOnlyRefusesEveryChange calls every method of System that
// changes the machine: each fails with an error wrapping ErrReadOnly that
// names the operation and the path, and the tree is left as it was.
func TestReadOnlyRefusesEveryChange(t *testing.T) {
	root := offlineTree(t, readOnlyTree)
	ro := NewReadOnly(NewRooted(root, NewReal()))
	ctx := context.Background()
	before := listing(t, root)
	marker := filepath.Join(root, "ran")
	tested := map[string]bool{}

	for _, tt := range []struct {
		name string
		call func() error
		// want is the error's text before ": " + ErrReadOnly's.
		want string
	}{
		{"WriteFile", func() error { return ro.WriteFile("/etc/motd", []byte("x"), 0o644) }, "write /etc/motd"},
		{"WriteNewFile", func() error { return ro.WriteNewFile("/etc/new", []byte("x"), 0o644) }, "write /etc/new"},
		{"CreateFile", func() error { return ro.CreateFile("/etc/new", strings.NewReader("x"), 0o444) }, "create /etc/new"},
		{"OpenAppend", func() error {
			w, err := ro.OpenAppend("/etc/motd", 0o644)
			if w != nil {
				t.Errorf("OpenAppend returned a writer")
			}
			return err
		}, "append /etc/motd"},
		{"Mkdir", func() error { return ro.Mkdir("/etc/new.d", 0o755) }, "mkdir /etc/new.d"},
		{"MkdirAll", func() error { return ro.MkdirAll("/var/lib/gocfg/store", 0o755) }, "mkdir /var/lib/gocfg/store"},
		{"MkdirAll existing", func() error { return ro.MkdirAll("/etc", 0o755) }, "mkdir /etc"},
		{"Symlink", func() error { return ro.Symlink("../etc/motd", "/home/alice/motd") }, "symlink ../etc/motd /home/alice/motd"},
		{"ReplaceSymlink", func() error { return ro.ReplaceSymlink("/etc/hostname", "/home/alice/.zshrc") }, "symlink /etc/hostname /home/alice/.zshrc"},
		{"Link", func() error { return ro.Link("/etc/motd", "/etc/motd.2") }, "link /etc/motd /etc/motd.2"},
		{"Rename", func() error { return ro.Rename("/etc/motd", "/etc/motd.bak") }, "rename /etc/motd /etc/motd.bak"},
		{"Exchange", func() error { return ro.Exchange("/etc/motd.gocfg-3~", "/etc/motd") }, "exchange /etc/motd.gocfg-3~ /etc/motd"},
		{"Remove", func() error { return ro.Remove("/etc/motd") }, "remove /etc/motd"},
		{"RemoveDir", func() error { return ro.RemoveDir("/etc/gocfg") }, "rmdir /etc/gocfg"},
		{"RemoveAll", func() error { return ro.RemoveAll("/home/alice") }, "removeall /home/alice"},
		{"RemoveUnshared", func() error { return ro.RemoveUnshared("/etc/motd", nil) }, "remove /etc/motd"},
		{"Chmod", func() error { return ro.Chmod("/etc/motd", 0o600) }, "chmod /etc/motd"},
		{"Lchown", func() error { return ro.Lchown("/etc/motd", os.Getuid(), os.Getgid()) }, "lchown /etc/motd"},
		{"GrantRead", func() error { return ro.GrantRead("/home/alice", 1000) }, "setfacl /home/alice"},
		{"Lock", func() error {
			u, err := ro.Lock("/var/lib/gocfg/lock", 42)
			if u != nil {
				t.Errorf("Lock returned an Unlocker")
			}
			return err
		}, "lock /var/lib/gocfg/lock"},
		{"SetHostname", func() error { return ro.SetHostname(ctx, "new host") }, "hostnamectl set-hostname 'new host'"},
		{"Run", func() error {
			out, err := ro.Run(ctx, Command{Path: "/bin/sh", Args: []string{"-c", "touch " + marker}, UID: -1, GID: -1})
			if out != nil {
				t.Errorf("Run output = %q", out)
			}
			return err
		}, "run /bin/sh -c 'touch " + marker + "'"},
		{"Run Tree", func() error {
			_, err := ro.Run(ctx, Command{Path: "/bin/sh", Args: []string{"-c", "touch " + marker}, Dir: "/etc", UID: -1, GID: -1, Tree: true})
			return err
		}, "run /bin/sh -c 'touch " + marker + "' (in /etc)"},
	} {
		tested[strings.Fields(tt.name)[0]] = true
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, ErrReadOnly) {
				t.Fatalf("err = %v, want ErrReadOnly", err)
			}
			if want := tt.want + ": " + ErrReadOnly.Error(); err.Error() != want {
				t.Errorf("err = %q, want %q", err, want)
			}
		})
	}
	if after := listing(t, root); after != before {
		t.Errorf("the tree changed:\n%s\nwas:\n%s", after, before)
	}
	if _, err := os.Lstat(marker); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused command ran: %v", err)
	}
	// Every method of System is a read that passes (tested below) or a
	// change tested above: a new method must be one or the other.
	passes := map[string]bool{"Lstat": true, "Stat": true, "Readlink": true, "ReadDir": true, "ReadDirTypes": true, "Open": true,
		"ReadFile": true, "EvalSymlinks": true, "Confine": true, "Sync": true, "Hostname": true, "Units": true}
	st := reflect.TypeFor[System]()
	for i := range st.NumMethod() {
		if m := st.Method(i).Name; !passes[m] && !tested[m] {
			t.Errorf("System.%s is neither a read nor tested as a refused change", m)
		}
	}
}

// TestReadOnlyErrorTypes: path errors are *fs.PathError, the errors of
// calls with two names *os.LinkError, as every System's.
func TestReadOnlyErrorTypes(t *testing.T) {
	ro := NewReadOnly(NewRooted(t.TempDir(), NewReal()))
	var pe *fs.PathError
	if err := ro.WriteFile("/x", nil, 0o644); !errors.As(err, &pe) || pe.Op != "write" || pe.Path != "/x" {
		t.Errorf("WriteFile err = %#v, want an *fs.PathError about write /x", err)
	}
	var le *os.LinkError
	if err := ro.Rename("/a", "/b"); !errors.As(err, &le) || le.Op != "rename" || le.Old != "/a" || le.New != "/b" {
		t.Errorf("Rename err = %#v, want an *os.LinkError about rename /a /b", err)
	}
	if err := ro.Exchange("/a", "/b"); !errors.As(err, &le) || le.Op != "exchange" || le.Old != "/a" || le.New != "/b" {
		t.Errorf("Exchange err = %#v, want an *os.LinkError about exchange /a /b", err)
	}
}

func TestReadOnlyReadsPassThrough(t *testing.T) {
	root := offlineTree(t, readOnlyTree)
	base := NewRooted(root, NewReal())
	ro := NewReadOnly(base)
	ctx := context.Background()

	if data, err := ro.ReadFile("/etc/motd"); err != nil || string(data) != "hello\n" {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
	f, err := ro.Open("/etc/motd")
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil || string(data) != "hello\n" {
		t.Errorf("Open, read = %q, %v", data, err)
	}
	if fi, err := ro.Lstat("/home/alice/.zshrc"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat = %v, %v; want a symlink", fi, err)
	}
	if fi, err := ro.Stat("/etc"); err != nil || !fi.IsDir() {
		t.Errorf("Stat = %v, %v; want a folder", fi, err)
	}
	if target, err := ro.Readlink("/home/alice/.zshrc"); err != nil || target != "/etc/motd" {
		t.Errorf("Readlink = %q, %v", target, err)
	}
	for name, list := range map[string]func(string) ([]fs.DirEntry, error){"ReadDir": ro.ReadDir, "ReadDirTypes": ro.ReadDirTypes} {
		ents, err := list("/home/alice")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		if want := []string{".zshrc", "empty"}; !reflect.DeepEqual(names, want) {
			t.Errorf("%s = %q, want %q", name, names, want)
		}
	}
	if p, err := ro.EvalSymlinks("/etc/systemd/system"); err != nil || p != "/etc/systemd/system" {
		t.Errorf("EvalSymlinks = %q, %v", p, err)
	}
	if _, err := ro.ReadFile("/etc/missing"); !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrReadOnly) {
		t.Errorf("ReadFile(missing) err = %v, want the base's fs.ErrNotExist", err)
	}
	if name, err := ro.Hostname(ctx); err != nil || name != "old-host" {
		t.Errorf("Hostname = %q, %v; want old-host", name, err)
	}
	if err := ro.Sync("/etc/motd"); err != nil {
		t.Errorf("Sync: %v", err)
	}
}

// TestReadOnlyRunsQueries: a command marked ReadOnly runs on the base;
// under a Rooted base, in the relocated folder.
func TestReadOnlyRunsQueries(t *testing.T) {
	root := offlineTree(t, readOnlyTree)
	ro := NewReadOnly(NewRooted(root, NewReal()))
	out, err := ro.Run(context.Background(), Command{Path: "/bin/pwd", Dir: "/home/alice", UID: -1, GID: -1, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := root + "/home/alice\n"; string(out) != want {
		t.Errorf("output = %q, want %q", out, want)
	}
	// A failed query is the base's error, not a refusal.
	_, err = ro.Run(context.Background(), Command{Path: "/bin/false", UID: -1, GID: -1, ReadOnly: true})
	if err == nil || errors.Is(err, ErrReadOnly) {
		t.Errorf("failed query: err = %v, want the command's failure", err)
	}
}

// TestReadOnlyUnits: the Units of a ReadOnly read states and refuse
// every job and every link, naming the systemctl command, and make no
// link in the tree.
func TestReadOnlyUnits(t *testing.T) {
	root := offlineTree(t, readOnlyTree)
	ro := NewReadOnly(NewRooted(root, NewReal()))
	ctx := context.Background()
	before := listing(t, root)
	sys, user := treeUnits(t, ctx, ro)
	for _, tt := range []struct {
		err  error
		want string
	}{
		{sys.DaemonReload(ctx), "systemctl daemon-reload"},
		{sys.Enable(ctx, []string{"x.service", "z.service"}), "systemctl enable x.service z.service"},
		{sys.Disable(ctx, []string{"x.service"}), "systemctl disable x.service"},
		{sys.Start(ctx, "x.service"), "systemctl start x.service"},
		{sys.Stop(ctx, "x.service"), "systemctl stop x.service"},
		{sys.Restart(ctx, "x.service"), "systemctl restart x.service"},
		{sys.Reload(ctx, "x.service"), "systemctl reload x.service"},
		{sys.ResetFailed(ctx, "x.service"), "systemctl reset-failed x.service"},
		{user.Enable(ctx, []string{"x.service"}), "systemctl --user --machine=alice@ enable x.service"},
	} {
		if !errors.Is(tt.err, ErrReadOnly) {
			t.Errorf("%s: err = %v, want ErrReadOnly", tt.want, tt.err)
			continue
		}
		if want := tt.want + ": " + ErrReadOnly.Error(); tt.err.Error() != want {
			t.Errorf("err = %q, want %q", tt.err, want)
		}
	}
	_ = sys.Journal(ctx, "x.service", 5)
	wantTreeRead(t, ctx, root, before, sys)
}

// confineRecorder is a System that records the folders it confines.
type confineRecorder struct {
	System
	confined []string
}

func (c *confineRecorder) Confine(dir string) { c.confined = append(c.confined, dir) }

func TestReadOnlyConfinePassesThrough(t *testing.T) {
	base := &confineRecorder{System: NewReal()}
	NewReadOnly(base).Confine("/home/alice")
	if want := []string{"/home/alice"}; !reflect.DeepEqual(base.confined, want) {
		t.Errorf("confined = %q, want %q", base.confined, want)
	}
}
