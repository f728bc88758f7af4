package system

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// listing describes the tree under root, one line per entry: path,
// mode, owner, modification time, and link target or content.
func listing(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(&b, "%s %v", rel, fi.Mode())
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			fmt.Fprintf(&b, " %d:%d nlink=%d", st.Uid, st.Gid, st.Nlink)
		}
		fmt.Fprintf(&b, " %d", fi.ModTime().UnixNano())
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " -> %s", target)
		case fi.Mode().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %q", data)
		}
		b.WriteByte('\n')
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestDryRunChangesNothing(t *testing.T) {
	root := t.TempDir()
	base := NewRooted(root, NewReal())
	if err := base.MkdirAll("/home/alice/store", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := base.WriteFile("/home/alice/.zshrc", []byte("export A=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := base.Symlink(".zshrc", "/home/alice/.profile"); err != nil {
		t.Fatal(err)
	}
	if err := base.WriteFile("/home/alice/store/obj", []byte("obj"), 0o444); err != nil {
		t.Fatal(err)
	}
	if err := base.Chmod("/home/alice/store", 0o555); err != nil {
		t.Fatal(err)
	}
	before := listing(t, root)

	d := NewDryRun(base)
	ctx := context.Background()
	steps := []error{
		d.WriteFile("/etc/motd", []byte("hello world\n"), 0o644),
		d.WriteFile("/home/alice/.zshrc", []byte("export A=2\n"), 0o600),
		d.CreateFile("/home/alice/store/new", strings.NewReader("content"), 0o444),
		d.Mkdir("/home/alice/d", 0o700),
		d.MkdirAll("/var/lib/gocfg/generations", 0o755),
		d.Symlink("../x", "/home/alice/y"),
		d.ReplaceSymlink("generations/3", "/var/lib/gocfg/current"),
		d.Link("/home/alice/.zshrc", "/home/alice/hard"),
		d.Rename("/home/alice/.zshrc", "/home/alice/.zshrc.bak"),
		d.Exchange("/home/alice/.zshrc.gocfg-3~", "/home/alice/.zshrc"),
		d.Remove("/home/alice/.profile"),
		d.RemoveAll("/home/alice/store"),
		d.Chmod("/home/alice/.zshrc", fs.ModeSetuid|0o755),
		d.Lchown("/home/alice/.zshrc", 1000, 100),
		d.Sync("/home/alice"),
	}
	u, err := d.Lock("/var/lib/gocfg/lock", 77)
	steps = append(steps, err)
	if err == nil {
		steps = append(steps, u.Unlock())
	}
	out, err := d.Run(ctx, Command{Path: "/bin/sh", Args: []string{"-c", "touch /home/alice/ran; echo it's"}, UID: -1, GID: -1})
	steps = append(steps, err)
	if out != nil {
		t.Errorf("Run output = %q, want none", out)
	}
	_, err = d.Run(ctx, Command{Path: "systemctl", Args: []string{"--user", "daemon-reload"}, Dir: "/home/alice", UID: 1000, GID: 100})
	steps = append(steps, err)
	for i, err := range steps {
		if err != nil {
			t.Errorf("step %d: %v", i, err)
		}
	}

	if after := listing(t, root); after != before {
		t.Errorf("dry run changed the tree:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	want := []string{
		"write /etc/motd (12 bytes, 0644)",
		"write /home/alice/.zshrc (11 bytes, 0600)",
		"create /home/alice/store/new (7 bytes, 0444)",
		"mkdir /home/alice/d (0700)",
		"mkdir -p /var/lib/gocfg/generations (0755)",
		"symlink /home/alice/y -> ../x",
		"symlink /var/lib/gocfg/current -> generations/3 (replace)",
		"link /home/alice/hard => /home/alice/.zshrc",
		"rename /home/alice/.zshrc -> /home/alice/.zshrc.bak",
		"exchange /home/alice/.zshrc.gocfg-3~ <-> /home/alice/.zshrc",
		"remove /home/alice/.profile",
		"remove -r /home/alice/store",
		"chmod /home/alice/.zshrc 4755",
		"chown /home/alice/.zshrc 1000:100",
		"sync /home/alice",
		"lock /var/lib/gocfg/lock (pid 77)",
		`run /bin/sh -c 'touch /home/alice/ran; echo it'\''s'`,
		"run systemctl --user daemon-reload (in /home/alice) (as 1000:100)",
	}
	if got := d.Log(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Log() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Reads pass through to the base.
	if b, err := d.ReadFile("/home/alice/.profile"); err != nil || string(b) != "export A=1\n" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	if got, err := d.Readlink("/home/alice/.profile"); err != nil || got != ".zshrc" {
		t.Errorf("Readlink = %q, %v", got, err)
	}
	if got, err := d.EvalSymlinks("/home/alice/.profile"); err != nil || got != "/home/alice/.zshrc" {
		t.Errorf("EvalSymlinks = %q, %v", got, err)
	}
	if _, err := d.Stat("/etc/motd"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat of a file only written in the dry run: err = %v, want not exist", err)
	}
	if des, err := d.ReadDir("/home/alice/store"); err != nil || len(des) != 1 {
		t.Errorf("ReadDir = %v, %v", des, err)
	}
	if fi, err := d.Lstat("/home/alice/.profile"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat = %v, %v", fi, err)
	}
	f, err := d.Open("/home/alice/.zshrc")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()

	// The Log is a copy.
	d.Log()[0] = "changed"
	if d.Log()[0] != want[0] {
		t.Error("changing the result of Log changed the log")
	}
	if err := base.Chmod("/home/alice/store", 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestDryRunCreateFileReadError(t *testing.T) {
	d := NewDryRun(NewReal())
	err := d.CreateFile("/x", &failingReader{}, 0o644)
	if err == nil || err.Error() != "create /x: source broke" {
		t.Errorf("err = %v, want the reader's error", err)
	}
	if len(d.Log()) != 0 {
		t.Errorf("Log() = %q, want nothing", d.Log())
	}
}

func TestDryRunConcurrent(t *testing.T) {
	d := NewDryRun(NewReal())
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			_ = d.WriteFile(fmt.Sprintf("/f%d", i), nil, 0o644)
			_ = d.Log()
		})
	}
	wg.Wait()
	if n := len(d.Log()); n != 50 {
		t.Errorf("%d lines logged, want 50", n)
	}
}
