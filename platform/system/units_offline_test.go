package system

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// offlineTree writes files (machine path → content; content "->TARGET"
// makes a symlink) under a new root and returns it.
func offlineTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(content, "->"); ok {
			err = os.Symlink(target, p)
		} else {
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// wantLinks fails the test unless the links in the tree at root are
// want, as treeLinks lists them; when says after what.
func wantLinks(t *testing.T, root, when string, want ...string) {
	t.Helper()
	if got := treeLinks(t, root); !reflect.DeepEqual(got, want) {
		t.Errorf("links %s:\n%s\nwant:\n%s", when, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// treeLinks returns every symlink under root as "machine path -> target".
func treeLinks(t *testing.T, root string) []string {
	t.Helper()
	var links []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			links = append(links, strings.TrimPrefix(p, root)+" -> "+target)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(links)
	return links
}

// treeDirs returns every folder under root/etc as a machine path.
func treeDirs(t *testing.T, root string) []string {
	t.Helper()
	var dirs []string
	_ = filepath.WalkDir(filepath.Join(root, "etc"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, strings.TrimPrefix(p, root))
		}
		return nil
	})
	return dirs
}

// systemTree is a machine with units of every kind enabling knows.
var systemTree = map[string]string{
	"/etc/systemd/system/x.service": "[Unit]\nDescription=x\n\n[Service]\nExecStart=/bin/true\n\n" +
		"[Install]\nWantedBy=multi-user.target\nAlias=y.service\nAlso=z.service\n",
	"/usr/lib/systemd/system/z.service":  "[Service]\nExecStart=/bin/true\n[Install]\nRequiredBy=timers.target\n",
	"/etc/systemd/system/foo@.service":   "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\nDefaultInstance=def\n",
	"/etc/systemd/system/static.service": "[Service]\nExecStart=/bin/true\n",
	"/etc/systemd/system/masked.service": "->/dev/null",
	"/etc/systemd/system/two.service":    "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=a.target b.target\n",
}

// systemUnits returns the offline system Units of a new tree.
func systemUnits(t *testing.T, files map[string]string) (Units, string) {
	t.Helper()
	root := offlineTree(t, files)
	u, err := NewRooted(root, NewReal()).Units(context.Background(), UnitScope{UID: -1, GID: -1})
	if err != nil {
		t.Fatal(err)
	}
	return u, root
}

func TestOfflineEnableDisable(t *testing.T) {
	u, root := systemUnits(t, systemTree)
	ctx := context.Background()
	if err := u.Enable(ctx, []string{"x.service", "foo@bar.service", "foo@.service", "two.service"}); err != nil {
		t.Fatal(err)
	}
	wantLinks(t, root, "after Enable",
		"/etc/systemd/system/a.target.wants/two.service -> /etc/systemd/system/two.service",
		"/etc/systemd/system/b.target.wants/two.service -> /etc/systemd/system/two.service",
		"/etc/systemd/system/masked.service -> /dev/null",
		"/etc/systemd/system/multi-user.target.wants/foo@bar.service -> /etc/systemd/system/foo@.service",
		"/etc/systemd/system/multi-user.target.wants/foo@def.service -> /etc/systemd/system/foo@.service",
		"/etc/systemd/system/multi-user.target.wants/x.service -> /etc/systemd/system/x.service",
		"/etc/systemd/system/timers.target.requires/z.service -> /usr/lib/systemd/system/z.service",
		"/etc/systemd/system/y.service -> /etc/systemd/system/x.service",
	)
	for name, fileState := range map[string]string{
		"x.service": "enabled", "z.service": "enabled", "foo@bar.service": "enabled",
		"static.service": "static", "foo@other.service": "disabled",
	} {
		st, err := u.State(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		want := UnitState{LoadState: "loaded", ActiveState: "inactive", SubState: "dead", UnitFileState: fileState}
		if st != want {
			t.Errorf("State(%s) = %+v, want %+v", name, st, want)
		}
	}

	if err := u.Disable(ctx, []string{"x.service", "foo@bar.service"}); err != nil {
		t.Fatal(err)
	}
	wantLinks(t, root, "after Disable",
		"/etc/systemd/system/a.target.wants/two.service -> /etc/systemd/system/two.service",
		"/etc/systemd/system/b.target.wants/two.service -> /etc/systemd/system/two.service",
		"/etc/systemd/system/masked.service -> /dev/null",
		"/etc/systemd/system/multi-user.target.wants/foo@def.service -> /etc/systemd/system/foo@.service",
	)
	if _, err := os.Stat(filepath.Join(root, "etc/systemd/system/timers.target.requires")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the emptied timers.target.requires is still there (%v)", err)
	}
	if st, _ := u.State(ctx, "x.service"); st.UnitFileState != "disabled" {
		t.Errorf("x.service is %q after Disable, want disabled", st.UnitFileState)
	}
	// A template takes its instances with it.
	if err := u.Disable(ctx, []string{"foo@.service", "two.service"}); err != nil {
		t.Fatal(err)
	}
	wantLinks(t, root, "after disabling the template", "/etc/systemd/system/masked.service -> /dev/null")
}

// TestOfflineLikeSystemctl checks Enable and Disable against `systemctl
// --root` on the same tree.
func TestOfflineLikeSystemctl(t *testing.T) {
	systemctl, err := exec.LookPath("systemctl")
	if err != nil {
		t.Skip("no systemctl")
	}
	names := []string{"x.service", "foo@bar.service", "foo@.service", "two.service", "static.service"}
	ours, ourRoot := systemUnits(t, systemTree)
	theirRoot := offlineTree(t, systemTree)
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(systemctl, append([]string{"--root=" + theirRoot}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("systemctl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	compare := func(step string) {
		t.Helper()
		if got, want := treeLinks(t, ourRoot), treeLinks(t, theirRoot); !reflect.DeepEqual(got, want) {
			t.Errorf("links after %s:\n%s\nsystemctl --root made:\n%s", step, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if got, want := treeDirs(t, ourRoot), treeDirs(t, theirRoot); !reflect.DeepEqual(got, want) {
			t.Errorf("folders after %s:\n%s\nsystemctl --root left:\n%s", step, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	ctx := context.Background()
	if err := ours.Enable(ctx, names); err != nil {
		t.Fatal(err)
	}
	run(append([]string{"enable"}, names...)...)
	compare("enable")
	if err := ours.Disable(ctx, names[:2]); err != nil {
		t.Fatal(err)
	}
	run(append([]string{"disable"}, names[:2]...)...)
	compare("disable")
	if err := ours.Disable(ctx, names); err != nil {
		t.Fatal(err)
	}
	run(append([]string{"disable"}, names...)...)
	compare("disable all")
}

func TestOfflineEnableReplacesLinks(t *testing.T) {
	u, root := systemUnits(t, map[string]string{
		"/etc/systemd/system/x.service":                         "[Install]\nWantedBy=multi-user.target\n",
		"/etc/systemd/system/multi-user.target.wants/x.service": "->/old/x.service",
	})
	if err := u.Enable(context.Background(), []string{"x.service"}); err != nil {
		t.Fatal(err)
	}
	wantLinks(t, root, "after Enable", "/etc/systemd/system/multi-user.target.wants/x.service -> /etc/systemd/system/x.service")
}

func TestOfflineErrors(t *testing.T) {
	u, _ := systemUnits(t, map[string]string{
		"/etc/systemd/system/masked.service": "->/dev/null",
		"/etc/systemd/system/alias.service":  "[Install]\nAlias=file.service\n",
		"/etc/systemd/system/file.service":   "[Service]\n",
	})
	ctx := context.Background()
	for _, tc := range []struct{ name, want string }{
		{"missing.service", "unit missing.service: no unit file in /etc/systemd/system, "},
		{"masked.service", "unit masked.service: masked (/etc/systemd/system/masked.service links to /dev/null)"},
		{"alias.service", "unit alias.service: enable: symlink /etc/systemd/system/file.service: file already exists"},
		{"../x.service", "unit ../x.service: not a unit name"},
	} {
		err := u.Enable(ctx, []string{tc.name})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Enable(%s) = %v, want %s...", tc.name, err, tc.want)
		}
	}
	for name, want := range map[string]UnitState{
		"missing.service": {LoadState: "not-found", ActiveState: "inactive", SubState: "dead"},
		"masked.service":  {LoadState: "masked", ActiveState: "inactive", SubState: "dead", UnitFileState: "masked"},
	} {
		if st, err := u.State(ctx, name); err != nil || st != want {
			t.Errorf("State(%s) = %+v, %v; want %+v", name, st, err, want)
		}
	}
	// Disabling what was never enabled, even without a file, is fine.
	if err := u.Disable(ctx, []string{"missing.service"}); err != nil {
		t.Error(err)
	}
}

func TestOfflineJobsDoNothing(t *testing.T) {
	u, root := systemUnits(t, systemTree)
	ctx := context.Background()
	for _, job := range []func(context.Context, string) error{u.Start, u.Stop, u.Restart, u.Reload} {
		if err := job(ctx, "x.service"); err != nil {
			t.Error(err)
		}
	}
	if err := u.DaemonReload(ctx); err != nil {
		t.Error(err)
	}
	if j := u.Journal(ctx, "x.service", 10); j != "" {
		t.Errorf("Journal = %q", j)
	}
	if err := u.Close(); err != nil {
		t.Error(err)
	}
	if got := treeLinks(t, root); len(got) != 1 {
		t.Errorf("jobs changed the tree: %q", got)
	}
}

func TestOfflineUserScope(t *testing.T) {
	root := offlineTree(t, map[string]string{
		"/etc/passwd": "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/srv/alice:/bin/sh\n",
		"/srv/alice/.config/systemd/user/x.service": "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=default.target\n",
		"/home/bob/.config/systemd/user/y.service":  "[Install]\nWantedBy=default.target\n",
		"/usr/lib/systemd/user/vendor.service":      "[Install]\nWantedBy=default.target\n",
	})
	sys := NewRooted(root, NewReal())
	ctx := context.Background()
	alice, err := sys.Units(ctx, UnitScope{User: "alice", UID: 1000, GID: 1000, RuntimeDir: "/run/user/1000"})
	if err != nil {
		t.Fatal(err)
	}
	if err := alice.Enable(ctx, []string{"x.service", "vendor.service"}); err != nil {
		t.Fatal(err)
	}
	bob, _ := sys.Units(ctx, UnitScope{User: "bob", UID: 1001, GID: 1001})
	if err := bob.Enable(ctx, []string{"y.service"}); err != nil {
		t.Fatal(err)
	}
	wantLinks(t, root, "after enabling",
		"/home/bob/.config/systemd/user/default.target.wants/y.service -> /home/bob/.config/systemd/user/y.service",
		"/srv/alice/.config/systemd/user/default.target.wants/vendor.service -> /usr/lib/systemd/user/vendor.service",
		"/srv/alice/.config/systemd/user/default.target.wants/x.service -> /srv/alice/.config/systemd/user/x.service",
	)
	if os.Geteuid() == 0 {
		for _, p := range []string{"srv/alice/.config/systemd/user/default.target.wants", "srv/alice/.config/systemd/user/default.target.wants/x.service"} {
			fi, err := os.Lstat(filepath.Join(root, p))
			if err != nil {
				t.Fatal(err)
			}
			if uid := ownerUID(fi); uid != 1000 {
				t.Errorf("/%s owned by %d, want 1000", p, uid)
			}
		}
	}
	if st, _ := alice.State(ctx, "x.service"); st.UnitFileState != "enabled" {
		t.Errorf("x.service is %q, want enabled", st.UnitFileState)
	}
	if err := alice.Disable(ctx, []string{"x.service", "vendor.service"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := alice.State(ctx, "x.service"); st.UnitFileState != "disabled" {
		t.Errorf("x.service is %q after Disable, want disabled", st.UnitFileState)
	}
}
